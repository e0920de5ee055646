import { expect, it } from "vitest";
import { describeEnglishHome } from "../helpers/english-homes.js";

/*
 * Everyday phrasing heard in Australian, New Zealand and Indian homes that reads a device the way
 * people name it rather than the way it was configured: numbered lamps said in the plural, a plug's
 * number said as a word, two devices sharing one noun, a device switched on "for half an hour" or
 * with the reason after it, a heater called by its last word, "heaps brighter", "give the aircon a
 * blast", "is any heater on" and a light switched on at a level. Said to Hearth's own English alone
 * and with Home Assistant's English pack beside it (../shared/ha-intents, CC BY 4.0, Home
 * Assistant's intents project), through the real matcher, in two homes of their own.
 */

/** A Queenslander with a sleepout and a back verandah, and a flat in Pune with a geyser. */
const HOME = `
floors: [{ name: Ground }, { name: Upstairs }]
areas:
  - { name: Sleepout, floor: Ground }
  - { name: Kitchen, floor: Ground }
  - { name: Family Room, floor: Ground }
  - { name: Back Verandah, floor: Ground }
  - { name: Laundry, floor: Ground }
  - { name: Nursery, floor: Upstairs }
  - { name: Bathroom, floor: Upstairs }
  - { name: Veggie Patch }
devices:
  - { id: light.reading_lamp_1, name: Reading Lamp 1, area: Sleepout, state: "on", attributes: { brightness: 200, supported_color_modes: [brightness] } }
  - { id: light.reading_lamp_2, name: Reading Lamp 2, area: Sleepout, state: "on", attributes: { brightness: 200, supported_color_modes: [brightness] } }
  - { id: light.sleepout_ceiling, name: Sleepout Ceiling, area: Sleepout, state: "on" }
  - { id: light.verandah_fairy, name: Fairy Lights, area: Back Verandah, state: "on" }
  - { id: light.verandah_wall, name: Verandah Wall Light, area: Back Verandah, state: "on" }
  - { id: light.family_downlights, name: Family Downlights, area: Family Room, state: "on", attributes: { brightness: 64, supported_color_modes: [brightness] } }
  - { id: light.nursery_nightlight, name: Nightlight, area: Nursery, state: "off", attributes: { supported_color_modes: [brightness] } }
  - { id: light.kitchen_bench, name: Bench Light, area: Kitchen, state: "off", attributes: { supported_color_modes: [brightness] } }
  - { id: switch.zapper_plug_4, name: Zapper Plug 4, area: Kitchen, state: "off" }
  - { id: switch.zapper_plug_7, name: Zapper Plug 7, area: Laundry, state: "off" }
  - { id: switch.jug, name: Jug, area: Kitchen, state: "off" }
  - { id: switch.bath_geyser, name: Geyser, area: Bathroom, state: "off" }
  - { id: switch.column_heater, name: Column Heater, area: Nursery, state: "off" }
  - { id: lock.side_gate, name: Side Gate, area: Back Verandah, state: unlocked }
  - { id: lock.garden_gate, name: Garden Gate, area: Veggie Patch, state: unlocked }
  - { id: cover.nursery_shutters, name: Nursery Shutters, area: Nursery, device_class: shutter, state: closed }
  - { id: cover.sleepout_shutters, name: Sleepout Shutters, area: Sleepout, device_class: shutter, state: closed }
  - { id: valve.drippers, name: Drippers, area: Veggie Patch, state: closed }
  - { id: climate.reverse_cycle, name: Reverse Cycle, area: Family Room, state: "off", attributes: { temperature: 23, current_temperature: 29 } }
`;

