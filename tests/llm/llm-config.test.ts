import { describe, expect, it } from "vitest";
import { z } from "zod";
import { configSchema, llmSchema } from "../../src/config/schema.js";

describe("the llm config section", () => {
  it("is off by default, CPU only, with a 5 s budget and no free-form answers", () => {
    expect(configSchema.parse({}).llm).toEqual({
      mode: "off",
      context_size: 4096,
      batch_size: 512,
      gpu: false,
      timeout_ms: 5000,
      answers: false,
      max_answer_tokens: 60,
    });
  });

  it("requires a model path unless the mode is off", () => {
    const result = configSchema.safeParse({ llm: { mode: "fallback" } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["llm", "model"]);
    expect(llmSchema.parse({ mode: "always", model: "models/qwen.gguf", threads: 4 })).toMatchObject({
      mode: "always",
      model: "models/qwen.gguf",
      threads: 4,
    });
  });

  it("rejects unknown keys, unknown modes and impossible numbers", () => {
    expect(llmSchema.safeParse({ modle: "x.gguf" }).success).toBe(false);
    expect(llmSchema.safeParse({ mode: "sometimes" }).success).toBe(false);
    expect(llmSchema.safeParse({ threads: 0 }).success).toBe(false);
    expect(llmSchema.safeParse({ context_size: 16 }).success).toBe(false);
  });

  it("documents every key in the published JSON schema", () => {
    const json = z.toJSONSchema(llmSchema, { io: "input" }) as {
      properties: Record<string, { description?: string }>;
    };
    expect(Object.keys(json.properties)).toHaveLength(9);
    for (const [key, property] of Object.entries(json.properties))
      expect(property.description, key).toMatch(/\w{3}/);
    expect(json.properties.timeout_ms?.description).toContain("Milliseconds");
  });
});
