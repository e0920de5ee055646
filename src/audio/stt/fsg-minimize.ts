/** A finite-state grammar before its null transitions are closed: word and null transitions. */
export interface FsgGraph {
  states: number;
  start: number;
  final: number;
  /** Word transitions: [from, to, word]. */
  words: ReadonlyArray<readonly [number, number, string]>;
  /** Null transitions: from → the states they lead to. */
  nulls: ReadonlyMap<number, ReadonlySet<number>>;
}

/** The label of a null transition among the word ids (which are ≥ 0). */
const NULL = -1;

/**
 * Merges the states of a grammar that no sentence can tell apart, so pocketsphinx builds fewer
 * search networks for the same sentences. pocketsphinx allocates per FSG state a tree of HMM nodes
 * for the words leaving it (with their cross-word contexts) and two hash tables of 101 buckets for
 * its transitions, so memory grows with states, not with sentences: the example home's grammar
 * (14 341 states) held 123 MB of search. Most states are copies: the same words on the way to the
 * same place ("… the kitchen light" at the end of many templates).
 *
 * Two states are merged when they are bisimilar: looking forward, both final or neither, and for
 * every word (or null) a transition into the same merged states; then the same looking backward
 * from the start, repeated until nothing merges. Such a merge keeps the set of sentences exactly
 * (a path through a merged state existed before through one of its members), so it cannot let a
 * sentence cross from one template into another (fsg.ts). It does not determinise, which would
 * multiply the states.
 */
export function mergeEquivalentStates(graph: FsgGraph): FsgGraph {
  let current = toEdges(graph);
  for (;;) {
    const before = current.states;
    current = quotient(current, refine(current, "forward"));
    current = quotient(current, refine(current, "backward"));
    if (current.states === before) break;
  }
  return fromEdges(current);
}

interface Edges {
  states: number;
  start: number;
  final: number;
  from: Int32Array;
  to: Int32Array;
  /** Word id, or {@link NULL}. */
  label: Int32Array;
  vocabulary: string[];
}

function toEdges(graph: FsgGraph): Edges {
  // Words as small ids, in order of first use.
  const ids = new Map<string, number>();
  const from: number[] = [];
  const to: number[] = [];
  const label: number[] = [];
  for (const [a, b, word] of graph.words) {
    if (!ids.has(word)) ids.set(word, ids.size);
    from.push(a);
    to.push(b);
    label.push(ids.get(word) as number);
  }
  for (const [a, targets] of graph.nulls) {
    for (const b of targets) {
      from.push(a);
      to.push(b);
      label.push(NULL);
    }
  }
  return {
    states: graph.states,
    start: graph.start,
    final: graph.final,
    from: Int32Array.from(from),
    to: Int32Array.from(to),
    label: Int32Array.from(label),
    vocabulary: [...ids.keys()],
  };
}

function fromEdges(edges: Edges): FsgGraph {
  const words: Array<readonly [number, number, string]> = [];
  const nulls = new Map<number, Set<number>>();
  for (let i = 0; i < edges.from.length; i++) {
    const a = edges.from[i] as number;
    const b = edges.to[i] as number;
    const label = edges.label[i] as number;
    if (label === NULL) {
      const set = nulls.get(a) ?? new Set<number>();
      nulls.set(a, set);
      set.add(b);
    } else {
      words.push([a, b, edges.vocabulary[label] as string]);
    }
  }
  return { states: edges.states, start: edges.start, final: edges.final, words, nulls };
}

/**
 * The coarsest partition of the states in which each block's members have the same transitions
 * into blocks (forward: outgoing, backward: incoming), starting from final/start apart from the rest.
 * Returns each state's block.
 */
function refine(edges: Edges, direction: "forward" | "backward"): Int32Array {
  const [source, target] = direction === "forward" ? [edges.from, edges.to] : [edges.to, edges.from];
  const marked = direction === "forward" ? edges.final : edges.start;
  // Each state's edges, grouped by the state they leave (in the chosen direction).
  const order = Array.from(source.keys()).sort((x, y) => (source[x] as number) - (source[y] as number));
  const first = new Int32Array(edges.states + 1);
  for (const i of order) first[(source[i] as number) + 1] = (first[(source[i] as number) + 1] as number) + 1;
  for (let s = 0; s < edges.states; s++) first[s + 1] = (first[s + 1] as number) + (first[s] as number);
  let block = new Int32Array(edges.states);
  block[marked] = 1;
  let blocks = edges.states > 1 ? 2 : 1;
  // A transition as one number: its label and the block it leads to (blocks < 2^22).
  const code = (i: number): number =>
    ((edges.label[i] as number) + 1) * 4_194_304 + (block[target[i] as number] as number);
  const codes: number[] = [];
  for (;;) {
    const ids = new Map<string, number>();
    const next = new Int32Array(edges.states);
    for (let s = 0; s < edges.states; s++) {
      codes.length = 0;
      for (let k = first[s] as number; k < (first[s + 1] as number); k++)
        codes.push(code(order[k] as number));
      codes.sort((x, y) => x - y);
      let key = `${block[s]}`;
      let last = -1;
      for (const c of codes) {
        if (c !== last) key += ` ${c}`;
        last = c;
      }
      let id = ids.get(key);
      if (id === undefined) {
        id = ids.size;
        ids.set(key, id);
      }
      next[s] = id;
    }
    block = next;
    if (ids.size === blocks) return block;
    blocks = ids.size;
  }
}

/** The grammar with each block as one state; duplicate transitions and null self-loops dropped. */
function quotient(edges: Edges, block: Int32Array): Edges {
  const seen = new Set<string>();
  const from: number[] = [];
  const to: number[] = [];
  const label: number[] = [];
  for (let i = 0; i < edges.from.length; i++) {
    const a = block[edges.from[i] as number] as number;
    const b = block[edges.to[i] as number] as number;
    const l = edges.label[i] as number;
    if (l === NULL && a === b) continue;
    const key = `${a} ${b} ${l}`;
    if (seen.has(key)) continue;
    seen.add(key);
    from.push(a);
    to.push(b);
    label.push(l);
  }
  let states = 0;
  for (const b of block) states = Math.max(states, b + 1);
  return {
    states,
    start: block[edges.start] as number,
    final: block[edges.final] as number,
    from: Int32Array.from(from),
    to: Int32Array.from(to),
    label: Int32Array.from(label),
    vocabulary: edges.vocabulary,
  };
}
