import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ActingUnderstanding, ENGLISH_VARIANTS, openYamlHome } from "../helpers/understanding.js";

/*
 * How older people talk to a speaker at home: the heating stepped with the step said first ("up a
 * degree on the heating"), a set-point in the unit the home does not use, a radiator named by its
 * room, the room said in a remark before the command ("it's chilly in the study, could you put it
 * up to 19"), who it is for said after it ("for mum"), and the house's temperature from its main
 * thermostat. Said to Hearth's own English alone and with Home Assistant's English pack beside it
 * (../shared/ha-intents, CC BY 4.0, Home Assistant's intents project), through the real matcher,
 * in homes of their own: a Yorkshire stone cottage with a garden flat for a widowed mother, in
 * Celsius, and a Florida condo, in Fahrenheit.
 */
const COTTAGE = `
site: { id: cottage, name: Hearth, area: Snug }
areas:
  - { name: Snug, aliases: [parlour] }
  - { name: Scullery }
  - { name: Study }
  - { name: Back Bedroom }
  - { name: Hallway }
  - { name: Garden Flat, aliases: [the flat] }
devices:
  - { id: climate.boiler, name: Boiler Thermostat, area: Hallway, state: heat, attributes: { temperature: 20, current_temperature: 19.5 } }
  - { id: climate.snug_valve, name: Snug Valve, area: Snug, state: heat, attributes: { temperature: 19, current_temperature: 18 } }
  - { id: climate.study_valve, name: Study Valve, area: Study, state: heat, attributes: { temperature: 18, current_temperature: 17 } }
  - { id: climate.back_bedroom_valve, name: Back Bedroom Valve, area: Back Bedroom, state: heat, attributes: { temperature: 17, current_temperature: 16 } }
  - { id: climate.flat_valve, name: Flat Valve, area: Garden Flat, state: heat, attributes: { temperature: 21, current_temperature: 20 } }
  - { id: light.snug_lamp, name: Snug Lamp, area: Snug, state: "on", attributes: { brightness: 128, supported_color_modes: [brightness] } }
`;

const CONDO = `
site: { id: condo, name: Hearth, area: Den }
areas:
  - { name: Den }
  - { name: Lanai }
devices:
  - { id: climate.den, name: Den Thermostat, area: Den, state: cool, attributes: { temperature: 76, current_temperature: 78 } }
`;

describe.each(ENGLISH_VARIANTS)("%s", (_, sentences) => {
  let cottage: ActingUnderstanding;
  let condo: ActingUnderstanding;

  beforeAll(async () => {
    const s = await sentences();
    cottage = await openYamlHome(COTTAGE, s);
    condo = await openYamlHome(CONDO, s);
  });

  afterAll(async () => {
    await cottage?.close();
    await condo?.close();
  });

  const say = (text: string, area = "Snug") => cottage.saidOnce(text, area);

  it("steps the heating by the degrees said first, with no verb", () => {
    // The snug's valve is set to 19.
    for (const [text, temperature] of [
      ["up a degree on the heating please", 20],
      ["down a couple of degrees on the heating", 17],
      ["up two degrees on the thermostat", 21],
    ] as const)
      expect(say(text), text).toMatchObject({
        name: "HassClimateSetTemperature",
        slots: { temperature },
        targets: ["climate.snug_valve"],
      });
    expect(say("down a degree on the study radiator")).toMatchObject({
      slots: { temperature: 17 },
      targets: ["climate.study_valve"],
    });
  });

  it("converts a set-point said in the unit the home does not use, and keeps one said in its own", () => {
    for (const [text, temperature] of [
      ["set the heating to 68 fahrenheit", 20],
      ["could you put the heating on 70 degrees fahrenheit", 21],
      ["set the heating to 21 degrees celsius", 21],
    ] as const)
      expect(say(text), text).toMatchObject({ name: "HassClimateSetTemperature", slots: { temperature } });
    for (const [text, temperature] of [
      ["set the thermostat to 22 degrees celsius", 72],
      ["set the thermostat to 74 degrees fahrenheit", 74],
      ["set the thermostat to 74", 74],
    ] as const)
      expect(condo.saidOnce(text, "Den"), text).toMatchObject({
        name: "HassClimateSetTemperature",
        slots: { temperature },
        targets: ["climate.den"],
      });
  });

  it("sets a room's radiator, said by its room, on that room's thermostat", () => {
    for (const text of [
      "put the back bedroom radiator on twenty two",
      "set the back bedroom radiator to 22",
      "put the radiator in the back bedroom on 22 degrees",
      "warm the back bedroom up, twenty two degrees",
    ])
      expect(say(text), text).toMatchObject({
        name: "HassClimateSetTemperature",
        slots: { temperature: 22 },
        targets: ["climate.back_bedroom_valve"],
      });
  });

  it("acts where a remark before the command says, on what the remark is about", () => {
    for (const text of [
      "it's chilly in the study, could you put it up to 19",
      "it's cold in the study could you put it up to 19 please",
    ])
      expect(say(text), text).toMatchObject({
        name: "HassClimateSetTemperature",
        slots: { temperature: 19 },
        targets: ["climate.study_valve"],
      });
  });

  it("leaves out who the warmth is for, and asks whether a room is warm enough", () => {
    for (const text of [
      "a bit warmer in the flat for my mother",
      "make it warmer in the flat for mum",
      "a bit warmer in the flat for Margaret",
    ])
      expect(say(text), text).toMatchObject({
        name: "HassClimateSetTemperature",
        slots: { temperature: 22 },
        targets: ["climate.flat_valve"],
      });
    for (const text of ["is it warm enough in the study for the baby", "is it warm enough in the study"])
      expect(say(text), text).toMatchObject({
        name: "HassClimateGetTemperature",
        targets: ["climate.study_valve"],
      });
  });

  it("answers the house's temperature from its main thermostat", () => {
    for (const text of ["what's the temperature in the house", "how warm is it in the house"])
      expect(say(text), text).toMatchObject({
        name: "HassClimateGetTemperature",
        targets: ["climate.boiler"],
      });
    // With no thermostat named as the main one, every thermostat of the home.
    expect(condo.saidOnce("what's the temperature in the house", "Den")).toMatchObject({
      targets: ["climate.den"],
    });
  });
});

