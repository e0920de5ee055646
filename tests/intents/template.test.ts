import { describe, expect, it } from "vitest";
import { HearthError } from "../../src/core/errors.js";
import { expandWords, inlineRules, parseTemplate, type TemplateNode } from "../../src/intents/template.js";

/** Every sentence a slot-free template can produce, as plain strings, sorted. */
function sentences(template: string, rules: Record<string, string> = {}): string[] {
  const defs = new Map(Object.entries(rules).map(([k, v]) => [k, parseTemplate(v)]));
  const node = inlineRules(parseTemplate(template), defs);
  return expandWords(node)
    .map((words) => words.join(" "))
    .sort();
}

/** The error a function throws (fails the test when it throws nothing). */
function thrown(fn: () => unknown): HearthError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(HearthError);
    return err as HearthError;
  }
  throw new Error("expected an error, got none");
}

describe("the template language", () => {
  it.each<[string, string, string[]]>([
    ["plain words", "turn on the light", ["turn on the light"]],
    ["words normalised like speech", "Turn ON the Kid's Light!", ["turn on the kids light"]],
    ["number words as digits", "set it to twenty one", ["set it to 21"]],
    ["alternatives", "turn (on|off) the light", ["turn off the light", "turn on the light"]],
    ["alternatives of several words", "(switch on|turn on) it", ["switch on it", "turn on it"]],
    ["an optional word", "turn on [the] light", ["turn on light", "turn on the light"]],
    ["optional alternatives", "[please|now] go", ["go", "now go", "please go"]],
    ["an empty alternative", "(a|) b", ["a b", "b"]],
    ["nested groups", "((a|b) c|d) e", ["a c e", "b c e", "d e"]],
    [
      "an optional group inside an optional",
      "[(very|really) [much]] good",
      ["good", "really good", "really much good", "very good", "very much good"],
    ],
    ["a two-part permutation", "(in the kitchen; now)", ["in the kitchen now", "now in the kitchen"]],
    ["a three-part permutation", "(a; b; c)", ["a b c", "a c b", "b a c", "b c a", "c a b", "c b a"]],
    [
      "a permutation inside a sentence",
      "turn on (the light; now) please",
      ["turn on now the light please", "turn on the light now please"],
    ],
    ["empty parentheses", "a () b", ["a b"]],
  ])("parses %s: %j", (_what, template, expected) => {
    expect(sentences(template)).toEqual([...expected].sort());
  });

  it.each<[string, TemplateNode]>([
    ["{name}", { t: "slot", list: "name", slot: "name" }],
    ["{brightness_level:brightness}", { t: "slot", list: "brightness_level", slot: "brightness" }],
    ["{ color }", { t: "slot", list: "color", slot: "color" }],
    ["{ duration : start }", { t: "slot", list: "duration", slot: "start" }],
    // A list glued to a suffix in one word ("Badlicht").
    ["{area+licht:area}", { t: "slot", list: "area+licht", slot: "area" }],
    ["<turn>", { t: "rule", name: "turn" }],
    ["< the >", { t: "rule", name: "the" }],
  ])("reads %j as a slot or rule reference", (template, expected) => {
    expect(parseTemplate(template)).toEqual(expected);
  });

  it("keeps slots in place between words", () => {
    expect(parseTemplate("set {name} to {brightness} percent")).toEqual({
      t: "seq",
      items: [
        { t: "word", w: "set" },
        { t: "slot", list: "name", slot: "name" },
        { t: "word", w: "to" },
        { t: "slot", list: "brightness", slot: "brightness" },
        { t: "word", w: "percent" },
      ],
    });
  });
});

