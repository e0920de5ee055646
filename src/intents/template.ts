import { HearthError } from "../core/errors.js";
import { tokenize } from "./normalize.js";

/**
 * The sentence template language, in the spirit of Home Assistant's hassil and Rhasspy's
 * sentences.ini:
 *
 * - `turn on the light`      words (normalised like spoken text: case, punctuation and numbers)
 * - `(on|off)`               alternatives
 * - `[the]`, `[please|now]`  optional parts
 * - `{name}`, `{color}`      a slot filled from the list of the same name
 * - `{brightness_level:brightness}`  list `brightness_level` filling slot `brightness`
 * - `{area+licht:area}`      list `area` glued to the suffix "licht" in one word ("Badlicht"): the
 *                            suffix is cut off and the rest looked up in the list
 * - `<turn>`                 an expansion rule, defined once and reused
 * - `(in the {area}; now)`   a permutation: the `;`-separated parts in any order
 */
export type TemplateNode =
  | { t: "word"; w: string }
  | { t: "seq"; items: TemplateNode[] }
  | { t: "alt"; options: TemplateNode[] }
  | { t: "slot"; list: string; slot: string }
  | { t: "rule"; name: string };

const EMPTY: TemplateNode = { t: "seq", items: [] };

/** Parses one template into its tree. Throws HearthError("TEMPLATE_INVALID") with the position. */
export function parseTemplate(source: string): TemplateNode {
  const parser = new Parser(source);
  const node = parser.parseSequenceUntil(null);
  return node;
}

class Parser {
  #pos = 0;
  constructor(readonly src: string) {}

  /** Fails naming the template and the 1-based position of the offending character. */
  fail(message: string, at: number = this.#pos): never {
    throw new HearthError("TEMPLATE_INVALID", `template "${this.src}": ${message} at character ${at + 1}`);
  }

