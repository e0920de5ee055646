import type { AudioSink, PcmAudio, PlayOptions } from "../types.js";

/** Discards audio at once: for headless satellites, tests and `audio.sink: null`. */
export class NullSink implements AudioSink {
  readonly name = "null";

  async play(_audio: PcmAudio, options: PlayOptions = {}): Promise<void> {
    options.signal?.throwIfAborted();
  }
}
