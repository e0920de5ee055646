import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { Config } from "../../src/config/schema.js";
import type { CompiledSentences } from "../../src/intents/sentences.js";
import type { Understanding } from "../../src/intents/types.js";
import { fixtureConfig, fixtureSentences, replyFresh, understandFresh } from "../helpers/understanding.js";

/**
 * Hearth's own English with Home Assistant's English pack loaded beside it (../shared/ha-intents,
 * CC BY 4.0, Home Assistant's intents project): loading the pack must never lose what Hearth's own
 * sentences understand alone, and must not take for a command what they refuse. Checked on
 * sentences written here for the ways the two used to clash (a greeting or the assistant's name in
 * front, fillers, "in here", a wildcard timer taking a remark), and on every everyday sentence of
 * tests/intents/everyday/ that Hearth's own English gets right. The home is the corpus's fixture,
 * the speaker in the Kitchen unless a sentence names another area.
 */

const here = dirname(fileURLToPath(import.meta.url));
const PACK = resolve("../shared/ha-intents");

interface Expect {
  text: string;
  intent: string;
  area?: string | undefined;
  slots?: Record<string, string | number> | undefined;
  targets?: string[] | undefined;
}

/** Commands of the families that the pack used to lose. */
const COMMANDS: Expect[] = [
  // The assistant's name or a greeting in front.
  { text: "hey hearth, close the garage door", intent: "HassTurnOff", targets: ["cover.garage_door"] },
  { text: "hey, switch on the coffee maker", intent: "HassTurnOn", targets: ["switch.coffee_maker"] },
  { text: "hey hearth what time is it", intent: "HassGetCurrentTime" },
  { text: "hey what's the date today", intent: "HassGetCurrentDate" },
  { text: "hi hearth, lock the back door", intent: "HassTurnOn", targets: ["lock.back_door"] },
  { text: "ok hearth turn the fountain off", intent: "HassTurnOff", targets: ["switch.fountain"] },
  // Fillers and "in here", said to Hearth's own sentences.
  { text: "oh turn on the christmas tree", intent: "HassTurnOn", targets: ["switch.christmas_tree"] },
  { text: "um, the coffee maker on please", intent: "HassTurnOn", targets: ["switch.coffee_maker"] },
  { text: "well just lock the front door", intent: "HassTurnOn", targets: ["lock.front_door"] },
  {
    text: "turn the lights off in here",
    intent: "HassTurnOff",
    area: "Bathroom",
    targets: ["light.bathroom_mirror"],
  },
  // A delayed command is still a timer.
  { text: "set a timer for ten minutes", intent: "HassStartTimer" },
];

/** Remarks and chatter near the assistant: nothing to act on. */
const NOT_COMMANDS = [
  "i'll be back in ten minutes",
  "the bus leaves in five minutes",
  "we are leaving in twenty minutes",
  "dinner is ready in half an hour",
  "the film starts in an hour",
  "let's play it by ear",
  "play it safe",
];

/**
 * Sentences both read, differently, where the pack's reading is Home Assistant's and wins: "all
 * the lights" is every light of the home there, not only those of the speaker's area.
 */
const PACK_READINGS = new Set(["switch off all the lights"]);

const entrySchema = z.object({
  text: z.string().min(1),
  area: z.string().optional(),
  intent: z.string().min(1),
  slots: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  targets: z.array(z.string()).optional(),
});

function readSet<T>(file: string, schema: z.ZodType<T>): T[] {
  const raw: unknown = parseYaml(readFileSync(`${here}/everyday/${file}`, "utf8"));
  return z.array(schema).parse(raw);
}

let config: Config;
/** Where the parsed pack is cached: a directory of this test's own, never the fixtures. */
let stateDir: string;
let own: CompiledSentences;
let combined: CompiledSentences;

afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), "hearth-combined-"));
  config = fixtureConfig();
  own = await fixtureSentences(config, stateDir);
  combined = await fixtureSentences(config, stateDir, { packs: [PACK] });
});

/** A fresh conversation for each sentence, so no sentence leans on the one before ("it"). */
const understand = (sentences: CompiledSentences, text: string, area?: string): Understanding =>
  understandFresh(config, sentences, text, area);

