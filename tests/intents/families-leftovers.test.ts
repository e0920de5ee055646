import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ActingUnderstanding, ENGLISH_VARIANTS, openYamlHome } from "../helpers/understanding.js";

/*
 * Sentences a user notices a wrong or missing answer to: a thing named with "more" or "less" after
 * it ("the kitchen lights less"). Said to Hearth's own English alone and with Home Assistant's
 * English pack beside it (../shared/ha-intents, CC BY 4.0, Home Assistant's intents project),
 * through the real matcher, in a home of its own (a bungalow by the sea in Cornwall).
 */
const HOME = `
site: { id: bungalow, name: Hearth, area: Sitting Room }
areas:
  - { name: Sitting Room }
  - { name: Galley, aliases: [kitchen] }
  - { name: Boot Room }
  - { name: Sun Room }
devices:
  - { id: light.galley_spots, name: Galley Spots, area: Galley, state: "on", attributes: { brightness: 128, supported_color_modes: [brightness] } }
  - { id: light.reading_lamp, name: Reading Lamp, area: Sitting Room, state: "on", attributes: { brightness: 128, supported_color_modes: [brightness] } }
  - { id: media_player.wireless, name: Wireless, area: Galley, state: playing, attributes: { volume_level: 0.3 } }
  - { id: climate.storage_heater, name: Storage Heater, area: Sitting Room, state: heat, attributes: { temperature: 18, current_temperature: 17 } }
  - { id: fan.sun_room_fan, name: Sun Room Fan, area: Sun Room, state: "on", attributes: { percentage: 50 } }
  - { id: switch.urn, name: Tea Urn, area: Galley, state: "off" }
`;

describe.each(ENGLISH_VARIANTS)("%s", (_, sentences) => {
  let home: ActingUnderstanding;

  beforeAll(async () => {
    home = await openYamlHome(HOME, await sentences());
  });

  afterAll(() => home?.close());

  const say = (text: string, area = "Sitting Room") => home.saidOnce(text, area);

  it("turns a thing named with 'more' or 'less' after it up or down in its level, never switching it", () => {
    // Both lights are at half.
    for (const [text, brightness] of [
      ["the galley spots less", 25],
      ["galley spots a bit less please", 25],
      ["the galley spots more", 75],
      ["galley spots a little more", 75],
    ] as const)
      expect(say(text), text).toMatchObject({
        name: "HassLightSet",
        slots: { brightness },
        targets: ["light.galley_spots"],
      });
    expect(say("the reading lamp less")).toMatchObject({
      name: "HassLightSet",
      slots: { brightness: 25 },
      targets: ["light.reading_lamp"],
    });
    for (const [text, step] of [
      ["the wireless less", "down"],
      ["wireless a bit more", "up"],
    ] as const)
      expect(say(text), text).toMatchObject({
        name: "HassSetVolumeRelative",
        slots: { volume_step: step },
        targets: ["media_player.wireless"],
      });
    // The heater is set to 18 degrees.
    for (const [text, temperature] of [
      ["storage heater more", 19],
      ["the storage heater a bit less", 17],
    ] as const)
      expect(say(text), text).toMatchObject({
        name: "HassClimateSetTemperature",
        slots: { temperature },
        targets: ["climate.storage_heater"],
      });
    expect(say("the sun room fan more")).toMatchObject({
      name: "HassFanSetSpeed",
      targets: ["fan.sun_room_fan"],
    });
    // An urn has no level to turn: not understood rather than switched on.
    for (const text of ["the tea urn more", "tea urn less"]) home.expectNoCommand(text);
    // Said bare, a name still switches its thing on.
    expect(say("the galley spots")).toMatchObject({ name: "HassTurnOn", targets: ["light.galley_spots"] });
  });
});
