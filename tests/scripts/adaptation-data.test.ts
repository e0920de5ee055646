import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import {
  conditionId,
  denoisedConditions,
  mixtureWeightsFromSendump,
  parseSnrs,
  trainingConditions,
  trainingLists,
} from "../../scripts/lib/adaptation-data.mjs";

const DEBIAN_SENDUMP = "/usr/share/pocketsphinx/model/en-us/en-us/sendump";

/** A sendump as pocketsphinx writes it: title, header, key lines, sizes, then [stream][density][senone] bytes. */
function sendump(
  streams: number,
  densities: number,
  senones: number,
  q: (f: number, d: number, s: number) => number,
) {
  const int = (v: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32LE(v);
    return b;
  };
  const text = (t: string) => Buffer.concat([int(t.length + 1), Buffer.from(`${t}\0`, "latin1")]);
  const bytes = Buffer.alloc(streams * densities * senones);
  for (let f = 0; f < streams; f++)
    for (let d = 0; d < densities; d++)
      for (let s = 0; s < senones; s++) bytes[(f * densities + d) * senones + s] = q(f, d, s);
  return Buffer.concat([
    text("mixture_weights"),
    text("generated for a test"),
    text(`feature_count ${streams}`),
    text("cluster_count 0"),
    int(0),
    int(densities),
    int(senones),
    bytes,
  ]);
}

/** The float32 weights of a mixture_weights file and its sizes. */
function weightsOf(file: Buffer) {
  const start = file.indexOf("endhdr\n") + "endhdr\n".length;
  expect(file.readUInt32LE(start)).toBe(0x11223344);
  const [senones, streams, densities, count] = [4, 8, 12, 16].map((o) => file.readUInt32LE(start + o)) as [
    number,
    number,
    number,
    number,
  ];
  const data = file.subarray(start + 20);
  const weights = new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length));
  return { senones, streams, densities, count, weights };
}

describe("the mixture weights bw reads, written from pocketsphinx's sendump", () => {
  test("turns each 8-bit weight back into a probability, each mixture summing to 1", () => {
    // Senone 0: two equal weights; senone 1: the second 7 × 1024 steps of 1.0001 below the first.
    const file = mixtureWeightsFromSendump(sendump(1, 2, 2, (_f, d, s) => (s === 1 && d === 1 ? 7 : 0)));
    const { senones, streams, densities, count, weights } = weightsOf(file);
    expect([senones, streams, densities, count]).toEqual([2, 1, 2, 4]);
    const ratio = 1.0001 ** -(7 * 1024);
    expect(weights[0]).toBeCloseTo(0.5, 6);
    expect(weights[1]).toBeCloseTo(0.5, 6);
    expect(weights[2]).toBeCloseTo(1 / (1 + ratio), 6);
    expect(weights[3]).toBeCloseTo(ratio / (1 + ratio), 6);
  });

  test("keeps the streams of a senone apart", () => {
    const file = mixtureWeightsFromSendump(sendump(2, 2, 1, (f, d) => (f === 1 && d === 0 ? 255 : 0)));
    const { weights } = weightsOf(file);
    expect(Array.from(weights.subarray(0, 2))).toEqual([0.5, 0.5]);
    expect(weights[2]).toBeLessThan(1e-6);
    expect(weights[3]).toBeCloseTo(1, 6);
  });

  test("refuses a file that is not a sendump, and one cut short", () => {
    expect(() => mixtureWeightsFromSendump(Buffer.from("s3\nversion 1.0\nendhdr\n"))).toThrow(/sendump/);
    const whole = sendump(1, 4, 8, () => 1);
    expect(() => mixtureWeightsFromSendump(whole.subarray(0, whole.length - 5))).toThrow(/truncated/);
  });

  test("reads Debian's en-us model: every mixture a distribution", () => {
    const { senones, streams, densities, weights } = weightsOf(
      mixtureWeightsFromSendump(readFileSync(DEBIAN_SENDUMP)),
    );
    // The en-us model: 5 126 tied states (mdef), three feature streams of 128 Gaussians each (PTM).
    expect([senones, streams, densities]).toEqual([5126, 3, 128]);
    for (let row = 0; row < senones * streams; row += 97) {
      const sum = weights.subarray(row * densities, (row + 1) * densities).reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(1, 4);
    }
  });
});

describe("what the adaptation trains on", () => {
  test("every order clean, then each SNR from the cleanest down, each once", () => {
    expect(trainingConditions([6, 24, 12, 6])).toEqual([null, 24, 12, 6]);
    expect(trainingConditions([])).toEqual([null]);
    expect([conditionId("order-1", null), conditionId("order-1", 6)]).toEqual(["order-1", "order-1-6dB"]);
  });

  test("--snrs takes a comma-separated list of dB, or nothing for clean only", () => {
    expect(parseSnrs("6,12, 18")).toEqual([6, 12, 18]);
    expect(parseSnrs("")).toEqual([]);
    expect(() => parseSnrs("6,loud")).toThrow(/loud/);
    expect(() => parseSnrs("6,,12")).toThrow(/--snrs/);
  });

  test("writes sphinxtrain's control and transcription files line by line", () => {
    const lists = trainingLists([
      { id: "a", text: "large latte" },
      { id: "a-6dB", text: "large latte" },
    ]);
    expect(lists.fileids).toBe("a\na-6dB\n");
    expect(lists.transcription).toBe("<s> large latte </s> (a)\n<s> large latte </s> (a-6dB)\n");
    expect(() => trainingLists([{ id: "a b", text: "latte" }])).toThrow(/a b/);
  });
});

describe("which training copies are heard through RNNoise", () => {
  const conditions = trainingConditions([6, 24]);

  test("as audio.denoise auto hears them: the noisy copies denoised, the clean one as it is", () => {
    expect([...denoisedConditions(conditions, "noisy")]).toEqual([24, 6]);
  });

  test("all of them for audio.denoise on, none for the raw transform", () => {
    expect([...denoisedConditions(conditions, "all")]).toEqual([null, 24, 6]);
    expect(denoisedConditions(conditions, "none").size).toBe(0);
  });
});
