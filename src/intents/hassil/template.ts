import { HearthError } from "../../core/errors.js";
import type { TemplateNode } from "../template.js";

/**
 * Home Assistant's template language (HassIL, see the packs' docs/templates.md) parsed as written:
 * character by character, because its groups may sit inside words (`batter(y|ies)`, `light[s]`,
 * `[Einkaufs]Liste`, `{area}[s]`) and whitespace decides where words end. `toTokens` then turns the
 * tree into the word-level template the matcher runs on.
 *
 * - `(a|b)` alternatives, `[a|b]` optional alternatives, `(a;b;c)` a permutation
 * - `{list}` / `{list:slot}` a list filling a slot, `<rule>` an expansion rule
 */
export type HNode =
  | { t: "text"; s: string }
  | { t: "seq"; items: HNode[] }
  | { t: "alt"; options: HNode[]; optional: boolean }
  | { t: "perm"; items: HNode[] }
  | { t: "slot"; list: string; slot: string }
  | { t: "rule"; name: string };

const NAME = /^[\p{L}\p{N}_][\p{L}\p{N}_.-]*$/u;

/** Parses one template. Throws HearthError("TEMPLATE_INVALID") naming the 1-based character. */
export function parseHassil(source: string): HNode {
  let pos = 0;
  const fail = (message: string, at = pos): never => {
    throw new HearthError("TEMPLATE_INVALID", `template "${source}": ${message} at character ${at + 1}`);
  };
  const group = (close: ")" | "]" | null): { options: HNode[][]; perm: boolean } => {
    const options: HNode[][] = [[]];
    let perm = false;
    let text = "";
    const flush = () => {
      if (text) (options[options.length - 1] as HNode[]).push({ t: "text", s: text });
      text = "";
    };
    while (pos < source.length) {
      const c = source[pos] as string;
      const at = pos;
      if (c === "\\" && pos + 1 < source.length) {
        text += source[pos + 1];
        pos += 2;
        continue;
      }
      pos++;
      if (c === ")" || c === "]") {
        if (c !== close) fail(`unexpected '${c}'`, at);
        flush();
        return { options, perm };
      }
      if (c === "(" || c === "[") {
        flush();
        const inner = group(c === "(" ? ")" : "]");
        const parts = inner.options.map(seq);
        const node: HNode = inner.perm
          ? { t: "perm", items: parts }
          : { t: "alt", options: parts, optional: c === "[" };
        (options[options.length - 1] as HNode[]).push(node);
      } else if (c === "{" || c === "<") {
        flush();
        const end = source.indexOf(c === "{" ? "}" : ">", pos);
        if (end < 0) fail(`unclosed '${c}'`, at);
        const inner = source.slice(pos, end).trim();
        pos = end + 1;
        if (c === "<") {
          if (!NAME.test(inner)) fail(`bad rule name "<${inner}>"`, at);
          (options[options.length - 1] as HNode[]).push({ t: "rule", name: inner });
        } else {
          const [list, slot, more] = inner.split(":").map((s) => s.trim());
          if (more !== undefined || !list || !NAME.test(list) || (slot !== undefined && !NAME.test(slot)))
            fail(`bad list reference "{${inner}}"`, at);
          (options[options.length - 1] as HNode[]).push({
            t: "slot",
            list: list as string,
            slot: slot ?? (list as string),
          });
        }
      } else if (c === "|" || c === ";") {
        if (c === ";" && close !== ")") fail("';' (permutation) only inside parentheses", at);
        if (options.length > 1 && perm !== (c === ";")) fail("'|' and ';' mixed in one group", at);
        perm = c === ";";
        flush();
        options.push([]);
      } else if (c === "}" || c === ">") {
        fail(`unexpected '${c}'`, at);
      } else {
        text += c;
      }
    }
    if (close !== null) fail(`missing '${close}'`);
    flush();
    return { options, perm };
  };
  const top = group(null);
  // "a|b" at the top (an expansion rule's alternatives) is a group of its own.
  if (top.options.length === 1) return seq(top.options[0] as HNode[]);
  const parts = top.options.map(seq);
  return top.perm ? { t: "perm", items: parts } : { t: "alt", options: parts, optional: false };
}

function seq(items: HNode[]): HNode {
  return items.length === 1 ? (items[0] as HNode) : { t: "seq", items };
}