  /** Parses until `close` (or end of input when null); handles `|` and `;` at this level. */
  parseSequenceUntil(close: ")" | "]" | null): TemplateNode {
    const options: TemplateNode[][] = [];
    let permParts: TemplateNode[][] | null = null;
    let current: TemplateNode[] = [];
    let text = "";
    const flushText = () => {
      if (text.trim()) for (const w of tokenize(text)) current.push({ t: "word", w });
      text = "";
    };
    while (this.#pos < this.src.length) {
      const c = this.src[this.#pos] as string;
      if (c === ")" || c === "]") {
        if (c !== close) this.fail(`unexpected '${c}'`);
        this.#pos++;
        flushText();
        return finish(options, permParts, current);
      }
      const at = this.#pos;
      this.#pos++;
      if (c === "(") {
        flushText();
        current.push(this.parseSequenceUntil(")"));
      } else if (c === "[") {
        flushText();
        current.push({ t: "alt", options: [this.parseSequenceUntil("]"), EMPTY] });
      } else if (c === "{") {
        flushText();
        const end = this.src.indexOf("}", this.#pos);
        if (end < 0) this.fail("unclosed '{'", at);
        const inner = this.src.slice(this.#pos, end).trim();
        this.#pos = end + 1;
        const parts = inner.split(":").map((s) => s.trim());
        const [list, slot] = parts;
        if (
          parts.length > 2 ||
          !list ||
          !/^[A-Za-z_][A-Za-z0-9_]*(\+\p{Ll}+)?$/u.test(list) ||
          (slot !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(slot))
        )
          this.fail(`bad slot "{${inner}}"`, at);
        current.push({ t: "slot", list, slot: slot ?? list });
      } else if (c === "<") {
        flushText();
        const end = this.src.indexOf(">", this.#pos);
        if (end < 0) this.fail("unclosed '<'", at);
        const name = this.src.slice(this.#pos, end).trim();
        this.#pos = end + 1;
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) this.fail(`bad rule name "<${name}>"`, at);
        current.push({ t: "rule", name });
      } else if (c === "|") {
        if (close === null) this.fail("'|' outside parentheses or brackets", at);
        if (permParts) this.fail("'|' and ';' mixed in one group", at);
        flushText();
        options.push(current);
        current = [];
      } else if (c === ";") {
        if (close !== ")") this.fail("';' (permutation) only inside parentheses", at);
        if (options.length > 0) this.fail("'|' and ';' mixed in one group", at);
        flushText();
        permParts ??= [];
        permParts.push(current);
        current = [];
      } else if (c === "}" || c === ">") {
        this.fail(`unexpected '${c}'`, at);
      } else {
        text += c;
      }
    }
    if (close !== null) this.fail(`missing '${close}'`);
    flushText();
    return finish(options, permParts, current);
  }
}

function seq(items: TemplateNode[]): TemplateNode {
  return items.length === 1 ? (items[0] as TemplateNode) : { t: "seq", items };
}

function finish(
  options: TemplateNode[][],
  permParts: TemplateNode[][] | null,
  current: TemplateNode[],
): TemplateNode {
  if (permParts) {
    permParts.push(current);
    const parts = permParts.map(seq);
    if (parts.length > 5) throw new HearthError("TEMPLATE_INVALID", "a permutation may have at most 5 parts");
    return { t: "alt", options: permutations(parts).map((p) => ({ t: "seq", items: p })) };
  }
  if (options.length === 0) return seq(current);
  options.push(current);
  return { t: "alt", options: options.map(seq) };
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  const out: T[][] = [];
  items.forEach((item, i) => {
    const rest = [...items.slice(0, i), ...items.slice(i + 1)];
    for (const p of permutations(rest)) out.push([item, ...p]);
  });
  return out;
}

/** Replaces every `<rule>` by its definition (recursively), failing on unknown or cyclic rules. */
export function inlineRules(
  node: TemplateNode,
  rules: ReadonlyMap<string, TemplateNode>,
  seen: string[] = [],
  done: Map<string, TemplateNode> = new Map(),
): TemplateNode {
  switch (node.t) {
    case "rule": {
      const def = rules.get(node.name);
      if (!def) throw new HearthError("TEMPLATE_INVALID", `unknown expansion rule <${node.name}>`);
      if (seen.includes(node.name))
        throw new HearthError(
          "TEMPLATE_INVALID",
          `expansion rule <${node.name}> refers to itself (${[...seen, node.name].join(" → ")})`,
        );
      // A rule used in many templates ("<verb>", "<loc>") is expanded once and its tree shared:
      // templates are only read after this, and copying nested rules per use was most of compiling.
      const known = done.get(node.name);
      if (known) return known;
      const out = inlineRules(def, rules, [...seen, node.name], done);
      done.set(node.name, out);
      return out;
    }
    case "seq":
      return { t: "seq", items: node.items.map((n) => inlineRules(n, rules, seen, done)) };
    case "alt":
      return { t: "alt", options: node.options.map((n) => inlineRules(n, rules, seen, done)) };
    default:
      return node;
  }
}

/** Adds every word of a template (all its alternatives; slots and rules have none) to `out`. */
export function templateWords(node: TemplateNode, out: Set<string>): void {
  if (node.t === "word") out.add(node.w);
  else if (node.t === "seq") for (const n of node.items) templateWords(n, out);
  else if (node.t === "alt") for (const n of node.options) templateWords(n, out);
}

/**
 * Every word sequence a slot-free template can produce (used for list values such as
 * `in: "(max|maximum|full)"`). Stops at `limit` to guard against explosive templates.
 */
export function expandWords(node: TemplateNode, limit = 512): string[][] {
  switch (node.t) {
    case "word":
      return [[node.w]];
    case "seq": {
      let acc: string[][] = [[]];
      for (const item of node.items) {
        const next: string[][] = [];
        for (const tail of expandWords(item, limit))
          for (const head of acc) if (next.length < limit) next.push([...head, ...tail]);
        acc = next;
      }
      return acc;
    }
    case "alt":
      return node.options.flatMap((o) => expandWords(o, limit)).slice(0, limit);
    default:
      throw new HearthError("TEMPLATE_INVALID", "slots and rules are not allowed here");
  }
}
