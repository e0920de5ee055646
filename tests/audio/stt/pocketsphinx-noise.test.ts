import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { SpeechToText, SttResult } from "../../../src/audio/stt/speech-to-text.js";
import { mapLimit, silence, speak, type Voice, withNoise } from "../../helpers/speech.js";
import { decodeStreamed, pocketsphinx } from "./engine.js";
import { homeGrammar } from "./home-grammar.js";

/*
 * stt.pocketsphinx.noise_suppression on real pocketsphinx: synthetic commands in a room's steady
 * rumble (sox pink noise, low-passed and reverberated) at 5 dB SNR, with half a second of the
 * room before and after, as the VAD's pre-roll and the end of an utterance give it.
 */

const flite: Voice = { engine: "flite", name: "slt" };
const festival: Voice = { engine: "festival", name: "kal_diphone" };
const COMMANDS: ReadonlyArray<readonly [string, Voice]> = [
  ["turn on the kitchen light", flite],
  ["turn on the kitchen light", festival],
  ["lock the front door", flite],
  ["lock the front door", festival],
  ["set the office light to fifty percent", flite],
];

let plain: SpeechToText;
let suppressing: SpeechToText;

/** The command with the room before and after it, in the room's noise at `snr` dB. */
async function inRoom(sentence: string, voice: Voice, seed: number): Promise<Int16Array> {
  const pad = silence(0.5);
  const said = await speak(sentence, { voice });
  const audio = new Int16Array(pad.length * 2 + said.length);
  audio.set(said, pad.length);
  return withNoise(audio, "room", 5, seed);
}

const text = (result: SttResult): string | undefined =>
  result.kind === "transcript" ? result.text : undefined;
/** The words decoded, accepted or rejected for their confidence. */
const words = (result: SttResult): string | undefined => result.text;

beforeAll(async () => {
  plain = await pocketsphinx({}, homeGrammar());
  suppressing = await pocketsphinx({ noise_suppression: true }, homeGrammar());
});

afterAll(async () => {
  await plain?.stop();
  await suppressing?.stop();
});

describe("pocketsphinx with noise suppression", () => {
  test("hears commands in a room's steady noise that it does not hear without it", async () => {
    const heard = await mapLimit([...COMMANDS.entries()], 1, async ([i, [sentence, voice]]) => {
      const audio = await inRoom(sentence, voice, 1 + i);
      const whole = await suppressing.transcribe(audio);
      return {
        sentence,
        streamed: text(await decodeStreamed(suppressing, audio)),
        whole: text(whole),
        wholeWords: words(whole),
        without: words(await decodeStreamed(plain, audio)),
        withoutWhole: words(await plain.transcribe(audio)),
      };
    });
    const right = (way: "streamed" | "whole" | "wholeWords" | "without" | "withoutWhole"): number =>
      heard.filter((h) => h[way] === h.sentence).length;
    const seen = JSON.stringify(heard);
    // Decoded as they are spoken, more of the commands are heard with it than without it (the
    // cepstral mean measured on the utterance's first 800 ms already hears one without it).
    expect(right("streamed"), seen).toBeGreaterThanOrEqual(2);
    expect(right("without"), seen).toBeLessThan(right("streamed"));
    // Decoded whole (the noise estimate begun on the quietest stretch), most of the commands' words
    // are found with it, two fewer at least without it; at 5 dB the rejection keeps some out.
    expect(right("wholeWords"), seen).toBeGreaterThanOrEqual(4);
    expect(right("withoutWhole"), seen).toBeLessThanOrEqual(right("wholeWords") - 2);
    expect(right("whole"), seen).toBeGreaterThanOrEqual(2);
    // Twenty decodes of noisy audio, a minute on a busy two-core machine.
  }, 300_000);

  test("hears a clean command as it does without it", async () => {
    for (const [sentence, voice] of COMMANDS.slice(0, 3)) {
      const audio = await speak(sentence, { voice });
      expect(text(await decodeStreamed(suppressing, audio))).toBe(sentence);
      expect(text(await suppressing.transcribe(audio))).toBe(sentence);
    }
  });

  test("takes nothing in the room's noise alone for a command", async () => {
    const room = await withNoise(await speak("lock the front door", { voice: flite }), "room", 5, 9);
    // The noise bed alone: the command's samples taken out again leave the room.
    const said = await speak("lock the front door", { voice: flite });
    const noiseOnly = Int16Array.from(room, (s, i) => s - (said[i] as number));
    expect((await decodeStreamed(suppressing, noiseOnly)).kind).toBe("rejected");
    expect((await suppressing.transcribe(noiseOnly)).kind).toBe("rejected");
  });
});
