import { type AudioSource, type AudioStream, SAMPLE_RATE } from "../audio/types.js";

/** Options of {@link LeadInSource}. */
export interface LeadInOptions {
  /** Milliseconds of silence before the recording. */
  leadInMs: number;
  /** Milliseconds of silence after it. */
  tailMs: number;
  /** Milliseconds per silent chunk (the recording's own chunks pass unchanged). Default 80. */
  chunkMs?: number | undefined;
}

/**
 * A recording played as if it came from a live microphone: silence before it, because openWakeWord
 * scores only after 2 s of audio (its mel and embedding windows) and a live stream always has them,
 * and silence after it, so a wake word or a command at the very end still completes (the silence
 * tail that ends an utterance, openWakeWord's last frames). `hearth detect-wake` pads files the same
 * way.
 */
export class LeadInSource implements AudioSource {
  readonly name: string;
  readonly #inner: AudioSource;
  readonly #options: LeadInOptions;

  constructor(inner: AudioSource, options: LeadInOptions) {
    this.#inner = inner;
    this.#options = options;
    this.name = inner.name;
  }

  async *stream(signal?: AbortSignal): AudioStream {
    yield* this.#silence(this.#options.leadInMs, signal);
    yield* this.#inner.stream(signal);
    yield* this.#silence(this.#options.tailMs, signal);
  }

  *#silence(ms: number, signal: AbortSignal | undefined): Generator<Int16Array> {
    const chunk = Math.max(1, Math.round(((this.#options.chunkMs ?? 80) * SAMPLE_RATE) / 1000));
    let left = Math.round((ms * SAMPLE_RATE) / 1000);
    while (left > 0 && !signal?.aborted) {
      const size = Math.min(chunk, left);
      left -= size;
      yield new Int16Array(size);
    }
  }
}
