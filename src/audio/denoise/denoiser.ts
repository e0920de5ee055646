/**
 * Speech enhancement of the microphone's audio before the VAD and speech-to-text: noise pushed
 * down, the voice kept. A stage with a lifecycle (a model loads in `start()`), and a fresh
 * {@link DenoiserStream} per listening session, since its state follows the audio it has heard.
 */
export interface Denoiser {
  readonly name: string;
  /**
   * `audio.denoise: auto`: the background level (dBFS, measured on the raw audio before an
   * utterance) above which the utterance is heard denoised; undefined: always denoised.
   */
  readonly aboveDbfs?: number | undefined;
  /**
   * `audio.denoise: auto`: in a loud room, an utterance whose first words (the VAD's first
   * `vad.min_speech_ms` of speech, raw) stand this many dB or more above the background is heard
   * as the microphone gave it; undefined: denoised whatever its level.
   */
  readonly belowSnrDb?: number | undefined;
  /**
   * `audio.denoise: auto`: the background level (dBFS) above which an utterance is heard denoised
   * whatever its first words' level once it is long: one that {@link aboveDbfs} and
   * {@link belowSnrDb} would leave raw is handed over raw, and switched to the denoised audio from
   * its start once its speech outlasts {@link shortMs}. Undefined: only {@link aboveDbfs} decides.
   */
  readonly longAboveDbfs?: number | undefined;
  /** With {@link longAboveDbfs}: the longest speech (milliseconds) that counts as short. */
  readonly shortMs?: number | undefined;
  /**
   * `audio.denoise: auto`: while RNNoise runs, each utterance is decoded both ways, denoised and as
   * the microphone gave it, and the better fit is kept; false or undefined: only the way chosen.
   */
  readonly bothWays?: boolean | undefined;
  /**
   * Loads the model; must be called before {@link begin}. With `audio.denoise: auto` the listening
   * loop calls it once the room becomes loud (src/audio/denoise/room-denoising.ts), and
   * {@link check} stands in for it at start-up; idempotent.
   */
  start(): Promise<void>;
  /** Throws the coded error {@link start} would when the model cannot be loaded, without loading it. */
  check(): void;
  /** Whether the model is loaded ({@link start} has completed, {@link stop} not been called since). */
  readonly loaded: boolean;
  /** Frees the model; idempotent. */
  stop(): Promise<void>;
  /** A new stream, its state fresh: the answer to a recording does not depend on what was heard before. */
  begin(): DenoiserStream;
}

/** One continuous stream of 16 kHz mono PCM through the denoiser. */
export interface DenoiserStream {
  /**
   * The denoised audio for `chunk`: exactly as many samples, delayed by {@link latencySamples}
   * (the stream starts with that much silence).
   */
  process(chunk: Int16Array): Int16Array;
  /** Samples (at 16 kHz) by which the output lags the input. */
  readonly latencySamples: number;
  /** Frees the stream's state; idempotent. */
  close(): void;
}

/**
 * `audio.denoise: auto`: the background level (dBFS) above which an utterance may be heard
 * denoised, the lower of {@link Denoiser.aboveDbfs} and {@link Denoiser.longAboveDbfs}; undefined
 * for `on` (always denoised) and `off` (no denoiser).
 */
export function lowestDenoisedDbfs(denoiser: Denoiser | undefined): number | undefined {
  const above = denoiser?.aboveDbfs;
  const longAbove = denoiser?.longAboveDbfs;
  return above === undefined || longAbove === undefined ? above : Math.min(above, longAbove);
}
