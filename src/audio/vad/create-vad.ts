import { isAbsolute, resolve } from "node:path";
import type { VadConfig } from "../../config/schema.js";
import { HearthError } from "../../core/errors.js";
import { EnergyVad } from "./energy-vad.js";
import { SileroVad } from "./silero-vad.js";
import type { VoiceActivityDetector } from "./voice-activity-detector.js";

/**
 * Builds the VAD named in `vad.engine`. `baseDir` (the config file's folder) anchors a relative
 * `silero_model` path. The Silero model loads in `start()`, not here.
 */
export function createVad(config: VadConfig, baseDir: string): VoiceActivityDetector {
  switch (config.engine) {
    case "silero": {
      const model = config.silero_model;
      return new SileroVad(model === undefined || isAbsolute(model) ? model : resolve(baseDir, model));
    }
    case "energy":
      return new EnergyVad({ thresholdDb: config.energy_threshold_db, marginDb: config.energy_margin_db });
    default: {
      const unknown: never = config.engine;
      throw new HearthError("CONFIG_INVALID", `unknown VAD engine ${String(unknown)}`);
    }
  }
}
