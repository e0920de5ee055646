import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HearthError } from "../../src/core/errors.js";
import type { JsonGrammar, LlamaRuntime } from "../../src/llm/runtime.js";
import { type TinyModelDir, tinyModelDir, tinyRuntime } from "./tiny-model.js";

const SCHEMA = {
  oneOf: [
    {
      type: "object",
      properties: {
        intent: { const: "HassTurnOn" },
        slots: { type: "object", properties: { name: { enum: ["Desk Lamp", "Kitchen Ceiling"] } } },
      },
    },
    { type: "object", properties: { intent: { const: "none" } } },
  ],
};
const SYSTEM =
  "You are Hearth, the voice assistant of a home. Devices: Desk Lamp (Office), Kitchen Ceiling (Kitchen).";

describe("LlamaRuntime with the generated model", () => {
  let tmp: TinyModelDir;
  let runtime: LlamaRuntime;
  let grammar: JsonGrammar;

  beforeAll(async () => {
    tmp = await tinyModelDir();
    runtime = tinyRuntime(tmp.model.path, { contextSize: 2048 });
    await runtime.start();
    grammar = await runtime.createJsonGrammar(SCHEMA);
  });
  afterAll(async () => {
    await runtime?.stop();
    await tmp?.cleanup();
  });

  it("loads the model on the CPU with the threads and context it was given", () => {
    expect(runtime.info).toMatchObject({
      threads: 1,
      contextSize: 2048,
      batchSize: 512,
      gpu: false,
      chatWrapper: "ChatML",
    });
    expect(runtime.info?.file.architecture).toBe("llama");
    expect(runtime.contextSize).toBe(2048);
  });

  it("generates JSON that follows the grammar", async () => {
    for (const [i, user] of [
      "switch on the desk lamp",
      "what's the capital of France",
      "kitchen",
    ].entries()) {
      const result = await runtime.generate({
        systemPrompt: SYSTEM,
        userPrompt: user,
        grammar,
        maxTokens: 200,
        temperature: 1,
        seed: i,
      });
      expect(result.stopReason).toBe("done");
      const value = JSON.parse(result.text) as { intent: string; slots?: { name: string } };
      expect(["HassTurnOn", "none"]).toContain(value.intent);
      if (value.intent === "HassTurnOn")
        expect(["Desk Lamp", "Kitchen Ceiling"]).toContain(value.slots?.name);
      expect(result.generatedTokens).toBeGreaterThan(0);
      expect(result.firstTokenMs).toBeDefined();
    }
  });

  it("evaluates only the new turn when the system prompt is the one already in the context", async () => {
    const other = "You are a different assistant. ".repeat(10);
    const first = await runtime.generate({
      systemPrompt: other,
      userPrompt: "turn it on",
      grammar,
      maxTokens: 200,
    });
    const second = await runtime.generate({
      systemPrompt: other,
      userPrompt: "turn it off",
      grammar,
      maxTokens: 200,
    });
    const systemTokens = runtime.countTokens(other);
    expect(first.promptTokens).toBeGreaterThan(systemTokens);
    expect(second.promptTokens).toBeLessThan(systemTokens);
    expect(second.promptTokens).toBeGreaterThan(0);
  });

  it("primes a system prompt so that the next request evaluates only its own turn", async () => {
    const fresh = "A new system prompt about the home. ".repeat(8);
    const primed = await runtime.prime(fresh);
    expect(primed.promptTokens).toBeGreaterThanOrEqual(runtime.countTokens(fresh));
    const again = await runtime.prime(fresh);
    expect(again.promptTokens).toBe(0);
    const next = await runtime.generate({
      systemPrompt: fresh,
      userPrompt: "lights",
      grammar,
      maxTokens: 200,
    });
    // only the user turn and its chat-template framing, not the system prompt again
    expect(next.promptTokens).toBeGreaterThan(runtime.countTokens("lights"));
    expect(next.promptTokens).toBeLessThan(primed.promptTokens / 4);
  });

  it("stops when its signal aborts, and the next request runs normally", async () => {
    // at least 1,000 characters: far more than can be generated before the abort
    const long = await runtime.createJsonGrammar({
      type: "object",
      properties: { answer: { type: "string", minLength: 1000, maxLength: 1500 } },
    });
    const controller = new AbortController();
    const pending = runtime.generate({
      systemPrompt: SYSTEM,
      userPrompt: "tell me a very long story",
      grammar: long,
      maxTokens: 10_000,
      temperature: 1,
      seed: 1,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 20);
    const stopped = await pending;
    expect(stopped.stopReason).toBe("abort");
    expect(() => JSON.parse(stopped.text)).toThrow();
    const next = await runtime.generate({
      systemPrompt: SYSTEM,
      userPrompt: "desk lamp on",
      grammar,
      maxTokens: 200,
    });
    expect(next.stopReason).toBe("done");
    expect(() => JSON.parse(next.text)).not.toThrow();
  });

  it("does not run a request whose signal has already aborted", async () => {
    const result = await runtime.generate({
      systemPrompt: SYSTEM,
      userPrompt: "anything",
      grammar,
      maxTokens: 200,
      signal: AbortSignal.abort(),
    });
    expect(result).toMatchObject({ stopReason: "abort", text: "", generatedTokens: 0 });
  });

  it("runs concurrent requests one after the other on its single sequence", async () => {
    const users = ["one", "two", "three"];
    const results = await Promise.all(
      users.map((u) => runtime.generate({ systemPrompt: SYSTEM, userPrompt: u, grammar, maxTokens: 200 })),
    );
    for (const r of results) expect(() => JSON.parse(r.text)).not.toThrow();
  });

  it("refuses a grammar that another runtime made", async () => {
    await expect(
      runtime.generate({ systemPrompt: SYSTEM, userPrompt: "x", grammar: { schema: {} }, maxTokens: 10 }),
    ).rejects.toThrow(TypeError);
  });
});

describe("LlamaRuntime start and stop", () => {
  let tmp: TinyModelDir;
  beforeAll(async () => {
    tmp = await tinyModelDir();
  });
  afterAll(async () => {
    await tmp?.cleanup();
  });

  it("reports a missing model as MODEL_INVALID before loading anything", async () => {
    const runtime = tinyRuntime(join(tmp.dir, "missing.gguf"));
    const err = await runtime.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HearthError);
    expect((err as HearthError).code).toBe("MODEL_INVALID");
    expect(runtime.info).toBeUndefined();
  });

  it("reports a model too large for the memory as MODEL_INVALID with the figures", async () => {
    const runtime = tinyRuntime(tmp.model.path, {
      check: { availableMemory: () => ({ bytes: 1024, source: "test" }) },
    });
    await expect(runtime.start()).rejects.toThrow(/needs about .* but only 1\.0 KiB is available \(test\)/);
  });

  it("says it is not loaded when used before start, and stops more than once without harm", async () => {
    const runtime = tinyRuntime(tmp.model.path);
    expect(() => runtime.countTokens("x")).toThrow(/not loaded/);
    await runtime.start();
    expect(runtime.countTokens("hello")).toBeGreaterThan(0);
    await runtime.stop();
    await runtime.stop();
    expect(runtime.info).toBeUndefined();
    expect(() => runtime.countTokens("x")).toThrow(/not loaded/);
  });
});
