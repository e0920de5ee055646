import { describe, expect, test } from "vitest";
import { describeResult, germanHome, type Want } from "../helpers/german-home.js";

/**
 * Families of German phrasing, each read the way Home Assistant's intents define it (slots and
 * value forms of its intents.yaml), with Hearth's own German beside Home Assistant's German pack
 * (../shared/ha-intents, CC BY 4.0) as `site.language: de` loads them: timers by name and with the
 * verb last, questions about binary sensors by what they detect, covers by their kind in a room,
 * and more. The home is tests/intents/fixtures/home-de.yaml, the speaker in the Wohnküche unless a
 * sentence gives another area.
 */

const { check, refused, actingHome, describeSentences } = germanHome();

describe("timers", () => {
  test.each<Want>([
    // The name before the word "Timer" is the name only, not the verb and article before it.
    {
      text: "stell mir einen Tee Timer über vier Minuten",
      intent: "HassStartTimer",
      slots: { name: "Tee", minutes: 4 },
    },
    {
      text: "mach einen Eier Wecker für sieben Minuten",
      intent: "HassStartTimer",
      slots: { name: "Eier", minutes: 7 },
    },
    {
      text: "starte einen Timer mit dem Namen Kuchen auf fünfundvierzig Minuten",
      intent: "HassStartTimer",
      slots: { name: "Kuchen", minutes: 45 },
    },
    { text: "weck mich in einer halben Stunde", intent: "HassStartTimer", slots: { minutes: 30 } },
    { text: "wecke mich in zwei Stunden", intent: "HassStartTimer", slots: { hours: 2 }, absent: ["name"] },
    // Cancelling one by name, or all of a room with the verb last.
    { text: "brich den Tee Timer ab", intent: "HassCancelTimer", slots: { name: "Tee" } },
    { text: "den Timer für den Kuchen abbrechen", intent: "HassCancelTimer", slots: { name: "Kuchen" } },
    { text: "alle Timer im Bad abbrechen", intent: "HassCancelAllTimers", slots: { area: "Bad" } },
    // Time added and taken off.
    { text: "füg dem Timer noch zwei Minuten hinzu", intent: "HassIncreaseTimer", slots: { minutes: 2 } },
    {
      text: "füge zum Kuchen Timer zehn Minuten hinzu",
      intent: "HassIncreaseTimer",
      slots: { name: "Kuchen", minutes: 10 },
    },
    {
      text: "gib dem Eier Timer noch dreißig Sekunden",
      intent: "HassIncreaseTimer",
      slots: { name: "Eier", seconds: 30 },
    },
    { text: "mach den Timer fünf Minuten länger", intent: "HassIncreaseTimer", slots: { minutes: 5 } },
    {
      text: "zieh eine Minute vom Timer ab",
      intent: "HassDecreaseTimer",
      slots: { minutes: 1 },
      absent: ["name"],
    },
    {
      text: "zieh vom Tee Timer zwei Minuten ab",
      intent: "HassDecreaseTimer",
      slots: { name: "Tee", minutes: 2 },
    },
    {
      text: "nimm fünf Minuten vom Kuchen Timer weg",
      intent: "HassDecreaseTimer",
      slots: { name: "Kuchen", minutes: 5 },
    },
    // Pausing and resuming with the verb last or "wieder".
    { text: "halte den Timer an", intent: "HassPauseTimer" },
    { text: "den Tee Timer anhalten", intent: "HassPauseTimer", slots: { name: "Tee" } },
    { text: "den Timer fortsetzen", intent: "HassUnpauseTimer" },
    { text: "starte den Kuchen Timer wieder", intent: "HassUnpauseTimer", slots: { name: "Kuchen" } },
    // Time left.
    { text: "wie viel Zeit ist noch auf dem Timer", intent: "HassTimerStatus", absent: ["name"] },
    { text: "wie viel Zeit hat der Kuchen Timer noch", intent: "HassTimerStatus", slots: { name: "Kuchen" } },
    { text: "wie viel Zeit bleibt noch", intent: "HassTimerStatus" },
  ])("“$text”", check);

  test.each([
    "wie viel Zeit bleibt uns noch bis zum Urlaub",
    "der Timer war viel zu kurz",
    "starte den Film wieder",
  ])("“%s” is no timer command", refused);
});

