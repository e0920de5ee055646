import { expect, it } from "vitest";
import { describeEnglishHome } from "../helpers/english-homes.js";

/**
 * Commands as a speech recogniser writes them down (lower case, numbers in words, no commas): words
 * said twice and corrections, a remark before the command, the list said without its name, a level
 * said with "make", a step said with how much before it, the robot vacuum told to go home without
 * being named, a wish to hear a player better, a gadget called by its brand, a half degree said
 * as "point five", and the air conditioning among the thermostats. With
 * Hearth's own English alone and with Home Assistant's English pack beside it
 * (../shared/ha-intents, CC BY 4.0, Home Assistant's intents project). A terraced house of its own,
 * through the real matcher.
 */
const HOME = `
areas:
  - { name: Snug }
  - { name: Galley }
  - { name: Loft }
  - { name: Conservatory }
devices:
  - { id: light.snug_uplighters, name: Uplighters, area: Snug, state: "on", attributes: { brightness: 102 } }
  - { id: light.snug_spots, name: Spotlights, area: Snug, state: "on", attributes: { brightness: 102 } }
  - { id: light.galley_strip, name: Galley Strip, area: Galley, state: "off" }
  - { id: media_player.snug_telly, name: Telly, area: Snug, state: playing }
  - { id: media_player.galley_wireless, name: Galley Wireless, area: Galley, state: playing }
  - { id: vacuum.loft_sweeper, name: Loft Vacuum, area: Loft, state: cleaning }
  - { id: todo.shopping_list, name: Shopping List }
  - { id: todo.diy, name: DIY Jobs }
  - { id: light.galley_pendant, name: Pendant, area: Galley, state: "off" }
  - { id: light.conservatory_lantern, name: Lantern, area: Conservatory, state: "off" }
  - { id: switch.galley_urn, name: Urn, area: Galley, state: "off" }
  - { id: switch.loft_kasa, name: Kasa Plug, area: Loft, state: "off" }
  - { id: switch.snug_smart, name: Smart Plug, area: Snug, state: "off" }
  - { id: cover.conservatory_roof, name: Roof Blinds, area: Conservatory, device_class: blind, state: open }
  - id: climate.snug_stat
    name: Wall Thermostat
    area: Snug
    state: heat
    attributes: { temperature: 19, current_temperature: 18, hvac_modes: ["off", heat] }
  - id: climate.loft_split
    name: Loft Split
    area: Loft
    state: "off"
    attributes: { temperature: 23, current_temperature: 26, hvac_modes: ["off", cool, dry, fan_only] }
`;

/** A flat whose one list for the shops is a to-do list of its own name. */
const FLAT = `
areas: [{ name: Studio }]
devices:
  - { id: light.studio_bulb, name: Bulb, area: Studio, state: "off" }
  - { id: todo.groceries, name: Groceries }
  - { id: todo.chores, name: Chores }
`;

const HOMES = { yaml: HOME, area: "Snug", others: { flat: FLAT } };

