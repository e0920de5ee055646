import { describe, expect, test } from "vitest";
import { describeResult, germanHome, type Want } from "../helpers/german-home.js";

/**
 * Assist-style German in a large home whose names collide: a floor called "Keller" beside a
 * "Vorratskeller Licht", names that hold their room ("Steckdose Hobbyraum", "Schreibtischlampe
 * Lotte" in the "Kinderzimmer Lotte"), a solar inverter and a house meter of one device class, and
 * sensors asked by what they measure or detect. Read the way Home Assistant's intents define them,
 * with Hearth's own German beside Home Assistant's German pack (../shared/ha-intents, CC BY 4.0).
 * The home is tests/intents/fixtures/home-de-gutshof.yaml, the speaker in the Wohnzimmer unless a
 * sentence gives another area.
 */

const { check, refused, understand, describeSentences } = germanHome("home-de-gutshof.yaml");

describeSentences("sensors asked by what they measure or detect, devices by their kind", [
  {
    text: "wie hell ist es im Obstgarten",
    intent: "HassGetState",
    targets: ["sensor.helligkeit_obstgarten"],
  },
  {
    text: "wie hell ist es draußen im Obstgarten gerade",
    intent: "HassGetState",
    targets: ["sensor.helligkeit_obstgarten"],
  },
  // Production and consumption of one device class, told apart by the words of the names.
  {
    text: "was produziert die Photovoltaikanlage",
    intent: "HassGetState",
    targets: ["sensor.wechselrichter"],
  },
  {
    text: "wie viel Strom erzeugen wir gerade",
    intent: "HassGetState",
    targets: ["sensor.wechselrichter"],
  },
  {
    text: "wie viel Strom verbrauchen wir gerade",
    intent: "HassGetState",
    targets: ["sensor.hausverbrauch"],
  },
  {
    text: "wie hoch ist der Stromverbrauch gerade",
    intent: "HassGetState",
    targets: ["sensor.hausverbrauch"],
  },
  { text: "wie viel Strom verbraucht das Haus", intent: "HassGetState", targets: ["sensor.hausverbrauch"] },
  {
    text: "wie viel Watt liefert die Solaranlage",
    intent: "HassGetState",
    targets: ["sensor.wechselrichter"],
  },
  {
    text: "hat das Babyfon etwas gehört",
    intent: "HassGetState",
    targets: ["binary_sensor.babyfon"],
    slots: { state: "on" },
  },
  {
    text: "wurde im Hobbyraum Kohlenmonoxid erkannt",
    intent: "HassGetState",
    targets: ["binary_sensor.co_hobbyraum"],
    slots: { device_class: "carbon_monoxide", state: "on" },
  },
  {
    text: "gibt es irgendwo Kohlenmonoxid",
    intent: "HassGetState",
    targets: ["binary_sensor.co_hobbyraum"],
  },
  {
    text: "ist irgendeine Tür offen",
    intent: "HassGetState",
    slots: { device_class: "door", state: "on" },
  },
  { text: "wie viele Ventilatoren laufen", intent: "HassGetState", slots: { domain: "fan", state: "on" } },
  {
    text: "ist die Sonnenmarkise ausgefahren",
    intent: "HassGetState",
    targets: ["cover.sonnenmarkise"],
    slots: { state: "open" },
  },
  {
    text: "ist die Sonnenmarkise eingefahren",
    intent: "HassGetState",
    targets: ["cover.sonnenmarkise"],
    slots: { state: "closed" },
  },
]);

describeSentences("the temperature raised or lowered by a step", [
  {
    text: "erhöhe die Temperatur im Badezimmer um zwei Grad",
    intent: "HassClimateSetTemperature",
    targets: ["climate.thermostat_bad"],
    slots: { temperature: 23 },
  },
  {
    text: "senke die Temperatur im Wohnzimmer um ein Grad",
    intent: "HassClimateSetTemperature",
    targets: ["climate.heizung_wohnzimmer"],
    slots: { temperature: 19.5 },
  },
  {
    text: "mach es im Bad wärmer",
    intent: "HassClimateSetTemperature",
    targets: ["climate.thermostat_bad"],
    slots: { temperature: 22 },
  },
  {
    text: "mach es hier etwas kühler",
    intent: "HassClimateSetTemperature",
    targets: ["climate.heizung_wohnzimmer"],
    slots: { temperature: 19.5 },
  },
]);

describeSentences("a fan set to a step", [
  // A fan that tells its step (25 percent) and one that does not (taken as three speeds).
  {
    text: "stell den Deckenventilator auf Stufe 2",
    intent: "HassFanSetSpeed",
    targets: ["fan.deckenventilator"],
    slots: { percentage: 50 },
  },
  {
    text: "stell den Ventilator im Wohnzimmer auf Stufe 3",
    intent: "HassFanSetSpeed",
    targets: ["fan.standventilator"],
    slots: { percentage: 100 },
  },
  {
    text: "Standventilator auf Stufe 1",
    intent: "HassFanSetSpeed",
    targets: ["fan.standventilator"],
    slots: { percentage: 33 },
  },
]);

describeSentences("covers moved out to a position", [
  {
    text: "fahr die Sonnenmarkise auf 70 Prozent aus",
    intent: "HassSetPosition",
    targets: ["cover.sonnenmarkise"],
    slots: { position: 70 },
  },
  {
    text: "setz die Position vom Rollladen Wohnzimmer auf 40 Prozent",
    intent: "HassSetPosition",
    targets: ["cover.rollladen_wohnzimmer"],
    slots: { position: 40 },
  },
  {
    text: "stell die Position der Sonnenmarkise auf 60",
    intent: "HassSetPosition",
    targets: ["cover.sonnenmarkise"],
    slots: { position: 60 },
  },
]);

