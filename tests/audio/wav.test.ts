import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import wavefile from "wavefile";
import { decodeWav, encodeWav, readWavFile, wavToPcm, wavToPcmAudio } from "../../src/audio/wav.js";
import { HearthError } from "../../src/core/errors.js";

const run = promisify(execFile);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hearth-wav-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A 440 Hz tone made by sox in the given format (a real encoder, not our own). */
async function soxTone(
  name: string,
  rate: number,
  channels: number,
  encoding: string[],
  seconds = 0.5,
): Promise<string> {
  const path = join(dir, name);
  await run("sox", [
    "-n",
    "-r",
    String(rate),
    "-c",
    String(channels),
    ...encoding,
    path,
    "synth",
    String(seconds),
    "sine",
    "440",
    "gain",
    "-6",
  ]);
  return path;
}

function rmsOf(samples: Int16Array): number {
  let sum = 0;
  for (const s of samples) sum += (s / 32768) ** 2;
  return Math.sqrt(sum / samples.length);
}

async function failure(promise: Promise<unknown>): Promise<HearthError> {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(HearthError);
  expect((error as HearthError).code).toBe("AUDIO_INVALID");
  return error as HearthError;
}

describe("reading WAV files", () => {
  test.each([
    ["8 kHz mono 16-bit", 8000, 1, ["-b", "16", "-e", "signed-integer"]],
    ["11.025 kHz mono 8-bit", 11025, 1, ["-b", "8", "-e", "unsigned-integer"]],
    ["22.05 kHz stereo 16-bit", 22050, 2, ["-b", "16", "-e", "signed-integer"]],
    ["44.1 kHz stereo 24-bit", 44100, 2, ["-b", "24", "-e", "signed-integer"]],
    ["48 kHz stereo 32-bit float", 48000, 2, ["-b", "32", "-e", "floating-point"]],
    ["48 kHz mono 32-bit integer", 48000, 1, ["-b", "32", "-e", "signed-integer"]],
    ["16 kHz mono µ-law", 16000, 1, ["-e", "u-law"]],
  ])(
    "%s becomes 16 kHz mono 16-bit at the same length and level",
    async (label, rate, channels, encoding) => {
      const path = await soxTone(
        `${label.replace(/\W+/g, "-")}.wav`,
        rate,
        channels as number,
        encoding as string[],
      );
      const samples = await readWavFile(path);
      expect(samples).toBeInstanceOf(Int16Array);
      expect(Math.abs(samples.length - 8000)).toBeLessThanOrEqual(1);
      // A sine at −6 dBFS peak has an RMS of 0.5/√2.
      expect(rmsOf(samples.subarray(400, 7600))).toBeCloseTo(0.5 / Math.SQRT2, 2);
    },
  );

  test("the two channels of a stereo file are mixed, not one of them dropped", async () => {
    const wav = new wavefile.WaveFile();
    wav.fromScratch(2, 16000, "16", [new Int16Array(1600).fill(10000), new Int16Array(1600).fill(0)]);
    expect(wavToPcm(wav.toBuffer()).every((s) => s === 5000)).toBe(true);
  });

  test("audio at its own rate keeps the rate, for playback", async () => {
    const path = await soxTone("native.wav", 22050, 1, ["-b", "16"]);
    const audio = wavToPcmAudio(await readFile(path));
    expect(audio.sampleRate).toBe(22050);
    expect(audio.samples.length).toBe(11025);
  });

  test("a file written with the streaming placeholder size (a pipe) is read to its end", async () => {
    const bytes = Buffer.from(encodeWav({ sampleRate: 16000, samples: new Int16Array(1600).fill(7) }));
    bytes.writeUInt32LE(0xffffffff, 4);
    bytes.writeUInt32LE(0xffffffff, 40);
    expect(wavToPcm(bytes).length).toBe(1600);
  });

  test("what encodeWav writes, sox reads back sample for sample", async () => {
    const samples = Int16Array.from({ length: 800 }, (_, i) => (i * 37) % 30000);
    const path = join(dir, "ours.wav");
    await writeFile(path, encodeWav({ sampleRate: 16000, samples }));
    const { stdout } = await run("sox", [path, "-t", "raw", "-"], { encoding: "buffer" });
    expect([...new Int16Array(stdout.buffer, stdout.byteOffset, stdout.length / 2)]).toEqual([...samples]);
    expect(decodeWav(await readFile(path)).format).toBe("16");
  });
});

describe("broken WAV files", () => {
  test("a truncated file says how much audio is missing", async () => {
    const path = await soxTone("whole.wav", 16000, 1, ["-b", "16"]);
    const bytes = await readFile(path);
    const cut = join(dir, "truncated.wav");
    await writeFile(cut, bytes.subarray(0, 5000));
    const error = await failure(readWavFile(cut));
    expect(error.message).toContain("truncated");
    expect(error.message).toContain(cut);
  });

  test("a file without a RIFF/WAVE header is refused", async () => {
    const path = join(dir, "text.wav");
    await writeFile(path, "this is a text file, not audio at all");
    expect((await failure(readWavFile(path))).message).toContain("not a WAV file");
  });

  test("a header cut off before the data chunk is refused", async () => {
    const bytes = await readFile(await soxTone("header.wav", 16000, 1, ["-b", "16"]));
    expect(() => wavToPcm(bytes.subarray(0, 30))).toThrow(
      /"fmt " chunk says it is 16 bytes long, past the end/,
    );
  });

  test("an empty file is refused", async () => {
    const path = join(dir, "empty.wav");
    await writeFile(path, "");
    expect((await failure(readWavFile(path))).message).toContain("empty");
  });

  test("a WAV with zero samples is refused", async () => {
    const bytes = encodeWav({ sampleRate: 16000, samples: new Int16Array(0) });
    expect(() => wavToPcm(bytes)).toThrow(/no audio/);
  });

  test("a file over the size limit is refused before it is read", async () => {
    const path = await soxTone("big.wav", 16000, 1, ["-b", "16"], 2);
    expect((await failure(readWavFile(path, { maxBytes: 10_000 }))).message).toContain(
      "larger than the 10000-byte limit",
    );
  });

  test("audio longer than the limit is refused", async () => {
    const path = await soxTone("long.wav", 8000, 1, ["-b", "16"], 3);
    expect((await failure(readWavFile(path, { maxSeconds: 2 }))).message).toContain("too long");
  });

  test("a header claiming a huge length with little data is reported as truncated", async () => {
    const bytes = Buffer.from(encodeWav({ sampleRate: 16000, samples: new Int16Array(160) }));
    bytes.writeUInt32LE(2_000_000_000, 40);
    expect(() => wavToPcm(bytes)).toThrow(/truncated/);
  });

  test("a sample rate outside 8–96 kHz is refused", async () => {
    const path = await soxTone("slow.wav", 4000, 1, ["-b", "16"]);
    expect((await failure(readWavFile(path))).message).toContain("unsupported sample rate 4000 Hz");
  });

  test("a missing file is an AUDIO_INVALID error naming it", async () => {
    const error = await failure(readWavFile(join(dir, "absent.wav")));
    expect(error.message).toContain("absent.wav");
  });
});
