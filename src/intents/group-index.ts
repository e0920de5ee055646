/**
 * The group index: which compiled sentence groups a sentence's words can pick before any template
 * is matched. Each group is filed under the words it needs (its clauses, and the first words of
 * the lists its slots use), with bit masks of the groups that can start or end with a word and the
 * openings of the groups that open with a slot. TemplatePicker (template-picker.ts) builds it when
 * the lists' first words change and reads it for every sentence (`groupsFor`).
 */
import { requiredWords } from "./matcher.js";
import type { CompiledGroup } from "./sentences.js";
import { A_NUMBER, type SlotList } from "./slot-lists.js";
import type { TemplateNode } from "./template.js";

/**
 * The words a template can start (or end) with; null when a slot can stand there, which fits any
 * word.
 */
export function edgeWords(node: TemplateNode, fromEnd: boolean): Set<string> | null {
  const out = new Set<string>();
  const visit = (n: TemplateNode): { open: boolean; nullable: boolean } => {
    switch (n.t) {
      case "word":
        out.add(n.w);
        return { open: false, nullable: false };
      case "slot":
      case "rule":
        return { open: true, nullable: false };
      case "alt": {
        let open = false;
        let nullable = false;
        for (const o of n.options) {
          const r = visit(o);
          open ||= r.open;
          nullable ||= r.nullable;
        }
        return { open, nullable };
      }
      case "seq": {
        const items = fromEnd ? [...n.items].reverse() : n.items;
        for (const item of items) {
          const r = visit(item);
          if (r.open) return { open: true, nullable: false };
          if (!r.nullable) return { open: false, nullable: false };
        }
        return { open: false, nullable: true };
      }
    }
  };
  const r = visit(node);
  return r.open || r.nullable ? null : out;
}

/** Whether `tokens` hold a word of `set`, or a number where `number` and the set has A_NUMBER. */
export function hasAny(set: ReadonlySet<string>, tokens: readonly string[], number: boolean): boolean {
  // The sentence has a handful of words; a clause may list dozens. Indexed: no iterator objects.
  for (let i = 0; i < tokens.length; i++) if (set.has(tokens[i] as string)) return true;
  return number && set.has(A_NUMBER);
}

/** Which groups a sentence's words can pick (see TemplatePicker.groupsFor), with what each sentence reuses. */
export interface GroupIndex {
  /** The lists' first words the groups were indexed with (see listFirstWords). */
  listWords: ReadonlyMap<string, ReadonlySet<string>>;
  /** Word → the groups filed under it (each group under the clause of its rarest words). */
  byWord: Map<string, number[]>;
  /** Groups that need no particular word. */
  always: number[];
  seen: Int32Array;
  stamp: number;
  /** The groups a sentence picked (see TemplatePicker.groupsFor), reused by every sentence. */
  picked: Int32Array;
  /** The groups that can start with a word, and those that can end with one (see EdgeMasks). */
  starts: EdgeMasks;
  ends: EdgeMasks;
  /** Every distinct clause once, and each group's clauses as their numbers, in the group's order. */
  clauses: Array<ReadonlySet<string>>;
  groupClauses: Int32Array[];
  /** Per clause: the `stamp` of the sentence it was last looked for in, and whether it was there. */
  clauseStamp: Int32Array;
  clauseOk: Uint8Array;
  /** The distinct openings of the groups that open with a slot, and each group's (-1: none). */
  openings: Openings;
  groupOpening: Int32Array;
}

/**
 * What a template that opens with a slot can start with: the words and the lists that can take
 * its first word ("[the] {name} on": "the" and the name list). The edge masks let such templates
 * through for any first word, since a list's words are the home's (names, areas) or a pack's;
 * with a sentence at hand the lists themselves say whether they match there. Templates that can
 * open with a rule, or with nothing (all of it optional), have none.
 */
export interface Opening {
  words: ReadonlySet<string>;
  lists: readonly string[];
}

/**
 * Every distinct opening once, with the `stamp` of the look-up (a sentence in a mode, counted in
 * `now`) it was last looked for in and whether it fitted.
 */
