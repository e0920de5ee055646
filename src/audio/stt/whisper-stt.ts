import { availableParallelism } from "node:os";
import { isAbsolute, resolve } from "node:path";
import { setImmediate as nextTurn } from "node:timers/promises";
import type { WhisperSttConfig } from "../../config/schema.js";
import { type Clock, systemClock } from "../../core/clock.js";
import { HearthError } from "../../core/errors.js";
import type { Logger } from "../../core/logger.js";
import { SAMPLE_RATE } from "../types.js";
import {
  loadWhisperBinding,
  type NativeTranscribeResult,
  type NativeWhisperContext,
  type WhisperBinding,
} from "./whisper-binding.js";
import { checkWhisperModel, type WhisperModelFacts } from "./whisper-model-check.js";
import { buildWhisperPrompt } from "./whisper-prompt.js";
import { cleanWhisperText } from "./whisper-text.js";

/** What the engine is built from. */
export interface WhisperSttOptions {
  /** The `stt.whisper` config section. */
  config: WhisperSttConfig;
  /** Folder a relative `model` path is resolved against: the config file's. */
  baseDir: string;
  logger: Logger;
  clock?: Clock;
}

/** Options of one transcription. */
export interface WhisperTranscribeOptions {
  /**
   * Aborting rejects the transcription at once with the signal's reason. whisper.cpp itself cannot
   * be interrupted through this binding (see {@link WhisperStt}): the native pass runs to its end
   * in the background and the next transcription starts after it.
   */
  signal?: AbortSignal | undefined;
  /**
   * Names whisper should expect (devices, areas, floors), most important first; they become its
   * initial prompt, up to `prompt_max_chars`.
   */
  vocabulary?: readonly string[] | undefined;
}

/** A stretch of the transcript with its place in the audio. */
export interface WhisperSegment {
  text: string;
  /** Milliseconds from the start of the audio. */
  startMs: number;
  endMs: number;
}

/** What was heard. An empty `text` means nothing was said (silence, noise, a cough). */
export interface WhisperTranscript {
  /** Plain text, non-speech annotations such as "[BLANK_AUDIO]" removed. Names are not snapped here. */
  text: string;
  segments: WhisperSegment[];
  /** Wall-clock milliseconds from the call to the result, including any wait for an earlier pass. */
  ms: number;
  /** Length of the audio in milliseconds. */
  audioMs: number;
}

/** Turns of the event loop to wait for whisper.cpp's log lines after a failed load. */
const MAX_LOG_TURNS = 20;

/** A transcription waiting for its result; `cancel` settles it early (abort, stop). */
type Cancel = (reason: unknown) => void;

/**
 * Speech-to-text with whisper.cpp through `@fugood/whisper.node`. `start()` checks the model file
 * in JavaScript, then imports the native addon and loads the model; `transcribe()` runs one pass
 * over a whole utterance; `stop()` releases the model. Transcriptions run one at a time, in call
 * order (the native context is single-use anyway); each uses `threads` CPU threads, by default the
 * CPUs available to the process, never the binding's own default of up to 8, which
 * oversubscribes a small device.
 *
 * Aborting cannot interrupt whisper.cpp here. The binding's `stop()` only sets a flag read before
 * and after whisper_full(), and when it is set the worker reports the error through a one-argument
 * callback that its two-argument handler ignores (src/WhisperContext.cpp, 1.1.3), so the promise
 * never settles. Hearth therefore never calls it: an aborted transcription rejects at once and
 * its native pass is abandoned, runs to its end in the background, and the next pass waits for it.
 * A pass over a command takes about as long as the utterance or less, so the delay is bounded.
 *
 * whisper.cpp's log lines go to the logger at debug (errors at warn) while the engine is started.
 * That routing is process-wide in the binding, so one process should start one whisper engine.
 */
export class WhisperStt {
  readonly name = "whisper";
  private readonly log: Logger;
  private readonly clock: Clock;
  private binding: WhisperBinding | undefined;
  private context: NativeWhisperContext | undefined;
  private logListener: { remove: () => void } | undefined;
  private facts: WhisperModelFacts | undefined;
  /** Settles when the last native pass started has finished; the next one chains on it. */
  private tail: Promise<void> = Promise.resolve();
  /** Native passes started or waiting to start. */
  private queued = 0;
  private readonly pending = new Set<Cancel>();
  private starting: Promise<void> | undefined;

