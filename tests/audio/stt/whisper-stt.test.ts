import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { WhisperStt, type WhisperSttOptions } from "../../../src/audio/stt/whisper-stt.js";
import { whisperSttSchema } from "../../../src/config/schema.js";
import { HearthError } from "../../../src/core/errors.js";
import type { Logger } from "../../../src/core/logger.js";
import { makeWhisperModel } from "../../helpers/make-whisper-model.js";

/**
 * The engine against the real native addon and a random-weight model in whisper.cpp's own format
 * (no real model can be downloaded here): loading, transcription mechanics, prompts, abort, stop.
 * Transcripts of random weights are noise, so only their form is checked, never their words.
 */

let dir: string;
let modelPath: string;
const engines: WhisperStt[] = [];

/** A logger whose JSON lines are kept for inspection. */
/**
 * A debug logger that keeps its lines; `logged` resolves once one satisfies `match`, however long
 * that takes (the test's timeout is the limit for a hang).
 */
function capturingLogger(): {
  logger: Logger;
  lines: Record<string, unknown>[];
  logged(match: (line: Record<string, unknown>) => boolean): Promise<void>;
} {
  const lines: Record<string, unknown>[] = [];
  const waiters: Array<() => void> = [];
  const logger = pino(
    { level: "debug" },
    {
      write(line: string) {
        lines.push(JSON.parse(line) as Record<string, unknown>);
        for (const wake of waiters.splice(0)) wake();
      },
    },
  );
  const logged = async (match: (line: Record<string, unknown>) => boolean): Promise<void> => {
    while (!lines.some(match)) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  return { logger, lines, logged };
}

function engine(config: Record<string, unknown> = {}, logger?: Logger): WhisperStt {
  const options: WhisperSttOptions = {
    config: whisperSttSchema.parse({ model: "ggml-random.bin", ...config }),
    baseDir: dir,
    logger: logger ?? pino({ level: "silent" }),
  };
  const stt = new WhisperStt(options);
  engines.push(stt);
  return stt;
}

/** Deterministic speech-like sound: a voiced 120 Hz buzz with formant-ish harmonics, syllable-rate loudness and noise. */
function utterance(seconds: number): Int16Array {
  const samples = new Int16Array(Math.round(seconds * 16000));
  let seed = 12345;
  for (let i = 0; i < samples.length; i++) {
    const t = i / 16000;
    seed = (seed * 1103515245 + 12345) >>> 0;
    const noise = (seed / 2 ** 32 - 0.5) * 600;
    const envelope = 0.5 + 0.5 * Math.sin(2 * Math.PI * 4 * t);
    let voice = 0;
    for (const [harmonic, gain] of [
      [1, 1],
      [4, 0.6],
      [10, 0.3],
      [20, 0.15],
    ] as const) {
      voice += gain * Math.sin(2 * Math.PI * 120 * harmonic * t);
    }
    samples[i] = Math.round(envelope * 5000 * voice + noise);
  }
  return samples;
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (err: unknown) => err,
  );
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hearth-whisper-"));
  modelPath = join(dir, "ggml-random.bin");
  await makeWhisperModel(modelPath);
});

