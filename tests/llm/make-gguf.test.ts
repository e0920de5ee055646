import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { readGgufFileInfo } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTinyGguf, CHATML_TEMPLATE, makeTinyGguf } from "../helpers/make-gguf.js";
import { type TinyModelDir, tinyModelDir } from "./tiny-model.js";

describe("the tiny test model generator", () => {
  let tmp: TinyModelDir;
  beforeAll(async () => {
    tmp = await tinyModelDir();
  });
  afterAll(async () => {
    await tmp.cleanup();
  });

  it("writes the same bytes for the same seed and other weights for another seed", () => {
    const a = buildTinyGguf({ seed: 3 }).buffer;
    const b = buildTinyGguf({ seed: 3 }).buffer;
    const c = buildTinyGguf({ seed: 4 }).buffer;
    expect(a.equals(b)).toBe(true);
    expect(a.length).toBe(c.length);
    expect(a.equals(c)).toBe(false);
  });

  it("writes a GGUF v3 llama model with a byte-fallback vocabulary and a chat template", async () => {
    const info = await readGgufFileInfo(tmp.model.path, { sourceType: "filesystem", logWarnings: false });
    expect(info.version).toBe(3);
    const metadata = info.metadata as unknown as Record<string, Record<string, unknown>>;
    expect(metadata.general?.architecture).toBe("llama");
    const tokenizer = metadata.tokenizer as { ggml: Record<string, unknown>; chat_template: string };
    expect(tokenizer.chat_template).toBe(CHATML_TEMPLATE);
    const tokens = tokenizer.ggml.tokens as string[];
    expect(tokens).toHaveLength(tmp.model.vocabularySize);
    expect(tokens).toContain("<0x00>");
    expect(tokens).toContain("<0xFF>");
    expect(tokens[tokenizer.ggml.eos_token_id as number]).toBe("<|im_end|>");
    expect(info.tensorInfo?.map((t) => t.name)).toContain("blk.1.ffn_down.weight");
    expect(Number(info.tensorCount)).toBe(tmp.model.tensorCount);
  });

  it("honours the dimensions it is given", async () => {
    const path = join(tmp.dir, "wide.gguf");
    const written = await makeTinyGguf(path, { embeddingLength: 32, blockCount: 3, headCount: 2 });
    const info = await readGgufFileInfo(path, { sourceType: "filesystem", logWarnings: false });
    const llama = (info.metadata as unknown as { llama: Record<string, unknown> }).llama;
    expect(llama.embedding_length).toBe(32);
    expect(llama.block_count).toBe(3);
    expect(llama.attention).toMatchObject({ head_count: 2, head_count_kv: 2 });
    expect((await readFile(path)).length).toBe(written.bytes);
  });
});
