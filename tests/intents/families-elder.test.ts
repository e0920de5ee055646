import { expect, it } from "vitest";
import { describeEnglishHome } from "../helpers/english-homes.js";

/**
 * How older people talk to a speaker at home (issue 12): politely and at length, a thing described
 * rather than named, a goodnight or a remark to the family beside the talk to the assistant. With
 * Hearth's own English alone and with Home Assistant's English pack beside it (../shared/ha-intents,
 * CC BY 4.0). A bungalow of its own, through the real matcher.
 */
const HOME = `
floors: [{ name: Ground Floor }]
areas:
  - { name: Lounge, floor: Ground Floor }
  - { name: Kitchen, floor: Ground Floor }
  - { name: Dining Room, floor: Ground Floor }
  - { name: Master Bedroom, floor: Ground Floor }
  - { name: Guest Bedroom, floor: Ground Floor }
  - { name: Hallway, floor: Ground Floor }
  - { name: Wet Room, floor: Ground Floor }
  - { name: Den, floor: Ground Floor }
  - { name: Porch, floor: Ground Floor }
  - { name: Conservatory, floor: Ground Floor }
devices:
  - { id: light.lounge_ceiling, name: Lounge Ceiling Light, area: Lounge, state: "off", attributes: { supported_color_modes: [brightness] } }
  - { id: light.armchair_lamp, name: Armchair Lamp, area: Lounge, state: "off", attributes: { supported_color_modes: [hs] } }
  - { id: light.corner_lamp, name: Corner Lamp, area: Lounge, state: "off", attributes: { supported_color_modes: [brightness] } }
  - { id: switch.bar_heater, name: Bar Heater, area: Lounge, state: "off" }
  - { id: switch.shelf_plug, name: Shelf Plug, aliases: [shelf lights], area: Lounge, state: "off" }
  - { id: media_player.lounge_tv, name: Lounge TV, area: Lounge, state: "off" }
  - { id: light.kitchen_light, name: Kitchen Light, area: Kitchen, state: "off", attributes: { supported_color_modes: [onoff] } }
  - { id: light.cooker_hood, name: Cooker Hood Light, area: Kitchen, state: "off", attributes: { supported_color_modes: [onoff] } }
  - { id: switch.urn, name: Tea Urn, area: Kitchen, state: "off" }
  - { id: light.dining_light, name: Dining Room Light, area: Dining Room, state: "off", attributes: { supported_color_modes: [onoff] } }
  - { id: light.master_ceiling, name: Bedroom Ceiling Light, area: Master Bedroom, state: "off", attributes: { supported_color_modes: [brightness] } }
  - { id: light.master_bedside, name: Bedside Lamp, area: Master Bedroom, state: "off", attributes: { supported_color_modes: [brightness] } }
  - { id: light.guest_lamp, name: Guest Lamp, area: Guest Bedroom, state: "off", attributes: { supported_color_modes: [brightness] } }
  - { id: climate.master_rad, name: Bedroom Radiator, area: Master Bedroom, state: heat, attributes: { temperature: 19, current_temperature: 17 } }
  - { id: light.hall_light, name: Hallway Light, area: Hallway, state: "off", attributes: { supported_color_modes: [onoff] } }
  - { id: light.hall_nightlight, name: Night Light, area: Hallway, state: "off", attributes: { supported_color_modes: [onoff] } }
  - { id: light.wet_room_light, name: Wet Room Light, area: Wet Room, state: "off", attributes: { supported_color_modes: [onoff] } }
  - { id: light.wet_room_mirror, name: Mirror Light, area: Wet Room, state: "off", attributes: { supported_color_modes: [onoff] } }
  - { id: light.den_lamp, name: Reading Lamp, area: Den, state: "on", attributes: { supported_color_modes: [brightness] } }
  - { id: light.den_uplighter, name: Uplighter, area: Den, state: "on", attributes: { supported_color_modes: [brightness] } }
  - { id: light.porch_light, name: Porch Light, area: Porch, state: "on", attributes: { supported_color_modes: [onoff] } }
  - { id: light.fairy_lights, name: Fairy Lights, area: Conservatory, state: "on", attributes: { supported_color_modes: [onoff] } }
  - { id: cover.lounge_curtains, name: Lounge Curtains, area: Lounge, device_class: curtain, state: open }
  - { id: lock.back_door, name: Back Door, area: Kitchen, state: locked }
  - { id: lock.front_door, name: Front Door, area: Hallway, state: unlocked }
  - { id: binary_sensor.pantry_door, name: Pantry Door, area: Kitchen, device_class: door, state: "off" }
  - { id: binary_sensor.drinks_cabinet, name: Drinks Cabinet, area: Dining Room, device_class: opening, state: "on" }
  - { id: person.gerald, name: Gerald, state: home }
  - { id: script.goodnight, name: Goodnight Routine }
`;

