import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ActingUnderstanding, ENGLISH_VARIANTS, openYamlHome } from "../helpers/understanding.js";

/**
 * Which device a phrase means where several readings fit: a word for one kind of device that names
 * one device of the room against a reading of the room's lights, and a name said that fits devices
 * of several rooms. With Hearth's own English alone and with Home Assistant's English pack beside it
 * (../shared/ha-intents, CC BY 4.0). A house of its own, through the real matcher.
 */
const HOME = `
areas:
  - { name: Den }
  - { name: Nook }
  - { name: Veranda }
devices:
  - { id: light.den_reader, name: Wingback Lamp, area: Den, state: "on" }
  - { id: light.den_pendant, name: Den Pendant, area: Den, state: "on" }
  - { id: light.den_cove, name: Cove Strip, area: Den, state: "on" }
  - { id: light.nook_globe, name: Globe, area: Nook, state: "on" }
  - { id: light.nook_sconce, name: Brass Sconce, area: Nook, state: "on" }
  - { id: light.veranda_post, name: Post Light, area: Veranda, state: "on" }
`;

describe.each(ENGLISH_VARIANTS)("%s", (_variant, sentences) => {
  let home: ActingUnderstanding;

  beforeAll(async () => {
    home = await openYamlHome(HOME, await sentences());
  });

  afterAll(() => home?.close());

  const say = (text: string, area: string) => home.saidOnce(text, area);

  it("takes 'the lamp' for the room's one lamp, not for all of its lights", () => {
    expect(say("turn off the lamp", "Den")).toMatchObject({
      name: "HassTurnOff",
      targets: ["light.den_reader"],
    });
    expect(say("switch the lamp off", "Den").targets).toEqual(["light.den_reader"]);
    expect(say("turn the lamp on in the den", "Veranda").targets).toEqual(["light.den_reader"]);
  });

  it("keeps 'the light' and 'the lights' for all of the room's lights", () => {
    expect(say("turn off the light", "Den").targets).toEqual([
      "light.den_cove",
      "light.den_pendant",
      "light.den_reader",
    ]);
    expect(say("turn off the lights", "Den").targets).toHaveLength(3);
  });
});
