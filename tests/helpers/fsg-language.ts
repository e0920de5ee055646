/**
 * Whether two pocketsphinx FSG files accept the same sentences, decided exactly (not by sampling):
 * both automata are determinised on the fly (a state of the walk is the set of states a prefix can
 * reach, nulls followed) and walked side by side; Hopcroft and Karp's union-find stops the walk at
 * pairs already known to be equal. A grammar with loops ("… and …") has infinitely many sentences,
 * so enumerating them could only ever check some.
 */

interface Automaton {
  start: number;
  final: number;
  /** state → word → next states. */
  words: Map<number, Map<string, number[]>>;
  /** state → states its null transitions reach. */
  nulls: Map<number, number[]>;
}

/** Parses the FSG text format pocketsphinx reads (`fsg_model_readfile`). */
export function parseFsg(text: string): Automaton {
  const automaton: Automaton = { start: -1, final: -1, words: new Map(), nulls: new Map() };
  for (const line of text.split("\n")) {
    const parts = line.trim().split(/\s+/);
    if (parts[0] === "START_STATE") automaton.start = Number(parts[1]);
    else if (parts[0] === "FINAL_STATE") automaton.final = Number(parts[1]);
    else if (parts[0] === "TRANSITION") {
      const from = Number(parts[1]);
      const to = Number(parts[2]);
      const word = parts[4];
      if (word === undefined) {
        const list = automaton.nulls.get(from) ?? [];
        automaton.nulls.set(from, list);
        list.push(to);
      } else {
        const byWord = automaton.words.get(from) ?? new Map<string, number[]>();
        automaton.words.set(from, byWord);
        const list = byWord.get(word) ?? [];
        byWord.set(word, list);
        list.push(to);
      }
    }
  }
  return automaton;
}

/**
 * The walk's view of one automaton, its subset construction: each set of states it reaches (closed
 * under null transitions) gets a number, and the null closure of each state and the word steps of
 * each set are worked out once. A grammar of a few thousand states has sets of hundreds of states,
 * and a set comes up again in every pair it is part of.
 */
class Walker {
  /** State set (sorted states joined by ",") → its number. */
  readonly #ids = new Map<string, number>();
  /** Whether the set of that number holds the final state. */
  readonly final: boolean[] = [];
  /** The states of the set of that number. */
  readonly #sets: number[][] = [];
  /** The word steps of the set of that number: word → number of the set reached. */
  readonly #steps: Array<Map<string, number>> = [];
  readonly #single = new Map<number, number[]>();
  /** Targets of a word (sorted, joined by ",") → the number of their closed set: many sets share them. */
  readonly #closed = new Map<string, number>();
  /** Marks of the states already in the set being closed (`#pass` marks this pass's). */
  readonly #mark: Int32Array;
  #pass = 0;

  constructor(readonly automaton: Automaton) {
    let states = Math.max(automaton.start, automaton.final);
    for (const [from, byWord] of automaton.words) {
      states = Math.max(states, from);
      for (const targets of byWord.values()) for (const to of targets) states = Math.max(states, to);
    }
    for (const [from, targets] of automaton.nulls) states = Math.max(states, from, ...targets);
    this.#mark = new Int32Array(states + 1);
  }

