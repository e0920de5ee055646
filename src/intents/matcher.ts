import {
  type ListMatch,
  type MatchMode,
  type MatchQuality,
  type SlotList,
  WildcardList,
} from "./slot-lists.js";
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
  quality?: MatchQuality | undefined;
  extra?: Record<string, SlotValue> | undefined;
}

/** The matcher's captures: one class, so every capture it makes has the same shape (see ListMatch). */
class MatchedSlot implements Capture {
  constructor(
    readonly slot: string,
    readonly list: string,
    readonly value: SlotValue,
    readonly text: string,
    readonly start: number,
    readonly end: number,
    readonly ids: readonly string[] | undefined,
    readonly quality: MatchQuality | undefined,
    readonly extra: Record<string, SlotValue> | undefined,
  ) {}
}

/** One way a whole sentence fits one template. */
export interface TemplateMatch {
  captures: Capture[];
  /** Template words matched literally (more means a more specific template). */
  literals: number;
}

/** A split's options, compiled on first use into `to`, each continuing at the split's `next`. */
class SplitPart {
  to: number[] | undefined = undefined;
  /**
   * A split of many options: its targets by the word they open with, each list in the options'
   * order with the targets that open with no word merged in (`others` alone for any other word).
   * A sentence's word then picks the few options worth trying instead of passing all of them.
   */
  byFirst: Map<string, number[]> | undefined = undefined;
  others: number[] = NO_TARGETS;

  constructor(readonly options: readonly TemplateNode[]) {}
}

/**
 * A slot's value goes in `slot`; `base` is the list a suffixed list name stands for ("area+s" →
 * "area"): a list glued to a suffix (a pack's `{area}[s]`) is still that list: an unknown
 * "Wohnzimmers" is an unknown area, refused like one, never a free word. `listId` / `listIds` cache
 * the list's number in a scratch's table (see MatchScratch).
 */
class SlotPart {
  listId = -1;
  listIds: Map<string, number> | undefined = undefined;

  constructor(
    /** The list asked, as the template names it ("area+s"). */
    readonly list: string,
    readonly base: string,
    readonly slot: string,
  ) {}
}

const NO_TARGETS: number[] = [];
/** An instruction's two numbers in {@link CompiledTemplate.code}: its kind and argument, then `next`. */
const STRIDE = 2;
/** The low bits of an instruction's first number hold its kind, the rest its argument. */
const KIND_BITS = 3;
const KIND_MASK = (1 << KIND_BITS) - 1;
/** From how many options a split gets its index by first word (below, passing them all is as quick). */
const INDEXED_SPLIT = 8;

const WORD = 0;
const SPLIT = 1;
const SLOT = 2;
const END = 3;
const RULE = 4;

/**
 * A template compiled for matching many sentences (see `compileTemplate`).
 *
 * Compiled into a small program over words: `word` consumes one token, `split` tries
 * its targets in order, `slot` asks a list, `end` accepts when every token is used. Following the
 * program depth-first visits exactly the matches, in exactly the order, of walking the template
 * tree (alternatives in order, parts of a sequence left to right), without a closure per step.
 * A split's options are compiled when a sentence first reaches them: a template that shares one
 * large rule in many places (the speech grammar's names) never grows into its full expansion.
 *
 * The program is two numbers an instruction in one typed array, `code`: the kind in the low
 * {@link KIND_BITS} bits of the first with its argument above them, then `next`, the instruction
 * that follows (a word's, a split's options', a slot's). A word's argument is its number in
 * `words`, a split's and a slot's their number in `parts` (what only they need), a rule's its
 * name's number in `words`:
 *
 * - word (0): consumes the token `words[argument]`, then `next`;
 * - split (1): tries the targets of `parts[argument]`, a {@link SplitPart}, each going on at `next`;
 * - slot (2): asks the list of `parts[argument]`, a {@link SlotPart}, then `next`;
 * - end (3); rule (4): a rule left uninlined (a compiler bug).
 *
 * As an object each (one class, every field of every kind) the example home's 50 000 instructions
 * took 56 bytes and a slot of the program's array each, 64 bytes; here 8 (docs/benchmarks.md,
 * Memory).
 */
