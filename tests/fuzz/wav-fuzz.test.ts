import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WavFileSource } from "../../src/audio/sources/wav-file-source.js";
import { decodeWav, encodeWav, readWavFile } from "../../src/audio/wav.js";
import { EXIT } from "../../src/core/errors.js";
import { UNHURRIED_YAML } from "../helpers/unhurried.js";
import { seededRandom } from "./fuzz-inputs.js";

/**
 * Malformed WAV files (issue 6): truncated, wrong headers, zero-length, huge header sizes, metadata
 * chunks whose sizes lie, and thousands of random mutations of a good file. Each must be a clear
 * AUDIO_INVALID, never another exception, a hang or a crash: through the decoder, the WAV file source
 * and `hearth transcribe`. The decoder runs in a child process with a small heap
 * (wav-decode-worker.mjs), so a file that makes it loop or exhaust memory fails the test by name
 * instead of taking the test run down.
 */

const SEED = Number(process.env.HEARTH_FUZZ_SEED ?? 61128);
const MUTATIONS = 3000;
const bin = new URL("../../bin/hearth.js", import.meta.url).pathname;
const worker = new URL("./wav-decode-worker.mjs", import.meta.url).pathname;
/** A heap this small ends a runaway decoder within seconds; a good 10-minute WAV needs far less. */
const HEAP_MB = 64;

interface Header {
  riff?: string;
  riffSize?: number;
  wave?: string;
  fmtId?: string;
  fmtSize?: number;
  audioFormat?: number;
  channels?: number;
  rate?: number;
  byteRate?: number;
  blockAlign?: number;
  bits?: number;
  dataId?: string;
  dataSize?: number;
  /** The audio bytes actually present (default: dataSize bytes, or 320). */
  dataBytes?: number;
}

/** A canonical 44-byte RIFF/WAVE header with any field replaced, then the audio bytes. */
function wav(h: Header = {}): Buffer {
  const channels = h.channels ?? 1;
  const rate = h.rate ?? 16000;
  const bits = h.bits ?? 16;
  const present = h.dataBytes ?? h.dataSize ?? 320;
  const out = Buffer.alloc(44 + present);
  out.write(h.riff ?? "RIFF", 0, "latin1");
  out.writeUInt32LE(h.riffSize ?? 36 + present, 4);
  out.write(h.wave ?? "WAVE", 8, "latin1");
  out.write(h.fmtId ?? "fmt ", 12, "latin1");
  out.writeUInt32LE(h.fmtSize ?? 16, 16);
  out.writeUInt16LE(h.audioFormat ?? 1, 20);
  out.writeUInt16LE(channels & 0xffff, 22);
  out.writeUInt32LE(rate >>> 0, 24);
  out.writeUInt32LE(h.byteRate ?? ((rate * channels * bits) / 8) >>> 0, 28);
  out.writeUInt16LE(h.blockAlign ?? ((channels * bits) / 8) & 0xffff, 32);
  out.writeUInt16LE(bits & 0xffff, 34);
  out.write(h.dataId ?? "data", 36, "latin1");
  out.writeUInt32LE((h.dataSize ?? present) >>> 0, 40);
  for (let i = 44; i < out.length; i++) out[i] = (i * 37) & 0xff;
  return out;
}

/** The good header's fmt chunk, then a chunk `id` declaring `size` bytes with `body` bytes present, then data. */
function withChunk(id: string, size: number, body: number): Buffer {
  const base = wav();
  const chunk = Buffer.alloc(8 + body);
  chunk.write(id, 0, "latin1");
  chunk.writeUInt32LE(size >>> 0, 4);
  return Buffer.concat([base.subarray(0, 36), chunk, base.subarray(36)]);
}

