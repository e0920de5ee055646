import { beforeAll, describe, expect, it } from "vitest";
import { intentsSchema } from "../../src/config/schema.js";
import { resolveStateDir } from "../../src/config/state-dir.js";
import { fixedClock } from "../../src/core/clock.js";
import { type CompiledSentences, loadSentences } from "../../src/intents/sentences.js";
import { TemplateRecognizer } from "../../src/intents/template-recognizer.js";
import { type TextResult, TextUnderstanding } from "../../src/intents/text-understanding.js";
import { TimerManager } from "../../src/intents/timers.js";
import type { RecognizedIntent, Slots } from "../../src/intents/types.js";
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

/**
 * A small two-storey home: two "Lamp"s (living room, bedroom), numbers and a possessive in names,
 * an alias, a TV whose name starts with its area, one thermostat, one vacuum, a forecast, a person.
 */
function home(extra: Entity[] = []): Registry {
  return new Registry({
    floors: [
      { id: "downstairs", name: "Downstairs", aliases: ["ground floor"] },
      { id: "upstairs", name: "Upstairs", aliases: [] },
    ],
    areas: [
      { id: "kitchen", name: "Kitchen", floorId: "downstairs", aliases: [] },
      { id: "living_room", name: "Living Room", floorId: "downstairs", aliases: ["lounge"] },
      { id: "garage", name: "Garage", floorId: "downstairs", aliases: [] },
      { id: "bedroom", name: "Bedroom", floorId: "upstairs", aliases: [] },
      { id: "kids_room", name: "Kid's Room", floorId: "upstairs", aliases: [] },
      { id: "office", name: "Office", floorId: "upstairs", aliases: [] },
    ],
    entities: [
      entity("light.kitchen_light", "Kitchen Light", "kitchen", { state: "on" }),
      entity("light.counter", "Counter Light", "kitchen", { aliases: ["under cabinet light"], state: "off" }),
      entity("light.living_lamp", "Lamp", "living_room", { state: "on" }),
      entity("light.bedroom_lamp", "Lamp", "bedroom", { state: "off" }),
      entity("light.kids_room", "Kid's Room Light", "kids_room", { state: "off" }),
      entity("light.office_1", "Light 1", "office", { state: "off" }),
      entity("light.office_2", "Light 2", "office", { state: "off" }),
      entity("media_player.living_room_tv", "Living Room TV", "living_room", { state: "playing" }),
      entity("switch.coffee_maker", "Coffee Maker", "kitchen", { state: "off" }),
      entity("cover.garage_door", "Garage Door", "garage", { deviceClass: "garage", state: "closed" }),
      entity("cover.office_blind", "Roller Blind", "office", { deviceClass: "blind", state: "open" }),
      entity("lock.front_door", "Front Door", "living_room", { state: "locked" }),
      entity("climate.thermostat", "Thermostat", "living_room", {
        state: "heat",
        attributes: { current_temperature: 20.5, temperature: 21 },
      }),
      entity("sensor.kitchen_temperature", "Kitchen Temperature", "kitchen", {
        deviceClass: "temperature",
        unit: "°C",
        state: "19.5",
      }),
      entity("vacuum.roborock", "Roborock", "living_room", { state: "docked" }),
      entity("weather.home", "Home Forecast", undefined, { state: "sunny", attributes: { temperature: 18 } }),
      entity("person.alice", "Alice", undefined, { state: "home" }),
      ...extra,
    ],
  });
}

const clock = fixedClock(new Date(2024, 2, 15, 14, 5));
let builtin: CompiledSentences;

beforeAll(async () => {
  builtin = await loadSentences(intentsSchema.parse({}), {
    language: "en",
    configDir: ".",
    stateDir: resolveStateDir({}, "."),
  });
});

interface Setup {
  sentences?: CompiledSentences;
  siteArea?: string;
  threshold?: number;
  registry?: Registry;
}

function textPath(setup: Setup = {}) {
  const registry = setup.registry ?? home();
  const timers = new TimerManager(clock);
  const understanding = new TextUnderstanding({
    sentences: setup.sentences ?? builtin,
    registry,
    timers,
    clock,
    fuzzyThreshold: setup.threshold ?? 0.8,
    siteArea: setup.siteArea,
  });
  return { understanding, registry, timers };
}

/** The recognised intents of a result (fails the test when nothing was recognised). */
function intents(r: TextResult): RecognizedIntent[] {
  if (r.understanding.kind !== "recognized") {
    throw new Error(`not recognised: ${JSON.stringify(r.understanding)}`);
  }
  return r.understanding.intents;
}

const call = (name: string, slots: Slots, targets: string[] = []): RecognizedIntent => ({
  name,
  slots,
  targets,
});