describeEnglishHome(HOMES, ({ home, others: { flat }, say }) => {
  it("says once what was said twice, with or without a filler between", () => {
    for (const text of [
      "turn on the the pendant",
      "turn on the um the pendant",
      "switch on the uh the pendant",
      "turn turn on the pendant",
      "turn on the pendant the pendant",
    ])
      expect(say(text, "Snug"), text).toMatchObject({
        name: "HassTurnOn",
        targets: ["light.galley_pendant"],
      });
    expect(say("close the er the roof blinds")).toMatchObject({
      name: "HassTurnOff",
      targets: ["cover.conservatory_roof"],
    });
  });

  it("acts on the correction where the speaker corrects themselves", () => {
    for (const text of [
      "turn on the pendant no the lantern",
      "turn on the galley no the conservatory light",
      "switch on the pendant sorry i mean the lantern",
      "turn on the pendant i mean lantern",
      "turn on the urn actually the lantern",
    ])
      expect(say(text), text).toMatchObject({ name: "HassTurnOn", targets: ["light.conservatory_lantern"] });
    expect(say("set the lights to forty no sixty percent")).toMatchObject({
      name: "HassLightSet",
      slots: { brightness: 60 },
    });
    // "No" alone at the start corrects nothing said before.
    home.expectNoCommand("no the lantern");
  });

  it("hears the command after a remark said first, and never the remark alone", () => {
    expect(say("i fancy a cuppa switch on the urn")).toMatchObject({
      name: "HassTurnOn",
      targets: ["switch.galley_urn"],
    });
    expect(say("its glorious out there close the roof blinds")).toMatchObject({
      name: "HassTurnOff",
      targets: ["cover.conservatory_roof"],
    });
    for (const text of [
      "i fancy a cuppa",
      "its glorious out there",
      "i told her to switch on the urn",
      "i think we should switch on the urn",
      "i switched on the urn",
      "i left the pendant on",
      "i like the lantern in the conservatory",
    ])
      home.expectNoCommand(text);
  });

  it("switches a gadget called by its brand, and no plug called by what every plug is", () => {
    expect(say("kasa on")).toMatchObject({ name: "HassTurnOn", targets: ["switch.loft_kasa"] });
    expect(say("turn the kasa off")).toMatchObject({ name: "HassTurnOff", targets: ["switch.loft_kasa"] });
    expect(home.understand("smart on", { area: "Loft" }).understanding.kind).toBe("not-recognized");
  });

  it("sets a thermostat to a half degree said as point five after its bare name", () => {
    for (const text of ["thermostat twenty point five", "wall thermostat nineteen point five"]) {
      const r = say(text);
      expect(r, text).toMatchObject({ name: "HassClimateSetTemperature", targets: ["climate.snug_stat"] });
      expect([20.5, 19.5], text).toContain(r.slots.temperature);
    }
  });

  it("takes the air conditioning for the climate device that cools, not the heat-only thermostat", () => {
    for (const text of [
      "turn on the air conditioning",
      "switch the air con on",
      "set the air con to twenty one",
    ])
      expect(say(text, "Snug").targets, text).toEqual(["climate.loft_split"]);
    // The heating is still the room's thermostat.
    expect(say("turn on the heating").targets).toEqual(["climate.snug_stat"]);
  });

  it("puts an item said for no list by name on the shopping list", () => {
    for (const [text, item] of [
      ["add oat milk to the list", "oat milk"],
      ["put lentils on my list", "lentils"],
      ["remind me to buy firelighters", "firelighters"],
    ] as const) {
      expect(say(text), text).toMatchObject({
        name: "HassShoppingListAddItem",
        slots: { item },
        targets: ["todo.shopping_list"],
      });
    }
    const items = home.lists.list("todo.shopping_list")?.items.map((i) => i.summary);
    expect(items).toEqual(expect.arrayContaining(["oat milk", "lentils", "firelighters"]));
    expect(home.lists.list("todo.diy")?.items ?? []).toHaveLength(0);
    // A list named is still that list.
    expect(say("add sandpaper to the diy jobs list")).toMatchObject({
      name: "HassListAddItem",
      targets: ["todo.diy"],
    });
  });

  it("puts it on the home's one list for the shops where there is no shopping list", () => {
    expect(flat.saidOnce("add rice to the list", "Studio")).toMatchObject({
      name: "HassListAddItem",
      slots: { item: "rice", name: "Groceries" },
      targets: ["todo.groceries"],
    });
    expect(flat.saidOnce("remind me to buy matches", "Studio").targets).toEqual(["todo.groceries"]);
    expect(flat.lists.list("todo.groceries")?.items.map((i) => i.summary)).toEqual(["rice", "matches"]);
  });

  it("sets the room's lights to a level said with make, and a step said with how much", () => {
    expect(say("make the lights fifty percent")).toMatchObject({
      name: "HassLightSet",
      slots: { brightness: 50 },
      targets: ["light.snug_spots", "light.snug_uplighters"],
    });
    const brighter = say("a little bit brighter please");
    expect(brighter).toMatchObject({
      name: "HassLightSet",
      targets: ["light.snug_spots", "light.snug_uplighters"],
    });
    expect(Number(brighter.slots.brightness)).toBeGreaterThan(40);
    const dimmer = say("a tad dimmer", "Snug");
    expect(Number(dimmer.slots.brightness)).toBeLessThan(40);
  });

  it("sends the one robot vacuum home when told so without its name, and starts it when switched on", () => {
    for (const text of ["go back to your dock", "go home and charge", "head back to the charging station"])
      expect(say(text, "Galley"), text).toMatchObject({
        name: "HassVacuumReturnToBase",
        targets: ["vacuum.loft_sweeper"],
      });
    expect(say("turn on the vacuum", "Galley")).toMatchObject({
      name: "HassVacuumStart",
      targets: ["vacuum.loft_sweeper"],
    });
    // Said to someone on their way out, it is no order for the robot.
    home.expectNoCommand("go home", "Galley");
  });

  it("turns a player up when the speaker cannot hear it", () => {
    expect(say("i cant hear the telly")).toMatchObject({
      name: "HassSetVolumeRelative",
      slots: { volume_step: "up" },
      targets: ["media_player.snug_telly"],
    });
    expect(say("we can barely hear the galley wireless")).toMatchObject({
      name: "HassSetVolumeRelative",
      slots: { volume_step: "up" },
      targets: ["media_player.galley_wireless"],
    });
    home.expectNoCommand("i cant hear you");
  });
});
