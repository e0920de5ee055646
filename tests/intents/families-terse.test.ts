import { expect, it } from "vitest";
import { describeEnglishHome } from "../helpers/english-homes.js";

/**
 * Terse and slangy commands as they are said to a speaker in an American house, with Hearth's own
 * English alone and with Home Assistant's English pack beside it (../shared/ha-intents, CC BY 4.0,
 * Home Assistant's intents project): a room and a bare number, "bump" and "crank", set-points moved
 * by so many degrees, devices that share an alias, a kid's room named after its owner, and requests
 * meant for someone else in the room. A home of its own, through the real matcher.
 */
const HOME = `
floors: [{ name: Main Level, aliases: [downstairs] }, { name: Upper Level, aliases: [upstairs] }]
areas:
  - { name: Den, floor: Main Level }
  - { name: Breakfast Nook, floor: Main Level, aliases: [nook] }
  - { name: Workshop, floor: Main Level }
  - { name: Primary Suite, floor: Upper Level }
  - { name: Maya's Room, floor: Upper Level }
  - { name: Owen's Room, floor: Upper Level }
devices:
  - { id: light.den_recessed, name: Den Recessed, area: Den, state: "on", attributes: { brightness: 128, supported_color_modes: [brightness] } }
  - { id: light.nook_pendant, name: Nook Pendant, area: Breakfast Nook, state: "off", attributes: { supported_color_modes: [brightness] } }
  - { id: light.maya_nightstand, name: Nightstand Light, aliases: [lamp], area: Maya's Room, state: "off", attributes: { supported_color_modes: [brightness] } }
  - { id: light.owen_desk, name: Desk Lamp, aliases: [lamp], area: Owen's Room, state: "off", attributes: { supported_color_modes: [brightness] } }
  - { id: light.suite_sconces, name: Suite Sconces, area: Primary Suite, state: "on", attributes: { brightness: 255, supported_color_modes: [brightness] } }
  - { id: fan.den_paddle, name: Den Paddle Fan, aliases: [ceiling fan], area: Den, state: "off" }
  - { id: fan.suite_paddle, name: Suite Paddle Fan, aliases: [ceiling fan], area: Primary Suite, state: "off" }
  - { id: fan.owen_box, name: Box Fan, area: Owen's Room, state: "off" }
  - { id: climate.den_nest, name: Hallway Nest, area: Den, state: heat, attributes: { temperature: 69, current_temperature: 67 } }
  - { id: climate.workshop_split, name: Workshop Split, aliases: [A/C, window unit], area: Workshop, state: cool, attributes: { temperature: 76, current_temperature: 81 } }
  - { id: climate.suite_thermostat, name: Suite Thermostat, area: Primary Suite, state: heat, attributes: { temperature: 66, current_temperature: 65 } }
  - { id: sensor.mom_tablet_battery, name: Mom's Tablet Battery, device_class: battery, unit: "%", state: "37" }
  - { id: cover.workshop_door, name: Workshop Door, area: Workshop, device_class: garage, state: closed }
  - { id: lock.back_door, name: Back Door, area: Breakfast Nook, state: locked }
`;

const UPSTAIRS_LIGHTS = ["light.maya_nightstand", "light.owen_desk", "light.suite_sconces"];

