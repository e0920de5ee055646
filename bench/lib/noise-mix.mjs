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
