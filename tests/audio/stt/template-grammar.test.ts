import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { rejectionRule } from "../../../src/audio/stt/create-speech-to-text.js";
import { compileFsg } from "../../../src/audio/stt/fsg.js";
import { PocketsphinxStt } from "../../../src/audio/stt/pocketsphinx-stt.js";
import type { GrammarSpec, SpeechGrammar, SttResult } from "../../../src/audio/stt/speech-to-text.js";
import { loadConfig } from "../../../src/config/loader.js";
import { pocketsphinxSttSchema } from "../../../src/config/schema.js";
import { resolveStateDir } from "../../../src/config/state-dir.js";
import { silentLogger } from "../../../src/core/logger.js";
import { loadSentences } from "../../../src/intents/sentences.js";
import { buildSpeechGrammar } from "../../../src/intents/speech-grammar.js";
import { registryFromConfig } from "../../../src/registry/from-config.js";
import { languageDifference } from "../../helpers/fsg-language.js";
import { speak } from "../../helpers/speech.js";

/*
 * The real chain from sentence templates to recognition: the built-in English templates and the
 * intent corpus's fixture home compiled by the intents module into a grammar spec, turned into JSGF
 * here, loaded into pocketsphinx, and spoken commands recognised against it.
 */

const fixture = new URL("../../intents/fixtures/home.yaml", import.meta.url).pathname;
let stt: PocketsphinxStt;
/** The same engine on the grammar without its repeated words shared (fsg-minimize.ts). */
let unshared: PocketsphinxStt;
let grammar: SpeechGrammar;
let compileMs = 0;

beforeAll(async () => {
  const loaded = await loadConfig(fixture);
  const registry = registryFromConfig(loaded.config);
  const sentences = await loadSentences(loaded.config.intents, {
    language: "en",
    configDir: loaded.dir,
    stateDir: resolveStateDir(loaded.config, loaded.dir),
  });
  const spec = buildSpeechGrammar(sentences, registry);
  grammar = { spec, hints: spec.hints };
  const config = pocketsphinxSttSchema.parse({});
  const engine = (shareWords: boolean): PocketsphinxStt =>
    new PocketsphinxStt({
      logger: silentLogger(),
      acousticModel: config.acoustic_model,
      dictionary: config.dictionary,
      libraries: { pocketsphinx: config.library, sphinxbase: config.sphinxbase_library },
      rejection: config.rejection,
      rule: rejectionRule(config),
      fsg: { shareWords },
    });
  stt = engine(true);
  await stt.start();
  const started = performance.now();
  await stt.setGrammar(grammar);
  compileMs = performance.now() - started;
  unshared = engine(false);
  await unshared.start();
  await unshared.setGrammar(grammar);
});

afterAll(async () => {
  await stt?.stop();
  await unshared?.stop();
});

/** The best guess, accepted or not: whether it was accepted depends on the threshold, tuned elsewhere. */
function heard(result: SttResult): string | undefined {
  return result.text;
}

describe("the grammar compiled from the sentence templates", () => {
  test("loads into pocketsphinx, names from the registry included", () => {
    const fsg = compileFsg(grammar.spec as GrammarSpec);
    console.info(
      `template grammar: ${fsg.states} states, ${fsg.transitions} word and ${fsg.nullTransitions} null transitions, loaded in ${compileMs.toFixed(0)} ms`,
    );
    expect(fsg.words).toContain("chandelier");
    expect(grammar.hints).toContain("Chandelier");
  });

  test.each([
    "turn on the kitchen light",
    "turn off the chandelier",
    "set the bedroom ceiling light to fifty percent",
    "what time is it",
  ])("hears %j", async (sentence) => {
    expect(heard(await stt.transcribe(await speak(sentence)))).toBe(sentence);
  });

  test("with its repeated words shared: exactly the same sentences, fewer word transitions", () => {
    const spec = grammar.spec as GrammarSpec;
    const shared = compileFsg(spec);
    const plain = compileFsg(spec, "hearth", { shareWords: false });
    // Decided over every sentence, loops included, not a sample of them.
    expect(languageDifference(plain.text, shared.text)).toBeUndefined();
    expect(shared.transitions).toBeLessThan(plain.transitions * 0.9);
    expect(shared.words.sort()).toEqual(plain.words.sort());
    // The check itself tells grammars apart: one transition less is a sentence less.
    const arc = /^TRANSITION \d+ \d+ 1\.0 chandelier$/m.exec(shared.text)?.[0] as string;
    expect(languageDifference(plain.text, shared.text.replace(`${arc}\n`, ""))).toMatchObject({
      acceptedBy: "first",
    });
  });

  test.each([
    "turn on the kitchen light",
    "set the bedroom ceiling light to fifty percent",
    "what time is it",
  ])("pocketsphinx hears %j the same with the words shared or not", async (sentence) => {
    const audio = await speak(sentence);
    const [a, b] = [await stt.transcribe(audio), await unshared.transcribe(audio)];
    // Whether it is accepted depends on the rejection thresholds, tuned on real voices elsewhere;
    // what the sharing must not change is the path heard and the verdict on it.
    expect(heard(a)).toBe(sentence);
    expect(b).toMatchObject({ kind: a.kind, text: a.text });
    // The same best path, so the same score against the phone loop.
    expect(a.confidence).toBe(b.confidence);
  });

  test("rejects chatter", async () => {
    const result = await stt.transcribe(await speak("I think we should go to the park tomorrow afternoon"));
    expect(result.kind).toBe("rejected");
  });
});

describe("a command cut short", () => {
  test.each(["turn on the", "turn off the"])(
    "%j is not taken for a command on whatever was acted on last",
    async (sentence) => {
      // "turn on that" / "turn off it" would switch the last device; English puts a pronoun before
      // the particle ("turn it on"), so the grammar does not offer those orders to the recogniser.
      const result = await stt.transcribe(await speak(sentence));
      if (result.kind === "transcript")
        expect(result.text).not.toMatch(/^turn (on|off) (it|that|this|them)\b/);
    },
  );
});
