import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildJsgf } from "../../../src/audio/stt/jsgf.js";
import {
  PocketsphinxStt,
  readPronunciations,
  TOP_GAUSSIANS,
} from "../../../src/audio/stt/pocketsphinx-stt.js";
import {
  beginTranscription,
  type SpeechToText,
  type SttResult,
} from "../../../src/audio/stt/speech-to-text.js";
import { sttSchema } from "../../../src/config/schema.js";
import { HearthError } from "../../../src/core/errors.js";
import { mapLimit, noise, silence, speak, type Voice, withNoise } from "../../helpers/speech.js";
import { pocketsphinx } from "./engine.js";
import { AREAS, homeGrammar, homeGrammarJsgf, homeGrammarSpec, NOT_COMMANDS } from "./home-grammar.js";

const flite: Voice = { engine: "flite", name: "slt" };
const festival: Voice = { engine: "festival", name: "kal_diphone" };

let stt: SpeechToText;

const engine = pocketsphinx;

/** `audio` from its first word to its last: no lead-in, no tail. */
function tight(audio: Int16Array): Int16Array {
  let start = 0;
  while (start < audio.length && Math.abs(audio[start] as number) < 300) start++;
  let end = audio.length - 1;
  while (end > start && Math.abs(audio[end] as number) < 300) end--;
  // 5 ms either side, so the first and last sounds are whole.
  return audio.slice(Math.max(0, start - 80), end + 80);
}

function text(result: SttResult): string | undefined {
  return result.kind === "transcript" ? result.text : undefined;
}

beforeAll(async () => {
  stt = await engine();
  await stt.setGrammar(homeGrammar());
});

afterAll(async () => {
  await stt?.stop();
});

