import { beforeAll, describe, expect, it } from "vitest";
import { intentsSchema } from "../../src/config/schema.js";
import { resolveStateDir } from "../../src/config/state-dir.js";
import { type CompiledSentences, loadSentences } from "../../src/intents/sentences.js";
import { type TextResult, TextUnderstanding } from "../../src/intents/text-understanding.js";
import { TimerManager } from "../../src/intents/timers.js";
import { Registry } from "../../src/registry/registry.js";
import type { Entity } from "../../src/registry/types.js";
import { ManualClock } from "../helpers/manual-clock.js";

/** A clock whose monotonic time the test moves by hand. */
function manualClock(): ManualClock {
  return new ManualClock(new Date(2025, 0, 1, 12));
}

function entity(id: string, name: string, areaId: string, extra: Partial<Entity> = {}): Entity {
  return {
    id,
    name,
    domain: id.split(".")[0] as Entity["domain"],
    areaId,
    aliases: [],
    attributes: {},
    source: "config",
    ...extra,
  };
}

function home(): Registry {
  return new Registry({
    areas: [
      { id: "kitchen", name: "Kitchen", aliases: [] },
      { id: "bedroom", name: "Bedroom", aliases: [] },
      { id: "living_room", name: "Living Room", aliases: [] },
    ],
    entities: [
      entity("light.kitchen", "Kitchen Light", "kitchen", { state: "on", attributes: { brightness: 128 } }),
      entity("light.bedroom_lamp", "Bedroom Lamp", "bedroom", { state: "off" }),
      entity("light.reading", "Reading Lamp", "living_room", {
        state: "on",
        attributes: { brightness: 255 },
      }),
      entity("light.floor", "Floor Lamp", "living_room", { state: "off" }),
      entity("fan.bedroom", "Bedroom Fan", "bedroom"),
      entity("switch.tv_plug", "TV Plug", "living_room"),
    ],
  });
}

let sentences: CompiledSentences;
beforeAll(async () => {
  sentences = await loadSentences(intentsSchema.parse({}), {
    language: "en",
    configDir: ".",
    stateDir: resolveStateDir({}, "."),
  });
});

function text(followUpMs = 30_000) {
  const clock = manualClock();
  const understanding = new TextUnderstanding({
    sentences,
    registry: home(),
    timers: new TimerManager(clock),
    clock,
    fuzzyThreshold: 0.8,
    siteArea: "Kitchen",
    followUpMs,
  });
  return { understanding, clock };
}

const summary = (r: TextResult) =>
  r.understanding.kind === "recognized"
    ? r.understanding.intents.map((i) => ({ name: i.name, slots: i.slots, targets: i.targets }))
    : r.understanding.kind === "not-recognized"
      ? r.understanding.reason
      : r.understanding.kind;