export class CompiledTemplate {
  /** The instructions, {@link STRIDE} numbers each; grows as splits are compiled. */
  code: Int32Array = new Int32Array(16 * STRIDE);
  /** Instructions in `code`. */
  size = 0;
  /** The words (and rule names) the instructions name, each once. */
  words: string[] = [];
  /** Each word's number in `words` while the program still grows; dropped by {@link compileAll}. */
  #wordIds: Map<string, number> | undefined = new Map();
  /** The splits' and slots' own parts. */
  parts: Array<SplitPart | SlotPart> = [];
  readonly start: number;

  constructor(node: TemplateNode) {
    this.#push(END, 0, 0);
    this.start = this.#compile(node, 0);
  }

  /** The kind of instruction `pc`. */
  kind(pc: number): number {
    return (this.code[pc * STRIDE] as number) & KIND_MASK;
  }

  /** The word instruction `pc` consumes (or the rule it names). */
  word(pc: number): string {
    return this.words[(this.code[pc * STRIDE] as number) >> KIND_BITS] as string;
  }

  /**
   * Compiles every split now, as matching would on first reaching each: a daemon does this at
   * start, so no sentence later pays for it. The program stops growing, so its buffer is cut to
   * size and the word index let go.
   */
  compileAll(): void {
    for (let pc = 0; pc < this.size; pc++) {
      const c = this.code[pc * STRIDE] as number;
      if ((c & KIND_MASK) === SPLIT)
        this.targets(this.parts[c >> KIND_BITS] as SplitPart, this.code[pc * STRIDE + 1] as number);
    }
    if (this.code.length > this.size * STRIDE) this.code = this.code.slice(0, this.size * STRIDE);
    this.words = this.words.slice();
    this.parts = this.parts.slice();
    this.#wordIds = undefined;
  }

  /** The targets of a split continuing at `next`, compiled on first use. */
  targets(split: SplitPart, next: number): number[] {
    // The compiling lives in a method of its own: a closure over `split` here would make V8
    // allocate a context on every call, compiled or not, and this runs at every split of every sentence.
    return split.to ?? this.#compileTargets(split, next);
  }

  #compileTargets(split: SplitPart, next: number): number[] {
    // Made at their length (map, slice): an array grown by push from empty keeps room for 17,
    // and most splits have two or three targets.
    const to = split.options.map((o) => this.#compile(o, next));
    if (to.length >= INDEXED_SPLIT) {
      const byFirst = new Map<string, number[]>();
      const others: number[] = [];
      for (const t of to) {
        if (this.kind(t) === WORD) {
          const first = this.word(t);
          let list = byFirst.get(first);
          if (!list) {
            // Opening with this word: the options before it that open with no word come first.
            list = [...others];
            byFirst.set(first, list);
          }
          list.push(t);
        } else {
          others.push(t);
          for (const list of byFirst.values()) list.push(t);
        }
      }
      for (const [word, list] of byFirst) byFirst.set(word, list.slice());
      split.byFirst = byFirst;
      split.others = others.slice();
    }
    split.to = to;
    return to;
  }

  /** Appends an instruction; its number. */
  #push(kind: number, argument: number, next: number): number {
    const pc = this.size++;
    if (this.size * STRIDE > this.code.length) {
      const grown = new Int32Array(this.code.length * 2);
      grown.set(this.code);
      this.code = grown;
    }
    this.code[pc * STRIDE] = (argument << KIND_BITS) | kind;
    this.code[pc * STRIDE + 1] = next;
    return pc;
  }

  /** `word`'s number in `words`, added if new. */
  #wordId(word: string): number {
    if (!this.#wordIds) this.#wordIds = new Map(this.words.map((w, i) => [w, i]));
    let id = this.#wordIds.get(word);
    if (id === undefined) {
      id = this.words.push(word) - 1;
      this.#wordIds.set(word, id);
    }
    return id;
  }

  #part(part: SplitPart | SlotPart): number {
    return this.parts.push(part) - 1;
  }

  /** Compiles `n` to continue at `next` (the continuation), last part of a sequence first. */
  #compile(n: TemplateNode, next: number): number {
    switch (n.t) {
      case "word":
        return this.#push(WORD, this.#wordId(n.w), next);
      case "seq": {
        let at = next;
        for (let i = n.items.length - 1; i >= 0; i--) at = this.#compile(n.items[i] as TemplateNode, at);
        return at;
      }
      case "alt":
        return this.#push(SPLIT, this.#part(new SplitPart(n.options)), next);
      case "slot":
        return this.#push(SLOT, this.#part(new SlotPart(n.list, baseList(n.list), n.slot)), next);
      case "rule":
        return this.#push(RULE, this.#wordId(n.name), 0);
    }
  }
}

