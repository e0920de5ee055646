import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { Understanding } from "../intents/types.js";
import type { Registry } from "../registry/registry.js";
import {
  buildIntentSchema,
  type IntentSchema,
  type LlmIntentSpec,
  type LlmOutput,
  validateLlmOutput,
} from "./intent-schema.js";
import type { JsonGrammar, LanguageModel } from "./runtime.js";

/** What the conversation so far says about "it", "there" and "too" (short-lived, kept by the caller). */
export interface FollowUpContext {
  /** Entity ids acted on last, most recent first. */
  lastEntityIds?: readonly string[] | undefined;
  /** Area id acted on last. */
  lastAreaId?: string | undefined;
  /** Area id the satellite stands in: "the lights" means this area's lights. */
  siteAreaId?: string | undefined;
}

export interface LlmRecognizerOptions {
  /** The intents the model may choose (Hearth's built-ins it can act on, plus custom ones). */
  intents: readonly LlmIntentSpec[];
  /** Milliseconds one sentence may take, waiting for the model included. */
  timeoutMs: number;
  /** Whether questions that are not commands get a free-form answer. */
  answers: boolean;
  /** Longest answer in tokens; the grammar caps it at about four characters a token. */
  maxAnswerTokens: number;
  /**
   * The language people speak to this device (site.language, e.g. "de"). Free-form answers are asked
   * for in it, and the model is told requests come in it. Default "en".
   */
  language?: string | undefined;
  /** Sampling temperature; 0 (default) is deterministic. Tests raise it to explore the grammar. */
  temperature?: number | undefined;
  /** Tokens kept free in the context for the request turn. Default 256. */
  requestTokens?: number | undefined;
  /**
   * After start(): milliseconds to wait after a registry change before rebuilding the prompt in the
   * background (a burst of MQTT discovery messages then costs one rebuild). Default 1000.
   */
  rebuildDelayMs?: number | undefined;
}

export interface LlmRecognizerDeps {
  model: LanguageModel;
  registry: Registry;
  logger: Logger;
  clock: Clock;
}

/** Figures of one recognition, for the run's log line and the bench. */
export interface LlmStats {
  /** Prompt tokens evaluated: the request turn only when the system prompt was reused. */
  promptTokens: number;
  generatedTokens: number;
  firstTokenMs?: number | undefined;
  /** Time inside the model (prompt evaluation and generation). */
  modelMs: number;
  /** Rebuilding the schema, grammar and system prompt after a registry change (0 when reused). */
  prepareMs: number;
  /** System-prompt tokens evaluated by that rebuild (0 when the evaluated prompt was reused). */
  primeTokens: number;
  /** Hearth's own per-utterance work: building the request, parsing, validating. */
  overheadMs: number;
  totalMs: number;
}

/** The outcome of asking the LLM about one sentence. */
export interface LlmRecognition {
  /** recognizer "llm"; targets are left to the resolver, which maps slots to entities. */
  understanding: Understanding;
  /** Finer than `understanding`: why nothing was recognised, or that an answer came back. */
  outcome: "intent" | "none" | "answer" | "timeout" | "aborted" | "invalid";
  /** A short spoken answer, for outcome "answer". */
  answer?: string | undefined;
  /** What failed to parse or validate, for outcome "invalid" (debug logs only). */
  problem?: string | undefined;
  /** The model's output as generated (JSON text), when there was one. */
  raw?: string | undefined;
  stats: LlmStats;
}

export interface RecognizeOptions {
  /** Aborts the recognition (barge-in, a new wake word, shutdown): outcome "aborted". */
  signal?: AbortSignal | undefined;
  /** Sampling seed when temperature > 0. */
  seed?: number | undefined;
}

interface Prepared {
  registryVersion: number;
  schema: IntentSchema;
  grammar: JsonGrammar;
  systemPrompt: string;
  /** Tokens of the system prompt. */
  systemTokens: number;
  /** Tokens evaluated when it was primed (fewer than systemTokens when a prefix was already there). */
  primeTokens: number;
  /** Devices left out of the prompt to fit the context (the grammar still has them all). */
  omittedDevices: number;
}

const NOT_UNDERSTOOD: Understanding = { kind: "not-recognized", reason: "no_match", recognizer: "llm" };
/** Characters per token assumed when turning max_answer_tokens into the grammar's maxLength. */
const CHARS_PER_TOKEN = 4;

/**
 * Understands a sentence with the local LLM, under a JSON-schema grammar built from the registry.
 * The system prompt (intents, areas, devices) and the grammar are built once per registry version
 * and the prompt stays evaluated in the model's context between sentences; each sentence costs only
 * its own turn. Every failure mode (timeout, abort, unparsable or invalid output) is an ordinary
 * "not understood" result.
 */