describe("the built-in intents", () => {
  it.each<[string, RecognizedIntent, string]>([
    // HassTurnOn / HassTurnOff / HassToggle
    [
      "turn on the kitchen light",
      call("HassTurnOn", { name: "Kitchen Light" }, ["light.kitchen_light"]),
      "Turned on the kitchen light.",
    ],
    [
      "switch off the coffee maker",
      call("HassTurnOff", { name: "Coffee Maker" }, ["switch.coffee_maker"]),
      "Turned off the coffee maker.",
    ],
    [
      "toggle the kitchen light",
      call("HassToggle", { name: "Kitchen Light" }, ["light.kitchen_light"]),
      "Toggled the kitchen light.",
    ],
    [
      "turn on the lights in the kitchen",
      call("HassTurnOn", { domain: "light", area: "Kitchen" }, ["light.counter", "light.kitchen_light"]),
      "Turned on the lights in the kitchen.",
    ],
    [
      "turn off the lights upstairs",
      call("HassTurnOff", { domain: "light", floor: "Upstairs" }, [
        "light.bedroom_lamp",
        "light.kids_room",
        "light.office_1",
        "light.office_2",
      ]),
      "Turned off the lights upstairs.",
    ],
    [
      "turn on the lights on the ground floor",
      call("HassTurnOn", { domain: "light", floor: "Downstairs" }, [
        "light.counter",
        "light.kitchen_light",
        "light.living_lamp",
      ]),
      "Turned on the lights downstairs.",
    ],
    [
      "open the garage door",
      call("HassTurnOn", { domain: "cover", name: "Garage Door", device_class: "garage" }, [
        "cover.garage_door",
      ]),
      "Opened the garage door.",
    ],
    [
      "close the garage door",
      call("HassTurnOff", { domain: "cover", name: "Garage Door", device_class: "garage" }, [
        "cover.garage_door",
      ]),
      "Closed the garage door.",
    ],
    [
      "lock the front door",
      call("HassTurnOn", { domain: "lock", name: "Front Door" }, ["lock.front_door"]),
      "Locked the front door.",
    ],
    [
      "unlock the front door",
      call("HassTurnOff", { domain: "lock", name: "Front Door" }, ["lock.front_door"]),
      "Unlocked the front door.",
    ],
    // HassLightSet
    [
      "set the kitchen light to 50 percent",
      call("HassLightSet", { name: "Kitchen Light", brightness: 50 }, ["light.kitchen_light"]),
      "Set the kitchen light to 50 percent.",
    ],
    [
      "set the kitchen light to red",
      call("HassLightSet", { name: "Kitchen Light", color: "red" }, ["light.kitchen_light"]),
      "Set the kitchen light to red.",
    ],
    [
      "set the lights in the kitchen to thirty percent",
      call("HassLightSet", { domain: "light", area: "Kitchen", brightness: 30 }, [
        "light.counter",
        "light.kitchen_light",
      ]),
      "Set the lights in the kitchen to 30 percent.",
    ],
    // HassSetPosition
    [
      "set the roller blind to 30 percent",
      call("HassSetPosition", { name: "Roller Blind", position: 30 }, ["cover.office_blind"]),
      "Set the roller blind to 30 percent open.",
    ],
    [
      "set the office blinds to 50 percent",
      call("HassSetPosition", { domain: "cover", area: "Office", device_class: "blind", position: 50 }, [
        "cover.office_blind",
      ]),
      "Set the blinds in the office to 50 percent open.",
    ],
    // HassClimateSetTemperature / HassClimateGetTemperature
    [
      "set the thermostat to 21.5 degrees",
      call("HassClimateSetTemperature", { name: "Thermostat", temperature: 21.5 }, ["climate.thermostat"]),
      "Set the thermostat to 21.5 degrees.",
    ],
    [
      "set the temperature to twenty two degrees",
      call("HassClimateSetTemperature", { temperature: 22 }, ["climate.thermostat"]),
      "Set the thermostat to 22 degrees.",
    ],
    [
      "what is the temperature in the living room",
      call("HassClimateGetTemperature", { area: "Living Room" }, ["climate.thermostat"]),
      "It is 20.5 degrees in the living room.",
    ],
    // HassGetState
    [
      "is the front door locked",
      call("HassGetState", { name: "Front Door", state: "locked" }, ["lock.front_door"]),
      "Yes, the front door is locked.",
    ],
    [
      "is the garage door open",
      call("HassGetState", { name: "Garage Door", state: "open" }, ["cover.garage_door"]),
      "No, the garage door is closed.",
    ],
    [
      "is the kitchen light on",
      call("HassGetState", { name: "Kitchen Light", state: "on" }, ["light.kitchen_light"]),
      "Yes, the kitchen light is on.",
    ],
    [
      "what is the state of the roller blind",
      call("HassGetState", { name: "Roller Blind" }, ["cover.office_blind"]),
      "The roller blind is open.",
    ],
    [
      "are any lights on in the kitchen",
      call("HassGetState", { domain: "light", state: "on", area: "Kitchen" }, [
        "light.counter",
        "light.kitchen_light",
      ]),
      "1 light is on in the kitchen: the kitchen light.",
    ],
    [
      "what is the temperature in the kitchen",
      call("HassGetState", { domain: "sensor", device_class: "temperature", area: "Kitchen" }, [
        "sensor.kitchen_temperature",
      ]),
      "It is 19.5 degrees in the kitchen.",
    ],
    [
      "where is alice",
      call("HassGetState", { domain: "person", name: "Alice" }, ["person.alice"]),
      "Alice is home.",
    ],
    [
      "is alice home",
      call("HassGetState", { domain: "person", state: "home", name: "Alice" }, ["person.alice"]),
      "Yes, Alice is home.",
    ],
    // HassGetCurrentTime / HassGetCurrentDate / HassNevermind
    ["what time is it", call("HassGetCurrentTime", {}), "It is 2:05 PM."],
    ["what's the date today", call("HassGetCurrentDate", {}), "Today is Friday, March 15, 2024."],
    ["never mind", call("HassNevermind", {}), ""],
    // Media
    [
      "pause the living room tv",
      call("HassMediaPause", { name: "Living Room TV" }, ["media_player.living_room_tv"]),
      "Paused the living room TV.",
    ],
    [
      "resume the living room tv",
      call("HassMediaUnpause", { name: "Living Room TV" }, ["media_player.living_room_tv"]),
      "Resumed the living room TV.",
    ],
    [
      "next track on the living room tv",
      call("HassMediaNext", { name: "Living Room TV" }, ["media_player.living_room_tv"]),
      "Playing the next track.",
    ],
    [
      "previous track on the living room tv",
      call("HassMediaPrevious", { name: "Living Room TV" }, ["media_player.living_room_tv"]),
      "Playing the previous track.",
    ],
    [
      "set the volume of the living room tv to 40 percent",
      call("HassSetVolume", { name: "Living Room TV", volume_level: 40 }, ["media_player.living_room_tv"]),
      "Volume set to 40 percent.",
    ],
    // Vacuum and weather
    ["start the vacuum", call("HassVacuumStart", {}, ["vacuum.roborock"]), "Started Roborock."],
    [
      "send the roborock home",
      call("HassVacuumReturnToBase", { name: "Roborock" }, ["vacuum.roborock"]),
      "Sending Roborock home.",
    ],
    ["what is the weather like", call("HassGetWeather", {}, ["weather.home"]), "It is sunny and 18 degrees."],
  ])("understands %j", (sentence, expected, reply) => {
    const r = textPath().understanding.understand(sentence);
    expect(intents(r)).toEqual([expected]);
    expect(r.reply).toBe(reply);
  });

  it.each<[string, RecognizedIntent, string]>([
    [
      "turn on the lights",
      call("HassTurnOn", { domain: "light", area: "Living Room" }, ["light.living_lamp"]),
      "Turned on the lights in the living room.",
    ],
    [
      "pause the music",
      call("HassMediaPause", { area: "Living Room" }, ["media_player.living_room_tv"]),
      "Paused the living room TV.",
    ],
    [
      "next track",
      call("HassMediaNext", { area: "Living Room" }, ["media_player.living_room_tv"]),
      "Playing the next track.",
    ],
    [
      "set the volume to 40 percent",
      call("HassSetVolume", { volume_level: 40, area: "Living Room" }, ["media_player.living_room_tv"]),
      "Volume set to 40 percent.",
    ],
    [
      "what's the temperature",
      call("HassClimateGetTemperature", { area: "Living Room" }, ["climate.thermostat"]),
      "It is 20.5 degrees in the living room.",
    ],
  ])("understands %j said in the living room", (sentence, expected, reply) => {
    const r = textPath({ siteArea: "Living Room" }).understanding.understand(sentence);
    expect(intents(r)).toEqual([expected]);
    expect(r.reply).toBe(reply);
  });
});

