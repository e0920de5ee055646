import { type Clock, systemClock } from "../../core/clock.js";
import { HearthError } from "../../core/errors.js";
import type { Logger } from "../../core/logger.js";
import type { AudioSource, AudioStream } from "../types.js";

/** Options of {@link RetryingSource}. */
export interface RetryingSourceOptions {
  logger: Logger;
  /** Milliseconds to wait before reopening after a device fault. */
  retryMs: number;
  /** Called on every device fault, e.g. to publish availability; never throws into the stream. */
  onFault?: ((error: HearthError) => void) | undefined;
  /** Whose time the wait between attempts runs on; default the system clock. */
  clock?: Clock | undefined;
}

/**
 * Keeps a source open: when it fails with HearthError("AUDIO_DEVICE") (no sound card, device busy,
 * microphone unplugged mid-run) it logs a warning, waits `retryMs` and opens it again, forever,
 * until the signal aborts. Other errors pass through. Hearth's text and MQTT paths keep working
 * meanwhile because nothing else waits on this stream.
 */
export class RetryingSource implements AudioSource {
  readonly name: string;
  readonly #inner: AudioSource;
  readonly #options: RetryingSourceOptions;

  constructor(inner: AudioSource, options: RetryingSourceOptions) {
    this.#inner = inner;
    this.#options = options;
    this.name = inner.name;
  }

  async *stream(signal?: AbortSignal): AudioStream {
    let failures = 0;
    while (!signal?.aborted) {
      try {
        for await (const chunk of this.#inner.stream(signal)) {
          failures = 0;
          yield chunk;
        }
        return;
      } catch (err) {
        if (!(err instanceof HearthError) || err.code !== "AUDIO_DEVICE") throw err;
        failures++;
        // Warn on the first failure of a streak, then debug: a missing card must not flood the journal.
        // One line a person can act on: what is wrong and what to do, no stack trace (the cause
        // is in the message; the stack of a missing sound card says nothing).
        const log = failures === 1 ? this.#options.logger.warn : this.#options.logger.debug;
        log.call(
          this.#options.logger,
          { source: this.name, problem: err.message, fix: err.details[0], retryMs: this.#options.retryMs },
          "audio source unavailable; retrying",
        );
        this.#options.onFault?.(err);
        if (!(await this.#waitToRetry(signal))) return;
      }
    }
  }

  /** Waits the retry period on the clock; false when `signal` aborted first. */
  #waitToRetry(signal: AbortSignal | undefined): Promise<boolean> {
    const { retryMs, clock = systemClock } = this.#options;
    const waited = clock.timeout(retryMs, "the audio source's retry");
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve(false);
      const done = (retry: boolean) => {
        signal?.removeEventListener("abort", aborted);
        waited.removeEventListener("abort", elapsed);
        resolve(retry);
      };
      const aborted = () => done(false);
      const elapsed = () => done(true);
      signal?.addEventListener("abort", aborted, { once: true });
      waited.addEventListener("abort", elapsed, { once: true });
    });
  }
}
