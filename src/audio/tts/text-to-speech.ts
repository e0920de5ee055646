import type { Clock } from "../../core/clock.js";
import type { PcmAudio } from "../types.js";

/** Options of one synthesis. */
export interface SynthesizeOptions {
  /** Aborting kills the engine's process; the call rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
}

/** Voice settings every engine understands (each maps them onto its own options). */
export interface VoiceSettings {
  /** Engine-specific voice name or file; undefined = the engine's default. */
  voice?: string | undefined;
  /** Speaking speed relative to the voice's normal speed: 1 normal, 1.25 faster, 0.8 slower. */
  rate: number;
  /** Loudness relative to the voice's normal level: 1 unchanged, 0.5 half, 2 double (clipped). */
  volume: number;
  /** Milliseconds one synthesis may take before the engine is killed. */
  timeoutMs: number;
  /** Whose time `timeoutMs` runs on (the daemon's injected clock); default the system clock. */
  clock?: Clock | undefined;
}

/**
 * A text-to-speech engine: text in, mono 16-bit audio out at the engine's own rate (so playback
 * loses nothing; convert with `resampleInt16` where 16 kHz is needed). Engines are stateless
 * between calls and may run several syntheses at once.
 */
export interface TextToSpeech {
  /** Engine name, for logs and timings. */
  readonly name: string;
  synthesize(text: string, options?: SynthesizeOptions): Promise<PcmAudio>;
}
