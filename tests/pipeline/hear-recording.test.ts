import pino from "pino";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { TextPath } from "../../src/app.js";
import { createDenoiser } from "../../src/audio/denoise/create-denoiser.js";
import type { Denoiser } from "../../src/audio/denoise/denoiser.js";
import { RnnoiseDenoiser } from "../../src/audio/denoise/rnnoise-denoiser.js";
import { concatInt16 } from "../../src/audio/pcm.js";
import { NullSink } from "../../src/audio/sinks/null-sink.js";
import type { SpeechToText, SttResult, SttStream } from "../../src/audio/stt/speech-to-text.js";
import type { TextToSpeech } from "../../src/audio/tts/text-to-speech.js";
import type { AudioSource, AudioStream } from "../../src/audio/types.js";
import type { VoiceActivityDetector } from "../../src/audio/vad/voice-activity-detector.js";
import { NoWakeWord } from "../../src/audio/wake/no-wake-word.js";
import type { Config } from "../../src/config/schema.js";
import { EventBus } from "../../src/core/event-bus.js";
import type { HearthEvents } from "../../src/core/events.js";
import { type Logger, silentLogger } from "../../src/core/logger.js";
import { answeringUtterance, type HeardUtterance, hearRecording } from "../../src/pipeline/hear-recording.js";
import { LeadInSource } from "../../src/pipeline/lead-in-source.js";
import { ListeningLoop } from "../../src/pipeline/listening-loop.js";
import { loopOptionsFromConfig, recordingTailMs, type SpeechPath } from "../../src/pipeline/speech-path.js";
import { TextPipeline } from "../../src/pipeline/text-pipeline.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { noise, silence, speak, withNoise } from "../helpers/speech.js";
import {
  DecodedPace,
  EventLog,
  loopHomeYaml,
  openSpeechHome,
  RecordingActuator,
  type SpeechHome,
} from "./loop-helpers.js";

/*
 * `hearth transcribe` / `understand` hear a recording through hearRecording; the daemon hears its
 * microphone through the listening loop. Both with the real engines (Silero VAD, pocketsphinx on the
 * grammar of the home below, the templates): the same audio must give the same answer, whatever was
 * heard before it.
 */

const SITE = "hear-test";
const YAML = loopHomeYaml(SITE, "wake: { engine: none }");

let home: SpeechHome;
let config: Config;
let text: TextPath;
let speech: SpeechPath;
/** audio.denoise: on, as speech-path builds it. */
const denoiser = new RnnoiseDenoiser({ dry: 0.15 });
/** audio.denoise: auto, denoised above a background of -60 dBFS (the noise mixed in below is louder, digital silence quieter). */
const autoDenoiser = new RnnoiseDenoiser({ dry: 0.15, aboveDbfs: -60 });

beforeAll(async () => {
  home = await openSpeechHome(YAML, "hearth-hear-");
  ({ config, text, speech } = home);
  await denoiser.start();
  await autoDenoiser.start();
});

afterAll(async () => {
  await denoiser.stop();
  await autoDenoiser.stop();
  await home?.close();
});

/** What `hearth transcribe` / `understand` do with a recording (the CLI's hearer, on a manual clock). */
function hearFile(
  audio: Int16Array,
  denoising?: Denoiser,
  engine?: SpeechToText,
  log: Logger = silentLogger(),
): Promise<HeardUtterance[]> {
  return hearRecording(
    audio,
    {
      vad: speech.vad as VoiceActivityDetector,
      stt: engine ?? (speech.loopStt as SpeechToText),
      understand: (said, context, signal) => text.understanding.understandAsync(said, context, { signal }),
      progress: (said, context) => text.understanding.progress(said, context),
      clock: new ManualClock(),
      log,
      siteId: SITE,
      denoiser: denoising,
    },
    {
      loop: loopOptionsFromConfig(config, true),
      leadInMs: config.pipeline.recording_lead_in_ms,
      tailMs: recordingTailMs(config),
      chunkMs: config.audio.chunk_ms,
    },
  );
}

