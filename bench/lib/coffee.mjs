// The real coffee orders of ../shared/speech-dev/coffee (the Picovoice speech-to-intent set): their
// labels, WAV copies of the FLAC clips, and the set's own scoring. Read by bench/stt.mjs and
// bench/hear.mjs, so both score a clip the same way.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const SPEECH_DEV = join(ROOT, "..", "shared", "speech-dev");
const COFFEE = join(SPEECH_DEV, "coffee");
const WAV_DIR = join(ROOT, ".cache", "speech-dev-wav", "coffee");

/** Whether the set is here (it is not in CI). */
export const haveCoffee = () => existsSync(join(COFFEE, "labels.json"));

/** @returns {Record<string, { intent: string, slots: Record<string, string> }>} labels by clip name */
export function coffeeLabels() {
  return JSON.parse(readFileSync(join(COFFEE, "labels.json"), "utf8"));
}

/** The clip as 16 kHz mono 16-bit WAV, converted by sox once into .cache/. */
export function coffeeWav(clip) {
  const wav = join(WAV_DIR, clip.replace(/\.flac$/, ".wav"));
  if (existsSync(wav)) return wav;
  mkdirSync(WAV_DIR, { recursive: true });
  const made = spawnSync("sox", [join(COFFEE, "audio", clip), "-r", "16000", "-c", "1", "-b", "16", wav]);
  if (made.status !== 0) throw new Error(`sox could not convert ${clip}`);
  return wav;
}

/**
 * One half of the set, split by file: "dev" the even positions of `clips` (pass them sorted by
 * name), what scripts/adapt-acoustic-model.mjs trains on and the front end is tuned on; "check" the
 * odd ones, judged once; undefined: all of them.
 * @template T
 * @param {readonly T[]} clips
 * @param {"dev" | "check" | undefined} half
 * @returns {T[]}
 */
export function coffeeHalf(clips, half) {
  if (half === undefined) return clips;
  return clips.filter((_, i) => i % 2 === (half === "dev" ? 0 : 1));
}

/**
 * One half of the kitchen recording in time: "dev" the first, "check" the second (undefined: all
 * of it), so the noise a setting or a transform was tuned in is not the noise it is judged in.
 * @param {Int16Array} noise
 * @param {"dev" | "check" | undefined} half
 * @returns {Int16Array}
 */
export function noiseHalf(noise, half) {
  if (half === undefined) return noise;
  const middle = Math.floor(noise.length / 2);
  return half === "dev" ? noise.subarray(0, middle) : noise.subarray(middle);
}

/**
 * One half in time of a stretch of the kitchen recording: "first" or "second" (undefined: all of
 * it). Within the development half of the noise, the acoustic adaptation can be estimated on one
 * half (scripts/adapt-acoustic-model.mjs --noise-slice first) and judged on the other
 * (bench/hear.mjs --noise-slice second), so no slice of noise is both learnt and judged.
 * @param {Int16Array} noise
 * @param {"first" | "second" | undefined} slice
 * @returns {Int16Array}
 */
export function noiseSlice(noise, slice) {
  if (slice === undefined) return noise;
  if (slice !== "first" && slice !== "second") throw new Error(`noise slice "${slice}": first or second`);
  const middle = Math.floor(noise.length / 2);
  return slice === "first" ? noise.subarray(0, middle) : noise.subarray(middle);
}

/**
 * Scored as the Picovoice benchmark's README says: the first intent's name equal, every labelled
 * slot present and equal (extra slots allowed).
 */
export function isLabelledOrder(understanding, label) {
  const intent = understanding.kind === "recognized" ? understanding.intents[0] : undefined;
  return (
    intent?.name === label.intent &&
    Object.entries(label.slots).every(
      ([slot, value]) => String(intent.slots[slot] ?? "").trim() === value.trim(),
    )
  );
}
