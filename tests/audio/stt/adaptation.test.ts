import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { BUILTIN_DENOISED_MLLR, BUILTIN_MLLR } from "../../../src/audio/stt/acoustic-adaptation.js";

describe.each([
  ["raw audio", BUILTIN_MLLR],
  ["denoised audio", BUILTIN_DENOISED_MLLR],
])("the MLLR transform shipped for Debian's en-us model, for %s", (_, file) => {
  // pocketsphinx's -mllr format: classes, streams, then per stream its length, the length × length
  // matrix A, the bias b and the variance scales.
  const numbers = readFileSync(file, "utf8").trim().split(/\s+/).map(Number);

  test("is one regression class over the model's three 13-dimensional feature streams", () => {
    expect(numbers.every(Number.isFinite)).toBe(true);
    expect(numbers.slice(0, 2)).toEqual([1, 3]);
    expect(numbers).toHaveLength(2 + 3 * (1 + 13 * 13 + 13 + 13));
    for (let stream = 0; stream < 3; stream++) expect(numbers[2 + stream * (1 + 13 * 13 + 26)]).toBe(13);
  });

  test("moves the means without turning the model over: each matrix close to the identity on its diagonal", () => {
    for (let stream = 0; stream < 3; stream++) {
      const start = 3 + stream * (1 + 13 * 13 + 26);
      for (let i = 0; i < 13; i++) {
        const diagonal = numbers[start + i * 13 + i] as number;
        expect(diagonal).toBeGreaterThan(0.5);
        expect(diagonal).toBeLessThan(1.5);
      }
    }
  });
});
