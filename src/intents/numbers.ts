/**
 * English number words → digit tokens, so templates, device names ("Light 2") and spoken sentences
 * ("light two") meet in one form. Works on the lower-case word tokens of `tokenize()`.
 */

/** Words that are a whole number below ten, including zero. */
const UNITS: ReadonlyMap<string, number> = new Map([
  ["zero", 0],
  ["one", 1],
  ["two", 2],
  ["three", 3],
  ["four", 4],
  ["five", 5],
  ["six", 6],
  ["seven", 7],
  ["eight", 8],
  ["nine", 9],
]);

const TEENS: ReadonlyMap<string, number> = new Map([
  ["ten", 10],
  ["eleven", 11],
  ["twelve", 12],
  ["thirteen", 13],
  ["fourteen", 14],
  ["fifteen", 15],
  ["sixteen", 16],
  ["seventeen", 17],
  ["eighteen", 18],
  ["nineteen", 19],
]);

const TENS: ReadonlyMap<string, number> = new Map([
  ["twenty", 20],
  ["thirty", 30],
  ["forty", 40],
  ["fifty", 50],
  ["sixty", 60],
  ["seventy", 70],
  ["eighty", 80],
  ["ninety", 90],
]);

const SCALES: ReadonlyMap<string, number> = new Map([
  ["thousand", 1e3],
  ["million", 1e6],
  ["billion", 1e9],
]);

/**
 * Ordinal words. A number run followed by one is left alone as a whole ("twenty first", "one
 * hundredth"), so an ordinal never turns into a half-converted "20 first". "second" is missing on
 * purpose: "one second" / "twenty second" are far more often durations than dates to a voice assistant.
 */
const ORDINALS: ReadonlySet<string> = new Set([
  "first",
  "third",
  "fourth",
  "fifth",
  "sixth",
  "seventh",
  "eighth",
  "ninth",
  "tenth",
  "eleventh",
  "twelfth",
  "thirteenth",
  "fourteenth",
  "fifteenth",
  "sixteenth",
  "seventeenth",
  "eighteenth",
  "nineteenth",
  "twentieth",
  "thirtieth",
  "fortieth",
  "fiftieth",
  "sixtieth",
  "seventieth",
  "eightieth",
  "ninetieth",
  "hundredth",
  "thousandth",
  "millionth",
  "billionth",
]);

/** Every English number word the tokenizer turns into digits ("five", "twenty", "hundred"). */
export const ENGLISH_NUMBER_WORDS: readonly string[] = [
  ...UNITS.keys(),
  ...TEENS.keys(),
  ...TENS.keys(),
  "hundred",
  ...SCALES.keys(),
];

/** What the previous word of a run was: decides which words may follow. */
type Prev = "zero" | "unit" | "teen" | "tens" | "hundred" | "scale";

/** Whether `word` is a number word that can follow "and" inside a number ("hundred and five"). */
function isSmall(word: string | undefined): boolean {
  if (word === undefined) return false;
  const unit = UNITS.get(word);
  return (unit !== undefined && unit > 0) || TEENS.has(word) || TENS.has(word);
}

interface Run {
  /** Index after the run. */
  end: number;
  /** The digit token that replaces it. */
  text: string;
}

