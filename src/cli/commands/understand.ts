import type { Command } from "commander";
import { DEFAULT_CONFIG_PATH, type LoadedConfig } from "../../config/loader.js";
import { EXIT } from "../../core/errors.js";
import type { SlotValue } from "../../intents/types.js";
import { answeringUtterance } from "../../pipeline/hear-recording.js";
import type { RunStage } from "../../pipeline/listening-loop.js";
import {
  commandLogger,
  hearEachRecording,
  loadCommandConfig,
  type RecordingResult,
  reportSetupFault,
} from "./transcribe.js";

/** One line of `hearth understand` output. */
export interface UnderstandOutput {
  file: string;
  /** What was heard; "" when the audio was rejected or could not be read. */
  transcript: string;
  intents: Array<{ name: string; slots: Record<string, SlotValue> }>;
  /** What Hearth would answer; "" when it heard no command. */
  reply: string;
  /** How many utterances the recording held, when more than one (the answer is the first accepted, else the first). */
  utterances?: number;
  /** Milliseconds per stage: stt (hearing the recording: VAD, decoding, rejection), intent, total. */
  timings: Record<string, number>;
  /** Why there is no intent: the speech-to-text rejection (no-speech, no-match, low-confidence) or the text path's reason. */
  reason?: string;
  /**
   * The file could not be read; or, with `code`, hearing it failed: a stage ran past its deadline
   * ("speech-to-text did not finish within 10000 ms (pipeline.stt_timeout_ms)", or understanding).
   */
  error?: string;
  /** The error table's code when hearing the file failed: DEADLINE_EXCEEDED. */
  code?: string;
}

/**
 * The line `hearth understand` prints for one file (all but `timings.total`): the utterance that
 * answers, its transcript, intents and reply; a stage that ran out of time instead of what it would
 * have given (a deadline is not silence, nor a sentence that was not understood); else why there
 * is no intent.
 */
export function understandLine(file: string, result: RecordingResult): UnderstandOutput {
  const out: UnderstandOutput = { file, transcript: "", intents: [], reply: "", timings: {} };
  if ("error" in result) {
    out.error = result.error;
    return out;
  }
  const { heard, ms, missed } = result;
  const first = answeringUtterance(heard);
  const late = (stage: RunStage): void => {
    const err = missed.find((m) => m.stage === stage);
    if (err) Object.assign(out, { code: err.code, error: err.message });
  };
  out.timings.stt = Math.round((ms - (first?.intentMs ?? 0)) * 10) / 10;
  if (heard.length > 1) out.utterances = heard.length;
  if (first?.stt.kind !== "transcript") {
    late("stt");
    if (out.code === undefined) out.reason = first?.stt.kind === "rejected" ? first.stt.reason : "no-speech";
    return out;
  }
  out.transcript = first.stt.text;
  const u = first.understanding;
  if (!u) {
    late("intent");
    return out;
  }
  out.timings.intent = Math.round((first.intentMs ?? 0) * 1000) / 1000;
  out.reply = first.reply;
  if (u.kind === "recognized") out.intents = u.intents.map((i) => ({ name: i.name, slots: i.slots }));
  else if (u.kind === "not-recognized") out.reason = u.reason;
  return out;
}

/**
 * `hearth understand [--config PATH] [--area NAME] FILE…`: speech-to-text and the text path on
 * recordings, one JSON line per file, `{"file", "transcript", "intents": [{"name", "slots"}],
 * "reply", "timings": {"stt", "intent", "total"}}`. Nothing is acted on. The speech engine, its
 * grammar, the templates and the LLM (when configured) load once for the whole batch.
 */
export function register(program: Command): void {
  program
    .command("understand")
    .description(
      "speech-to-text then intent recognition on WAV recordings (one utterance each), acting on nothing: one JSON line per file with the transcript, intents, reply and timings",
    )
    .option("-c, --config <path>", `configuration file (default: ${DEFAULT_CONFIG_PATH})`)
    .option("-a, --area <name>", "the area the speaker is in (overrides site.area)")
    .argument("<files...>", "WAV files (8–48 kHz, mono or stereo, integer or float samples)")
    .action(async (files: string[], opts: { config?: string; area?: string }) => {
      process.exitCode = await understand(files, opts);
    });
}

async function understand(files: string[], opts: { config?: string; area?: string }): Promise<number> {
  const log = commandLogger("understand");
  let loaded: LoadedConfig;
  try {
    loaded = await loadCommandConfig(opts.config);
  } catch (err) {
    return reportSetupFault(err);
  }
  const context = opts.area !== undefined ? { area: opts.area } : {};
  return hearEachRecording(loaded, files, log, { llm: true, context }, (file, result, started) => {
    const out = understandLine(file, result);
    out.timings.total = Math.round((performance.now() - started) * 10) / 10;
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return out.code === undefined ? undefined : EXIT.UNAVAILABLE;
  });
}
