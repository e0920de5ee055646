import type { RecognizedIntent } from "../types.js";
import type { CompiledPacks } from "./compile.js";

/**
 * Wildcard slots ("add {item} to my list", "broadcast {message}") as they were said: the matcher
 * sees normalised tokens ("2 apples") without skip words, but the shopping list and the broadcast
 * want the words the person used ("two Apples"), as Home Assistant passes them on, and a message
 * keeps the words the pack skips elsewhere ("sag allen, dass das Essen jetzt fertig ist" says "das
 * Essen jetzt fertig ist", not "das Essen fertig ist"). `words` turns text into the tokens the
 * matcher saw (tokenized, skip words removed); `hesitations` are the sounds of hesitation among the
 * skip words (the sentence files' `hesitations:`), never part of a message.
 */
export function restoreWildcards(
  intent: RecognizedIntent,
  text: string,
  packs: Pick<CompiledPacks, "wildcardSlots" | "tokenize">,
  words: (text: string) => readonly string[] = packs.tokenize,
  hesitations: ReadonlySet<string> = new Set(),
): RecognizedIntent {
  let slots = intent.slots;
  for (const [slot, value] of Object.entries(intent.slots)) {
    if (typeof value !== "string" || !packs.wildcardSlots.has(slot)) continue;
    // A name that found devices is the registry's name, not words to give back.
    if (slot === "name" && intent.targets.length > 0) continue;
    // Only a value made of the sentence's normalised words can be looked up in it.
    if (packs.tokenize(value).join(" ") !== value) continue;
    const span = originalSpan(text, value, words);
    const said = span && slot === "message" ? withPolitenessBefore(text, span, words, hesitations) : span;
    if (said !== undefined && said !== value) slots = { ...slots, [slot]: said };
  }
  if (slots === intent.slots) return intent;
  // The resolver's fields in its order (resolve.ts): one shape for every intent.
  const { name, response, fromPack, packReply, targets } = intent;
  return { name, slots, response, fromPack, packReply, targets };
}

/**
 * A message with the skipped words said right before it put back ("broadcast please come down for
 * dinner" says "please come down for dinner"): after the word that opened the command they belong to
 * what is said to the household. Only where the message is found once, and never a hesitation.
 */
function withPolitenessBefore(
  text: string,
  span: string,
  tokenize: (t: string) => readonly string[],
  hesitations: ReadonlySet<string>,
): string {
  const at = text.indexOf(span);
  if (at < 0 || text.indexOf(span, at + 1) >= 0) return span;
  const before = text
    .slice(0, at)
    .split(/\s+/)
    .filter((w) => w.length > 0);
  let from = before.length;
  while (from > 0) {
    const word = before[from - 1] as string;
    const bare = word.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
    if (bare === "" || hesitations.has(bare) || tokenize(word).length > 0) break;
    from--;
  }
  // Nothing said before the skipped words: they open the sentence, not the message.
  if (from === before.length || from === 0) return span;
  return `${before.slice(from).join(" ")} ${span}`;
}

/**
 * The shortest run of the sentence's own words that normalises to `value`, punctuation trimmed:
 * skip words inside it stay, those around it are left out.
 */
function originalSpan(
  text: string,
  value: string,
  tokenize: (t: string) => readonly string[],
): string | undefined {
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  const wanted = value.split(" ").length;
  for (let len = 1; len <= Math.min(words.length, wanted * 3 + 2); len++) {
    for (let i = 0; i + len <= words.length; i++) {
      const span = words.slice(i, i + len).join(" ");
      if (tokenize(span).join(" ") === value) return span.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
    }
  }
  return undefined;
}