describe("questions about the home", () => {
  test.each<Want>([
    // Binary sensors by what they detect, anywhere or in one place.
    {
      text: "gibt es irgendwo Bewegung",
      intent: "HassGetState",
      targets: ["binary_sensor.flur_bewegung", "binary_sensor.balkon_bewegung"],
      slots: { domain: "binary_sensor", device_class: "motion", state: "on" },
      reply: "Ja, Flurmelder",
    },
    {
      text: "wurde auf dem Balkon Bewegung erkannt",
      intent: "HassGetState",
      targets: ["binary_sensor.balkon_bewegung"],
      slots: { area: "Balkon" },
      reply: "Nein",
    },
    {
      text: "welche Bewegungsmelder sind aktiv",
      intent: "HassGetState",
      targets: ["binary_sensor.flur_bewegung", "binary_sensor.balkon_bewegung"],
      reply: "Flurmelder",
    },
    {
      text: "hat ein Rauchmelder ausgelöst",
      intent: "HassGetState",
      targets: ["binary_sensor.rauch_schlafzimmer"],
      slots: { device_class: "smoke", state: "on" },
      reply: "Nein",
    },
    {
      text: "ist im Bad Wasser ausgelaufen",
      intent: "HassGetState",
      targets: ["binary_sensor.leck_bad"],
      slots: { device_class: "moisture", area: "Bad" },
      reply: "Ja, Leckwächter",
    },
    {
      text: "welche Batterien sind fast leer",
      intent: "HassGetState",
      targets: ["binary_sensor.feuermelder_batterie"],
      slots: { device_class: "battery", state: "on" },
    },
    {
      text: "ist die Ladesäule eingesteckt",
      intent: "HassGetState",
      targets: ["binary_sensor.ladesaeule"],
      reply: "Nein",
    },
    {
      text: "ist das Auto angeschlossen",
      intent: "HassGetState",
      targets: ["binary_sensor.ladesaeule"],
      slots: { device_class: "plug", state: "on" },
    },
    // A sensor asked by its name, and a battery level by the device's name.
    {
      text: "wie hoch ist der Stromzähler gerade",
      intent: "HassGetState",
      targets: ["sensor.stromzaehler"],
      reply: "Stromzähler ist 310 W",
    },
    { text: "was zeigt der Stromzähler an", intent: "HassGetState", targets: ["sensor.stromzaehler"] },
    { text: "was ist der Wert vom Stromzähler", intent: "HassGetState", targets: ["sensor.stromzaehler"] },
    {
      text: "wie voll ist der Akku vom Tablet",
      intent: "HassGetState",
      targets: ["sensor.tablet_akku"],
      reply: "Tablet ist 62 %",
    },
    // Lights of a place or floor, doors counted, locks and fans by their state.
    {
      text: "brennt oben irgendwo Licht",
      intent: "HassGetState",
      targets: ["light.leselampe", "light.spiegellicht"],
      slots: { floor: "Dachgeschoss", domain: "light", state: "on" },
    },
    {
      text: "wie viele Türen sind offen",
      intent: "HassGetState",
      targets: ["binary_sensor.balkontuer"],
      slots: { domain: "binary_sensor", device_class: "door", state: "on" },
    },
    {
      text: "welche Schlösser sind offen",
      intent: "HassGetState",
      targets: ["lock.wohnungstuer"],
      slots: { domain: "lock", state: "unlocked" },
      reply: "Wohnungstür",
    },
    {
      text: "welche Ventilatoren laufen",
      intent: "HassGetState",
      targets: ["fan.deckenventilator", "fan.standventilator"],
      slots: { domain: "fan", state: "on" },
      reply: "Standventilator",
    },
    // The robot vacuum's state.
    { text: "was macht Robbie gerade", intent: "HassGetState", targets: ["vacuum.robbie"] },
    {
      text: "ist Robbie in der Ladestation",
      intent: "HassGetState",
      targets: ["vacuum.robbie"],
      slots: { state: "docked" },
      reply: "Ja",
    },
  ])("“$text”", check);

  test.each([
    "die Bewegung tut mir gut",
    "der Rauchmelder hängt im Flur",
    "wie hoch ist der Eiffelturm",
    "was zeigt das Fernsehprogramm heute",
  ])("“%s” is no question about the home", refused);
});

