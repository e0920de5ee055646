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

/** The states reachable from `states` by null transitions (chains of them too), with `states`. */
function closure(automaton: Automaton, states: Iterable<number>): number[] {
  const seen = new Set<number>();
  const stack = [...states];
  while (stack.length > 0) {
    const state = stack.pop() as number;
    if (seen.has(state)) continue;
    seen.add(state);
    for (const next of automaton.nulls.get(state) ?? []) stack.push(next);
  }
  return [...seen].sort((a, b) => a - b);
}

function step(automaton: Automaton, states: readonly number[]): Map<string, number[]> {
  const next = new Map<string, Set<number>>();
  for (const state of states) {
    for (const [word, targets] of automaton.words.get(state) ?? []) {
      const set = next.get(word) ?? new Set<number>();
      next.set(word, set);
      for (const target of targets) set.add(target);
    }
  }
  return new Map([...next].map(([word, set]) => [word, closure(automaton, set)]));
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
  const a = parseFsg(first);
  const b = parseFsg(second);
  const parent = new Map<string, string>();
  const find = (key: string): string => {
    let root = key;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root) as string;
    parent.set(key, root);
    return root;
  };
  const union = (x: string, y: string): boolean => {
    const rx = find(x);
    const ry = find(y);
    if (rx === ry) return false;
    parent.set(rx, ry);
    return true;
  };
  const queue: Array<{ sa: number[]; sb: number[]; words: string[] }> = [];
  const startA = closure(a, [a.start]);
  const startB = closure(b, [b.start]);
  union(`a${startA.join(",")}`, `b${startB.join(",")}`);
  queue.push({ sa: startA, sb: startB, words: [] });
  let visited = 0;
  for (let head = 0; head < queue.length; head++) {
    if (++visited > limit) throw new Error(`languageDifference: more than ${limit} pairs of state sets`);
    const { sa, sb, words } = queue[head] as (typeof queue)[number];
    queue[head] = undefined as never;
    const finalA = sa.includes(a.final);
    const finalB = sb.includes(b.final);
    if (finalA !== finalB) return { words, acceptedBy: finalA ? "first" : "second" };
    const nextA = step(a, sa);
    const nextB = step(b, sb);
    for (const word of new Set([...nextA.keys(), ...nextB.keys()])) {
      const ta = nextA.get(word);
      const tb = nextB.get(word);
      // A word only one side can go on with: the other accepts nothing that starts so, while this
      // side's states all lead to the final state (the compiler leaves no dead ends), so some sentence differs.
      if (ta === undefined || tb === undefined)
        return { words: [...words, word], acceptedBy: ta === undefined ? "second" : "first" };
      if (union(`a${ta.join(",")}`, `b${tb.join(",")}`))
        queue.push({ sa: ta, sb: tb, words: [...words, word] });
    }
  }
  return undefined;
}
