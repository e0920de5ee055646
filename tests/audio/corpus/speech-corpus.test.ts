import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import wavefile from "wavefile";
import { parse as parseYaml } from "yaml";
import {
  ensureSpeechCorpus,
  readSpeechManifest,
  type SpeechCorpusEntry,
} from "../../helpers/speech-corpus.js";

/*
 * The `ci` speech corpus, generated from scratch into a temporary folder by the real script (real
 * festival, flite and sox), then checked from the files themselves: format and length read back with
 * soxi, the layout (silence around the speech), the SNR of every noisy file measured against its clean
 * file, coverage of the text corpus's intents, and the cache (a rerun makes nothing; a deleted file
 * comes back byte for byte).
 */

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../..", import.meta.url));
const corpusDir = join(root, "tests", "intents", "corpus");
const script = join(root, "scripts", "make-speech-corpus.mjs");

/** The layout the script promises: silence before and after the speech, in seconds. */
const LEAD_S = 0.3;
const TAIL_S = 0.6;
const RATE = 16000;

let dir: string;
let entries: SpeechCorpusEntry[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hearth-speech-corpus-"));
  entries = await ensureSpeechCorpus("ci", { dir });
}, 300_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function samples(path: string): Promise<Int16Array> {
  const wav = new wavefile.WaveFile(await readFile(path));
  return Int16Array.from(wav.getSamples(false, Int16Array) as unknown as Int16Array);
}

