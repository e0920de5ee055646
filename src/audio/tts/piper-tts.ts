import { access } from "node:fs/promises";
import { HearthError } from "../../core/errors.js";
import type { Logger } from "../../core/logger.js";
import { runProgram } from "../../core/process.js";
import type { PcmAudio } from "../types.js";
import { checkText, synthesizeToFile } from "./synthesis-files.js";
import type { SynthesizeOptions, TextToSpeech, VoiceSettings } from "./text-to-speech.js";

/** Options of {@link PiperTts}. */
export interface PiperTtsOptions extends VoiceSettings {
  logger?: Logger | undefined;
  /** The piper program (path or name on PATH). */
  program: string;
  /** The voice model (.onnx, with its .onnx.json beside it). */
  model: string;
  /** Speaker number in a multi-speaker voice. */
  speaker?: number | undefined;
}

/**
 * Piper neural voices (piper's own binary and a downloaded voice; neither ships with Hearth). Text on
 * stdin, a WAV file out at the voice's rate; rate becomes --length_scale, volume a gain on the
 * samples. A missing model file is reported before piper is started.
 */
export class PiperTts implements TextToSpeech {
  readonly name = "piper";
  readonly #options: PiperTtsOptions;

  constructor(options: PiperTtsOptions) {
    this.#options = options;
  }

  async synthesize(text: string, options: SynthesizeOptions = {}): Promise<PcmAudio> {
    const input = checkText(this.name, text);
    const { model, rate, volume, speaker, timeoutMs, clock, logger } = this.#options;
    try {
      await access(model);
    } catch (err) {
      throw new HearthError("MODEL_INVALID", `piper voice not found: ${model}`, { cause: err });
    }
    return synthesizeToFile(
      this.name,
      async (wavPath) => {
        const args = ["--model", model, "--output_file", wavPath, "--length_scale", (1 / rate).toFixed(4)];
        if (speaker !== undefined) args.push("--speaker", String(speaker));
        await runProgram(this.#options.program, args, {
          input: `${input}\n`,
          logger,
          signal: options.signal,
          timeoutMs,
          clock,
        });
      },
      volume,
    );
  }
}
