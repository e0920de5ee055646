import { createRequire } from "node:module";
import { HearthError } from "../../core/errors.js";
import type { Denoiser, DenoiserStream } from "./denoiser.js";

/** What Hearth uses of the Emscripten module of @jitsi/rnnoise-wasm (rnnoise 0.2, its model built in). */
interface RnnoiseModule {
  _rnnoise_create(model?: number): number;
  _rnnoise_destroy(state: number): void;
  _rnnoise_process_frame(state: number, output: number, input: number): number;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  HEAPF32: Float32Array;
}

/** Options of {@link RnnoiseDenoiser}. */
export interface RnnoiseDenoiserOptions {
  /**
   * Share of the original audio mixed back into the denoised (0–1): RNNoise leaves true silence
   * between words and now and then a clipped syllable, which the VAD and the recogniser hear worse
   * than a little of the room left in.
   */
  dry: number;
  /** Denoised only above this background level (dBFS); undefined: always. */
  aboveDbfs?: number | undefined;
  /** With aboveDbfs: an utterance this many dB or more above the background is not denoised. */
  belowSnrDb?: number | undefined;
  /** With aboveDbfs: above this background a long utterance is denoised whatever its level. */
  longAboveDbfs?: number | undefined;
  /** With longAboveDbfs: the longest speech (ms) heard raw; longer speech switches to denoised. */
  shortMs?: number | undefined;
  /** With aboveDbfs: each utterance is decoded both ways, denoised and raw, while RNNoise runs. */
  bothWays?: boolean | undefined;
}

/** @jitsi/rnnoise-wasm's synchronous build (its WebAssembly inline, rnnoise 0.2 with its model). */
const MODULE = "@jitsi/rnnoise-wasm/dist/rnnoise-sync.js";

function missing(cause: unknown): HearthError {
  return new HearthError(
    "MODEL_INVALID",
    "audio.denoise needs the npm package @jitsi/rnnoise-wasm (run npm install), or set audio.denoise: off",
    { cause },
  );
}

/** RNNoise works on 10 ms frames at 48 kHz. */
const FRAME_48K = 480;
/** The same 10 ms at Hearth's 16 kHz. */
const FRAME_16K = FRAME_48K / 3;
/**
 * Taps of the low-pass filter that resamples 16 ↔ 48 kHz (cut at 7.6 kHz, Blackman window): odd,
 * and a group delay ((TAPS - 1) / 2 = 144 samples at 48 kHz) that is a whole number of 16 kHz samples.
 */
const TAPS = 289;
const HALF = (TAPS - 1) / 2;
/**
 * Samples at 16 kHz by which the denoised signal lags the input: the two filters' group delays and
 * RNNoise's own frame (its overlapped windows give out the frame before the one handed in).
 */
const SIGNAL_DELAY = (2 * HALF + FRAME_48K) / 3;
/** The input kept for the up-sampler and the dry path (a power of two over SIGNAL_DELAY + a frame). */
const HISTORY = 1024;

const LOW_PASS = (() => {
  const cut = 7600 / 48000;
  const taps = new Float64Array(TAPS);
  let sum = 0;
  for (let i = 0; i < TAPS; i++) {
    const n = i - HALF;
    const sinc = n === 0 ? 2 * cut : Math.sin(2 * Math.PI * cut * n) / (Math.PI * n);
    const window =
      0.42 - 0.5 * Math.cos((2 * Math.PI * i) / (TAPS - 1)) + 0.08 * Math.cos((4 * Math.PI * i) / (TAPS - 1));
    taps[i] = sinc * window;
    sum += taps[i] as number;
  }
  for (let i = 0; i < TAPS; i++) taps[i] = (taps[i] as number) / sum;
  return taps;
})();

/**
 * RNNoise (Valin, 2018: a small recurrent network that predicts a gain per band, trained on speech
 * in many kinds of noise) through @jitsi/rnnoise-wasm, on Hearth's 16 kHz audio resampled to the
 * 48 kHz it was trained at and back. Unlike a noise spectrum followed over a second
 * (noise-suppressor.ts), it tells speech from a kitchen's clatter frame by frame. About 0.1 MB of
 * weights in a WebAssembly module loaded once; each stream holds its own recurrent state.
 */
export class RnnoiseDenoiser implements Denoiser {
  readonly name = "rnnoise";
  readonly aboveDbfs: number | undefined;
  readonly belowSnrDb: number | undefined;
  readonly longAboveDbfs: number | undefined;
  readonly shortMs: number | undefined;
  readonly bothWays: boolean | undefined;
  readonly #dry: number;
  #module: RnnoiseModule | undefined;

  constructor(options: RnnoiseDenoiserOptions) {
    this.#dry = Math.min(1, Math.max(0, options.dry));
    this.aboveDbfs = options.aboveDbfs;
    this.belowSnrDb = options.belowSnrDb;
    this.longAboveDbfs = options.longAboveDbfs;
    this.shortMs = options.shortMs;
    this.bothWays = options.bothWays;
  }

