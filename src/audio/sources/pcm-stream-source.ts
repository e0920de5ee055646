import type { Readable } from "node:stream";
import { HearthError } from "../../core/errors.js";
import { bytesToInt16, downmix, floatToInt16, int16ToFloat, Resampler } from "../pcm.js";
import { type AudioSource, type AudioStream, SAMPLE_RATE } from "../types.js";

/** Options of {@link PcmStreamSource}. */
export interface PcmStreamSourceOptions {
  /** Sample rate of the incoming raw audio, in hertz. Default 16 000. */
  sampleRate?: number | undefined;
  /** Interleaved channels in the incoming audio. Default 1. */
  channels?: number | undefined;
  /** A short description for logs. Default "stdin". */
  name?: string | undefined;
}

/**
 * Raw signed 16-bit little-endian PCM from a byte stream (stdin by default: `arecord … | hearth run
 * --input -`, or audio from another program), converted to 16 kHz mono. Chunks are yielded as they
 * arrive; a stream cut mid-sample just drops the odd byte.
 */
export class PcmStreamSource implements AudioSource {
  readonly name: string;
  readonly #input: () => Readable;
  readonly #rate: number;
  readonly #channels: number;

  /** `input` is called once per `stream()` (e.g. `() => process.stdin`). */
  constructor(input: () => Readable, options: PcmStreamSourceOptions = {}) {
    this.#input = input;
    this.#rate = options.sampleRate ?? SAMPLE_RATE;
    this.#channels = options.channels ?? 1;
    this.name = options.name ?? "stdin";
    if (!Number.isInteger(this.#channels) || this.#channels < 1) {
      throw new HearthError("AUDIO_INVALID", `${this.name}: channels must be a positive integer`);
    }
  }

  async *stream(signal?: AbortSignal): AudioStream {
    const input = this.#input();
    const frameBytes = 2 * this.#channels;
    const resampler = this.#rate === SAMPLE_RATE ? undefined : new Resampler(this.#rate, SAMPLE_RATE);
    let carry = Buffer.alloc(0);
    const convert = (samples: Int16Array): Int16Array => {
      let mono: Int16Array = samples;
      if (this.#channels > 1) {
        const channels: Float32Array[] = [];
        const frames = samples.length / this.#channels;
        for (let c = 0; c < this.#channels; c++) {
          const channel = new Float32Array(frames);
          for (let i = 0; i < frames; i++) channel[i] = (samples[i * this.#channels + c] as number) / 32768;
          channels.push(channel);
        }
        mono = floatToInt16(downmix(channels));
      }
      return resampler ? floatToInt16(resampler.process(int16ToFloat(mono))) : mono;
    };
    const onAbort = (): void => {
      input.destroy();
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      for await (const data of input as AsyncIterable<Buffer | string>) {
        if (signal?.aborted) return;
        const bytes = typeof data === "string" ? Buffer.from(data, "latin1") : data;
        const joined = carry.length === 0 ? bytes : Buffer.concat([carry, bytes]);
        const usable = joined.length - (joined.length % frameBytes);
        carry = Buffer.from(joined.subarray(usable));
        if (usable === 0) continue;
        // Copy: the stream may reuse its buffer, and the chunk must outlive this iteration.
        const samples = bytesToInt16(Uint8Array.prototype.slice.call(joined, 0, usable));
        const out = convert(samples);
        if (out.length > 0) yield out;
      }
    } catch (err) {
      if (signal?.aborted) return;
      throw new HearthError("AUDIO_DEVICE", `${this.name}: the audio stream failed`, { cause: err });
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
    if (resampler) {
      const tail = floatToInt16(resampler.flush());
      if (tail.length > 0) yield tail;
    }
  }
}
