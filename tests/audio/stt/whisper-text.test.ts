import { describe, expect, it } from "vitest";
import { cleanWhisperText } from "../../../src/audio/stt/whisper-text.js";

describe("cleanWhisperText", () => {
  it("trims whisper's leading space and collapses runs of spaces", () => {
    expect(cleanWhisperText(" Turn on the  kitchen light.")).toBe("Turn on the kitchen light.");
  });

  it("turns the annotations whisper writes for silence and noise into nothing heard", () => {
    expect(cleanWhisperText(" [BLANK_AUDIO]")).toBe("");
    expect(cleanWhisperText(" (door slams) ")).toBe("");
    expect(cleanWhisperText(" ♪♪ ")).toBe("");
  });

  it("keeps the words around an annotation", () => {
    expect(cleanWhisperText(" [Music] Set the timer [inaudible] for five minutes (coughs)")).toBe(
      "Set the timer for five minutes",
    );
  });
});