/** Files that are broken in a known way, each with the word its error must contain. */
const BROKEN: Array<{ name: string; bytes: Buffer; says: RegExp }> = [
  { name: "zero-length", bytes: Buffer.alloc(0), says: /empty/ },
  { name: "one byte", bytes: Buffer.from([0x52]), says: /too short/ },
  { name: "eleven bytes", bytes: wav().subarray(0, 11), says: /too short/ },
  { name: "header cut after RIFF/WAVE", bytes: wav().subarray(0, 12), says: /./ },
  { name: "header cut inside fmt", bytes: wav().subarray(0, 30), says: /./ },
  { name: "header cut before data size", bytes: wav().subarray(0, 40), says: /./ },
  { name: "header without audio", bytes: wav().subarray(0, 44), says: /./ },
  { name: "audio cut short", bytes: wav({ dataSize: 32_000, dataBytes: 100 }), says: /truncated/ },
  { name: "an Ogg file", bytes: Buffer.concat([Buffer.from("OggS"), Buffer.alloc(60)]), says: /not a WAV/ },
  {
    name: "an MP3 file",
    bytes: Buffer.concat([Buffer.from("ID3\u0003"), Buffer.alloc(60)]),
    says: /not a WAV/,
  },
  { name: "RIFF but AVI", bytes: wav({ wave: "AVI " }), says: /not a WAV/ },
  { name: "lower-case riff", bytes: wav({ riff: "riff" }), says: /not a WAV/ },
  { name: "no channels", bytes: wav({ channels: 0 }), says: /./ },
  { name: "sample rate 0", bytes: wav({ rate: 0 }), says: /./ },
  { name: "sample rate 1 Hz", bytes: wav({ rate: 1 }), says: /sample rate/ },
  { name: "sample rate 4 GHz", bytes: wav({ rate: 4_000_000_000 }), says: /sample rate/ },
  { name: "7-bit samples", bytes: wav({ bits: 7 }), says: /./ },
  { name: "12-bit samples", bytes: wav({ bits: 12 }), says: /./ },
  { name: "0-bit samples", bytes: wav({ bits: 0 }), says: /./ },
  { name: "ADPCM", bytes: wav({ audioFormat: 2, bits: 4 }), says: /./ },
  { name: "MP3 in WAV", bytes: wav({ audioFormat: 0x55 }), says: /./ },
  { name: "format tag 0", bytes: wav({ audioFormat: 0 }), says: /./ },
  { name: "one byte of 16-bit audio", bytes: wav({ dataSize: 1 }), says: /no audio|./ },
  { name: "no audio at all", bytes: wav({ dataSize: 0 }), says: /./ },
  { name: "data size near 4 GiB", bytes: wav({ dataSize: 0xfffffff0, dataBytes: 320 }), says: /truncated/ },
  { name: "fmt size 4 GiB", bytes: wav({ fmtSize: 0xffffffff }), says: /./ },
  { name: "fmt size 0", bytes: wav({ fmtSize: 0 }), says: /./ },
  { name: "no fmt chunk", bytes: wav({ fmtId: "junk" }), says: /./ },
  { name: "no data chunk", bytes: wav({ dataId: "LIST" }), says: /./ },
  { name: "65535 channels", bytes: wav({ channels: 65535 }), says: /./ },
  // Metadata chunks whose declared sizes lie: the parser must not believe them.
  // (An empty cue chunk that says 0 bytes is legal and decodes; one that claims bytes it lacks is not.)
  { name: "cue chunk claiming 16 bytes it lacks", bytes: withChunk("cue ", 16, 0), says: /./ },
  { name: "smpl chunk claiming 2 bytes", bytes: withChunk("smpl", 2, 16), says: /./ },
  { name: "bext chunk claiming 4 GiB", bytes: withChunk("bext", 0xffffffff, 0), says: /./ },
  { name: "iXML chunk claiming 2 GiB", bytes: withChunk("iXML", 0x7fffffff, 0), says: /./ },
  { name: "LIST chunk claiming 4 GiB", bytes: withChunk("LIST", 0xffffffff, 4), says: /./ },
];

interface Decoded {
  file: string;
  ok?: boolean;
  finite?: boolean;
  code?: string | null;
  name?: string;
  message?: string;
}

/** Children still running: a test that timed out leaves no process behind. */
const running = new Set<ChildProcess>();

/** Workers started again after one died, at most: each death costs seconds. */
const MAX_RESTARTS = 6;

/**
 * Decodes files in the worker; returns each file's outcome, and the files the worker died on (it
 * is started again after them, up to MAX_RESTARTS times). A file with no outcome and no death is
 * one the worker never reached.
 */
