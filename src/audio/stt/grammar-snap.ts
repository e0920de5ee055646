import { spokenDigits, spokenInteger } from "../../core/spoken-numbers.js";
import { compileFsg, type FsgOptions } from "./fsg.js";
import { normalizeWords } from "./jsgf.js";
import type { GrammarSpec } from "./speech-to-text.js";

/**
 * Snaps a free-form transcript (whisper's) to the closest sentence a grammar can produce: the same
 * per-home grammar pocketsphinx decodes with, compiled to the same automaton (fsg.ts). A free-form
 * recogniser writes what it thinks it heard, "turn on the kitchen lite", "pores the music", or, on
 * speech that was no command at all, any sentence of English; the sentence templates then either
 * miss a command that was nearly right or, worse, find a command in a sentence that was none.
 * Snapping keeps whisper's words where the grammar has them, mends the near misses, and refuses
 * what no sentence of this home comes close to.
 *
 * The distance is a word-level edit distance, searched over the automaton (no sentence list: a home
 * grammar has millions of sentences): dropping a word of the transcript or adding a word of the
 * grammar costs 1, exchanging one word for another costs 0.2 to 0.65 by how alike they are written
 * and sound, and two unlike words cost a dropped and an added one (see {@link wordCost}). A snap is accepted when its cost per word (of the longer of the two)
 * is at most `maxDistance`.
 */

/** What a transcript snapped to. */
export interface Snap {
  /** The grammar's sentence, in its own words, space-separated. */
  sentence: string;
  /** The edit cost (words dropped, added and exchanged, weighted). */
  cost: number;
  /** Cost per word of the longer of transcript and sentence: 0 is exact, 1 nothing alike. */
  distance: number;
}

/** A snap that was refused, with the best sentence found within the search's bound, if any. */
export interface SnapRefusal {
  /** The closest sentence within the bound, when one was found (for logs and tuning). */
  nearest?: Snap | undefined;
}

/** Options of {@link GrammarSnapper}. */
export interface GrammarSnapperOptions {
  /** Highest accepted cost per word (0–1), see {@link Snap.distance}. */
  maxDistance: number;
  /** How the automaton is compiled (as for pocketsphinx). */
  fsg?: FsgOptions | undefined;
}

/** Cost of a transcript word the sentence lacks, or of a sentence word the transcript lacks. */
const GAP_COST = 1;
/** Cost of two different words that sound alike ("to"/"two", "lite"/"light"). */
const HOMOPHONE_COST = 0.2;
/** Least cost of two different words that do not sound alike; how far apart they are adds to it. */
const UNLIKE_FLOOR = 0.3;

/** A word as it sounds, roughly: a small English phonetic key (silent letters, c/k/s, vowels dropped). */
export function phoneticKey(word: string): string {
  let w = word.toLowerCase().replace(/[^a-z]/g, "");
  if (w === "") return "";
  w = w
    .replace(/^kn/, "n")
    .replace(/^wr/, "r")
    .replace(/^ps/, "s")
    .replace(/mb$/, "m")
    .replace(/tch/g, "ch")
    .replace(/ph/g, "f")
    .replace(/gh/g, "")
    .replace(/ck/g, "k")
    .replace(/dg/g, "j")
    .replace(/c(?=[eiy])/g, "s")
    .replace(/[cq]/g, "k")
    .replace(/x/g, "ks")
    .replace(/z/g, "s")
    .replace(/wh/g, "w")
    .replace(/th/g, "0");
  const first = w[0] as string;
  const rest = w.slice(1).replace(/[aeiouyhw]/g, "");
  return (first + rest).replace(/(.)\1+/g, "$1");
}

/** Vowel groups of a written word, roughly its syllables. */
function syllables(word: string): number {
  return word.match(/[aeiouy]+/g)?.length ?? 0;
}

/** Levenshtein distance of two strings. */
function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const exchange = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(exchange, (previous[j] as number) + 1, (current[j - 1] as number) + 1));
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/**
 * Exchanges at least this far apart (spelling or phonetic key, per letter) are no mishearing but
 * another word: they cost a dropped plus an added word. Without it, "what's the temperature in the
 * bedroom", in a home with no thermometer, was taken for "what's the lamp in the bedroom" (one cheap
 * exchange in seven words), and with a limit of 0.6 for "lights then brighter in the bedroom".
 */
const UNLIKE_LIMIT = 0.5;

