import type { Command } from "commander";
import { buildTextPath, type TextPath } from "../../app.js";
import type { SpeechToText } from "../../audio/stt/speech-to-text.js";
import { DEFAULT_CONFIG_PATH, type LoadedConfig } from "../../config/loader.js";
import { EXIT, HearthError } from "../../core/errors.js";
import type { SlotValue } from "../../intents/types.js";
import { buildSpeechPath, type SpeechPath } from "../../pipeline/speech-path.js";
import {
  commandLogger,
  fileFaultCode,
  loadCommandConfig,
  readUtterance,
  reportSetupFault,
  timedTranscribe,
} from "./transcribe.js";

/** One line of `hearth understand` output. */
export interface UnderstandOutput {
  file: string;
  /** What was heard; "" when the audio was rejected or could not be read. */
  transcript: string;
  intents: Array<{ name: string; slots: Record<string, SlotValue> }>;
  /** What Hearth would answer; "" when it heard no command. */
  reply: string;
  /** Milliseconds per stage: stt, intent, total. */
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
  let text: TextPath | undefined;
  let speech: SpeechPath;
  try {
    loaded = await loadCommandConfig(opts.config);
    text = await buildTextPath(loaded, { log });
    speech = await buildSpeechPath(loaded, {
      registry: text.registry,
      log,
      stages: { stt: true, tts: false, listening: false },
    });
  } catch (err) {
    await text?.close();
    return reportSetupFault(err);
  }
  const stt = speech.stt as SpeechToText;
  const context = opts.area !== undefined ? { area: opts.area } : {};
  let exit: number = EXIT.OK;
  try {
    for (const file of files) {
      const out: UnderstandOutput = { file, transcript: "", intents: [], reply: "", timings: {} };
      const started = performance.now();
      try {
        const { result, ms } = await timedTranscribe(stt, await readUtterance(loaded, file));
        out.timings.stt = ms;
        if (result.kind === "rejected") {
          out.reason = result.reason;
        } else {
          out.transcript = result.text;
          const understood = await text.understanding.understandAsync(result.text, context);
          const u = understood.understanding;
          out.timings.intent = Math.round(understood.ms * 1000) / 1000;
          out.reply = understood.reply;
          if (u.kind === "recognized") out.intents = u.intents.map((i) => ({ name: i.name, slots: i.slots }));
          else if (u.kind === "not-recognized") out.reason = u.reason;
        }
      } catch (err) {
        if (!(err instanceof HearthError) || err.code !== "AUDIO_INVALID") throw err;
        out.error = err.message;
        exit = fileFaultCode(err);
      }
      out.timings.total = Math.round((performance.now() - started) * 10) / 10;
      process.stdout.write(`${JSON.stringify(out)}\n`);
    }
  } finally {
    await speech.close();
    await text.close();
  }
  return exit;
}