  constructor(private readonly options: WhisperSttOptions) {
    this.log = options.logger.child({ module: "stt", engine: "whisper" });
    this.clock = options.clock ?? systemClock;
  }

  /** Absolute path of the configured model. */
  get modelPath(): string {
    const model = this.options.config.model;
    if (model === undefined) {
      throw new HearthError(
        "CONFIG_INVALID",
        "stt.whisper.model is not set: give the path of a whisper.cpp ggml model (e.g. ggml-base.en.bin)",
      );
    }
    return isAbsolute(model) ? model : resolve(this.options.baseDir, model);
  }

  /** CPU threads per transcription. */
  get threads(): number {
    return this.options.config.threads ?? availableParallelism();
  }

  /** Facts about the loaded model; undefined until started. */
  get model(): WhisperModelFacts | undefined {
    return this.facts;
  }

  /**
   * Checks and loads the model. Idempotent. The native load blocks the event loop while whisper.cpp
   * reads the file (the binding's constructor is synchronous): do it at startup, not per request.
   *
   * @throws HearthError CONFIG_INVALID without a model path, MODEL_INVALID for a missing, broken or
   *   unloadable file (with whisper.cpp's own error lines in `details`), ENGINE_FAILED when the
   *   native addon cannot be loaded.
   */
  async start(): Promise<void> {
    if (this.context !== undefined) return;
    this.starting ??= this.load().finally(() => {
      this.starting = undefined;
    });
    await this.starting;
  }

  private async load(): Promise<void> {
    const config = this.options.config;
    const path = this.modelPath;
    const facts = await checkWhisperModel(path);
    if (!facts.multilingual && config.language !== "en") {
      this.log.warn(
        { model: path, language: config.language },
        "English-only whisper model, language ignored",
      );
    }

    const binding = this.binding ?? (await this.importBinding());
    this.binding = binding;
    const nativeErrors: string[] = [];
    const listener = binding.addNativeLogListener((level, text) => {
      const line = text.trim();
      if (line === "") return;
      if (level === "error") {
        nativeErrors.push(line);
        this.log.warn({ native: line }, "whisper.cpp error");
      } else {
        this.log.debug({ native: line, nativeLevel: level }, "whisper.cpp log");
      }
    });
    await binding.toggleNativeLog(true);

    const started = this.clock.monotonic();
    try {
      this.context = await binding.initWhisper(
        { filePath: path, useGpu: config.backend !== "cpu" },
        config.backend === "cpu" ? "default" : config.backend,
      );
    } catch (err) {
      // whisper.cpp's reason arrives through a thread-safe callback a turn or two of the loop later.
      let seen = -1;
      for (
        let turn = 0;
        turn < MAX_LOG_TURNS && (nativeErrors.length === 0 || seen !== nativeErrors.length);
        turn++
      ) {
        seen = nativeErrors.length;
        await nextTurn();
      }
      listener.remove();
      await binding.toggleNativeLog(false);
      // initWhisper also loads the platform's native addon on first use.
      if (err instanceof Error && err.message.startsWith("Failed to load whisper.node")) {
        throw new HearthError(
          "ENGINE_FAILED",
          `the whisper.cpp native addon could not be loaded: ${err.message}`,
          {
            cause: err,
          },
        );
      }
      // The first error names the cause ("tensor … has wrong shape"); later ones only say "failed".
      const reason = nativeErrors[0]?.replace(/^\w+: /, "");
      throw new HearthError(
        "MODEL_INVALID",
        `whisper.cpp could not load ${path}${reason === undefined ? "" : `: ${reason}`}`,
        { cause: err, details: nativeErrors },
      );
    }
    this.logListener = listener;
    this.facts = facts;
    this.log.info(
      {
        model: path,
        bytes: facts.bytes,
        ms: Math.round(this.clock.monotonic() - started),
        threads: this.threads,
        backend: config.backend,
      },
      "whisper model loaded",
    );
  }

