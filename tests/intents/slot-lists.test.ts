import { describe, expect, it } from "vitest";
import { tokenize } from "../../src/intents/normalize.js";
import {
  DurationList,
  type NameBounds,
  NameList,
  phoneticKey,
  pluralVariants,
  RangeList,
  similarity,
  ValueList,
  WildcardList,
} from "../../src/intents/slot-lists.js";

/** Some English words that bound a name, as a language's sentence files give them. */
const ENGLISH_BOUNDS: NameBounds = {
  joiners: new Set(["and", "then"]),
  articles: new Set(["the", "a", "an"]),
  prepositions: new Set(["by", "near"]),
};

/** A name list holding a few devices, each under its configured name and aliases. */
function names(threshold: number, bounds = ENGLISH_BOUNDS): NameList {
  const list = new NameList(threshold, undefined, undefined, bounds);
  const devices: Array<[string, string, string[]]> = [
    ["light.kitchen", "Kitchen Light", ["big light"]],
    ["switch.coffee", "Coffee Maker", []],
    ["light.kids", "Kid's Room Light", []],
    ["light.two", "Light 2", []],
    ["light.hallway", "Hallway", []],
    ["light.fairy", "Fairy Lights", []],
    ["switch.tree", "Christmas Tree", ["xmas tree"]],
  ];
  for (const [id, name, aliases] of devices)
    for (const n of [name, ...aliases]) list.add(tokenize(n), name, [id]);
  return list;
}

/** The value of the longest match of `text` from its first word that covers all of it, if any. */
function whole(list: NameList, text: string, mode: "exact" | "fuzzy" | "wildcard") {
  const tokens = tokenize(text);
  return list.match(tokens, 0, mode).find((m) => m.end === tokens.length);
}

describe("ValueList", () => {
  it("matches words to values, longest first", () => {
    const list = new ValueList();
    list.add(["warm"], "warm");
    list.add(["warm", "white"], "warm white");
    expect(list.match(tokenize("warm white light"), 0, "exact")).toEqual([
      { end: 2, value: "warm white", text: "warm white" },
      { end: 1, value: "warm", text: "warm" },
    ]);
  });

  it("matches from any position and gives nothing for an unknown word", () => {
    const list = new ValueList();
    list.add(["red"], "red");
    expect(list.match(tokenize("set it to red"), 3, "exact")).toEqual([
      { end: 4, value: "red", text: "red" },
    ]);
    expect(list.match(tokenize("set it to red"), 2, "exact")).toEqual([]);
    expect(list.match(tokenize("red"), 1, "exact")).toEqual([]);
  });

  it("merges the ids of one value added twice and keeps different values apart", () => {
    const list = new ValueList();
    list.add(["lamp"], "Lamp", ["light.a"]);
    list.add(["lamp"], "Lamp", ["light.b"]);
    list.add(["lamp"], "Desk Lamp", ["light.c"]);
    expect(list.match(["lamp"], 0, "exact")).toEqual(
      expect.arrayContaining([
        { end: 1, value: "Lamp", text: "lamp", ids: ["light.a", "light.b"] },
        { end: 1, value: "Desk Lamp", text: "lamp", ids: ["light.c"] },
      ]),
    );
  });

  it("ignores an empty phrase", () => {
    const list = new ValueList();
    list.add([], "nothing");
    expect(list.match(["nothing"], 0, "exact")).toEqual([]);
  });
});

