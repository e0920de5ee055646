/**
 * Spoken durations ("5 minutes", "an hour and a half", "2 hours 30 minutes") over number-normalised,
 * lower-case word tokens, in Home Assistant's timer slot shape (hours / minutes / seconds).
 */

/** One way a duration can be read from the tokens: the index after it and its parts as said. */
export interface DurationMatch {
  end: number;
  hours?: number;
  minutes?: number;
  seconds?: number;
}

type Unit = "hours" | "minutes" | "seconds";

/** Unit words, singular, plural and the usual short forms. */
const UNIT_WORDS: ReadonlyMap<string, Unit> = new Map([
  ["hour", "hours"],
  ["hours", "hours"],
  ["hr", "hours"],
  ["hrs", "hours"],
  ["minute", "minutes"],
  ["minutes", "minutes"],
  ["min", "minutes"],
  ["mins", "minutes"],
  ["second", "seconds"],
  ["seconds", "seconds"],
  ["sec", "seconds"],
  ["secs", "seconds"],
]);

const UNIT_SECONDS: Readonly<Record<Unit, number>> = { hours: 3600, minutes: 60, seconds: 1 };

/** Fractions said after a whole amount: "an hour and a half", "1 and a quarter hours". */
const FRACTION_WORDS: ReadonlyMap<string, number> = new Map([
  ["half", 0.5],
  ["quarter", 0.25],
]);

const DECIMAL = /^\d+(?:\.\d+)?$/;

/** One amount with its unit, e.g. "an hour and a half" = 1.5 hours. */
interface Part {
  end: number;
  unit: Unit;
  amount: number;
}

/** "a" or "an". */
function isArticle(word: string | undefined): boolean {
  return word === "a" || word === "an";
}

/**
 * "and a half" / "and a quarter" (or "and half") at `at`: the fraction and the index after it. "and three quarters"
 * is spelled "and 3 quarters" once numbers are normalised.
 */
function andFraction(tokens: readonly string[], at: number): { end: number; value: number } | undefined {
  if (tokens[at] !== "and") return undefined;
  if (isArticle(tokens[at + 1])) {
    const value = FRACTION_WORDS.get(tokens[at + 2] ?? "");
    return value === undefined ? undefined : { end: at + 3, value };
  }
  if (tokens[at + 1] === "3" && tokens[at + 2] === "quarters") return { end: at + 3, value: 0.75 };
  // "One hour and half", as learners say it ("una hora y media", "une heure et demie"): no article.
  const value = FRACTION_WORDS.get(tokens[at + 1] ?? "");
  if (value !== undefined) return { end: at + 2, value };
  return undefined;
}

/** Every amount-with-unit that starts at `start`. */
function parts(tokens: readonly string[], start: number): Part[] {
  const found: Part[] = [];
  const first = tokens[start];
  if (first === undefined) return found;

  // "5 minutes", "1.5 hours", "an hour", and those followed by "and a half" ("an hour and a half").
  const whole = isArticle(first) ? 1 : DECIMAL.test(first) ? Number(first) : undefined;
  if (whole !== undefined) {
    const unit = UNIT_WORDS.get(tokens[start + 1] ?? "");
    if (unit) {
      found.push({ end: start + 2, unit, amount: whole });
      const fraction = andFraction(tokens, start + 2);
      if (fraction && Number.isInteger(whole)) {
        found.push({ end: fraction.end, unit, amount: whole + fraction.value });
      }
    }
    // "1 and a half hours"
    const fraction =
      Number.isInteger(whole) && !isArticle(first) ? andFraction(tokens, start + 1) : undefined;
    const fractionUnit = fraction && UNIT_WORDS.get(tokens[fraction.end] ?? "");
    if (fraction && fractionUnit) {
      found.push({ end: fraction.end + 1, unit: fractionUnit, amount: whole + fraction.value });
    }
  }

  // "half an hour", "half a minute", "a half hour", "quarter of an hour", "a quarter hour",
  // "3 quarters of an hour".
  let at = start;
  let fraction: number | undefined;
  if (isArticle(tokens[at])) at++;
  if (tokens[at] === "3" && tokens[at + 1] === "quarters") {
    fraction = 0.75;
    at += 2;
  } else {
    fraction = FRACTION_WORDS.get(tokens[at] ?? "");
    at++;
  }
  if (fraction !== undefined) {
    if (tokens[at] === "of") at++;
    // After "a half"/"a quarter" the unit follows directly; after a bare "half" an article comes first.
    const hasArticle = isArticle(tokens[at]);
    const unit = UNIT_WORDS.get(tokens[hasArticle ? at + 1 : at] ?? "");
    if (unit) found.push({ end: hasArticle ? at + 2 : at + 1, unit, amount: fraction });
  }
  return found;
}