describeSentences(
  "switching, opening and closing",
  [
    // A kind of cover said is its device class: the curtain, not the shutter beside it.
    {
      text: "schließ die Vorhänge",
      intent: "HassTurnOff",
      targets: ["cover.vorhang"],
      slots: { domain: "cover", device_class: "curtain", area: "Wohnküche" },
    },
    {
      text: "mach die Rollläden in der Wohnküche runter",
      intent: "HassTurnOff",
      targets: ["cover.kuechenrollladen"],
      slots: { device_class: "shutter" },
    },
    { text: "lass hier die Rollläden hoch", intent: "HassTurnOn", targets: ["cover.kuechenrollladen"] },
    {
      text: "öffne die Rollläden hier",
      area: "Schlafzimmer",
      intent: "HassTurnOn",
      targets: ["cover.rollo_schlafzimmer"],
    },
    {
      text: "öffne das Fenster im Bad",
      intent: "HassTurnOn",
      targets: ["cover.dachfenster"],
      slots: { device_class: "window", area: "Bad" },
    },
    { text: "schließe die Vorhänge im Erdgeschoss", intent: "HassTurnOff", targets: ["cover.vorhang"] },
    // The polite "Sie": after the verb, or "würden Sie" before the command.
    { text: "schließen Sie den Vorhang", intent: "HassTurnOff", targets: ["cover.vorhang"] },
    {
      text: "würden Sie das Licht im Bad einschalten",
      intent: "HassTurnOn",
      targets: ["light.spiegellicht"],
    },
    { text: "schalten Sie die Lichterkette aus", intent: "HassTurnOff", targets: ["light.lichterkette"] },
    // Scripts and scenes by the word before the name or with the verb last.
    { text: "starte das Skript Feierabend", intent: "HassTurnOn", targets: ["script.feierabend"] },
    { text: "Feierabend starten", intent: "HassTurnOn", targets: ["script.feierabend"] },
    { text: "starte Feierabend", intent: "HassTurnOn", targets: ["script.feierabend"] },
    { text: "Szene Lesestunde aktivieren", intent: "HassTurnOn", targets: ["scene.lesestunde"] },
    { text: "Lesestunde aktivieren", intent: "HassTurnOn", targets: ["scene.lesestunde"] },
    // Valves turned on and off.
    {
      text: "dreh das Gartenventil auf",
      intent: "HassTurnOn",
      targets: ["valve.gartenventil"],
      slots: { domain: "valve" },
    },
    { text: "schalte das Gießwasser ein", intent: "HassTurnOn", targets: ["valve.gartenventil"] },
    { text: "Gartenventil zudrehen", intent: "HassTurnOff", targets: ["valve.gartenventil"] },
    // An awning let out is opened, taken in is closed.
    { text: "fahr die Markise aus", intent: "HassTurnOn", targets: ["cover.markise"] },
    { text: "Markise einfahren", intent: "HassTurnOff", targets: ["cover.markise"] },
    // Said of the whole home, the same words are its shutters: not the awning, the curtain or the
    // roof window.
    {
      text: "alle Rollläden hoch",
      intent: "HassTurnOn",
      targets: ["cover.rollo_schlafzimmer", "cover.kuechenrollladen"],
    },
  ],
  ["die Vorhänge sind neu", "das Skript war zu lang", "sie fahren morgen aus"],
);

describeSentences("media and broadcasts", [
  // "spiel das nächste Lied" skips; it is no search for the words "das nächste Lied".
  { text: "spiel das nächste Lied", intent: "HassMediaNext", targets: ["media_player.radio"] },
  { text: "spiel das vorherige Lied", intent: "HassMediaPrevious", targets: ["media_player.radio"] },
  {
    text: "stell das Radio auf Lautstärke 35",
    intent: "HassSetVolume",
    targets: ["media_player.radio"],
    slots: { volume_level: 35 },
  },
  // The kind of media said is its media_class, not part of what is searched for.
  {
    text: "spiel das Album Abbey Road",
    intent: "HassMediaSearchAndPlay",
    targets: ["media_player.radio"],
    slots: { media_class: "album", search_query: "Abbey Road" },
  },
  {
    text: "spiele die Playlist Kochmusik auf dem Radio",
    intent: "HassMediaSearchAndPlay",
    targets: ["media_player.radio"],
    slots: { media_class: "playlist", search_query: "Kochmusik" },
  },
  {
    text: "spiel den Künstler Nena",
    intent: "HassMediaSearchAndPlay",
    slots: { media_class: "artist", search_query: "Nena" },
  },
  {
    text: "spiel Nena",
    intent: "HassMediaSearchAndPlay",
    slots: { search_query: "Nena" },
    absent: ["media_class"],
  },
  {
    text: "mach eine Durchsage an alle dass der Kuchen fertig ist",
    intent: "HassBroadcast",
    slots: { message: "der Kuchen fertig ist" },
  },
]);

