import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ActingUnderstanding, ENGLISH_VARIANTS, openYamlHome } from "../helpers/understanding.js";

/**
 * "The lamp", "the fan", "the light" for the one device of that kind in a room, whatever its name
 * or domain: a Desk Lamp beside the study's ceiling light, a switch called Bench Fan in a workshop
 * with no fan. Two of a kind in one room are asked about. With Hearth's own English alone and with
 * Home Assistant's English pack beside it (../shared/ha-intents, CC BY 4.0). A house of its own,
 * through the real matcher.
 */
const HOME = `
areas:
  - { name: Study }
  - { name: Lounge }
  - { name: Workshop }
  - { name: Landing }
  - { name: Attic }
devices:
  - { id: light.study_desk, name: Desk Lamp, area: Study, state: "on" }
  - { id: light.study_ceiling, name: Study Ceiling, area: Study, state: "on" }
  - { id: light.lounge_reading, name: Reading Lamp, area: Lounge, state: "on" }
  - { id: light.lounge_corner, name: Corner Lamp, area: Lounge, state: "on" }
  - { id: switch.bench_fan, name: Bench Fan, area: Workshop, state: "off" }
  - { id: switch.workshop_strip, name: Strip Light, area: Workshop, state: "off" }
  - { id: switch.landing_night, name: Night Light, area: Landing, state: "off" }
  - { id: switch.landing_lantern, name: Lantern Light, area: Landing, state: "off" }
  - { id: fan.attic, name: Attic Extractor, area: Attic, state: "off" }
  - { id: light.attic_bulb, name: Attic Bulb, area: Attic, state: "off" }
`;

describe.each(ENGLISH_VARIANTS)("%s", (variant, sentences) => {
  let home: ActingUnderstanding;
  const withPack = variant.includes("pack");

  beforeAll(async () => {
    home = await openYamlHome(HOME, await sentences());
  });

  afterAll(() => home?.close());

  const say = (text: string, area: string) => home.saidOnce(text, area);
  /** The devices Hearth asks to choose between for `text` said in `area`. */
  const asked = (text: string, area: string) => {
    const u = home.understand(text, { area }).understanding;
    expect(u, text).toMatchObject({ kind: "not-recognized", reason: "ambiguous" });
    return u.kind === "not-recognized" ? (u.candidates ?? []).map((c) => c.id).sort() : [];
  };

  it("switches a room's one switch called after the kind of device said, where the room has none of that domain", () => {
    expect(say("turn on the fan", "Workshop")).toMatchObject({
      name: "HassTurnOn",
      targets: ["switch.bench_fan"],
    });
    expect(say("switch on the fan in the workshop", "Study").targets).toEqual(["switch.bench_fan"]);
    expect(say("turn on the light", "Workshop").targets).toEqual(["switch.workshop_strip"]);
    expect(say("is the fan on", "Workshop")).toMatchObject({
      name: "HassGetState",
      targets: ["switch.bench_fan"],
    });
  });

  it("asks which of two such switches is meant", () => {
    expect(asked("turn on the light", "Landing")).toEqual(["switch.landing_lantern", "switch.landing_night"]);
  });

  it("keeps a room's own devices of the domain said", () => {
    expect(say("turn on the fan", "Attic").targets).toEqual(["fan.attic"]);
    expect(say("turn on the light", "Attic").targets).toEqual(["light.attic_bulb"]);
    expect(say("turn off the light", "Lounge").targets).toEqual([
      "light.lounge_corner",
      "light.lounge_reading",
    ]);
  });

  it("takes the room's one lamp for 'the lamp', and asks which of two", () => {
    expect(say("is the lamp on", "Study")).toMatchObject({
      name: "HassGetState",
      targets: ["light.study_desk"],
    });
    expect(say("dim the lamp to 30 percent", "Study")).toMatchObject({
      name: "HassLightSet",
      targets: ["light.study_desk"],
    });
    // The pack's own sentence reads "lamp" as a word for the room's lights; the one lamp among
    // them is still the one meant.
    expect(say("turn off the lamp", "Study").targets).toEqual(["light.study_desk"]);
    expect(say("turn off the lamp in the study", "Attic").targets).toEqual(["light.study_desk"]);
    expect(say("turn off the light", "Study").targets).toEqual(["light.study_ceiling", "light.study_desk"]);
    if (withPack) {
      // Two lamps and no other light: the room's lights, as the pack's sentence reads them.
      expect(say("turn off the lamp", "Lounge").targets).toEqual([
        "light.lounge_corner",
        "light.lounge_reading",
      ]);
    } else {
      expect(asked("turn off the lamp", "Lounge")).toEqual(["light.lounge_corner", "light.lounge_reading"]);
      expect(asked("turn off the lamp in the lounge", "Study")).toEqual([
        "light.lounge_corner",
        "light.lounge_reading",
      ]);
    }
  });
});
