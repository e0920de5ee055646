import { expect, it } from "vitest";
import { describeEnglishHome } from "../helpers/english-homes.js";

/*
 * Indian and Australian ways of asking that the plainer sentences miss: a regulator's speed in its
 * own steps (a fan's speed count, as Home Assistant counts them), "open" and "close" said of lights
 * and fans, a room's temperature asked of its AC, questions about an inverter or someone's room,
 * and a reason said after the command. Said to Hearth's own English alone and with Home Assistant's
 * English pack beside it (../shared/ha-intents, CC BY 4.0, Home Assistant's intents project),
 * through the real matcher, in a home of its own (a flat in Pune with a house-sitter's words).
 */
const HOME = `
site: { id: pune, name: Hearth, area: Living Room }
areas:
  - { name: Living Room, aliases: [hall] }
  - { name: Kitchen }
  - { name: Bedroom }
  - { name: Meera's Room }
  - { name: Balcony }
  - { name: Study }
devices:
  - { id: light.living_tube, name: Living Tubelight, area: Living Room, state: "off", attributes: { supported_color_modes: [onoff] } }
  - { id: light.living_cove, name: Cove Light, area: Living Room, state: "off", attributes: { supported_color_modes: [hs] } }
  - { id: fan.living_fan, name: Living Room Fan, area: Living Room, state: "on", speed_count: 8, attributes: { percentage: 50 } }
  - { id: fan.bedroom_fan, name: Bedroom Fan, area: Bedroom, state: "on", speed_count: 5, attributes: { percentage: 60 } }
  - { id: fan.balcony_fan, name: Balcony Fan, area: Balcony, state: "off" }
  - { id: light.bedroom_tube, name: Bedroom Tubelight, area: Bedroom, state: "on", attributes: { supported_color_modes: [onoff] } }
  - { id: climate.bedroom_ac, name: Bedroom AC, area: Bedroom, state: cool, attributes: { temperature: 22, current_temperature: 27 } }
  - { id: switch.bathroom_geyser, name: Bedroom Geyser, area: Bedroom, state: "off" }
  - { id: switch.kitchen_socket, name: Kitchen Socket, area: Kitchen, device_class: outlet, state: "on" }
  - { id: sensor.inverter_battery, name: Inverter Battery, device_class: battery, unit: "%", state: "71" }
  - { id: light.meera_tube, name: Meera Tubelight, area: Meera's Room, state: "on", attributes: { supported_color_modes: [onoff] } }
  - { id: cover.balcony_door, name: Balcony Door, area: Balcony, device_class: door, state: closed }
  - { id: valve.garden_tap, name: Garden Tap, area: Balcony, state: open }
  - { id: media_player.bedroom_speaker, name: Bedroom Speaker, area: Bedroom, state: idle }
  - { id: media_player.living_tv, name: Living Room TV, area: Living Room, state: playing }
  - { id: light.study_light, name: Study Light, area: Study, state: "off", attributes: { supported_color_modes: [onoff] } }
  - { id: switch.study_plug_1, name: Tapo Smart Plug 1, area: Study, device_class: outlet, state: "on" }
  - { id: switch.study_plug_2, name: Tapo Smart Plug 2, area: Study, device_class: outlet, state: "on" }
  - { id: cover.study_blinds, name: Study Blinds, area: Study, device_class: blind, state: closed, attributes: { current_position: 0 } }
`;

