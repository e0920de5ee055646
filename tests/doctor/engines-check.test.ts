import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { vadSchema, wakeSchema } from "../../src/config/schema.js";
import { silentLogger } from "../../src/core/logger.js";
import { checkVad, checkWakeWord } from "../../src/doctor/engines-check.js";

const logger = silentLogger();
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hearth-doctor-engines-"));
  await writeFile(join(dir, "garbage.onnx"), "this is not an onnx model\n");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("the wake-word check", () => {
  it("loads and releases the bundled openWakeWord models", async () => {
    const wake = wakeSchema.parse({ words: [{ name: "hey_jarvis" }, { name: "alexa", threshold: 0.6 }] });
    const result = await checkWakeWord(wake, dir, logger);
    expect(result).toMatchObject({ id: "wake-word", ok: true });
    expect(result.detail).toBe("openWakeWord loaded: hey_jarvis (threshold 0.5), alexa (threshold 0.6)");
  });

  it("fails a keyword model that is missing or not a model, naming the file", async () => {
    for (const model of ["computer.onnx", "garbage.onnx"]) {
      const result = await checkWakeWord(
        wakeSchema.parse({ words: [{ name: "computer", model }] }),
        dir,
        logger,
      );
      expect(result.ok, model).toBe(false);
      expect(result.detail).toContain(model);
      expect(result.fix).toMatch(/hey_jarvis/);
    }
  });

  it("needs no model without a keyword engine", async () => {
    const result = await checkWakeWord(wakeSchema.parse({ engine: "push-to-talk" }), dir, logger);
    expect(result).toMatchObject({ ok: true, detail: "no model needed (wake.engine is push-to-talk)" });
  });
});

describe("the VAD check", () => {
  it("loads and releases the bundled Silero model", async () => {
    const result = await checkVad(vadSchema.parse({}), dir);
    expect(result).toMatchObject({ id: "vad", ok: true, detail: "Silero VAD loaded (bundled model)" });
  });

  it("fails a Silero model file that does not load", async () => {
    const result = await checkVad(vadSchema.parse({ silero_model: "garbage.onnx" }), dir);
    expect(result.ok).toBe(false);
    expect(result.detail).toContain(join(dir, "garbage.onnx"));
    expect(result.fix).toMatch(/vad\.engine to energy/);
  });

  it("needs no model for the energy engine", async () => {
    expect((await checkVad(vadSchema.parse({ engine: "energy" }), dir)).ok).toBe(true);
  });
});
