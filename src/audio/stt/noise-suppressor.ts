/** Options of {@link NoiseSuppressor}. */
export interface NoiseSuppressorOptions {
  /**
   * The least gain a frequency bin is given (0–1): how far the noise is pushed down, at most.
   * A floor keeps the residual noise smooth (no "musical" tones, which the decoder hears as phones)
   * and keeps quiet speech sounds the noise estimate covers.
   */
  floor: number;
  /**
   * Milliseconds at the start of the audio whose average spectrum is the first noise estimate (the
   * segmenter's pre-roll, or the recording's room sound handed to {@link NoiseSuppressor.prime}).
   */
  noiseMs: number;
}

/** Samples per analysis frame (32 ms at 16 kHz) and its FFT size. */
const FRAME = 512;
/** Samples between frames: half a frame, so square-root Hann windows add up to exactly one. */
const HOP = FRAME / 2;
const BINS = FRAME / 2 + 1;
/** Weight of the previous frame's clean estimate in the a-priori SNR (Ephraim and Malah's decision-directed rule). */
const DECISION_DIRECTED = 0.98;
/**
 * A bin whose power is below this many times the noise estimate counts as noise and moves the
 * estimate ({@link NOISE_SMOOTHING}); louder bins are taken for speech and leave it. Four times
 * (6 dB): a bin of steady noise fluctuates (its power is exponentially distributed), and a lower
 * bound would leave out its loud frames and pull the estimate below the noise (2.5 times: 1.1 dB
 * below; 4 times: 0.3 dB).
 */
const NOISE_BAND = 4;
/** How much of a noise-like bin's power enters the estimate per frame (about a second to follow a change). */
const NOISE_SMOOTHING = 0.02;

/**
 * Single-channel noise suppression before the speech recogniser's features: short-time spectra
 * (32 ms frames every 16 ms, square-root Hann windows, so a gain of one returns the input exactly),
 * a noise power spectrum estimated on the first `noiseMs` and then followed in the bins that hold
 * no speech, and a Wiener gain per bin on the decision-directed a-priori SNR (Ephraim and Malah,
 * 1984), never below `floor`. A kitchen's steady noise (extractor fan, running water, the hum of a
 * machine) fills the bands between the formants that pocketsphinx's features need; its own noise
 * removal subtracts only a slowly tracked floor per mel band.
 *
 * Streaming: {@link process} takes pieces of any length and returns what is complete (the input
 * delayed by {@link HOP} samples), {@link flush} the rest, so the output is as long as the input.
 * One instance per utterance: its answer depends on that utterance's audio alone.
 */
export class NoiseSuppressor {
  readonly #floor: number;
  readonly #noiseFrames: number;
  /** Input not yet analysed: the last frame's second half, then what came since. */
  #input = new Float64Array(FRAME);
  #filled = HOP;
  /** Overlap-add of the synthesised frames: the first HOP samples are complete on each frame. */
  #output = new Float64Array(FRAME);
  #noise = new Float64Array(BINS);
  #frames = 0;
  #primed = false;
  #previousClean = new Float64Array(BINS);
  readonly #re = new Float64Array(FRAME);
  readonly #im = new Float64Array(FRAME);
  /** Input samples still owed by {@link flush}. */
  #pending = 0;

  constructor(options: NoiseSuppressorOptions) {
    this.#floor = Math.min(1, Math.max(0, options.floor));
    this.#noiseFrames = Math.max(1, Math.round((options.noiseMs * 16) / HOP));
  }

