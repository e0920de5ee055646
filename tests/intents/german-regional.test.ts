import { describe, expect, test } from "vitest";
import { describeResult, germanHome, type Want } from "../helpers/german-home.js";

/**
 * Regional spoken German as a recogniser writes it (issue 12): clipped articles and particles
 * ("mach amal s Flurlicht an", "dat Licht"), "a bissl" and "a weng" for a little, regional verbs
 * for switching ("zünd … an", "lösch das Licht", "abstellen", "tu … aus", "dreh das Licht auf"),
 * regional greetings before the command and "gell" after it, regional words for shutters
 * ("Balken", "Storen", Swabian "na" for down), a place put right ("in der Kuchl nein im Flur"),
 * time and date asked with "is", "heut", "hamma", and an order someone else gave, reported. Read with Home Assistant's German pack
 * (../shared/ha-intents, CC BY 4.0) beside Hearth's own German. The home is
 * tests/intents/fixtures/home-de-hof.yaml, the speaker in the Stube unless a sentence gives another
 * area.
 */

const { check, refused, understand, describeSentences } = germanHome("home-de-hof.yaml");

describeSentences("clipped articles and dialect particles", [
  { text: "mach amal s Flurlicht an", intent: "HassTurnOn", targets: ["light.flur"] },
  { text: "nu mach ma das Licht im Flur aus", intent: "HassTurnOff", targets: ["light.flur"] },
  { text: "mach dat Licht in der Kuchl an", intent: "HassTurnOn", targets: ["light.kuchl"] },
  { text: "tua des Licht im Flur aus", intent: "HassTurnOff", targets: ["light.flur"] },
  { text: "mach ens die Kaffeemaschine an", intent: "HassTurnOn", targets: ["switch.kaffeemaschine"] },
  { text: "mach amol d Dachbodenlampe an", intent: "HassTurnOn", targets: ["light.dachboden"] },
]);

describeSentences("a bissl and a weng: a little", [
  { text: "mach's a weng wärmer", intent: "HassClimateSetTemperature", targets: ["climate.stube"] },
  {
    text: "Radio a bissl lauter",
    intent: "HassSetVolumeRelative",
    targets: ["media_player.radio"],
    slots: { volume_step: "up" },
  },
  { text: "Stubenlicht a bisserl heller", intent: "HassLightSet", targets: ["light.stube"] },
]);

describeSentences("regional verbs for switching", [
  { text: "zünd das Licht im Flur an", intent: "HassTurnOn", targets: ["light.flur"] },
  { text: "Hoflampe anzünden", intent: "HassTurnOn", targets: ["light.hof"] },
  { text: "lösch das Licht", intent: "HassTurnOff", targets: ["light.stube"] },
  { text: "Licht in der Kuchl löschen", intent: "HassTurnOff", targets: ["light.kuchl"] },
  { text: "Kaffeemaschine abstellen", intent: "HassTurnOff", targets: ["switch.kaffeemaschine"] },
  { text: "tu die Hoflampe aus", intent: "HassTurnOff", targets: ["light.hof"] },
  { text: "drah das Radio ab", intent: "HassTurnOff", targets: ["media_player.radio"] },
  { text: "dreh das Licht im Hof auf", intent: "HassTurnOn", targets: ["light.hof"] },
]);

describeSentences("greetings before, a tag after", [
  { text: "grüezi, mach die Hoflampe an", intent: "HassTurnOn", targets: ["light.hof"] },
  { text: "servus hearth wie viel uhr is", intent: "HassGetCurrentTime" },
  { text: "moin, Kaffeemaschine an", intent: "HassTurnOn", targets: ["switch.kaffeemaschine"] },
  { text: "mach das Licht im Flur an gell", intent: "HassTurnOn", targets: ["light.flur"] },
]);

describeSentences("regional words for shutters", [
  { text: "mach die Balken zu", intent: "HassTurnOff", targets: ["cover.stube"] },
  { text: "Storen runter", intent: "HassTurnOff", targets: ["cover.stube"] },
  { text: "lass den Rollladen na", intent: "HassTurnOff", targets: ["cover.stube"] },
  { text: "die Fensterläden in der Kuchl auf", intent: "HassTurnOn", targets: ["cover.kuchl"] },
]);

describeSentences("a place put right", [
  { text: "mach das Licht in der Kuchl nein im Flur an", intent: "HassTurnOn", targets: ["light.flur"] },
]);

describeSentences("time and date in dialect", [
  { text: "wie spät is", intent: "HassGetCurrentTime" },
  { text: "der wievielte is heut", intent: "HassGetCurrentDate" },
  { text: "was hamma heut für ein Datum", intent: "HassGetCurrentDate" },
]);

describeSentences("weather, heating, timers and muting in dialect", [
  { text: "brauch ma an Schirm", intent: "HassGetWeather" },
  { text: "wie schaut's draußen aus", intent: "HassGetWeather" },
  { text: "wie schaut's aus mit dem Wetter", intent: "HassGetWeather" },
  {
    text: "Heizung im Bad um an Grad wärmer",
    intent: "HassClimateSetTemperature",
    targets: ["climate.bad"],
  },
  {
    text: "Thermostat Stube ein Grad weniger",
    intent: "HassClimateSetTemperature",
    targets: ["climate.stube"],
    slots: { temperature: 20 },
  },
  { text: "stell an Timer auf a halbe Stund", intent: "HassStartTimer", slots: { minutes: 30 } },
  { text: "Timer auf a Viertelstund", intent: "HassStartTimer", slots: { minutes: 15 } },
  { text: "alle Timer weg", intent: "HassCancelAllTimers" },
  { text: "kannste mal das Licht im Flur anmachen", intent: "HassTurnOn", targets: ["light.flur"] },
  { text: "Ton weg", intent: "HassMediaPlayerMute", targets: ["media_player.radio"] },
]);

