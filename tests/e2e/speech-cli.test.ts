import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readWavFile, writeWavFile } from "../../src/audio/wav.js";
import { runHearth } from "../helpers/hearth-cli.js";
import { noise, speak } from "../helpers/speech.js";
import { UNHURRIED_YAML } from "../helpers/unhurried.js";

/*
 * `hearth transcribe`, `understand` and `say` as the built CLI (tests/global-setup.ts builds dist/),
 * with the real engines: pocketsphinx and the grammar generated from the config's templates and
 * devices, festival for speech.
 */

/** The built CLI's run, its stdout read as JSON lines. */
async function hearth(
  ...args: string[]
): Promise<{ lines: Array<Record<string, unknown>>; code: number; stderr: string }> {
  const { code, stdout, stderr } = await runHearth(args);
  const lines = stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { lines, code, stderr };
}

/** A one-light home; the config of every run unless a test writes its own. */
const HOME = `site: { id: cli-test, area: Living Room }
areas: [{ name: Kitchen }, { name: Living Room }]
devices:
  - { id: light.kitchen_light, name: Kitchen Light, area: Kitchen, state: "off" }
audio: { sink: "null" }
${UNHURRIED_YAML}`;

let dir: string;
let config: string;
const file = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hearth-speech-cli-"));
  config = file("hearth.yaml");
  await writeFile(config, HOME);
  await writeWavFile(file("command.wav"), {
    sampleRate: 16000,
    samples: await speak("turn on the kitchen light"),
  });
  await writeWavFile(file("noise.wav"), { sampleRate: 16000, samples: await noise("pink", 2, -30) });
  await writeFile(file("not-audio.wav"), "this is not a WAV file");
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe("hearth transcribe", () => {
  test("prints what each file says, and why nothing for noise", async () => {
    const { lines, code } = await hearth(
      "transcribe",
      "--config",
      config,
      file("command.wav"),
      file("noise.wav"),
    );
    expect(code).toBe(0);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual({
      file: file("command.wav"),
      text: "turn on the kitchen light",
      ms: expect.any(Number),
    });
    expect(lines[1]).toEqual(
      expect.objectContaining({
        file: file("noise.wav"),
        text: "",
        reason: expect.stringMatching(/^(no-speech|no-match|low-confidence)$/),
      }),
    );
  });

  test("reports a missing file before loading any engine, and says so in its exit code", async () => {
    // The acoustic model is missing too: the file is answered before the speech engine would fail.
    const noModel = file("no-model.yaml");
    await writeFile(
      noModel,
      `${HOME}stt: { pocketsphinx: { acoustic_model: ${JSON.stringify(file("no-such-model"))} } }\n`,
    );
    for (const command of ["transcribe", "understand"]) {
      const missing = await hearth(command, "--config", noModel, file("missing.wav"));
      expect(missing.code).toBe(66);
      expect(missing.lines).toEqual([
        expect.objectContaining({ file: file("missing.wav"), error: expect.stringContaining("missing.wav") }),
      ]);
    }
    // A file that can be heard needs the engine, and this config has none that loads.
    const needsEngine = await hearth(
      "transcribe",
      "--config",
      noModel,
      file("missing.wav"),
      file("command.wav"),
    );
    expect(needsEngine.code).toBe(69);
    expect(needsEngine.lines).toHaveLength(1);
  });

  test("reports a file that is no audio and goes on with the batch, and says so in its exit code", async () => {
    const broken = await hearth("transcribe", "--config", config, file("not-audio.wav"), file("command.wav"));
    expect(broken.code).toBe(65);
    // The batch goes on after a bad file.
    expect(broken.lines.map((l) => l.text)).toEqual(["", "turn on the kitchen light"]);
  });

  test("exits 78 on an invalid config", async () => {
    const bad = file("bad.yaml");
    await writeFile(bad, "stt: { engine: dragon }\n");
    const { code, stderr } = await hearth("transcribe", "--config", bad, file("command.wav"));
    expect(code).toBe(78);
    expect(stderr).toContain("stt.engine");
  });

  test("a corrupt adaptation of the acoustic model is one line naming the file, not a crash", async () => {
    const transform = file("corrupt.mllr");
    await writeFile(transform, "1 3 13 not numbers\n");
    const bad = file("corrupt-adaptation.yaml");
    await writeFile(bad, `stt: { pocketsphinx: { adaptation: ${transform} } }\n`);
    const { code, stderr } = await hearth("transcribe", "--config", bad, file("command.wav"));
    // EX_UNAVAILABLE, as for any model file that cannot be used.
    expect(code).toBe(69);
    expect(stderr).toContain(
      `stt.pocketsphinx.adaptation: ${transform} is not an MLLR transform: it holds something that is not a number`,
    );
    // A message, not a stack trace.
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe("hearth understand", () => {
  test("prints the transcript, intents, reply and timings of each file, without acting", async () => {
    const { lines, code } = await hearth(
      "understand",
      "--config",
      config,
      "--area",
      "Kitchen",
      file("command.wav"),
      file("noise.wav"),
    );
    expect(code).toBe(0);
    expect(lines[0]).toEqual({
      file: file("command.wav"),
      transcript: "turn on the kitchen light",
      intents: [{ name: "HassTurnOn", slots: expect.objectContaining({ name: "Kitchen Light" }) }],
      reply: expect.stringMatching(/kitchen light/i),
      timings: { stt: expect.any(Number), intent: expect.any(Number), total: expect.any(Number) },
    });
    expect(lines[1]).toEqual(
      expect.objectContaining({
        file: file("noise.wav"),
        transcript: "",
        intents: [],
        reply: "",
        reason: expect.any(String),
      }),
    );
  });
});

describe("hearth say", () => {
  test("writes the speech to a WAV file with --out", async () => {
    const out = file("hello.wav");
    const { lines, code } = await hearth(
      "say",
      "--config",
      config,
      "--out",
      out,
      "The",
      "pasta",
      "is",
      "ready",
    );
    expect(code).toBe(0);
    expect(lines).toEqual([
      {
        text: "The pasta is ready",
        engine: "festival",
        output: out,
        seconds: expect.any(Number),
        ms: expect.any(Number),
      },
    ]);
    const audio = await readWavFile(out);
    expect(audio.length / 16000).toBeGreaterThan(0.5);
    expect(lines[0]?.seconds).toBeCloseTo(audio.length / 16000, 1);
  });

  test("plays on the configured sink without --out", async () => {
    const { lines, code } = await hearth("say", "--config", config, "Hello");
    expect(code).toBe(0);
    expect(lines[0]).toEqual(expect.objectContaining({ text: "Hello", output: "null" }));
  });
});
