import { afterAll, beforeAll, describe, expect, it, test } from "vitest";
import { leftOff } from "../../src/intents/catalog.js";
import type { Entity } from "../../src/registry/types.js";
import { describeResult, germanHome } from "../helpers/german-home.js";
import { type ActingUnderstanding, ENGLISH_VARIANTS, openYamlHome } from "../helpers/understanding.js";

/**
 * Sentences that once made Hearth do what nobody asked for (issue 12): a question about a list
 * taken for an item to add, a light that was off switched on by "dim it", one lamp of another room
 * for "the lamps", the weather for a question about a room. A cottage of its own in English (with
 * Hearth's own English alone and with Home Assistant's English pack beside it, ../shared/ha-intents,
 * CC BY 4.0) and a German town house (tests/intents/fixtures/home-de-stadthaus.yaml), through the
 * real matcher and the list handler.
 */
const COTTAGE = `
floors: [{ name: Ground Floor }]
areas:
  - { name: Kitchen, floor: Ground Floor }
  - { name: Snug, floor: Ground Floor }
  - { name: Landing, floor: Ground Floor }
  - { name: Study, floor: Ground Floor }
  - { name: Nursery, floor: Ground Floor }
devices:
  - { id: light.landing, name: Landing Light, area: Landing, state: "off", attributes: { supported_color_modes: [brightness] } }
  - { id: light.kitchen_ceiling, name: Kitchen Ceiling, area: Kitchen, state: "on", attributes: { brightness: 200, supported_color_modes: [brightness] } }
  - { id: light.worktop, name: Worktop Light, area: Kitchen, state: "off", attributes: { supported_color_modes: [brightness] } }
  - { id: light.study_lamp, name: Study Lamp, area: Study, state: "off", attributes: { supported_color_modes: [brightness] } }
  - { id: light.snug_floor_lamp, name: Snug Floor Lamp, area: Snug, state: "off", attributes: { supported_color_modes: [brightness] } }
  - { id: light.snug_table_lamp, name: Snug Table Lamp, area: Snug, state: "off", attributes: { supported_color_modes: [brightness] } }
  - { id: climate.nursery, name: Nursery Radiator, area: Nursery, state: heat, attributes: { current_temperature: 19, temperature: 20 } }
  - { id: sensor.kitchen_thermometer, name: Kitchen Thermometer, area: Kitchen, device_class: temperature, unit: "°C", state: "23.5" }
  - { id: weather.home, name: Home, state: sunny, attributes: { temperature: 3 } }
  - { id: todo.chores, name: Chores, state: "0" }
`;

