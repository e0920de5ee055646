import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkWhisperModel } from "../../../src/audio/stt/whisper-model-check.js";
import { HearthError } from "../../../src/core/errors.js";
import { makeWhisperModel, toHalf } from "../../helpers/make-whisper-model.js";

let dir: string;
let modelPath: string;
let model: Buffer;

/** Offset of the first tensor header: magic, 11 hparams, filter dims + data, vocabulary. */
function tensorSectionStart(file: Buffer): number {
  let at = 4 + 11 * 4;
  const nMel = file.readInt32LE(at);
  const nFft = file.readInt32LE(at + 4);
  at += 8 + 4 * nMel * nFft;
  const tokens = file.readInt32LE(at);
  at += 4;
  for (let i = 0; i < tokens; i++) at += 4 + file.readUInt32LE(at);
  return at;
}

async function variant(name: string, bytes: Buffer | string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

async function refusal(path: string): Promise<HearthError> {
  const error = await checkWhisperModel(path).catch((err: unknown) => err);
  expect(error).toBeInstanceOf(HearthError);
  expect((error as HearthError).code).toBe("MODEL_INVALID");
  expect((error as HearthError).message).toContain(path);
  return error as HearthError;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hearth-whisper-check-"));
  modelPath = join(dir, "ggml-random.bin");
  await makeWhisperModel(modelPath);
  model = await readFile(modelPath);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("makeWhisperModel", () => {
  it("writes the same bytes for the same seed and different weights for another seed", async () => {
    const again = join(dir, "again.bin");
    const other = join(dir, "other.bin");
    await makeWhisperModel(again);
    await makeWhisperModel(other, { seed: 2 });
    const digest = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
    expect(digest(await readFile(again))).toBe(digest(model));
    const otherBytes = await readFile(other);
    expect(otherBytes.length).toBe(model.length);
    expect(digest(otherBytes)).not.toBe(digest(model));
  });

  it("encodes half-precision floats exactly where binary16 can", () => {
    expect(toHalf(1)).toBe(0x3c00);
    expect(toHalf(-2)).toBe(0xc000);
    expect(toHalf(0.5)).toBe(0x3800);
    expect(toHalf(65504)).toBe(0x7bff);
    expect(toHalf(1e6)).toBe(0x7c00);
    expect(toHalf(2 ** -24)).toBe(0x0001);
    expect(toHalf(0)).toBe(0);
  });
});

describe("checkWhisperModel", () => {
  it("accepts the generated English-only model and reads its shape", async () => {
    const facts = await checkWhisperModel(modelPath);
    expect(facts).toMatchObject({
      bytes: model.length,
      nVocab: 51864,
      multilingual: false,
      nAudioLayer: 1,
      nTextLayer: 1,
      nState: 64,
      nMels: 80,
      ftype: 1,
      tensorCount: 11 + 15 + 24,
    });
  });

  it("accepts a deeper multilingual F32 model", async () => {
    const path = join(dir, "f32.bin");
    const made = await makeWhisperModel(path, {
      weights: "f32",
      nVocab: 51865,
      nAudioLayer: 2,
      nTextLayer: 2,
    });
    const facts = await checkWhisperModel(path);
    expect(facts).toMatchObject({
      multilingual: true,
      ftype: 0,
      tensorCount: made.tensorCount,
      bytes: made.bytes,
    });
    expect(made.tensorCount).toBe(11 + 2 * 15 + 2 * 24);
  });

  it("says a missing file does not exist and names the setting", async () => {
    const error = await refusal(join(dir, "nope.bin"));
    expect(error.message).toContain("does not exist");
    expect(error.message).toContain("stt.whisper.model");
  });

  it("refuses a directory", async () => {
    const path = join(dir, "a-folder.bin");
    await mkdir(path);
    expect((await refusal(path)).message).toContain("not a regular file");
  });

  it("refuses an empty file", async () => {
    expect((await refusal(await variant("empty.bin", Buffer.alloc(0)))).message).toContain("too short");
  });

  it("refuses a file that is not in ggml format", async () => {
    const error = await refusal(await variant("notes.bin", "turn on the kitchen light\n".repeat(10)));
    expect(error.message).toContain("does not start with the ggml magic");
  });

  it("recognises a GGUF file and says it is the wrong kind of model", async () => {
    const gguf = Buffer.alloc(64);
    gguf.write("GGUF", 0, "latin1");
    expect((await refusal(await variant("llm.gguf", gguf))).message).toContain("is a GGUF file");
  });

  it("refuses a download cut off inside the last tensor, which whisper.cpp itself would load", async () => {
    const error = await refusal(await variant("cut.bin", model.subarray(0, model.length - 10)));
    expect(error.message).toContain("truncated");
  });

  it("refuses a download cut off inside the vocabulary", async () => {
    expect((await refusal(await variant("cut-vocab.bin", model.subarray(0, 100_000)))).message).toContain(
      "inside the vocabulary",
    );
  });

  it("refuses a file that stops between tensors", async () => {
    // Cut exactly after the first tensor: every header is whole, but tensors are missing.
    const start = tensorSectionStart(model);
    const nDims = model.readInt32LE(start);
    const nameLength = model.readInt32LE(start + 4);
    let elements = 1;
    for (let d = 0; d < nDims; d++) elements *= model.readInt32LE(start + 12 + 4 * d);
    const end = start + 12 + 4 * nDims + nameLength + elements * 4; // the first tensor is F32
    const error = await refusal(await variant("one-tensor.bin", model.subarray(0, end)));
    expect(error.message).toContain("has 1 tensors but");
  });

  it("refuses a file with the headers but no tensors, which whisper.cpp would load as an empty model", async () => {
    const error = await refusal(
      await variant("no-tensors.bin", model.subarray(0, tensorSectionStart(model))),
    );
    expect(error.message).toContain("has no tensors");
  });

  it("refuses trailing garbage after the last tensor", async () => {
    const error = await refusal(await variant("trailing.bin", Buffer.concat([model, Buffer.alloc(7)])));
    expect(error.message).toContain("truncated");
  });

  it("refuses a mel filter bank that does not match n_mels", async () => {
    const patched = Buffer.from(model);
    patched.writeInt32LE(128, 4 + 9 * 4); // n_mels
    expect((await refusal(await variant("mels.bin", patched))).message).toContain("n_mels is 128");
  });

  it("refuses an implausible hyperparameter", async () => {
    const patched = Buffer.from(model);
    patched.writeInt32LE(-3, 4 + 4 * 4); // n_audio_layer
    expect((await refusal(await variant("layers.bin", patched))).message).toContain("n_audio_layer is -3");
  });

  it("refuses a tensor of a ggml type whisper.cpp cannot load", async () => {
    const patched = Buffer.from(model);
    patched.writeInt32LE(99, tensorSectionStart(model) + 8);
    expect((await refusal(await variant("type.bin", patched))).message).toContain("ggml type 99");
  });
});