/** Compiles a template once, for matching many sentences against it. */
export function compileTemplate(node: TemplateNode): CompiledTemplate {
  return new CompiledTemplate(node);
}

/**
 * What matching one sentence keeps between templates: each list is asked about a position once,
 * and the bookkeeping of states that cannot lead to a match is reused instead of reallocated.
 * List matches hold for one sentence in one mode: `clear()` before the next.
 */
export class MatchScratch {
  readonly #shared: Map<string, readonly ListMatch[]> | undefined;
  /**
   * A number for each list name asked about (kept: a language's lists are a few hundred), and per
   * number the list's matches by position, each valid while its stamp in `#rowStamps` is
   * `#sentence`: a sentence finds its rows by number and reuses them, where a map by name cost a
   * look-up per slot tried and an array per list per sentence.
   */
  readonly #ids: Map<string, number>;
  readonly #rows: Array<Array<readonly ListMatch[] | undefined>> = [];
  readonly #rowStamps: Int32Array[] = [];
  #sentence = 1;
  /** `dead[pc * (tokens + 1) + pos] === stamp`: no match can follow from that state. */
  dead = new Int32Array(256);
  stamp = 0;
  /**
   * The run reused by every template, with its stack of slots filled on the way to a match: one
   * object per slot tried was most of what matching a sentence allocated, and so of the
   * collector's pauses.
   */
  readonly run: Run = new Run(this);

  /**
   * @param shared a cache of list matches by list and position, kept by the caller.
   * @param ids the table of list numbers, shared by scratches that match the same programs (an
   *   instruction remembers its list's number in one table).
   */
  constructor(shared?: Map<string, readonly ListMatch[]>, ids: Map<string, number> = new Map()) {
    this.#shared = shared;
    this.#ids = ids;
  }

  /** Forgets the list matches (a new sentence or mode); keeps the buffers. */
  clear(): void {
    if (this.#sentence === 0x7fffffff) {
      for (const stamps of this.#rowStamps) stamps.fill(0);
      this.#sentence = 0;
    }
    this.#sentence++;
    this.#shared?.clear();
  }

  /**
   * The matches of list `name` at token `pos`, asked of the list once per sentence and mode: kept
   * in the caller's map when the scratch was given one, else in this scratch's row for the list's
   * number. `op`, the slot instruction asking, remembers that number, so a slot finds its row
   * without a look-up by name. `undefined` when no list has that name.
   */
  listMatches(
    lists: ReadonlyMap<string, SlotList>,
    name: string,
    tokens: readonly string[],
    pos: number,
    mode: MatchMode,
    slot?: SlotPart,
  ): readonly ListMatch[] | undefined {
    const shared = this.#shared;
    let key = "";
    let row: Array<readonly ListMatch[] | undefined> | undefined;
    let stamps: Int32Array | undefined;
    if (shared) {
      key = `${name}\u0000${pos}`;
      const known = shared.get(key);
      if (known) return known;
    } else {
      const id = slot ? this.#slotId(slot) : this.#idOf(name);
      stamps = this.#stampsAt(id, pos);
      row = this.#rows[id] as Array<readonly ListMatch[] | undefined>;
      if (stamps[pos] === this.#sentence) return row[pos];
    }
    const matches = lists.get(name)?.match(tokens, pos, mode);
    if (!matches) return undefined;
    if (stamps && row) {
      row[pos] = matches;
      stamps[pos] = this.#sentence;
    } else shared?.set(key, matches);
    return matches;
  }

  /** A slot instruction's list number in this scratch's table, kept on the instruction. */
  #slotId(slot: SlotPart): number {
    if (slot.listIds !== this.#ids) {
      slot.listId = this.#idOf(slot.list);
      slot.listIds = this.#ids;
    }
    return slot.listId;
  }

  #idOf(name: string): number {
    let id = this.#ids.get(name);
    if (id === undefined) {
      id = this.#ids.size;
      this.#ids.set(name, id);
    }
    return id;
  }

