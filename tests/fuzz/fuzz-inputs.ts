import { readdirSync, readFileSync } from "node:fs";
import { parse } from "yaml";
import { seededRandom } from "../../bench/lib/seeded-random.mjs";

export { seededRandom };

/**
 * Random inputs for the daemon fuzz test, from a seeded generator so a failure can be replayed with
 * the same seed. Two families:
 * - garbage: nothing a person would say (invalid UTF-8, control characters, wrong JSON types, empty,
 *   oversized, random Unicode). None of it may ever reach a device.
 * - word salad: random words from the built-in sentence templates' vocabulary, device and area
 *   names. Some of it is a real command by chance; that may act.
 */

/** What the daemon must answer with on `event/run`. */
export type Expect = "error" | "run" | "either";

export interface FuzzInput {
  /** What goes on the command topic, byte for byte. */
  payload: Buffer;
  /** The transaction the answer must echo, when the payload carries a valid one. */
  transaction?: string | undefined;
  expect: Expect;
  /** A short name of the generator, for failure messages. */
  kind: string;
}

/** The inbound size limit docs/mqtt.md documents for command payloads, in bytes. */
const LIMIT = 4096;

/** Every word of the built-in English sentence templates (sentences and list values). */
export function templateVocabulary(): string[] {
  const dir = new URL("../../src/intents/sentences/en/", import.meta.url);
  const words = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === "string") {
      for (const word of value.toLowerCase().match(/[a-z]+/g) ?? []) words.add(word);
    } else if (Array.isArray(value)) {
      for (const item of value) walk(item);
    } else if (value && typeof value === "object") {
      for (const item of Object.values(value)) walk(item);
    }
  };
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".yaml"))) {
    walk(parse(readFileSync(new URL(file, dir), "utf8")));
  }
  return [...words];
}

/** Code point ranges random Unicode is drawn from: scripts, symbols, marks, invisibles, planes. */
const UNICODE_RANGES: Array<[number, number]> = [
  [0x20, 0x7e],
  [0xa0, 0x24f],
  [0x300, 0x36f], // combining marks
  [0x590, 0x6ff], // Hebrew, Arabic (right to left)
  [0x200b, 0x200f], // zero-width and direction marks
  [0x202a, 0x202e], // bidirectional overrides
  [0x2028, 0x2029], // line and paragraph separators
  [0x3040, 0x30ff],
  [0x4e00, 0x4fff],
  [0xe000, 0xe0ff], // private use
  [0xfdd0, 0xfdef], // noncharacters
  [0xfe00, 0xfe0f], // variation selectors
  [0xfeff, 0xfeff], // byte order mark
  [0xff01, 0xff5e], // full-width forms (NFKC folds them to ASCII)
  [0xfff9, 0xfffd],
  [0x1f300, 0x1f6ff], // emoji
  [0x1d400, 0x1d7ff], // mathematical alphanumerics
  [0xe0000, 0xe007f], // tags
  [0x10fff0, 0x10ffff],
];

/** Byte sequences that are not UTF-8: stray continuation, overlong, surrogates, past U+10FFFF, truncated. */
const INVALID_UTF8 = [
  [0x80],
  [0xbf],
  [0xc0, 0xaf],
  [0xc1, 0xbf],
  [0xe0, 0x80, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xed, 0xbf, 0xbf],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf5, 0x80, 0x80, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xfe],
  [0xff],
  [0xe2, 0x82],
  [0xf0, 0x9f, 0x98],
  [0xc3],
];

/** C0 and C1 control characters other than tab, line feed and carriage return. */
const CONTROLS = [
  ...Array.from({ length: 9 }, (_, i) => i),
  0x0b,
  0x0c,
  ...Array.from({ length: 18 }, (_, i) => 0x0e + i),
  0x7f,
  ...Array.from({ length: 32 }, (_, i) => 0x80 + i),
];