/** Replaces every `<rule>` by its definition, failing on unknown or self-referring rules. */
export function inlineHassilRules(
  node: HNode,
  rules: (name: string) => HNode | undefined,
  seen: readonly string[] = [],
  cache?: Map<string, HNode>,
): HNode {
  switch (node.t) {
    case "rule": {
      // A rule expands the same way every time: sharing the expansion lets the word-level
      // conversion below reuse its work for every sentence that uses the rule.
      const cached = cache?.get(node.name);
      if (cached) return cached;
      const def = rules(node.name);
      if (!def) throw new HearthError("TEMPLATE_INVALID", `unknown expansion rule <${node.name}>`);
      if (seen.includes(node.name))
        throw new HearthError(
          "TEMPLATE_INVALID",
          `expansion rule <${node.name}> refers to itself (${[...seen, node.name].join(" → ")})`,
        );
      const out = inlineHassilRules(def, rules, [...seen, node.name], cache);
      cache?.set(node.name, out);
      return out;
    }
    case "seq":
      return { t: "seq", items: node.items.map((n) => inlineHassilRules(n, rules, seen, cache)) };
    case "perm":
      return { t: "perm", items: node.items.map((n) => inlineHassilRules(n, rules, seen, cache)) };
    case "alt":
      return { ...node, options: node.options.map((n) => inlineHassilRules(n, rules, seen, cache)) };
    default:
      return node;
  }
}

/** The lists a template refers to (after rules are inlined). */
export function hassilListsUsed(node: HNode, out = new Set<string>()): Set<string> {
  if (node.t === "slot") out.add(node.list);
  else if (node.t === "seq" || node.t === "perm") for (const n of node.items) hassilListsUsed(n, out);
  else if (node.t === "alt") for (const n of node.options) hassilListsUsed(n, out);
  return out;
}

/** A list whose last word carries a glued suffix: `{area}[s]` said as "wohnzimmers". */
export interface SuffixedListRef {
  base: string;
  suffix: string;
}

/** What the word-level conversion needs: the language's tokenizer and where to note glued suffixes. */
export interface TokenContext {
  tokenize: (text: string) => string[];
  /** The list name a matcher uses for `base` followed by `suffix` in the same word. */
  suffixed: (base: string, suffix: string) => string;
  /** Template words mapped to the lists the matcher knows (`{name}` → the registry's names). */
  listName: (list: string) => string;
  /** Conversions already done, by node (rules shared between sentences convert once). */
  memo?: TokenMemo | undefined;
}

/** Work the conversion does once per node: groups converted, spaces moved out of groups. */
export interface TokenMemo {
  converted: WeakMap<object, TemplateNode>;
  hoisted: WeakMap<object, Atom[]>;
}

/** A fresh memo for one language's conversions. */
export function tokenMemo(): TokenMemo {
  return { converted: new WeakMap(), hoisted: new WeakMap() };
}

type Atom = { t: "ws" } | { t: "word"; s: string } | Exclude<HNode, { t: "text" } | { t: "seq" }>;

const EMPTY: TemplateNode = { t: "seq", items: [] };
/** Expanding a glued group of words into its spellings stops here (the packs stay far below). */
const MAX_SPELLINGS = 4096;

/**
 * Converts a parsed template (rules inlined) into the word-level template the matcher runs on:
 * words joined to groups are spelled out (`light[s]` → light | lights), whitespace that opens or
 * closes a group is moved out of it (`Licht[ <area>]`), and a list glued to a suffix becomes a
 * suffixed list.
 */
export function toTokens(node: HNode, ctx: TokenContext): TemplateNode {
  return convSeq([node], ctx);
}

function convSeq(items: readonly HNode[], ctx: TokenContext): TemplateNode {
  const atoms: Atom[] = [];
  flatten(items, atoms, ctx);
  const runs: Atom[][] = [[]];
  for (const a of atoms) {
    if (a.t === "ws") runs.push([]);
    else (runs[runs.length - 1] as Atom[]).push(a);
  }
  const out: TemplateNode[] = [];
  // Plain words next to each other are tokenized together: "twenty one" is one number, 21.
  let text: string[] = [];
  for (const run of runs) {
    if (run.length === 0) continue;
    const only = run[0] as Atom;
    if (run.length === 1 && only.t === "word") {
      text.push(only.s);
      continue;
    }
    if (text.length > 0) out.push(words(ctx, text.join(" ")));
    text = [];
    out.push(convRun(run, ctx));
  }
  if (text.length > 0) out.push(words(ctx, text.join(" ")));
  return wrap(out);
}

function wrap(items: TemplateNode[]): TemplateNode {
  const flat: TemplateNode[] = [];
  for (const i of items) {
    if (i.t === "seq") flat.push(...i.items);
    else flat.push(i);
  }
  return flat.length === 1 ? (flat[0] as TemplateNode) : { t: "seq", items: flat };
}