/** What the user hears, with what it was understood as. */
const reply = (sentences: CompiledSentences, text: string, area?: string) =>
  replyFresh(config, sentences, text, area);

/** Whether the sentence was understood as expected (intent, and the slots and targets it names). */
function fits(e: Expect, u: Understanding): boolean {
  if (u.kind !== "recognized" || u.intents.length !== 1) return false;
  const got = u.intents[0];
  if (!got || got.name !== e.intent) return false;
  for (const [slot, value] of Object.entries(e.slots ?? {})) if (got.slots[slot] !== value) return false;
  if (e.targets && JSON.stringify(got.targets) !== JSON.stringify(e.targets)) return false;
  return true;
}

/** Slots that only say which devices are meant: the pack names "the lights" by area, Hearth by domain. */
const TARGETING = new Set(["name", "area", "floor", "domain", "device_class"]);

/** Whether `u` does what Hearth's own English did with the entry: same intent, targets and settings. */
function actsAlike(e: Expect, alone: Understanding, u: Understanding): boolean {
  if (u.kind !== "recognized" || alone.kind !== "recognized" || u.intents.length !== 1) return false;
  const got = u.intents[0];
  const want = alone.intents[0];
  if (!got || !want || got.name !== e.intent) return false;
  for (const [slot, value] of Object.entries(e.slots ?? {}))
    if (!TARGETING.has(slot) && got.slots[slot] !== value) return false;
  return JSON.stringify([...got.targets].sort()) === JSON.stringify([...want.targets].sort());
}

/**
 * Taken for a command: acted on, or answered as a command about something unknown or absent. A
 * fixed reply of the pack's HassRespond ("hello", "who made you") acts on nothing and answers what
 * was said to Hearth after its wake word, as Home Assistant answers it: not taken.
 */
function taken(u: Understanding): boolean {
  if (u.kind === "recognized") return u.intents.some((i) => i.name !== "HassRespond");
  return !(u.kind === "not-recognized" && (u.reason === "no_match" || u.reason === "empty"));
}

function describeResult(u: Understanding): string {
  if (u.kind === "recognized")
    return u.intents.map((i) => `${i.name} ${JSON.stringify(i.slots)} → ${i.targets.join(",")}`).join("; ");
  return u.kind === "not-recognized" ? `${u.reason}${u.subject ? ` (${u.subject})` : ""}` : u.kind;
}

