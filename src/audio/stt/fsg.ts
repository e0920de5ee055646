import { HearthError } from "../../core/errors.js";
import { mergeEquivalentStates, shareRepeatedWords } from "./fsg-minimize.js";
import { normalizeWords } from "./jsgf.js";
import type { GrammarExpr, GrammarSpec } from "./speech-to-text.js";

/**
 * Compiles a grammar spec straight into pocketsphinx's finite-state grammar (FSG) text format,
 * instead of going through JSGF.
 *
 * Why: pocketsphinx expands every JSGF rule reference inline. The grammar generated from the
 * sentence templates refers to the device-name list from some 90 places (and to the whole command
 * twice, for "… and …"), so its JSGF became an automaton of hundreds of thousands of states: 5 s to
 * compile and seconds per utterance to decode, with a home of 20 devices. Here a large rule that is
 * referred to from several places is built once for every set of words that can follow it: the
 * references followed by the same words enter the same sub-network, whose end leads back to each
 * of them. Small rules are copied in place, exactly; a repetition ("… and then …") is a loop.
 *
 * Sharing one network among *all* references (as this did before) let a sentence start in one
 * template and finish in another: "turn off light on" (from "turn off {name}" and "turn {name}
 * on"), "toggle light teal", "set the temperature to nineteen degrees and the lounge". The
 * recogniser took such crossings whenever they fitted the audio a little better, and the sentence
 * matcher could not understand them: 11 of the 16 misheard synthetic commands (bench/stt.mjs)
 * were crossings. Keyed by the words that follow, a crossing can only go on with words that could
 * follow there anyway: the clean synthetic commands heard right went from 90.8 % to 96.6 %, for
 * about a third more decoding time and memory. A network per reference (no crossing at all) heard
 * no more and decoded a quarter slower again; a second copy of the whole command for "… and …"
 * cost as much as all the lists' copies, hence the loop. Very large lists get two networks only
 * ({@link FsgOptions.copyBudgetWords}).
 */

/** Options of {@link compileFsg}. */
export interface FsgOptions {
  /**
   * A rule referred to from more than one place is shared when copying it everywhere would add at
   * least this many words (its words × its extra references). Default 1000: a small home grammar
   * stays exact; the template grammar's device, area and number lists are shared.
   */
  shareFromWords?: number | undefined;
  /**
   * The most words that a shared rule's copies (one per set of words that can follow it) may add.
   * A rule that would add more gets two networks instead: one for the references after which the
   * command can end ("turn off {name}"), one for those that go on ("turn {name} on"), so a sentence
   * can cross between templates only within each. Default 10 000: with the built-in English
   * sentences, the device list of a home of about 15 devices or more gets two networks (the
   * bench's generated homes: 13 devices keep their 86 copies, 16 get two networks). pocketsphinx's
   * memory grows with the copies (fsg-minimize.ts): at 20 000 the example home (20 devices, its
   * list of 112 words just under the budget) held 60 MB of search, more than the 55-device test
   * home whose list was over it; at 10 000, 41 MB (docs/benchmarks.md, Memory). It also keeps the
   * grammar and its decoding from growing with the copies (a home of 100 devices had twice the
   * states of a home of 500, and loaded four times slower). Config:
   * `stt.pocketsphinx.grammar_copy_budget`.
   */
  copyBudgetWords?: number | undefined;
  /**
   * Merge the states no sentence can tell apart (fsg-minimize.ts): the same sentences with a
   * fraction of the states, and pocketsphinx's memory grows with states. Default true.
   */
  mergeStates?: boolean | undefined;
  /**
   * Route the copies of a word through one transition (fsg-minimize.ts, shareRepeatedWords): the
   * same sentences with fewer word transitions, and pocketsphinx's memory grows with those. Default true.
   */
  shareWords?: boolean | undefined;
}

/** The compiled automaton. */
export interface CompiledFsg {
  /** The FSG file's text (pocketsphinx `fsg_model_readfile` format). */
  text: string;
  states: number;
  /** Word transitions. */
  transitions: number;
  /** Null transitions, after closure. */
  nullTransitions: number;
  /** Every word the automaton can produce. */
  words: string[];
  /** The automaton itself, for searches other than pocketsphinx's (whisper's snapping). */
  start: number;
  final: number;
  /** Word transitions: from, to, word. */
  arcs: ReadonlyArray<readonly [number, number, string]>;
  /** Null transitions, closed: each state's every state reached by nulls alone. */
  nulls: ReadonlyMap<number, ReadonlySet<number>>;
}

