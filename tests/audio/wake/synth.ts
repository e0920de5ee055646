import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { RATE, readPcm, soxConvert } from "../../helpers/speech.js";

/*
 * Test audio made on the spot with real speech synthesisers (flite, festival) and sox, all as
 * 16 kHz mono 16-bit samples, the format Hearth uses inside. Shared by the wake, VAD and segmenter
 * tests; nothing here is a fake: the audio comes from the real programs.
 */

const run = promisify(execFile);

export { RATE };

export interface SpeakOptions {
  /** flite voice (kal, kal16, awb, rms, slt) or "festival" for festival's default voice. */
  voice?: string;
  /** Speed factor applied with sox's tempo (1 = as synthesised). */
  tempo?: number;
}

/** Speaks `text` with flite or festival and returns it resampled to 16 kHz mono. */
export async function speak(text: string, options: SpeakOptions = {}): Promise<Int16Array> {
  const dir = await mkdtemp(join(tmpdir(), "hearth-synth-"));
  try {
    const wav = join(dir, "speech.wav");
    const voice = options.voice ?? "slt";
    if (voice === "festival") {
      const txt = join(dir, "text.txt");
      await writeFile(txt, text);
      await run("text2wave", [txt, "-o", wav]);
    } else {
      await run("flite", ["-voice", voice, "-t", text, "-o", wav]);
    }
    const effects = options.tempo !== undefined ? ["tempo", String(options.tempo)] : [];
    return await soxToPcm([wav], effects, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Pink noise from sox's repeatable generator, at roughly `level` (0–1 amplitude scale). */
export async function pinkNoise(seconds: number, level = 0.1): Promise<Int16Array> {
  const dir = await mkdtemp(join(tmpdir(), "hearth-noise-"));
  try {
    return await soxToPcm(["-n"], ["synth", String(seconds), "pinknoise", "vol", String(level)], dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `input` (sox's input arguments) as 16 kHz mono samples, made in `dir`. */
async function soxToPcm(input: string[], effects: string[], dir: string): Promise<Int16Array> {
  const out = join(dir, "out.wav");
  // -R: sox's repeatable mode, so generated noise is the same on every run.
  await soxConvert(["-R", ...input], out, effects);
  return await readPcm(out);
}

/** Digital silence. */
export function silence(seconds: number): Int16Array {
  return new Int16Array(Math.round(seconds * RATE));
}

/** Pieces one after another. */
export function concat(...parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Seconds of audio. */
export function seconds(pcm: Int16Array): number {
  return pcm.length / RATE;
}

function rms(pcm: Int16Array): number {
  let sum = 0;
  for (const sample of pcm) sum += sample * sample;
  return Math.sqrt(sum / Math.max(1, pcm.length));
}

/**
 * Adds `noise` (looped) under `signal` so that the speech-to-noise ratio is `snrDb`, measured
 * over the non-silent part of the signal (the speech), as speech corpora usually define it.
 */
export function mixAtSnr(signal: Int16Array, noise: Int16Array, snrDb: number): Int16Array {
  const voiced = signal.filter((sample) => Math.abs(sample) > 64);
  const gain = rms(voiced) / (rms(noise) * 10 ** (snrDb / 20));
  const out = new Int16Array(signal.length);
  for (let i = 0; i < signal.length; i++) {
    const value = (signal[i] ?? 0) + (noise[i % noise.length] ?? 0) * gain;
    out[i] = Math.max(-32768, Math.min(32767, Math.round(value)));
  }
  return out;
}

/** Feeds `pcm` to `consume` in chunks of `size` samples, the way a microphone delivers it. */
export async function inChunks<T>(
  pcm: Int16Array,
  size: number,
  consume: (chunk: Int16Array) => Promise<T[]>,
): Promise<T[]> {
  const results: T[] = [];
  for (let offset = 0; offset < pcm.length; offset += size) {
    results.push(...(await consume(pcm.subarray(offset, offset + size))));
  }
  return results;
}
