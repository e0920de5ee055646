import { describe, expect, test } from "vitest";
import { describeResult, germanHome, type Want } from "../helpers/german-home.js";

/**
 * Colloquial German at home: the formal "Sie" with the verb first for locks, timers asked about
 * by their state, valves asked whether they are open, "never mind" after an interjection, "heller"
 * with no lamp or with a room, colour words, time put on a timer, motion, a set-point said
 * roughly, lights asked whether they are off, "die Bude" for where the speaker is, a lamp by the
 * place its compound name holds ("das Licht auf der Treppe"), a second command borrowing the
 * first's words with "auch" and "die Glotze" among the room's players. Read the way
 * Home Assistant's intents define them, with Hearth's own German beside Home Assistant's German
 * pack (../shared/ha-intents, CC BY 4.0). The home is tests/intents/fixtures/home-de-altbau.yaml,
 * the speaker in the Wohnzimmer unless a sentence gives another area.
 */

const { check, refused, understand, describeSentences } = germanHome("home-de-altbau.yaml");

describeSentences(
  "locks in the formal Sie, the verb first",
  [
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
  ],
  ["Sperren Sie mich nicht aus", "der Schlüssel zum Entriegeln liegt im Flur"],
);

describeSentences(
  "timers asked about by their state",
  [
    { text: "Wie ist der Stand meiner Timer?", intent: "HassTimerStatus", absent: ["name"] },
    { text: "Was ist der Status der Timer", intent: "HassTimerStatus", absent: ["name"] },
    { text: "Was machen meine Timer?", intent: "HassTimerStatus", absent: ["name"] },
    { text: "was macht der Eieruhr Timer gerade", intent: "HassTimerStatus", slots: { name: "Eieruhr" } },
  ],
  ["was machen meine Kinder", "der Stand der Dinge ist unklar"],
);

describeSentences("valves asked whether they are open", [
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
]);

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

describeSentences(
  "brighter and darker without a lamp, or with a room",
  [
    // The Stehlampe is at half, the ceiling light off: a quarter more from the brightest.
    {
      text: "mach mal ein bisschen heller",
      intent: "HassLightSet",
      targets: ["light.stehlampe", "light.wohnzimmer_decke"],
      slots: { area: "Wohnzimmer", brightness: 75 },
    },
    {
      text: "etwas dunkler bitte",
      intent: "HassLightSet",
      targets: ["light.stehlampe", "light.wohnzimmer_decke"],
      slots: { brightness: 25 },
    },
    // The Schlafzimmer's brightest light is at 200 of 255 (78 %).
    {
      text: "mach das Schlafzimmer dunkler",
      intent: "HassLightSet",
      targets: ["light.bettlampe", "light.schlafzimmer_decke"],
      slots: { area: "Schlafzimmer", brightness: 53 },
    },
    {
      text: "Mach die Küche etwas heller",
      intent: "HassLightSet",
      targets: ["light.arbeitsplatte", "light.kueche"],
      slots: { area: "Küche" },
    },
  ],
  ["die Küche ist heller als das Bad", "mach dir keinen Kopf"],
);

describeSentences("colours as Home Assistant names them", [
  { text: "mach die Stehlampe türkis", intent: "HassLightSet", slots: { color: "turquoise" } },
  { text: "mach das Licht cyan", intent: "HassLightSet", slots: { color: "cyan" } },
  { text: "die Stehlampe hellblau", intent: "HassLightSet", slots: { color: "light blue" } },
  { text: "färb die Stehlampe braun", intent: "HassLightSet", slots: { color: "brown" } },
  { text: "mach die Stehlampe lila", intent: "HassLightSet", slots: { color: "purple" } },
]);

describeSentences(
  "time put on a timer, motion, a set-point said roughly",
  [
    {
      text: "mach noch zehn Minuten auf den Timer drauf",
      intent: "HassIncreaseTimer",
      slots: { minutes: 10 },
    },
    { text: "pack noch 2 Minuten drauf", intent: "HassIncreaseTimer", slots: { minutes: 2 } },
    {
      text: "leg dem Timer noch eine halbe Stunde drauf",
      intent: "HassIncreaseTimer",
      slots: { minutes: 30 },
    },
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
    {
      text: "mach's im Schlafzimmer mal wärmer, so 21 Grad",
      intent: "HassClimateSetTemperature",
      targets: ["climate.schlafzimmer"],
      slots: { temperature: 21 },
    },
    {
      text: "etwas kühler bitte, so um die 19 Grad",
      intent: "HassClimateSetTemperature",
      targets: ["climate.wohnzimmer"],
      slots: { temperature: 19 },
    },
  ],
  ["gibt's was Neues", "letztes Jahr war es wärmer, so 30 Grad"],
);

describeSentences("lights asked whether they are off", [
  {
    text: "Ist das Licht im Keller aus?",
    intent: "HassGetState",
    targets: ["light.keller"],
    slots: { domain: "light", state: "off" },
    reply: "Ja",
  },
  // Said without a room: the speaker's, where the Stehlampe is on.
  {
    text: "ist das Licht aus",
    intent: "HassGetState",
    targets: ["light.stehlampe", "light.wohnzimmer_decke"],
    slots: { area: "Wohnzimmer", state: "off" },
    reply: "Nein, Stehlampe ist es nicht",
  },
]);

