import type { Command } from "commander";
import { DEFAULT_CONFIG_PATH, type LoadedConfig } from "../../config/loader.js";
import type { SlotValue } from "../../intents/types.js";
import { answeringUtterance } from "../../pipeline/hear-recording.js";
import { commandLogger, hearEachRecording, loadCommandConfig, reportSetupFault } from "./transcribe.js";

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
  /** The file could not be read. */
  error?: string;
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
    const out: UnderstandOutput = { file, transcript: "", intents: [], reply: "", timings: {} };
    if ("error" in result) {
      out.error = result.error;
    } else {
      const { heard, ms } = result;
      const first = answeringUtterance(heard);
      out.timings.stt = Math.round((ms - (first?.intentMs ?? 0)) * 10) / 10;
      if (heard.length > 1) out.utterances = heard.length;
      if (!first) {
        out.reason = "no-speech";
      } else if (first.stt.kind === "rejected") {
        out.reason = first.stt.reason;
      } else {
        out.transcript = first.stt.text;
        const u = first.understanding;
        out.timings.intent = Math.round((first.intentMs ?? 0) * 1000) / 1000;
        out.reply = first.reply;
        if (u?.kind === "recognized") out.intents = u.intents.map((i) => ({ name: i.name, slots: i.slots }));
        else if (u?.kind === "not-recognized") out.reason = u.reason;
      }
    }
    out.timings.total = Math.round((performance.now() - started) * 10) / 10;
    process.stdout.write(`${JSON.stringify(out)}\n`);
  });
}
