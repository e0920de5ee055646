import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { intentsSchema } from "../../src/config/schema.js";
import { resolveStateDir } from "../../src/config/state-dir.js";
import { HearthError } from "../../src/core/errors.js";
import { INTENTS, intentSpec } from "../../src/intents/catalog.js";
import {
  builtinSentencesDir,
  type CompiledSentences,
  compileSentences,
  loadSentences,
  readSentenceFile,
  type SentenceFile,
  sentenceFileSchema,
} from "../../src/intents/sentences.js";
import { fixtureConfig, understandFresh } from "../helpers/understanding.js";

/**
 * Catalog intents Hearth's own English has no sentences for yet: Home Assistant's packs
 * (intents.packs) and the LLM reach them.
 */
const NOT_IN_OWN_ENGLISH = new Set([
  "HassBroadcast",
  "HassFanSetSpeed",
  "HassMediaSearchAndPlay",
  "HassPress",
  "HassRespond",
  "HassSelectOption",
  "HassSetValue",
  "HassShoppingListAddItem",
  "HassShoppingListCompleteItem",
  "HassListAddItem",
  "HassListCompleteItem",
  "HassVacuumSendCommand",
]);
const BUILT_IN = INTENTS.map((i) => i.name).filter((n) => !NOT_IN_OWN_ENGLISH.has(n));

const intents = (raw: unknown = {}) => intentsSchema.parse(raw);
const file = (raw: unknown): SentenceFile => sentenceFileSchema.parse(raw);

/** The SENTENCES_INVALID error a compile throws, with its list of problems. */
function problems(files: SentenceFile[], config: unknown = {}): string[] {
  try {
    compileSentences(files, intents(config));
  } catch (err) {
    expect(err).toBeInstanceOf(HearthError);
    expect((err as HearthError).code).toBe("SENTENCES_INVALID");
    return [...(err as HearthError).details];
  }
  throw new Error("expected SENTENCES_INVALID, the sentences compiled");
}

let dir: string;
let builtin: SentenceFile[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "hearth-sentences-"));
  const en = builtinSentencesDir("en");
  builtin = readdirSync(en)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => readSentenceFile(join(en, f)));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("the built-in English sentences", () => {
  let compiled: CompiledSentences;
  beforeAll(() => {
    compiled = compileSentences(builtin, intents());
  });

  // Expansion rules and lists are shared by every file, and a later file's silently replaces an
  // earlier one's of the same name: two files' "move" once made "bump the lamp up to 80" a
  // cover's verb.
  it.each(["en", "de"])("in %s, name each expansion rule and list in one file only", (language) => {
    const folder = builtinSentencesDir(language);
    const where = new Map<string, string[]>();
    for (const f of readdirSync(folder).filter((n) => n.endsWith(".yaml"))) {
      const file = readSentenceFile(join(folder, f));
      for (const k of [
        ...Object.keys(file.expansion_rules).map((r) => `<${r}>`),
        ...Object.keys(file.lists).map((l) => `{${l}}`),
      ])
        where.set(k, [...(where.get(k) ?? []), f]);
    }
    expect([...where].filter(([, files]) => files.length > 1)).toEqual([]);
  });

  it("produce only intents of the catalog", () => {
    expect([...compiled.intents].filter((n) => intentSpec(n) === undefined)).toEqual([]);
  });

  it.each(BUILT_IN)("provide %s", (name) => {
    expect(compiled.intents.has(name)).toBe(true);
    expect(compiled.groups.some((g) => g.intent === name)).toBe(true);
  });

  it("compile every template without rules left in them", () => {
    const hasRule = (n: unknown): boolean =>
      typeof n === "object" &&
      n !== null &&
      ((n as { t?: string }).t === "rule" ||
        Object.values(n).some((v) => (Array.isArray(v) ? v.some(hasRule) : hasRule(v))));
    expect(compiled.groups.filter((g) => hasRule(g.template)).map((g) => g.source)).toEqual([]);
  });

  it("number the groups in file order, as a stable tie-breaker", () => {
    expect(compiled.groups.map((g) => g.order)).toEqual(compiled.groups.map((_, i) => i));
  });

  it("declare no custom intents and no custom replies", () => {
    expect(compiled.custom.size).toBe(0);
  });

  it("order skip phrases longest first", () => {
    const lengths = compiled.skipPhrases.map((p) => p.length);
    expect(lengths).toEqual([...lengths].sort((a, b) => b - a));
    expect(compiled.skipPhrases).toContainEqual(["please"]);
    expect(compiled.skipPhrases).toContainEqual(["would", "you", "mind"]);
  });
});

