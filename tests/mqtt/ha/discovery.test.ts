import { describe, expect, it } from "vitest";
import { type DiscoveryResult, parseDiscoveryMessage, slugId } from "../../../src/mqtt/ha/discovery.js";
import { reservedCommandTopics } from "../../../src/mqtt/topics.js";
import { Registry } from "../../../src/registry/registry.js";
import {
  esphomeLight,
  esphomeTemperature,
  type Fixture,
  payloadOf,
  tasmotaDimmer,
  tasmotaRelay,
  z2mBulb,
  z2mDeviceBased,
  z2mLinkquality,
  z2mPlug,
  z2mPlugPower,
  z2mThermostat,
} from "../fixtures/discovery.js";

const registry = new Registry({
  areas: [
    { id: "living_room", name: "Living Room", aliases: ["lounge"] },
    { id: "bedroom", name: "Bedroom", aliases: [] },
    { id: "office", name: "Office", aliases: [] },
  ],
});
const context = { prefix: "homeassistant", findArea: (name: string) => registry.findArea(name) };

function parse(fixture: Fixture): DiscoveryResult {
  return parseDiscoveryMessage(fixture[0], payloadOf(fixture), context);
}

function single(fixture: Fixture) {
  const result = parse(fixture);
  if (result.kind !== "config") throw new Error(`expected config, got ${JSON.stringify(result)}`);
  expect(result.entities).toHaveLength(1);
  const first = result.entities[0];
  if (!first) throw new Error("no entity");
  return first;
}

