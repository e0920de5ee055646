import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import wavefile from "wavefile";
import { createOpenWakeWordDetector } from "../../audio/wake/create-wake-word-detector.js";
import { isBuiltinWakeWord } from "../../audio/wake/openwakeword-models.js";
import type { WakeDetection } from "../../audio/wake/wake-word-detector.js";
import { DEFAULT_CONFIG_PATH, loadConfig } from "../../config/loader.js";
import { type Config, configSchema, type WakeWordConfig, wakeWordSchema } from "../../config/schema.js";
import { EXIT, HearthError } from "../../core/errors.js";
import { createLogger } from "../../core/logger.js";
import { resolveConfigPath } from "./check-config.js";

const RATE = 16000;
/**
 * openWakeWord needs 2 s of audio before it can score (its mel and embedding windows), and a live
 * microphone always has them; a file is therefore treated as a stream that began with 2 s of
 * silence, plus 1 s after its end so a word at the very end can still complete (openWakeWord's own
 * `predict_clip` pads the same way). Reported times are relative to the file's start.
 */
const LEAD_IN_SECONDS = 2;
const TAIL_SECONDS = 1;

/** One output line. */
interface FileResult {
  file: string;
  detections?: Array<Pick<WakeDetection, "word" | "seconds" | "score">>;
  error?: string;
}

/**
 * `hearth detect-wake [--config PATH] [--word NAME]… FILE…`: runs the wake-word models over
 * recordings and prints one JSON line per file, `{"file", "detections": [{"word", "seconds",
 * "score"}]}`, so miss and false-alarm rates can be measured. Uses the `wake.words` of the config
 * (whatever `wake.engine` says); `--word` picks some of them or a bundled model by name.
 */
export function register(program: Command): void {
  program
    .command("detect-wake")
    .description(
      "find wake words in WAV recordings; one JSON line per file. Each file is scored as a stream that had 2 s of silence before it (the models need that much context) and 1 s after; times are from the file's start",
    )
    .option("-c, --config <path>", `configuration file (default: ${DEFAULT_CONFIG_PATH} if it exists)`)
    .option(
      "-w, --word <name>",
      "only this word: a configured word's name or a bundled model (hey_jarvis, alexa, hey_mycroft, hey_rhasspy); repeatable",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .argument("<files...>", "WAV files (8–48 kHz, mono or stereo, integer or float samples)")
    .action(async (files: string[], opts: { config?: string; word?: string[] }) => {
      process.exitCode = await detectWake(files, opts);
    });
}

async function detectWake(files: string[], opts: { config?: string; word?: string[] }): Promise<number> {
  let config: Config;
  let baseDir: string;
  try {
    ({ config, baseDir } = await readConfig(opts.config));
  } catch (err) {
    return reportFault(err, EXIT.CONFIG);
  }
  const log = createLogger({ level: config.logging.level, destination: 2 }).child({ command: "detect-wake" });

  let words: WakeWordConfig[];
  try {
    words = pickWords(config.wake.words, opts.word);
  } catch (err) {
    return reportFault(err, EXIT.USAGE);
  }

  const detector = createOpenWakeWordDetector(config.wake, words, { logger: log, baseDir });
  try {
    await detector.start();
  } catch (err) {
    return reportFault(err, EXIT.UNAVAILABLE);
  }
  let exit: number = EXIT.OK;
  try {
    for (const file of files) {
      const result: FileResult = { file };
      try {
        const audio = decodeWav(await readFile(file));
        detector.reset();
        const stream = new Int16Array((LEAD_IN_SECONDS + TAIL_SECONDS) * RATE + audio.length);
        stream.set(audio, LEAD_IN_SECONDS * RATE);
        result.detections = (await detector.process(stream)).map((d) => ({
          word: d.word,
          seconds: round(d.seconds - LEAD_IN_SECONDS, 2),
          score: round(d.score, 4),
        }));
      } catch (err) {
        result.error = err instanceof Error ? err.message : String(err);
        exit = (err as NodeJS.ErrnoException).code === "ENOENT" ? EXIT.NO_INPUT : EXIT.DATA;
      }
      process.stdout.write(`${JSON.stringify(result)}\n`);
    }
  } finally {
    await detector.stop();
  }
  return exit;
}

/**
 * `--config PATH` when given; else the default file when it exists; else the built-in defaults
 * (hey_jarvis), so recordings can be checked without writing a config first.
 */
async function readConfig(path: string | undefined): Promise<{ config: Config; baseDir: string }> {
  const file = resolveConfigPath(path);
  if (path === undefined && !existsSync(file))
    return { config: configSchema.parse({}), baseDir: process.cwd() };
  const loaded = await loadConfig(file);
  return { config: loaded.config, baseDir: loaded.dir };
}

/** The configured words named by `--word`, or bundled models with default settings. */
function pickWords(configured: WakeWordConfig[], names: string[] | undefined): WakeWordConfig[] {
  if (!names?.length) return configured;
  return names.map((name) => {
    const word = configured.find((w) => w.name === name);
    if (word) return word;
    if (isBuiltinWakeWord(name)) return wakeWordSchema.parse({ name });
    const known = configured.map((w) => w.name).join(", ");
    throw new HearthError(
      "CONFIG_INVALID",
      `unknown wake word "${name}": configured are ${known}; bundled are hey_jarvis, alexa, hey_mycroft, hey_rhasspy`,
    );
  });
}

/** Decodes a WAV file of any common layout to 16 kHz mono 16-bit. */
function decodeWav(bytes: Uint8Array): Int16Array {
  let wav: InstanceType<typeof wavefile.WaveFile>;
  try {
    wav = new wavefile.WaveFile(bytes);
  } catch (err) {
    throw new HearthError("AUDIO_INVALID", `not a WAV file: ${(err as Error).message}`, { cause: err });
  }
  const fmt = wav.fmt as { numChannels: number; sampleRate: number };
  wav.toBitDepth("32f");
  if (fmt.sampleRate !== RATE) wav.toSampleRate(RATE);
  const samples = wav.getSamples(false, Float32Array) as unknown as Float32Array | Float32Array[];
  const channels = Array.isArray(samples) ? samples : [samples];
  const length = channels[0]?.length ?? 0;
  const out = new Int16Array(length);
  for (let i = 0; i < length; i++) {
    let sum = 0;
    for (const channel of channels) sum += channel[i] ?? 0;
    out[i] = Math.max(-32768, Math.min(32767, Math.round((sum / channels.length) * 32768)));
  }
  return out;
}

function reportFault(err: unknown, code: number): number {
  if (!(err instanceof HearthError)) throw err;
  process.stderr.write(`${err.message}\n`);
  for (const line of err.details) process.stderr.write(`  ${line}\n`);
  return code;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
