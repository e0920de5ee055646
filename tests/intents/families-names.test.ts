import { expect, it } from "vitest";
import { describeEnglishHome } from "../helpers/english-homes.js";

/**
 * How people name the things and rooms of a home they know, where the home's registry names them
 * otherwise: a room by the one word of its name that matters ("the bedroom" for the Primary
 * Bedroom), a device by its place word said apart from the rest of its name, someone a command is
 * for. With Hearth's own English alone and with Home Assistant's English pack beside it
 * (../shared/ha-intents, CC BY 4.0, Home Assistant's intents project). A house of its own, through
 * the real matcher.
 */
const HOME = `
floors: [{ name: Ground Floor, aliases: [downstairs] }, { name: First Floor, aliases: [upstairs] }]
areas:
  - { name: Kitchen, floor: Ground Floor }
  - { name: Sitting Room, floor: Ground Floor }
  - { name: Hallway, floor: Ground Floor, aliases: [hall] }
  - { name: Primary Bedroom, floor: First Floor }
  - { name: Guest Suite, floor: First Floor }
  - { name: Orla's Room, floor: First Floor }
devices:
  - { id: light.kitchen_spots, name: Kitchen Spots, area: Kitchen, state: "on", attributes: { brightness: 100 } }
  - { id: climate.bedroom_ac, name: Bedroom Air Con, area: Primary Bedroom, state: "off", attributes: { temperature: 21 } }
  - { id: fan.bedroom_fan, name: Bedroom Ceiling Fan, area: Primary Bedroom, state: "off", attributes: { percentage: 0 } }
  - { id: media_player.bedroom_sonos, name: Bedroom Sonos, area: Primary Bedroom, state: paused }
  - { id: light.bedroom_lamp, name: Dresser Lamp, area: Primary Bedroom, state: "off" }
  - { id: climate.guest_heater, name: Guest Heater, area: Guest Suite, state: "off", attributes: { temperature: 18 } }
  - { id: light.moon_lamp, name: Moon Lamp, area: Orla's Room, state: "off" }
  - { id: media_player.orla_speaker, name: Orla Speaker, area: Orla's Room, state: playing, attributes: { volume_level: 0.5 } }
  - { id: media_player.sitting_tv, name: Sitting Room TV, area: Sitting Room, state: "off" }
  - { id: light.sitting_ceiling, name: Sitting Room Ceiling, area: Sitting Room, state: "off" }
  - { id: light.corner_lamp, name: Corner Lamp, area: Sitting Room, state: "off" }
  - { id: light.hallway, name: Hallway Light, area: Hallway, state: "off" }
  - { id: light.hall_table, name: Table Lamp, area: Hallway, state: "off" }
  - { id: cover.sitting_blinds, name: Sitting Room Blinds, area: Sitting Room, device_class: blind, state: open }
  - { id: cover.kitchen_blind, name: Sink Blind, area: Kitchen, device_class: blind, state: open }
  - { id: fan.purifier, name: Mi Air Purifier 3H, area: Primary Bedroom, state: "off" }
  - { id: light.strip, name: Hue Lightstrip Plus 2, area: Sitting Room, state: "off" }
  - { id: cover.bedroom_blind, name: Bedroom Blind, area: Primary Bedroom, device_class: blind, state: open }
`;

describeEnglishHome({ yaml: HOME, area: "Kitchen" }, ({ home, say }) => {
  it("reads a place word that is no room as the start of the device's name said apart from it", () => {
    expect(say("turn on the air con in the bedroom")).toMatchObject({
      name: "HassTurnOn",
      slots: { name: "Bedroom Air Con", area: "Primary Bedroom" },
      targets: ["climate.bedroom_ac"],
    });
    expect(say("set the ceiling fan in the bedroom to 40 percent")).toMatchObject({
      name: "HassFanSetSpeed",
      slots: { percentage: 40 },
      targets: ["fan.bedroom_fan"],
    });
  });

  it("takes a word of one room's name for that room, and no word that several rooms share", () => {
    expect(say("carry on playing in the bedroom")).toMatchObject({
      name: "HassMediaUnpause",
      targets: ["media_player.bedroom_sonos"],
    });
    expect(say("switch on the lights in the bedroom").targets).toEqual(["light.bedroom_lamp"]);
    // "Room" is a word of two rooms' names: neither is taken for it.
    const u = home.understand("turn on the moon lamp in the room", { area: "Kitchen" }).understanding;
    expect(u.kind).toBe("not-recognized");
  });

  it("leaves out someone a command is for, said last, who is no room", () => {
    expect(say("switch on the moon lamp for Cillian").targets).toEqual(["light.moon_lamp"]);
    expect(say("turn the moon lamp off for the baby").targets).toEqual(["light.moon_lamp"]);
    // The place the command is for is still a place.
    expect(say("turn on the heating for the guest suite").targets).toEqual(["climate.guest_heater"]);
  });

  it("hears the owner of a room, set apart, as someone spoken to, though a device bears the name", () => {
    for (const text of ["Orla, turn that music down", "Orla, turn off the moon lamp"]) {
      const u = home.understand(text, { area: "Orla's Room" }).understanding;
      expect(u.kind, text).toBe("not-recognized");
    }
    // Said to the assistant, it is done.
    expect(say("turn that music down", "Orla's Room").targets).toEqual(["media_player.orla_speaker"]);
  });

  it("hears one light said after a room with several as its main light, and the lights as all", () => {
    expect(say("turn on the hall light")).toMatchObject({
      name: "HassTurnOn",
      slots: { name: "Hallway Light" },
      targets: ["light.hallway"],
    });
    expect(say("turn on the hall lights").targets).toEqual(["light.hall_table", "light.hallway"]);
  });

  it("takes the big light, the main light or the overhead light for the room's ceiling light", () => {
    for (const text of ["stick the big light on", "turn on the main light", "switch the overhead light on"])
      expect(say(text, "Sitting Room").targets, text).toEqual(["light.sitting_ceiling"]);
    expect(say("turn off the big light in the sitting room").targets).toEqual(["light.sitting_ceiling"]);
    // Said where no light is the room's main one, it is no other room's.
    expect(home.understand("turn on the big light", { area: "Kitchen" }).understanding.kind).toBe(
      "not-recognized",
    );
  });

  it("closes every blind of a floor, not the one whose name in its room is the blinds", () => {
    expect(say("close the blinds on the ground floor")).toMatchObject({
      name: "HassTurnOff",
      slots: { floor: "Ground Floor" },
      targets: ["cover.kitchen_blind", "cover.sitting_blinds"],
    });
  });

  it("knows a product by the kind its name says, written as one word or said as two", () => {
    for (const [text, target] of [
      ["turn on the air purifier", "fan.purifier"],
      ["switch the purifier off", "fan.purifier"],
      ["turn on the lightstrip", "light.strip"],
      ["turn the light strip off", "light.strip"],
    ] as const)
      expect(say(text, "Primary Bedroom").targets, text).toEqual([target]);
  });

  it("takes a room said with a level for the room's lights", () => {
    expect(say("make the sitting room 80 percent")).toMatchObject({
      name: "HassLightSet",
      slots: { area: "Sitting Room", brightness: 80 },
      targets: ["light.corner_lamp", "light.sitting_ceiling", "light.strip"],
    });
  });
});