export class LlmRecognizer {
  readonly #model: LanguageModel;
  readonly #registry: Registry;
  readonly #log: Logger;
  readonly #clock: Clock;
  readonly #options: LlmRecognizerOptions;
  #prepared: Prepared | undefined;
  #preparing: { version: number; promise: Promise<Prepared> } | undefined;
  #unsubscribe: (() => void) | undefined;
  /** The rebuild's debounce now running; an earlier one that ends finds itself replaced. */
  #rebuildWait: AbortSignal | undefined;

  constructor(deps: LlmRecognizerDeps, options: LlmRecognizerOptions) {
    this.#model = deps.model;
    this.#registry = deps.registry;
    this.#log = deps.logger;
    this.#clock = deps.clock;
    this.#options = options;
  }

  /** The current system prompt (built on first use), for `hearth doctor` and tests. */
  get systemPrompt(): string | undefined {
    return this.#prepared?.systemPrompt;
  }

  /** The schema the grammar was compiled from (built on first use). */
  get schema(): IntentSchema | undefined {
    return this.#prepared?.schema;
  }

  /**
   * Prepares the prompt now and again after each structural registry change, in the background, so
   * sentences rarely wait for it. Without start(), recognize() still prepares on demand.
   */
  async start(): Promise<void> {
    if (this.#unsubscribe) return;
    this.#unsubscribe = this.#registry.onChange((change) => {
      if (!change.structural) return;
      // On the injected clock, so that tests move time instead of waiting for it.
      const wait = this.#clock.timeout(
        this.#options.rebuildDelayMs ?? 1000,
        "the LLM prompt's rebuild delay",
      );
      this.#rebuildWait = wait;
      wait.addEventListener(
        "abort",
        () => {
          if (this.#rebuildWait !== wait) return;
          this.#rebuildWait = undefined;
          this.prepare().catch((err: unknown) => this.#log.warn({ err }, "llm prompt rebuild failed"));
        },
        { once: true },
      );
    });
    await this.prepare();
  }

