import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { writeWavFile } from "../../src/audio/wav.js";
import { noise, RATE, speak, type Voice } from "../helpers/speech.js";

/*
 * scripts/adapt-acoustic-model.mjs end to end on a tiny speech-dev folder of its own: three coffee
 * orders said by synthetic voices, a room's noise as the "kitchen", the transcripts given (so the
 * stock model's decode of the labels is not what is tested), sphinxtrain's bw and mllr_solve run
 * for real. What a user rebuilding the transform checks: which copies it trained on, and that the
 * file it wrote is a transform pocketsphinx can load.
 */

const ORDERS: ReadonlyArray<readonly [string, string, Voice]> = [
  ["a-order", "a large latte", { engine: "flite", name: "slt" }],
  ["b-order", "a small cappuccino", { engine: "festival", name: "kal_diphone" }],
  ["c-order", "a medium mocha", { engine: "flite", name: "slt" }],
];

let dir: string;

/** Runs the script; resolves with its exit status and what it wrote to stderr. */
function adapt(args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["scripts/adapt-acoustic-model.mjs", ...args], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stderr }));
  });
}

/**
 * The arguments of a training run on the test's folder at 12 dB with its transcripts: `options`,
 * then the transform written to `out`.
 */
function training(options: string[], out: string): string[] {
  return [
    "--speech-dev",
    dir,
    "--transcripts",
    join(dir, "transcripts.json"),
    "--snrs",
    "12",
    ...options,
    "--out",
    out,
  ];
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hearth-adapt-test-"));
  const audio = join(dir, "coffee", "audio");
  await mkdir(audio, { recursive: true });
  const labels: Record<string, { intent: string; slots: Record<string, string> }> = {};
  for (const [id, text, voice] of ORDERS) {
    // The set's clips are FLAC; sox converts whatever the name says.
    const wav = join(dir, `${id}.wav`);
    await writeWavFile(wav, { sampleRate: RATE, samples: await speak(text, { voice }) });
    await new Promise<void>((resolve, reject) => {
      const sox = spawn("sox", [wav, join(audio, `${id}.flac`)]);
      sox.on("error", reject);
      sox.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`sox exited ${code}`))));
    });
    labels[`${id}.flac`] = { intent: "orderDrink", slots: {} };
  }
  await writeFile(join(dir, "coffee", "labels.json"), JSON.stringify(labels));
  await writeWavFile(join(dir, "kitchen-noise.wav"), {
    sampleRate: RATE,
    samples: await noise("room", 24, -30, 3),
  });
  // The development half is the even positions: a-order and c-order.
  await writeFile(
    join(dir, "transcripts.json"),
    JSON.stringify(ORDERS.map(([id, text]) => ({ id, text: text.replace("a ", "") }))),
  );
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("rebuilding the MLLR transform from a speech-dev folder", () => {
  test("with --denoise-noisy trains each development order clean as it is and in noise denoised", async () => {
    const out = join(dir, "auto.mllr");
    const { status, stderr } = await adapt(training(["--noise-slice", "first", "--denoise-noisy"], out));
    expect(stderr).toContain("4 training utterances: 2 orders, clean and 12 dB, the noisy ones denoised");
    expect(status).toBe(0);
    // pocketsphinx's -mllr format: one class, three streams of 13, each a 13 × 13 matrix near the identity.
    const numbers = (await readFile(out, "utf8")).trim().split(/\s+/).map(Number);
    expect(numbers.every(Number.isFinite)).toBe(true);
    expect(numbers.slice(0, 3)).toEqual([1, 3, 13]);
    expect(numbers).toHaveLength(2 + 3 * (1 + 13 * 13 + 13 + 13));
    expect(numbers[3]).toBeGreaterThan(0.5);
    expect(numbers[3]).toBeLessThan(1.5);
  }, 300_000);

  test("--from leaves the first clips of the development half out, for judging on them", async () => {
    const { status, stderr } = await adapt(training(["--from", "1"], join(dir, "raw.mllr")));
    expect(stderr).toContain("2 training utterances: 1 orders, clean and 12 dB\n");
    expect(status).toBe(0);
  }, 300_000);

  test("refuses a noise slice that is neither half, and both kinds of denoising at once", async () => {
    const slice = await adapt(["--speech-dev", dir, "--noise-slice", "middle"]);
    expect(slice.status).not.toBe(0);
    expect(slice.stderr).toContain('noise slice "middle": first or second');
    const both = await adapt(["--speech-dev", dir, "--denoise", "--denoise-noisy"]);
    expect(both.status).not.toBe(0);
    expect(both.stderr).toContain("--denoise and --denoise-noisy: one of them");
  }, 60_000);
});
