import type { AudioConfig } from "../../config/schema.js";
import type { Denoiser } from "./denoiser.js";
import { RnnoiseDenoiser } from "./rnnoise-denoiser.js";

/** The denoiser `audio.denoise` asks for, or undefined when off. RNNoise loads in `start()`, not here. */
export function createDenoiser(config: Pick<AudioConfig, "denoise" | "denoise_dry">): Denoiser | undefined {
  return config.denoise === "on" ? new RnnoiseDenoiser({ dry: config.denoise_dry }) : undefined;
}