describe("RangeList", () => {
  it.each<[string, RangeList, string, number | null]>([
    ["the lowest number", new RangeList(0, 100), "0", 0],
    ["the highest number", new RangeList(0, 100), "100", 100],
    ["a number in between", new RangeList(0, 100), "42", 42],
    ["a number above the range", new RangeList(0, 100), "101", null],
    ["a number below the range", new RangeList(10, 30), "5", null],
    ["a decimal without fractions", new RangeList(0, 100), "21.5", null],
    ["a decimal with fractions", new RangeList(0, 100, 1, true), "21.5", 21.5],
    ["a number on the step", new RangeList(0, 100, 5), "55", 55],
    ["a number off the step", new RangeList(0, 100, 5), "53", null],
    ["a step counted from the start", new RangeList(1, 10, 3), "7", 7],
    ["a word", new RangeList(0, 100), "fifty", null],
    ["a negative sign", new RangeList(-10, 10), "-5", null],
    ["a number times a multiplier (a step down)", new RangeList(1, 100, 1, false, -1), "20", -20],
  ])("reads %s", (_what, list, token, expected) => {
    const result = list.match([token], 0);
    expect(result).toEqual(expected === null ? [] : [{ end: 1, value: expected, text: token }]);
  });

  it("reads number words once the tokenizer has made them digits", () => {
    expect(new RangeList(0, 100).match(tokenize("seventy five"), 0)).toEqual([
      { end: 1, value: 75, text: "75" },
    ]);
  });
});

describe("WildcardList", () => {
  it("offers every span up to its word limit, longest first, marked unknown", () => {
    const spans = new WildcardList(3).match(tokenize("big pizza in the oven"), 0);
    expect(spans.map((s) => s.value)).toEqual(["big pizza in", "big pizza", "big"]);
    expect(spans.every((s) => s.quality === "unknown")).toBe(true);
  });

  it("stops at the end of the sentence", () => {
    expect(new WildcardList(6).match(tokenize("pizza"), 0).map((s) => s.end)).toEqual([1]);
    expect(new WildcardList(6).match(tokenize("pizza"), 1)).toEqual([]);
  });

  it("never starts with a word it is told to leave out", () => {
    const list = new WildcardList(6, new Set(["it"]));
    expect(list.match(tokenize("it again"), 0)).toEqual([]);
    expect(list.match(tokenize("jazz again"), 0).map((s) => s.value)).toEqual(["jazz again", "jazz"]);
  });
});

