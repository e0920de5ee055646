import { parseDuration } from "./duration.js";
import type { SlotValue } from "./types.js";

/** How hard a list tries: exact words, near misses of names, or any words (to report unknown names). */
export type MatchMode = "exact" | "fuzzy" | "wildcard";

/**
 * How a list's match was found, where not word for word: a near miss, an unknown name, a name that
 * holds only in its area, (made by the resolver) words of several names said with their kind, or
 * the words devices share said in the singular ("the desk lamp" for Desk Lamp 1 and 2: which one)
 * or in the plural ("the desk lamps": every one of them).
 */
export type MatchQuality = "fuzzy" | "unknown" | "local" | "group" | "stem" | "every";

/**
 * One way a list can match tokens starting at a position. A class, so that every match has the
 * same fields in the same order: the matcher reads thousands of them per sentence, and objects of
 * several shapes there made V8 drop its optimized code for the matcher in the middle of a sentence.
 */
export class ListMatch {
  constructor(
    readonly end: number,
    readonly value: SlotValue,
    /** The words that were said for it. */
    readonly text: string,
    /** Registry references (entity, area or floor ids) behind a name. */
    public ids: readonly string[] | undefined = undefined,
    /**
     * Matched only approximately (fuzzy), not at all (a wildcard standing in for an unknown name),
     * or through a name that only holds inside the device's own area ("TV" for "Living Room TV").
     */
    readonly quality: MatchQuality | undefined = undefined,
    /** Extra slots filled at once (durations fill hours / minutes / seconds). */
    readonly extra: Record<string, SlotValue> | undefined = undefined,
  ) {}

  /** The same match said with other words (a suffixed list's whole word). */
  withText(text: string): ListMatch {
    return new ListMatch(this.end, this.value, text, this.ids, this.quality, this.extra);
  }
}

/**
 * A list's answer when nothing matches: one shared empty array, and of the same kind of array as
 * its other answers (V8 gives an empty literal another map than an array of objects, and a matcher
 * compiled for one then drops its optimized code on meeting the other).
 */
export const NO_MATCHES: readonly ListMatch[] = (() => {
  const kind: ListMatch[] = [new ListMatch(0, "", "")];
  kind.pop();
  return kind;
})();

/** A list of things a `{slot}` can be. */
export interface SlotList {
  /** The matches at `start`, longest first; callers only read them (they may be cached or shared). */
  match(tokens: readonly string[], start: number, mode: MatchMode): readonly ListMatch[];
  /** Words the list takes, for a sentence that warms the matcher up; undefined when it has none. */
  example?(): string[] | undefined;
  /**
   * Every word a match can start with, in any mode (A_NUMBER: any number in digits), where the
   * list can tell: a template that needs the list is then tried only on a sentence that has one.
   */
  firstWords?(): ReadonlySet<string> | undefined;
  /**
   * Whether a match can hold `word`, in any mode, where the list can tell (absent: it may): a
   * template that no word or list of its can take a joiner said ("and") with is not tried on
   * that sentence (see TemplatePicker).
   */
  takes?(word: string): boolean;
}

/**
 * Stands in `firstWords` for any number written in digits (no word is spelled so): number lists
 * match only those, as the tokenizer has made number words digits.
 */
export const A_NUMBER = "\u0000number";

/** Whether a token is a number in digits, as the number lists read it (see A_NUMBER). */
export function isNumberToken(token: string): boolean {
  return /^-?\d+(\.\d+)?$/.test(token);
}

const NUMBER_WORDS: ReadonlySet<string> = new Set([A_NUMBER]);

interface TrieNode {
  next: Map<string, TrieNode>;
  values: Array<{ value: SlotValue; ids: readonly string[] | undefined }>;
}

function newNode(): TrieNode {
  return { next: new Map(), values: [] };
}

/** Word sequences → values, matched exactly through a trie (fast at hundreds of names). */
export class ValueList implements SlotList {
  readonly #root = newNode();
  /** Every word of its values. */
  readonly #words = new Set<string>();

  /**
   * @param quality what every match of this list is (an area-local name's list: "local").
   * @param oneMatch whether words several values share make one match (the first value, every id).
   */
  constructor(
    readonly quality: MatchQuality | undefined = undefined,
    readonly oneMatch = false,
  ) {}

