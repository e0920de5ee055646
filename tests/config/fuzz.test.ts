import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../bench/lib/seeded-random.mjs";
import { parseConfig } from "../../src/config/parse-config.js";
import { HearthError } from "../../src/core/errors.js";

const example = readFileSync(new URL("../../config/hearth.example.yaml", import.meta.url), "utf8");
const JUNK = [
  "",
  ":",
  "- ",
  "{",
  "}",
  "[",
  "]",
  "!!binary",
  "&a",
  "*a",
  "<<: *a",
  "\t",
  "'",
  '"',
  "#",
  "?",
  "%",
  "@",
  "`",
  "\u0000",
  "é",
  "🙂",
  "~",
  "null",
  "-1e999",
  "0x",
  "yes",
  "no",
];

/** The example config with random lines cut, duplicated, shuffled or garbled. */
function mutate(random: () => number): string {
  const lines = example.split("\n");
  const edits = 1 + Math.floor(random() * 6);
  for (let e = 0; e < edits; e++) {
    const i = Math.floor(random() * lines.length);
    const line = lines[i] ?? "";
    switch (Math.floor(random() * 6)) {
      case 0:
        lines.splice(i, 1);
        break;
      case 1:
        lines.splice(i, 0, line);
        break;
      case 2: {
        const at = Math.floor(random() * (line.length + 1));
        const junk = JUNK[Math.floor(random() * JUNK.length)] ?? "";
        lines[i] = line.slice(0, at) + junk + line.slice(at);
        break;
      }
      case 3:
        lines[i] = ` ${line}`;
        break;
      case 4:
        lines[i] = line.replace(/:\s.*/, `: ${JUNK[Math.floor(random() * JUNK.length)]}`);
        break;
      default: {
        const j = Math.floor(random() * lines.length);
        [lines[i], lines[j]] = [lines[j] ?? "", line];
      }
    }
  }
  return lines.join("\n");
}

/** How many mutated files the fuzz test parses. */
const FILES = 500;

describe("malformed configuration files", () => {
  // 500 files (each of six edits with 28 kinds of junk, many times over): a parse of the 200-line
  // example takes 5–20 ms, so 2,000 made this one test take 40 s on a busy machine.
  it(`either load or fail with CONFIG_INVALID listing located problems, ${FILES} times over`, () => {
    const random = seededRandom(2026);
    let invalid = 0;
    for (let n = 0; n < FILES; n++) {
      const text = mutate(random);
      try {
        parseConfig(text, "fuzz.yaml");
      } catch (err) {
        expect(err).toBeInstanceOf(HearthError);
        const e = err as HearthError;
        expect(e.code).toBe("CONFIG_INVALID");
        expect(e.details.length).toBeGreaterThan(0);
        for (const d of e.details) expect(d).toMatch(/\(line \d+, column \d+\)|line \d+/);
        invalid++;
      }
    }
    // The mutations must actually break most files, or the test checks nothing.
    expect(invalid).toBeGreaterThan(FILES / 2);
  });

  it.each([
    ["an empty file", ""],
    ["only a comment", "# nothing here\n"],
  ])("treats %s as all defaults", (_what, text) => {
    expect(parseConfig(text, "empty.yaml").devices).toEqual([]);
  });

  it.each([
    ["a binary file", "\u0000\u0001\u0002\u00ff\ufffd".repeat(200)],
    ["a list at the top", "- a\n- b\n"],
    ["a scalar", "42\n"],
    ["a huge string", `site: { name: "${"x".repeat(200_000)}" }\n`],
    ["deep nesting", `${"a: ".repeat(2000)}1\n`],
  ])("rejects %s with CONFIG_INVALID", (_what, text) => {
    let caught: unknown;
    try {
      parseConfig(text, "odd.yaml");
    } catch (err) {
      caught = err;
    }
    if (caught !== undefined) expect((caught as HearthError).code).toBe("CONFIG_INVALID");
  });
});