  /** The stamps of list `id`'s row, made (with every row numbered before it) and grown to hold `pos`. */
  #stampsAt(id: number, pos: number): Int32Array {
    // Rows are made in order of their numbers, and a scratch may share a table whose numbers
    // another made: those before are made too.
    while (this.#rows.length <= id) {
      this.#rows.push([]);
      this.#rowStamps.push(new Int32Array(16));
    }
    const stamps = this.#rowStamps[id] as Int32Array;
    if (pos < stamps.length) return stamps;
    const grown = new Int32Array(Math.max(pos + 1, stamps.length * 2));
    grown.set(stamps);
    this.#rowStamps[id] = grown;
    return grown;
  }

  /** Marks a new template: the dead states of the previous one are forgotten without clearing. */
  next(): void {
    if (this.stamp === 0x7fffffff) {
      this.dead.fill(0);
      this.stamp = 0;
    }
    this.stamp++;
  }

  /** Makes room for `state` (programs grow as splits are compiled), keeping what is marked. */
  reserve(state: number): Int32Array {
    if (state >= this.dead.length) {
      const grown = new Int32Array(Math.max(state + 1, this.dead.length * 2));
      grown.set(this.dead);
      this.dead = grown;
    }
    return this.dead;
  }
}

/** The list a suffixed list name stands for ("area+s" → "area"). */
function baseList(list: string): string {
  const plus = list.indexOf("+");
  return plus === -1 ? list : list.slice(0, plus);
}

const NONE: readonly string[] = [];
const NO_MATCHES: TemplateMatch[] = [];

/**
 * One template against one sentence. Kept by the scratch and refilled for each template: matching
 * is never re-entered while a run is live, and one object per template tried was garbage.
 */
class Run {
  program: CompiledTemplate | undefined = undefined;
  tokens: readonly string[] = NONE;
  width = 0;
  lists: ReadonlyMap<string, SlotList> = new Map();
  mode: MatchMode = "exact";
  out: TemplateMatch[] = NO_MATCHES;
  /** Matches in `out` before this run's (the caller's own). */
  base = 0;
  limit = 0;
  scratch: MatchScratch;
  stamp = 0;
  /** The slots filled on the way to the current state, as a stack (`depth` of them are live). */
  readonly capSlots: SlotPart[] = [];
  readonly capMatches: ListMatch[] = [];
  readonly capStarts: number[] = [];

  constructor(scratch: MatchScratch) {
    this.scratch = scratch;
  }
}

/**
 * All ways (up to `limit`) the whole token list fits the template, in the order a depth-first walk
 * of the template finds them. A state (place in the template, position in the sentence) that once
 * led to no match is not followed again: templates full of optional words would otherwise retry
 * the same tail of the sentence many times over. `scratch` (one per sentence and mode) shares list
 * look-ups between templates. The matches are appended to `out` (a new array unless given), which
 * is returned.
 */
export function matchTemplate(
  template: TemplateNode | CompiledTemplate,
  tokens: readonly string[],
  lists: ReadonlyMap<string, SlotList>,
  mode: MatchMode,
  limit = 16,
  cache?: MatchScratch | Map<string, readonly ListMatch[]>,
  out: TemplateMatch[] = [],
): TemplateMatch[] {
  const program = template instanceof CompiledTemplate ? template : compileTemplate(template);
  const scratch = cache instanceof MatchScratch ? cache : new MatchScratch(cache);
  scratch.next();
  const run = scratch.run;
  run.program = program;
  run.tokens = tokens;
  run.width = tokens.length + 1;
  run.lists = lists;
  run.mode = mode;
  run.out = out;
  run.base = out.length;
  run.limit = limit;
  run.stamp = scratch.stamp;
  follow(run, program.start, 0, 0, 0);
  // Let go of the sentence and the caller's array.
  run.tokens = NONE;
  run.out = NO_MATCHES;
  return out;
}

