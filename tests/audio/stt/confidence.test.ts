import { describe, expect, test } from "vitest";
import { isFiller, scoreOver, utteranceConfidence, wordFits } from "../../../src/audio/stt/confidence.js";

const seg = (word: string, startFrame: number, endFrame: number, acousticScore: number) => ({
  word,
  startFrame,
  endFrame,
  acousticScore,
});

describe("confidence against the phone loop", () => {
  test("the phone loop's score over a span counts straddling segments pro rata", () => {
    const loop = [seg("ph_k", 0, 9, -100), seg("ph_ae", 10, 19, -200)];
    expect(scoreOver(loop, 5, 14)).toBeCloseTo(-50 + -100);
  });

  test("each word is scored per frame against the loop, fillers skipped", () => {
    const words = [seg("<sil>", 0, 4, -10), seg("lamp", 5, 14, -150), seg("[NOISE]", 15, 19, -5)];
    const loop = [seg("ph_l", 0, 19, -200)];
    expect(wordFits(words, loop)).toEqual([
      { word: "lamp", startFrame: 5, endFrame: 14, ratio: (-150 - -100) / 10 },
    ]);
  });

  test("the utterance's confidence is the ratio averaged over its words' frames", () => {
    const fits = [
      { word: "the", startFrame: 0, endFrame: 4, ratio: -30 },
      { word: "kitchen", startFrame: 5, endFrame: 34, ratio: 10 },
      { word: "light", startFrame: 35, endFrame: 49, ratio: 4 },
    ];
    expect(utteranceConfidence(fits)).toBeCloseTo((5 * -30 + 30 * 10 + 15 * 4) / 50);
  });

  test("a one-word utterance is judged by that word, and no words at all never pass", () => {
    expect(utteranceConfidence([{ word: "lights", startFrame: 0, endFrame: 1, ratio: -3 }])).toBe(-3);
    expect(utteranceConfidence([])).toBe(Number.NEGATIVE_INFINITY);
  });

  test("fillers are recognised by their markers", () => {
    expect(["<s>", "</s>", "<sil>", "[NOISE]", "(NULL)"].every(isFiller)).toBe(true);
    expect(isFiller("lamp")).toBe(false);
  });
});
