import type { Clock } from "../../core/clock.js";
import { HearthError } from "../../core/errors.js";
import type { Logger } from "../../core/logger.js";
import { lastLines, spawnProgram } from "../../core/process.js";
import type { AudioSink, PcmAudio, PlayOptions } from "../types.js";
import { encodeWav } from "../wav.js";

/** Options of {@link SpeakerSink}. */
export interface SpeakerSinkOptions {
  /** ALSA device name, e.g. "default", "plughw:0,0", "null". */
  device: string;
  logger?: Logger | undefined;
  /** aplay program to run. Default "aplay". */
  program?: string | undefined;
  /** Milliseconds added to the audio's length before playback counts as hung. Default 10 000. */
  slackMs?: number | undefined;
  /** Whose time that deadline runs on (the daemon's injected clock); default the system clock. */
  clock?: Clock | undefined;
}

/**
 * The speaker through ALSA's `aplay`, fed a WAV on stdin (so the audio's own rate is kept and ALSA
 * converts). Aborting the signal stops playback at once (barge-in). No sound card, a busy device
 * or a missing aplay is a HearthError("AUDIO_DEVICE") with aplay's reason.
 */
export class SpeakerSink implements AudioSink {
  readonly name: string;
  readonly #options: SpeakerSinkOptions;

  constructor(options: SpeakerSinkOptions) {
    this.#options = options;
    this.name = `speaker:${options.device}`;
  }

  async play(audio: PcmAudio, options: PlayOptions = {}): Promise<void> {
    options.signal?.throwIfAborted();
    const program = this.#options.program ?? "aplay";
    const seconds = audio.samples.length / audio.sampleRate;
    const child = spawnProgram(program, ["-q", "-D", this.#options.device, "-t", "wav", "-"], {
      logger: this.#options.logger,
      signal: options.signal,
      timeoutMs: Math.ceil(seconds * 1000) + (this.#options.slackMs ?? 10_000),
      clock: this.#options.clock,
    });
    child.stdin.end(encodeWav(audio));
    child.stdout.resume();
    let exit: { exitCode: number; stderr: string };
    try {
      exit = await child.exited;
    } catch (err) {
      if (options.signal?.aborted) throw err;
      if (err instanceof HearthError && err.message.startsWith("program not found")) {
        throw new HearthError("AUDIO_DEVICE", `${program} not found: install alsa-utils to use the speaker`, {
          cause: err,
        });
      }
      throw new HearthError("AUDIO_DEVICE", `the speaker (${this.#options.device}) failed`, { cause: err });
    }
    if (exit.exitCode !== 0) {
      const reason = lastLines(exit.stderr, 1) || `${program} exited with code ${exit.exitCode}`;
      throw new HearthError(
        "AUDIO_DEVICE",
        `cannot play on the speaker (${this.#options.device}): ${reason}`,
      );
    }
  }
}
