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

/**
 * Two decoders hear two synthetic sentences alike, whole and streamed (the cepstral mean measured on
 * the utterance's first half second), and the first hears them right.
 */
async function expectSameHearing(reference: PocketsphinxDecoder, other: PocketsphinxDecoder): Promise<void> {
  for (const sentence of ["turn on the kitchen light", "turn off the porch light"]) {
    const audio = await speak(sentence);
    const background = audio.subarray(0, 4800);
    const expected = await reference.decode(audio, background);
    expect(expected.hypothesis).toBe(sentence);
    expect(await other.decode(audio, background)).toEqual(expected);
    const streamed = [];
    for (const each of [reference, other]) {
      each.resetChannel(100);
      await each.warmUp(audio.subarray(0, 8800));
      each.begin();
      await each.process(audio);
      streamed.push(await each.finish());
    }
    expect(streamed[1]).toEqual(streamed[0]);
  }
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
      await expectSameHearing(unswitchable, switched);
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

  it("keeps a grammar's transitions in tables of the size they need, and hears exactly as before", async () => {
    // turn (on | off) the (kitchen | porch) light, with a null transition to the final state.
    const fsg = join(dir, "t.fsg");
    writeFileSync(
      fsg,
      [
        "FSG_BEGIN t",
        "NUM_STATES 7",
        "START_STATE 0",
        "FINAL_STATE 1",
        "TRANSITION 0 2 1.0 turn",
        "TRANSITION 2 3 0.5 on",
        "TRANSITION 2 3 0.5 off",
        "TRANSITION 3 4 1.0 the",
        "TRANSITION 4 5 0.5 kitchen",
        "TRANSITION 4 5 0.5 porch",
        "TRANSITION 5 6 1.0 light",
        "TRANSITION 6 1 1.0",
        "FSG_END",
        "",
      ].join("\n"),
    );
    const made = (library: PocketsphinxLibrary): PocketsphinxDecoder => {
      const one = new PocketsphinxDecoder(library, join(dir, "pocketsphinx.log"));
      one.init(["-hmm", model, "-dict", join(dir, "empty.dict"), "-compallsen", "yes"]);
      for (const [word, phones] of Object.entries(WORDS)) one.addWord(word, phones);
      return one;
    };
    // As sphinxbase leaves them: 101 buckets for each state's one or two transitions.
    const stock = made({ ...lib, compactFsg: () => undefined });
    const compact = made(lib);
    try {
      expect(stock.setFsg("t", fsg)).toBeUndefined();
      // Five states with word transitions and one with a null transition, 3 buckets each now, and
      // a small table for the silence loops of each of the two states without word transitions.
      expect(compact.setFsg("t", fsg)).toEqual({ tables: 8, bytes: 8 * (101 - 3) * 32 });
      await expectSameHearing(stock, compact);
    } finally {
      stock.free();
      compact.free();
    }
  });

  it("leaves an FSG alone when it is not the one Hearth wrote", async () => {
    const args = ["-hmm", model, "-dict", join(dir, "empty.dict"), "-logfn", join(dir, "pocketsphinx.log")];
    const config = lib.cmd_ln_parse_r(null, lib.ps_args(), args.length, args, 1);
    const ps = config ? lib.ps_init(config) : null;
    if (!config || !ps) throw new Error("pocketsphinx did not start");
    try {
      for (const [word, phones] of Object.entries(WORDS)) lib.ps_add_word(ps, word, phones, 1);
      const fsg = join(dir, "one.fsg");
      writeFileSync(
        fsg,
        "FSG_BEGIN one\nNUM_STATES 2\nSTART_STATE 0\nFINAL_STATE 1\nTRANSITION 0 1 1.0 light\nFSG_END\n",
      );
      const logmath = lib.ps_get_logmath(ps);
      const model = lib.fsg_model_readfile(fsg, logmath, 6.5);
      if (!model) throw new Error("pocketsphinx did not read the FSG");
      try {
        const shape = { states: 2, start: 0, final: 1, logmath, fillers: false };
        expect(lib.compactFsg(model, { ...shape, states: 3 })).toBeUndefined();
        expect(lib.compactFsg(model, { ...shape, start: 1, final: 0 })).toBeUndefined();
        expect(lib.compactFsg(model, shape)).toEqual({ tables: 1, bytes: (101 - 3) * 32 });
        // With silence loops to come, the final state gets a small table for them.
        expect(lib.compactFsg(model, { ...shape, fillers: true })).toEqual({
          tables: 1,
          bytes: (101 - 3) * 32,
        });
      } finally {
        lib.fsg_model_free(model);
      }
    } finally {
      lib.ps_free(ps);
      lib.cmd_ln_free_r(config);
    }
  });
});
