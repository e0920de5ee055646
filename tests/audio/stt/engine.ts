import { createSpeechToText } from "../../../src/audio/stt/create-speech-to-text.js";
import type { SpeechGrammar, SpeechToText, SttResult } from "../../../src/audio/stt/speech-to-text.js";
import { sttSchema } from "../../../src/config/schema.js";
import { silentLogger } from "../../../src/core/logger.js";

/** Real pocketsphinx with these `stt.pocketsphinx` settings, started, with `grammar` loaded when given. */
export async function pocketsphinx(
  settings: Record<string, unknown> = {},
  grammar?: SpeechGrammar,
): Promise<SpeechToText> {
  const config = sttSchema.parse({ engine: "pocketsphinx", pocketsphinx: settings });
  const created = await createSpeechToText(config, { logger: silentLogger(), baseDir: process.cwd() });
  await created.start();
  if (grammar) await created.setGrammar(grammar);
  return created;
}

/** Writes the audio in 32 ms pieces, as the listening loop hands an utterance over. */
export async function decodeStreamed(stt: SpeechToText, audio: Int16Array): Promise<SttResult> {
  const utterance = stt.begin?.();
  if (!utterance) throw new Error("pocketsphinx should decode while the audio arrives");
  for (let offset = 0; offset < audio.length; offset += 512)
    utterance.write(audio.subarray(offset, offset + 512));
  return utterance.end();
}