describeSentences(
  "brightness, colour, temperature and positions",
  [
    // Said without a name or place: the lights where the speaker is, not the whole home.
    {
      text: "stell die Helligkeit auf 40 Prozent",
      intent: "HassLightSet",
      targets: ["light.esstischlampe", "light.herdlicht"],
      slots: { brightness: 40, area: "Wohnküche" },
    },
    {
      text: "stell die Helligkeit oben auf 30 Prozent",
      intent: "HassLightSet",
      targets: ["light.leselampe", "light.spiegellicht"],
      slots: { brightness: 30, floor: "Dachgeschoss" },
    },
    {
      text: "setz die Helligkeit von der Leselampe auf 60 Prozent",
      intent: "HassLightSet",
      targets: ["light.leselampe"],
      slots: { brightness: 60 },
    },
    {
      text: "mach das Licht hier blau",
      area: "Schlafzimmer",
      intent: "HassLightSet",
      targets: ["light.leselampe"],
      slots: { color: "blue" },
    },
    {
      text: "mach das Gästezimmer rot",
      intent: "HassLightSet",
      targets: ["light.gaestelicht"],
      slots: { color: "red", area: "Gästezimmer" },
    },
    // A place and degrees, with no verb or with "warm".
    {
      text: "Bad auf 23 Grad",
      intent: "HassClimateSetTemperature",
      targets: ["climate.heizkoerper"],
      slots: { temperature: 23 },
    },
    { text: "im Bad 21 Grad", intent: "HassClimateSetTemperature", targets: ["climate.heizkoerper"] },
    {
      text: "mach es im Bad 24 Grad warm",
      intent: "HassClimateSetTemperature",
      targets: ["climate.heizkoerper"],
      slots: { temperature: 24 },
    },
    {
      text: "stell die Heizung hier auf 20 Grad",
      area: "Bad",
      intent: "HassClimateSetTemperature",
      targets: ["climate.heizkoerper"],
      slots: { temperature: 20 },
    },
    // Positions: a valve's, and covers of one kind in a room.
    {
      text: "stell das Gartenventil auf 30 Prozent",
      intent: "HassSetPosition",
      targets: ["valve.gartenventil"],
      slots: { position: 30 },
    },
    {
      text: "fahr die Vorhänge in der Wohnküche auf 50 Prozent",
      intent: "HassSetPosition",
      targets: ["cover.vorhang"],
      slots: { position: 50, device_class: "curtain" },
    },
    // Time and date asked inside a question.
    { text: "kannst du mir sagen wie spät es ist", intent: "HassGetCurrentTime" },
    { text: "kannst du mir die Uhrzeit sagen", intent: "HassGetCurrentTime" },
    { text: "welchen Tag haben wir", intent: "HassGetCurrentDate" },
  ],
  ["die Helligkeit ist angenehm", "das Gästezimmer ist rot gestrichen", "das nächste Lied war besser"],
);

