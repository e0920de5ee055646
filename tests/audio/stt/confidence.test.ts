import { describe, expect, test } from "vitest";
import {
  isFiller,
  JUDGED_WORD_SECONDS,
  keeps,
  LONG_SECONDS,
  requiredConfidence,
  SHORT_SECONDS,
  scoreOver,
  utteranceConfidence,
  wordFits,
  wordMean,
} from "../../../src/audio/stt/confidence.js";

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

describe("the confidence an utterance must reach, by its shape", () => {
  const rule = { threshold: -13, oneWordThreshold: -16, longThreshold: -22 };
  /** Words one after another, each lasting the given seconds. */
  const words = (...seconds: number[]) => {
    let at = 0.3;
    return seconds.map((length) => {
      const word = { start: at, end: at + length };
      at += length + 0.05;
      return word;
    });
  };

  test("a short sentence of several words is held to the strictest threshold", () => {
    expect(requiredConfidence(words(0.2, 0.1, 0.4), rule)).toBe(-13);
  });

  test("a single short word is held to the one-word threshold", () => {
    expect(requiredConfidence(words(0.5), rule)).toBe(-16);
  });

  test("a single word of a VAD cut decoded whole is held to the cut threshold, several words are not", () => {
    const cutRule = { ...rule, cutOneWordThreshold: -15 };
    expect(requiredConfidence(words(0.5), cutRule, true)).toBe(-15);
    expect(requiredConfidence(words(0.5), cutRule)).toBe(-16);
    expect(requiredConfidence(words(0.2, 0.1, 0.4), cutRule, true)).toBe(-13);
    expect(requiredConfidence(words(0.5), rule, true)).toBe(-16);
  });

  test("two seconds of words or more are held to the long threshold, however many words", () => {
    expect(requiredConfidence(words(0.5, 0.5, 0.5, 0.5), rule)).toBe(-22);
    expect(requiredConfidence(words(...Array(12).fill(0.3)), rule)).toBe(-22);
  });

  test("between short and long the threshold moves linearly, counting words and not the pauses between them", () => {
    const middle = (SHORT_SECONDS + LONG_SECONDS) / 2;
    expect(requiredConfidence(words(middle / 2, middle / 2), rule)).toBeCloseTo((-13 + -22) / 2, 6);
    // The same words spread over twice the time: the same threshold.
    const spread = words(middle / 2, middle / 2).map((w, i) => ({ start: w.start + i, end: w.end + i }));
    expect(requiredConfidence(spread, rule)).toBeCloseTo((-13 + -22) / 2, 6);
  });
});

describe("a short sentence judged word by word", () => {
  const rule = { threshold: -14, oneWordThreshold: -17.5, longThreshold: -17, wordMeanThreshold: -13 };
  /** Words one after another, each [seconds, fit]. */
  const words = (...shape: [number, number][]) => {
    let at = 0.3;
    return shape.map(([length, confidence]) => {
      const word = { start: at, end: at + length, confidence };
      at += length;
      return word;
    });
  };
  /** The frame-weighted confidence of those words, as utteranceConfidence gives it. */
  const weighted = (ws: { start: number; end: number; confidence: number }[]) =>
    ws.reduce((sum, w) => sum + w.confidence * (w.end - w.start), 0) /
    ws.reduce((sum, w) => sum + (w.end - w.start), 0);

  test("one long word that fits well does not carry the others: each word counts once", () => {
    // "tablecloth" heard as "get lights off", as a real voice said it.
    const heard = words([0.3, -19.1], [0.2, -28.3], [0.43, -0.4]);
    expect(weighted(heard)).toBeGreaterThanOrEqual(requiredConfidence(heard, rule));
    expect(wordMean(heard)).toBeCloseTo((-19.1 - 28.3 - 0.4) / 3);
    expect(keeps(weighted(heard), heard, rule)).toBe(false);
    expect(keeps(weighted(heard), heard, { ...rule, wordMeanThreshold: undefined })).toBe(true);
  });

  test("words shorter than the judged length are left out of the mean", () => {
    const heard = words([0.4, -5], [0.08, -40], [0.3, -10]);
    expect(JUDGED_WORD_SECONDS).toBeGreaterThan(0.08);
    expect(wordMean(heard)).toBeCloseTo(-7.5);
    expect(keeps(weighted(heard), heard, rule)).toBe(true);
  });

  test("one word, 2 s of words or more, or no word long enough are not judged so", () => {
    expect(wordMean(words([0.5, -30]))).toBeUndefined();
    expect(wordMean(words([1.1, -30], [1.0, 5]))).toBeUndefined();
    expect(wordMean(words([0.1, -30], [0.15, 5]))).toBeUndefined();
    const long = words([1.2, -20], [0.9, -8]);
    expect(keeps(weighted(long), long, rule)).toBe(true);
  });

  test("an utterance below the frame-weighted threshold stays rejected however its words fit one by one", () => {
    const heard = words([0.3, -20], [0.3, -20], [0.3, 10]);
    expect(keeps(-15, heard, rule)).toBe(false);
  });
});