/**
 * Splits `amount` of `unit` into whole units as said and the fraction in smaller ones: 1.5 hours →
 * 1 hour 30 minutes, 2.5 minutes → 2 minutes 30 seconds, 90 seconds stays 90 seconds.
 */
function addPart(into: Record<Unit, number>, unit: Unit, amount: number): void {
  const whole = Math.floor(amount);
  into[unit] += whole;
  if (unit === "seconds") {
    // Seconds are the smallest unit: keep their fraction, rounded to what a timer can care about.
    into.seconds = Math.round((into.seconds + (amount - whole)) * 1000) / 1000;
    return;
  }
  // Whole seconds avoid float noise (1.1 hours is 6 minutes, not 6.000000000000005).
  let rest = Math.round((amount - whole) * UNIT_SECONDS[unit]);
  if (unit === "hours") {
    into.minutes += Math.floor(rest / 60);
    rest %= 60;
  }
  into.seconds += rest;
}

/** The match for a sequence of parts: only the units that were said or that a fraction spilled into. */
function toMatch(end: number, said: readonly Part[]): DurationMatch {
  const sums: Record<Unit, number> = { hours: 0, minutes: 0, seconds: 0 };
  for (const part of said) addPart(sums, part.unit, part.amount);
  const match: DurationMatch = { end };
  for (const unit of ["hours", "minutes", "seconds"] as const) {
    if (sums[unit] !== 0) match[unit] = sums[unit];
  }
  // "0 minutes" is still a duration of zero minutes, not nothing.
  if (match.hours === undefined && match.minutes === undefined && match.seconds === undefined) {
    const unit = said[0]?.unit ?? "seconds";
    match[unit] = 0;
  }
  return match;
}

/** Extends `said` with smaller units, optionally joined by "and": "2 hours (and) 30 minutes …". */
function sequences(tokens: readonly string[], said: Part[], out: DurationMatch[]): void {
  const last = said[said.length - 1] as Part;
  out.push(toMatch(last.end, said));
  const at = tokens[last.end] === "and" ? last.end + 1 : last.end;
  for (const next of parts(tokens, at)) {
    if (UNIT_SECONDS[next.unit] < UNIT_SECONDS[last.unit]) sequences(tokens, [...said, next], out);
  }
}

/**
 * Every way a duration can start at `start` in number-normalised, lower-case tokens, longest first,
 * one match per end index: "an hour and a half" gives {end: +4, hours: 1, minutes: 30} and then
 * {end: +2, hours: 1}. Units stay as said ("90 seconds" → {seconds: 90}); fractions spill into the
 * next unit down ("1.5 hours" → {hours: 1, minutes: 30}, "half an hour" → {minutes: 30}).
 */
export function parseDuration(tokens: readonly string[], start: number): DurationMatch[] {
  const all: DurationMatch[] = [];
  for (const part of parts(tokens, start)) sequences(tokens, [part], all);
  all.sort((a, b) => b.end - a.end);
  const byEnd: DurationMatch[] = [];
  for (const match of all) if (byEnd[byEnd.length - 1]?.end !== match.end) byEnd.push(match);
  return byEnd;
}