/**
 * Whether the template can take the whole token list as the start of a longer sentence: some way
 * through it uses every token and then may go on with at least one more word or slot, needed
 * ("kitchen light" against "<name> off") or optional ("a large latte" against "… {coffeeDrink}
 * [with {milkAmount}]"). The listening loop uses this to tell a finished command from one a pause
 * may split, so it does not cut off "off" or "with oat milk". Three kinds of longer sentence do not
 * count: one where free text (a wildcard such as a timer's name) swallowed the words said, which
 * any sentence could begin, or would take the next words; one that only adds words in `ignorable`
 * (skip words such as "now", which the speaker's sentence loses anyway); and one that only adds a
 * place from `places` (lists such as area and floor: "turn on the lights … upstairs" only narrows
 * the command already heard, where "kitchen light … off" would turn it around). With `slotsOnly`,
 * only a longer sentence that goes on to a slot counts (words alone, such as "… everywhere", add
 * nothing to the same intent).
 */
export function extendsPast(
  node: TemplateNode,
  tokens: readonly string[],
  lists: ReadonlyMap<string, SlotList>,
  mode: MatchMode,
  cache: MatchScratch | Map<string, readonly ListMatch[]> = new MatchScratch(),
  ignorable: ReadonlySet<string> = new Set(),
  places: ReadonlySet<string> = new Set(),
  slotsOnly = false,
): boolean {
  if (tokens.length === 0) return false;
  const scratch = cache instanceof MatchScratch ? cache : new MatchScratch(cache);
  type Next = (pos: number) => boolean;
  // Past the last token a position says whether words have been passed since: `end` none (or
  // only a place's own words, "in the" before {area}), `pending` some. A sentence that ends, or
  // reaches a slot that is no place, with words pending is a longer one.
  const end = tokens.length;
  const pending = end + 1;
  const atEnd: Next = (pos) => !slotsOnly && pos === pending;
  const walkP = (n: TemplateNode, pos: number, k: Next): boolean => {
    switch (n.t) {
      case "word":
        if (pos < end) return tokens[pos] === n.w ? k(pos + 1) : false;
        return k(ignorable.has(n.w) ? pos : pending);
      case "seq": {
        const step = (i: number, p: number): boolean =>
          i === n.items.length ? k(p) : walkP(n.items[i] as TemplateNode, p, (p2) => step(i + 1, p2));
        return step(0, pos);
      }
      case "alt":
        for (const option of n.options) if (walkP(option, pos, k)) return true;
        return false;
      case "slot": {
        const free = lists.get(n.list) instanceof WildcardList;
        if (pos >= end) {
          if (places.has(n.list)) return k(end);
          return !free;
        }
        for (const m of scratch.listMatches(lists, n.list, tokens, pos, mode) ?? []) {
          if (free && m.end === end) continue;
          if (k(m.end)) return true;
        }
        return false;
      }
      case "rule":
        throw new Error(`rule <${n.name}> was not inlined`);
    }
  };
  return walkP(node, 0, atEnd);
}

/** Follows the program from `pc` at `pos`; true once `limit` matches are found (stop everything). */
function follow(run: Run, pc: number, pos: number, depth: number, lit: number): boolean {
  const state = pc * run.width + pos;
  if (run.scratch.reserve(state)[state] === run.stamp) return false;
  const before = run.out.length;
  const done = step(run, pc, pos, depth, lit);
  // Read again: compiling a split's options may have grown the buffer meanwhile.
  if (!done && run.out.length === before) run.scratch.reserve(state)[state] = run.stamp;
  return done;
}

