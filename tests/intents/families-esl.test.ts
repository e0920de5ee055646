import { expect, it } from "vitest";
import { describeEnglishHome } from "../helpers/english-homes.js";

/*
 * English as a second language: questions asked the way Spanish, Portuguese, French, German or
 * Chinese ask them, said in English ("what hour is it", "what weather is making", "how many
 * degrees it is here"). Said to Hearth's own English alone and with Home Assistant's English pack
 * beside it (../shared/ha-intents, CC BY 4.0, Home Assistant's intents project), through the real
 * matcher, in a home of its own (a two-floor house in Porto shared by three generations).
 */
const HOME = `
site: { id: porto, name: Hearth, area: Sala }
floors:
  - { name: Ground Floor, aliases: [downstairs] }
  - { name: First Floor, aliases: [upstairs] }
areas:
  - { name: Sala, floor: Ground Floor, aliases: [living room] }
  - { name: Cozinha, floor: Ground Floor, aliases: [kitchen] }
  - { name: Entrance, floor: Ground Floor }
  - { name: Garage, floor: Ground Floor }
  - { name: Study, floor: First Floor }
  - { name: Bedroom, floor: First Floor }
  - { name: Bathroom, floor: First Floor }
  - { name: Hallway, floor: First Floor }
devices:
  - { id: light.sala_ceiling, name: Sala Ceiling Light, area: Sala, state: "on", attributes: { brightness: 128, supported_color_modes: [brightness] } }
  - { id: light.reading_lamp, name: Reading Lamp, area: Sala, state: "off", attributes: { supported_color_modes: [brightness] } }
  - { id: light.kitchen, name: Kitchen Light, area: Cozinha, state: "on", attributes: { brightness: 128, supported_color_modes: [brightness] } }
  - { id: light.bedroom, name: Bedroom Light, area: Bedroom, state: "on", attributes: { brightness: 128, supported_color_modes: [brightness] } }
  - { id: light.desk_lamp, name: Desk Lamp, area: Study, state: "on", attributes: { brightness: 128, supported_color_modes: [brightness] } }
  - { id: light.hallway, name: Hallway Light, area: Hallway, state: "off" }
  - { id: cover.sala_blind, name: Sala Blind, area: Sala, device_class: blind, state: open, attributes: { current_position: 100 } }
  - { id: cover.bedroom_blinds, name: Bedroom Blinds, area: Bedroom, device_class: blind, state: closed, attributes: { current_position: 0 } }
  - { id: cover.garage_door, name: Garage Door, area: Garage, device_class: garage, state: closed }
  - { id: lock.front_door, name: Front Door, area: Entrance, state: locked }
  - { id: binary_sensor.hallway_motion, name: Hallway Motion, area: Hallway, device_class: motion, state: "off" }
  - { id: binary_sensor.bathroom_window, name: Bathroom Window, area: Bathroom, device_class: window, state: "on" }
  - { id: climate.heating, name: Heating, area: Sala, state: heat, attributes: { temperature: 20, current_temperature: 19 } }
  - { id: climate.bedroom_ac, name: Bedroom Air Conditioner, area: Bedroom, state: cool, attributes: { temperature: 23, current_temperature: 26 } }
  - { id: fan.study_fan, name: Study Fan, area: Study, state: "on", speed_count: 3, attributes: { percentage: 67 } }
  - { id: sensor.kitchen_temperature, name: Kitchen Temperature, area: Cozinha, device_class: temperature, unit: "°C", state: "21.5" }
  - { id: sensor.stove_power, name: Stove Power, area: Cozinha, device_class: power, unit: "W", state: "0" }
  - { id: sensor.tiago_phone_battery, name: Tiago Phone Battery, device_class: battery, unit: "%", state: "40" }
  - { id: person.avo, name: Avó, aliases: [Grandma], state: home }
  - { id: person.tiago, name: Tiago, state: not_home }
  - { id: weather.home, name: Home, state: rainy, attributes: { temperature: 9 } }
`;

