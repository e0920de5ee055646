import { describe, expect, test } from "vitest";
import { compileFsg, oneWordSentences } from "../../../src/audio/stt/fsg.js";
import { type FsgGraph, shareRepeatedWords } from "../../../src/audio/stt/fsg-minimize.js";
import type { GrammarSpec } from "../../../src/audio/stt/speech-to-text.js";
import { HearthError } from "../../../src/core/errors.js";
import { languageDifference } from "../../helpers/fsg-language.js";

interface Parsed {
  start: number;
  final: number;
  words: Array<[number, number, string]>;
  nulls: Array<[number, number]>;
}

function parse(text: string): Parsed {
  const lines = text.trim().split("\n");
  const value = (key: string): number => Number(lines.find((line) => line.startsWith(key))?.split(" ")[1]);
  const parsed: Parsed = { start: value("START_STATE"), final: value("FINAL_STATE"), words: [], nulls: [] };
  for (const line of lines.filter((l) => l.startsWith("TRANSITION"))) {
    const [, from, to, , word] = line.split(" ");
    if (word === undefined) parsed.nulls.push([Number(from), Number(to)]);
    else parsed.words.push([Number(from), Number(to), word]);
  }
  return parsed;
}

/**
 * Every sentence of at most `maxWords` words the automaton accepts, following one null transition
 * at a time as pocketsphinx does.
 */
function sentences(text: string, limit = 10_000, maxWords = 20): string[] {
  const fsg = parse(text);
  const out = new Set<string>();
  const walk = (state: number, words: string[], viaNull: boolean): void => {
    if (out.size > limit || words.length > maxWords) return;
    if (state === fsg.final) out.add(words.join(" "));
    for (const [from, to, word] of fsg.words) if (from === state) walk(to, [...words, word], false);
    // Closed null transitions: one hop is enough, and a second would only repeat the first.
    if (!viaNull) for (const [from, to] of fsg.nulls) if (from === state) walk(to, words, true);
  };
  walk(fsg.start, [], false);
  return [...out].sort();
}

/** A graph as FSG text, its null transitions closed as compileFsg closes them. */
function fsgText(graph: FsgGraph): string {
  const lines = [`NUM_STATES ${graph.states}`, `START_STATE ${graph.start}`, `FINAL_STATE ${graph.final}`];
  for (const [from, to, word] of graph.words) lines.push(`TRANSITION ${from} ${to} 1.0 ${word}`);
  for (const from of graph.nulls.keys()) {
    const reached = new Set<number>();
    const stack = [...(graph.nulls.get(from) ?? [])];
    while (stack.length > 0) {
      const to = stack.pop() as number;
      if (reached.has(to)) continue;
      reached.add(to);
      lines.push(`TRANSITION ${from} ${to} 1.0`);
      stack.push(...(graph.nulls.get(to) ?? []));
    }
  }
  return lines.join("\n");
}