/**
 * Cost of hearing `heard` where the sentence has `said`: 0 for the same word, 0.2 when they sound
 * alike by {@link phoneticKey}, 0.3 plus up to 0.65 by how far apart they are spelt or sound
 * ("kitchens" for "kitchen" 0.39, "pours" for "pause" 0.53), and 2, a dropped and an added word,
 * when they are further apart than that or two syllables longer or shorter.
 */
export function wordCost(heard: string, said: string): number {
  if (heard === said) return 0;
  // Two syllables more or fewer is another word, whatever its consonants ("banana" is no "ben").
  if (Math.abs(syllables(heard) - syllables(said)) >= 2) return 2 * GAP_COST;
  const a = phoneticKey(heard);
  const b = phoneticKey(said);
  if (a !== "" && a === b) return HOMOPHONE_COST;
  const spelt = levenshtein(heard, said) / Math.max(heard.length, said.length);
  const sounded = a === "" || b === "" ? 1 : levenshtein(a, b) / Math.max(a.length, b.length);
  const apart = Math.min(spelt, sounded);
  return apart >= UNLIKE_LIMIT ? 2 * GAP_COST : UNLIKE_FLOOR + (1 - UNLIKE_FLOOR) * apart;
}

/**
 * A transcript's words as the grammar spells them: lower case, punctuation dropped, "50%" as
 * "fifty percent", "21.5" as "twenty one point five", "7:30" as "seven thirty".
 */
export function transcriptWords(text: string): string[] {
  const spelt = text
    .replace(/%/g, " percent ")
    .replace(/(\d+):(\d\d)\b/g, (_, h: string, m: string) => `${h} ${m === "00" ? "" : m}`)
    .replace(/\d+(?:\.\d+)?/g, (number) => {
      const [whole, fraction] = number.split(".");
      // Spelt as the speech grammar spells numbers; past 999 999 the digits stay.
      if (Number(whole) >= 1_000_000) return number;
      const words = spokenInteger(Number(whole));
      if (!fraction) return ` ${words} `;
      return ` ${words} point ${spokenDigits(fraction)} `;
    });
  return normalizeWords(spelt);
}

/** A search node: a state of the automaton after some of the transcript's words. */
interface Node {
  cost: number;
  /** Node this one was reached from, undefined at the start. */
  back: Node | undefined;
  /** The grammar word this step produced (an index into the vocabulary), or -1. */
  word: number;
}

/** A binary min-heap of [cost, state] for one layer's search. */
class Heap {
  readonly #items: Array<[number, number]> = [];
  get size(): number {
    return this.#items.length;
  }
  push(item: [number, number]): void {
    const items = this.#items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((items[parent] as [number, number])[0] <= item[0]) break;
      items[i] = items[parent] as [number, number];
      i = parent;
    }
    items[i] = item;
  }
  pop(): [number, number] {
    const items = this.#items;
    const top = items[0] as [number, number];
    const last = items.pop() as [number, number];
    if (items.length > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= items.length) break;
        const right = left + 1;
        const child =
          right < items.length && (items[right] as [number, number])[0] < (items[left] as [number, number])[0]
            ? right
            : left;
        if ((items[child] as [number, number])[0] >= last[0]) break;
        items[i] = items[child] as [number, number];
        i = child;
      }
      items[i] = last;
    }
    return top;
  }
}

/**
 * Paths costing this much more than the best one so far after the same words are dropped: a beam,
 * as speech decoders use, so a large home's grammar is searched in milliseconds, not seconds. Two
 * words' worth: a path that far behind after the same words seldom comes back.
 */
const BEAM = 1.25;

/** One layer of the search: the best node per state after the same transcript words. */
class Layer {
  readonly nodes = new Map<number, Node>();
  readonly heap = new Heap();
  best = Number.POSITIVE_INFINITY;
}

/** Finds the grammar sentence closest to a transcript; built once per grammar. */
export class GrammarSnapper {
  readonly #start: number;
  readonly #final: number;
  /** Outgoing word transitions, compressed: state s's are at outStart[s] … outStart[s + 1] − 1. */
  readonly #outStart: Uint32Array;
  readonly #outTo: Uint32Array;
  readonly #outWord: Uint32Array;
  readonly #vocabulary: string[];
  /** Each state and the states its null transitions reach. */
  readonly #closure: ReadonlyArray<readonly number[]>;
  readonly #maxDistance: number;

