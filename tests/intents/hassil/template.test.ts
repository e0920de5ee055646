import { describe, expect, it } from "vitest";
import { languageTokenizer } from "../../../src/intents/hassil/compile.js";
import { inlineHassilRules, parseHassil, toTokens } from "../../../src/intents/hassil/template.js";
import type { TemplateNode } from "../../../src/intents/template.js";

/** Every sentence a word-level template stands for, lists shown as {list:slot}. */
function sentencesOf(node: TemplateNode): string[] {
  switch (node.t) {
    case "word":
      return [node.w];
    case "slot":
      return [`{${node.list}:${node.slot}}`];
    case "alt":
      return [...new Set(node.options.flatMap(sentencesOf))];
    case "seq": {
      let acc = [""];
      for (const item of node.items) {
        const next: string[] = [];
        for (const head of acc) for (const tail of sentencesOf(item)) next.push(`${head} ${tail}`.trim());
        acc = next;
      }
      return [...new Set(acc)];
    }
    default:
      throw new Error("rule left in a template");
  }
}

function expand(template: string, rules: Record<string, string> = {}, language = "en"): string[] {
  const tree = inlineHassilRules(parseHassil(template), (n) =>
    rules[n] === undefined ? undefined : parseHassil(rules[n] as string),
  );
  const node = toTokens(tree, {
    tokenize: languageTokenizer(language),
    listName: (l) => l,
    suffixed: (base, suffix) => `${base}+${suffix}`,
  });
  return sentencesOf(node).sort();
}

describe("HassIL templates", () => {
  it("expands alternatives, optionals and alternatives inside a word", () => {
    expect(expand("set color to (red | green)")).toEqual(["set color to green", "set color to red"]);
    expect(expand("turn on [the] light[s]")).toEqual([
      "turn on light",
      "turn on lights",
      "turn on the light",
      "turn on the lights",
    ]);
    expect(expand("how many batter(y|ies)")).toEqual(["how many batteries", "how many battery"]);
  });

  it("treats a bracketed space as an optional space inside a word", () => {
    expect(expand("is any[ ](thing|sensor) cold")).toEqual([
      "is any sensor cold",
      "is any thing cold",
      "is anysensor cold",
      "is anything cold",
    ]);
  });

  it("moves a space that opens a group out of it, so the group is a word of its own", () => {
    expect(expand("Licht[ <area>] aus", { area: "im {area}" }, "de")).toEqual([
      "licht aus",
      "licht im {area:area} aus",
    ]);
    expect(expand("[Einkaufs]Liste", {}, "de")).toEqual(["einkaufsliste", "liste"]);
  });

  it("expands permutations in every order, with spaces between the parts", () => {
    expect(expand("(turn on;the light)")).toEqual(["the light turn on", "turn on the light"]);
  });

  it("accepts alternatives at the top of an expansion rule", () => {
    expect(expand("<d>", { d: "<s>|<m>", s: "{seconds} second[s]", m: "{minutes} minute[s]" })).toEqual([
      "{minutes:minutes} minute",
      "{minutes:minutes} minutes",
      "{seconds:seconds} second",
      "{seconds:seconds} seconds",
    ]);
  });

  it("fills a slot from a list of another name", () => {
    expect(expand("{timer_name:name} timer")).toEqual(["{timer_name:name} timer"]);
  });

  it("turns a suffix glued to a list into a suffixed list", () => {
    expect(expand("im {area}[s]", {}, "de")).toEqual(["im {area+s:area}", "im {area:area}"]);
    expect(expand("<name>['s] battery", { name: "[the] {name}" })).toEqual([
      "the {name+s:name} battery",
      "the {name:name} battery",
      "{name+s:name} battery",
      "{name:name} battery",
    ]);
  });

  it("keeps a unit glued to a number as a word of its own", () => {
    expect(expand("{brightness}[([ ]%)| percent]")).toEqual([
      "{brightness:brightness}",
      "{brightness:brightness} percent",
    ]);
  });

  it("spells template words the way sentences are tokenized (numbers, apostrophes)", () => {
    expect(expand("what's on channel (twenty one|five)")).toEqual([
      "whats on channel 21",
      "whats on channel 5",
    ]);
    expect(expand("auf einundzwanzig Komma fünf Grad", {}, "de")).toEqual(["auf 21.5 grad"]);
  });

  it("names the character where a template goes wrong", () => {
    expect(() => parseHassil("turn on (the light")).toThrow(/missing '\)'/);
    expect(() => parseHassil("turn on the light]")).toThrow(/unexpected '\]' at character 18/);
    expect(() => parseHassil("set {brightness to 5")).toThrow(/unclosed '\{' at character 5/);
    expect(() => parseHassil("(a|b;c)")).toThrow(/'\|' and ';' mixed/);
  });

  it("refuses unknown and self-referring rules", () => {
    const rules = (n: string) => (n === "loop" ? parseHassil("x <loop>") : undefined);
    expect(() => inlineHassilRules(parseHassil("<nope>"), rules)).toThrow(/unknown expansion rule <nope>/);
    expect(() => inlineHassilRules(parseHassil("<loop>"), rules)).toThrow(/refers to itself/);
  });
});
