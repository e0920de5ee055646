import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { TextPath } from "../../src/app.js";
import { concatInt16 } from "../../src/audio/pcm.js";
import { WavFileSink } from "../../src/audio/sinks/wav-file-sink.js";
import { WavFileSource } from "../../src/audio/sources/wav-file-source.js";
import type { SpeechToText, SttResult, SttStream } from "../../src/audio/stt/speech-to-text.js";
import type { TextToSpeech } from "../../src/audio/tts/text-to-speech.js";
import type { AudioSink, AudioSource } from "../../src/audio/types.js";
import type { VoiceActivityDetector } from "../../src/audio/vad/voice-activity-detector.js";
import { NoWakeWord } from "../../src/audio/wake/no-wake-word.js";
import { PushToTalkWake } from "../../src/audio/wake/push-to-talk-wake.js";
import type { WakeWordDetector } from "../../src/audio/wake/wake-word-detector.js";
import { readWavFile, writeWavFile } from "../../src/audio/wav.js";
import type { Config } from "../../src/config/schema.js";
import { type Clock, systemClock } from "../../src/core/clock.js";
import { EventBus } from "../../src/core/event-bus.js";
import type { HearthEvents } from "../../src/core/events.js";
import { type Logger, silentLogger } from "../../src/core/logger.js";
import type { SentenceProgress } from "../../src/intents/template-recognizer.js";
import { LeadInSource } from "../../src/pipeline/lead-in-source.js";
import {
  betterFit,
  ListeningLoop,
  type ListeningLoopOptions,
  NOT_UNDERSTOOD_REPLY,
  REPLY_WAITS_FOR_ACTING_MS,
} from "../../src/pipeline/listening-loop.js";
import { loopOptionsFromConfig, type SpeechPath } from "../../src/pipeline/speech-path.js";
import { type Actuator, TextPipeline } from "../../src/pipeline/text-pipeline.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { noise, silence, speak, type Voice } from "../helpers/speech.js";
import {
  captureLogger,
  DecodedPace,
  EventLog,
  HoldingSink,
  LiveAudio,
  loopHomeYaml,
  openSpeechHome,
  RecordingActuator,
  type SpeechHome,
} from "./loop-helpers.js";

/*
 * The listening loop with the real engines: openWakeWord (hey_jarvis), Silero VAD, pocketsphinx with
 * the grammar generated from the templates and the home below, flite for the replies, and the real
 * text path. Speech is synthesised by flite (cached between runs). Only the speaker is stood in for
 * where a reply must still be playing (HoldingSink), and commands are recorded rather than published
 * (the MQTT path is the end-to-end tests' job).
 */

const SITE = "loop-test";
const YAML = loopHomeYaml(
  SITE,
  `vad: { start_timeout_ms: 2000, unfinished_silence_ms: 1500 }
tts: { engine: flite }
intents:
  lists:
    drink: { values: [latte, tea] }
    size: { values: [small, large] }
    milk: { values: [oat milk, whole milk] }
  custom:
    OrderDrink:
      sentences: ["[can i get] a [{size}] {drink} [with {milk}]"]
      reply: "One {drink} coming up"`,
);
const wakeVoice: Voice = { engine: "flite", name: "kal16" };
const commandVoice: Voice = { engine: "flite", name: "slt" };

let home: SpeechHome;
let dir: string;
let config: Config;
let text: TextPath;
let speech: SpeechPath;
let files = 0;

beforeAll(async () => {
  home = await openSpeechHome(YAML, "hearth-loop-");
  ({ dir, config, text, speech } = home);
});

afterAll(() => home?.close());

/** "hey jarvis" (unless `wake` is false), a pause, then the command, then a second of silence. */
async function spoken(command: string | undefined, wake = true): Promise<Int16Array> {
  const parts = [silence(0.5)];
  if (wake) parts.push(await speak("hey jarvis", { voice: wakeVoice }), silence(0.3));
  if (command !== undefined) parts.push(await speak(command, { voice: commandVoice }));
  parts.push(silence(1));
  return concatInt16(parts);
}

/** A recording as the loop reads it: a WAV file with the lead-in a live stream would have. */
async function recording(samples: Int16Array): Promise<AudioSource> {
  const path = join(dir, `input-${++files}.wav`);
  await writeWavFile(path, { sampleRate: 16000, samples });
  return new LeadInSource(new WavFileSource(path), { leadInMs: 2000, tailMs: 1500 });
}

/** The engine, with its calls noted in `calls`; without `streaming` it hides its `begin`. */
function sttSpy(
  inner: SpeechToText,
  calls: string[],
  streaming: boolean,
): SpeechToText & { current?: SttStream | undefined } {
  const spy: SpeechToText & { current?: SttStream | undefined } = {
    name: inner.name,
    start: () => inner.start(),
    stop: () => inner.stop(),
    setGrammar: (grammar) => inner.setGrammar(grammar),
    transcribe: (audio, options) => {
      calls.push("transcribe");
      return inner.transcribe(audio, options);
    },
  };
  const begin = inner.begin?.bind(inner);
  if (streaming && begin) {
    spy.begin = () => {
      calls.push("begin");
      const stream = begin();
      spy.current = stream;
      return {
        write: (audio) => {
          calls.push("write");
          stream.write(audio);
        },
        end: (options) => {
          calls.push("end");
          return stream.end(options);
        },
        cancel: () => {
          calls.push("cancel");
          stream.cancel();
        },
        partial: () => stream.partial?.(),
        ...(stream.drained ? { drained: () => stream.drained?.() ?? Promise.resolve() } : {}),
      };
    };
  }
  return spy;
}

