import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "../../core/logger.js";
import { runProgram } from "../../core/process.js";
import type { PcmAudio } from "../types.js";
import { checkText, synthesizeToFile } from "./synthesis-files.js";
import type { SynthesizeOptions, TextToSpeech, VoiceSettings } from "./text-to-speech.js";

/** Options of {@link FliteTts}. */
export interface FliteTtsOptions extends VoiceSettings {
  logger?: Logger | undefined;
  /** flite program. Default "flite". */
  program?: string | undefined;
}

/**
 * CMU flite: small and fast. Voice is a built-in name (kal, kal16, awb, rms, slt; `flite -lv`) or
 * the path of a .flitevox file; rate becomes duration_stretch; flite has no volume option, so the
 * gain is applied to the samples. The text goes through a file (-f), never the command line, so
 * nothing in it can be read as an option.
 */
export class FliteTts implements TextToSpeech {
  readonly name = "flite";
  readonly #options: FliteTtsOptions;

  constructor(options: FliteTtsOptions) {
    this.#options = options;
  }

  async synthesize(text: string, options: SynthesizeOptions = {}): Promise<PcmAudio> {
    const input = checkText(this.name, text);
    const { voice, rate, timeoutMs, clock, logger, volume } = this.#options;
    return synthesizeToFile(
      this.name,
      async (wavPath, dir) => {
        const textPath = join(dir, "text.txt");
        await writeFile(textPath, `${input}\n`);
        const args: string[] = [];
        if (voice) args.push("-voice", voice);
        if (rate !== 1) args.push("--setf", `duration_stretch=${(1 / rate).toFixed(4)}`);
        args.push("-f", textPath, "-o", wavPath);
        await runProgram(this.#options.program ?? "flite", args, {
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
