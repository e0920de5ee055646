import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { intentsSchema } from "../../src/config/schema.js";
import { assistantNames, loadSentences } from "../../src/intents/sentences.js";
import { describeEnglishHome } from "../helpers/english-homes.js";
import { type ActingUnderstanding, checkoutStateDir, openYamlHome } from "../helpers/understanding.js";

/**
 * What a household says to a speaker beyond the single plain command, with Hearth's own English
 * alone and with Home Assistant's English pack beside it (../shared/ha-intents, CC BY 4.0, Home
 * Assistant's intents project): a fan moved a step faster or slower, a word that points back at the
 * first part of a sentence ("… and dim it", "… and the ones in the hall"), commands said by name
 * to someone else in the room. A home of its own, through the real matcher and resolver.
 */
const HOME = `
site: { name: Hearth }
floors: [{ name: Downstairs }, { name: Upstairs }]
areas:
  - { name: Porch, floor: Downstairs }
  - { name: Parlour, floor: Downstairs, aliases: [front room] }
  - { name: Scullery, floor: Downstairs }
  - { name: Loft, floor: Upstairs }
  - { name: Nursery, floor: Upstairs }
  - { name: Mia's Room, floor: Upstairs }
devices:
  - { id: light.porch_lantern, name: Porch Lantern, area: Porch, state: "off", attributes: { supported_color_modes: [brightness] } }
  - { id: light.parlour_lamp, name: Parlour Lamp, area: Parlour, state: "on", attributes: { brightness: 128, supported_color_modes: [brightness] } }
  - { id: light.scullery_bulb, name: Scullery Bulb, area: Scullery, state: "on", attributes: { brightness: 255, supported_color_modes: [brightness] } }
  - { id: light.scullery_strip, name: Worktop Strip, area: Scullery, state: "on", attributes: { brightness: 255, supported_color_modes: [brightness] } }
  - { id: light.mias_nightlight, name: Mia's Nightlight, area: Nursery, state: "off", attributes: { supported_color_modes: [brightness] } }
  - { id: light.mias_room, name: Mia's Room Light, area: Mia's Room, state: "off", attributes: { supported_color_modes: [onoff] } }
  - { id: fan.parlour_ceiling, name: Parlour Ceiling Fan, area: Parlour, state: "on", attributes: { percentage: 50, percentage_step: 25 } }
  - { id: fan.loft_tower, name: Tower Fan, area: Loft, state: "on", attributes: { percentage: 33, percentage_step: 33.33 } }
  - { id: fan.nursery_fan, name: Nursery Fan, area: Nursery, state: "off", attributes: { percentage: 0 } }
  - { id: cover.loft_blinds, name: Loft Blinds, area: Loft, device_class: blind, state: open, attributes: { current_position: 100 } }
  - { id: cover.nursery_blinds, name: Nursery Blinds, area: Nursery, device_class: blind, state: closed, attributes: { current_position: 0 } }
  - { id: switch.scullery_kettle, name: Kettle, area: Scullery, state: "off" }
  - { id: media_player.parlour_tv, name: Parlour TV, area: Parlour, state: playing, attributes: { volume_level: 0.4 } }
  - { id: person.oliver, name: Oliver, state: home }
  - { id: binary_sensor.porch_door, name: Porch Door, area: Porch, device_class: door, state: "on" }
  - { id: lock.porch_lock, name: Porch Lock, area: Porch, state: locked }
  - { id: climate.boiler, name: Boiler, area: Porch, state: heat, attributes: { temperature: 19, current_temperature: 18 } }
  - { id: climate.loft_heater, name: Loft Heater, area: Loft, state: heat, attributes: { temperature: 17, current_temperature: 16 } }
  - { id: climate.nursery_radiator, name: Nursery Radiator, area: Nursery, state: heat, attributes: { temperature: 20, current_temperature: 20 } }
`;

