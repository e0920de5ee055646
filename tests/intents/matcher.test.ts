import { describe, expect, it } from "vitest";
import { MatchScratch, matchTemplate, requiredWords } from "../../src/intents/matcher.js";
import { tokenize } from "../../src/intents/normalize.js";
import {
  DurationList,
  ListMatch,
  NameList,
  RangeList,
  type SlotList,
  ValueList,
  WildcardList,
  WildcardSpans,
} from "../../src/intents/slot-lists.js";
import { inlineRules, parseTemplate, type TemplateNode } from "../../src/intents/template.js";
import type { SlotValue } from "../../src/intents/types.js";

/** The lists the templates below use: a small home's names, colours, numbers and durations. */
function lists(): Map<string, SlotList> {
  const name = new NameList(0.8);
  name.add(tokenize("Kitchen Light"), "Kitchen Light", ["light.kitchen"]);
  name.add(tokenize("Kitchen"), "Kitchen", ["switch.kitchen"]);
  name.add(tokenize("Lamp"), "Lamp", ["light.lamp"]);
  name.add(tokenize("Light 2"), "Light 2", ["light.two"]);
  const area = new NameList(0.8);
  area.add(tokenize("Living Room"), "Living Room", ["living_room"]);
  area.add(tokenize("Kitchen"), "Kitchen", ["kitchen"]);
  const color = new ValueList();
  for (const c of ["red", "blue", "warm white"]) color.add(tokenize(c), c);
  const level = new ValueList();
  level.add(["max"], 100);
  level.add(["half"], 50);
  return new Map<string, SlotList>([
    ["name", name],
    ["area", area],
    ["color", color],
    ["brightness_level", level],
    ["brightness", new RangeList(0, 100)],
    ["duration", new DurationList()],
    ["timer_name", new WildcardList(4)],
  ]);
}

const RULES = new Map<string, TemplateNode>([
  ["turn", parseTemplate("(turn|switch)")],
  ["the", parseTemplate("(the|my)")],
  ["loc", parseTemplate("in [<the>] {area}")],
]);

const compile = (template: string) => inlineRules(parseTemplate(template), RULES);

/** The slots of the first match, or null when the sentence does not fit. */
function firstSlots(template: string, sentence: string, mode: "exact" | "fuzzy" | "wildcard" = "exact") {
  const [first] = matchTemplate(compile(template), tokenize(sentence), lists(), mode);
  if (!first) return null;
  const slots: Record<string, SlotValue> = {};
  for (const c of first.captures) {
    slots[c.slot] = c.value;
    for (const [k, v] of Object.entries(c.extra ?? {})) slots[`${c.slot}.${k}`] = v;
  }
  return slots;
}

