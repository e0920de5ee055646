import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HearthError } from "../../core/errors.js";
import { applyGain } from "../pcm.js";
import type { PcmAudio } from "../types.js";
import { wavToPcmAudio } from "../wav.js";

/**
 * Runs `produce` with a fresh private folder and returns the WAV it wrote there as audio, the folder
 * removed afterwards whatever happens. Engines write WAV files rather than stdout because some
 * (flite, piper) cannot stream a valid header to a pipe.
 */
export async function synthesizeToFile(
  engine: string,
  produce: (wavPath: string, dir: string) => Promise<void>,
  volume = 1,
): Promise<PcmAudio> {
  const dir = await mkdtemp(join(tmpdir(), `hearth-tts-${engine}-`));
  try {
    const wavPath = join(dir, "out.wav");
    await produce(wavPath, dir);
    let bytes: Buffer;
    try {
      bytes = await readFile(wavPath);
    } catch (err) {
      throw new HearthError("ENGINE_FAILED", `${engine} produced no audio file`, { cause: err });
    }
    const audio = wavToPcmAudio(bytes, { name: `${engine} output`, maxSeconds: 3600 });
    return { sampleRate: audio.sampleRate, samples: applyGain(audio.samples, volume) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Refuses empty text early: engines answer it with an error or an empty file. */
export function checkText(engine: string, text: string): string {
  const trimmed = text.trim();
  if (trimmed === "") throw new HearthError("ENGINE_FAILED", `${engine}: nothing to say (empty text)`);
  return trimmed;
}
