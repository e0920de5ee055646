import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../../src/core/clock.js";
import type { Slots } from "../../../src/intents/types.js";
import { ActingUnderstanding, packSentences } from "../../helpers/understanding.js";
import { packHome } from "./homes.js";

/**
 * Every intent of Home Assistant's English and German packs (../shared/ha-intents, CC BY 4.0, the
 * Home Assistant intents project), in sentences written here the way the packs' templates allow
 * them, on one home of every kind of device: each is understood as its intent with its slots, acts on
 * the right devices, is carried out where Hearth carries it out itself (lists, timers, broadcasts,
 * media searches), and is answered in the pack's language. Rows run in order: the timer sentences
 * act on the timer the first one started.
 */
type Row = [text: string, area: string | null, intent: string, slots: Slots, targets: string[] | null];

const EN: Row[] = [
  ["turn on the reading lamp", null, "HassTurnOn", { name: "Reading Lamp" }, ["light.reading_lamp"]],
  ["switch off the coffee maker", null, "HassTurnOff", { name: "Coffee Maker" }, ["switch.coffee_maker"]],
  [
    "turn off the lights in the bedroom",
    null,
    "HassTurnOff",
    { area: "Bedroom", domain: "light" },
    ["light.bed_light"],
  ],
  ["lights off", "Office", "HassTurnOff", { area: "Office", domain: "light" }, ["light.desk_lamp"]],
  ["turn on the ceiling fan", null, "HassTurnOn", { name: "Ceiling Fan" }, ["fan.ceiling_fan"]],
  ["open the garage door", null, "HassTurnOn", { name: "Garage Door" }, ["cover.garage_door"]],
  [
    "close the curtains in the living room",
    null,
    "HassTurnOff",
    { name: "Curtains", area: "Living Room" },
    ["cover.curtains"],
  ],
  ["lock the front door lock", null, "HassTurnOn", { name: "Front Door Lock" }, ["lock.front_door"]],
  ["unlock the front door lock", null, "HassTurnOff", { name: "Front Door Lock" }, ["lock.front_door"]],
  ["open the water main", null, "HassTurnOn", { name: "Water Main" }, ["valve.water_main"]],
  ["close the water main", null, "HassTurnOff", { name: "Water Main" }, ["valve.water_main"]],
  ["activate movie time", null, "HassTurnOn", { name: "Movie Time" }, ["scene.movie_time"]],
  ["run good night", null, "HassTurnOn", { name: "Good Night" }, ["script.good_night"]],
  [
    "set the reading lamp brightness to 30%",
    null,
    "HassLightSet",
    { name: "Reading Lamp", brightness: 30 },
    ["light.reading_lamp"],
  ],
  ["make the bed light red", null, "HassLightSet", { name: "Bed Light", color: "red" }, ["light.bed_light"]],
  [
    "set the office blind to 40%",
    null,
    "HassSetPosition",
    { name: "Office Blind", position: 40 },
    ["cover.office_blind"],
  ],
  [
    "set the water main position to 25%",
    null,
    "HassSetPosition",
    { name: "Water Main", position: 25 },
    ["valve.water_main"],
  ],
  [
    "set the temperature to 22 degrees",
    null,
    "HassClimateSetTemperature",
    { temperature: 22 },
    ["climate.thermostat"],
  ],
  [
    "what is the temperature in the living room",
    null,
    "HassClimateGetTemperature",
    { area: "Living Room" },
    ["climate.thermostat"],
  ],
  ["start the robot vacuum", null, "HassVacuumStart", { name: "Robot Vacuum" }, ["vacuum.robot"]],
  [
    "send the robot vacuum back to the dock",
    null,
    "HassVacuumReturnToBase",
    { name: "Robot Vacuum" },
    ["vacuum.robot"],
  ],
  ["pause the tv", null, "HassMediaPause", { name: "TV" }, ["media_player.tv"]],
  ["resume the tv", null, "HassMediaUnpause", { name: "TV" }, ["media_player.tv"]],
  ["next track on the tv", null, "HassMediaNext", { name: "TV" }, ["media_player.tv"]],
  ["previous song", "Living Room", "HassMediaPrevious", { area: "Living Room" }, ["media_player.tv"]],
  ["set the tv volume to 30%", null, "HassSetVolume", { name: "TV", volume_level: 30 }, ["media_player.tv"]],
  [
    "set the volume to 20%",
    "Kitchen",
    "HassSetVolume",
    { area: "Kitchen", volume_level: 20 },
    ["media_player.speaker"],
  ],
  [
    "play miles davis on the tv",
    null,
    "HassMediaSearchAndPlay",
    { name: "TV", search_query: "miles davis" },
    ["media_player.tv"],
  ],
  [
    "play the album kind of blue in the kitchen",
    null,
    "HassMediaSearchAndPlay",
    { area: "Kitchen", search_query: "kind of blue", media_class: "album" },
    ["media_player.speaker"],
  ],
  ["what is the weather", null, "HassGetWeather", {}, ["weather.home"]],
  [
    "what is the weather like in the forecast",
    null,
    "HassGetWeather",
    { name: "Forecast" },
    ["weather.home"],
  ],
  ["what time is it", null, "HassGetCurrentTime", {}, null],
  ["what is the date today", null, "HassGetCurrentDate", {}, null],
  ["never mind", null, "HassNevermind", {}, null],
  ["hello", null, "HassRespond", {}, null],
  ["broadcast the car is here", null, "HassBroadcast", { message: "the car is here" }, null],
  [
    // The to-do list that is the shopping list is asked of with the shopping-list intent.
    "add bananas to my shopping list",
    null,
    "HassShoppingListAddItem",
    { item: "bananas" },
    ["todo.shopping_list"],
  ],
  ["put eggs on my list", null, "HassShoppingListAddItem", { item: "eggs" }, null],
  ["check off eggs from my list", null, "HassShoppingListCompleteItem", { item: "eggs" }, null],
  [
    "add vacuum the stairs to my chores list",
    null,
    "HassListAddItem",
    { item: "vacuum the stairs", name: "Chores" },
    ["todo.chores"],
  ],
  [
    "check off vacuum the stairs from my chores list",
    null,
    "HassListCompleteItem",
    { item: "vacuum the stairs", name: "Chores" },
    ["todo.chores"],
  ],
  ["set a timer for 10 minutes", null, "HassStartTimer", { minutes: 10 }, null],
  ["set a pizza timer for 12 minutes", null, "HassStartTimer", { minutes: 12, name: "pizza" }, null],
  ["how much time is left on the pizza timer", null, "HassTimerStatus", { name: "pizza" }, null],
  ["add 5 minutes to the pizza timer", null, "HassIncreaseTimer", { minutes: 5, name: "pizza" }, null],
  ["remove 2 minutes from the pizza timer", null, "HassDecreaseTimer", { minutes: 2, name: "pizza" }, null],
  ["pause the pizza timer", null, "HassPauseTimer", { name: "pizza" }, null],
  ["resume the pizza timer", null, "HassUnpauseTimer", { name: "pizza" }, null],
  ["cancel the pizza timer", null, "HassCancelTimer", { name: "pizza" }, null],
  ["cancel all timers", null, "HassCancelAllTimers", {}, null],
  [
    "is the reading lamp on",
    null,
    "HassGetState",
    { name: "Reading Lamp", state: "on" },
    ["light.reading_lamp"],
  ],
  [
    "which lights are on",
    null,
    "HassGetState",
    { domain: "light", state: "on" },
    ["light.bed_light", "light.desk_lamp", "light.kitchen_ceiling", "light.mirror", "light.reading_lamp"],
  ],
  [
    "how many lights are off",
    null,
    "HassGetState",
    { domain: "light", state: "off" },
    ["light.bed_light", "light.desk_lamp", "light.kitchen_ceiling", "light.mirror", "light.reading_lamp"],
  ],
  [
    "are any lights on in the kitchen",
    null,
    "HassGetState",
    { domain: "light", state: "on", area: "Kitchen" },
    ["light.kitchen_ceiling"],
  ],
  ["are all the lights off", null, "HassGetState", { domain: "light", state: "off" }, null],
  [
    "is the garage door closed",
    null,
    "HassGetState",
    { name: "Garage Door", state: "closed" },
    ["cover.garage_door"],
  ],
  [
    "which blinds are open",
    null,
    "HassGetState",
    { device_class: "blind", state: "open" },
    ["cover.office_blind"],
  ],
  [
    "is the front door lock locked",
    null,
    "HassGetState",
    { name: "Front Door Lock", state: "locked" },
    ["lock.front_door"],
  ],
  ["are any doors unlocked", null, "HassGetState", { domain: "lock", state: "unlocked" }, null],
  [
    "is the back door open",
    null,
    "HassGetState",
    { name: "Back Door", state: "on" },
    ["binary_sensor.back_door"],
  ],
  ["which windows are open", null, "HassGetState", { device_class: "window" }, null],
  [
    "is there any motion in the living room",
    null,
    "HassGetState",
    { device_class: "motion", state: "on", area: "Living Room" },
    ["binary_sensor.hall_motion"],
  ],
  [
    "is the phone battery low",
    null,
    "HassGetState",
    { name: "Phone", state: "on" },
    ["binary_sensor.phone_battery"],
  ],
  [
    "is the phone charger charging",
    null,
    "HassGetState",
    { name: "Phone Charger", state: "on" },
    ["binary_sensor.phone_charging"],
  ],
  [
    "is there any smoke in the kitchen",
    null,
    "HassGetState",
    { device_class: "smoke", state: "on", area: "Kitchen" },
    ["binary_sensor.smoke"],
  ],
  // The pack's reading, as in Home Assistant, though Hearth's own sentences would take it for the weather.
  ["is it wet", null, "HassGetState", { device_class: "moisture", state: "on" }, ["binary_sensor.leak"]],
  [
    "is the leak sensor wet",
    null,
    "HassGetState",
    { name: "Leak Sensor", state: "on" },
    ["binary_sensor.leak"],
  ],
  [
    "what is the outside temperature",
    null,
    "HassGetState",
    { name: "Outside Temperature" },
    ["sensor.outside_temperature"],
  ],
  [
    "what is the bathroom humidity",
    null,
    "HassGetState",
    { name: "Bathroom Humidity" },
    ["sensor.bathroom_humidity"],
  ],
  ["where is alice", null, "HassGetState", { name: "Alice" }, ["person.alice"]],
  ["is alice home", null, "HassGetState", { name: "Alice", state: "home" }, ["person.alice"]],
];

