import type { LoadedConfig } from "./config/loader.js";
import { type Clock, systemClock } from "./core/clock.js";
import { EventBus } from "./core/event-bus.js";
import type { HearthEvents } from "./core/events.js";
import type { Logger } from "./core/logger.js";
import { loadSentences } from "./intents/sentences.js";
import { TextUnderstanding } from "./intents/text-understanding.js";
import { TimerManager } from "./intents/timers.js";
import { TextPipeline } from "./pipeline/text-pipeline.js";
import { registryFromConfig } from "./registry/from-config.js";
import type { Registry } from "./registry/registry.js";

/**
 * The composition root: the one place that names concrete classes and wires Hearth's parts.
 * Everything else gets its collaborators handed in.
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

export interface HearthOptions {
  loaded: LoadedConfig;
  log: Logger;
  clock?: Clock;
}

/** The daemon: every part built from the config, started in order and stopped in reverse. */
export class Hearth {
  readonly #opts: HearthOptions;
  readonly bus = new EventBus<HearthEvents>();
  #text: TextPath | undefined;
  #pipeline: TextPipeline | undefined;
  #started = false;

  constructor(opts: HearthOptions) {
    this.#opts = opts;
  }

  /** The text pipeline (after start()). */
  get pipeline(): TextPipeline {
    if (!this.#pipeline) throw new Error("Hearth is not started");
    return this.#pipeline;
  }

  get registry(): Registry {
    if (!this.#text) throw new Error("Hearth is not started");
    return this.#text.registry;
  }

  async start(): Promise<void> {
    if (this.#started) return;
    const { loaded, log } = this.#opts;
    const clock = this.#opts.clock ?? systemClock;
    const started = clock.monotonic();
    this.#text = await buildTextPath(loaded, { clock });
    this.#pipeline = new TextPipeline({
      understanding: this.#text.understanding,
      bus: this.bus,
      clock,
      siteId: loaded.config.site.id,
      log: log.child({ module: "pipeline" }),
    });
    this.#started = true;
    log.info(
      {
        config: loaded.path,
        siteId: loaded.config.site.id,
        devices: this.#text.registry.entities().length,
        areas: this.#text.registry.areas().length,
        ms: Math.round(clock.monotonic() - started),
      },
      "hearth ready",
    );
  }

  async stop(): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    this.#text?.timers.stop();
    this.bus.removeAll();
    this.#opts.log.info("hearth stopped");
  }
}
