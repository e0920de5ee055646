import { fileURLToPath } from "node:url";
import { describe, test } from "vitest";
import { germanHome, type Want } from "../helpers/german-home.js";

/**
 * Colloquial German at home: the formal "Sie" with the verb first for locks, timers asked about
 * by their state, valves asked whether they are open, "never mind" after an interjection, colour
 * words and motion asked with "gibt's". Read the way
 * Home Assistant's intents define them, with Hearth's own German beside Home Assistant's German
 * pack (../shared/ha-intents, CC BY 4.0). The home is tests/intents/fixtures/home-de-altbau.yaml,
 * the speaker in the Wohnzimmer unless a sentence gives another area.
 */

const { check, refused } = germanHome(
  fileURLToPath(new URL("./fixtures/home-de-altbau.yaml", import.meta.url)),
);

describe("locks in the formal Sie, the verb first", () => {
  test.each<Want>([
    { text: "Entsperren Sie bitte die Garage", intent: "HassTurnOff", targets: ["lock.garage"] },
    { text: "Entriegeln Sie die Kellertür", intent: "HassTurnOff", targets: ["lock.kellertuer"] },
    { text: "Verriegeln Sie bitte die Garage", intent: "HassTurnOn", targets: ["lock.garage"] },
    { text: "Sperren Sie die Garage zu", intent: "HassTurnOn", targets: ["lock.garage"] },
    // The door by its kind and its room: the lock there.
    {
      text: "Sperren Sie bitte die Tür im Keller auf",
      intent: "HassTurnOff",
      targets: ["lock.kellertuer"],
      slots: { domain: "lock", area: "Keller" },
    },
    { text: "entriegel mir mal die Tür im Keller", intent: "HassTurnOff", targets: ["lock.kellertuer"] },
    { text: "die Kellertür bitte zusperren", intent: "HassTurnOn", targets: ["lock.kellertuer"] },
    {
      text: "Schalten Sie bitte den Ventilator in der Küche ein",
      intent: "HassTurnOn",
      targets: ["fan.ventilator"],
    },
  ])("“$text”", check);

  test.each(["Sperren Sie mich nicht aus", "der Schlüssel zum Entriegeln liegt im Flur"])(
    "“%s” is no command",
    refused,
  );
});

describe("timers asked about by their state", () => {
  test.each<Want>([
    { text: "Wie ist der Stand meiner Timer?", intent: "HassTimerStatus", absent: ["name"] },
    { text: "Was ist der Status der Timer", intent: "HassTimerStatus", absent: ["name"] },
    { text: "Was machen meine Timer?", intent: "HassTimerStatus", absent: ["name"] },
    { text: "was macht der Eieruhr Timer gerade", intent: "HassTimerStatus", slots: { name: "Eieruhr" } },
  ])("“$text”", check);

  test.each(["was machen meine Kinder", "der Stand der Dinge ist unklar"])("“%s” is no command", refused);
});

describe("valves asked whether they are open", () => {
  test.each<Want>([
    // Home Assistant's valve states, open and closed: the pond valve is open, the watering closed.
    {
      text: "Ist das Ventil am Teich offen?",
      intent: "HassGetState",
      targets: ["valve.teich"],
      slots: { state: "open" },
      reply: "Ja",
    },
    {
      text: "ist das Ventil Teich zu",
      intent: "HassGetState",
      targets: ["valve.teich"],
      slots: { state: "closed" },
      reply: "Nein",
    },
    {
      text: "ist die Bewässerung geschlossen",
      intent: "HassGetState",
      targets: ["valve.bewaesserung"],
      slots: { state: "closed" },
      reply: "Ja",
    },
  ])("“$text”", check);
});

describe("never mind after an interjection", () => {
  test.each<Want>([
    { text: "Ach, egal", intent: "HassNevermind" },
    { text: "Schon gut, nichts", intent: "HassNevermind" },
    { text: "Vergiss es einfach", intent: "HassNevermind" },
    { text: "Ach nee, lass mal", intent: "HassNevermind" },
    { text: "Oh, vergiss es", intent: "HassNevermind" },
    // An interjection before a command is no one's name either.
    {
      text: "Ach, mach das Licht im Flur an",
      intent: "HassTurnOn",
      targets: ["light.flurlampe", "light.treppenlicht"],
    },
  ])("“$text”", check);

  // Said to someone by name, it is still theirs to do.
  test.each(["Karl, mach das Licht an", "das ist mir egal", "Ach, der Karl"])("“%s” is no command", refused);
});

describe("colours as Home Assistant names them", () => {
  test.each<Want>([
    { text: "mach die Stehlampe türkis", intent: "HassLightSet", slots: { color: "turquoise" } },
    { text: "mach das Licht cyan", intent: "HassLightSet", slots: { color: "cyan" } },
    { text: "die Stehlampe hellblau", intent: "HassLightSet", slots: { color: "light blue" } },
    { text: "färb die Stehlampe braun", intent: "HassLightSet", slots: { color: "brown" } },
    { text: "mach die Stehlampe lila", intent: "HassLightSet", slots: { color: "purple" } },
  ])("“$text”", check);
});

describe("motion asked with gibt's", () => {
  test.each<Want>([
    {
      text: "gibt's Bewegung im Flur",
      intent: "HassGetState",
      targets: ["binary_sensor.bewegung_flur"],
      slots: { device_class: "motion", state: "on" },
      reply: "Ja, Bewegungsmelder Flur",
    },
    {
      text: "ist im Garten Bewegung",
      intent: "HassGetState",
      targets: ["binary_sensor.bewegung_garten"],
      reply: "Nein",
    },
  ])("“$text”", check);

  test.each(["gibt's was Neues", "gab's Ärger"])("“%s” is no command", refused);
});
