import { describe, expect, test } from "vitest";
import { NoiseLevel, speechLevelDbfs } from "../../../src/audio/denoise/noise-level.js";

/** `seconds` of a 440 Hz sine of peak `amplitude` (of 32767) at 16 kHz. */
function sine(seconds: number, amplitude: number): Int16Array {
  const out = new Int16Array(Math.round(seconds * 16000));
  for (let i = 0; i < out.length; i++)
    out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * 440 * i) / 16000));
  return out;
}

describe("NoiseLevel", () => {
  test("measures a steady sound's level in dBFS", () => {
    const level = new NoiseLevel();
    level.push(sine(2, 3277)); // RMS 3277/√2 of 32768: -23 dBFS
    expect(level.dbfs).toBeCloseTo(-23, 0);
  });

  test("hears the quiet room between loud words, not the words", () => {
    const level = new NoiseLevel();
    // 1.5 s: 40 % of it quiet room at -53 dBFS, 60 % loud at -13 dBFS.
    for (let i = 0; i < 5; i++) {
      level.push(sine(0.12, 104));
      level.push(sine(0.18, 10362));
    }
    expect(level.dbfs).toBeCloseTo(-53, 0);
  });

  test("follows the last 1.5 s only, and is -100 before any audio and in digital silence", () => {
    const level = new NoiseLevel();
    expect(level.dbfs).toBe(-100);
    level.push(sine(2, 3277));
    level.push(new Int16Array(16000 * 2));
    expect(level.dbfs).toBe(-100);
    level.push(sine(1.5, 1036)); // -33 dBFS
    expect(level.dbfs).toBeCloseTo(-33, 0);
  });

  test("a voice's level is its loud frames', not its pauses' or one click's", () => {
    // 0.8 s at -13 dBFS with 0.2 s of pauses at -53 dBFS and one 10 ms click at -3 dBFS.
    const voice = [];
    for (let i = 0; i < 4; i++) voice.push(sine(0.2, 10362), sine(0.05, 104));
    const click = sine(0.01, 32767);
    const audio = new Int16Array([...voice.flatMap((part) => [...part]), ...click]);
    expect(speechLevelDbfs(audio)).toBeCloseTo(-13, 0);
    expect(speechLevelDbfs(new Int16Array(0))).toBe(-100);
    expect(speechLevelDbfs(new Int16Array(1600))).toBe(-100);
  });
});
