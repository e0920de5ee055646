import type { InferenceSession } from "onnxruntime-node";
import { HearthError } from "../../core/errors.js";
import type { Logger } from "../../core/logger.js";
import { importOnnxRuntime, LEAN_SESSION } from "../onnx-runtime.js";
import {
  EMBEDDING_SIZE,
  OpenWakeWordFeatures,
  OWW_FRAME_SAMPLES,
  warmupSteps,
} from "./openwakeword-features.js";
import { BUILTIN_WAKE_WORDS, bundledModelPath } from "./openwakeword-models.js";
import type { WakeDetection, WakeWordDetector } from "./wake-word-detector.js";

const SAMPLE_RATE = 16000;

/** One keyword model to run, with its own decision settings. */
export interface OpenWakeWordWord {
  /** Reported name. */
  name: string;
  /** Path of the openWakeWord keyword model (.onnx, input [1, N, 96], output [1, 1]). */
  modelPath: string;
  /** Score (0–1) at or above which the word fires. */
  threshold: number;
  /** Milliseconds after a detection during which the same word cannot fire again. */
  refractoryMs: number;
}

export interface OpenWakeWordOptions {
  words: readonly OpenWakeWordWord[];
  /** Melspectrogram model; default: the bundled one. */
  melspectrogramModel?: string | undefined;
  /** Speech embedding model; default: the bundled one. */
  embeddingModel?: string | undefined;
  logger: Logger;
}

interface LoadedWord extends OpenWakeWordWord {
  session: InferenceSession;
  inputName: string;
  outputName: string;
  /** Embeddings the model reads. */
  frames: number;
  /** Sample index (stream time) of the last detection, or -Infinity. */
  lastFired: number;
}

interface Loaded {
  features: OpenWakeWordFeatures;
  words: LoadedWord[];
  sessions: InferenceSession[];
  Tensor: typeof import("onnxruntime-node").Tensor;
}

/**
 * Wake words with openWakeWord models in onnxruntime-node. Several words share one feature front end
 * (melspectrogram + embedding), so each extra word costs only its small keyword model. Audio is
 * buffered into 80 ms frames; every frame updates the features and scores every word.
 */
export class OpenWakeWordDetector implements WakeWordDetector {
  readonly kind = "keyword" as const;
  readonly words: readonly string[];
  readonly #options: OpenWakeWordOptions;
  readonly #log: Logger;
  #loaded: Loaded | undefined;
  #pending = new Int16Array(OWW_FRAME_SAMPLES);
  #pendingLength = 0;
  /** Samples consumed since the last reset: the stream clock. */
  #samples = 0;
  #framesSinceReset = 0;

  constructor(options: OpenWakeWordOptions) {
    this.#options = options;
    this.#log = options.logger;
    this.words = options.words.map((word) => word.name);
  }

