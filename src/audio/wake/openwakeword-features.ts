import type { InferenceSession, Tensor } from "onnxruntime-node";

/** Samples per openWakeWord step: 80 ms at 16 kHz. */
export const OWW_FRAME_SAMPLES = 1280;
/** Mel bands the melspectrogram model produces per 10 ms hop. */
const MEL_BANDS = 32;
/** Mel frames one embedding sees (775 ms). */
const MEL_WINDOW = 76;
/** Size of one speech embedding. */
export const EMBEDDING_SIZE = 96;
/**
 * Raw samples the melspectrogram model gets per step: the new 1280 plus 480 of context (three 10 ms
 * hops), which yields exactly 8 new mel frames, as openWakeWord's `_streaming_melspectrogram` does.
 */
const RAW_CONTEXT = OWW_FRAME_SAMPLES + 160 * 3;
/**
 * Steps after a reset until every input a keyword model sees comes from real audio: the first step
 * yields 5 mel frames and each later one 8, so the 76-frame mel window is real from step 10, and a
 * 16-embedding keyword window from step 25 (2 s). Scores before that mix in the start-up filler.
 */
export function warmupSteps(keywordFrames: number): number {
  return Math.ceil((MEL_WINDOW - 5) / 8) + 1 + keywordFrames - 1;
}

type TensorConstructor = typeof Tensor;

/**
 * The streaming front end shared by every openWakeWord keyword model: 80 ms of 16-bit audio → mel
 * frames (scaled x/10 + 2, which brings the ONNX melspectrogram close to Google's TensorFlow one) →
 * one 96-value speech embedding over the last 76 mel frames. Keyword models then score the last N
 * embeddings (N = 16 for the bundled ones).
 *
 * Mirrors the streaming path of `AudioFeatures` in openWakeWord's utils.py: int16 values cast to float
 * (not scaled to ±1), 480 samples of context per step, the x/10 + 2 scaling, one embedding per step
 * over the last 76 mel frames. openWakeWord starts its histories from filler (mel ones, embeddings of
 * random noise) and only hides the first 5 scores; the filler-to-audio boundary can then look like a
 * word (alexa fired on plain pink noise in testing), so Hearth hides every score that still depends on
 * filler (`warmupSteps`), which makes the filler itself irrelevant. Only the history read is kept.
 */
export class OpenWakeWordFeatures {
  readonly #melspectrogram: InferenceSession;
  readonly #embedding: InferenceSession;
  readonly #Tensor: TensorConstructor;
  readonly #history: number;

  readonly #raw = new Float32Array(RAW_CONTEXT);
  #rawLength = 0;
  readonly #mel = new Float32Array(MEL_WINDOW * MEL_BANDS);
  readonly #embeddings: Float32Array;

  /**
   * @param history how many embeddings to keep: the longest input of the keyword models in use.
   */
  constructor(
    melspectrogram: InferenceSession,
    embedding: InferenceSession,
    TensorClass: TensorConstructor,
    history: number,
  ) {
    this.#melspectrogram = melspectrogram;
    this.#embedding = embedding;
    this.#Tensor = TensorClass;
    this.#history = history;
    this.#embeddings = new Float32Array(history * EMBEDDING_SIZE);
  }

  /** Back to the state before any audio: raw context empty, mel history ones, embeddings zero. */
  reset(): void {
    this.#raw.fill(0);
    this.#rawLength = 0;
    this.#mel.fill(1);
    this.#embeddings.fill(0);
  }

  /** Feeds exactly one 80 ms frame (1280 samples) and appends its embedding to the history. */
  async push(frame: Int16Array): Promise<void> {
    if (frame.length !== OWW_FRAME_SAMPLES) {
      throw new RangeError(`openWakeWord frames are ${OWW_FRAME_SAMPLES} samples, got ${frame.length}`);
    }
    const keep = Math.min(this.#rawLength, RAW_CONTEXT - OWW_FRAME_SAMPLES);
    this.#raw.copyWithin(0, this.#rawLength - keep, this.#rawLength);
    for (let i = 0; i < OWW_FRAME_SAMPLES; i++) this.#raw[keep + i] = frame[i] ?? 0;
    this.#rawLength = keep + OWW_FRAME_SAMPLES;

    const fresh = await this.#melFrames(this.#raw.subarray(0, this.#rawLength));
    const freshFrames = Math.min(fresh.length / MEL_BANDS, MEL_WINDOW);
    this.#mel.copyWithin(0, freshFrames * MEL_BANDS);
    this.#mel.set(
      fresh.subarray(fresh.length - freshFrames * MEL_BANDS),
      (MEL_WINDOW - freshFrames) * MEL_BANDS,
    );

    const embedding = await this.#embed(this.#mel);
    this.#embeddings.copyWithin(0, EMBEDDING_SIZE);
    this.#embeddings.set(embedding, (this.#history - 1) * EMBEDDING_SIZE);
  }

  /** The last `count` embeddings, oldest first, as one [count × 96] block. */
  latest(count: number): Float32Array {
    return this.#embeddings.slice((this.#history - count) * EMBEDDING_SIZE);
  }

  async #melFrames(samples: Float32Array): Promise<Float32Array> {
    const input = new this.#Tensor("float32", samples, [1, samples.length]);
    const outputs = await this.#melspectrogram.run({
      [this.#melspectrogram.inputNames[0] ?? "input"]: input,
    });
    const output = outputs[this.#melspectrogram.outputNames[0] ?? "output"];
    if (!output) throw new Error("the melspectrogram model returned no output");
    // Output is [time, 1, frames, 32]; the scaling matches openWakeWord's default melspec_transform.
    const data = output.data as Float32Array;
    const scaled = new Float32Array(data.length);
    for (let i = 0; i < data.length; i++) scaled[i] = (data[i] ?? 0) / 10 + 2;
    return scaled;
  }

  async #embed(window: Float32Array): Promise<Float32Array> {
    const input = new this.#Tensor("float32", window, [1, MEL_WINDOW, MEL_BANDS, 1]);
    const outputs = await this.#embedding.run({ [this.#embedding.inputNames[0] ?? "input_1"]: input });
    const output = outputs[this.#embedding.outputNames[0] ?? "conv2d_19"];
    if (!output) throw new Error("the embedding model returned no output");
    return output.data as Float32Array;
  }
}