describeSentences(
  "lists, the vacuum and a room's lights in one word",
  [
    // A list's name and "Liste" in one word; items ticked off.
    {
      text: "setz Schrauben auf die Baumarktliste",
      intent: "HassListAddItem",
      targets: ["todo.baumarkt"],
      slots: { item: "Schrauben", name: "Baumarkt" },
    },
    {
      text: "streich Schrauben von der Baumarktliste",
      intent: "HassListCompleteItem",
      targets: ["todo.baumarkt"],
      slots: { item: "Schrauben", name: "Baumarkt" },
    },
    {
      text: "markiere Dübel auf der Baumarkt Liste als erledigt",
      intent: "HassListCompleteItem",
      targets: ["todo.baumarkt"],
      slots: { item: "Dübel" },
    },
    {
      text: "hak Butter auf der Einkaufsliste ab",
      intent: "HassShoppingListCompleteItem",
      slots: { item: "Butter" },
    },
    {
      text: "markiere Butter als gekauft",
      intent: "HassShoppingListCompleteItem",
      slots: { item: "Butter" },
    },
    // The vacuum sent back.
    { text: "lass Robbie zurückfahren", intent: "HassVacuumReturnToBase", targets: ["vacuum.robbie"] },
    {
      text: "den Sauger zur Ladestation zurückfahren lassen",
      intent: "HassVacuumReturnToBase",
      targets: ["vacuum.robbie"],
    },
    // "das Badlicht": every light of the Bad; a device's own name stays that device.
    {
      text: "mach das Badlicht an",
      intent: "HassTurnOn",
      targets: ["light.spiegellicht"],
      slots: { area: "Bad", domain: "light" },
    },
    { text: "schalte das Schlafzimmerlicht aus", intent: "HassTurnOff", targets: ["light.leselampe"] },
    {
      text: "Wohnküchenlampen aus",
      intent: "HassTurnOff",
      targets: ["light.esstischlampe", "light.herdlicht"],
    },
    { text: "mach das Herdlicht an", intent: "HassTurnOn", targets: ["light.herdlicht"] },
  ],
  ["das Badlicht ist kaputt", "die Baumarktliste ist lang", "Butter ist erledigt"],
);

describeSentences(
  "a timer's name in one word, the time and a thermostat's temperature",
  [
    {
      text: "stell einen Teetimer auf vier Minuten",
      intent: "HassStartTimer",
      slots: { name: "tee", minutes: 4 },
    },
    {
      text: "zieh zwei Minuten vom Kuchentimer ab",
      intent: "HassDecreaseTimer",
      slots: { name: "kuchen", minutes: 2 },
    },
    {
      text: "verlängere den Eierwecker um eine Minute",
      intent: "HassIncreaseTimer",
      slots: { name: "eier", minutes: 1 },
    },
    { text: "brich den Küchentimer ab", intent: "HassCancelTimer", absent: ["name"] },
    { text: "Timer plus fünf Minuten", intent: "HassIncreaseTimer", slots: { minutes: 5 } },
    { text: "erhöhe den Timer um drei Minuten", intent: "HassIncreaseTimer", slots: { minutes: 3 } },
    {
      text: "der Tee Timer soll zwei Minuten länger laufen",
      intent: "HassIncreaseTimer",
      slots: { name: "Tee", minutes: 2 },
    },
    { text: "reduziere den Timer um eine Minute", intent: "HassDecreaseTimer", slots: { minutes: 1 } },
    { text: "wie spät haben wir es", intent: "HassGetCurrentTime" },
    { text: "was ist die Uhrzeit", intent: "HassGetCurrentTime" },
    { text: "wie spät ist es jetzt genau", intent: "HassGetCurrentTime" },
    { text: "was sagt die Uhr", intent: "HassGetCurrentTime" },
    {
      text: "was ist die Temperatur des Heizkörpers",
      intent: "HassClimateGetTemperature",
      targets: ["climate.heizkoerper"],
    },
    {
      text: "welche Temperatur hat der Heizkörper",
      intent: "HassClimateGetTemperature",
      targets: ["climate.heizkoerper"],
    },
  ],
  ["die Zeit ist um", "ich habe keine Zeit", "der Teetimer war ein Geschenk"],
);