describe.each(ENGLISH_VARIANTS)("%s", (_variant, sentences) => {
  let home: ActingUnderstanding;

  beforeAll(async () => {
    home = await openYamlHome(COTTAGE, await sentences(), (lists, registry) => {
      for (const e of registry.entities().filter((x) => x.domain === "todo")) lists.ensure(e.id, e.name);
    });
  });

  afterAll(() => home?.close());

  const reply = (text: string, area = "Kitchen") => home.understand(text, { area }).reply;

  it("reads the shopping list out when asked what is on it, and adds nothing", () => {
    expect(home.saidOnce("add oat milk and eggs to the shopping list", "Kitchen").name).toBe(
      "HassShoppingListAddItem",
    );
    for (const text of ["what's on the shopping list", "what is on my list", "read me the shopping list"]) {
      expect(home.saidOnce(text, "Kitchen").name, text).toBe("HassShoppingListLastItems");
      expect(reply(text), text).toBe("On the shopping list: oat milk and eggs.");
    }
    const items = home.lists.list("todo.shopping_list")?.items.map((i) => i.summary) ?? [];
    expect(items.filter((i) => /what|read|list/i.test(i))).toEqual([]);
  });

  it("dims no light that is off into being on; a level said still switches it on", () => {
    const landing = { id: "light.landing", state: "off" } as Entity;
    for (const text of ["dim the landing light", "turn the landing light down a bit"]) {
      const got = home.saidOnce(text, "Kitchen");
      expect(got.targets, text).toEqual(["light.landing"]);
      // The act step sends nothing to a light that is off for a step down.
      expect(leftOff(got, landing), text).toBe(true);
      expect(reply(text), text).toBe("The landing light is off.");
    }
    const set = home.saidOnce("landing light to 30 percent");
    expect(set).toMatchObject({
      name: "HassLightSet",
      slots: { brightness: 30 },
      targets: ["light.landing"],
    });
    expect(leftOff(set, landing)).toBe(false);
    // Of a room's lights, those that are on are dimmed; the one that is off stays off.
    const room = home.saidOnce("dim the kitchen lights");
    expect(room.name).toBe("HassLightSet");
    expect(leftOff(room, { id: "light.worktop", state: "off" } as Entity)).toBe(true);
    expect(leftOff(room, { id: "light.kitchen_ceiling", state: "on" } as Entity)).toBe(false);
  });

  it("takes 'the lamps' for the lamps of the speaker's room, never one lamp of another room", () => {
    expect(home.saidOnce("put the lamps on", "Snug").targets).toEqual([
      "light.snug_floor_lamp",
      "light.snug_table_lamp",
    ]);
    for (const area of ["Kitchen", "Nursery"]) {
      for (const text of ["put the lamps on", "turn on the lamps"]) {
        const u = home.understand(text, { area }).understanding;
        const targets = u.kind === "recognized" ? u.intents.flatMap((i) => i.targets) : [];
        expect(targets, `${text} in the ${area}`).not.toContain("light.study_lamp");
      }
    }
  });

  it("answers how warm the room is when asked of a room, and the weather when asked of outside", () => {
    expect(home.saidOnce("is it cold in here", "Kitchen")).toMatchObject({
      name: "HassGetState",
      targets: ["sensor.kitchen_thermometer"],
    });
    expect(home.saidOnce("is it warm in the nursery", "Kitchen")).toMatchObject({
      name: "HassClimateGetTemperature",
      targets: ["climate.nursery"],
    });
    expect(home.saidOnce("is it cold in here", "Nursery").name).toBe("HassClimateGetTemperature");
    expect(home.saidOnce("is it cold outside", "Kitchen").name).toBe("HassGetWeather");
  });

  it("reads a to-do list by its name, and says so when it is empty", () => {
    expect(home.saidOnce("what's on the chores list")).toMatchObject({
      name: "HassListGetItems",
      targets: ["todo.chores"],
    });
    expect(reply("what's on the chores list")).toBe("There is nothing on the chores list.");
  });
});

describe("German", () => {
  const { actingHome } = germanHome("home-de-stadthaus.yaml");
  const home = actingHome();

  const reply = (text: string, area = "Küche") => {
    const r = home.understand(text, { area });
    expect(r.understanding.kind, describeResult(r.understanding)).toBe("recognized");
    return r.reply;
  };

  test("a question about the shopping list reads it out and adds nothing", () => {
    expect(reply("pack Haferflocken auf die Einkaufsliste")).toBe("Haferflocken hinzugefügt");
    for (const text of [
      "was steht auf der Einkaufsliste",
      "was haben wir auf der Einkaufsliste",
      "lies mir die Einkaufsliste vor",
    ]) {
      expect(home.saidOnce(text).name, text).toMatch(/^Hass(ShoppingListLastItems|ListGetItems)$/);
      expect(reply(text), text).toBe("Auf der Einkaufsliste steht: Haferflocken");
    }
    expect(home.lists.list("todo.einkaufsliste")?.items.map((i) => i.summary)).toEqual(["Haferflocken"]);
  });

  test("dimming a light that is off leaves it off; a level said switches it on", () => {
    const flur = { id: "light.flurlicht", state: "off" } as Entity;
    for (const text of ["mach das Flurlicht etwas dunkler", "dimme das Flurlicht"]) {
      const got = home.saidOnce(text);
      expect(got.targets, text).toEqual(["light.flurlicht"]);
      expect(leftOff(got, flur), text).toBe(true);
    }
    const set = home.saidOnce("Flurlicht auf 30 Prozent");
    expect(set).toMatchObject({
      name: "HassLightSet",
      slots: { brightness: 30 },
      targets: ["light.flurlicht"],
    });
    expect(leftOff(set, flur)).toBe(false);
  });
});
