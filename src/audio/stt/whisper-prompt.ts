/**
 * Builds whisper's initial prompt from the names it should expect (devices, areas, floors), so
 * "Hue lamp" is written "Hue lamp" and not "hew lamb". Names are deduplicated (ignoring case), kept
 * in the caller's order (most important first) and cut at a whole name once `maxChars` would be
 * exceeded: whisper.cpp keeps only the last ~224 tokens of an over-long prompt, which would drop
 * the names the caller put first. Returns "" when there is nothing to say.
 */
export function buildWhisperPrompt(vocabulary: readonly string[], maxChars: number): string {
  const seen = new Set<string>();
  let prompt = "";
  for (const raw of vocabulary) {
    const name = raw.replace(/\s+/g, " ").trim();
    const key = name.toLowerCase();
    if (name === "" || seen.has(key)) continue;
    const next = prompt === "" ? name : `${prompt}, ${name}`;
    if (next.length > maxChars) break;
    seen.add(key);
    prompt = next;
  }
  return prompt;
}