async function decodeInWorker(
  paths: string[],
): Promise<{ outcomes: Map<string, Decoded>; deaths: Map<string, string> }> {
  const outcomes = new Map<string, Decoded>();
  const deaths = new Map<string, string>();
  let remaining = paths;
  for (let run = 0; run <= MAX_RESTARTS && remaining.length > 0; run++) {
    const { lastStarted, exit } = await runWorker(remaining, outcomes);
    if (exit === "exit 0" || lastStarted === undefined || outcomes.has(lastStarted)) break;
    deaths.set(lastStarted, exit);
    remaining = remaining.slice(remaining.indexOf(lastStarted) + 1);
  }
  return { outcomes, deaths };
}

async function runWorker(
  paths: string[],
  outcomes: Map<string, Decoded>,
): Promise<{ lastStarted: string | undefined; exit: string }> {
  const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, worker, ...paths], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let lastStarted: string | undefined;
  let buffer = "";
  child.stdout.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl = buffer.indexOf("\n");
    while (nl >= 0) {
      const line = JSON.parse(buffer.slice(0, nl)) as Decoded & { start?: string };
      buffer = buffer.slice(nl + 1);
      nl = buffer.indexOf("\n");
      if (line.start !== undefined) lastStarted = line.start;
      else outcomes.set(line.file, line);
    }
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  // A decoder stuck in a loop that does not allocate never ends: the test's own timeout is the limit
  // (no guard of the worker's, which a busy machine could outlast), and afterAll ends the worker.
  running.add(child);
  const exit = await new Promise<string>((resolve) =>
    child.once("exit", (code, signal) => resolve(signal ? `killed by ${signal}` : `exit ${code}`)),
  );
  running.delete(child);
  const fatal = /FATAL ERROR: [^\n]*/.exec(stderr)?.[0];
  return { lastStarted, exit: fatal ? `${exit}: ${fatal}` : exit };
}

/** What is wrong with one file's outcome, or undefined for a clean AUDIO_INVALID or a good decode. */
function problem(path: string, result: Awaited<ReturnType<typeof decodeInWorker>>): string | undefined {
  const death = result.deaths.get(path);
  if (death) return `the decoder died on it (${death})`;
  const outcome = result.outcomes.get(path);
  if (!outcome) return "never decoded (too many decoder deaths before it)";
  if (outcome.ok) return outcome.finite ? undefined : "decoded to empty or non-finite samples";
  if (outcome.code !== "AUDIO_INVALID") return `not AUDIO_INVALID: ${outcome.name}: ${outcome.message}`;
  return undefined;
}

const good = Buffer.from(
  encodeWav({
    sampleRate: 16000,
    samples: Int16Array.from({ length: 1600 }, (_, i) => Math.round(8000 * Math.sin(i / 5))),
  }),
);