/** The live engine, keeping in `pieces` everything speech-to-text is handed, streamed or whole. */
function capturing(pieces: Int16Array[]): SpeechToText {
  const engine = speech.loopStt as SpeechToText;
  return {
    ...engine,
    transcribe: (audio, options) => {
      pieces.push(audio);
      return engine.transcribe(audio, options);
    },
    begin: () => {
      const stream = (engine.begin as () => SttStream)();
      return {
        ...stream,
        write: (piece) => {
          pieces.push(piece);
          stream.write(piece);
        },
        cancel: () => stream.cancel(),
        partial: () => stream.partial?.(),
        end: (options) => stream.end(options),
      };
    },
  };
}

/** Whether the middle of what speech-to-text was handed is `recording`'s own samples (not denoised). */
function isRawOf(pieces: Int16Array[], recording: Int16Array): boolean {
  const audio = concatInt16(pieces);
  const probe = audio.subarray(Math.floor(audio.length / 2), Math.floor(audio.length / 2) + 800);
  for (let at = 0; at + probe.length <= recording.length; at++)
    if (probe.every((sample, i) => recording[at + i] === sample)) return true;
  return false;
}

/** The samples in 32 ms pieces, as a microphone hands them over. */
class Pieces implements AudioSource {
  readonly name = "microphone-like";
  constructor(readonly samples: Int16Array) {}
  async *stream(signal?: AbortSignal): AudioStream {
    for (let offset = 0; offset < this.samples.length; offset += 512) {
      if (signal?.aborted) return;
      yield this.samples.slice(offset, offset + 512);
    }
  }
}

/** What the daemon does with the same audio from a microphone: the live loop, acting for real. */
async function hearLive(
  audio: Int16Array,
  denoising?: Denoiser,
): Promise<{ results: SttResult[]; acted: string[][] }> {
  const results: SttResult[] = [];
  let current: SttStream | undefined;
  const engine = speech.loopStt as SpeechToText;
  const stt: SpeechToText = {
    ...engine,
    transcribe: (audio, options) => engine.transcribe(audio, options),
    begin: () => {
      current = (engine.begin as () => SttStream)();
      return current;
    },
  };
  const bus = new EventBus<HearthEvents>();
  const events = new EventLog(bus);
  const actuator = new RecordingActuator();
  const clock = new ManualClock();
  const loop = new ListeningLoop(
    {
      // The room is quiet for as long as the lead-in before the command, as before a file; each piece
      // comes once the decoder has caught up, as on a machine that keeps up with the microphone.
      source: new DecodedPace(
        new LeadInSource(new Pieces(audio), {
          leadInMs: config.pipeline.recording_lead_in_ms,
          tailMs: recordingTailMs(config),
          chunkMs: 32,
        }),
        () => current,
      ),
      wake: new NoWakeWord(),
      vad: speech.vad as VoiceActivityDetector,
      stt,
      tts: speech.tts as TextToSpeech,
      sink: new NullSink(),
      pipeline: new TextPipeline({
        understanding: text.understanding,
        actuator,
        bus,
        clock,
        siteId: SITE,
        log: silentLogger(),
      }),
      bus,
      clock,
      log: silentLogger(),
      siteId: SITE,
      progress: (said, context) => text.understanding.progress(said, context),
      denoiser: denoising,
      heard: (result) => results.push(result),
    },
    loopOptionsFromConfig(config, false),
  );
  await loop.start();
  await loop.finished;
  await loop.stop();
  void events;
  return { results, acted: actuator.acted.map((i) => [i.name, ...i.targets]) };
}

/** The answer as a user reads it: the transcript (or the rejection), the intents and their targets. */
function answer(heard: HeardUtterance[]): unknown[] {
  return heard.map((h) => ({
    result: h.stt.kind === "transcript" ? h.stt.text : `(${h.stt.reason})`,
    intents:
      h.understanding?.kind === "recognized"
        ? h.understanding.intents.map((i) => [i.name, ...i.targets])
        : [],
  }));
}