describeEnglishHome({ yaml: HOME, area: "Lounge" }, ({ home, say }) => {
  const none = (text: string, area = "Lounge") => home.expectNoCommand(text, area);

  it("takes a goodnight said to someone for no device whose name it is near", () => {
    for (const text of ["night night, love", "nighty night", "night night, sweetheart"]) none(text);
    // The name itself still switches it.
    expect(say("night light on").targets).toEqual(["light.hall_nightlight"]);
  });

  it("does nothing where the speaker says what they will do themself and why", () => {
    none("I'll close the curtains myself because it's getting dark");
    none("let me draw the curtains, it's getting dark");
    // A command beside it is still one.
    expect(say("I'll be in the garden, turn the porch light off").targets).toEqual(["light.porch_light"]);
  });

  it("leaves a command said to a person or a pet by name to them", () => {
    for (const text of [
      "put the urn on, Mum, we've got visitors",
      "switch the telly off, Dad, nobody's watching",
      "put the bar heater on, Reg, I'm frozen",
      "Biscuit, leave it! Drop it!",
    ])
      none(text);
    // Said to the assistant with a term of endearment, it is carried out.
    expect(say("put the urn on, love").targets).toEqual(["switch.urn"]);
  });

  it("takes 'the lamps' of a room for its lamps, not its ceiling light", () => {
    // The lamps are the lamps, not the ceiling light beside them.
    expect(home.said("close the curtains and put the lamps on", "Lounge").map((i) => i.targets)).toEqual([
      ["cover.lounge_curtains"],
      ["light.armchair_lamp", "light.corner_lamp"],
    ]);
    // "The lights" are all of them.
    expect(say("put the lights on in the wet room", "Den").targets).toEqual([
      "light.wet_room_light",
      "light.wet_room_mirror",
    ]);
  });

  it("switches a thing named first, with a remark about it, then 'turn it off'", () => {
    expect(say("the lamp in the den has been on all morning, turn it off", "Kitchen")).toMatchObject({
      name: "HassTurnOff",
      targets: ["light.den_lamp"],
    });
    expect(say("the porch light's still on, switch it off would you", "Kitchen")).toMatchObject({
      name: "HassTurnOff",
      targets: ["light.porch_light"],
    });
    expect(say("the, what do you call it, the fairy lights, switch them off", "Kitchen")).toMatchObject({
      name: "HassTurnOff",
      targets: ["light.fairy_lights"],
    });
    // The speaker's own doing is not.
    none("the porch light is still on, I'll turn it off myself", "Kitchen");
  });

  it("finds a device described by where it stands", () => {
    expect(say("switch on the lamp beside my armchair").targets).toEqual(["light.armchair_lamp"]);
    expect(say("put the lamp in the corner on").targets).toEqual(["light.corner_lamp"]);
    expect(say("turn off the lamp by my armchair").targets).toEqual(["light.armchair_lamp"]);
    // Older words for what it is.
    expect(say("the heater in the lounge, put it on would you", "Kitchen").targets).toEqual([
      "switch.bar_heater",
    ]);
    expect(say("switch the telly off").targets).toEqual(["media_player.lounge_tv"]);
  });

  it("asks whether a cabinet has been opened", () => {
    expect(say("has the drinks cabinet been opened")).toMatchObject({
      name: "HassGetState",
      slots: { state: "on" },
      targets: ["binary_sensor.drinks_cabinet"],
    });
  });

  it("answers where someone has got to", () => {
    expect(say("where's Gerald got to")).toMatchObject({ name: "HassGetState", targets: ["person.gerald"] });
  });

  it("answers a lock asked as what the speaker did", () => {
    for (const [text, target] of [
      ["have I locked the back door", "lock.back_door"],
      ["did I remember to lock the front door", "lock.front_door"],
    ] as const) {
      expect(say(text), text).toMatchObject({
        name: "HassGetState",
        slots: { state: "locked" },
        targets: [target],
      });
    }
    expect(say("did we lock up")).toMatchObject({
      name: "HassGetState",
      slots: { domain: "lock", state: "locked" },
      targets: ["lock.back_door", "lock.front_door"],
    });
  });

  it("carries out a command said with whom or what it is for, and one said again for emphasis once", () => {
    expect(say("unlock the back door for the grandchildren", "Kitchen")).toMatchObject({
      targets: ["lock.back_door"],
    });
    expect(say("make the armchair lamp blue for Christmas")).toMatchObject({
      name: "HassLightSet",
      slots: { color: "blue" },
      targets: ["light.armchair_lamp"],
    });
    expect(say("lock the back door, I said lock the back door", "Kitchen").targets).toEqual([
      "lock.back_door",
    ]);
  });

  it("takes a light's name said without where it hangs", () => {
    expect(say("put the bedroom light on")).toMatchObject({
      name: "HassTurnOn",
      targets: ["light.master_ceiling"],
    });
  });
});