/** The longest number spelled out in words starting at `start`, or undefined if none starts there. */
function readNumber(tokens: readonly string[], start: number): Run | undefined {
  const first = tokens[start];
  if (first === undefined) return undefined;
  const firstUnit = UNITS.get(first);
  const firstSmall = firstUnit ?? TEENS.get(first) ?? TENS.get(first);
  if (firstSmall === undefined) return undefined;

  // Completed "x thousand" / "x million" parts, and the group below a thousand being read.
  let total = 0;
  let group = firstSmall;
  let lastScale = Number.POSITIVE_INFINITY;
  let hasHundred = false;
  let groupStart = start;
  let prev: Prev =
    firstUnit === 0 ? "zero" : firstUnit !== undefined ? "unit" : TEENS.has(first) ? "teen" : "tens";
  let i = start + 1;

  for (;;) {
    let word = tokens[i];
    if (word === undefined) break;
    let next = i + 1;
    // "and" belongs to the number only between a hundred/thousand and the rest: "one hundred and five".
    if (word === "and") {
      if ((prev !== "hundred" && prev !== "scale") || !isSmall(tokens[i + 1])) break;
      word = tokens[i + 1] as string;
      next = i + 2;
    }
    const unit = UNITS.get(word);
    const small = TEENS.get(word) ?? TENS.get(word);
    const scale = SCALES.get(word);

    if (unit !== undefined && unit > 0 && (prev === "tens" || prev === "hundred" || prev === "scale")) {
      if (prev === "scale") groupStart = i;
      group += unit;
      prev = "unit";
    } else if (small !== undefined && (prev === "hundred" || prev === "scale")) {
      if (prev === "scale") groupStart = i;
      group += small;
      prev = TEENS.has(word) ? "teen" : "tens";
    } else if (
      word === "hundred" &&
      !hasHundred &&
      (prev === "unit" || prev === "teen" || prev === "tens") &&
      // "fifteen hundred" / "twenty one hundred" only as a whole number, not after "two thousand".
      (group < 10 || total === 0)
    ) {
      group *= 100;
      hasHundred = true;
      prev = "hundred";
    } else if (scale !== undefined && prev !== "zero" && prev !== "scale" && group > 0) {
      if (scale >= lastScale) {
        // "two thousand three thousand": the second group starts a number of its own.
        return { end: groupStart, text: String(total) };
      }
      total += group * scale;
      group = 0;
      lastScale = scale;
      hasHundred = false;
      prev = "scale";
    } else {
      break;
    }
    i = next;
  }

  if (ORDINALS.has(tokens[i] ?? "")) return undefined;
  const integer = total + group;
  const decimals = readDecimals(tokens, i);
  if (decimals) return { end: decimals.end, text: `${integer}.${decimals.text}` };
  return { end: i, text: String(integer) };
}

/**
 * "point five" → "5", "point two five" → "25", "point twenty five" → "25": the digits after a decimal
 * point, starting at the "point" token.
 */
function readDecimals(tokens: readonly string[], at: number): Run | undefined {
  if (tokens[at] !== "point") return undefined;
  let digits = "";
  let i = at + 1;
  const tens = TENS.get(tokens[i] ?? "") ?? TEENS.get(tokens[i] ?? "");
  if (tens !== undefined) {
    let value = tens;
    i++;
    const unit = UNITS.get(tokens[i] ?? "");
    if (tens >= 20 && unit !== undefined && unit > 0) {
      value += unit;
      i++;
    }
    digits = String(value);
  } else {
    for (let digit = UNITS.get(tokens[i] ?? ""); digit !== undefined; digit = UNITS.get(tokens[i] ?? "")) {
      digits += String(digit);
      i++;
    }
  }
  if (digits === "" || ORDINALS.has(tokens[i] ?? "")) return undefined;
  return { end: i, text: digits };
}

/**
 * Replaces each run of English number words with one digit token: "twenty one" → "21", "one hundred
 * and five" → "105", "two thousand twenty" → "2020", "twenty one point five" → "21.5". Digit tokens pass
 * through; "a hundred" is 100. Left as words: "a"/"an" elsewhere, "half", "quarter", "oh", ordinals ("twenty
 * first"), and a lone "hundred"/"thousand". Two numbers said back to back stay two ("twenty twenty
 * one" → "20", "21"): guessing years is the caller's business.
 */
export function normalizeNumbers(tokens: readonly string[]): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < tokens.length) {
    let run = readNumber(tokens, i);
    // "a hundred percent", "a thousand": "a" is "one" only right before a scale word.
    if (!run && tokens[i] === "a" && (tokens[i + 1] === "hundred" || tokens[i + 1] === "thousand")) {
      const asOne = readNumber(["one", ...tokens.slice(i + 1)], 0);
      if (asOne) run = { end: asOne.end + i, text: asOne.text };
    }
    if (run) {
      out.push(run.text);
      i = run.end;
    } else {
      out.push(tokens[i] as string);
      i++;
    }
  }
  return out;
}