export interface Openings {
  all: Opening[];
  now: number;
  stamp: Int32Array;
  ok: Uint8Array;
}

/** The opening of a template that opens with a slot (see Opening), or null. */
function openingOf(node: TemplateNode): Opening | null {
  const words = new Set<string>();
  const lists: string[] = [];
  let rule = false;
  // Whether `n` can match no words; what can start it goes into `words` and `lists`.
  const visit = (n: TemplateNode): boolean => {
    switch (n.t) {
      case "word":
        words.add(n.w);
        return false;
      case "slot":
        if (!lists.includes(n.list)) lists.push(n.list);
        return false;
      case "rule":
        rule = true;
        return false;
      case "alt": {
        let nullable = false;
        for (const o of n.options) if (visit(o)) nullable = true;
        return nullable;
      }
      case "seq":
        for (const item of n.items) if (!visit(item)) return false;
        return true;
    }
  };
  const nullable = visit(node);
  return rule || nullable || lists.length === 0 ? null : { words, lists };
}

function openings(groups: readonly CompiledGroup[]): { openings: Openings; groupOpening: Int32Array } {
  const all: Opening[] = [];
  const byKey = new Map<string, number>();
  const groupOpening = Int32Array.from(groups, (g) => {
    const o = openingOf(g.template);
    if (!o) return -1;
    const key = `${[...o.words].sort().join(" ")}\u0000${o.lists.join(" ")}`;
    let id = byKey.get(key);
    if (id === undefined) {
      id = all.push(o) - 1;
      byKey.set(key, id);
    }
    return id;
  });
  return {
    openings: { all, now: 0, stamp: new Int32Array(all.length), ok: new Uint8Array(all.length) },
    groupOpening,
  };
}

/**
 * Which groups can start (or end) with a word, a bit for each group: `open` for the groups that
 * can start with any word (a slot or a rule first: "{name} an"), and for each word that some group
 * starts with, those groups and the open ones. Two bit tests per template instead of two look-ups
 * in its own sets: with 1,500 templates those look-ups were the most of picking a sentence's
 * templates. About 200 bytes a word.
 */
export interface EdgeMasks {
  byWord: Map<string, Uint32Array>;
  open: Uint32Array;
}

/** No mask: TemplatePicker.groupsFor for no words at all. */
export const NO_MASK: Uint32Array = new Uint32Array(0);

function edgeMasks(groups: readonly CompiledGroup[], fromEnd: boolean): EdgeMasks {
  const open = new Uint32Array(Math.ceil(groups.length / 32));
  const sets = groups.map((g) => edgeWords(g.template, fromEnd));
  sets.forEach((set, i) => {
    if (!set) open[i >> 5] = (open[i >> 5] as number) | (1 << (i & 31));
  });
  const byWord = new Map<string, Uint32Array>();
  sets.forEach((set, i) => {
    if (!set) return;
    for (const w of set) {
      let mask = byWord.get(w);
      if (!mask) {
        mask = open.slice();
        byWord.set(w, mask);
      }
      mask[i >> 5] = (mask[i >> 5] as number) | (1 << (i & 31));
    }
  });
  return { byWord, open };
}

/** The words each list that can tell starts with (see SlotList.firstWords), by list name. */
export function listFirstWords(lists: ReadonlyMap<string, SlotList>): Map<string, ReadonlySet<string>> {
  const out = new Map<string, ReadonlySet<string>>();
  for (const [name, list] of lists) {
    const words = list.firstWords?.();
    if (words && words.size > 0) out.set(name, words);
  }
  return out;
}

export function sameWords(
  a: ReadonlyMap<string, ReadonlySet<string>>,
  b: ReadonlyMap<string, ReadonlySet<string>>,
): boolean {
  if (a.size !== b.size) return false;
  for (const [name, words] of a) {
    const other = b.get(name);
    if (!other || other.size !== words.size) return false;
    for (const w of words) if (!other.has(w)) return false;
  }
  return true;
}

