import { expect, it } from "vitest";
import { describeEnglishHome } from "../helpers/english-homes.js";

/**
 * A large home named the way Home Assistant users name things: lamps and blinds told apart by a
 * side said last in their names, names shared across domains and rooms, meters named after the
 * appliance they meter, a timer named like a room. With Hearth's own English alone and with Home
 * Assistant's English pack beside it (../shared/ha-intents, CC BY 4.0, Home Assistant's intents
 * project). A house of its own, through the real matcher.
 */
const HOME = `
floors:
  - { name: Cellar }
  - { name: Ground Floor, aliases: [downstairs] }
  - { name: Upper Floor, aliases: [upstairs] }
areas:
  - { name: Scullery, floor: Ground Floor }
  - { name: Library, floor: Ground Floor }
  - { name: Drawing Room, floor: Ground Floor }
  - { name: Utility Room, floor: Cellar, aliases: [utility] }
  - { name: Studio, floor: Upper Floor }
  - { name: Principal Bedroom, floor: Upper Floor }
  - { name: Blue Bedroom, floor: Upper Floor }
  - { name: Boot Room, floor: Ground Floor }
devices:
  - { id: light.library_lamp_left, name: Library Lamp Left, area: Library, state: "off" }
  - { id: light.library_lamp_right, name: Library Lamp Right, area: Library, state: "off" }
  - { id: light.library_chandelier, name: Chandelier, area: Library, state: "off" }
  - { id: cover.drawing_blind_left, name: Drawing Room Blind Left, area: Drawing Room, device_class: blind, state: open, attributes: { current_position: 100 } }
  - { id: cover.drawing_blind_right, name: Drawing Room Blind Right, area: Drawing Room, device_class: blind, state: open, attributes: { current_position: 100 } }
  - { id: cover.principal_blind, name: Principal Bedroom Blind, area: Principal Bedroom, device_class: blind, state: closed, attributes: { current_position: 0 } }
  - { id: cover.blue_blind, name: Blue Bedroom Blind, area: Blue Bedroom, device_class: blind, state: closed, attributes: { current_position: 0 } }
  - { id: light.principal_bedside, name: Bedside Lamp, area: Principal Bedroom, state: "off" }
  - { id: light.studio, name: Studio, area: Studio, state: "off" }
  - { id: light.studio_easel, name: Easel Lamp, area: Studio, state: "off" }
  - { id: cover.studio, name: Studio, area: Studio, device_class: blind, state: closed, attributes: { current_position: 0 } }
  - { id: sensor.mains_power, name: Mains Power, device_class: power, state: "1480", attributes: { unit_of_measurement: W } }
  - { id: sensor.pv_output, name: PV Output, aliases: [Solar Generation], device_class: power, state: "2300", attributes: { unit_of_measurement: W } }
  - { id: switch.washing_machine, name: Washing Machine, area: Utility Room, state: "on" }
  - { id: sensor.washing_machine_power, name: Washing Machine Power, area: Utility Room, device_class: power, state: "650", attributes: { unit_of_measurement: W } }
  - { id: binary_sensor.washing_machine_leak, name: Washing Machine Leak, area: Utility Room, device_class: moisture, state: "off" }
  - { id: binary_sensor.scullery_sink_leak, name: Sink Leak, area: Scullery, device_class: moisture, state: "off" }
  - { id: lock.boot_room_door, name: Garden Door, area: Boot Room, state: locked }
  - { id: sensor.garden_door_battery, name: Garden Door Battery, area: Boot Room, device_class: battery, state: "64", attributes: { unit_of_measurement: "%" } }
  - { id: light.scullery, name: Scullery Light, area: Scullery, state: "on" }
  - { id: media_player.scullery_radio, name: Scullery Radio, area: Scullery, state: idle }
`;

