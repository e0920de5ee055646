import { readdirSync, readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadConfig } from "../../src/config/loader.js";
import { configSchema } from "../../src/config/schema.js";
import { resolveStateDir } from "../../src/config/state-dir.js";
import type { GrammarExpr } from "../../src/core/grammar-expr.js";
import { spokenNumber } from "../../src/core/spoken-numbers.js";
import { matchTemplate } from "../../src/intents/matcher.js";
import { tokenize } from "../../src/intents/normalize.js";
import { type CompiledSentences, loadSentences } from "../../src/intents/sentences.js";
import { buildSpeechGrammar, type SpeechGrammarSpec } from "../../src/intents/speech-grammar.js";
import type { TemplateNode } from "../../src/intents/template.js";
import { registryFromConfig } from "../../src/registry/from-config.js";
import type { Registry } from "../../src/registry/registry.js";
import { checkoutStateDir } from "../helpers/understanding.js";

const fixture = new URL("./fixtures/home.yaml", import.meta.url).pathname;
let sentences: CompiledSentences;
let registry: Registry;
let grammar: SpeechGrammarSpec;

beforeAll(async () => {
  const loaded = await loadConfig(fixture);
  registry = registryFromConfig(loaded.config);
  sentences = await loadSentences(loaded.config.intents, {
    language: "en",
    configDir: loaded.dir,
    stateDir: resolveStateDir(loaded.config, loaded.dir),
  });
  grammar = buildSpeechGrammar(sentences, registry);
});

/** The grammar as a template, rules inlined, so the matcher can say whether it accepts a sentence. */
function asTemplate(
  e: GrammarExpr,
  rules: Record<string, GrammarExpr>,
  memo = new Map<string, TemplateNode>(),
): TemplateNode {
  if (typeof e === "string") return { t: "seq", items: e.split(" ").map((w) => ({ t: "word", w })) };
  if ("seq" in e) return { t: "seq", items: e.seq.map((x) => asTemplate(x, rules, memo)) };
  if ("alt" in e) return { t: "alt", options: e.alt.map((x) => asTemplate(x, rules, memo)) };
  if ("opt" in e) return { t: "alt", options: [asTemplate(e.opt, rules, memo), { t: "seq", items: [] }] };
  if ("repeat" in e) {
    // Up to three: enough for every sentence tested here.
    const item = asTemplate(e.repeat, rules, memo);
    const more: TemplateNode = { t: "seq", items: [asTemplate(e.separator, rules, memo), item] };
    const optional = (node: TemplateNode): TemplateNode => ({
      t: "alt",
      options: [node, { t: "seq", items: [] }],
    });
    return { t: "seq", items: [item, optional({ t: "seq", items: [more, optional(more)] })] };
  }
  const cached = memo.get(e.ref);
  if (cached) return cached;
  const rule = rules[e.ref];
  if (rule === undefined) throw new Error(`unknown rule ${e.ref}`);
  const node = asTemplate(rule, rules, memo);
  memo.set(e.ref, node);
  return node;
}

/** What a recogniser would output for a sentence: words, numbers spoken out. */
function heard(sentence: string): string[] {
  return tokenize(sentence)
    .map((w) => (/^\d+(\.\d+)?$/.test(w) ? spokenNumber(Number(w)) : w))
    .join(" ")
    .split(" ");
}

/** Slots of free text, which a speech grammar leaves out (see buildSpeechGrammar's `skipped`). */
const FREE_TEXT = ["item", "search_query", "message", "conversation_command"];

