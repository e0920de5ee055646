import { describe, expect, test } from "vitest";
import { describeResult, germanHome, type Want } from "../helpers/german-home.js";

/**
 * How German speakers who talked to Alexa, Google or Siri for years talk to Hearth, with Hearth's
 * own German beside Home Assistant's German pack (../shared/ha-intents, CC BY 4.0), in a terraced
 * house of their own (tests/intents/fixtures/home-de-umstieg.yaml), the speaker in the Küche unless
 * a sentence gives another area.
 */

const { check, understand, describeSentences } = germanHome("home-de-umstieg.yaml");

describe("the old assistant's name first", () => {
  test.each<Want>([
    { text: "Alexa, mach das Küchenlicht an", intent: "HassTurnOn", targets: ["light.kuechenlicht"] },
    { text: "Hey Google, Bogenlampe aus", intent: "HassTurnOff", targets: ["light.bogenlampe"] },
    {
      text: "Okay Google, schalte die Schreibtischleuchte ein",
      intent: "HassTurnOn",
      targets: ["light.schreibtisch"],
    },
    { text: "Siri, wie spät ist es", intent: "HassGetCurrentTime" },
    { text: "Hey Siri, wie spät ist es", intent: "HassGetCurrentTime" },
    { text: "Echo, mach die Bogenlampe aus", intent: "HassTurnOff", targets: ["light.bogenlampe"] },
    { text: "Hallo Alexa, mach das Küchenlicht aus", intent: "HassTurnOff", targets: ["light.kuechenlicht"] },
    // Free text never takes the name: a list item, a timer's name, all timers.
    { text: "Alexa, setz Eier auf die Einkaufsliste", intent: "HassListAddItem", slots: { item: "Eier" } },
    { text: "Alexa, Nudel Timer 8 Minuten", intent: "HassStartTimer", slots: { name: "Nudel", minutes: 8 } },
    { text: "Alexa, alle Timer löschen", intent: "HassCancelAllTimers", absent: ["name"] },
    { text: "Echo, Tee Timer 4 Minuten", intent: "HassStartTimer", slots: { name: "Tee", minutes: 4 } },
  ])("“$text”", check);

  test("a timer and a light in one sentence after the name: a timer with no name and the light", () => {
    const { u } = understand("Alexa, stell einen Timer auf 10 Minuten und mach das Küchenlicht an");
    expect(u.kind, describeResult(u)).toBe("recognized");
    if (u.kind !== "recognized") return;
    expect(u.intents.map((i) => i.name)).toEqual(["HassStartTimer", "HassTurnOn"]);
    expect(u.intents[0]?.slots, describeResult(u)).toEqual({ minutes: 10 });
    expect(u.intents[1]?.targets).toEqual(["light.kuechenlicht"]);
  });

  test.each(["und Alexa, Nudel Timer 8 Minuten", "so Alexa, Eier auf die Einkaufsliste"])(
    "“%s” puts no assistant's name into a timer's name or a list item",
    (text) => {
      const { u } = understand(text);
      const values = u.kind === "recognized" ? u.intents.flatMap((i) => Object.values(i.slots)) : [];
      expect(
        values.filter((v) => typeof v === "string" && /alexa/i.test(v)),
        describeResult(u),
      ).toEqual([]);
    },
  );
});

describeSentences("the volume on the old speakers' scale of ten", [
  { text: "Lautstärke auf 7", intent: "HassSetVolume", slots: { volume_level: 70 } },
  { text: "stell die Lautstärke auf 3", intent: "HassSetVolume", slots: { volume_level: 30 } },
  {
    text: "Küchenlautsprecher Lautstärke 3",
    intent: "HassSetVolume",
    targets: ["media_player.kuechen_echo"],
    slots: { volume_level: 30 },
  },
  {
    text: "stell die Lautstärke vom Wohnzimmer Sonos auf 4",
    intent: "HassSetVolume",
    targets: ["media_player.wohnzimmer_sonos"],
    slots: { volume_level: 40 },
  },
  // Said in percent, or above ten, it is percent.
  { text: "Lautstärke auf 7 Prozent", intent: "HassSetVolume", slots: { volume_level: 7 } },
  { text: "Lautstärke auf 35", intent: "HassSetVolume", slots: { volume_level: 35 } },
]);

describe("the weather asked by what to wear", () => {
  test.each<Want>([
    { text: "brauch ich heute ne Mütze", intent: "HassGetWeather", targets: ["weather.zuhause"] },
    { text: "brauchen die Kinder Handschuhe", intent: "HassGetWeather", targets: ["weather.zuhause"] },
    { text: "soll ich einen Schirm mitnehmen", intent: "HassGetWeather", targets: ["weather.zuhause"] },
  ])("“$text”", check);

  test("a wish for new clothes is no question about the weather", () => {
    const { u } = understand("ich brauche eine neue Mütze");
    expect(u.kind, describeResult(u)).toBe("not-recognized");
  });
});
