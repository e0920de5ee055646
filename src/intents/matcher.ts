import { type ListMatch, type MatchMode, type SlotList, WildcardList } from "./slot-lists.js";
import type { TemplateNode } from "./template.js";
import type { SlotValue } from "./types.js";

/** A slot filled during a match. */
export interface Capture {
  slot: string;
  list: string;
  value: SlotValue;
  text: string;
  start: number;
  end: number;
  ids?: readonly string[] | undefined;
  quality?: "fuzzy" | "unknown" | "local" | undefined;
  extra?: Record<string, SlotValue> | undefined;
}

/** One way a whole sentence fits one template. */
export interface TemplateMatch {
  captures: Capture[];
  /** Template words matched literally (more means a more specific template). */
  literals: number;
}

interface CaptureList {
  c: Capture;
  next: CaptureList | null;
}

interface Ctx {
  tokens: readonly string[];
  lists: ReadonlyMap<string, SlotList>;
  mode: MatchMode;
  out: TemplateMatch[];
  limit: number;
  cache: Map<string, ListMatch[]>;
}

type Cont = (pos: number, caps: CaptureList | null, lit: number) => boolean;

/**
 * All ways (up to `limit`) the whole token list fits the template. A backtracking matcher with
 * continuations: sentences are short and templates are pre-filtered by their required words, so
 * this stays well under a millisecond per sentence even with hundreds of device names. `cache`
 * (one per sentence and mode) shares list look-ups between templates.
 */
export function matchTemplate(
  node: TemplateNode,
  tokens: readonly string[],
  lists: ReadonlyMap<string, SlotList>,
  mode: MatchMode,
  limit = 16,
  cache: Map<string, ListMatch[]> = new Map(),
): TemplateMatch[] {
  const ctx: Ctx = { tokens, lists, mode, out: [], limit, cache };
  walk(node, ctx, 0, null, 0, (pos, caps, lit) => {
    if (pos !== tokens.length) return false;
    const captures: Capture[] = [];
    for (let c = caps; c; c = c.next) captures.unshift(c.c);
    ctx.out.push({ captures, literals: lit });
    return ctx.out.length >= ctx.limit;
  });
  return ctx.out;
}

/**
 * Whether the template takes the whole token list only as the start of a longer sentence: some way
 * through it uses every token and then still needs at least one more word or slot ("kitchen light"
 * against "<name> off"). Optional words after the end do not count ("kitchen light" against
 * "<name> [<loc>]" is finished). The listening loop uses this to tell a finished command from one
 * that is only the beginning of another, so a pause after "kitchen light" does not cut off "off".
 * Two kinds of longer sentence do not count: one where free text (a wildcard such as a timer's
 * name) swallowed the words said, which any sentence could begin, and one that only adds words in
 * `ignorable` (skip words such as "now", which the speaker's sentence loses anyway) or a place from
 * `places` (lists such as area and floor: "turn on the lights … upstairs" only narrows the command
 * already heard, where "kitchen light … off" would turn it around).
 */
export function continuesPast(
  node: TemplateNode,
  tokens: readonly string[],
  lists: ReadonlyMap<string, SlotList>,
  mode: MatchMode,
  cache: Map<string, ListMatch[]> = new Map(),
  ignorable: ReadonlySet<string> = new Set(),
  places: ReadonlySet<string> = new Set(),
): boolean {
  if (tokens.length === 0) return false;
  const ctx: Ctx = { tokens, lists, mode, out: [], limit: 1, cache };
  let found = false;
  // The last token consumed: can the rest of the template finish with nothing more said?
  const atEnd: Cont = (pos) => pos === tokens.length;
  const consumed = (end: number, caps: CaptureList | null, lit: number, k: Cont): boolean => {
    if (end < tokens.length) return k(end, caps, lit);
    if (!k(end, caps, lit)) found = true;
    return found;
  };
  const walkP = (n: TemplateNode, pos: number, caps: CaptureList | null, lit: number, k: Cont): boolean => {
    switch (n.t) {
      case "word":
        if (pos === tokens.length && ignorable.has(n.w)) return k(pos, caps, lit);
        return pos < tokens.length && tokens[pos] === n.w ? consumed(pos + 1, caps, lit + 1, k) : false;
      case "seq": {
        const step = (i: number, p: number, c: CaptureList | null, l: number): boolean =>
          i === n.items.length
            ? k(p, c, l)
            : walkP(n.items[i] as TemplateNode, p, c, l, (p2, c2, l2) => step(i + 1, p2, c2, l2));
        return step(0, pos, caps, lit);
      }
      case "alt":
        for (const option of n.options) if (walkP(option, pos, caps, lit, k)) return true;
        return false;
      case "slot": {
        if (pos >= tokens.length) return places.has(n.list) ? k(pos, caps, lit) : false;
        const free = lists.get(n.list) instanceof WildcardList;
        return walk(n, ctx, pos, caps, lit, (end, c, l) =>
          free && end === tokens.length ? false : consumed(end, c, l, k),
        );
      }
      case "rule":
        throw new Error(`rule <${n.name}> was not inlined`);
    }
  };
  walkP(node, 0, null, 0, atEnd);
  return found;
}