function flatten(items: readonly HNode[], out: Atom[], ctx: TokenContext): void {
  for (const n of items) {
    switch (n.t) {
      case "text": {
        const parts = n.s.split(/(\s+)/);
        for (const p of parts) {
          if (p === "") continue;
          if (/^\s+$/.test(p)) out.push({ t: "ws" });
          else out.push({ t: "word", s: p });
        }
        break;
      }
      case "seq":
        flatten(n.items, out, ctx);
        break;
      case "alt": {
        // Worked out once per group: rules shared between sentences are the same nodes.
        const known = ctx.memo?.hoisted.get(n);
        if (known) {
          out.push(...known);
          break;
        }
        const start = out.length;
        hoistAlt(n, out);
        ctx.memo?.hoisted.set(n, out.slice(start));
        break;
      }
      default:
        out.push(n);
    }
  }
}

function hoistAlt(n: Extract<HNode, { t: "alt" }>, out: Atom[]): void {
  // "Licht[ <area>]": a space that opens (or closes) every spoken option belongs outside.
  let options = n.options;
  const lead = options.every((o) => isEmpty(o) || startsWithSpace(o)) && options.some((o) => !isEmpty(o));
  if (lead) options = options.map((o) => (isEmpty(o) ? o : trimStart(o)));
  const trail = options.every((o) => isEmpty(o) || endsWithSpace(o)) && options.some((o) => !isEmpty(o));
  if (trail) options = options.map((o) => (isEmpty(o) ? o : trimEnd(o)));
  // A group that is nothing but optional space ("any[ ]thing") stays glued.
  if (options.every(isEmpty) && (lead || trail)) {
    out.push(n);
    return;
  }
  if (lead) out.push({ t: "ws" });
  out.push(lead || trail ? { ...n, options } : n);
  if (trail) out.push({ t: "ws" });
}

function isEmpty(n: HNode): boolean {
  if (n.t === "text") return n.s === "";
  if (n.t === "seq") return n.items.every(isEmpty);
  return false;
}

function startsWithSpace(n: HNode): boolean {
  if (n.t === "text") return /^\s/.test(n.s);
  if (n.t === "seq") {
    const first = n.items.find((i) => !isEmpty(i));
    return first !== undefined && startsWithSpace(first);
  }
  if (n.t === "alt") return !n.optional && n.options.every((o) => !isEmpty(o) && startsWithSpace(o));
  return false;
}

function endsWithSpace(n: HNode): boolean {
  if (n.t === "text") return /\s$/.test(n.s);
  if (n.t === "seq") {
    const last = [...n.items].reverse().find((i) => !isEmpty(i));
    return last !== undefined && endsWithSpace(last);
  }
  if (n.t === "alt") return !n.optional && n.options.every((o) => !isEmpty(o) && endsWithSpace(o));
  return false;
}

function trimStart(n: HNode): HNode {
  if (n.t === "text") return { t: "text", s: n.s.replace(/^\s+/, "") };
  if (n.t === "seq") {
    const i = n.items.findIndex((x) => !isEmpty(x));
    const items = [...n.items];
    items[i] = trimStart(items[i] as HNode);
    return { t: "seq", items };
  }
  if (n.t === "alt") return { ...n, options: n.options.map(trimStart) };
  return n;
}

function trimEnd(n: HNode): HNode {
  if (n.t === "text") return { t: "text", s: n.s.replace(/\s+$/, "") };
  if (n.t === "seq") {
    let i = n.items.length - 1;
    while (i >= 0 && isEmpty(n.items[i] as HNode)) i--;
    const items = [...n.items];
    items[i] = trimEnd(items[i] as HNode);
    return { t: "seq", items };
  }
  if (n.t === "alt") return { ...n, options: n.options.map(trimEnd) };
  return n;
}

function hasSlot(a: Atom | HNode): boolean {
  switch (a.t) {
    case "slot":
      return true;
    case "seq":
    case "perm":
      return a.items.some(hasSlot);
    case "alt":
      return a.options.some(hasSlot);
    default:
      return false;
  }
}

function words(ctx: TokenContext, text: string): TemplateNode {
  return wrap(ctx.tokenize(text).map((w) => ({ t: "word", w }) as TemplateNode));
}

function convAtom(a: Atom, ctx: TokenContext): TemplateNode {
  if ((a.t === "alt" || a.t === "perm") && ctx.memo) {
    const known = ctx.memo.converted.get(a);
    if (known) return known;
    const made = convAtomFresh(a, ctx);
    ctx.memo.converted.set(a, made);
    return made;
  }
  return convAtomFresh(a, ctx);
}

function convAtomFresh(a: Atom, ctx: TokenContext): TemplateNode {
  switch (a.t) {
    case "word":
      return words(ctx, a.s);
    case "slot":
      return { t: "slot", list: ctx.listName(a.list), slot: a.slot };
    case "alt": {
      const options = a.options.map((o) => convSeq([o], ctx));
      if (a.optional) options.push(EMPTY);
      return { t: "alt", options };
    }
    case "perm": {
      const parts = a.items.map((i) => convSeq([i], ctx));
      if (parts.length > 6)
        throw new HearthError("TEMPLATE_INVALID", "a permutation may have at most 6 parts");
      return { t: "alt", options: permutations(parts).map((p) => wrap(p)) };
    }
    case "rule":
      throw new HearthError("TEMPLATE_INVALID", `rule <${a.name}> was not inlined`);
    default:
      return EMPTY;
  }
}