describe("matchTemplate", () => {
  it.each<[string, string, Record<string, SlotValue>]>([
    ["turn on the light", "turn on the light", {}],
    ["turn on the light", "Turn ON the light!", {}],
    ["<turn> (on|off) [<the>] {name}", "switch off the kitchen light", { name: "Kitchen Light" }],
    ["<turn> (on|off) [<the>] {name}", "turn on lamp", { name: "Lamp" }],
    ["<turn> (on|off) [<the>] {name}", "turn on my lamp", { name: "Lamp" }],
    ["<turn> on {name}", "turn on light two", { name: "Light 2" }],
    ["<turn> on [the] {name}", "turn on the kitchen lights", { name: "Kitchen Light" }],
    [
      "<turn> on [the] {name} [<loc>]",
      "turn on the lamp in the living room",
      { name: "Lamp", area: "Living Room" },
    ],
    ["set {name} to {color}", "set lamp to warm white", { name: "Lamp", color: "warm white" }],
    ["set {name} to {brightness} percent", "set lamp to fifty percent", { name: "Lamp", brightness: 50 }],
    ["set {name} to {brightness_level:brightness}", "set lamp to max", { name: "Lamp", brightness: 100 }],
    ["(turn on {name}; now)", "now turn on lamp", { name: "Lamp" }],
    ["(turn on {name}; now)", "turn on lamp now", { name: "Lamp" }],
    ["(<loc>; turn on the lights)", "in the kitchen turn on the lights", { area: "Kitchen" }],
    [
      "timer for {duration}",
      "timer for an hour and a half",
      {
        duration: 5400,
        "duration.hours": 1,
        "duration.minutes": 30,
      },
    ],
    [
      "cancel the {duration:start} timer",
      "cancel the 5 minute timer",
      {
        start: 300,
        "start.minutes": 5,
      },
    ],
    ["set a {timer_name:name} timer", "set a pizza timer", { name: "pizza" }],
    ["set a {timer_name:name} timer", "set a big pizza timer", { name: "big pizza" }],
  ])("fits %j to %j", (template, sentence, slots) => {
    expect(firstSlots(template, sentence)).toEqual(slots);
  });

  it.each<[string, string]>([
    ["turn on the light", "turn on the light now"],
    ["turn on the light", "turn on light"],
    ["turn (on|off) the light", "turn up the light"],
    ["turn on [the] light", "turn on a light"],
    ["<turn> on {name}", "turn on the garage heater"],
    ["<turn> on {name}", "turn on"],
    ["set {name} to {color}", "set lamp to purple"],
    ["set {name} to {brightness} percent", "set lamp to 150 percent"],
    ["set {name} to {brightness} percent", "set lamp to 2.5 percent"],
    ["(turn on {name}; now)", "turn now on lamp"],
    ["{missing_list} on", "anything on"],
  ])("does not fit %j to %j", (template, sentence) => {
    expect(firstSlots(template, sentence)).toBeNull();
  });

  it("backtracks from the longest name to a shorter one when the rest needs it", () => {
    // "kitchen light" is a name, but only "kitchen" leaves "light" for the template's own word.
    expect(firstSlots("turn on {name} light", "turn on kitchen light")).toEqual({ name: "Kitchen" });
    expect(firstSlots("turn on {name}", "turn on kitchen light")).toEqual({ name: "Kitchen Light" });
  });

  it("finds every way a sentence fits, longest names first", () => {
    const matches = matchTemplate(
      compile("{name} [light] [on]"),
      tokenize("kitchen light on"),
      lists(),
      "exact",
    );
    expect(matches.map((m) => m.captures.map((c) => c.value))).toEqual([["Kitchen Light"], ["Kitchen"]]);
  });

  it("counts the template's words that matched literally", () => {
    const [m] = matchTemplate(
      compile("<turn> on [<the>] {name}"),
      tokenize("turn on the lamp"),
      lists(),
      "exact",
    );
    expect(m?.literals).toBe(3);
  });

  it("records where each slot was said and with which words", () => {
    const [m] = matchTemplate(
      compile("turn on [the] {name} [<loc>]"),
      tokenize("turn on the lamp in the kitchen"),
      lists(),
      "exact",
    );
    expect(m?.captures).toEqual([
      expect.objectContaining({
        slot: "name",
        list: "name",
        value: "Lamp",
        text: "lamp",
        start: 3,
        end: 4,
        ids: ["light.lamp"],
      }),
      expect.objectContaining({
        slot: "area",
        list: "area",
        value: "Kitchen",
        text: "kitchen",
        start: 6,
        end: 7,
        ids: ["kitchen"],
      }),
    ]);
  });

  it("stops at the limit of matches", () => {
    const node = compile("{timer_name:a} {timer_name:b}");
    expect(matchTemplate(node, tokenize("one two three four five"), lists(), "exact", 2)).toHaveLength(2);
  });

  it.each<[string, "fuzzy" | "wildcard", Record<string, SlotValue> | null]>([
    ["turn on the kichen light", "fuzzy", { name: "Kitchen Light" }],
    ["turn on the garage heater", "fuzzy", null],
    ["turn on the garage heater", "wildcard", { name: "garage heater" }],
  ])("in its mode, fits %j as %j", (sentence, mode, slots) => {
    expect(firstSlots("<turn> on [<the>] {name}", sentence, mode)).toEqual(slots);
  });

  it("marks near misses and unknown names as such", () => {
    const [fuzzy] = matchTemplate(
      compile("on [the] {name}"),
      tokenize("on the kichen light"),
      lists(),
      "fuzzy",
    );
    expect(fuzzy?.captures[0]?.quality).toBe("fuzzy");
    const [unknown] = matchTemplate(
      compile("on [the] {name}"),
      tokenize("on the garage heater"),
      lists(),
      "wildcard",
    );
    expect(unknown?.captures[0]?.quality).toBe("unknown");
  });

  it("asks each list once per position and shares the answer through the cache", () => {
    let calls = 0;
    const counting: SlotList = {
      match(tokens, start): ListMatch[] {
        calls++;
        return tokens[start] === "lamp" ? [new ListMatch(start + 1, "Lamp", "lamp")] : [];
      },
    };
    const own = new Map<string, SlotList>([["name", counting]]);
    const cache = new Map<string, ListMatch[]>();
    const tokens = tokenize("turn on lamp");
    for (const t of ["turn on {name}", "turn on {name} [now]", "(turn|switch) on {name}"]) {
      expect(matchTemplate(compile(t), tokens, own, "exact", 16, cache)).toHaveLength(1);
    }
    expect(calls).toBe(1);
  });

  it("tries a long alternative's options in the template's order, whichever word opens them", () => {
    // Ten options: some open with a word, some with a slot or another alternative; the sentence's
    // word picks the ones worth trying, and the matches still come in the order they are written.
    const template = compile(
      "(dim|{color} lamp|set|({name}|lamp) {color}|lamp red|turn|make|lamp {color}|paint|[the] lamp red)",
    );
    const matches = matchTemplate(template, tokenize("lamp red"), lists(), "exact");
    expect(matches.map((m) => [m.literals, m.captures.map((c) => `${c.slot}=${c.value}`)])).toEqual([
      [0, ["name=Lamp", "color=red"]],
      [1, ["color=red"]],
      [2, []],
      [1, ["color=red"]],
      [2, []],
    ]);
    expect(matchTemplate(template, tokenize("red lamp"), lists(), "exact")).toHaveLength(1);
    expect(matchTemplate(template, tokenize("paint"), lists(), "exact")).toHaveLength(1);
    expect(matchTemplate(template, tokenize("blue"), lists(), "exact")).toHaveLength(0);
  });

  it("keeps each sentence's list answers apart when one scratch serves sentence after sentence", () => {
    const scratch = new MatchScratch();
    const template = compile("turn on {name}");
    for (const [sentence, name] of [
      ["turn on lamp", "Lamp"],
      ["turn on kitchen light", "Kitchen Light"],
      ["turn on lamp", "Lamp"],
    ] as const) {
      scratch.clear();
      const [m] = matchTemplate(template, tokenize(sentence), lists(), "exact", 16, scratch);
      expect(m?.captures[0]?.value).toBe(name);
    }
  });

  it("gives free-text lists that share their spans the same answers as lists of their own", () => {
    const spans = new WildcardSpans();
    const shared = [new WildcardList(4, new Set(), spans), new WildcardList(50, new Set(["it"]), spans)];
    const own = [new WildcardList(4), new WildcardList(50, new Set(["it"]))];
    for (const sentence of ["add milk and eggs to the list", "play it again", "add milk", "play it again"]) {
      const tokens = tokenize(sentence);
      for (let start = 0; start < tokens.length; start++)
        for (const i of [0, 1]) {
          const a = (shared[i] as WildcardList).match(tokens, start);
          const b = (own[i] as WildcardList).match(tokens, start);
          expect(a.map((m) => [m.end, m.value, m.text])).toEqual(b.map((m) => [m.end, m.value, m.text]));
        }
    }
  });

  it("throws on a rule that was never inlined, a compiler bug", () => {
    expect(() => matchTemplate(parseTemplate("<turn> on"), tokenize("turn on"), lists(), "exact")).toThrow(
      /not inlined/,
    );
  });
});