describe("a recording is heard as the daemon hears a microphone", () => {
  test("the CLI's answer and the live loop's are the same, clean, in noise, and for other speech", async () => {
    const command = concatInt16([silence(0.4), await speak("turn on the kitchen light"), silence(0.5)]);
    const cases = [
      command,
      await withNoise(command, "pink", 12),
      concatInt16([silence(0.4), await speak("the weather was lovely yesterday"), silence(0.5)]),
    ];
    for (const audio of cases) {
      const file = await hearFile(audio);
      const live = await hearLive(audio);
      expect(file.map((h) => h.stt)).toEqual(live.results.map((r) => ({ ...r, ms: expect.any(Number) })));
      // What the daemon switched is what the CLI says it would.
      expect(live.acted).toEqual(
        file.flatMap((h) =>
          h.stt.kind === "transcript" && h.understanding?.kind === "recognized"
            ? h.understanding.intents.map((i) => [i.name, ...i.targets])
            : [],
        ),
      );
    }
    // The clean command is understood, the other speech switches nothing.
    expect(answer(await hearFile(command))).toEqual([
      { result: "turn on the kitchen light", intents: [["HassTurnOn", "light.kitchen_light"]] },
    ]);
  }, 300_000);

  test("with audio.denoise on, the CLI's answer and the live loop's are the same, clean and in noise", async () => {
    const command = concatInt16([silence(0.4), await speak("turn on the kitchen light"), silence(0.5)]);
    for (const audio of [
      command,
      await withNoise(command, "room", 12),
      await withNoise(command, "pink", 12),
    ]) {
      const file = await hearFile(audio, denoiser);
      const live = await hearLive(audio, denoiser);
      expect(file.map((h) => h.stt)).toEqual(live.results.map((r) => ({ ...r, ms: expect.any(Number) })));
      expect(live.acted).toEqual(
        file.flatMap((h) =>
          h.stt.kind === "transcript" && h.understanding?.kind === "recognized"
            ? h.understanding.intents.map((i) => [i.name, ...i.targets])
            : [],
        ),
      );
    }
    // The clean command is understood through the denoiser.
    expect(answer(await hearFile(command, denoiser))).toEqual([
      { result: "turn on the kitchen light", intents: [["HassTurnOn", "light.kitchen_light"]] },
    ]);
  }, 300_000);

  test("with audio.denoise auto, a quiet room is heard as it is and a noisy one denoised, the CLI and the live loop alike", async () => {
    const command = concatInt16([silence(0.4), await speak("turn on the kitchen light"), silence(0.5)]);
    const noisy = await withNoise(command, "pink", 12);
    for (const audio of [command, noisy]) {
      const file = await hearFile(audio, autoDenoiser);
      const live = await hearLive(audio, autoDenoiser);
      expect(file.map((h) => h.stt)).toEqual(live.results.map((r) => ({ ...r, ms: expect.any(Number) })));
    }
    // In digital silence the utterance is heard raw, exactly as without the denoiser …
    const stt = (heard: HeardUtterance[]) => heard.map((h) => ({ ...h.stt, ms: 0 }));
    expect(stt(await hearFile(command, autoDenoiser))).toEqual(stt(await hearFile(command)));
    // … and in noise above the threshold denoised, exactly as with audio.denoise on.
    const denoisedNoisy = stt(await hearFile(noisy, denoiser));
    expect(stt(await hearFile(noisy, autoDenoiser))).toEqual(denoisedNoisy);
    expect(denoisedNoisy).not.toEqual(stt(await hearFile(noisy)));
    expect(answer(await hearFile(command, autoDenoiser))).toEqual([
      { result: "turn on the kitchen light", intents: [["HassTurnOn", "light.kitchen_light"]] },
    ]);
  }, 300_000);

  test("with audio.denoise auto, a quiet room never loads RNNoise, and a command said while it loads in a loud one is heard raw and acted on", async () => {
    const command = concatInt16([silence(0.4), await speak("turn on the kitchen light"), silence(0.5)]);
    // Not started: the listening loop loads it when the room becomes loud, as the daemon does.
    const onDemand = new RnnoiseDenoiser({ dry: 0.15, aboveDbfs: -60 });
    const quiet = await hearLive(command, onDemand);
    expect(onDemand.loaded).toBe(false);
    expect(quiet.acted).toEqual([["HassTurnOn", "light.kitchen_light"]]);
    // The room is loud from the first sample, and loading RNNoise takes longer than the command:
    // the command is heard as the microphone gave it, exactly as without the denoiser, and acted on.
    const noisy = await withNoise(command, "pink", 24);
    let loads = 0;
    const slow: Denoiser = {
      name: onDemand.name,
      aboveDbfs: onDemand.aboveDbfs,
      belowSnrDb: onDemand.belowSnrDb,
      loaded: false,
      start: () => {
        loads++;
        return new Promise<void>(() => {});
      },
      stop: async () => {},
      check: () => onDemand.check(),
      begin: () => onDemand.begin(),
    };
    const whileLoading = await hearLive(noisy, slow);
    expect(loads).toBe(1);
    const raw = await hearLive(noisy);
    expect(whileLoading.results.map((r) => ({ ...r, ms: 0 }))).toEqual(
      raw.results.map((r) => ({ ...r, ms: 0 })),
    );
    expect(whileLoading.acted).toEqual(raw.acted);
    expect(whileLoading.acted).toContainEqual(["HassTurnOn", "light.kitchen_light"]);
    // Loaded in time (the same noise, RNNoise loading as fast as it can): the command is heard denoised.
    const pieces: Int16Array[] = [];
    await hearFile(noisy, onDemand, capturing(pieces));
    expect(onDemand.loaded).toBe(true);
    expect(isRawOf(pieces, noisy)).toBe(false);
    await onDemand.stop();
  }, 300_000);

  test("with audio.denoise auto in a noisy room, a voice far above the noise is heard as the microphone gave it, one near it denoised", async () => {
    const command = concatInt16([silence(0.4), await speak("turn on the kitchen light"), silence(0.5)]);
    const noisy = await withNoise(command, "pink", 12);
    /** Everything speech-to-text was handed, streamed or whole. */
    const handed = async (belowSnrDb: number): Promise<Int16Array[]> => {
      const pieces: Int16Array[] = [];
      const auto = new RnnoiseDenoiser({ dry: 0.15, aboveDbfs: -60, belowSnrDb });
      await auto.start();
      try {
        await hearFile(noisy, auto, capturing(pieces));
      } finally {
        await auto.stop();
      }
      return pieces;
    };
    const raw = (pieces: Int16Array[]) => isRawOf(pieces, noisy);
    // No voice stands 100 dB above the noise (denoised, as with audio.denoise on); any stands -100 dB above it (raw).
    expect(raw(await handed(100))).toBe(false);
    expect(raw(await handed(-100))).toBe(true);
  }, 300_000);

  test("with audio.denoise auto and its both ways, an utterance is decoded denoised and raw, the better fit kept, the CLI and the live loop alike", async () => {
    const command = concatInt16([silence(0.4), await speak("turn on the kitchen light"), silence(0.5)]);
    const noisy = await withNoise(command, "pink", 12);
    const lines: Array<{ msg: string }> = [];
    const log = pino({ level: "debug" }, { write: (line: string) => lines.push(JSON.parse(line)) });
    /** What speech-to-text was handed whole (the second way is decoded whole). */
    const whole: Int16Array[] = [];
    const engine = speech.loopStt as SpeechToText;
    const watched: SpeechToText = {
      ...engine,
      transcribe: (audio, options) => {
        whole.push(audio);
        return engine.transcribe(audio, options);
      },
    };
    const auto = new RnnoiseDenoiser({ dry: 0.15, aboveDbfs: -60, belowSnrDb: 26, bothWays: true });
    await auto.start();
    try {
      const heard = await hearFile(noisy, auto, watched, log);
      const both = lines.filter(({ msg }) => msg === "utterance decoded both ways");
      expect(both).toHaveLength(heard.length);
      // The other way is the recording as the microphone gave it when the words were heard
      // denoised (pink noise 12 dB under the voice: its first words stand less than 26 dB above it).
      expect(lines.find(({ msg }) => msg.startsWith("utterance heard"))?.msg).toBe(
        "utterance heard denoised",
      );
      expect(isRawOf([whole.at(-1) as Int16Array], noisy)).toBe(true);
      // The kitchen light is switched on, and the daemon hears the same from a microphone.
      expect(answer(heard)[0]).toMatchObject({
        intents: expect.arrayContaining([["HassTurnOn", "light.kitchen_light"]]),
      });
      const live = await hearLive(noisy, auto);
      expect(heard.map((h) => h.stt)).toEqual(live.results.map((r) => ({ ...r, ms: expect.any(Number) })));
    } finally {
      await auto.stop();
    }
  }, 300_000);

  test("with audio.denoise auto in a room under audio.denoise_above_dbfs but above audio.denoise_long_above_dbfs, a short utterance is decoded once as the microphone gave it and a long one switches to the denoised audio from its start, the CLI and the live loop alike", async () => {
    // A voice far above a steady room at -55 dBFS: quieter than audio.denoise_above_dbfs (-47), so
    // the levels alone hear it raw, but louder than audio.denoise_long_above_dbfs (-60).
    const command = concatInt16([silence(0.4), await speak("turn on the kitchen light"), silence(0.5)]);
    const bed = await noise("pink", command.length / 16_000, -55);
    const audio = Int16Array.from(command, (sample, i) =>
      Math.max(-32768, Math.min(32767, sample + (bed[i] ?? 0))),
    );
    /** Each stream speech-to-text was handed as the utterance was spoken, and what it was handed whole. */
    const heardWith = async (options: {
      aboveDbfs?: number;
      belowSnrDb?: number;
      longAboveDbfs?: number;
      shortMs?: number;
    }) => {
      const lines: Array<{ msg: string }> = [];
      const log = pino({ level: "debug" }, { write: (line: string) => lines.push(JSON.parse(line)) });
      const streams: Int16Array[][] = [];
      const whole: Int16Array[] = [];
      const engine = speech.loopStt as SpeechToText;
      const auto = new RnnoiseDenoiser({ dry: 0.15, aboveDbfs: -47, belowSnrDb: 26, ...options });
      await auto.start();
      try {
        const heard = await hearFile(
          audio,
          auto,
          {
            ...engine,
            transcribe: (piece, transcribeOptions) => {
              whole.push(piece);
              return engine.transcribe(piece, transcribeOptions);
            },
            begin: () => {
              const pieces: Int16Array[] = [];
              streams.push(pieces);
              return capturing(pieces).begin?.() as SttStream;
            },
          },
          log,
        );
        const live = await hearLive(audio, auto);
        // The daemon hears the same from a microphone.
        expect(heard.map((h) => h.stt)).toEqual(live.results.map((r) => ({ ...r, ms: expect.any(Number) })));
        return { heard, streams, whole, msgs: lines.map(({ msg }) => msg) };
      } finally {
        await auto.stop();
      }
    };
    // Without the lower level: heard raw as it is spoken, as before.
    const levels = await heardWith({});
    expect(isRawOf(levels.streams.flat(), audio)).toBe(true);
    expect(levels.msgs).toContain("utterance heard as the microphone gave it: a quiet room");
    // Within audio.denoise_short_ms: one streamed decode of the microphone's audio, nothing decoded
    // again once it ends, and the same answer as the levels alone.
    const short = await heardWith({ longAboveDbfs: -60, shortMs: 10_000 });
    expect(short.msgs).toContain("utterance heard as the microphone gave it until it is long");
    expect(short.msgs).not.toContain("long utterance switched to the denoised audio");
    expect(short.streams).toHaveLength(1);
    expect(isRawOf(short.streams.flat(), audio)).toBe(true);
    expect(short.whole).toEqual([]);
    expect(answer(short.heard)).toEqual(answer(levels.heard));
    // Longer than audio.denoise_short_ms: begun raw, then a second stream decodes the denoised audio
    // from the utterance's pre-roll on, and its answer is taken, with no whole decode after the end.
    const long = await heardWith({ longAboveDbfs: -60, shortMs: 600 });
    expect(long.msgs).toContain("long utterance switched to the denoised audio");
    expect(long.streams).toHaveLength(2);
    expect(isRawOf(long.streams[1] as Int16Array[], audio)).toBe(false);
    expect(long.whole).toEqual([]);
    // The same answer as an utterance handed over denoised from its start (the levels' own way, in
    // a room taken as loud from -60 dBFS: RNNoise loads and warms up at the same moment).
    const denoisedAll = await heardWith({ aboveDbfs: -60, belowSnrDb: 100 });
    expect(denoisedAll.msgs).toContain("utterance heard denoised");
    expect(denoisedAll.streams).toHaveLength(1);
    expect(answer(long.heard)).toEqual(answer(denoisedAll.heard));
    expect(concatInt16(long.streams[1] as Int16Array[]).subarray(0, 16_000)).toEqual(
      concatInt16(denoisedAll.streams[0] as Int16Array[]).subarray(0, 16_000),
    );
    for (const { heard } of [long, short])
      expect(answer(heard)[0]).toMatchObject({
        intents: expect.arrayContaining([["HassTurnOn", "light.kitchen_light"]]),
      });
  }, 300_000);

  test("with audio.denoise auto, a command that starts just as the room became loud is heard denoised, and says so", async () => {
    // A murmur (loud enough for RNNoise to be loaded and warm, under the threshold), then louder
    // noise from 1.1 s before the words: the background (the 20th percentile of the last 1.5 s)
    // passes the threshold a moment before they start, inside the VAD's pre-roll.
    const command = await speak("turn on the kitchen light");
    const murmur = await noise("pink", 3, -62, 2);
    const bed = await noise("pink", 1.1 + command.length / 16_000 + 0.6, -45);
    const words = concatInt16([silence(1.1), command, silence(0.6)]);
    const mixed = Int16Array.from(words, (sample, i) =>
      Math.max(-32768, Math.min(32767, sample + (bed[i] ?? 0))),
    );
    const audio = concatInt16([murmur, mixed]);
    const lines: Array<{ msg: string }> = [];
    const log = pino({ level: "debug" }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const pieces: Int16Array[] = [];
    const auto = new RnnoiseDenoiser({ dry: 0.15, aboveDbfs: -60, belowSnrDb: 100 });
    await auto.start();
    try {
      const heard = await hearFile(audio, auto, capturing(pieces), log);
      const decisions = lines.filter(({ msg }) => msg.startsWith("utterance heard"));
      // One line per utterance saying which audio it was heard in, and this one was denoised.
      expect(decisions).toHaveLength(heard.length);
      expect(decisions.at(-1)?.msg).toBe("utterance heard denoised");
      expect(isRawOf(pieces, audio)).toBe(false);
    } finally {
      await auto.stop();
    }
  }, 300_000);

  test("out of the box, a command said over loud noise is heard denoised and the same command in a quiet room as the microphone gave it", async () => {
    // The configuration as a user leaves it: no audio.denoise key, so its default.
    const standard = createDenoiser(config.audio);
    expect(standard).toBeDefined();
    await standard?.start();
    try {
      const command = concatInt16([silence(0.4), await speak("turn on the kitchen light"), silence(0.5)]);
      for (const [audio, heardRaw] of [
        [command, true],
        [await withNoise(command, "pink", 6), false],
      ] as const) {
        const pieces: Int16Array[] = [];
        await hearFile(audio, standard, capturing(pieces));
        expect(isRawOf(pieces, audio)).toBe(heardRaw);
      }
      // The quiet room's command is understood, as without the denoiser.
      expect(answer(await hearFile(command, standard))).toEqual([
        { result: "turn on the kitchen light", intents: [["HassTurnOn", "light.kitchen_light"]] },
      ]);
    } finally {
      await standard?.stop();
    }
  }, 300_000);

  test("the answer is the command the daemon acts on, not a rejected sound before it", async () => {
    // Something said before the command that fits no sentence: the daemon (no wake word) drops it
    // quietly and acts on the command that follows, and the CLI answers with that command.
    const audio = concatInt16([
      silence(0.4),
      await speak("the weather was lovely yesterday"),
      silence(1.2),
      await speak("turn on the kitchen light"),
      silence(0.5),
    ]);
    const heard = await hearFile(audio);
    expect(heard.map((h) => h.stt.kind)).toEqual(["rejected", "transcript"]);
    const chosen = answeringUtterance(heard);
    expect(chosen && answer([chosen])).toEqual([
      { result: "turn on the kitchen light", intents: [["HassTurnOn", "light.kitchen_light"]] },
    ]);
    expect((await hearLive(audio)).acted).toEqual([["HassTurnOn", "light.kitchen_light"]]);
    // With nothing accepted, the first utterance is the answer (and says why it was rejected).
    expect(answeringUtterance(heard.slice(0, 1))).toBe(heard[0]);
  }, 300_000);

  test("says where each utterance lies in the recording and how long the endpointing waited after it", async () => {
    const before = await speak("the weather was lovely yesterday");
    const command = await speak("turn on the kitchen light");
    const audio = concatInt16([silence(0.4), before, silence(1.2), command, silence(0.5)]);
    const heard = await hearFile(audio);
    expect(heard.map((h) => h.stt.kind)).toEqual(["rejected", "transcript"]);
    const [first, second] = heard.map((h) => h.seconds);
    // The voice starts at 0.4 s (the synthesiser's own lead-in silence aside) and again 1.2 s after it ends.
    const secondFrom = 0.4 + before.length / 16_000 + 1.2;
    expect(first?.start).toBeGreaterThanOrEqual(0.35);
    expect(first?.start).toBeLessThan(0.8);
    expect(first?.end).toBeLessThanOrEqual(secondFrom);
    expect(second?.start).toBeGreaterThan(first?.ended ?? Number.POSITIVE_INFINITY);
    expect(second?.start).toBeGreaterThanOrEqual(secondFrom - 0.05);
    expect(second?.end).toBeLessThanOrEqual(secondFrom + command.length / 16_000 + 0.05);
    // A sound fitting no sentence ends after the ordinary silence, a whole command after the shorter one.
    const waited = (t: typeof first) => (t ? t.ended - t.end : 0);
    expect(waited(first)).toBeGreaterThanOrEqual(config.vad.silence_ms / 1000 - 0.04);
    expect(waited(second)).toBeGreaterThanOrEqual(config.vad.command_silence_ms / 1000 - 0.04);
    expect(waited(second)).toBeLessThan(waited(first));
  }, 300_000);

  test("noise that starts with the recording is the room's sound, not an utterance", async () => {
    // A rumble whose onset the VAD takes for speech when it follows digital silence; a microphone in
    // that room has heard it all along, and so has the recording's lead-in.
    for (const level of [-40, -30, -20]) {
      expect(answer(await hearFile(await noise("room", 3, level)))).toEqual([]);
    }
    // A command in that room, the noise starting with the file, is still heard and understood.
    const command = concatInt16([silence(0.6), await speak("turn on the kitchen light"), silence(0.5)]);
    const heard = await hearFile(await withNoise(command, "room", 18));
    expect(heard).toHaveLength(1);
    expect(answer(heard)[0]).toMatchObject({ intents: [["HassTurnOn", "light.kitchen_light"]] });
  }, 300_000);

  test("the answer does not depend on what the engine heard before", async () => {
    const command = concatInt16([silence(0.4), await speak("turn off the ceiling fan"), silence(0.5)]);
    const fresh = await hearFile(command);
    // Loud noisy speech in between moves pocketsphinx's running cepstral mean and noise estimate.
    const loud = await withNoise(
      Int16Array.from(await speak("set the reading lamp to fifty percent"), (s) => s * 3),
      "brown",
      6,
    );
    await hearFile(loud);
    await hearLive(loud);
    const after = await hearFile(command);
    expect(after.map((h) => h.stt)).toEqual(fresh.map((h) => ({ ...h.stt, ms: expect.any(Number) })));
    expect(answer(fresh)).toEqual([
      { result: "turn off the ceiling fan", intents: [["HassTurnOff", "fan.ceiling_fan"]] },
    ]);
  }, 300_000);
});