  /**
   * Transcribes one utterance: 16 kHz, 16-bit mono samples (the whole utterance; whisper is not
   * streaming). Empty audio gives an empty transcript.
   *
   * @throws the signal's reason when aborted; HearthError ENGINE_FAILED when not started, stopped
   *   meanwhile, or whisper.cpp fails.
   */
  transcribe(audio: Int16Array, options: WhisperTranscribeOptions = {}): Promise<WhisperTranscript> {
    const context = this.context;
    if (context === undefined) {
      return Promise.reject(new HearthError("ENGINE_FAILED", "the whisper engine is not started"));
    }
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const config = this.options.config;
    const prompt = buildWhisperPrompt(options.vocabulary ?? [], config.prompt_max_chars);
    // A copy: the samples may be a view into a larger (or later reused) buffer.
    const data = audio.slice().buffer;
    const audioMs = (audio.length * 1000) / SAMPLE_RATE;
    const started = this.clock.monotonic();

    return new Promise<WhisperTranscript>((resolvePromise, rejectPromise) => {
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener("abort", onAbort);
        this.pending.delete(cancel);
        outcome();
      };
      // The native pass is abandoned, not stopped: see the class comment.
      const cancel: Cancel = (reason) => settle(() => rejectPromise(reason));
      const onAbort = () => cancel(signal?.reason);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.pending.add(cancel);

      const run = (): Promise<void> => {
        // Counted down before the caller hears of the result, so a call made on hearing it starts at once.
        const done = () => {
          this.queued--;
        };
        if (settled) {
          done(); // aborted while waiting: the native code never sees it
          return Promise.resolve();
        }
        let native: ReturnType<NativeWhisperContext["transcribeData"]>;
        try {
          native = context.transcribeData(data, {
            language: config.language,
            maxThreads: this.threads,
            temperature: 0,
            temperatureInc: config.temperature_increment,
            ...(prompt === "" ? {} : { prompt }),
          });
        } catch (err) {
          done();
          settle(() => rejectPromise(this.failure(err)));
          return Promise.resolve();
        }
        return native.promise.then(
          (result) => {
            done();
            const transcript = this.transcript(result, started, audioMs);
            this.log.debug(
              { audioMs, ms: transcript.ms, promptChars: prompt.length, chars: transcript.text.length },
              "utterance transcribed",
            );
            settle(() => resolvePromise(transcript));
          },
          (err: unknown) => {
            done();
            settle(() => rejectPromise(this.failure(err)));
          },
        );
      };
      // Start at once when idle, so a caller aborting right after this call aborts a running pass.
      const idle = this.queued === 0;
      this.queued++;
      const pass = idle ? run() : this.tail.then(run);
      this.tail = pass;
    });
  }

  /**
   * Releases the model. Idempotent. Transcriptions not yet answered reject at once with an
   * AbortError; a native pass already running is first allowed to end (releasing under it would
   * leave its promise unsettled, see the class comment), so this can take one pass's time.
   */
  async stop(): Promise<void> {
    // A load in progress finishes first, so it cannot leave a model loaded after stop() returned.
    await this.starting?.catch(() => undefined);
    const context = this.context;
    if (context === undefined) return;
    this.context = undefined;
    this.facts = undefined;
    const stopped = new DOMException("the whisper engine was stopped", "AbortError");
    for (const cancel of [...this.pending]) cancel(stopped);
    await this.tail;
    await context.release();
    this.logListener?.remove();
    this.logListener = undefined;
    await this.binding?.toggleNativeLog(false);
    this.log.debug("whisper model released");
  }

  private async importBinding(): Promise<WhisperBinding> {
    try {
      return await loadWhisperBinding();
    } catch (err) {
      throw new HearthError(
        "ENGINE_FAILED",
        `the whisper.cpp binding (@fugood/whisper.node) could not be loaded: ${err instanceof Error ? err.message : String(err)}`,
        { cause: err },
      );
    }
  }

  private transcript(result: NativeTranscribeResult, started: number, audioMs: number): WhisperTranscript {
    const segments = result.segments
      .map((segment) => ({ text: cleanWhisperText(segment.text), startMs: segment.t0, endMs: segment.t1 }))
      .filter((segment) => segment.text !== "");
    return {
      text: cleanWhisperText(result.result),
      segments,
      ms: Math.round(this.clock.monotonic() - started),
      audioMs,
    };
  }

  private failure(err: unknown): HearthError {
    const message = err instanceof Error ? err.message : String(err);
    return new HearthError("ENGINE_FAILED", `whisper transcription failed: ${message}`, { cause: err });
  }
}