interface Builder {
  states: number;
  words: Array<[number, number, string]>;
  nulls: Map<number, Set<number>>;
}

/** Counts each rule's references (as expanded: a reference inside a copied rule counts per copy) and sizes. */
function analyse(spec: GrammarSpec): { size: Map<string, number>; refs: Map<string, number> } {
  const rules = spec.rules ?? {};
  const size = new Map<string, number>();
  const visiting = new Set<string>();
  const sizeOf = (node: GrammarExpr): number => {
    if (typeof node === "string") return normalizeWords(node).length;
    if ("seq" in node) return node.seq.reduce((sum, part) => sum + sizeOf(part), 0);
    if ("alt" in node) return node.alt.reduce((sum, part) => sum + sizeOf(part), 0);
    if ("opt" in node) return sizeOf(node.opt);
    if ("repeat" in node) return sizeOf(node.repeat) + sizeOf(node.separator);
    return ruleSize(node.ref);
  };
  const ruleSize = (name: string): number => {
    const known = size.get(name);
    if (known !== undefined) return known;
    const body = rules[name];
    if (body === undefined)
      throw new HearthError("TEMPLATE_INVALID", `speech grammar: unknown rule <${name}>`);
    if (visiting.has(name))
      throw new HearthError("TEMPLATE_INVALID", `speech grammar: rule <${name}> refers to itself`);
    visiting.add(name);
    const value = sizeOf(body);
    visiting.delete(name);
    size.set(name, value);
    return value;
  };
  const refs = new Map<string, number>();
  const count = (node: GrammarExpr): void => {
    if (typeof node === "string") return;
    if ("seq" in node) node.seq.forEach(count);
    else if ("alt" in node) node.alt.forEach(count);
    else if ("opt" in node) count(node.opt);
    else if ("repeat" in node) {
      count(node.repeat);
      count(node.separator);
    } else {
      ruleSize(node.ref);
      refs.set(node.ref, (refs.get(node.ref) ?? 0) + 1);
    }
  };
  count(spec.root);
  for (const [name, body] of Object.entries(rules)) {
    ruleSize(name);
    count(body);
  }
  return { size, refs };
}

/** Builds the FSG for a grammar spec. */
export function compileFsg(spec: GrammarSpec, name = "hearth", options: FsgOptions = {}): CompiledFsg {
  const rules = spec.rules ?? {};
  const threshold = options.shareFromWords ?? 1000;
  const { size, refs } = analyse(spec);
  const shared = new Set(
    [...refs]
      .filter(([rule, count]) => count > 1 && (size.get(rule) ?? 0) * (count - 1) >= threshold)
      .map(([rule]) => rule),
  );
  // Which words can follow a point of the grammar, as interned sets.
  const follows = followSets(rules);
  // Keyed by what follows while the copies stay within budget; a rule whose copies would add more
  // words (the device list of a large home) gets one network where the command can end after it
  // and one where it goes on.
  const budget = options.copyBudgetWords ?? 10_000;
  const counted = build(spec, shared, shared, follows, true);
  const keyed = new Set(
    [...shared].filter((rule) => (size.get(rule) ?? 0) * ((counted.copies.get(rule) ?? 1) - 1) <= budget),
  );
  const built = build(spec, shared, keyed, follows, false);
  const graph = {
    states: built.b.states,
    start: built.start,
    final: built.final,
    words: built.b.words,
    nulls: built.b.nulls,
  };
  const merged = options.mergeStates === false ? graph : mergeEquivalentStates(graph);
  const { states, start, final, words, nulls } =
    options.shareWords === false ? merged : shareRepeatedWords(merged);

  // pocketsphinx follows one null transition at a time and expects them closed (as its own JSGF
  // compiler leaves them): every state gets a null transition to each state it reaches by nulls.
  const closed = closeNulls(nulls);
  let nullTransitions = 0;
  for (const targets of closed.values()) nullTransitions += targets.size;
  return {
    text: fsgText(name, states, start, final, words, closed),
    states,
    transitions: words.length,
    nullTransitions,
    words: [...new Set(words.map(([, , word]) => word))],
    start,
    final,
    arcs: words,
    nulls: closed,
  };
}

/**
 * Builds the automaton: the rules in `shared` as networks, one per rule and set of following words
 * for those in `keyed`, for the rest one per rule and whether the command can end after it. `dry`
 * only counts each shared rule's copies.
 */
