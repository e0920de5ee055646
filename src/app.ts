import { resolve } from "node:path";
import type { LoadedConfig } from "./config/loader.js";
import { type Clock, systemClock } from "./core/clock.js";
import type { HearthError } from "./core/errors.js";
import { EventBus } from "./core/event-bus.js";
import type { HearthEvents } from "./core/events.js";
import { type Logger, silentLogger } from "./core/logger.js";
import { type CompiledSentences, loadSentences } from "./intents/sentences.js";
import { TextUnderstanding } from "./intents/text-understanding.js";
import { TimerManager } from "./intents/timers.js";
import { customIntentSpecs } from "./llm/custom-intents.js";
import { HOME_ASSISTANT_INTENTS } from "./llm/intent-schema.js";
import { LlmRecognizer } from "./llm/llm-recognizer.js";
import { LlamaRuntime } from "./llm/runtime.js";
import { TextPipeline } from "./pipeline/text-pipeline.js";
import { registryFromConfig } from "./registry/from-config.js";
import type { Registry } from "./registry/registry.js";

/**
 * The composition root: the one place that names concrete classes and wires Hearth's parts.
 * Everything else gets its collaborators handed in.
 */

/** The text path built from a loaded config: registry, compiled sentences, timers, recognizers. */
export interface TextPath {
  registry: Registry;
  timers: TimerManager;
  understanding: TextUnderstanding;
  /** Whether the LLM fallback is loaded (false when off, or when its model could not be loaded). */
  llm: boolean;
  /** Releases the LLM (if any) and the timers. */
  close(): Promise<void>;
}

export interface TextPathOptions {
  clock?: Clock;
  log?: Logger;
  /** Load the LLM when the config asks for one (default true). */
  llm?: boolean;
}

export async function buildTextPath(loaded: LoadedConfig, opts: TextPathOptions = {}): Promise<TextPath> {
  const { config } = loaded;
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? silentLogger();
  const registry = registryFromConfig(config);
  const sentences = await loadSentences(config.intents, {
    language: config.site.language,
    configDir: loaded.dir,
  });
  const timers = new TimerManager(clock);
  const llm =
    opts.llm !== false && config.llm.mode !== "off"
      ? await startLlm(loaded, sentences, registry, clock, log)
      : undefined;
  const understanding = new TextUnderstanding({
    sentences,
    registry,
    timers,
    clock,
    fuzzyThreshold: config.intents.fuzzy_threshold,
    siteArea: config.site.area,
    fallback: llm?.recognizer,
    fallbackMode: config.llm.mode,
    followUpMs: config.intents.followup_seconds * 1000,
  });
  understanding.prepare();
  return {
    registry,
    timers,
    understanding,
    llm: llm !== undefined,
    async close() {
      timers.stop();
      llm?.recognizer.stop();
      await llm?.runtime.stop();
    },
  };
}

/**
 * Loads the LLM fallback. A missing, broken or too large model is logged with its reason and
 * Hearth carries on with templates alone: the house must not go deaf because of the fallback.
 */
async function startLlm(
  loaded: LoadedConfig,
  sentences: CompiledSentences,
  registry: Registry,
  clock: Clock,
  log: Logger,
): Promise<{ runtime: LlamaRuntime; recognizer: LlmRecognizer } | undefined> {
  const { llm } = loaded.config;
  if (!llm.model) return undefined;
  const llmLog = log.child({ module: "llm" });
  const runtime = new LlamaRuntime(
    {
      modelPath: resolve(loaded.dir, llm.model),
      threads: llm.threads,
      contextSize: llm.context_size,
      batchSize: llm.batch_size,
      gpu: llm.gpu,
    },
    { logger: llmLog, clock },
  );
  try {
    const info = await runtime.start();
    llmLog.info({ model: llm.model, loadMs: Math.round(info.loadMs), threads: info.threads }, "llm loaded");
  } catch (err) {
    llmLog.error(
      { err, code: (err as HearthError).code },
      "llm not loaded; understanding with templates alone",
    );
    await runtime.stop().catch(() => {});
    return undefined;
  }
  const recognizer = new LlmRecognizer(
    { model: runtime, registry, logger: llmLog, clock },
    {
      intents: [...HOME_ASSISTANT_INTENTS, ...customIntentSpecs(sentences)],
      timeoutMs: llm.timeout_ms,
      answers: llm.answers,
      maxAnswerTokens: llm.max_answer_tokens,
    },
  );
  await recognizer.start();
  return { runtime, recognizer };
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
    this.#text = await buildTextPath(loaded, { clock, log });
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
        llm: this.#text.llm,
        ms: Math.round(clock.monotonic() - started),
      },
      "hearth ready",
    );
  }

  async stop(): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    await this.#text?.close();
    this.bus.removeAll();
    this.#opts.log.info("hearth stopped");
  }
}