describe("a device's name against a generic word", () => {
  const withSpeaker = (): Registry =>
    home([entity("media_player.kitchen_speaker", "Kitchen Speaker", "kitchen", { state: "playing" })]);

  it.each<[string, string, RecognizedIntent]>([
    // "TV" is both a word for whatever plays in the room and the Living Room TV's short name: the name wins.
    [
      "resume the tv",
      "Kitchen",
      call("HassMediaUnpause", { name: "Living Room TV" }, ["media_player.living_room_tv"]),
    ],
    [
      "pause the tv",
      "Living Room",
      call("HassMediaPause", { name: "Living Room TV" }, ["media_player.living_room_tv"]),
    ],
    // No device is called "music": the kitchen's own player.
    [
      "pause the music",
      "Kitchen",
      call("HassMediaPause", { area: "Kitchen" }, ["media_player.kitchen_speaker"]),
    ],
    // "Temperature" is no short name for the Kitchen Temperature sensor: it asks about the room.
    [
      "what's the temperature",
      "Living Room",
      call("HassClimateGetTemperature", { area: "Living Room" }, ["climate.thermostat"]),
    ],
  ])("%j said in the %s", (sentence, siteArea, expected) => {
    const r = textPath({ siteArea, registry: withSpeaker() }).understanding.understand(sentence);
    expect(intents(r)).toEqual([expected]);
  });
});