describe("compiling a grammar spec to a pocketsphinx FSG", () => {
  test("accepts exactly the spec's sentences when nothing is shared", () => {
    const spec: GrammarSpec = {
      rules: { thing: { alt: ["lamp", "fan"] } },
      root: { seq: [{ alt: ["turn on", "switch on"] }, { opt: "the" }, { ref: "thing" }] },
    };
    expect(sentences(compileFsg(spec).text)).toEqual(
      [
        "switch on fan",
        "switch on lamp",
        "switch on the fan",
        "switch on the lamp",
        "turn on fan",
        "turn on lamp",
        "turn on the fan",
        "turn on the lamp",
      ].sort(),
    );
  });

  test("builds a large rule referred to from several places once, instead of once per reference", () => {
    const names = Array.from({ length: 40 }, (_, i) => `device ${i}`);
    const spec: GrammarSpec = {
      rules: { name: { alt: names } },
      root: { alt: [{ seq: ["turn on", { ref: "name" }] }, { seq: ["turn off", { ref: "name" }] }] },
    };
    // Unmerged, to see the networks as built (merging would fold the copies into one as well).
    const shared = compileFsg(spec, "hearth", { shareFromWords: 50, mergeStates: false });
    const copied = compileFsg(spec, "hearth", { mergeStates: false });
    expect(shared.transitions).toBeLessThan(copied.transitions * 0.6);
    // Both still accept every real sentence.
    for (const text of [shared.text, copied.text]) {
      const accepted = sentences(text);
      expect(accepted).toContain("turn on device 7");
      expect(accepted).toContain("turn off device 39");
    }
  });

  test("a shared rule leads back only to the places followed by the same words: no sentence mixes two templates", () => {
    const names = Array.from({ length: 20 }, (_, i) => `lamp ${i} x`);
    const spec: GrammarSpec = {
      rules: { name: { alt: names } },
      root: {
        alt: [
          { seq: ["turn on", { ref: "name" }] },
          { seq: ["switch on", { ref: "name" }] },
          { seq: ["dim", { ref: "name" }, "to half"] },
        ],
      },
    };
    const compiled = compileFsg(spec, "hearth", {
      shareFromWords: 10,
      mergeStates: false,
      shareWords: false,
    });
    const expected = names.flatMap((n) => [`turn on ${n}`, `switch on ${n}`, `dim ${n} to half`]);
    expect(sentences(compiled.text)).toEqual(expected.sort());
    expect(sentences(compileFsg(spec, "hearth", { shareFromWords: 10 }).text)).toEqual(expected.sort());
    // "turn on" and "switch on" (both followed by the end) share one copy of the names, "dim" has its own.
    expect(compiled.transitions).toBeLessThan(names.length * 3 * 3);
    expect(compiled.transitions).toBeGreaterThanOrEqual(names.length * 3 * 2);
  });

  test("a rule whose copies would pass the budget gets two networks: where the command can end after it, and where it goes on", () => {
    const spec: GrammarSpec = {
      rules: { name: { alt: Array.from({ length: 20 }, (_, i) => `lamp ${i} x`) } },
      root: {
        alt: [
          { seq: ["turn on", { ref: "name" }] },
          { seq: ["switch on", { ref: "name" }] },
          { seq: ["dim", { ref: "name" }, "to half"] },
          { seq: ["turn", { ref: "name" }, "off"] },
        ],
      },
    };
    const within = compileFsg(spec, "hearth", { shareFromWords: 10, copyBudgetWords: 120 });
    const over = compileFsg(spec, "hearth", { shareFromWords: 10, copyBudgetWords: 119 });
    const exact = sentences(within.text);
    const coarse = sentences(over.text);
    // Every real sentence stays, and no crossing goes from a sentence that can end into one that goes on.
    for (const sentence of [
      "turn on lamp 3 x",
      "switch on lamp 3 x",
      "dim lamp 3 x to half",
      "turn lamp 3 x off",
    ]) {
      expect(exact).toContain(sentence);
      expect(coarse).toContain(sentence);
    }
    expect(coarse).not.toContain("turn on lamp 3 x off");
    expect(coarse).not.toContain("dim lamp 3 x");
    // Within the group that goes on, a crossing remains possible; keyed by the following words, not.
    expect(coarse).toContain("dim lamp 3 x off");
    expect(exact).not.toContain("dim lamp 3 x off");
    // Two networks of 20 names instead of three, as built (before merging states folds them further).
    const unmerged = (budget: number): number =>
      compileFsg(spec, "hearth", {
        shareFromWords: 10,
        copyBudgetWords: budget,
        mergeStates: false,
        shareWords: false,
      }).transitions;
    expect(unmerged(120) - unmerged(119)).toBe(20 * 3);
  });

  test("a repetition is a loop: one item, or more with the separator between them", () => {
    const spec: GrammarSpec = {
      rules: { command: { alt: ["lamp on", "fan off"] } },
      root: { seq: [{ repeat: { ref: "command" }, separator: { alt: ["and", "then"] } }, { opt: "please" }] },
    };
    const compiled = compileFsg(spec);
    const accepted = sentences(compiled.text, 10_000, 9);
    expect(accepted).toContain("lamp on");
    expect(accepted).toContain("fan off please");
    expect(accepted).toContain("lamp on and fan off");
    expect(accepted).toContain("fan off then lamp on and lamp on please");
    expect(accepted).not.toContain("lamp on and");
    expect(accepted).not.toContain("and fan off");
    // The command is written once, however many times it may be said.
    expect(compiled.transitions).toBe(2 * 2 + 2 + 1);
  });

  test("null transitions are closed, so one hop reaches every state a chain of them reaches", () => {
    const spec: GrammarSpec = { root: { seq: [{ opt: "a" }, { opt: "b" }, { opt: "c" }, "d"] } };
    expect(sentences(compileFsg(spec).text)).toEqual([
      "a b c d",
      "a b d",
      "a c d",
      "a d",
      "b c d",
      "b d",
      "c d",
      "d",
    ]);
  });

  test("merging equivalent states keeps exactly the same sentences with fewer states", () => {
    // Copies of the names at the end of several templates, options, a shared list keyed by what
    // follows, and a repetition: each kind of network the compiler builds.
    const names = Array.from({ length: 12 }, (_, i) => `lamp ${i % 4} ${i < 6 ? "left" : "right"}`);
    const spec: GrammarSpec = {
      rules: { name: { alt: names }, area: { alt: ["kitchen", "hall", "the attic"] } },
      root: {
        repeat: {
          alt: [
            { seq: ["turn on", { opt: "the" }, { ref: "name" }] },
            { seq: ["switch", { ref: "name" }, "off"] },
            { seq: ["dim", { ref: "name" }, "in", { ref: "area" }] },
            { seq: [{ ref: "area" }, "lights", { alt: ["on", "off"] }] },
          ],
        },
        separator: "and",
      },
    };
    for (const options of [{}, { shareFromWords: 10 }, { shareFromWords: 10, copyBudgetWords: 5 }]) {
      const unmerged = compileFsg(spec, "hearth", { ...options, mergeStates: false });
      const merged = compileFsg(spec, "hearth", options);
      expect(sentences(merged.text, 200_000, 9)).toEqual(sentences(unmerged.text, 200_000, 9));
      expect(merged.states).toBeLessThan(unmerged.states * 0.6);
      expect(merged.words.sort()).toEqual(unmerged.words.sort());
    }
  });

  test("sharing repeated words keeps exactly the same sentences with fewer word transitions", () => {
    // Forward: four words each leave the start for the same three states (names that begin alike).
    // Backward: five words each lead from the same three states to one (the same ending after
    // different beginnings). Merging states cannot fold either: the states differ in other words.
    const words: Array<[number, number, string]> = [];
    for (const word of ["a", "b", "c", "d"]) for (const to of [2, 3, 4]) words.push([0, to, word]);
    words.push([2, 1, "x"], [3, 1, "y"], [4, 1, "z"]);
    words.push([0, 5, "m"], [0, 6, "n"], [0, 7, "o"], [5, 1, "u"], [6, 1, "v"], [7, 1, "w"], [8, 1, "end"]);
    for (const word of ["p", "q", "r", "s", "t"]) for (const from of [5, 6, 7]) words.push([from, 8, word]);
    const graph: FsgGraph = { states: 9, start: 0, final: 1, words, nulls: new Map([[2, new Set([1])]]) };
    const shared = shareRepeatedWords(graph);
    expect(languageDifference(fsgText(graph), fsgText(shared))).toBeUndefined();
    expect(sentences(fsgText(shared))).toEqual(sentences(fsgText(graph)));
    expect(sentences(fsgText(shared))).toContain("c");
    expect(sentences(fsgText(shared))).toContain("o r end");
    // 12 → 4 and 15 → 5 word transitions, through one new state each.
    expect(shared.words.length).toBe(words.length - 8 - 10);
    expect(shared.states).toBe(graph.states + 2);
  });

  test("a word repeated too few times to pay for a state of its own is left as it is", () => {
    const graph: FsgGraph = {
      states: 4,
      start: 0,
      final: 1,
      words: [
        [0, 2, "a"],
        [0, 3, "a"],
        [2, 1, "x"],
        [3, 1, "y"],
      ],
      nulls: new Map(),
    };
    expect(shareRepeatedWords(graph)).toEqual(graph);
  });

  test("three words leaving a state for the same two share one new state, keeping exactly the same sentences", () => {
    // Each of "dim", "brighten" and "toggle" leaves the start for both "lamp" states (the desk and
    // the porch lamp begin alike): three word transitions saved for one state and its null table,
    // which pays at pocketsphinx's compacted tables' prices (under sphinxbase's 101-bucket tables
    // it did not). "lamp" entering the end from both lamp states is one word saved: it does not pay.
    const words: Array<[number, number, string]> = [];
    for (const word of ["dim", "brighten", "toggle"]) for (const to of [2, 3]) words.push([0, to, word]);
    words.push(
      [2, 4, "desk"],
      [3, 5, "porch"],
      [4, 1, "lamp"],
      [5, 1, "lamp"],
      [0, 6, "stop"],
      [6, 1, "now"],
    );
    const graph: FsgGraph = { states: 7, start: 0, final: 1, words, nulls: new Map() };
    const shared = shareRepeatedWords(graph);
    expect(languageDifference(fsgText(graph), fsgText(shared))).toBeUndefined();
    expect(sentences(fsgText(shared))).toEqual(sentences(fsgText(graph)));
    expect(sentences(fsgText(shared))).toEqual(
      expect.arrayContaining(["dim desk lamp", "toggle porch lamp", "stop now"]),
    );
    expect(shared.states).toBe(graph.states + 1);
    expect(shared.words.length).toBe(words.length - 3);
  });

  test("the compiler shares the words repeated in a list over the copy budget, keeping its sentences", () => {
    const areas = ["kitchen", "hall", "attic", "porch", "study", "garage"];
    const names = areas.flatMap((area, i) => [`${area} lamp ${i}`, `${area} fan ${i}`, `lamp ${i}`]);
    const spec: GrammarSpec = {
      rules: { name: { alt: names } },
      root: {
        repeat: {
          alt: [
            { seq: [{ alt: ["turn on", "switch on"] }, { opt: "the" }, { ref: "name" }] },
            { seq: ["turn", { ref: "name" }, { alt: ["off", "down"] }] },
            { seq: [{ alt: ["dim", "brighten"] }, { ref: "name" }, "in the kitchen"] },
          ],
        },
        separator: { alt: ["and", "then"] },
      },
    };
    for (const options of [{}, { shareFromWords: 10, copyBudgetWords: 5 }]) {
      const plain = compileFsg(spec, "hearth", { ...options, shareWords: false });
      const shared = compileFsg(spec, "hearth", options);
      expect(languageDifference(plain.text, shared.text)).toBeUndefined();
      expect(shared.transitions).toBeLessThanOrEqual(plain.transitions);
    }
  });

  test("the language check tells apart grammars that differ by one sentence", () => {
    const a = compileFsg({ root: { alt: ["turn on the lamp", "turn off the lamp", "turn on the fan"] } });
    const b = compileFsg({ root: { alt: ["turn on the lamp", "turn off the lamp"] } });
    expect(languageDifference(a.text, a.text)).toBeUndefined();
    expect(languageDifference(a.text, b.text)).toEqual({
      words: ["turn", "on", "the", "fan"],
      acceptedBy: "first",
    });
    const loop = compileFsg({ root: { repeat: "lamp", separator: "and" } });
    const twice = compileFsg({ root: { alt: ["lamp", "lamp and lamp"] } });
    expect(languageDifference(loop.text, twice.text)).toMatchObject({ acceptedBy: "first" });
  });

  test("lists the words that are a whole sentence alone, through optional words, and no word that only starts one", () => {
    const fsg = compileFsg({
      rules: { name: { alt: ["lamp", "fan"] } },
      root: {
        alt: [
          "pause",
          { seq: [{ opt: "please" }, "resume"] },
          { seq: ["next", { opt: "one" }] },
          { seq: ["stop", { ref: "name" }] },
          "turn on the lamp",
        ],
      },
    });
    expect(oneWordSentences(fsg).sort()).toEqual(["next", "pause", "resume"]);
    expect(oneWordSentences(compileFsg({ root: { alt: ["turn on the lamp", "lamp off"] } }))).toEqual([]);
  });

  test("lists the words it uses, normalised", () => {
    expect(compileFsg({ root: { alt: ["Turn ON the Lamp", "what's up"] } }).words.sort()).toEqual(
      ["lamp", "on", "the", "turn", "up", "what's"].sort(),
    );
  });

  test("a rule that refers to itself or to nothing is an error", () => {
    expect(() => compileFsg({ rules: { a: { ref: "a" } }, root: { ref: "a" } })).toThrow(HearthError);
    expect(() => compileFsg({ root: { ref: "missing" } })).toThrow(/unknown rule/);
  });
});
