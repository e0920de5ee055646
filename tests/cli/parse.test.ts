import { type ChildProcessWithoutNullStreams, execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = new URL("../..", import.meta.url).pathname;
const bin = join(root, "bin/hearth.js");
const run = promisify(execFile);

const CONFIG = `
site: { id: parse-test, area: Kitchen }
floors: [{ name: Upstairs }]
areas:
  - { name: Kitchen }
  - { name: Bedroom, floor: Upstairs }
devices:
  - { id: light.kitchen, name: Kitchen Light, area: Kitchen, state: "off" }
  - { id: light.bedroom_lamp, name: Bedroom Lamp, area: Bedroom, state: "on" }
  - { id: cover.garage_door, name: Garage Door, device_class: garage, state: closed }
intents:
  lists:
    drink: { values: [tea, coffee, { in: "(hot chocolate|cocoa)", out: hot_chocolate }] }
  custom:
    OrderDrink:
      sentences: ["(make|brew) me a [cup of] {drink}"]
      reply: "One {drink} coming up"
`;

interface Out {
  text: string;
  intents: Array<{ name: string; slots: Record<string, unknown>; targets: string[] }>;
  recognizer: string;
  reply: string;
  ms: number;
  reason?: string;
  error?: string;
}

let dir: string;
let config: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "hearth-parse-"));
  config = join(dir, "hearth.yaml");
  writeFileSync(config, CONFIG);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function batch(input: Buffer | string): Promise<Out[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, "parse", "--config", config]);
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`exit ${code}: ${err}`));
      else
        resolve(
          out
            .trim()
            .split("\n")
            .map((l) => JSON.parse(l) as Out),
        );
    });
    child.stdin.end(input);
  });
}

describe("hearth parse", () => {
  it("prints one JSON object for a sentence given as arguments", async () => {
    const { stdout } = await run(process.execPath, [
      bin,
      "parse",
      "--config",
      config,
      "turn on the kitchen light",
    ]);
    const out = JSON.parse(stdout) as Out;
    expect(out).toMatchObject({
      text: "turn on the kitchen light",
      intents: [{ name: "HassTurnOn", slots: { name: "Kitchen Light" }, targets: ["light.kitchen"] }],
      recognizer: "template",
      reply: "Turned on the kitchen light.",
    });
    expect(typeof out.ms).toBe("number");
  });

  it("answers every stdin line in order, including custom intents, context and misses", async () => {
    const lines = [
      "open the garage door",
      JSON.stringify({ text: "turn off the lights", context: { area: "Bedroom" } }),
      "brew me a cup of cocoa",
      "what is the meaning of life",
      "turn on the kitchen light and close the garage door",
    ];
    const out = await batch(`${lines.join("\n")}\n`);
    expect(out.map((o) => o.intents.map((i) => i.name))).toEqual([
      ["HassTurnOn"],
      ["HassTurnOff"],
      ["OrderDrink"],
      [],
      ["HassTurnOn", "HassTurnOff"],
    ]);
    expect(out[1]?.intents[0]?.targets).toEqual(["light.bedroom_lamp"]);
    expect(out[2]?.intents[0]?.slots).toEqual({ drink: "hot_chocolate" });
    expect(out[2]?.reply).toBe("One hot_chocolate coming up");
    expect(out[3]).toMatchObject({ intents: [], reason: "no_match" });
    expect(out[3]?.reply).toMatch(/didn't understand/);
  });

  it("gives bad lines a JSON result with a reason and carries on with the batch", async () => {
    const parts: Buffer[] = [
      Buffer.from("\n"),
      Buffer.from("   \t \n"),
      Buffer.from(`${"turn on the light ".repeat(600)}\n`),
      Buffer.concat([Buffer.from("turn on the "), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(" light\n")]),
      Buffer.from("turn on\u0007 the kitchen light\n"),
      Buffer.from('{"text": "turn on the\n'),
      Buffer.from('{"txt": "hello"}\n'),
      Buffer.from('{"text": "turn on the kitchen light", "context": "kitchen"}\n'),
      Buffer.from("turn on the kitchen light\n"),
    ];
    const out = await batch(Buffer.concat(parts));
    expect(out).toHaveLength(parts.length);
    expect(out.map((o) => o.reason ?? "ok")).toEqual([
      "empty",
      "empty",
      "invalid_input",
      "invalid_input",
      "invalid_input",
      "invalid_input",
      "invalid_input",
      "invalid_input",
      "ok",
    ]);
    expect(out[2]?.error).toMatch(/characters long/);
    expect(out[3]?.error).toMatch(/UTF-8/);
    expect(out[4]?.error).toMatch(/control characters/);
    expect(out[5]?.error).toMatch(/malformed JSON/);
    expect(out[6]?.error).toMatch(/"text"/);
    expect(out[8]?.intents[0]?.name).toBe("HassTurnOn");
  });

  it("answers each line as soon as it arrives, before stdin closes", async () => {
    const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [bin, "parse", "--config", config]);
    const rl = createInterface({ input: child.stdout });
    const next = () => new Promise<Out>((resolve) => rl.once("line", (l) => resolve(JSON.parse(l) as Out)));
    try {
      let pending = next();
      child.stdin.write("turn on the kitchen light\n");
      expect((await pending).intents[0]?.name).toBe("HassTurnOn");
      pending = next();
      child.stdin.write("what time is it\n");
      expect((await pending).intents[0]?.name).toBe("HassGetCurrentTime");
    } finally {
      child.stdin.end();
      child.kill();
    }
  });

  it("exits 78 and names the problem when the config is invalid", async () => {
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "devices:\n  - { id: light.x, name: X, area: Nowhere }\n");
    const err = await run(process.execPath, [bin, "parse", "--config", bad, "hello"]).catch((e) => e);
    expect(err.code).toBe(78);
    expect(err.stderr).toMatch(/unknown area "Nowhere"/);
  });

  it("exits 78 and names the template when a custom sentence is malformed", async () => {
    const bad = join(dir, "bad-template.yaml");
    writeFileSync(bad, 'intents:\n  custom:\n    Broken:\n      sentences: ["turn (on the light"]\n');
    const err = await run(process.execPath, [bin, "parse", "--config", bad, "hello"]).catch((e) => e);
    expect(err.code).toBe(78);
    expect(err.stderr).toMatch(/Broken: template "turn \(on the light": missing '\)'/);
  });
});
