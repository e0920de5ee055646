import { resolve } from "node:path";
import type { WakeConfig, WakeWordConfig } from "../../config/schema.js";
import { HearthError } from "../../core/errors.js";
import type { Logger } from "../../core/logger.js";
import { NoWakeWord } from "./no-wake-word.js";
import { OpenWakeWordDetector } from "./openwakeword-detector.js";
import { defaultWakeThreshold, resolveWakeModel } from "./openwakeword-models.js";
import { PushToTalkWake } from "./push-to-talk-wake.js";
import type { WakeWordDetector } from "./wake-word-detector.js";

export interface WakeWordDetectorDeps {
  logger: Logger;
  /** Folder relative model paths are resolved against: the config file's folder. */
  baseDir: string;
}

/**
 * Builds the wake-word engine named in `wake.engine`. Nothing heavy happens here: openWakeWord's
 * native runtime and models load in the detector's `start()`.
 */
export function createWakeWordDetector(config: WakeConfig, deps: WakeWordDetectorDeps): WakeWordDetector {
  switch (config.engine) {
    case "openwakeword":
      return createOpenWakeWordDetector(config, config.words, deps);
    case "push-to-talk":
      return new PushToTalkWake();
    case "none":
      return new NoWakeWord();
    default: {
      const unknown: never = config.engine;
      throw new HearthError("CONFIG_INVALID", `unknown wake engine ${String(unknown)}`);
    }
  }
}

/** An openWakeWord detector for the given words, whatever `wake.engine` says (used by `detect-wake`). */
export function createOpenWakeWordDetector(
  config: WakeConfig,
  words: readonly WakeWordConfig[],
  deps: WakeWordDetectorDeps,
): OpenWakeWordDetector {
  const path = (file: string | undefined): string | undefined =>
    file === undefined ? undefined : resolve(deps.baseDir, file);
  return new OpenWakeWordDetector({
    words: words.map((word) => ({
      name: word.name,
      modelPath: resolveWakeModel(word.model ?? word.name, deps.baseDir),
      threshold: wakeThreshold(word),
      refractoryMs: word.refractory_ms,
    })),
    melspectrogramModel: path(config.melspectrogram_model),
    embeddingModel: path(config.embedding_model),
    logger: deps.logger.child({ module: "wake", engine: "openwakeword" }),
  });
}

/** A word's threshold: its own, else its bundled model's calibrated one (see defaultWakeThreshold). */
export function wakeThreshold(word: WakeWordConfig): number {
  return word.threshold ?? defaultWakeThreshold(word.model ?? word.name);
}