afterEach(async () => {
  for (const stt of engines.splice(0)) await stt.stop();
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("WhisperStt", () => {
  it("loads the generated model through the native binding, logging the load", async () => {
    const { logger, lines, logged } = capturingLogger();
    const stt = engine({}, logger);
    expect(stt.model).toBeUndefined();
    await stt.start();
    expect(stt.model).toMatchObject({ path: modelPath, nVocab: 51864, multilingual: false, tensorCount: 50 });
    const loaded = lines.find((line) => line.msg === "whisper model loaded");
    expect(loaded).toMatchObject({ model: modelPath, threads: availableParallelism(), backend: "cpu" });
    expect(typeof loaded?.ms).toBe("number");
    // whisper.cpp's own lines reach the logger instead of stderr (through a thread-safe callback,
    // so a few turns of the event loop later).
    await logged((line) => String(line.native).includes("n_vocab       = 51864"));
  });

  it("transcribes two seconds of audio to plain text, the same text every time", async () => {
    const stt = engine();
    await stt.start();
    const audio = utterance(2);
    // How fast is for the benchmarks (bench/stt.mjs); here only what it gives.
    const first = await stt.transcribe(audio);
    expect(typeof first.text).toBe("string");
    expect(first.text).toBe(first.text.trim());
    expect(first.text).not.toMatch(/\[|\]/);
    expect(first.audioMs).toBe(2000);
    expect(first.ms).toBeGreaterThanOrEqual(0);
    for (const segment of first.segments) {
      expect(segment.text).not.toBe("");
      expect(segment.endMs).toBeGreaterThanOrEqual(segment.startMs);
    }
    // Greedy decoding at temperature 0: deterministic for the same input and threads.
    const second = await stt.transcribe(audio);
    expect(second.text).toBe(first.text);
    // The caller's buffer is copied, not handed over.
    expect(audio.length).toBe(32000);
  });

  it("gives an empty transcript for empty audio", async () => {
    const stt = engine();
    await stt.start();
    const result = await stt.transcribe(new Int16Array(0));
    expect(result).toMatchObject({ text: "", segments: [], audioMs: 0 });
  });

  it("hands the vocabulary to whisper as its initial prompt, which changes what it writes", async () => {
    // The prompt is decoder context before the first word. (whisper.cpp only logs about prompts it
    // has to shorten when told to carry them over, so the effect on the transcript is the evidence.)
    // Decoding is deterministic, so this compares two fixed results, not two samples.
    const stt = engine();
    await stt.start();
    const audio = utterance(2);
    const plain = await stt.transcribe(audio);
    const prompted = await stt.transcribe(audio, {
      vocabulary: ["kitchen light", "bedroom lamp", "living room"],
    });
    expect(prompted.text).not.toBe(plain.text);
    expect(await stt.transcribe(audio, { vocabulary: [] })).toMatchObject({ text: plain.text });
  });

  it("rejects with the signal's reason when aborted during a pass, then transcribes the next utterance", async () => {
    const stt = engine();
    await stt.start();
    const audio = utterance(2);
    const expected = (await stt.transcribe(audio)).text;

    const controller = new AbortController();
    const running = stt.transcribe(audio, { signal: controller.signal });
    // The pass has started natively; its result can only arrive on a later turn of the event loop.
    controller.abort(new Error("barge-in"));
    expect(await failure(running)).toMatchObject({ message: "barge-in" });

    // The next one waits for the abandoned native pass, then runs normally.
    expect((await stt.transcribe(audio)).text).toBe(expected);
  });

  it("rejects at once when the signal is already aborted, and drops a queued transcription aborted while waiting", async () => {
    const stt = engine();
    await stt.start();
    const audio = utterance(1);
    expect(
      await failure(stt.transcribe(audio, { signal: AbortSignal.abort(new Error("too late")) })),
    ).toMatchObject({ message: "too late" });

    const first = stt.transcribe(audio);
    const controller = new AbortController();
    const queued = stt.transcribe(audio, { signal: controller.signal });
    controller.abort(new Error("changed my mind"));
    expect(await failure(queued)).toMatchObject({ message: "changed my mind" });
    expect(typeof (await first).text).toBe("string");
  });

  it("can be stopped, stopped again, and started again", async () => {
    const stt = engine();
    await stt.start();
    await stt.start(); // idempotent
    const before = await stt.transcribe(utterance(1));
    await stt.stop();
    await stt.stop(); // idempotent
    expect(stt.model).toBeUndefined();
    const notStarted = await failure(stt.transcribe(utterance(1)));
    expect(notStarted).toBeInstanceOf(HearthError);
    expect((notStarted as HearthError).code).toBe("ENGINE_FAILED");

    await stt.start();
    expect((await stt.transcribe(utterance(1))).text).toBe(before.text);
  });

  it("ends up stopped when stop() is called while the model is loading", async () => {
    const stt = engine();
    const starting = stt.start();
    await stt.stop();
    await starting;
    expect(stt.model).toBeUndefined();
    expect(await failure(stt.transcribe(utterance(1)))).toMatchObject({ code: "ENGINE_FAILED" });
  });

  it("rejects transcriptions still waiting when it is stopped", async () => {
    const stt = engine();
    await stt.start();
    const running = failure(stt.transcribe(utterance(1)));
    const waiting = failure(stt.transcribe(utterance(1)));
    await stt.stop();
    expect(await running).toMatchObject({ name: "AbortError" });
    expect(await waiting).toMatchObject({ name: "AbortError" });
    // Stopped for good: a new request is refused rather than queued.
    expect(await failure(stt.transcribe(utterance(1)))).toMatchObject({ code: "ENGINE_FAILED" });
  });

  it("refuses a missing model in JavaScript, before the native addon is asked", async () => {
    const stt = engine({ model: "missing.bin" });
    const error = await failure(stt.start());
    expect(error).toBeInstanceOf(HearthError);
    expect(error).toMatchObject({ code: "MODEL_INVALID", details: [] });
    expect((error as HearthError).message).toContain(`${join(dir, "missing.bin")} does not exist`);
  });

  it("refuses a truncated model in JavaScript", async () => {
    const bytes = await readFile(modelPath);
    await writeFile(join(dir, "truncated.bin"), bytes.subarray(0, bytes.length - 4096));
    const error = await failure(engine({ model: "truncated.bin" }).start());
    expect(error).toMatchObject({ code: "MODEL_INVALID" });
    expect((error as HearthError).message).toContain("truncated");
  });

  it("says when no model is configured", async () => {
    const stt = new WhisperStt({
      config: whisperSttSchema.parse({}),
      baseDir: dir,
      logger: pino({ level: "silent" }),
    });
    expect(await failure(stt.start())).toMatchObject({ code: "CONFIG_INVALID" });
  });

  it("reports whisper.cpp's own reason when the native loader refuses a well-formed file", async () => {
    // Swap the two dimensions of the encoder's positional embedding: same size, so the JavaScript
    // check passes, but whisper.cpp finds the wrong shape.
    const bytes = Buffer.from(await readFile(modelPath));
    const name = Buffer.from("encoder.positional_embedding");
    const at = bytes.indexOf(name) - 8; // the two dims precede the name
    const [d0, d1] = [bytes.readInt32LE(at), bytes.readInt32LE(at + 4)];
    bytes.writeInt32LE(d1, at);
    bytes.writeInt32LE(d0, at + 4);
    await writeFile(join(dir, "swapped.bin"), bytes);
    const error = await failure(engine({ model: "swapped.bin" }).start());
    expect(error).toBeInstanceOf(HearthError);
    expect((error as HearthError).code).toBe("MODEL_INVALID");
    expect((error as HearthError).message).toContain("encoder.positional_embedding");
    expect((error as HearthError).details.join("\n")).toContain("wrong shape");
  });
});