  get loaded(): boolean {
    return this.#module !== undefined;
  }

  async start(): Promise<void> {
    if (this.#module) return;
    try {
      // The synchronous build carries its WebAssembly inline: nothing to locate on disk.
      const { default: create } = await import("@jitsi/rnnoise-wasm/dist/rnnoise-sync.js");
      this.#module = create() as RnnoiseModule;
    } catch (cause) {
      throw missing(cause);
    }
  }

  check(): void {
    try {
      createRequire(import.meta.url).resolve(MODULE);
    } catch (cause) {
      throw missing(cause);
    }
  }

  async stop(): Promise<void> {
    this.#module = undefined;
  }

  begin(): DenoiserStream {
    if (!this.#module) throw new Error("the denoiser was not started");
    return new RnnoiseStream(this.#module, this.#dry);
  }
}

class RnnoiseStream implements DenoiserStream {
  readonly latencySamples = SIGNAL_DELAY + FRAME_16K;
  #module: RnnoiseModule | undefined;
  readonly #state: number;
  readonly #input: number;
  readonly #output: number;
  readonly #dry: number;
  /** The input so far, as a ring: the up-sampler's taps and the dry path read it. */
  readonly #history = new Float64Array(HISTORY);
  #count = 0;
  /** The 48 kHz frame being filled for RNNoise. */
  readonly #frame = new Float32Array(FRAME_48K);
  #filled = 0;
  /** RNNoise's output: the down-sampler's last TAPS - 1 samples, then the frame just denoised. */
  readonly #denoised = new Float64Array(TAPS - 1 + FRAME_48K);
  /** Output samples made and not yet given out; it starts with a frame of silence (see latencySamples). */
  #ready = new Int16Array(4 * FRAME_16K);
  #readyLength = FRAME_16K;
  /** 16 kHz samples given out of the down-sampler so far. */
  #made = 0;

  constructor(module: RnnoiseModule, dry: number) {
    this.#module = module;
    this.#dry = dry;
    this.#state = module._rnnoise_create();
    this.#input = module._malloc(FRAME_48K * 4);
    this.#output = module._malloc(FRAME_48K * 4);
  }

  process(chunk: Int16Array): Int16Array {
    const module = this.#module;
    if (!module) throw new Error("the denoiser stream is closed");
    for (let i = 0; i < chunk.length; i++) {
      const n = this.#count++;
      this.#history[n & (HISTORY - 1)] = chunk[i] as number;
      // Up-sampling by three: the zero-stuffed input through the low-pass, phase by phase.
      for (let phase = 0; phase < 3; phase++) {
        let sum = 0;
        for (let k = phase, back = 0; k < TAPS && back <= n; k += 3, back++) {
          sum += (LOW_PASS[k] as number) * (this.#history[(n - back) & (HISTORY - 1)] as number);
        }
        this.#frame[this.#filled++] = 3 * sum;
      }
      if (this.#filled === FRAME_48K) this.#denoiseFrame(module);
    }
    const out = this.#ready.slice(0, chunk.length);
    this.#ready.copyWithin(0, chunk.length, this.#readyLength);
    this.#readyLength -= chunk.length;
    return out;
  }

  close(): void {
    const module = this.#module;
    if (!module) return;
    this.#module = undefined;
    module._rnnoise_destroy(this.#state);
    module._free(this.#input);
    module._free(this.#output);
  }

  /** One 48 kHz frame through RNNoise, then down-sampled into the 16 kHz samples it completes. */
  #denoiseFrame(module: RnnoiseModule): void {
    // RNNoise takes samples on the 16-bit scale.
    module.HEAPF32.set(this.#frame, this.#input / 4);
    module._rnnoise_process_frame(this.#state, this.#output, this.#input);
    const denoised = this.#denoised;
    denoised.copyWithin(0, FRAME_48K);
    const from = this.#output / 4;
    const heap = module.HEAPF32;
    for (let i = 0; i < FRAME_48K; i++) denoised[TAPS - 1 + i] = heap[from + i] as number;
    this.#filled = 0;
    if (this.#readyLength + FRAME_16K > this.#ready.length) {
      const grown = new Int16Array(2 * (this.#readyLength + FRAME_16K));
      grown.set(this.#ready.subarray(0, this.#readyLength));
      this.#ready = grown;
    }
    const wet = 1 - this.#dry;
    for (let j = 0; j < FRAME_16K; j++) {
      // Output sample 3j of the frame, filtered over the TAPS samples before it.
      const end = TAPS - 1 + 3 * j;
      let sum = 0;
      for (let k = 0; k < TAPS; k++) sum += (LOW_PASS[k] as number) * (denoised[end - k] as number);
      const n = this.#made++;
      const original = n >= SIGNAL_DELAY ? (this.#history[(n - SIGNAL_DELAY) & (HISTORY - 1)] as number) : 0;
      const value = wet * sum + this.#dry * original;
      this.#ready[this.#readyLength++] = Math.max(-32768, Math.min(32767, Math.round(value)));
    }
  }
}
