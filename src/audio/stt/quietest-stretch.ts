/** Samples per 10 ms at 16 kHz: the step the stretch is sought in. */
const STEP = 160;

/**
 * The quietest `length` samples of `audio` in one piece (the lowest energy, sought in 10 ms steps),
 * or all of it when it is not longer. A recording's pauses and the room before and after the words:
 * what its background sounds like, measured on the recording itself.
 */
export function quietestStretch(audio: Int16Array, length: number): Int16Array {
  if (length <= 0) return audio.subarray(0, 0);
  if (audio.length <= length) return audio;
  const steps = Math.floor(audio.length / STEP);
  const energy = new Float64Array(steps + 1);
  for (let i = 0; i < steps; i++) {
    let sum = 0;
    for (let j = i * STEP; j < (i + 1) * STEP; j++) {
      const s = audio[j] as number;
      sum += s * s;
    }
    energy[i + 1] = (energy[i] as number) + sum;
  }
  const span = Math.min(steps, Math.ceil(length / STEP));
  let best = 0;
  let bestEnergy = Number.POSITIVE_INFINITY;
  for (let start = 0; start + span <= steps; start++) {
    const e = (energy[start + span] as number) - (energy[start] as number);
    if (e < bestEnergy) {
      bestEnergy = e;
      best = start;
    }
  }
  return audio.subarray(best * STEP, Math.min(audio.length, best * STEP + length));
}