/** The same kind of home with two heaters and two numbered lamps in different rooms. */
const TWO_OF_EACH = `
areas:
  - { name: Sleepout }
  - { name: Nursery }
  - { name: Study }
devices:
  - { id: switch.column_heater, name: Column Heater, area: Nursery, state: "on" }
  - { id: switch.panel_heater, name: Panel Heater, area: Study, state: "off" }
  - { id: light.reading_lamp_1, name: Reading Lamp 1, area: Sleepout, state: "on" }
  - { id: light.reading_lamp_2, name: Reading Lamp 2, area: Study, state: "on" }
`;

const HOMES = { yaml: HOME, area: "Family Room", others: { two: TWO_OF_EACH } };

describeEnglishHome(HOMES, ({ home, others: { two }, say }) => {
  const reading = ["light.reading_lamp_1", "light.reading_lamp_2"];

  it("acts on every lamp of a numbered pair said in the plural, and asks which of them said once", () => {
    for (const text of ["turn off the reading lamps", "switch the reading lamps off"])
      expect(say(text, "Sleepout"), text).toMatchObject({ name: "HassTurnOff", targets: reading });
    expect(say("dim the reading lamps", "Sleepout")).toMatchObject({
      name: "HassLightSet",
      targets: reading,
    });
    const asked = home.understand("turn off the reading lamp", { area: "Sleepout" });
    expect(asked.understanding).toMatchObject({ kind: "not-recognized", reason: "ambiguous" });
    expect(asked.reply).toMatch(/Reading Lamp 1.*Reading Lamp 2/);
    // Each one is still itself, by digit or by word.
    expect(say("turn off reading lamp 2", "Sleepout")).toMatchObject({ targets: ["light.reading_lamp_2"] });
    expect(say("turn off reading lamp two", "Sleepout")).toMatchObject({ targets: ["light.reading_lamp_2"] });
  });

  it("takes the lamps of a numbered pair in two rooms all together, and the one in the speaker's room alone", () => {
    expect(two.saidOnce("turn off the reading lamps", "Nursery")).toMatchObject({ targets: reading });
    expect(two.saidOnce("turn off the reading lamp", "Study")).toMatchObject({
      targets: ["light.reading_lamp_2"],
    });
  });

  it("matches a plug's number said as a word", () => {
    expect(say("zapper plug seven on")).toMatchObject({
      name: "HassTurnOn",
      targets: ["switch.zapper_plug_7"],
    });
    expect(say("switch off the zapper plug four")).toMatchObject({
      name: "HassTurnOff",
      targets: ["switch.zapper_plug_4"],
    });
  });

  it("puts a place's lights out and on", () => {
    expect(say("lights out on the back verandah")).toMatchObject({
      name: "HassTurnOff",
      targets: ["light.verandah_fairy", "light.verandah_wall"],
    });
    expect(say("lights on in the kitchen")).toMatchObject({
      name: "HassTurnOn",
      targets: ["light.kitchen_bench"],
    });
  });

  it("acts on two devices that share the noun said once after both", () => {
    expect(home.said("lock the side and garden gates")).toMatchObject([
      { name: "HassTurnOn", targets: ["lock.side_gate"] },
      { name: "HassTurnOn", targets: ["lock.garden_gate"] },
    ]);
    const opened = home.said("open the nursery and sleepout shutters");
    expect(opened.flatMap((i) => i.targets).sort()).toEqual([
      "cover.nursery_shutters",
      "cover.sleepout_shutters",
    ]);
    expect(opened.every((i) => i.name === "HassTurnOn")).toBe(true);
  });

  it("switches a device on for a while without taking how long for a place", () => {
    for (const [text, target, seconds] of [
      ["turn the column heater on for half an hour", "switch.column_heater", 1800],
      ["run the drippers for twenty minutes", "valve.drippers", 1200],
      ["switch on the geyser for 15 minutes", "switch.bath_geyser", 900],
    ] as const) {
      expect(say(text), text).toMatchObject({
        name: "HassTurnOn",
        slots: { for_seconds: seconds },
        targets: [target],
      });
    }
    // The reply says for how long, and a timer switches it back when the while is over.
    const heater = home.understand("turn the column heater on for half an hour", { area: "Nursery" });
    expect(heater.reply).toBe("Turned on the column heater for 30 minutes.");
    const started = home.timerEvents.at(-1);
    expect(started).toMatchObject({ event: "started", timer: { seconds: 1800 } });
    const back = started?.timer.command ?? "";
    expect(say(back)).toMatchObject({ name: "HassTurnOff", targets: ["switch.column_heater"] });
    expect(say(String(say("run the drippers for twenty minutes").slots.conversation_command))).toMatchObject({
      name: "HassTurnOff",
      targets: ["valve.drippers"],
    });
    // A timer is still a timer.
    expect(say("set a timer for ten minutes")).toMatchObject({
      name: "HassStartTimer",
      slots: { minutes: 10 },
    });
  });

  it("leaves out the reason said after a whole command", () => {
    for (const [text, target] of [
      ["put the jug on for a cuppa", "switch.jug"],
      ["turn on the geyser, I have to take a bath", "switch.bath_geyser"],
      ["switch on the geyser I want to bathe", "switch.bath_geyser"],
      ["turn the column heater on so we can get the baby changed", "switch.column_heater"],
    ] as const) {
      expect(say(text), text).toMatchObject({ name: "HassTurnOn", targets: [target] });
    }
    home.expectNoCommand("I want to go to the beach");
  });

  it("calls a device by the last word of its name where it is the only one, and asks which of two", () => {
    expect(say("whack the heater on")).toMatchObject({
      name: "HassTurnOn",
      targets: ["switch.column_heater"],
    });
    expect(say("switch the downlights off")).toMatchObject({
      name: "HassTurnOff",
      targets: ["light.family_downlights"],
    });
    const asked = two.understand("whack the heater on", { area: "Sleepout" });
    expect(asked.understanding).toMatchObject({ kind: "not-recognized", reason: "ambiguous" });
    // In a room with one of them, that one.
    expect(two.saidOnce("whack the heater on", "Study")).toMatchObject({ targets: ["switch.panel_heater"] });
  });

  it("makes lights heaps brighter and gives the aircon a blast", () => {
    expect(say("make the family downlights heaps brighter")).toMatchObject({
      name: "HassLightSet",
      slots: { brightness: 75 },
      targets: ["light.family_downlights"],
    });
    expect(say("make the reading lamps heaps dimmer", "Sleepout")).toMatchObject({
      name: "HassLightSet",
      slots: { brightness: 28 },
      targets: reading,
    });
    expect(say("give the reverse cycle a blast")).toMatchObject({
      name: "HassTurnOn",
      targets: ["climate.reverse_cycle"],
    });
  });

  it("asks whether a heater was left on rather than switching it", () => {
    expect(say("did I switch off the heater in the nursery")).toMatchObject({
      name: "HassGetState",
      slots: { state: "off" },
      targets: ["switch.column_heater"],
    });
    expect(say("is any heater on")).toMatchObject({
      name: "HassGetState",
      targets: ["switch.column_heater"],
    });
    expect(two.saidOnce("is any heater on", "Sleepout")).toMatchObject({
      name: "HassGetState",
      slots: { state: "on" },
      targets: ["switch.column_heater", "switch.panel_heater"],
    });
  });

  it("switches a light on at a level", () => {
    expect(say("switch on the nightlight at 50 percent")).toMatchObject({
      name: "HassLightSet",
      slots: { brightness: 50 },
      targets: ["light.nursery_nightlight"],
    });
    expect(say("turn on the bench light to 30%")).toMatchObject({
      name: "HassLightSet",
      slots: { brightness: 30 },
      targets: ["light.kitchen_bench"],
    });
    expect(say("turn the kitchen lights on at twenty percent")).toMatchObject({
      name: "HassLightSet",
      slots: { brightness: 20 },
      targets: ["light.kitchen_bench"],
    });
  });
});