/** A random mutation of the good file: byte flips, extreme header fields, cuts, junk, inserted chunks. */
function mutate(random: () => number): { bytes: Buffer; how: string } {
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const bytes = Buffer.from(good);
  const extremes = [0, 1, 2, 3, 0x7f, 0xff, 0x7fff, 0xffff, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];
  switch (int(0, 5)) {
    case 0: {
      const flips = int(1, 8);
      for (let i = 0; i < flips; i++) bytes[int(0, 47)] = int(0, 255);
      return { bytes, how: `${flips} header bytes changed` };
    }
    case 1: {
      const at = [4, 16, 20, 22, 24, 28, 32, 34, 40][int(0, 8)] as number;
      const value = random() < 0.7 ? (extremes[int(0, extremes.length - 1)] as number) : int(0, 0xffffffff);
      if ([20, 22, 32, 34].includes(at)) bytes.writeUInt16LE(value & 0xffff, at);
      else bytes.writeUInt32LE(value >>> 0, at);
      return { bytes, how: `field at ${at} = ${value}` };
    }
    case 2: {
      const length = int(0, bytes.length - 1);
      return { bytes: bytes.subarray(0, length), how: `cut to ${length} bytes` };
    }
    case 3: {
      const junk = Buffer.alloc(int(1, 200));
      for (let i = 0; i < junk.length; i++) junk[i] = int(0, 255);
      return { bytes: Buffer.concat([bytes, junk]), how: `${junk.length} junk bytes appended` };
    }
    case 4: {
      // A chunk between fmt and data with a random id and a size that may lie.
      const chunk = Buffer.alloc(8 + int(0, 16));
      const id = ["LIST", "fact", "junk", "cue ", "smpl", "\u0000\u0000\u0000\u0000"][int(0, 5)] as string;
      chunk.write(id, 0, "latin1");
      const size = random() < 0.5 ? chunk.length - 8 : (extremes[int(0, extremes.length - 1)] as number);
      chunk.writeUInt32LE(size >>> 0, 4);
      return {
        bytes: Buffer.concat([bytes.subarray(0, 36), chunk, bytes.subarray(36)]),
        how: `${JSON.stringify(id)} chunk of ${chunk.length - 8} bytes declaring ${size} inserted`,
      };
    }
    default: {
      const count = int(1, 64);
      for (let i = 0; i < count; i++) bytes[int(0, bytes.length - 1)] = int(0, 255);
      return { bytes, how: `${count} bytes changed anywhere` };
    }
  }
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hearth-wav-fuzz-"));
});
afterAll(async () => {
  for (const child of running) child.kill("SIGKILL");
  await rm(dir, { recursive: true, force: true });
});

