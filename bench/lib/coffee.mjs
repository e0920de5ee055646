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
