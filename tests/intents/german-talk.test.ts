import { describe, expect, test } from "vitest";
import { describeResult, germanHome, type Want } from "../helpers/german-home.js";

/**
 * What a German family says at home, read the way Home Assistant's intents define it, with
 * Hearth's own German beside Home Assistant's German pack (../shared/ha-intents, CC BY 4.0): rooms
 * called after the children, "'s" glued to a verb, colloquial words, and more. The home is
 * tests/intents/fixtures/home-de-talk.yaml, the speaker in the Wohnzimmer unless a sentence gives
 * another area.
 */

const { check, refused, understand, describeSentences } = germanHome("home-de-talk.yaml");

describe("a child's room called by the child's name", () => {
  test.each<Want>([
    {
      text: "mach das Licht bei Jonas an",
      intent: "HassTurnOn",
      targets: ["light.jonas"],
      slots: { area: "Kinderzimmer Jonas" },
    },
    {
      text: "in Friedas Zimmer bitte das Licht blau machen",
      intent: "HassLightSet",
      targets: ["light.frieda"],
      slots: { area: "Kinderzimmer Frieda", color: "blue" },
    },
    {
      text: "dimm das Licht bei Jonas auf 30 Prozent",
      intent: "HassLightSet",
      targets: ["light.jonas"],
      slots: { brightness: 30 },
    },
    {
      text: "lass bei Jonas die Rollläden runter",
      intent: "HassTurnOff",
      targets: ["cover.rollladen_jonas"],
    },
    {
      text: "stell die Heizung in Jonas Zimmer auf 21 Grad",
      intent: "HassClimateSetTemperature",
      targets: ["climate.heizung_jonas"],
      slots: { temperature: 21 },
    },
  ])("“$text”", check);

  // Only a room named after someone is one: Karin has none, and Jonas alone is no question.
  test("“mach das Licht bei Karin an” is no room of Karin's", () => {
    expect(understand("mach das Licht bei Karin an").u.kind).toBe("not-recognized");
  });
  test.each(["wie geht es Jonas", "ist Jonas schon im Bett"])("“%s” is no command", refused);
});

describeSentences("'s glued to the word before it", [
  { text: "gibt's heute Regen", intent: "HassGetWeather" },
  { text: "regnet's draußen", intent: "HassGetWeather" },
  { text: "wie spät ist's eigentlich", intent: "HassGetCurrentTime" },
  { text: "Is's draußen kalt?", intent: "HassGetWeather" },
  {
    text: "Mach's Licht in der Küche an",
    intent: "HassTurnOn",
    targets: ["light.kuechenlicht"],
  },
  { text: "danke, das war's", intent: "HassNevermind" },
]);

describeSentences("questions about the whole home in casual words", [
  {
    text: "welche Lichter sind noch an",
    intent: "HassGetState",
    slots: { domain: "light", state: "on" },
    reply: "Jonas Deckenlampe und Leselicht",
  },
  {
    text: "wer ist alles daheim",
    intent: "HassGetState",
    slots: { domain: "person", state: "home" },
    reply: "Karin",
  },
  {
    text: "steht noch irgendwo ein Fenster auf",
    intent: "HassGetState",
    slots: { device_class: "window", state: "on" },
    reply: "Ja, Badfenster",
  },
  {
    text: "wie viel Strom verbrauchen wir gerade",
    intent: "HassGetState",
    targets: ["sensor.stromverbrauch"],
  },
]);

describeSentences("colloquial words for the lamp and the television", [
  {
    text: "mach die Funzel in der Küche an",
    intent: "HassTurnOn",
    targets: ["light.kuechenlicht"],
  },
  {
    text: "dreh die Glotze leiser",
    intent: "HassSetVolumeRelative",
    targets: ["media_player.fernseher"],
    slots: { volume_step: "down" },
  },
  { text: "Kiste aus", intent: "HassTurnOff", targets: ["media_player.fernseher"] },
]);

describeSentences("covers by their kind and the awning taken in", [
  // Rollläden are the shutters: not the garage gate, the awning, the curtain or the roof window.
  {
    text: "alle Rollläden runter",
    intent: "HassTurnOff",
    targets: ["cover.rollladen_wohnzimmer", "cover.rollladen_fenster", "cover.rollladen_jonas"],
  },
  {
    text: "mach die Rollos hier zu",
    intent: "HassTurnOff",
    targets: ["cover.rollladen_wohnzimmer", "cover.rollladen_fenster"],
  },
  {
    text: "fahr im ganzen Haus die Rollläden hoch",
    intent: "HassTurnOn",
    targets: ["cover.rollladen_wohnzimmer", "cover.rollladen_fenster", "cover.rollladen_jonas"],
  },
  { text: "in Jonas Zimmer die Rollläden hoch", intent: "HassTurnOn", targets: ["cover.rollladen_jonas"] },
  { text: "hol das Sonnensegel rein", intent: "HassTurnOff", targets: ["cover.sonnensegel"] },
  { text: "Sonnensegel einholen", intent: "HassTurnOff", targets: ["cover.sonnensegel"] },
]);