describeEnglishHome({ yaml: HOME, area: "Parlour" }, ({ home, said, say }) => {
  it("moves a fan one of its own speed steps faster or slower, from the speed it runs at", () => {
    for (const [text, area, target, percentage] of [
      ["turn the fan up a notch", "Parlour", "fan.parlour_ceiling", 75],
      ["knock the ceiling fan down a bit", "Parlour", "fan.parlour_ceiling", 25],
      ["fan faster", "Parlour", "fan.parlour_ceiling", 75],
      ["can you make the fan go a little slower", "Parlour", "fan.parlour_ceiling", 25],
      ["bump up the parlour ceiling fan", "Loft", "fan.parlour_ceiling", 75],
      ["set the ceiling fan a bit higher", "Parlour", "fan.parlour_ceiling", 75],
      // A three-speed fan moves a third.
      ["speed up the tower fan", "Parlour", "fan.loft_tower", 66],
      ["turn the fan in the loft up", "Parlour", "fan.loft_tower", 66],
      // An idle fan turned up starts at its first step; a running one turned down stops at its lowest.
      ["turn the nursery fan up", "Parlour", "fan.nursery_fan", 25],
      ["slow the tower fan down", "Parlour", "fan.loft_tower", 33],
    ] as const) {
      const i = say(text, area);
      expect([i.name, i.targets, i.slots.percentage], text).toEqual([
        "HassFanSetSpeed",
        [target],
        percentage,
      ]);
    }
  });

  it("reads 'it' and 'them' in a second part as what the first part acted on, all of it", () => {
    const parts = (text: string, area = "Parlour") =>
      said(text, area).map((i) => [i.name, i.targets, i.slots.brightness]);
    expect(parts("switch on the porch lantern and dim it to 40")).toEqual([
      ["HassTurnOn", ["light.porch_lantern"], undefined],
      ["HassLightSet", ["light.porch_lantern"], 40],
    ]);
    // "them" after two devices switched on in a row means both, wherever they are.
    expect(parts("turn on the porch lantern and the parlour lamp and then dim them to 30")).toEqual([
      ["HassTurnOn", ["light.porch_lantern"], undefined],
      ["HassTurnOn", ["light.parlour_lamp"], undefined],
      ["HassLightSet", ["light.parlour_lamp", "light.porch_lantern"], 30],
    ]);
    // "it" after two devices is the last one.
    expect(parts("turn on the porch lantern and the parlour lamp and set it to 70 percent").at(-1)).toEqual([
      "HassLightSet",
      ["light.parlour_lamp"],
      70,
    ]);
  });

  it("reads 'the ones' and 'the one' in a second part as the first part's kind of device elsewhere", () => {
    const parts = (text: string, area = "Parlour") => said(text, area).map((i) => [i.name, i.targets]);
    expect(parts("open the blinds in the loft and close the ones in the nursery")).toEqual([
      ["HassTurnOn", ["cover.loft_blinds"]],
      ["HassTurnOff", ["cover.nursery_blinds"]],
    ]);
    // The verb of the first part carries over, also where the second part names its place after.
    expect(parts("turn off the scullery lights and the ones in the parlour too")).toEqual([
      ["HassTurnOff", ["light.scullery_bulb", "light.scullery_strip"]],
      ["HassTurnOff", ["light.parlour_lamp"]],
    ]);
    expect(parts("switch off the scullery lights and the parlour lights")).toEqual([
      ["HassTurnOff", ["light.scullery_bulb", "light.scullery_strip"]],
      ["HassTurnOff", ["light.parlour_lamp"]],
    ]);
    expect(parts("turn on the porch lantern and the one in the parlour")).toEqual([
      ["HassTurnOn", ["light.porch_lantern"]],
      ["HassTurnOn", ["light.parlour_lamp"]],
    ]);
  });

  it("does the first of two different commands now and the second after the delay said, 'it' named", () => {
    const intents = said("switch the tower fan on and then turn it off in ten minutes");
    expect(intents.map((i) => [i.name, i.targets])).toEqual([
      ["HassTurnOn", ["fan.loft_tower"]],
      ["HassStartTimer", []],
    ]);
    // When the timer ends the conversation is long over: the command says what "it" was.
    expect(intents[1]?.slots).toMatchObject({ minutes: 10, conversation_command: "turn the tower fan off" });
  });

  it("opens or closes covers a little without a number, from where they are now", () => {
    for (const [text, area, target, position] of [
      ["open the nursery blinds a bit", "Parlour", "cover.nursery_blinds", 25],
      ["close the loft blinds a little bit more", "Parlour", "cover.loft_blinds", 75],
      ["could you open the blinds a touch wider", "Loft", "cover.loft_blinds", 100],
      ["lower the blinds in the loft slightly", "Parlour", "cover.loft_blinds", 75],
      ["make the nursery blinds a bit more open", "Parlour", "cover.nursery_blinds", 25],
    ] as const) {
      const i = say(text, area);
      expect([i.name, i.targets, i.slots.position], text).toEqual(["HassSetPosition", [target], position]);
    }
    // Said without "a bit" it is still opening or closing all the way.
    expect(say("close the loft blinds").name).toBe("HassTurnOff");
  });

  it("warms a room without a thermostat of its own with the one thermostat of its floor", () => {
    for (const text of [
      "could you make it warmer in the parlour",
      "set the temperature in the scullery to 21",
    ]) {
      const i = say(text, "Loft");
      expect([i.name, i.targets], text).toEqual(["HassClimateSetTemperature", ["climate.boiler"]]);
    }
    // Upstairs has two: Mia's room is heated by neither in particular.
    const u = home.understand("make it warmer in mia's room", { area: "Parlour" }).understanding;
    expect(u.kind).toBe("not-recognized");
  });

  it("answers whether someone left a door, or a room taken for its door, open (on, as Home Assistant says it)", () => {
    for (const [text, target] of [
      ["did someone leave the porch door open", "binary_sensor.porch_door"],
      ["have the kids left the porch door open", "binary_sensor.porch_door"],
      // The room for what opens and shuts in it: the door, not the lock.
      ["did I leave the porch open", "binary_sensor.porch_door"],
      ["is the porch still open", "binary_sensor.porch_door"],
    ] as const) {
      const i = say(text);
      expect([i.name, i.targets, i.slots.state], text).toEqual(["HassGetState", [target], "on"]);
    }
    for (const text of ["is the shop open", "did you leave the door open for the cat"]) {
      expect(home.understand(text, { area: "Parlour" }).understanding.kind, text).toBe("not-recognized");
    }
  });

  it("carries out a command wrapped in a favour asked", () => {
    for (const text of [
      "be a dear and switch the kettle on",
      "be a love and put the kettle on",
      "any chance you could put the kettle on",
      "do you mind putting the kettle on",
    ]) {
      const i = say(text);
      expect([i.name, i.targets], text).toEqual(["HassTurnOn", ["switch.scullery_kettle"]]);
    }
  });

  it("takes 'the lamp' for the lamp of the speaker's room that is named after the room", () => {
    // Not another room's lamp where the speaker's room has lights of its own (asked first: what
    // was just acted on would be "the lamp" in a follow-up). Home Assistant's pack reads "the
    // lamp" as the room's lights.
    const there = home.understand("turn off the lamp", { area: "Scullery" }).understanding;
    const targets = there.kind === "recognized" ? there.intents.flatMap((i) => i.targets) : [];
    expect(targets).not.toContain("light.parlour_lamp");
    expect(say("turn off the lamp").targets).toEqual(["light.parlour_lamp"]);
    expect(say("dim the lamp").name).toBe("HassLightSet");
  });

  it("takes a command said by name to someone else in the room for none", () => {
    for (const text of [
      "Jake, shut the blinds",
      "Mum, can you turn the TV down",
      "Nana, put the kettle on",
      "switch the porch lantern on, Oliver",
      "Mia, turn off the nightlight",
    ]) {
      expect(home.understand(text, { area: "Parlour" }).understanding.kind, text).toBe("not-recognized");
    }
  });

  it("still carries out a command after the assistant's name, a word to hurry, or a room named by itself", () => {
    for (const [text, name, target] of [
      ["Hearth, shut the loft blinds", "HassTurnOff", "cover.loft_blinds"],
      ["Jarvis, put the kettle on", "HassTurnOn", "switch.scullery_kettle"],
      ["Quick, turn the kettle off", "HassTurnOff", "switch.scullery_kettle"],
      ["switch the porch lantern on, thanks", "HassTurnOn", "light.porch_lantern"],
      ["Porch, lantern on", "HassTurnOn", "light.porch_lantern"],
      ["turn on Mia's nightlight", "HassTurnOn", "light.mias_nightlight"],
      ["Mia's room light on", "HassTurnOn", "light.mias_room"],
    ] as const) {
      const i = say(text);
      expect([i.name, i.targets], text).toEqual([name, [target]]);
    }
  });

  it("leaves talk about how a fan runs alone", () => {
    for (const text of ["the fan is slower than it used to be", "that fan goes faster than ours"]) {
      expect(home.understand(text, { area: "Parlour" }).understanding.kind, text).toBe("not-recognized");
    }
  });
});

describe("a home whose assistant has a name of its own", () => {
  let home: ActingUnderstanding;

  beforeAll(async () => {
    // The site is called Nova and wakes to "hey orbit": both are the assistant, not a person.
    const names = assistantNames({ site: { name: "Nova" }, wake: { words: [{ name: "hey_orbit" }] } });
    const sentences = await loadSentences(intentsSchema.parse({}), {
      language: "en",
      configDir: ".",
      stateDir: checkoutStateDir(),
      assistantNames: names,
    });
    home = await openYamlHome(HOME, sentences);
  });

  afterAll(() => home?.close());

  it("carries out a command said to it by its configured name or wake word, and not one said to a person", () => {
    for (const text of ["Nova, put the kettle on", "Orbit, put the kettle on", "put the kettle on, Nova"]) {
      const u = home.understand(text, { area: "Parlour" }).understanding;
      expect(u.kind === "recognized" ? u.intents.map((i) => [i.name, i.targets]) : u, text).toEqual([
        ["HassTurnOn", ["switch.scullery_kettle"]],
      ]);
    }
    expect(home.understand("Oscar, put the kettle on", { area: "Parlour" }).understanding.kind).toBe(
      "not-recognized",
    );
  });
});