interface LoopSetup {
  source: AudioSource;
  stt?: SpeechToText;
  progress?: (text: string) => SentenceProgress;
  sink?: AudioSink;
  wake?: WakeWordDetector;
  tts?: TextToSpeech;
  actuator?: Actuator;
  recording?: boolean;
  options?: Partial<ListeningLoopOptions>;
  log?: Logger;
  /** Default: a ManualClock of its own, so a deadline fires only when a test moves time past it. */
  clock?: Clock;
}

function loopWith(setup: LoopSetup) {
  const bus = new EventBus<HearthEvents>();
  const events = new EventLog(bus);
  const sink = setup.sink ?? new WavFileSink(join(dir, `reply-${++files}-{n}.wav`));
  const pipeline = new TextPipeline({
    understanding: text.understanding,
    actuator: setup.actuator,
    bus,
    clock: systemClock,
    siteId: SITE,
    log: silentLogger(),
  });
  const loop = new ListeningLoop(
    {
      source: setup.source,
      wake: setup.wake ?? (speech.wake as WakeWordDetector),
      vad: speech.vad as VoiceActivityDetector,
      stt: setup.stt ?? (speech.stt as SpeechToText),
      tts: setup.tts ?? (speech.tts as TextToSpeech),
      sink,
      pipeline,
      bus,
      clock: setup.clock ?? new ManualClock(),
      log: setup.log ?? silentLogger(),
      siteId: SITE,
      progress: setup.progress,
    },
    { ...loopOptionsFromConfig(config, setup.recording ?? true), ...setup.options },
  );
  return { loop, events, sink, bus };
}

/**
 * The loop's one run (there must be exactly one): its `pipeline.ended` event and the names of its
 * events, in order.
 */
function onlyRun(events: EventLog) {
  const [ended, ...more] = events.named("pipeline.ended");
  expect(more).toEqual([]);
  const runId = ended?.runId;
  const names = events.events
    .filter((e) => "runId" in e.payload && e.payload.runId === runId)
    .map((e) => e.name);
  return { ended, names };
}

describe("an utterance decoded both ways (audio.denoise_both_ways)", () => {
  const heard = (text: string, confidence: number): SttResult => ({
    kind: "transcript",
    text,
    confidence,
    words: [],
    ms: 1,
  });
  const rejected = (confidence: number): SttResult => ({
    kind: "rejected",
    reason: "low-confidence",
    text: "turn on the bedroom light",
    confidence,
    ms: 1,
  });

  test("keeps the transcript whose words fit better, either way round", () => {
    const denoised = heard("a large latte", -9.5);
    const raw = heard("a large mocha", -16.2);
    expect(betterFit(denoised, raw)).toBe(denoised);
    expect(betterFit(raw, denoised)).toBe(denoised);
  });

  test("keeps the chosen way's result, a rejection included, when either way was rejected", () => {
    const accepted = heard("turn off the hall light", -13.1);
    expect(betterFit(accepted, rejected(-2))).toBe(accepted);
    // Words accepted only the other way, even the words the chosen way heard: the rejection stands.
    const first = rejected(-19);
    expect(betterFit(first, accepted)).toBe(first);
    expect(betterFit(first, heard("turn on the bedroom light", -12.5))).toBe(first);
    expect(betterFit(first, rejected(-18))).toBe(first);
  });
});

