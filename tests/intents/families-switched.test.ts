import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEnglishHome } from "../helpers/english-homes.js";
import { type ActingUnderstanding, openYamlHome, ownEnglish } from "../helpers/understanding.js";

/**
 * How people who used another assistant for years talk to Hearth, with Hearth's own English alone
 * and with Home Assistant's English pack beside it (../shared/ha-intents, CC BY 4.0, Home
 * Assistant's intents project): a room said alone for its lights, routines named like greetings
 * said after the old assistant's name, a thermostat a floor, remarks about new bulbs and bright
 * strips that are no command, for a family house of its own, through the real matcher.
 */
const HOME = `
site: { id: maple, name: Hearth, area: Family Room }
floors:
  - { name: Basement }
  - { name: Main Floor, aliases: [downstairs] }
  - { name: Upstairs }
areas:
  - { name: Family Room, floor: Main Floor }
  - { name: Kitchen, floor: Main Floor }
  - { name: Den, floor: Main Floor }
  - { name: Larder, floor: Main Floor }
  - { name: Rec Room, floor: Basement }
  - { name: Noah's Room, floor: Upstairs }
  - { name: Maya's Room, floor: Upstairs }
  - { name: Landing, floor: Upstairs }
  - { name: Front Yard }
devices:
  - { id: light.family_pots, name: Family Room Pot Lights, area: Family Room, state: "on", attributes: { brightness: 128, supported_color_modes: [brightness] } }
  - { id: light.led_strip, name: Govee Strip, aliases: [led strip], area: Family Room, state: "on", attributes: { brightness: 255, supported_color_modes: [hs] } }
  - { id: light.island, name: Island Pendants, aliases: [pendant], area: Kitchen, state: "off", attributes: { supported_color_modes: [brightness] } }
  - { id: light.den_lamp, name: Den Lamp, area: Den, state: "on" }
  - { id: light.den_floor, name: Den Floor Lamp, area: Den, state: "on" }
  - { id: media_player.den_tv, name: Den TV, area: Den, state: "on" }
  - { id: light.larder, name: Larder Light, area: Larder, state: "on" }
  - { id: light.rec_ceiling, name: Rec Room Ceiling, area: Rec Room, state: "off" }
  - { id: light.noah_main, name: Noah's Room Light, area: Noah's Room, state: "on" }
  - { id: light.noah_night, name: Night Light, area: Noah's Room, state: "off" }
  - { id: switch.noah_sound, name: Noah's Sound Machine, aliases: [white noise machine], area: Noah's Room, state: "off" }
  - { id: light.maya_lamp, name: Maya's Lamp, area: Maya's Room, state: "on" }
  - { id: light.maya_desk, name: Maya's Desk Light, area: Maya's Room, state: "off" }
  - { id: light.landing, name: Landing Light, area: Landing, state: "off" }
  - { id: climate.main_nest, name: Nest Thermostat, area: Family Room, state: heat, attributes: { temperature: 68, current_temperature: 67 } }
  - { id: climate.up_honeywell, name: Honeywell Upstairs, area: Landing, state: heat, attributes: { temperature: 66, current_temperature: 65 } }
  - { id: media_player.family_sonos, name: Family Room Sonos, area: Family Room, state: playing, attributes: { volume_level: 0.3 } }
  - { id: binary_sensor.ring_motion, name: Front Door Ring Motion, area: Front Yard, device_class: motion, state: "off" }
  - { id: camera.ring, name: Front Door Ring, area: Front Yard, state: idle }
  - { id: script.good_night, name: Good Night }
  - { id: script.good_evening, name: Good Evening }
  - { id: script.heading_out, name: I'm Off }
  - { id: todo.shopping_list, name: Shopping List, state: "0" }
`;

