import { readFile } from "node:fs/promises";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { silero16kHzOnly } from "../../../src/audio/vad/silero-16khz.js";
import { bundledSileroModelPath } from "../../../src/audio/vad/silero-vad.js";
import { bundledModelPath } from "../../../src/audio/wake/openwakeword-models.js";
import { silence, speak, withNoise } from "../../helpers/speech.js";

const FRAME = 512;

/** Silero's speech probability and LSTM states for every frame of `samples`, from one session. */
async function run(model: string | Uint8Array, samples: Int16Array): Promise<number[][]> {
  const session = await ort.InferenceSession.create(model as Uint8Array, {
    intraOpNumThreads: 1,
    executionMode: "sequential",
  });
  try {
    const sr = new ort.Tensor("int64", BigInt64Array.from([16000n]), []);
    let h: Float32Array<ArrayBufferLike> = new Float32Array(128);
    let c: Float32Array<ArrayBufferLike> = new Float32Array(128);
    const out: number[][] = [];
    for (let at = 0; at + FRAME <= samples.length; at += FRAME) {
      const input = Float32Array.from(samples.subarray(at, at + FRAME), (s) => s / 32768);
      const result = await session.run({
        input: new ort.Tensor("float32", input, [1, FRAME]),
        sr,
        h: new ort.Tensor("float32", h, [2, 1, 64]),
        c: new ort.Tensor("float32", c, [2, 1, 64]),
      });
      const { output, hn, cn } = result;
      if (!output || !hn || !cn) throw new Error("Silero gave no output");
      h = hn.data as Float32Array;
      c = cn.data as Float32Array;
      out.push([(output.data as Float32Array)[0] as number, ...h, ...c]);
    }
    return out;
  } finally {
    await session.release();
  }
}

describe("silero16kHzOnly", () => {
  it("keeps the bundled model's speech probabilities and states exactly, frame by frame, at half the size", async () => {
    const whole = new Uint8Array(await readFile(bundledSileroModelPath()));
    const cut = silero16kHzOnly(whole);
    expect(cut).toBeDefined();
    expect((cut as Uint8Array).length).toBeLessThan(whole.length * 0.6);
    const speech = await speak("turn on the kitchen light and close the blinds");
    const audio = await withNoise(Int16Array.from([...silence(0.5), ...speech, ...silence(0.5)]), "pink", 12);
    const expected = await run(bundledSileroModelPath(), audio);
    const got = await run(cut as Uint8Array, audio);
    expect(got).toEqual(expected);
    // The clip has speech in it: the frames are not all alike.
    expect(Math.max(...expected.map((frame) => frame[0] as number))).toBeGreaterThan(0.5);
  });

  it("leaves a model of another shape as it is", async () => {
    const melspectrogram = new Uint8Array(await readFile(bundledModelPath("melspectrogram.onnx")));
    expect(silero16kHzOnly(melspectrogram)).toBeUndefined();
    expect(silero16kHzOnly(new Uint8Array([0xff, 0xff, 0xff]))).toBeUndefined();
  });
});
