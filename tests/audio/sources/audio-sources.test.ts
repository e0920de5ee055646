import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { promisify } from "node:util";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { concatInt16 } from "../../../src/audio/pcm.js";
import { createAudioSource } from "../../../src/audio/sources/create-audio-source.js";
import { MicrophoneSource } from "../../../src/audio/sources/microphone-source.js";
import { PcmStreamSource } from "../../../src/audio/sources/pcm-stream-source.js";
import { RetryingSource } from "../../../src/audio/sources/retrying-source.js";
import { WavFileSource } from "../../../src/audio/sources/wav-file-source.js";
import type { AudioSource } from "../../../src/audio/types.js";
import { encodeWav } from "../../../src/audio/wav.js";
import { audioSchema } from "../../../src/config/schema.js";
import { HearthError } from "../../../src/core/errors.js";
import { silentLogger } from "../../../src/core/logger.js";
import { ManualClock } from "../../helpers/manual-clock.js";

const run = promisify(execFile);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hearth-sources-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect(
  source: AudioSource,
  signal?: AbortSignal,
  limit = Number.POSITIVE_INFINITY,
): Promise<Int16Array[]> {
  const chunks: Int16Array[] = [];
  for await (const chunk of source.stream(signal)) {
    chunks.push(chunk);
    if (chunks.length >= limit) break;
  }
  return chunks;
}

describe("the WAV file source", () => {
  test("yields a 44.1 kHz stereo file as 16 kHz mono chunks of the configured length", async () => {
    const path = join(dir, "stereo.wav");
    await run("sox", ["-n", "-r", "44100", "-c", "2", "-b", "16", path, "synth", "1", "sine", "300"]);
    const chunks = await collect(new WavFileSource(path, { chunkMs: 100 }));
    expect(chunks.length).toBe(10);
    expect(chunks.every((chunk) => chunk.length === 1600)).toBe(true);
  });

  test("a broken file fails the stream with AUDIO_INVALID", async () => {
    const path = join(dir, "broken.wav");
    await writeFile(path, "RIFF....WAVEjunk");
    await expect(collect(new WavFileSource(path))).rejects.toMatchObject({ code: "AUDIO_INVALID" });
  });
});

describe("the raw PCM stream source", () => {
  test("converts 48 kHz stereo PCM, split at odd byte boundaries, to 16 kHz mono", async () => {
    const { stdout } = await run(
      "sox",
      [
        "-n",
        "-r",
        "48000",
        "-c",
        "2",
        "-b",
        "16",
        "-e",
        "signed",
        "-t",
        "raw",
        "-",
        "synth",
        "0.5",
        "sine",
        "440",
      ],
      {
        encoding: "buffer",
      },
    );
    const pieces = [stdout.subarray(0, 1001), stdout.subarray(1001, 5003), stdout.subarray(5003)];
    const source = new PcmStreamSource(() => Readable.from(pieces), { sampleRate: 48000, channels: 2 });
    const samples = concatInt16(await collect(source));
    expect(samples.length).toBe(8000);
  });

  test("16 kHz mono passes through sample for sample", async () => {
    const input = Int16Array.from([1, -2, 300, -400]);
    const source = new PcmStreamSource(() => Readable.from([Buffer.from(input.buffer)]));
    expect([...concatInt16(await collect(source))]).toEqual([1, -2, 300, -400]);
  });

  test("aborting ends the stream quietly", async () => {
    const input = new PassThrough();
    const controller = new AbortController();
    const source = new PcmStreamSource(() => input);
    setTimeout(() => {
      input.write(Buffer.alloc(320));
      setTimeout(() => controller.abort(), 20);
    }, 20);
    const chunks = await collect(source, controller.signal);
    expect(chunks.length).toBe(1);
  });
});

describe("the microphone source (arecord)", () => {
  test("records through ALSA's null device as 16 kHz chunks until aborted", async () => {
    const controller = new AbortController();
    const mic = new MicrophoneSource({ device: "null", chunkMs: 50 });
    const chunks = await collect(mic, controller.signal, 4);
    controller.abort();
    expect(chunks.length).toBe(4);
    expect(chunks.every((chunk) => chunk.length === 800)).toBe(true);
  });

  test("a missing sound card is an AUDIO_DEVICE error with arecord's reason", async () => {
    const error = await collect(new MicrophoneSource({ device: "hw:9,0" })).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(HearthError);
    expect((error as HearthError).code).toBe("AUDIO_DEVICE");
    expect((error as HearthError).message).toMatch(
      /cannot open the microphone \(hw:9,0\): .*audio open error/,
    );
  });

  test("a missing arecord is an AUDIO_DEVICE error saying what to install", async () => {
    const error = await collect(
      new MicrophoneSource({ device: "default", program: "hearth-no-arecord" }),
    ).catch((err: unknown) => err);
    expect((error as HearthError).code).toBe("AUDIO_DEVICE");
    expect((error as HearthError).message).toContain("alsa-utils");
  });

  test("a microphone that stops mid-run is an AUDIO_DEVICE error, not a quiet end", async () => {
    // arecord's -d stops it after a second, as an unplugged USB microphone would stop the stream.
    const script = join(dir, "dying-arecord");
    await writeFile(script, `#!/bin/sh\nexec arecord -d 1 "$@"\n`, { mode: 0o755 });
    const error = await collect(new MicrophoneSource({ device: "null", program: script })).catch(
      (err: unknown) => err,
    );
    expect((error as HearthError).code).toBe("AUDIO_DEVICE");
    expect((error as HearthError).message).toContain("stopped");
  });
});

