import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildTextPath, type TextPath } from "../../src/app.js";
import { concatInt16 } from "../../src/audio/pcm.js";
import type { SttResult } from "../../src/audio/stt/speech-to-text.js";
import { writeWavFile } from "../../src/audio/wav.js";
import type { LoadedConfig } from "../../src/config/loader.js";
import { parseConfig } from "../../src/config/parse-config.js";
import { systemClock } from "../../src/core/clock.js";
import { EventBus } from "../../src/core/event-bus.js";
import type { HearthEvents } from "../../src/core/events.js";
import { silentLogger } from "../../src/core/logger.js";
import { buildSpeechPath } from "../../src/pipeline/speech-path.js";
import { TextPipeline } from "../../src/pipeline/text-pipeline.js";
import { loopOver } from "../helpers/loop-over.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { silence, speak } from "../helpers/speech.js";
import { EventLog, RecordingActuator } from "./loop-helpers.js";

/* The speech stages built from the config, with the grammar from the templates and the registry. */

let dir: string;
let loaded: LoadedConfig;
let text: TextPath;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hearth-speech-path-"));
  const config = parseConfig(
    `
site: { id: speech-path-test, area: Kitchen }
areas: [{ name: Kitchen }, { name: Office }]
devices:
  - { id: light.kitchen_light, name: Kitchen Light, area: Kitchen, state: "off" }
audio: { sink: "null" }
tts: { engine: flite }
`,
    "speech path test",
  );
  loaded = { config, path: join(dir, "hearth.yaml"), dir, created: false };
  text = await buildTextPath(loaded, { llm: false });
});

afterAll(async () => {
  await text?.close();
  await rm(dir, { recursive: true, force: true });
});

const heard = (result: SttResult): string | undefined =>
  result.kind === "transcript" ? result.text : undefined;

describe("buildSpeechPath", () => {
  test("builds only the stages asked for", async () => {
    const speech = await buildSpeechPath(loaded, {
      registry: text.registry,
      stages: { stt: false, tts: true, listening: false },
    });
    try {
      expect(speech.stt).toBeUndefined();
      expect(speech.wake).toBeUndefined();
      expect(speech.tts?.name).toBe("flite");
      expect(speech.sink?.name).toBe("null");
      expect(speech.grammar).toBeUndefined();
      expect(() => speech.listeningStages()).toThrow(/every speech stage/);
    } finally {
      await speech.close();
    }
  });

  test("rebuilds the grammar when a device appears, so its name can be heard", async () => {
    const clock = new ManualClock();
    const speech = await buildSpeechPath(loaded, {
      registry: text.registry,
      stages: { stt: true, tts: false, listening: false },
      grammarDebounceMs: 20,
      clock,
    });
    try {
      const stt = speech.stt;
      if (!stt) throw new Error("no stt");
      const before = speech.grammar?.registryVersion ?? -1;
      const command = await speak("turn on the office lamp");
      // Not a name yet: at most the grammar's nearest sentence ("the office lamps", the area's lights).
      expect(heard(await stt.transcribe(command))).not.toBe("turn on the office lamp");

      text.registry.upsertEntity({
        id: "light.office_lamp",
        name: "Office Lamp",
        domain: "light",
        areaId: "office",
        aliases: [],
        attributes: {},
        source: "discovery",
      });
      // The debounce that gathers changes runs on the clock: the test ends it, then waits for the rebuild.
      clock.advance(20);
      await speech.grammarSettled();
      expect(speech.grammar?.registryVersion).toBeGreaterThan(before);
      expect(heard(await stt.transcribe(command))).toBe("turn on the office lamp");
    } finally {
      await speech.close();
      text.registry.removeEntity("light.office_lamp");
    }
  });

  test("an utterance heard while the grammar is being rebuilt waits for the new grammar", async () => {
    const samples = concatInt16([
      await speak("hey jarvis", { voice: { engine: "flite", name: "kal16" } }),
      silence(0.3),
      await speak("turn on the office lamp"),
    ]);
    const input = join(dir, "office-lamp.wav");
    await writeWavFile(input, { sampleRate: 16000, samples });
    // The rebuild begins only once the command is being heard: the debounce ends when the test
    // moves the clock, at the start of speech.
    const clock = new ManualClock();
    const speech = await buildSpeechPath(loaded, {
      registry: text.registry,
      input,
      grammarDebounceMs: 3000,
      clock,
    });
    try {
      const bus = new EventBus<HearthEvents>();
      bus.on("speech.started", () => clock.advance(3000));
      const events = new EventLog(bus);
      const actuator = new RecordingActuator();
      const pipeline = new TextPipeline({
        understanding: text.understanding,
        actuator,
        bus,
        clock: systemClock,
        siteId: "speech-path-test",
        log: silentLogger(),
      });
      text.registry.upsertEntity({
        id: "light.office_lamp",
        name: "Office Lamp",
        domain: "light",
        areaId: "office",
        aliases: [],
        attributes: {},
        source: "discovery",
      });
      // The loop decodes while the command is spoken; the stream starts on the rebuilt grammar.
      expect(speech.loopStt?.begin).toBeTypeOf("function");
      const loop = loopOver(speech, loaded.config, { pipeline, bus });
      await loop.start();
      await loop.finished;
      expect(events.named("stt.transcript").map((e) => e.text)).toEqual(["turn on the office lamp"]);
      expect(actuator.acted.map((i) => i.targets)).toEqual([["light.office_lamp"]]);
    } finally {
      await speech.close();
      text.registry.removeEntity("light.office_lamp");
    }
  });

  test("listens to a recording given as input, with the lead-in the wake word needs", async () => {
    // The wake word right at the start: without the lead-in openWakeWord could not hear it.
    const samples = concatInt16([
      await speak("hey jarvis", { voice: { engine: "flite", name: "kal16" } }),
      silence(0.3),
      await speak("turn on the kitchen light"),
    ]);
    const input = join(dir, "input.wav");
    await writeWavFile(input, { sampleRate: 16000, samples });
    const speech = await buildSpeechPath(loaded, {
      registry: text.registry,
      input,
      clock: new ManualClock(),
    });
    try {
      expect(speech.recording).toBe(true);
      expect(speech.source?.name).toBe(`file:${input}`);
      const bus = new EventBus<HearthEvents>();
      const events = new EventLog(bus);
      const actuator = new RecordingActuator();
      const pipeline = new TextPipeline({
        understanding: text.understanding,
        actuator,
        bus,
        clock: systemClock,
        siteId: "speech-path-test",
        log: silentLogger(),
      });
      const loop = loopOver(speech, loaded.config, { pipeline, bus });
      await loop.start();
      expect(await loop.finished).toEqual({ reason: "ended" });
      expect(events.named("wake.detected")).toHaveLength(1);
      expect(actuator.acted.map((i) => [i.name, i.targets])).toEqual([
        ["HassTurnOn", ["light.kitchen_light"]],
      ]);
      expect(events.named("pipeline.ended").map((e) => e.reason)).toEqual(["done"]);
    } finally {
      await speech.close();
    }
  });
});
