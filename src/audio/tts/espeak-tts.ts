import type { Logger } from "../../core/logger.js";
import { fileOnlyAudioEnv } from "../../core/privacy.js";
import { runProgram } from "../../core/process.js";
import type { PcmAudio } from "../types.js";
import { checkText, synthesizeToFile } from "./synthesis-files.js";
import type { SynthesizeOptions, TextToSpeech, VoiceSettings } from "./text-to-speech.js";

/** Options of {@link EspeakTts}. */
export interface EspeakTtsOptions extends VoiceSettings {
  logger?: Logger | undefined;
  /** espeak-ng program. Default "espeak-ng". */
  program?: string | undefined;
}

/** espeak-ng's speed at rate 1, in words per minute (its own default). */
const BASE_WPM = 175;

/**
 * espeak-ng: robotic but tiny, and speaks many languages. Voice is an espeak-ng voice (en-us, en-gb,
 * en-us+f3 …; `espeak-ng --voices`); rate scales its 175 words per minute; volume its amplitude
 * (100 = normal, up to 200). Text arrives on stdin.
 */
export class EspeakTts implements TextToSpeech {
  readonly name = "espeak";
  readonly #options: EspeakTtsOptions;

  constructor(options: EspeakTtsOptions) {
    this.#options = options;
  }

  async synthesize(text: string, options: SynthesizeOptions = {}): Promise<PcmAudio> {
    const input = checkText(this.name, text);
    const { voice, rate, volume, timeoutMs, clock, logger } = this.#options;
    const amplitude = Math.round(Math.min(200, Math.max(0, volume * 100)));
    // espeak-ng accepts 80–450 words per minute.
    const wpm = Math.round(Math.min(450, Math.max(80, BASE_WPM * rate)));
    return synthesizeToFile(
      this.name,
      async (wavPath) => {
        const args = [
          "-v",
          voice ?? "en-us",
          "-s",
          String(wpm),
          "-a",
          String(amplitude),
          "-w",
          wavPath,
          "--stdin",
        ];
        await runProgram(this.#options.program ?? "espeak-ng", args, {
          input: `${input}\n`,
          logger,
          signal: options.signal,
          timeoutMs,
          clock,
          // It writes a file, yet would open a sound-server connection and write under $HOME.
          env: fileOnlyAudioEnv(),
        });
      },
      // Beyond amplitude 200 espeak-ng cannot go louder; the rest is gain.
      volume > 2 ? volume / 2 : 1,
    );
  }
}
