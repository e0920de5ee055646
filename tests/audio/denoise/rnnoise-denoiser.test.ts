import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createDenoiser } from "../../../src/audio/denoise/create-denoiser.js";
import { RnnoiseDenoiser } from "../../../src/audio/denoise/rnnoise-denoiser.js";
import { concatInt16 } from "../../../src/audio/pcm.js";
import { audioSchema } from "../../../src/config/schema.js";
import { noise, silence, speak } from "../../helpers/speech.js";

/*
 * audio.denoise: on, the real RNNoise (@jitsi/rnnoise-wasm) on 16 kHz audio: a synthetic voice and
 * sox's noises, the output compared with what went in.
 */

const wet = new RnnoiseDenoiser({ dry: 0 });
const dry = new RnnoiseDenoiser({ dry: 1 });

beforeAll(async () => {
  await wet.start();
  await dry.start();
});

afterAll(async () => {
  await wet.stop();
  await dry.stop();
});

/** The audio through a fresh stream, in 80 ms pieces as the microphone hands them over. */
function through(denoiser: RnnoiseDenoiser, audio: Int16Array): { out: Int16Array; latency: number } {
  const stream = denoiser.begin();
  const pieces: Int16Array[] = [];
  for (let offset = 0; offset < audio.length; offset += 1280) {
    const piece = audio.subarray(offset, offset + 1280);
    const out = stream.process(piece);
    expect(out.length).toBe(piece.length);
    pieces.push(out);
  }
  stream.close();
  return { out: concatInt16(pieces), latency: stream.latencySamples };
}

/** Decibels of the samples' power. */
function db(samples: Int16Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return 10 * Math.log10(sum / Math.max(1, samples.length) + 1e-9);
}

describe("RNNoise before the VAD and speech-to-text", () => {
  test("gives out as many samples as it takes, the original delayed by its latency when all dry", async () => {
    const audio = await speak("turn on the kitchen light");
    const { out, latency } = through(dry, audio);
    expect(latency).toBeGreaterThan(0);
    expect(latency).toBeLessThan(800); // under 50 ms
    expect(out.subarray(0, latency).every((s) => s === 0)).toBe(true);
    expect(out.subarray(latency)).toEqual(audio.subarray(0, audio.length - latency));
  });

  test("pushes a room's noise down and keeps the voice", async () => {
    const voice = await speak("turn on the kitchen light");
    const room = await noise("room", 6, -30, 3);
    const before = silence(2);
    const clean = concatInt16([before, voice, silence(1)]);
    const mixed = Int16Array.from(clean, (s, i) =>
      Math.max(-32768, Math.min(32767, s + (room[i] as number))),
    );
    const { out, latency } = through(wet, mixed);
    const aligned = out.subarray(latency);
    // The room alone, after the first second it takes to learn it: at least 15 dB down.
    const noiseFrom = 16000;
    const noiseTo = before.length - 1600;
    expect(db(aligned.subarray(noiseFrom, noiseTo))).toBeLessThan(
      db(mixed.subarray(noiseFrom, noiseTo)) - 15,
    );
    // The voice: within 4 dB of the clean voice's power.
    const speechTo = before.length + voice.length;
    expect(Math.abs(db(aligned.subarray(before.length, speechTo)) - db(voice))).toBeLessThan(4);
  });

  test("a new stream starts afresh: the same audio gives the same output whatever came before", async () => {
    const audio = await speak("lock the front door");
    const first = through(wet, audio).out;
    through(wet, await noise("pink", 2, -20, 5));
    expect(through(wet, audio).out).toEqual(first);
  });

  test("is built unless audio.denoise is off, and by default only for loud rooms (auto)", () => {
    const standard = createDenoiser(audioSchema.parse({}));
    expect(standard?.name).toBe("rnnoise");
    expect(standard?.aboveDbfs).toBe(audioSchema.parse({}).denoise_above_dbfs);
    expect(standard?.belowSnrDb).toBe(audioSchema.parse({}).denoise_below_snr_db);
    expect(createDenoiser(audioSchema.parse({ denoise: "off" }))).toBeUndefined();
    const on = createDenoiser(audioSchema.parse({ denoise: "on", denoise_dry: 0.3 }));
    expect(on?.name).toBe("rnnoise");
    expect(on?.aboveDbfs).toBeUndefined();
    expect(() => audioSchema.parse({ denoise: "loud" })).toThrow();
    expect(() => audioSchema.parse({ denoise_dry: 2 })).toThrow();
  });
});
