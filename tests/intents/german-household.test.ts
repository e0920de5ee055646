import { describe, expect, test } from "vitest";
import { germanHome } from "../helpers/german-home.js";

/**
 * German about the heating, the home's sensors, timers, the weather and the other things of a house,
 * as people say them (issue 12): what the speaker feels ("mir ist kalt"), degrees said with
 * "Komma" and "einhalb", the heating by what it is rather than by its name, questions about
 * sensors named the way integrations name them. Read with Home Assistant's German pack
 * (../shared/ha-intents, CC BY 4.0) beside Hearth's own German. The home is
 * tests/intents/fixtures/home-de-landhaus.yaml, the speaker in the Wohnzimmer unless a sentence
 * gives another area.
 */

const { actingHome, describeSentences } = germanHome("home-de-landhaus.yaml");

describeSentences("what the speaker feels moves the heating of the room a degree", [
  {
    text: "mir ist zu kalt",
    area: "Büro",
    intent: "HassClimateSetTemperature",
    targets: ["climate.buero"],
    slots: { temperature: 21 },
  },
  {
    text: "mir ist viel zu warm",
    area: "Bad",
    intent: "HassClimateSetTemperature",
    targets: ["climate.bad"],
    slots: { temperature: 21 },
  },
  {
    text: "mir ist im Gästezimmer zu kühl",
    intent: "HassClimateSetTemperature",
    targets: ["climate.gaestezimmer"],
    slots: { temperature: 19 },
  },
  {
    text: "es ist zu kalt hier",
    area: "Büro",
    intent: "HassClimateSetTemperature",
    targets: ["climate.buero"],
    slots: { temperature: 21 },
  },
  {
    text: "im Gästezimmer ist es mir zu kalt",
    intent: "HassClimateSetTemperature",
    targets: ["climate.gaestezimmer"],
    slots: { temperature: 19 },
  },
  {
    text: "mir wird es hier zu warm",
    area: "Bad",
    intent: "HassClimateSetTemperature",
    targets: ["climate.bad"],
    slots: { temperature: 21 },
  },
  {
    text: "ich friere",
    intent: "HassClimateSetTemperature",
    targets: ["climate.wohnzimmer"],
    slots: { temperature: 22 },
  },
]);

describeSentences("degrees without a verb, with Komma and einhalb", [
  {
    text: "Büro Heizung auf siebzehn",
    intent: "HassClimateSetTemperature",
    targets: ["climate.buero"],
    slots: { temperature: 17 },
  },
  {
    text: "Heizung Gästezimmer zwanzig komma fünf",
    intent: "HassClimateSetTemperature",
    targets: ["climate.gaestezimmer"],
    slots: { temperature: 20.5 },
  },
  {
    text: "Heizung Büro neunzehn",
    intent: "HassClimateSetTemperature",
    targets: ["climate.buero"],
    slots: { temperature: 19 },
  },
  {
    text: "dreiundzwanzig komma fünf Grad im Bad",
    intent: "HassClimateSetTemperature",
    targets: ["climate.bad"],
    slots: { temperature: 23.5 },
  },
  {
    text: "neunzehneinhalb Grad im Gästezimmer",
    intent: "HassClimateSetTemperature",
    targets: ["climate.gaestezimmer"],
    slots: { temperature: 19.5 },
  },
  {
    text: "stell das Thermostat im Bad auf zwanzigeinhalb",
    intent: "HassClimateSetTemperature",
    targets: ["climate.bad"],
    slots: { temperature: 20.5 },
  },
]);

describeSentences("the heating by what it is: the room's, not one named after another room", [
  { text: "Heizung aus im Gästezimmer", intent: "HassTurnOff", targets: ["climate.gaestezimmer"] },
  { text: "mach die Heizung aus", area: "Büro", intent: "HassTurnOff", targets: ["climate.buero"] },
  { text: "schalt den Heizkörper im Bad an", intent: "HassTurnOn", targets: ["climate.bad"] },
  {
    text: "Heizung auf achtzehn",
    area: "Gästezimmer",
    intent: "HassClimateSetTemperature",
    targets: ["climate.gaestezimmer"],
    slots: { temperature: 18 },
  },
]);

describeSentences("a step from the set temperature", [
  {
    text: "dreh den Heizkörper ein bisschen auf",
    area: "Gästezimmer",
    intent: "HassClimateSetTemperature",
    targets: ["climate.gaestezimmer"],
    slots: { temperature: 19 },
  },
  {
    text: "dreh die Heizung im Bad etwas zu",
    intent: "HassClimateSetTemperature",
    targets: ["climate.bad"],
    slots: { temperature: 21 },
  },
  {
    text: "bitte zwei Grad weniger im Büro",
    intent: "HassClimateSetTemperature",
    targets: ["climate.buero"],
    slots: { temperature: 18 },
  },
  {
    text: "im Bad ein Grad mehr",
    intent: "HassClimateSetTemperature",
    targets: ["climate.bad"],
    slots: { temperature: 23 },
  },
]);