describe("follow-ups", () => {
  it.each<[string, string, unknown]>([
    [
      "turn on the bedroom lamp",
      "turn it off",
      [{ name: "HassTurnOff", slots: {}, targets: ["light.bedroom_lamp"] }],
    ],
    [
      "turn on the bedroom lamp",
      "switch them off again",
      [{ name: "HassTurnOff", slots: {}, targets: ["light.bedroom_lamp"] }],
    ],
    [
      "turn on the bedroom lamp",
      "make it red",
      [{ name: "HassLightSet", slots: { color: "red" }, targets: ["light.bedroom_lamp"] }],
    ],
    [
      "turn off the lights in the living room",
      "turn them back on",
      [{ name: "HassTurnOn", slots: {}, targets: ["light.floor", "light.reading"] }],
    ],
    [
      // From the brightest light (Reading Lamp, 100 %), one step down; the step rides along, so the
      // actuator leaves a light that is off as it is (tests/intents/wrong-actions.test.ts).
      "turn off the lights in the living room",
      "make them dimmer",
      [
        {
          name: "HassLightSet",
          slots: { brightness: 75, brightness_step: -25 },
          targets: ["light.floor", "light.reading"],
        },
      ],
    ],
    [
      "turn on the bedroom lamp",
      "and the living room too",
      [
        {
          name: "HassTurnOn",
          slots: { domain: "light", area: "Living Room" },
          targets: ["light.floor", "light.reading"],
        },
      ],
    ],
    [
      "turn off the bedroom fan",
      "the tv plug too",
      [{ name: "HassTurnOff", slots: { name: "TV Plug" }, targets: ["switch.tv_plug"] }],
    ],
    [
      "turn on the kitchen light",
      "is it on",
      [{ name: "HassGetState", slots: { state: "on" }, targets: ["light.kitchen"] }],
    ],
  ])("after %j, %j", (first, then, expected) => {
    const { understanding } = text();
    expect(understanding.understand(first).understanding.kind).toBe("recognized");
    expect(summary(understanding.understand(then))).toEqual(expected);
  });

  it("makes a light brighter from its own brightness", () => {
    const { understanding } = text();
    // 128 of 255 is 50 %; a step is 25.
    const r = understanding.understand("make the kitchen light brighter");
    expect(summary(r)).toEqual([
      { name: "HassLightSet", slots: { name: "Kitchen Light", brightness: 75 }, targets: ["light.kitchen"] },
    ]);
    expect(r.reply).toBe("Set the kitchen light to 75 percent.");
  });

  it("answers 'it' with nothing acted on lately by asking for the name", () => {
    const { understanding } = text();
    const r = understanding.understand("turn it off");
    expect(summary(r)).toBe("no_context");
    expect(r.reply).toMatch(/say the device's name/);
  });

  it("forgets the last command after the follow-up window", () => {
    const { understanding, clock } = text(30_000);
    understanding.understand("turn on the bedroom lamp");
    clock.advance(29_000);
    expect(summary(understanding.understand("turn it off"))).toEqual([
      { name: "HassTurnOff", slots: {}, targets: ["light.bedroom_lamp"] },
    ]);
    clock.advance(31_000);
    expect(summary(understanding.understand("turn it on"))).toBe("no_context");
  });

  it("keeps a separate memory for each area requests come from", () => {
    const { understanding } = text();
    understanding.understand("turn on the bedroom lamp", { area: "Bedroom" });
    understanding.understand("turn on the reading lamp", { area: "Living Room" });
    const inBedroom = understanding.understand("turn it off", { area: "Bedroom" });
    expect(summary(inBedroom)).toEqual([{ name: "HassTurnOff", slots: {}, targets: ["light.bedroom_lamp"] }]);
    expect(summary(understanding.understand("turn it off"))).toBe("no_context");
  });

  it("switches follow-ups off with a window of 0", () => {
    const { understanding } = text(0);
    understanding.understand("turn on the bedroom lamp");
    expect(summary(understanding.understand("turn it off"))).toBe("no_context");
  });
});

describe("“it” within one sentence", () => {
  it("means what the sentence's first command acted on, not what was acted on before", () => {
    const { understanding } = text();
    understanding.understand("turn on the kitchen light");
    expect(summary(understanding.understand("turn on the bedroom lamp and then turn it off"))).toEqual([
      { name: "HassTurnOn", slots: { name: "Bedroom Lamp" }, targets: ["light.bedroom_lamp"] },
      { name: "HassTurnOff", slots: {}, targets: ["light.bedroom_lamp"] },
    ]);
    expect(
      summary(understanding.understand("switch on the bedroom fan and the floor lamp and make it red")),
    ).toEqual([
      { name: "HassTurnOn", slots: { name: "Bedroom Fan" }, targets: ["fan.bedroom"] },
      { name: "HassTurnOn", slots: { name: "Floor Lamp" }, targets: ["light.floor"] },
      { name: "HassLightSet", slots: { color: "red" }, targets: ["light.floor"] },
    ]);
  });
});