describe("the listening loop on a recording", () => {
  test("hears 'hey jarvis, turn on the kitchen light', acts, and writes the spoken reply", async () => {
    const actuator = new RecordingActuator();
    const sink = new WavFileSink(join(dir, "kitchen-{n}.wav"));
    const { loop, events } = loopWith({
      source: await recording(await spoken("turn on the kitchen light")),
      sink,
      actuator,
    });
    await loop.start();
    expect(await loop.finished).toEqual({ reason: "ended" });

    expect(actuator.acted.map((i) => [i.name, i.targets])).toEqual([["HassTurnOn", ["light.kitchen_light"]]]);
    const { ended, names } = onlyRun(events);
    expect(ended?.reason).toBe("done");
    expect(names).toEqual([
      "wake.detected",
      "speech.started",
      "speech.stopped",
      "stt.transcript",
      "intent.recognized",
      "action.published",
      "tts.played",
      "pipeline.ended",
    ]);
    expect(events.named("wake.detected")[0]?.word).toBe("hey_jarvis");
    expect(events.named("stt.transcript")[0]?.text).toBe("turn on the kitchen light");
    expect(events.states()).toEqual(["idle", "listening", "thinking", "speaking", "idle"]);
    expect(Object.keys(ended?.timings ?? {})).toEqual(
      expect.arrayContaining(["listen", "stt", "intent", "act", "tts", "speak", "total"]),
    );
    // The reply was synthesised and written: a second or so of speech.
    expect(sink.written).toHaveLength(1);
    const reply = await readWavFile(sink.written[0] as string);
    expect(reply.length).toBeGreaterThan(8000);
    expect(events.named("tts.played")[0]?.text).toMatch(/kitchen light/i);
  });

  test("transcribes the command while it is spoken, so only its end is left when the speaker stops", async () => {
    for (const streaming of [true, false]) {
      const calls: string[] = [];
      const stt = sttSpy(speech.stt as SpeechToText, calls, streaming);
      const actuator = new RecordingActuator();
      const { loop, bus } = loopWith({
        source: await recording(await spoken("turn on the kitchen light")),
        actuator,
        stt,
      });
      bus.on("speech.stopped", () => calls.push("speech.stopped"));
      await loop.start();
      await loop.finished;
      expect(actuator.acted.map((i) => [i.name, i.targets])).toEqual([
        ["HassTurnOn", ["light.kitchen_light"]],
      ]);
      const stopped = calls.indexOf("speech.stopped");
      if (streaming) {
        // Begun at the start of speech, fed frame by frame while it went on, ended when it stopped.
        expect(calls[0]).toBe("begin");
        expect(calls.slice(1, stopped).filter((call) => call === "write").length).toBeGreaterThan(20);
        expect(calls.slice(stopped + 1)).toEqual(["end"]);
      } else {
        // An engine that cannot decode in pieces is given the whole utterance when it ends.
        expect(calls).toEqual(["speech.stopped", "transcribe"]);
      }
    }
  });

  test("ends the utterance after a shorter pause once what was heard is a whole command", async () => {
    const writes: number[] = [];
    for (const judge of [false, true]) {
      const calls: string[] = [];
      const actuator = new RecordingActuator();
      const stt = sttSpy(speech.stt as SpeechToText, calls, true);
      const { loop } = loopWith({
        // Each chunk only once the one before is decoded, as partial transcripts keep up with a
        // microphone, however fast or slow this machine decodes.
        source: new DecodedPace(
          await recording(await spoken("turn on the kitchen light")),
          () => stt.current,
        ),
        actuator,
        stt,
        ...(judge ? { progress: (said: string) => text.understanding.progress(said) } : {}),
      });
      await loop.start();
      await loop.finished;
      expect(actuator.acted.map((i) => [i.name, i.targets])).toEqual([
        ["HassTurnOn", ["light.kitchen_light"]],
      ]);
      writes.push(calls.filter((call) => call === "write").length);
    }
    // vad.silence_ms 700 against command_silence_ms 300: about 12 frames of 32 ms fewer.
    const [waited, judged] = writes as [number, number];
    expect(waited - judged).toBeGreaterThanOrEqual(8);
  });

  test("does not end the utterance at a pause after a bare device name that a longer command begins with", async () => {
    // "kitchen light" alone is a command (it switches the light on), and also the start of "kitchen
    // light off". A moment's thought between them is longer than the pause that ends a
    // finished command (command_silence_ms 300) and shorter than the ordinary one (silence_ms 700).
    const audio = await spoken("kitchen light");
    // spoken() ends with a second of silence; keep 0.2 s of it (flite's own trailing quiet adds a little).
    const cut = audio.subarray(0, audio.length - 12800);
    const said = concatInt16([cut, await speak("off", { voice: commandVoice }), silence(1)]);
    const acted: Array<Array<string | string[]>> = [];
    for (const judge of [
      // What the loop was given before: any sentence the templates understand counts as finished.
      (heard: string): SentenceProgress =>
        text.understanding.understand(heard).understanding.kind === "recognized" ? "complete" : "other",
      (heard: string) => text.understanding.progress(heard),
    ]) {
      const actuator = new RecordingActuator();
      const stt = sttSpy(speech.stt as SpeechToText, [], true);
      const { loop } = loopWith({
        source: new DecodedPace(await recording(said), () => stt.current),
        actuator,
        stt,
        progress: judge,
      });
      await loop.start();
      await loop.finished;
      acted.push(actuator.acted.flatMap((i) => [i.name, i.targets]));
    }
    expect(acted).toEqual([
      ["HassTurnOn", ["light.kitchen_light"]],
      ["HassTurnOff", ["light.kitchen_light"]],
    ]);
  });

  test("keeps a pause in the middle of an order that can still go on in the utterance ('a large latte … with oat milk')", async () => {
    // "a large latte" is a whole order, and also the start of "… with oat milk". The pause is
    // longer than vad.silence_ms (700) and shorter than vad.unfinished_silence_ms (1500 here).
    const said = concatInt16([
      silence(0.5),
      await speak("hey jarvis", { voice: wakeVoice }),
      silence(0.3),
      await speak("a large latte", { voice: commandVoice }),
      silence(0.8),
      await speak("with oat milk", { voice: commandVoice }),
      silence(1),
    ]);
    const heard: Array<Array<Record<string, unknown>>> = [];
    for (const judge of [
      // Before: an order the templates understand counted as finished, though it could go on.
      (words: string): SentenceProgress =>
        text.understanding.understand(words).understanding.kind === "recognized" ? "complete" : "other",
      (words: string) => text.understanding.progress(words),
    ]) {
      const stt = sttSpy(speech.stt as SpeechToText, [], true);
      const { loop, events } = loopWith({
        source: new DecodedPace(await recording(said), () => stt.current),
        stt,
        progress: judge,
      });
      await loop.start();
      await loop.finished;
      heard.push(events.named("intent.recognized").flatMap((e) => e.intents.map((i) => ({ ...i.slots }))));
    }
    // Cut at the pause, the order lost its milk (and "with oat milk" alone is no order); waited for, it has it.
    expect(heard[0]).toEqual([{ size: "large", drink: "latte" }]);
    expect(heard[1]).toEqual([{ size: "large", drink: "latte", milk: "oat milk" }]);
  });

  test("synthesises the reply while a slow command is being carried out, not after", async () => {
    const actuator = new RecordingActuator();
    const tts = speech.tts as TextToSpeech;
    const synthesised: Array<{ text: string; actedBefore: number }> = [];
    let synthesisStarted: () => void = () => {};
    const started = new Promise<void>((resolve) => {
      synthesisStarted = resolve;
    });
    const watched: TextToSpeech = {
      name: tts.name,
      synthesize(reply, options) {
        synthesised.push({ text: reply, actedBefore: actuator.acted.length });
        synthesisStarted();
        return tts.synthesize(reply, options);
      },
    };
    // Acting waits until the reply's synthesis has begun: were it synthesised afterwards, this would
    // wait forever and the run would end by its deadline instead. The synthesiser is started once
    // acting has taken REPLY_WAITS_FOR_ACTING_MS (sooner, acting has ended), so this acting moves
    // the clock that far.
    const clock = new ManualClock();
    actuator.gate = () => {
      expect(synthesised).toEqual([]);
      clock.advance(REPLY_WAITS_FOR_ACTING_MS);
      return started;
    };
    const { loop, events } = loopWith({
      source: await recording(await spoken("turn on the kitchen light")),
      tts: watched,
      actuator,
      clock,
      options: { intentTimeoutMs: 15_000 },
    });
    await loop.start();
    await loop.finished;
    expect(events.named("pipeline.ended").map((e) => e.reason)).toEqual(["done"]);
    expect(synthesised).toHaveLength(1);
    expect(synthesised[0]?.actedBefore).toBe(0);
    expect(actuator.acted).toHaveLength(1);
  });

  test("starts synthesising the reply once a quick command is acted on, so spawning the synthesiser cannot hold up the command", async () => {
    const actuator = new RecordingActuator();
    const tts = speech.tts as TextToSpeech;
    const actedBefore: number[] = [];
    const watched: TextToSpeech = {
      name: tts.name,
      synthesize(reply, options) {
        actedBefore.push(actuator.acted.length);
        return tts.synthesize(reply, options);
      },
    };
    // Acting takes a few turns of the event loop, as a broker's acknowledgement does. The injected
    // clock never moves: only the end of acting can start the synthesis.
    actuator.gate = () => new Promise((resolve) => setTimeout(resolve, 20));
    const { loop, events } = loopWith({
      source: await recording(await spoken("turn on the kitchen light")),
      tts: watched,
      actuator,
      clock: new ManualClock(),
    });
    await loop.start();
    await loop.finished;
    expect(events.named("pipeline.ended").map((e) => e.reason)).toEqual(["done"]);
    expect(actedBefore).toEqual([1]);
    expect(events.named("tts.played").map((e) => e.text)).toHaveLength(1);
  });

  test("speaks the failure instead of the prepared reply when the command fails", async () => {
    const actuator = new RecordingActuator();
    actuator.failure = "I can't reach the home controller";
    const { loop, events } = loopWith({
      source: await recording(await spoken("turn on the kitchen light")),
      actuator,
    });
    await loop.start();
    await loop.finished;
    expect(events.named("pipeline.ended").map((e) => e.reason)).toEqual(["action-failed"]);
    expect(events.named("tts.played").map((e) => e.text)).toEqual([
      "Sorry, I can't reach the home controller.",
    ]);
  });

  test("switches nothing for noise, commands without the wake word, or other speech after it", async () => {
    const actuator = new RecordingActuator();
    const audio = concatInt16([
      await noise("pink", 3, -30),
      silence(1),
      await spoken("turn on the kitchen light", false),
      await spoken("what is the capital of france"),
    ]);
    const { loop, events } = loopWith({ source: await recording(audio), actuator });
    await loop.start();
    await loop.finished;
    expect(actuator.acted).toEqual([]);
    expect(events.named("intent.recognized")).toEqual([]);
    // One run, begun by the wake word; what followed was no command, and the speaker is told so.
    expect(events.named("wake.detected")).toHaveLength(1);
    expect(events.named("pipeline.ended").map((e) => e.reason)).toEqual(["not-recognized"]);
    expect(events.named("tts.played").map((e) => e.text)).toEqual([NOT_UNDERSTOOD_REPLY]);
  });

  test("an utterance whose streamed decode fits no sentence is decoded whole, and the command heard then is acted on", async () => {
    // The streamed decode is made to fail: it is handed other words, as long as the utterance's
    // pieces, in their place. The whole decode of the utterance hears the command.
    const other = concatInt16([
      silence(0.3),
      await speak("the weather was lovely yesterday", { voice: commandVoice }),
    ]);
    let offset = 0;
    const calls: string[] = [];
    const engine = speech.stt as SpeechToText;
    const stt = sttSpy(engine, calls, true);
    const streamed: string[] = [];
    const begin = stt.begin?.bind(stt);
    if (begin)
      stt.begin = () => {
        const stream = begin();
        return {
          ...stream,
          write: (audio) => {
            stream.write(Int16Array.from(audio, (_, i) => other[(offset + i) % other.length] as number));
            offset += audio.length;
          },
          end: async (options) => {
            const result = await stream.end(options);
            streamed.push(result.kind === "rejected" ? result.reason : result.kind);
            return result;
          },
        };
      };
    const actuator = new RecordingActuator();
    const audio = concatInt16([
      silence(0.5),
      await speak("hey jarvis", { voice: wakeVoice }),
      silence(0.3),
      await speak("turn on the kitchen light", { voice: commandVoice }),
      silence(1),
    ]);
    const { loop, events } = loopWith({ source: await recording(audio), stt, actuator });
    await loop.start();
    await loop.finished;
    expect(streamed).toHaveLength(1);
    expect(["no-match", "low-confidence"]).toContain(streamed[0]);
    expect(calls.filter((c) => c !== "write")).toEqual(["begin", "end", "transcribe"]);
    expect(events.named("stt.transcript").map((e) => e.text)).toEqual(["turn on the kitchen light"]);
    expect(actuator.acted.map((i) => [i.name, i.targets])).toEqual([["HassTurnOn", ["light.kitchen_light"]]]);
    expect(onlyRun(events).ended?.reason).toBe("done");
  });

  test("after the wake word, a sound speech-to-text rejects is no answer: the run listens on and acts on the command that follows", async () => {
    // Before the person speaks, something the VAD takes for speech that fits no sentence (in a
    // kitchen, the clatter itself). It used to end the run with a "sorry" that drowned the command.
    const sttResults: string[] = [];
    const engine = speech.stt as SpeechToText;
    const stt = sttSpy(engine, [], true);
    const begin = stt.begin?.bind(stt);
    if (begin)
      stt.begin = () => {
        const stream = begin();
        return {
          ...stream,
          end: async (options) => {
            const result = await stream.end(options);
            sttResults.push(result.kind);
            return result;
          },
        };
      };
    const actuator = new RecordingActuator();
    const audio = concatInt16([
      silence(0.5),
      await speak("hey jarvis", { voice: wakeVoice }),
      silence(0.3),
      await speak("the weather was lovely yesterday", { voice: commandVoice }),
      silence(0.9),
      await speak("turn on the kitchen light", { voice: commandVoice }),
      silence(1),
    ]);
    const { loop, events } = loopWith({
      source: await recording(audio),
      stt,
      actuator,
      options: { segmenter: { ...loopOptionsFromConfig(config, true).segmenter, startTimeoutMs: 5000 } },
    });
    await loop.start();
    await loop.finished;
    expect(sttResults).toEqual(["rejected", "transcript"]);
    expect(actuator.acted.map((i) => [i.name, i.targets])).toEqual([["HassTurnOn", ["light.kitchen_light"]]]);
    // One run, from the wake word to the command's reply; no "sorry" before it.
    const { ended, names } = onlyRun(events);
    expect(ended?.reason).toBe("done");
    expect(names).toEqual([
      "wake.detected",
      "speech.started",
      "speech.stopped",
      "speech.started",
      "speech.stopped",
      "stt.transcript",
      "intent.recognized",
      "action.published",
      "tts.played",
      "pipeline.ended",
    ]);
    expect(events.named("tts.played").map((e) => e.text)).not.toContain(NOT_UNDERSTOOD_REPLY);
    expect(events.states()).toEqual([
      "idle",
      "listening",
      "thinking",
      "listening",
      "thinking",
      "speaking",
      "idle",
    ]);
  });

  test("a run that hears only rejected sounds after the wake word says 'sorry' once, when its window closes", async () => {
    const live = new LiveAudio();
    const { loop, events } = loopWith({
      source: live,
      // As a recording: each chunk is read once the one before has been dealt with, so what the
      // test sees after idle() does not depend on how fast this machine decodes.
      recording: true,
      options: { segmenter: { ...loopOptionsFromConfig(config, true).segmenter, startTimeoutMs: 8000 } },
    });
    await loop.start();
    live.write(silence(2.5));
    live.write(await speak("hey jarvis", { voice: wakeVoice }));
    live.write(silence(0.3));
    live.write(await speak("the weather was lovely yesterday", { voice: commandVoice }));
    live.write(silence(0.9));
    live.write(await speak("I think we should go to the park tomorrow", { voice: commandVoice }));
    live.write(silence(0.9));
    await live.idle();
    // Two utterances heard and rejected, about 6 s of the 8 s window gone: still listening, nothing said.
    expect(events.named("speech.stopped")).toHaveLength(2);
    expect(events.states()).toEqual(["idle", "listening", "thinking", "listening", "thinking", "listening"]);
    expect(events.named("tts.played")).toEqual([]);
    expect(events.named("pipeline.ended")).toEqual([]);

    live.write(silence(4));
    await live.idle();
    expect(events.named("tts.played").map((e) => e.text)).toEqual([NOT_UNDERSTOOD_REPLY]);
    expect(events.named("pipeline.ended").map((e) => e.reason)).toEqual(["not-recognized"]);
    expect(events.named("stt.transcript")).toEqual([]);
    live.end();
    expect(await loop.finished).toEqual({ reason: "ended" });
    expect(events.named("wake.detected")).toHaveLength(1);
    expect(events.named("tts.played")).toHaveLength(1);
  });

  test("ends the run as nothing heard when no command follows the wake word in time", async () => {
    const { loop, events } = loopWith({
      source: await recording(concatInt16([await spoken(undefined), silence(2)])),
      options: { segmenter: { ...loopOptionsFromConfig(config, true).segmenter, startTimeoutMs: 1500 } },
    });
    await loop.start();
    await loop.finished;
    expect(events.named("pipeline.ended").map((e) => e.reason)).toEqual(["nothing-heard"]);
    expect(events.states()).toEqual(["idle", "listening", "idle"]);
    expect(events.named("stt.transcript")).toEqual([]);
  });

  test("without a wake word every utterance is a command, and stray speech gets no answer", async () => {
    const actuator = new RecordingActuator();
    const audio = concatInt16([
      await spoken("turn on the kitchen light", false),
      await spoken("I think we should go to the park tomorrow", false),
    ]);
    const { loop, events } = loopWith({ source: await recording(audio), wake: new NoWakeWord(), actuator });
    await loop.start();
    await loop.finished;
    expect(actuator.acted.map((i) => i.name)).toEqual(["HassTurnOn"]);
    expect(events.named("wake.detected")).toEqual([]);
    expect(events.named("pipeline.ended").map((e) => e.reason)).toEqual(["done", "not-recognized"]);
    // The command is answered; the conversation, addressed to nobody, is not.
    expect(events.named("tts.played")).toHaveLength(1);
  });

  test("logs one info line per run with per-stage timings, and the transcript only at debug when enabled", async () => {
    const audio = await spoken("turn on the kitchen light");
    const quiet = captureLogger("debug");
    const first = loopWith({ source: await recording(audio), log: quiet.log });
    await first.loop.start();
    await first.loop.finished;
    const runLines = quiet.lines.filter((l) => l.msg === "run ended");
    expect(runLines).toHaveLength(1);
    expect(runLines[0]?.level).toBe(30);
    expect(runLines[0]?.timings).toEqual(
      expect.objectContaining({ stt: expect.any(Number), total: expect.any(Number) }),
    );
    // Besides the loop's own start and end, the run is that one line.
    expect(quiet.lines.filter((l) => l.level === 30).map((l) => l.msg)).toEqual([
      "listening",
      "run ended",
      "audio source ended",
    ]);
    expect(JSON.stringify(quiet.lines)).not.toContain("kitchen light");

    const chatty = captureLogger("debug");
    const second = loopWith({
      source: await recording(audio),
      log: chatty.log,
      options: { transcripts: true },
    });
    await second.loop.start();
    await second.loop.finished;
    const heard = chatty.lines.filter((l) => JSON.stringify(l).includes("turn on the kitchen light"));
    expect(heard.map((l) => l.level)).toEqual([20]);
  });

  test("ends a run whose reply overruns its deadline with a timeout, and stops the playback", async () => {
    const sink = new HoldingSink();
    // Time moves only when the test says: the reply is synthesised and playing, then a second passes.
    const clock = new ManualClock();
    const { loop, events } = loopWith({
      source: await recording(await spoken("turn on the kitchen light")),
      sink,
      clock,
      options: { speakTimeoutMs: 1000 },
    });
    await loop.start();
    await sink.playing();
    expect(clock.pending).toContain(1000);
    clock.advance(999);
    expect(sink.aborted).toBe(0);
    clock.advance(1);
    await loop.finished;
    expect(events.named("pipeline.ended").map((e) => e.reason)).toEqual(["timeout"]);
    expect(sink.aborted).toBe(1);
    expect(events.named("tts.played")).toEqual([]);
  });

  test("ends with a logged error, not a crash, when the recording cannot be read", async () => {
    const { log, lines } = captureLogger("info");
    const { loop, events } = loopWith({ source: new WavFileSource(join(dir, "missing.wav")), log });
    await loop.start();
    const end = await loop.finished;
    expect(end.reason).toBe("failed");
    expect(lines.some((l) => l.level === 50 && String(l.msg).includes("audio source failed"))).toBe(true);
    expect(events.named("pipeline.ended")).toEqual([]);
    expect(loop.state).toBe("idle");
  });
});