describe("loadSentences", () => {
  it("loads the built-in files and the config's extra files, relative to the config", async () => {
    writeFileSync(
      join(dir, "extra.yaml"),
      [
        "intents:",
        "  OrderPizza:",
        "    data:",
        "      - sentences: ['order [a] {topping} pizza']",
        "    reply: One {topping} pizza",
        "lists:",
        "  topping: { values: [cheese, ham] }",
      ].join("\n"),
    );
    const compiled = await loadSentences(intents({ files: ["extra.yaml"] }), {
      language: "en",
      configDir: dir,
      stateDir: resolveStateDir({}, dir),
    });
    expect(compiled.intents.has("OrderPizza")).toBe(true);
    expect(compiled.intents.has("HassTurnOn")).toBe(true);
    expect(compiled.replies.get("OrderPizza")).toBe("One {topping} pizza");
    expect(compiled.lists.get("topping")).toEqual({ values: ["cheese", "ham"] });
  });

  /** What the fixture home understands of `sentence` with Hearth's English and the home's own `files`. */
  const understandWith = async (files: string[], sentence: string) =>
    understandFresh(
      fixtureConfig(),
      await loadSentences(intents({ files }), {
        language: "en",
        configDir: dir,
        stateDir: resolveStateDir({}, dir),
      }),
      sentence,
    );

  it("reads the spoken forms of a home's own sentence file as their standard words", async () => {
    writeFileSync(join(dir, "spoken.yaml"), ["spoken_forms:", "  keeking glass: mirror"].join("\n"));
    const say = (files: string[]) => understandWith(files, "turn on the keeking glass light");
    expect(await say([])).not.toMatchObject({ kind: "recognized" });
    expect(await say(["spoken.yaml"])).toMatchObject({
      kind: "recognized",
      intents: [{ name: "HassTurnOn", targets: ["light.bathroom_mirror"] }],
    });
  });

  it("switches a device for a while said after a home's own word for how long (duration_leads)", async () => {
    writeFileSync(join(dir, "during.yaml"), "duration_leads: [during]");
    const say = (files: string[]) =>
      understandWith(files, "turn on the bathroom mirror light during half an hour");
    const forAWhile = {
      kind: "recognized",
      intents: [{ name: "HassTurnOn", targets: ["light.bathroom_mirror"], slots: { for_seconds: 1800 } }],
    };
    expect(await say([])).not.toMatchObject(forAWhile);
    expect(await say(["during.yaml"])).toMatchObject(forAWhile);
  });

  it("leaves when something is to be bought, said in a home's own words (when_said), off the item", async () => {
    writeFileSync(
      join(dir, "when.yaml"),
      ["when_said:", "  rules: { game: '(match|game)' }", "  opens: ['after the <game>']"].join("\n"),
    );
    const say = (files: string[]) => understandWith(files, "we need to buy crisps after the match");
    const item = (text: string) => ({
      kind: "recognized",
      intents: [{ name: "HassShoppingListAddItem", slots: { item: text } }],
    });
    expect(await say([])).toMatchObject(item("crisps after the match"));
    expect(await say(["when.yaml"])).toMatchObject(item("crisps"));
  });

  it("fails with SENTENCES_INVALID naming a missing extra file", async () => {
    await expect(
      loadSentences(intents({ files: ["missing.yaml"] }), {
        language: "en",
        configDir: dir,
        stateDir: resolveStateDir({}, dir),
      }),
    ).rejects.toMatchObject({ code: "SENTENCES_INVALID", message: expect.stringContaining("missing.yaml") });
  });
});