  add(words: readonly string[], value: SlotValue, ids?: readonly string[]): void {
    if (words.length === 0) return;
    let node = this.#root;
    for (const w of words) {
      this.#words.add(w);
      let child = node.next.get(w);
      if (!child) {
        child = newNode();
        node.next.set(w, child);
      }
      node = child;
    }
    if (this.oneMatch && node.values.length > 0 && node.values[0]?.value !== value && ids) {
      const first = node.values[0] as { value: SlotValue; ids: readonly string[] | undefined };
      first.ids = [...new Set([...(first.ids ?? []), ...ids])];
    } else if (!node.values.some((v) => v.value === value)) node.values.push({ value, ids });
    else if (ids) {
      const existing = node.values.find((v) => v.value === value);
      if (existing) existing.ids = [...new Set([...(existing.ids ?? []), ...ids])];
    }
  }

  /** The first words of its values: matched word for word, it needs one of them. */
  firstWords(): ReadonlySet<string> {
    return new Set(this.#root.next.keys());
  }

  /** Matched word for word: a word of one of its values. */
  takes(word: string): boolean {
    return this.#words.has(word);
  }

  example(): string[] | undefined {
    const words: string[] = [];
    let node = this.#root;
    while (node.values.length === 0) {
      const first = node.next.entries().next();
      if (first.done) return undefined;
      words.push(first.value[0]);
      node = first.value[1];
    }
    return words;
  }

  match(tokens: readonly string[], start: number, _mode: MatchMode): readonly ListMatch[] {
    let out: ListMatch[] | undefined;
    let node: TrieNode | undefined = this.#root;
    for (let i = start; i < tokens.length && node; i++) {
      node = node.next.get(tokens[i] as string);
      if (!node) break;
      if (node.values.length === 0) continue;
      const text = joinTokens(tokens, start, i + 1);
      out ??= [];
      for (const v of node.values) out.push(new ListMatch(i + 1, v.value, text, v.ids, this.quality));
    }
    if (!out) return NO_MATCHES;
    // Longest first: "kitchen light" before "kitchen".
    return out.length > 1 ? out.reverse() : out;
  }
}

/** Said after a whole number where a range takes fractions: "twenty two and a half". */
const AND_A_HALF: readonly string[] = ["and", "a", "half"];

/** Numbers in a range ("{brightness}" 0–100), said in digits or words (the tokenizer made them digits). */
export class RangeList implements SlotList {
  constructor(
    readonly from: number,
    readonly to: number,
    readonly step = 1,
    readonly fractions = false,
    /** The value is the number said times this ("dim by 20 percent": -1 makes a step of -20). */
    readonly multiplier = 1,
  ) {}

  example(): string[] {
    return [String(this.from)];
  }

  firstWords(): ReadonlySet<string> {
    return NUMBER_WORDS;
  }

  /** A number in digits, and with fractions the words of "and a half" after one. */
  takes(word: string): boolean {
    return isNumberToken(word) || (this.fractions && AND_A_HALF.includes(word));
  }

  match(tokens: readonly string[], start: number): readonly ListMatch[] {
    const t = tokens[start];
    if (t === undefined || !/^\d+(\.\d+)?$/.test(t)) return NO_MATCHES;
    const n = Number(t);
    if (n < this.from || n > this.to) return NO_MATCHES;
    if (!this.fractions && !Number.isInteger(n)) return NO_MATCHES;
    if (!this.fractions && (n - this.from) % this.step !== 0) return NO_MATCHES;
    const whole = new ListMatch(start + 1, this.multiplier === 1 ? n : n * this.multiplier, t);
    // "Twenty two and a half degrees": a half said after a whole number where fractions are allowed.
    if (
      this.fractions &&
      Number.isInteger(n) &&
      n + 0.5 <= this.to &&
      AND_A_HALF.every((w, i) => tokens[start + 1 + i] === w)
    ) {
      const end = start + 1 + AND_A_HALF.length;
      return [new ListMatch(end, (n + 0.5) * this.multiplier, joinTokens(tokens, start, end)), whole];
    }
    return [whole];
  }
}

/**
 * The most words a free-text slot (a shopping item, a search, a message to broadcast) takes. HassIL
 * bounds a wildcard only by the sentence; this bound is far above what anyone says in one breath
 * and only keeps a hostile, endless input from costing the matcher more than a long sentence does.
 */
export const WILDCARD_MAX_WORDS = 50;

/** Any words (a timer's name, a shopping item). Longest first, at most `maxWords`. */
export class WildcardList implements SlotList {
  /**
   * `notFirst`: words that never open the value ("play it again" is no search for "it again").
   * `spans`: shared by the free-text lists built together, so each span of a sentence is made once.
   * `addressed`: where in the words an assistant is called by its name (-1 where it is not): a value
   * that opens the sentence never holds the name ("Alexa, cheese on the list" adds "cheese", "so
   * Alexa, a pasta timer" names no timer "so alexa pasta").
   */
  constructor(
    readonly maxWords = WILDCARD_MAX_WORDS,
    readonly notFirst: ReadonlySet<string> = new Set(),
    readonly spans?: WildcardSpans | undefined,
    readonly addressed?: ((tokens: readonly string[]) => number) | undefined,
  ) {}

