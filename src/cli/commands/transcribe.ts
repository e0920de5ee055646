import type { Command } from "commander";
import { buildTextPath, type TextPath } from "../../app.js";
import { createDenoiser } from "../../audio/denoise/create-denoiser.js";
import type { Denoiser } from "../../audio/denoise/denoiser.js";
import type { SpeechToText } from "../../audio/stt/speech-to-text.js";
import { createVad } from "../../audio/vad/create-vad.js";
import type { VoiceActivityDetector } from "../../audio/vad/voice-activity-detector.js";
import { readWavFile } from "../../audio/wav.js";
import { DEFAULT_CONFIG_PATH, type LoadedConfig, loadConfig } from "../../config/loader.js";
import { type Clock, systemClock } from "../../core/clock.js";
import { EXIT, HearthError } from "../../core/errors.js";
import { createLogger, type Logger } from "../../core/logger.js";
import type { RequestContext } from "../../intents/text-understanding.js";
import {
  answeringUtterance,
  type HeardUtterance,
  hearRecording,
  recordingHearing,
} from "../../pipeline/hear-recording.js";
import type { DeadlineError } from "../../pipeline/listening-loop.js";
import { buildSpeechPath, type SpeechPath } from "../../pipeline/speech-path.js";
import { resolveConfigPath } from "./check-config.js";

/** One line of `hearth transcribe` output. */
export interface TranscribeOutput {
  file: string;
  /** What was heard; "" when the audio was rejected or could not be read. */
  text: string;
  /** Milliseconds it took to hear the whole recording (VAD, decoding, rejection). */
  ms: number;
  /** How many utterances the recording held, when more than one (the answer is the first accepted, else the first). */
  utterances?: number;
  /** Why nothing was heard: no-speech, no-match, low-confidence. */
  reason?: string;
  /**
   * The file could not be read; or, with `code`, hearing it failed: speech-to-text ran past its
   * deadline ("speech-to-text did not finish within 10000 ms (pipeline.stt_timeout_ms)").
   */
  error?: string;
  /** The error table's code when hearing the file failed: DEADLINE_EXCEEDED. */
  code?: string;
}

/**
 * The line `hearth transcribe` prints for one file: the transcript of the utterance that answers,
 * else the deadline speech-to-text missed (a deadline is not silence), else why nothing was heard.
 */
