/**
 * A sentence's clauses and the words said around its command: splitting a sentence into clauses,
 * removing openers ("hey hearth"), closers ("darling") and skip words ("please") with the phrases
 * the sentence files give, words said twice said once, where a correction was said, and whether a
 * sentence only states how a thing is ("the gate's open").
 */
import type { StateRemarks } from "./sentence-words.js";

/**
 * The words said once: a filler between a word and itself dropped ("the um the"), then words or
 * runs of up to three words said twice in a row said once ("the the", "turn on turn on"). Numbers
 * stay as said ("20 20").
 */
export function saidOnce(tokens: readonly string[], fillers: ReadonlySet<string>): string[] {
  let words = tokens.filter(
    (w, i) => !(fillers.has(w) && i > 0 && i < tokens.length - 1 && tokens[i - 1] === tokens[i + 1]),
  );
  for (let n = 3; n >= 1; n--) {
    const out: string[] = [];
    for (let i = 0; i < words.length; i++) {
      let twice = i + 2 * n <= words.length;
      for (let k = 0; twice && k < n; k++) {
        const w = words[i + k] as string;
        twice = w === words[i + n + k] && !/^\d/.test(w);
      }
      if (twice) i += n - 1;
      else out.push(words[i] as string);
    }
    words = out;
  }
  return words;
}

/**
 * The last correction said inside the sentence (`corrections`, longest first, with those said
 * right before it: "no sorry i mean"): where it starts and ends, with at least two words before it
 * and one after; undefined where there is none.
 */
export function correctionAt(
  tokens: readonly string[],
  corrections: readonly string[][],
): { start: number; end: number } | undefined {
  for (let at = tokens.length - 2; at >= 2; at--) {
    const said = corrections.find((c) => startsAt(tokens, c, at));
    if (!said) continue;
    let start = at;
    for (let more = true; more; ) {
      more = false;
      for (const c of corrections)
        if (start - c.length >= 2 && startsAt(tokens, c, start - c.length)) {
          start -= c.length;
          more = true;
          break;
        }
    }
    const end = at + said.length;
    return end < tokens.length ? { start, end } : undefined;
  }
  return undefined;
}

/**
 * Whether a sentence names a thing first and ends in what it is, with no verb to do anything: "the
 * gate's open", "the porch light is on", "the back door was unlocked again" (the language's
 * `state_remarks:`). Speech gives no apostrophe, so "the gates open" and "the garage doors open"
 * say it too: a thing named with its article and then open, closed or locked is a remark, where
 * "the tv on" or "the lamp off please" (on and off with no "is") and "the blind half open" (a
 * position) stay commands. "make sure the porch light's on" opens with its verb and is a command.
 */
export function statesWhatIs(text: string, remarks: StateRemarks | undefined): boolean {
  const m = remarks?.said.exec(text);
  if (!remarks || !m?.groups) return false;
  const { last, verb, state } = m.groups as { last: string; verb?: string; state: string };
  if (verb !== undefined || /['’]s$/u.test(last)) return true;
  return remarks.withoutVerb.has(state.toLowerCase()) && !remarks.degrees.has(last.toLowerCase());
}

/** The clauses of a sentence that hold a word or number, trimmed (`split`: the language's SentenceWords.clauseSplit). */
export function clausesOf(text: string, split: RegExp): string[] {
  return text
    .split(split)
    .map((c) => c.trim())
    .filter((c) => /[\p{L}\p{N}]/u.test(c));
}

/** `tokens` without the longest of `phrases` they open with (none where none opens them). */
export function firstOpenerOff(tokens: readonly string[], phrases: readonly string[][]): string[] {
  let longest = 0;
  for (const p of phrases) if (p.length > longest && startsAt(tokens, p, 0)) longest = p.length;
  return longest === 0 ? [] : tokens.slice(longest);
}

/**
 * Removes openers ("hey hearth", "good morning", "cheers") from the start and the end, and closers
 * ("darling", "for tonight") from the end.
 */
export function stripOpeners(
  tokens: readonly string[],
  phrases: readonly string[][],
  fromStart = true,
  fromEnd = true,
  closers: readonly string[][] = NO_PHRASES,
): string[] {
  let start = 0;
  let end = tokens.length;
  const edges = edgeWordsOf(phrases);
  const closing = edgeWordsOf(closers);
  for (let changed = true; changed; ) {
    // Most sentences open and end with no such phrase: a phrase stands at an edge only where the
    // edge's word is its first (or last) word, so the phrases are gone through only then.
    const at = tokens[start] as string;
    const to = tokens[end - 1] as string;
    if (
      start >= end ||
      (!(fromStart && edges.first.has(at)) && !(fromEnd && edges.last.has(to)) && !closing.last.has(to))
    )
      break;
    changed = false;
    for (const p of phrases) {
      if (fromStart && start + p.length <= end && startsAt(tokens, p, start)) {
        start += p.length;
        changed = true;
      } else if (fromEnd && end - p.length >= start && startsAt(tokens, p, end - p.length)) {
        end -= p.length;
        changed = true;
      }
    }
    for (const p of closers) {
      if (end - p.length >= start && startsAt(tokens, p, end - p.length)) {
        end -= p.length;
        changed = true;
      }
    }
  }
  return tokens.slice(start, end);
}

/**
 * The words that phrases (skip words, openers, closers) begin and end with, worked out once for
 * each list of them: the lists are made when the sentences are compiled and never changed.
 */
/** No phrases: one list, so its edge words are worked out once. */
export const NO_PHRASES: string[][] = [];

const phraseEdges = new WeakMap<readonly string[][], { first: Set<string>; last: Set<string> }>();

function edgeWordsOf(phrases: readonly string[][]): { first: Set<string>; last: Set<string> } {
  let edges = phraseEdges.get(phrases);
  if (!edges) {
    edges = { first: new Set(), last: new Set() };
    for (const p of phrases) {
      const [head] = p;
      if (head === undefined) continue;
      edges.first.add(head);
      edges.last.add(p[p.length - 1] as string);
    }
    phraseEdges.set(phrases, edges);
  }
  return edges;
}

/** Whether `phrase` (not empty) stands in `tokens` at `at`. */
export function startsAt(tokens: readonly string[], phrase: readonly string[], at: number): boolean {
  if (phrase.length === 0) return false;
  for (let j = 0; j < phrase.length; j++) if (tokens[at + j] !== phrase[j]) return false;
  return true;
}

/** Removes skip phrases ("please", "could you", "for me") wherever they appear. */
export function stripSkipWords(tokens: readonly string[], phrases: readonly string[][]): string[] {
  const out: string[] = [];
  const { first } = edgeWordsOf(phrases);
  let i = 0;
  outer: while (i < tokens.length) {
    // A phrase stands here only if it begins with this word: most words begin none.
    if (first.has(tokens[i] as string))
      for (const p of phrases) {
        if (startsAt(tokens, p, i)) {
          i += p.length;
          continue outer;
        }
      }
    out.push(tokens[i] as string);
    i++;
  }
  return out;
}
