/**
 * German number words → digit tokens ("einundzwanzig" → "21", "zwanzig Komma fünf" → "20.5"), the
 * German counterpart of `normalizeNumbers`: Home Assistant's ranges accept numbers said in words in
 * the pack's language. German writes numbers below a million as one word, so most of the work is
 * taking one token apart.
 */

const UNITS: ReadonlyMap<string, number> = new Map([
  ["null", 0],
  ["eins", 1],
  ["ein", 1],
  ["zwei", 2],
  ["zwo", 2],
  ["drei", 3],
  ["vier", 4],
  ["fünf", 5],
  ["sechs", 6],
  ["sieben", 7],
  ["acht", 8],
  ["neun", 9],
]);

const TEENS: ReadonlyMap<string, number> = new Map([
  ["zehn", 10],
  ["elf", 11],
  ["zwölf", 12],
  ["dreizehn", 13],
  ["vierzehn", 14],
  ["fünfzehn", 15],
  ["sechzehn", 16],
  ["siebzehn", 17],
  ["achtzehn", 18],
  ["neunzehn", 19],
]);

const TENS: ReadonlyMap<string, number> = new Map([
  ["zwanzig", 20],
  ["dreißig", 30],
  ["dreissig", 30],
  ["vierzig", 40],
  ["fünfzig", 50],
  ["sechzig", 60],
  ["siebzig", 70],
  ["achtzig", 80],
  ["neunzig", 90],
]);

/** German number words on their own ("fünf", "zwanzig"), as the tokenizer turns them into digits. */
export const GERMAN_NUMBER_WORDS: readonly string[] = [...UNITS.keys(), ...TEENS.keys(), ...TENS.keys()];

/** The first word of `words` for each number, as `spokenGermanNumber` says it. */
function firstWords(words: ReadonlyMap<string, number>): ReadonlyMap<number, string> {
  const out = new Map<number, string>();
  for (const [word, n] of words) if (!out.has(n)) out.set(n, word);
  return out;
}
const SAY_UNIT = firstWords(UNITS);
const SAY_TEEN = firstWords(TEENS);
const SAY_TENS = firstWords(TENS);

/**
 * A number as German speakers say it, for speech grammars, from the words `germanWordValue` reads
 * (its inverse for the numbers Hearth uses): 21 → "einundzwanzig", 105 → "hundertfünf", 1200 →
 * "tausendzweihundert", 21.5 → "einundzwanzig komma fünf".
 */
export function spokenGermanNumber(n: number): string {
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`cannot say ${n}`);
  const [whole, fraction] = String(n).split(".");
  const words = spokenGermanInteger(Number(whole));
  if (!fraction) return words;
  return `${words} komma ${[...fraction].map((d) => SAY_UNIT.get(Number(d))).join(" ")}`;
}

function spokenGermanInteger(n: number): string {
  if (n < 10) return SAY_UNIT.get(n) as string;
  if (n < 20) return SAY_TEEN.get(n) as string;
  if (n < 100) {
    const unit = n % 10;
    const tens = SAY_TENS.get(n - unit) as string;
    // "einundzwanzig": the unit one is "ein" inside a word.
    return unit === 0 ? tens : `${unit === 1 ? "ein" : SAY_UNIT.get(unit)}und${tens}`;
  }
  if (n < 1000) return `${within(Math.floor(n / 100))}hundert${rest(n % 100)}`;
  if (n < 1_000_000) return `${within(Math.floor(n / 1000))}tausend${rest(n % 1000)}`;
  throw new RangeError(`cannot say ${n}`);
}

/** A count of hundreds or thousands: none said for one ("hundert", "tausend"), "ein" never alone. */
function within(n: number): string {
  return n === 1 ? "" : spokenGermanInteger(n);
}

/** What follows "hundert" or "tausend": "eins" for one ("hunderteins"), nothing for none. */
function rest(n: number): string {
  return n === 0 ? "" : spokenGermanInteger(n);
}

