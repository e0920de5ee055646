import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { family, type HeldoutCommand, judge } from "../../bench/lib/heldout-judge.mjs";
import { parseConfig } from "../../src/config/parse-config.js";
import { registryFromConfig } from "../../src/registry/from-config.js";

const sets = [
  { dir: "heldout", commands: 200, others: 200 },
  { dir: "heldout-de", commands: 150, others: 100 },
  { dir: "heldout-ha", commands: 351, others: 100 },
  { dir: "heldout-de-ha", commands: 391, others: 100 },
  { dir: "heldout-ha2", commands: 434, others: 150 },
  { dir: "heldout-talk", commands: 326, others: 120 },
  { dir: "heldout-de-talk", commands: 250, others: 100 },
  { dir: "heldout-de-ha2", commands: 340, others: 100 },
  { dir: "heldout-us", commands: 280, others: 120 },
  { dir: "heldout-gb", commands: 328, others: 120 },
  { dir: "heldout-au", commands: 336, others: 120 },
  { dir: "heldout-in", commands: 300, others: 120 },
  { dir: "heldout-crowd2", commands: 324, others: 120 },
  { dir: "heldout-ha3", commands: 377, others: 120 },
  { dir: "heldout-crowd3", commands: 375, others: 120 },
  { dir: "heldout-de-ha3", commands: 425, others: 120 },
  { dir: "heldout-esl", commands: 320, others: 120 },
  { dir: "heldout-de-region", commands: 320, others: 120 },
  { dir: "heldout-switch", commands: 320, others: 120 },
  { dir: "heldout-elder", commands: 300, others: 120 },
  { dir: "heldout-de-switch", commands: 300, others: 120 },
];

describe.each(sets)("the held-out yardstick's files in bench/$dir", (set) => {
  const dir = new URL(`../../bench/${set.dir}/`, import.meta.url);
  const read = (name: string) => readFileSync(new URL(name, dir), "utf8");
  const commands = (parse(read("commands.yaml")) as { commands: HeldoutCommand[] }).commands;
  const others = (parse(read("other.yaml")) as { sentences: string[] }).sentences;

  test(`describe a valid home, ${set.commands} different commands and ${set.others} different other sentences`, () => {
    expect(() => parseConfig(read("home.yaml"), `bench/${set.dir}/home.yaml`)).not.toThrow();
    expect(commands).toHaveLength(set.commands);
    expect(new Set(commands.map((c) => c.say)).size).toBe(set.commands);
    expect(others).toHaveLength(set.others);
    expect(new Set(others).size).toBe(set.others);
  });

  test("expect only devices and areas the home has, and an intent for every command", () => {
    const registry = registryFromConfig(parseConfig(read("home.yaml")));
    const ids = new Set(registry.entities().map((e) => e.id));
    const areas = new Set(registry.areas().map((a) => a.name));
    for (const c of commands) {
      if (c.area !== undefined) expect(areas, c.say).toContain(c.area);
      for (const want of c.intents ?? [c]) {
        expect(want.intent, c.say).toBeDefined();
        for (const t of want.targets ?? []) expect(ids, c.say).toContain(t);
      }
    }
  });
});

describe("judging a command", () => {
  const lampRed: HeldoutCommand = {
    say: "turn the floor lamp red",
    intent: "HassLightSet",
    targets: ["light.floor_lamp"],
    slots: { color: "red" },
  };

  test("counts it understood when intent, targets (in any order) and key slots are right", () => {
    const out = {
      intents: [
        { name: "HassLightSet", slots: { color: "Red", name: "Floor Lamp" }, targets: ["light.floor_lamp"] },
      ],
    };
    expect(judge(lampRed, out).outcome).toBe("understood");
    const kitchen: HeldoutCommand = {
      say: "kitchen lights to 50%",
      intent: "HassLightSet",
      targets: ["light.a", "light.b"],
      slots: { brightness: 50 },
    };
    const got = {
      intents: [{ name: "HassLightSet", slots: { brightness: "50" }, targets: ["light.b", "light.a"] }],
    };
    expect(judge(kitchen, got).outcome).toBe("understood");
  });

  test("tells a wrong colour or a wrong device from a wrong intent and from nothing understood", () => {
    const blue = {
      intents: [{ name: "HassLightSet", slots: { color: "blue" }, targets: ["light.floor_lamp"] }],
    };
    expect(judge(lampRed, blue)).toEqual({ outcome: "partly", why: "slots" });
    const other = {
      intents: [{ name: "HassLightSet", slots: { color: "red" }, targets: ["light.led_strip"] }],
    };
    expect(judge(lampRed, other)).toEqual({ outcome: "partly", why: "targets" });
    const on = { intents: [{ name: "HassTurnOn", slots: {}, targets: ["light.floor_lamp"] }] };
    expect(judge(lampRed, on).outcome).toBe("wrong_intent");
    expect(judge(lampRed, { intents: [] }).outcome).toBe("not_understood");
  });

  test("accepts any of several intents that would do what was asked", () => {
    const c: HeldoutCommand = { say: "volume up", intent: ["HassSetVolumeRelative", "HassSetVolume"] };
    expect(
      judge(c, { intents: [{ name: "HassSetVolume", slots: { volume_level: 60 }, targets: [] }] }).outcome,
    ).toBe("understood");
  });

  test("needs both commands of a sentence holding two, in order", () => {
    const c: HeldoutCommand = {
      say: "turn off the tv and the lights",
      intents: [
        { intent: "HassTurnOff", targets: ["media_player.tv"] },
        { intent: "HassTurnOff", targets: ["light.a"] },
      ],
    };
    const tv = { name: "HassTurnOff", slots: {}, targets: ["media_player.tv"] };
    expect(
      judge(c, { intents: [tv, { name: "HassTurnOff", slots: {}, targets: ["light.a"] }] }).outcome,
    ).toBe("understood");
    expect(judge(c, { intents: [tv, { name: "HassTurnOn", slots: {}, targets: ["light.a"] }] }).outcome).toBe(
      "wrong_intent",
    );
    expect(judge(c, { intents: [tv] }).outcome).toBe("partly");
  });

  test("counts each command under the family of what it asks for", () => {
    expect(family(lampRed)).toBe("light colour");
    expect(family({ say: "dim the lights", intent: "HassLightSet" })).toBe("light brightness");
    expect(family({ say: "open the blinds", intent: "HassTurnOn", targets: ["cover.blinds"] })).toBe(
      "covers",
    );
    expect(family({ say: "kettle off", intent: "HassTurnOff", targets: ["switch.kettle"] })).toBe(
      "plugs and switches",
    );
    expect(family({ say: "pause", intent: "HassMediaPause" })).toBe("media");
    expect(family({ say: "a", intents: [] })).toBe("two commands at once");
  });
});
