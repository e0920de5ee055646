import { open, readFile, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { HearthError } from "../../core/errors.js";

/**
 * How pocketsphinx's acoustic model is adapted to real voices (`stt.pocketsphinx.adaptation`):
 *
 * - `mllr`: an MLLR transform of the model's means (a small text file, pocketsphinx `-mllr`);
 * - `model`: an adapted model's Gaussian means and variances (Sphinx-3 binary files, as MAP
 *   adaptation writes them), used in place of the stock model's own (`-mean`, `-var`); every other
 *   part of the model (its states, mixture weights, transitions) stays the stock one;
 * - `none`: the stock model.
 *
 * Both searches (the grammar and the phone loop) get the same adaptation, so their scores stay
 * comparable (confidence.ts).
 */
export type AcousticAdaptation =
  | { kind: "none" }
  | { kind: "mllr"; path: string }
  | { kind: "model"; dir: string; means: string; variances: string };

/**
 * The multi-condition MLLR transform shipped for Debian's en-us model
 * (`stt.pocketsphinx.adaptation: builtin`), rebuilt by scripts/adapt-acoustic-model.mjs from the
 * real recordings of ../shared/speech-dev.
 */
export const BUILTIN_MLLR = fileURLToPath(new URL("./adaptation/en-us.mllr", import.meta.url));

/**
 * The same transform estimated on what RNNoise gives back (`audio.denoise`: the same orders, clean
 * and in kitchen noise, each denoised as the listening loop denoises it), for
 * `stt.pocketsphinx.adaptation: builtin-denoised`: denoised speech is not the raw noisy speech
 * {@link BUILTIN_MLLR} was fitted to. Rebuilt by scripts/adapt-acoustic-model.mjs --denoise.
 */
export const BUILTIN_DENOISED_MLLR = fileURLToPath(
  new URL("./adaptation/en-us-denoised.mllr", import.meta.url),
);

/**
 * What a setting of `stt.pocketsphinx.adaptation` selects: `none`, `builtin` (the shipped MLLR
 * transform), `builtin-denoised` (the one shipped for denoised audio), or a path relative to `baseDir`: a folder holding adapted `means` and `variances`
 * (what scripts/adapt-acoustic-model.mjs --method map or mllr+map writes), or an MLLR transform file.
 */
export async function resolveAdaptation(setting: string, baseDir: string): Promise<AcousticAdaptation> {
  if (setting === "none") return { kind: "none" };
  if (setting === "builtin") return { kind: "mllr", path: BUILTIN_MLLR };
  if (setting === "builtin-denoised") return { kind: "mllr", path: BUILTIN_DENOISED_MLLR };
  const path = resolve(baseDir, setting);
  const found = await stat(path).catch((err: unknown) => {
    throw invalid(path, "cannot be read", err);
  });
  return found.isDirectory() ? modelIn(path) : { kind: "mllr", path };
}

function modelIn(dir: string): AcousticAdaptation {
  return { kind: "model", dir, means: join(dir, "means"), variances: join(dir, "variances") };
}

/** The pocketsphinx options that apply an adaptation (to both decoders). */
export function adaptationOptions(adaptation: AcousticAdaptation): Record<string, string> {
  switch (adaptation.kind) {
    case "none":
      return {};
    case "mllr":
      return { "-mllr": adaptation.path };
    case "model":
      return { "-mean": adaptation.means, "-var": adaptation.variances };
  }
}

/**
 * Checks the adaptation's files against the acoustic model before pocketsphinx reads them:
 * pocketsphinx ends the whole process on a Gaussian file of the wrong size (sphinxbase's E_FATAL),
 * and an MLLR transform for other feature streams would be applied out of bounds. Throws
 * HearthError("MODEL_INVALID") naming the file and what is wrong with it.
 */
export async function checkAdaptation(adaptation: AcousticAdaptation, acousticModel: string): Promise<void> {
  if (adaptation.kind === "none") return;
  const model = await readGaussians(join(acousticModel, "means"), "the acoustic model's means");
  if (adaptation.kind === "mllr") return checkMllr(adaptation.path, model.streams);
  for (const [file, what] of [
    [adaptation.means, "adapted means"],
    [adaptation.variances, "adapted variances"],
  ] as const) {
    const header = await readGaussians(file, what);
    const same =
      header.codebooks === model.codebooks &&
      header.densities === model.densities &&
      header.streams.join() === model.streams.join();
    if (!same)
      throw invalid(
        file,
        `holds ${header.codebooks}×${header.streams.join("/")}×${header.densities} Gaussians, but the acoustic model ${acousticModel} has ${model.codebooks}×${model.streams.join("/")}×${model.densities}: it was made for another model`,
      );
    if (header.values.some((v) => !Number.isFinite(v) || (what === "adapted variances" && v < 0)))
      throw invalid(
        file,
        `holds ${what === "adapted variances" ? "a negative variance" : "a value that is not a number"}`,
      );
  }
}

/** The shape (and values) of a Sphinx-3 Gaussian parameter file (means or variances). */
interface GaussianFile {
  codebooks: number;
  densities: number;
  /** Each feature stream's vector length. */
  streams: number[];
  values: Float32Array;
}

/** "s3" files mark their byte order with this word, written in the writer's order. */
const BYTE_ORDER_MAGIC = 0x11223344;

/**
 * Reads a Sphinx-3 Gaussian file: "s3\n", header lines up to "endhdr\n", the byte-order word, the
 * codebook, stream and density counts, each stream's vector length, the number of floats, the
 * floats, and a checksum when the header says `chksum0 yes` (sphinxbase's s3gau_io).
 */
async function readGaussians(path: string, what: string): Promise<GaussianFile> {
  const data = await readFile(path).catch((err: unknown) => {
    throw invalid(path, `(${what}) cannot be read`, err);
  });
  const bad = (reason: string): HearthError =>
    invalid(path, `(${what}) is not a Sphinx-3 Gaussian file: ${reason}`);
  const end = data.indexOf("endhdr\n", 0, "latin1");
  if (data.toString("latin1", 0, 3) !== "s3\n" || end < 0) throw bad("no s3 header");
  let pos = end + "endhdr\n".length;
  const magic = data.length >= pos + 4 ? data.readUInt32LE(pos) : 0;
  if (magic !== BYTE_ORDER_MAGIC) throw bad("not little-endian, or truncated");
  const word = (): number => {
    if (pos + 4 > data.length) throw bad("truncated");
    const value = data.readUInt32LE(pos);
    pos += 4;
    return value;
  };
  word();
  const codebooks = word();
  const streamCount = word();
  const densities = word();
  if (streamCount < 1 || streamCount > 8) throw bad(`${streamCount} feature streams`);
  const streams = Array.from({ length: streamCount }, word);
  const floats = word();
  const expected = codebooks * densities * streams.reduce((a, b) => a + b, 0);
  if (floats !== expected) throw bad(`${floats} values where its counts make ${expected}`);
  const checksummed = /^chksum0 yes$/m.test(data.toString("latin1", 0, end));
  if (data.length !== pos + floats * 4 + (checksummed ? 4 : 0)) throw bad("truncated or too long");
  const values = new Float32Array(floats);
  for (let i = 0; i < floats; i++) values[i] = data.readFloatLE(pos + i * 4);
  return { codebooks, densities, streams, values };
}

/**
 * Checks an MLLR transform as pocketsphinx reads it (ps_mllr_read): the number of classes (one:
 * pocketsphinx applies one transform to every Gaussian), of streams, then per stream its length,
 * the length × length matrix, the bias and the variance scales, each a finite number, the streams
 * those of the model.
 */
async function checkMllr(path: string, modelStreams: readonly number[]): Promise<void> {
  const handle = await open(path).catch((err: unknown) => {
    throw invalid(path, "(an MLLR transform) cannot be read", err);
  });
  let text: string;
  try {
    text = await handle.readFile("utf8");
  } finally {
    await handle.close();
  }
  const numbers = text.trim().split(/\s+/).map(Number);
  const bad = (reason: string): HearthError => invalid(path, `is not an MLLR transform: ${reason}`);
  if (numbers.some((n) => !Number.isFinite(n))) throw bad("it holds something that is not a number");
  const [classes, streams] = numbers;
  if (classes !== 1) throw bad(`${classes} regression classes (pocketsphinx applies one)`);
  if (streams !== modelStreams.length)
    throw bad(`${streams} feature streams, the acoustic model has ${modelStreams.length}`);
  let pos = 2;
  for (const length of modelStreams) {
    if (numbers[pos] !== length)
      throw bad(`a stream of length ${numbers[pos]}, the acoustic model's are ${modelStreams.join("/")}`);
    pos += 1 + length * length + 2 * length;
  }
  if (numbers.length !== pos) throw bad(`${numbers.length} numbers where its counts make ${pos}`);
}

function invalid(path: string, reason: string, cause?: unknown): HearthError {
  return new HearthError(
    "MODEL_INVALID",
    `stt.pocketsphinx.adaptation: ${path} ${reason}`,
    cause === undefined ? {} : { cause },
  );
}