describe("template errors", () => {
  it.each<[string, string, RegExp]>([
    ["an unclosed parenthesis", "turn on (the light", /missing '\)'/],
    ["an unclosed bracket", "turn [on the light", /missing '\]'/],
    ["a stray closing parenthesis", "turn on the light)", /unexpected '\)'/],
    ["a stray closing bracket", "turn on]", /unexpected '\]'/],
    ["a bracket closed by a parenthesis", "turn [on) light", /unexpected '\)'/],
    ["a parenthesis closed by a bracket", "turn (on] light", /unexpected '\]'/],
    ["an unclosed slot", "turn on {name", /unclosed '\{'/],
    ["an unclosed rule", "<turn on the light", /unclosed '<'/],
    ["a stray closing brace", "turn } on", /unexpected '\}'/],
    ["a stray closing angle bracket", "turn > on", /unexpected '>'/],
    ["a slot name with a space", "turn on {bad name}", /bad slot "\{bad name\}"/],
    ["a slot name starting with a digit", "turn on {1st}", /bad slot "\{1st\}"/],
    ["an empty slot", "turn on {}", /bad slot "\{\}"/],
    ["an empty slot after the colon", "turn on {list:}", /bad slot "\{list:\}"/],
    ["a rule name with a dash", "<turn-on> it", /bad rule name "<turn-on>"/],
    ["'|' outside a group", "on | off", /'\|' outside parentheses or brackets/],
    ["';' inside brackets", "[a; b]", /';' \(permutation\) only inside parentheses/],
    ["';' outside any group", "a; b", /';' \(permutation\) only inside parentheses/],
    ["'|' after ';'", "(a; b | c)", /'\|' and ';' mixed in one group/],
    ["';' after '|'", "(a | b; c)", /'\|' and ';' mixed in one group/],
  ])("reports %s with the template and a position", (_what, template, problem) => {
    const err = thrown(() => parseTemplate(template));
    expect(err.code).toBe("TEMPLATE_INVALID");
    expect(err.message).toContain(`template "${template}"`);
    expect(err.message).toMatch(problem);
    expect(err.message).toMatch(/at character \d+$/);
  });

  it.each<[string, number]>([
    ["turn on the light)", 18],
    ["turn on]", 8],
    ["turn [on) light", 9],
    // A missing closer is reported just past the end of the template.
    ["turn on (the light", 19],
    ["turn [on", 9],
    ["on | off", 4],
    ["a } b", 3],
    ["turn on {name", 9],
    ["turn on <rule", 9],
    ["[on; off]", 4],
    ["turn on {a:b:c}", 9],
  ])("points at the right character in %j", (template, position) => {
    expect(thrown(() => parseTemplate(template)).message).toMatch(new RegExp(`at character ${position}$`));
  });

  it("refuses a permutation of more than five parts", () => {
    const err = thrown(() => parseTemplate("(a; b; c; d; e; f)"));
    expect(err.code).toBe("TEMPLATE_INVALID");
    expect(err.message).toMatch(/at most 5 parts/);
  });

  it("accepts a permutation of exactly five parts", () => {
    expect(sentences("(a; b; c; d; e)")).toHaveLength(120);
  });
});

describe("inlineRules", () => {
  it.each<[string, string, Record<string, string>, string[]]>([
    ["a rule", "<turn> on", { turn: "(turn|switch)" }, ["switch on", "turn on"]],
    ["an optional rule", "[<the>] light", { the: "(the|my)" }, ["light", "my light", "the light"]],
    [
      "a rule used twice",
      "<the> light and <the> fan",
      { the: "(the|my)" },
      ["my light and my fan", "my light and the fan", "the light and my fan", "the light and the fan"],
    ],
    [
      "rules inside rules",
      "<cmd> light",
      { cmd: "<turn> on", turn: "(turn|switch)" },
      ["switch on light", "turn on light"],
    ],
    ["a rule inside a permutation", "(<turn> on; now)", { turn: "turn" }, ["now turn on", "turn on now"]],
  ])("replaces %s by its definition", (_what, template, rules, expected) => {
    expect(sentences(template, rules)).toEqual([...expected].sort());
  });

  it("names an unknown rule", () => {
    const err = thrown(() => sentences("<nope> on", { turn: "turn" }));
    expect(err.code).toBe("TEMPLATE_INVALID");
    expect(err.message).toContain("unknown expansion rule <nope>");
  });

  it.each<[string, Record<string, string>, string]>([
    ["a rule that uses itself", { a: "x <a>" }, "a → a"],
    ["two rules that use each other", { a: "x <b>", b: "y <a>" }, "a → b → a"],
    ["a longer cycle", { a: "<b>", b: "<c>", c: "[<a>]" }, "a → b → c → a"],
  ])("reports %s with the whole cycle", (_what, rules, chain) => {
    const err = thrown(() => sentences("<a>", rules));
    expect(err.code).toBe("TEMPLATE_INVALID");
    expect(err.message).toContain("refers to itself");
    expect(err.message).toContain(`(${chain})`);
  });
});

describe("expandWords", () => {
  it("refuses slots, which have no fixed words", () => {
    expect(thrown(() => expandWords(parseTemplate("turn on {name}"))).message).toMatch(
      /slots and rules are not allowed/,
    );
  });

  it("refuses rules that were not inlined", () => {
    expect(thrown(() => expandWords(parseTemplate("<turn> on"))).code).toBe("TEMPLATE_INVALID");
  });

  it("stops at the limit instead of growing without bound", () => {
    // 2^12 = 4096 sentences; the limit keeps only the first ones.
    const explosive = parseTemplate(Array.from({ length: 12 }, (_, i) => `(a${i}|b${i})`).join(" "));
    expect(expandWords(explosive, 100)).toHaveLength(100);
    expect(expandWords(explosive).length).toBeLessThanOrEqual(512);
  });
});
