import type { Command } from "commander";
import type { SpeechToText, SttResult } from "../../audio/stt/speech-to-text.js";
import { readWavFile } from "../../audio/wav.js";
import { DEFAULT_CONFIG_PATH, type LoadedConfig, loadConfig } from "../../config/loader.js";
import { EXIT, HearthError } from "../../core/errors.js";
import { createLogger, type Logger } from "../../core/logger.js";
import { buildSpeechPath } from "../../pipeline/speech-path.js";
import { registryFromConfig } from "../../registry/from-config.js";
import { resolveConfigPath } from "./check-config.js";

/** One line of `hearth transcribe` output. */
export interface TranscribeOutput {
  file: string;
  /** What was heard; "" when the audio was rejected or could not be read. */
  text: string;
  /** Milliseconds speech-to-text took. */
  ms: number;
  /** Why nothing was heard: no-speech, no-match, low-confidence. */
  reason?: string;
  /** The file could not be read. */
  error?: string;
}

/** Codes that mean "fix the configuration". */
const CONFIG_CODES = new Set(["CONFIG_INVALID", "CONFIG_NOT_FOUND", "SENTENCES_INVALID", "TEMPLATE_INVALID"]);

/**
 * The exit code for a fault that stops a speech command before any file is read: 78 for the
 * configuration, 69 for an engine or model that cannot be loaded. Writes the message to stderr.
 */
export function reportSetupFault(err: unknown): number {
  if (!(err instanceof HearthError)) throw err;
  process.stderr.write(`${err.message}\n`);
  for (const line of err.details) process.stderr.write(`  ${line}\n`);
  return CONFIG_CODES.has(err.code) ? EXIT.CONFIG : EXIT.UNAVAILABLE;
}

/** The exit code for a file that could not be used: 66 when missing, 65 when not usable audio. */
export function fileFaultCode(err: unknown): number {
  const cause = err instanceof Error ? (err.cause as NodeJS.ErrnoException | undefined) : undefined;
  if (cause?.code === "ENOENT" || (err as NodeJS.ErrnoException).code === "ENOENT") return EXIT.NO_INPUT;
  return EXIT.DATA;
}

/** The logger speech commands use: warnings and worse on stderr, so stdout stays JSON lines. */
export function commandLogger(command: string): Logger {
  return createLogger({ level: "warn", destination: 2 }).child({ command });
}

/** Loads the config named by `--config` (or the default file). */
export function loadCommandConfig(path: string | undefined): Promise<LoadedConfig> {
  return loadConfig(resolveConfigPath(path));
}

/** Reads one WAV file (any common layout) as 16 kHz mono, within `audio.max_file_seconds`. */
export function readUtterance(loaded: LoadedConfig, file: string): Promise<Int16Array> {
  return readWavFile(file, { maxSeconds: loaded.config.audio.max_file_seconds });
}

/** Transcribes one utterance, timing it. */
export async function timedTranscribe(
  stt: SpeechToText,
  audio: Int16Array,
): Promise<{ result: SttResult; ms: number }> {
  const started = performance.now();
  const result = await stt.transcribe(audio);
  return { result, ms: Math.round((performance.now() - started) * 10) / 10 };
}

/**
 * `hearth transcribe [--config PATH] FILE…`: speech-to-text on recordings, one JSON line per file,
 * `{"file", "text", "ms"}`; audio the engine rejects gets `"text": ""` and a `"reason"`. Each file
 * is one utterance. The engine and its grammar (from the config's templates and devices) load once.
 */
export function register(program: Command): void {
  program
    .command("transcribe")
    .description(
      "speech-to-text on WAV recordings (one utterance each): one JSON line per file with the text heard and the milliseconds it took",
    )
    .option("-c, --config <path>", `configuration file (default: ${DEFAULT_CONFIG_PATH})`)
    .argument("<files...>", "WAV files (8–48 kHz, mono or stereo, integer or float samples)")
    .action(async (files: string[], opts: { config?: string }) => {
      process.exitCode = await transcribe(files, opts);
    });
}

async function transcribe(files: string[], opts: { config?: string }): Promise<number> {
  const log = commandLogger("transcribe");
  let loaded: LoadedConfig;
  let speech: Awaited<ReturnType<typeof buildSpeechPath>>;
  try {
    loaded = await loadCommandConfig(opts.config);
    speech = await buildSpeechPath(loaded, {
      registry: registryFromConfig(loaded.config),
      log,
      stages: { stt: true, tts: false, listening: false },
    });
  } catch (err) {
    return reportSetupFault(err);
  }
  const stt = speech.stt as SpeechToText;
  let exit: number = EXIT.OK;
  try {
    for (const file of files) {
      let out: TranscribeOutput;
      try {
        const { result, ms } = await timedTranscribe(stt, await readUtterance(loaded, file));
        out =
          result.kind === "transcript"
            ? { file, text: result.text, ms }
            : { file, text: "", ms, reason: result.reason };
      } catch (err) {
        if (!(err instanceof HearthError) || err.code !== "AUDIO_INVALID") throw err;
        out = { file, text: "", ms: 0, error: err.message };
        exit = fileFaultCode(err);
      }
      process.stdout.write(`${JSON.stringify(out)}\n`);
    }
  } finally {
    await speech.close();
  }
  return exit;
}