describeSentences("locks", [
  { text: "schließ mir mal bitte die Haustür auf", intent: "HassTurnOff", targets: ["lock.haustuer"] },
  {
    text: "hast du die Kellertür schon abgeschlossen",
    intent: "HassGetState",
    targets: ["lock.kellertuer"],
    slots: { state: "locked" },
    reply: "Ja",
  },
  // Nothing named: the lock of the speaker's room, else the home's.
  { text: "schließ ab", area: "Diele", intent: "HassTurnOn", targets: ["lock.haustuer"] },
  {
    text: "abschließen bitte",
    area: "Küche",
    intent: "HassTurnOn",
    targets: ["lock.haustuer", "lock.kellertuer"],
  },
]);

describeSentences(
  "the robot vacuum and the lawn mower",
  [
    { text: "Flitzer, ab nach Hause", intent: "HassVacuumReturnToBase", targets: ["vacuum.flitzer"] },
    { text: "mäh mal den Rasen", intent: "HassLawnMowerStartMowing", targets: ["lawn_mower.mahlzeit"] },
    { text: "Rasenmäher los", intent: "HassLawnMowerStartMowing", targets: ["lawn_mower.mahlzeit"] },
    {
      text: "schick den Mähroboter zurück in die Garage",
      intent: "HassLawnMowerDock",
      targets: ["lawn_mower.mahlzeit"],
      reply: "Fährt zurück zur Station",
    },
  ],
  ["der Rasen ist frisch gemäht", "ab nach Hause mit euch"],
);

describeSentences("heating", [
  {
    text: "dreh die Heizung bei Jonas auf 22 Grad hoch",
    intent: "HassClimateSetTemperature",
    targets: ["climate.heizung_jonas"],
    slots: { temperature: 22 },
  },
  {
    text: "stell die Heizung auf 19 Grad runter",
    intent: "HassClimateSetTemperature",
    targets: ["climate.heizung_wohnzimmer"],
    slots: { temperature: 19 },
  },
  {
    text: "mach es 23 Grad warm",
    intent: "HassClimateSetTemperature",
    targets: ["climate.heizung_wohnzimmer"],
    slots: { temperature: 23 },
  },
  {
    text: "wärmer bitte, so auf 22,5 Grad",
    intent: "HassClimateSetTemperature",
    targets: ["climate.heizung_wohnzimmer"],
    slots: { temperature: 22.5 },
  },
  {
    text: "etwas kälter, so auf 19 Grad",
    intent: "HassClimateSetTemperature",
    targets: ["climate.heizung_wohnzimmer"],
    slots: { temperature: 19 },
  },
  {
    text: "is's bei Jonas noch warm?",
    intent: "HassClimateGetTemperature",
    targets: ["climate.heizung_jonas"],
  },
  {
    text: "wie warm ist es eigentlich bei Jonas",
    intent: "HassClimateGetTemperature",
    targets: ["climate.heizung_jonas"],
  },
  {
    text: "wie viel Grad hat's draußen im Hof",
    intent: "HassGetState",
    targets: ["sensor.hof_temperatur"],
  },
]);

describeSentences("a place word before the room", [
  { text: "mach oben im Badezimmer das Licht an", intent: "HassTurnOn", targets: ["light.bad_decke"] },
  { text: "mach das Licht draußen im Hof aus", intent: "HassTurnOff", targets: ["light.hof"] },
]);

describeSentences(
  "light wanted, a room made bright, knipsen",
  [
    { text: "ich hätte gern Licht in der Küche", intent: "HassTurnOn", targets: ["light.kuechenlicht"] },
    {
      text: "mach mal Licht hier",
      area: "Diele",
      intent: "HassTurnOn",
      targets: ["light.treppenlicht", "light.garderobe"],
    },
    { text: "mach die Küche hell", intent: "HassTurnOn", targets: ["light.kuechenlicht"] },
    { text: "knips bei Frieda das Licht an", intent: "HassTurnOn", targets: ["light.frieda"] },
    { text: "das Licht in der Küche ausknipsen", intent: "HassTurnOff", targets: ["light.kuechenlicht"] },
    {
      text: "mach das Licht im Badezimmer mal wieder an",
      intent: "HassTurnOn",
      targets: ["light.bad_decke"],
      reply: "Licht eingeschaltet",
    },
  ],
  ["das Licht ist heute so schön", "heute bleibt es lange hell"],
);