describeEnglishHome({ yaml: HOME, area: "Scullery" }, ({ home, say }) => {
  it("hears a lamp or blind whose name ends in its side with the side said first", () => {
    expect(say("turn on the left lamp", "Library").targets).toEqual(["light.library_lamp_left"]);
    expect(say("switch off the right lamp in the library").targets).toEqual(["light.library_lamp_right"]);
    expect(say("turn on the left library lamp").targets).toEqual(["light.library_lamp_left"]);
    expect(say("close the right blind", "Drawing Room")).toMatchObject({
      name: "HassTurnOff",
      targets: ["cover.drawing_blind_right"],
    });
    expect(say("lower the left blind in the drawing room").targets).toEqual(["cover.drawing_blind_left"]);
  });

  it("takes every blind whose name or room holds the words said before 'blinds' where no room is called so", () => {
    const both = ["cover.blue_blind", "cover.principal_blind"];
    expect(say("open the bedroom blinds")).toMatchObject({ name: "HassTurnOn", targets: both });
    expect(say("set the bedroom blinds to 30 percent")).toMatchObject({
      name: "HassSetPosition",
      slots: { position: 30 },
      targets: both,
    });
    expect(say("are the bedroom blinds closed")).toMatchObject({ name: "HassGetState", targets: both });
    // A room of that name is still the room.
    expect(say("close the drawing room blinds").targets).toEqual([
      "cover.drawing_blind_left",
      "cover.drawing_blind_right",
    ]);
  });

  it("opens the blind, not the light, where both bear the room's name, and takes the room's lights in the plural", () => {
    expect(say("open the studio")).toMatchObject({ name: "HassTurnOn", targets: ["cover.studio"] });
    expect(say("close the studio").targets).toEqual(["cover.studio"]);
    expect(say("turn on the studio lights")).toMatchObject({
      name: "HassTurnOn",
      targets: ["light.studio", "light.studio_easel"],
    });
    // The light alone by its name.
    expect(say("turn on the studio light").targets).toEqual(["light.studio"]);
  });

  it("reads the whole home's meter when no room is said and the speaker's room has none", () => {
    for (const text of [
      "how much power is the house using",
      "how much power are we using",
      "what's the current power usage",
      "how much power is being used",
    ])
      expect(say(text, "Library"), text).toMatchObject({
        name: "HassGetState",
        targets: ["sensor.mains_power"],
      });
  });

  it("asks a measure of an appliance or a lock of the sensor named after it", () => {
    expect(say("how much power is the washing machine using", "Library")).toMatchObject({
      name: "HassGetState",
      targets: ["sensor.washing_machine_power"],
    });
    expect(say("what is the battery of the garden door").targets).toEqual(["sensor.garden_door_battery"]);
    expect(say("is the washing machine leaking")).toMatchObject({
      name: "HassGetState",
      slots: { device_class: "moisture", state: "on" },
      targets: ["binary_sensor.washing_machine_leak"],
    });
    // The switch itself is still switched by its name.
    expect(say("turn off the washing machine").targets).toEqual(["switch.washing_machine"]);
  });

  it("asks every leak sensor of the home whether there are any leaks, or the one of an appliance", () => {
    for (const text of ["are there any leaks", "any leaks", "are there leaks anywhere"])
      expect(say(text, "Library"), text).toMatchObject({
        name: "HassGetState",
        targets: ["binary_sensor.scullery_sink_leak", "binary_sensor.washing_machine_leak"],
      });
    expect(say("is there a leak under the washing machine").targets).toEqual([
      "binary_sensor.washing_machine_leak",
    ]);
  });

  it("knows a meter by the words of its alias before what it measures", () => {
    expect(say("what is the solar generation", "Library").targets).toEqual(["sensor.pv_output"]);
    expect(say("how much is the solar producing", "Library").targets).toEqual(["sensor.pv_output"]);
    expect(say("what's the solar output", "Library").targets).toEqual(["sensor.pv_output"]);
    expect(say("how much solar power are we generating", "Library").targets).toEqual(["sensor.pv_output"]);
  });

  it("passes on a message that ends in words otherwise taken for a remark", () => {
    expect(say("announce it's time for bed")).toMatchObject({
      name: "HassBroadcast",
      slots: { message: "it's time for bed" },
    });
  });

  it("takes the timer of a name over the room called so", () => {
    home.understand("set a utility timer for 40 minutes", { area: "Scullery" });
    home.understand("set a timer for 5 minutes", { area: "Utility Room" });
    /** The timer the last change was made to: its name and the room it was set in. */
    const changed = () => {
      const t = home.timerEvents.at(-1)?.timer;
      return { name: t?.name, area: t?.area, seconds: t?.seconds };
    };
    expect(say("take 5 minutes off the utility timer").name).toBe("HassDecreaseTimer");
    expect(changed()).toEqual({ name: "utility", area: "Scullery", seconds: 2400 });
    expect(say("cancel the utility timer").name).toBe("HassCancelTimer");
    expect(changed()).toEqual({ name: "utility", area: "Scullery", seconds: 2400 });
    // Once it is gone, the timer running in the room called so is the room's.
    say("cancel the utility timer");
    expect(changed()).toEqual({ name: undefined, area: "Utility Room", seconds: 300 });
    // With neither running, nothing is cancelled.
    const before = home.timerEvents.length;
    expect(home.understand("cancel the utility timer").understanding.kind).toBe("recognized");
    expect(home.timerEvents).toHaveLength(before);
  });
});
