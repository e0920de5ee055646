import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/parse-config.js";
import { intentsSchema } from "../../src/config/schema.js";
import { fixedClock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import type { MediaRequest } from "../../src/intents/handlers.js";
import { ListStore, listEntity, SHOPPING_LIST } from "../../src/intents/lists.js";
import { loadSentences } from "../../src/intents/sentences.js";
import { TextUnderstanding } from "../../src/intents/text-understanding.js";
import { TimerManager } from "../../src/intents/timers.js";
import { registryFromConfig } from "../../src/registry/from-config.js";

/**
 * Every intent of Home Assistant's English pack acting for real, through the real matcher with the
 * pack's own sentences (../shared/ha-intents, CC BY 4.0, Home Assistant's intents project) beside
 * Hearth's: lists, broadcasts, media search, fixed responses, state questions answered as asked,
 * positions of covers and valves, the weather for a named place.
 */
const PACK = "../shared/ha-intents";
const HOME = `
areas: [{ name: Kitchen }, { name: Living Room }, { name: Garden }]
devices:
  - { id: binary_sensor.kitchen_window, name: Kitchen Window, area: Kitchen, device_class: window, state: "on" }
  - { id: binary_sensor.hall_window, name: Hall Window, device_class: window, state: "off" }
  - { id: light.kitchen, name: Kitchen Light, area: Kitchen, state: "on" }
  - { id: light.sofa, name: Sofa Lamp, area: Living Room, state: "off" }
  - { id: media_player.tv, name: Living Room TV, area: Living Room, state: idle }
  - { id: weather.new_york, name: New York, state: sunny, attributes: { temperature: 21 } }
  - { id: valve.water, name: Water Valve, area: Garden, state: closed }
  - { id: cover.blind, name: Kitchen Blind, area: Kitchen, device_class: blind, state: open }
  - { id: binary_sensor.phone_charging, name: Phone, device_class: battery_charging, state: "on" }
  - { id: sensor.phone_battery, name: Phone, device_class: battery, unit: "%", state: 50 }
`;

let dir: string;
let u: TextUnderstanding;
let lists: ListStore;
const broadcasts: string[] = [];
const media: MediaRequest[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hearth-pack-intents-"));
  const sentences = await loadSentences(intentsSchema.parse({ packs: [PACK] }), {
    language: "en",
    configDir: process.cwd(),
  });
  const registry = registryFromConfig(parseConfig(HOME, "home.yaml"));
  lists = new ListStore({ file: join(dir, "lists.json"), log: silentLogger() });
  for (const l of lists.lists()) registry.upsertEntity(listEntity(l));
  const clock = fixedClock(new Date(2026, 0, 1, 12));
  u = new TextUnderstanding({
    sentences,
    registry,
    timers: new TimerManager(clock),
    lists,
    broadcast: (message) => broadcasts.push(message),
    playMedia: (request) => media.push(request),
    clock,
    fuzzyThreshold: 0.8,
  });
});

afterAll(async () => {
  await lists?.flush();
  await rm(dir, { recursive: true, force: true });
});

/** The one intent understood (name, slots, targets) and the reply. */
function say(text: string) {
  const r = u.understand(text);
  if (r.understanding.kind !== "recognized") throw new Error(`${text}: ${JSON.stringify(r.understanding)}`);
  const [intent] = r.understanding.intents;
  return { name: intent?.name, slots: intent?.slots, targets: intent?.targets, reply: r.reply };
}

describe("Home Assistant's English intents, acting for real", () => {
  it("adds to and checks off a list kept by Hearth", () => {
    expect(say("add apples to my shopping list")).toMatchObject({
      name: "HassListAddItem",
      slots: { item: "apples", name: "Shopping List" },
      reply: "Added apples to the shopping list.",
    });
    expect(lists.list(SHOPPING_LIST.id)?.items).toEqual([expect.objectContaining({ summary: "apples" })]);
    expect(say("check off apples from my shopping list").reply).toBe(
      "Checked off apples on the shopping list.",
    );
    expect(lists.list(SHOPPING_LIST.id)?.items[0]?.status).toBe("completed");
  });

  it("broadcasts a message over every Hearth", () => {
    expect(say("broadcast that dinner is ready")).toMatchObject({
      name: "HassBroadcast",
      slots: { message: "dinner is ready" },
      reply: "Broadcast sent.",
    });
    expect(broadcasts).toEqual(["dinner is ready"]);
  });

  it("asks the media player named or in the area to find and play something", () => {
    expect(say("play Pink Floyd on the living room TV")).toMatchObject({
      name: "HassMediaSearchAndPlay",
      targets: ["media_player.tv"],
      reply: "Playing pink floyd on the living room TV.",
    });
    say("play some jazz in the living room");
    expect(media).toEqual([
      { search_query: "pink floyd", targets: ["media_player.tv"] },
      { search_query: "some jazz", targets: ["media_player.tv"] },
    ]);
  });

  it("answers with a fixed response", () => {
    expect(say("hello")).toMatchObject({ name: "HassRespond", reply: "Hello!" });
  });

  it.each([
    ["how many lights are on", "1 light is on."],
    ["are all the lights on", "No, the sofa lamp is not on."],
    ["which windows are open", "1 window is open: the kitchen window."],
    ["is the phone charging", "Yes, the phone is charging."],
    ["what is the phone battery", "The phone battery is 50 percent."],
  ])("answers %j from live state", (text, reply) => {
    expect(say(text).reply).toBe(reply);
  });

  it("sets positions of covers and valves", () => {
    expect(say("set the kitchen blind to 30%")).toMatchObject({
      name: "HassSetPosition",
      slots: { position: 30 },
      targets: ["cover.blind"],
    });
    expect(say("set the water valve to 50%")).toMatchObject({
      name: "HassSetPosition",
      slots: { position: 50 },
      targets: ["valve.water"],
      reply: "Set the water valve to 50 percent open.",
    });
  });

  it("tells the weather for a named place", () => {
    expect(say("what is the weather in New York")).toMatchObject({
      name: "HassGetWeather",
      targets: ["weather.new_york"],
      reply: "It is sunny and 21 degrees in New York.",
    });
  });
});