describeSentences("brightness and colour", [
  {
    text: "ein bisschen heller bitte",
    area: "Kinderzimmer Jonas",
    intent: "HassLightSet",
    targets: ["light.jonas"],
  },
  {
    text: "Küche auf 40 Prozent Helligkeit",
    intent: "HassLightSet",
    targets: ["light.kuechenlicht"],
    slots: { brightness: 40 },
  },
  {
    text: "färb das Licht bei Frieda lila",
    intent: "HassLightSet",
    targets: ["light.frieda"],
    slots: { color: "purple" },
  },
  {
    text: "änder die Farbe vom Licht im Wohnzimmer auf Blau",
    intent: "HassLightSet",
    slots: { area: "Wohnzimmer", color: "blue" },
  },
]);

describeSentences("media and timers", [
  {
    text: "mach mit der Musik in der Küche weiter",
    intent: "HassMediaUnpause",
    targets: ["media_player.kuechenradio"],
  },
  { text: "spiel noch mal das Lied davor", intent: "HassMediaPrevious", absent: ["search_query"] },
  {
    text: "Kartoffeltimer auf 20 Minuten",
    intent: "HassStartTimer",
    slots: { name: "kartoffel", minutes: 20 },
  },
  { text: "pack noch drei Minuten drauf", intent: "HassIncreaseTimer", slots: { minutes: 3 } },
]);

describeSentences("broadcasts", [
  {
    text: "ruf durchs ganze Haus, dass die Pizza da ist",
    intent: "HassBroadcast",
    slots: { message: "die Pizza da ist" },
  },
]);

describe("two commands at once", () => {
  test.each<{ text: string; intents: string[]; targets?: string[] }>([
    // The timer's free-text name does not swallow the list item before "und".
    {
      text: "setz Mehl auf die Einkaufsliste und stell einen Timer auf 5 Minuten",
      intents: ["HassListAddItem", "HassStartTimer"],
    },
    // The room the first command named is where the second one is.
    {
      text: "mach bei Jonas das Licht aus und die Rollläden runter",
      intents: ["HassTurnOff", "HassTurnOff"],
      targets: ["light.jonas", "cover.rollladen_jonas"],
    },
    // "auch" after the second target borrows the first command's verb.
    {
      text: "mach die Kaffeemaschine an und den Ventilator auch",
      intents: ["HassTurnOn", "HassTurnOn"],
      targets: ["switch.kaffeemaschine", "fan.ventilator"],
    },
  ])("“$text”", ({ text, intents, targets }) => {
    const { u } = understand(text);
    expect(u.kind, describeResult(u)).toBe("recognized");
    if (u.kind !== "recognized") return;
    expect(
      u.intents.map((i) => i.name),
      describeResult(u),
    ).toEqual(intents);
    if (targets)
      expect(
        u.intents.flatMap((i) => i.targets),
        describeResult(u),
      ).toEqual(targets);
  });

  // One broadcast or one search with "und" inside stays one.
  test.each<Want>([
    {
      text: "sag allen, dass Milch und Brot da sind",
      intent: "HassBroadcast",
      slots: { message: "Milch und Brot da sind" },
    },
    {
      text: "spiel Tom und Jerry",
      intent: "HassMediaSearchAndPlay",
      slots: { search_query: "Tom und Jerry" },
    },
  ])("“$text”", check);
});

describeSentences("the item said before the list", [
  {
    text: "Wir brauchen noch Milch, schreib's auf die Liste",
    intent: "HassShoppingListAddItem",
    slots: { item: "Milch" },
  },
  {
    text: "Butter ist alle, setz das auf die Einkaufsliste",
    intent: "HassListAddItem",
    slots: { item: "Butter", name: "Einkaufsliste" },
  },
]);

describe("reported speech is no command", () => {
  test.each([
    "Jetzt mach endlich das Fenster zu, sagte die Mutter",
    "Sie rief: mach das Licht aus!",
    "Schließ die Haustür ab, hat er gesagt",
  ])("“%s”", refused);
});

describeSentences("a device called by where it is", [
  { text: "mach das Licht an der Treppe an", intent: "HassTurnOn", targets: ["light.treppenlicht"] },
  { text: "schalte die Lampe an der Garderobe aus", intent: "HassTurnOff", targets: ["light.garderobe"] },
  {
    text: "lass den Rollladen an der Balkontür runter",
    intent: "HassTurnOff",
    targets: ["cover.rollladen_wohnzimmer"],
  },
  {
    text: "dimm das Licht an der Treppe auf 20 Prozent",
    intent: "HassLightSet",
    targets: ["light.treppenlicht"],
    slots: { brightness: 20 },
  },
]);