describe(`malformed WAVs (seed ${SEED})`, () => {
  it("refuses each known kind of broken file with AUDIO_INVALID saying what is wrong", async () => {
    const folder = join(dir, "broken");
    await mkdir(folder, { recursive: true });
    const paths = new Map<string, (typeof BROKEN)[number]>();
    for (const [i, file] of BROKEN.entries()) {
      const path = join(folder, `${String(i).padStart(2, "0")}.wav`);
      await writeFile(path, file.bytes);
      paths.set(path, file);
    }
    const result = await decodeInWorker([...paths.keys()]);
    const wrong: string[] = [];
    for (const [path, file] of paths) {
      const outcome = result.outcomes.get(path);
      const bad = problem(path, result);
      if (bad) wrong.push(`${file.name}: ${bad}`);
      else if (outcome?.ok) wrong.push(`${file.name}: accepted as audio`);
      else if (!file.says.test(outcome?.message ?? "")) wrong.push(`${file.name}: "${outcome?.message}"`);
      else if (!outcome?.message?.startsWith(`${path}: `)) wrong.push(`${file.name}: file not named`);
    }
    expect(wrong).toEqual([]);
  });

  it("accepts the good file and a streaming header (sizes unknown when written to a pipe)", () => {
    expect(decodeWav(good).seconds).toBeCloseTo(0.1, 5);
    const streamed = Buffer.from(good);
    streamed.writeUInt32LE(0xffffffff, 4);
    streamed.writeUInt32LE(0xffffffff, 40);
    expect(decodeWav(streamed).channels[0]?.length).toBe(1600);
  });

  it(`decodes or refuses with AUDIO_INVALID each of ${MUTATIONS} random mutations of a good file`, async () => {
    const folder = join(dir, "mutations");
    await mkdir(folder, { recursive: true });
    const random = seededRandom(SEED);
    const how = new Map<string, string>();
    for (let i = 0; i < MUTATIONS; i++) {
      const mutation = mutate(random);
      const path = join(folder, `m${String(i).padStart(5, "0")}.wav`);
      await writeFile(path, mutation.bytes);
      how.set(path, `#${i} (${mutation.how})`);
    }
    const result = await decodeInWorker([...how.keys()]);
    const wrong: string[] = [];
    for (const [path, described] of how) {
      const bad = problem(path, result);
      if (bad) wrong.push(`${described}: ${bad}`);
    }
    expect(wrong.slice(0, 8)).toEqual([]);
    // Most mutations break the file; the test would prove nothing if none did.
    const refused = [...result.outcomes.values()].filter((o) => o.code === "AUDIO_INVALID").length;
    expect(refused).toBeGreaterThan(MUTATIONS / 4);
  });

  it("refuses missing files, directories and files over the size or length limit", async () => {
    await writeFile(join(dir, "long.wav"), good);
    await mkdir(join(dir, "folder.wav"), { recursive: true });
    const cases: Array<[string, Parameters<typeof readWavFile>[1], RegExp]> = [
      [join(dir, "missing.wav"), {}, /cannot be read/],
      [join(dir, "folder.wav"), {}, /not a regular file/],
      [join(dir, "long.wav"), { maxBytes: 100 }, /larger than/],
      [join(dir, "long.wav"), { maxSeconds: 0.05 }, /too long/],
    ];
    for (const [path, limits, says] of cases) {
      await expect(readWavFile(path, limits)).rejects.toMatchObject({ code: "AUDIO_INVALID", message: says });
    }
  });

  it("makes the WAV file source fail with AUDIO_INVALID, not crash, on a broken file", async () => {
    const path = join(dir, "source.wav");
    await writeFile(path, wav({ dataSize: 32_000, dataBytes: 10 }));
    const read = async () => {
      for await (const _chunk of new WavFileSource(path).stream()) {
        // Nothing: the file is broken.
      }
    };
    await expect(read()).rejects.toMatchObject({ code: "AUDIO_INVALID" });
  });

  it("keeps the daemon serving when `hearth run --input` is a broken WAV, and says AUDIO_INVALID", async () => {
    const input = join(dir, "run-input.wav");
    await writeFile(input, wav({ dataSize: 32_000, dataBytes: 10 }));
    const config = join(dir, "run.yaml");
    // The embedded broker on a free port; replies go nowhere. Its stop is awaited however long a busy
    // machine takes (UNHURRIED_YAML): the exit code says it stopped cleanly, not how fast.
    await writeFile(
      config,
      `site: { id: wav-fuzz-run }\nmqtt: { embedded_port: 0 }\naudio: { sink: "null" }\n${UNHURRIED_YAML}`,
    );
    const child = spawn(process.execPath, [bin, "run", "--config", config, "--input", input], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const lines: Array<Record<string, unknown>> = [];
    let buffer = "";
    child.stdout.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
        lines.push(JSON.parse(buffer.slice(0, nl)) as Record<string, unknown>);
        buffer = buffer.slice(nl + 1);
      }
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const invalid = (l: Record<string, unknown>) =>
      (l.err as { code?: string } | undefined)?.code === "AUDIO_INVALID";
    try {
      // No limit of its own: however slow the machine, the test's timeout is the one for a hang.
      while (!lines.some(invalid) && child.exitCode === null) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const errors = lines.filter(invalid).map((l) => (l.err as { message: string }).message);
      expect(errors.length).toBeGreaterThan(0);
      for (const message of errors) expect(message).toMatch(/run-input\.wav: truncated/);
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
    expect(stderr).toBe("");
  });

  it("gives one JSON line with an error per broken file from `hearth transcribe`, and exits 65", async () => {
    const files: string[] = [];
    for (const [i, file] of BROKEN.entries()) {
      const path = join(dir, `broken-${i}.wav`);
      await writeFile(path, file.bytes);
      files.push(path);
    }
    const config = join(dir, "hearth.yaml");
    await writeFile(config, "site: { id: wav-fuzz }\n");
    const result = await promisify(execFile)(
      process.execPath,
      [`--max-old-space-size=${HEAP_MB * 2}`, bin, "transcribe", "--config", config, ...files],
      // No limit of its own: a hang ends the test at its timeout, however slow the machine.
      { maxBuffer: 16 * 1024 * 1024 },
    ).then(
      (r) => ({ code: 0, ...r }),
      (err: { code: number | null; signal?: string; stdout: string; stderr: string }) => err,
    );
    expect(result.stderr).not.toMatch(/FATAL ERROR|heap out of memory/);
    const lines = result.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { file: string; text: string; error?: string });
    expect(lines.map((l) => l.file)).toEqual(files);
    for (const line of lines) {
      expect(line.text).toBe("");
      expect(line.error).toMatch(/^\S.*: /);
    }
    expect(result.code).toBe(EXIT.DATA);
    // No stack trace, no uncaught error: only what the command chose to say.
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
