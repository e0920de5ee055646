import { execFile } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import wavefile from "wavefile";

/*
 * Test speech made on the spot by the real synthesisers (flite, festival's text2wave) and sox, as
 * 16 kHz mono 16-bit samples. Results are cached by content hash under the system temp folder, so a
 * second test run costs nothing; a changed text, voice or rate makes a new file.
 */

const run = promisify(execFile);
/** Hearth's sample rate inside: 16 kHz. */
export const RATE = 16000;
/** Bump to invalidate every cached file. */
const VERSION = 1;
const CACHE = join(tmpdir(), "hearth-test-speech");

/** A synthetic voice: an engine and its voice name. */
export interface Voice {
  engine: "flite" | "festival";
  /** flite: kal16, awb, rms, slt …; festival: kal_diphone, ked_diphone, cmu_us_slt_arctic_hts. */
  name: string;
}

/** Voices installed on this machine (the festival ones need their festvox packages). */
export const VOICES: readonly Voice[] = [
  { engine: "flite", name: "slt" },
  { engine: "flite", name: "awb" },
  { engine: "flite", name: "rms" },
  { engine: "flite", name: "kal16" },
  { engine: "festival", name: "kal_diphone" },
  { engine: "festival", name: "ked_diphone" },
  { engine: "festival", name: "cmu_us_slt_arctic_hts" },
];

export interface SpeakOptions {
  voice?: Voice;
  /** Speaking speed (1 normal, 1.2 faster), applied by the synthesiser. */
  rate?: number;
}

function cachePath(parts: unknown[]): string {
  const hash = createHash("sha256")
    .update(JSON.stringify([VERSION, ...parts]))
    .digest("hex")
    .slice(0, 24);
  return join(CACHE, `${hash}.wav`);
}

/** The samples of a 16-bit WAV file. */
export async function readPcm(path: string): Promise<Int16Array> {
  const wav = new wavefile.WaveFile(await readFile(path));
  return Int16Array.from(wav.getSamples(false, Int16Array) as unknown as Int16Array);
}

/**
 * Converts audio to 16 kHz mono 16-bit with sox, with optional sox effects. `input` is sox's input
 * arguments: a file, or "-n" for audio its effects make; "-R" before them makes sox's random numbers
 * (its noise, its dither) the same on every run.
 */
export async function soxConvert(
  input: readonly string[],
  output: string,
  effects: readonly string[] = [],
): Promise<void> {
  await run("sox", [
    ...input,
    "-r",
    String(RATE),
    "-c",
    "1",
    "-b",
    "16",
    "-e",
    "signed-integer",
    output,
    ...effects,
  ]);
}