describe("the listening loop on live audio", () => {
  test("a new wake word barges in on a reply: the reply stops and the new command is heard", async () => {
    const live = new LiveAudio();
    const sink = new HoldingSink();
    const actuator = new RecordingActuator();
    const { loop, events } = loopWith({ source: live, sink, actuator, recording: false });
    await loop.start();
    live.write(silence(2));
    live.write(await spoken("turn on the kitchen light"));
    await sink.playing();
    expect(loop.state).toBe("speaking");

    live.write(await spoken("turn off the kitchen light"));
    const aborted = await events.waitFor("pipeline.ended", (e) => e.reason === "aborted");
    expect(aborted.runId).toBe(events.named("wake.detected")[0]?.runId);
    expect(sink.aborted).toBe(1);
    await sink.playing();
    sink.release();
    await events.waitFor("pipeline.ended", (e) => e.reason === "done");
    live.end();
    expect(await loop.finished).toEqual({ reason: "ended" });
    expect(actuator.acted.map((i) => i.name)).toEqual(["HassTurnOn", "HassTurnOff"]);
    expect(events.named("wake.detected")).toHaveLength(2);
  });

  test("never takes its own voice for a command: speech while it speaks is ignored", async () => {
    const live = new LiveAudio();
    const sink = new HoldingSink();
    const actuator = new RecordingActuator();
    const { loop, events } = loopWith({
      source: live,
      sink,
      actuator,
      wake: new NoWakeWord(),
      recording: false,
    });
    await loop.start();
    // An announcement is playing: what the microphone hears meanwhile is Hearth's own voice.
    const announced = loop.say("The pasta timer is done");
    await sink.playing();
    live.write(await spoken("turn on the kitchen light", false));
    await live.idle();
    expect(events.named("speech.started")).toEqual([]);
    sink.release();
    await announced;

    // Once it is quiet, the same words are a command; while its reply plays, more speech is ignored.
    live.write(await spoken("turn on the kitchen light", false));
    await sink.playing();
    live.write(await spoken("turn off the kitchen light", false));
    await live.idle();
    expect(events.named("speech.started")).toHaveLength(1);
    sink.release();
    await events.waitFor("pipeline.ended");
    live.end();
    await loop.finished;
    expect(actuator.acted.map((i) => i.name)).toEqual(["HassTurnOn"]);
  });

  test("keeps what is said while it decodes and acts on a command, and hears the next command whole", async () => {
    const live = new LiveAudio();
    const actuator = new RecordingActuator();
    // The first command stays in its last step (acting) until the test lets it go: the loop is
    // thinking, as while the final decode of an utterance runs.
    let letGo: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      letGo = resolve;
    });
    actuator.gate = () => (actuator.acted.length === 0 ? held : Promise.resolve());
    const { loop, events } = loopWith({
      source: live,
      actuator,
      wake: new NoWakeWord(),
      recording: false,
    });
    await loop.start();
    live.write(await speak("turn on the kitchen light", { voice: commandVoice }));
    live.write(silence(1));
    await events.waitFor("stt.transcript");
    expect(loop.state).toBe("thinking");
    // Right after it, while the first is still being answered, the next command.
    live.write(await spoken("turn on the ceiling fan", false));
    await live.idle();
    // Heard, but held: the first command is answered first.
    expect(events.named("speech.started")).toHaveLength(1);
    letGo();
    await events.waitFor("pipeline.ended");
    // The microphone goes on delivering; the held command is heard from its first word.
    live.write(silence(0.5));
    live.end();
    await loop.finished;
    expect(actuator.acted.map((i) => [i.name, i.targets])).toEqual([
      ["HassTurnOn", ["light.kitchen_light"]],
      ["HassTurnOn", ["fan.ceiling_fan"]],
    ]);
    expect(events.named("stt.transcript").map((e) => e.text)).toEqual([
      "turn on the kitchen light",
      "turn on the ceiling fan",
    ]);
  });

  test("push-to-talk starts a run without a wake word; muting drops the microphone", async () => {
    const live = new LiveAudio();
    const actuator = new RecordingActuator();
    const { loop, events } = loopWith({
      source: live,
      actuator,
      wake: new PushToTalkWake(),
      recording: false,
    });
    await loop.start();
    // Speech before the button is pressed is no command.
    live.write(await spoken("turn on the kitchen light", false));
    await live.idle();
    expect(events.named("speech.started")).toEqual([]);

    loop.startListening();
    live.write(await spoken("turn off the kitchen light", false));
    await events.waitFor("pipeline.ended");
    expect(events.named("wake.detected").map((e) => e.word)).toEqual(["push-to-talk"]);
    expect(actuator.acted.map((i) => [i.name, i.targets])).toEqual([
      ["HassTurnOff", ["light.kitchen_light"]],
    ]);

    loop.setMuted(true);
    expect(loop.isMuted()).toBe(true);
    loop.startListening();
    live.write(await spoken("turn on the ceiling fan", false));
    await live.idle();
    loop.setMuted(false);
    live.end();
    await loop.finished;
    expect(actuator.acted).toHaveLength(1);
    expect(events.states()).toContain("muted");
    expect(events.states().at(-1)).toBe("idle");
  });

  test("muting while listening ends the run", async () => {
    const live = new LiveAudio();
    const { loop, events } = loopWith({ source: live, recording: false });
    await loop.start();
    live.write(silence(2));
    live.write(await spoken(undefined));
    await events.waitFor("wake.detected");
    loop.setMuted(true);
    expect((await events.waitFor("pipeline.ended")).reason).toBe("aborted");
    expect(loop.state).toBe("muted");
    await loop.stop();
  });

  test("a wake word cuts an announcement short, and the announcement ends without an error", async () => {
    const live = new LiveAudio();
    const sink = new HoldingSink();
    const { loop, events } = loopWith({ source: live, sink, recording: false });
    await loop.start();
    live.write(silence(2));
    await live.idle();
    const said = loop.say("The pasta timer is done");
    await sink.playing();
    live.write(await spoken(undefined));
    await expect(said).resolves.toBeUndefined();
    expect(sink.aborted).toBe(1);
    await events.waitFor("wake.detected");
    expect(events.named("tts.played")).toEqual([]);
    await loop.stop();
  });

  test("says announcements on the sink and reports them", async () => {
    const live = new LiveAudio();
    const sink = new WavFileSink(join(dir, "announcement-{n}.wav"));
    const { loop, events } = loopWith({ source: live, sink, recording: false });
    await loop.start();
    await loop.say("The pasta timer is done");
    expect(events.named("tts.played").map((e) => e.text)).toEqual(["The pasta timer is done"]);
    expect(events.states()).toEqual(["idle", "speaking", "idle"]);
    expect(sink.written).toHaveLength(1);
    await loop.stop();
    expect((await loop.finished).reason).toBe("stopped");
  });
});

