import { describe, expect, test } from "vitest";
import { coffeeHalf, noiseHalf, noiseSlice } from "../../bench/lib/coffee.mjs";

describe("the coffee orders' development and check halves", () => {
  const clips = ["a.flac", "b.flac", "c.flac", "d.flac", "e.flac"];

  test("split the sorted clips by position: even for development, odd for the check, nothing in both", () => {
    const dev = coffeeHalf(clips, "dev");
    const check = coffeeHalf(clips, "check");
    expect(dev).toEqual(["a.flac", "c.flac", "e.flac"]);
    expect(check).toEqual(["b.flac", "d.flac"]);
    expect(coffeeHalf(clips, undefined)).toEqual(clips);
  });

  test("split the kitchen recording in time: the first half for development, the second for the check", () => {
    const noise = Int16Array.from({ length: 9 }, (_, i) => i);
    expect(Array.from(noiseHalf(noise, "dev"))).toEqual([0, 1, 2, 3]);
    expect(Array.from(noiseHalf(noise, "check"))).toEqual([4, 5, 6, 7, 8]);
    expect(noiseHalf(noise, undefined)).toBe(noise);
  });

  test("split a half of the kitchen in time again, so the adaptation learns from one slice and is judged on the other", () => {
    const dev = noiseHalf(
      Int16Array.from({ length: 10 }, (_, i) => i),
      "dev",
    );
    const first = Array.from(noiseSlice(dev, "first"));
    const second = Array.from(noiseSlice(dev, "second"));
    expect(first).toEqual([0, 1]);
    expect(second).toEqual([2, 3, 4]);
    expect(first.filter((sample) => second.includes(sample))).toEqual([]);
    expect(noiseSlice(dev, undefined)).toBe(dev);
    expect(() => noiseSlice(dev, "middle" as "first")).toThrow('noise slice "middle": first or second');
  });
});
