import { describe, expect, it } from "vitest";
import type { Capture } from "../../src/intents/matcher.js";
import { type Resolution, resolveMatch, type SpeakerContext } from "../../src/intents/resolve.js";
import type { CompiledGroup } from "../../src/intents/sentences.js";
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

/** A small two-storey home with two "Lamp"s and one thermostat. */
function home(): Registry {
  return new Registry({
    floors: [
      { id: "downstairs", name: "Downstairs", aliases: [] },
      { id: "upstairs", name: "Upstairs", aliases: [] },
    ],
    areas: [
      { id: "kitchen", name: "Kitchen", floorId: "downstairs", aliases: [] },
      { id: "living_room", name: "Living Room", floorId: "downstairs", aliases: [] },
      { id: "garage", name: "Garage", floorId: "downstairs", aliases: [] },
      { id: "bedroom", name: "Bedroom", floorId: "upstairs", aliases: [] },
      { id: "garden", name: "Garden", aliases: [] },
    ],
    entities: [
      entity("light.kitchen", "Kitchen Light", "kitchen"),
      entity("light.counter", "Counter Light", "kitchen"),
      entity("light.living_lamp", "Lamp", "living_room"),
      entity("light.bedroom_lamp", "Lamp", "bedroom"),
      entity("light.porch", "Porch Light", "garden"),
      entity("switch.kettle", "Kettle", "kitchen"),
      entity("media_player.tv", "Living Room TV", "living_room"),
      entity("cover.garage_door", "Garage Door", "garage", { deviceClass: "garage" }),
      entity("cover.bedroom_blind", "Blind", "bedroom", { deviceClass: "blind" }),
      entity("sensor.kitchen_temp", "Kitchen Temperature", "kitchen", { deviceClass: "temperature" }),
      entity("climate.thermostat", "Thermostat", "living_room"),
      entity("light.shelf_left", "Shelf Light", "living_room"),
      entity("light.shelf_right", "Shelf Light", "living_room"),
    ],
  });
}

let order = 0;
function group(intent: string, extra: Partial<CompiledGroup> = {}): CompiledGroup {
  return {
    intent,
    template: { t: "seq", items: [] },
    source: "test",
    clauses: [],
    slots: {},
    contextArea: true,
    order: order++,
    ...extra,
  };
}

/** A name, area or floor as the matcher captures it. */
function cap(list: string, value: string, ids: string[] | undefined, extra: Partial<Capture> = {}): Capture {
  return { slot: list, list, value, text: value.toLowerCase(), start: 0, end: 1, ids, ...extra };
}

const name = (value: string, ids: string[], extra: Partial<Capture> = {}) => cap("name", value, ids, extra);
const area = (value: string, id: string) => cap("area", value, [id]);
const floor = (value: string, id: string) => cap("floor", value, [id]);
const unknown = (list: string, text: string) => cap(list, text, undefined, { quality: "unknown", text });

function resolve(g: CompiledGroup, captures: Capture[], context: SpeakerContext = {}): Resolution {
  return resolveMatch(g, captures, home(), context);
}

function targets(r: Resolution): string[] | string {
  return r.ok ? r.intent.targets : `${r.reason}${r.subject ? `: ${r.subject}` : ""}`;
}

