import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { concatInt16 } from "../../src/audio/pcm.js";
import type { SpeechToText, SttStream } from "../../src/audio/stt/speech-to-text.js";
import type { VoiceActivityDetector } from "../../src/audio/vad/voice-activity-detector.js";
import { type RecordingHeard, transcribeLine } from "../../src/cli/commands/transcribe.js";
import { understandLine } from "../../src/cli/commands/understand.js";
import { silentLogger } from "../../src/core/logger.js";
import { hearRecording, recordingHearing } from "../../src/pipeline/hear-recording.js";
import type { DeadlineError } from "../../src/pipeline/listening-loop.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { silence, speak } from "../helpers/speech.js";
import { captureLogger, loopHomeYaml, openSpeechHome, type SpeechHome } from "../pipeline/loop-helpers.js";

/*
 * `hearth transcribe` / `understand` when a stage runs out of time: the line says which deadline
 * was missed, with its code, never that nothing was said. The real engines (Silero VAD,
 * pocketsphinx on the home's grammar, the templates) on a clock only the test moves: the engine
 * "takes" longer than its deadline because the test moves the clock past it while it decodes.
 */

const SITE = "deadline-test";
let home: SpeechHome;
let command: Int16Array;

beforeAll(async () => {
  home = await openSpeechHome(loopHomeYaml(SITE, "wake: { engine: none }"), "hearth-deadline-");
  command = concatInt16([silence(0.4), await speak("turn on the kitchen light"), silence(0.5)]);
});

afterAll(async () => {
  await home?.close();
});

/** The live engine, during whose every decode `clock` moves on by `ms`. */
function outlasting(clock: ManualClock, ms: number): SpeechToText {
  const engine = home.speech.loopStt as SpeechToText;
  return {
    ...engine,
    transcribe: (audio, options) => {
      clock.advance(ms);
      return engine.transcribe(audio, options);
    },
    begin: () => {
      const stream = (engine.begin as () => SttStream)();
      return {
        write: (piece) => stream.write(piece),
        cancel: () => stream.cancel(),
        partial: () => stream.partial?.(),
        drained: () => stream.drained?.() ?? Promise.resolve(),
        end: (options) => {
          clock.advance(ms);
          return stream.end(options);
        },
      };
    },
  };
}

/** Hears `audio` as the CLI's hearer does (hear-recording, its misses collected), on `clock`. */
async function hear(
  audio: Int16Array,
  clock: ManualClock,
  stages: { stt?: SpeechToText; understandMs?: number } = {},
  log = silentLogger(),
): Promise<RecordingHeard> {
  const { config, text, speech } = home;
  const { deps, options } = recordingHearing(config, {
    vad: speech.vad as VoiceActivityDetector,
    stt: stages.stt ?? (speech.loopStt as SpeechToText),
    understanding: text.understanding,
    clock,
    log,
  });
  const missed: DeadlineError[] = [];
  const started = clock.monotonic();
  const heard = await hearRecording(
    audio,
    {
      ...deps,
      understand: (said, context, signal) => {
        // Understanding that takes `understandMs` (an LLM on a busy machine).
        if (stages.understandMs !== undefined) clock.advance(stages.understandMs);
        return deps.understand(said, context, signal);
      },
      missed: (err) => missed.push(err),
    },
    options,
  );
  return { heard, missed, ms: clock.monotonic() - started };
}

describe("a stage that runs past its deadline is reported as such, not as silence", () => {
  test("speech-to-text past pipeline.stt_timeout_ms: transcribe and understand give DEADLINE_EXCEEDED and the deadline, no reason", async () => {
    const clock = new ManualClock();
    const { log, lines } = captureLogger("warn");
    const stt = home.config.pipeline.stt_timeout_ms;
    const result = await hear(command, clock, { stt: outlasting(clock, stt) }, log);

    const deadline = `speech-to-text did not finish within ${stt} ms (pipeline.stt_timeout_ms)`;
    expect(transcribeLine("late.wav", result)).toEqual({
      file: "late.wav",
      text: "",
      ms: stt,
      code: "DEADLINE_EXCEEDED",
      error: deadline,
    });
    expect(understandLine("late.wav", result)).toEqual({
      file: "late.wav",
      transcript: "",
      intents: [],
      reply: "",
      timings: { stt },
      code: "DEADLINE_EXCEEDED",
      error: deadline,
    });
    // The daemon's own warning names the stage, the code and the deadline.
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: "a stage missed its deadline",
        stage: "stt",
        code: "DEADLINE_EXCEEDED",
        deadlineMs: stt,
      }),
    );
  }, 120_000);

  test("one millisecond short of the deadline, the same recording is heard and understood", async () => {
    const clock = new ManualClock();
    const stt = home.config.pipeline.stt_timeout_ms;
    const result = await hear(command, clock, { stt: outlasting(clock, stt - 1) });

    expect(result.missed).toEqual([]);
    expect(transcribeLine("in-time.wav", result)).toMatchObject({ text: "turn on the kitchen light" });
    expect(transcribeLine("in-time.wav", result)).not.toHaveProperty("code");
    expect(understandLine("in-time.wav", result)).toMatchObject({
      transcript: "turn on the kitchen light",
      intents: [{ name: "HassTurnOn" }],
    });
  }, 120_000);

  test("understanding past pipeline.intent_timeout_ms: understand keeps the transcript and gives DEADLINE_EXCEEDED, transcribe the text", async () => {
    const clock = new ManualClock();
    const intent = home.config.pipeline.intent_timeout_ms;
    const result = await hear(command, clock, { understandMs: intent });

    expect(transcribeLine("slow.wav", result)).toMatchObject({ text: "turn on the kitchen light" });
    const line = understandLine("slow.wav", result);
    expect(line).toMatchObject({
      transcript: "turn on the kitchen light",
      intents: [],
      reply: "",
      code: "DEADLINE_EXCEEDED",
      error: `understanding and acting did not finish within ${intent} ms (pipeline.intent_timeout_ms)`,
    });
    expect(line).not.toHaveProperty("reason");
  }, 120_000);
});
