import type { LoadedConfig } from "./config/loader.js";
import { type Clock, systemClock } from "./core/clock.js";
import { loadSentences } from "./intents/sentences.js";
import { TextUnderstanding } from "./intents/text-understanding.js";
import { TimerManager } from "./intents/timers.js";
import { registryFromConfig } from "./registry/from-config.js";
import type { Registry } from "./registry/registry.js";

/**
 * The composition root: the one place that names concrete classes and wires Hearth's parts.
 */

/** The text path built from a loaded config: registry, compiled sentences, timers, recognizer. */
export interface TextPath {
  registry: Registry;
  timers: TimerManager;
  understanding: TextUnderstanding;
}

export async function buildTextPath(loaded: LoadedConfig, opts: { clock?: Clock } = {}): Promise<TextPath> {
  const { config } = loaded;
  const clock = opts.clock ?? systemClock;
  const registry = registryFromConfig(config);
  const sentences = await loadSentences(config.intents, {
    language: config.site.language,
    configDir: loaded.dir,
  });
  const timers = new TimerManager(clock);
  const understanding = new TextUnderstanding({
    sentences,
    registry,
    timers,
    clock,
    fuzzyThreshold: config.intents.fuzzy_threshold,
    siteArea: config.site.area,
  });
  understanding.prepare();
  return { registry, timers, understanding };
}