  constructor(spec: GrammarSpec, options: GrammarSnapperOptions) {
    const fsg = compileFsg(spec, "snap", options.fsg);
    this.#start = fsg.start;
    this.#final = fsg.final;
    this.#vocabulary = fsg.words;
    const wordIds = new Map(fsg.words.map((word, i) => [word, i]));
    const arcs = [...fsg.arcs].sort((a, b) => a[0] - b[0]);
    this.#outStart = new Uint32Array(fsg.states + 1);
    this.#outTo = new Uint32Array(arcs.length);
    this.#outWord = new Uint32Array(arcs.length);
    arcs.forEach(([from, to, word], i) => {
      (this.#outStart[from + 1] as number)++;
      this.#outTo[i] = to;
      this.#outWord[i] = wordIds.get(word) as number;
    });
    for (let s = 0; s < fsg.states; s++) {
      this.#outStart[s + 1] = (this.#outStart[s + 1] as number) + (this.#outStart[s] as number);
    }
    this.#closure = Array.from({ length: fsg.states }, (_, s) => [s, ...(fsg.nulls.get(s) ?? [])]);
    this.#maxDistance = options.maxDistance;
  }

  /**
   * The closest sentence to `text`, or a refusal when none is within `maxDistance` per word (or
   * the text has no words).
   */
  snap(text: string): Snap | SnapRefusal {
    const heard = transcriptWords(text);
    if (heard.length === 0) return {};
    const ratio = Math.min(this.#maxDistance, 0.95);
    // An accepted snap costs at most ratio × max(n, m) words, and the sentence has at most
    // n + cost words, so no accepted path ever costs more than ratio × n / (1 − ratio).
    const bound = (ratio * heard.length) / (1 - ratio) + 1e-9;

    const reach = (layer: Layer, state: number, cost: number, back: Node | undefined, word: number): void => {
      if (cost > bound || cost > layer.best + BEAM) return;
      if (cost < layer.best) layer.best = cost;
      let node: Node | undefined;
      for (const s of this.#closure[state] as readonly number[]) {
        const known = layer.nodes.get(s);
        if (known !== undefined && known.cost <= cost) continue;
        node ??= { cost, back, word };
        layer.nodes.set(s, node);
        layer.heap.push([cost, s]);
      }
    };
    /** Closes a layer under grammar words the transcript lacks (each costs a gap), cheapest first. */
    const settle = (layer: Layer): void => {
      const done = new Set<number>();
      while (layer.heap.size > 0) {
        const [c, s] = layer.heap.pop();
        const node = layer.nodes.get(s) as Node;
        if (done.has(s) || node.cost < c) continue;
        done.add(s);
        for (let a = this.#outStart[s] as number; a < (this.#outStart[s + 1] as number); a++) {
          reach(layer, this.#outTo[a] as number, c + GAP_COST, node, this.#outWord[a] as number);
        }
      }
    };

    let layer = new Layer();
    reach(layer, this.#start, 0, undefined, -1);
    settle(layer);
    for (const h of heard) {
      const exchange = this.#vocabulary.map((word) => wordCost(h, word));
      const next = new Layer();
      // Cheapest first, so the beam is set by good paths before poor ones are tried.
      const from = [...layer.nodes].sort((a, b) => a[1].cost - b[1].cost);
      for (const [s, node] of from) {
        if (node.cost > layer.best + BEAM) continue;
        // The transcript's word is not in the sentence.
        reach(next, s, node.cost + GAP_COST, node, -1);
        // The sentence's word, heard as this one.
        for (let a = this.#outStart[s] as number; a < (this.#outStart[s + 1] as number); a++) {
          const word = this.#outWord[a] as number;
          reach(next, this.#outTo[a] as number, node.cost + (exchange[word] as number), node, word);
        }
      }
      settle(next);
      layer = next;
      if (layer.nodes.size === 0) return {};
    }

    const end = layer.nodes.get(this.#final);
    if (end === undefined) return {};
    const words: string[] = [];
    for (let node: Node | undefined = end; node !== undefined; node = node.back) {
      if (node.word >= 0) words.push(this.#vocabulary[node.word] as string);
    }
    words.reverse();
    const distance = end.cost / Math.max(heard.length, words.length);
    const snap: Snap = { sentence: words.join(" "), cost: end.cost, distance };
    return distance <= this.#maxDistance ? snap : { nearest: snap };
  }
}
