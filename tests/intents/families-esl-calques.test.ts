import { expect, it } from "vitest";
import { describeEnglishHome } from "../helpers/english-homes.js";

/*
 * English as a family says it whose first languages are Portuguese, Spanish and Polish, the
 * other language's build kept: "the X of Y" for whose or where a thing is ("the lamp of the
 * sofa", "the music of Rita"), a question in a statement's order. Said to Hearth's own English
 * alone and with Home Assistant's English pack beside it (../shared/ha-intents, CC BY 4.0, Home
 * Assistant's intents project), through the real matcher, in a home of its own (a house in Porto
 * with a grandfather, Avô, and a daughter, Rita, who each have a room).
 */
const HOME = `
site: { id: porto, name: Hearth, area: Lounge }
floors:
  - { name: Ground Floor }
  - { name: Loft }
areas:
  - { name: Lounge, floor: Ground Floor }
  - { name: Kitchen, floor: Ground Floor }
  - { name: Study, floor: Ground Floor }
  - { name: Utility, floor: Ground Floor }
  - { name: Guest Room, floor: Loft }
  - { name: Shower Room, floor: Loft }
  - { name: Rita's Room, floor: Loft }
  - { name: Avo's Room, floor: Ground Floor }
devices:
  - { id: light.sofa_lamp, name: Sofa Lamp, area: Lounge, state: "on", attributes: { brightness: 128, supported_color_modes: [hs] } }
  - { id: light.table_pendant, name: Table Pendant, area: Kitchen, state: "on", attributes: { brightness: 128, supported_color_modes: [brightness] } }
  - { id: light.rita_ceiling, name: Rita Ceiling, area: Rita's Room, state: "off", attributes: { supported_color_modes: [brightness] } }
  - { id: light.avo_lamp, name: Avo Reading Lamp, area: Avo's Room, state: "off", attributes: { supported_color_modes: [brightness] } }
  - { id: light.desk_lamp, name: Desk Lamp, area: Study, state: "on", attributes: { brightness: 100, supported_color_modes: [brightness] } }
  - { id: media_player.rita_speaker, name: Rita Speaker, area: Rita's Room, state: playing, attributes: { volume_level: 0.4 } }
  - { id: media_player.avo_radio, name: Radio, area: Avo's Room, state: playing, attributes: { volume_level: 0.6 } }
  - { id: media_player.guest_tv, name: Television, area: Guest Room, state: "off" }
  - { id: binary_sensor.dryer, name: Dryer, area: Utility, device_class: running, state: "off" }
  - { id: binary_sensor.utility_leak, name: Utility Leak, area: Utility, device_class: moisture, state: "off" }
  - { id: binary_sensor.back_window, name: Back Window, area: Kitchen, device_class: window, state: "on" }
  - { id: binary_sensor.front_door, name: Front Door, area: Lounge, device_class: door, state: "off" }
  - { id: lock.side_door, name: Side Door, area: Kitchen, state: locked }
  - { id: person.rita, name: Rita, state: home }
  - { id: person.avo, name: Avo, state: not_home }
  - { id: sensor.shower_humidity, name: Shower Room Humidity, area: Shower Room, device_class: humidity, state: "71", attributes: { unit_of_measurement: "%" } }
  - { id: sensor.study_co2, name: Study CO2, area: Study, device_class: carbon_dioxide, state: "820", attributes: { unit_of_measurement: ppm } }
  - { id: sensor.house_power, name: House Power, device_class: power, state: "1240", attributes: { unit_of_measurement: W } }
  - { id: light.study_lights, name: Study Lights, area: Study, state: "on", attributes: { brightness: 200, supported_color_modes: [brightness] } }
  - { id: light.shelf_strip, name: Shelf Strip, area: Lounge, state: "on", attributes: { supported_color_modes: [hs] } }
  - { id: switch.electric_blanket, name: Electric Blanket, area: Avo's Room, state: "off" }
  - { id: light.loft_landing, name: Landing Light, area: Guest Room, state: "on", attributes: { supported_color_modes: [onoff] } }
  - { id: switch.kettle, name: Kettle, area: Kitchen, state: "off" }
  - { id: cover.kitchen_blinds, name: Kitchen Blinds, area: Kitchen, device_class: blind, state: open }
  - { id: climate.lounge_heating, name: Lounge Heating, area: Lounge, state: heat, attributes: { temperature: 20, current_temperature: 21 } }
`;