// Home Assistant's relative volume: "up" and "down" are the player's own step, a number of
// percent a signed step; the pack has neither the sentences nor a response for them.
describeSentences(
  "the volume a step up or down, and muting",
  [
    {
      text: "dreh das Radio ein wenig lauter",
      intent: "HassSetVolumeRelative",
      targets: ["media_player.radio"],
      slots: { volume_step: "up" },
      reply: "Lautstärke erhöht",
    },
    {
      text: "noch etwas leiser",
      intent: "HassSetVolumeRelative",
      targets: ["media_player.radio"],
      slots: { volume_step: "down" },
      reply: "Lautstärke verringert",
    },
    { text: "Lautstärke rauf", intent: "HassSetVolumeRelative", slots: { volume_step: "up" } },
    {
      text: "mach die Lautstärke hier runter",
      intent: "HassSetVolumeRelative",
      slots: { volume_step: "down" },
    },
    {
      text: "senke bitte die Lautstärke vom Radio",
      intent: "HassSetVolumeRelative",
      targets: ["media_player.radio"],
      slots: { volume_step: "down", name: "Radio" },
    },
    { text: "Lautstärke anheben", intent: "HassSetVolumeRelative", slots: { volume_step: "up" } },
    { text: "die Musik ist mir zu laut", intent: "HassSetVolumeRelative", slots: { volume_step: "down" } },
    { text: "das Radio ist viel zu leise", intent: "HassSetVolumeRelative", slots: { volume_step: "up" } },
    {
      text: "stell das Radio um 15 Prozent leiser",
      intent: "HassSetVolumeRelative",
      targets: ["media_player.radio"],
      slots: { volume_step: -15 },
      absent: ["volume_level", "volume_direction"],
      reply: "Lautstärke um 15 Prozent verringert",
    },
    {
      text: "erhöhe die Lautstärke um zwanzig Prozent",
      intent: "HassSetVolumeRelative",
      slots: { volume_step: 20 },
    },
    // A level said stays a level.
    {
      text: "die Lautstärke vom Radio auf 45 Prozent",
      intent: "HassSetVolume",
      targets: ["media_player.radio"],
      slots: { volume_level: 45 },
    },
    {
      text: "schalte das Radio stumm",
      intent: "HassMediaPlayerMute",
      targets: ["media_player.radio"],
      reply: "Stummgeschaltet",
    },
    { text: "stumm schalten", intent: "HassMediaPlayerMute", targets: ["media_player.radio"] },
    { text: "den Ton ausmachen", intent: "HassMediaPlayerMute", targets: ["media_player.radio"] },
    {
      text: "mach den Ton am Radio wieder an",
      intent: "HassMediaPlayerUnmute",
      targets: ["media_player.radio"],
      reply: "Ton wieder an",
    },
    { text: "hebe die Stummschaltung auf", intent: "HassMediaPlayerUnmute", targets: ["media_player.radio"] },
  ],
  [
    "die Nachbarn sind zu laut",
    "es ist so laut heute",
    "das Gewitter wird lauter",
    "der Ton macht die Musik",
    "sie blieb stumm",
    "leise rieselt der Schnee",
  ],
);

describe("replies the pack has no words for", () => {
  const home = actingHome();

  function reply(text: string): string {
    const r = home.understand(text);
    expect(r.understanding.kind, describeResult(r.understanding)).toBe("recognized");
    return r.reply;
  }

  test("an item ticked off the shopping list is said so, in German", () => {
    expect(reply("schreib Äpfel auf die Einkaufsliste")).toBe("Äpfel hinzugefügt");
    expect(reply("streich Äpfel von der Einkaufsliste")).toBe("Äpfel abgehakt");
    const shopping = home.lists.lists().find((l) => l.id === "todo.shopping_list");
    expect(shopping?.items.map((i) => [i.summary, i.status])).toEqual([["Äpfel", "completed"]]);
  });

  test("an item that is not on a list is named, not an unexpected error", () => {
    expect(reply("hak Birnen auf der Einkaufsliste ab")).toBe(
      "Ich finde Birnen nicht auf der Einkaufsliste.",
    );
    expect(reply("streich Dübel von der Baumarktliste")).toBe(
      "Ich finde Dübel nicht auf der Liste Baumarkt.",
    );
  });

  test("toggling and never-mind keep to German (or silence)", () => {
    expect(reply("schalte den Toaster um")).toBe("Umgeschaltet");
    expect(reply("ach, vergiss es")).toBe("");
  });
});