describe("parseDiscoveryMessage", () => {
  it("builds a zigbee2mqtt json-schema bulb named after its device, in the suggested area", () => {
    const { entity, unknownArea } = single(z2mBulb);
    expect(entity.id).toBe("light.0x0017880104e45517_light_zigbee2mqtt");
    expect(entity.name).toBe("Living room bulb");
    expect(entity.domain).toBe("light");
    expect(entity.areaId).toBe("living_room");
    expect(unknownArea).toBeUndefined();
    expect(entity.source).toBe("discovery");
    expect(entity.mqtt?.command_topic).toBe("zigbee2mqtt/Living room bulb/set");
    expect(entity.mqtt?.schema).toBe("json");
  });

  it("gives a fan the speed step of its speed range, as Home Assistant's MQTT fan does", () => {
    const fan = (extra: Record<string, unknown>): Fixture => [
      "homeassistant/fan/regulator/fan/config",
      { name: "Hall Fan", unique_id: "hall_regulator", command_topic: "hall/fan/set", ...extra },
    ];
    // A five-speed regulator (1–5) steps by 20 percent; no range is Home Assistant's 1–100.
    expect(single(fan({ speed_range_min: 1, speed_range_max: 5 })).entity.attributes.percentage_step).toBe(
      20,
    );
    expect(single(fan({ spd_rng_max: 4 })).entity.attributes.percentage_step).toBe(25);
    expect(single(fan({})).entity.attributes.percentage_step).toBe(1);
  });

  it("composes device name and entity name, and keeps unit and device class", () => {
    const { entity } = single(z2mPlugPower);
    expect(entity.name).toBe("Coffee plug Power");
    expect(entity.id).toBe("sensor.0x0c4314fffe1234ab_power_zigbee2mqtt");
    expect(entity.deviceClass).toBe("power");
    expect(entity.unit).toBe("W");
  });

  it("keeps the entity's own name beside the composed one, to be said alone", () => {
    const result = parseDiscoveryMessage(
      "homeassistant/switch/p77/config",
      JSON.stringify({
        name: "Heater Plug",
        cmd_t: "p77/set",
        uniq_id: "p77_1",
        dev: { ids: "p77", name: "Plug 77" },
      }),
      context,
    );
    const entity = result.kind === "config" ? result.entities[0]?.entity : undefined;
    expect(entity).toMatchObject({ name: "Plug 77 Heater Plug", ownName: "Heater Plug" });
    expect(single(z2mPlug).entity.ownName).toBeUndefined();
  });

  it("uses the entity name alone when there is no device name", () => {
    const { entity } = single(tasmotaDimmer);
    expect(entity.name).toBe("Hall dimmer");
    expect(entity.ownName).toBeUndefined();
    expect(entity.id).toBe("light.a1b2c3_li_1");
  });

  it("expands Tasmota's abbreviations and base topic before building", () => {
    const { entity } = single(tasmotaRelay);
    expect(entity.name).toBe("Desk plug Desk fan plug");
    expect(entity.mqtt?.command_topic).toBe("desk_plug/cmnd/POWER");
    expect(entity.mqtt?.payload_available).toBe("Online");
  });

  it("reports a suggested area that matches no configured area and leaves the area unset", () => {
    const result = parseDiscoveryMessage(
      esphomeLight[0],
      JSON.stringify({ ...esphomeLight[1], dev: { ids: "x", name: "Node", sa: "Conservatory" } }),
      context,
    );
    expect(result.kind).toBe("config");
    if (result.kind !== "config") return;
    expect(result.entities[0]?.entity.areaId).toBeUndefined();
    expect(result.entities[0]?.unknownArea).toBe("Conservatory");
  });

  it("matches suggested areas by alias and ignoring case", () => {
    const result = parseDiscoveryMessage(
      "homeassistant/switch/s1/config",
      JSON.stringify({ name: "Lamp", cmd_t: "s1/set", dev: { ids: "s1", name: "S1", sa: "LOUNGE" } }),
      context,
    );
    expect(result.kind === "config" && result.entities[0]?.entity.areaId).toBe("living_room");
  });

  it("names ESPHome entities by device and entity name", () => {
    expect(single(esphomeTemperature).entity.name).toBe("office-node Office Temperature");
    expect(single(esphomeTemperature).entity.areaId).toBe("office");
  });

  it("builds every component of a device-based payload with shared options inherited", () => {
    const result = parse(z2mDeviceBased);
    expect(result.kind).toBe("config");
    if (result.kind !== "config") return;
    const byId = Object.fromEntries(result.entities.map((d) => [d.entity.id, d.entity]));
    expect(Object.keys(byId).sort()).toEqual([
      "light.0x54ef4410001a2b3c_light_zigbee2mqtt",
      "sensor.0x54ef4410001a2b3c_power_zigbee2mqtt",
    ]);
    const light = byId["light.0x54ef4410001a2b3c_light_zigbee2mqtt"];
    expect(light?.name).toBe("Reading lamp");
    expect(light?.mqtt?.state_topic).toBe("zigbee2mqtt/Reading lamp");
    expect(light?.mqtt?.availability).toEqual([
      { topic: "zigbee2mqtt/bridge/state", value_template: "{{ value_json.state }}" },
    ]);
    expect(byId["sensor.0x54ef4410001a2b3c_power_zigbee2mqtt"]?.name).toBe("Reading lamp Power");
    // The identify button is a config entity: skipped, and the reason says so.
    expect(result.skipped).toEqual([
      { id: "identify", reason: "entity_category 'config' is not exposed to voice" },
    ]);
  });

  it("skips diagnostic entities with a reason", () => {
    const result = parse(z2mLinkquality);
    expect(result).toMatchObject({ kind: "config", entities: [], skipped: [{ id: "linkquality" }] });
  });

  it("returns the same ids for the same messages, as after a restart", () => {
    const first = [z2mBulb, z2mPlug, z2mThermostat].map((f) => single(f).entity.id);
    const again = [z2mBulb, z2mPlug, z2mThermostat].map((f) => single(f).entity.id);
    expect(again).toEqual(first);
  });

  it("derives the id from node and object id when there is no unique_id", () => {
    const result = parseDiscoveryMessage(
      "homeassistant/switch/node7/pump/config",
      JSON.stringify({ name: "Pump", command_topic: "pump/set" }),
      context,
    );
    expect(result.kind === "config" && result.entities[0]?.entity.id).toBe("switch.node7_pump");
  });

  it("uses the device name for an entity whose name is null", () => {
    expect(single(z2mPlug).entity.name).toBe("Coffee plug");
  });

  it("does not repeat a device name the entity name already starts with", () => {
    const result = parseDiscoveryMessage(
      "homeassistant/switch/x/config",
      JSON.stringify({ name: "Garden pump relay", cmd_t: "x/set", dev: { ids: "x", name: "Garden pump" } }),
      context,
    );
    expect(result.kind === "config" && result.entities[0]?.entity.name).toBe("Garden pump relay");
  });

  it("turns an empty payload into a removal", () => {
    expect(parseDiscoveryMessage(z2mBulb[0], "", context)).toEqual({ kind: "remove", topic: z2mBulb[0] });
    expect(parseDiscoveryMessage(z2mDeviceBased[0], new Uint8Array(0), context)).toEqual({
      kind: "remove",
      topic: z2mDeviceBased[0],
    });
  });

  it("reports invalid JSON and non-object payloads", () => {
    expect(parseDiscoveryMessage(z2mBulb[0], "{nope", context)).toMatchObject({
      kind: "invalid",
      reason: "payload is not valid JSON",
    });
    expect(parseDiscoveryMessage(z2mBulb[0], "[1,2]", context)).toMatchObject({ kind: "invalid" });
  });

  it("reports unknown components as invalid and known unused ones as ignored", () => {
    expect(parseDiscoveryMessage("homeassistant/teleporter/x/config", "{}", context)).toMatchObject({
      kind: "invalid",
      reason: "unknown component 'teleporter'",
    });
    expect(
      parseDiscoveryMessage("homeassistant/device_automation/x/action/config", "{}", context),
    ).toMatchObject({
      kind: "ignored",
    });
  });

  it("ignores messages that are not config topics and refuses illegal config topics", () => {
    expect(parseDiscoveryMessage("homeassistant/status", "online", context).kind).toBe("ignored");
    expect(parseDiscoveryMessage("other/light/x/config", "{}", context).kind).toBe("ignored");
    expect(parseDiscoveryMessage("homeassistant/light/bad id!/config", "{}", context).kind).toBe("invalid");
  });

  it("refuses configs whose topics contain wildcards", () => {
    for (const topic of ["zigbee2mqtt/+/set", "#", "a/#", "a+b"]) {
      const result = parseDiscoveryMessage(
        "homeassistant/switch/x/config",
        JSON.stringify({ cmd_t: topic }),
        context,
      );
      expect(result).toMatchObject({
        kind: "invalid",
        reason: "command_topic is not a valid topic without wildcards",
      });
    }
    const availability = parseDiscoveryMessage(
      "homeassistant/switch/x/config",
      JSON.stringify({ cmd_t: "ok", avty: [{ t: "x/#" }] }),
      context,
    );
    expect(availability.kind).toBe("invalid");
  });

  it("refuses wrongly typed fields with the field named", () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ cmd_t: 5 }, "command_topic is not a string"],
      [{ cmd_t: "a", name: { x: 1 } }, "name is not a string or null"],
      [{ cmd_t: "a", dev: "x" }, "device is not an object"],
      [{ cmd_t: "a", uniq_id: [] }, "unique_id is not a string"],
    ];
    for (const [payload, reason] of cases) {
      expect(
        parseDiscoveryMessage("homeassistant/switch/x/config", JSON.stringify(payload), context),
      ).toEqual({
        kind: "invalid",
        topic: "homeassistant/switch/x/config",
        reason,
      });
    }
  });

  it("accepts a numeric unique_id as text, as Home Assistant does", () => {
    const result = parseDiscoveryMessage(
      "homeassistant/switch/x/config",
      JSON.stringify({ cmd_t: "a", uniq_id: 42, name: "N" }),
      context,
    );
    expect(result.kind === "config" && result.entities[0]?.entity.id).toBe("switch.42");
  });

  it("refuses topics the broker would refuse, naming the option and the rule", () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ cmd_t: "a/\u0001b" }, "command_topic would be refused by the broker"],
      [{ cmd_t: "a", stat_t: "s/\u0085" }, "state_topic would be refused by the broker"],
      [{ cmd_t: "a", stat_t: "s/\ufffe" }, "state_topic would be refused by the broker"],
      [{ cmd_t: "a/#" }, "command_topic is not a valid topic without wildcards"],
      [{ cmd_t: "x".repeat(1025) }, "command_topic longer than 1024 characters"],
    ];
    for (const [payload, reason] of cases) {
      const result = parseDiscoveryMessage("homeassistant/switch/x/config", JSON.stringify(payload), context);
      expect(result.kind).toBe("invalid");
      expect(result.kind === "invalid" && result.reason).toContain(reason);
    }
  });

  it("refuses what Home Assistant refuses: a switch or light without command_topic, a sensor without state_topic", () => {
    for (const [topic, payload, reason] of [
      ["homeassistant/light/x/config", { a: 1 }, "a light needs a command_topic"],
      ["homeassistant/switch/x/config", { name: "n", stat_t: "s" }, "a switch needs a command_topic"],
      ["homeassistant/sensor/x/config", { name: "n" }, "a sensor needs a state_topic"],
    ] as const) {
      expect(parseDiscoveryMessage(topic, JSON.stringify(payload), context)).toEqual({
        kind: "invalid",
        topic,
        reason,
      });
    }
  });

  it("never lets a device be commanded on Hearth's, Hermes', discovery or $ topics", () => {
    const guarded = {
      ...context,
      reservedCommandTopic: reservedCommandTopics({ baseTopic: "hearth", discoveryPrefix: "ha" }),
    };
    for (const [cmd, what] of [
      ["hearth/kitchen/command/text", "Hearth's own topics"],
      ["hearth/other-site/set/mute", "Hearth's own topics"],
      ["hermes/nlu/query", "the Hermes topics"],
      ["ha/switch/y/config", "Home Assistant discovery"],
      ["homeassistant/status", "Home Assistant discovery"],
      ["$SYS/broker/x", "the broker's $ topics"],
    ]) {
      const result = parseDiscoveryMessage(
        "homeassistant/switch/x/config",
        JSON.stringify({
          name: "Loop switch",
          cmd_t: "plug/set",
          bri_cmd_t: cmd,
          pl_on: "turn on the loop switch",
        }),
        guarded,
      );
      expect(result, cmd).toEqual({
        kind: "invalid",
        topic: "homeassistant/switch/x/config",
        reason: `brightness_command_topic points at ${what}`,
      });
    }
    // Reading a state from such a topic is harmless; "hearthling/…" is not under "hearth/".
    const fine = parseDiscoveryMessage(
      "homeassistant/switch/x/config",
      JSON.stringify({ name: "Plug", cmd_t: "hearthling/plug/set", stat_t: "hearth/kitchen/status" }),
      guarded,
    );
    expect(fine.kind).toBe("config");
  });

  it("keeps to the allow-list when one is given: node ids, or topic filters every topic must match", () => {
    const allow = { ...context, allow: ["porch_node", "zigbee2mqtt/#"] };
    const kind = (topic: string, payload: Record<string, unknown>) =>
      parseDiscoveryMessage(topic, JSON.stringify(payload), allow).kind;
    expect(kind("homeassistant/switch/porch_node/plug/config", { cmd_t: "any/where" })).toBe("config");
    expect(kind("homeassistant/switch/z/plug/config", { cmd_t: "zigbee2mqtt/plug/set" })).toBe("config");
    expect(
      kind("homeassistant/switch/z/plug/config", { cmd_t: "zigbee2mqtt/plug/set", stat_t: "elsewhere/plug" }),
    ).toBe("invalid");
    expect(kind("homeassistant/switch/other/plug/config", { cmd_t: "other/set" })).toBe("invalid");
  });

  it("treats a migration request as a removal", () => {
    expect(parseDiscoveryMessage(z2mPlug[0], '{"migrate_discovery": true}', context).kind).toBe("remove");
  });
});

describe("slugId", () => {
  it("makes lower-case ASCII slugs and hashes what would otherwise be empty or too long", () => {
    expect(slugId("Küche Licht 1")).toBe("kuche_licht_1");
    expect(slugId("0x0017880104e45517_light_zigbee2mqtt")).toBe("0x0017880104e45517_light_zigbee2mqtt");
    expect(slugId("🙂")).toMatch(/^id_[0-9a-f]{8}$/);
    expect(slugId("🙂")).toBe(slugId("🙂"));
    expect(slugId("🙂")).not.toBe(slugId("🙃"));
    const long = slugId("a".repeat(500));
    expect(long.length).toBeLessThanOrEqual(100);
    expect(long).not.toBe(slugId(`${"a".repeat(499)}b`));
  });
});