describe("the speech grammar", () => {
  it("speaks numbers as words", () => {
    expect([0, 7, 21, 40, 100, 105, 2020, 21.5].map(spokenNumber)).toEqual([
      "zero",
      "seven",
      "twenty one",
      "forty",
      "one hundred",
      "one hundred five",
      "two thousand twenty",
      "twenty one point five",
    ]);
  });

  it("refers only to rules it defines, and has every device, area and floor name", () => {
    const json = JSON.stringify(grammar);
    for (const ref of json.matchAll(/"ref":"([^"]+)"/g))
      expect(grammar.rules[ref[1] as string]).toBeDefined();
    const names = JSON.stringify(grammar.rules.list_name);
    for (const e of registry.entities())
      expect(names).toContain(
        tokenize(e.name)
          .map((w) => (/^\d+$/.test(w) ? spokenNumber(Number(w)) : w))
          .join(" "),
      );
    expect(grammar.hints).toContain("Kitchen Light");
  });

  it("accepts the sentences of the text corpus the templates understand (≥ 90 %)", () => {
    const root = asTemplate(grammar.root, grammar.rules);
    const dir = new URL("./corpus/", import.meta.url).pathname;
    let tried = 0;
    const missed: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".yaml"))) {
      const entries = parse(readFileSync(dir + file, "utf8")) as Array<{
        text?: string;
        intents?: Array<{ slots?: Record<string, unknown> }>;
      }>;
      for (const entry of entries) {
        if (!entry.text || !entry.intents?.length) continue;
        // Free text (a list item, a search, a message) cannot be a grammar's words.
        if (entry.intents.some((i) => FREE_TEXT.some((slot) => slot in (i.slots ?? {})))) continue;
        tried++;
        if (matchTemplate(root, heard(entry.text), new Map(), "exact", 1).length === 0)
          missed.push(entry.text);
      }
    }
    const coverage = 1 - missed.length / tried;
    console.log(`speech grammar covers ${(coverage * 100).toFixed(1)} % of ${tried} corpus sentences`);
    expect(tried).toBeGreaterThan(500);
    expect(coverage, `not covered, e.g.: ${missed.slice(0, 15).join(" | ")}`).toBeGreaterThanOrEqual(0.9);
  });

  it("rejects sentences that are no command", () => {
    const root = asTemplate(grammar.root, grammar.rules);
    for (const s of ["what is the meaning of life", "turn on the garage heater", "i had pizza for dinner"]) {
      expect(matchTemplate(root, heard(s), new Map(), "exact", 1)).toEqual([]);
    }
  });

  it("keeps a template whose optional part names a list the home lacks (a home without floors)", () => {
    // Two areas, no floors: "[<loc>]" offers an area or a floor, and only the area can be said.
    const small = registryFromConfig(
      configSchema.parse({
        site: { id: "small-home" },
        areas: [{ name: "Kitchen" }, { name: "Living Room" }],
        devices: [
          { id: "light.kitchen", name: "Kitchen Light", area: "Kitchen", state: "off" },
          { id: "media_player.tv", name: "TV", area: "Living Room", state: "playing" },
          {
            id: "sensor.temp",
            name: "Thermometer",
            area: "Kitchen",
            device_class: "temperature",
            state: "20",
          },
        ],
      }),
    );
    const spec = buildSpeechGrammar(sentences, small);
    expect(spec.rules.list_floor).toBeUndefined();
    const root = asTemplate(spec.root, spec.rules);
    const said = [
      "pause",
      "next",
      "resume",
      "stop",
      "how hot is it",
      "how cold is it",
      "whats the temperature",
      "how warm is it in the kitchen",
      "turn on the kitchen light",
    ];
    const missing = said.filter((s) => matchTemplate(root, heard(s), new Map(), "exact", 1).length === 0);
    expect(missing).toEqual([]);
    // The floor alternatives alone are gone, not the templates around them. (Templates taking any
    // words, a list's {item}, cannot be spoken as a grammar at all.)
    expect(
      spec.skipped
        .filter((t) => !FREE_TEXT.some((slot) => t.includes(`{${slot}}`) || t.includes(`:${slot}}`)))
        .every((template) => template.includes("floor")),
    ).toBe(true);
    expect(matchTemplate(root, heard("turn on the lights upstairs"), new Map(), "exact", 1)).toEqual([]);
  });

  it("has a path for the short commands people say: one word, a question, 'turn on' and a name", () => {
    const root = asTemplate(grammar.root, grammar.rules);
    const short = [
      "pause",
      "next",
      "resume",
      "stop",
      "nevermind",
      "how hot is it",
      "how cold is it",
      "whats the temperature",
      "what's the temperature",
      "what's the date",
      "what time is it",
      "turn on kitchen light",
      "turn on the porch light",
    ];
    const missing = short.filter((s) => matchTemplate(root, heard(s), new Map(), "exact", 1).length === 0);
    expect(missing).toEqual([]);
  });

  it("ends a spoken command with thanks or 'please', and leaves the other endings to typed text", () => {
    const root = asTemplate(grammar.root, grammar.rules);
    const accepts = (s: string) => matchTemplate(root, heard(s), new Map(), "exact", 1).length > 0;
    const command = "turn on the kitchen light";
    expect(accepts(command)).toBe(true);
    for (const ending of ["please", "thank you", "thanks", "for me"]) {
      expect(accepts(`${command} ${ending}`), ending).toBe(true);
    }
    // Question tags, texting spellings and fillers: typed text still reads them at the end (they are
    // skip words), speech does not offer them there.
    const typedSkips = sentences.skipPhrases.map((p) => p.join(" "));
    for (const ending of ["could you", "can u", "right now", "okay", "cheers", "actually"]) {
      expect(typedSkips, ending).toContain(ending);
      expect(accepts(`${command} ${ending}`), ending).toBe(false);
    }
    expect(accepts(`could you ${command}`)).toBe(true);
  });

  it("holds only the sentences this home can use", () => {
    const home = (devices: unknown[]) =>
      registryFromConfig(configSchema.parse({ site: { id: "home" }, areas: [{ name: "Kitchen" }], devices }));
    const accepts = (spec: SpeechGrammarSpec, sentence: string) =>
      matchTemplate(asTemplate(spec.root, spec.rules), heard(sentence), new Map(), "exact", 1).length > 0;
    const plainLight = {
      id: "light.kitchen",
      name: "Kitchen Light",
      area: "Kitchen",
      state: "off",
      attributes: { supported_color_modes: ["brightness"] },
    };
    const lightsOnly = buildSpeechGrammar(sentences, home([plainLight]));
    expect(accepts(lightsOnly, "turn on the kitchen light")).toBe(true);
    expect(accepts(lightsOnly, "set the kitchen light to fifty percent")).toBe(true);
    expect(accepts(lightsOnly, "what time is it")).toBe(true);
    expect(accepts(lightsOnly, "start the vacuum")).toBe(false);
    expect(accepts(lightsOnly, "set the thermostat to twenty degrees")).toBe(false);
    expect(accepts(lightsOnly, "pause")).toBe(false);
    expect(accepts(lightsOnly, "set the kitchen light to red")).toBe(false);
    expect(lightsOnly.notForThisHome.length).toBeGreaterThan(0);

    const more = buildSpeechGrammar(
      sentences,
      home([
        { ...plainLight, attributes: { supported_color_modes: ["hs"] } },
        { id: "vacuum.robot", name: "Robot", state: "docked" },
        { id: "media_player.radio", name: "Radio", area: "Kitchen", state: "playing" },
      ]),
    );
    expect(accepts(more, "set the kitchen light to red")).toBe(true);
    expect(accepts(more, "start the vacuum")).toBe(true);
    expect(accepts(more, "pause")).toBe(true);
    // The whole fixture home uses every template it can speak.
    expect(grammar.notForThisHome).toEqual([]);
  });

  it("names only the kinds of device this home has", () => {
    const home = (devices: unknown[]) =>
      registryFromConfig(
        configSchema.parse({ site: { id: "home" }, areas: [{ name: "Pantry" }, { name: "Attic" }], devices }),
      );
    const accepts = (spec: SpeechGrammarSpec, sentence: string) =>
      matchTemplate(asTemplate(spec.root, spec.rules), heard(sentence), new Map(), "exact", 1).length > 0;
    const thermometer = {
      id: "sensor.pantry_thermometer",
      name: "Pantry thermometer",
      area: "Pantry",
      device_class: "temperature",
      unit: "°C",
      state: 14,
    };
    const hatch = {
      id: "cover.attic_hatch",
      name: "Hatch",
      area: "Attic",
      device_class: "shutter",
      state: "open",
    };
    const small = buildSpeechGrammar(sentences, home([thermometer, hatch]));
    expect(accepts(small, "what is the temperature in the pantry")).toBe(true);
    expect(accepts(small, "what is the pressure in the pantry")).toBe(false);
    expect(accepts(small, "what is the battery level in the pantry")).toBe(false);
    expect(accepts(small, "lower the attic shutters")).toBe(true);
    expect(accepts(small, "lower the attic awnings")).toBe(false);

    const barometer = {
      ...thermometer,
      id: "sensor.pantry_barometer",
      name: "Barometer",
      device_class: "pressure",
    };
    const awning = { ...hatch, id: "cover.attic_awning", name: "Sunshade", device_class: "awning" };
    const larger = buildSpeechGrammar(sentences, home([thermometer, barometer, hatch, awning]));
    expect(accepts(larger, "what is the pressure in the pantry")).toBe(true);
    expect(accepts(larger, "lower the attic awnings")).toBe(true);
    expect(accepts(larger, "what is the battery level in the pantry")).toBe(false);
  });

  it("keeps custom intents whatever the home holds", async () => {
    const loaded = await loadConfig(fixture);
    loaded.config.intents.custom.Computer = { sentences: ["computer"] };
    const custom = await loadSentences(loaded.config.intents, {
      language: "en",
      configDir: loaded.dir,
      stateDir: resolveStateDir(loaded.config, loaded.dir),
    });
    const empty = registryFromConfig(configSchema.parse({ site: { id: "empty" } }));
    const spec = buildSpeechGrammar(custom, empty);
    expect(matchTemplate(asTemplate(spec.root, spec.rules), ["computer"], new Map(), "exact", 1).length).toBe(
      1,
    );
  });
});

