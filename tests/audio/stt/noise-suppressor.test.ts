import { describe, expect, it } from "vitest";
import { fft, NoiseSuppressor } from "../../../src/audio/stt/noise-suppressor.js";

const RATE = 16000;

/** A repeatable white noise of the given RMS (xorshift, uniform). */
function noise(samples: number, rms: number, seed = 7): Float64Array {
  let state = seed;
  const out = new Float64Array(samples);
  for (let i = 0; i < samples; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out[i] = ((state >>> 0) / 0xffffffff - 0.5) * Math.sqrt(12) * rms;
  }
  return out;
}

function tone(samples: number, hz: number, amplitude: number, from = 0): Float64Array {
  return Float64Array.from({ length: samples }, (_, i) =>
    i < from ? 0 : amplitude * Math.sin((2 * Math.PI * hz * i) / RATE),
  );
}

function pcm(...signals: Float64Array[]): Int16Array {
  const length = signals[0]?.length ?? 0;
  return Int16Array.from({ length }, (_, i) =>
    Math.round(signals.reduce((sum, signal) => sum + (signal[i] as number), 0)),
  );
}

/** The audio through one suppressor, written in pieces of `piece` samples. */
function suppressed(audio: Int16Array, suppressor: NoiseSuppressor, piece = 1280): Int16Array {
  const parts: Int16Array[] = [];
  for (let at = 0; at < audio.length; at += piece)
    parts.push(suppressor.process(audio.subarray(at, at + piece)));
  parts.push(suppressor.flush());
  const out = new Int16Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function power(audio: ArrayLike<number>, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += (audio[i] as number) ** 2;
  return sum / (to - from);
}

const db = (ratio: number): number => 10 * Math.log10(ratio);

describe("NoiseSuppressor", () => {
  it("computes the discrete Fourier transform", () => {
    const re = Float64Array.from({ length: 512 }, (_, i) => Math.cos((2 * Math.PI * 5 * i) / 512));
    const im = new Float64Array(512);
    fft(re, im);
    expect(re[5]).toBeCloseTo(256, 6);
    expect(re[507]).toBeCloseTo(256, 6);
    expect(Math.abs(re[6] as number) + Math.abs(im[5] as number)).toBeLessThan(1e-9);
  });

  it("returns the input unchanged, sample for sample, when no band may be lowered", () => {
    const audio = pcm(noise(RATE, 3000), tone(RATE, 440, 2000, 8000));
    const out = suppressed(audio, new NoiseSuppressor({ floor: 1, noiseMs: 250 }), 777);
    expect(out.length).toBe(audio.length);
    expect(Array.from(out)).toEqual(Array.from(audio));
  });

  it("gives the same output whatever pieces the audio comes in", () => {
    const audio = pcm(noise(RATE, 3000), tone(RATE, 700, 3000, 6000));
    const whole = suppressed(audio, new NoiseSuppressor({ floor: 0.1, noiseMs: 250 }), audio.length);
    const pieces = suppressed(audio, new NoiseSuppressor({ floor: 0.1, noiseMs: 250 }), 331);
    expect(pieces.length).toBe(audio.length);
    expect(Array.from(pieces)).toEqual(Array.from(whole));
  });

  it("lowers steady noise to its floor and keeps a tone that stands above it", () => {
    const samples = 2 * RATE;
    const background = noise(samples, 2000);
    const voice = tone(samples, 500, 4000, RATE);
    const out = suppressed(pcm(background, voice), new NoiseSuppressor({ floor: 0.1, noiseMs: 250 }));
    // Noise alone, after the first estimate: about the floor's 20 dB down.
    const noiseDown = db(power(background, 8000, RATE) / power(out, 8000, RATE));
    expect(noiseDown).toBeGreaterThan(15);
    expect(noiseDown).toBeLessThan(21);
    // With the tone: what is left of the output is the tone, within 1 dB, and the noise around it is gone.
    const toneOut = Float64Array.from(
      { length: samples },
      (_, i) => (out[i] as number) - (voice[i] as number),
    );
    expect(Math.abs(db(power(out, RATE + 4000, samples) / power(voice, RATE + 4000, samples)))).toBeLessThan(
      1,
    );
    expect(
      db(power(background, RATE + 4000, samples) / power(toneOut, RATE + 4000, samples)),
    ).toBeGreaterThan(10);
  });

  it("begins on the noise it is primed with instead of the start of the audio", () => {
    const background = noise(RATE, 2000, 11);
    // Speech from the first sample: learning the noise on it would take the tone for noise.
    const voice = tone(RATE, 500, 4000);
    const audio = pcm(background, voice);
    const primed = new NoiseSuppressor({ floor: 0.1, noiseMs: 250 });
    primed.prime(pcm(noise(RATE / 2, 2000, 99)));
    const fromStart = suppressed(audio, new NoiseSuppressor({ floor: 0.1, noiseMs: 250 }));
    const fromPrime = suppressed(audio, primed);
    const kept = (out: Int16Array): number => db(power(out, 0, 4000) / power(voice, 0, 4000));
    expect(Math.abs(kept(fromPrime))).toBeLessThan(1);
    expect(kept(fromStart)).toBeLessThan(-6);
  });
});