/** Real commands, used inside garbage: refused input must not act even when a command hides in it. */
const REAL_COMMANDS = [
  "turn on the living room bulb",
  "turn off the coffee plug",
  "open the bedroom blind",
  "turn on all the lights",
  "switch off the desk fan plug",
];

export class FuzzInputs {
  readonly #random: () => number;
  readonly #vocabulary: string[];
  #next = 0;

  constructor(seed: number, vocabulary: string[]) {
    this.#random = seededRandom(seed);
    this.#vocabulary = vocabulary;
  }

  #int(lo: number, hi: number): number {
    return lo + Math.floor(this.#random() * (hi - lo + 1));
  }

  #pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.#random() * items.length)] as T;
  }

  #transaction(): string {
    this.#next++;
    return `fz-${this.#next}`;
  }

  #unicode(length: number): string {
    let text = "";
    for (let i = 0; i < length; i++) {
      const [lo, hi] = this.#pick(UNICODE_RANGES);
      text += String.fromCodePoint(this.#int(lo, hi));
    }
    return text;
  }

  /** A random lone surrogate, which JSON can carry (as an escape) but UTF-8 cannot. */
  #loneSurrogate(): string {
    return String.fromCharCode(this.#int(0xd800, 0xdfff));
  }

  #words(count: number): string {
    return Array.from({ length: count }, () => this.#pick(this.#vocabulary)).join(" ");
  }

  /** Wraps text in `{"text", "transaction"}` (valid transaction), or sends it plain. */
  #textInput(text: string, expect: Expect, kind: string): FuzzInput {
    if (this.#random() < 0.7) {
      const transaction = this.#transaction();
      return { payload: Buffer.from(JSON.stringify({ text, transaction })), transaction, expect, kind };
    }
    return { payload: Buffer.from(text), expect, kind: `${kind}/plain` };
  }

  /** One garbage input: never a command the daemon may act on. */
  garbage(): FuzzInput {
    const transaction = (): string => this.#transaction();
    switch (this.#int(0, 13)) {
      case 0:
        return { payload: Buffer.alloc(0), expect: "error", kind: "empty" };
      case 1:
        return this.#textInput(this.#pick([" ", "\t", "\n", "\r\n", "   \t  "]), "error", "blank");
      case 2: {
        // Invalid UTF-8 bytes somewhere in (or around) a real command.
        const command = Buffer.from(this.#pick(REAL_COMMANDS));
        const at = this.#int(0, command.length);
        const bad = Buffer.from(this.#pick(INVALID_UTF8));
        return {
          payload: Buffer.concat([command.subarray(0, at), bad, command.subarray(at)]),
          expect: "error",
          kind: "invalid-utf8",
        };
      }
      case 3: {
        const bytes = Buffer.alloc(this.#int(1, 64));
        for (let i = 0; i < bytes.length; i++) bytes[i] = this.#int(0x80, 0xff);
        // Random high bytes: almost never valid UTF-8, and never a command when they are.
        return { payload: bytes, expect: "either", kind: "random-bytes" };
      }
      case 4: {
        // A control character inside a real command.
        const command = this.#pick(REAL_COMMANDS);
        const at = this.#int(1, command.length - 1);
        const control = String.fromCharCode(this.#pick(CONTROLS));
        return this.#textInput(`${command.slice(0, at)}${control}${command.slice(at)}`, "error", "control");
      }
      case 5: {
        // Over the size limit, made of a real command repeated.
        const command = `${this.#pick(REAL_COMMANDS)} `;
        const size = this.#pick([LIMIT + 1, LIMIT + 7, this.#int(LIMIT + 1, 64 * 1024)]);
        return {
          payload: Buffer.from(command.repeat(Math.ceil(size / command.length)).slice(0, size)),
          expect: "error",
          kind: "oversized",
        };
      }
      case 6: {
        // Large but under the limit, no word of a command: stresses the matcher.
        const text = this.#unicode(this.#int(500, 1200));
        return this.#textInput(text, "either", "large-unicode");
      }
      case 7:
        return this.#textInput(this.#unicode(this.#int(1, 40)), "either", "unicode");
      case 8: {
        // JSON with a real command but a field of the wrong type: refused as a whole.
        const text = this.#pick(REAL_COMMANDS);
        const variants: Array<Record<string, unknown>> = [
          { text, transaction: this.#int(0, 1e6) },
          { text, transaction: { id: 1 } },
          { text, transaction: ["t"] },
          { text, transaction: "x".repeat(this.#int(201, 400)) },
          { text, transaction: `t\u0007${this.#int(0, 99)}` },
          {
            text,
            area: this.#pick([7, true, "", "   ", {}, [], "a".repeat(150)]),
            transaction: transaction(),
          },
        ];
        const body = this.#pick(variants);
        const echo =
          typeof body.transaction === "string" && body.area !== undefined ? body.transaction : undefined;
        return {
          payload: Buffer.from(JSON.stringify(body)),
          transaction: echo,
          expect: "error",
          kind: "wrong-type",
        };
      }
      case 9: {
        const text = this.#pick<unknown>([
          42,
          -1.5e308,
          true,
          false,
          null,
          {},
          [],
          ["turn on the living room bulb"],
          { text: "turn on the living room bulb" },
          "",
        ]);
        const t = transaction();
        return {
          payload: Buffer.from(JSON.stringify({ text, transaction: t })),
          transaction: t,
          expect: "error",
          kind: "wrong-text-type",
        };
      }
      case 10: {
        const payload = this.#pick([
          "{",
          "}",
          "[",
          '{"text": "turn on the living room bulb"',
          '{"text": "turn on the living room bulb",}',
          "{'text': 'turn on the living room bulb'}",
          '{"text": "turn on \\x41"}',
          "{{}}",
          "[1,2,3]",
          '["turn on the living room bulb"]',
          "[]",
          `${"[".repeat(1000)}${"]".repeat(1000)}`,
          `${'{"a":'.repeat(600)}1${"}".repeat(600)}`,
          '{"__proto__": {"text": "turn on the living room bulb"}}',
          '{"constructor": {"prototype": {"text": "turn on the living room bulb"}}}',
          "{\u0000}",
        ]);
        return { payload: Buffer.from(payload), expect: "error", kind: "broken-json" };
      }
      case 11: {
        // Lone surrogates survive JSON (as escapes) but are not text anyone said.
        const text = `${this.#unicode(this.#int(0, 5))}${this.#loneSurrogate()}${this.#unicode(this.#int(0, 5))}`;
        const t = transaction();
        return {
          payload: Buffer.from(JSON.stringify({ text, transaction: t })),
          transaction: t,
          expect: "either",
          kind: "lone-surrogate",
        };
      }
      case 12: {
        // Punctuation and digits only.
        const chars = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~0123456789 ";
        const text = Array.from({ length: this.#int(1, 60) }, () => this.#pick([...chars])).join("");
        return this.#textInput(
          text.startsWith("{") || text.startsWith("[") ? `x${text}` : text,
          "either",
          "symbols",
        );
      }
      default: {
        // Valid text with unknown extra keys and nonsense content.
        const t = transaction();
        return {
          payload: Buffer.from(
            JSON.stringify({
              text: this.#unicode(this.#int(1, 20)),
              transaction: t,
              extra: { deep: [1, { x: null }] },
            }),
          ),
          transaction: t,
          expect: "either",
          kind: "extra-keys",
        };
      }
    }
  }

  /** One word-salad input: template words, device and area names in random order. */
  salad(extraWords: readonly string[]): FuzzInput {
    const words = Array.from({ length: this.#int(1, 12) }, () =>
      this.#random() < 0.25 ? this.#pick(extraWords) : this.#words(1),
    ).join(" ");
    if (this.#random() < 0.02) {
      // Long, but under the limit: thousands of characters of template words.
      return this.#textInput(this.#words(this.#int(300, 500)).slice(0, 3800), "run", "salad-long");
    }
    return this.#textInput(words, "run", "salad");
  }
}
