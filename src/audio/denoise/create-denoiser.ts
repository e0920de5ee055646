import type { AudioConfig } from "../../config/schema.js";
import type { Denoiser } from "./denoiser.js";
import { RnnoiseDenoiser } from "./rnnoise-denoiser.js";

/** The denoiser `audio.denoise` asks for, or undefined when off. RNNoise loads in `start()`, not here. */
export function createDenoiser(
  config: Pick<AudioConfig, "denoise" | "denoise_dry"> &
    Partial<
      Pick<
        AudioConfig,
        | "denoise_above_dbfs"
        | "denoise_below_snr_db"
        | "denoise_both_ways"
        | "denoise_long_above_dbfs"
        | "denoise_short_ms"
      >
    >,
): Denoiser | undefined {
  if (config.denoise === "off") return undefined;
  return new RnnoiseDenoiser({
    dry: config.denoise_dry,
    aboveDbfs: config.denoise === "auto" ? (config.denoise_above_dbfs ?? -47) : undefined,
    belowSnrDb: config.denoise === "auto" ? (config.denoise_below_snr_db ?? 26) : undefined,
    bothWays: config.denoise === "auto" ? (config.denoise_both_ways ?? false) : undefined,
    longAboveDbfs: config.denoise === "auto" ? (config.denoise_long_above_dbfs ?? undefined) : undefined,
    shortMs: config.denoise === "auto" ? (config.denoise_short_ms ?? 1500) : undefined,
  });
}