  /** The states `state` reaches by null transitions (chains of them too), with `state`. */
  #closureOf(state: number): number[] {
    const known = this.#single.get(state);
    if (known) return known;
    const seen = new Set<number>();
    const stack = [state];
    while (stack.length > 0) {
      const next = stack.pop() as number;
      if (seen.has(next)) continue;
      seen.add(next);
      for (const target of this.automaton.nulls.get(next) ?? []) stack.push(target);
    }
    const states = [...seen];
    this.#single.set(state, states);
    return states;
  }

  /** The number of the set of states reachable from `states` by null transitions, with `states`. */
  closure(states: Iterable<number>): number {
    const pass = ++this.#pass;
    const mark = this.#mark;
    const set: number[] = [];
    for (const state of states)
      for (const reached of this.#closureOf(state))
        if (mark[reached] !== pass) {
          mark[reached] = pass;
          set.push(reached);
        }
    const sorted = Int32Array.from(set).sort();
    const key = sorted.join(",");
    let id = this.#ids.get(key);
    if (id === undefined) {
      id = this.#sets.length;
      this.#ids.set(key, id);
      this.#sets.push(Array.from(sorted));
      this.final.push(mark[this.automaton.final] === pass);
    }
    return id;
  }

  /** Word → the number of the (closed) set that word leads to from set `id`. */
  step(id: number): Map<string, number> {
    const known = this.#steps[id];
    if (known) return known;
    const next = new Map<string, Set<number>>();
    for (const state of this.#sets[id] ?? []) {
      for (const [word, targets] of this.automaton.words.get(state) ?? []) {
        const set = next.get(word) ?? new Set<number>();
        next.set(word, set);
        for (const target of targets) set.add(target);
      }
    }
    const result = new Map<string, number>();
    for (const [word, set] of next) {
      const key = Int32Array.from(set).sort().join(",");
      let closed = this.#closed.get(key);
      if (closed === undefined) {
        closed = this.closure(set);
        this.#closed.set(key, closed);
      }
      result.set(word, closed);
    }
    this.#steps[id] = result;
    return result;
  }
}

/** What tells two grammars apart: the shortest difference found, or undefined when they are equal. */
export interface LanguageDifference {
  /** A sentence (or, when `prefix`, the start of sentences) one grammar accepts and the other not. */
  words: string[];
  acceptedBy: "first" | "second";
}

/**
 * Undefined when the two FSG texts accept exactly the same sentences; otherwise a sentence that
 * only one of them accepts. `limit` bounds the pairs of state sets visited.
 */
export function languageDifference(
  first: string,
  second: string,
  limit = 2_000_000,
): LanguageDifference | undefined {
  const a = new Walker(parseFsg(first));
  const b = new Walker(parseFsg(second));
  // Union-find over the sets of both walks: a's set n is 2n, b's set n is 2n + 1.
  const parent = new Map<number, number>();
  const find = (node: number): number => {
    let root = node;
    for (let up = parent.get(root); up !== undefined && up !== root; up = parent.get(root)) root = up;
    parent.set(node, root);
    return root;
  };
  const union = (setA: number, setB: number): boolean => {
    const ra = find(2 * setA);
    const rb = find(2 * setB + 1);
    if (ra === rb) return false;
    parent.set(ra, rb);
    return true;
  };
  /** Pairs to visit, each with the pair it was reached from and the word that led to it. */
  const queue: Array<{ sa: number; sb: number; from: number; word: string }> = [];
  const wordsTo = (at: number): string[] => {
    const words: string[] = [];
    for (let i = at; i > 0; i = (queue[i] as (typeof queue)[number]).from)
      words.push((queue[i] as (typeof queue)[number]).word);
    return words.reverse();
  };
  const startA = a.closure([a.automaton.start]);
  const startB = b.closure([b.automaton.start]);
  union(startA, startB);
  queue.push({ sa: startA, sb: startB, from: -1, word: "" });
  for (let head = 0; head < queue.length; head++) {
    if (head >= limit) throw new Error(`languageDifference: more than ${limit} pairs of state sets`);
    const { sa, sb } = queue[head] as (typeof queue)[number];
    const finalA = a.final[sa] === true;
    const finalB = b.final[sb] === true;
    if (finalA !== finalB) return { words: wordsTo(head), acceptedBy: finalA ? "first" : "second" };
    const nextA = a.step(sa);
    const nextB = b.step(sb);
    for (const word of new Set([...nextA.keys(), ...nextB.keys()])) {
      const ta = nextA.get(word);
      const tb = nextB.get(word);
      // A word only one side can go on with: the other accepts nothing that starts so, while this
      // side's states all lead to the final state (the compiler leaves no dead ends), so some sentence differs.
      if (ta === undefined || tb === undefined)
        return { words: [...wordsTo(head), word], acceptedBy: ta === undefined ? "second" : "first" };
      if (union(ta, tb)) queue.push({ sa: ta, sb: tb, from: head, word });
    }
  }
  return undefined;
}