describeEnglishHome({ yaml: HOME, area: "Family Room" }, ({ home, say }) => {
  it("takes a remark about new bulbs, a bright strip or a moment to think for no command", () => {
    for (const text of [
      "I got new bulbs for the pendant",
      "I ordered spare bulbs for the den lamp",
      "we got some new lights for the den",
      "give me a second, I'm still deciding",
      "give me a minute",
      "the govee strip is so bright",
    ])
      home.expectNoCommand(text);
    // A complaint still dims it.
    expect(say("the LED strip is too bright")).toMatchObject({
      name: "HassLightSet",
      targets: ["light.led_strip"],
    });
  });

  it("puts what is to be bought on the list without when it is to be bought", () => {
    for (const [text, item] of [
      ["we need to buy more flour at some point", "flour"],
      ["we need to get more coffee later", "coffee"],
      ["remind me to buy dish soap this week", "dish soap"],
    ] as const)
      expect(say(text), text).toMatchObject({ name: "HassShoppingListAddItem", slots: { item } });
  });

  it("switches a room said alone by its lights, never by a device named after the room", () => {
    for (const [text, name, targets] of [
      ["turn off the den", "HassTurnOff", ["light.den_floor", "light.den_lamp"]],
      ["switch off the larder", "HassTurnOff", ["light.larder"]],
      ["turn the rec room on", "HassTurnOn", ["light.rec_ceiling"]],
      ["switch on the landing", "HassTurnOn", ["light.landing"]],
    ] as const) {
      const i = say(text);
      expect(i.name, text).toBe(name);
      expect([...i.targets].sort(), text).toEqual(targets);
    }
  });

  it("runs a routine named like a greeting said after another assistant's name", () => {
    for (const [text, target] of [
      ["Siri, good evening", "script.good_evening"],
      ["hey google good night", "script.good_night"],
      ["OK Google, I'm off", "script.heading_out"],
      ["good night", "script.good_night"],
    ] as const)
      expect(say(text), text).toMatchObject({ name: "HassTurnOn", targets: [target] });
  });

  it("leaves out the name of any assistant said first, never making it part of a timer's name", () => {
    expect(say("Echo, pasta timer 6 minutes")).toMatchObject({
      name: "HassStartTimer",
      slots: { name: "pasta", minutes: 6 },
    });
    expect(say("Cortana, add milk to the shopping list")).toMatchObject({
      name: "HassShoppingListAddItem",
      slots: { item: "milk" },
    });
  });

  it("sets a floor's thermostat by the floor, and the floor's only one said from a room without", () => {
    expect(say("set downstairs to 66 degrees")).toMatchObject({
      name: "HassClimateSetTemperature",
      slots: { temperature: 66 },
      targets: ["climate.main_nest"],
    });
    expect(say("set the thermostat to 70", "Noah's Room")).toMatchObject({
      name: "HassClimateSetTemperature",
      targets: ["climate.up_honeywell"],
    });
    expect(say("set the thermostat to 70", "Den").targets).toEqual(["climate.main_nest"]);
    // The basement has none, the home two: which one?
    const u = home.understand("set the thermostat to 70", { area: "Rec Room" }).understanding;
    expect(u.kind === "not-recognized" && u.reason).toBe("ambiguous");
    expect(say("what's the thermostat in here set to")).toMatchObject({
      name: "HassClimateGetTemperature",
      targets: ["climate.main_nest"],
    });
  });

  it("asks about the motion a doorbell sees by where it is, the way its sensor's name opens", () => {
    expect(say("any motion at the front door")).toMatchObject({
      name: "HassGetState",
      targets: ["binary_sensor.ring_motion"],
    });
  });

  it("asks how long a timer has without the word left", () => {
    expect(say("how long on the pasta timer")).toMatchObject({
      name: "HassTimerStatus",
      slots: { name: "pasta" },
    });
  });

  it("knows a thermostat by its brand, said with its floor", () => {
    expect(say("set the nest downstairs to 70", "Noah's Room")).toMatchObject({
      name: "HassClimateSetTemperature",
      slots: { temperature: 70 },
      targets: ["climate.main_nest"],
    });
  });

  it("knows a machine in a child's room by the child and what it makes", () => {
    expect(say("turn on Noah's white noise")).toMatchObject({
      name: "HassTurnOn",
      targets: ["switch.noah_sound"],
    });
  });

  it("reads 'her' in a second command as the owner the first one named", () => {
    expect(home.said("turn off Maya's lamp and turn on her desk light", "Family Room")).toMatchObject([
      { name: "HassTurnOff", targets: ["light.maya_lamp"] },
      { name: "HassTurnOn", targets: ["light.maya_desk"] },
    ]);
  });

  it("leaves a light one command names out of the room's lights another switches", () => {
    expect(home.said("turn off the light and turn on the night light", "Noah's Room")).toMatchObject([
      { name: "HassTurnOff", targets: ["light.noah_main"] },
      { name: "HassTurnOn", targets: ["light.noah_night"] },
    ]);
  });
});

describe("Hearth's own English", () => {
  let home: ActingUnderstanding;

  beforeAll(async () => {
    home = await openYamlHome(HOME, await ownEnglish());
  });

  afterAll(() => home?.close());

  it("takes a bare volume up to ten on the old assistants' scale of ten, and anything said in percent as percent", () => {
    for (const [text, level] of [
      ["volume 6", 60],
      ["set the volume to 3", 30],
      ["set the volume to 5 percent", 5],
      ["set the volume to 30", 30],
    ] as const)
      expect(home.saidOnce(text, "Family Room"), text).toMatchObject({
        name: "HassSetVolume",
        slots: { volume_level: level },
        targets: ["media_player.family_sonos"],
      });
  });
});