describeEnglishHome({ yaml: HOME, area: "Den" }, ({ home, say }) => {
  it("sets the lights of a room said with a bare number, no verb and no 'to'", () => {
    for (const [text, target, level] of [
      ["den lights 40", "light.den_recessed", 40],
      ["nook lights 70 percent", "light.nook_pendant", 70],
      ["breakfast nook lights 15", "light.nook_pendant", 15],
      ["suite sconces 35", "light.suite_sconces", 35],
    ] as const) {
      const i = say(text, "Primary Suite");
      expect(i.name, text).toBe("HassLightSet");
      expect(i.targets, text).toEqual([target]);
      expect(i.slots.brightness, text).toBe(level);
    }
  });

  it("sets a thermostat said with a bare set-point", () => {
    for (const [text, area, target, degrees] of [
      ["thermostat 71", "Den", "climate.den_nest", 71],
      ["primary suite thermostat 64", "Den", "climate.suite_thermostat", 64],
      ["heat 70", "Primary Suite", "climate.suite_thermostat", 70],
      // A floor before the thermostat, with one thermostat on it.
      ["upstairs thermostat 67", "Den", "climate.suite_thermostat", 67],
      ["set the upper level thermostat to 65", "Den", "climate.suite_thermostat", 65],
    ] as const) {
      const i = say(text, area);
      expect(i.name, text).toBe("HassClimateSetTemperature");
      expect(i.targets, text).toEqual([target]);
      expect(i.slots.temperature, text).toBe(degrees);
    }
  });

  it("raises and lowers brightness said with 'bump' and 'crank'", () => {
    for (const [text, target, level] of [
      ["bump the nook pendant up to 60", "light.nook_pendant", 60],
      ["crank the den recessed up to 90 percent", "light.den_recessed", 90],
      ["crank up the lights to 85", "light.den_recessed", 85],
      ["crank the nook pendant to 45", "light.nook_pendant", 45],
      ["crank the lights all the way up", "light.den_recessed", 100],
      ["crank the suite sconces all the way down", "light.suite_sconces", 1],
      // The Den Recessed burn at half: a step down from there.
      ["bump it down", "light.den_recessed", 25],
      ["bump the lights down a little", "light.den_recessed", 25],
    ] as const) {
      const i = say(text);
      expect(i.name, text).toBe("HassLightSet");
      expect(i.targets, text).toEqual([target]);
      expect(i.slots.brightness, text).toBe(level);
    }
  });

  it("moves a set-point by the number of degrees said", () => {
    for (const [text, area, target, degrees] of [
      ["heat up two degrees", "Den", "climate.den_nest", 71],
      ["turn the thermostat down 3 degrees", "Den", "climate.den_nest", 66],
      ["turn the thermostat up by 2 degrees", "Primary Suite", "climate.suite_thermostat", 68],
      ["bump the AC up a degree", "Den", "climate.workshop_split", 77],
      ["knock the window unit down 4 degrees", "Den", "climate.workshop_split", 72],
      ["cool it down 2 degrees", "Workshop", "climate.workshop_split", 74],
      ["turn up the heat by 2 degrees", "Den", "climate.den_nest", 71],
      ["drop the thermostat two degrees", "Primary Suite", "climate.suite_thermostat", 64],
      ["make it three degrees warmer in here", "Den", "climate.den_nest", 72],
      ["make the AC 2 degrees cooler", "Den", "climate.workshop_split", 74],
    ] as const) {
      const i = say(text, area);
      expect(i.name, text).toBe("HassClimateSetTemperature");
      expect(i.targets, text).toEqual([target]);
      expect(i.slots.temperature, text).toBe(degrees);
    }
  });

  it("reads 'make it 70 in here' as the speaker's room's thermostat", () => {
    for (const [text, area, target, degrees] of [
      ["make it 72 in here", "Den", "climate.den_nest", 72],
      ["make it 67 degrees in here", "Primary Suite", "climate.suite_thermostat", 67],
      ["make it 68", "Den", "climate.den_nest", 68],
    ] as const) {
      const i = say(text, area);
      expect(i.name, text).toBe("HassClimateSetTemperature");
      expect(i.targets, text).toEqual([target]);
      expect(i.slots.temperature, text).toBe(degrees);
    }
  });

  // The Workshop Split's alias is written "A/C" and said "AC": letters apart in a name are one word too.
  it("sets the climate device named by its alias, not the speaker's room's thermostat", () => {
    for (const text of [
      "turn down the AC to 72",
      "AC down to 72",
      "set the window unit at 72",
      "put the AC on 72",
      "the AC 72 degrees",
      "AC 72",
      "lower the AC to 72",
      "set the A/C to 72",
      "set the AC to 72",
    ]) {
      const i = say(text, "Den");
      expect(i.name, text).toBe("HassClimateSetTemperature");
      expect(i.targets, text).toEqual(["climate.workshop_split"]);
      expect(i.slots).toMatchObject({ name: "Workshop Split", temperature: 72 });
    }
  });

  it("takes the device in the speaker's room where devices in two rooms share an alias", () => {
    for (const [area, target, name] of [
      ["Den", "fan.den_paddle", "Den Paddle Fan"],
      ["Primary Suite", "fan.suite_paddle", "Suite Paddle Fan"],
    ] as const) {
      const on = say("turn on the ceiling fan", area);
      expect([on.name, on.targets, on.slots.name]).toEqual(["HassTurnOn", [target], name]);
      for (const [text, percentage] of [
        ["set the ceiling fan to 40 percent", 40],
        ["ceiling fan on high", 100],
        ["put the ceiling fan on low", 33],
        ["ceiling fan 60", 60],
      ] as const) {
        const speed = say(text, area);
        expect([speed.name, speed.targets, speed.slots.percentage], text).toEqual([
          "HassFanSetSpeed",
          [target],
          percentage,
        ]);
      }
    }
    // Said in a room with neither: the question which.
    const u = home.understand("turn on the ceiling fan", { area: "Breakfast Nook" }).understanding;
    expect(u.kind === "not-recognized" && u.reason).toBe("ambiguous");
    expect(u.kind === "not-recognized" ? u.candidates?.map((c) => c.id).sort() : []).toEqual([
      "fan.den_paddle",
      "fan.suite_paddle",
    ]);
  });

  it("knows a device by the owner of its room and its alias or kind", () => {
    for (const [text, name, target] of [
      ["turn on maya's lamp", "HassTurnOn", "light.maya_nightstand"],
      ["owen's lamp off", "HassTurnOff", "light.owen_desk"],
      ["switch on owen's fan", "HassTurnOn", "fan.owen_box"],
      ["turn off maya's light", "HassTurnOff", "light.maya_nightstand"],
    ] as const) {
      const i = say(text);
      expect(i.name, text).toBe(name);
      expect(i.targets, text).toEqual([target]);
    }
  });

  it("answers the battery of a person's device asked with the measure first", () => {
    for (const text of [
      "what's the battery on mom's tablet",
      "what is the battery level of mom's tablet",
      "how much battery is left on mom's tablet",
    ]) {
      const i = say(text);
      expect(i.name, text).toBe("HassGetState");
      expect(i.targets, text).toEqual(["sensor.mom_tablet_battery"]);
    }
  });

  it("turns the lights off on a floor said with 'off' after the lights", () => {
    for (const text of [
      "shut the lights off upstairs",
      "shut the lights off on the upper level",
      "turn the lights off upstairs",
      "kill the lights off upstairs",
    ]) {
      const i = say(text);
      expect(i.name, text).toBe("HassTurnOff");
      expect(i.targets, text).toEqual(UPSTAIRS_LIGHTS);
    }
  });

  it("takes no command from a request said to someone else in the room", () => {
    for (const text of [
      "honey, can you get the door",
      "you guys, close the door",
      "close the workshop door, you guys",
      "hey kids, turn off the den recessed",
      "Tyler, lock the workshop door",
      "can you hold the door",
      "Tyler, can you hold the door for me",
    ]) {
      const u = home.understand(text, { area: "Den" }).understanding;
      expect(u.kind, text).toBe("not-recognized");
      expect(u.kind === "not-recognized" && u.reason, text).toBe("no_match");
    }
    // The same commands said to the assistant are carried out.
    expect(say("close the workshop door").targets).toEqual(["cover.workshop_door"]);
    expect(say("hey hearth, turn off the den recessed").targets).toEqual(["light.den_recessed"]);
  });
});
