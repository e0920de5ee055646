import { existsSync } from "node:fs";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { resampleInt16 } from "../../../src/audio/pcm.js";
import { createTextToSpeech } from "../../../src/audio/tts/create-text-to-speech.js";
import { EspeakTts } from "../../../src/audio/tts/espeak-tts.js";
import { FestivalTts } from "../../../src/audio/tts/festival-tts.js";
import { FliteTts } from "../../../src/audio/tts/flite-tts.js";
import { PiperTts } from "../../../src/audio/tts/piper-tts.js";
import type { TextToSpeech, VoiceSettings } from "../../../src/audio/tts/text-to-speech.js";
import type { PcmAudio } from "../../../src/audio/types.js";
import { ttsSchema } from "../../../src/config/schema.js";
import { HearthError } from "../../../src/core/errors.js";
import { silentLogger } from "../../../src/core/logger.js";
import { ManualClock } from "../../helpers/manual-clock.js";

/*
 * One contract for every text-to-speech engine. festival, flite and espeak-ng are the real
 * programs. piper cannot be installed here (no binary or voice can be downloaded), so it runs
 * against a stand-in `piper` script that honours piper's command line (--model, --output_file,
 * --length_scale, text on stdin) and writes a WAV with sox; it checks Hearth's side of the contract.
 */

let dir: string;
let fakePiper: string;
let fakeVoice: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hearth-tts-"));
  fakeVoice = join(dir, "en_US-test-medium.onnx");
  await writeFile(fakeVoice, "not a real model");
  fakePiper = join(dir, "piper");
  await writeFile(
    fakePiper,
    `#!${process.execPath}
const { execFileSync } = require("node:child_process");
const args = process.argv.slice(2);
const get = (name) => args[args.indexOf(name) + 1];
if (!require("node:fs").existsSync(get("--model"))) { console.error("no model"); process.exit(1); }
const text = require("node:fs").readFileSync(0, "utf8").trim();
const seconds = (0.06 * text.length * Number(get("--length_scale") ?? 1)).toFixed(3);
execFileSync("sox", ["-n", "-r", "22050", "-c", "1", "-b", "16", get("--output_file"), "synth", seconds, "sine", "220", "gain", "-6"]);
`,
  );
  await chmod(fakePiper, 0o755);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The synthesis deadline runs on a clock nothing moves: no engine is cut off on a slow machine. */
const base: VoiceSettings = { rate: 1, volume: 1, timeoutMs: 30_000, clock: new ManualClock() };

const engines: Array<[string, (settings: Partial<VoiceSettings>) => TextToSpeech]> = [
  ["festival", (s) => new FestivalTts({ ...base, voice: "kal_diphone", ...s })],
  ["festival (HTS voice)", (s) => new FestivalTts({ ...base, voice: "cmu_us_slt_arctic_hts", ...s })],
  ["flite", (s) => new FliteTts({ ...base, voice: "slt", ...s })],
  ["espeak-ng", (s) => new EspeakTts({ ...base, voice: "en-us", ...s })],
  ["piper", (s) => new PiperTts({ ...base, program: fakePiper, model: fakeVoice, ...s })],
];

function rms(audio: PcmAudio): number {
  let sum = 0;
  for (const s of audio.samples) sum += (s / 32768) ** 2;
  return Math.sqrt(sum / audio.samples.length);
}

