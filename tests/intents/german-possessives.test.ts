import { germanHome } from "../helpers/german-home.js";

/**
 * A possessive before a device's name ("mein", "unser", Bavarian "mei", "mia") is no part of it,
 * as "my" and "our" are none of an English name: the sentence files' `possessives:` (issue 12).
 * Read with Home Assistant's German pack (../shared/ha-intents, CC BY 4.0) beside Hearth's own
 * German. The home is tests/intents/fixtures/home-de-familie.yaml, the speaker in the Wohnzimmer.
 */

const { describeSentences } = germanHome("home-de-familie.yaml");

describeSentences("a possessive before a name", [
  {
    text: "wie voll ist mein Handy",
    intent: "HassGetState",
    targets: ["sensor.handy_akku"],
    reply: "Handy akku ist 64 %",
  },
  { text: "wie voll is mei Handy", intent: "HassGetState", targets: ["sensor.handy_akku"] },
  { text: "wie voll ist unser Auto", intent: "HassGetState", targets: ["sensor.auto_akku"] },
  {
    text: "mach mein Licht an",
    intent: "HassTurnOn",
    targets: ["light.wohnzimmer", "light.leselampe"],
  },
  { text: "mach meine Leselampe an", intent: "HassTurnOn", targets: ["light.leselampe"] },
  { text: "mach mia d Sternenlampe aus", intent: "HassTurnOff", targets: ["light.kinderzimmer"] },
  { text: "schalt unser Küchenradio aus", intent: "HassTurnOff", targets: ["media_player.radio"] },
  {
    text: "ist unsere Leselampe an",
    intent: "HassGetState",
    targets: ["light.leselampe"],
    slots: { state: "on" },
  },
]);