describe("requiredWords", () => {
  /** Clauses as sorted arrays, for comparing. */
  const clauses = (template: string) => requiredWords(compile(template)).map((c) => [...c].sort());

  it.each<[string, string[][]]>([
    ["turn on the light", [["turn"], ["on"], ["the"], ["light"]]],
    ["turn (on|off) light", [["turn"], ["off", "on"], ["light"]]],
    ["<turn> on {name}", [["switch", "turn"], ["on"]]],
    ["turn [the] light", [["turn"], ["light"]]],
    ["(a b|c d) e", [["a", "c"], ["e"]]],
    ["{name} {area}", []],
    ["[please] {name}", []],
    ["(on|{name})", []],
    [
      "(start|run) (the robot|vacuum)",
      [
        ["run", "start"],
        ["robot", "vacuum"],
      ],
    ],
    ["cancel ([the] timer|{area} timer)", [["cancel"], ["timer"]]],
  ])("asks a sentence to have one word of each clause of %j: %j", (template, expected) => {
    expect(clauses(template)).toEqual(expected);
  });

  it("asks for one of a list's first words where the list says them", () => {
    const previous = new ValueList();
    for (const w of ["it", "them", "that one"]) previous.add(tokenize(w), "it");
    const numbers = new RangeList(0, 100);
    const words = new Map([
      ["previous", previous.firstWords()],
      ["brightness", numbers.firstWords()],
    ]);
    const found = requiredWords(compile("set {previous} to {brightness}"), words).map((c) => [...c].sort());
    expect(found).toEqual([["set"], ["it", "that", "them"], ["to"], [...numbers.firstWords()]]);
  });

  it.each<[string, string]>([
    ["<turn> (on|off) [<the>] {name}", "switch off the lamp"],
    ["<turn> (on|off) [<the>] {name} [<loc>]", "turn on my lamp in the living room"],
    ["set {name} to ({brightness} percent|{color})", "set lamp to red"],
    ["(turn on {name}; now)", "now turn on lamp"],
  ])("lets through every sentence that fits: %j / %j", (template, sentence) => {
    const present = new Set(tokenize(sentence));
    expect(matchTemplate(compile(template), tokenize(sentence), lists(), "exact")).not.toHaveLength(0);
    expect(requiredWords(compile(template)).every((c) => [...c].some((w) => present.has(w)))).toBe(true);
  });

  it.each<[string, string]>([
    ["<turn> (on|off) [<the>] {name}", "what time is it"],
    ["set {name} to {brightness} percent", "set the lamp to fifty"],
  ])("rules out %j for %j before matching", (template, sentence) => {
    const present = new Set(tokenize(sentence));
    expect(requiredWords(compile(template)).every((c) => [...c].some((w) => present.has(w)))).toBe(false);
  });
});
