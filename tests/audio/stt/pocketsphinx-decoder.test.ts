import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PocketsphinxDecoder } from "../../../src/audio/stt/pocketsphinx-decoder.js";
import { loadPocketsphinx, type PocketsphinxLibrary } from "../../../src/audio/stt/pocketsphinx-library.js";
import { CMU_PHONES } from "../../../src/audio/stt/pronunciations.js";
import { sttSchema } from "../../../src/config/schema.js";
import { silence, speak, withNoise } from "../../helpers/speech.js";

const JSGF = "#JSGF V1.0;\ngrammar t;\npublic <c> = turn (on | off) the (kitchen | porch) light;\n";
const WORDS = {
  turn: "T ER N",
  on: "AA N",
  off: "AO F",
  the: "DH AH",
  kitchen: "K IH CH AH N",
  porch: "P AO R CH",
  light: "L AY T",
};

let dir: string;
let lib: PocketsphinxLibrary;
let model: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "hearth-decoder-test-"));
  writeFileSync(join(dir, "empty.dict"), "");
  writeFileSync(
    join(dir, "phones.dict"),
    CMU_PHONES.map((phone) => `${loopWord(phone)} ${phone}\n`).join(""),
  );
  const { pocketsphinx } = sttSchema.parse({ engine: "pocketsphinx" });
  model = pocketsphinx.acoustic_model;
  lib = await loadPocketsphinx({
    pocketsphinx: pocketsphinx.library,
    sphinxbase: pocketsphinx.sphinxbase_library,
  });
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const loopWord = (phone: string): string => `ph_${phone.toLowerCase()}`;
const LOOP_JSGF = `#JSGF V1.0;\ngrammar phones;\npublic <loop> = (${CMU_PHONES.map(loopWord).join(" | ")})+;\n`;
/** The phone loop's options, narrower than the grammar's (as pocketsphinx-stt.ts sets them). */
const loopArgs = (): string[] => [
  "-hmm",
  model,
  "-dict",
  join(dir, "phones.dict"),
  "-compallsen",
  "yes",
  "-maxhmmpf",
  "300",
  "-beam",
  "1e-20",
  "-pbeam",
  "1e-20",
  "-wbeam",
  "1e-15",
];

/** A decoder as the engine makes its grammar decoder: every senone scored, so scores compare. */
function decoder(library: PocketsphinxLibrary): PocketsphinxDecoder {
  const made = new PocketsphinxDecoder(library, join(dir, "pocketsphinx.log"));
  made.init(["-hmm", model, "-dict", join(dir, "empty.dict"), "-compallsen", "yes"]);
  for (const [word, phones] of Object.entries(WORDS)) made.addWord(word, phones);
  made.setGrammar("t", JSGF);
  return made;
}

describe("pocketsphinx's decoder", () => {
  it("measures the background without scoring every senone, and scores them all again to decode", async () => {
    const measuring: Array<boolean | undefined> = [];
    let watched: PocketsphinxDecoder | undefined;
    const watching: PocketsphinxLibrary = {
      ...lib,
      processRawAsync: (ps, data, samples, noSearch, fullUtt) => {
        // no_search: the front end alone, as measuring runs it.
        measuring.push(noSearch === 1 ? watched?.scoresEverySenone : undefined);
        return lib.processRawAsync(ps, data, samples, noSearch, fullUtt);
      },
    };
    watched = decoder(watching);
    try {
      expect(watched.scoresEverySenone).toBe(true);
      const audio = await speak("turn on the kitchen light");
      await watched.decode(audio, silence(0.6));
      await watched.warmUp(audio.subarray(0, 8800));
      expect(measuring.filter((all) => all !== undefined)).toEqual([false, false]);
      expect(watched.scoresEverySenone).toBe(true);
    } finally {
      watched.free();
    }
  });

  it("hears an utterance exactly as when every measured frame was scored in full", async () => {
    // A library whose acoustic model Hearth cannot reach scores every senone while measuring too.
    const unswitchable = decoder({ ...lib, scoreAll: () => undefined });
    const switched = decoder(lib);
    try {
      expect(unswitchable.scoresEverySenone).toBeUndefined();
      for (const sentence of ["turn on the kitchen light", "turn off the porch light"]) {
        const audio = await speak(sentence);
        const background = audio.subarray(0, 4800);
        const expected = await unswitchable.decode(audio, background);
        expect(expected.hypothesis).toBe(sentence);
        expect(await switched.decode(audio, background)).toEqual(expected);
        // Streamed, with the cepstral mean measured on the utterance's first half second.
        const streamed = [];
        for (const each of [unswitchable, switched]) {
          each.resetChannel(100);
          await each.warmUp(audio.subarray(0, 8800));
          each.begin();
          await each.process(audio);
          streamed.push(await each.finish());
        }
        expect(streamed[1]).toEqual(streamed[0]);
      }
    } finally {
      unswitchable.free();
      switched.free();
    }
  });

  it("runs the phone loop on the grammar's frames with the phone loop's own beams, as a decoder of its own does", async () => {
    const grammar = decoder(lib);
    for (const phone of CMU_PHONES) grammar.addWord(loopWord(phone), phone);
    expect(grammar.addCompanion("phones", LOOP_JSGF, loopArgs())).toBe(true);
    const own = new PocketsphinxDecoder(lib, join(dir, "loop.log"));
    own.init(loopArgs());
    own.setGrammar("phones", LOOP_JSGF);
    try {
      const command = await speak("turn off the porch light");
      // Noise widens both searches, where their beams and their limits of HMMs per frame tell.
      for (const audio of [command, await withNoise(command, "pink", 5)]) {
        const background = audio.subarray(0, 4800);
        const whole = await grammar.decode(audio, background);
        expect(whole.companion).toEqual(await own.decode(audio, background));
        expect(whole.companion?.hypothesis).toMatch(/^(ph_\w+ ?)+$/);
        for (const piece of [512, 4000]) {
          const streamed = [];
          for (const each of [grammar, own]) {
            each.resetChannel(100);
            await each.warmUp(audio.subarray(0, 8800));
            each.begin();
            for (let at = 0; at < audio.length; at += piece)
              await each.process(audio.subarray(at, at + piece));
            streamed.push(await each.finish());
          }
          expect(streamed[0]?.hypothesis).toBe(whole.hypothesis);
          expect(streamed[0]?.companion).toEqual(streamed[1]);
        }
      }
    } finally {
      grammar.free();
      own.free();
    }
  });
});
