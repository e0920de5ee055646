/**
 * Sample-level conversions at the edges of Hearth: float ↔ int16, channels → mono, and sample-rate
 * conversion with a windowed-sinc low-pass filter (so 44.1/48 kHz input does not alias into the
 * 0–8 kHz band the recognisers listen to).
 */

/** Converts float samples (nominally −1…1) to 16-bit, rounding and clipping. */
export function floatToInt16(samples: ArrayLike<number>): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const scaled = Math.round((samples[i] as number) * 32768);
    out[i] = Math.min(32767, Math.max(-32768, scaled));
  }
  return out;
}

/** Converts 16-bit samples to float in −1…1. */
export function int16ToFloat(samples: Int16Array): Float32Array {
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = (samples[i] as number) / 32768;
  return out;
}

/** Averages channels into one (equal weights: no channel is assumed to be "the" voice). */
export function downmix(channels: readonly ArrayLike<number>[]): Float32Array {
  const first = channels[0];
  if (!first) return new Float32Array(0);
  if (channels.length === 1) return Float32Array.from(first);
  const out = new Float32Array(first.length);
  const gain = 1 / channels.length;
  for (const channel of channels) {
    for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) + (channel[i] ?? 0) * gain;
  }
  return out;
}

/** Scales 16-bit samples by `gain` (1 = unchanged), clipping. */
export function applyGain(samples: Int16Array, gain: number): Int16Array {
  if (gain === 1) return samples;
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const scaled = Math.round((samples[i] as number) * gain);
    out[i] = Math.min(32767, Math.max(-32768, scaled));
  }
  return out;
}

/** Joins chunks into one array. */
export function concatInt16(chunks: readonly Int16Array[]): Int16Array {
  let length = 0;
  for (const chunk of chunks) length += chunk.length;
  const out = new Int16Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** Reinterprets little-endian 16-bit bytes as samples (copies when unaligned). */
export function bytesToInt16(bytes: Uint8Array): Int16Array {
  const even = bytes.length - (bytes.length % 2);
  if (bytes.byteOffset % 2 === 0) return new Int16Array(bytes.buffer, bytes.byteOffset, even / 2);
  return new Int16Array(bytes.slice(0, even).buffer);
}

/** The samples' bytes, little-endian, without copying. */
export function int16ToBytes(samples: Int16Array): Buffer {
  return Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
}

/** Zero crossings of the sinc on each side of the filter centre: ~90 dB stop band with the Kaiser window below. */
const ZERO_CROSSINGS = 16;
/** Kernel table resolution: entries per input sample (linear interpolation between them). */
const TABLE_STEPS = 512;
const KAISER_BETA = 8.6;
/** Cut-off as a fraction of the lower Nyquist frequency: a narrow transition band below it. */
const ROLLOFF = 0.94;

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < 1e-12 * sum) break;
  }
  return sum;
}

/**
 * A streaming sample-rate converter: windowed-sinc (Kaiser) interpolation, with the cut-off set
 * below the lower of the two Nyquist frequencies. Feed chunks with {@link process} and call
 * {@link flush} at the end; the output is the same as converting everything at once.
 */
export class Resampler {
  readonly inputRate: number;
  readonly outputRate: number;
  readonly #step: number;
  /** Filter half-width in input samples. */
  readonly #halfWidth: number;
  readonly #cutoff: number;
  /** Kernel values at distances 0, 1/scale, 2/scale … input samples, scale = TABLE_STEPS × cutoff. */
  readonly #table: Float64Array;
  /** Input not yet fully used, starting at absolute input index #base. */
  #buffer = new Float32Array(0);
  #base = 0;
  #received = 0;
  /** Index of the next output sample. */
  #produced = 0;

  constructor(inputRate: number, outputRate: number) {
    this.inputRate = inputRate;
    this.outputRate = outputRate;
    this.#step = inputRate / outputRate;
    this.#cutoff = Math.min(1, outputRate / inputRate) * ROLLOFF;
    this.#halfWidth = ZERO_CROSSINGS / this.#cutoff;
    const entries = Math.ceil(ZERO_CROSSINGS * TABLE_STEPS) + 2;
    this.#table = new Float64Array(entries);
    const i0Beta = besselI0(KAISER_BETA);
    for (let i = 0; i < entries; i++) {
      const x = i / TABLE_STEPS; // in zero crossings of the scaled sinc
      const ratio = x / ZERO_CROSSINGS;
      const window = ratio >= 1 ? 0 : besselI0(KAISER_BETA * Math.sqrt(1 - ratio * ratio)) / i0Beta;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      this.#table[i] = this.#cutoff * sinc * window;
    }
  }

  /** Converts the next chunk; returns the output samples that are complete so far. */
  process(input: ArrayLike<number>): Float32Array {
    if (this.inputRate === this.outputRate) return Float32Array.from(input);
    const merged = new Float32Array(this.#buffer.length + input.length);
    merged.set(this.#buffer);
    for (let i = 0; i < input.length; i++) merged[this.#buffer.length + i] = input[i] as number;
    this.#buffer = merged;
    this.#received += input.length;
    return this.#run(false);
  }

  /** Ends the stream: returns the remaining output (the last samples see zeros beyond the end). */
  flush(): Float32Array {
    if (this.inputRate === this.outputRate) return new Float32Array(0);
    return this.#run(true);
  }

  #run(final: boolean): Float32Array {
    const end = final ? Math.ceil(this.#received / this.#step) : undefined;
    const out: number[] = [];
    const buffer = this.#buffer;
    const base = this.#base;
    const halfWidth = this.#halfWidth;
    const tableScale = TABLE_STEPS * this.#cutoff;
    const table = this.#table;
    const last = table.length - 1;
    for (;;) {
      const k = this.#produced;
      if (end !== undefined && k >= end) break;
      const position = k * this.#step;
      const hi = Math.floor(position + halfWidth);
      if (end === undefined && hi >= this.#received) break;
      const lo = Math.max(Math.ceil(position - halfWidth), 0);
      let sum = 0;
      const top = Math.min(hi, this.#received - 1);
      for (let n = lo; n <= top; n++) {
        const t = Math.abs(position - n) * tableScale;
        const i = Math.floor(t);
        if (i >= last) continue;
        const frac = t - i;
        const h = (table[i] as number) + ((table[i + 1] as number) - (table[i] as number)) * frac;
        sum += (buffer[n - base] as number) * h;
      }
      out.push(sum);
      this.#produced++;
    }
    // Drop input no future output sample can reach.
    const keepFrom = Math.max(Math.floor(this.#produced * this.#step - halfWidth) - 1, base);
    if (keepFrom > base) {
      this.#buffer = this.#buffer.slice(keepFrom - base);
      this.#base = keepFrom;
    }
    return Float32Array.from(out);
  }
}

/** Converts a whole signal from one rate to another. */
export function resample(input: ArrayLike<number>, inputRate: number, outputRate: number): Float32Array {
  if (inputRate === outputRate) return Float32Array.from(input);
  const resampler = new Resampler(inputRate, outputRate);
  const head = resampler.process(input);
  const tail = resampler.flush();
  const out = new Float32Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}

/** Converts 16-bit mono audio to another rate. */
export function resampleInt16(samples: Int16Array, inputRate: number, outputRate: number): Int16Array {
  if (inputRate === outputRate) return samples;
  return floatToInt16(resample(int16ToFloat(samples), inputRate, outputRate));
}
