/**
 * Judges, frame by frame, whether someone is speaking. Frames are 16 kHz, 16-bit mono, exactly
 * `frameSamples` long; the segmenter cuts the stream to that size. Detectors keep state across
 * frames (a neural model's memory, a noise floor), so one detector serves one stream at a time.
 */
export interface VoiceActivityDetector {
  /** Engine name, for logs. */
  readonly name: string;
  /** Samples per frame at 16 kHz. */
  readonly frameSamples: number;
  /** Loads models; until it resolves `process` must not be called. */
  start(): Promise<void>;
  /** Releases models; idempotent. */
  stop(): Promise<void>;
  /** Probability (0–1) that the frame holds speech. */
  process(frame: Int16Array): Promise<number>;
  /** Forgets the stream so far (a new stream begins). */
  reset(): void;
}
