import { describe, expect, test } from "vitest";
import { germanHome, type Want } from "../helpers/german-home.js";

/**
 * German said alone or short (issue 12): a routine's name alone, a room with on or off, and the
 * leftovers of the German yardsticks, in a town house of our own
 * (tests/intents/fixtures/home-de-stadthaus.yaml) with Hearth's own German beside Home Assistant's
 * German pack (../shared/ha-intents, CC BY 4.0); the speaker in the Küche unless a sentence gives
 * another area.
 */

const { check, refused, understand, describeSentences } = germanHome("home-de-stadthaus.yaml");

describe("a routine or a scene by its name", () => {
  test.each<Want>([
    { text: "Guten Morgen starten", intent: "HassTurnOn", targets: ["script.guten_morgen"] },
    { text: "Filmabend", intent: "HassTurnOn", targets: ["scene.filmabend"] },
  ])("“$text”", check);

  // Only a name of the home said whole: a greeting that is no routine's name stays no command.
  test.each(["Morgen", "Gute Nacht"])("“%s” runs nothing", refused);
});

describeSentences("a room with on or off and no word for a device: its lights", [
  {
    text: "Alexa, Wohnzimmer aus",
    intent: "HassTurnOff",
    targets: ["light.stehlampe", "light.wohnzimmerdecke"],
  },
  { text: "Flur an", intent: "HassTurnOn", targets: ["light.flurlicht"] },
  {
    text: "schalte das Wohnzimmer ein",
    intent: "HassTurnOn",
    targets: ["light.stehlampe", "light.wohnzimmerdecke"],
  },
  // A device's name said is that device.
  { text: "Fernseher aus", intent: "HassTurnOff", targets: ["media_player.fernseher"] },
]);

describe("the German yardsticks' leftovers", () => {
  test.each<Want>([
    // A light named by where it is.
    { text: "Licht über der Arbeitsplatte an", intent: "HassTurnOn", targets: ["light.arbeitsplatte"] },
    // A doorbell camera by its brand: its motion sensor.
    {
      text: "hat der Ring eine Bewegung erkannt",
      intent: "HassGetState",
      targets: ["binary_sensor.ring_bewegung"],
      slots: { state: "on" },
      reply: "Ja",
    },
    // The player after the number.
    {
      text: "Lautstärke 3 auf dem Fernseher",
      intent: "HassSetVolume",
      targets: ["media_player.fernseher"],
      slots: { volume_level: 30 },
    },
    // What a machine makes, for the machine.
    { text: "Kaffee machen", intent: "HassTurnOn", targets: ["switch.kaffeemaschine"] },
    // An alarm said as a timer.
    { text: "Wecker in 20 Minuten", intent: "HassStartTimer", slots: { minutes: 20 } },
    // A robot vacuum called like a pet.
    { text: "Robbi stopp", intent: "HassVacuumReturnToBase", targets: ["vacuum.robbi"] },
    { text: "Robbi, hör auf", intent: "HassVacuumReturnToBase", targets: ["vacuum.robbi"] },
    // How warm a room is, asked with the word first.
    {
      text: "ist es warm im Schlafzimmer",
      intent: "HassGetState",
      targets: ["sensor.schlafzimmer_temperatur"],
    },
    { text: "ist es kalt im Bad", intent: "HassClimateGetTemperature", targets: ["climate.badheizung"] },
  ])("“$text”", check);

  test("two items said together are two adds", () => {
    const { u } = understand("Milch und Butter auf die Einkaufsliste");
    expect(u.kind).toBe("recognized");
    if (u.kind !== "recognized") return;
    expect(u.intents.map((i) => [i.name, i.slots.item])).toEqual([
      ["HassListAddItem", "Milch"],
      ["HassListAddItem", "Butter"],
    ]);
  });

  // What no machine is named for switches nothing on; a coffee asked of someone is for them.
  test.each(["Tee machen", "Schatz, machst du mir einen Kaffee"])("“%s” runs nothing", refused);
});