/** "ein", "eine", "einen"… are articles far more often than numbers: 1 only before a unit. */
const ARTICLE_ONE = new Set(["ein", "eine", "einen", "einem", "einer"]);
const UNIT_WORDS = new Set([
  "sekunde",
  "sekunden",
  "minute",
  "minuten",
  "stunde",
  "stunden",
  "grad",
  "prozent",
  "percent",
  "degrees",
]);

/** Below a hundred: "fünf", "zwölf", "dreiundvierzig", "zwanzig". */
function below100(word: string): number | undefined {
  if (word === "") return undefined;
  if (word !== "ein") {
    const u = UNITS.get(word);
    if (u !== undefined) return u;
  }
  const t = TEENS.get(word) ?? TENS.get(word);
  if (t !== undefined) return t;
  // "dreiundvierzig": a unit, "und", and tens (every tens word ends in "zig", "ßig" or "ssig").
  // Looked at only where it can be one: "stunden" and "sekunden" also hold an "und", and every
  // sentence's words come through here.
  if (!word.endsWith("zig") && !word.endsWith("ßig") && !word.endsWith("ssig")) return undefined;
  const und = word.indexOf("und", 1);
  if (und < 0) return undefined;
  const unit = UNITS.get(word.slice(0, und));
  const tens = TENS.get(word.slice(und + 3));
  if (unit !== undefined && unit > 0 && tens !== undefined) return tens + unit;
  return undefined;
}

const HALF = "einhalb";

/** Below a million, one word: "hundert", "zweihundertfünf", "tausendzweihundert", "dreitausend". */
export function germanWordValue(word: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(word)) return Number(word);
  // "einundzwanzigeinhalb", "zweieinhalb": a half more. Not "eineinhalb", which the sentences say as
  // words ("eineinhalb Stunden").
  if (word.endsWith(HALF) && word.length > HALF.length) {
    const whole = word.slice(0, -HALF.length);
    const n = whole === "ein" ? undefined : germanWordValue(whole);
    return n === undefined || !Number.isInteger(n) ? undefined : n + 0.5;
  }
  let rest = word;
  let total = 0;
  const thousand = rest.indexOf("tausend");
  if (thousand >= 0) {
    const head = rest.slice(0, thousand);
    const n = head === "" || head === "ein" ? 1 : below1000(head);
    if (n === undefined || n === 0) return undefined;
    total += n * 1000;
    rest = rest.slice(thousand + "tausend".length);
    if (rest === "") return total;
  }
  const n = below1000(rest);
  return n === undefined ? undefined : total + n;
}

function below1000(word: string): number | undefined {
  const hundred = word.indexOf("hundert");
  if (hundred < 0) return below100(word);
  const head = word.slice(0, hundred);
  const h = head === "" || head === "ein" ? 1 : UNITS.get(head);
  if (h === undefined || h === 0) return undefined;
  const tail = word.slice(hundred + "hundert".length);
  if (tail === "") return h * 100;
  const t = tail === "eins" ? 1 : below100(tail);
  return t === undefined ? undefined : h * 100 + t;
}

/** Replaces German number words (and "X Komma Y") with digit tokens; other tokens pass through. */
export function normalizeGermanNumbers(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as string;
    let n = germanWordValue(t);
    if (n === undefined && ARTICLE_ONE.has(t) && UNIT_WORDS.has(tokens[i + 1] ?? "")) n = 1;
    if (n === undefined) {
      out.push(t);
      continue;
    }
    // "einundzwanzig Komma fünf" → 21.5
    const after = tokens[i + 2];
    if (tokens[i + 1] === "komma" && after !== undefined && Number.isInteger(n)) {
      const d = /^\d+$/.test(after) ? after : germanDigits(after);
      if (d !== undefined) {
        out.push(`${n}.${d}`);
        i += 2;
        continue;
      }
    }
    out.push(String(n));
  }
  return out;
}

function germanDigits(word: string): string | undefined {
  const n = below100(word);
  return n === undefined ? undefined : String(n);
}
