/**
 * Articles and possessives of the languages Hearth has words of its own for (English, German), in
 * named groups: each rule about unknown names, remarks or free text picks the groups it needs,
 * rather than keeping a list of its own that drifts from the others.
 */

/** "the", "a", "an". */
export const ENGLISH_ARTICLES = ["the", "a", "an"] as const;

/** "my", "our": a name said with one is still a name ("my lamp"). */
export const ENGLISH_POSSESSIVES = ["my", "our"] as const;

/** Every case of the German definite and indefinite articles. */
export const GERMAN_ARTICLES = [
  "der",
  "die",
  "das",
  "den",
  "dem",
  "des",
  "ein",
  "eine",
  "einen",
  "einem",
  "einer",
] as const;

/** "mein(e)", "unser(e)". */
export const GERMAN_POSSESSIVES = ["mein", "meine", "unser", "unsere"] as const;

/** Articles and possessives, English and German ("der Fernseher war teuer" is a remark too). */
export const ARTICLES: ReadonlySet<string> = new Set([
  ...ENGLISH_ARTICLES,
  ...ENGLISH_POSSESSIVES,
  ...GERMAN_ARTICLES,
  ...GERMAN_POSSESSIVES,
]);