describeSentences("slot values: someone at home, an item and its list", [
  {
    text: "ist Greta daheim",
    intent: "HassGetState",
    targets: ["person.greta"],
    slots: { state: "home" },
  },
  {
    text: "ist Malte schon zuhause",
    intent: "HassGetState",
    targets: ["person.malte"],
    slots: { state: "home" },
  },
  {
    text: "setz Milch zu meinen Einkäufen",
    intent: "HassListAddItem",
    targets: ["todo.einkauf"],
    slots: { item: "Milch" },
  },
  {
    text: "pack Haferflocken auf meine Einkäufe",
    intent: "HassListAddItem",
    targets: ["todo.einkauf"],
    slots: { item: "Haferflocken" },
  },
]);

describeSentences("the weekday and scripts started by name", [
  { text: "welchen Wochentag haben wir heute", intent: "HassGetCurrentDate" },
  { text: "sag mir welcher Wochentag heute ist", intent: "HassGetCurrentDate" },
  {
    text: "starte die Gute Nacht Geschichte",
    intent: "HassTurnOn",
    targets: ["script.gute_nacht_geschichte"],
  },
  { text: "starte das Lüftungsprogramm", intent: "HassTurnOn", targets: ["script.lueftungsprogramm"] },
]);

describeSentences("names said with words around them", [
  // The area after the head word completes the name.
  {
    text: "mach die Steckdose in der Waschküche an",
    intent: "HassTurnOn",
    targets: ["switch.steckdose_waschkueche"],
  },
  {
    text: "schalte die Steckdose in der Küche aus",
    intent: "HassTurnOff",
    targets: ["switch.steckdose_kueche"],
  },
  {
    text: "mach die Schreibtischlampe im Kinderzimmer Jonas aus",
    intent: "HassTurnOff",
    targets: ["light.schreibtisch_jonas"],
  },
  {
    text: "schalte im Kinderzimmer Jonas die Schreibtischlampe an",
    intent: "HassTurnOn",
    targets: ["light.schreibtisch_jonas"],
  },
  { text: "mach mir mal das Dielenlicht an", intent: "HassTurnOn", targets: ["light.diele"] },
  {
    text: "schalt uns doch mal die Kaffeemaschine ein",
    intent: "HassTurnOn",
    targets: ["switch.kaffeemaschine"],
  },
  { text: "mach mir bitte das Küchenlicht aus", intent: "HassTurnOff", targets: ["light.kueche_decke"] },
  {
    text: "schalt uns bitte die Kaffeemaschine ein",
    intent: "HassTurnOn",
    targets: ["switch.kaffeemaschine"],
  },
  // The pronoun alone, without "bitte" or "mal".
  { text: "mach mir das Küchenlicht aus", intent: "HassTurnOff", targets: ["light.kueche_decke"] },
  { text: "schalt uns die Kaffeemaschine ein", intent: "HassTurnOn", targets: ["switch.kaffeemaschine"] },
  {
    text: "alle Lichter im Erdgeschoss auf 50 Prozent",
    intent: "HassLightSet",
    targets: ["light.diele", "light.kueche_decke", "light.wohnzimmer_decke"],
    slots: { brightness: 50 },
  },
  {
    text: "stell alle Lampen im Obergeschoss auf 20 Prozent",
    intent: "HassLightSet",
    targets: ["light.bad", "light.schlafzimmer", "light.schreibtisch_jonas", "light.schreibtisch_lotte"],
    slots: { brightness: 20 },
  },
]);

describe("a command told in a story", () => {
  test.each([
    "mach das Licht aus, flüsterte er, und dann ging er schlafen",
    "schalte den Fernseher ein, rief sie, und dann lachten alle",
  ])("“%s” is no command", refused);

  test("a command and how the story goes on is not acted on", () => {
    const { u } = understand("mach das Licht aus, und dann schlief sie ein");
    expect(u.kind, describeResult(u)).toBe("not-recognized");
  });

  test.each([
    "mach das Küche Licht aus und dann das Küchenradio an",
    "mach das Küche Licht aus, und dann das Küchenradio an",
  ])("“%s” stays two commands", (text) => {
    const { u } = understand(text);
    expect(
      u.kind === "recognized" ? u.intents.map((i) => [i.name, i.targets]) : [],
      describeResult(u),
    ).toEqual([
      ["HassTurnOff", ["light.kueche_decke"]],
      ["HassTurnOn", ["media_player.radio_kueche"]],
    ]);
  });

  test("“wie gesagt” set apart is said to the assistant, no story", () => {
    check({
      text: "mach, wie gesagt, das Küche Licht an",
      intent: "HassTurnOn",
      targets: ["light.kueche_decke"],
    });
  });
});

describe("a floor said, also another name of one of its rooms", () => {
  const cellar = ["light.hobbyraum", "light.vorratsraum", "light.waschkueche"];
  test.each<Want>([
    { text: "mach das Licht im Keller an", intent: "HassTurnOn", targets: cellar },
    { text: "schalte im Keller das Licht aus", intent: "HassTurnOff", targets: cellar },
    // The floor and its lights in one word.
    { text: "mach das Kellerlicht aus", intent: "HassTurnOff", targets: cellar },
    { text: "schalte die Kellerbeleuchtung ein", intent: "HassTurnOn", targets: cellar },
  ])("“$text”", check);

  test("and in two commands at once", () => {
    const { u } = understand("mach das Licht im Keller aus und das Dielenlicht an");
    expect(
      u.kind === "recognized" ? u.intents.map((i) => [i.name, i.targets]) : [],
      describeResult(u),
    ).toEqual([
      ["HassTurnOff", cellar],
      ["HassTurnOn", ["light.diele"]],
    ]);
  });
});
