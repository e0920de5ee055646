import { resolve } from "node:path";
import type { TtsConfig } from "../../config/schema.js";
import type { Clock } from "../../core/clock.js";
import { HearthError } from "../../core/errors.js";
import type { Logger } from "../../core/logger.js";
import { EspeakTts } from "./espeak-tts.js";
import { FestivalTts } from "./festival-tts.js";
import { FliteTts } from "./flite-tts.js";
import { PiperTts } from "./piper-tts.js";
import type { TextToSpeech, VoiceSettings } from "./text-to-speech.js";

/** What every engine may need besides its config section. */
export interface TextToSpeechDeps {
  logger: Logger;
  /** Folder relative paths (piper's voice) are resolved against: the config file's folder. */
  baseDir: string;
  /** Whose time `tts.timeout_ms` runs on; default the system clock. */
  clock?: Clock | undefined;
}

type Factory = (
  config: TtsConfig,
  voice: VoiceSettings,
  deps: TextToSpeechDeps,
  logger: Logger,
) => TextToSpeech;

/** Engine name → constructor. Adding an engine: one file, one schema value, one line here. */
const ENGINES: Record<TtsConfig["engine"], Factory> = {
  festival: (_config, voice, _deps, logger) => new FestivalTts({ ...voice, logger }),
  flite: (_config, voice, _deps, logger) => new FliteTts({ ...voice, logger }),
  espeak: (_config, voice, _deps, logger) => new EspeakTts({ ...voice, logger }),
  piper: (config, voice, deps, logger) => {
    if (!config.piper_model) {
      throw new HearthError(
        "CONFIG_INVALID",
        "tts.engine is piper but tts.piper_model (the voice file) is not set",
      );
    }
    return new PiperTts({
      ...voice,
      logger,
      program: config.piper_program,
      model: resolve(deps.baseDir, config.piper_model),
      speaker: config.piper_speaker,
    });
  },
};

/** The text-to-speech engine named in `tts.engine`, with the section's voice, rate and volume. */
export function createTextToSpeech(config: TtsConfig, deps: TextToSpeechDeps): TextToSpeech {
  const voice: VoiceSettings = {
    voice: config.voice,
    rate: config.rate,
    volume: config.volume,
    timeoutMs: config.timeout_ms,
    clock: deps.clock,
  };
  return ENGINES[config.engine](config, voice, deps, deps.logger.child({ engine: config.engine }));
}
