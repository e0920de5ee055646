/**
 * A speech grammar as data, shared by what builds one (src/intents/speech-grammar.ts, from the
 * sentence templates) and what listens with one (src/audio/stt: JSGF and FSG writers): one
 * definition, so the two cannot drift.
 */

/** A piece of grammar. A string is a phrase (its words in order). */
export type GrammarExpr =
  | string
  | { seq: readonly GrammarExpr[] }
  | { alt: readonly GrammarExpr[] }
  | { opt: GrammarExpr }
  /** One or more of `repeat`, with `separator` between each two. */
  | { repeat: GrammarExpr; separator: GrammarExpr }
  | { ref: string };
