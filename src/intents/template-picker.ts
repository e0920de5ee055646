import { Candidate, compareCandidates } from "./candidates.js";
import {
  type GroupIndex,
  groupIndex,
  hasAny,
  listFirstWords,
  NO_MASK,
  type Opening,
  sameWords,
} from "./group-index.js";
import {
  type CompiledTemplate,
  compileTemplate,
  MatchScratch,
  matchTemplate,
  type TemplateMatch,
} from "./matcher.js";
import type { CompiledGroup } from "./sentences.js";
import { A_NUMBER, isNumberToken, type MatchMode, type SlotList } from "./slot-lists.js";
import type { TemplateNode } from "./template.js";
import type { View } from "./template-recognizer.js";

/** The most candidate lists a sentence keeps (a long one joined by many "and"s reads many parts). */
export const CANDIDATE_MEMO = 64;

/** The joiners of `tokens`, as a mask of the bits of `joiners` (see TemplatePicker). */
function joinersSaid(tokens: readonly string[], joiners: readonly string[]): number {
  let said = 0;
  for (let t = 0; t < tokens.length; t++) {
    const k = joiners.indexOf(tokens[t] as string);
    if (k >= 0) said |= 1 << k;
  }
  return said;
}

/** The joiners a template says as words (a mask of the bits of `joiners`), and the lists its slots ask. */
function joinerParts(node: TemplateNode, joiners: readonly string[]): { words: number; lists: string[] } {
  const out = { words: 0, lists: [] as string[] };
  const visit = (n: TemplateNode): void => {
    switch (n.t) {
      case "word": {
        const k = joiners.indexOf(n.w);
        if (k >= 0) out.words |= 1 << k;
        return;
      }
      case "slot":
        if (!out.lists.includes(n.list)) out.lists.push(n.list);
        return;
      case "rule":
        // Inlined when sentences are compiled; one left would take anything.
        out.words = (1 << joiners.length) - 1;
        return;
      case "seq":
        for (const item of n.items) visit(item);
        return;
      case "alt":
        for (const option of n.options) visit(option);
        return;
    }
  };
  visit(node);
  return out;
}

/**
 * Which of a language's templates a sentence's words can fit, and what each of those matches: of
 * the 1,500 templates of Hearth's sentences and a language pack, the few dozen whose required
 * words and edges the sentence has (group-index.ts), matched in one mode. What a sentence's parts
 * picked and matched is kept for the sentence (a joined command's parts are read more than once).
 * The template recognizer reads its candidates here; several commands ask for the groups alone.
 */
export class TemplatePicker {
  readonly #groups: readonly CompiledGroup[];
  #lists: ReadonlyMap<string, SlotList> = new Map();
  #index: GroupIndex | undefined;
  /** Templates compiled for matching, the first time a sentence reaches them. */
  readonly #programs = new WeakMap<CompiledGroup, CompiledTemplate>();
  /** Reused by every sentence: matching allocates little, so pauses for garbage collection are rare. */
  readonly scratch: MatchScratch;
  /** One template's matches, reused for each template. */
  readonly #matches: TemplateMatch[] = [];
  /** A sentence's candidates by mode, view and words (see candidates); emptied for each sentence. */
  readonly #candidateMemo = new Map<string, Candidate[]>();
  /** A sentence's picked groups by view and words (see #fittingGroups); emptied with #candidateMemo. */
  readonly #pickMemo = new Map<string, number[]>();
  /**
   * Per group, the joiners (the bits of #joiners) a word of its template or one of its lists can take:
   * a sentence that says a joiner no part of a template takes ("turn on the lamp and close the
   * blinds" against "turn on [the] {name}", whose names never span "and") cannot fit it whole.
   * Made again with the lists, whose names may come to hold one.
   */
  #joinersTaken: Uint32Array | undefined;

  /** The language's words that join commands (`joiners:`), at most 31, each a bit of a mask. */
  readonly #joiners: readonly string[];

  /**
   * `listIds`: the lists' numbers, one table for every scratch (the programs' instructions cache
   * them). `joiners`: the language's words that join commands.
   */
  constructor(groups: readonly CompiledGroup[], listIds: Map<string, number>, joiners: ReadonlySet<string>) {
    this.#groups = groups;
    this.#joiners = [...joiners].slice(0, 31);
    this.scratch = new MatchScratch(undefined, listIds);
  }

  /** Forgets what the last sentence kept for its parts (see candidates, #fittingGroups). */
  newSentence(): void {
    this.#candidateMemo.clear();
    this.#pickMemo.clear();
  }

