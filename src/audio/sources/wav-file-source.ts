import { type AudioSource, type AudioStream, SAMPLE_RATE } from "../types.js";
import { readWavFile, type WavLimits } from "../wav.js";

/** Options of {@link WavFileSource}. */
export interface WavFileSourceOptions {
  /** Milliseconds of audio per chunk. Default 80 (openWakeWord's frame). */
  chunkMs?: number | undefined;
  /** Limits on the file (length, size, rates). */
  limits?: WavLimits | undefined;
}

/**
 * A WAV file as an audio source: any common rate (8–48 kHz and more), mono or stereo, 8–32-bit PCM
 * or float, converted to 16 kHz mono 16-bit and yielded in chunks as fast as it is read (the
 * pipeline is not paced by a clock, so tests and `understand` run faster than real time).
 */
export class WavFileSource implements AudioSource {
  readonly name: string;
  readonly #path: string;
  readonly #options: WavFileSourceOptions;

  constructor(path: string, options: WavFileSourceOptions = {}) {
    this.#path = path;
    this.#options = options;
    this.name = `file:${path}`;
  }

  async *stream(signal?: AbortSignal): AudioStream {
    const samples = await readWavFile(this.#path, this.#options.limits);
    const size = Math.max(1, Math.round(((this.#options.chunkMs ?? 80) * SAMPLE_RATE) / 1000));
    for (let offset = 0; offset < samples.length; offset += size) {
      if (signal?.aborted) return;
      yield samples.slice(offset, offset + size);
    }
  }
}
