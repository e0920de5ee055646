import { describe, expect, it } from "vitest";
import { buildWhisperPrompt } from "../../../src/audio/stt/whisper-prompt.js";

describe("buildWhisperPrompt", () => {
  it("lists the names in the caller's order, separated by commas", () => {
    expect(buildWhisperPrompt(["Kitchen", "Hue lamp", "Upstairs"], 800)).toBe("Kitchen, Hue lamp, Upstairs");
  });

  it("drops repeated names whatever their case, and blank ones, and tidies spaces", () => {
    expect(buildWhisperPrompt(["Hue lamp", "  hue   LAMP ", "", "  ", "Office\tfan"], 800)).toBe(
      "Hue lamp, Office fan",
    );
  });

  it("stops at a whole name before the limit, keeping the first names", () => {
    const names = Array.from({ length: 100 }, (_, i) => `kitchen light ${i}`);
    const prompt = buildWhisperPrompt(names, 60);
    expect(prompt.length).toBeLessThanOrEqual(60);
    expect(prompt).toBe("kitchen light 0, kitchen light 1, kitchen light 2");
  });

  it("gives no prompt for no names or a zero limit", () => {
    expect(buildWhisperPrompt([], 800)).toBe("");
    expect(buildWhisperPrompt(["Kitchen"], 0)).toBe("");
  });
});