describe("name matching", () => {
  it.each<[string, string[]]>([
    ["turn on the KITCHEN LIGHT", ["light.kitchen_light"]],
    ["turn on the under cabinet light", ["light.counter"]],
    ["turn on the under cabinet lights", ["light.counter"]],
    ["turn on the kids room light", ["light.kids_room"]],
    ["turn on the kid's room light", ["light.kids_room"]],
    ["turn on light two", ["light.office_2"]],
    ["turn on light 2", ["light.office_2"]],
    ["turn on the light one", ["light.office_1"]],
    ["turn on the kichen light", ["light.kitchen_light"]],
    ["turn on the coffee maker", ["switch.coffee_maker"]],
    ["turn on the cofee maker", ["switch.coffee_maker"]],
    ["turn on the lamp in the bedroom", ["light.bedroom_lamp"]],
    ["turn on the lights in the lounge", ["light.living_lamp"]],
    ["turn on the lights in the kids room", ["light.kids_room"]],
  ])("finds the device in %j", (sentence, targets) => {
    expect(intents(textPath().understanding.understand(sentence)).map((i) => i.targets)).toEqual([targets]);
  });

  it.each<[string, string]>([
    ["turn on the chicken light", "chicken light"],
    ["turn on the garage heater", "garage heater"],
  ])("does not take a name too far from any device: %j", (sentence, subject) => {
    expect(textPath().understanding.understand(sentence).understanding).toMatchObject({
      kind: "not-recognized",
      reason: "unknown_name",
      subject,
    });
  });

  it.each<[string]>([["turn on the kichen light"], ["turn on the cofee makr"]])(
    "with fuzzy_threshold 1 takes no near miss: %j",
    (sentence) => {
      expect(textPath({ threshold: 1 }).understanding.understand(sentence).understanding).toMatchObject({
        kind: "not-recognized",
        reason: "unknown_name",
      });
    },
  );

  it("with fuzzy_threshold 1 still takes exact names", () => {
    const r = textPath({ threshold: 1 }).understanding.understand("turn on the kitchen light");
    expect(intents(r)[0]?.targets).toEqual(["light.kitchen_light"]);
  });

  describe("area-local names", () => {
    it.each<[string, string | undefined, string | undefined, string[] | string]>([
      ["turn on the tv", "Living Room", undefined, ["media_player.living_room_tv"]],
      ["turn on the tv", "Kitchen", "living_room", ["media_player.living_room_tv"]],
      ["turn on the tv", "Kitchen", "lounge", ["media_player.living_room_tv"]],
      ["turn on the tv in the living room", "Kitchen", undefined, ["media_player.living_room_tv"]],
      // The only TV in the home is "the tv" from anywhere.
      ["turn on the tv", "Kitchen", undefined, ["media_player.living_room_tv"]],
      ["turn on the tv", undefined, undefined, ["media_player.living_room_tv"]],
      ["turn on the tv in the bedroom", "Living Room", undefined, "unknown_name"],
    ])("resolve %j (site %s, request %s)", (sentence, siteArea, requestArea, expected) => {
      const r = textPath(siteArea ? { siteArea } : {}).understanding.understand(sentence, {
        area: requestArea,
      });
      if (typeof expected === "string") {
        expect(r.understanding).toMatchObject({ kind: "not-recognized", reason: expected, subject: "tv" });
      } else {
        expect(intents(r).map((i) => i.targets)).toEqual([expected]);
      }
    });

    it("asks which one when several areas have one and the speaker's has none", () => {
      const registry = home();
      registry.upsertEntity({
        id: "media_player.bedroom_tv",
        name: "Bedroom TV",
        domain: "media_player",
        areaId: "bedroom",
        aliases: [],
        attributes: {},
        source: "config",
      });
      const r = textPath({ registry, siteArea: "Kitchen" }).understanding.understand("turn on the tv");
      expect(r.understanding).toMatchObject({ kind: "not-recognized", reason: "ambiguous" });
      expect(r.reply).toMatch(/^Which living room tv do you mean|^Which .* do you mean/);
    });

    it("never makes an area-local name of a generic word", () => {
      // "Kitchen Light" must not make "the light" mean that one device in the kitchen.
      const r = textPath({ siteArea: "Kitchen" }).understanding.understand("turn on the light");
      expect(intents(r)).toEqual([
        call("HassTurnOn", { domain: "light", area: "Kitchen" }, ["light.counter", "light.kitchen_light"]),
      ]);
    });
  });
});

describe("speaker context", () => {
  it.each<[string | undefined, string | undefined, string[]]>([
    ["Bedroom", undefined, ["light.bedroom_lamp"]],
    ["Living Room", undefined, ["light.living_lamp"]],
    ["Kitchen", "bedroom", ["light.bedroom_lamp"]],
    ["Kitchen", "Living Room", ["light.living_lamp"]],
  ])("takes the lamp where the speaker is (site %s, request %s)", (siteArea, requestArea, targets) => {
    const r = textPath(siteArea ? { siteArea } : {}).understanding.understand("turn on the lamp", {
      area: requestArea,
    });
    expect(intents(r).map((i) => i.targets)).toEqual([targets]);
  });

  it("lets a named area win over the speaker's", () => {
    const r = textPath({ siteArea: "Bedroom" }).understanding.understand(
      "turn on the lamp in the living room",
    );
    expect(intents(r).map((i) => i.targets)).toEqual([["light.living_lamp"]]);
  });

  it("finds the home's only vacuum from any room", () => {
    const r = textPath({ siteArea: "Office" }).understanding.understand("start the vacuum");
    expect(intents(r).map((i) => i.targets)).toEqual([["vacuum.roborock"]]);
  });
});