  /**
   * Takes the slot lists as built anew: the index, which holds the words they start with, is made
   * again where those changed.
   */
  listsChanged(lists: ReadonlyMap<string, SlotList>): void {
    this.#lists = lists;
    if (this.#index && !sameWords(this.#index.listWords, listFirstWords(lists))) this.#index = undefined;
    this.#joinersTaken = undefined;
  }

  /** See #joinersTaken. */
  #joinersTakenBy(): Uint32Array {
    if (this.#joinersTaken) return this.#joinersTaken;
    const lists = this.#lists;
    const taken = new Uint32Array(this.#groups.length);
    this.#groups.forEach((group, i) => {
      const parts = joinerParts(group.template, this.#joiners);
      let mask = parts.words;
      for (const name of parts.lists) {
        const list = lists.get(name);
        for (let k = 0; k < this.#joiners.length; k++)
          if (!list?.takes || list.takes(this.#joiners[k] as string)) mask |= 1 << k;
      }
      taken[i] = mask;
    });
    this.#joinersTaken = taken;
    return taken;
  }

  /** The templates' index (see groupIndex), made on first use. */
  index(): GroupIndex {
    this.#index ??= groupIndex(this.#groups, this.#lists);
    return this.#index;
  }

  /**
   * The groups whose required words are all present, in file order. An index from a word to the
   * groups that need it (each group filed under its smallest clause) means a sentence looks at the
   * few dozen templates that can fit it, not at every template of a language pack. Only
   * templates that can start with the sentence's first word and end with its last (the matcher
   * takes whole sentences), and a template that opens with a slot ("{name} on", "[the] {area}
   * lights off") only where one of its opening lists has a match at the first word in `opening`'s
   * scratch and mode (those the groups are then matched with), or one of its opening words is
   * that word (see Opening).
   */
  groupsFor(
    tokens: readonly string[],
    view: Pick<View, "ownOnly">,
    opening: { scratch: MatchScratch; mode: MatchMode },
  ): CompiledGroup[] {
    const groups = this.#groups;
    const fitting = this.#fittingGroups(tokens, view);
    const index = this.#index as GroupIndex;
    const opens = index.openings;
    if (opens.now === 0x7fffffff) {
      opens.stamp.fill(0);
      opens.now = 0;
    }
    const now = ++opens.now;
    const out: CompiledGroup[] = [];
    for (let k = 0; k < fitting.length; k++) {
      const i = fitting[k] as number;
      // Last, as it may ask a list: only of templates that pass everything else.
      if (tokens.length > 0 && !this.#opensHere(index, i, now, tokens, opening)) continue;
      out.push(groups[i] as CompiledGroup);
    }
    return out;
  }

  /**
   * The numbers of the groups whose required words are in `tokens` and whose edges fit, in file
   * order, before their openings are looked at: the same for every mode, so a sentence's words
   * (or a part's) are picked for once and kept for the sentence (see #candidateMemo).
   */
  #fittingGroups(tokens: readonly string[], view: Pick<View, "ownOnly">): readonly number[] {
    const memo = this.#pickMemo;
    const key = `${view.ownOnly ? " own" : ""}\u0000${tokens.join(" ")}`;
    const known = memo.get(key);
    if (known) return known;
    const found = this.#pickGroups(tokens, view);
    if (memo.size >= CANDIDATE_MEMO) memo.clear();
    memo.set(key, found);
    return found;
  }

  #pickGroups(tokens: readonly string[], view: Pick<View, "ownOnly">): number[] {
    const groups = this.#groups;
    const index = this.index();
    // Stamps instead of a set, and the marks read back in file order instead of a sorted list:
    // a sentence picks its groups without allocating.
    if (index.stamp === 0x7fffffff) {
      index.seen.fill(0);
      index.clauseStamp.fill(0);
      index.stamp = 0;
    }
    const stamp = ++index.stamp;
    const seen = index.seen;
    const clauseStamp = index.clauseStamp;
    const clauseOk = index.clauseOk;
    // The groups picked, each once, then put in file order: a sentence picks a few dozen of the
    // 1,500 templates of Hearth's sentences and a language pack, and sorting those costs less than
    // walking every template between the first and the last picked. Only those that can start
    // and end with the sentence's first and last words are picked (see EdgeMasks).
    const picked = index.picked;
    let fits: Uint32Array = NO_MASK;
    let ends: Uint32Array = NO_MASK;
    if (tokens.length > 0) {
      fits = index.starts.byWord.get(tokens[0] as string) ?? index.starts.open;
      ends = index.ends.byWord.get(tokens[tokens.length - 1] as string) ?? index.ends.open;
    }
    const edged = fits !== NO_MASK;
    // A number said stands for A_NUMBER, the word the number lists start with (see groupIndex).
    let number = false;
    for (let t = 0; t < tokens.length && !number; t++) number = isNumberToken(tokens[t] as string);
    const joiners = joinersSaid(tokens, this.#joiners);
    const taken = joiners === 0 ? undefined : this.#joinersTakenBy();
    let n = 0;
    for (const i of index.always) {
      seen[i] = stamp;
      if (!edged || ((fits[i >> 5] as number) & (ends[i >> 5] as number) & (1 << (i & 31))) !== 0)
        picked[n++] = i;
    }
    for (let t = 0; t <= tokens.length; t++) {
      const filed = index.byWord.get(t < tokens.length ? (tokens[t] as string) : number ? A_NUMBER : "");
      if (!filed) continue;
      for (let k = 0; k < filed.length; k++) {
        const i = filed[k] as number;
        if (seen[i] === stamp) continue;
        seen[i] = stamp;
        if (!edged || ((fits[i >> 5] as number) & (ends[i >> 5] as number) & (1 << (i & 31))) !== 0)
          picked[n++] = i;
      }
    }
    if (n > 1) picked.subarray(0, n).sort();
    const out: number[] = [];
    next: for (let p = 0; p < n; p++) {
      const i = picked[p] as number;
      const group = groups[i] as CompiledGroup;
      if (view.ownOnly && group.pack) continue;
      if (taken && ((taken[i] as number) & joiners) !== joiners) continue;
      // Templates share most of their clauses ("mach|schalte|…"): each is looked for in the
      // sentence once, not once per template that needs it.
      const ids = index.groupClauses[i] as Int32Array;
      for (let k = 0; k < ids.length; k++) {
        const c = ids[k] as number;
        if (clauseStamp[c] !== stamp) {
          clauseStamp[c] = stamp;
          clauseOk[c] = hasAny(index.clauses[c] as ReadonlySet<string>, tokens, number) ? 1 : 0;
        }
        if (clauseOk[c] === 0) continue next;
      }
      out.push(i);
    }
    return out;
  }

  /**
   * Whether a template of this opening can take the sentence's first word: one of its opening
   * words is that word, or one of its opening lists matches there. The matcher would ask the same
   * lists at the same place in the same mode (the answers are kept in `scratch` for it), so a
   * template left out here is one the matcher would have found nothing in.
   */
  #opensHere(
    index: GroupIndex,
    i: number,
    now: number,
    tokens: readonly string[],
    opening: { scratch: MatchScratch; mode: MatchMode },
  ): boolean {
    const o = index.groupOpening[i] as number;
    if (o < 0) return true;
    // Most templates share their opening ("[the] {name}"): each is looked up once a sentence and mode.
    const opens = index.openings;
    if (opens.stamp[o] !== now) {
      opens.stamp[o] = now;
      opens.ok[o] = this.#opensWith(opens.all[o] as Opening, tokens, opening.scratch, opening.mode) ? 1 : 0;
    }
    return opens.ok[o] === 1;
  }

  #opensWith(o: Opening, tokens: readonly string[], scratch: MatchScratch, mode: MatchMode): boolean {
    if (o.words.has(tokens[0] as string)) return true;
    for (const list of o.lists) {
      const matches = scratch.listMatches(this.#lists, list, tokens, 0, mode);
      if (matches && matches.length > 0) return true;
    }
    return false;
  }

  candidates(tokens: readonly string[], mode: MatchMode, view: Pick<View, "ownOnly">): Candidate[] {
    // A sentence's parts are often read more than once (a joined command's parts, exactly and then
    // loosely; a part again after its neighbour failed): their matches are kept for the sentence.
    const memo = this.#candidateMemo;
    const key = `${mode}${view.ownOnly ? " own" : ""}\u0000${tokens.join(" ")}`;
    const known = memo.get(key);
    if (known) return known;
    const found = this.#matchCandidates(tokens, mode, view);
    if (memo.size >= CANDIDATE_MEMO) memo.clear();
    memo.set(key, found);
    return found;
  }

  #matchCandidates(tokens: readonly string[], mode: MatchMode, view: Pick<View, "ownOnly">): Candidate[] {
    const candidates: Candidate[] = [];
    const scratch = this.scratch;
    scratch.clear();
    const matches = this.#matches;
    for (const group of this.groupsFor(tokens, view, { scratch, mode })) {
      matches.length = 0;
      matchTemplate(this.program(group), tokens, this.#lists, mode, 16, scratch, matches);
      for (let i = 0; i < matches.length; i++)
        candidates.push(new Candidate(group, matches[i] as TemplateMatch));
    }
    matches.length = 0;
    return candidates.length > 1 ? candidates.sort(compareCandidates) : candidates;
  }

  program(group: CompiledGroup): CompiledTemplate {
    let program = this.#programs.get(group);
    if (!program) {
      program = compileTemplate(group.template);
      this.#programs.set(group, program);
    }
    return program;
  }
}