  async start(): Promise<void> {
    if (this.#loaded) return;
    if (this.#options.words.length === 0) {
      throw new HearthError("MODEL_INVALID", "openWakeWord needs at least one wake word");
    }
    // Imported here so that configurations without openWakeWord never load the native addon.
    const ort = await importOnnxRuntime();
    const sessions: InferenceSession[] = [];
    const open = async (path: string, role: string): Promise<InferenceSession> => {
      try {
        // One thread each: the models are tiny and the device has other work on its few cores.
        const session = await ort.InferenceSession.create(path, {
          intraOpNumThreads: 1,
          interOpNumThreads: 1,
          executionMode: "sequential",
          ...LEAN_SESSION,
          graphOptimizationLevel: "all",
        });
        sessions.push(session);
        return session;
      } catch (err) {
        const builtins = Object.keys(BUILTIN_WAKE_WORDS).join(", ");
        throw new HearthError(
          "MODEL_INVALID",
          `cannot load the openWakeWord ${role} model ${path} (built-in keyword models: ${builtins})`,
          { cause: err },
        );
      }
    };
    try {
      const melspectrogram = await open(
        this.#options.melspectrogramModel ?? bundledModelPath("melspectrogram.onnx"),
        "melspectrogram",
      );
      const embedding = await open(
        this.#options.embeddingModel ?? bundledModelPath("embedding_model.onnx"),
        "embedding",
      );
      const words: LoadedWord[] = [];
      for (const word of this.#options.words) {
        const session = await open(word.modelPath, `"${word.name}" keyword`);
        words.push({ ...word, ...describeKeywordModel(session, word), session, lastFired: -Infinity });
      }
      const history = Math.max(...words.map((word) => word.frames));
      const features = new OpenWakeWordFeatures(melspectrogram, embedding, ort.Tensor, history);
      this.#loaded = { features, words, sessions, Tensor: ort.Tensor };
      this.reset();
      this.#log.debug({ words: this.words }, "wake word models loaded");
    } catch (err) {
      await Promise.allSettled(sessions.map((session) => session.release()));
      throw err;
    }
  }

  async stop(): Promise<void> {
    const loaded = this.#loaded;
    this.#loaded = undefined;
    if (loaded) await Promise.allSettled(loaded.sessions.map((session) => session.release()));
  }

  reset(): void {
    this.#pendingLength = 0;
    this.#samples = 0;
    this.#framesSinceReset = 0;
    if (!this.#loaded) return;
    this.#loaded.features.reset();
    for (const word of this.#loaded.words) word.lastFired = -Infinity;
  }

  async process(pcm: Int16Array): Promise<WakeDetection[]> {
    const loaded = this.#loaded;
    if (!loaded) throw new HearthError("ENGINE_FAILED", "the wake word detector is not started");
    const detections: WakeDetection[] = [];
    let offset = 0;
    while (offset < pcm.length) {
      const take = Math.min(OWW_FRAME_SAMPLES - this.#pendingLength, pcm.length - offset);
      this.#pending.set(pcm.subarray(offset, offset + take), this.#pendingLength);
      this.#pendingLength += take;
      offset += take;
      if (this.#pendingLength < OWW_FRAME_SAMPLES) break;
      this.#pendingLength = 0;
      this.#samples += OWW_FRAME_SAMPLES;
      this.#framesSinceReset += 1;
      await loaded.features.push(this.#pending);
      for (const word of loaded.words) {
        const score = await this.#score(loaded, word);
        if (score < word.threshold) continue;
        if ((this.#samples - word.lastFired) * (1000 / SAMPLE_RATE) < word.refractoryMs) continue;
        word.lastFired = this.#samples;
        detections.push({ word: word.name, seconds: this.#samples / SAMPLE_RATE, score });
      }
    }
    return detections;
  }

  async #score(loaded: Loaded, word: LoadedWord): Promise<number> {
    // The first 2 s after a reset are context only (see warmupSteps): the word cannot fire yet.
    if (this.#framesSinceReset < warmupSteps(word.frames)) return 0;
    const input = new loaded.Tensor("float32", loaded.features.latest(word.frames), [
      1,
      word.frames,
      EMBEDDING_SIZE,
    ]);
    const outputs = await word.session.run({ [word.inputName]: input });
    return (outputs[word.outputName]?.data as Float32Array | undefined)?.[0] ?? 0;
  }
}

/** Reads a keyword model's input/output names and window length; rejects models of another shape. */
function describeKeywordModel(
  session: InferenceSession,
  word: OpenWakeWordWord,
): { inputName: string; outputName: string; frames: number } {
  const input = session.inputMetadata[0];
  const outputName = session.outputNames[0];
  const shape = input?.isTensor ? input.shape : [];
  const frames = shape[1];
  if (!input || outputName === undefined || typeof frames !== "number" || shape[2] !== EMBEDDING_SIZE) {
    throw new HearthError(
      "MODEL_INVALID",
      `${word.modelPath} is not an openWakeWord keyword model (expected input [1, N, ${EMBEDDING_SIZE}])`,
    );
  }
  return { inputName: input.name, outputName, frames };
}
