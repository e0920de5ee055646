import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { AudioSink, PcmAudio, PlayOptions } from "../types.js";
import { writeWavFile } from "../wav.js";

/**
 * Writes each piece of audio to a WAV file (at the audio's own rate, mono 16-bit). A `{n}` in the
 * path is replaced by a counter starting at 1, so a run's replies do not overwrite each other;
 * without it each reply replaces the last.
 */
export class WavFileSink implements AudioSink {
  readonly name: string;
  readonly #path: string;
  #count = 0;
  /** Paths written so far, oldest first. */
  readonly written: string[] = [];

  constructor(path: string) {
    this.#path = path;
    this.name = `file:${path}`;
  }

  async play(audio: PcmAudio, options: PlayOptions = {}): Promise<void> {
    options.signal?.throwIfAborted();
    this.#count++;
    const path = this.#path.replaceAll("{n}", String(this.#count));
    await mkdir(dirname(path), { recursive: true });
    await writeWavFile(path, audio);
    this.written.push(path);
  }
}