describe("no commands", () => {
  test.each(["servus, wie geht's dir", "i mag des Lied net", "moin moin"])("“%s” is no command", refused);
});

describe("orders reported, with no comma to set them apart", () => {
  test.each([
    "in der Serie hat sie geschrien mach die Hoflampe aus",
    "Kaffeemaschine aus hat die Oma immer gsagt",
    "sagt der Bub zu seiner Schwester dreh das Radio ab",
    "ich hab dir doch gsagt du sollst die Kaffeemaschine ausmachen",
  ])("“%s” is no command", refused);
});

describe("a bare Licht is the speaker's room's lights, not a device elsewhere called … Licht", () => {
  test.each<Want>([
    { text: "mach amal s Licht an", intent: "HassTurnOn", targets: ["light.stube"] },
    { text: "Licht aus", intent: "HassTurnOff", targets: ["light.stube"] },
    { text: "Licht aus", area: "Kuchl", intent: "HassTurnOff", targets: ["light.kuchl"] },
    { text: "dreh das Licht ab", area: "Keller", intent: "HassTurnOff", targets: ["light.keller"] },
  ])("“$text” ($area)", check);
});

describeSentences("rooms by their regional words", [
  { text: "schalt in der Diele das Licht ein", intent: "HassTurnOn", targets: ["light.flur"] },
  { text: "is das Licht im Gang no an", intent: "HassGetState", targets: ["light.flur"] },
  { text: "Licht am Speicher aus", intent: "HassTurnOff", targets: ["light.dachboden"] },
  { text: "mach im Klo s Licht an", intent: "HassTurnOn", targets: ["light.wc"] },
  { text: "Licht im Häusl aus", intent: "HassTurnOff", targets: ["light.wc"] },
  { text: "mach beim Opa das Licht an", intent: "HassTurnOn", targets: ["light.opa"] },
]);

describeSentences("sensors asked by an everyday verb", [
  { text: "tut sich was draußen im Hof", intent: "HassGetState", targets: ["binary_sensor.hof_bewegung"] },
  { text: "im Hof regt sich grad was", intent: "HassGetState", targets: ["binary_sensor.hof_bewegung"] },
  {
    text: "was liefert der Wechselrichter grad",
    intent: "HassGetState",
    targets: ["sensor.wechselrichter"],
  },
]);

describeSentences("timers named first, and quarters of an hour", [
  { text: "Teetimer fünf Minuten", intent: "HassStartTimer", slots: { minutes: 5 } },
  {
    text: "Timer für die Knödel zwanzig Minuten",
    intent: "HassStartTimer",
    slots: { name: "Knödel", minutes: 20 },
  },
  { text: "stell an Timer auf dreiviertel Stund", intent: "HassStartTimer", slots: { minutes: 45 } },
  { text: "Eieruhr a Viertelstund", intent: "HassStartTimer", slots: { minutes: 15 } },
  { text: "Timer eine Dreiviertelstunde", intent: "HassStartTimer", slots: { minutes: 45 } },
]);

describeSentences("a command begun again", [
  {
    text: "schalt die äh schalt die Kaffeemaschine ein",
    intent: "HassTurnOn",
    targets: ["switch.kaffeemaschine"],
  },
  { text: "mach den mach das Radio aus", intent: "HassTurnOff", targets: ["media_player.radio"] },
]);

describe("a second command that only names another place", () => {
  test("“schalt im Flur das Licht ein und in der Kuchl auch” switches both rooms' lights", () => {
    const { u } = understand("schalt im Flur das Licht ein und in der Kuchl auch");
    expect(u.kind === "recognized" && u.intents.map((i) => [i.name, i.targets]), describeResult(u)).toEqual([
      ["HassTurnOn", ["light.flur"]],
      ["HassTurnOn", ["light.kuchl"]],
    ]);
  });
});

describe("“a” last after a place or a name: “auch”, never “an”", () => {
  // Bavarian and Austrian "a" for "auch" after a second part without a verb: the first part's
  // action there. Read as "ein" (on), it switched on what was meant off.
  test.each<{ text: string; want: [string, string[]][] }>([
    {
      text: "mach das Licht in der Kuchl aus und im Flur a",
      want: [
        ["HassTurnOff", ["light.kuchl"]],
        ["HassTurnOff", ["light.flur"]],
      ],
    },
    {
      text: "lösch das Licht im Flur und am Dachboden a",
      want: [
        ["HassTurnOff", ["light.flur"]],
        ["HassTurnOff", ["light.dachboden"]],
      ],
    },
    {
      text: "schalt die Hoflampe aus und d Kaffeemaschine a",
      want: [
        ["HassTurnOff", ["light.hof"]],
        ["HassTurnOff", ["switch.kaffeemaschine"]],
      ],
    },
    {
      text: "mach die Kaffeemaschine aus und dann s Radio a",
      want: [
        ["HassTurnOff", ["switch.kaffeemaschine"]],
        ["HassTurnOff", ["media_player.radio"]],
      ],
    },
  ])("“$text” does the first part's action in both", ({ text, want }) => {
    const { u } = understand(text);
    expect(u.kind === "recognized" && u.intents.map((i) => [i.name, i.targets]), describeResult(u)).toEqual(
      want,
    );
  });

  test("a second part with a verb of its own keeps “a” for “an”: “schalt s Radio aus und mach s Licht a”", () => {
    const { u } = understand("schalt s Radio aus und mach s Licht a");
    expect(u.kind === "recognized" && u.intents.map((i) => [i.name, i.targets]), describeResult(u)).toEqual([
      ["HassTurnOff", ["media_player.radio"]],
      ["HassTurnOn", ["light.stube"]],
    ]);
  });
});