describe("Hearth's own English with Home Assistant's English pack", () => {
  test.each(COMMANDS)("understands “$text” with and without the pack", (e) => {
    const alone = understand(own, e.text, e.area);
    expect(fits(e, alone), describeResult(alone)).toBe(true);
    const u = understand(combined, e.text, e.area);
    expect(fits(e, u), describeResult(u)).toBe(true);
  });

  test.each(NOT_COMMANDS)("takes “%s” for a command in neither mode", (text) => {
    const alone = understand(own, text);
    expect(taken(alone), describeResult(alone)).toBe(false);
    const u = understand(combined, text);
    expect(taken(u), describeResult(u)).toBe(false);
  });

  test("starts a timer for a command said with a delay, the command understood", () => {
    const u = understand(combined, "turn off the coffee maker in five minutes");
    expect(u).toMatchObject({
      kind: "recognized",
      intents: [
        { name: "HassStartTimer", slots: { minutes: 5, conversation_command: "turn off the coffee maker" } },
      ],
    });
  });

  test.each([
    [
      "turn off the coffee maker in five minutes",
      { minutes: 5, conversation_command: "turn off the coffee maker" },
    ],
    ["in an hour turn on the porch light", { hours: 1, conversation_command: "turn on the porch light" }],
    ["in 10 minutes, turn off the lights", { minutes: 10, conversation_command: "turn off the lights" }],
  ])("starts a timer for “%s” with and without the pack, the command kept to carry out", (text, slots) => {
    for (const sentences of [own, combined]) {
      const u = understand(sentences, text);
      expect(u, describeResult(u)).toMatchObject({
        kind: "recognized",
        intents: [{ name: "HassStartTimer", slots }],
      });
    }
  });

  test.each(["remind me in ten minutes", "wait ten minutes and then tell me a joke"])(
    "takes “%s” for no delayed command where its words are not one",
    (text) => {
      const u = understand(own, text);
      const command = u.kind === "recognized" ? u.intents[0]?.slots.conversation_command : undefined;
      expect(command, describeResult(u)).toBeUndefined();
    },
  );

  test("sets the thermostat of the speaker's room, with and without the pack", () => {
    for (const sentences of [own, combined]) {
      const u = understand(sentences, "set the temperature to 21 degrees", "Living Room");
      expect(describeResult(u)).toMatch(
        /^HassClimateSetTemperature .*"temperature":21.* → climate\.living_room_thermostat$/,
      );
    }
  });

  test("asks which thermostat where the speaker's room and floor have none, never setting them all", () => {
    for (const sentences of [own, combined]) {
      // The Garden, on no floor, has no thermostat; the Living Room (downstairs) and the Bedroom
      // (upstairs) have one each.
      const r = reply(sentences, "set the temperature to 20", "Garden");
      expect(r.understanding).toMatchObject({ kind: "not-recognized", reason: "ambiguous" });
      expect(r.reply).toBe(
        "Which thermostat do you mean: the one in the living room or the one in the bedroom?",
      );
      // The Kitchen has none, but its floor has exactly one: the living room's.
      expect(describeResult(understand(sentences, "set the temperature to 20", "Kitchen"))).toMatch(
        /^HassClimateSetTemperature .* → climate\.living_room_thermostat$/,
      );
    }
  });

  test("asks which lamp where two are called Lamp and none stands where the speaker is", () => {
    for (const sentences of [own, combined]) {
      // Not the Kitchen's own lights for "the lamp": a device is called that.
      const r = reply(sentences, "turn on the lamp", "Kitchen");
      expect(r.understanding).toMatchObject({ kind: "not-recognized", reason: "ambiguous" });
      expect(r.reply).toBe("Which lamp do you mean: the one in the living room or the one in the bedroom?");
      expect(describeResult(understand(sentences, "turn on the lamp", "Bedroom"))).toBe(
        'HassTurnOn {"name":"Lamp"} → light.bedroom_lamp',
      );
    }
  });

  test("answers a question only the pack asks with what the home lacks, not with silence", () => {
    // This home has no awnings: "there are none" is the answer, as with a question Hearth asks.
    expect(understand(combined, "are any awnings open")).toMatchObject({
      kind: "not-recognized",
      reason: "no_targets",
    });
  });

  test("keeps a command the user's skip words open with, with the pack loaded", async () => {
    const withSkip = await fixtureSentences(config, stateDir, {
      packs: [PACK],
      skip_words: ["hey", "yo yo"],
    });
    // "hey" and "yo yo" are cut wherever they are, the pack's sentences included.
    expect(describeResult(understand(withSkip, "turn off the hey kitchen light"))).toBe(
      'HassTurnOff {"name":"Kitchen Light"} → light.kitchen_light',
    );
    expect(describeResult(understand(withSkip, "yo yo what time is it"))).toMatch(/^HassGetCurrentTime/);
  });

  const sets = ["tuning.yaml", "development.yaml", "held-out.yaml", "voices.yaml"];
  test.each(sets)("understands every sentence of %s that Hearth's own English understands", (file) => {
    const lost: string[] = [];
    let understoodAlone = 0;
    for (const e of readSet(file, entrySchema)) {
      const alone = understand(own, e.text, e.area);
      if (!fits(e, alone) || PACK_READINGS.has(e.text)) continue;
      understoodAlone++;
      const u = understand(combined, e.text, e.area);
      if (!actsAlike(e, alone, u)) lost.push(`"${e.text}": ${describeResult(u)}`);
    }
    expect(understoodAlone).toBeGreaterThan(0);
    expect(lost).toEqual([]);
  });

  test.each(["not-commands.yaml", "voices-not-commands.yaml"])(
    "takes nothing of %s that Hearth's own English refuses",
    (file) => {
      const added: string[] = [];
      for (const text of readSet(file, z.string().min(1))) {
        if (taken(understand(own, text))) continue;
        const u = understand(combined, text);
        if (taken(u)) added.push(`"${text}": ${describeResult(u)}`);
      }
      expect(added).toEqual([]);
    },
  );
});
