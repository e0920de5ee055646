const ONES = [
  "zero",
  "one",
  "two",
  "three",
  "four",
  "five",
  "six",
  "seven",
  "eight",
  "nine",
  "ten",
  "eleven",
  "twelve",
  "thirteen",
  "fourteen",
  "fifteen",
  "sixteen",
  "seventeen",
  "eighteen",
  "nineteen",
];
const TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

/**
 * A number as people say it, for speech grammars: 21 → "twenty one", 105 → "one hundred five",
 * 21.5 → "twenty one point five". The inverse of `normalizeNumbers` for the numbers Hearth uses.
 */
export function spokenNumber(n: number): string {
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`cannot say ${n}`);
  const [whole, fraction] = String(n).split(".");
  const words = spokenInteger(Number(whole));
  if (!fraction) return words;
  return `${words} point ${spokenDigits(fraction)}`;
}

/** Digits said one by one, as after a decimal point: "05" → "zero five". */
export function spokenDigits(digits: string): string {
  return [...digits].map((d) => ONES[Number(d)]).join(" ");
}

/** A whole number in words (105 → "one hundred five"); a RangeError past 999 999. */
export function spokenInteger(n: number): string {
  if (n < 20) return ONES[n] as string;
  if (n < 100) return n % 10 === 0 ? (TENS[n / 10] as string) : `${TENS[Math.floor(n / 10)]} ${ONES[n % 10]}`;
  if (n < 1000) {
    const rest = n % 100;
    return `${ONES[Math.floor(n / 100)]} hundred${rest ? ` ${spokenInteger(rest)}` : ""}`;
  }
  if (n < 1_000_000) {
    const rest = n % 1000;
    return `${spokenInteger(Math.floor(n / 1000))} thousand${rest ? ` ${spokenInteger(rest)}` : ""}`;
  }
  throw new RangeError(`cannot say ${n}`);
}
