import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { z } from "zod";

/**
 * The generated speech corpus for tests and benches: `ensureSpeechCorpus("ci")` runs
 * scripts/make-speech-corpus.mjs (which only makes the files that are missing, and lets concurrent
 * callers wait on one another) and returns the manifest's entries with absolute paths.
 */

const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));
const script = join(root, "scripts", "make-speech-corpus.mjs");

/** The sets the script knows: `ci` (≈ 60 files, for tests) and `full` (≈ 700, for the bench). */
export type SpeechCorpusSet = "ci" | "full";

/** The reasons the script writes: other speech is `no_match`; silence `empty`; noise either. */
const reasonSchema = z.enum(["empty", "no_match"]);

const expectedIntentSchema = z.object({
  name: z.string().min(1),
  slots: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  targets: z.array(z.string()).optional(),
});

const secondsSchema = z.number().nonnegative();

/** One line of manifest.jsonl, as the script writes it. */
export const speechCorpusEntrySchema = z.strictObject({
  /** File name inside the set's folder. */
  file: z.string().regex(/^[a-z0-9-]+\.wav$/),
  /** command: expects intents; other-speech, silence, noise: negatives, expect none. */
  kind: z.enum(["command", "other-speech", "silence", "noise"]),
  /** Everything said, wake word included; "" for silence and noise. */
  text: z.string(),
  /** Wake-word files: the command said after the wake word. */
  command: z.string().optional(),
  /** "festival:<voice>" or "flite:<voice>"; null without speech. */
  voice: z.string().nullable(),
  /** Speaking-rate factor (1.15 = 15 % faster than the voice's normal). */
  rate: z.number().positive().nullable(),
  noise: z.enum(["pink", "brown", "kitchen"]).nullable(),
  /** Speech-to-noise ratio in dB (active speech power over noise power); null when clean. */
  snr: z.number().nullable(),
  /** Silence and noise files: the noise's RMS level in dB relative to full scale. */
  levelDbfs: z.number().optional(),
  /** Whether the file starts with "hey jarvis", a pause, then the command. */
  wake: z.boolean(),
  /** As in the text corpus: the intents expected, or the reason (or reasons) for none. */
  expected: z.union([
    z.strictObject({ intents: z.array(expectedIntentSchema).min(1) }),
    z.strictObject({ reason: z.union([reasonSchema, z.array(reasonSchema).min(1)]) }),
  ]),
  /** The speaker's area, where the text corpus gives one. */
  context: z.strictObject({ area: z.string().min(1) }).optional(),
  /** The text-corpus file the sentence came from. */
  source: z.string().optional(),
  /** Noisy files: the clean file they were mixed from. */
  clean: z.string().optional(),
  /** Length of the file in seconds. */
  seconds: secondsSchema,
  /** Where the speech starts and ends, in seconds. */
  speech: z.strictObject({ start: secondsSchema, end: secondsSchema }).optional(),
  /** Wake-word files: end of "hey jarvis" and start of the command, in seconds. */
  wakeEnd: secondsSchema.optional(),
  commandStart: secondsSchema.optional(),
});

/** A manifest entry plus the absolute path of its WAV file. */
export type SpeechCorpusEntry = z.infer<typeof speechCorpusEntrySchema> & { path: string };

/** Where a set is generated unless told otherwise (git-ignored). */
export function speechCorpusDir(set: SpeechCorpusSet): string {
  return join(root, ".cache", "speech-corpus", set);
}

export interface EnsureOptions {
  /** Generate into this folder instead of .cache/speech-corpus/<set>/. */
  dir?: string;
  /** Generous by default: the `full` set takes tens of seconds on a small machine. */
  timeoutMs?: number;
}

/** Runs of the script in this process, by folder: the first caller generates, later callers share. */
const runs = new Map<string, Promise<SpeechCorpusEntry[]>>();

/**
 * Makes sure the set's files exist (generating the missing ones) and returns its manifest entries,
 * in the script's order. Needs festival, flite and sox on the PATH (scripts/system-packages.json).
 */
export function ensureSpeechCorpus(
  set: SpeechCorpusSet,
  options: EnsureOptions = {},
): Promise<SpeechCorpusEntry[]> {
  const dir = options.dir ?? speechCorpusDir(set);
  let pending = runs.get(dir);
  if (!pending) {
    pending = generate(set, dir, options.timeoutMs ?? 600_000);
    // A failed run is not remembered, so a later caller tries again.
    pending.catch(() => runs.delete(dir));
    runs.set(dir, pending);
  }
  return pending;
}

async function generate(set: SpeechCorpusSet, dir: string, timeout: number): Promise<SpeechCorpusEntry[]> {
  try {
    await run(process.execPath, [script, "--set", set, "--out", dir, "--quiet"], {
      cwd: root,
      timeout,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? "";
    throw new Error(`make-speech-corpus --set ${set} failed: ${stderr.trim() || (err as Error).message}`, {
      cause: err,
    });
  }
  return readSpeechManifest(dir);
}

/** Reads and validates a set folder's manifest.jsonl; a malformed line fails, naming its number. */
export async function readSpeechManifest(dir: string): Promise<SpeechCorpusEntry[]> {
  const text = await readFile(join(dir, "manifest.jsonl"), "utf8");
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line, i) => {
      const parsed = speechCorpusEntrySchema.safeParse(JSON.parse(line));
      if (!parsed.success) {
        throw new Error(`manifest.jsonl line ${i + 1}: ${z.prettifyError(parsed.error)}`);
      }
      return { ...parsed.data, path: join(dir, parsed.data.file) };
    });
}