function build(
  spec: GrammarSpec,
  shared: ReadonlySet<string>,
  keyed: ReadonlySet<string>,
  follows: FollowSets,
  dry: boolean,
): { b: Builder; start: number; final: number; copies: Map<string, number> } {
  const rules = spec.rules ?? {};
  const b: Builder = { states: 0, words: [], nulls: new Map() };
  const state = (): number => b.states++;
  const link = (from: number, to: number): void => {
    if (dry || from === to) return;
    const set = b.nulls.get(from) ?? new Set<number>();
    b.nulls.set(from, set);
    set.add(to);
  };
  const { firstOf, union, keyOf, canEnd, END } = follows;
  /** Shared networks by rule and, for keyed rules, the words that can follow them. */
  const networks = new Map<string, { entry: number; exit: number }>();
  const copies = new Map<string, number>();

  /** Emits `node` between `from` and `to`; `follow`: the words that can come after `to`. */
  const emit = (node: GrammarExpr, from: number, to: number, follow: number): void => {
    if (typeof node === "string") {
      const words = normalizeWords(node);
      if (words.length === 0) {
        link(from, to);
        return;
      }
      if (dry) return;
      let at = from;
      words.forEach((word, i) => {
        const next = i === words.length - 1 ? to : state();
        b.words.push([at, next, word]);
        at = next;
      });
      return;
    }
    if ("seq" in node) {
      if (node.seq.length === 0) {
        link(from, to);
        return;
      }
      // after[i]: the words that can follow part i.
      const after = new Array<number>(node.seq.length);
      after[node.seq.length - 1] = follow;
      for (let i = node.seq.length - 2; i >= 0; i--)
        after[i] = union(firstOf(node.seq[i + 1] as GrammarExpr), after[i + 1] as number);
      let at = from;
      node.seq.forEach((part, i) => {
        const next = i === node.seq.length - 1 ? to : state();
        emit(part, at, next, after[i] as number);
        at = next;
      });
      return;
    }
    if ("alt" in node) {
      // Alternatives share only their two ends: every other state is fresh, so no path can cross
      // from one alternative into another.
      for (const option of node.alt) emit(option, from, to, follow);
      return;
    }
    if ("opt" in node) {
      link(from, to);
      emit(node.opt, from, to, follow);
      return;
    }
    if ("repeat" in node) {
      // from → head → item → tail → to, and tail → separator → head for each further item.
      const head = state();
      const tail = state();
      link(from, head);
      link(tail, to);
      emit(node.repeat, head, tail, union(firstOf(node.separator), follow));
      emit(node.separator, tail, head, firstOf(node.repeat));
      return;
    }
    const body = rules[node.ref] as GrammarExpr;
    if (!shared.has(node.ref)) {
      emit(body, from, to, follow);
      return;
    }
    const key = keyed.has(node.ref)
      ? `${node.ref} ${keyOf(follow)}`
      : `${node.ref} ${canEnd(follow) ? "end" : "more"}`;
    let network = networks.get(key);
    if (!network) {
      network = { entry: state(), exit: state() };
      networks.set(key, network);
      copies.set(node.ref, (copies.get(node.ref) ?? 0) + 1);
      emit(body, network.entry, network.exit, follow);
    }
    link(from, network.entry);
    link(network.exit, to);
  };

  const start = state();
  const final = state();
  emit(spec.root, start, final, END);
  return { b, start, final, copies };
}

/** Sets of words that can follow a point of the grammar, as small ids (see {@link followSets}). */
interface FollowSets {
  /** The words `node` can begin with; marked as possibly empty when it can also be nothing. */
  firstOf: (node: GrammarExpr) => number;
  /** What can follow a part that begins with `first` and is followed by `follow`. */
  union: (first: number, follow: number) => number;
  keyOf: (follow: number) => string;
  /** Whether the sentence can end at a point followed by `follow`. */
  canEnd: (follow: number) => boolean;
  /** The end of the sentence, which counts as a word of its own. */
  END: number;
}

/**
 * The words each expression can begin with, and the sets of words that can follow a point of the
 * grammar, interned so that equal sets get the same id (and key the same network).
 */
