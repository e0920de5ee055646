import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { Config } from "../../src/config/schema.js";
import { resolveStateDir } from "../../src/config/state-dir.js";
import type { CompiledSentences } from "../../src/intents/sentences.js";
import type { Understanding } from "../../src/intents/types.js";
import { FIXTURE_HOME, fixtureConfig, fixtureSentences, understandFresh } from "../helpers/understanding.js";

/**
 * Hearth's own English on everyday speech: commands said the way people say them (filler, the
 * assistant's name, "dim the lights", "do I need an umbrella", typos of speech-to-text), and things
 * said near an assistant that are not commands. Three sets in tests/intents/everyday/:
 *
 * - tuning.yaml: what the built-in sentences were tuned on; every sentence must be understood.
 * - held-out.yaml: written before tuning and never tuned on; measures how far the sentences carry to
 *   phrasings nobody fitted them to. It must reach the 85 % Hearth's own English aims for.
 * - not-commands.yaml: chit-chat, questions about the world, talk about lights that asks nothing;
 *   at most 2 of them may be taken for a command.
 * - development.yaml: what the second round of tuning worked on; every sentence must be understood.
 * - voices.yaml and voices-not-commands.yaml: a second held-out pair in many people's voices, written
 *   and committed before that round and never edited after its first measurement (139/172 then).
 *
 * The home is the corpus's fixture (tests/intents/fixtures/home.yaml), the speaker in the Kitchen
 * unless an entry names another area. `npm run bench -- intents` prints the same figures.
 */

const here = dirname(fileURLToPath(import.meta.url));
const HELD_OUT_TARGET = 0.85;
const MAX_FALSE_ACCEPTS = 2;

const entrySchema = z.strictObject({
  text: z.string().min(1),
  area: z.string().optional(),
  intent: z.string().min(1),
  slots: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  targets: z.array(z.string()).optional(),
});
type Entry = z.infer<typeof entrySchema>;

function readSet<T>(file: string, schema: z.ZodType<T>): T[] {
  const raw: unknown = parseYaml(readFileSync(`${here}/everyday/${file}`, "utf8"));
  return z.array(schema).parse(raw);
}

const tuning = readSet("tuning.yaml", entrySchema);
const heldOut = readSet("held-out.yaml", entrySchema);
const notCommands = readSet("not-commands.yaml", z.string().min(1));
const development = readSet("development.yaml", entrySchema);
const voices = readSet("voices.yaml", entrySchema);
const voicesNotCommands = readSet("voices-not-commands.yaml", z.string().min(1));

let config: Config;
let sentences: CompiledSentences;

beforeAll(async () => {
  config = fixtureConfig();
  sentences = await fixtureSentences(config, resolveStateDir({}, dirname(FIXTURE_HOME)));
});

/** A fresh conversation for each sentence, so no sentence leans on the one before ("it"). */
const understand = (text: string, area?: string): Understanding =>
  understandFresh(config, sentences, text, area);

/** What differs between what was understood and what the entry expects (empty when it fits). */
function problems(entry: Entry, u: Understanding): string[] {
  if (u.kind !== "recognized") {
    return [`not recognised (${u.kind === "not-recognized" ? u.reason : u.kind})`];
  }
  if (u.intents.length !== 1)
    return [`${u.intents.length} intents: ${u.intents.map((i) => i.name).join(", ")}`];
  const got = u.intents[0];
  if (!got) return ["no intent"];
  const out: string[] = [];
  if (got.name !== entry.intent) out.push(`intent ${got.name}`);
  for (const [slot, value] of Object.entries(entry.slots ?? {})) {
    if (got.slots[slot] !== value) out.push(`${slot}=${JSON.stringify(got.slots[slot])}, expected ${value}`);
  }
  if (entry.targets && JSON.stringify(got.targets) !== JSON.stringify(entry.targets)) {
    out.push(`targets ${got.targets.join(",")}`);
  }
  return out;
}

