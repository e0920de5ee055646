/**
 * A sentence in a regional German (Bavarian, Austrian, Swiss) not understood as said, read again
 * in the standard words (issue 12): "mach des Liacht in da Kuchl o", "is s Velo voll", "dreh den
 * Fernsehkastl ab". Unlike the tokenizer's `spoken_forms:`, which read one word as another
 * everywhere (sentences, templates and names alike), these are words with another meaning in
 * standard German or in a name ("des", "grad", "Velo"): they are read so only where the sentence
 * as said was not understood, and never where a name of the home has the word. The words are the
 * sentence files' `dialect_words:` and `dialect_word_parts:` (see sentences.ts).
 */

/** A language's dialect words, as tokens (see the module). */
export interface DialectWords {
  /** Words or phrases, tokens joined by spaces, and the standard words they are read as. */
  readonly words: ReadonlyMap<string, string>;
  /** Parts of a compound word ("nachtkastl" in "Nachtkastllampe") and the standard part. */
  readonly parts: ReadonlyMap<string, string>;
}

/** The shortest a compound's other part is ("Nachtkastl" alone is a word, not a compound). */
const MIN_REST = 3;

/**
 * `tokens` in the standard words of `dialect`, or nothing where no dialect word is said. A word
 * or phrase is read so only where it is no word of the home's names (`homeWords`; see longestAt):
 * a home that calls its bike "Velo" keeps the word.
 */
export function dialectReading(
  tokens: readonly string[],
  dialect: DialectWords,
  homeWords: ReadonlySet<string>,
): string[] | undefined {
  const out: string[] = [];
  let changed = false;
  for (let i = 0; i < tokens.length; i++) {
    const phrase = longestAt(tokens, i, dialect.words, homeWords);
    if (phrase) {
      const [length, read] = phrase;
      if (read.length > 0) out.push(...read.split(" "));
      i += length - 1;
      changed = true;
      continue;
    }
    const word = tokens[i] as string;
    const part = homeWords.has(word) ? undefined : compoundRead(word, dialect.parts);
    if (part !== undefined) changed = true;
    out.push(part ?? word);
  }
  return changed ? out : undefined;
}

/**
 * The longest phrase of `words` said at `at` that is no words of the home's names (a word alone
 * none, a phrase not all: "da hier drin" is read so in a home with a routine "Ich bin wieder da"):
 * its length and reading.
 */
function longestAt(
  tokens: readonly string[],
  at: number,
  words: ReadonlyMap<string, string>,
  homeWords: ReadonlySet<string>,
): [number, string] | undefined {
  for (let end = Math.min(tokens.length, at + 4); end > at; end--) {
    const said = tokens.slice(at, end);
    const read = words.get(said.join(" "));
    if (read !== undefined && !said.every((w) => homeWords.has(w))) return [end - at, read];
  }
  return undefined;
}

/** A compound word with a dialect part at its start or end, that part read in the standard words. */
function compoundRead(word: string, parts: ReadonlyMap<string, string>): string | undefined {
  for (const [said, read] of parts) {
    if (word === said) return read;
    if (word.length - said.length < MIN_REST) continue;
    if (word.startsWith(said)) return read + word.slice(said.length);
    if (word.endsWith(said)) return word.slice(0, -said.length) + read;
  }
  return undefined;
}