describeEnglishHome({ yaml: HOME, area: "Sala" }, ({ home, say }) => {
  it("tells the time asked by the hour, and the date asked by the day we have", () => {
    for (const text of [
      "what hour is it",
      "which hour is now",
      "what hours are they",
      "tell me the hour please",
      "say me the hour",
      "what time is now",
      "what hour it is",
      "what is the hour",
    ])
      expect(say(text).name, text).toBe("HassGetCurrentTime");
    for (const text of ["what day we have today", "the date of today", "in which month we are"])
      expect(say(text).name, text).toBe("HassGetCurrentDate");
  });

  it("tells the weather asked as it is made, with its subject left out or after the verb", () => {
    for (const text of [
      "what weather is making today",
      "how is the time tomorrow",
      "is going to rain this afternoon",
      "is cold outside",
      "need I an umbrella today",
      "how many degrees are outside",
      "is raining?",
    ])
      expect(say(text), text).toMatchObject({ name: "HassGetWeather", targets: ["weather.home"] });
  });

  it("tells how warm a room is asked in degrees", () => {
    expect(say("how many degrees it is here")).toMatchObject({
      name: "HassClimateGetTemperature",
      targets: ["climate.heating"],
    });
    expect(say("how much degrees in the kitchen")).toMatchObject({
      name: "HassGetState",
      targets: ["sensor.kitchen_temperature"],
    });
    expect(say("how hot is in the bedroom")).toMatchObject({
      name: "HassClimateGetTemperature",
      targets: ["climate.bedroom_ac"],
    });
  });

  it("answers a question asked in a statement's order, its question mark telling it from a remark", () => {
    expect(say("the garage door is closed?")).toMatchObject({
      name: "HassGetState",
      slots: { state: "closed" },
      targets: ["cover.garage_door"],
    });
    expect(say("the front door is closed with key?")).toMatchObject({
      name: "HassGetState",
      slots: { state: "locked" },
      targets: ["lock.front_door"],
    });
    expect(say("Grandma is at home?")).toMatchObject({ name: "HassGetState", targets: ["person.avo"] });
    expect(say("the kitchen is how many degrees?")).toMatchObject({
      name: "HassGetState",
      targets: ["sensor.kitchen_temperature"],
    });
    expect(say("it will rain tomorrow?")).toMatchObject({ name: "HassGetWeather" });
    // Said without one, it is what the speaker tells the family, not something to answer.
    home.expectNoCommand("the garage door is closed", "Sala");
  });

  it("hears 'has' for 'there is', and the owner after what is owned", () => {
    for (const text of ["has movement in the hallway?", "there is movement in the hallway?"])
      expect(say(text), text).toMatchObject({
        name: "HassGetState",
        targets: ["binary_sensor.hallway_motion"],
      });
    expect(say("how much battery has the phone of Tiago")).toMatchObject({
      name: "HassGetState",
      targets: ["sensor.tiago_phone_battery"],
    });
  });

  it("counts the lights of a floor asked after as open", () => {
    expect(say("how many lights are open downstairs")).toMatchObject({
      name: "HassGetState",
      slots: { state: "on" },
      targets: ["light.kitchen", "light.reading_lamp", "light.sala_ceiling"],
    });
  });

  it("sets a level said 'in' a number, 'until' or 'to the middle'", () => {
    expect(say("put the heating in 22")).toMatchObject({
      name: "HassClimateSetTemperature",
      slots: { temperature: 22 },
      targets: ["climate.heating"],
    });
    expect(say("put the desk lamp in 30 percent")).toMatchObject({
      name: "HassLightSet",
      slots: { brightness: 30 },
      targets: ["light.desk_lamp"],
    });
    for (const text of ["the sala blind until the middle", "put the sala blind to the half"])
      expect(say(text), text).toMatchObject({
        name: "HassSetPosition",
        slots: { position: 50 },
        targets: ["cover.sala_blind"],
      });
    expect(say("put the study fan in 1")).toMatchObject({
      name: "HassFanSetSpeed",
      slots: { percentage: 33 },
      targets: ["fan.study_fan"],
    });
    expect(say("put 24 degrees in the bedroom")).toMatchObject({
      name: "HassClimateSetTemperature",
      slots: { temperature: 24 },
      targets: ["climate.bedroom_ac"],
    });
  });

  it("changes a level said as 'more' and a word, or with the adverb before the thing", () => {
    // The bedroom light and the desk lamp are at half (128 of 255), the study fan at its second of three speeds.
    expect(say("make the bedroom light more strong")).toMatchObject({
      name: "HassLightSet",
      slots: { brightness: 75 },
      targets: ["light.bedroom"],
    });
    expect(say("the desk lamp more soft")).toMatchObject({ name: "HassLightSet", slots: { brightness: 25 } });
    expect(say("the study fan more slow")).toMatchObject({
      name: "HassFanSetSpeed",
      slots: { percentage: 34 },
      targets: ["fan.study_fan"],
    });
    expect(say("the bedroom air conditioner more cold")).toMatchObject({
      name: "HassClimateSetTemperature",
      slots: { temperature: 22 },
      targets: ["climate.bedroom_ac"],
    });
    expect(say("make more strong the desk lamp")).toMatchObject({
      name: "HassLightSet",
      slots: { brightness: 75 },
      targets: ["light.desk_lamp"],
    });
    expect(say("low the desk lamp to 20")).toMatchObject({ name: "HassLightSet", slots: { brightness: 20 } });
    expect(say("close a little the sala blind")).toMatchObject({
      name: "HassSetPosition",
      slots: { position: 75 },
      targets: ["cover.sala_blind"],
    });
    expect(say("more light please", "Bedroom")).toMatchObject({
      name: "HassLightSet",
      slots: { brightness: 75 },
      targets: ["light.bedroom"],
    });
  });
});
