/**
 * How sound is represented inside Hearth.
 *
 * Inside: 16 kHz, 16-bit signed, mono, as `Int16Array` (native little-endian on every platform
 * Hearth runs on). Chosen over Buffer because the sample is the unit every stage works in (VAD
 * frames, wake-word windows, pocketsphinx's `int16 *`), indexing needs no byte arithmetic, and
 * koffi passes it to C as a pointer without a copy. Formats are converted only at the edges: WAV
 * files, arecord/aplay, TTS engines.
 */

/** The sample rate of all audio inside Hearth, in hertz. */
export const SAMPLE_RATE = 16_000;

/** A chunk of audio moving through the pipeline: 16 kHz, 16-bit, mono samples. */
export type PcmChunk = Int16Array;

/** A stream of audio: chunks arrive as they are recorded or read, in order, of any length. */
export type AudioStream = AsyncIterable<PcmChunk>;

/**
 * A complete piece of mono 16-bit audio at a stated rate: what a TTS engine produced (at its own
 * rate, so playback loses nothing) or a whole utterance (then `sampleRate` is 16 000).
 */
export interface PcmAudio {
  /** Samples per second, in hertz. */
  sampleRate: number;
  samples: Int16Array;
}

/** Where audio comes from: a microphone, a WAV file, raw PCM on stdin. */
export interface AudioSource {
  /** A short description for logs, e.g. `mic:default`, `file:/tmp/a.wav`. */
  readonly name: string;
  /**
   * Opens the source and yields 16 kHz mono chunks until the source ends (a file) or `signal`
   * aborts (a microphone). Faults are HearthErrors: `AUDIO_DEVICE` for a missing or busy sound
   * card (the caller waits and calls `stream` again), `AUDIO_INVALID` for unreadable input.
   */
  stream(signal?: AbortSignal): AudioStream;
}

/** Options for playing audio. */
export interface PlayOptions {
  /** Aborting stops playback at once (barge-in, shutdown); `play` then rejects with the reason. */
  signal?: AbortSignal | undefined;
}

/** Where audio goes: the speaker, a WAV file, nowhere. */
export interface AudioSink {
  /** A short description for logs, e.g. `speaker:default`. */
  readonly name: string;
  /** Plays (or writes) the audio; resolves when it has finished. */
  play(audio: PcmAudio, options?: PlayOptions): Promise<void>;
}
