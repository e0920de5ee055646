import { availableParallelism } from "node:os";
import type {
  ChatHistoryItem,
  Llama,
  LlamaChat,
  LlamaContext,
  LlamaContextSequence,
  LlamaGrammar,
  LlamaModel,
} from "node-llama-cpp";
import type { Clock } from "../core/clock.js";
import { HearthError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import { disableLibraryTelemetry } from "../core/privacy.js";
import { checkModelFile, type ModelFileCheckOptions, type ModelFileFacts } from "./gguf-check.js";

/** A JSON-schema grammar compiled for the loaded model; opaque outside the runtime. */
export interface JsonGrammar {
  readonly schema: object;
}

/** One grammar-constrained generation: a system prompt (reused between calls) and a user turn. */
export interface GenerateRequest {
  systemPrompt: string;
  userPrompt: string;
  grammar: JsonGrammar;
  /** Upper bound on generated tokens. */
  maxTokens: number;
  /** Aborting stops generation; the result then has stopReason "abort". */
  signal?: AbortSignal | undefined;
  /** 0 (the default) picks the most likely token every time: the same sentence gives the same answer. */
  temperature?: number | undefined;
  /** Sampling seed, only used when temperature > 0. */
  seed?: number | undefined;
}

/** What came back, with the figures the bench and the logs need. */
export interface GenerateResult {
  text: string;
  stopReason: "done" | "maxTokens" | "abort";
  /** Prompt tokens evaluated for this call: fewer when the system prompt was already in the context. */
  promptTokens: number;
  generatedTokens: number;
  /** Milliseconds from the call to the first generated token, when there was one. */
  firstTokenMs?: number | undefined;
  totalMs: number;
}

/** The role the recognizer depends on: grammar-constrained generation with a reusable system prompt. */
export interface LanguageModel {
  /** Compiles a JSON schema (node-llama-cpp's GBNF JSON-schema subset) into a grammar. */
  createJsonGrammar(schema: object): Promise<JsonGrammar>;
  /**
   * Evaluates a system prompt now, so the next request that starts with it only evaluates its own
   * turn. A signal that aborts while it waits for an earlier request skips it; once started it runs
   * to the end (llama.cpp cannot stop a prompt evaluation half-way).
   */
  prime(systemPrompt: string, signal?: AbortSignal): Promise<{ promptTokens: number }>;
  generate(request: GenerateRequest): Promise<GenerateResult>;
  /** Token count of a text, to keep prompts inside the context window. */
  countTokens(text: string): number;
  /** Context window in tokens. */
  readonly contextSize: number;
}

export interface LlamaRuntimeOptions {
  /** Path of the GGUF model. */
  modelPath: string;
  /** CPU threads; default os.availableParallelism(). node-llama-cpp's own default oversubscribes small boards. */
  threads?: number | undefined;
  /** Context window in tokens. */
  contextSize: number;
  /** Prompt tokens per evaluation batch. */
  batchSize: number;
  /** Use a GPU when one is found; CPU only when false. */
  gpu: boolean;
  /** Passed to the model file check (tests inject a small memory figure). */
  check?: ModelFileCheckOptions | undefined;
}

export interface LlamaRuntimeDeps {
  logger: Logger;
  clock: Clock;
}

/** What start() learned, for logs, `hearth doctor` and the bench. */
export interface LlamaRuntimeInfo {
  file: ModelFileFacts;
  loadMs: number;
  threads: number;
  contextSize: number;
  batchSize: number;
  gpu: string | false;
  chatWrapper: string;
}

interface Loaded {
  llama: Llama;
  model: LlamaModel;
  context: LlamaContext;
  sequence: LlamaContextSequence;
  chat: LlamaChat;
}

class RuntimeGrammar implements JsonGrammar {
  readonly schema: object;
  readonly grammar: LlamaGrammar;

  constructor(schema: object, grammar: LlamaGrammar) {
    this.schema = schema;
    this.grammar = grammar;
  }
}

/**
 * The one Llama instance, one model and one context (with one sequence) of a Hearth. node-llama-cpp
 * is imported inside start(), so a Hearth whose LLM is off never loads the library or its native
 * addon. Requests run one at a time on the single sequence; each call's history is
 * [system, user], so the tokens of a system prompt that has not changed are still in the sequence
 * from the previous call and only the new user turn is evaluated.
 */
export class LlamaRuntime implements LanguageModel {
  readonly #options: LlamaRuntimeOptions;
  readonly #log: Logger;
  readonly #clock: Clock;
  #loaded: Loaded | undefined;
  #info: LlamaRuntimeInfo | undefined;
  /** Serialises requests: the single context sequence can only do one thing at a time. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: LlamaRuntimeOptions, deps: LlamaRuntimeDeps) {
    this.#options = options;
    this.#log = deps.logger;
    this.#clock = deps.clock;
  }

  /** Set after start(). */
  get info(): LlamaRuntimeInfo | undefined {
    return this.#info;
  }

  get contextSize(): number {
    return this.#require().context.contextSize;
  }

  /**
   * Checks the model file, then loads the library, the model and a context. Throws
   * HearthError("MODEL_INVALID") for a bad file and HearthError("ENGINE_FAILED") when llama.cpp
   * cannot load it; the caller logs that and carries on with templates alone.
   */
  async start(): Promise<LlamaRuntimeInfo> {
    if (this.#info) return this.#info;
    const started = this.#clock.monotonic();
    const threads = this.#options.threads ?? availableParallelism();
    const file = await checkModelFile(this.#options.modelPath, {
      contextTokens: this.#options.contextSize,
      ...this.#options.check,
    });
    let llama: Llama | undefined;
    try {
      disableLibraryTelemetry();
      const lib = await import("node-llama-cpp");
      llama = await lib.getLlama({
        gpu: this.#options.gpu ? "auto" : false,
        // never compile llama.cpp on the device: the prebuilt binaries or an error
        build: "never",
        maxThreads: threads,
        logLevel: lib.LlamaLogLevel.warn,
        logger: (level, message) => {
          const text = message.trim();
          if (!text) return;
          if (level === lib.LlamaLogLevel.error || level === lib.LlamaLogLevel.fatal)
            this.#log.error({ llama: text }, "llama.cpp error");
          else if (level === lib.LlamaLogLevel.warn) this.#log.warn({ llama: text }, "llama.cpp warning");
          else this.#log.debug({ llama: text }, "llama.cpp log");
        },
      });
      const model = await llama.loadModel({
        modelPath: this.#options.modelPath,
        gpuLayers: this.#options.gpu ? "auto" : 0,
      });
      const context = await model.createContext({
        contextSize: this.#options.contextSize,
        batchSize: this.#options.batchSize,
        threads,
        sequences: 1,
      });
      const sequence = context.getSequence();
      const chat = new lib.LlamaChat({ contextSequence: sequence });
      this.#loaded = { llama, model, context, sequence, chat };
      const figures = {
        loadMs: Math.round(this.#clock.monotonic() - started),
        threads,
        contextSize: context.contextSize,
        batchSize: this.#options.batchSize,
        gpu: llama.gpu,
        chatWrapper: chat.chatWrapper.wrapperName,
      };
      this.#info = { file, ...figures };
      this.#log.info(
        { model: file.path, architecture: file.architecture, bytes: file.bytes, ...figures },
        "language model loaded",
      );
      return this.#info;
    } catch (err) {
      await llama?.dispose().catch(() => undefined);
      throw new HearthError(
        "ENGINE_FAILED",
        `the language model could not be loaded: ${this.#options.modelPath}`,
        {
          cause: err,
        },
      );
    }
  }

  /** Frees the context, the model and the library's native resources; idempotent. */
  async stop(): Promise<void> {
    const loaded = this.#loaded;
    this.#loaded = undefined;
    this.#info = undefined;
    if (!loaded) return;
    await this.#queue.catch(() => undefined);
    loaded.chat.dispose();
    await loaded.context.dispose();
    await loaded.model.dispose();
    await loaded.llama.dispose();
  }

  async createJsonGrammar(schema: object): Promise<JsonGrammar> {
    const { llama } = this.#require();
    // node-llama-cpp types the schema precisely; ours is built at run time from the registry
    const grammar = await llama.createGrammarForJsonSchema(
      schema as Parameters<Llama["createGrammarForJsonSchema"]>[0],
    );
    return new RuntimeGrammar(schema, grammar);
  }

  countTokens(text: string): number {
    return this.#require().model.tokenize(text).length;
  }

  prime(systemPrompt: string, signal?: AbortSignal): Promise<{ promptTokens: number }> {
    return this.#exclusive(
      signal,
      () => ({ promptTokens: 0 }),
      async () => {
        const { chat, sequence, model } = this.#require();
        const history: ChatHistoryItem[] = [{ type: "system", text: systemPrompt }];
        const tokens = chat.chatWrapper
          .generateContextState({ chatHistory: history })
          .contextText.tokenize(model.tokenizer);
        const before = sequence.tokenMeter.getState();
        // keep what is already evaluated and matches; evaluate only the rest
        await sequence.adaptStateToTokens(tokens, false);
        const rest = tokens.slice(sequence.nextTokenIndex);
        if (rest.length > 0) await sequence.evaluateWithoutGeneratingNewTokens(rest);
        return { promptTokens: sequence.tokenMeter.diff(before).usedInputTokens };
      },
    );
  }

  generate(request: GenerateRequest): Promise<GenerateResult> {
    const aborted = (): GenerateResult => ({
      text: "",
      stopReason: "abort",
      promptTokens: 0,
      generatedTokens: 0,
      totalMs: 0,
    });
    return this.#exclusive(request.signal, aborted, async () => {
      const { chat, sequence } = this.#require();
      if (!(request.grammar instanceof RuntimeGrammar))
        throw new TypeError("grammar was not made by this runtime");
      const started = this.#clock.monotonic();
      const before = sequence.tokenMeter.getState();
      let firstTokenMs: number | undefined;
      const history: ChatHistoryItem[] = [
        { type: "system", text: request.systemPrompt },
        { type: "user", text: request.userPrompt },
        { type: "model", response: [] },
      ];
      const figures = (text: string, stopReason: GenerateResult["stopReason"]): GenerateResult => {
        const used = sequence.tokenMeter.diff(before);
        return {
          text,
          stopReason,
          promptTokens: used.usedInputTokens,
          generatedTokens: used.usedOutputTokens,
          firstTokenMs,
          totalMs: this.#clock.monotonic() - started,
        };
      };
      try {
        const response = await chat.generateResponse(history, {
          grammar: request.grammar.grammar,
          maxTokens: request.maxTokens,
          signal: request.signal,
          stopOnAbortSignal: true,
          temperature: request.temperature ?? 0,
          seed: request.seed,
          // models that think first (Qwen3) would spend the time budget on thoughts nobody hears
          budgets: { thoughtTokens: 0 },
          onToken: () => {
            firstTokenMs ??= this.#clock.monotonic() - started;
          },
        });
        const reason = response.metadata.stopReason;
        return figures(
          response.response,
          reason === "abort" ? "abort" : reason === "maxTokens" ? "maxTokens" : "done",
        );
      } catch (err) {
        // aborted before the first token: node-llama-cpp throws the signal's reason
        if (request.signal?.aborted) return figures("", "abort");
        throw new HearthError("ENGINE_FAILED", "the language model failed while generating", { cause: err });
      }
    });
  }

  #require(): Loaded {
    if (!this.#loaded)
      throw new HearthError("ENGINE_FAILED", "the language model is not loaded (call start() first)");
    return this.#loaded;
  }

  /**
   * Runs `task` after every earlier request. A caller whose signal aborts while it waits stops
   * waiting (and gets `aborted()`), but the next request still waits for the one that is running.
   */
  #exclusive<T>(signal: AbortSignal | undefined, aborted: () => T, task: () => Promise<T>): Promise<T> {
    const previous = this.#queue;
    const run = (async () => {
      await waitUnlessAborted(previous, signal);
      if (signal?.aborted) return aborted();
      return task();
    })();
    this.#queue = Promise.all([previous, run]).catch(() => undefined);
    return run;
  }
}

/** Resolves when `promise` settles or `signal` aborts, whichever is first; never rejects. */
function waitUnlessAborted(promise: Promise<unknown>, signal: AbortSignal | undefined): Promise<void> {
  const settled = promise.then(
    () => undefined,
    () => undefined,
  );
  if (!signal) return settled;
  if (signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const onAbort = () => resolve();
    signal.addEventListener("abort", onAbort, { once: true });
    void settled.then(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    });
  });
}
