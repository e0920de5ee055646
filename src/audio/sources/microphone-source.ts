import { HearthError } from "../../core/errors.js";
import type { Logger } from "../../core/logger.js";
import { lastLines, spawnProgram } from "../../core/process.js";
import { bytesToInt16 } from "../pcm.js";
import { type AudioSource, type AudioStream, SAMPLE_RATE } from "../types.js";

/** Options of {@link MicrophoneSource}. */
export interface MicrophoneSourceOptions {
  /** ALSA device name, e.g. "default", "plughw:1,0", "null" (silence, for tests). */
  device: string;
  logger?: Logger | undefined;
  /** Milliseconds of audio per chunk (arecord's period). Default 80. */
  chunkMs?: number | undefined;
  /** arecord program to run. Default "arecord". */
  program?: string | undefined;
}

/** What to do about a microphone that cannot be opened, as the daemon says it. */
export const MICROPHONE_FIX =
  "plug in a microphone, or pick one from `arecord -L` as audio.mic_device; audio.source: none runs without listening (text and MQTT commands work either way)";

/**
 * The microphone through ALSA's `arecord`, asked for 16 kHz mono 16-bit directly (ALSA's plug layer
 * converts whatever the card does). arecord is spawned through `core/process` rather than via
 * `node-record-lpcm16`: that package only wraps the same spawn, but without an AbortSignal, a
 * timeout or stderr in our logs, and it has not been maintained for years.
 *
 * A missing sound card, a busy device or a microphone that stops mid-run ends the stream with a
 * HearthError("AUDIO_DEVICE") carrying arecord's reason; {@link RetryingSource} turns that into a
 * wait and a retry. Aborting the signal ends the stream quietly (that is how listening stops).
 */
export class MicrophoneSource implements AudioSource {
  readonly name: string;
  readonly #options: MicrophoneSourceOptions;

  constructor(options: MicrophoneSourceOptions) {
    this.#options = options;
    this.name = `mic:${options.device}`;
  }

  async *stream(signal?: AbortSignal): AudioStream {
    if (signal?.aborted) return;
    const program = this.#options.program ?? "arecord";
    const chunkMs = this.#options.chunkMs ?? 80;
    const args = [
      "-q",
      "-D",
      this.#options.device,
      "-f",
      "S16_LE",
      "-r",
      String(SAMPLE_RATE),
      "-c",
      "1",
      "-t",
      "raw",
      "--period-time",
      String(chunkMs * 1000),
    ];
    const child = spawnProgram(program, args, { logger: this.#options.logger, signal, timeoutMs: 0 });
    const chunkBytes = Math.round((SAMPLE_RATE * chunkMs) / 1000) * 2;
    let pending: Buffer = Buffer.alloc(0);
    let received = 0;
    try {
      for await (const data of child.stdout as AsyncIterable<Buffer>) {
        received += data.length;
        pending = pending.length === 0 ? data : Buffer.concat([pending, data]);
        while (pending.length >= chunkBytes) {
          yield bytesToInt16(Uint8Array.prototype.slice.call(pending, 0, chunkBytes));
          pending = pending.subarray(chunkBytes);
        }
      }
    } finally {
      // Also reached when the consumer stops iterating: the recorder must not outlive the stream.
      child.kill();
    }
    let exit: { exitCode: number; stderr: string };
    try {
      exit = await child.exited;
    } catch (err) {
      if (signal?.aborted) return;
      if (err instanceof HearthError && err.message.startsWith("program not found")) {
        throw new HearthError(
          "AUDIO_DEVICE",
          `${program} not found: install alsa-utils to use the microphone`,
          {
            cause: err,
          },
        );
      }
      throw new HearthError("AUDIO_DEVICE", `the microphone (${this.#options.device}) failed`, {
        cause: err,
        details: [MICROPHONE_FIX],
      });
    }
    if (signal?.aborted) return;
    const reason = lastLines(exit.stderr, 1) || `${program} exited with code ${exit.exitCode}`;
    throw new HearthError(
      "AUDIO_DEVICE",
      received === 0
        ? `cannot open the microphone (${this.#options.device}): ${reason}`
        : `the microphone (${this.#options.device}) stopped: ${reason}`,
      { details: [MICROPHONE_FIX] },
    );
  }
}