  example(): string[] {
    return ["x"];
  }

  match(tokens: readonly string[], start: number): readonly ListMatch[] {
    if (this.notFirst.has(tokens[start] as string)) return NO_MATCHES;
    let most = this.maxWords;
    if (start === 0 && this.addressed) {
      const name = this.addressed(tokens);
      if (name === 0) return NO_MATCHES;
      if (name > 0) most = Math.min(most, name);
    }
    return this.spans ? this.spans.from(tokens, start, most) : spansFrom(tokens, start, most);
  }
}

/** Every span from `start`, longest first, at most `maxWords` words: a free-text list's matches. */
function spansFrom(tokens: readonly string[], start: number, maxWords: number): ListMatch[] {
  const out: ListMatch[] = [];
  const last = Math.min(tokens.length, start + maxWords);
  for (let end = last; end > start; end--) {
    const text = joinTokens(tokens, start, end);
    out.push(new ListMatch(end, text, text, undefined, "unknown"));
  }
  return out;
}

/**
 * A sentence's free-text spans, for the free-text lists of one set of lists: a language pack's
 * item, message, search and timer name (and Hearth's own) would each make the same spans of the
 * same sentence, a string and a match per span at every position tried, which was most of what a
 * sentence with free text in it allocated. Kept for the last few word sequences matched (a sentence,
 * its parts around "and", the same without its opener).
 */
export class WildcardSpans {
  readonly #seen: Array<{ words: readonly string[]; byStart: Map<number, readonly ListMatch[]> }> = [];
  #next = 0;