export function transcribeLine(file: string, result: RecordingResult): TranscribeOutput {
  if ("error" in result) return { file, text: "", ms: 0, error: result.error };
  const { heard, ms, missed } = result;
  const first = answeringUtterance(heard)?.stt;
  const out: TranscribeOutput = { file, text: "", ms };
  const late = missed.find((m) => m.stage === "stt");
  if (first?.kind === "transcript") out.text = first.text;
  else if (late) Object.assign(out, { code: late.code, error: late.message });
  else out.reason = first?.reason ?? "no-speech";
  if (heard.length > 1) out.utterances = heard.length;
  return out;
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

/**
 * Reads one recording for a speech command. A file that cannot be used (missing, not audio) is
 * no fault of the batch: its message for the output line and the exit code it sets.
 */
export async function readRecording(
  loaded: LoadedConfig,
  file: string,
): Promise<{ audio: Int16Array } | { error: string; exit: number }> {
  try {
    return { audio: await readUtterance(loaded, file) };
  } catch (err) {
    if (!(err instanceof HearthError) || err.code !== "AUDIO_INVALID") throw err;
    return { error: err.message, exit: fileFaultCode(err) };
  }
}

/** What hearing one recording gave: its utterances, the deadlines its runs missed, and how long it took. */
export interface RecordingHeard {
  heard: HeardUtterance[];
  /** Stages that ran out of time, in order (speech-to-text's leaves no utterance in `heard`). */
  missed: DeadlineError[];
  /** Milliseconds on the hearer's clock. */
  ms: number;
}

/** The stages `transcribe` and `understand` hear recordings with. */
export interface RecordingHearer {
  /** Hears one recording as the daemon hears its microphone (hear-recording.ts), timing it. */
  hear(audio: Int16Array, context?: RequestContext): Promise<RecordingHeard>;
  close(): Promise<void>;
}

/**
 * Builds the daemon's speech-to-text (with its grammar) and VAD from the config, and the text path
 * for endpointing and understanding (without the LLM unless `llm`); nothing is acted on. Deadlines
 * run on `clock`, by default the system clock.
 */
export async function buildRecordingHearer(
  loaded: LoadedConfig,
  log: Logger,
  options: { llm: boolean; clock?: Clock | undefined },
): Promise<RecordingHearer & { text: TextPath }> {
  const { config } = loaded;
  const clock = options.clock ?? systemClock;
  const text = await buildTextPath(loaded, { log, llm: options.llm });
  let speech: SpeechPath | undefined;
  let vad: VoiceActivityDetector | undefined;
  let denoiser: Denoiser | undefined;
  try {
    speech = await buildSpeechPath(loaded, {
      registry: text.registry,
      sentences: text.sentences,
      log,
      clock,
      stages: { stt: true, tts: false, listening: false },
    });
    vad = createVad(config.vad, loaded.dir);
    await vad.start();
    denoiser = createDenoiser(config.audio);
    await denoiser?.start();
  } catch (err) {
    await vad?.stop();
    await speech?.close();
    await text.close();
    throw err;
  }
  const { deps, options: hearing } = recordingHearing(config, {
    vad,
    stt: speech.loopStt as SpeechToText,
    denoiser,
    understanding: text.understanding,
    clock,
    log,
  });
  const stages = { speech, vad, denoiser };
  return {
    text,
    async hear(audio, context = {}) {
      const started = clock.monotonic();
      const missed: DeadlineError[] = [];
      const heard = await hearRecording(
        audio,
        { ...deps, missed: (err) => missed.push(err) },
        { ...hearing, loop: { ...hearing.loop, context } },
      );
      return { heard, missed, ms: Math.round((clock.monotonic() - started) * 10) / 10 };
    },
    async close() {
      await stages.denoiser?.stop();
      await stages.vad.stop();
      await stages.speech.close();
      await text.close();
    },
  };
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
  try {
    loaded = await loadCommandConfig(opts.config);
  } catch (err) {
    return reportSetupFault(err);
  }
  return hearEachRecording(loaded, files, log, { llm: false }, (file, result) => {
    const out = transcribeLine(file, result);
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return out.code === undefined ? undefined : EXIT.UNAVAILABLE;
  });
}

/** What hearing one file of a batch gave: its reading's fault, or what was heard. */
export type RecordingResult = { error: string } | RecordingHeard;

/**
 * Hears each file of a `transcribe` / `understand` batch and hands each result to `report`, with
 * the moment its work began (after the engines loaded: loading them is not hearing). The engines
 * load (seconds) when the first usable file needs them: a missing or broken file is answered at
 * once, and a batch of only such files loads nothing. `report` returns an exit code when its
 * file could not be heard (a stage that ran past its deadline: 69). Returns the exit code: the last
 * unusable or unheard file's, or the setup fault's (which ends the batch).
 */
export async function hearEachRecording(
  loaded: LoadedConfig,
  files: readonly string[],
  log: Logger,
  options: { llm: boolean; context?: RequestContext },
  report: (file: string, result: RecordingResult, started: number) => number | undefined,
): Promise<number> {
  let hearer: RecordingHearer | undefined;
  let exit: number = EXIT.OK;
  try {
    for (const file of files) {
      let started = performance.now();
      const read = await readRecording(loaded, file);
      if ("error" in read) {
        exit = read.exit;
        report(file, { error: read.error }, started);
        continue;
      }
      try {
        hearer ??= await buildRecordingHearer(loaded, log, { llm: options.llm });
      } catch (err) {
        return reportSetupFault(err);
      }
      started = performance.now();
      exit = report(file, await hearer.hear(read.audio, options.context), started) ?? exit;
    }
  } finally {
    await hearer?.close();
  }
  return exit;
}