describe("the German speech grammar", () => {
  const home = new URL("./fixtures/home-de.yaml", import.meta.url).pathname;
  let german: SpeechGrammarSpec;

  beforeAll(async () => {
    const loaded = await loadConfig(home);
    const de = await loadSentences(
      { ...loaded.config.intents, packs: ["../shared/ha-intents"] },
      { language: "de", configDir: process.cwd(), stateDir: checkoutStateDir() },
    );
    german = buildSpeechGrammar(de, registryFromConfig(loaded.config));
  });

  const accepts = (spec: SpeechGrammarSpec, said: string) =>
    matchTemplate(asTemplate(spec.root, spec.rules), said.split(" "), new Map(), "exact", 1).length > 0;

  it("hears two commands at once joined by 'und' or 'dann', not by English words", () => {
    const first = "schalte den toaster aus";
    const second = "mach die leselampe an";
    expect(accepts(german, first)).toBe(true);
    expect(accepts(german, second)).toBe(true);
    for (const joiner of ["und", "dann", "und dann"])
      expect(accepts(german, `${first} ${joiner} ${second}`), joiner).toBe(true);
    for (const joiner of ["and", "then"])
      expect(accepts(german, `${first} ${joiner} ${second}`), joiner).toBe(false);
  });

  it("hears a timer's length, a percentage and a temperature in German number words, not English ones", () => {
    for (const [said, english] of [
      ["stell einen timer für zehn minuten", "stell einen timer für ten minuten"],
      ["timer auf fünfundvierzig minuten", "timer auf forty five minuten"],
      ["stell die leselampe auf fünfzig prozent", "stell die leselampe auf fifty prozent"],
      ["heizung auf einundzwanzig grad", "heizung auf twenty one grad"],
    ] as const) {
      expect(accepts(german, said), said).toBe(true);
      expect(accepts(german, english), english).toBe(false);
    }
  });

  it("offers German names for a timer, not English ones", () => {
    const names = german.rules.list_timer_name;
    expect(names).toBeDefined();
    const offered = (name: string) =>
      matchTemplate(asTemplate(names as GrammarExpr, german.rules), [name], new Map(), "exact", 1).length > 0;
    for (const name of ["nudeln", "kartoffeln", "eier", "kuchen", "wäsche"])
      expect(offered(name), name).toBe(true);
    for (const name of ["potatoes", "eggs", "cake", "laundry", "cookies"])
      expect(offered(name), name).toBe(false);
  });
});
