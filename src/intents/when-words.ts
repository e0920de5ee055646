/**
 * When something is to be done, said after what it is ("we need to buy eggs at the weekend", "…
 * by Friday", "… when we go to the shops", "… on the way home"): no part of an item put on a list.
 * The phrases are the language's `when_said:` (sentences/en/00-common.yaml; see sentence-words.ts).
 */
import type { WhenSaid } from "./sentence-words.js";

/** Whether the words from `at` on say when ("at the weekend", "by friday", "next time we're out"). */
export function saysWhen(tokens: readonly string[], at: number, when: WhenSaid): boolean {
  const first = tokens[at] ?? "";
  const said = (phrase: readonly string[]) => phrase.every((w, i) => tokens[at + i] === w);
  if (when.ends.get(first)?.some((phrase) => at + phrase.length === tokens.length && said(phrase)))
    return true;
  return when.opens.get(first)?.some(said) ?? false;
}