describe("NameList", () => {
  describe("in exact mode", () => {
    it.each<[string, string, string]>([
      ["the configured name", "Kitchen Light", "Kitchen Light"],
      ["any case", "KITCHEN light", "Kitchen Light"],
      ["an alias", "big light", "Kitchen Light"],
      ["a plural", "kitchen lights", "Kitchen Light"],
      ["a plural of an alias", "big lights", "Kitchen Light"],
      ["a singular of a plural name", "fairy light", "Fairy Lights"],
      ["a possessive said without the apostrophe", "kids room light", "Kid's Room Light"],
      ["a possessive said with the apostrophe", "kid's room light", "Kid's Room Light"],
      ["a number said as a word", "light two", "Light 2"],
      ["a number said as a digit", "light 2", "Light 2"],
      ["a short alias", "xmas tree", "Christmas Tree"],
    ])("finds %s: %j", (_what, said, expected) => {
      expect(whole(names(0.8), said, "exact")?.value).toBe(expected);
    });

    it.each<[string, string]>([
      ["a near miss", "kichen light"],
      ["a part of a name only", "coffee"],
      ["a wrong number", "light 3"],
      ["another word order", "light kitchen"],
    ])("does not find %s: %j", (_what, said) => {
      expect(whole(names(0.8), said, "exact")).toBeUndefined();
    });

    it("carries the ids of the device behind the name", () => {
      expect(whole(names(0.8), "big light", "exact")?.ids).toEqual(["light.kitchen"]);
    });

    it("offers a shorter name inside a longer one as a second choice", () => {
      const list = names(0.8);
      list.add(["kitchen"], "Kitchen", ["switch.kitchen"]);
      expect(list.match(tokenize("kitchen light"), 0, "exact").map((m) => m.value)).toEqual([
        "Kitchen Light",
        "Kitchen",
      ]);
    });
  });

  describe("in fuzzy mode", () => {
    it.each<[string, string, string]>([
      ["a dropped letter", "kichen light", "Kitchen Light"],
      ["a sound-alike spelling", "kitchen lite", "Kitchen Light"],
      ["a doubled letter missed", "cofee maker", "Coffee Maker"],
      ["one wrong sound", "toffee maker", "Coffee Maker"],
      ["a word split in two", "hall way", "Hallway"],
      ["a near miss of a plural", "kichen lights", "Kitchen Light"],
    ])("accepts %s within the threshold: %j", (_what, said, expected) => {
      expect(whole(names(0.8), said, "fuzzy")?.value).toBe(expected);
    });

    it.each<[string, string]>([
      ["a different word", "chicken light"],
      ["another device altogether", "garage heater"],
      ["half of a name", "coffee"],
    ])("rejects %s beyond the threshold: %j", (_what, said) => {
      expect(whole(names(0.8), said, "fuzzy")).toBeUndefined();
    });

    it("marks near misses as fuzzy and exact names as not", () => {
      const list = names(0.8);
      expect(whole(list, "kichen light", "fuzzy")?.quality).toBe("fuzzy");
      expect(whole(list, "kitchen light", "fuzzy")?.quality).toBeUndefined();
    });

    it.each<[string, number, boolean]>([
      // "kitten light" is 0.8 similar to "kitchen light", "kichen light" 0.9 (on their sound keys).
      ["kitten light", 0.75, true],
      ["kitten light", 0.85, false],
      ["kichen light", 0.85, true],
      ["kichen light", 0.95, false],
      // Exactly at the threshold counts as close enough.
      ["kitten light", 0.8, true],
      ["kichen light", 0.9, true],
    ])("takes %j at threshold %d: %s", (said, threshold, found) => {
      expect(whole(names(threshold), said, "fuzzy")?.value).toBe(found ? "Kitchen Light" : undefined);
    });

    it.each<[string]>([["kichen light"], ["kitten light"], ["toffee maker"], ["cofee makr"]])(
      "with threshold 1, takes no near miss: %j",
      (said) => {
        expect(whole(names(1), said, "fuzzy")).toBeUndefined();
      },
    );

    it("with threshold 1, still takes the exact name", () => {
      expect(whole(names(1), "coffee maker", "fuzzy")?.value).toBe("Coffee Maker");
    });
  });

  describe("in wildcard mode", () => {
    it("offers the words said as an unknown name, longest first", () => {
      const spans = names(0.8).match(tokenize("garage heater"), 0, "wildcard");
      expect(spans).toEqual([
        { end: 2, value: "garage heater", text: "garage heater", quality: "unknown" },
        { end: 1, value: "garage", text: "garage", quality: "unknown" },
      ]);
    });

    it("still offers known names first", () => {
      const [first] = names(0.8).match(tokenize("coffee maker"), 0, "wildcard");
      expect(first).toEqual({ end: 2, value: "Coffee Maker", text: "coffee maker", ids: ["switch.coffee"] });
    });

    it("never starts an unknown name with an article", () => {
      expect(names(0.8).match(tokenize("the garage heater"), 0, "wildcard")).toEqual([]);
    });

    it("never lets an unknown name span 'and' or 'then'", () => {
      const values = names(0.8)
        .match(tokenize("heater and fan"), 0, "wildcard")
        .map((m) => m.value);
      expect(values).toEqual(["heater"]);
    });

    it("bounds an unknown name by its language's words only", () => {
      const german: NameBounds = {
        joiners: new Set(["und", "dann"]),
        articles: new Set(["die", "das"]),
        prepositions: new Set(["neben"]),
      };
      const said = (text: string, bounds: NameBounds) =>
        names(0.8, bounds)
          .match(tokenize(text), 0, "wildcard")
          .map((m) => m.value);
      expect(said("gartenlampe an und dann", german)).toEqual(["gartenlampe an", "gartenlampe"]);
      expect(said("lampe neben das", german)).toEqual(["lampe"]);
      expect(said("die lampe", german)).toEqual([]);
      // English words bound no German name, nor German words an English one.
      expect(said("heater and fan", german)).toEqual(["heater and fan", "heater and", "heater"]);
      expect(said("heater und fan", ENGLISH_BOUNDS)).toEqual(["heater und fan", "heater und", "heater"]);
    });

    it("stops an unknown name at its word limit", () => {
      const list = new NameList(0.8, 2);
      expect(list.match(tokenize("a b c d"), 1, "wildcard").map((m) => m.value)).toEqual(["b c", "b"]);
    });
  });

  describe("area-local names", () => {
    it("finds a local name, marked local, only through addLocal", () => {
      const list = new NameList(0.8);
      list.add(tokenize("Living Room TV"), "Living Room TV", ["media_player.tv"]);
      expect(whole(list, "tv", "exact")).toBeUndefined();
      list.addLocal(tokenize("TV"), "Living Room TV", ["media_player.tv"]);
      expect(whole(list, "tv", "exact")).toEqual({
        end: 1,
        value: "Living Room TV",
        text: "tv",
        ids: ["media_player.tv"],
        quality: "local",
      });
      expect(whole(list, "tvs", "exact")?.quality).toBe("local");
      expect(whole(list, "living room tv", "exact")?.quality).toBeUndefined();
    });
  });
});

