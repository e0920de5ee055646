import { describe, expect, test } from "vitest";
import { type DialectWords, dialectReading } from "../../src/intents/dialect-reading.js";

/** The dialect reading's words (src/intents/dialect-reading.ts), on words of our own. */
const DIALECT: DialectWords = {
  words: new Map([
    ["des", "das"],
    ["velo", "fahrrad"],
    ["da hier drin", "hier drin"],
    ["bittschön", ""],
  ]),
  parts: new Map([["nachtkastl", "nachttisch"]]),
};

describe("a sentence read in the standard words", () => {
  test("reads dialect words, phrases and compound parts as their standard words", () => {
    expect(dialectReading("mach des velo da hier drin an bittschön".split(" "), DIALECT, new Set())).toEqual(
      "mach das fahrrad hier drin an".split(" "),
    );
    expect(dialectReading(["nachtkastllampe", "an"], DIALECT, new Set())).toEqual(["nachttischlampe", "an"]);
  });

  test("keeps a word that a name of the home has", () => {
    expect(dialectReading(["velo", "an"], DIALECT, new Set(["velo"]))).toBeUndefined();
    expect(dialectReading(["nachtkastllampe", "an"], DIALECT, new Set(["nachtkastllampe"]))).toBeUndefined();
  });

  test("reads a phrase whose words are not all a name's", () => {
    expect(dialectReading("mach da hier drin aus".split(" "), DIALECT, new Set(["da"]))).toEqual(
      "mach hier drin aus".split(" "),
    );
  });

  test("gives nothing where no dialect word is said", () => {
    expect(dialectReading("mach das licht an".split(" "), DIALECT, new Set())).toBeUndefined();
  });
});