const DE: Row[] = [
  ["schalte die Leselampe ein", null, "HassTurnOn", { name: "Leselampe" }, ["light.reading_lamp"]],
  [
    "schalte die Kaffeemaschine aus",
    null,
    "HassTurnOff",
    { name: "Kaffeemaschine" },
    ["switch.coffee_maker"],
  ],
  [
    "schalte das Licht im Schlafzimmer aus",
    null,
    "HassTurnOff",
    { area: "Schlafzimmer", domain: "light" },
    ["light.bed_light"],
  ],
  ["mach das Licht aus", "B\u00fcro", "HassTurnOff", { area: "Büro", domain: "light" }, ["light.desk_lamp"]],
  ["schalte den Ventilator ein", null, "HassTurnOn", { name: "Ventilator" }, ["fan.ceiling_fan"]],
  ["öffne das Garagentor", null, "HassTurnOn", { name: "Garagentor" }, ["cover.garage_door"]],
  [
    "schließe den Vorhang im Wohnzimmer",
    null,
    "HassTurnOff",
    { domain: "cover", area: "Wohnzimmer" },
    ["cover.curtains"],
  ],
  ["schließe das Haustürschloss ab", null, "HassTurnOn", { name: "Haustürschloss" }, ["lock.front_door"]],
  ["schließe das Haustürschloss auf", null, "HassTurnOff", { name: "Haustürschloss" }, ["lock.front_door"]],
  ["öffne den Hauptwasserhahn", null, "HassTurnOn", { name: "Hauptwasserhahn" }, ["valve.water_main"]],
  ["schließe den Hauptwasserhahn", null, "HassTurnOff", { name: "Hauptwasserhahn" }, ["valve.water_main"]],
  ["aktiviere Filmabend", null, "HassTurnOn", { name: "Filmabend" }, ["scene.movie_time"]],
  ["führe Gute Nacht aus", null, "HassTurnOn", { name: "Gute Nacht" }, ["script.good_night"]],
  [
    "setze die Helligkeit der Leselampe auf 30 Prozent",
    null,
    "HassLightSet",
    { name: "Leselampe", brightness: 30 },
    ["light.reading_lamp"],
  ],
  ["färbe Bettlicht rot", null, "HassLightSet", { name: "Bettlicht", color: "red" }, ["light.bed_light"]],
  [
    "setze die Position von Rollo auf 40 Prozent",
    null,
    "HassSetPosition",
    { name: "Rollo", position: 40 },
    ["cover.office_blind"],
  ],
  [
    "stelle die Temperatur auf 22 Grad",
    null,
    "HassClimateSetTemperature",
    { temperature: 22 },
    ["climate.thermostat"],
  ],
  [
    "wie warm ist es im Wohnzimmer",
    null,
    "HassClimateGetTemperature",
    { area: "Wohnzimmer" },
    ["climate.thermostat"],
  ],
  ["starte den Staubsauger", null, "HassVacuumStart", { name: "Staubsauger" }, ["vacuum.robot"]],
  [
    "schicke den Staubsauger zurück zur Basis",
    null,
    "HassVacuumReturnToBase",
    { name: "Staubsauger" },
    ["vacuum.robot"],
  ],
  ["pausiere den Fernseher", null, "HassMediaPause", { name: "Fernseher" }, ["media_player.tv"]],
  ["Fernseher fortsetzen", null, "HassMediaUnpause", { name: "Fernseher" }, ["media_player.tv"]],
  ["nächstes Lied am Fernseher", null, "HassMediaNext", { name: "Fernseher" }, ["media_player.tv"]],
  ["vorheriges Lied", "Wohnzimmer", "HassMediaPrevious", { area: "Wohnzimmer" }, ["media_player.tv"]],
  [
    "setze die Lautstärke von Fernseher auf 30 Prozent",
    null,
    "HassSetVolume",
    { name: "Fernseher", volume_level: 30 },
    ["media_player.tv"],
  ],
  [
    "spiele Miles Davis auf dem Fernseher",
    null,
    "HassMediaSearchAndPlay",
    { name: "Fernseher", search_query: "Miles Davis" },
    ["media_player.tv"],
  ],
  [
    "spiele Jazz in der Küche",
    null,
    "HassMediaSearchAndPlay",
    { area: "Küche", search_query: "Jazz" },
    ["media_player.speaker"],
  ],
  ["wie ist das Wetter", null, "HassGetWeather", {}, ["weather.home"]],
  ["wie spät ist es", null, "HassGetCurrentTime", {}, null],
  ["welcher Tag ist heute", null, "HassGetCurrentDate", {}, null],
  ["vergiss es", null, "HassNevermind", {}, null],
  ["hallo", null, "HassRespond", {}, null],
  ["verkünde das Essen ist fertig", null, "HassBroadcast", { message: "das Essen ist fertig" }, null],
  [
    "füge Bananen zur Einkaufsliste hinzu",
    null,
    "HassShoppingListAddItem",
    { item: "Bananen" },
    ["todo.shopping_list"],
  ],
  [
    "setze Fenster putzen auf die Hausarbeit Liste",
    null,
    "HassListAddItem",
    { item: "Fenster putzen", name: "Hausarbeit" },
    ["todo.chores"],
  ],
  [
    "hake Fenster putzen von der Hausarbeit Liste ab",
    null,
    "HassListCompleteItem",
    { item: "Fenster putzen", name: "Hausarbeit" },
    ["todo.chores"],
  ],
  ["füge Eier zu meinem Einkauf hinzu", null, "HassShoppingListAddItem", { item: "Eier" }, null],
  ["Timer für 10 Minuten", null, "HassStartTimer", { minutes: 10 }, null],
  ["Timer für 12 Minuten für Pizza", null, "HassStartTimer", { minutes: 12, name: "Pizza" }, null],
  ["wie lange läuft der Timer noch", null, "HassTimerStatus", {}, null],
  ["verlängere den Timer um 5 Minuten", null, "HassIncreaseTimer", { minutes: 5 }, null],
  ["verkürze den Timer um 2 Minuten", null, "HassDecreaseTimer", { minutes: 2 }, null],
  ["pausiere den Timer", null, "HassPauseTimer", {}, null],
  ["setze den Timer fort", null, "HassUnpauseTimer", {}, null],
  ["stoppe den Timer", null, "HassCancelTimer", {}, null],
  ["stoppe alle Timer", null, "HassCancelAllTimers", {}, null],
  ["ist die Leselampe an", null, "HassGetState", { name: "Leselampe", state: "on" }, ["light.reading_lamp"]],
  [
    "welche Lichter sind an",
    null,
    "HassGetState",
    { domain: "light", state: "on" },
    ["light.bed_light", "light.desk_lamp", "light.kitchen_ceiling", "light.mirror", "light.reading_lamp"],
  ],
  [
    "wie viele Lichter sind aus",
    null,
    "HassGetState",
    { domain: "light", state: "off" },
    ["light.bed_light", "light.desk_lamp", "light.kitchen_ceiling", "light.mirror", "light.reading_lamp"],
  ],
  ["sind alle Lichter aus", null, "HassGetState", { domain: "light", state: "off" }, null],
  [
    "ist das Garagentor geschlossen",
    null,
    "HassGetState",
    { name: "Garagentor", state: "closed" },
    ["cover.garage_door"],
  ],
  [
    "ist das Haustürschloss verriegelt",
    null,
    "HassGetState",
    { name: "Haustürschloss", state: "locked" },
    ["lock.front_door"],
  ],
  [
    "ist die Hintertür offen",
    null,
    "HassGetState",
    { name: "Hintertür", state: "on" },
    ["binary_sensor.back_door"],
  ],
  [
    "ist der Akku vom Handy schwach",
    null,
    "HassGetState",
    { name: "Handy", state: "on" },
    ["binary_sensor.phone_battery"],
  ],
  [
    "wie ist die Außentemperatur",
    null,
    "HassGetState",
    { name: "Außentemperatur" },
    ["sensor.outside_temperature"],
  ],
  ["wo ist Alice", null, "HassGetState", { name: "Alice" }, ["person.alice"]],
  ["ist Alice zu Hause", null, "HassGetState", { name: "Alice", state: "home" }, ["person.alice"]],
];

