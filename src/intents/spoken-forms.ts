/**
 * Words as people say them in a region, read as the standard words the sentences are written in,
 * word for word (issue 12): Bavarian, Swiss or Rhineland German "mach amal s Licht an", "dat Licht",
 * "a bissl heller", "hamma heut", "is die Tür zugsperrt". The words are the sentence files' data
 * (`spoken_forms:` and `clipped_prefix:`, see sentences.ts); the language's tokenizer applies them,
 * so sentences, templates and device names read a regional form as one more spelling of its
 * standard word, never as a word of its own.
 */

/** A prefix said without a sound of it before some letters (German "gsagt" for "gesagt"). */
export interface ClippedPrefix {
  /** The prefix as said ("g"). */
  said: string;
  /** The prefix in the standard words ("ge"). */
  standard: string;
  /** Words it may follow within one word, "" for none (separable particles: "zugsperrt"). */
  after: readonly string[];
  /** The letters that may follow it. */
  before: string;
  /** How the word must end (a participle's "t", "en"). */
  endings: readonly string[];
}

/** The spoken forms of a language's sentence files. */
export interface SpokenForms {
  /** Regional words or phrases and the standard words they are read as. */
  words: ReadonlyArray<readonly [string, string]>;
  clippedPrefix?: ClippedPrefix | undefined;
}

const literal = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");

/** A function that reads tokens' spoken forms as their standard words (see the module). */
export function standardWords(forms: SpokenForms): (tokens: readonly string[]) => string[] {
  // The phrases as token lists, by first word, longest first.
  const byFirst = new Map<string, Array<readonly [readonly string[], readonly string[]]>>();
  for (const [from, to] of forms.words) {
    const words = from.split(" ");
    const first = words[0] as string;
    const list = byFirst.get(first) ?? [];
    list.push([words, to.split(" ")]);
    byFirst.set(first, list);
  }
  for (const list of byFirst.values()) list.sort((a, b) => b[0].length - a[0].length);
  const c = forms.clippedPrefix;
  const clipped =
    c &&
    new RegExp(
      `^(${c.after.map(literal).join("|")})${literal(c.said)}([${literal(c.before)}]\\p{L}*(?:${c.endings.map(literal).join("|")}))$`,
      "u",
    );
  return (tokens) => {
    const out: string[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const word = tokens[i] as string;
      const phrase = byFirst.get(word)?.find(([from]) => from.every((w, k) => tokens[i + k] === w));
      if (phrase) {
        const [from, to] = phrase;
        out.push(...to);
        i += from.length - 1;
        continue;
      }
      const m = clipped?.exec(word);
      out.push(m && c ? `${m[1] ?? ""}${c.standard}${m[2] ?? ""}` : word);
    }
    return out;
  };
}