describe("resolveMatch", () => {
  it.each<[string, CompiledGroup, Capture[], SpeakerContext, string[] | string]>([
    [
      "a device by name",
      group("HassTurnOn"),
      [name("Kitchen Light", ["light.kitchen"])],
      {},
      ["light.kitchen"],
    ],
    [
      "a name in a named area",
      group("HassTurnOn"),
      [name("Lamp", ["light.living_lamp", "light.bedroom_lamp"]), area("Bedroom", "bedroom")],
      {},
      ["light.bedroom_lamp"],
    ],
    [
      "a shared name where the speaker is",
      group("HassTurnOn"),
      [name("Lamp", ["light.living_lamp", "light.bedroom_lamp"])],
      { areaId: "living_room" },
      ["light.living_lamp"],
    ],
    [
      "two devices of one name in one area",
      group("HassTurnOn"),
      [name("Shelf Light", ["light.shelf_left", "light.shelf_right"])],
      {},
      ["light.shelf_left", "light.shelf_right"],
    ],
    [
      "the lights of an area",
      group("HassTurnOn", { slots: { domain: "light" } }),
      [area("Kitchen", "kitchen")],
      {},
      ["light.counter", "light.kitchen"],
    ],
    [
      "the lights of a floor",
      group("HassTurnOff", { slots: { domain: "light" } }),
      [floor("Downstairs", "downstairs")],
      {},
      ["light.counter", "light.kitchen", "light.living_lamp", "light.shelf_left", "light.shelf_right"],
    ],
    [
      "the lights where the speaker is",
      group("HassTurnOn", { slots: { domain: "light" } }),
      [],
      { areaId: "kitchen" },
      ["light.counter", "light.kitchen"],
    ],
    [
      "every light when context is off",
      group("HassTurnOn", { slots: { domain: "light" }, contextArea: false }),
      [],
      { areaId: "kitchen" },
      [
        "light.bedroom_lamp",
        "light.counter",
        "light.kitchen",
        "light.living_lamp",
        "light.porch",
        "light.shelf_left",
        "light.shelf_right",
      ],
    ],
    [
      "every light with no speaker area",
      group("HassTurnOn", { slots: { domain: "light" } }),
      [],
      {},
      [
        "light.bedroom_lamp",
        "light.counter",
        "light.kitchen",
        "light.living_lamp",
        "light.porch",
        "light.shelf_left",
        "light.shelf_right",
      ],
    ],
    [
      "the home's only thermostat from another room",
      group("HassClimateSetTemperature"),
      [],
      { areaId: "kitchen" },
      ["climate.thermostat"],
    ],
    [
      "covers of a device class",
      group("HassTurnOn", { slots: { domain: "cover", device_class: "blind" } }),
      [],
      {},
      ["cover.bedroom_blind"],
    ],
    [
      "a cover through a cover-only sentence",
      group("HassTurnOn", { slots: { domain: "cover" }, requires: { domain: ["cover"] } }),
      [name("Garage Door", ["cover.garage_door"])],
      {},
      ["cover.garage_door"],
    ],
    [
      "a sensor in a question",
      group("HassGetState"),
      [name("Kitchen Temperature", ["sensor.kitchen_temp"])],
      {},
      ["sensor.kitchen_temp"],
    ],
    [
      "the speaker's own area despite an area-less sentence",
      group("HassMediaPause"),
      [],
      { areaId: "living_room" },
      ["media_player.tv"],
    ],
  ])("finds %s", (_what, g, captures, context, expected) => {
    expect(targets(resolve(g, captures, context))).toEqual(expected);
  });

  it.each<[string, CompiledGroup, Capture[], SpeakerContext, string]>([
    [
      "an unknown name",
      group("HassTurnOn"),
      [unknown("name", "garage heater")],
      {},
      "unknown_name: garage heater",
    ],
    [
      "an unknown area",
      group("HassTurnOn", { slots: { domain: "light" } }),
      [unknown("area", "attic")],
      {},
      "unknown_area: attic",
    ],
    [
      "an unknown floor",
      group("HassTurnOn", { slots: { domain: "light" } }),
      [unknown("floor", "cellar")],
      {},
      "unknown_floor: cellar",
    ],
    [
      "a floor said where an area fits",
      group("HassTurnOn", { slots: { domain: "light" } }),
      [unknown("area", "third floor")],
      {},
      "unknown_floor: third floor",
    ],
    [
      "a device that cannot do it",
      group("HassTurnOn"),
      [name("Kitchen Temperature", ["sensor.kitchen_temp"])],
      {},
      "unsupported: Kitchen Temperature",
    ],
    [
      "a device the sentence excludes",
      group("HassTurnOn", { excludes: { domain: ["cover"] } }),
      [name("Garage Door", ["cover.garage_door"])],
      {},
      "unsupported: Garage Door",
    ],
    [
      "a device the sentence does not allow",
      group("HassTurnOn", { requires: { domain: ["cover"] } }),
      [name("Kettle", ["switch.kettle"])],
      {},
      "unsupported: Kettle",
    ],
    [
      "a device of the wrong class",
      group("HassTurnOn", { requires: { device_class: ["garage"] } }),
      [name("Blind", ["cover.bedroom_blind"])],
      {},
      "unsupported: Blind",
    ],
    [
      "no lights in an area",
      group("HassTurnOn", { slots: { domain: "light" } }),
      [area("Garage", "garage")],
      {},
      "no_targets: lights in the garage",
    ],
    [
      "a name not in the named area",
      group("HassTurnOn"),
      [name("Lamp", ["light.living_lamp", "light.bedroom_lamp"]), area("Kitchen", "kitchen")],
      {},
      "no_targets: devices called lamp in the kitchen",
    ],
    [
      "no lights where the speaker is",
      group("HassTurnOn", { slots: { domain: "light" } }),
      [],
      { areaId: "garage" },
      "no_targets: lights in the garage",
    ],
  ])("reports %s", (_what, g, captures, context, expected) => {
    expect(targets(resolve(g, captures, context))).toBe(expected);
  });

  it("asks which one when a name fits devices in several areas", () => {
    const r = resolve(group("HassTurnOn"), [name("Lamp", ["light.living_lamp", "light.bedroom_lamp"])], {
      areaId: "kitchen",
    });
    expect(r).toMatchObject({
      ok: false,
      reason: "ambiguous",
      subject: "Lamp",
      intent: { name: "HassTurnOn", slots: { name: "Lamp" } },
    });
    expect(r.ok ? [] : r.candidates).toEqual(
      expect.arrayContaining([
        { id: "light.living_lamp", name: "Lamp", area: "Living Room" },
        { id: "light.bedroom_lamp", name: "Lamp", area: "Bedroom" },
      ]),
    );
  });

  describe("area-local names", () => {
    const tv = () => name("Living Room TV", ["media_player.tv"], { quality: "local", text: "tv" });

    it.each<[string, Capture[], SpeakerContext, string[] | string]>([
      ["in the speaker's area", [tv()], { areaId: "living_room" }, ["media_player.tv"]],
      [
        "with the device's area said",
        [tv(), area("Living Room", "living_room")],
        { areaId: "kitchen" },
        ["media_player.tv"],
      ],
      ["from another area, when it is the only one", [tv()], { areaId: "kitchen" }, ["media_player.tv"]],
      ["with no speaker area, when it is the only one", [tv()], {}, ["media_player.tv"]],
      [
        "with another area said",
        [tv(), area("Kitchen", "kitchen")],
        { areaId: "living_room" },
        "unknown_name: tv",
      ],
    ])("resolve %s as %j", (_what, captures, context, expected) => {
      expect(targets(resolve(group("HassTurnOn"), captures, context))).toEqual(expected);
    });
  });

  describe("slots", () => {
    it("keeps the sentence's fixed slots and adds the captured ones", () => {
      const r = resolve(group("HassLightSet", { slots: { domain: "light" } }), [
        area("Kitchen", "kitchen"),
        cap("brightness", "50", undefined, { value: 50 }),
      ]);
      expect(r.ok && r.intent.slots).toEqual({ domain: "light", area: "Kitchen", brightness: 50 });
    });

    it("names the speaker's area when it chose the targets", () => {
      const r = resolve(group("HassTurnOn", { slots: { domain: "light" } }), [], { areaId: "kitchen" });
      expect(r.ok && r.intent.slots).toEqual({ domain: "light", area: "Kitchen" });
    });

    it.each<[string, Capture, Record<string, number>]>([
      [
        "a duration as hours / minutes / seconds",
        cap("duration", "5400", undefined, { value: 5400, extra: { hours: 1, minutes: 30 } }),
        { hours: 1, minutes: 30 },
      ],
      [
        "a starting duration with its prefix",
        { ...cap("duration", "300", undefined, { value: 300, extra: { minutes: 5 } }), slot: "start" },
        { start_minutes: 5 },
      ],
    ])("spreads %s", (_what, capture, expected) => {
      const r = resolve(group("HassStartTimer"), [capture]);
      expect(r.ok && r.intent).toEqual({ name: "HassStartTimer", slots: expected, targets: [] });
    });

    it("gives intents without devices the devices they name, and none otherwise", () => {
      expect(targets(resolve(group("MyIntent"), [name("Kettle", ["switch.kettle"])]))).toEqual([
        "switch.kettle",
      ]);
      expect(targets(resolve(group("HassGetCurrentTime"), []))).toEqual([]);
    });
  });
});
