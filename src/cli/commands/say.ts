import { resolve } from "node:path";
import type { Command } from "commander";
import type { TextToSpeech } from "../../audio/tts/text-to-speech.js";
import type { AudioSink } from "../../audio/types.js";
import { writeWavFile } from "../../audio/wav.js";
import { DEFAULT_CONFIG_PATH, type LoadedConfig } from "../../config/loader.js";
import { EXIT, HearthError } from "../../core/errors.js";
import { buildSpeechPath, type SpeechPath } from "../../pipeline/speech-path.js";
import { registryFromConfig } from "../../registry/from-config.js";
import { commandLogger, loadCommandConfig, reportSetupFault } from "./transcribe.js";

/** The line `hearth say` prints once the text is spoken or written. */
export interface SayOutput {
  text: string;
  /** The TTS engine that spoke. */
  engine: string;
  /** Where the audio went: the WAV file written, or the sink it played on. */
  output: string;
  /** Length of the speech, in seconds. */
  seconds: number;
  /** Milliseconds synthesis took. */
  ms: number;
}

/** Longest text spoken in one go: anything longer is not a reply. */
const MAX_CHARS = 2000;

/**
 * `hearth say [--config PATH] [--out FILE.wav] TEXT…`: speaks a text with the configured voice
 * (`tts`) on the configured sink (`audio.sink`), or writes it to a WAV file with `--out`. Prints one
 * JSON line: `{"text", "engine", "output", "seconds", "ms"}`.
 */
export function register(program: Command): void {
  program
    .command("say")
    .description("speak a text with the configured voice, or write it to a WAV file with --out")
    .option("-c, --config <path>", `configuration file (default: ${DEFAULT_CONFIG_PATH})`)
    .option("-o, --out <file>", "write the speech to this WAV file instead of playing it")
    .argument("<text...>", "what to say")
    .action(async (words: string[], opts: { config?: string; out?: string }) => {
      process.exitCode = await say(words.join(" "), opts);
    });
}

async function say(text: string, opts: { config?: string; out?: string }): Promise<number> {
  if (text.trim() === "" || text.length > MAX_CHARS) {
    process.stderr.write(`the text must be 1 to ${MAX_CHARS} characters long\n`);
    return EXIT.USAGE;
  }
  const log = commandLogger("say");
  let loaded: LoadedConfig;
  let speech: SpeechPath;
  try {
    loaded = await loadCommandConfig(opts.config);
    speech = await buildSpeechPath(loaded, {
      registry: registryFromConfig(loaded.config),
      log,
      stages: { stt: false, tts: true, listening: false },
    });
  } catch (err) {
    return reportSetupFault(err);
  }
  const tts = speech.tts as TextToSpeech;
  const sink = speech.sink as AudioSink;
  try {
    const started = performance.now();
    const audio = await tts.synthesize(text);
    const ms = Math.round((performance.now() - started) * 10) / 10;
    let output: string;
    if (opts.out !== undefined) {
      output = resolve(opts.out);
      try {
        await writeWavFile(output, audio);
      } catch (err) {
        throw new HearthError("AUDIO_INVALID", `cannot write ${output}: ${(err as Error).message}`, {
          cause: err,
        });
      }
    } else {
      output = sink.name;
      await sink.play(audio);
    }
    const line: SayOutput = {
      text,
      engine: tts.name,
      output,
      seconds: Math.round((audio.samples.length / audio.sampleRate) * 1000) / 1000,
      ms,
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
    return EXIT.OK;
  } catch (err) {
    if (!(err instanceof HearthError)) throw err;
    process.stderr.write(`${err.message}\n`);
    return err.code === "AUDIO_DEVICE" ||
      err.code === "PROCESS_FAILED" ||
      err.code === "DEADLINE_EXCEEDED" ||
      err.code === "ENGINE_FAILED"
      ? EXIT.UNAVAILABLE
      : EXIT.FAILURE;
  } finally {
    await speech.close();
  }
}