describeSentences(
  "die Bude: where the speaker is",
  [
    {
      text: "mach die Bude hell",
      area: "Küche",
      intent: "HassTurnOn",
      targets: ["light.arbeitsplatte", "light.kueche"],
      slots: { area: "Küche" },
    },
    {
      text: "mach die Bude dunkel",
      area: "Schlafzimmer",
      intent: "HassTurnOff",
      targets: ["light.bettlampe", "light.schlafzimmer_decke"],
    },
    {
      text: "mach die Küche dunkel",
      intent: "HassTurnOff",
      targets: ["light.arbeitsplatte", "light.kueche"],
    },
    // The house is every light of the home.
    {
      text: "mach das ganze Haus hell",
      intent: "HassTurnOn",
      targets: [
        "light.arbeitsplatte",
        "light.bettlampe",
        "light.flurlampe",
        "light.garten",
        "light.keller",
        "light.kueche",
        "light.schlafzimmer_decke",
        "light.stehlampe",
        "light.treppenlicht",
        "light.wohnzimmer_decke",
      ],
    },
  ],
  ["die Bude ist dunkel", "die Bude war früher heller"],
);

describeSentences(
  "a lamp by the place its compound name holds",
  [
    // No room is called Treppe: the Treppenlicht, as "an der Treppe" already was.
    { text: "mach das Licht auf der Treppe an", intent: "HassTurnOn", targets: ["light.treppenlicht"] },
    { text: "schalte die Lampe am Bett aus", intent: "HassTurnOff", targets: ["light.bettlampe"] },
    {
      text: "dimm das Licht auf der Treppe auf 20 Prozent",
      intent: "HassLightSet",
      targets: ["light.treppenlicht"],
      slots: { brightness: 20 },
    },
    {
      text: "ist das Licht auf der Treppe an",
      intent: "HassGetState",
      targets: ["light.treppenlicht"],
      slots: { state: "on" },
      reply: "Nein",
    },
    // A place that is a room stays the room: the Flur's lights, not the Flurlampe alone.
    {
      text: "mach das Licht im Flur an",
      intent: "HassTurnOn",
      targets: ["light.flurlampe", "light.treppenlicht"],
      slots: { area: "Flur" },
    },
    {
      text: "mach das Licht im Keller an",
      intent: "HassTurnOn",
      targets: ["light.keller"],
      slots: { area: "Keller" },
    },
  ],
  ["das Licht auf der Treppe war an", "ich stehe auf der Treppe"],
);

describe("a second command borrowing the first's words with 'auch'", () => {
  test.each([
    {
      text: "Licht in der Küche an und den Ventilator auch",
      want: [
        ["HassTurnOn", ["light.arbeitsplatte", "light.kueche"]],
        ["HassTurnOn", ["fan.ventilator"]],
      ],
    },
    {
      text: "mach das Licht im Flur aus und die Kaffeemaschine auch",
      want: [
        ["HassTurnOff", ["light.flurlampe", "light.treppenlicht"]],
        ["HassTurnOff", ["switch.kaffeemaschine"]],
      ],
    },
    {
      text: "Küchenleuchte an und den Ventilator auch",
      want: [
        ["HassTurnOn", ["light.kueche"]],
        ["HassTurnOn", ["fan.ventilator"]],
      ],
    },
  ])("“$text”", ({ text, want }) => {
    const { u } = understand(text);
    expect(u.kind, describeResult(u)).toBe("recognized");
    if (u.kind !== "recognized") return;
    expect(
      u.intents.map((i) => [i.name, [...i.targets].sort()]),
      describeResult(u),
    ).toEqual(want);
  });
});

describe("die Glotze among the room's players", () => {
  test.each<Want>([
    // The Wohnzimmer has a TV and a radio: the TV.
    { text: "mach die Glotze aus", intent: "HassTurnOff", targets: ["media_player.glotze"] },
    { text: "Glotze an", intent: "HassTurnOn", targets: ["media_player.glotze"] },
    // Its volume, a pause, its sound: the TV too, while the music is the room's players.
    {
      text: "mach die Glotze leiser",
      intent: "HassSetVolumeRelative",
      targets: ["media_player.glotze"],
      absent: ["prefer"],
    },
    { text: "pausier die Glotze", intent: "HassMediaPause", targets: ["media_player.glotze"] },
    { text: "mach die Glotze stumm", intent: "HassMediaPlayerMute", targets: ["media_player.glotze"] },
    {
      text: "mach die Musik leiser",
      intent: "HassSetVolumeRelative",
      targets: ["media_player.glotze", "media_player.radio"],
    },
    // Said in the Küche, which has no player: the home's TV.
    { text: "mach die Glotze aus", area: "Küche", intent: "HassTurnOff", targets: ["media_player.glotze"] },
  ])("“$text” ($area)", check);
});