describe("readSentenceFile", () => {
  it.each<[string, string, RegExp]>([
    ["YAML that does not parse", "intents: [unclosed", /bad-yaml\.yaml/],
    ["an unknown top-level key", "intentz: {}", /intentz/],
    ["an intent without sentences", "intents:\n  A:\n    data: []", /intents\.A\.data/],
    [
      "a sentence that is not a string",
      "intents:\n  A:\n    data:\n      - sentences: [{x: 1}]",
      /intents\.A\.data\.0\.sentences\.0/,
    ],
    [
      "an unknown key in a data block",
      "intents:\n  A:\n    data:\n      - sentences: [hi]\n        slot: {}",
      /slot/,
    ],
    ["a list of the wrong shape", "lists:\n  color: [red, blue]", /lists\.color/],
    [
      "a thing said with how it is, with a key the sentence files do not have",
      "state_remarks:\n  opens: [the]\n  states: [open]\n  verb: [is]",
      /state_remarks/,
    ],
    [
      "the words of English in another language's order, with a key the sentence files do not have",
      "learner_readings:\n  aux: [is]\n  verbs: [make]",
      /learner_readings/,
    ],
    [
      "a clipped prefix without the endings it needs",
      "clipped_prefix:\n  said: g\n  standard: ge\n  after: ['']\n  before: mswfkptz",
      /clipped_prefix\.endings/,
    ],
  ])("rejects %s with the file and where", (_what, text, where) => {
    const name = _what === "YAML that does not parse" ? "bad-yaml.yaml" : "bad.yaml";
    const path = join(dir, name);
    writeFileSync(path, text);
    let error: HearthError | undefined;
    try {
      readSentenceFile(path);
    } catch (err) {
      error = err as HearthError;
    }
    expect(error?.code).toBe("SENTENCES_INVALID");
    expect(error?.message).toContain(path);
    // The message names the file; the details (or, for YAML errors, the message) say where.
    const details = error?.details ?? [];
    expect([error?.message, ...details].join("\n")).toMatch(where);
    for (const d of details) expect(d).toContain(path);
  });

  it("reads an empty file as a file with nothing in it", () => {
    const path = join(dir, "empty.yaml");
    writeFileSync(path, "");
    expect(readSentenceFile(path)).toEqual({
      language: "en",
      intents: {},
      lists: {},
      expansion_rules: {},
      skip_words: [],
      openers: [],
      assistant_names: [],
      call_words: [],
      addressees: [],
      closers: [],
      thanks: [],
      purposes: [],
      for_whom: [],
      speaker_does: [],
      corrections: [],
      joiners: [],
      item_joiners: [],
      pronouns: [],
      number_words: [],
      placed_kinds: [],
      measure_words: {},
      alike_rooms: [],
      alike_floors: [],
      generic_names: [],
      alike_kinds: [],
      comparatives: {},
      learner_order: false,
      owner_last: [],
      owner_first: [],
      kind_first: [],
      spoken_forms: {},
      elliptic_last: {},
      possessives: [],
      dialect_words: {},
      dialect_word_parts: {},
      pack_responses: false,
      remark_openers: [],
      lead_ins: [],
      speaker_leads: [],
      describing_words: [],
      no_command_start: [],
      owner_pronouns: [],
      owned_rooms: [],
      clause_openers: [],
      place_leads: [],
      place_prepositions: [],
      elliptic_leads: [],
      directions: [],
      also: [],
      one_before: [],
      duration_leads: [],
      level_leads: [],
      level_after: [],
      more_or_less: [],
      subjectless_purposes: [],
      unable_words: [],
      asking_words: [],
      plural_lights: [],
      clause_breaks: [],
      here_words: [],
      place_distances: [],
      name_articles: [],
      name_prepositions: [],
      hesitations: [],
    });
  });
});