describeEnglishHome({ yaml: HOME, area: "Living Room" }, ({ said: hear, say }) => {
  it("sets a fan to a step of its own speed count, its lowest step, full, or a step up or down", () => {
    // The living room fan has eight speeds (a step is 12.5 percent) and runs at half; the bedroom
    // fan has five; the balcony fan tells none, so it is taken as a three-speed fan.
    for (const [text, percentage, target, area] of [
      ["make the fan speed 3", 38, "fan.living_fan", "Living Room"],
      ["speed one", 13, "fan.living_fan", "Living Room"],
      ["speed 4 please", 80, "fan.bedroom_fan", "Bedroom"],
      ["reduce the bedroom fan to speed 2", 40, "fan.bedroom_fan", "Living Room"],
      ["balcony fan speed 2", 67, "fan.balcony_fan", "Living Room"],
      ["fan full speed", 100, "fan.living_fan", "Living Room"],
      ["run the fan on full speed", 100, "fan.living_fan", "Living Room"],
      ["make the fan slow", 13, "fan.living_fan", "Living Room"],
      ["put the bedroom fan on low", 20, "fan.bedroom_fan", "Living Room"],
      ["fan a little faster please", 63, "fan.living_fan", "Living Room"],
    ] as const) {
      const i = say(text, area);
      expect(i.name, text).toBe("HassFanSetSpeed");
      expect(i.slots.percentage, text).toBe(percentage);
      expect(i.targets, text).toEqual([target]);
    }
  });

  it("sets a fan's step and switches a light off in one breath", () => {
    expect(hear("make the fan speed 2 and off the tubelight", "Bedroom")).toEqual([
      expect.objectContaining({
        name: "HassFanSetSpeed",
        slots: expect.objectContaining({ percentage: 40 }),
        targets: ["fan.bedroom_fan"],
      }),
      expect.objectContaining({ name: "HassTurnOff", targets: ["light.bedroom_tube"] }),
    ]);
  });

  it("opens and closes lights and fans as it switches them, and leaves doors and taps to open and close", () => {
    for (const [text, name, target, area] of [
      ["open the light", "HassTurnOn", ["light.living_cove", "light.living_tube"], "Living Room"],
      ["close the fan", "HassTurnOff", ["fan.bedroom_fan"], "Bedroom"],
      ["off the tubelight", "HassTurnOff", ["light.bedroom_tube"], "Bedroom"],
      ["on the AC", "HassTurnOn", ["climate.bedroom_ac"], "Bedroom"],
      ["open the balcony door", "HassTurnOn", ["cover.balcony_door"], "Living Room"],
      ["close the garden tap", "HassTurnOff", ["valve.garden_tap"], "Living Room"],
    ] as const) {
      const i = say(text, area);
      expect(i.name, text).toBe(name);
      expect(i.targets, text).toEqual(target);
    }
  });

  it("reads a room's temperature from its AC, the speaker's room where none is said", () => {
    expect(say("set bedroom temperature to 24.5")).toMatchObject({
      name: "HassClimateSetTemperature",
      slots: { temperature: 24.5 },
      targets: ["climate.bedroom_ac"],
    });
    for (const [text, area] of [
      ["what is the temperature in the bedroom", "Living Room"],
      ["what is the room temperature now", "Bedroom"],
      ["what's the room temperature", "Bedroom"],
    ] as const) {
      const i = say(text, area);
      expect(i.name, text).toBe("HassClimateGetTemperature");
      expect(i.targets, text).toEqual(["climate.bedroom_ac"]);
    }
  });

  it("answers an inverter's backup, what was switched off, a light in someone's room and every device of a kind", () => {
    for (const [text, targets] of [
      ["how much backup is left in the inverter", ["sensor.inverter_battery"]],
      ["did I switch off the geyser in the bedroom", ["switch.bathroom_geyser"]],
      ["is the tubelight on in meera's room", ["light.meera_tube"]],
      ["is any fan on", ["fan.balcony_fan", "fan.bedroom_fan", "fan.living_fan"]],
    ] as const) {
      const i = say(text);
      expect(i.name, text).toBe("HassGetState");
      expect(i.targets, text).toEqual(targets);
    }
  });

  it("calls a geyser a water heater, and reads the command without the reason or purpose after it", () => {
    for (const [text, name, targets, area] of [
      ["turn on the water heater", "HassTurnOn", ["switch.bathroom_geyser"], "Living Room"],
      [
        "please put on the water heater, I have to take bath",
        "HassTurnOn",
        ["switch.bathroom_geyser"],
        "Bedroom",
      ],
      ["switch off the kitchen power point", "HassTurnOff", ["switch.kitchen_socket"], "Living Room"],
      [
        "kindly make the cove light yellow for the puja",
        "HassLightSet",
        ["light.living_cove"],
        "Living Room",
      ],
    ] as const) {
      const i = say(text, area);
      expect(i.name, text).toBe(name);
      expect(i.targets, text).toEqual(targets);
    }
    // A search with no device in it stays a search.
    expect(say("put on some bhajans, it is puja time", "Bedroom").name).toBe("HassMediaSearchAndPlay");
  });

  it("takes Australian ways of asking: full for a light that only switches, a plug by its number, a fraction, a friendly opener", () => {
    for (const [text, name, targets, slots] of [
      ["crank the study light up to full", "HassTurnOn", ["light.study_light"], {}],
      ["switch off tapo plug one", "HassTurnOff", ["switch.study_plug_1"], {}],
      [
        "lift the study blinds a quarter of the way",
        "HassSetPosition",
        ["cover.study_blinds"],
        { position: 25 },
      ],
      ["be a legend and chuck the fan on", "HassTurnOn", ["fan.living_fan"], {}],
      ["hang on, pause it", "HassMediaPause", ["media_player.living_tv"], {}],
    ] as const) {
      const i = say(text);
      expect(i.name, text).toBe(name);
      expect(i.targets, text).toEqual(targets);
      expect(i.slots, text).toMatchObject(slots);
    }
  });
});
