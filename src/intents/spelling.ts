import { GERMAN_NUMBER_WORDS } from "./hassil/numbers-de.js";
import { tokenize as tokenizeEnglish } from "./normalize.js";
import { ENGLISH_NUMBER_WORDS } from "./numbers.js";
import { type CompiledSentences, listValueWords } from "./sentences.js";
import { templateWords } from "./template.js";

/**
 * Typing slips in the sentences' own words ("trun on the lights", "set a timmer", "whats teh
 * wether"), put right so a typed command that nothing else understood can be read again. A word
 * the sentences do not know becomes the one word they know that it is a slip of: one letter
 * swapped with the next, doubled, dropped, added or mistyped (two slips in a word of eight letters
 * or more); a few slips of short words are listed (`SHORT_SLIPS`), and "the" typed twice is said
 * once. Speech-to-text with a grammar only writes words the sentences know, so this changes
 * nothing heard; it reads only what is typed.
 *
 * The names of the home's devices, areas and floors are the names' own business: a word of one is
 * never changed, nor is a word changed where it could be a slip of one (near misses of names are
 * matched as such, see NameList). A word written with a capital inside a sentence is taken for a
 * name too ("Jake, shut the door").
 */
export class Spelling {
  /** The sentences' words, by length, for the look-up of near ones. */
  readonly #byLength = new Map<number, string[]>();

  /** @param words every word the sentences know: template words, list values, skip words, number words. */
  constructor(readonly words: ReadonlySet<string>) {
    for (const w of words) {
      if (w.length < 3 || !LETTERS.test(w)) continue;
      let list = this.#byLength.get(w.length);
      if (!list) {
        list = [];
        this.#byLength.set(w.length, list);
      }
      list.push(w);
    }
  }

  /**
   * The words of `sentences` (see sentenceWords); none for sentences in another language than
   * English. German's held-out talk (bench/heldout.mjs --lang de --set talk) took a remark for a
   * command once its words were put right, and a German word one letter from another is often
   * another word of its own (its compounds, its endings).
   */
  static of(sentences: CompiledSentences): Spelling | undefined {
    const language = sentences.packs?.language ?? "en";
    if (language.toLowerCase().split(/[-_]/)[0] !== "en") return undefined;
    return new Spelling(sentenceWords(sentences));
  }

  /**
   * `text` with its slips put right, its punctuation and spacing kept; undefined where there was
   * nothing to put right. `names` are the words of the home's names (see the class).
   */
  correct(text: string, names: ReadonlySet<string>): string | undefined {
    const upper = text === text.toUpperCase();
    const parts: string[] = [];
    let at = 0;
    let changed = false;
    let slips = 0;
    let previous: string | undefined;
    for (const m of text.matchAll(WORD)) {
      const said = m[0];
      const start = m.index;
      const gap = text.slice(at, start);
      const word = said.toLowerCase().replace(APOSTROPHES, "");
      at = start + said.length;
      // "turn on the the lamp": the second "the" left out, with the space before it.
      if (previous === word && DOUBLED.has(word) && /^\s+$/.test(gap)) {
        changed = true;
        continue;
      }
      previous = word;
      const known = this.words.has(word) || names.has(word);
      // A capital where a sentence does not begin.
      const named = !upper && /\p{Lu}/u.test(said) && !SENTENCE_START.test(text.slice(0, start));
      let put = said;
      if (!known && !named) {
        const short = SHORT_SLIPS.get(word);
        if (short?.every((w) => this.words.has(w))) put = short.join(" ");
        else if (word.length >= 4) {
          const near = this.#nearest(word, names);
          if (near !== undefined) {
            put = near;
            slips++;
          }
        }
      }
      if (put !== said) changed = true;
      parts.push(gap, put);
    }
    // "lights of": "of" ends no command; "off" ends many.
    const last = parts.length - 1;
    if (previous === "of" && this.words.has("off") && /^[\s.!?]*$/.test(text.slice(at)) && last > 0) {
      parts[last] = parts[last] === "OF" ? "OFF" : "off";
      changed = true;
    }
    parts.push(text.slice(at));
    // More slips than that and the sentence is more likely something else than a command mistyped.
    if (!changed || slips > MAX_SLIPS) return undefined;
    return parts.join("");
  }

