import { normalizeNumbers } from "./numbers.js";

/**
 * Turns text into the lower-case word tokens the template matcher works on. Sentences, template
 * words and device names all go through this one function, so they always agree: "Kid's Room" and
 * "kids room" both become ["kids", "room"], "Light 2" and "light two" both ["light", "2"].
 */
export function tokenize(text: string): string[] {
  return tokenizeWith(text, normalizeNumbers);
}

/**
 * `tokenize` with another language's number words (`numbers` turns runs of them into digit
 * tokens); everything else (case, punctuation, units) is the same in every language.
 */
export function tokenizeWith(text: string, numbers: (tokens: readonly string[]) => string[]): string[] {
  // Speech-to-text's usual output (lower-case words and digits, single spaces) is already clean:
  // the ten rewrites below would each copy it for nothing, several times for every sentence.
  const cleaned = PLAIN.test(text) ? text : clean(text);
  const words = cleaned.split(" ").filter((w) => w.length > 0);
  // Split glued number+unit tokens such as "5min" or "20c" only where a unit follows digits.
  const split: string[] = [];
  for (const w of words) {
    const m = GLUED.exec(w);
    if (m?.[1] && m[2] && !ORDINAL.test(m[2])) split.push(m[1], m[2]);
    else split.push(w);
  }
  return numbers(split);
}

// Made once: a regular expression literal in a loop is a new object on every pass.
/**
 * "'s" for "is" after a noun, before "too", "far", "way" …, before "done", "ready" or "finished"
 * ("till the pizza's done", "the dryer's finished") and before "still" ("the porch light's still
 * on"), and before how a door or a lock is ("check the garage door's locked") (not "it's",
 * "what's", "that's": their templates say "its").
 */
const IS_CONTRACTED =
  /\b(?!(?:it|that|what|whats|who|where|how|there|here|he|she|let)[’'`]s)(\p{L}{2,})[’'`]s (too|far|way|much|rather|really|very|awfully|terribly|a bit|a little|not loud|not bright|done|ready|finished|cooked|still|locked|unlocked|closed|shut)\b/gu;
const GLUED = /^(\d+(?:\.\d+)?)([a-z]+)$/;
const ORDINAL = /^(st|nd|rd|th)$/;

/**
 * Lower-case words and digits separated by single spaces: what `clean` leaves unchanged. German's
 * "ä", "ö", "ü" and "ß" are among them (each its own NFKC form and lower case already), so German
 * speech-to-text output is not copied through every rewrite either.
 */
const PLAIN = /^[a-z0-9äöüß]+(?: [a-z0-9äöüß]+)*$/;

/** Case, units and punctuation normalised (see tokenizeWith). */
function clean(text: string): string {
  return (
    text
      .normalize("NFKC")
      .toLowerCase()
      // "The lamp's far too harsh", "the radio's too loud": "is" before a word that only follows
      // it, so the device's name stays as it is written (not "lamps").
      .replace(IS_CONTRACTED, "$1 is $2")
      // Possessives and contractions: "kid's" → "kids", "what's" → "whats", "kids'" → "kids".
      .replace(/[’'`]/g, "")
      .replace(/%/g, " percent ")
      .replace(/°\s*c\b/g, " degrees ")
      .replace(/°\s*f\b/g, " degrees ")
      .replace(/°/g, " degrees ")
      .replace(/&/g, " and ")
      // Keep decimal points between digits ("21.5"), drop other punctuation.
      // (A decimal point is parked as "ǂ", a letter the punctuation filter keeps, then restored.)
      .replace(/(\d)[.,](\d)/g, "$1ǂ$2")
      .replace(/[^\p{L}\p{N}]+/gu, " ")
      .replace(/ǂ/g, ".")
  );
}

/**
 * German's "'s" glued to the word before it, spelt out: "gibt's" is "gibt es", "wie spät ist's"
 * "wie spät ist es", and before a noun (written with a capital) the article: "mach's Licht an" is
 * "mach das Licht an". A capitalised word inside the sentence ("Lena's Zimmer") is a name whose "'s"
 * is the genitive, left to the tokenizer ("lenas"). Colloquial "is" is "ist" ("is's kalt draußen").
 */
export function spellOutGermanContractions(text: string): string {
  const spelt = APOSTROPHE.test(text) ? spellOutS(text) : text;
  return IS_ANYWHERE.test(spelt) ? spelt.replace(IS, (is: string) => (is === "Is" ? "Ist" : "ist")) : spelt;
}

function spellOutS(text: string): string {
  return text.replace(GERMAN_S, (all, word: string, next: string, at: number) => {
    const first = text.slice(0, at).trim() === "" || /[.!?,:;]\s*$/.test(text.slice(0, at));
    if (!first && /^\p{Lu}/u.test(word)) return all;
    // "gibt's Bewegung im Flur": "es gibt" takes its noun without an article.
    const article = /^\p{Lu}/u.test(next) && !ES_GIBT.test(word) ? "das" : "es";
    return `${word} ${article}${next ? ` ${next}` : ""}`;
  });
}

const APOSTROPHE = /['’`]s\b/;
const ES_GIBT = /^(gibt|gab|gäbe|gäb)$/i;
const IS = /(?<![\p{L}'’`])[Ii]s(?!\p{L})/gu;
// Without the global flag: test() on a global expression carries lastIndex from call to call.
const IS_ANYWHERE = /(?<![\p{L}'’`])[Ii]s(?!\p{L})/u;
/** A word, "'s", and the word after it (if any). */
const GERMAN_S = /(\p{L}+)['’`]s\b\s*(\p{L}*)/gu;

/** Tokens joined back into the canonical spoken form ("kids room"). */
export function canonical(text: string): string {
  return tokenize(text).join(" ");
}