describe("what is not understood", () => {
  it("asks which one when a name fits devices in several areas", () => {
    const r = textPath({ siteArea: "Kitchen" }).understanding.understand("turn on the lamp");
    expect(r.understanding).toMatchObject({
      kind: "not-recognized",
      reason: "ambiguous",
      subject: "Lamp",
      intent: { name: "HassTurnOn", slots: { name: "Lamp" } },
    });
    const candidates = r.understanding.kind === "not-recognized" ? r.understanding.candidates : undefined;
    expect(candidates).toEqual(
      expect.arrayContaining([
        { id: "light.living_lamp", name: "Lamp", area: "Living Room" },
        { id: "light.bedroom_lamp", name: "Lamp", area: "Bedroom" },
      ]),
    );
    expect(candidates).toHaveLength(2);
    expect(r.reply).toMatch(
      /^Which lamp do you mean: the one in the (living room|bedroom) or the one in the (living room|bedroom)\?$/,
    );
  });

  it.each<[string, string, string, string]>([
    [
      "turn on the garage heater",
      "unknown_name",
      "garage heater",
      "Sorry, I don't know any device called garage heater.",
    ],
    [
      "turn on the lights in the attic",
      "unknown_area",
      "attic",
      "Sorry, I don't know any area called attic.",
    ],
    [
      "turn on the lights on the third floor",
      "unknown_floor",
      "third floor",
      "Sorry, I don't know any floor called third floor.",
    ],
    [
      "turn on the lights in the garage",
      "no_targets",
      "lights in the garage",
      "Sorry, there are no lights in the garage.",
    ],
    [
      "turn on the lamp in the office",
      "no_targets",
      "devices called lamp in the office",
      "Sorry, there are no devices called lamp in the office.",
    ],
    [
      "turn on the kitchen temperature",
      "unsupported",
      "Kitchen Temperature",
      "Sorry, the kitchen temperature can't do that.",
    ],
  ])("answers %j with %s", (sentence, reason, subject, reply) => {
    const r = textPath().understanding.understand(sentence);
    expect(r.understanding).toMatchObject({
      kind: "not-recognized",
      reason,
      subject,
      recognizer: "template",
    });
    expect(r.reply).toBe(reply);
  });

  it.each<[string]>([["tell me a joke"], ["the quick brown fox"], ["i left the light on"]])(
    "does not understand %j",
    (sentence) => {
      const r = textPath().understanding.understand(sentence);
      expect(r.understanding).toMatchObject({ kind: "not-recognized", reason: "no_match" });
      expect(r.reply).toBe("Sorry, I didn't understand that.");
    },
  );

  it.each<[string]>([[""], ["   "], ["please"], ["um, uh… please"]])(
    "gives an empty result for %j",
    (sentence) => {
      const r = textPath().understanding.understand(sentence);
      expect(r.understanding).toEqual({ kind: "not-recognized", reason: "empty" });
      expect(r.reply).toBe("");
    },
  );
});

describe("multi-command sentences", () => {
  it.each<[string, RecognizedIntent[], string]>([
    [
      "turn on the kitchen light and open the garage door",
      [
        call("HassTurnOn", { name: "Kitchen Light" }, ["light.kitchen_light"]),
        call("HassTurnOn", { domain: "cover", name: "Garage Door", device_class: "garage" }, [
          "cover.garage_door",
        ]),
      ],
      "Turned on the kitchen light. Opened the garage door.",
    ],
    [
      "turn off the kitchen light then turn on the coffee maker",
      [
        call("HassTurnOff", { name: "Kitchen Light" }, ["light.kitchen_light"]),
        call("HassTurnOn", { name: "Coffee Maker" }, ["switch.coffee_maker"]),
      ],
      "Turned off the kitchen light. Turned on the coffee maker.",
    ],
    [
      "turn on the kitchen light and the coffee maker",
      [
        call("HassTurnOn", { name: "Kitchen Light" }, ["light.kitchen_light"]),
        call("HassTurnOn", { name: "Coffee Maker" }, ["switch.coffee_maker"]),
      ],
      "Turned on the kitchen light. Turned on the coffee maker.",
    ],
    [
      "turn on the lights in the bedroom and the kitchen",
      [
        call("HassTurnOn", { domain: "light", area: "Bedroom" }, ["light.bedroom_lamp"]),
        call("HassTurnOn", { domain: "light", area: "Kitchen" }, ["light.counter", "light.kitchen_light"]),
      ],
      "Turned on the lights in the bedroom. Turned on the lights in the kitchen.",
    ],
    [
      "lock the front door and then close the garage door and turn off the kitchen light",
      [
        call("HassTurnOn", { domain: "lock", name: "Front Door" }, ["lock.front_door"]),
        call("HassTurnOff", { domain: "cover", name: "Garage Door", device_class: "garage" }, [
          "cover.garage_door",
        ]),
        call("HassTurnOff", { name: "Kitchen Light" }, ["light.kitchen_light"]),
      ],
      "Locked the front door. Closed the garage door. Turned off the kitchen light.",
    ],
  ])("splits %j into its commands, in order", (sentence, expected, reply) => {
    const r = textPath().understanding.understand(sentence);
    expect(intents(r)).toEqual(expected);
    expect(r.reply).toBe(reply);
  });

  it("keeps a name containing 'and' whole", () => {
    const registry = home();
    registry.upsertEntity(entity("switch.salt_and_pepper", "Salt and Pepper Grinder", "kitchen"));
    const r = textPath({ registry }).understanding.understand("turn on the salt and pepper grinder");
    expect(intents(r)).toEqual([
      call("HassTurnOn", { name: "Salt and Pepper Grinder" }, ["switch.salt_and_pepper"]),
    ]);
  });
});

