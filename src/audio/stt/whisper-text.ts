/**
 * Non-speech annotations whisper writes instead of words: "[BLANK_AUDIO]", "[Music]",
 * "(door slams)", "♪". They are not something the user said, and the template matcher would read
 * "[BLANK_AUDIO]" as the words "blank audio".
 */
const ANNOTATION = /\[[^\]]*\]|\([^)]*\)|[♪♫]+/g;

/** Whisper's text as Hearth uses it: annotations removed, whitespace collapsed, trimmed; "" when nothing was said. */
export function cleanWhisperText(raw: string): string {
  return raw.replace(ANNOTATION, " ").replace(/\s+/g, " ").trim();
}
