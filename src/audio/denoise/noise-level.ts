/** 10 ms at 16 kHz: the frames whose loudness is ranked. */
const FRAME = 160;

/**
 * The background's level in dBFS, followed on the raw microphone: a low percentile (the 20th) of
 * the loudness of the last {@link windowMs} in 10 ms frames. Words and clatter are the loud
 * frames, so the quiet fifth is the room between them, as a minimum-statistics noise estimate has
 * it; -100 dBFS before any audio and for digital silence.
 */
export class NoiseLevel {
  readonly #levels: number[] = [];
  readonly #frames: number;
  #sum = 0;
  #count = 0;

  constructor(readonly windowMs = 1500) {
    this.#frames = Math.max(1, Math.round(windowMs / 10));
  }

  /** Hears the next raw chunk (16 kHz mono). */
  push(chunk: Int16Array): void {
    for (const sample of chunk) {
      this.#sum += sample * sample;
      if (++this.#count < FRAME) continue;
      const rms = Math.sqrt(this.#sum / FRAME) / 32768;
      this.#levels.push(rms > 0 ? Math.max(-100, 20 * Math.log10(rms)) : -100);
      if (this.#levels.length > this.#frames) this.#levels.shift();
      this.#sum = 0;
      this.#count = 0;
    }
  }

  /** The background's level now, in dBFS. */
  get dbfs(): number {
    if (this.#levels.length === 0) return -100;
    const sorted = [...this.#levels].sort((a, b) => a - b);
    return sorted[Math.floor((sorted.length - 1) * 0.2)] ?? -100;
  }
}

/**
 * The speech's level in dBFS: the 80th percentile of the loudness of `audio`'s 10 ms frames (the
 * voice's vowels, not one click); -100 for no audio or digital silence.
 */
export function speechLevelDbfs(audio: Int16Array): number {
  const levels: number[] = [];
  for (let start = 0; start + FRAME <= audio.length; start += FRAME) {
    let sum = 0;
    for (let i = start; i < start + FRAME; i++) sum += (audio[i] as number) ** 2;
    const rms = Math.sqrt(sum / FRAME) / 32768;
    levels.push(rms > 0 ? Math.max(-100, 20 * Math.log10(rms)) : -100);
  }
  if (levels.length === 0) return -100;
  levels.sort((a, b) => a - b);
  return levels[Math.floor((levels.length - 1) * 0.8)] ?? -100;
}
