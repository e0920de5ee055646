import { describe, expect, test } from "vitest";
import { quietestFrames, quietestStretch } from "../../../src/audio/stt/quietest-stretch.js";

/** `seconds` of a 440 Hz tone at `amplitude`. */
function tone(seconds: number, amplitude: number): Int16Array {
  return Int16Array.from({ length: Math.round(seconds * 16000) }, (_, i) =>
    Math.round(amplitude * Math.sin((2 * Math.PI * 440 * i) / 16000)),
  );
}

function joined(...parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

describe("quietestStretch", () => {
  test("finds the pause between loud parts, wherever it lies", () => {
    const audio = joined(tone(1, 8000), tone(0.5, 50), tone(1.5, 6000));
    const stretch = quietestStretch(audio, 4800);
    expect(stretch.length).toBe(4800);
    expect(stretch.byteOffset / 2).toBeGreaterThanOrEqual(16000);
    expect(stretch.byteOffset / 2 + stretch.length).toBeLessThanOrEqual(24000);
    expect(Math.max(...stretch.map(Math.abs))).toBeLessThanOrEqual(50);
  });

  test("takes the quieter end when the recording has no pause inside", () => {
    const audio = joined(tone(0.4, 300), tone(1, 8000), tone(0.4, 900));
    const stretch = quietestStretch(audio, 3200);
    expect(stretch.byteOffset).toBe(0);
  });

  test("a recording no longer than the stretch is taken whole; a stretch of nothing is empty", () => {
    const audio = tone(0.2, 1000);
    expect(quietestStretch(audio, 3200)).toBe(audio);
    expect(quietestStretch(audio, 0).length).toBe(0);
  });
});

describe("quietestFrames", () => {
  test("a recording cut tightly around its words gives its gaps, never its words", () => {
    // Words of 200 ms with gaps of 50 ms: no quiet 300 ms in one piece anywhere.
    const words = [];
    for (let i = 0; i < 8; i++) words.push(tone(0.2, 8000), tone(0.05, 40));
    const audio = joined(...words);
    expect(Math.max(...quietestStretch(audio, 4800).map(Math.abs))).toBeGreaterThan(4000);
    const frames = quietestFrames(audio, 4800);
    expect(frames.length).toBe(4800);
    // 8 gaps of 5 frames each hold 40 quiet frames; the 10 others are the quietest edges of words.
    const quiet = Array.from({ length: 30 }, (_, f) => frames.subarray(f * 160, (f + 1) * 160)).filter(
      (frame) => Math.max(...frame.map(Math.abs)) <= 40,
    );
    expect(quiet.length).toBeGreaterThanOrEqual(25);
  });

  test("in steady background it is that background", () => {
    const audio = joined(tone(0.5, 300), tone(1, 8000), tone(0.5, 300));
    const frames = quietestFrames(audio, 4800);
    expect(frames.length).toBe(4800);
    expect(Math.max(...frames.map(Math.abs))).toBeLessThanOrEqual(300);
  });

  test("a recording no longer than the stretch is taken whole; a stretch of nothing is empty", () => {
    const audio = tone(0.2, 1000);
    expect(quietestFrames(audio, 3200)).toBe(audio);
    expect(quietestFrames(audio, 0).length).toBe(0);
  });
});
