import { resolve } from "node:path";
import type { Readable } from "node:stream";
import type { AudioConfig } from "../../config/schema.js";
import type { Clock } from "../../core/clock.js";
import type { Logger } from "../../core/logger.js";
import type { AudioSource } from "../types.js";
import { MicrophoneSource } from "./microphone-source.js";
import { PcmStreamSource } from "./pcm-stream-source.js";
import { RetryingSource } from "./retrying-source.js";
import { WavFileSource } from "./wav-file-source.js";

/** What sources need besides the `audio` section. */
export interface AudioSourceDeps {
  logger: Logger;
  /** Folder a relative file path is resolved against: the config file's folder. */
  baseDir: string;
  /** The stream `stdin` reads (default: the process's stdin). */
  stdin?: (() => Readable) | undefined;
  /** The clock a retried microphone waits on (default: the system clock). */
  clock?: Clock | undefined;
}

/**
 * The source named by `audio.source`: `mic` (kept open by {@link RetryingSource}: a missing or lost
 * sound card is retried every `retry_ms`), `stdin`, or `file:PATH`.
 */
export function createAudioSource(config: AudioConfig, deps: AudioSourceDeps): AudioSource {
  const logger = deps.logger.child({ module: "audio-source" });
  if (config.source.startsWith("file:")) {
    return new WavFileSource(resolve(deps.baseDir, config.source.slice("file:".length)), {
      chunkMs: config.chunk_ms,
      limits: { maxSeconds: config.max_file_seconds },
    });
  }
  if (config.source === "stdin") {
    return new PcmStreamSource(deps.stdin ?? (() => process.stdin), {
      sampleRate: config.stdin_sample_rate,
      channels: config.stdin_channels,
    });
  }
  const mic = new MicrophoneSource({ device: config.mic_device, chunkMs: config.chunk_ms, logger });
  return new RetryingSource(mic, { logger, retryMs: config.retry_ms, clock: deps.clock });
}
