import { germanHome } from "../helpers/german-home.js";

/**
 * German as it is spoken in Bavaria, Austria and Switzerland (issue 12): words with another meaning
 * in standard German or in a name ("des", "grad", "in da", "Liacht", "Velo", "Natel", "Kastl"),
 * read in the standard words where a sentence is not understood as said, never where a name of the
 * home has the word. Read with Home Assistant's German pack (../shared/ha-intents, CC BY 4.0) beside
 * Hearth's own German. The home is tests/intents/fixtures/home-de-bergdorf.yaml, the speaker in
 * the Wohnzimmer unless a sentence gives another area.
 */

const { describeSentences } = germanHome("home-de-bergdorf.yaml");

const LIVING_ROOM_LIGHTS = [
  "light.leselampe_links",
  "light.leselampe_rechts",
  "light.stehlampe",
  "light.wohnzimmer",
];

describeSentences("dialect words read in the standard ones", [
  { text: "mach grad des Küchenlicht an", intent: "HassTurnOn", targets: ["light.kueche"] },
  { text: "tua des Liacht aus", intent: "HassTurnOff", targets: LIVING_ROOM_LIGHTS },
  { text: "mach do herin des Liacht aus", intent: "HassTurnOff", targets: LIVING_ROOM_LIGHTS },
  { text: "mach es Liacht in der Garage an", intent: "HassTurnOn", targets: ["light.garage"] },
  { text: "schalt fei gschwind des Gartenlicht ein", intent: "HassTurnOn", targets: ["light.garten"] },
  { text: "stell an Timer auf oa Stund", intent: "HassStartTimer", slots: { hours: 1 } },
  { text: "mach die Stehlampe aus bittschön", intent: "HassTurnOff", targets: ["light.stehlampe"] },
]);

describeSentences("things by their regional nouns", [
  { text: "wie voll is mei Natel", intent: "HassGetState", targets: ["sensor.handy_akku"] },
  { text: "wie voll is des Velo", intent: "HassGetState", targets: ["sensor.fahrrad_akku"] },
  { text: "Sonnenstore raus", intent: "HassTurnOn", targets: ["cover.markise"] },
  { text: "mach den Fernsehkastl aus", intent: "HassTurnOff", targets: ["media_player.fernseher"] },
  { text: "Nachtkastllampe an", area: "Schlafzimmer", intent: "HassTurnOn", targets: ["light.nachttisch"] },
  { text: "mach die Lampe am Nachtkastl an", intent: "HassTurnOn", targets: ["light.nachttisch"] },
]);

describeSentences("Austrian aufdrehen and abdrehen: on and off", [
  { text: "dreh draußen im Garten das Licht auf", intent: "HassTurnOn", targets: ["light.garten"] },
  { text: "dreh die Stehlampe auf", intent: "HassTurnOn", targets: ["light.stehlampe"] },
  { text: "dreh im Büro die Schreibtischlampe auf", intent: "HassTurnOn", targets: ["light.buero"] },
]);

describeSentences("a hesitation between two places: the last one said", [
  {
    text: "ähm schalt das Licht in der äh in der Garage ein",
    intent: "HassTurnOn",
    targets: ["light.garage"],
  },
  {
    text: "Rollladen in der Küche äh im Schlafzimmer runter",
    intent: "HassTurnOff",
    targets: ["cover.schlafzimmer"],
  },
  {
    text: "mach das Licht im Büro ähm in der Küche an",
    intent: "HassTurnOn",
    targets: ["light.arbeitsplatte", "light.kueche"],
  },
]);

describeSentences("lights: too dark, all the way, a little down, a room at a level", [
  { text: "es ist so finster im Büro", intent: "HassTurnOn", targets: ["light.buero"] },
  {
    text: "man sieht nix, mach a Liacht an",
    area: "Garage",
    intent: "HassTurnOn",
    targets: ["light.garage"],
  },
  {
    text: "ganz hell bitte",
    area: "Büro",
    intent: "HassLightSet",
    targets: ["light.buero"],
    slots: { brightness: 100 },
  },
  {
    text: "ganz dunkel aber nicht aus",
    area: "Büro",
    intent: "HassLightSet",
    targets: ["light.buero"],
    slots: { brightness: 1 },
  },
  {
    text: "mach das Licht im Schlafzimmer ein bisschen runter",
    intent: "HassLightSet",
    targets: ["light.nachttisch", "light.schlafzimmer"],
  },
  {
    text: "Büro auf 30 Prozent",
    intent: "HassLightSet",
    targets: ["light.buero"],
    slots: { brightness: 30 },
  },
]);

describeSentences("covers: a floor said as oben or unten, the place after the particle, an awning in", [
  {
    text: "oben alle Rollläden runter",
    intent: "HassTurnOff",
    targets: ["cover.buero", "cover.schlafzimmer"],
  },
  { text: "unten alle Rollos hoch", intent: "HassTurnOn", targets: ["cover.kueche", "cover.wohnzimmer"] },
  { text: "mach die Rollläden zu im Schlafzimmer", intent: "HassTurnOff", targets: ["cover.schlafzimmer"] },
  { text: "die Markise ein", intent: "HassTurnOff", targets: ["cover.markise"] },
]);

describeSentences("plugs and fans by their kind", [
  {
    text: "schalt alle Steckdosen in der Garage aus",
    intent: "HassTurnOff",
    targets: ["switch.garage_links", "switch.garage_rechts"],
  },
  { text: "Ventilator an", intent: "HassTurnOn", targets: ["fan.ventilator"] },
  { text: "Lüfter aus", intent: "HassTurnOff", targets: ["fan.ventilator"] },
  {
    text: "Ventilator Stufe zwei",
    intent: "HassFanSetSpeed",
    targets: ["fan.ventilator"],
    slots: { percentage: 67 },
  },
]);

describeSentences("the temperature of a room asked by the room alone", [
  {
    text: "Temperatur im Schlafzimmer",
    intent: "HassClimateGetTemperature",
    targets: ["climate.schlafzimmer"],
  },
]);

describeSentences("the next song and the one before, said short", [
  {
    text: "das Lied gefällt mir nicht, das nächste bitte",
    area: "Küche",
    intent: "HassMediaNext",
    targets: ["media_player.sonos"],
  },
  {
    text: "noch einmal das Lied davor",
    area: "Küche",
    intent: "HassMediaPrevious",
    targets: ["media_player.sonos"],
  },
]);

describeSentences("music asked for politely, the player said", [
  {
    text: "spielen Sie bitte Vivaldi auf dem Sonos",
    intent: "HassMediaSearchAndPlay",
    targets: ["media_player.sonos"],
    slots: { search_query: "Vivaldi" },
  },
]);
