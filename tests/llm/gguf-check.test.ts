import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HearthError } from "../../src/core/errors.js";
import { checkModelFile, formatBytes, readAvailableMemory } from "../../src/llm/gguf-check.js";
import { type TinyModelDir, tinyModelDir } from "./tiny-model.js";

/** Runs the check and returns the HearthError it throws (failing the test if it does not). */
async function refusal(path: string, options?: Parameters<typeof checkModelFile>[1]): Promise<HearthError> {
  const err = await checkModelFile(path, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HearthError);
  expect((err as HearthError).code).toBe("MODEL_INVALID");
  return err as HearthError;
}

describe("checkModelFile", () => {
  let tmp: TinyModelDir;
  let bytes: Buffer;
  beforeAll(async () => {
    tmp = await tinyModelDir();
    bytes = await readFile(tmp.model.path);
  });
  afterAll(async () => {
    await tmp.cleanup();
  });

  it("accepts the generated model and reports its size, tensors and the memory figures", async () => {
    const facts = await checkModelFile(tmp.model.path);
    expect(facts).toMatchObject({
      bytes: tmp.model.bytes,
      version: 3,
      architecture: "llama",
      name: "hearth-tiny-test",
      tensorCount: tmp.model.tensorCount,
    });
    // F32 weights: the tensor data is everything after the header, less the alignment padding
    expect(facts.tensorDataBytes).toBeGreaterThan(
      tmp.model.bytes - tmp.model.dataOffset - 32 * tmp.model.tensorCount,
    );
    expect(facts.tensorDataBytes).toBeLessThanOrEqual(tmp.model.bytes - tmp.model.dataOffset);
    expect(facts.availableBytes).toBeGreaterThan(0);
  });

  it("says the file is missing, naming the path", async () => {
    const path = join(tmp.dir, "nowhere.gguf");
    const err = await refusal(path);
    expect(err.message).toContain("not found");
    expect(err.message).toContain(path);
  });

  it("refuses a directory", async () => {
    const path = join(tmp.dir, "a-directory.gguf");
    await mkdir(path, { recursive: true });
    expect((await refusal(path)).message).toContain("not a file");
  });

  it("refuses a file that is not GGUF, showing what it starts with", async () => {
    const path = join(tmp.dir, "model.zip");
    await writeFile(path, Buffer.from("PK\u0003\u0004 not a model at all"));
    const err = await refusal(path);
    expect(err.message).toContain("not a GGUF model file");
    expect(err.message).toContain("0x504b0304");
  });

  it("refuses an empty file as not GGUF", async () => {
    const path = join(tmp.dir, "empty.gguf");
    await writeFile(path, Buffer.alloc(0));
    expect((await refusal(path)).message).toContain("not a GGUF model file");
  });

  it("refuses a file cut anywhere inside its header", async () => {
    const path = join(tmp.dir, "cut-header.gguf");
    for (const cut of [20, 30, 200, 5000, tmp.model.dataOffset - 200]) {
      await writeFile(path, bytes.subarray(0, cut));
      const err = await refusal(path);
      expect(err.message).toBe(
        `model file is truncated: ${path} has ${cut} bytes and ends inside its GGUF header`,
      );
    }
  });

  it("refuses a header whose counts cannot be real", async () => {
    const path = join(tmp.dir, "garbage.gguf");
    const header = Buffer.alloc(64);
    header.write("GGUF", 0, "ascii");
    header.writeUInt32LE(3, 4);
    header.writeBigUInt64LE(2n ** 40n, 8); // a trillion tensors in a 64-byte file
    await writeFile(path, header);
    expect((await refusal(path)).message).toMatch(/corrupt: .* announcing 1099511627776 tensors/);
  });

  it("refuses a GGUF version it does not know", async () => {
    const path = join(tmp.dir, "v1.gguf");
    const old = Buffer.from(bytes.subarray(0, 4096));
    old.writeUInt32LE(1, 4);
    await writeFile(path, old);
    expect((await refusal(path)).message).toContain("GGUF version 1");
  });

  it("refuses a file cut inside its tensor data, with the byte figures", async () => {
    const path = join(tmp.dir, "cut-data.gguf");
    const cut = bytes.length - 1000;
    await writeFile(path, bytes.subarray(0, cut));
    const err = await refusal(path);
    expect(err.message).toContain("truncated");
    expect(err.message).toContain(`has ${cut} bytes`);
    expect(err.message).toMatch(/up to byte \d+/);
  });

  it("refuses a model larger than the memory available, with both figures and their source", async () => {
    const err = await refusal(tmp.model.path, {
      availableMemory: () => ({ bytes: 100 * 1024, source: "a test's figure" }),
    });
    expect(err.message).toContain("larger than the memory available");
    expect(err.message).toContain("100.0 KiB is available (a test's figure)");
    expect(err.message).toMatch(/needs about \d+\.\d KiB/);
  });

  it("counts the KV cache of the context and the runtime's memory when asked to", async () => {
    const weights = (await checkModelFile(tmp.model.path)).tensorDataBytes;
    const enough = { bytes: weights + 1024, source: "test" };
    await expect(checkModelFile(tmp.model.path, { availableMemory: () => enough })).resolves.toBeDefined();
    // the tiny model: 2 layers, 64 wide, one head: 2 × 2 × 4096 × 64 × 1 × 2 bytes
    const facts = await checkModelFile(tmp.model.path, { contextTokens: 4096 });
    expect(facts.kvCacheBytes).toBe(2 * 2 * 4096 * 64 * 2);
    expect(facts.requiredBytes).toBe(weights + facts.kvCacheBytes);
    const err = await refusal(tmp.model.path, {
      availableMemory: () => enough,
      contextTokens: 4096,
      extraBytes: 64 * 1024 * 1024,
    });
    expect(err.message).toContain("+ 2.0 MiB for a 4096-token context + 64.0 MiB for the runtime");
  });
});

describe("readAvailableMemory", () => {
  it("reports a positive figure and where it came from", async () => {
    const available = await readAvailableMemory();
    expect(available.bytes).toBeGreaterThan(0);
    expect(available.source).toMatch(/MemAvailable|freemem/);
  });
});

describe("formatBytes", () => {
  it("uses the largest unit that keeps the number readable", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(5 * 1024 * 1024)).toBe("5.0 MiB");
    expect(formatBytes(1.5 * 1024 * 1024 * 1024)).toBe("1.50 GiB");
  });
});
