/** What bench/heldout/commands.yaml expects of one intent (see heldout-judge.mjs). */
export interface HeldoutExpectation {
  /** Home Assistant's intent name, or the intents that would all do what was asked. */
  intent: string | string[];
  /** Entity ids that must be acted on, as a set. */
  targets?: string[];
  /** Key slot values; numbers compare as numbers, words case-insensitively. */
  slots?: Record<string, string | number>;
}

/** One held-out command: a single expectation, or `intents` for a sentence holding two commands. */
export interface HeldoutCommand extends Partial<HeldoutExpectation> {
  say: string;
  area?: string;
  intents?: HeldoutExpectation[];
}

/** The intents part of one `hearth parse` output line. */
export interface ParsedIntents {
  intents: Array<{ name: string; slots: Record<string, string | number>; targets: string[] }>;
}

export type HeldoutOutcome = "understood" | "partly" | "wrong_intent" | "not_understood";

/** The intent family a command is counted under ("lights on/off", "media", …). */
export declare function family(c: HeldoutCommand): string;
/** Why one recognised intent does not meet one expectation ("intent", "targets", "slots"), or undefined. */
export declare function mismatch(
  want: HeldoutExpectation,
  got: ParsedIntents["intents"][number],
): "intent" | "targets" | "slots" | undefined;
/** One command's outcome from what `hearth parse` printed for it. */
export declare function judge(
  c: HeldoutCommand,
  out: ParsedIntents,
): { outcome: HeldoutOutcome; why?: string };