describe("skip words", () => {
  it.each<[string]>([
    ["please turn on the kitchen light"],
    ["could you turn on the kitchen light for me"],
    ["um, turn on the kitchen light, thanks"],
    ["hey would you mind turn on the kitchen light"],
  ])("ignores the built-in ones in %j", (sentence) => {
    expect(intents(textPath().understanding.understand(sentence))).toEqual([
      call("HassTurnOn", { name: "Kitchen Light" }, ["light.kitchen_light"]),
    ]);
  });

  it("ignores the config's own skip words", async () => {
    const sentences = await loadSentences(
      intentsSchema.parse({ skip_words: ["yo", "pronto", "if you would"] }),
      {
        language: "en",
        configDir: ".",
        stateDir: resolveStateDir({}, "."),
      },
    );
    const { understanding } = textPath({ sentences });
    expect(intents(understanding.understand("yo turn on the kitchen light pronto if you would"))).toEqual([
      call("HassTurnOn", { name: "Kitchen Light" }, ["light.kitchen_light"]),
    ]);
    // Without them, the sentence fits no template.
    expect(
      textPath().understanding.understand("yo turn on the kitchen light pronto").understanding.kind,
    ).toBe("not-recognized");
  });
});

describe("the assistant's name and greetings before a command", () => {
  it.each<[string]>([
    ["hey hearth, turn on the kitchen light"],
    ["computer, please turn on the kitchen light"],
    ["good morning hearth turn on the kitchen light"],
    ["turn on the kitchen light, hearth"],
    ["ok so could you turn on the kitchen light"],
    // "hi" is a skip word too: the opener "hi there" still works once it is gone.
    ["hi there, turn on the kitchen light"],
  ])("are left out of %j", (sentence) => {
    expect(intents(textPath().understanding.understand(sentence))).toEqual([
      call("HassTurnOn", { name: "Kitchen Light" }, ["light.kitchen_light"]),
    ]);
  });

  it("still let a device be called by a word that opens sentences", () => {
    const registry = home([entity("switch.computer", "Computer", "office", { state: "off" })]);
    const { understanding } = textPath({ registry });
    const computerOn = [call("HassTurnOn", { name: "Computer" }, ["switch.computer"])];
    expect(intents(understanding.understand("computer on"))).toEqual(computerOn);
    expect(intents(understanding.understand("hey hearth turn on the computer"))).toEqual(computerOn);
  });

  it("are no command on their own, nor in front of something that is none", () => {
    const { understanding } = textPath();
    for (const sentence of ["hey hearth", "hearth, how are you", "good morning, how was your night"]) {
      expect(understanding.understand(sentence).understanding).toMatchObject({
        kind: "not-recognized",
        reason: expect.stringMatching(/^(empty|no_match)$/),
      });
    }
  });
});

describe("weather for a named place", () => {
  it("asks the weather entity of that name", () => {
    const paris = entity("weather.paris", "Paris", undefined, { state: "sunny" });
    const { understanding } = textPath({ registry: home([paris]) });
    for (const sentence of [
      "what's the weather in paris",
      "is it raining in paris",
      "will it rain in paris tomorrow",
    ]) {
      expect(intents(understanding.understand(sentence))).toEqual([
        call("HassGetWeather", { name: "Paris" }, ["weather.paris"]),
      ]);
    }
    // A place that is no weather entity is not one Hearth can answer for.
    expect(understanding.understand("what's the weather in narnia").understanding.kind).toBe(
      "not-recognized",
    );
  });
});