  /**
   * The one word of the sentences that `typed` is a slip of, by the likeliest kind of slip; none
   * where two are equally likely or a name's word is among those it may be a slip of.
   */
  #nearest(typed: string, names: ReadonlySet<string>): string | undefined {
    const long = typed.length >= 8;
    let best: string | undefined;
    let bestRank = Number.POSITIVE_INFINITY;
    let tied = false;
    const reach = long ? 2 : 1;
    for (let n = typed.length - reach; n <= typed.length + reach; n++) {
      for (const w of this.#byLength.get(n) ?? []) {
        const rank = slipRank(typed, w, long);
        if (rank === undefined) continue;
        if (rank < bestRank) {
          best = w;
          bestRank = rank;
          tied = false;
        } else if (rank === bestRank) tied = true;
      }
    }
    if (best === undefined || tied) return undefined;
    // A slip of a name's word as well: matched as a near miss of that name, if at all.
    for (const name of names) {
      if (this.words.has(name) || Math.abs(name.length - typed.length) > reach) continue;
      if (slipRank(typed, name, long) !== undefined) return undefined;
    }
    return best;
  }
}

/** Most slips put right in one sentence. */
const MAX_SLIPS = 2;

/** A word as the sentences are typed: letters, and apostrophes inside ("what's"). */
const WORD = /\p{L}+(?:['’`]\p{L}+)*/gu;
const APOSTROPHES = /['’`]/g;
const LETTERS = /^\p{L}+$/u;
const SENTENCE_START = /(?:^|[.!?]\s*)\s*$/;

/** Words typed twice by a slip of the finger ("the the"), said once. */
const DOUBLED: ReadonlySet<string> = new Set(["the", "a", "an", "to"]);

/**
 * Slips of short words too common to leave and too short to find by their letters: put right only
 * where the sentences know the word (English's).
 */
const SHORT_SLIPS: ReadonlyMap<string, readonly string[]> = new Map([
  ["teh", ["the"]],
  ["hte", ["the"]],
  ["tge", ["the"]],
  ["adn", ["and"]],
  ["th", ["the"]],
  ["ot", ["to"]],
  ["fro", ["for"]],
  ["yuo", ["you"]],
]);

/**
 * How likely `typed` is a slip of `word`, lower more likely (the kinds of slip people make most
 * when typing): a letter swapped with the next one or typed twice (0), the first two swapped (1),
 * one left out (2), a vowel typed for another vowel (3), a letter added beside a key next to it or
 * typed for one next to it (4), any other letter added or mistyped in words of six letters or more (5), and in words of eight
 * letters or more (`long`) two slips (6). Undefined for anything else, and for a first letter
 * changed otherwise (people seldom mistype the first letter, and a word that differs there is
 * usually another word).
 */
export function slipRank(typed: string, word: string, long: boolean): number | undefined {
  const n = typed.length;
  const m = word.length;
  let i = 0;
  while (i < n && i < m && typed[i] === word[i]) i++;
  if (i === n && i === m) return undefined;
  if (n === m) {
    if (sameRest(typed, i + 1, word, i + 1)) {
      if (i === 0) return undefined;
      const t = typed[i] as string;
      const w = word[i] as string;
      return VOWELS.has(t) && VOWELS.has(w) ? 3 : neighbours(t, w) ? 4 : anyLetter(n);
    }
    if (typed[i] === word[i + 1] && typed[i + 1] === word[i] && sameRest(typed, i + 2, word, i + 2))
      return i === 0 ? 1 : 0;
  } else if (n === m + 1) {
    // One letter too many: a doubled one ("timmer", "dimm") is the commonest, then one beside a
    // key next to it ("lighst").
    if (sameRest(typed, i + 1, word, i)) {
      const extra = typed[i] as string;
      const before = typed[i - 1];
      const after = typed[i + 1];
      if (extra === before || extra === after) return 0;
      if (i === 0) return undefined;
      return (before && neighbours(extra, before)) || (after && neighbours(extra, after)) ? 4 : anyLetter(n);
    }
  } else if (n + 1 === m) {
    if (sameRest(typed, i, word, i + 1)) return i === 0 ? undefined : 2;
  }
  if (!long || i === 0) return undefined;
  return osaDistance(typed, word) <= 2 ? 6 : undefined;
}

/**
 * Whether `a` from `i` on is `b` from `j` on: `a.slice(i) === b.slice(j)` without making either
 * (slipRank compares a typed word with every word of the sentences of about its length).
 */
function sameRest(a: string, i: number, b: string, j: number): boolean {
  const n = Math.max(0, a.length - i);
  if (n !== Math.max(0, b.length - j)) return false;
  for (let k = 0; k < n; k++) if (a.charCodeAt(i + k) !== b.charCodeAt(j + k)) return false;
  return true;
}

/**
 * Any other letter mistyped or added (5), in words of six letters or more only: in shorter ones it
 * is as often another word ("sleep" is no slip of "sweep").
 */
function anyLetter(length: number): number | undefined {
  return length >= 6 ? 5 : undefined;
}

/** Keys next to each other on a QWERTY keyboard. */
const KEYBOARD = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];
const VOWELS: ReadonlySet<string> = new Set(["a", "e", "i", "o", "u"]);

function neighbours(a: string, b: string): boolean {
  const at = (c: string): [number, number] | undefined => {
    for (let row = 0; row < KEYBOARD.length; row++) {
      const col = (KEYBOARD[row] as string).indexOf(c);
      if (col >= 0) return [row, col];
    }
    return undefined;
  };
  const p = at(a);
  const q = at(b);
  if (!p || !q) return false;
  // Rows are offset by about half a key: a key touches two keys of the row below (its column and
  // the one before) and two of the row above.
  if (p[0] === q[0]) return Math.abs(p[1] - q[1]) === 1;
  if (Math.abs(p[0] - q[0]) !== 1) return false;
  const [upper, lower] = p[0] < q[0] ? [p, q] : [q, p];
  return lower[1] === upper[1] || lower[1] === upper[1] - 1;
}

/** Edits (letters swapped with the next one, dropped, added, mistyped) between two words. */
function osaDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++)
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(
        (d[(i - 1) * cols + j] as number) + 1,
        (d[i * cols + j - 1] as number) + 1,
        (d[(i - 1) * cols + j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, (d[(i - 2) * cols + j - 2] as number) + 1);
      d[i * cols + j] = v;
    }
  return d[rows * cols - 1] as number;
}

/**
 * Every word the sentences know: their templates' words, the values of their lists and the
 * packs', skip words, openers and the like, and the number words their tokenizer turns into digits.
 */
export function sentenceWords(sentences: CompiledSentences): Set<string> {
  const tokenize = sentences.tokenize ?? tokenizeEnglish;
  const words = listValueWords(sentences, tokenize);
  const addPhrase = (phrase: readonly string[]) => {
    for (const w of phrase) words.add(w);
  };
  for (const g of sentences.groups) templateWords(g.template, words);
  const text = (s: string) => addPhrase(tokenize(s));
  for (const phrases of [
    sentences.skipPhrases,
    sentences.ownSkipPhrases ?? [],
    sentences.packs?.skipPhrases ?? [],
    sentences.openers,
    sentences.addressees ?? [],
    sentences.closers ?? [],
    sentences.thanks ?? [],
  ])
    for (const p of phrases) addPhrase(p);
  addPhrase([...sentences.joiners]);
  for (const w of [...(sentences.pronouns ?? []), ...(sentences.numberWords ?? [])]) text(w);
  addPhrase(sentences.placedKinds ?? []);
  for (const ws of Object.values(sentences.measureWords ?? {})) addPhrase(ws);
  addPhrase(sentences.ownerLast ?? []);
  addPhrase(sentences.ownerFirst ?? []);
  addPhrase(sentences.namedRooms?.say ?? []);
  for (const w of [...ENGLISH_NUMBER_WORDS, ...GERMAN_NUMBER_WORDS])
    if (/^\d/.test(tokenize(w)[0] ?? "")) words.add(w);
  return words;
}
