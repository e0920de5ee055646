import { fileURLToPath } from "node:url";
import { describe, test } from "vitest";
import { germanHome, type Want } from "../helpers/german-home.js";

/**
 * German as it is spoken in Bavaria, Austria and Switzerland (issue 12): words with another meaning
 * in standard German or in a name ("des", "grad", "in da", "Liacht", "Velo", "Natel", "Kastl"),
 * read in the standard words where a sentence is not understood as said, never where a name of the
 * home has the word. Read with Home Assistant's German pack (../shared/ha-intents, CC BY 4.0) beside
 * Hearth's own German. The home is tests/intents/fixtures/home-de-bergdorf.yaml, the speaker in
 * the Wohnzimmer unless a sentence gives another area.
 */

const { check } = germanHome(fileURLToPath(new URL("./fixtures/home-de-bergdorf.yaml", import.meta.url)));

const LIVING_ROOM_LIGHTS = [
  "light.leselampe_links",
  "light.leselampe_rechts",
  "light.stehlampe",
  "light.wohnzimmer",
];

describe("dialect words read in the standard ones", () => {
  test.each<Want>([
    { text: "mach grad des Küchenlicht an", intent: "HassTurnOn", targets: ["light.kueche"] },
    { text: "tua des Liacht aus", intent: "HassTurnOff", targets: LIVING_ROOM_LIGHTS },
    { text: "mach do herin des Liacht aus", intent: "HassTurnOff", targets: LIVING_ROOM_LIGHTS },
    { text: "mach es Liacht in der Garage an", intent: "HassTurnOn", targets: ["light.garage"] },
    { text: "schalt fei gschwind des Gartenlicht ein", intent: "HassTurnOn", targets: ["light.garten"] },
    { text: "stell an Timer auf oa Stund", intent: "HassStartTimer", slots: { hours: 1 } },
    { text: "mach die Stehlampe aus bittschön", intent: "HassTurnOff", targets: ["light.stehlampe"] },
  ])("“$text”", check);
});

describe("things by their regional nouns", () => {
  test.each<Want>([
    { text: "wie voll is mei Natel", intent: "HassGetState", targets: ["sensor.handy_akku"] },
    { text: "wie voll is des Velo", intent: "HassGetState", targets: ["sensor.fahrrad_akku"] },
    { text: "Sonnenstore raus", intent: "HassTurnOn", targets: ["cover.markise"] },
    { text: "mach den Fernsehkastl aus", intent: "HassTurnOff", targets: ["media_player.fernseher"] },
    { text: "Nachtkastllampe an", area: "Schlafzimmer", intent: "HassTurnOn", targets: ["light.nachttisch"] },
    { text: "mach die Lampe am Nachtkastl an", intent: "HassTurnOn", targets: ["light.nachttisch"] },
  ])("“$text”", check);
});
