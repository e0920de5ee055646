import { expect, it } from "vitest";
import { describeEnglishHome } from "../helpers/english-homes.js";

/**
 * What older people and Indian English speakers say of a room's heating, a fan and the things of a
 * room (issue 12): a thermostat called by its room where the room is no area of the home, a fan by
 * its speed, a reason reported after the command. With Hearth's own English alone and with Home
 * Assistant's English pack beside it (../shared/ha-intents, CC BY 4.0). A terraced house of its own,
 * through the real matcher.
 */
const HOME = `
floors: [{ name: Ground Floor }, { name: First Floor }]
areas:
  - { name: Lounge, floor: Ground Floor }
  - { name: Kitchen, floor: Ground Floor }
  - { name: Family Room, floor: Ground Floor }
  - { name: Back Bedroom, floor: First Floor }
  - { name: Landing, floor: First Floor }
  - { name: Family Bathroom, floor: First Floor }
  - { name: Box Room, floor: First Floor }
devices:
  - { id: climate.lounge_thermostat, name: Lounge Thermostat, area: Lounge, state: heat, attributes: { temperature: 20, current_temperature: 19 } }
  # The study's radiator stands in no area of the home; the snug's air conditioner in a room called otherwise.
  - { id: climate.study_radiator, name: Study Radiator, state: heat, attributes: { temperature: 18, current_temperature: 17 } }
  - { id: climate.snug_ac, name: Snug AC, area: Family Room, state: cool, attributes: { temperature: 23, current_temperature: 25 } }
  # Two of the bedroom's climate devices carry its word: neither is the bedroom's by that word alone.
  - { id: climate.nursery_radiator, name: Nursery Radiator, area: Back Bedroom, state: heat, attributes: { temperature: 19 } }
  - { id: climate.nursery_towel_rail, name: Nursery Towel Rail, area: Back Bedroom, state: heat, attributes: { temperature: 21 } }
  - { id: light.study_lamp, name: Study Lamp, state: "off", attributes: { supported_color_modes: [brightness] } }
  - { id: light.lounge_lamp, name: Lounge Lamp, area: Lounge, state: "on", attributes: { supported_color_modes: [brightness] } }
  # A five-speed ceiling fan, a four-speed one, and one that tells no speed count.
  - { id: fan.lounge_ceiling, name: Ceiling Fan, area: Lounge, state: "on", attributes: { percentage: 40, percentage_step: 20 } }
  - { id: fan.bedroom_fan, name: Bedroom Pankha, area: Back Bedroom, state: "off", attributes: { percentage: 0, percentage_step: 25 } }
  - { id: fan.kitchen_fan, name: Kitchen Exhaust, area: Kitchen, state: "off" }
  - { id: light.landing_light, name: Landing Light, area: Landing, state: "on", attributes: { supported_color_modes: [onoff] } }
  - { id: light.bathroom_mirror, name: Mirror Light, area: Family Bathroom, state: "off", attributes: { supported_color_modes: [onoff] } }
  - { id: light.box_room_bulb, name: Bulb, area: Box Room, state: "off", attributes: { supported_color_modes: [onoff] } }
  - { id: light.worktop_strip, name: Worktop Strip, area: Kitchen, state: "off", attributes: { supported_color_modes: [onoff] } }
  - { id: light.armchair_lamp, name: Armchair Lamp, area: Lounge, state: "on", attributes: { brightness: 60, supported_color_modes: [brightness] } }
  - { id: lock.side_door, name: Side Door, area: Kitchen, state: unlocked }
  - { id: script.lights_out, name: Lights Out }
  - { id: light.kitchen_tube, name: Tube Light, area: Kitchen, state: "on", attributes: { supported_color_modes: [onoff] } }
`;