/** soxi's answer for one flag, one line per file, in the order given. */
async function soxi(flag: string, files: string[]): Promise<string[]> {
  const { stdout } = await run("soxi", [flag, ...files], { maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim().split("\n");
}

function power(x: ArrayLike<number>, from = 0, to = x.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += (x[i] ?? 0) ** 2;
  return sum / Math.max(1, to - from);
}

/** Mean power over the 10 ms frames within 40 dB of the loudest one: the speech, not its pauses. */
function activePower(x: Float64Array): number {
  const frames: number[] = [];
  for (let i = 0; i + 160 <= x.length; i += 160) frames.push(power(x, i, i + 160));
  const loudest = Math.max(...frames);
  const active = frames.filter((p) => p >= loudest * 1e-4);
  return active.reduce((a, b) => a + b, 0) / active.length;
}

/**
 * The SNR of `noisy` measured against `clean`: the speech is the part of `noisy` that is a scaled copy
 * of `clean` (least squares, so a mix scaled down to avoid clipping still measures right), the noise
 * is everything else.
 */
function measureSnr(clean: Int16Array, noisy: Int16Array): number {
  let cross = 0;
  let self = 0;
  for (let i = 0; i < clean.length; i++) {
    cross += (clean[i] ?? 0) * (noisy[i] ?? 0);
    self += (clean[i] ?? 0) ** 2;
  }
  const gain = cross / self;
  const speech = Float64Array.from(clean, (v) => v * gain);
  const noise = Float64Array.from(noisy, (v, i) => v - (speech[i] ?? 0));
  return 10 * Math.log10(activePower(speech) / power(noise));
}

function peak(x: Int16Array, from: number, to: number): number {
  let p = 0;
  for (let i = from; i < to; i++) p = Math.max(p, Math.abs(x[i] ?? 0));
  return p;
}

interface CorpusEntry {
  text?: string;
  context?: { area: string };
  intents?: Array<{ name: string }>;
  reason?: string | string[];
}

async function textCorpus(): Promise<CorpusEntry[]> {
  const files = (await readdir(corpusDir)).filter((f) => f.endsWith(".yaml"));
  const all: CorpusEntry[] = [];
  for (const f of files)
    all.push(...(parseYaml(await readFile(join(corpusDir, f), "utf8")) as CorpusEntry[]));
  return all;
}

async function digest(path: string): Promise<string> {
  return createHash("sha256")
    .update(await readFile(path))
    .digest("hex");
}

describe("the ci speech corpus", () => {
  it("holds about sixty files, and every file it lists exists", async () => {
    expect(entries.length).toBeGreaterThanOrEqual(50);
    expect(entries.length).toBeLessThanOrEqual(80);
    expect(new Set(entries.map((e) => e.file)).size).toBe(entries.length);
    const present = new Set(await readdir(dir));
    const absent = entries.filter((e) => !present.has(e.file)).map((e) => e.file);
    expect(absent).toEqual([]);
    const unlisted = [...present].filter((f) => f.endsWith(".wav") && !entries.some((e) => e.file === f));
    expect(unlisted).toEqual([]);
  });

  it("writes every file as 16 kHz mono 16-bit signed PCM WAV, as long as the manifest says", async () => {
    const paths = entries.map((e) => e.path);
    const [types, rates, channels, bits, encodings, counts] = await Promise.all([
      soxi("-t", paths),
      soxi("-r", paths),
      soxi("-c", paths),
      soxi("-b", paths),
      soxi("-e", paths),
      soxi("-s", paths),
    ]);
    const wrong = entries.flatMap((e, i) => {
      const got = `${types[i]} ${rates[i]} ${channels[i]} ${bits[i]} ${encodings[i]}`;
      const seconds = Number(counts[i]) / RATE;
      const problems: string[] = [];
      if (got !== "wav 16000 1 16 Signed Integer PCM") problems.push(`${e.file}: ${got}`);
      if (Math.abs(seconds - e.seconds) > 0.001)
        problems.push(`${e.file}: ${seconds} s, listed ${e.seconds} s`);
      return problems;
    });
    expect(wrong).toEqual([]);
  });

  it("gives spoken files plausible lengths, with silence before and after the speech", async () => {
    const wrong: string[] = [];
    for (const e of entries.filter((x) => x.kind === "command" || x.kind === "other-speech")) {
      const min = e.wake ? 2 : 1;
      const max = e.wake ? 12 : 9;
      if (e.seconds < min || e.seconds > max) wrong.push(`${e.file}: ${e.seconds} s`);
      if (!e.speech) {
        wrong.push(`${e.file}: no speech span`);
        continue;
      }
      expect(e.speech.start).toBeCloseTo(LEAD_S, 3);
      expect(e.seconds - e.speech.end).toBeCloseTo(TAIL_S, 2);
      if (e.noise !== null) continue;
      const pcm = await samples(e.path);
      // The manifest gives milliseconds: allow one either side.
      const start = Math.round(e.speech.start * RATE) - 16;
      const end = Math.round(e.speech.end * RATE) + 16;
      if (peak(pcm, 0, start) !== 0 || peak(pcm, end, pcm.length) !== 0)
        wrong.push(`${e.file}: sound outside speech`);
      // Normalised to a -4 dBFS peak: loud enough to be speech, never clipped.
      const p = peak(pcm, start, end);
      if (p < 20_000 || p > 21_000) wrong.push(`${e.file}: peak ${p}`);
      if (
        e.wake &&
        !(e.wakeEnd !== undefined && e.commandStart !== undefined && e.wakeEnd < e.commandStart)
      ) {
        wrong.push(`${e.file}: wake word and command not apart`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("mixes noise at the requested SNR, within 1 dB, measured against the clean file", async () => {
    const noisy = entries.filter((e) => e.snr !== null);
    expect(new Set(noisy.map((e) => e.snr))).toEqual(new Set([20, 10]));
    expect(new Set(noisy.map((e) => e.noise)).size).toBeGreaterThanOrEqual(2);
    const measured = await Promise.all(
      noisy.map(async (e) => {
        const clean = entries.find((c) => c.file === e.clean);
        if (!clean) return `${e.file}: clean file ${e.clean} not listed`;
        if (
          clean.text !== e.text ||
          clean.voice !== e.voice ||
          clean.rate !== e.rate ||
          clean.noise !== null
        ) {
          return `${e.file}: ${e.clean} is not its clean twin`;
        }
        const snr = measureSnr(await samples(clean.path), await samples(e.path));
        return Math.abs(snr - (e.snr ?? 0)) <= 1 ? "" : `${e.file}: ${snr.toFixed(2)} dB, asked ${e.snr} dB`;
      }),
    );
    expect(measured.filter(Boolean)).toEqual([]);
  });

  it("makes silence silent and noise-only files at their stated level", async () => {
    const quiet = entries.filter((e) => e.kind === "silence" || e.kind === "noise");
    expect(quiet.some((e) => e.kind === "silence")).toBe(true);
    expect(new Set(quiet.filter((e) => e.kind === "noise").map((e) => e.noise))).toEqual(
      new Set(["pink", "brown", "kitchen"]),
    );
    for (const e of quiet) {
      const pcm = await samples(e.path);
      if (e.levelDbfs === undefined) {
        expect(peak(pcm, 0, pcm.length), e.file).toBe(0);
      } else {
        const level = 10 * Math.log10(power(pcm) / 32768 ** 2);
        expect(Math.abs(level - e.levelDbfs), e.file).toBeLessThan(1);
      }
    }
  });

  it("speaks a sentence of every intent in the text corpus, with the intents the corpus expects", async () => {
    const corpus = await textCorpus();
    // The same words can expect different results with the speaker elsewhere: key on both.
    const key = (text: string | undefined, area: string | undefined) => `${text}\0${area ?? ""}`;
    const byText = new Map(corpus.map((c) => [key(c.text, c.context?.area), c]));
    const wanted = new Set(corpus.flatMap((c) => c.intents?.map((i) => i.name) ?? []));
    expect(wanted.has("OrderPizza")).toBe(true);
    const commands = entries.filter((e) => e.kind === "command");
    const spoken = new Set(
      commands.flatMap((e) => ("intents" in e.expected ? e.expected.intents.map((i) => i.name) : [])),
    );
    expect([...wanted].filter((name) => !spoken.has(name))).toEqual([]);
    expect(commands.some((e) => "intents" in e.expected && e.expected.intents.length > 1)).toBe(true);
    for (const e of commands) {
      const source = byText.get(key(e.command ?? e.text, e.context?.area));
      expect(source?.intents, e.file).toEqual("intents" in e.expected ? e.expected.intents : undefined);
    }
    for (const e of entries.filter((x) => x.kind === "other-speech")) {
      expect(byText.get(key(e.text, e.context?.area))?.reason, e.file).toBe("no_match");
      expect(e.expected).toEqual({ reason: "no_match" });
    }
  });

  it("uses several festival and flite voices at several rates, and makes wake-word variants", () => {
    const voices = new Set(entries.flatMap((e) => (e.voice ? [e.voice] : [])));
    expect([...voices].filter((v) => v.startsWith("festival:")).length).toBeGreaterThanOrEqual(1);
    expect([...voices].filter((v) => v.startsWith("flite:")).length).toBeGreaterThanOrEqual(2);
    expect(voices.size).toBeGreaterThanOrEqual(4);
    expect(new Set(entries.map((e) => e.rate).filter((r) => r !== null)).size).toBeGreaterThanOrEqual(3);
    const wake = entries.filter((e) => e.wake);
    expect(wake.length).toBeGreaterThanOrEqual(4);
    for (const e of wake) expect(e.text).toBe(`hey jarvis ${e.command}`);
  });

  it("makes nothing on a second run, and remakes a deleted file byte for byte", async () => {
    const noisy = entries.find((e) => e.snr !== null);
    const clean = entries.find((e) => e.file === noisy?.clean);
    if (!noisy || !clean) throw new Error("the ci set has no noisy file");
    const before = new Map(
      await Promise.all(entries.map(async (e) => [e.file, (await stat(e.path)).mtimeMs] as const)),
    );
    const manifest = await readFile(join(dir, "manifest.jsonl"), "utf8");
    const hashes = [await digest(noisy.path), await digest(clean.path)];
    await rm(noisy.path);
    await rm(clean.path);

    const { stdout } = await run(process.execPath, [script, "--set", "ci", "--out", dir], { cwd: root });
    expect(stdout).toMatch(/\(2 made, 0 removed\)/);
    expect([await digest(noisy.path), await digest(clean.path)]).toEqual(hashes);
    expect(await readFile(join(dir, "manifest.jsonl"), "utf8")).toBe(manifest);
    const touched = [];
    for (const e of entries) {
      if (e === noisy || e === clean) continue;
      if ((await stat(e.path)).mtimeMs !== before.get(e.file)) touched.push(e.file);
    }
    expect(touched).toEqual([]);
    expect(await readSpeechManifest(dir)).toEqual(entries);
  }, 120_000);
});
