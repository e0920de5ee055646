/** One wake word heard in the audio stream. */
export interface WakeDetection {
  /** The configured word's name (`wake.words[].name`), or "push-to-talk". */
  word: string;
  /** Stream time, in seconds since the detector started or was reset, at the end of the audio that fired. */
  seconds: number;
  /** The model's score, 0–1 (1 for push-to-talk). */
  score: number;
}

/**
 * Decides when Hearth starts listening for a command. Audio is fed in as it arrives (16 kHz, 16-bit,
 * mono, chunks of any length); detections come back as ordinary values, never as exceptions.
 *
 * `kind` tells the pipeline how to use it: "keyword" engines listen for spoken words, "push-to-talk"
 * fires when something outside the audio (the Home Assistant button, an MQTT topic) calls its
 * trigger, and "none" never fires, so the pipeline treats every utterance the VAD finds as a command.
 */
export interface WakeWordDetector {
  readonly kind: "keyword" | "push-to-talk" | "none";
  /** The names this detector can report. */
  readonly words: readonly string[];
  /** Loads models; until it resolves `process` must not be called. */
  start(): Promise<void>;
  /** Releases models; idempotent. */
  stop(): Promise<void>;
  /**
   * Feeds audio; resolves to the detections this chunk completed (usually none). Calls must not
   * overlap: await each before feeding the next chunk.
   */
  process(pcm: Int16Array): Promise<WakeDetection[]>;
  /**
   * Starts a new stream (another file, a reopened microphone); stream time restarts at 0. Keyword
   * engines need 2 s of audio after it before they can fire, so do not reset between runs of one
   * live stream.
   */
  reset(): void;
}