describe("pluralVariants", () => {
  it.each<[string, string[]]>([
    ["light", ["light", "lights"]],
    ["lights", ["lights", "light"]],
    ["lamp", ["lamp", "lamps"]],
    ["switch", ["switch", "switches"]],
    ["switches", ["switches", "switch"]],
    ["box", ["box", "boxes"]],
    ["battery", ["battery", "batteries"]],
    ["batteries", ["batteries", "battery"]],
    ["day", ["day", "days"]],
    ["kitchen light", ["kitchen light", "kitchen lights"]],
    ["light 2", ["light 2"]],
  ])("gives %j the forms %j", (name, forms) => {
    const variants = pluralVariants(name.split(" ")).map((w) => w.join(" "));
    for (const form of forms) expect(variants).toContain(form);
  });

  it("leaves a name ending in a number alone", () => {
    expect(pluralVariants(["light", "2"])).toEqual([["light", "2"]]);
  });
});

describe("phoneticKey", () => {
  it.each<[string, string]>([
    ["light", "lite"],
    ["phone", "fone"],
    ["hallway", "hall way"],
    ["coffee", "cofee"],
    ["kick", "kik"],
    ["cat", "kat"],
  ])("gives %j and %j the same key", (a, b) => {
    expect(phoneticKey(a)).toBe(phoneticKey(b));
  });

  it.each<[string, string]>([
    ["light", "fight"],
    ["kitchen", "chicken"],
  ])("keeps %j and %j apart", (a, b) => {
    expect(phoneticKey(a)).not.toBe(phoneticKey(b));
  });
});

describe("similarity", () => {
  it.each<[string, string, number]>([
    ["kitchen", "kitchen", 1],
    ["abc", "abd", 2 / 3],
    ["abcd", "abc", 3 / 4],
    ["abc", "xyz", 0],
    ["", "abc", 0],
    ["abc", "", 0],
    ["kitten", "sitting", 1 - 3 / 7],
  ])("of %j and %j is %d", (a, b, expected) => {
    expect(similarity(a, b)).toBeCloseTo(expected, 10);
  });

  it("is the same both ways", () => {
    expect(similarity("kichenlit", "kitchenlit")).toBe(similarity("kitchenlit", "kichenlit"));
  });
});

describe("DurationList", () => {
  it.each<[string, number, Record<string, number>]>([
    ["5 minutes", 300, { minutes: 5 }],
    ["an hour and a half", 5400, { hours: 1, minutes: 30 }],
    ["1 hour 2 minutes and 3 seconds", 3723, { hours: 1, minutes: 2, seconds: 3 }],
    ["ninety seconds", 90, { seconds: 90 }],
  ])("reads %j as %d seconds in hours / minutes / seconds", (text, total, extra) => {
    const tokens = tokenize(text);
    const [longest] = new DurationList().match(tokens, 0);
    expect(longest).toEqual({ end: tokens.length, value: total, text: tokens.join(" "), extra });
  });

  it("gives nothing where no duration starts", () => {
    expect(new DurationList().match(tokenize("pizza timer"), 0)).toEqual([]);
  });
});