/** Hearth's English fallback replies, which a German conversation must never hear. */
const ENGLISH = /\b(sorry|the|is|can't|done)\b/i;

describe.each([
  ["en", EN],
  ["de", DE],
] as const)("every intent of the %s pack", (language, rows) => {
  let home: ActingUnderstanding;
  let intents: Set<string>;

  beforeAll(async () => {
    const sentences = await packSentences(["../shared/ha-intents"], language);
    intents = sentences.packs?.intents ?? new Set();
    home = await ActingUnderstanding.open({
      sentences,
      registry: packHome(language),
      clock: fixedClock(new Date("2026-01-01T12:00:00Z")),
      prepare: (lists, registry) => {
        for (const e of registry.entities().filter((x) => x.domain === "todo")) lists.ensure(e.id, e.name);
      },
    });
  });

  afterAll(() => home?.close());

  it("has a sentence here for every intent the pack has", () => {
    const covered = new Set(rows.map((r) => r[2]));
    expect([...intents].filter((i) => !covered.has(i)).sort()).toEqual([]);
  });

  it.each(rows)("understands %j (area %s) as %s", (text, area, intent, slots, targets) => {
    const r = home.understand(text, { area: area ?? undefined });
    expect(r.understanding).toMatchObject({ kind: "recognized", intents: [{ name: intent }] });
    if (r.understanding.kind !== "recognized") return;
    const [got] = r.understanding.intents;
    for (const [k, v] of Object.entries(slots))
      expect(String(got?.slots[k]).toLowerCase()).toBe(String(v).toLowerCase());
    if (targets) expect(got?.targets).toEqual(targets);
    // "Never mind" is answered with silence, as in Home Assistant.
    if (intent !== "HassNevermind") expect(r.reply).not.toBe("");
    if (language === "de") expect(r.reply).not.toMatch(ENGLISH);
  });

  it("carried out what it does itself: lists, timers, broadcasts and media searches", () => {
    const items = (id: string) => home.lists.list(id)?.items.map((i) => [i.summary.toLowerCase(), i.status]);
    expect(items("todo.shopping_list")).toContainEqual([
      language === "en" ? "bananas" : "bananen",
      "needs_action",
    ]);
    if (language === "en") expect(items("todo.chores")).toEqual([["vacuum the stairs", "completed"]]);
    else expect(items("todo.chores")).toEqual([["fenster putzen", "completed"]]);
    expect(home.broadcasts).toEqual([language === "en" ? "the car is here" : "das Essen ist fertig"]);
    expect(home.media.map((m) => [m.search_query.toLowerCase(), m.targets])).toEqual([
      ["miles davis", ["media_player.tv"]],
      [language === "en" ? "kind of blue" : "jazz", ["media_player.speaker"]],
    ]);
    expect(new Set(home.timerEvents.map((e) => e.event))).toEqual(
      new Set(["started", "updated", "paused", "resumed", "cancelled"]),
    );
  });
});
