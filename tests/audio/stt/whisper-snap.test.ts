import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createSpeechToText } from "../../../src/audio/stt/create-speech-to-text.js";
import { transcriptWords } from "../../../src/audio/stt/grammar-snap.js";
import type { GrammarSpec, SpeechToText } from "../../../src/audio/stt/speech-to-text.js";
import { WhisperStt } from "../../../src/audio/stt/whisper-stt.js";
import { loadConfig } from "../../../src/config/loader.js";
import { sttSchema, whisperSttSchema } from "../../../src/config/schema.js";
import { resolveStateDir } from "../../../src/config/state-dir.js";
import { silentLogger } from "../../../src/core/logger.js";
import { loadSentences } from "../../../src/intents/sentences.js";
import { buildSpeechGrammar } from "../../../src/intents/speech-grammar.js";
import { registryFromConfig } from "../../../src/registry/from-config.js";
import { makeWhisperModel } from "../../helpers/make-whisper-model.js";

/*
 * Snapping and rejection applied to what the native binding really returns: the whisper engine as
 * the daemon builds it (createSpeechToText), on a random-weight model in whisper.cpp's format (no
 * real model can be downloaded here), with the fixture home's real speech grammar. Random weights
 * write gibberish; that gibberish must be rejected, never handed on as a command.
 */

let dir: string;
let homeSpec: GrammarSpec;
let hints: string[];
const engines: SpeechToText[] = [];

/** A deterministic second of speech-like sound (a buzz with harmonics and syllable-rate loudness). */
function utterance(seconds: number): Int16Array {
  const samples = new Int16Array(Math.round(seconds * 16000));
  for (let i = 0; i < samples.length; i++) {
    const t = i / 16000;
    const envelope = 0.5 + 0.5 * Math.sin(2 * Math.PI * 4 * t);
    const voice = Math.sin(2 * Math.PI * 120 * t) + 0.6 * Math.sin(2 * Math.PI * 480 * t);
    samples[i] = Math.round(envelope * 6000 * voice);
  }
  return samples;
}

async function whisper(config: Record<string, unknown> = {}): Promise<SpeechToText> {
  const stt = await createSpeechToText(
    sttSchema.parse({ engine: "whisper", whisper: { model: "ggml-random.bin", threads: 1, ...config } }),
    { logger: silentLogger(), baseDir: dir },
  );
  engines.push(stt);
  await stt.start();
  return stt;
}

/** What the binding itself writes for `audio` with the home's names as prompt, before any snapping. */
async function rawText(audio: Int16Array): Promise<string> {
  const raw = new WhisperStt({
    config: whisperSttSchema.parse({ model: "ggml-random.bin", threads: 1 }),
    baseDir: dir,
    logger: silentLogger(),
  });
  await raw.start();
  try {
    return (await raw.transcribe(audio, { vocabulary: hints })).text;
  } finally {
    await raw.stop();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hearth-whisper-snap-"));
  await makeWhisperModel(join(dir, "ggml-random.bin"));
  const loaded = await loadConfig(new URL("../../intents/fixtures/home.yaml", import.meta.url).pathname);
  const sentences = await loadSentences(loaded.config.intents, {
    language: "en",
    configDir: loaded.dir,
    stateDir: resolveStateDir(loaded.config, loaded.dir),
  });
  const spec = buildSpeechGrammar(sentences, registryFromConfig(loaded.config));
  homeSpec = { rules: spec.rules, root: spec.root };
  hints = spec.hints;
}, 60_000);

afterAll(async () => {
  for (const stt of engines.splice(0)) await stt.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("whisper with the home's grammar", () => {
  test("rejects the random model's gibberish instead of handing it on as a command", async () => {
    const audio = utterance(2);
    const raw = await rawText(audio);
    // The binding wrote words: without snapping they would reach the templates.
    expect(transcriptWords(raw).length).toBeGreaterThan(0);

    const stt = await whisper();
    await stt.setGrammar({ spec: homeSpec, hints });
    const result = await stt.transcribe(audio);
    expect(result.kind).toBe("rejected");
    if (result.kind !== "rejected") return;
    expect(["no-match", "low-confidence"]).toContain(result.reason);
    // whisper's own words are kept for the log, never as a transcript.
    expect(result.text).toBe(raw);
  }, 120_000);

  test("hands the binding's text on unchanged when snapping is off", async () => {
    const audio = utterance(2);
    const raw = await rawText(audio);
    const stt = await whisper({ snap: false });
    await stt.setGrammar({ spec: homeSpec, hints });
    expect(await stt.transcribe(audio)).toMatchObject({ kind: "transcript", text: raw });
  }, 120_000);

  test("snaps what the binding wrote to the grammar's nearest sentence", async () => {
    // A grammar holding the binding's own words with one of them misspelt, beside a real command:
    // the engine's answer is that grammar sentence, so the snap ran on the binding's output.
    const audio = utterance(2);
    const raw = await rawText(audio);
    const words = transcriptWords(raw);
    const misspelt = words.map((word, i) => (i === words.length - 1 ? `${word}s` : word)).join(" ");
    const stt = await whisper();
    await stt.setGrammar({ spec: { root: { alt: [misspelt, "turn on the kitchen light"] } }, hints });
    const result = await stt.transcribe(audio);
    expect(result).toMatchObject({ kind: "transcript", text: misspelt });
    if (result.kind !== "transcript") return;
    expect(result.confidence).toBeGreaterThan(0.5);
    expect(result.confidence).toBeLessThan(1);
  }, 120_000);
});
