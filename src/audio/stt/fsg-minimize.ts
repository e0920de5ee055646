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
 *
 * A state's signature (its block, then its distinct transition codes in order) lives in one typed
 * array reused from round to round, and signatures are found again by a numeric hash: keying them
 * as strings made tens of thousands of strings per round, which V8 promoted to its old space, so
 * the example home's grammar grew the heap by 76 MB that an idle daemon kept.
 */
function refine(edges: Edges, direction: "forward" | "backward"): Int32Array {
  const [source, target] = direction === "forward" ? [edges.from, edges.to] : [edges.to, edges.from];
  const marked = direction === "forward" ? edges.final : edges.start;
  const order = Array.from(source.keys()).sort((x, y) => (source[x] as number) - (source[y] as number));
  const first = new Int32Array(edges.states + 1);
  for (const i of order) first[(source[i] as number) + 1] = (first[(source[i] as number) + 1] as number) + 1;
  for (let s = 0; s < edges.states; s++) first[s + 1] = (first[s + 1] as number) + (first[s] as number);
  let block = new Int32Array(edges.states);
  block[marked] = 1;
  let blocks = edges.states > 1 ? 2 : 1;
  const code = (i: number): number =>
    ((edges.label[i] as number) + 1) * 4_194_304 + (block[target[i] as number] as number);
  // Each state's signature: [block, code, code …] at signatureAt[s], signatureLength[s] long.
  const signatures = new Float64Array(edges.from.length + edges.states);
  const signatureAt = new Int32Array(edges.states);
  const signatureLength = new Int32Array(edges.states);
  const codes = new Float64Array(order.length);
  const sameSignature = (a: number, b: number): boolean => {
    const length = signatureLength[a] as number;
    if (length !== signatureLength[b]) return false;
    const x = signatureAt[a] as number;
    const y = signatureAt[b] as number;
    for (let k = 0; k < length; k++) if (signatures[x + k] !== signatures[y + k]) return false;
    return true;
  };
  for (;;) {
    // Hash → the first state of each block with that hash (a list only on a collision).
    const byHash = new Map<number, number | number[]>();
    const next = new Int32Array(edges.states);
    let ids = 0;
    let at = 0;
    for (let s = 0; s < edges.states; s++) {
      const begin = first[s] as number;
      const count = (first[s + 1] as number) - begin;
      for (let k = 0; k < count; k++) codes[k] = code(order[begin + k] as number);
      const sorted = codes.subarray(0, count).sort();
      signatureAt[s] = at;
      signatures[at++] = block[s] as number;
      let hash = Math.imul((block[s] as number) ^ 0x9e3779b9, 0x85ebca6b);
      let last = -1;
      for (const c of sorted) {
        if (c === last) continue;
        last = c;
        signatures[at++] = c;
        hash = Math.imul(hash ^ (c % 4_294_967_296) ^ Math.floor(c / 4_294_967_296), 0xc2b2ae35);
        hash ^= hash >>> 15;
      }
      signatureLength[s] = at - (signatureAt[s] as number);
      const found = byHash.get(hash);
      const same =
        found === undefined
          ? undefined
          : typeof found === "number"
            ? sameSignature(found, s)
              ? found
              : undefined
            : found.find((other) => sameSignature(other, s));
      if (same !== undefined) {
        next[s] = next[same] as number;
        continue;
      }
      next[s] = ids++;
      if (found === undefined) byHash.set(hash, s);
      else if (typeof found === "number") byHash.set(hash, [found, s]);
      else found.push(s);
    }
    block = next;
    if (ids === blocks) return block;
    blocks = ids;
  }
}