describeSentences(
  "time taken off and added in everyday words, and a timer known by its length",
  [
    // The verb last, "weniger" and "früher", a bare "ab", halves.
    { text: "den Timer um vier Minuten kürzer stellen", intent: "HassDecreaseTimer", slots: { minutes: 4 } },
    {
      text: "den Kuchen Timer um acht Minuten senken",
      intent: "HassDecreaseTimer",
      slots: { name: "Kuchen", minutes: 8 },
    },
    { text: "drei Minuten weniger auf der Eieruhr", intent: "HassDecreaseTimer", slots: { minutes: 3 } },
    {
      text: "der Timer soll eine Minute früher klingeln",
      intent: "HassDecreaseTimer",
      slots: { minutes: 1 },
    },
    { text: "kürze den Timer um eine halbe Minute", intent: "HassDecreaseTimer", slots: { seconds: 30 } },
    {
      text: "lösche sechs Minuten vom Tee Timer",
      intent: "HassDecreaseTimer",
      slots: { name: "Tee", minutes: 6 },
    },
    { text: "senk die Restzeit um zwanzig Sekunden", intent: "HassDecreaseTimer", slots: { seconds: 20 } },
    { text: "stell den Timer drei Minuten zurück", intent: "HassDecreaseTimer", slots: { minutes: 3 } },
    { text: "zieh noch zehn Sekunden ab", intent: "HassDecreaseTimer", slots: { seconds: 10 } },
    { text: "den Timer um sieben Minuten verlängern", intent: "HassIncreaseTimer", slots: { minutes: 7 } },
    {
      text: "verlängere den Timer um eine Viertelstunde",
      intent: "HassIncreaseTimer",
      slots: { minutes: 15 },
    },
    { text: "zwei Minuten mehr auf den Timer", intent: "HassIncreaseTimer", slots: { minutes: 2 } },
    {
      text: "lass den Eier Timer eine Minute später klingeln",
      intent: "HassIncreaseTimer",
      slots: { name: "Eier", minutes: 1 },
    },
    // Which timer, by the length it was set to: not a timer named "zwölf Minuten".
    {
      text: "zieh zwei Minuten vom zwölf Minuten Timer ab",
      intent: "HassDecreaseTimer",
      slots: { start_minutes: 12, minutes: 2 },
      absent: ["name"],
    },
    {
      text: "brich den Timer über zwanzig Minuten ab",
      intent: "HassCancelTimer",
      slots: { start_minutes: 20 },
      absent: ["name"],
    },
    {
      text: "pausiere den 3 Stunden Timer",
      intent: "HassPauseTimer",
      slots: { start_hours: 3 },
      absent: ["name"],
    },
    // Stopping and asking, in fewer words.
    { text: "Eieruhr stopp", intent: "HassCancelTimer" },
    { text: "wie lange hat der Tee Timer noch", intent: "HassTimerStatus", slots: { name: "Tee" } },
    { text: "wie viele Minuten bleiben noch", intent: "HassTimerStatus" },
    { text: "welche Timer laufen gerade", intent: "HassTimerStatus" },
    { text: "läuft die Eieruhr noch", intent: "HassTimerStatus" },
  ],
  ["zehn Minuten weniger Schlaf", "die Zeit läuft mir davon", "wir haben noch zwei Minuten"],
);

describeSentences(
  "never mind, said in other words",
  [
    { text: "Kommando zurück", intent: "HassNevermind", reply: "" },
    { text: "ich habe mich versprochen", intent: "HassNevermind" },
    { text: "ignoriere das", intent: "HassNevermind" },
    { text: "dich meinte ich nicht", intent: "HassNevermind" },
    { text: "vergessen Sie das bitte", intent: "HassNevermind" },
    { text: "danke, das war's", intent: "HassNevermind" },
  ],
  ["ich rede gerade mit meiner Frau", "das war ein schöner Test", "vergiss nicht die Milch"],
);

describeSentences(
  "brightness said with the level's word last, and too bright or too dark",
  [
    {
      text: "stell die Leselampe auf 60 Prozent Helligkeit",
      intent: "HassLightSet",
      targets: ["light.leselampe"],
      slots: { brightness: 60 },
    },
    {
      text: "dimm das Spiegellicht auf fünfzehn Prozent runter",
      intent: "HassLightSet",
      targets: ["light.spiegellicht"],
      slots: { brightness: 15 },
    },
    {
      text: "die Helligkeit im Schlafzimmer etwas runter",
      intent: "HassLightSet",
      targets: ["light.leselampe"],
      slots: { brightness: 75 },
    },
    { text: "weniger Licht im Schlafzimmer", intent: "HassLightSet", targets: ["light.leselampe"] },
    {
      text: "die Leselampe ist mir zu hell",
      intent: "HassLightSet",
      targets: ["light.leselampe"],
      slots: { brightness: 75 },
    },
    { text: "das Licht im Schlafzimmer ist zu hell", intent: "HassLightSet", targets: ["light.leselampe"] },
  ],
  ["die Sonne ist zu hell", "der Flur ist mir zu dunkel gestrichen", "weniger ist mehr"],
);
