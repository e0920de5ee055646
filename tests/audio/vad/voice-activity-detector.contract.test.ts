import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EnergyVad } from "../../../src/audio/vad/energy-vad.js";
import { SileroVad } from "../../../src/audio/vad/silero-vad.js";
import type { VoiceActivityDetector } from "../../../src/audio/vad/voice-activity-detector.js";
import { concat, pinkNoise, RATE, silence, speak } from "../wake/synth.js";

/** Every VAD engine must pass this suite (STYLE.md: one contract suite per engine interface). */
const engines: Array<[string, () => VoiceActivityDetector]> = [
  ["silero", () => new SileroVad()],
  ["energy", () => new EnergyVad({ thresholdDb: -50, marginDb: 10 })],
];

/** Per-frame probabilities for a whole clip, from a fresh stream. */
async function probabilities(vad: VoiceActivityDetector, pcm: Int16Array): Promise<number[]> {
  vad.reset();
  const out: number[] = [];
  for (let offset = 0; offset + vad.frameSamples <= pcm.length; offset += vad.frameSamples) {
    out.push(await vad.process(pcm.subarray(offset, offset + vad.frameSamples)));
  }
  return out;
}

/** First and last sample louder than a whisper: where the synthesiser actually put speech. */
function speechBounds(pcm: Int16Array): [number, number] {
  const loud = (i: number) => Math.abs(pcm[i] ?? 0) > 500;
  let first = 0;
  while (first < pcm.length && !loud(first)) first++;
  let last = pcm.length - 1;
  while (last > first && !loud(last)) last--;
  return [first / RATE, last / RATE];
}

describe.each(engines)("VoiceActivityDetector contract: %s", (_name, create) => {
  const vad = create();
  let clip: Int16Array;

  beforeAll(async () => {
    clip = concat(
      silence(1.5),
      await speak("turn on the kitchen light please", { voice: "slt" }),
      silence(1.5),
    );
    await vad.start();
    await vad.start(); // idempotent
  });
  afterAll(async () => {
    await vad.stop();
    await vad.stop(); // idempotent
  });

  it("judges 16 kHz frames of a fixed size", () => {
    expect(vad.frameSamples).toBeGreaterThanOrEqual(160);
    expect(vad.frameSamples).toBeLessThanOrEqual(1600);
  });

  it("gives probabilities between 0 and 1", async () => {
    for (const p of await probabilities(vad, clip)) {
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    }
  });

  it("finds where speech starts and ends in a clip padded with silence", async () => {
    const frameSeconds = vad.frameSamples / RATE;
    const probs = await probabilities(vad, clip);
    const first = probs.findIndex((p) => p >= 0.5);
    const last = probs.findLastIndex((p) => p >= 0.5);
    const [start, end] = speechBounds(clip);
    expect(first).toBeGreaterThan(0);
    expect(Math.abs(first * frameSeconds - start)).toBeLessThan(0.2);
    expect(Math.abs((last + 1) * frameSeconds - end)).toBeLessThan(0.25);
    // Most of what lies between is speech too.
    const inside = probs.slice(first, last + 1);
    expect(inside.filter((p) => p >= 0.5).length / inside.length).toBeGreaterThan(0.7);
  });

  it("calls digital silence not speech", async () => {
    expect((await probabilities(vad, silence(3))).every((p) => p < 0.5)).toBe(true);
  });

  it("calls the room's steady background noise not speech", async () => {
    const probs = await probabilities(vad, await pinkNoise(4, 0.1));
    expect(probs.filter((p) => p >= 0.5).length).toBeLessThanOrEqual(Math.ceil(probs.length * 0.02));
  });

  it("starts afresh after reset, giving the same answers for the same audio", async () => {
    expect(await probabilities(vad, clip)).toEqual(await probabilities(vad, clip));
  });
});