function step(run: Run, pc: number, pos: number, depth: number, lit: number): boolean {
  const program = run.program as CompiledTemplate;
  const tokens = run.tokens;
  const words = program.words;
  for (;;) {
    // Read each time: compiling a split's options (below) may have grown the buffer.
    const code = program.code;
    const c = code[pc * STRIDE] as number;
    switch (c & KIND_MASK) {
      case WORD:
        if (tokens[pos] !== words[c >> KIND_BITS]) return false;
        pos++;
        lit++;
        pc = code[pc * STRIDE + 1] as number;
        continue;
      case SPLIT: {
        // Indexed loops: an iterator per split and per list match was most of what matching a
        // sentence allocated, and so of the collector's pauses.
        const split = program.parts[c >> KIND_BITS] as SplitPart;
        const all = program.targets(split, code[pc * STRIDE + 1] as number);
        const targets =
          split.byFirst === undefined ? all : (split.byFirst.get(tokens[pos] as string) ?? split.others);
        for (let i = 0; i < targets.length; i++) {
          const to = targets[i] as number;
          // An option opening with another word is not worth a call.
          const first = program.code[to * STRIDE] as number;
          if ((first & KIND_MASK) === WORD && words[first >> KIND_BITS] !== tokens[pos]) continue;
          if (follow(run, to, pos, depth, lit)) return true;
        }
        return false;
      }
      case SLOT: {
        if (pos >= tokens.length) return false;
        const slot = program.parts[c >> KIND_BITS] as SlotPart;
        const matches = run.scratch.listMatches(run.lists, slot.list, tokens, pos, run.mode, slot);
        if (!matches) return false;
        const next = code[pc * STRIDE + 1] as number;
        for (let i = 0; i < matches.length; i++) {
          const m = matches[i] as ListMatch;
          run.capSlots[depth] = slot;
          run.capMatches[depth] = m;
          run.capStarts[depth] = pos;
          if (follow(run, next, m.end, depth + 1, lit)) return true;
        }
        return false;
      }
      case END: {
        if (pos !== tokens.length) return false;
        const captures: Capture[] = [];
        for (let d = 0; d < depth; d++) {
          const m = run.capMatches[d] as ListMatch;
          const capSlot = run.capSlots[d] as SlotPart;
          captures.push(
            new MatchedSlot(
              capSlot.slot,
              capSlot.base,
              m.value,
              m.text,
              run.capStarts[d] as number,
              m.end,
              m.ids,
              m.quality,
              m.extra,
            ),
          );
        }
        run.out.push({ captures, literals: lit });
        return run.out.length - run.base >= run.limit;
      }
      case RULE:
        // Rules are inlined when sentences are compiled; reaching one is a compiler bug.
        throw new Error(`rule <${words[c >> KIND_BITS]}> was not inlined`);
    }
  }
}

/**
 * Words a sentence must contain for the template to have a chance, as clauses: each clause is a set
 * of words of which at least one must be present. Checked before matching, it rejects most
 * templates for a sentence in a few set lookups.
 */
export function requiredWords(
  node: TemplateNode,
  listFirstWords?: ReadonlyMap<string, ReadonlySet<string>>,
): Array<ReadonlySet<string>> {
  const out: Array<ReadonlySet<string>> = [];
  collectRequired(node, listFirstWords, out);
  return out;
}

function collectRequired(
  node: TemplateNode,
  listFirstWords: ReadonlyMap<string, ReadonlySet<string>> | undefined,
  out: Array<ReadonlySet<string>>,
): void {
  if (node.t === "seq") {
    for (const item of node.items) collectRequired(item, listFirstWords, out);
    return;
  }
  const clause = firstClause(node, listFirstWords);
  if (clause) out.push(clause);
}

/**
 * One clause `node` needs, worked out without the others: an alternative needs one of its
 * options' clauses, and templates nest alternatives deeply. Of a sequence's clauses the one
 * likeliest to rule a sentence out (see `tighter`): "the robot" as an option of `<vacuum>` then
 * needs "robot", not "the", which nearly every sentence has.
 */
function firstClause(
  node: TemplateNode,
  listFirstWords: ReadonlyMap<string, ReadonlySet<string>> | undefined,
): ReadonlySet<string> | undefined {
  switch (node.t) {
    case "word":
      return new Set([node.w]);
    case "seq": {
      let best: ReadonlySet<string> | undefined;
      for (const item of node.items) {
        const clause = firstClause(item, listFirstWords);
        if (clause && (!best || tighter(clause, best))) best = clause;
      }
      return best;
    }
    case "slot": {
      // A fixed list ("dim", "brighten" …) needs one of its values' first words.
      return listFirstWords?.get(node.list);
    }
    case "alt": {
      const union = new Set<string>();
      for (const option of node.options) {
        const clause = firstClause(option, listFirstWords);
        if (!clause) return undefined;
        // Any one word of an option's clauses being present is necessary for that option.
        for (const w of clause) union.add(w);
      }
      return union;
    }
    default:
      return undefined;
  }
}

/**
 * Whether clause `a` rules out more sentences than `b`: fewer words, or as many whose shortest is
 * longer (the short words, articles and prepositions, are in most sentences; "robot" is not).
 */
function tighter(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return a.size < b.size;
  return shortest(a) > shortest(b);
}

function shortest(words: ReadonlySet<string>): number {
  let n = Number.POSITIVE_INFINITY;
  for (const w of words) n = Math.min(n, w.length);
  return n;
}
