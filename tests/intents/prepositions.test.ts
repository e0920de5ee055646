import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Understanding } from "../../src/intents/types.js";
import { type ActingUnderstanding, ENGLISH_VARIANTS, openYamlHome } from "../helpers/understanding.js";

/**
 * Names and prepositions: a device named with one ("Reading Lamp by the Sofa", "Spot over the Sink")
 * is understood whole, in any phrasing, while "the lamp in the study" still means the Lamp in the
 * Study; and a name without one never takes the sentence's ("the lamp beside the bed" names no
 * "lamp beside"). With Hearth's own English and with Home Assistant's English pack beside it
 * (../shared/ha-intents, CC BY 4.0). A home of its own, through the real matcher.
 */
const HOME = `
areas: [{ name: Study }, { name: Lounge }, { name: Scullery }]
devices:
  - { id: light.reading_lamp_sofa, name: Reading Lamp by the Sofa, area: Lounge, state: "off" }
  - { id: light.spot_sink, name: Spot over the Sink, area: Scullery, state: "on" }
  - { id: light.study_lamp, name: Lamp, area: Study, state: "off" }
  - { id: light.lounge_lamp, name: Lamp, area: Lounge, state: "off" }
  - { id: switch.sofa, name: Sofa, area: Lounge, state: "off" }
`;

describe.each(ENGLISH_VARIANTS)("%s", (_, sentences) => {
  let home: ActingUnderstanding;

  beforeAll(async () => {
    home = await openYamlHome(HOME, await sentences());
  });

  afterAll(() => home?.close());

  function understood(text: string, area = "Study"): Understanding {
    return home.understand(text, { area }).understanding;
  }

  /** The one intent understood for `text`: its name and targets. */
  function one(text: string, area = "Study") {
    const u = understood(text, area);
    if (u.kind !== "recognized") throw new Error(`${text}: ${JSON.stringify(u)}`);
    expect(u.intents, text).toHaveLength(1);
    const [i] = u.intents;
    return { name: i?.name, targets: i?.targets };
  }

  it("understands a name that holds a preposition whole, however the command is put", () => {
    const lamp = ["light.reading_lamp_sofa"];
    expect(one("turn on the reading lamp by the sofa")).toEqual({ name: "HassTurnOn", targets: lamp });
    expect(one("switch the reading lamp by the sofa on")).toEqual({ name: "HassTurnOn", targets: lamp });
    expect(one("reading lamp by the sofa off")).toEqual({ name: "HassTurnOff", targets: lamp });
    expect(one("is the spot over the sink on")).toEqual({
      name: "HassGetState",
      targets: ["light.spot_sink"],
    });
    expect(one("set the spot over the sink to 30 percent")).toEqual({
      name: "HassLightSet",
      targets: ["light.spot_sink"],
    });
  });

  it("keeps a name with a preposition whole when its area follows it, and beside another command", () => {
    expect(one("turn off the reading lamp by the sofa in the lounge")).toEqual({
      name: "HassTurnOff",
      targets: ["light.reading_lamp_sofa"],
    });
    const u = understood("turn on the spot over the sink and the reading lamp by the sofa");
    expect(u.kind === "recognized" && u.intents.map((i) => i.targets)).toEqual([
      ["light.spot_sink"],
      ["light.reading_lamp_sofa"],
    ]);
  });

  it("still reads “the lamp in the lounge” as the Lamp in that area", () => {
    expect(one("turn on the lamp in the lounge")).toEqual({
      name: "HassTurnOn",
      targets: ["light.lounge_lamp"],
    });
    expect(one("turn off the lamp in the study", "Lounge")).toEqual({
      name: "HassTurnOff",
      targets: ["light.study_lamp"],
    });
  });

  it("never lets a name without a preposition take one from the sentence", () => {
    // No device is "lamp beside the bed" or "lamp beside": not a device Hearth is asked about by
    // either name, and nothing is switched.
    for (const text of ["turn on the lamp beside the bed", "turn on the lamp near the window"]) {
      const u = understood(text);
      expect(u.kind, text).toBe("not-recognized");
      if (u.kind === "not-recognized") {
        expect(u.subject ?? "", text).not.toMatch(/\b(beside|near|the)$/);
      }
    }
  });
});
