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
  - { name: Loft }
  - { name: Garage }
  - { name: Deck }
devices:
  - { id: light.den_reader, name: Wingback Lamp, area: Den, state: "on" }
  - { id: light.den_pendant, name: Den Pendant, area: Den, state: "on" }
  - { id: light.den_cove, name: Cove Strip, area: Den, state: "on" }
  - { id: light.nook_globe, name: Globe, area: Nook, state: "on" }
  - { id: light.nook_sconce, name: Brass Sconce, area: Nook, state: "on" }
  - { id: light.veranda_post, name: Post Light, area: Veranda, state: "on" }
  - { id: light.veranda_strip, name: Striplight, area: Veranda, state: "on" }
  - { id: light.nook_strip, name: Nook Striplight, area: Nook, state: "on" }
  - { id: light.loft_strip, name: Strip Light 2, area: Loft, state: "on" }
  - { id: climate.nook_ac, name: Nook AC, area: Nook, state: "off" }
  - { id: switch.garage_ac, name: AC, area: Garage, state: "off" }
  - { id: switch.deck_festoon, name: Festoon Lights, area: Deck, state: "on" }
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

  it("takes a name said for the device of the speaker's room that ends in it, before one called so elsewhere", () => {
    expect(say("off the striplight", "Nook")).toMatchObject({
      name: "HassTurnOff",
      targets: ["light.nook_strip"],
    });
    expect(say("turn off the striplight", "Loft").targets).toEqual(["light.loft_strip"]);
    expect(say("on the ac", "Nook")).toMatchObject({ name: "HassTurnOn", targets: ["climate.nook_ac"] });
  });

  it("puts the lights out in a place said, a switch called lights where the place has no light", () => {
    expect(say("lights out on the deck", "Den")).toMatchObject({
      name: "HassTurnOff",
      targets: ["switch.deck_festoon"],
    });
    expect(say("turn the lights out on the deck", "Nook").targets).toEqual(["switch.deck_festoon"]);
    expect(say("put the lights out in the nook", "Den").targets).toEqual([
      "light.nook_globe",
      "light.nook_sconce",
      "light.nook_strip",
    ]);
    expect(say("lights out at the veranda", "Den").targets).toEqual([
      "light.veranda_post",
      "light.veranda_strip",
    ]);
  });

  it("keeps a name's own device where the speaker's room has none called so, or another room is said", () => {
    expect(say("off the striplight", "Den").targets).toEqual(["light.veranda_strip"]);
    expect(say("turn off the striplight", "Veranda").targets).toEqual(["light.veranda_strip"]);
    expect(say("on the ac", "Den").targets).toEqual(["switch.garage_ac"]);
    expect(say("turn off the striplight on the veranda", "Nook").targets).toEqual(["light.veranda_strip"]);
  });
});