/** A run of atoms with no whitespace between them: one word (or a list and its suffix) as spoken. */
function convRun(run: Atom[], ctx: TokenContext): TemplateNode {
  if (run.length === 1) return convAtom(run[0] as Atom, ctx);
  if (!run.some(hasSlot)) {
    const spellings = expandStrings(run);
    if (spellings) return spelled(spellings, ctx);
    return wrap(run.map((a) => convAtom(a, ctx)));
  }
  // A list inside a word: what is glued before it is its own word; what follows is a suffix.
  const out: TemplateNode[] = [];
  let i = 0;
  while (i < run.length) {
    const a = run[i] as Atom;
    if (!hasSlot(a)) {
      let j = i;
      while (j < run.length && !hasSlot(run[j] as Atom)) j++;
      out.push(convRun(run.slice(i, j), ctx));
      i = j;
      continue;
    }
    i++;
    if (a.t !== "slot") {
      out.push(convAtom(a, ctx));
      continue;
    }
    let j = i;
    while (j < run.length && !hasSlot(run[j] as Atom)) j++;
    const tail = run.slice(i, j);
    i = j;
    const spellings = tail.length > 0 ? expandStrings(tail) : [""];
    if (!spellings) {
      out.push(convAtom(a, ctx), convRun(tail, ctx));
      continue;
    }
    const options = new Map<string, TemplateNode>();
    for (const s of spellings) {
      const clean = s.replace(/['’`]/g, "");
      const m = /^[\p{L}\p{N}]+/u.exec(clean);
      if (!m) {
        const node = wrap([convAtom(a, ctx), words(ctx, clean)]);
        options.set(JSON.stringify(node), node);
        continue;
      }
      const suffix = ctx.tokenize(m[0]).join("");
      const list = ctx.suffixed(ctx.listName(a.list), suffix);
      const node = wrap([{ t: "slot", list, slot: a.slot }, words(ctx, clean.slice(m[0].length))]);
      options.set(JSON.stringify(node), node);
      // A whole word glued to a list ("<name>[(<aktivieren>|<an>)]" in the German scene sentences)
      // is a word of its own as HassIL matches it ("Filmabend aktivieren"); an ending ("{area}[s]")
      // is not.
      if (suffix.length >= 4) {
        const apart = wrap([convAtom(a, ctx), words(ctx, clean)]);
        options.set(JSON.stringify(apart), apart);
      }
    }
    const all = [...options.values()];
    out.push(all.length === 1 ? (all[0] as TemplateNode) : { t: "alt", options: all });
  }
  return wrap(out);
}

function spelled(spellings: string[], ctx: TokenContext): TemplateNode {
  const options = new Map<string, TemplateNode>();
  for (const s of spellings) {
    const node = words(ctx, s);
    options.set(JSON.stringify(node), node);
  }
  const all = [...options.values()];
  return all.length === 1 ? (all[0] as TemplateNode) : { t: "alt", options: all };
}

/** Every spelling of slot-free atoms glued together; undefined past MAX_SPELLINGS. */
function expandStrings(run: readonly (Atom | HNode)[]): string[] | undefined {
  let acc: string[] = [""];
  for (const a of run) {
    const forms = formsOf(a);
    if (!forms) return undefined;
    const next = new Set<string>();
    for (const head of acc) for (const f of forms) next.add(head + f);
    if (next.size > MAX_SPELLINGS) return undefined;
    acc = [...next];
  }
  return acc;
}

function formsOf(a: Atom | HNode): string[] | undefined {
  switch (a.t) {
    case "ws":
      return [" "];
    case "word":
      return [a.s];
    case "text":
      return [a.s];
    case "seq":
      return expandStrings(a.items);
    case "alt": {
      const out = new Set<string>();
      for (const o of a.options) {
        const f = formsOf(o);
        if (!f) return undefined;
        for (const s of f) out.add(s);
      }
      if (a.optional) out.add("");
      return [...out];
    }
    case "perm": {
      const out = new Set<string>();
      for (const p of permutations(a.items)) {
        const f = expandStrings(p.flatMap((x, i) => (i === 0 ? [x] : [{ t: "ws" } as Atom, x])));
        if (!f) return undefined;
        for (const s of f) out.add(s);
      }
      return [...out];
    }
    default:
      return undefined;
  }
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  const out: T[][] = [];
  items.forEach((item, i) => {
    const rest = [...items.slice(0, i), ...items.slice(i + 1)];
    for (const p of permutations(rest)) out.push([item, ...p]);
  });
  return out;
}
