import { afterEach, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/core/clock.js";
import { actLocally, type Done, type IntentServices } from "../../src/intents/handlers.js";
import {
  type ReplyContext,
  replyForFailure,
  replyForIntent,
  replyForTimerFinished,
} from "../../src/intents/replies.js";
import { TimerManager } from "../../src/intents/timers.js";
import type { RecognizedIntent, Slots, Understanding } from "../../src/intents/types.js";
import { Registry } from "../../src/registry/registry.js";
import type { Entity } from "../../src/registry/types.js";

function entity(id: string, name: string, areaId: string | undefined, extra: Partial<Entity> = {}): Entity {
  return {
    id,
    name,
    domain: id.split(".")[0] as Entity["domain"],
    areaId,
    aliases: [],
    attributes: {},
    source: "config",
    ...extra,
  };
}

function home(): Registry {
  return new Registry({
    floors: [
      { id: "upstairs", name: "Upstairs", aliases: [] },
      { id: "first_floor", name: "First Floor", aliases: [] },
    ],
    areas: [
      { id: "kitchen", name: "Kitchen", floorId: undefined, aliases: [] },
      { id: "living_room", name: "Living Room", floorId: undefined, aliases: [] },
      { id: "bedroom", name: "Bedroom", floorId: "upstairs", aliases: [] },
    ],
    entities: [
      entity("light.kitchen", "Kitchen Light", "kitchen", { state: "on" }),
      entity("light.counter", "Counter Light", "kitchen", { state: "off" }),
      entity("light.living_lamp", "Lamp", "living_room", { state: "on" }),
      entity("light.bedroom_lamp", "Lamp", "bedroom", { state: "on" }),
      entity("light.fairy", "Fairy Lights", "living_room", { state: "on" }),
      entity("media_player.tv", "Living Room TV", "living_room", { state: "playing" }),
      entity("cover.blind", "Roller Blind", "bedroom", { deviceClass: "blind", state: "closed" }),
      entity("valve.water", "Water Valve", "kitchen", { state: "open" }),
      entity("lock.front", "Front Door", "living_room", { state: "locked" }),
      entity("scene.movie", "Movie Night", undefined),
      entity("script.goodnight", "Good Night", undefined),
      entity("climate.thermostat", "Thermostat", "living_room", {
        state: "heat",
        attributes: { current_temperature: 20.46, temperature: 21 },
      }),
      entity("sensor.kitchen_temp", "Kitchen Temperature", "kitchen", {
        deviceClass: "temperature",
        unit: "°C",
        state: "19.5",
      }),
      entity("sensor.kitchen_humidity", "Kitchen Humidity", "kitchen", {
        deviceClass: "humidity",
        unit: "%",
        state: "55",
      }),
      entity("binary_sensor.patio_door", "Patio Door", "living_room", { deviceClass: "door", state: "on" }),
      entity("vacuum.robo", "Roborock", "living_room", { state: "docked" }),
      entity("weather.home", "Forecast", undefined, {
        state: "partly_cloudy",
        attributes: { temperature: 17.96 },
      }),
      entity("weather.bare", "Bare Forecast", undefined, { state: "rainy" }),
      entity("person.alice", "Alice", undefined, { state: "not_home" }),
      entity("person.bob", "Bob", undefined, { state: "home" }),
      entity("switch.unknown", "Mystery Plug", "kitchen"),
    ],
  });
}

let timers: TimerManager | undefined;
afterEach(() => {
  timers?.cancelAll();
});

const clock = fixedClock(new Date(2024, 11, 25, 9, 7));

function context(customReplies: Record<string, string> = {}): ReplyContext {
  return { registry: home(), clock, customReplies: new Map(Object.entries(customReplies)) };
}

/** Timers for one test, cancelled after it. */
function newTimers(): TimerManager {
  timers = new TimerManager(clock);
  return timers;
}

/** The act step, then the reply: what the daemon does for one intent. */
function actAndReply(intent: RecognizedIntent, services: IntentServices, ctx = context()): string {
  return replyForIntent(intent, ctx, actLocally(intent, services));
}

const call = (name: string, slots: Slots, targets: string[] = []): RecognizedIntent => ({
  name,
  slots,
  targets,
});

describe("replyForIntent", () => {
  it.each<[string, RecognizedIntent, string]>([
    [
      "a device turned on",
      call("HassTurnOn", { name: "Kitchen Light" }, ["light.kitchen"]),
      "Turned on the kitchen light.",
    ],
    [
      "a device turned off",
      call("HassTurnOff", { name: "Kitchen Light" }, ["light.kitchen"]),
      "Turned off the kitchen light.",
    ],
    [
      "a device toggled",
      call("HassToggle", { name: "Kitchen Light" }, ["light.kitchen"]),
      "Toggled the kitchen light.",
    ],
    [
      "an acronym in a name",
      call("HassTurnOn", { name: "Living Room TV" }, ["media_player.tv"]),
      "Turned on the living room TV.",
    ],
    [
      "an area's lights",
      call("HassTurnOn", { domain: "light", area: "Kitchen" }, ["light.kitchen", "light.counter"]),
      "Turned on the lights in the kitchen.",
    ],
    [
      "a floor ending in 'stairs'",
      call("HassTurnOff", { domain: "light", floor: "Upstairs" }, ["light.bedroom_lamp"]),
      "Turned off the lights upstairs.",
    ],
    [
      "another floor",
      call("HassTurnOff", { domain: "light", floor: "First Floor" }, ["light.bedroom_lamp"]),
      "Turned off the lights on the first floor.",
    ],
    [
      "every light",
      call("HassTurnOff", { domain: "light" }, ["light.kitchen", "light.counter"]),
      "Turned off the lights.",
    ],
    [
      "a cover opened",
      call("HassTurnOn", { domain: "cover", name: "Roller Blind" }, ["cover.blind"]),
      "Opened the roller blind.",
    ],
    [
      "a cover closed",
      call("HassTurnOff", { domain: "cover", name: "Roller Blind" }, ["cover.blind"]),
      "Closed the roller blind.",
    ],
    [
      "covers of a class in an area",
      call("HassTurnOff", { domain: "cover", device_class: "blind", area: "Bedroom" }, ["cover.blind"]),
      "Closed the blinds in the bedroom.",
    ],
    [
      "a valve opened",
      call("HassTurnOn", { domain: "valve", name: "Water Valve" }, ["valve.water"]),
      "Opened the water valve.",
    ],
    [
      "a lock locked",
      call("HassTurnOn", { domain: "lock", name: "Front Door" }, ["lock.front"]),
      "Locked the front door.",
    ],
    [
      "a lock unlocked",
      call("HassTurnOff", { domain: "lock", name: "Front Door" }, ["lock.front"]),
      "Unlocked the front door.",
    ],
    ["a scene", call("HassTurnOn", { name: "Movie Night" }, ["scene.movie"]), "Activated movie night."],
    ["a script", call("HassTurnOn", { name: "Good Night" }, ["script.goodnight"]), "Started good night."],
    [
      "a brightness",
      call("HassLightSet", { name: "Kitchen Light", brightness: 40 }, ["light.kitchen"]),
      "Set the kitchen light to 40 percent.",
    ],
    [
      "a colour",
      call("HassLightSet", { domain: "light", area: "Kitchen", color: "warm white" }, [
        "light.kitchen",
        "light.counter",
      ]),
      "Set the lights in the kitchen to warm white.",
    ],
    [
      "a position",
      call("HassSetPosition", { name: "Roller Blind", position: 25 }, ["cover.blind"]),
      "Set the roller blind to 25 percent open.",
    ],
    [
      "a thermostat by name",
      call("HassClimateSetTemperature", { name: "Thermostat", temperature: 21.5 }, ["climate.thermostat"]),
      "Set the thermostat to 21.5 degrees.",
    ],
    [
      "several thermostats",
      call("HassClimateSetTemperature", { temperature: 19 }, []),
      "Set the temperature to 19 degrees.",
    ],
    [
      "the current temperature, rounded",
      call("HassClimateGetTemperature", {}, ["climate.thermostat"]),
      "It is 20.5 degrees in the living room.",
    ],
    ["no thermostat", call("HassClimateGetTemperature", {}, []), "I don't know the temperature there."],
    ["the time", call("HassGetCurrentTime", {}), "It is 9:07 AM."],
    ["the date", call("HassGetCurrentDate", {}), "Today is Wednesday, December 25, 2024."],
    ["never mind, with silence", call("HassNevermind", {}), ""],
    [
      "a paused player",
      call("HassMediaPause", { name: "Living Room TV" }, ["media_player.tv"]),
      "Paused the living room TV.",
    ],
    ["a resumed player", call("HassMediaUnpause", {}, ["media_player.tv"]), "Resumed the living room TV."],
    ["pausing no player in particular", call("HassMediaPause", {}, []), "Paused."],
    ["the next track", call("HassMediaNext", {}, ["media_player.tv"]), "Playing the next track."],
    ["the previous track", call("HassMediaPrevious", {}, ["media_player.tv"]), "Playing the previous track."],
    [
      "a volume",
      call("HassSetVolume", { volume_level: 35 }, ["media_player.tv"]),
      "Volume set to 35 percent.",
    ],
    ["a vacuum started", call("HassVacuumStart", {}, ["vacuum.robo"]), "Started Roborock."],
    ["a vacuum sent home", call("HassVacuumReturnToBase", {}, ["vacuum.robo"]), "Sending Roborock home."],
    [
      "the weather, rounded",
      call("HassGetWeather", {}, ["weather.home"]),
      "It is partly cloudy and 18 degrees.",
    ],
    ["the weather without a temperature", call("HassGetWeather", {}, ["weather.bare"]), "It is rainy."],
    ["no weather service", call("HassGetWeather", {}, []), "I don't have a weather forecast."],
  ])("says %s", (_what, intent, reply) => {
    expect(replyForIntent(intent, context())).toBe(reply);
  });

  it.each<[string, Date, string, string]>([
    [
      "just after midnight",
      new Date(2025, 0, 1, 0, 4),
      "It is 12:04 AM.",
      "Today is Wednesday, January 1, 2025.",
    ],
    ["at noon", new Date(2026, 1, 28, 12, 0), "It is 12:00 PM.", "Today is Saturday, February 28, 2026."],
    [
      "late in the evening",
      new Date(2026, 6, 4, 23, 59),
      "It is 11:59 PM.",
      "Today is Saturday, July 4, 2026.",
    ],
  ])("tells the local time and date %s, in twelve-hour time", (_when, now, time, date) => {
    const ctx = { ...context(), clock: fixedClock(now) };
    expect(replyForIntent(call("HassGetCurrentTime", {}), ctx)).toBe(time);
    expect(replyForIntent(call("HassGetCurrentDate", {}), ctx)).toBe(date);
  });

  describe("for state questions", () => {
    it.each<[string, RecognizedIntent, string]>([
      [
        "yes for a device in that state",
        call("HassGetState", { name: "Front Door", state: "locked" }, ["lock.front"]),
        "Yes, the front door is locked.",
      ],
      [
        "no for a device in another state",
        call("HassGetState", { name: "Roller Blind", state: "open" }, ["cover.blind"]),
        "No, the roller blind is closed.",
      ],
      [
        "'are' for a plural name",
        call("HassGetState", { name: "Fairy Lights", state: "on" }, ["light.fairy"]),
        "Yes, the fairy lights are on.",
      ],
      [
        "a device's state",
        call("HassGetState", { name: "Roller Blind" }, ["cover.blind"]),
        "The roller blind is closed.",
      ],
      [
        "a state in words",
        call("HassGetState", { name: "Forecast" }, ["weather.home"]),
        "The forecast is partly cloudy.",
      ],
      [
        "an unknown state",
        call("HassGetState", { name: "Mystery Plug" }, ["switch.unknown"]),
        "The mystery plug is unknown.",
      ],
      [
        "a door sensor's on as open",
        call("HassGetState", { name: "Patio Door" }, ["binary_sensor.patio_door"]),
        "The patio door is open.",
      ],
      [
        "yes for a door sensor asked if open",
        call("HassGetState", { name: "Patio Door", state: "open" }, ["binary_sensor.patio_door"]),
        "Yes, the patio door is open.",
      ],
      [
        "a sensor with its unit",
        call("HassGetState", { name: "Kitchen Humidity" }, ["sensor.kitchen_humidity"]),
        "The kitchen humidity is 55 percent.",
      ],
      [
        "a temperature sensor",
        call("HassGetState", { name: "Kitchen Temperature" }, ["sensor.kitchen_temp"]),
        "It is 19.5 degrees in the kitchen.",
      ],
      [
        "a sensor class in an area",
        call("HassGetState", { domain: "sensor", device_class: "humidity", area: "Kitchen" }, [
          "sensor.kitchen_humidity",
        ]),
        "The kitchen humidity is 55 percent.",
      ],
      [
        "a person away",
        call("HassGetState", { domain: "person", name: "Alice" }, ["person.alice"]),
        "Alice is away.",
      ],
      [
        "yes for a person at home",
        call("HassGetState", { domain: "person", name: "Bob", state: "home" }, ["person.bob"]),
        "Yes, Bob is home.",
      ],
      [
        "no for a person not at home",
        call("HassGetState", { domain: "person", name: "Alice", state: "home" }, ["person.alice"]),
        "No, Alice is away.",
      ],
      [
        "how many lights are on, with their names",
        call("HassGetState", { domain: "light", state: "on", area: "Kitchen" }, [
          "light.kitchen",
          "light.counter",
        ]),
        "1 light is on in the kitchen: the kitchen light.",
      ],
      [
        "two devices of one name told apart by area",
        call("HassGetState", { domain: "light", state: "on" }, ["light.living_lamp", "light.bedroom_lamp"]),
        "2 lights are on: the lamp in the living room and the lamp in the bedroom.",
      ],
      [
        "none in that state",
        call("HassGetState", { domain: "light", state: "off", area: "Living Room" }, [
          "light.living_lamp",
          "light.fairy",
        ]),
        "No lights are off in the living room.",
      ],
    ])("says %s", (_what, intent, reply) => {
      expect(replyForIntent(intent, context())).toBe(reply);
    });
  });

  describe("for custom intents", () => {
    it.each<[string, Record<string, string>, RecognizedIntent, string]>([
      [
        "fills the reply template's slots",
        { Order: "One {size} {drink} coming up" },
        call("Order", { size: "large", drink: "tea" }),
        "One large tea coming up",
      ],
      ["writes numbers as they are", { Cups: "{n} cups" }, call("Cups", { n: 3 }), "3 cups"],
      ["leaves text without slots alone", { Party: "Let's party!" }, call("Party", {}), "Let's party!"],
      ["says Done without a reply template", {}, call("Party", {}), "Done."],
      [
        "leaves no double space where an optional slot was not said",
        { Order: "One {size} {drink} coming up" },
        call("Order", { drink: "tea" }),
        "One tea coming up",
      ],
    ])("%s", (_what, replies, intent, reply) => {
      expect(replyForIntent(intent, context(replies))).toBe(reply);
    });
  });
});

type Failure = Extract<Understanding, { kind: "not-recognized" }>;

describe("replies to what Hearth's own handlers did", () => {
  it.each<[string, RecognizedIntent, Done | undefined, string]>([
    [
      "a broadcast sent",
      call("HassBroadcast", { message: "dinner" }),
      { kind: "broadcast", message: "dinner" },
      "Broadcast sent.",
    ],
    [
      "no broadcast without a broker",
      call("HassBroadcast", { message: "dinner" }),
      { kind: "unavailable" },
      "Sorry, I can't broadcast from here.",
    ],
    [
      "media asked for on one player",
      call("HassMediaSearchAndPlay", { search_query: "jazz" }, ["media_player.tv"]),
      { kind: "media-requested", query: "jazz" },
      "Playing jazz on the living room TV.",
    ],
    ["a greeting", { ...call("HassRespond", {}), response: "hello" }, undefined, "Hello!"],
    [
      "nothing for a response it has no words for",
      { ...call("HassRespond", {}), response: "unknown" },
      undefined,
      "",
    ],
    [
      "an item added",
      call("HassListAddItem", { item: "milk" }),
      { kind: "list-added", list: "Shopping List", item: "milk" },
      "Added milk to the shopping list.",
    ],
    [
      "an item not on the list",
      call("HassListCompleteItem", { item: "milk" }),
      { kind: "list-item-missing", list: "Chores", item: "milk" },
      "Milk is not on the chores list.",
    ],
    [
      "the weather for a named place",
      call("HassGetWeather", { name: "Forecast" }, ["weather.home"]),
      undefined,
      "It is partly cloudy and 18 degrees in Forecast.",
    ],
  ])("says %s", (_what, intent, done, reply) => {
    expect(replyForIntent(intent, context(), done)).toBe(reply);
  });
});

describe("timer replies", () => {
  it("tells every timer when several run and none is named", () => {
    const timers = newTimers();
    timers.start(300);
    timers.start(600, "pizza");
    expect(actAndReply(call("HassTimerStatus", {}), { timers })).toBe(
      "2 timers: 5 minutes left on the 5 minute timer and 10 minutes left on the pizza timer.",
    );
  });

  it("says a finished timer in the site's language", () => {
    const timers = newTimers();
    const pizza = timers.start(600, "pizza");
    const plain = timers.start(300);
    expect(replyForTimerFinished(pizza, "en")).toBe("Your pizza timer is done.");
    expect(replyForTimerFinished(plain, "en")).toBe("Your 5 minute timer is done.");
    expect(replyForTimerFinished(pizza, "de")).toBe("Dein Timer pizza ist abgelaufen.");
    expect(replyForTimerFinished(plain, "de-AT")).toBe("Dein Timer ist abgelaufen.");
  });

  it("calls an unnamed timer by its length, in the singular", () => {
    const timers = newTimers();
    timers.start(300);
    expect(actAndReply(call("HassPauseTimer", {}), { timers })).toBe("The 5 minute timer paused.");
  });

  it("only reads: replying starts, changes and cancels no timer, the act step does", () => {
    const timers = newTimers();
    const ctx = context();
    const start = call("HassStartTimer", { minutes: 5, name: "pizza" });
    const done = actLocally(start, { timers });
    expect(timers.list().map((t) => t.name)).toEqual(["pizza"]);
    expect(replyForIntent(start, ctx, done)).toBe("Timer set for 5 minutes called pizza.");
    expect(replyForIntent(start, ctx, done)).toBe("Timer set for 5 minutes called pizza.");
    expect(timers.list()).toHaveLength(1);
    const cancel = call("HassCancelAllTimers", {});
    expect(replyForIntent(cancel, ctx, { kind: "timers-cancelled", count: 1 })).toBe("Cancelled the timer.");
    expect(timers.list()).toHaveLength(1);
    expect(actAndReply(cancel, { timers }, ctx)).toBe("Cancelled the timer.");
    expect(timers.list()).toEqual([]);
  });
});

describe("replyForFailure", () => {
  it.each<[string, Failure, string]>([
    ["nothing at all with silence", { kind: "not-recognized", reason: "empty" }, ""],
    ["no match", { kind: "not-recognized", reason: "no_match" }, "Sorry, I didn't understand that."],
    [
      "an unknown name",
      { kind: "not-recognized", reason: "unknown_name", subject: "garage heater" },
      "Sorry, I don't know any device called garage heater.",
    ],
    [
      "an unknown area",
      { kind: "not-recognized", reason: "unknown_area", subject: "attic" },
      "Sorry, I don't know any area called attic.",
    ],
    [
      "an unknown floor",
      { kind: "not-recognized", reason: "unknown_floor", subject: "third floor" },
      "Sorry, I don't know any floor called third floor.",
    ],
    [
      "nothing there",
      { kind: "not-recognized", reason: "no_targets", subject: "lights in the garage" },
      "Sorry, there are no lights in the garage.",
    ],
    [
      "nothing there, unnamed",
      { kind: "not-recognized", reason: "no_targets" },
      "Sorry, there are no such devices.",
    ],
    [
      "a device that cannot do it",
      { kind: "not-recognized", reason: "unsupported", subject: "Kitchen Temperature" },
      "Sorry, the kitchen temperature can't do that.",
    ],
    [
      "an acronym in such a device",
      { kind: "not-recognized", reason: "unsupported", subject: "Living Room TV" },
      "Sorry, the living room TV can't do that.",
    ],
    [
      "input that is not text",
      { kind: "not-recognized", reason: "invalid_input" },
      "Sorry, I could not read that.",
    ],
    [
      "two candidates",
      {
        kind: "not-recognized",
        reason: "ambiguous",
        subject: "Lamp",
        candidates: [
          { id: "light.a", name: "Lamp", area: "Living Room" },
          { id: "light.b", name: "Lamp", area: "Bedroom" },
        ],
      },
      "Which lamp do you mean: the one in the living room or the one in the bedroom?",
    ],
    [
      "three candidates",
      {
        kind: "not-recognized",
        reason: "ambiguous",
        subject: "Lamp",
        candidates: [
          { id: "light.a", name: "Lamp", area: "Living Room" },
          { id: "light.b", name: "Lamp", area: "Bedroom" },
          { id: "light.c", name: "Lamp", area: "Office" },
        ],
      },
      "Which lamp do you mean: the one in the living room, the one in the bedroom or the one in the office?",
    ],
  ])("says %s", (_what, failure, reply) => {
    expect(replyForFailure(failure)).toBe(reply);
  });
});
