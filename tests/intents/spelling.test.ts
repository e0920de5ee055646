import { describe, expect, it } from "vitest";
import { Spelling, slipRank } from "../../src/intents/spelling.js";

const words = new Set([
  "turn",
  "run",
  "on",
  "off",
  "of",
  "the",
  "lights",
  "light",
  "time",
  "item",
  "closed",
  "close",
  "is",
  "blind",
  "what",
  "temperature",
  "timer",
  "dim",
  "green",
  "gran",
]);
const spelling = new Spelling(words);
const noNames: ReadonlySet<string> = new Set();

describe("Spelling", () => {
  it("puts right a letter swapped, doubled, dropped or mistyped", () => {
    expect(spelling.correct("trun on the ligths", noNames)).toBe("turn on the lights");
    expect(spelling.correct("dimm the lights", noNames)).toBe("dim the lights");
    expect(spelling.correct("is the blind closd", noNames)).toBe("is the blind closed");
    expect(spelling.correct("waht is the temprature", noNames)).toBe("what is the temperature");
  });

  it("keeps the punctuation, the spacing and a capital that opens the sentence", () => {
    expect(spelling.correct("Trun on  the lights, please!", noNames)).toBe("turn on  the lights, please!");
  });

  it("takes the likelier slip where a word is one letter from two words", () => {
    // A swap inside the word is likelier than one of its first two letters ("item").
    expect(spelling.correct("what tiem", noNames)).toBe("what time");
    // A vowel for a vowel is likelier than a letter added ("gran").
    expect(spelling.correct("the lights grean", noNames)).toBe("the lights green");
  });

  it("leaves a word alone where two slips are equally likely", () => {
    const tied = new Spelling(new Set(["lamp", "lump"]));
    expect(tied.correct("the lemp", noNames)).toBeUndefined();
    const both = new Spelling(new Set(["cast", "cost"]));
    expect(both.correct("the cest", noNames)).toBeUndefined();
  });

  it("never changes a word of a name, nor a word that may be a slip of one", () => {
    expect(spelling.correct("turn on tyme", new Set(["tyme"]))).toBeUndefined();
    // "Timr" could be the Timer of the sentences or a slip of the name "Tamr".
    expect(spelling.correct("the timr", new Set(["tamr"]))).toBeUndefined();
    expect(spelling.correct("the timr", noNames)).toBe("the timer");
  });

  it("takes a capital inside a sentence for a name", () => {
    expect(spelling.correct("Jake, trun on the lights", noNames)).toBe("Jake, turn on the lights");
    expect(spelling.correct("turn on Trun", noNames)).toBeUndefined();
  });

  it("reads common slips of short words, 'the' typed twice and 'of' for a last 'off'", () => {
    expect(spelling.correct("turn on teh lights", noNames)).toBe("turn on the lights");
    expect(spelling.correct("turn on hte lights", noNames)).toBe("turn on the lights");
    expect(spelling.correct("turn on the the lights", noNames)).toBe("turn on the lights");
    expect(spelling.correct("lights of", noNames)).toBe("lights off");
    expect(spelling.correct("the lights of the time", noNames)).toBeUndefined();
  });

  it("leaves a sentence with more than two slips as it is", () => {
    expect(spelling.correct("trun on teh ligths tiem", noNames)).toBeUndefined();
  });

  it("returns nothing when every word is known", () => {
    expect(spelling.correct("turn on the lights", noNames)).toBeUndefined();
  });
});

describe("slipRank", () => {
  it("ranks a swap or a doubled letter before a dropped letter, and that before a mistyped one", () => {
    expect(slipRank("trun", "turn", false)).toBe(0);
    expect(slipRank("timmer", "timer", false)).toBe(0);
    expect(slipRank("closd", "closed", false)).toBe(2);
    expect(slipRank("volumn", "volume", false)).toBe(5);
  });

  it("does not take a word that differs in its first letter for a slip", () => {
    expect(slipRank("bun", "run", false)).toBeUndefined();
    expect(slipRank("hwat", "what", false)).toBe(1);
  });

  it("allows two slips only in long words", () => {
    expect(slipRank("tempreture", "temperature", true)).toBe(6);
    expect(slipRank("tempreture", "temperature", false)).toBeUndefined();
  });
});
