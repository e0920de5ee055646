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

/**
 * The quietest `length` samples of `audio` as its quietest 10 ms frames, wherever they lie, joined
 * in the order they were heard (all of it when it is not longer). Unlike {@link quietestStretch},
 * it never holds the words of a recording cut tightly around them: with no pause of `length` in
 * one piece, the quietest stretch is words, while the quietest frames are still the gaps between
 * them and the room before and after. In steady background both are that background.
 */
export function quietestFrames(audio: Int16Array, length: number): Int16Array {
  if (length <= 0) return audio.subarray(0, 0);
  if (audio.length <= length) return audio;
  const energy = frameEnergies(audio);
  const steps = energy.length;
  const count = Math.min(steps, Math.ceil(length / STEP));
  // Stable: among frames of equal energy (digital silence) the earliest come first.
  const order = Array.from({ length: steps }, (_, i) => i).sort(
    (a, b) => (energy[a] as number) - (energy[b] as number) || a - b,
  );
  const chosen = order.slice(0, count).sort((a, b) => a - b);
  const out = new Int16Array(Math.min(length, count * STEP));
  let offset = 0;
  for (const frame of chosen) {
    if (offset >= out.length) break;
    const piece = audio.subarray(
      frame * STEP,
      Math.min((frame + 1) * STEP, frame * STEP + out.length - offset),
    );
    out.set(piece, offset);
    offset += piece.length;
  }
  return out;
}

/** The energy (sum of squares) of each whole 10 ms frame of `audio`. */
export function frameEnergies(audio: Int16Array): Float64Array {
  const steps = Math.floor(audio.length / STEP);
  const energy = new Float64Array(steps);
  for (let i = 0; i < steps; i++) {
    let sum = 0;
    for (let j = i * STEP; j < (i + 1) * STEP; j++) {
      const s = audio[j] as number;
      sum += s * s;
    }
    energy[i] = sum;
  }
  return energy;
}