describeEnglishHome({ yaml: HOME, area: "Lounge" }, ({ home, say }) => {
  const unknown = (text: string, area = "Lounge") =>
    expect(home.understand(text, { area }).understanding, text).toMatchObject({ reason: "unknown_name" });

  it("takes a room that is no area of the home for the one thermostat named after it", () => {
    expect(say("set the snug to 70 degrees fahrenheit")).toMatchObject({
      name: "HassClimateSetTemperature",
      targets: ["climate.snug_ac"],
      // The home's degrees are Celsius.
      slots: { temperature: 21 },
    });
    expect(say("put snug temperature to 22.5")).toMatchObject({
      name: "HassClimateSetTemperature",
      targets: ["climate.snug_ac"],
      slots: { temperature: 22.5 },
    });
    expect(say("heat the study up, twenty one degrees")).toMatchObject({
      name: "HassClimateSetTemperature",
      targets: ["climate.study_radiator"],
      slots: { temperature: 21 },
    });
    expect(say("set the study to 19 degrees")).toMatchObject({ targets: ["climate.study_radiator"] });
    for (const text of [
      "how warm is it in the snug",
      "what is the temperature in the study",
      "is it warm enough in the study for grandad",
    ])
      expect(say(text)).toMatchObject({ name: "HassClimateGetTemperature" });
    expect(say("how warm is it in the snug").targets).toEqual(["climate.snug_ac"]);
    expect(say("is it warm enough in the study for grandad").targets).toEqual(["climate.study_radiator"]);
  });

  it("takes a remark about that room before the command to its thermostat", () => {
    expect(say("it's rather cold in the study, could you turn it up to twenty")).toMatchObject({
      name: "HassClimateSetTemperature",
      targets: ["climate.study_radiator"],
      slots: { temperature: 20 },
    });
  });

  it("leaves a room word that two thermostats carry unknown", () => {
    unknown("set the nursery to 20 degrees");
  });

  it("takes what someone else says about the room after the command as its reason", () => {
    expect(say("turn the heating down a couple of degrees, Priya says it's far too warm")).toMatchObject({
      name: "HassClimateSetTemperature",
      targets: ["climate.lounge_thermostat"],
      slots: { temperature: 18 },
    });
    expect(say("switch the lamp off, Nan says it's too bright in here").targets).toEqual([
      "light.lounge_lamp",
    ]);
  });

  it("sets the fans of the room by a regulator's speed, said with 'the fan'", () => {
    // Speed 4 of five is 80 percent; speed 1 of four is 25.
    expect(say("make the fan speed 4")).toMatchObject({
      name: "HassFanSetSpeed",
      targets: ["fan.lounge_ceiling"],
      slots: { percentage: 80 },
    });
    expect(say("make the fan speed 1", "Back Bedroom")).toMatchObject({
      targets: ["fan.bedroom_fan"],
      slots: { percentage: 25 },
    });
    // A fan that tells no speed count is taken as the common three-speed one for speeds 1 to 3.
    expect(say("make the fan speed 2", "Kitchen")).toMatchObject({
      targets: ["fan.kitchen_fan"],
      slots: { percentage: 67 },
    });
    for (const text of ["the fan full speed", "run the fan on full speed", "put the fan at full speed"])
      expect(say(text)).toMatchObject({
        name: "HassFanSetSpeed",
        targets: ["fan.lounge_ceiling"],
        slots: { percentage: 100 },
      });
    // Slow: the fan's lowest speed.
    expect(say("make the fan slow")).toMatchObject({
      targets: ["fan.lounge_ceiling"],
      slots: { percentage: 20 },
    });
    // The room said.
    expect(say("make the fan in the back bedroom speed 2")).toMatchObject({
      targets: ["fan.bedroom_fan"],
      slots: { percentage: 50 },
    });
  });

  it("takes a fan's speed and another command in one sentence", () => {
    expect(home.said("make the fan speed 3 and off the tube light", "Kitchen")).toMatchObject([
      { name: "HassFanSetSpeed", targets: ["fan.kitchen_fan"], slots: { percentage: 100 } },
      { name: "HassTurnOff", targets: ["light.kitchen_tube"] },
    ]);
  });

  it("knows a room by the other words people have for that kind of room", () => {
    for (const text of ["switch the corridor light off", "turn off the light in the passage"])
      expect(say(text)).toMatchObject({ name: "HassTurnOff", targets: ["light.landing_light"] });
    expect(say("put the light on in the shower room")).toMatchObject({
      name: "HassTurnOn",
      targets: ["light.bathroom_mirror"],
    });
    expect(say("turn off the lamp in the front room", "Kitchen").targets).toEqual(["light.lounge_lamp"]);
    expect(say("turn on the light in the small bedroom")).toMatchObject({
      name: "HassTurnOn",
      targets: ["light.box_room_bulb"],
    });
  });

  it("takes the lights with their room between the verb and on or off", () => {
    expect(say("turn the lights in the box room on")).toMatchObject({
      name: "HassTurnOn",
      targets: ["light.box_room_bulb"],
    });
    expect(say("switch the light on the landing off", "Kitchen")).toMatchObject({
      name: "HassTurnOff",
      targets: ["light.landing_light"],
    });
  });

  it("finds a device by where it hangs, its name's words around the preposition", () => {
    expect(say("switch the strip above the worktop on", "Lounge")).toMatchObject({
      name: "HassTurnOn",
      targets: ["light.worktop_strip"],
    });
    expect(say("turn off the strip under the worktop").targets).toEqual(["light.worktop_strip"]);
  });

  it("turns a lamp up as far as it goes", () => {
    expect(say("turn the lamp by my armchair up as high as it goes")).toMatchObject({
      name: "HassLightSet",
      targets: ["light.armchair_lamp"],
      slots: { brightness: 100 },
    });
  });

  it("answers a lock checked, locking nothing", () => {
    expect(say("check the side door is locked, would you")).toMatchObject({
      name: "HassGetState",
      targets: ["lock.side_door"],
      slots: { state: "locked" },
    });
  });

  it("runs a routine said with 'do', after a remark", () => {
    expect(say("we're off upstairs now, do the lights out")).toMatchObject({
      name: "HassTurnOn",
      targets: ["script.lights_out"],
    });
  });
});
