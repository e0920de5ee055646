import { describe, expect, it } from "vitest";
import { normalizeGermanNumbers, spokenGermanNumber } from "../../../src/intents/hassil/numbers-de.js";

describe("spokenGermanNumber", () => {
  it("says numbers as German speakers do", () => {
    expect([1, 10, 21, 45, 100, 105, 121, 1200, 2000].map(spokenGermanNumber)).toEqual([
      "eins",
      "zehn",
      "einundzwanzig",
      "fünfundvierzig",
      "hundert",
      "hundertfünf",
      "hunderteinundzwanzig",
      "tausendzweihundert",
      "zweitausend",
    ]);
    expect(spokenGermanNumber(21.5)).toBe("einundzwanzig komma fünf");
  });

  it("is read back as the same number by the German tokenizer's number words", () => {
    for (let n = 0; n <= 2500; n++)
      expect(normalizeGermanNumbers([spokenGermanNumber(n)]), String(n)).toEqual([String(n)]);
    for (const n of [0.5, 18.5, 22.5])
      expect(normalizeGermanNumbers(spokenGermanNumber(n).split(" ")), String(n)).toEqual([String(n)]);
  });
});