describe("the config's intents section", () => {
  let custom: CompiledSentences;
  beforeAll(async () => {
    custom = await loadSentences(
      intentsSchema.parse({
        disabled: ["HassGetWeather", "HassNevermind"],
        lists: {
          drink: { values: ["tea", "coffee", { in: "(flat white|flattie)", out: "flat white" }] },
          size: { values: ["small", "large"] },
          cups: { range: { from: 1, to: 4 } },
        },
        expansion_rules: { make: "(make|brew|get)" },
        custom: {
          OrderDrink: {
            sentences: ["<make> me a {size} {drink}", "<make> me {cups} cups of {drink}"],
            reply: "One {size} {drink} coming up",
          },
          PartyMode: {
            data: [{ sentences: ["party time"], slots: { mode: "party" } }],
            reply: "Let's {mode}!",
          },
          FindDevice: { sentences: ["where did i put [the] {name}"] },
        },
      }),
      { language: "en", configDir: ".", stateDir: resolveStateDir({}, ".") },
    );
  });

  it.each<[string, RecognizedIntent, string]>([
    ["make me a large tea", call("OrderDrink", { size: "large", drink: "tea" }), "One large tea coming up"],
    [
      "brew me a small flattie",
      call("OrderDrink", { size: "small", drink: "flat white" }),
      "One small flat white coming up",
    ],
    ["party time", call("PartyMode", { mode: "party" }), "Let's party!"],
    [
      "where did i put the coffee maker",
      call("FindDevice", { name: "Coffee Maker" }, ["switch.coffee_maker"]),
      "Done.",
    ],
  ])("recognises the custom intent in %j", (sentence, expected, reply) => {
    const r = textPath({ sentences: custom }).understanding.understand(sentence);
    expect(intents(r)).toEqual([expected]);
    expect(r.reply).toBe(reply);
  });

  it("fills a custom range list from a spoken number", () => {
    const r = textPath({ sentences: custom }).understanding.understand("get me three cups of coffee");
    expect(intents(r)).toEqual([call("OrderDrink", { cups: 3, drink: "coffee" })]);
  });

  it.each<[string]>([["make me a huge tea"], ["get me 5 cups of coffee"], ["make me a large beer"]])(
    "rejects values not in the custom lists: %j",
    (sentence) => {
      expect(textPath({ sentences: custom }).understanding.understand(sentence).understanding.kind).toBe(
        "not-recognized",
      );
    },
  );

  it.each<[string]>([["what is the weather like"], ["never mind"]])(
    "no longer understands the disabled %j",
    (sentence) => {
      expect(textPath({ sentences: custom }).understanding.understand(sentence).understanding).toMatchObject({
        kind: "not-recognized",
        reason: "no_match",
      });
    },
  );

  it("keeps the built-in intents that were not disabled", () => {
    expect(
      intents(textPath({ sentences: custom }).understanding.understand("turn on the kitchen light")),
    ).toEqual([call("HassTurnOn", { name: "Kitchen Light" }, ["light.kitchen_light"])]);
  });
});

describe("registry changes", () => {
  it("recognises a device added after the first sentence", () => {
    const { understanding, registry } = textPath();
    expect(understanding.understand("turn on the porch light").understanding).toMatchObject({
      reason: "unknown_name",
    });
    registry.upsertEntity(entity("light.porch", "Porch Light", undefined));
    expect(intents(understanding.understand("turn on the porch light"))).toEqual([
      call("HassTurnOn", { name: "Porch Light" }, ["light.porch"]),
    ]);
  });

  it("forgets a removed device", () => {
    const { understanding, registry } = textPath();
    expect(intents(understanding.understand("turn on the coffee maker"))[0]?.targets).toEqual([
      "switch.coffee_maker",
    ]);
    registry.removeEntity("switch.coffee_maker");
    expect(understanding.understand("turn on the coffee maker").understanding).toMatchObject({
      kind: "not-recognized",
      reason: "unknown_name",
      subject: "coffee maker",
    });
  });

  it("learns a new alias and a renamed device", () => {
    const { understanding, registry } = textPath();
    understanding.prepare();
    registry.upsertEntity(
      entity("light.kitchen_light", "Ceiling Light", "kitchen", { aliases: ["big light"] }),
    );
    expect(intents(understanding.understand("turn on the big light"))[0]?.targets).toEqual([
      "light.kitchen_light",
    ]);
    expect(intents(understanding.understand("turn on the ceiling light"))[0]?.targets).toEqual([
      "light.kitchen_light",
    ]);
    // "the kitchen light" is now only the lights in the kitchen, no longer a device's name.
    expect(intents(understanding.understand("turn on the kitchen light"))).toEqual([
      call("HassTurnOn", { domain: "light", area: "Kitchen" }, ["light.counter", "light.kitchen_light"]),
    ]);
  });

  it("learns a new area", () => {
    const { understanding, registry } = textPath();
    understanding.prepare();
    registry.upsertArea({ id: "attic", name: "Attic", floorId: "upstairs", aliases: [] });
    registry.upsertEntity(entity("light.attic", "Attic Bulb", "attic"));
    expect(intents(understanding.understand("turn on the lights in the attic"))).toEqual([
      call("HassTurnOn", { domain: "light", area: "Attic" }, ["light.attic"]),
    ]);
  });

  it("rebuilds its lists only when names change, not on state updates", () => {
    const registry = home();
    const recognizer = new TemplateRecognizer({ sentences: builtin, registry, fuzzyThreshold: 0.8 });
    recognizer.prepare();
    const version = registry.version;
    registry.setState("light.kitchen_light", "off");
    expect(registry.version).toBe(version);
    registry.upsertEntity(entity("light.new", "New Light", "kitchen"));
    expect(registry.version).toBeGreaterThan(version);
    expect(recognizer.recognize("turn on the new light").understanding).toMatchObject({ kind: "recognized" });
  });
});