describeEnglishHome({ yaml: HOME, area: "Lounge" }, ({ home, say }) => {
  it("finds a light by the word for a light and what it hangs over, said after 'of'", () => {
    for (const text of ["turn off the light of the table", "switch off the lamp of the table"])
      expect(say(text), text).toMatchObject({ name: "HassTurnOff", targets: ["light.table_pendant"] });
    expect(say("set the light of the table to 30 percent")).toMatchObject({
      name: "HassLightSet",
      slots: { brightness: 30 },
      targets: ["light.table_pendant"],
    });
    // A room after "of" is still all of its lights.
    expect(say("turn off the light of the kitchen")).toMatchObject({
      name: "HassTurnOff",
      slots: { area: "Kitchen" },
    });
  });

  it("plays, pauses and turns up the music of someone whose room it is", () => {
    expect(say("pause the music of rita")).toMatchObject({
      name: "HassMediaPause",
      targets: ["media_player.rita_speaker"],
    });
    expect(say("turn up the music of rita")).toMatchObject({
      name: "HassSetVolumeRelative",
      slots: { volume_step: "up" },
      targets: ["media_player.rita_speaker"],
    });
    expect(say("turn off the lights in ritas")).toMatchObject({
      name: "HassTurnOff",
      targets: ["light.rita_ceiling"],
    });
  });

  it("reaches a timer named after 'of' by what it is for", () => {
    expect(say("set a timer for the chips for 10 minutes")).toMatchObject({ name: "HassStartTimer" });
    for (const [text, name] of [
      ["how much is left in the timer of the chips?", "HassTimerStatus"],
      ["add two minutes to the timer of chips", "HassIncreaseTimer"],
      ["pause the timer of the chips", "HassPauseTimer"],
    ] as const)
      expect(say(text), text).toMatchObject({ name, slots: { name: "chips" } });
  });

  it("answers a question asked in a statement's order, with its verb left out or said last", () => {
    for (const [text, targets] of [
      ["the dryer finished?", ["binary_sensor.dryer"]],
      ["the back window is open or closed?", ["binary_sensor.back_window"]],
      ["is locked with key the side door?", ["lock.side_door"]],
      ["rita arrived already?", ["person.rita"]],
      ["how much is the humidity in the shower room", ["sensor.shower_humidity"]],
      ["how much co2 has the study?", ["sensor.study_co2"]],
      ["how much electricity we are using now?", ["sensor.house_power"]],
    ] as const)
      expect(say(text), text).toMatchObject({ name: "HassGetState", targets });
    expect(say("which temperature is in the lounge?")).toMatchObject({
      name: "HassClimateGetTemperature",
      targets: ["climate.lounge_heating"],
    });
  });

  it("asks about any of a kind with 'some', anywhere at home, and who is in home", () => {
    expect(say("is some door open?")).toMatchObject({
      name: "HassGetState",
      slots: { device_class: "door" },
    });
    expect(say("there is some light on in the flat?")).toMatchObject({
      name: "HassGetState",
      slots: { domain: "light", state: "on" },
    });
    // Asked in the lounge, of the whole flat: the study's desk lamp is on too.
    expect(say("there is some light on in the flat?").targets).toContain("light.desk_lamp");
    expect(say("who is in home")).toMatchObject({
      name: "HassGetState",
      slots: { domain: "person", state: "home" },
    });
    for (const text of ["the kids asleep?", "some people are strange", "how much is that"])
      home.expectNoCommand(text);
  });

  it("sets a level or a colour said before the thing, the verb after it, or with the word colour", () => {
    for (const [text, brightness, targets] of [
      ["put fifty percent the light of the table", 50, ["light.table_pendant"]],
      ["put 20 percent the sofa lamp", 20, ["light.sofa_lamp"]],
      ["the study lights put at 60 percent", 60, ["light.study_lights"]],
    ] as const)
      expect(say(text), text).toMatchObject({ name: "HassLightSet", slots: { brightness }, targets });
    for (const [text, color, targets] of [
      ["put red colour in the sofa lamp", "red", ["light.sofa_lamp"]],
      ["put the shelf strip with colour of orange", "orange", ["light.shelf_strip"]],
      ["the shelf strip in blue colour", "blue", ["light.shelf_strip"]],
      ["change the colour of the sofa lamp for green", "green", ["light.sofa_lamp"]],
    ] as const)
      expect(say(text), text).toMatchObject({ name: "HassLightSet", slots: { color }, targets });
  });

  it("switches on a thing put with no 'on', its describing word said after it", () => {
    for (const text of [
      "put the blanket electric",
      "put the electric blanket",
      "turn on the blanket electric",
    ])
      expect(say(text), text).toMatchObject({ name: "HassTurnOn", targets: ["switch.electric_blanket"] });
    for (const text of ["put the kids to bed", "the kids put the toys away", "i like the colour of the sky"])
      home.expectNoCommand(text);
  });

  it("dims, brightens or switches off with no number, said with 'more', 'increase' or 'out'", () => {
    // The study's lights are at 200 and 100 of 255.
    expect(home.saidOnce("can you put the lights a little more soft", "Study")).toMatchObject({
      name: "HassLightSet",
      slots: { area: "Study" },
    });
    expect(say("increase the light of the desk")).toMatchObject({
      name: "HassLightSet",
      targets: ["light.desk_lamp"],
    });
    expect(say("do the lights out in the study")).toMatchObject({
      name: "HassTurnOff",
      slots: { domain: "light", area: "Study" },
    });
    for (const text of ["we go out in the evening", "the cat is out"]) home.expectNoCommand(text);
  });

  it("starts and asks after a timer said with no verb, how long after 'of', or the timer first", () => {
    expect(say("timer for the rice of 15 minutes")).toMatchObject({
      name: "HassStartTimer",
      slots: { name: "rice", minutes: 15 },
    });
    expect(say("put a timer of beans, 12 minutes")).toMatchObject({
      name: "HassStartTimer",
      slots: { name: "beans", minutes: 12 },
    });
    expect(say("the timer, how much is left?").name).toBe("HassTimerStatus");
    expect(say("you know what time is?").name).toBe("HassGetCurrentTime");
    home.expectNoCommand("i know what time is");
  });

  it("keeps the article off a list's item, and reads 'of the house' and a floor's lights", () => {
    for (const [text, name, item] of [
      ["add to the shopping list the rice", "HassShoppingListAddItem", "rice"],
      ["add the beans to the shopping list", "HassShoppingListAddItem", "beans"],
      ["take out the rice of the shopping list", "HassShoppingListCompleteItem", "rice"],
      ["mark the beans like bought", "HassShoppingListCompleteItem", "beans"],
    ] as const)
      expect(say(text), text).toMatchObject({ name, slots: { item } });
    expect(say("switch off all the lights of the house").targets).toContain("light.rita_ceiling");
    expect(say("all the lights in the loft off")).toMatchObject({
      name: "HassTurnOff",
      slots: { floor: "Loft" },
    });
  });

  it("sets the warmth wanted, a half said 'and half', the song of before and a volume with no verb", () => {
    expect(say("I want 21 degrees in the lounge")).toMatchObject({
      name: "HassClimateSetTemperature",
      slots: { temperature: 21 },
      targets: ["climate.lounge_heating"],
    });
    expect(say("put the heating on 20 and half")).toMatchObject({
      name: "HassClimateSetTemperature",
      slots: { temperature: 20.5 },
    });
    expect(home.saidOnce("return to the song of before", "Rita's Room")).toMatchObject({
      name: "HassMediaPrevious",
      targets: ["media_player.rita_speaker"],
    });
    expect(say("the volume of the television in twelve")).toMatchObject({
      name: "HassSetVolume",
      slots: { volume_level: 12 },
      targets: ["media_player.guest_tv"],
    });
  });

  it("reads each of two joined commands the learner's way", () => {
    expect(home.said("turn off the light of the kitchen and put the kettle")).toMatchObject([
      { name: "HassTurnOff", targets: ["light.table_pendant"] },
      { name: "HassTurnOn", targets: ["switch.kettle"] },
    ]);
    expect(home.said("put the heating in 22 and close the blinds", "Kitchen")).toMatchObject([
      { name: "HassClimateSetTemperature", slots: { temperature: 22 } },
      { name: "HassTurnOff", targets: ["cover.kitchen_blinds"] },
    ]);
    home.expectNoCommand("the kids and the dog are sleeping");
  });
});