function walk(
  node: TemplateNode,
  ctx: Ctx,
  pos: number,
  caps: CaptureList | null,
  lit: number,
  k: Cont,
): boolean {
  switch (node.t) {
    case "word":
      return ctx.tokens[pos] === node.w ? k(pos + 1, caps, lit + 1) : false;
    case "seq":
      return walkSeq(node.items, 0, ctx, pos, caps, lit, k);
    case "alt":
      for (const option of node.options) if (walk(option, ctx, pos, caps, lit, k)) return true;
      return false;
    case "slot": {
      if (pos >= ctx.tokens.length) return false;
      // The same list is asked about the same position by many templates: ask it once per sentence.
      const key = `${node.list}\u0000${pos}`;
      let matches = ctx.cache.get(key);
      if (!matches) {
        const list = ctx.lists.get(node.list);
        if (!list) return false;
        matches = list.match(ctx.tokens, pos, ctx.mode);
        ctx.cache.set(key, matches);
      }
      for (const m of matches) {
        const capture: Capture = {
          slot: node.slot,
          list: node.list,
          value: m.value,
          text: m.text,
          start: pos,
          end: m.end,
          ids: m.ids,
          quality: m.quality,
          extra: m.extra,
        };
        if (k(m.end, { c: capture, next: caps }, lit)) return true;
      }
      return false;
    }
    case "rule":
      // Rules are inlined when sentences are compiled; reaching one is a compiler bug.
      throw new Error(`rule <${node.name}> was not inlined`);
  }
}

function walkSeq(
  items: readonly TemplateNode[],
  i: number,
  ctx: Ctx,
  pos: number,
  caps: CaptureList | null,
  lit: number,
  k: Cont,
): boolean {
  if (i === items.length) return k(pos, caps, lit);
  return walk(items[i] as TemplateNode, ctx, pos, caps, lit, (p, c, l) =>
    walkSeq(items, i + 1, ctx, p, c, l, k),
  );
}

/**
 * Words a sentence must contain for the template to have a chance, as clauses: each clause is a set
 * of words of which at least one must be present. Checked before matching, it rejects most
 * templates for a sentence in a few set lookups.
 */
export function requiredWords(
  node: TemplateNode,
  listFirstWords?: ReadonlyMap<string, ReadonlySet<string>>,
): Array<Set<string>> {
  switch (node.t) {
    case "word":
      return [new Set([node.w])];
    case "seq":
      return node.items.flatMap((n) => requiredWords(n, listFirstWords));
    case "slot": {
      // A fixed list ("dim", "brighten" …) needs one of its values' first words.
      const first = listFirstWords?.get(node.list);
      return first ? [new Set(first)] : [];
    }
    case "alt": {
      const union = new Set<string>();
      for (const option of node.options) {
        const clauses = requiredWords(option, listFirstWords);
        if (clauses.length === 0) return [];
        // Any one word of an option's clauses being present is necessary for that option.
        for (const w of clauses[0] as Set<string>) union.add(w);
      }
      return [union];
    }
    default:
      return [];
  }
}