/** Whether `node` has a slot of one of `lists`. */
function usesAny(node: TemplateNode, lists: ReadonlyMap<string, unknown>): boolean {
  switch (node.t) {
    case "slot":
      return lists.has(node.list);
    case "seq":
      return node.items.some((n) => usesAny(n, lists));
    case "alt":
      return node.options.some((n) => usesAny(n, lists));
    default:
      return false;
  }
}

/**
 * The groups indexed by the words they need: the clauses each was compiled with (its literal words
 * and its fixed lists' first words), and those of its slots whose `lists` can say what they start
 * with (see SlotList.firstWords: "{previous}" needs "it" or "them", "{brightness}" a number), so a
 * sentence without them never tries the template.
 */
export function groupIndex(
  groups: readonly CompiledGroup[],
  lists: ReadonlyMap<string, SlotList>,
): GroupIndex {
  const listWords = listFirstWords(lists);
  // A clause found twice is one clause below (see `clauses`).
  const groupClauses: Array<ReadonlyArray<ReadonlySet<string>>> = groups.map((g) =>
    usesAny(g.template, listWords) ? [...g.clauses, ...requiredWords(g.template, listWords)] : g.clauses,
  );
  const byWord = new Map<string, number[]>();
  const always: number[] = [];
  // Filed under the clause of the rarest words, as many templates' clauses have them: a sentence
  // then picks few groups to check the other clauses of ("on" and "to" are in most sentences).
  // Under any number (A_NUMBER) only where it needs nothing else.
  // Counted by set first: a list's words are one set shared by many templates.
  const sets = new Map<ReadonlySet<string>, number>();
  for (const cs of groupClauses) for (const c of cs) sets.set(c, (sets.get(c) ?? 0) + 1);
  const used = new Map<string, number>();
  for (const [c, n] of sets) for (const w of c) used.set(w, (used.get(w) ?? 0) + n);
  const ranks = new Map<ReadonlySet<string>, number>();
  const rank = (c: ReadonlySet<string>) => {
    let r = ranks.get(c);
    if (r === undefined) {
      r = c.has(A_NUMBER) ? Number.POSITIVE_INFINITY : 0;
      for (const w of c) r += used.get(w) ?? 0;
      ranks.set(c, r);
    }
    return r;
  };
  groups.forEach((_, i) => {
    let best: ReadonlySet<string> | undefined;
    for (const c of groupClauses[i] as ReadonlyArray<ReadonlySet<string>>)
      if (!best || rank(c) < rank(best)) best = c;
    if (!best || best.size === 0) {
      always.push(i);
      return;
    }
    for (const w of best) {
      const list = byWord.get(w);
      if (list) list.push(i);
      else byWord.set(w, [i]);
    }
  });
  // Clauses of the same words are one clause (rules expand into many templates): the same set,
  // or a small one of the same words (a list's words, hundreds for some, are the list's own set).
  const clauses: Array<ReadonlySet<string>> = [];
  const bySet = new Map<ReadonlySet<string>, number>();
  const byWords = new Map<string, number>();
  const clauseIds = groupClauses.map((cs) =>
    Int32Array.from(cs, (c) => {
      let id = bySet.get(c);
      if (id !== undefined) return id;
      const key = c.size <= 32 ? [...c].sort().join("\u0000") : undefined;
      id = key === undefined ? undefined : byWords.get(key);
      if (id === undefined) {
        id = clauses.push(c) - 1;
        if (key !== undefined) byWords.set(key, id);
      }
      bySet.set(c, id);
      return id;
    }),
  );
  return {
    listWords,
    byWord,
    always,
    seen: new Int32Array(groups.length),
    stamp: 0,
    picked: new Int32Array(groups.length),
    starts: edgeMasks(groups, false),
    ends: edgeMasks(groups, true),
    clauses,
    groupClauses: clauseIds,
    clauseStamp: new Int32Array(clauses.length),
    clauseOk: new Uint8Array(clauses.length),
    ...openings(groups),
  };
}