describeSentences("questions about the home's sensors and devices", [
  {
    text: "hab ich das Licht in der Garage ausgeschaltet",
    intent: "HassGetState",
    targets: ["light.garage"],
    slots: { state: "off" },
    reply: "Ja",
  },
  {
    text: "hab ich die Kaffeemaschine ausgeschaltet",
    intent: "HassGetState",
    targets: ["switch.kaffeemaschine"],
    slots: { state: "off" },
  },
  {
    text: "ist gerade jemand im Garten",
    intent: "HassGetState",
    targets: ["binary_sensor.garten_bewegung"],
    slots: { device_class: "motion", state: "on" },
  },
  { text: "wie viel Heizöl ist noch da", intent: "HassGetState", targets: ["sensor.heizoel"] },
  { text: "wie viel Heizöl haben wir im Keller noch", intent: "HassGetState", targets: ["sensor.heizoel"] },
  {
    text: "steht im Keller Wasser",
    intent: "HassGetState",
    targets: ["binary_sensor.keller_wasser"],
    slots: { device_class: "moisture", state: "on" },
  },
  {
    text: "hat der Rauchmelder auf dem Dachboden was gemeldet",
    intent: "HassGetState",
    targets: ["binary_sensor.rauchmelder_dachboden"],
    slots: { device_class: "smoke", state: "on" },
  },
  {
    text: "ist der Fernseher immer noch an",
    intent: "HassGetState",
    targets: ["media_player.fernseher"],
    slots: { state: "on" },
    reply: "Ja",
  },
  { text: "was macht der Saugroboter gerade", intent: "HassGetState", targets: ["vacuum.robbi"] },
  {
    text: "wie voll ist das Handy von Lea",
    intent: "HassGetState",
    targets: ["sensor.handy_lea_akku"],
    slots: { device_class: "battery" },
  },
]);

describeSentences("timers named by what is cooking, and the date", [
  { text: "wie lange müssen die Nudeln noch kochen", intent: "HassTimerStatus", slots: { name: "Nudeln" } },
  { text: "wann ist der Kuchen endlich fertig", intent: "HassTimerStatus", slots: { name: "Kuchen" } },
  { text: "was haben wir heute eigentlich für einen Wochentag", intent: "HassGetCurrentDate" },
  { text: "den wievielten haben wir", intent: "HassGetCurrentDate" },
]);

describeSentences("the weather asked with a day or “noch”", [
  { text: "schneit es morgen noch", intent: "HassGetWeather", targets: ["weather.zuhause"] },
  { text: "soll es heute noch schneien", intent: "HassGetWeather", targets: ["weather.zuhause"] },
  { text: "wie viel Grad hat es draußen", intent: "HassGetWeather", targets: ["weather.zuhause"] },
  { text: "wie kalt ist es heute", intent: "HassGetWeather", targets: ["weather.zuhause"] },
]);

describeSentences("the mower, the watering, a scene and the lists", [
  {
    text: "der Mähroboter soll reinkommen, es fängt an zu regnen",
    intent: "HassLawnMowerDock",
    targets: ["lawn_mower.maehroboter"],
  },
  {
    text: "Bewässerung im Garten an für eine halbe Stunde",
    intent: "HassTurnOn",
    targets: ["valve.bewaesserung"],
    slots: { open_minutes: 30 },
  },
  { text: "Bewässerung an", intent: "HassTurnOn", targets: ["valve.bewaesserung"] },
  { text: "mach mal Fernsehabend", intent: "HassTurnOn", targets: ["scene.fernsehabend"] },
  {
    text: "mach mal Milch auf die Einkaufsliste",
    intent: "HassListAddItem",
    targets: ["todo.einkaufsliste"],
    slots: { item: "Milch" },
  },
  {
    text: "setz Schrauben auf die Liste für den Baumarkt",
    intent: "HassListAddItem",
    targets: ["todo.baumarkt"],
    slots: { item: "Schrauben" },
  },
]);

describeSentences("the same families in dialect, as a recogniser writes it", [
  {
    text: "mir is zu kalt herin",
    area: "Büro",
    intent: "HassClimateSetTemperature",
    targets: ["climate.buero"],
    slots: { temperature: 21 },
  },
  {
    text: "dreh den Heizkörper a bissl auf",
    area: "Gästezimmer",
    intent: "HassClimateSetTemperature",
    targets: ["climate.gaestezimmer"],
    slots: { temperature: 19 },
  },
  {
    text: "hab i des Licht in der Garage ausgmacht",
    intent: "HassGetState",
    targets: ["light.garage"],
    slots: { state: "off" },
  },
  { text: "is wer im Garten", intent: "HassGetState", targets: ["binary_sensor.garten_bewegung"] },
  { text: "is grad wer im Garten", intent: "HassGetState", targets: ["binary_sensor.garten_bewegung"] },
  { text: "was macht der Staubsauger grad", intent: "HassGetState", targets: ["vacuum.robbi"] },
  { text: "wia vui Heizöl hamma no", intent: "HassGetState", targets: ["sensor.heizoel"] },
  { text: "wie lange brauchen d Kartoffeln no", intent: "HassTimerStatus", slots: { name: "Kartoffeln" } },
  {
    text: "tu amal Brot auf d Einkaufsliste",
    intent: "HassListAddItem",
    targets: ["todo.einkaufsliste"],
    slots: { item: "Brot" },
  },
]);

describe("carried out", () => {
  const home = actingHome();

  test("a timer set for the potatoes is the one asked after by them", () => {
    expect(
      home.understand("stell einen Timer für die Kartoffeln auf zwanzig Minuten").understanding.kind,
    ).toBe("recognized");
    const reply = home.understand("wie lange brauchen die Kartoffeln noch").reply;
    expect(reply).toMatch(/20 Minuten|19 Minuten/);
  });

  test("an item put on the list with “mal” is the item alone", () => {
    home.understand("tu mal Brot auf die Einkaufsliste");
    const list = home.lists.lists().find((l) => l.id === "todo.einkaufsliste");
    expect(list?.items.map((i) => i.summary)).toEqual(["Brot"]);
  });
});
