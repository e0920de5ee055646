/** Mixes a seeded slice of `noise` into `speech` at `snrDb` (speech power over its active 10 ms frames). */
export function mixAtSnr(speech, noise, snrDb, random) {
  const offset = Math.floor(random() * Math.max(1, noise.length - speech.length));
  let noisePower = 0;
  for (let i = 0; i < speech.length; i++)
    noisePower += ((noise[(offset + i) % noise.length] ?? 0) / 32768) ** 2;
  noisePower /= Math.max(1, speech.length);
  const gain = Math.sqrt(activePower(speech) / (Math.max(noisePower, 1e-12) * 10 ** (snrDb / 10)));
  const out = new Int16Array(speech.length);
  for (let i = 0; i < speech.length; i++) {
    const value = speech[i] + (noise[(offset + i) % noise.length] ?? 0) * gain;
    out[i] = Math.max(-32768, Math.min(32767, Math.round(value)));
  }
  return out;
}

/** Mean power of the 10 ms frames within 40 dB of the loudest (pauses do not count). */
export function activePower(samples) {
  const powers = [];
  for (let i = 0; i + 160 <= samples.length; i += 160) {
    let sum = 0;
    for (let j = i; j < i + 160; j++) sum += (samples[j] / 32768) ** 2;
    powers.push(sum / 160);
  }
  const loudest = Math.max(...powers, 1e-12);
  const active = powers.filter((p) => p >= loudest * 1e-4);
  return active.reduce((a, b) => a + b, 0) / Math.max(1, active.length);
}

/**
 * Where a clean recording's voice is, in seconds: runs of 10 ms frames within 35 dB of the loudest,
 * joined across gaps of at most 150 ms, runs under 50 ms dropped. On a clean recording (a
 * microphone's floor 40 dB or more under the voice) that is the words and the pauses between them;
 * the same spans then tell where the words lie in its mixes with noise.
 */
export function speechSpans(samples) {
  const levels = [];
  for (let i = 0; i + 160 <= samples.length; i += 160) {
    let sum = 0;
    for (let j = i; j < i + 160; j++) sum += (samples[j] / 32768) ** 2;
    levels.push(10 * Math.log10(sum / 160 + 1e-12));
  }
  const floor = Math.max(...levels) - 35;
  const spans = [];
  for (let i = 0; i < levels.length; i++) {
    if (levels[i] <= floor) continue;
    const last = spans.at(-1);
    if (last && i - last[1] <= 15) last[1] = i + 1;
    else spans.push([i, i + 1]);
  }
  return spans.filter(([a, b]) => b - a >= 5).map(([a, b]) => ({ start: a / 100, end: b / 100 }));
}
