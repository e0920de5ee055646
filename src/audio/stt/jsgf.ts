import { HearthError } from "../../core/errors.js";
import type { GrammarExpr, GrammarSpec, SpeechGrammar } from "./speech-to-text.js";

export type { GrammarExpr, GrammarSpec } from "./speech-to-text.js";

/**
 * Grammar specs as JSGF text, and the words of a JSGF grammar. JSGF is the portable form (for
 * hand-written grammars, debugging, other recognisers); pocketsphinx itself gets large specs as an
 * FSG (fsg.ts), because its JSGF compiler copies every rule at every reference. Words are
 * normalised to what the pronunciation dictionary uses: lower case, letters, digits, apostrophes.
 */

/** A grammar spec with the extras a {@link SpeechGrammar} carries. */
export type GrammarSpecWithExtras = GrammarSpec & Pick<SpeechGrammar, "pronunciations" | "hints">;

const RULE_NAME = /^[A-Za-z0-9_-]+$/;
const GRAMMAR_NAME = "hearth";

/** Splits a phrase into dictionary-style words: lower case; anything but letters, digits and ' separates. */
export function normalizeWords(phrase: string): string[] {
  return phrase
    .toLowerCase()
    .split(/[^\p{L}\p{N}']+/u)
    .map((word) => word.replace(/^'+|'+$/g, ""))
    .filter((word) => word !== "");
}

/**
 * Parenthesises a part only when it has a top-level alternative: pocketsphinx turns every group
 * into an anonymous rule, and fewer rules compile faster.
 */
function group(part: string): string {
  let depth = 0;
  for (const char of part) {
    if (char === "(" || char === "[") depth++;
    else if (char === ")" || char === "]") depth--;
    else if (char === "|" && depth === 0) return `(${part})`;
  }
  return part;
}

function expr(node: GrammarExpr, rules: ReadonlySet<string>): string {
  if (typeof node === "string") {
    const words = normalizeWords(node);
    return words.length === 0 ? "<NULL>" : words.join(" ");
  }
  if ("seq" in node) {
    const parts = node.seq.map((part) => expr(part, rules)).filter((part) => part !== "<NULL>");
    return parts.length === 0 ? "<NULL>" : parts.map(group).join(" ");
  }
  if ("alt" in node) {
    const parts = [...new Set(node.alt.map((part) => expr(part, rules)))];
    if (parts.length === 0) return "<VOID>";
    const real = parts.filter((part) => part !== "<NULL>");
    const body = real.join(" | ");
    // An empty alternative makes the whole group optional.
    if (real.length < parts.length) return real.length === 0 ? "<NULL>" : `[${body}]`;
    return body;
  }
  if ("opt" in node) {
    const inner = expr(node.opt, rules);
    return inner === "<NULL>" ? "<NULL>" : `[${inner}]`;
  }
  if ("repeat" in node) {
    const item = group(expr(node.repeat, rules));
    const separator = group(expr(node.separator, rules));
    if (item === "<NULL>") return "<NULL>";
    return separator === "<NULL>" ? `(${item})+` : `${item} (${separator} ${item})*`;
  }
  if (!rules.has(node.ref))
    throw new HearthError("TEMPLATE_INVALID", `speech grammar: unknown rule <${node.ref}>`);
  return `<${node.ref}>`;
}

/** Builds the JSGF text (and pronunciation list) for a grammar spec; the root becomes the public rule. */
export function buildJsgf(spec: GrammarSpecWithExtras): SpeechGrammar {
  const names = Object.keys(spec.rules ?? {});
  for (const name of names) {
    if (!RULE_NAME.test(name))
      throw new HearthError("TEMPLATE_INVALID", `speech grammar: invalid rule name "${name}"`);
  }
  const known = new Set(names);
  // The root's own name must not clash with the spec's rules.
  let root = "utterance";
  for (let n = 2; known.has(root); n++) root = `utterance_${n}`;
  const lines = ["#JSGF V1.0;", `grammar ${GRAMMAR_NAME};`, `public <${root}> = ${expr(spec.root, known)};`];
  for (const name of names) lines.push(`<${name}> = ${expr(spec.rules?.[name] ?? "", known)};`);
  return {
    jsgf: `${lines.join("\n")}\n`,
    pronunciations: spec.pronunciations ?? {},
    hints: spec.hints ?? [],
  };
}

/** A grammar accepting exactly one of the given phrases. */
export function phrasesToJsgf(
  phrases: readonly string[],
  pronunciations?: Record<string, string>,
): SpeechGrammar {
  return buildJsgf({ root: { alt: phrases }, pronunciations });
}

/**
 * The words a JSGF grammar can produce (each once, in order of appearance), so missing
 * pronunciations can be found before pocketsphinx fails on them. Skips the header, rule
 * references, weights, tags, comments and operators; reads quoted tokens whole.
 */
export function jsgfVocabulary(jsgf: string): string[] {
  const withoutComments = jsgf.replace(/\/\*[\s\S]*?\*\//g, " ").replace(/\/\/[^\n]*/g, " ");
  const words = new Set<string>();
  for (const statement of withoutComments.split(";")) {
    const equals = statement.indexOf("=");
    if (equals < 0) continue;
    const head = statement.slice(0, equals).trim();
    if (!/<[^>]+>$/.test(head)) continue;
    const body = statement
      .slice(equals + 1)
      .replace(/<[^>]*>/g, " ")
      .replace(/\/[^/]*\//g, " ")
      .replace(/\{[^}]*\}/g, " ");
    for (const match of body.matchAll(/"([^"]*)"|[^\s()[\]|*+"]+/g)) {
      const token = match[1] ?? match[0];
      for (const word of token.split(/\s+/)) if (word !== "") words.add(word);
    }
  }
  return [...words];
}
