import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  OpenWakeWordDetector,
  type OpenWakeWordWord,
} from "../../../src/audio/wake/openwakeword-detector.js";
import { bundledModelPath, resolveWakeModel } from "../../../src/audio/wake/openwakeword-models.js";
import type { WakeDetection } from "../../../src/audio/wake/wake-word-detector.js";
import { HearthError } from "../../../src/core/errors.js";
import { silentLogger } from "../../../src/core/logger.js";
import { concat, inChunks, mixAtSnr, pinkNoise, seconds, silence, speak } from "./synth.js";

const word = (name: string, overrides: Partial<OpenWakeWordWord> = {}): OpenWakeWordWord => ({
  name,
  modelPath: resolveWakeModel(name, "/"),
  threshold: 0.5,
  refractoryMs: 2000,
  ...overrides,
});

/** A stream as a microphone delivers it: 2 s of silence first (openWakeWord needs context), 100 ms chunks. */
async function detect(
  detector: OpenWakeWordDetector,
  pcm: Int16Array,
  chunk = 1600,
): Promise<WakeDetection[]> {
  detector.reset();
  return inChunks(pcm, chunk, (part) => detector.process(part));
}

describe("OpenWakeWordDetector", () => {
  const detector = new OpenWakeWordDetector({
    words: [word("hey_jarvis"), word("alexa")],
    logger: silentLogger(),
  });
  let heyJarvis: Int16Array;
  let alexa: Int16Array;
  let command: Int16Array;

  beforeAll(async () => {
    [heyJarvis, alexa, command] = await Promise.all([
      speak("hey jarvis", { voice: "kal16" }),
      speak("alexa", { voice: "festival" }),
      speak("turn on the kitchen light", { voice: "awb" }),
    ]);
    await detector.start();
  });
  afterAll(() => detector.stop());

  it("hears hey jarvis followed by a command, at the time it was said", async () => {
    const stream = concat(silence(2), heyJarvis, silence(0.5), command, silence(1));
    const detections = await detect(detector, stream);
    expect(detections.map((d) => d.word)).toEqual(["hey_jarvis"]);
    const [hit] = detections;
    expect(hit?.score).toBeGreaterThanOrEqual(0.5);
    // Fires while or just after the words are spoken, not during the command.
    expect(hit?.seconds).toBeGreaterThan(2);
    expect(hit?.seconds).toBeLessThan(2 + seconds(heyJarvis) + 0.5);
  });

  it("hears alexa in a stream", async () => {
    const detections = await detect(detector, concat(silence(2), alexa, silence(1.5)));
    expect(detections.map((d) => d.word)).toEqual(["alexa"]);
  });

  it("listens for several words at once and reports each in order", async () => {
    const stream = concat(silence(2), alexa, silence(2.5), heyJarvis, silence(1.5));
    const detections = await detect(detector, stream);
    expect(detections.map((d) => d.word)).toEqual(["alexa", "hey_jarvis"]);
    expect(detections[1]?.seconds).toBeGreaterThan(detections[0]?.seconds ?? Infinity);
  });

  it("stays quiet on other speech, silence and noise", async () => {
    const other = await Promise.all([
      speak("what is the weather like tomorrow", { voice: "slt" }),
      speak("set a timer for five minutes", { voice: "festival" }),
      speak("hey, are you coming to dinner", { voice: "rms" }),
    ]);
    const noise = await pinkNoise(6, 0.3);
    const stream = concat(silence(2), ...other.flatMap((s) => [s, silence(0.7)]), command, silence(6), noise);
    expect(await detect(detector, stream)).toEqual([]);
  });

  it("still hears hey jarvis with noise at 20 dB SNR running from the first sample", async () => {
    const noise = await pinkNoise(3);
    const stream = mixAtSnr(concat(silence(2), heyJarvis, silence(1.5)), noise, 20);
    expect((await detect(detector, stream)).map((d) => d.word)).toEqual(["hey_jarvis"]);
  });

  it("gives the same detections whatever the chunk size", async () => {
    const stream = concat(silence(2), heyJarvis, silence(1.5));
    const whole = await detect(detector, stream, stream.length);
    const small = await detect(detector, stream, 333);
    expect(whole).toHaveLength(1);
    expect(small).toEqual(whole);
  });

  it("restarts its clock on reset", async () => {
    const stream = concat(silence(2), alexa, silence(1.5));
    const first = await detect(detector, stream);
    const second = await detect(detector, stream);
    expect(second).toEqual(first);
  });
});

describe("OpenWakeWordDetector refractory time", () => {
  it("fires once for a word said twice within the refractory time, and on every frame without one", async () => {
    const heyJarvis = await speak("hey jarvis", { voice: "rms" });
    const stream = concat(silence(2), heyJarvis, silence(0.3), heyJarvis, silence(1.5));
    const guarded = new OpenWakeWordDetector({
      words: [word("hey_jarvis", { refractoryMs: 5000 })],
      logger: silentLogger(),
    });
    const eager = new OpenWakeWordDetector({
      words: [word("hey_jarvis", { refractoryMs: 0 })],
      logger: silentLogger(),
    });
    await Promise.all([guarded.start(), eager.start()]);
    try {
      expect(await detect(guarded, stream)).toHaveLength(1);
      // Without a refractory time every 80 ms frame above the threshold is a detection.
      expect((await detect(eager, stream)).length).toBeGreaterThan(2);
    } finally {
      await Promise.all([guarded.stop(), eager.stop()]);
    }
  });
});

describe("OpenWakeWordDetector models", () => {
  it("takes one's own model file by path and reports it under its configured name", async () => {
    const alexa = await speak("alexa", { voice: "kal" });
    const detector = new OpenWakeWordDetector({
      words: [word("computer", { modelPath: bundledModelPath("alexa_v0.1.onnx"), threshold: 0.6 })],
      logger: silentLogger(),
    });
    await detector.start();
    try {
      expect((await detect(detector, concat(silence(2), alexa, silence(1.5)))).map((d) => d.word)).toEqual([
        "computer",
      ]);
    } finally {
      await detector.stop();
    }
  });

  it("refuses a missing model file with a MODEL_INVALID error naming it", async () => {
    const detector = new OpenWakeWordDetector({
      words: [word("computer", { modelPath: "/nonexistent/computer.onnx" })],
      logger: silentLogger(),
    });
    const error = await detector.start().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(HearthError);
    expect((error as HearthError).code).toBe("MODEL_INVALID");
    expect((error as HearthError).message).toContain("/nonexistent/computer.onnx");
  });

  it("refuses an ONNX model that is not a keyword model", async () => {
    const detector = new OpenWakeWordDetector({
      words: [word("melspectrogram", { modelPath: bundledModelPath("melspectrogram.onnx") })],
      logger: silentLogger(),
    });
    await expect(detector.start()).rejects.toMatchObject({ code: "MODEL_INVALID" });
  });

  it("refuses to process audio before it is started", async () => {
    const detector = new OpenWakeWordDetector({ words: [word("alexa")], logger: silentLogger() });
    await expect(detector.process(silence(1))).rejects.toMatchObject({ code: "ENGINE_FAILED" });
  });
});
