import type { VoiceActivityDetector } from "./voice-activity-detector.js";

/** 32 ms at 16 kHz, the same frame as the Silero VAD so the segmenter behaves alike with both. */
const FRAME_SAMPLES = 512;
const FRAME_MS = (FRAME_SAMPLES / 16000) * 1000;
/** Level given to digital silence, so logarithms stay finite. */
const FLOOR_DB = -100;
/** The noise floor follows quieter sound within ~100 ms … */
const FALL_TIME_MS = 100;
/** … and louder sound only over ~10 s, so speech (seconds long) barely lifts it but a fan does. */
const RISE_TIME_MS = 10_000;
/** Decibels over which the probability goes from ~12 % to ~88 % around the decision level. */
const SLOPE_DB = 2;

export interface EnergyVadOptions {
  /** dBFS below which nothing counts as speech, however quiet the room. */
  thresholdDb: number;
  /** Decibels above the tracked noise floor that count as speech. */
  marginDb: number;
}

/**
 * Loudness-based VAD: a frame is speech when its RMS level stands `marginDb` above a slowly tracked
 * noise floor and above an absolute threshold. No model, almost no CPU, but any loud sound counts;
 * the fallback for devices where the Silero model cannot run.
 */
export class EnergyVad implements VoiceActivityDetector {
  readonly name = "energy";
  readonly frameSamples = FRAME_SAMPLES;
  readonly #options: EnergyVadOptions;
  #noiseFloorDb: number | undefined;

  constructor(options: EnergyVadOptions) {
    this.#options = options;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  reset(): void {
    this.#noiseFloorDb = undefined;
  }

  async process(frame: Int16Array): Promise<number> {
    const level = levelDb(frame);
    const floor = this.#noiseFloorDb ?? level;
    const time = level < floor ? FALL_TIME_MS : RISE_TIME_MS;
    this.#noiseFloorDb = floor + (level - floor) * (1 - Math.exp(-FRAME_MS / time));
    const decision = Math.max(this.#options.thresholdDb, floor + this.#options.marginDb);
    return 1 / (1 + Math.exp(-(level - decision) / SLOPE_DB));
  }
}

/** RMS level of a frame in dBFS (0 dB = full-scale square wave). */
export function levelDb(frame: Int16Array): number {
  let sum = 0;
  for (const sample of frame) sum += sample * sample;
  const rms = Math.sqrt(sum / Math.max(frame.length, 1)) / 32768;
  return rms > 0 ? Math.max(FLOOR_DB, 20 * Math.log10(rms)) : FLOOR_DB;
}