/** Speaks `text` with the voice at the rate; returns 16 kHz mono samples (cached). */
export async function speak(text: string, options: SpeakOptions = {}): Promise<Int16Array> {
  const voice = options.voice ?? { engine: "flite", name: "slt" };
  const rate = options.rate ?? 1;
  const path = cachePath(["speak", text, voice, rate]);
  try {
    return await readPcm(path);
  } catch {
    // Not cached yet.
  }
  await mkdir(CACHE, { recursive: true });
  const dir = await mkdtemp(join(tmpdir(), "hearth-speak-"));
  try {
    const raw = join(dir, "raw.wav");
    const textFile = join(dir, "text.txt");
    await writeFile(textFile, `${text}\n`);
    if (voice.engine === "flite") {
      const args = ["-voice", voice.name, "-f", textFile, "-o", raw];
      if (rate !== 1) args.unshift("--setf", `duration_stretch=${(1 / rate).toFixed(4)}`);
      await run("flite", args);
    } else {
      const speed = voice.name.endsWith("_hts")
        ? `(set! hts_engine_params (append ${voice.name}::hts_engine_params (list (list "-r" ${rate}))))`
        : `(Parameter.set 'Duration_Stretch ${(1 / rate).toFixed(4)})`;
      await run("text2wave", ["-eval", `(voice_${voice.name})`, "-eval", speed, textFile, "-o", raw]);
    }
    // Synthesisers differ in leading silence: trim it to 0.2 s and add 0.3 s at the end, like a VAD would cut.
    const tmp = join(dir, "out.wav");
    await soxConvert([raw], tmp, [
      "silence",
      "1",
      "0.01",
      "0.1%",
      "reverse",
      "silence",
      "1",
      "0.01",
      "0.1%",
      "reverse",
      "pad",
      "0.2",
      "0.3",
    ]);
    await rename(tmp, path);
    return await readPcm(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * sox noise colours, and `room`: pink noise low-passed at 2 kHz with reverberation, a room's rumble
 * whose onset the Silero VAD takes for speech for about half a second (as it does a real kitchen's).
 */
export type NoiseColour = "white" | "pink" | "brown" | "room";

/** `seconds` of noise at `levelDbfs` RMS (seeded, so the same call gives the same noise). */
export async function noise(
  colour: NoiseColour,
  seconds: number,
  levelDbfs: number,
  seed = 1,
): Promise<Int16Array> {
  const path = cachePath(["noise", colour, seconds, seed]);
  let samples: Int16Array;
  try {
    samples = await readPcm(path);
  } catch {
    await mkdir(CACHE, { recursive: true });
    const tmp = `${path}.${randomUUID()}.tmp.wav`;
    // -R: sox's repeatable random numbers; the seed only names different beds (sox offsets by trimming).
    await run("sox", [
      "-R",
      "-n",
      "-r",
      String(RATE),
      "-c",
      "1",
      "-b",
      "16",
      tmp,
      "synth",
      String(seconds + seed),
      ...(colour === "room" ? ["pinknoise", "lowpass", "2000", "reverb", "80"] : [`${colour}noise`]),
      "trim",
      String(seed),
      "gain",
      "-n",
      "-6",
    ]);
    await rename(tmp, path);
    samples = await readPcm(path);
  }
  // The bed is peak-normalised; bring its RMS to the level asked for.
  return scaleToRms(samples, levelDbfs);
}

function rms(samples: Int16Array): number {
  let sum = 0;
  for (const s of samples) sum += (s / 32768) ** 2;
  return Math.sqrt(sum / Math.max(1, samples.length));
}

function scaleToRms(samples: Int16Array, levelDbfs: number): Int16Array {
  const gain = 10 ** (levelDbfs / 20) / Math.max(rms(samples), 1e-9);
  return Int16Array.from(samples, (s) => Math.max(-32768, Math.min(32767, Math.round(s * gain))));
}

/** Speech power over its active frames (10 ms frames within 40 dB of the loudest), so pauses do not count. */
function activePower(samples: Int16Array): number {
  const powers: number[] = [];
  for (let i = 0; i + 160 <= samples.length; i += 160) {
    let sum = 0;
    for (let j = i; j < i + 160; j++) sum += ((samples[j] as number) / 32768) ** 2;
    powers.push(sum / 160);
  }
  const loudest = Math.max(...powers, 1e-12);
  const active = powers.filter((p) => p >= loudest * 1e-4);
  return active.reduce((a, b) => a + b, 0) / Math.max(1, active.length);
}

/** Mixes noise into speech at `snrDb` (speech power over its active frames ÷ noise power). */
export async function withNoise(
  speech: Int16Array,
  colour: NoiseColour,
  snrDb: number,
  seed = 1,
): Promise<Int16Array> {
  const bed = await noise(colour, Math.ceil(speech.length / RATE) + 1, -30, seed);
  const noisePower = rms(bed.subarray(0, speech.length)) ** 2;
  const gain = Math.sqrt(activePower(speech) / (noisePower * 10 ** (snrDb / 10)));
  return Int16Array.from(speech, (s, i) =>
    Math.max(-32768, Math.min(32767, Math.round(s + (bed[i] as number) * gain))),
  );
}

/** Silence (all zeros) of the given length. */
export function silence(seconds: number): Int16Array {
  return new Int16Array(Math.round(seconds * RATE));
}

/** Runs `task` over `items` with at most `limit` at once, keeping the order of results. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