  /**
   * Sets the first noise estimate from audio known to be the room's sound without speech (a
   * recording's quietest stretch), instead of the start of the audio processed.
   */
  prime(noise: Int16Array): void {
    const sum = new Float64Array(BINS);
    let count = 0;
    for (let start = 0; start + FRAME <= noise.length; start += HOP) {
      for (let i = 0; i < FRAME; i++) {
        this.#re[i] = ((noise[start + i] as number) / 32768) * (WINDOW[i] as number);
        this.#im[i] = 0;
      }
      fft(this.#re, this.#im);
      for (let k = 0; k < BINS; k++) sum[k] = (sum[k] as number) + power(this.#re, this.#im, k);
      count++;
    }
    if (count === 0) return;
    for (let k = 0; k < BINS; k++) this.#noise[k] = (sum[k] as number) / count;
    this.#primed = true;
  }

  /** The suppressed audio of every whole hop the input so far completes. */
  process(audio: Int16Array): Int16Array {
    this.#pending += audio.length;
    const out = new Int16Array(audio.length + HOP);
    let written = 0;
    for (let i = 0; i < audio.length; i++) {
      this.#input[this.#filled++] = (audio[i] as number) / 32768;
      if (this.#filled === FRAME) written = this.#step(out, written);
    }
    this.#pending -= written;
    return out.subarray(0, written);
  }

  /** The rest of the input, completed with silence: the output is then exactly as long as the input. */
  flush(): Int16Array {
    const owed = this.#pending;
    const out = new Int16Array(owed + 2 * HOP);
    let written = 0;
    while (written < owed) {
      this.#input.fill(0, this.#filled);
      written = this.#step(out, written);
    }
    this.#pending = 0;
    return out.subarray(0, owed);
  }

  /**
   * One frame: analysed, suppressed, added into the output; the samples it completes are written to
   * `out` at `at` (none for the first frame, which starts half a frame before the audio).
   */
  #step(out: Int16Array, at: number): number {
    this.#frame();
    let written = at;
    if (this.#frames > 1) {
      for (let i = 0; i < HOP; i++) {
        out[written++] = Math.max(-32768, Math.min(32767, Math.round((this.#output[i] as number) * 32768)));
      }
    }
    this.#output.copyWithin(0, HOP);
    this.#output.fill(0, FRAME - HOP);
    this.#input.copyWithin(0, HOP);
    this.#filled = HOP;
    return written;
  }

  /** Analyses the frame in #input, applies the gain and adds the result into #output. */
  #frame(): void {
    const re = this.#re;
    const im = this.#im;
    for (let i = 0; i < FRAME; i++) {
      re[i] = (this.#input[i] as number) * (WINDOW[i] as number);
      im[i] = 0;
    }
    fft(re, im);
    this.#frames++;
    const learning = !this.#primed && this.#frames <= this.#noiseFrames;
    const gains = new Float64Array(BINS);
    for (let k = 0; k < BINS; k++) {
      const p = power(re, im, k);
      let noise = this.#noise[k] as number;
      if (learning) {
        // The running mean of the first frames; the very first is half padding, so only a guess.
        noise = this.#frames === 1 ? 2 * p : noise + (p - noise) / (this.#frames - 1);
      } else if (p < NOISE_BAND * noise) {
        noise += NOISE_SMOOTHING * (p - noise);
      }
      this.#noise[k] = noise;
      const posterior = p / Math.max(noise, 1e-12);
      const prior =
        DECISION_DIRECTED * ((this.#previousClean[k] as number) / Math.max(noise, 1e-12)) +
        (1 - DECISION_DIRECTED) * Math.max(posterior - 1, 0);
      const gain = Math.max(this.#floor, prior / (1 + prior));
      gains[k] = gain;
      this.#previousClean[k] = gain * gain * p;
    }
    // Real input: bins above the Nyquist one mirror those below.
    for (let k = 0; k < FRAME; k++) {
      const gain = gains[k < BINS ? k : FRAME - k] as number;
      re[k] = (re[k] as number) * gain;
      im[k] = -((im[k] as number) * gain);
    }
    // The inverse transform as the forward one of the conjugate.
    fft(re, im);
    for (let i = 0; i < FRAME; i++) {
      this.#output[i] = (this.#output[i] as number) + ((re[i] as number) / FRAME) * (WINDOW[i] as number);
    }
  }
}

/** Square-root periodic Hann window: analysis and synthesis together make a Hann, whose half-overlapped copies add up to one. */
const WINDOW = Float64Array.from({ length: FRAME }, (_, i) =>
  Math.sqrt(0.5 - 0.5 * Math.cos((2 * Math.PI * i) / FRAME)),
);

function power(re: Float64Array, im: Float64Array, k: number): number {
  return (re[k] as number) ** 2 + (im[k] as number) ** 2;
}

const BITS = Math.log2(FRAME);
const REVERSED = Uint16Array.from({ length: FRAME }, (_, i) => {
  let r = 0;
  for (let b = 0; b < BITS; b++) r |= ((i >> b) & 1) << (BITS - 1 - b);
  return r;
});
const COS = Float64Array.from({ length: FRAME / 2 }, (_, i) => Math.cos((2 * Math.PI * i) / FRAME));
const SIN = Float64Array.from({ length: FRAME / 2 }, (_, i) => Math.sin((2 * Math.PI * i) / FRAME));

/** In-place radix-2 FFT of FRAME points (forward, e^{-2πikn/N}). */
export function fft(re: Float64Array, im: Float64Array): void {
  for (let i = 0; i < FRAME; i++) {
    const j = REVERSED[i] as number;
    if (j > i) {
      const tr = re[i] as number;
      re[i] = re[j] as number;
      re[j] = tr;
      const ti = im[i] as number;
      im[i] = im[j] as number;
      im[j] = ti;
    }
  }
  for (let size = 2; size <= FRAME; size *= 2) {
    const half = size / 2;
    const step = FRAME / size;
    for (let start = 0; start < FRAME; start += size) {
      for (let k = 0; k < half; k++) {
        const c = COS[k * step] as number;
        const s = SIN[k * step] as number;
        const a = start + k;
        const b = a + half;
        const br = re[b] as number;
        const bi = im[b] as number;
        const tr = br * c + bi * s;
        const ti = bi * c - br * s;
        re[b] = (re[a] as number) - tr;
        im[b] = (im[a] as number) - ti;
        re[a] = (re[a] as number) + tr;
        im[a] = (im[a] as number) + ti;
      }
    }
  }
}
