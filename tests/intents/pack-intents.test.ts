import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/parse-config.js";
import { fixedClock } from "../../src/core/clock.js";
import { listEntity, SHOPPING_LIST } from "../../src/intents/lists.js";
import { registryFromConfig } from "../../src/registry/from-config.js";
import { ActingUnderstanding, packSentences } from "../helpers/understanding.js";

/**
 * Every intent of Home Assistant's English pack acting for real (what is done; the replies are the
 * pack's own responses, and Hearth's are tested in replies.test.ts), through the real matcher with the
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

let home: ActingUnderstanding;

beforeAll(async () => {
  home = await ActingUnderstanding.open({
    sentences: await packSentences([PACK], "en"),
    registry: registryFromConfig(parseConfig(HOME, "home.yaml")),
    clock: fixedClock(new Date(2026, 0, 1, 12)),
    prepare: (lists, registry) => {
      for (const l of lists.lists()) registry.upsertEntity(listEntity(l));
    },
  });
});

afterAll(() => home?.close());

/** The one intent understood (name, slots, targets) and the reply. */
function say(text: string) {
  const r = home.understand(text);
  if (r.understanding.kind !== "recognized") throw new Error(`${text}: ${JSON.stringify(r.understanding)}`);
  const [intent] = r.understanding.intents;
  return {
    name: intent?.name,
    slots: intent?.slots,
    targets: intent?.targets,
    response: intent?.response,
    reply: r.reply,
  };
}

describe("Home Assistant's English intents, acting for real", () => {
  it("adds to and checks off a list kept by Hearth", () => {
    // The shopping list's own to-do list, named, is the shopping-list intent, as Home Assistant answers it.
    expect(say("add apples to my shopping list")).toMatchObject({
      name: "HassShoppingListAddItem",
      slots: { item: "apples" },
    });
    expect(home.lists.list(SHOPPING_LIST.id)?.items).toEqual([
      expect.objectContaining({ summary: "apples" }),
    ]);
    expect(say("check off apples from my shopping list").name).toBe("HassShoppingListCompleteItem");
    expect(home.lists.list(SHOPPING_LIST.id)?.items[0]?.status).toBe("completed");
  });

  it("broadcasts a message over every Hearth", () => {
    expect(say("broadcast that dinner is ready")).toMatchObject({
      name: "HassBroadcast",
      slots: { message: "dinner is ready" },
    });
    expect(home.broadcasts).toEqual(["dinner is ready"]);
  });

  it("asks the media player named or in the area to find and play something", () => {
    expect(say("play Pink Floyd on the living room TV")).toMatchObject({
      name: "HassMediaSearchAndPlay",
      targets: ["media_player.tv"],
    });
    say("play some jazz in the living room");
    expect(home.media).toEqual([
      { search_query: "Pink Floyd", targets: ["media_player.tv"] },
      { search_query: "jazz", targets: ["media_player.tv"] },
    ]);
  });

  it("answers with a fixed response", () => {
    expect(say("hello")).toMatchObject({ name: "HassRespond", response: "hello" });
  });

  it.each<[string, string | undefined, string[]]>([
    ["how many lights are on", "how_many", ["light.kitchen", "light.sofa"]],
    ["are all the lights on", "all", ["light.kitchen", "light.sofa"]],
    ["which windows are open", "which", ["binary_sensor.hall_window", "binary_sensor.kitchen_window"]],
    ["is the phone charging", "one_yesno", ["binary_sensor.phone_charging"]],
    ["what is the phone battery", "one", ["sensor.phone_battery"]],
  ])("asks %j of the right devices, as the sentence asks it", (text, response, targets) => {
    const r = say(text);
    expect(r).toMatchObject({ name: "HassGetState", targets });
    expect(r.response).toBe(response);
    expect(r.reply).not.toBe("");
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
    });
  });

  it("tells the weather for a named place", () => {
    expect(say("what is the weather in New York")).toMatchObject({
      name: "HassGetWeather",
      targets: ["weather.new_york"],
    });
  });
});

describe("replies with language packs configured", () => {
  it("answer a sentence Hearth's own templates matched in Hearth's words, not with the pack's response", () => {
    const own = say("is the water valve closed");
    expect(own).toMatchObject({ name: "HassGetState", targets: ["valve.water"] });
    expect(own.reply).toBe("Yes, the water valve is closed.");
    // A sentence the pack's template matched still gets the pack's response.
    expect(say("is the kitchen light on")).toMatchObject({ response: "one_yesno", reply: "Yes" });
  });
});
