import { describe, expect, test } from "vitest";
import { quietestStretch } from "../../../src/audio/stt/quietest-stretch.js";

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
