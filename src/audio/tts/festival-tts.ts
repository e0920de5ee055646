import { HearthError } from "../../core/errors.js";
import type { Logger } from "../../core/logger.js";
import { runProgram } from "../../core/process.js";
import type { PcmAudio } from "../types.js";
import { checkText, synthesizeToFile } from "./synthesis-files.js";
import type { SynthesizeOptions, TextToSpeech, VoiceSettings } from "./text-to-speech.js";

/** Options of {@link FestivalTts}. */
export interface FestivalTtsOptions extends VoiceSettings {
  logger?: Logger | undefined;
  /** text2wave program. Default "text2wave". */
  program?: string | undefined;
}

/**
 * Festival through its `text2wave` script: text on stdin, a RIFF WAV out. Voice is a festival voice
 * name without the `voice_` prefix (kal_diphone, cmu_us_slt_arctic_hts …); rate becomes
 * Duration_Stretch (the speed factor for HTS voices), volume text2wave's -scale. The `say` npm package was considered for playing
 * directly: on Linux it only pipes text into `festival --tts` (no WAV export, no per-call abort),
 * which this engine plus the speaker sink already cover.
 */
export class FestivalTts implements TextToSpeech {
  readonly name = "festival";
  readonly #options: FestivalTtsOptions;

  constructor(options: FestivalTtsOptions) {
    this.#options = options;
    // The voice is evaluated as Scheme: only plain names may reach it.
    if (options.voice !== undefined && !/^[A-Za-z0-9_]+$/.test(options.voice)) {
      throw new HearthError("CONFIG_INVALID", `festival voice "${options.voice}" is not a plain voice name`);
    }
  }

  async synthesize(text: string, options: SynthesizeOptions = {}): Promise<PcmAudio> {
    const input = checkText(this.name, text);
    const { voice, rate, timeoutMs, clock, logger } = this.#options;
    const args = ["-otype", "riff", "-scale", String(this.#options.volume)];
    if (voice) args.push("-eval", `(voice_${voice})`);
    if (rate !== 1) {
      // HTS voices ignore Duration_Stretch; their engine takes a speed factor ("-r") instead.
      args.push(
        "-eval",
        voice?.endsWith("_hts")
          ? `(set! hts_engine_params (append ${voice}::hts_engine_params (list (list "-r" ${rate.toFixed(4)}))))`
          : `(Parameter.set 'Duration_Stretch ${(1 / rate).toFixed(4)})`,
      );
    }
    return synthesizeToFile(this.name, async (wavPath) => {
      await runProgram(this.#options.program ?? "text2wave", [...args, "-o", wavPath], {
        input: `${input}\n`,
        logger,
        signal: options.signal,
        timeoutMs,
        clock,
      });
    });
  }
}