function followSets(rules: Readonly<Record<string, GrammarExpr>>): FollowSets {
  const keys: string[] = [];
  const sets: Array<ReadonlySet<string>> = [];
  const ids = new Map<string, number>();
  const intern = (words: ReadonlySet<string>): number => {
    const key = [...words].sort().join(" ");
    let id = ids.get(key);
    if (id === undefined) {
      id = keys.length;
      ids.set(key, id);
      keys.push(key);
      sets.push(words);
    }
    return id;
  };
  // An expression's first words, with the EMPTY mark when it can also be nothing at all.
  const EMPTY = "";
  const firstIds = new Map<GrammarExpr, number>();
  const firstOf = (node: GrammarExpr): number => {
    const known = firstIds.get(node);
    if (known !== undefined) return known;
    let id: number;
    if (typeof node === "object" && "repeat" in node) id = firstOf(node.repeat);
    else if (typeof node === "object" && "ref" in node) id = firstOf(rules[node.ref] as GrammarExpr);
    else {
      const words = new Set<string>();
      const add = (part: GrammarExpr): ReadonlySet<string> => {
        const first = sets[firstOf(part)] as ReadonlySet<string>;
        for (const w of first) words.add(w);
        return first;
      };
      if (typeof node === "string") words.add(normalizeWords(node)[0] ?? EMPTY);
      else if ("seq" in node) {
        // Up to the first part that cannot be empty; empty only when every part can be.
        if (!node.seq.some((part) => !add(part).has(EMPTY))) words.add(EMPTY);
        else words.delete(EMPTY);
      } else if ("alt" in node) node.alt.forEach(add);
      else {
        add(node.opt);
        words.add(EMPTY);
      }
      id = intern(words);
    }
    firstIds.set(node, id);
    return id;
  };
  const unions = new Map<string, number>();
  const union = (firstId: number, follow: number): number => {
    const words = sets[firstId] as ReadonlySet<string>;
    if (!words.has(EMPTY)) return firstId;
    const key = `${firstId} ${follow}`;
    let id = unions.get(key);
    if (id === undefined) {
      const merged = new Set([...words, ...(sets[follow] as ReadonlySet<string>)]);
      merged.delete(EMPTY);
      id = intern(merged);
      unions.set(key, id);
    }
    return id;
  };
  const END_WORD = "</s>";
  const END = intern(new Set([END_WORD]));
  return {
    firstOf,
    union,
    keyOf: (follow) => keys[follow] as string,
    canEnd: (follow) => (sets[follow] as ReadonlySet<string>).has(END_WORD),
    END,
  };
}

/** For each state, every state its null transitions lead to, directly or not. */
function closeNulls(nulls: ReadonlyMap<number, ReadonlySet<number>>): Map<number, Set<number>> {
  const closed = new Map<number, Set<number>>();
  for (const from of nulls.keys()) {
    const seen = new Set<number>();
    const stack = [...(nulls.get(from) ?? [])];
    while (stack.length > 0) {
      const next = stack.pop() as number;
      if (seen.has(next) || next === from) continue;
      seen.add(next);
      for (const after of nulls.get(next) ?? []) stack.push(after);
    }
    closed.set(from, seen);
  }
  return closed;
}

/** The FSG file pocketsphinx reads (`fsg_model_readfile` format): word transitions, then null ones. */
function fsgText(
  name: string,
  states: number,
  start: number,
  final: number,
  arcs: ReadonlyArray<readonly [number, number, string]>,
  nulls: ReadonlyMap<number, ReadonlySet<number>>,
): string {
  const lines = [`FSG_BEGIN ${name}`, `NUM_STATES ${states}`, `START_STATE ${start}`, `FINAL_STATE ${final}`];
  for (const [from, to, word] of arcs) lines.push(`TRANSITION ${from} ${to} 1.0 ${word}`);
  for (const [from, targets] of nulls) for (const to of targets) lines.push(`TRANSITION ${from} ${to} 1.0`);
  lines.push("FSG_END", "");
  return lines.join("\n");
}

/** The FSG file of an automaton whose sentences are `words`, each one word alone (see oneWordSentences). */
export function oneWordFsgText(name: string, words: readonly string[]): string {
  return fsgText(
    name,
    2,
    0,
    1,
    words.map((word) => [0, 1, word] as const),
    new Map(),
  );
}

/**
 * The words that are a whole sentence of the automaton on their own ("pause", "next", a one-word
 * custom command): a word transition leaving the start state (or a state it reaches by null
 * transitions alone) into the final state (or a state that reaches it so), in the automaton's order.
 */
export function oneWordSentences(fsg: Pick<CompiledFsg, "start" | "final" | "arcs" | "nulls">): string[] {
  const from = new Set([fsg.start, ...(fsg.nulls.get(fsg.start) ?? [])]);
  const ends = (state: number): boolean =>
    state === fsg.final || (fsg.nulls.get(state)?.has(fsg.final) ?? false);
  const words = new Set<string>();
  for (const [a, b, word] of fsg.arcs) if (from.has(a) && ends(b)) words.add(word);
  return [...words];
}
