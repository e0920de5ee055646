import { expect, it } from "vitest";
import { describeEnglishHome } from "../helpers/english-homes.js";

/**
 * How people who learnt English as a second language say what to switch, with Hearth's own English
 * alone and with Home Assistant's English pack beside it (../shared/ha-intents, CC BY 4.0, Home
 * Assistant's intents project): verbs carried over from their first language ("make the light
 * out", "open the TV", "close the door with key"), the thing named before the verb, scenes said as
 * a mode, greetings and politeness of their own, for a flat of its own, through the real matcher.
 */
const HOME = `
site: { id: flat, name: Hearth, area: Lounge }
floors: [{ name: Ground }, { name: Upper }]
areas:
  - { name: Lounge, floor: Ground }
  - { name: Kitchen, floor: Ground }
  - { name: Entry, floor: Ground, aliases: [entrance] }
  - { name: Guest Room, floor: Upper }
  - { name: Study, floor: Upper }
  - { name: Balcony }
  - { name: Patio }
devices:
  - { id: light.entry_light, name: Entry Light, area: Entry, state: "on" }
  - { id: light.reading_lamp, name: Reading Lamp, area: Lounge, state: "off" }
  - { id: light.balcony_string, name: Balcony Lights, area: Balcony, state: "off" }
  - { id: light.patio_flood, name: Patio Floodlight, area: Patio, state: "off" }
  - { id: light.study_lamp, name: Study Lamp, area: Study, state: "on" }
  - { id: switch.toaster, name: Toaster, area: Kitchen, state: "off" }
  - { id: switch.espresso, name: Espresso Machine Socket, area: Kitchen, state: "off" }
  - { id: switch.radiator, name: Oil Radiator, area: Study, state: "off" }
  - { id: switch.fountain, name: Fountain Pump, area: Patio, state: "on" }
  - { id: fan.lounge_fan, name: Standing Fan, area: Lounge, state: "on" }
  - { id: climate.lounge_split, name: Split Unit, area: Lounge, state: "off", attributes: { temperature: 23 } }
  - { id: media_player.lounge_tv, name: Lounge Television, aliases: [tv], area: Lounge, state: "on" }
  - { id: media_player.guest_tv, name: Guest Room TV, area: Guest Room, state: "on" }
  - { id: media_player.kitchen_tv, name: Kitchen TV, area: Kitchen, state: "off" }
  - { id: cover.lounge_shutters, name: Lounge Shutters, area: Lounge, device_class: shutter, state: closed, attributes: { current_position: 0 } }
  - { id: cover.patio_gate, name: Patio Gate, area: Patio, device_class: gate, state: closed }
  - { id: lock.entry_door, name: Entry Door, area: Entry, state: locked }
  - { id: lock.patio_door, name: Patio Door, area: Patio, state: locked }
  - { id: scene.cinema, name: Cinema Mode, state: "off" }
  - { id: scene.calm, name: Calm, state: "off" }
  - { id: scene.sleep, name: Sleep Time, aliases: [sleep mode], state: "off" }
`;