describe("TemplateRecognizer.explain", () => {
  it("lists the templates that fit, with how each resolved", () => {
    const recognizer = new TemplateRecognizer({ sentences: builtin, registry: home(), fuzzyThreshold: 0.8 });
    const rows = recognizer.explain("turn on the kitchen light");
    expect(rows).toContainEqual(
      expect.objectContaining({ mode: "exact", intent: "HassTurnOn", result: "ok light.kitchen_light" }),
    );
    // Vacuums can be "turned on" too; that reading fits the words but not the device.
    expect(rows).toContainEqual(
      expect.objectContaining({ intent: "HassVacuumStart", result: "unsupported (Kitchen Light)" }),
    );
    expect(rows.every((r) => typeof r.template === "string" && r.template.length > 0)).toBe(true);
  });
});

describe("whether what was heard so far is a finished command (early end of an utterance)", () => {
  it("takes a command with a verb and an exact name as finished", () => {
    const { understanding } = textPath({ siteArea: "Kitchen" });
    expect(understanding.isCommand("turn on the kitchen light")).toBe(true);
    expect(understanding.isCommand("kitchen light off")).toBe(true);
    expect(understanding.isCommand("hey jarvis turn off the coffee maker please")).toBe(true);
    expect(understanding.isCommand("what time is it")).toBe(true);
  });

  it("does not take a bare name as finished while a longer command begins with it", () => {
    const { understanding } = textPath({ siteArea: "Kitchen" });
    // Both are commands on their own (a bare name switches it on), and both are also the start of
    // "kitchen light off": a pause there must not end the utterance early.
    expect(understanding.understand("kitchen light").understanding.kind).toBe("recognized");
    expect(understanding.isCommand("kitchen light")).toBe(false);
    expect(understanding.isCommand("the coffee maker")).toBe(false);
    // A place after the command only narrows it; that still counts as finished.
    expect(understanding.isCommand("turn on the lights")).toBe(true);
  });

  it("does not take an order as finished while the same intent's sentence can still add to it", async () => {
    const orders = await loadSentences(
      intentsSchema.parse({
        lists: {
          drink: { values: ["latte", "tea"] },
          size: { values: ["small", "large"] },
          milk: { values: ["oat milk", "whole milk"] },
          sugar: { values: ["sugar", "honey"] },
        },
        expansion_rules: { additions: "with {milk} [and {sugar}]" },
        custom: { OrderDrink: { sentences: ["[can i get] a [{size}] {drink} [<additions>]"] } },
      }),
      { language: "en", configDir: ".", stateDir: resolveStateDir({}, ".") },
    );
    const { understanding } = textPath({ sentences: orders });
    // A whole order on its own, and also the start of "… with oat milk": a pause there must not end it.
    expect(understanding.understand("a large latte").understanding.kind).toBe("recognized");
    expect(understanding.isCommand("a large latte")).toBe(false);
    expect(understanding.mayContinue("a large latte")).toBe(true);
    expect(understanding.isCommand("a large latte with oat milk")).toBe(false);
    // Nothing can follow the sugar: the order is finished.
    expect(understanding.isCommand("a large latte with oat milk and honey")).toBe(true);
    expect(understanding.mayContinue("a large latte with oat milk and honey")).toBe(false);
    // Half an order is no command, but it goes on.
    expect(understanding.isCommand("can i get a large")).toBe(false);
    expect(understanding.mayContinue("can i get a large")).toBe(true);
    // Words that begin no sentence do not.
    expect(understanding.mayContinue("the weather in paris")).toBe(false);
  });

  it("says which beginnings can go on, not counting a place or a skip word after a command", () => {
    const { understanding } = textPath({ siteArea: "Kitchen" });
    expect(understanding.mayContinue("kitchen light")).toBe(true);
    expect(understanding.mayContinue("turn on the")).toBe(true);
    expect(understanding.mayContinue("turn on the lights")).toBe(false);
    expect(understanding.mayContinue("turn on the kitchen light")).toBe(false);
  });

  it("does not take a near-miss name or an ambiguous one as finished", () => {
    const { understanding } = textPath({ siteArea: "Kitchen" });
    expect(understanding.understand("turn on the kitchen lite").understanding.kind).toBe("recognized");
    expect(understanding.isCommand("turn on the kitchen lite")).toBe(false);
    expect(understanding.isCommand("turn on the lamp")).toBe(false);
  });
});
