/**
 * When something is to be done, said after what it is ("we need to buy eggs at the weekend", "…
 * by Friday", "… when we go to the shops", "… on the way home"): no part of an item put on a list.
 * English, the language Hearth's own list sentences are in.
 */

const DAYS: ReadonlySet<string> = new Set([
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
  "sunday",
  "tomorrow",
  "tonight",
  "today",
  "weekend",
]);

/** What "this" or "next" is said before to mean a while ahead ("this week", "next time"). */
const WHILES: ReadonlySet<string> = new Set([
  ...DAYS,
  "week",
  "month",
  "time",
  "morning",
  "afternoon",
  "evening",
  "trip",
  "shop",
]);

/** Words that say a time by themselves at the end of a wish ("… tonight", "… later"). */
const ALONE: ReadonlySet<string> = new Set([
  "tomorrow",
  "tonight",
  "today",
  "later",
  "soon",
  "sometime",
  "eventually",
]);

/** People who go to the shops ("when we go", "when you are out"). */
const WHO: ReadonlySet<string> = new Set([
  "we",
  "i",
  "you",
  "someone",
  "somebody",
  "anyone",
  "anybody",
  "mum",
  "dad",
]);

/** What a time's first words are followed by for errands ("after work", "on the way home"). */
const ERRANDS: ReadonlySet<string> = new Set([
  "work",
  "school",
  "lunch",
  "dinner",
  "breakfast",
  "church",
  "practice",
]);

/** Whether the words from `at` on say when ("at the weekend", "by friday", "next time we're out"). */
export function saysWhen(tokens: readonly string[], at: number): boolean {
  const w = tokens[at] ?? "";
  const next = tokens[at + 1] ?? "";
  const after = tokens[at + 2] ?? "";
  if (ALONE.has(w) && at === tokens.length - 1) return true;
  if ((w === "this" || w === "next") && WHILES.has(next)) return true;
  if ((w === "by" || w === "before" || w === "on" || w === "for") && DAYS.has(next)) return true;
  if ((w === "by" || w === "before" || w === "at" || w === "over") && next === "the" && DAYS.has(after))
    return true;
  if (w === "at" && next === "some" && (after === "point" || after === "stage")) return true;
  if (w === "some" && (next === "time" || next === "day") && at + 2 === tokens.length) return true;
  if (w === "when" || w === "whenever" || w === "next")
    return WHO.has(next) || (w === "next" && next === "time");
  if (w === "on" && next === "the" && after === "way") return true;
  if ((w === "after" || w === "before") && ERRANDS.has(next)) return true;
  return (
    w === "in" && next === "the" && (after === "morning" || after === "afternoon" || after === "evening")
  );
}