describe.each(engines)("the %s text-to-speech engine", (_name, make) => {
  const sentence = "The kitchen light is now on.";

  test("speaks a sentence as mono 16-bit audio that converts to 16 kHz", async () => {
    const audio = await make({}).synthesize(sentence);
    expect(audio.sampleRate).toBeGreaterThanOrEqual(8000);
    const seconds = audio.samples.length / audio.sampleRate;
    expect(seconds).toBeGreaterThan(0.8);
    expect(seconds).toBeLessThan(6);
    expect(rms(audio)).toBeGreaterThan(0.01);
    const converted = resampleInt16(audio.samples, audio.sampleRate, 16000);
    expect(Math.abs(converted.length - seconds * 16000)).toBeLessThanOrEqual(1);
  });

  test("a faster rate gives shorter audio", async () => {
    const [normal, fast] = await Promise.all([
      make({}).synthesize(sentence),
      make({ rate: 1.6 }).synthesize(sentence),
    ]);
    expect(fast.samples.length / fast.sampleRate).toBeLessThan(
      (0.9 * normal.samples.length) / normal.sampleRate,
    );
  });

  test("a lower volume gives quieter audio", async () => {
    const [normal, quiet] = await Promise.all([
      make({}).synthesize(sentence),
      make({ volume: 0.3 }).synthesize(sentence),
    ]);
    expect(rms(quiet)).toBeLessThan(0.5 * rms(normal));
  });

  test("speaks text with shell characters literally, running nothing", async () => {
    const marker = join(dir, "pwned");
    const audio = await make({}).synthesize(`hello $(touch ${marker}) \`touch ${marker}\`; rm -rf nothing`);
    expect(audio.samples.length).toBeGreaterThan(0);
    expect(existsSync(marker)).toBe(false);
  });

  test("empty text is an engine error, not an empty reply", async () => {
    const error = await make({})
      .synthesize("   ")
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(HearthError);
    expect((error as HearthError).code).toBe("ENGINE_FAILED");
  });

  test("aborting stops the synthesis with the signal's reason", async () => {
    const controller = new AbortController();
    const long = "This is a long reply. ".repeat(300);
    const running = make({}).synthesize(long, { signal: controller.signal });
    // 1200 words take every engine seconds; the abort comes long before.
    setTimeout(() => controller.abort(new Error("barge-in")), 50);
    await expect(running).rejects.toThrow("barge-in");
  });

  test("is stopped once its deadline has passed on the injected clock, with the deadline's code", async () => {
    const clock = new ManualClock();
    const running = make({ clock }).synthesize("This is a long reply. ".repeat(300));
    let settled = false;
    running
      .catch(() => {})
      .finally(() => {
        settled = true;
      });
    // The deadline is armed once the engine's program has been started.
    while (clock.pending.length === 0 && !settled) await new Promise((resolve) => setImmediate(resolve));
    expect(clock.pending).toEqual([base.timeoutMs]);
    clock.advance(base.timeoutMs);
    await expect(running).rejects.toMatchObject({ code: "DEADLINE_EXCEEDED" });
  });
});

describe("choosing a text-to-speech engine by name", () => {
  const deps = { logger: silentLogger(), baseDir: "/" };

  test.each([
    ["festival", FestivalTts],
    ["flite", FliteTts],
    ["espeak", EspeakTts],
  ] as const)("tts.engine %s builds that engine with the section's voice settings", (engine, type) => {
    const tts = createTextToSpeech(ttsSchema.parse({ engine, rate: 1.2, volume: 0.8 }), deps);
    expect(tts).toBeInstanceOf(type);
  });

  test("piper needs its voice file configured", () => {
    expect(() => createTextToSpeech(ttsSchema.parse({ engine: "piper" }), deps)).toThrow(/piper_model/);
  });

  test("piper with a missing voice file says which file", async () => {
    const tts = createTextToSpeech(
      ttsSchema.parse({ engine: "piper", piper_model: "voices/absent.onnx" }),
      deps,
    );
    await expect(tts.synthesize("hello")).rejects.toThrow("piper voice not found: /voices/absent.onnx");
  });

  test("a festival voice name that is not a plain name is refused (it would be evaluated as Scheme)", () => {
    expect(() =>
      createTextToSpeech(ttsSchema.parse({ engine: "festival", voice: 'kal) (system "id"' }), deps),
    ).toThrow(HearthError);
  });

  test("the default engine is festival and speaks", async () => {
    const tts = createTextToSpeech(ttsSchema.parse({}), deps);
    expect(tts.name).toBe("festival");
    expect((await tts.synthesize("Done.")).samples.length).toBeGreaterThan(0);
  });
});