describe("compileSentences", () => {
  const base = () =>
    file({
      intents: {
        Greet: { data: [{ sentences: ["<hello> [there]"], slots: { mood: "happy" } }], reply: "Hello!" },
        Order: { data: [{ sentences: ["order [a] {drink}"] }] },
      },
      lists: { drink: { values: ["tea", "coffee"] } },
      expansion_rules: { hello: "(hello|hi)" },
      skip_words: ["please"],
    });

  it("compiles each sentence into a group with its intent, slots and source", () => {
    const compiled = compileSentences([base()], intents());
    expect(compiled.groups.map((g) => [g.intent, g.source, g.slots])).toEqual([
      ["Greet", "<hello> [there]", { mood: "happy" }],
      ["Order", "order [a] {drink}", {}],
    ]);
    expect(compiled.replies.get("Greet")).toBe("Hello!");
    expect([...compiled.intents].sort()).toEqual(["Greet", "Order"]);
  });

  it("requires one of a fixed list's first words where a sentence opens with that list", () => {
    const compiled = compileSentences(
      [
        file({
          intents: { Dim: { data: [{ sentences: ["{verb:step} [the] {name}", "[a] {drink}"] }] } },
          lists: {
            verb: { values: [{ in: "(dim|turn down)", out: -25 }, "brighten"] },
            drink: { values: ["tea", { in: "[hot] coffee", out: "coffee" }] },
          },
        }),
      ],
      intents(),
    );
    const [dim, drink] = compiled.groups;
    expect(dim?.clauses).toEqual([new Set(["dim", "turn", "brighten"])]);
    // A value opening with an optional word may start with either word.
    expect(drink?.clauses).toEqual([new Set(["tea", "hot", "coffee"])]);
  });

  it("lets the config's lists, rules and skip words replace and extend the files'", () => {
    const compiled = compileSentences(
      [base()],
      intents({
        lists: { drink: { values: ["juice"] }, size: { values: ["small"] } },
        expansion_rules: { hello: "(hey|howdy)" },
        skip_words: ["kindly", "if you would"],
      }),
    );
    expect(compiled.lists.get("drink")).toEqual({ values: ["juice"] });
    expect(compiled.lists.has("size")).toBe(true);
    expect(compiled.skipPhrases).toEqual([["if", "you", "would"], ["please"], ["kindly"]]);
    const greet = compiled.groups.find((g) => g.intent === "Greet");
    expect(JSON.stringify(greet?.template)).toContain('"howdy"');
    expect(JSON.stringify(greet?.template)).not.toContain('"hello"');
  });

  it("adds custom intents from the config, with replies, fixed slots and restrictions", () => {
    const compiled = compileSentences(
      [base()],
      intents({
        custom: {
          PartyMode: { sentences: ["party time"], reply: "Let's party" },
          Lamp: {
            data: [
              {
                sentences: ["lamp on"],
                slots: { state: "on" },
                requires: { domain: ["light"] },
                context_area: false,
              },
            ],
          },
        },
      }),
    );
    expect([...compiled.custom].sort()).toEqual(["Lamp", "PartyMode"]);
    expect(compiled.replies.get("PartyMode")).toBe("Let's party");
    const lamp = compiled.groups.find((g) => g.intent === "Lamp");
    expect(lamp).toMatchObject({
      slots: { state: "on" },
      requires: { domain: ["light"] },
      contextArea: false,
    });
    const party = compiled.groups.find((g) => g.intent === "PartyMode");
    expect(party).toMatchObject({ slots: {}, contextArea: true });
  });

  it("leaves out disabled intents", () => {
    const compiled = compileSentences([base()], intents({ disabled: ["Order"] }));
    expect(compiled.intents.has("Order")).toBe(false);
    expect(compiled.groups.map((g) => g.intent)).toEqual(["Greet"]);
  });

  it("accepts templates using the lists filled from the home and the built-in list types", () => {
    const f = file({
      intents: { A: { data: [{ sentences: ["{name} {area} {floor} {duration} {timer_name}"] }] } },
    });
    expect(compileSentences([f], intents()).groups).toHaveLength(1);
  });

  it.each<[string, unknown, unknown, string]>([
    [
      "an unclosed group",
      { intents: { A: { data: [{ sentences: ["turn on (the light"] }] } } },
      {},
      `A: template "turn on (the light": missing ')' at character 19`,
    ],
    [
      "a bad slot name",
      { intents: { A: { data: [{ sentences: ["set {bad name}"] }] } } },
      {},
      `A: template "set {bad name}": bad slot "{bad name}"`,
    ],
    [
      "'|' outside a group",
      { intents: { A: { data: [{ sentences: ["on | off"] }] } } },
      {},
      `A: template "on | off": '|' outside parentheses or brackets`,
    ],
    [
      "an unknown list",
      { intents: { A: { data: [{ sentences: ["order {drinks}"] }] } } },
      {},
      `A: template "order {drinks}": unknown list {drinks}`,
    ],
    [
      "an unknown rule",
      { intents: { A: { data: [{ sentences: ["<helo> there"] }] } } },
      {},
      'A: template "<helo> there": unknown expansion rule <helo>',
    ],
    [
      "cyclic rules",
      { intents: { A: { data: [{ sentences: ["<a>"] }] } }, expansion_rules: { a: "x <b>", b: "y [<a>]" } },
      {},
      'A: template "<a>": expansion rule <a> refers to itself (a → b → a)',
    ],
    [
      "a broken rule",
      { expansion_rules: { broken: "(x" } },
      {},
      `expansion rule <broken>: template "(x": missing ')'`,
    ],
    [
      "a list value with a broken template",
      { lists: { l: { values: [{ in: "(x|y", out: 1 }] } } },
      {},
      `list l: value "(x|y": template "(x|y": missing ')'`,
    ],
    [
      "a list value with a slot",
      { lists: { l: { values: [{ in: "{name}", out: 1 }] } } },
      {},
      `list l: value "{name}": slots and rules are not allowed here`,
    ],
    [
      "an unknown disabled intent",
      {},
      { disabled: ["HassTurnOnn"] },
      `intents.disabled: unknown intent "HassTurnOnn"`,
    ],
    [
      "a broken custom sentence",
      {},
      { custom: { Mine: { sentences: ["do [it"] } } },
      `Mine: template "do [it": missing ']'`,
    ],
    [
      "a custom sentence with an unknown list",
      {},
      { custom: { Mine: { sentences: ["play {song}"] } } },
      `Mine: template "play {song}": unknown list {song}`,
    ],
  ])("reports %s", (_what, raw, config, expected) => {
    expect(problems([file(raw)], config).some((p) => p.startsWith(expected))).toBe(true);
  });

  it("reports every problem at once, counted in the message and listed in the details", () => {
    const broken = file({
      intents: {
        A: { data: [{ sentences: ["turn on (the light", "<nope>", "order {drinks}", "fine", "on | off"] }] },
      },
      expansion_rules: { loop: "<loop>" },
    });
    const found = problems([broken], { disabled: ["Nope"], custom: { B: { sentences: ["<loop>"] } } });
    expect(found).toHaveLength(6);
    let message = "";
    try {
      compileSentences([broken], intents({ disabled: ["Nope"], custom: { B: { sentences: ["<loop>"] } } }));
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain("6 problems");
  });

  it("does not complain about a disabled intent's sentences being fine", () => {
    expect(() => compileSentences([base()], intents({ disabled: ["Greet", "Order"] }))).not.toThrow();
  });
});
