import type { Logger } from "../../core/logger.js";
import { concatInt16 } from "../pcm.js";
import { type Denoiser, type DenoiserStream, lowestDenoisedDbfs } from "./denoiser.js";
import { NoiseLevel } from "./noise-level.js";

/** One raw chunk as the denoiser gave it back. */
export interface DenoisedChunk {
  /** The denoised audio, as long as the chunk and delayed by the denoiser's latency. */
  speech: Int16Array;
  /** The raw audio of the moment `speech` holds (the chunk delayed by the same latency). */
  alignedRaw: Int16Array;
}

/** Options of {@link RoomDenoising}. */
export interface RoomDenoisingOptions {
  log: Logger;
  /**
   * `audio.denoise: auto`: decibels under the denoiser's `aboveDbfs` at which the background starts
   * the model loading, so that it is loaded and warm before the room is loud enough to need it.
   * Default {@link LOAD_MARGIN_DB}.
   */
  loadMarginDb?: number | undefined;
  /**
   * Milliseconds of audio a stream hears before its output is used: RNNoise's recurrent state
   * learns the room over about a second. Default {@link WARM_UP_MS}.
   */
  warmUpMs?: number | undefined;
  /**
   * Milliseconds of audio with the background under the loading level after which the stream is
   * closed and the model freed. Default {@link RELEASE_AFTER_MS}.
   */
  releaseAfterMs?: number | undefined;
}

/**
 * The background starts loading RNNoise 6 dB under `audio.denoise_above_dbfs` or
 * `audio.denoise_long_above_dbfs`, whichever is lower (-66 dBFS by default).
 */
export const LOAD_MARGIN_DB = 6;
/** One second: after it, RNNoise has learnt the room (tests/audio/denoise/rnnoise-denoiser.test.ts). */
export const WARM_UP_MS = 1000;
/** Ten minutes of a quiet room free the model again: a kitchen between two meals keeps it. */
export const RELEASE_AFTER_MS = 600_000;

const SAMPLES_PER_MS = 16;

/**
 * A listening session's audio through the denoiser: its stream, and for `audio.denoise: auto` the
 * background's level and when the model is loaded at all.
 *
 * With `on` (the denoiser has no `aboveDbfs`) every chunk is denoised from the first, as the model
 * was loaded with the other stages. With `auto` a quiet room never needs the denoised audio (every
 * utterance is heard as the microphone gives it), so RNNoise's WebAssembly module (about 9 MB and
 * 0.03–0.04 s of CPU per second of audio while idle, npm run bench -- memory) is loaded only once the
 * background between utterances (measured while none is being cut, so that a long command in a
 * quiet room is no loud room) comes within {@link RoomDenoisingOptions.loadMarginDb} of
 * `aboveDbfs`, its stream begins then, and its output counts once it has heard
 * {@link RoomDenoisingOptions.warmUpMs}. Until then {@link push} gives nothing and the loop hears the raw audio: an utterance that starts in a
 * room that has only just become loud is heard as with `audio.denoise: off`, never dropped or held
 * back. On a live source the model loads beside the audio (the chunks keep flowing, raw); on a
 * recording (`wait`), which is read as fast as it is heard, the chunk that reaches the level waits
 * for it, so that a recording's answer does not depend on the machine's speed. After
 * {@link RoomDenoisingOptions.releaseAfterMs} of audio with the background under the loading level
 * and no utterance being cut, the stream is closed and the model freed.
 */
export class RoomDenoising {
  readonly #denoiser: Denoiser;
  readonly #log: Logger;
  /** `auto`: the background level (dBFS) at which the model is loaded; undefined for `on`. */
  readonly #loadAt: number | undefined;
  readonly #warmUp: number;
  readonly #releaseAfter: number;
  readonly #noise: NoiseLevel | undefined;
  /**
   * The background between utterances, which decides the loading: an utterance's own words, heard
   * for longer than the level's window, would otherwise count as a loud room in a quiet home.
   */
  readonly #room: NoiseLevel | undefined;
  #stream: DenoiserStream | undefined;
  /** Samples the stream has heard. */
  #heard = 0;
  /** Samples heard in a row with the background under the loading level. */
  #quiet = 0;
  #loading: Promise<void> | undefined;
  #failed = false;
  /** The raw samples not yet handed on beside the denoised ones (the denoiser's latency). */
  #rawLag: Int16Array = new Int16Array(0);

