import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ConfigInput, configSchema } from "../../src/config/schema.js";
import { checkModels } from "../../src/doctor/models-check.js";
import { makeTinyGguf, type TinyGgufInfo } from "../helpers/make-gguf.js";
import { makeWhisperModel } from "../helpers/make-whisper-model.js";

let dir: string;
let gguf: TinyGgufInfo;
const plenty = () => ({ bytes: 64 * 1024 ** 3, source: "the test" });
/** Only text in, nothing played: the checks then look at the model files alone. */
const quiet = { audio: { source: "stdin", sink: "null" } } as const;
const config = (input: ConfigInput) => configSchema.parse({ ...quiet, ...input });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hearth-doctor-models-"));
  gguf = await makeTinyGguf(join(dir, "tiny.gguf"), { seed: 3, merges: 0 });
  await makeWhisperModel(join(dir, "ggml-tiny-test.bin"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const byId = (results: Awaited<ReturnType<typeof checkModels>>, id: string) =>
  results.find((r) => r.id === id);

describe("the models check", () => {
  it("passes a present LLM, giving its size and the memory it needs against what is available", async () => {
    const results = await checkModels(
      config({ llm: { mode: "fallback", model: "tiny.gguf", context_size: 512 } }),
      dir,
      {
        availableMemory: plenty,
      },
    );
    const llm = byId(results, "llm-model");
    expect(llm?.ok).toBe(true);
    expect(llm?.detail).toContain(join(dir, "tiny.gguf"));
    expect(llm?.detail).toMatch(/llama "hearth-tiny-test"; needs about [\d.]+ KiB with a 512-token context/);
    const memory = byId(results, "memory");
    expect(memory?.ok).toBe(true);
    expect(memory?.detail).toMatch(/LLM [\d.]+ KiB \+ pocketsphinx [\d.]+ MiB/);
    expect(memory?.detail).toMatch(/64\.00 GiB available \(the test\)/);
  });

  it("fails a missing LLM model with the way to fetch one", async () => {
    const results = await checkModels(config({ llm: { mode: "always", model: "absent.gguf" } }), dir, {
      availableMemory: plenty,
    });
    const llm = byId(results, "llm-model");
    expect(llm?.ok).toBe(false);
    expect(llm?.detail).toMatch(/model file not found: .*absent\.gguf/);
    expect(llm?.fix).toMatch(/hearth models pull/);
  });

  it("fails a truncated LLM model", async () => {
    const cut = join(dir, "cut.gguf");
    await writeFile(cut, (await readFile(gguf.path)).subarray(0, Math.floor(gguf.bytes / 2)));
    const results = await checkModels(config({ llm: { mode: "fallback", model: cut } }), dir, {
      availableMemory: plenty,
    });
    expect(byId(results, "llm-model")).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/truncated/),
    });
  });

  it("fails when the models together need more memory than is available", async () => {
    const results = await checkModels(config({ llm: { mode: "fallback", model: "tiny.gguf" } }), dir, {
      availableMemory: () => ({ bytes: 1024 * 1024, source: "a small board" }),
    });
    expect(byId(results, "llm-model")?.ok).toBe(true);
    const memory = byId(results, "memory");
    expect(memory?.ok).toBe(false);
    expect(memory?.detail).toMatch(/1\.0 MiB available \(a small board\)/);
    expect(memory?.fix).toMatch(/smaller models/);
  });

  it("skips the LLM when it is off, even with a model path set", async () => {
    const results = await checkModels(config({ llm: { mode: "off", model: "absent.gguf" } }), dir, {
      availableMemory: plenty,
    });
    expect(byId(results, "llm-model")).toBeUndefined();
  });

  it("passes a whisper model and fails a missing or unset one", async () => {
    const ok = await checkModels(
      config({ stt: { engine: "whisper", whisper: { model: "ggml-tiny-test.bin" } } }),
      dir,
      {
        availableMemory: plenty,
      },
    );
    expect(byId(ok, "whisper-model")).toMatchObject({
      ok: true,
      detail: expect.stringMatching(/English-only, 1\+1 layers/),
    });
    expect(byId(ok, "pocketsphinx-model")).toBeUndefined();
    expect(byId(ok, "memory")?.detail).toMatch(/whisper [\d.]+ MiB/);

    const absent = await checkModels(
      config({ stt: { engine: "whisper", whisper: { model: "nope.bin" } } }),
      dir,
    );
    expect(byId(absent, "whisper-model")?.ok).toBe(false);
    const unset = await checkModels(config({ stt: { engine: "whisper" } }), dir);
    expect(byId(unset, "whisper-model")).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/not set/),
    });
  });

  it("fails a whisper model given an LLM file by mistake", async () => {
    const results = await checkModels(
      config({ stt: { engine: "whisper", whisper: { model: "tiny.gguf" } } }),
      dir,
    );
    expect(byId(results, "whisper-model")?.ok).toBe(false);
  });

  it("fails when pocketsphinx's model or dictionary is not where the config says", async () => {
    const results = await checkModels(
      config({ stt: { pocketsphinx: { acoustic_model: "no-model", dictionary: "no.dict" } } }),
      dir,
    );
    const ps = byId(results, "pocketsphinx-model");
    expect(ps?.ok).toBe(false);
    expect(ps?.detail).toMatch(/acoustic model folder .*no-model/);
    expect(ps?.detail).toMatch(/dictionary .*no\.dict/);
    expect(ps?.fix).toMatch(/pocketsphinx-en-us/);
  });

  it("fails a piper voice without its settings file beside it", async () => {
    const voice = join(dir, "voice.onnx");
    await copyFile(gguf.path, voice);
    const piper = { engine: "piper", piper_model: "voice.onnx" } as const;
    const played = {
      audio: { source: "stdin", sink: "file:out.wav" },
      stt: { engine: "whisper", whisper: { model: "ggml-tiny-test.bin" } },
    } as const;
    const missing = await checkModels(configSchema.parse({ ...played, tts: piper }), dir);
    expect(byId(missing, "piper-voice")).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/voice\.onnx\.json/),
    });
    await writeFile(`${voice}.json`, "{}");
    const present = await checkModels(configSchema.parse({ ...played, tts: piper }), dir);
    expect(byId(present, "piper-voice")?.ok).toBe(true);
  });
});
