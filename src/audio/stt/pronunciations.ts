import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "../../core/logger.js";
import { fileOnlyAudioEnv } from "../../core/privacy.js";
import { runProgram } from "../../core/process.js";

/**
 * Pronunciations for words missing from the CMU dictionary (brand and device names: "ecobee",
 * "tradfri", "xiaomi"). pocketsphinx refuses a whole grammar when one word has no pronunciation, so
 * every such word gets one: espeak-ng's English letter-to-sound rules (`espeak-ng -q -x`, all words
 * in one run) mapped from its phoneme names to the 39 CMU phones; without espeak-ng, a crude
 * spelling-based guess that at least lets the grammar load.
 */

/** espeak-ng (en, en-us) phoneme names → CMU phones. Longest names are matched first. */
const ESPEAK_TO_CMU: Record<string, string> = {
  // Vowels and diphthongs.
  "aI@": "AY ER",
  aI3: "AY ER",
  "aU@": "AW ER",
  aU3: "AW ER",
  "i@3": "IH R",
  "i@": "IH R",
  "I@": "IH R",
  "e@": "EH R",
  "E@": "EH R",
  "A@": "AA R",
  "O@": "AO R",
  "o@": "AO R",
  "U@": "UH R",
  "@L": "AH L",
  "@-": "AH",
  "@2": "AH",
  "@5": "AH",
  "@": "AH",
  "3:": "ER",
  "3": "ER",
  "a#": "AH",
  aa: "AE",
  aI: "AY",
  aU: "AW",
  "A:": "AA",
  A: "AA",
  a: "AE",
  eI: "EY",
  E2: "EH",
  E: "EH",
  e: "EH",
  "i:": "IY",
  i: "IY",
  "I#": "IH",
  I2: "IH",
  I: "IH",
  "0#": "AA",
  "0": "AA",
  OI: "OY",
  "O:": "AO",
  O: "AO",
  "oU#": "OW",
  oU: "OW",
  o: "OW",
  "u:": "UW",
  u: "UW",
  U: "UH",
  V: "AH",
  // Consonants.
  tS: "CH",
  dZ: "JH",
  "t#": "T",
  "d#": "D",
  t2: "T",
  "n-": "AH N",
  "l-": "AH L",
  "r-": "R",
  b: "B",
  d: "D",
  f: "F",
  g: "G",
  h: "HH",
  j: "Y",
  k: "K",
  l: "L",
  m: "M",
  n: "N",
  N: "NG",
  p: "P",
  r: "R",
  s: "S",
  t: "T",
  v: "V",
  w: "W",
  z: "Z",
  S: "SH",
  Z: "ZH",
  T: "TH",
  D: "DH",
  x: "K",
  C: "HH",
  "?": "T",
};
const ESPEAK_NAMES = Object.keys(ESPEAK_TO_CMU).sort((a, b) => b.length - a.length);

/** The 39 phones of the CMU dictionary (without stress marks), as pocketsphinx's en-us model has them. */
export const CMU_PHONES = [
  "AA",
  "AE",
  "AH",
  "AO",
  "AW",
  "AY",
  "B",
  "CH",
  "D",
  "DH",
  "EH",
  "ER",
  "EY",
  "F",
  "G",
  "HH",
  "IH",
  "IY",
  "JH",
  "K",
  "L",
  "M",
  "N",
  "NG",
  "OW",
  "OY",
  "P",
  "R",
  "S",
  "SH",
  "T",
  "TH",
  "UH",
  "UW",
  "V",
  "W",
  "Y",
  "Z",
  "ZH",
] as const;

/** Converts one word's espeak-ng `-x` output to CMU phones; stress and length marks are dropped. */
export function espeakToCmu(espeak: string): string {
  const phones: string[] = [];
  let i = 0;
  while (i < espeak.length) {
    const name = ESPEAK_NAMES.find((candidate) => espeak.startsWith(candidate, i));
    if (name) {
      for (const phone of (ESPEAK_TO_CMU[name] as string).split(" ")) {
        // "o@r" and the like would give R R: one is enough.
        if (phones.at(-1) !== phone || phone !== "R") phones.push(phone);
      }
      i += name.length;
    } else {
      i++; // stress (' ,), syllable and pause marks (_ %), unknown symbols
    }
  }
  return phones.join(" ");
}

/** Letters → rough phones, used only when espeak-ng is unavailable. */
const LETTERS: Record<string, string> = {
  a: "AE",
  b: "B",
  c: "K",
  d: "D",
  e: "EH",
  f: "F",
  g: "G",
  h: "HH",
  i: "IH",
  j: "JH",
  k: "K",
  l: "L",
  m: "M",
  n: "N",
  o: "OW",
  p: "P",
  q: "K",
  r: "R",
  s: "S",
  t: "T",
  u: "UH",
  v: "V",
  w: "W",
  x: "K S",
  y: "IY",
  z: "Z",
};
const DIGRAPHS: Record<string, string> = {
  ch: "CH",
  sh: "SH",
  th: "TH",
  ph: "F",
  ng: "NG",
  ck: "K",
  ee: "IY",
  oo: "UW",
  ea: "IY",
  ou: "AW",
  ai: "EY",
  ay: "EY",
  oa: "OW",
  ie: "IY",
  qu: "K W",
};