  /** The spans of `tokens` from `start`, at most `maxWords` long (see spansFrom). */
  from(tokens: readonly string[], start: number, maxWords: number): readonly ListMatch[] {
    // A key of start and length: lists longer than that make their own.
    if (maxWords >= 4096) return spansFrom(tokens, start, maxWords);
    let byStart: Map<number, readonly ListMatch[]> | undefined;
    for (const s of this.#seen) if (sameWords(s.words, tokens)) byStart = s.byStart;
    if (!byStart) {
      byStart = new Map();
      const entry = { words: [...tokens], byStart };
      if (this.#seen.length < SPAN_SENTENCES) this.#seen.push(entry);
      else this.#seen[this.#next] = entry;
      this.#next = (this.#next + 1) % SPAN_SENTENCES;
    }
    const key = start * 4096 + maxWords;
    let out = byStart.get(key);
    if (!out) {
      out = spansFrom(tokens, start, maxWords);
      byStart.set(key, out);
    }
    return out;
  }
}

/** How many word sequences WildcardSpans keeps the spans of. */
const SPAN_SENTENCES = 6;

function sameWords(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const NO_WORDS: ReadonlySet<string> = new Set();

/**
 * A language's words that bound a name said, from its sentence files: none of them is ever a
 * name's first word or, unknown, its last, and a name never spans a joiner.
 */
export interface NameBounds {
  /** Words that join two commands (`joiners:`): "the tv and start …" names no "tv and start". */
  readonly joiners: ReadonlySet<string>;
  /**
   * Articles and the like (`name_articles:`): they open no name, near miss or unknown ("the
   * garage heater" is "garage heater"), and end no unknown one.
   */
  readonly articles: ReadonlySet<string>;
  /**
   * Prepositions of place (`name_prepositions:`): an unknown name neither opens nor ends with one
   * ("near the door" is where a device is, not its name).
   */
  readonly prepositions: ReadonlySet<string>;
}

/** No words bound a name: a language whose files give none. */
const NO_BOUNDS: NameBounds = { joiners: NO_WORDS, articles: NO_WORDS, prepositions: NO_WORDS };

/**
 * Names of registry things (devices, areas, floors) with their aliases and plurals. Exact matching
 * goes through a trie; in fuzzy mode a span of words may be a near miss of a name; in wildcard mode
 * any short span stands in for a name, so "turn on the garage heater" can be answered with "I don't
 * know a device called garage heater" instead of "I didn't understand".
 */
export class NameList implements SlotList {
  /**
   * Words several devices answer to ("ceiling fan" the alias of the Den Fan and of the Master
   * Fan) are one match holding them all, as devices of one name are: the resolver then takes the
   * one in the area said or the speaker's, or asks which, instead of whichever was added last.
   */
  readonly #exact = new ValueList(undefined, true);
  /** Area-local names as added: words → each name's ids, in the order they came. */
  readonly #localNames = new Map<string, { words: readonly string[]; names: Map<string, string[]> }>();
  /** The same, one match per local name holding every device it may mean (built on first use). */
  #local: ValueList | undefined;
  /** What numbered devices share, said in the singular: which of them is meant (see addNumbered). */
  readonly #stems = new ValueList("stem", true);
  /** The same said in the plural: all of them. */
  readonly #stemsPlural = new ValueList("every", true);
  /** Sound-alike key → the names it stands for (several names can share a key). */
  readonly #byKey = new Map<string, Array<{ value: string; ids: Set<string> }>>();
  #keys: string[] | undefined;
  #trigrams: Map<string, number[]> | undefined;
  #counts: Int32Array | undefined;
  /** The keys a look-up shares trigrams with, the first of them filled in (scratch, like #counts). */
  #touched: Int32Array | undefined;
  /** digitsOf each of #keys, read for every candidate a near-miss look-up touches. */
  #digits: string[] | undefined;
  /** Recent near-miss look-ups by the words said: the same spans come back for each template, mode and command part. */
  readonly #nearestCache = new Map<string, { key: string; score: number } | null>();
  #maxWords = 1;

  /**
   * @param compared the language's words that say how much (`more_or_less:`: "more", "less";
   *   German "mehr", "weniger"): a near miss of a name never spans one, as a name said right
   *   before one is said exactly ("the kitchen lights less").
   * @param bounds the language's words that open, end or split no name (see NameBounds).
   */
  constructor(
    readonly threshold: number,
    readonly maxUnknownWords = 4,
    readonly compared: ReadonlySet<string> = NO_WORDS,
    readonly bounds: NameBounds = NO_BOUNDS,
  ) {}

  /** Adds a name (already tokenized) meaning `value` (the configured name) and the given ids. */
  add(words: readonly string[], value: string, ids: readonly string[]): void {
    if (words.length === 0) return;
    for (const variant of spokenVariants(words)) {
      this.#exact.add(variant, value, ids);
      const key = phoneticKey(variant.join(" "));
      const forKey = this.#byKey.get(key) ?? [];
      let entry = forKey.find((x) => x.value === value);
      if (!entry) {
        entry = { value, ids: new Set() };
        forKey.push(entry);
      }
      for (const id of ids) entry.ids.add(id);
      this.#byKey.set(key, forKey);
      this.#maxWords = Math.max(this.#maxWords, variant.length);
    }
    this.#keys = undefined;
    this.#trigrams = undefined;
    this.#nearestCache.clear();
  }

  /**
   * Adds a name matched only as said, never as a near miss: a name said in another word order
   * ("pump of the fountain") shares its words with sentences that are no such name ("the fountain
   * pump turn off"), which a near miss would take for it.
   */
  addExact(words: readonly string[], value: string, ids: readonly string[]): void {
    if (words.length === 0) return;
    for (const variant of spokenVariants(words)) {
      this.#exact.add(variant, value, ids);
      this.#maxWords = Math.max(this.#maxWords, variant.length);
    }
    this.#nearestCache.clear();
  }

  /**
   * Adds a name that only holds in the device's own area: "TV" for "Living Room TV" when the
   * speaker is in the living room (or says "the TV in the living room").
   */
  addLocal(words: readonly string[], value: string, ids: readonly string[]): void {
    for (const variant of spokenVariants(words)) {
      const key = variant.join(" ");
      let entry = this.#localNames.get(key);
      if (!entry) {
        entry = { words: variant, names: new Map() };
        this.#localNames.set(key, entry);
      }
      const known = entry.names.get(value);
      if (known) for (const id of ids) if (!known.includes(id)) known.push(id);
      if (!known) entry.names.set(value, [...new Set(ids)]);
    }
    this.#local = undefined;
  }

  /**
   * Adds the words devices numbered alike share ("desk lamp" for Desk Lamp 1 and Desk Lamp 2): said
   * in the plural ("the desk lamps") a name of them all; in the singular, words that mean one of
   * them, so the resolver asks which.
   */
  addNumbered(words: readonly string[], value: string, ids: readonly string[]): void {
    if (words.length === 0) return;
    const said = words.join(" ");
    for (const variant of pluralVariants(words)) {
      if (variant.join(" ") === said) this.#stems.add(variant, value, ids);
      else this.#stemsPlural.add(variant, value, ids);
      this.#maxWords = Math.max(this.#maxWords, variant.length);
    }
  }

  /** Adds words said in the plural that name every one of several devices ("die Leselampen"). */
  addEvery(words: readonly string[], value: string, ids: readonly string[]): void {
    if (words.length === 0) return;
    this.#stemsPlural.add(words, value, ids);
    this.#maxWords = Math.max(this.#maxWords, words.length);
  }

  /**
   * Several devices may share a local name ("TV" in two rooms, "ceiling light" in thirty): one
   * match holding them all, so the resolver can pick the one in the right area or ask which. Its
   * value is the name added last, its ids those of every name, the last added first. Merged once
   * here rather than for every sentence that says the words.
   */
  #localList(): ValueList {
    if (this.#local) return this.#local;
    const list = new ValueList("local");
    for (const { words, names } of this.#localNames.values()) {
      const entries = [...names].reverse();
      const [first] = entries;
      if (!first) continue;
      const ids = new Set<string>();
      for (const [, own] of entries) for (const id of own) ids.add(id);
      list.add(words, first[0], [...ids]);
    }
    this.#local = list;
    return list;
  }

  example(): string[] | undefined {
    return this.#exact.example();
  }

  /**
   * Any word but a joiner, which only a name said word for word holds ("Salt and Pepper Lamp"):
   * neither a near miss nor an unknown name spans one.
   */
  takes(word: string): boolean {
    if (!this.bounds.joiners.has(word)) return true;
    return (
      this.#exact.takes(word) ||
      this.#stems.takes(word) ||
      this.#stemsPlural.takes(word) ||
      this.#localList().takes(word)
    );
  }

  #exactAndLocal(tokens: readonly string[], start: number): readonly ListMatch[] {
    const exact = this.#exact.match(tokens, start, "exact");
    const stems = this.#stems.match(tokens, start, "exact");
    const every = this.#stemsPlural.match(tokens, start, "exact");
    const local = this.#localList().match(tokens, start, "exact");
    if (stems.length > 0 || every.length > 0) return [...exact, ...local, ...stems, ...every];
    // Most positions open no area-local name: nothing to join.
    if (local.length === 0) return exact;
    if (exact.length === 0) return local;
    return [...exact, ...local];
  }

  match(tokens: readonly string[], start: number, mode: MatchMode): readonly ListMatch[] {
    if (mode === "exact") return this.#exactAndLocal(tokens, start);
    const { joiners, articles, prepositions } = this.bounds;
    if (mode === "wildcard") {
      // Never let "the" start an unknown name: "the garage heater" is "garage heater". Nor a
      // preposition: "near the door" is where a device is, not its name.
      const first = tokens[start] as string;
      if (articles.has(first) || prepositions.has(first)) return this.#exactAndLocal(tokens, start);
      const out: ListMatch[] = [...this.#exactAndLocal(tokens, start)];
      const last = Math.min(tokens.length, start + this.maxUnknownWords);
      for (let end = last; end > start; end--) {
        const final = tokens[end - 1] as string;
        if (joiners.has(final)) continue;
        // Nor end one with a preposition or an article: "turn on the lamp by the bed" names no
        // "lamp by" but, whole, "lamp by the bed". A name that holds one ("Light by the door") is
        // a known name, matched whole above.
        if (prepositions.has(final) || articles.has(final)) continue;
        if (spansAny(tokens, start, end, joiners)) continue;
        const text = joinTokens(tokens, start, end);
        out.push(new ListMatch(end, text, text, undefined, "unknown"));
      }
      return out;
    }
    const out: ListMatch[] = [];
    const last = Math.min(tokens.length, start + this.#maxWords + 1);
    if (articles.has(tokens[start] as string)) return NO_MATCHES;
    for (let end = last; end > start; end--) {
      // A name does not span "and" ("the lamp and close the blinds" is two commands).
      if (spansAny(tokens, start, end, joiners)) continue;
      const text = joinTokens(tokens, start, end);
      const found = this.#nearestCached(text);
      if (!found) continue;
      // "The kitchen lights less": how much, said after a name, is no part of a name misheard.
      if (found.score < 1 && spansAny(tokens, start, end, this.compared)) continue;
      // One match for every name of the key, as exact words are (see #exact).
      const entries = this.#byKey.get(found.key) ?? [];
      const [first] = entries;
      if (!first) continue;
      const ids = entries.length === 1 ? [...first.ids] : [...new Set(entries.flatMap((x) => [...x.ids]))];
      out.push(new ListMatch(end, first.value, text, ids, found.score < 1 ? "fuzzy" : undefined));
    }
    return out.length > 0 ? out : NO_MATCHES;
  }

  /**
   * The closest name key to the sound-alike key of `text` within the threshold (cached).
   * Candidates come from a trigram index: an edit changes at most three trigrams, so a key sharing
   * too few trigrams cannot be close enough, and only a handful of Levenshtein distances are
   * computed even with a thousand names.
   */
  #nearestCached(text: string): { key: string; score: number } | undefined {
    // Keyed by the words said, not their sound-alike key: a repeated span then costs no regular
    // expressions either.
    const cached = this.#nearestCache.get(text);
    if (cached !== undefined) return cached ?? undefined;
    const found = this.#nearest(phoneticKey(text));
    if (this.#nearestCache.size >= 4096) this.#nearestCache.clear();
    this.#nearestCache.set(text, found ?? null);
    return found;
  }

  #nearest(key: string): { key: string; score: number } | undefined {
    if (this.#byKey.has(key)) return { key, score: 1 };
    if (!this.#keys || !this.#trigrams || !this.#counts || !this.#touched || !this.#digits) this.#index();
    const keys = this.#keys as string[];
    const index = this.#trigrams as Map<string, number[]>;
    const counts = this.#counts as Int32Array;
    const touched = this.#touched as Int32Array;
    const keyDigits = this.#digits as string[];
    const grams = trigrams(key);
    // The epsilon keeps 1.9999… (floating point for 2) from flooring to 1 at the threshold itself.
    const maxEdits = Math.floor((1 - this.threshold) * (key.length / this.threshold) + 1e-9);
    const needed = Math.max(1, grams.length - 3 * maxEdits);
    let touchedCount = 0;
    for (const g of grams) {
      const holding = index.get(g);
      if (!holding) continue;
      for (const i of holding) {
        if (counts[i] === 0) touched[touchedCount++] = i;
        counts[i] = (counts[i] as number) + 1;
      }
    }
    let best: { key: string; score: number } | undefined;
    // Numbers are never near misses of each other: "light 3" is not "Light 2".
    const digits = digitsOf(key);
    for (let t = 0; t < touchedCount; t++) {
      const i = touched[t] as number;
      const n = counts[i] as number;
      counts[i] = 0;
      if (n < needed) continue;
      const candidate = keys[i] as string;
      if (keyDigits[i] !== digits) continue;
      if (Math.abs(candidate.length - key.length) > maxEdits) continue;
      const score = similarity(key, candidate);
      if (score >= this.threshold && (!best || score > best.score)) best = { key: candidate, score };
    }
    return best;
  }

  #index(): void {
    const keys = [...this.#byKey.keys()];
    const index = new Map<string, number[]>();
    keys.forEach((k, i) => {
      for (const g of new Set(trigrams(k))) {
        const list = index.get(g);
        if (list) list.push(i);
        else index.set(g, [i]);
      }
    });
    this.#keys = keys;
    this.#digits = keys.map(digitsOf);
    this.#trigrams = index;
    this.#counts = new Int32Array(keys.length);
    this.#touched = new Int32Array(keys.length);
  }
}

/** The numbers in a key ("2" for "lit2"): a near miss never changes them. */
function digitsOf(key: string): string {
  return key.replace(/\D+/g, " ").trim();
}

/** Character trigrams of a key, padded so short keys have some. */
function trigrams(key: string): string[] {
  const padded = `  ${key} `;
  const out: string[] = [];
  for (let i = 0; i + 3 <= padded.length; i++) out.push(padded.slice(i, i + 3));
  return out;
}

/** Whether tokens `start` … `end - 1` include a word of `words`. */
function spansAny(
  tokens: readonly string[],
  start: number,
  end: number,
  words: ReadonlySet<string>,
): boolean {
  for (let i = start; i < end; i++) if (words.has(tokens[i] as string)) return true;
  return false;
}

/** `tokens.slice(start, end).join(" ")` without the intermediate array. */
export function joinTokens(tokens: readonly string[], start: number, end: number): string {
  let text = tokens[start] as string;
  for (let i = start + 1; i < end; i++) text += ` ${tokens[i] as string}`;
  return text;
}

/** The singular and plural forms of a name's last word ("kitchen light" ↔ "kitchen lights"). */
export function pluralVariants(words: readonly string[]): string[][] {
  const last = words[words.length - 1] as string;
  const head = words.slice(0, -1);
  const forms = new Set<string>([last]);
  if (/^\d/.test(last)) return [[...words]];
  if (/(s|x|z|ch|sh)$/.test(last)) forms.add(`${last}es`);
  else if (/[^aeiou]y$/.test(last)) forms.add(`${last.slice(0, -1)}ies`);
  else forms.add(`${last}s`);
  if (/ies$/.test(last)) forms.add(`${last.slice(0, -3)}y`);
  else if (/(ches|shes|xes|sses)$/.test(last)) forms.add(last.slice(0, -2));
  else if (/[^s]s$/.test(last) && last.length > 3) forms.add(last.slice(0, -1));
  return [...forms].map((f) => [...head, f]);
}

/**
 * The ways a name is said: its plurals, and for a name spelt with letters apart ("A/C", "T.V.
 * Lamp", tokenized "a c", "t v lamp") those of the letters said as one word ("ac", "tv lamp"), as
 * people write and speech-to-text hears them.
 */
function spokenVariants(words: readonly string[]): string[][] {
  const out = pluralVariants(words);
  const joined: string[] = [];
  let run = "";
  for (const w of words) {
    if (w.length === 1 && /^[a-z]$/.test(w)) {
      run += w;
      continue;
    }
    if (run) joined.push(run);
    run = "";
    joined.push(w);
  }
  if (run) joined.push(run);
  // Only a run of two letters or more changes anything.
  if (joined.length === words.length) return out;
  return [...out, ...pluralVariants(joined)];
}

/** A rough English sound-alike key, so "lite" meets "light" and "hallway" meets "hall way". */
export function phoneticKey(text: string): string {
  return text
    .replace(/igh/g, "i")
    .replace(/ph/g, "f")
    .replace(/ck/g, "k")
    .replace(/c(?=[aou])/g, "k")
    .replace(/([a-z])\1+/g, "$1")
    .replace(/e\b/g, "")
    .replace(/ /g, "");
}

/** 1 − normalised Levenshtein distance. */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return 0;
  // One row of the distance table, overwritten in place: `diagonal` keeps the previous row's
  // value at j - 1 (run for every candidate of a near-miss look-up, so one array, not two a row).
  const row = new Array<number>(m + 1);
  for (let j = 0; j <= m; j++) row[j] = j;
  for (let i = 1; i <= n; i++) {
    let diagonal = row[0] as number;
    row[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= m; j++) {
      const above = row[j] as number;
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return 1 - (row[m] as number) / Math.max(n, m);
}

/**
 * Durations ("5 minutes", "an hour and a half"): fills `hours`/`minutes`/`seconds` (or, for
 * `{duration:start}`, `start_hours`/…) the way Home Assistant's timer intents expect.
 */
export class DurationList implements SlotList {
  example(): string[] {
    return ["5", "minutes"];
  }

  match(tokens: readonly string[], start: number): readonly ListMatch[] {
    const durations = parseDuration(tokens, start);
    if (durations.length === 0) return NO_MATCHES;
    const out: ListMatch[] = [];
    for (const d of durations) {
      const extra: Record<string, SlotValue> = {};
      if (d.hours !== undefined) extra.hours = d.hours;
      if (d.minutes !== undefined) extra.minutes = d.minutes;
      if (d.seconds !== undefined) extra.seconds = d.seconds;
      const total = (d.hours ?? 0) * 3600 + (d.minutes ?? 0) * 60 + (d.seconds ?? 0);
      out.push(new ListMatch(d.end, total, joinTokens(tokens, start, d.end), undefined, undefined, extra));
    }
    return out;
  }
}
