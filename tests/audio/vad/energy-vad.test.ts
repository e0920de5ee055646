import { describe, expect, it } from "vitest";
import { EnergyVad, levelDb } from "../../../src/audio/vad/energy-vad.js";

function tone(amplitude: number, samples = 512): Int16Array {
  return Int16Array.from({ length: samples }, (_, i) =>
    Math.round(amplitude * Math.sin((2 * Math.PI * 440 * i) / 16000)),
  );
}

describe("EnergyVad", () => {
  it("measures levels in dBFS", () => {
    expect(levelDb(new Int16Array(512))).toBe(-100);
    // A full-scale sine is 3 dB below a full-scale square wave.
    expect(levelDb(tone(32767))).toBeCloseTo(-3.01, 1);
  });

  it("never calls sound below the absolute threshold speech, however quiet the room", async () => {
    const vad = new EnergyVad({ thresholdDb: -50, marginDb: 10 });
    await vad.process(new Int16Array(512));
    // About -63 dBFS: far above digital silence, but below -50 dBFS.
    expect(await vad.process(tone(30))).toBeLessThan(0.01);
    expect(await vad.process(tone(3000))).toBeGreaterThan(0.99);
  });

  it("follows a louder background so that a steady fan stops counting as speech", async () => {
    const vad = new EnergyVad({ thresholdDb: -60, marginDb: 10 });
    await vad.process(new Int16Array(512));
    const fan = tone(1000);
    expect(await vad.process(fan)).toBeGreaterThan(0.5);
    let last = 1;
    for (let i = 0; i < 1000; i++) last = await vad.process(fan); // 32 s of the same hum
    expect(last).toBeLessThan(0.5);
    // Speech 20 dB over the hum still counts.
    expect(await vad.process(tone(10000))).toBeGreaterThan(0.5);
  });
});
