import { resolve } from "node:path";
import type { AudioConfig } from "../../config/schema.js";
import type { Clock } from "../../core/clock.js";
import type { Logger } from "../../core/logger.js";
import type { AudioSink } from "../types.js";
import { NullSink } from "./null-sink.js";
import { SpeakerSink } from "./speaker-sink.js";
import { WavFileSink } from "./wav-file-sink.js";

/** What sinks need besides the `audio` section. */
export interface AudioSinkDeps {
  logger: Logger;
  /** Folder a relative file path is resolved against: the config file's folder. */
  baseDir: string;
  /** Whose time the speaker's playback deadline runs on; default the system clock. */
  clock?: Clock | undefined;
}

/** The sink named by `audio.sink`: `speaker`, `null`, or `file:PATH`. */
export function createAudioSink(config: AudioConfig, deps: AudioSinkDeps): AudioSink {
  if (config.sink.startsWith("file:"))
    return new WavFileSink(resolve(deps.baseDir, config.sink.slice("file:".length)));
  if (config.sink === "null") return new NullSink();
  return new SpeakerSink({
    device: config.speaker_device,
    logger: deps.logger.child({ module: "audio-sink" }),
    clock: deps.clock,
  });
}