describeEnglishHome({ yaml: HOME, area: "Lounge" }, ({ home, say }) => {
  const expectAll = (cases: ReadonlyArray<readonly [string, string, readonly string[]]>, area?: string) => {
    for (const [text, name, targets] of cases) {
      const i = say(text, area);
      expect(i.name, text).toBe(name);
      expect(i.targets, text).toEqual(targets);
    }
  };

  it("switches with verbs carried over from other languages: make out, do on, connect, put to boil", () => {
    expectAll([
      ["make the light out in the entry", "HassTurnOff", ["light.entry_light"]],
      ["make the study lamp out", "HassTurnOff", ["light.study_lamp"]],
      ["do the reading lamp on", "HassTurnOn", ["light.reading_lamp"]],
      ["do out the entry light", "HassTurnOff", ["light.entry_light"]],
      ["connect the oil radiator", "HassTurnOn", ["switch.radiator"]],
      ["disconnect the oil radiator", "HassTurnOff", ["switch.radiator"]],
      ["put the toaster to heat", "HassTurnOn", ["switch.toaster"]],
      ["help me open the reading lamp", "HassTurnOn", ["light.reading_lamp"]],
      ["light the study lamp", "HassTurnOn", ["light.study_lamp"]],
      ["extinguish the entry light", "HassTurnOff", ["light.entry_light"]],
      ["make some light in the study", "HassTurnOn", ["light.study_lamp"]],
    ]);
  });

  it("reads politeness from the speaker's first language around the command", () => {
    expectAll([
      ["paki open the reading lamp", "HassTurnOn", ["light.reading_lamp"]],
      ["close the study lamp po", "HassTurnOff", ["light.study_lamp"]],
      ["i would like that you switch on the toaster", "HassTurnOn", ["switch.toaster"]],
      ["make me the favour and turn off the fountain pump", "HassTurnOff", ["switch.fountain"]],
      ["do me the favor to switch on the balcony lights", "HassTurnOn", ["light.balcony_string"]],
      ["can you to turn off the study lamp", "HassTurnOff", ["light.study_lamp"]],
      ["you can switch on the toaster", "HassTurnOn", ["switch.toaster"]],
      ["is possible to close the lounge shutters", "HassTurnOff", ["cover.lounge_shutters"]],
    ]);
  });

  it("opens and closes whatever switches on and off, and raises or lowers shutters said with up or down", () => {
    expectAll([
      ["open the espresso machine socket", "HassTurnOn", ["switch.espresso"]],
      ["close the toaster", "HassTurnOff", ["switch.toaster"]],
      ["open the split unit", "HassTurnOn", ["climate.lounge_split"]],
      ["close the tv", "HassTurnOff", ["media_player.lounge_tv"]],
      ["open the tv of the kitchen", "HassTurnOn", ["media_player.kitchen_tv"]],
      ["stop the fan", "HassTurnOff", ["fan.lounge_fan"]],
      ["up the shutters", "HassTurnOn", ["cover.lounge_shutters"]],
      ["down the lounge shutters", "HassTurnOff", ["cover.lounge_shutters"]],
    ]);
  });

  it("sets shutters to a position said with the particle as the verb, 'until' or 'the middle'", () => {
    for (const [text, position] of [
      ["put down the shutters to 30", 30],
      ["up the lounge shutters to 60 percent", 60],
      ["close the shutters until the half", 50],
      ["put the shutters in the middle", 50],
    ] as const) {
      const i = say(text);
      expect(i.name, text).toBe("HassSetPosition");
      expect(i.slots.position, text).toBe(position);
      expect(i.targets, text).toEqual(["cover.lounge_shutters"]);
    }
  });

  it("takes the speaker's own room's TV by its short name over another room's device whose alias it is", () => {
    expectAll([["close the tv", "HassTurnOff", ["media_player.guest_tv"]]], "Guest Room");
    expectAll([["turn off the tv", "HassTurnOff", ["media_player.guest_tv"]]], "Guest Room");
    // Where the speaker's room has none, the alias stands.
    expectAll([["turn off the tv", "HassTurnOff", ["media_player.lounge_tv"]]], "Study");
  });

  it("reads the thing named first and the verb last, with or without 'it'", () => {
    expectAll([
      ["the balcony lights turn on", "HassTurnOn", ["light.balcony_string"]],
      ["the reading lamp open", "HassTurnOn", ["light.reading_lamp"]],
      ["study lamp close", "HassTurnOff", ["light.study_lamp"]],
      ["the fountain pump, turn it off", "HassTurnOff", ["switch.fountain"]],
      ["the patio floodlight put it on", "HassTurnOn", ["light.patio_flood"]],
      ["the oil radiator, switch off please", "HassTurnOff", ["switch.radiator"]],
      ["the fan stop", "HassTurnOff", ["fan.lounge_fan"]],
      ["the toaster off, do it", "HassTurnOff", ["switch.toaster"]],
    ]);
  });

  it("leaves a remark on how a thing that opens is as it was said, and a verb for someone else", () => {
    for (const text of [
      "the patio gate open",
      "the shutters close",
      "my son turn it on",
      "the kids switch off",
      "the toaster is very hot",
    ])
      home.expectNoCommand(text);
  });

  it("locks a door closed with the key and unlocks one opened, whichever order the words come in", () => {
    expectAll([
      ["close the entry door with key", "HassTurnOn", ["lock.entry_door"]],
      ["close with the key the patio door", "HassTurnOn", ["lock.patio_door"]],
      ["open the patio door please, the guests are here", "HassTurnOff", ["lock.patio_door"]],
      ["the door of entrance, lock it", "HassTurnOn", ["lock.entry_door"]],
    ]);
  });

  it("sets a scene said as a mode, the word mode first or last", () => {
    expectAll([
      ["put the cinema mode", "HassTurnOn", ["scene.cinema"]],
      ["activate the mode calm", "HassTurnOn", ["scene.calm"]],
      ["mode calm please", "HassTurnOn", ["scene.calm"]],
      ["put the sleep mode", "HassTurnOn", ["scene.sleep"]],
    ]);
  });

  it("passes over a greeting in another language, a reason said first and a cancel without its subject", () => {
    expectAll([
      ["hola hearth turn on the reading lamp", "HassTurnOn", ["light.reading_lamp"]],
      ["ciao hearth close the shutters", "HassTurnOff", ["cover.lounge_shutters"]],
      ["cześć hearth, switch off the study lamp", "HassTurnOff", ["light.study_lamp"]],
      ["namaste hearth open the split unit", "HassTurnOn", ["climate.lounge_split"]],
      ["is too dark in here, open the reading lamp", "HassTurnOn", ["light.reading_lamp"]],
      ["switch on the oil radiator is freezing", "HassTurnOn", ["switch.radiator"]],
      ["close the patio gate is raining", "HassTurnOff", ["cover.patio_gate"]],
    ]);
    expect(say("forget, is nothing").name).toBe("HassNevermind");
  });
});
