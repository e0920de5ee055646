import { describe, expect, test } from "vitest";
import {
  applyGain,
  concatInt16,
  downmix,
  floatToInt16,
  int16ToFloat,
  Resampler,
  resample,
  resampleInt16,
} from "../../src/audio/pcm.js";

function sine(frequency: number, rate: number, seconds: number, amplitude = 0.5): Float32Array {
  return Float32Array.from(
    { length: Math.round(rate * seconds) },
    (_, i) => amplitude * Math.sin((2 * Math.PI * frequency * i) / rate),
  );
}

/** Amplitude of `frequency` in the signal (single-bin DFT), ignoring the edges where the filter settles. */
function amplitudeAt(signal: Float32Array, frequency: number, rate: number): number {
  const start = Math.floor(signal.length * 0.1);
  const end = Math.floor(signal.length * 0.9);
  let re = 0;
  let im = 0;
  for (let i = start; i < end; i++) {
    const phase = (2 * Math.PI * frequency * i) / rate;
    re += (signal[i] as number) * Math.cos(phase);
    im += (signal[i] as number) * Math.sin(phase);
  }
  return (2 * Math.hypot(re, im)) / (end - start);
}

describe("resampling", () => {
  test.each([
    [48000, 16000],
    [44100, 16000],
    [22050, 16000],
    [8000, 16000],
    [11025, 16000],
  ])("a 1 kHz tone keeps its pitch and level from %i Hz to %i Hz", (from, to) => {
    const input = sine(1000, from, 0.5);
    const out = resample(input, from, to);
    expect(out.length).toBe(Math.ceil((input.length * to) / from));
    expect(amplitudeAt(out, 1000, to)).toBeCloseTo(0.5, 2);
  });

  test("a tone above the new Nyquist frequency is filtered out instead of folding back", () => {
    // 10 kHz at 48 kHz would alias to 6 kHz at 16 kHz without the low-pass filter.
    const out = resample(sine(10_000, 48000, 0.5), 48000, 16000);
    expect(amplitudeAt(out, 6000, 16000)).toBeLessThan(0.001);
  });

  test("converting in chunks gives the same samples as converting all at once", () => {
    const input = sine(440, 44100, 0.3);
    const whole = resample(input, 44100, 16000);
    const resampler = new Resampler(44100, 16000);
    const parts: number[] = [];
    for (let offset = 0; offset < input.length; offset += 1234) {
      parts.push(...resampler.process(input.subarray(offset, offset + 1234)));
    }
    parts.push(...resampler.flush());
    expect(parts.length).toBe(whole.length);
    expect(Math.max(...parts.map((value, i) => Math.abs(value - (whole[i] as number))))).toBeLessThan(1e-6);
  });

  test("equal rates pass samples through unchanged", () => {
    const samples = Int16Array.from([1, -2, 3]);
    expect(resampleInt16(samples, 16000, 16000)).toEqual(samples);
  });
});

describe("sample conversions", () => {
  test("float samples become 16-bit, clipped at full scale", () => {
    expect([...floatToInt16([0, 0.5, -0.5, 1, -1, 2, -2])]).toEqual([
      0, 16384, -16384, 32767, -32768, 32767, -32768,
    ]);
  });

  test("16-bit samples become floats in −1…1", () => {
    expect([...int16ToFloat(Int16Array.from([0, 16384, -32768]))]).toEqual([0, 0.5, -1]);
  });

  test("stereo is mixed to mono by averaging the channels", () => {
    expect([...downmix([Float32Array.from([1, 0.5]), Float32Array.from([0, -0.5])])]).toEqual([0.5, 0]);
  });

  test("gain scales and clips", () => {
    expect([...applyGain(Int16Array.from([1000, -20000]), 2)]).toEqual([2000, -32768]);
  });

  test("chunks join in order", () => {
    expect([...concatInt16([Int16Array.from([1, 2]), Int16Array.from([3])])]).toEqual([1, 2, 3]);
  });
});
