import { expect, it } from "vitest";
import { describeEnglishHome } from "../helpers/english-homes.js";

/**
 * English said short that no template read (issue 12): someone asked after at a door, which is no
 * room but a name of the home that its motion or presence sensor's name holds; a device's kind with
 * its room between the verb and off or on; "no, leave it, it doesn't matter" as never mind. With
 * Hearth's own English alone and with Home Assistant's English pack beside it (../shared/ha-intents,
 * CC BY 4.0). A cottage of its own, through the real matcher.
 */
const HOME = `
areas:
  - { name: Parlour }
  - { name: Study }
  - { name: Nursery }
  - { name: Porch }
devices:
  - { id: lock.front_door, name: Front Door, area: Porch, state: locked }
  - { id: binary_sensor.front_door_contact, name: Front Door Contact, area: Porch, device_class: door, state: "off" }
  - { id: binary_sensor.front_door_motion, name: Front Door Motion, area: Porch, device_class: motion, state: "on" }
  - { id: binary_sensor.back_door, name: Back Door, device_class: door, state: "off" }
  - { id: binary_sensor.back_door_presence, name: Back Door Presence, device_class: occupancy, state: "off" }
  - { id: light.study_desk, name: Desk Lamp, area: Study, state: "on", attributes: { supported_color_modes: [brightness] } }
  - { id: light.study_ceiling, name: Study Ceiling, area: Study, state: "on", attributes: { supported_color_modes: [onoff] } }
  - { id: light.parlour_lamp, name: Tall Lamp, area: Parlour, state: "off", attributes: { supported_color_modes: [onoff] } }
  - { id: fan.nursery_fan, name: Cot Fan, area: Nursery, state: "off" }
  - { id: fan.parlour_fan, name: Pedestal Fan, area: Parlour, state: "on" }
`;

describeEnglishHome({ yaml: HOME, area: "Parlour" }, ({ say }) => {
  it("asks the motion or presence sensor named after a door whether someone is there", () => {
    for (const text of [
      "is there anyone at the front door",
      "is somebody at the front door? I think I heard a knock",
      "is anybody standing at the front door",
    ])
      expect(say(text), text).toMatchObject({
        name: "HassGetState",
        slots: { state: "on" },
        targets: ["binary_sensor.front_door_motion"],
      });
    expect(say("is someone waiting at the back door")).toMatchObject({
      name: "HassGetState",
      targets: ["binary_sensor.back_door_presence"],
    });
  });

  it("takes a device's kind with its room between the verb and off or on", () => {
    expect(say("turn the lamp in the study off")).toMatchObject({
      name: "HassTurnOff",
      targets: ["light.study_desk"],
    });
    expect(say("switch the fan in the nursery on")).toMatchObject({
      name: "HassTurnOn",
      targets: ["fan.nursery_fan"],
    });
    expect(say("put the fan in the parlour off", "Study")).toMatchObject({
      name: "HassTurnOff",
      targets: ["fan.parlour_fan"],
    });
  });

  it("hears 'no, leave it, it doesn't matter' as never mind", () => {
    for (const text of [
      "no, leave it, it doesn't matter",
      "it doesn't matter",
      "nah it does not matter anyway",
    ])
      expect(say(text), text).toMatchObject({ name: "HassNevermind" });
  });
});
