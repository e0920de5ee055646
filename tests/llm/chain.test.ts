import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTextPath, type TextPath } from "../../src/app.js";
import type { LoadedConfig } from "../../src/config/loader.js";
import { parseConfig } from "../../src/config/parse-config.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { type TinyModelDir, tinyModelDir } from "./tiny-model.js";

const bin = new URL("../../bin/hearth.js", import.meta.url).pathname;

const HOME = `
site: { id: chain-test, area: Kitchen }
areas: [{ name: Kitchen }, { name: Bedroom }]
devices:
  - { id: light.kitchen, name: Kitchen Light, area: Kitchen, state: "off" }
  - { id: light.bedroom_lamp, name: Bedroom Lamp, area: Bedroom, state: "on" }
  - { id: cover.garage_door, name: Garage Door, device_class: garage, state: closed }
`;

function loaded(dir: string, llm: string): LoadedConfig {
  const path = join(dir, "hearth.yaml");
  return { config: parseConfig(`${HOME}${llm}`, path), path, dir, created: false };
}

let models: TinyModelDir;
let path: TextPath | undefined;

beforeAll(async () => {
  models = await tinyModelDir();
});

afterAll(async () => {
  await path?.close();
  await models.cleanup();
});

/** Sentences no template covers. */
const OFF_TEMPLATE = [
  "it's far too gloomy in this room",
  "i'm heading to bed, shut everything downstairs",
  "could the place be a bit cosier",
  "how many minutes are there in three hours",
  "tell me a joke",
];

describe("the recognizer chain with the generated model", () => {
  it("asks the LLM only for what the templates do not cover, and never names what does not exist", async () => {
    // The LLM's budget (llm.timeout_ms) on a clock nothing moves: however slow the machine, every
    // answer is the model's, never a missed deadline.
    path = await buildTextPath(
      loaded(
        models.dir,
        `llm: { mode: fallback, model: tiny.gguf, threads: 1, context_size: 2048, timeout_ms: 60000 }\n`,
      ),
      { clock: new ManualClock() },
    );
    expect(path.llm).toBe(true);
    const templated = await path.understanding.understandAsync("turn on the kitchen light");
    expect(templated.understanding).toMatchObject({ kind: "recognized", recognizer: "template" });

    const known = new Set(path.registry.entities().map((e) => e.id));
    for (const sentence of OFF_TEMPLATE) {
      const r = await path.understanding.understandAsync(sentence);
      // Random weights say anything the grammar allows; whatever it is, it came from the LLM
      // and acts only on real devices.
      expect(r.understanding.kind === "answered" || r.understanding.recognizer === "llm").toBe(true);
      if (r.understanding.kind === "recognized") {
        for (const i of r.understanding.intents) for (const t of i.targets) expect(known.has(t)).toBe(true);
      }
      expect(typeof r.reply).toBe("string");
    }
    await path.close();
    path = undefined;
  });

  it("runs on templates alone when the model file is missing, and says why in the log", async () => {
    const lines: string[] = [];
    const log = pino({ level: "info" }, { write: (l: string) => lines.push(l) });
    path = await buildTextPath(loaded(models.dir, "llm: { mode: fallback, model: missing.gguf }\n"), { log });
    expect(path.llm).toBe(false);
    expect(lines.join("")).toMatch(/llm not loaded; understanding with templates alone/);
    expect(lines.join("")).toMatch(/missing\.gguf/);
    const r = await path.understanding.understandAsync("open the garage door");
    expect(r.understanding).toMatchObject({ kind: "recognized", recognizer: "template" });
    const miss = await path.understanding.understandAsync("it's far too gloomy in this room");
    expect(miss.understanding).toMatchObject({ kind: "not-recognized", recognizer: "template" });
    await path.close();
    path = undefined;
  });

  it("hearth parse reports the LLM as the recognizer of what it understood", async () => {
    const config = join(models.dir, "parse.yaml");
    await writeFile(
      config,
      // The child runs on the system clock: its LLM budget past the test's own limit.
      `${HOME}llm: { mode: fallback, model: tiny.gguf, threads: 1, context_size: 2048, timeout_ms: 3600000 }\n`,
    );
    const child = execFile(process.execPath, [bin, "parse", "--config", config]);
    const out: string[] = [];
    child.stdout?.on("data", (d) => out.push(String(d)));
    child.stdin?.end("turn on the kitchen light\nit's far too gloomy in this room\n");
    await new Promise((resolve) => child.on("close", resolve));
    const results = out
      .join("")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { recognizer: string });
    expect(results.map((r) => r.recognizer)).toEqual(["template", "llm"]);
  });
});
