import type { CompiledPacks } from "../../src/intents/hassil/compile.js";
import type { Slots } from "../../src/intents/types.js";
import type { Registry } from "../../src/registry/registry.js";

/** One example sentence drawn from a pack's templates, with what it must mean. */
export interface SampledSentence {
  text: string;
  intent: string;
  /** Slots the sentence fills (lists, names, areas, numbers) and the block's fixed slots. */
  slots: Slots;
  /** The speaker's area, for sentences that need one ("turn on the lights in here"). */
  area?: string | undefined;
  template: string;
}

/**
 * Example sentences drawn at random from the packs' templates, filled with the home's real names,
 * areas and floors and the packs' list values: `perGroup` per template (see sample-pack.mjs).
 */
export declare function samplePackSentences(
  packs: CompiledPacks,
  registry: Registry,
  opts: {
    perGroup?: number;
    seed?: number;
    /** The domains an intent acts on (the intent catalog's `intentSpec(intent)?.domains`). */
    domainsOf: (intent: string) => readonly string[] | "any" | undefined;
  },
): SampledSentence[];