/** The grammar with each block as one state; duplicate transitions and null self-loops dropped. */
function quotient(edges: Edges, block: Int32Array): Edges {
  // A transition as one number (block, block, label), not a string: see refine().
  const labels = edges.vocabulary.length + 1;
  const seen = new Set<number>();
  const from: number[] = [];
  const to: number[] = [];
  const label: number[] = [];
  for (let i = 0; i < edges.from.length; i++) {
    const a = block[edges.from[i] as number] as number;
    const b = block[edges.to[i] as number] as number;
    const l = edges.label[i] as number;
    if (l === NULL && a === b) continue;
    const key = (a * edges.states + b) * labels + l + 1;
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

/**
 * What pocketsphinx spends, in KB, on what {@link shareRepeatedWords} adds and takes away (its
 * fsg_model.c, fsg_lextree.c): a word transition's word-end HMMs (one per right context of the
 * destination, 144 bytes each; 11 on average in the example home's grammar) and its share of the
 * word's other HMMs; a state's small transition table (pocketsphinx-library.ts, compactFsg) and the
 * silence and filler self-loops pocketsphinx adds to every state, about 1.4 KB; a small table of
 * null transitions. The tables were sphinxbase's 101 buckets (4 and 3.3 KB) until compactFsg; at
 * these prices the example home's search holds 1.3 MB less (`npm run bench -- grammar-memory`).
 */
const ARC_KB = 1.5;
const STATE_KB = 2;
const NULL_TABLE_KB = 1;

/**
 * Routes the copies of a word through one transition, keeping exactly the same sentences.
 * pocketsphinx builds, for every word transition, the HMMs of the word's last phone once per right
 * context (the first phones of what can follow): 158 000 of the example home's 194 000 HMM nodes
 * were those. The same word can leave one state for several (a list over the copy budget has two
 * networks, where the command can end and where it goes on; names that begin alike) and enter one
 * state from several (the same ending after different beginnings); merging states
 * ({@link mergeEquivalentStates}) keeps both, as the states differ in their other words.
 *
 * - Forward: the words that leave a state for exactly the destinations D (two or more) leave it for
 *   one new state instead, shared by every such word and source, with a null transition to each of D.
 * - Backward: the (word, destination) pairs entered from exactly the sources S (two or more) leave
 *   one new state instead, which each of S reaches by a null transition.
 *
 * A path through a new state is one the grammar had (the new state holds only the copies it
 * replaced), and each replaced path goes through it, so the sentences are the same; so are the
 * words' cross-word contexts, which pocketsphinx carries over null transitions. A new state costs
 * pocketsphinx more than a few transitions save, so one is added only where it saves more
 * ({@link ARC_KB}): the example home's grammar loses 5 300 of its 18 800 word transitions for 700
 * more states.
 */
export function shareRepeatedWords(graph: FsgGraph): FsgGraph {
  const ids = new Map<string, number>();
  for (const [, , word] of graph.words) if (!ids.has(word)) ids.set(word, ids.size);
  const vocabulary = ids.size;
  let states = graph.states;
  const nulls = new Map<number, Set<number>>();
  for (const [from, targets] of graph.nulls) nulls.set(from, new Set(targets));
  const addNull = (from: number, to: number): void => {
    const set = nulls.get(from) ?? new Set<number>();
    nulls.set(from, set);
    set.add(to);
  };
  /** A state and a word as one number (keys of maps, not strings: see refine()). */
  const pair = (state: number, word: string): number => state * vocabulary + (ids.get(word) as number);

  // Forward: (source, word) → its destinations, then the pairs grouped by their set of destinations.
  let words: Array<readonly [number, number, string]> = [...graph.words];
  {
    const targets = new Map<number, number[]>();
    for (const [from, to, word] of words) {
      const key = pair(from, word);
      const list = targets.get(key);
      if (list) list.push(to);
      else targets.set(key, [to]);
    }
    const groups = new Map<string, { targets: number[]; pairs: number[] }>();
    for (const [key, list] of targets) {
      if (list.length < 2) continue;
      const sorted = [...new Set(list)].sort((a, b) => a - b);
      const id = sorted.join(" ");
      const group = groups.get(id) ?? { targets: sorted, pairs: [] };
      groups.set(id, group);
      group.pairs.push(key);
    }
    const routed = new Map<number, number>();
    for (const group of groups.values()) {
      const saved = group.pairs.length * (group.targets.length - 1);
      if (saved * ARC_KB <= STATE_KB + NULL_TABLE_KB) continue;
      const via = states++;
      for (const to of group.targets) addNull(via, to);
      for (const key of group.pairs) routed.set(key, via);
    }
    const next: Array<readonly [number, number, string]> = [];
    const done = new Set<number>();
    for (const arc of words) {
      const key = pair(arc[0], arc[2]);
      const via = routed.get(key);
      if (via === undefined) next.push(arc);
      else if (!done.has(key)) {
        done.add(key);
        next.push([arc[0], via, arc[2]]);
      }
    }
    words = next;
  }

  // Backward: (destination, word) → its sources, then the pairs grouped by their set of sources.
  {
    const sources = new Map<number, { to: number; word: string; from: number[] }>();
    for (const [from, to, word] of words) {
      const key = pair(to, word);
      const entry = sources.get(key) ?? { to, word, from: [] };
      sources.set(key, entry);
      entry.from.push(from);
    }
    const groups = new Map<string, { from: number[]; pairs: Array<{ to: number; word: string }> }>();
    for (const entry of sources.values()) {
      const from = [...new Set(entry.from)].sort((a, b) => a - b);
      if (from.length < 2) continue;
      const id = from.join(" ");
      const group = groups.get(id) ?? { from, pairs: [] };
      groups.set(id, group);
      group.pairs.push({ to: entry.to, word: entry.word });
    }
    const routed = new Set<number>();
    const added: Array<readonly [number, number, string]> = [];
    for (const group of groups.values()) {
      const saved = group.pairs.length * (group.from.length - 1);
      const newTables = group.from.filter((from) => !nulls.has(from)).length;
      if (saved * ARC_KB <= STATE_KB + newTables * NULL_TABLE_KB) continue;
      const via = states++;
      for (const from of group.from) addNull(from, via);
      for (const { to, word } of group.pairs) {
        added.push([via, to, word]);
        routed.add(pair(to, word));
      }
    }
    words = [...words.filter(([, to, word]) => !routed.has(pair(to, word))), ...added];
  }
  return { states, start: graph.start, final: graph.final, words, nulls };
}