/** A spelling-based pronunciation: poor, but it lets a grammar with unknown words load. */
export function spellingPronunciation(word: string): string {
  const letters = word
    .toLowerCase()
    .normalize("NFD")
    .replace(/[^a-z]/g, "");
  const phones: string[] = [];
  let i = 0;
  while (i < letters.length) {
    const pair = DIGRAPHS[letters.slice(i, i + 2)];
    if (pair) {
      phones.push(pair);
      i += 2;
      continue;
    }
    const single = LETTERS[letters[i] as string];
    if (single && (phones.at(-1) !== single || letters[i] !== letters[i - 1])) phones.push(single);
    i++;
  }
  return phones.length > 0 ? phones.join(" ") : "AH";
}

/** Converts flite's phone names (CMU's, lower case, plus "ax"/"axr") to CMU phones. */
export function fliteToCmu(phones: string): string {
  return phones
    .trim()
    .split(/\s+/)
    .filter((phone) => phone !== "" && phone !== "pau")
    .map((phone) => (phone === "ax" ? "AH" : phone === "axr" ? "ER" : phone.toUpperCase()))
    .join(" ");
}

/** Options of {@link Pronouncer}. */
export interface PronouncerOptions {
  logger?: Logger | undefined;
  /** espeak-ng program. Default "espeak-ng"; null to skip it. */
  espeak?: string | null | undefined;
  /** flite program. Default "flite"; null to skip it. */
  flite?: string | null | undefined;
  /** espeak-ng voice. Default "en-us" (the acoustic model is US English). */
  voice?: string | undefined;
  /** Milliseconds one program run may take. Default 10 000. */
  timeoutMs?: number | undefined;
}

/**
 * Generates and remembers pronunciations for unknown words. Two letter-to-sound systems are asked
 * (each in one run for all the words) and both answers kept as alternative pronunciations, because
 * made-up names are said in more than one way ("ecobee": espeak-ng says EH K OW B IY, flite, whose
 * rules are trained on the CMU dictionary, IY K OW B IY). Without either program, a spelling-based
 * guess lets the grammar load.
 */
export class Pronouncer {
  readonly #options: PronouncerOptions;
  readonly #cache = new Map<string, string[]>();

  constructor(options: PronouncerOptions = {}) {
    this.#options = options;
  }

  /** One or more CMU-phone pronunciations per word, best first (cached across calls). */
  async pronounce(words: readonly string[]): Promise<Map<string, string[]>> {
    const missing = [...new Set(words)].filter((word) => !this.#cache.has(word));
    if (missing.length > 0) {
      const [espeak, flite] = await Promise.all([this.#espeak(missing), this.#flite(missing)]);
      for (const word of missing) {
        const variants = [espeak.get(word), flite.get(word)].filter((phones): phones is string => !!phones);
        this.#cache.set(word, variants.length > 0 ? [...new Set(variants)] : [spellingPronunciation(word)]);
      }
    }
    return new Map(words.map((word) => [word, this.#cache.get(word) as string[]]));
  }

  /**
   * Runs a letter-to-sound program over every word, one word per line, each its own sentence so
   * the program answers word by word; returns its output, or undefined on failure.
   */
  async #run(
    program: string,
    args: (textFile: string) => string[],
    words: readonly string[],
  ): Promise<string | undefined> {
    const text = words.map((word) => `${word.replace(/'/g, "")}.\n`).join("");
    // A file rather than stdin: flite cannot read a socket (Node's stdin pipe) as a file.
    const dir = await mkdtemp(join(tmpdir(), "hearth-lts-"));
    try {
      const textFile = join(dir, "words.txt");
      await writeFile(textFile, text);
      const { stdout } = await runProgram(program, args(textFile), {
        logger: this.#options.logger,
        timeoutMs: this.#options.timeoutMs ?? 10_000,
        // espeak-ng would otherwise open a sound-server connection and write under $HOME.
        env: fileOnlyAudioEnv(),
      });
      return stdout.toString("utf8");
    } catch (err) {
      this.#options.logger?.warn({ err, program }, "letter-to-sound program failed");
      return undefined;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async #espeak(words: readonly string[]): Promise<Map<string, string>> {
    const program = this.#options.espeak === undefined ? "espeak-ng" : this.#options.espeak;
    const result = new Map<string, string>();
    if (program === null) return result;
    const voice = this.#options.voice ?? "en-us";
    const out = await this.#run(program, (file) => ["-q", "-x", "-v", voice, "-f", file], words);
    if (out === undefined) return result;
    const lines = out
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line !== "");
    if (lines.length !== words.length) {
      this.#options.logger?.warn(
        { words: words.length, lines: lines.length },
        "espeak-ng answered word by word badly",
      );
      return result;
    }
    words.forEach((word, index) => {
      result.set(word, espeakToCmu((lines[index] as string).replace(/\s+/g, "")));
    });
    return result;
  }

  async #flite(words: readonly string[]): Promise<Map<string, string>> {
    const program = this.#options.flite === undefined ? "flite" : this.#options.flite;
    const result = new Map<string, string>();
    if (program === null) return result;
    const out = await this.#run(program, (file) => ["-ps", "-o", "none", "-f", file], words);
    if (out === undefined) return result;
    // Sentences are separated by pauses: "pau iy k ow b iy pau t r ae d f r iy pau".
    const pieces = out
      .split(/\bpau\b/)
      .map((piece) => piece.trim())
      .filter((piece) => piece !== "");
    if (pieces.length !== words.length) {
      this.#options.logger?.warn(
        { words: words.length, pieces: pieces.length },
        "flite answered word by word badly",
      );
      return result;
    }
    words.forEach((word, index) => {
      result.set(word, fliteToCmu(pieces[index] as string));
    });
    return result;
  }
}
