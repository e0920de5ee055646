import { beforeAll, describe, expect, test } from "vitest";
import {
  GrammarSnapper,
  phoneticKey,
  type Snap,
  type SnapRefusal,
  transcriptWords,
  wordCost,
} from "../../../src/audio/stt/grammar-snap.js";
import { loadConfig } from "../../../src/config/loader.js";
import { resolveStateDir } from "../../../src/config/state-dir.js";
import { loadSentences } from "../../../src/intents/sentences.js";
import { buildSpeechGrammar } from "../../../src/intents/speech-grammar.js";
import { TemplateRecognizer } from "../../../src/intents/template-recognizer.js";
import { registryFromConfig } from "../../../src/registry/from-config.js";

/*
 * Snapping whisper's free text to real home grammars: the built-in English templates with the
 * intent corpus's fixture home, and the coffee-order domain of bench/coffee/hearth.yaml, each
 * compiled by the intents module exactly as the daemon compiles it for pocketsphinx. Transcripts
 * are the kind of near misses a free-form recogniser writes, and speech that is no command.
 */

interface Home {
  snapper: GrammarSnapper;
  recognizer: TemplateRecognizer;
}

async function home(configPath: string, maxDistance = 0.35): Promise<Home> {
  const loaded = await loadConfig(configPath);
  const registry = registryFromConfig(loaded.config);
  const sentences = await loadSentences(loaded.config.intents, {
    language: "en",
    configDir: loaded.dir,
    stateDir: resolveStateDir(loaded.config, loaded.dir),
  });
  const spec = buildSpeechGrammar(sentences, registry);
  return {
    snapper: new GrammarSnapper(spec, { maxDistance }),
    recognizer: new TemplateRecognizer({ sentences, registry, fuzzyThreshold: 0.8 }),
  };
}

function sentence(result: Snap | SnapRefusal): string | undefined {
  return "sentence" in result ? result.sentence : undefined;
}

let fixtureHome: Home;
let coffee: Home;

beforeAll(async () => {
  fixtureHome = await home(new URL("../../intents/fixtures/home.yaml", import.meta.url).pathname);
  coffee = await home(new URL("../../../bench/coffee/hearth.yaml", import.meta.url).pathname);
}, 60_000);

describe("word costs", () => {
  test("words that sound alike cost little, unrelated words as much as dropping one and adding another", () => {
    expect(phoneticKey("two")).toBe(phoneticKey("to"));
    expect(phoneticKey("lite")).toBe(phoneticKey("light"));
    expect(phoneticKey("four")).toBe(phoneticKey("for"));
    expect(wordCost("light", "light")).toBe(0);
    expect(wordCost("lite", "light")).toBe(0.2);
    expect(wordCost("kitchens", "kitchen")).toBeLessThan(0.5);
    expect(wordCost("pours", "pause")).toBeLessThan(0.6);
    expect(wordCost("on", "off")).toBeGreaterThan(0.6);
    // Unlike words are no mishearing: a dropped word and an added one.
    expect(wordCost("temperature", "lamp")).toBe(2);
    expect(wordCost("banana", "thermostat")).toBe(2);
    expect(wordCost("banana", "ben")).toBe(2);
  });

  test("a transcript's digits, percentages and punctuation are spelt as the grammar spells them", () => {
    expect(transcriptWords("Set the lamp to 50%.")).toEqual(["set", "the", "lamp", "to", "fifty", "percent"]);
    expect(transcriptWords("Set a timer for 105 minutes!")).toEqual([
      "set",
      "a",
      "timer",
      "for",
      "one",
      "hundred",
      "five",
      "minutes",
    ]);
    expect(transcriptWords("Set it to 21.5 degrees")).toEqual([
      "set",
      "it",
      "to",
      "twenty",
      "one",
      "point",
      "five",
      "degrees",
    ]);
    expect(transcriptWords("What's the time?")).toEqual(["what's", "the", "time"]);
  });
});

describe("snapping to the fixture home's grammar", () => {
  test.each([
    ["Turn on the kitchen lite.", "turn on the kitchen light"],
    ["Turn the porch lite off.", "turn the porch light off"],
    ["Pours the music.", "pause the music"],
    ["Set a timer for 5 minutes.", "set a timer for five minutes"],
    ["Set the bedroom lamp to 50%", "set the bedroom lamp to fifty percent"],
    ["Turn on the christmass tree", "turn on the christmas tree"],
    ["Open the garage dor.", "open the garage door"],
    ["Never mind.", "never mind"],
    ["Next.", "next"],
  ])("%j is heard as %j, which the templates understand", (text, expected) => {
    const result = fixtureHome.snapper.snap(text);
    expect(sentence(result)).toBe(expected);
    expect((result as Snap).distance).toBeLessThanOrEqual(0.35);
    expect(fixtureHome.recognizer.recognize(expected).understanding.kind).toBe("recognized");
  });

  test("a sentence of the grammar snaps to itself at distance 0", () => {
    expect(fixtureHome.snapper.snap("turn off the living room lamp")).toEqual({
      sentence: "turn off the living room lamp",
      cost: 0,
      distance: 0,
    });
  });

  test.each([
    "I think we should order pizza tonight",
    "A cheddar block.",
    "Emergency",
    "Computer",
    "Tablecloth",
    "The weather was lovely at the seaside yesterday",
    "the the the the the the",
  ])("other speech, %j, is refused", (text) => {
    expect(sentence(fixtureHome.snapper.snap(text))).toBeUndefined();
  });

  test("a refusal keeps the nearest sentence it found, for the log", () => {
    // No device is called anything like "helicopter": one word of four is another word.
    const result = fixtureHome.snapper.snap("Turn on the helicopter.");
    expect("sentence" in result).toBe(false);
    const nearest = (result as SnapRefusal).nearest;
    expect(nearest?.sentence).toMatch(/^turn on the /);
    expect(nearest?.distance).toBeGreaterThan(0.35);
  });

  test("text with no words is refused without a search", () => {
    expect(fixtureHome.snapper.snap(" ... ")).toEqual({});
  });
});

describe("snapping to the coffee-order grammar", () => {
  test.each([
    ["Can I get a large latte please?", "large latte"],
    ["I'd like a small cappucino", "small"],
    ["A medium americano with sugar", "americano"],
  ])("%j snaps to an order the templates understand", (text, part) => {
    const snapped = sentence(coffee.snapper.snap(text));
    expect(snapped).toContain(part);
    const understanding = coffee.recognizer.recognize(snapped as string).understanding;
    expect(understanding.kind).toBe("recognized");
  });

  test("a sentence from the home grammar is no coffee order", () => {
    expect(sentence(coffee.snapper.snap("turn on the kitchen light"))).toBeUndefined();
  });
});

describe("the distance threshold", () => {
  test("0 accepts the grammar's sentences only, word for word", async () => {
    const strict = await home(new URL("../../intents/fixtures/home.yaml", import.meta.url).pathname, 0);
    expect(sentence(strict.snapper.snap("Turn on the kitchen light."))).toBe("turn on the kitchen light");
    expect(sentence(strict.snapper.snap("Turn on the kitchen lite."))).toBeUndefined();
  }, 60_000);
});