describe("LeadInSource", () => {
  /** Everything the source yields, and the length of each chunk. */
  async function played(inner: AudioSource, leadInMs: number, tailMs: number): Promise<Int16Array[]> {
    const chunks: Int16Array[] = [];
    for await (const chunk of new LeadInSource(inner, { leadInMs, tailMs, chunkMs: 80 }).stream()) {
      chunks.push(chunk);
    }
    return chunks;
  }

  test("plays the recording's quietest stretch before and after it, forwards and backwards in turn", async () => {
    // 1.2 s: a loud first half (speech), then its room's sound, a ramp 0..9599 at 1/16 of the level.
    const room = Int16Array.from({ length: 9600 }, (_, i) => i >> 4);
    const loud = Int16Array.from({ length: 9600 }, (_, i) => (i % 2 === 0 ? 20000 : -20000));
    const recording = concatInt16([loud, room]);
    const inner: AudioSource = {
      name: "one",
      async *stream() {
        yield recording;
      },
    };
    const chunks = await played(inner, 1300, 100);
    expect(chunks.map((c) => c.length)).toEqual([...Array<number>(16).fill(1280), 320, 19200, 1280, 320]);
    const lead = concatInt16(chunks.slice(0, 17));
    // 600 ms of the room forwards, then backwards, then forwards again: no seam.
    expect(lead.subarray(0, 9600)).toEqual(room);
    expect(lead.subarray(9600, 19200)).toEqual(room.slice().reverse());
    expect(lead.subarray(19200)).toEqual(room.subarray(0, 1600));
    expect(chunks[17]).toEqual(recording);
    expect(concatInt16(chunks.slice(18))).toEqual(room.subarray(0, 1600));
  });

  test("around a recording cut tightly around its words, plays the gaps between them, not the words", async () => {
    // 2 s of 200 ms words with 50 ms gaps: its quietest 600 ms in one piece hold words.
    const parts: Int16Array[] = [];
    for (let i = 0; i < 8; i++) {
      parts.push(Int16Array.from({ length: 3200 }, (_, j) => (j % 2 === 0 ? 12000 : -12000)));
      parts.push(Int16Array.from({ length: 800 }, (_, j) => (j % 2 === 0 ? 30 : -30)));
    }
    const recording = concatInt16(parts);
    const inner: AudioSource = {
      name: "tight",
      async *stream() {
        yield recording;
      },
    };
    const chunks = await played(inner, 1200, 0);
    const lead = concatInt16(chunks.slice(0, chunks.indexOf(recording)));
    expect(lead.length).toBe(19200);
    const loud = lead.filter((s) => Math.abs(s) > 30).length;
    expect(loud / lead.length).toBeLessThan(0.25);
  });

  test("plays silence around a recording that is silent somewhere, and around an empty one", async () => {
    const withPause: AudioSource = {
      name: "pause",
      async *stream() {
        yield Int16Array.from({ length: 4000 }, () => 3000);
        yield new Int16Array(12000);
        yield Int16Array.from([1, 2, 3]);
      },
    };
    const chunks = await played(withPause, 100, 20);
    expect(chunks.map((c) => c.length)).toEqual([1280, 320, 4000, 12000, 3, 320]);
    expect([chunks[0], chunks[1], chunks[5]].every((c) => c?.every((s) => s === 0))).toBe(true);
    const empty: AudioSource = { name: "empty", async *stream() {} };
    const around = await played(empty, 100, 20);
    expect(around.map((c) => c.length)).toEqual([1280, 320, 320]);
    expect(around.every((c) => c.every((s) => s === 0))).toBe(true);
  });
});
