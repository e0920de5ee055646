import { describe, expect, test } from "vitest";
import { buildJsgf, jsgfVocabulary, normalizeWords, phrasesToJsgf } from "../../../src/audio/stt/jsgf.js";
import { HearthError } from "../../../src/core/errors.js";

describe("the speech grammar builder", () => {
  test("writes the root as the public rule and each named rule after it", () => {
    const { jsgf } = buildJsgf({
      rules: { device: { alt: ["Kitchen Light", "Desk Lamp"] } },
      root: { seq: [{ alt: ["turn on", "turn off"] }, { opt: "the" }, { ref: "device" }] },
    });
    expect(jsgf).toBe(
      [
        "#JSGF V1.0;",
        "grammar hearth;",
        "public <utterance> = (turn on | turn off) [the] <device>;",
        "<device> = kitchen light | desk lamp;",
        "",
      ].join("\n"),
    );
  });

  test("normalises words to the dictionary's form", () => {
    expect(normalizeWords("What's the Living-Room's TEMP, please?")).toEqual([
      "what's",
      "the",
      "living",
      "room's",
      "temp",
      "please",
    ]);
  });

  test("an alternative with an empty choice becomes optional", () => {
    expect(buildJsgf({ root: { alt: ["lights", ""] } }).jsgf).toContain("public <utterance> = [lights];");
  });

  test("a repetition becomes one item then any number of separator-and-item", () => {
    const { jsgf } = buildJsgf({
      rules: { command: { alt: ["lamp on", "fan off"] } },
      root: { repeat: { ref: "command" }, separator: { alt: ["and", "then"] } },
    });
    expect(jsgf).toContain("public <utterance> = <command> ((and | then) <command>)*;");
  });

  test("the root's name steps aside for a rule of the same name", () => {
    const { jsgf } = buildJsgf({ rules: { utterance: "hello" }, root: { ref: "utterance" } });
    expect(jsgf).toContain("public <utterance_2> = <utterance>;");
    expect(jsgf).toContain("<utterance> = hello;");
  });

  test("a reference to a rule that does not exist is an error", () => {
    expect(() => buildJsgf({ root: { ref: "nowhere" } })).toThrow(HearthError);
  });

  test("phrases become one alternative each", () => {
    expect(phrasesToJsgf(["yes", "no thanks"]).jsgf).toContain("public <utterance> = yes | no thanks;");
  });

  test("keeps the pronunciations given with the spec", () => {
    expect(buildJsgf({ root: "ecobee", pronunciations: { ecobee: "EH K OW B IY" } }).pronunciations).toEqual({
      ecobee: "EH K OW B IY",
    });
  });
});

describe("the vocabulary of a JSGF grammar", () => {
  test("lists every word once, skipping the header, rule names, weights, tags and comments", () => {
    const jsgf = [
      "#JSGF V1.0;",
      "grammar test; // a comment with words",
      "/* a block comment */",
      'public <cmd> = /2/ turn (on | off) [the] <thing> {tag} | "ecobee three";',
      "<thing> = lamp | fan+ | lamp;",
    ].join("\n");
    expect(jsgfVocabulary(jsgf)).toEqual(["turn", "on", "off", "the", "ecobee", "three", "lamp", "fan"]);
  });

  test("round-trips what the builder wrote", () => {
    const grammar = buildJsgf({ rules: { x: { alt: ["a b", "c"] } }, root: { seq: ["go", { ref: "x" }] } });
    expect(grammar.jsgf).toBeDefined();
    expect(jsgfVocabulary(grammar.jsgf ?? "")).toEqual(["go", "a", "b", "c"]);
  });
});