describe("the retrying source", () => {
  test("reopens a failing microphone every retry period until aborted, without throwing", async () => {
    const faults: HearthError[] = [];
    const controller = new AbortController();
    const source = new RetryingSource(new MicrophoneSource({ device: "hw:9,0" }), {
      logger: silentLogger(),
      retryMs: 50,
      onFault: (error) => {
        faults.push(error);
        if (faults.length === 3) controller.abort();
      },
    });
    await expect(collect(source, controller.signal)).resolves.toEqual([]);
    expect(faults.map((fault) => fault.code)).toEqual(["AUDIO_DEVICE", "AUDIO_DEVICE", "AUDIO_DEVICE"]);
  });

  test("waits between attempts on the injected clock: a minute passes when the clock moves", async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const armed: number[][] = [];
    let faults = 0;
    const source = new RetryingSource(new MicrophoneSource({ device: "hw:9,0" }), {
      logger: silentLogger(),
      retryMs: 60_000,
      clock,
      onFault: () => {
        if (++faults === 3) return controller.abort();
        // Once the wait is armed (right after this call), a minute goes by.
        setImmediate(() => {
          armed.push(clock.pending);
          clock.advance(60_000);
        });
      },
    });
    await expect(collect(source, controller.signal)).resolves.toEqual([]);
    expect(armed).toEqual([[60_000], [60_000]]);
  });

  test("says once, in one line without a stack trace, that the microphone is missing and what to do", async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: "debug" }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const controller = new AbortController();
    let faults = 0;
    const source = new RetryingSource(new MicrophoneSource({ device: "hw:9,0" }), {
      logger,
      retryMs: 10,
      onFault: () => {
        if (++faults === 2) controller.abort();
      },
    });
    await collect(source, controller.signal);
    const warnings = lines.filter((l) => l.level === 40);
    expect(warnings).toEqual([
      {
        level: 40,
        time: expect.any(Number),
        pid: expect.any(Number),
        hostname: expect.any(String),
        source: "mic:hw:9,0",
        problem: expect.stringMatching(/^cannot open the microphone \(hw:9,0\): arecord: /),
        fix: expect.stringContaining("arecord -L"),
        retryMs: 10,
        msg: "audio source unavailable; retrying",
      },
    ]);
    // The retries after the first are quiet (debug).
    expect(lines.filter((l) => l.level === 20)).toHaveLength(1);
  });

  test("passes other errors through", async () => {
    const source = new RetryingSource(new WavFileSource(join(dir, "absent.wav")), {
      logger: silentLogger(),
      retryMs: 10,
    });
    await expect(collect(source)).rejects.toMatchObject({ code: "AUDIO_INVALID" });
  });
});

describe("choosing the source from config", () => {
  const deps = { logger: silentLogger(), baseDir: "/srv/hearth" };

  test("file:PATH is a WAV file source relative to the config's folder", () => {
    expect(createAudioSource(audioSchema.parse({ source: "file:test.wav" }), deps).name).toBe(
      "file:/srv/hearth/test.wav",
    );
  });

  test("mic is the microphone on the configured device, kept open by retries", () => {
    const source = createAudioSource(audioSchema.parse({ mic_device: "plughw:1,0" }), deps);
    expect(source).toBeInstanceOf(RetryingSource);
    expect(source.name).toBe("mic:plughw:1,0");
  });

  test("stdin reads raw PCM at the configured rate", async () => {
    const samples = Int16Array.from({ length: 320 }, () => 1000);
    const source = createAudioSource(audioSchema.parse({ source: "stdin", stdin_sample_rate: 8000 }), {
      ...deps,
      stdin: () => Readable.from([Buffer.from(samples.buffer)]),
    });
    expect(concatInt16(await collect(source)).length).toBe(640);
  });

  test("a WAV written by Hearth reads back through the file source", async () => {
    const path = join(dir, "ours.wav");
    await writeFile(path, encodeWav({ sampleRate: 16000, samples: new Int16Array(3200).fill(5) }));
    const chunks = await collect(createAudioSource(audioSchema.parse({ source: `file:${path}` }), deps));
    expect(concatInt16(chunks).length).toBe(3200);
  });
});