function run(entries: Entry[]): { passed: number; failures: string[] } {
  const failures: string[] = [];
  for (const e of entries) {
    const p = problems(e, understand(e.text, e.area));
    if (p.length > 0) failures.push(`  "${e.text}"${e.area ? ` (in ${e.area})` : ""}: ${p.join("; ")}`);
  }
  return { passed: entries.length - failures.length, failures };
}

/** Taken for a command: acted on, or answered as a command about something unknown or absent. */
function takenForCommand(u: Understanding): boolean {
  return !(u.kind === "not-recognized" && (u.reason === "no_match" || u.reason === "empty"));
}

/** The sentences of `texts` taken for a command, each with what it was taken for. */
function takenOf(texts: readonly string[]): string[] {
  const taken: string[] = [];
  for (const text of texts) {
    const u = understand(text);
    if (!takenForCommand(u)) continue;
    const what =
      u.kind === "recognized"
        ? u.intents.map((i) => i.name).join(", ")
        : u.kind === "not-recognized"
          ? u.reason
          : u.kind;
    taken.push(`  "${text}": ${what}`);
  }
  return taken;
}

describe("Hearth's own English on everyday speech", () => {
  test("the sets are big enough to mean something and do not share sentences", () => {
    expect(tuning.length).toBeGreaterThanOrEqual(150);
    expect(heldOut.length).toBeGreaterThanOrEqual(150);
    expect(notCommands.length).toBeGreaterThanOrEqual(100);
    const tuned = new Set(tuning.map((e) => `${e.text}|${e.area ?? ""}`));
    const shared = heldOut.filter((e) => tuned.has(`${e.text}|${e.area ?? ""}`)).map((e) => e.text);
    // A few short sentences ("what day is it") are said the same way by everyone; no more than that.
    expect(shared.length).toBeLessThanOrEqual(5);
  });

  test("understands every sentence it was tuned on", () => {
    const { failures } = run(tuning);
    expect(failures, `${failures.length} of ${tuning.length} went wrong:\n${failures.join("\n")}`).toEqual(
      [],
    );
  });

  test("understands every sentence of the development set", () => {
    const { failures } = run(development);
    expect(
      failures,
      `${failures.length} of ${development.length} went wrong:\n${failures.join("\n")}`,
    ).toEqual([]);
  });

  test(`understands at least ${HELD_OUT_TARGET * 100} % of the held-out sentences`, () => {
    const { passed, failures } = run(heldOut);
    const share = passed / heldOut.length;
    console.log(
      `held-out everyday English: ${passed}/${heldOut.length} (${(100 * share).toFixed(1)} %)\n${failures.join("\n")}`,
    );
    expect(share, failures.join("\n")).toBeGreaterThanOrEqual(HELD_OUT_TARGET);
  });

  test(`takes at most ${MAX_FALSE_ACCEPTS} of the other sentences for a command`, () => {
    const taken = takenOf(notCommands);
    console.log(
      `other speech taken for a command: ${taken.length}/${notCommands.length}\n${taken.join("\n")}`,
    );
    expect(taken.length, taken.join("\n")).toBeLessThanOrEqual(MAX_FALSE_ACCEPTS);
  });

  test(`understands at least ${HELD_OUT_TARGET * 100} % of the second held-out set (other people's voices)`, () => {
    const { passed, failures } = run(voices);
    const share = passed / voices.length;
    console.log(
      `held-out voices: ${passed}/${voices.length} (${(100 * share).toFixed(1)} %)\n${failures.join("\n")}`,
    );
    expect(share, failures.join("\n")).toBeGreaterThanOrEqual(HELD_OUT_TARGET);
  });

  test(`takes at most ${MAX_FALSE_ACCEPTS} of the second set's other sentences for a command`, () => {
    const taken = takenOf(voicesNotCommands);
    console.log(
      `other speech (second set) taken for a command: ${taken.length}/${voicesNotCommands.length}\n${taken.join("\n")}`,
    );
    expect(taken.length, taken.join("\n")).toBeLessThanOrEqual(MAX_FALSE_ACCEPTS);
  });
});