describe("pocketsphinx speech-to-text", () => {
  test.each([
    ["turn on the kitchen light", flite],
    ["set the office light to fifty percent", flite],
    ["what is the temperature in the bedroom", festival],
    ["lock the front door", festival],
    ["turn the porch light on", flite],
  ])("transcribes %j spoken by a synthetic voice", async (sentence, voice) => {
    const result = await stt.transcribe(await speak(sentence, { voice }));
    expect(text(result)).toBe(sentence);
  });

  test("loads a grammar whose brand names are missing from the dictionary, and hears them", async () => {
    await stt.setGrammar(homeGrammar());
    const sentences = ["turn on the ecobee", "switch off the tradfri bulb", "start the roborock"];
    const results = await mapLimit(sentences, 1, async (sentence) =>
      text(await stt.transcribe(await speak(sentence))),
    );
    expect(results).toEqual(sentences);
  });

  test("rejects speech that is not a command instead of forcing it onto the nearest one", async () => {
    await stt.setGrammar(homeGrammar());
    const sentences = NOT_COMMANDS.slice(0, 6);
    const results = await mapLimit(sentences, 1, async (sentence) =>
      stt.transcribe(await speak(sentence, { voice: flite })),
    );
    expect(results.map((result) => result.kind)).toEqual(sentences.map(() => "rejected"));
  });

  test("rejects silence and noise", async () => {
    const inputs = [
      silence(2),
      await noise("pink", 2, -30),
      await noise("brown", 2, -25),
      new Int16Array(100),
    ];
    for (const audio of inputs) {
      const result = await stt.transcribe(audio);
      expect(result.kind).toBe("rejected");
    }
  });

  test("reports each word with its time in the utterance and a confidence", async () => {
    const result = await stt.transcribe(await speak("open the garage door"));
    expect(result.kind).toBe("transcript");
    if (result.kind !== "transcript") return;
    expect(result.words.map((word) => word.word)).toEqual(["open", "the", "garage", "door"]);
    for (const [i, word] of result.words.entries()) {
      expect(word.end).toBeGreaterThan(word.start);
      if (i > 0) expect(word.start).toBeGreaterThanOrEqual(result.words[i - 1]?.end ?? 0);
    }
    // The utterance's confidence is its words' confidences averaged over their frames.
    const frames = result.words.map((word) => Math.round((word.end - word.start) * 100));
    const weighted = result.words.reduce((sum, word, i) => sum + word.confidence * (frames[i] ?? 0), 0);
    expect(result.confidence).toBeCloseTo(weighted / frames.reduce((a, b) => a + b, 0), 6);
  });

  test("scores the same audio alike however wide the user sets the grammar search", async () => {
    // The confidence compares the grammar search with the phone loop: it has to measure the audio,
    // not how many senones either search happened to compute in a frame. Two fresh engines, since
    // pocketsphinx's front end carries its noise estimate from one utterance to the next.
    const audio = await speak("turn on the kitchen light", { voice: festival });
    const engines = [
      await engine(),
      await engine({ options: { "-beam": "1e-80", "-pbeam": "1e-80", "-wbeam": "1e-60" } }),
    ];
    try {
      const [narrow, broad] = await mapLimit(engines, 1, async (each) => {
        await each.setGrammar(homeGrammar());
        return each.transcribe(audio);
      });
      expect(narrow?.text).toBe("turn on the kitchen light");
      expect(broad?.text).toBe(narrow?.text);
      expect(Math.abs((broad?.confidence ?? 0) - (narrow?.confidence ?? 0))).toBeLessThan(0.5);
    } finally {
      for (const each of engines) await each.stop();
    }
  });

  test("gives the decoder the configured number of Gaussians per codebook, and the user's options the last word", async () => {
    // stt.pocketsphinx.top_gaussians is pocketsphinx's -topn, which decides how far the acoustic
    // model's scores hold up in noise: read back from the decoder's own configuration.
    const engines = [
      await engine(),
      await engine({ top_gaussians: 16 }),
      await engine({ top_gaussians: 16, options: { "-topn": "8" } }),
    ];
    try {
      const topn = engines.map((each) => {
        expect(each).toBeInstanceOf(PocketsphinxStt);
        return (each as PocketsphinxStt).intSetting("-topn");
      });
      expect(TOP_GAUSSIANS).toBe(4);
      expect(topn).toEqual([4, 16, 8]);
      // And commands are heard with 16.
      const more = engines[1] as SpeechToText;
      await more.setGrammar(homeGrammar());
      expect(text(await more.transcribe(await speak("lock the front door", { voice: festival })))).toBe(
        "lock the front door",
      );
    } finally {
      for (const each of engines) await each.stop();
    }
  });

  test("rebuilds the grammar for 500 device names, and the new names are heard", async () => {
    const kinds = [
      "light",
      "lamp",
      "fan",
      "plug",
      "switch",
      "heater",
      "blind",
      "speaker",
      "sensor",
      "outlet",
    ];
    const places = [...AREAS, "attic", "study", "pantry", "nursery", "porch"];
    const extras = ["", "left", "right", "corner", "small", "big", "second", "third", "old"];
    // Made-up brand names: missing from the dictionary, so the first build also generates pronunciations.
    const brands = ["zorvex", "quandle", "blixa", "mervio", "tallux"].map((brand) => `${brand} light`);
    const devices = places
      .flatMap((place) =>
        kinds.flatMap((kind) => extras.map((extra) => `${place} ${extra} ${kind}`.replace(/\s+/g, " "))),
      )
      .slice(0, 495)
      .concat(brands);
    expect(new Set(devices).size).toBe(500);
    expect(devices).toContain("office second speaker");
    let started = performance.now();
    await stt.setGrammar(homeGrammar(devices));
    const firstMs = performance.now() - started;
    // What happens when a device is renamed: the same words, pronunciations already known.
    started = performance.now();
    await stt.setGrammar(homeGrammar([...devices.slice(1), "pantry big blind"]));
    const rebuildMs = performance.now() - started;
    console.info(
      `grammar with 500 devices: first build ${firstMs.toFixed(0)} ms, rebuild ${rebuildMs.toFixed(0)} ms`,
    );
    for (const sentence of ["turn on the quandle light", "switch off the office second speaker"]) {
      expect(text(await stt.transcribe(await speak(sentence)))).toBe(sentence);
    }
  });

  test("the same grammar given as JSGF text is heard the same way", async () => {
    try {
      await stt.setGrammar(homeGrammarJsgf());
      for (const sentence of [
        "switch on the living room fan",
        "set the temperature to seventy two degrees",
      ]) {
        expect(text(await stt.transcribe(await speak(sentence)))).toBe(sentence);
      }
    } finally {
      await stt.setGrammar(homeGrammar());
    }
  });

  test("a grammar that cannot compile is an error and the previous grammar stays in use", async () => {
    await stt.setGrammar(homeGrammar());
    const broken = buildJsgf({ root: "turn on the gizmo", pronunciations: { gizmo: "QQ ZZ" } });
    const error = await stt.setGrammar(broken).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(HearthError);
    expect((error as HearthError).code).toBe("ENGINE_FAILED");
    expect(text(await stt.transcribe(await speak("turn on the kitchen light")))).toBe(
      "turn on the kitchen light",
    );
  });

  test("takes the grammar's words from the configured dictionary file", async () => {
    // A made-up word that only this dictionary knows, pronounced as "kitchen": heard when "kitchen"
    // is said, which shows the file's entries are what the decoder uses.
    const dir = mkdtempSync(join(tmpdir(), "hearth-dict-"));
    try {
      const dictionary = join(dir, "tiny.dict");
      writeFileSync(
        dictionary,
        [
          "turn T ER N",
          "on AA N",
          "on(2) AO N",
          "the DH AH",
          "the(2) DH IY",
          "light L AY T",
          "zorblat K IH CH AH N",
          "garage G ER AA ZH",
          "",
        ].join("\n"),
      );
      const custom = await engine({ dictionary });
      try {
        await custom.setGrammar(
          buildJsgf({ root: { seq: ["turn on the", { alt: ["zorblat", "garage"] }, "light"] } }),
        );
        expect(text(await custom.transcribe(await speak("turn on the kitchen light")))).toBe(
          "turn on the zorblat light",
        );
      } finally {
        await custom.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("reads only the wanted words and all their variants from a dictionary; a missing file is a model error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hearth-dict-"));
    try {
      const dictionary = join(dir, "cmu.dict");
      writeFileSync(dictionary, "lamp L AE M P\nlight L AY T\nread R EH D\nread(2) R IY D\n");
      const found = await readPronunciations(dictionary, ["read", "lamp", "gizmo"]);
      expect(Object.fromEntries(found)).toEqual({ lamp: ["L AE M P"], read: ["R EH D", "R IY D"] });
      const error = await readPronunciations(join(dir, "missing.dict"), ["lamp"]).catch(
        (err: unknown) => err,
      );
      expect((error as HearthError).code).toBe("MODEL_INVALID");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("an explicit pronunciation is used for a word the dictionary already has", async () => {
    // "hue" is in the dictionary as HH Y UW; a second pronunciation must not break the grammar.
    await stt.setGrammar(
      buildJsgf({ ...homeGrammarSpec(["hue lamp", "kitchen light"]), pronunciations: { hue: "HH UW" } }),
    );
    // (The search may leave out the short optional "the": the same command to the templates.)
    expect(text(await stt.transcribe(await speak("turn on the hue lamp")))).toMatch(
      /^turn on (the )?hue lamp$/,
    );
    await stt.setGrammar(homeGrammar());
  });

  test("an aborted signal stops the transcription before it starts", async () => {
    const controller = new AbortController();
    controller.abort(new Error("barge-in"));
    await expect(stt.transcribe(silence(1), { signal: controller.signal })).rejects.toThrow("barge-in");
  });

  test("transcribing before any grammar is set is an engine error", async () => {
    const fresh = await engine();
    try {
      const error = await fresh.transcribe(silence(1)).catch((err: unknown) => err);
      expect((error as HearthError).code).toBe("ENGINE_FAILED");
    } finally {
      await fresh.stop();
    }
  });

  test("with rejection switched off, other speech is forced onto a command (why rejection matters)", async () => {
    const forced = await engine({ rejection: false });
    try {
      await forced.setGrammar(homeGrammar());
      const results = await mapLimit(NOT_COMMANDS.slice(0, 6), 1, async (sentence) =>
        forced.transcribe(await speak(sentence, { voice: flite })),
      );
      expect(results.some((result) => result.kind === "transcript")).toBe(true);
    } finally {
      await forced.stop();
    }
  });

  test("decodes with the shipped transform or the stock model, as the config selects", async () => {
    const command = await speak("lock the front door", { voice: festival });
    const confidences = new Map<string, number | undefined>();
    for (const adaptation of ["none", "builtin"]) {
      const selected = await engine({ adaptation });
      try {
        await selected.setGrammar(homeGrammar());
        const result = await selected.transcribe(command);
        expect(text(result)).toBe("lock the front door");
        confidences.set(adaptation, result.confidence);
      } finally {
        await selected.stop();
      }
    }
    // The transform moves the model's means, so the same audio scores differently.
    expect(confidences.get("builtin")).not.toBe(confidences.get("none"));
    // The default engine (stt above) decodes with the default adaptation.
    const defaultSetting = sttSchema.parse({ engine: "pocketsphinx" }).pocketsphinx.adaptation;
    await stt.setGrammar(homeGrammar());
    expect((await stt.transcribe(command)).confidence).toBe(confidences.get(defaultSetting));
  });

  test("an adaptation file that cannot be read is a MODEL_INVALID error", async () => {
    const error = await engine({ adaptation: "/nonexistent/transform.mllr" }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(HearthError);
    expect((error as HearthError).code).toBe("MODEL_INVALID");
  });

  test("adapted means of the wrong size are one clear MODEL_INVALID error, and the process goes on", async () => {
    // pocketsphinx itself would end the whole process on them (sphinxbase's E_FATAL).
    const dir = mkdtempSync(join(tmpdir(), "hearth-adapted-"));
    try {
      writeFileSync(join(dir, "means"), "s3\nversion 1.0\nendhdr\n");
      writeFileSync(join(dir, "variances"), "s3\nversion 1.0\nendhdr\n");
      const error = await engine({ adaptation: dir }).catch((err: unknown) => err);
      expect(error).toBeInstanceOf(HearthError);
      expect((error as HearthError).code).toBe("MODEL_INVALID");
      expect((error as HearthError).message).toContain(`stt.pocketsphinx.adaptation: ${join(dir, "means")}`);
      // Still here, and the engine already running still decodes.
      await stt.setGrammar(homeGrammar());
      expect(text(await stt.transcribe(await speak("lock the front door", { voice: festival })))).toBe(
        "lock the front door",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("hears a recording cut tight at its first word in steady noise, whatever was decoded before it", async () => {
    await stt.setGrammar(homeGrammar());
    // No room before the words: the front end's noise estimate, fresh for each recording, would
    // start from speech; it starts from the recording's own quietest stretch instead. (From its
    // first frame, pocketsphinx heard this one as "turn on kitchen light".)
    const command = await withNoise(
      tight(await speak("turn on the kitchen light", { voice: flite })),
      "brown",
      5,
    );
    const first = await stt.transcribe(command);
    expect(text(first)).toBe("turn on the kitchen light");
    await stt.transcribe(
      await withNoise(await speak("lock the front door", { voice: festival }), "white", 0),
    );
    const again = await stt.transcribe(command);
    expect(again.confidence).toBe(first.confidence);
  });

  test("a missing acoustic model is a MODEL_INVALID error", async () => {
    const error = await engine({ acoustic_model: "/nonexistent/model" }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(HearthError);
    expect((error as HearthError).code).toBe("MODEL_INVALID");
  });
});

describe("pocketsphinx while the user speaks (streaming)", () => {
  /** Writes `audio` in 32 ms pieces, as the segmenter hands them over, yielding between pieces. */
  async function stream(audio: Int16Array): Promise<SttResult> {
    const utterance = stt.begin?.();
    if (!utterance) throw new Error("pocketsphinx should decode while the audio arrives");
    for (let offset = 0; offset < audio.length; offset += 512) {
      utterance.write(audio.subarray(offset, offset + 512));
      if (offset % 4096 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    return utterance.end();
  }

  test("tells what it has heard so far while the command is being spoken", async () => {
    await stt.setGrammar(homeGrammar());
    const audio = await speak("turn on the kitchen light", { voice: flite });
    const utterance = stt.begin?.();
    if (!utterance) throw new Error("no streaming");
    const seen: string[] = [];
    for (let offset = 0; offset < audio.length; offset += 512) {
      utterance.write(audio.subarray(offset, offset + 512));
      // As fast as it decodes, on any machine.
      await utterance.drained?.();
      const partial = utterance.partial?.();
      if (partial !== undefined && partial !== seen.at(-1)) seen.push(partial);
    }
    expect(text(await utterance.end())).toBe("turn on the kitchen light");
    // Guesses grow as the words come, and the last one is the whole command.
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toBe("turn on the kitchen light");
  });

  test("hears a command written in pieces the same as the whole recording", async () => {
    await stt.setGrammar(homeGrammar());
    for (const [sentence, voice] of [
      ["turn on the kitchen light", flite],
      ["lock the front door", festival],
    ] as const) {
      const audio = await speak(sentence, { voice });
      expect(text(await stream(audio))).toBe(sentence);
      expect(text(await stt.transcribe(audio))).toBe(sentence);
    }
  });

  test("an utterance is heard the same however its first moments were handed over", async () => {
    await stt.setGrammar(homeGrammar());
    const audio = await speak("turn on the kitchen light", { voice: festival });
    // The segmenter hands over its pre-roll and the first speech at once, a file may come in any
    // pieces: the cepstral mean is measured on the same first stretch of the utterance either way.
    const results: SttResult[] = [];
    for (const first of [1600, 4800, 9216, 16000]) {
      const utterance = stt.begin?.();
      if (!utterance) throw new Error("no streaming");
      utterance.write(audio.subarray(0, first));
      for (let offset = first; offset < audio.length; offset += 512) {
        await utterance.drained?.();
        utterance.write(audio.subarray(offset, offset + 512));
      }
      results.push(await utterance.end());
    }
    expect(text(results[0] as SttResult)).toBe("turn on the kitchen light");
    for (const result of results.slice(1)) expect(result).toEqual({ ...results[0], ms: result.ms });
  });

  test("an utterance is heard the same whatever the engine heard before it, whole or in pieces", async () => {
    await stt.setGrammar(homeGrammar());
    const command = await speak("turn on the kitchen light", { voice: festival });
    // Loud speech in loud noise moves pocketsphinx's running cepstral mean and noise estimate.
    const loud = await withNoise(
      Int16Array.from(await speak("lock the front door", { voice: flite }), (s) => s * 3),
      "brown",
      3,
    );
    const before = { streamed: await stream(command), whole: await stt.transcribe(command) };
    await stream(loud);
    await stt.transcribe(loud);
    const after = { streamed: await stream(command), whole: await stt.transcribe(command) };
    expect(text(before.streamed)).toBe("turn on the kitchen light");
    for (const way of ["streamed", "whole"] as const) {
      expect(after[way].confidence).toBe(before[way].confidence);
      expect(after[way].kind === "transcript" && after[way].words).toEqual(
        before[way].kind === "transcript" && before[way].words,
      );
    }
  });

  test("other speech and silence written in pieces are rejected too", async () => {
    await stt.setGrammar(homeGrammar());
    const other = await speak(NOT_COMMANDS[0] as string, { voice: flite });
    expect((await stream(other)).kind).toBe("rejected");
    const quiet = await stream(silence(1.5));
    expect(quiet.kind).toBe("rejected");
    // Less than a tenth of a second is not worth decoding.
    expect(await stream(new Int16Array(800))).toMatchObject({ kind: "rejected", reason: "no-speech" });
  });

  test("holds the engine until it ends: a transcription asked for meanwhile waits, then runs", async () => {
    await stt.setGrammar(homeGrammar());
    const audio = await speak("open the garage door");
    const utterance = stt.begin?.();
    if (!utterance) throw new Error("no streaming");
    utterance.write(audio.subarray(0, audio.length >> 1));
    let whole: string | undefined;
    const waiting = stt.transcribe(audio).then((result) => {
      whole = text(result);
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(whole).toBeUndefined();
    utterance.write(audio.subarray(audio.length >> 1));
    expect(text(await utterance.end())).toBe("open the garage door");
    await waiting;
    expect(whole).toBe("open the garage door");
    await expect(utterance.end()).rejects.toThrow(/already ended/);
  });

  test("with streaming off, the audio is collected and decoded whole when the utterance ends", async () => {
    const whole = await engine({ streaming: false });
    try {
      expect(whole.begin).toBeUndefined();
      await whole.setGrammar(homeGrammar());
      const utterance = beginTranscription(whole);
      const audio = await speak("lock the front door", { voice: festival });
      for (let offset = 0; offset < audio.length; offset += 512)
        utterance.write(audio.subarray(offset, offset + 512));
      expect(text(await utterance.end())).toBe("lock the front door");
    } finally {
      await whole.stop();
    }
  });

  test("a cancelled utterance gives no result and frees the engine for the next one", async () => {
    await stt.setGrammar(homeGrammar());
    const utterance = stt.begin?.();
    if (!utterance) throw new Error("no streaming");
    utterance.write(await speak("turn off the bedroom fan"));
    utterance.cancel();
    utterance.cancel();
    utterance.write(silence(1));
    expect(text(await stream(await speak("lock the front door", { voice: festival })))).toBe(
      "lock the front door",
    );
  });
});
