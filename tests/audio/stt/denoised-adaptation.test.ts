import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { RnnoiseDenoiser } from "../../../src/audio/denoise/rnnoise-denoiser.js";
import type { SpeechToText } from "../../../src/audio/stt/speech-to-text.js";
import { mapLimit, silence, speak, type Voice, withNoise } from "../../helpers/speech.js";
import { decodeStreamed, pocketsphinx } from "./engine.js";
import { homeGrammar } from "./home-grammar.js";

/*
 * stt.pocketsphinx.adaptation: builtin-denoised on real pocketsphinx, with audio.denoise on:
 * synthetic commands in a room's noise at 6 dB SNR, through RNNoise as the listening loop hears
 * them (15 % of the original mixed back in), decoded while they arrive.
 */

const flite: Voice = { engine: "flite", name: "slt" };
const festival: Voice = { engine: "festival", name: "kal_diphone" };
const COMMANDS: ReadonlyArray<readonly [string, Voice]> = [
  ["turn on the kitchen light", flite],
  ["turn on the kitchen light", festival],
  ["lock the front door", flite],
  ["set the office light to fifty percent", festival],
];

const denoiser = new RnnoiseDenoiser({ dry: 0.15 });
let adapted: SpeechToText;

/**
 * The command with a second of the room before it and half a second after, in the room's noise at
 * 6 dB, denoised by a fresh stream with its delay taken out.
 */
async function denoisedInRoom(sentence: string, voice: Voice, seed: number): Promise<Int16Array> {
  const before = silence(1);
  const said = await speak(sentence, { voice });
  const audio = new Int16Array(before.length + said.length + before.length / 2);
  audio.set(said, before.length);
  const noisy = await withNoise(audio, "room", 6, seed);
  const stream = denoiser.begin();
  const padded = new Int16Array(noisy.length + stream.latencySamples);
  padded.set(noisy);
  const out = stream.process(padded);
  stream.close();
  // From half a second before the words: the VAD's pre-roll and what RNNoise settled on.
  return out.subarray(stream.latencySamples + before.length / 2);
}

/** The words that make the command: an article dropped in noise changes nothing the home does. */
const gist = (sentence: string): string =>
  sentence
    .split(" ")
    .filter((w) => w !== "the")
    .join(" ");

beforeAll(async () => {
  await denoiser.start();
  adapted = await pocketsphinx({ adaptation: "builtin-denoised" }, homeGrammar());
});

afterAll(async () => {
  await adapted?.stop();
  await denoiser.stop();
});

describe("the acoustic model adapted to denoised speech", () => {
  test("hears denoised commands said in a room's noise at 6 dB", async () => {
    const heard = await mapLimit([...COMMANDS.entries()], 1, async ([i, [sentence, voice]]) => {
      const result = await decodeStreamed(adapted, await denoisedInRoom(sentence, voice, 11 + i));
      return { sentence, heard: result.kind === "transcript" ? gist(result.text) : `(${result.reason})` };
    });
    expect(heard).toEqual(COMMANDS.map(([sentence]) => ({ sentence, heard: gist(sentence) })));
  }, 120_000);
});