  constructor(denoiser: Denoiser, options: RoomDenoisingOptions) {
    this.#denoiser = denoiser;
    this.#log = options.log;
    // audio.denoise_long_above_dbfs: long utterances may be heard denoised in a quieter room.
    const above = lowestDenoisedDbfs(denoiser);
    this.#loadAt = above === undefined ? undefined : above - (options.loadMarginDb ?? LOAD_MARGIN_DB);
    this.#noise = above === undefined ? undefined : new NoiseLevel();
    this.#room = above === undefined ? undefined : new NoiseLevel();
    this.#warmUp = (options.warmUpMs ?? WARM_UP_MS) * SAMPLES_PER_MS;
    this.#releaseAfter = (options.releaseAfterMs ?? RELEASE_AFTER_MS) * SAMPLES_PER_MS;
  }

  /** The background's level on the raw audio (dBFS) for `auto`; undefined for `on`. */
  get backgroundDbfs(): number | undefined {
    return this.#noise?.dbfs;
  }

  /** Begins the session: with `on`, the stream (the model must have been started). */
  open(): void {
    if (this.#loadAt === undefined) this.#begin();
  }

  /**
   * Hears the next raw chunk. Returns its denoised audio and the raw audio of the same moment once
   * the stream is warm; undefined while no stream is (a quiet room, the model loading, warming up).
   * `wait`: the source is a recording, and a chunk that starts the model's loading waits for it.
   * `idle`: no utterance is being cut, so the chunk tells the room's level (which loads the model)
   * and the stream may be closed.
   */
  async push(
    chunk: Int16Array,
    options: { wait: boolean; idle: boolean },
  ): Promise<DenoisedChunk | undefined> {
    const room = this.#room;
    this.#noise?.push(chunk);
    if (room && options.idle && this.#loadAt !== undefined) {
      room.push(chunk);
      const loud = room.dbfs > this.#loadAt;
      this.#quiet = loud ? 0 : this.#quiet + chunk.length;
      if (loud && !this.#stream) {
        // Loaded already (by the stage's start, or a session before this one): the stream begins now.
        if (!this.#denoiser.loaded) {
          const loading = this.#load(room.dbfs);
          if (options.wait) await loading;
        }
        if (this.#denoiser.loaded) this.#begin();
      } else if (this.#denoiser.loaded && this.#quiet >= this.#releaseAfter) {
        await this.#release();
      }
    }
    const stream = this.#stream;
    if (!stream) return undefined;
    const speech = stream.process(chunk);
    const alignedRaw = this.#aligned(chunk);
    if (this.#loadAt === undefined) return { speech, alignedRaw };
    // Whether the stream had heard its warm-up before this chunk.
    const warm = this.#heard >= this.#warmUp;
    this.#heard += chunk.length;
    if (!warm && this.#heard >= this.#warmUp) this.#log.debug("denoiser ready");
    return warm ? { speech, alignedRaw } : undefined;
  }

  /** Ends the session: closes the stream (the model stays loaded; its stage's stop() frees it). */
  close(): void {
    this.#stream?.close();
    this.#stream = undefined;
  }

  #load(backgroundDbfs: number): Promise<void> {
    if (this.#failed) return Promise.resolve();
    if (!this.#loading) {
      this.#log.info(
        { backgroundDbfs: Math.round(backgroundDbfs) },
        "the room is loud: loading the denoiser",
      );
      this.#loading = this.#denoiser.start().then(
        () => {
          this.#loading = undefined;
        },
        (err: unknown) => {
          // Logged once; the utterances are heard as the microphone gives them, as with `off`.
          this.#failed = true;
          this.#loading = undefined;
          this.#log.error({ err }, "the denoiser could not be loaded: utterances are heard without it");
        },
      );
    }
    return this.#loading;
  }

  #begin(): void {
    this.#stream = this.#denoiser.begin();
    this.#heard = 0;
    this.#rawLag = new Int16Array(this.#stream.latencySamples);
  }

  async #release(): Promise<void> {
    this.close();
    await this.#denoiser.stop();
    this.#log.info(
      {
        backgroundDbfs: Math.round(this.#room?.dbfs ?? -100),
        quietMs: Math.round(this.#quiet / SAMPLES_PER_MS),
      },
      "the room is quiet: denoiser unloaded",
    );
  }

  /** `chunk` delayed by the denoiser's latency (the raw audio of the moment the denoised chunk holds). */
  #aligned(chunk: Int16Array): Int16Array {
    const joined = concatInt16([this.#rawLag, chunk]);
    this.#rawLag = joined.slice(chunk.length);
    return joined.subarray(0, chunk.length);
  }
}
