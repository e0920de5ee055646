import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { COLOR_NAMES, colorByName, kelvinToMireds, rgbToHs, rgbToXy } from "../../../src/mqtt/ha/colors.js";

/** Every colour the built-in sentences can produce (the `color` slot list), wherever it is defined. */
function sentenceColors(): string[] {
  const dir = new URL("../../../src/intents/sentences/en/", import.meta.url);
  const out: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".yaml"))) {
    const doc = parse(readFileSync(new URL(file, dir), "utf8")) as {
      lists?: Record<string, { values?: unknown[] }>;
    };
    for (const value of doc?.lists?.color?.values ?? []) {
      out.push(typeof value === "string" ? value : String((value as { out: unknown }).out));
    }
  }
  return out;
}

describe("colors", () => {
  it("knows every colour the built-in sentences can ask for", () => {
    const colors = sentenceColors();
    expect(colors.length).toBeGreaterThan(10);
    for (const name of colors) expect(colorByName(name), name).toBeDefined();
  });

  it("finds names regardless of case, hyphens, spacing and the word colour", () => {
    expect(colorByName("Warm-White")).toEqual(colorByName("warm white"));
    expect(colorByName("warmwhite")).toEqual(colorByName("warm white"));
    expect(colorByName("the colour red")?.rgb).toBeUndefined();
    expect(colorByName("red colour")?.rgb).toEqual([255, 0, 0]);
    expect(colorByName("octarine")).toBeUndefined();
    expect(colorByName("__proto__")).toBeUndefined();
    expect(COLOR_NAMES).toContain("cool white");
  });

  it("converts RGB to hue/saturation and CIE xy as Home Assistant does", () => {
    expect(rgbToHs([255, 0, 0])).toEqual([0, 100]);
    expect(rgbToHs([255, 165, 0])).toEqual([38.824, 100]);
    expect(rgbToHs([0, 0, 255])).toEqual([240, 100]);
    expect(rgbToHs([255, 255, 255])).toEqual([0, 0]);
    expect(rgbToXy([255, 0, 0])).toEqual([0.701, 0.299]);
    expect(rgbToXy([0, 255, 0])).toEqual([0.172, 0.747]);
    expect(rgbToXy([0, 0, 255])).toEqual([0.136, 0.04]);
    expect(rgbToXy([0, 0, 0])).toEqual([0, 0]);
  });

  it("converts kelvin to mireds by flooring", () => {
    expect(kelvinToMireds(2700)).toBe(370);
    expect(kelvinToMireds(6500)).toBe(153);
  });
});