  /** Stops listening to registry changes; idempotent. */
  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#rebuildWait = undefined;
  }

  /**
   * Builds the schema, grammar and system prompt for the current registry and evaluates the
   * prompt in the model, so the first sentence after start or after a registry change does not pay
   * for it. Called by recognize() when needed; the composition root may call it ahead of time.
   */
  async prepare(): Promise<void> {
    await this.#current();
  }

  /** Asks the model what `text` means; never throws for model trouble (that is "not understood"). */
  async recognize(
    text: string,
    context: FollowUpContext = {},
    options: RecognizeOptions = {},
  ): Promise<LlmRecognition> {
    const started = this.#clock.monotonic();
    const budget = this.#clock.timeout(this.#options.timeoutMs, "the LLM");
    const signal = options.signal ? AbortSignal.any([options.signal, budget]) : budget;
    const stats: LlmStats = {
      promptTokens: 0,
      generatedTokens: 0,
      modelMs: 0,
      prepareMs: 0,
      primeTokens: 0,
      overheadMs: 0,
      totalMs: 0,
    };
    const finish = (result: Omit<LlmRecognition, "stats">): LlmRecognition => {
      stats.totalMs = this.#clock.monotonic() - started;
      // a copy: after a timeout the abandoned work may still write its figures into `stats`
      const recognition = { ...result, stats: { ...stats } };
      this.#log.debug(
        {
          outcome: result.outcome,
          intent:
            result.understanding.kind === "recognized" ? result.understanding.intents[0]?.name : undefined,
          problem: result.problem,
          ...stats,
        },
        "llm recognition finished",
      );
      return recognition;
    };
    const stopped = (): LlmRecognition =>
      finish({ understanding: NOT_UNDERSTOOD, outcome: options.signal?.aborted ? "aborted" : "timeout" });

    try {
      const work = this.#run(text, context, signal, options.seed, stats);
      const outcome = await untilAborted(work, signal);
      if (outcome === undefined) return stopped();
      return finish(outcome);
    } catch (err) {
      if (signal.aborted) return stopped();
      this.#log.warn({ err }, "llm recognition failed");
      return finish({ understanding: NOT_UNDERSTOOD, outcome: "invalid", problem: String(err) });
    }
  }

  async #run(
    text: string,
    context: FollowUpContext,
    signal: AbortSignal,
    seed: number | undefined,
    stats: LlmStats,
  ): Promise<Omit<LlmRecognition, "stats"> | undefined> {
    const prepStarted = this.#clock.monotonic();
    const needsPrepare = this.#prepared?.registryVersion !== this.#registry.version;
    const prepared = await this.#current();
    if (needsPrepare) {
      stats.prepareMs = this.#clock.monotonic() - prepStarted;
      stats.primeTokens = prepared.primeTokens;
    }
    if (signal.aborted) return undefined;

    const overheadStarted = this.#clock.monotonic();
    const userPrompt = this.#userPrompt(text, context);
    // the grammar's longest output, unless the context is too small for it (then a long answer is cut)
    const room = this.#model.contextSize - prepared.systemTokens - this.#model.countTokens(userPrompt) - 16;
    const maxTokens = Math.max(1, Math.min(prepared.schema.maxOutputBytes, room));
    stats.overheadMs += this.#clock.monotonic() - overheadStarted;

    const generated = await this.#model.generate({
      systemPrompt: prepared.systemPrompt,
      userPrompt,
      grammar: prepared.grammar,
      maxTokens,
      signal,
      temperature: this.#options.temperature,
      seed,
    });
    stats.promptTokens = generated.promptTokens;
    stats.generatedTokens = generated.generatedTokens;
    stats.firstTokenMs = generated.firstTokenMs;
    stats.modelMs = generated.totalMs;
    if (generated.stopReason === "abort" || signal.aborted) return undefined;

    const parseStarted = this.#clock.monotonic();
    const output = this.#parse(generated.text, prepared.schema, generated.stopReason === "maxTokens");
    stats.overheadMs += this.#clock.monotonic() - parseStarted;
    const raw = generated.text;
    switch (output.kind) {
      case "intent":
        return {
          understanding: {
            kind: "recognized",
            recognizer: "llm",
            intents: [{ ...output.intent, targets: [] }],
          },
          outcome: "intent",
          raw,
        };
      case "none":
        return { understanding: NOT_UNDERSTOOD, outcome: "none", raw };
      case "answer":
        return { understanding: NOT_UNDERSTOOD, outcome: "answer", answer: shortAnswer(output.text), raw };
      case "invalid":
        return { understanding: NOT_UNDERSTOOD, outcome: "invalid", problem: output.problem, raw };
    }
  }

  #parse(text: string, schema: IntentSchema, cut: boolean): LlmOutput {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { kind: "invalid", problem: cut ? "output cut at maxTokens" : "output is not JSON" };
    }
    return validateLlmOutput(value, schema, this.#registry);
  }

  /** The prepared prompt for the current registry version, rebuilding it (once) when stale. */
  async #current(): Promise<Prepared> {
    for (;;) {
      const version = this.#registry.version;
      if (this.#prepared?.registryVersion === version) return this.#prepared;
      let entry = this.#preparing;
      if (entry?.version !== version) {
        const building = { version, promise: this.#build() };
        entry = building;
        this.#preparing = building;
        building.promise
          .then((p) => {
            if (!this.#prepared || p.registryVersion >= this.#prepared.registryVersion) this.#prepared = p;
          })
          .catch(() => undefined)
          .finally(() => {
            if (this.#preparing === building) this.#preparing = undefined;
          });
      }
      const p = await entry.promise;
      // the registry changed while building: go round again for the newer version
      if (p.registryVersion === this.#registry.version) return p;
    }
  }

  async #build(): Promise<Prepared> {
    const started = this.#clock.monotonic();
    const registryVersion = this.#registry.version;
    const schema = buildIntentSchema(this.#registry, this.#options.intents, {
      answers: this.#options.answers,
      answerMaxLength: this.#options.maxAnswerTokens * CHARS_PER_TOKEN,
    });
    const grammar = await this.#model.createJsonGrammar(schema.schema);
    const { prompt, tokens, omitted } = this.#fitSystemPrompt(schema);
    const primed = await this.#model.prime(prompt);
    this.#log.info(
      {
        registryVersion,
        intents: schema.intents.length,
        promptTokens: primed.promptTokens,
        omittedDevices: omitted,
        ms: Math.round(this.#clock.monotonic() - started),
      },
      "llm prompt and grammar built",
    );
    if (omitted > 0)
      this.#log.warn({ omittedDevices: omitted }, "device list shortened to fit the llm context");
    return {
      registryVersion,
      schema,
      grammar,
      systemPrompt: prompt,
      systemTokens: tokens,
      primeTokens: primed.promptTokens,
      omittedDevices: omitted,
    };
  }

  /** The system prompt, with the device list shortened if it would not leave room in the context. */
  #fitSystemPrompt(schema: IntentSchema): { prompt: string; tokens: number; omitted: number } {
    const lines = this.#deviceLines();
    const contextSize = this.#model.contextSize;
    // room for the request and the reply (a long free-form answer may not fit a small context)
    const budget =
      contextSize -
      Math.min(schema.maxOutputBytes, Math.floor(contextSize / 4)) -
      (this.#options.requestTokens ?? 256);
    let keep = lines.length;
    let prompt = this.#systemPrompt(schema, lines, keep);
    let tokens = this.#model.countTokens(prompt);
    for (let attempt = 0; attempt < 8 && tokens > budget && keep > 0; attempt++) {
      const perLine = tokens / Math.max(1, keep + 10);
      keep = Math.max(0, keep - Math.ceil((tokens - budget) / Math.max(1, perLine)) - 1);
      prompt = this.#systemPrompt(schema, lines, keep);
      tokens = this.#model.countTokens(prompt);
    }
    return { prompt, tokens, omitted: lines.length - keep };
  }

  #deviceLines(): string[] {
    const areaName = (id: string | undefined) => (id ? (this.#registry.area(id)?.name ?? id) : undefined);
    return this.#registry
      .entities()
      .map((e) => {
        const where = areaName(e.areaId);
        const kind = e.deviceClass ? `${e.domain} (${e.deviceClass})` : e.domain;
        const aka = e.aliases.length > 0 ? `; also called ${e.aliases.map((a) => `"${a}"`).join(", ")}` : "";
        return `- ${e.name}: ${kind}${where ? `, ${where}` : ""}${aka}`;
      })
      .sort();
  }

  #systemPrompt(schema: IntentSchema, deviceLines: readonly string[], keep: number): string {
    const language = languageName(this.#options.language ?? "en");
    const rules = [
      ...(language === "English"
        ? []
        : [`- The user speaks ${language}; names and areas may be said in ${language}.`]),
      '- For a command or a question about the home, reply {"intent": ..., "slots": {...}} using only the intents, slots, names and areas listed below, spelled exactly as listed.',
      '- "it", "them", "there" and "too" mean the devices and area in the context line.',
      ...(this.#options.answers
        ? [
            `- For any other question or chat, reply {"answer": "..."} with one or two short sentences in ${language}.`,
          ]
        : []),
      '- If nothing fits, reply {"intent": "none"}.',
    ];
    const out: string[] = [
      "You are Hearth, the voice assistant of a home. Turn the user's request into one JSON object.",
      ...rules,
      "",
      "Intents and their slot combinations:",
    ];
    for (const intent of schema.intents) {
      const forms = intent.forms.map((f) => (f.length === 0 ? "(none)" : f.join("+"))).join(" | ");
      out.push(`- ${intent.spec.name}: ${intent.spec.description}. Slots: ${forms}`);
    }
    // stable parts first, devices last: a changed device only invalidates the end of the prompt
    const floors = this.#registry.floors().map((f) => f.name);
    if (floors.length > 0) out.push("", `Floors: ${floors.sort().join("; ")}`);
    const areas = this.#registry
      .areas()
      .map((a) => {
        const floor = a.floorId ? this.#registry.floor(a.floorId)?.name : undefined;
        return floor ? `${a.name} (${floor})` : a.name;
      })
      .sort();
    if (areas.length > 0) out.push("", `Areas: ${areas.join("; ")}`);
    if (deviceLines.length > 0) {
      out.push("", "Devices (name: domain, area):", ...deviceLines.slice(0, keep));
      if (keep < deviceLines.length) out.push(`(and ${deviceLines.length - keep} more devices)`);
    }
    return out.join("\n");
  }

  #userPrompt(text: string, context: FollowUpContext): string {
    const parts: string[] = [];
    const area = (id: string | undefined) => (id ? this.#registry.area(id)?.name : undefined);
    const site = area(context.siteAreaId);
    if (site) parts.push(`The speaker is in the ${site}.`);
    const last = (context.lastEntityIds ?? [])
      .map((id) => this.#registry.entity(id))
      .flatMap((e) => (e ? [area(e.areaId) ? `${e.name} (${area(e.areaId)})` : e.name] : []));
    if (last.length > 0) parts.push(`Last devices: ${last.join(", ")}.`);
    const lastArea = area(context.lastAreaId);
    if (lastArea) parts.push(`Last area: ${lastArea}.`);
    const request = text.trim();
    return parts.length > 0 ? `Context: ${parts.join(" ")}\nRequest: ${request}` : `Request: ${request}`;
  }
}

/** At most two sentences: answers are spoken, and a long one is worse than a short one. */
export function shortAnswer(text: string): string {
  const sentences = text.trim().split(/(?<=[.!?])\s+/);
  return sentences.slice(0, 2).join(" ");
}

/** Resolves with the work's result, or with undefined as soon as `signal` aborts. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.resolve(undefined);
  }
  return new Promise<T | undefined>((resolve, reject) => {
    const onAbort = () => {
      // the work goes on in the background (a prompt being primed still helps the next sentence)
      work.catch(() => undefined);
      resolve(undefined);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (err: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(err);
      },
    );
  });
}

/** A language code's English name ("de" → "German"), which a model follows better than a code. */
function languageName(code: string): string {
  try {
    return new Intl.DisplayNames(["en"], { type: "language" }).of(code.replace("_", "-")) ?? code;
  } catch {
    return code;
  }
}
