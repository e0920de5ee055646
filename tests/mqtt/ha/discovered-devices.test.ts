import { connectAsync, type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../../src/core/logger.js";
import { MqttConnection } from "../../../src/mqtt/client.js";
import { EmbeddedBroker } from "../../../src/mqtt/embedded-broker.js";
import { buildCommands } from "../../../src/mqtt/ha/actions.js";
import { DiscoveredDevices } from "../../../src/mqtt/ha/discovered-devices.js";
import { Registry } from "../../../src/registry/registry.js";
import { ManualClock } from "../../helpers/manual-clock.js";
import { registryUntil } from "../../helpers/observed-broker.js";
import {
  type Fixture,
  payloadOf,
  tasmotaRelay,
  z2mBulb,
  z2mDeviceBased,
  z2mLock,
  z2mPlug,
  z2mThermostat,
} from "../fixtures/discovery.js";

/** The fixture under this test's own discovery prefix. */
function under(prefix: string, [topic, payload]: Fixture): Fixture {
  return [topic.replace(/^homeassistant\//, `${prefix}/`), payload];
}

describe("DiscoveredDevices with a real broker", () => {
  const prefix = `ha-${process.pid}`;
  let broker: EmbeddedBroker;
  let publisher: MqttClient;
  let connection: MqttConnection;
  let devices: DiscoveredDevices;
  const registry = new Registry({
    areas: [
      { id: "living_room", name: "Living Room", aliases: [] },
      { id: "kitchen", name: "Kitchen", aliases: [] },
      { id: "hallway", name: "Hallway", aliases: [] },
    ],
    entities: [
      {
        id: "switch.0x0c4314fffe1234ab_switch_zigbee2mqtt",
        name: "Coffee machine",
        domain: "switch",
        areaId: "kitchen",
        aliases: ["espresso"],
        attributes: {},
        source: "config",
      },
    ],
  });

  const retain = (fixture: Fixture) =>
    publisher.publishAsync(under(prefix, fixture)[0], payloadOf(fixture), { qos: 1, retain: true });

  beforeAll(async () => {
    broker = new EmbeddedBroker({ port: 0, logger: silentLogger() });
    const url = await broker.start();
    publisher = await connectAsync(url, { clientId: `${prefix}-publisher` });
    // Retained before Hearth starts, as after a restart: configs and the last known states.
    for (const f of [z2mBulb, z2mPlug, z2mThermostat, z2mLock, tasmotaRelay, z2mDeviceBased]) await retain(f);
    await publisher.publishAsync("zigbee2mqtt/Coffee plug", '{"state":"ON","power":1200}', {
      qos: 1,
      retain: true,
    });
    await publisher.publishAsync(
      "zigbee2mqtt/Bedroom radiator",
      '{"system_mode":"heat","local_temperature":19.5,"current_heating_setpoint":21}',
      { qos: 1, retain: true },
    );
    connection = new MqttConnection({
      url,
      clientId: `${prefix}-hearth`,
      statusTopic: `hearth-${process.pid}/test/status`,
      commandGraceMs: 3000,
      startupTimeoutMs: 5000,
      logger: silentLogger(),
      // Its start-up limit on a clock nothing moves: a machine slow to connect fails nothing.
      clock: new ManualClock(),
    });
    await connection.start();
    devices = new DiscoveredDevices({ registry, prefix, logger: silentLogger() });
    await devices.start(connection);
  });

  afterAll(async () => {
    await devices?.stop();
    await connection?.stop();
    await publisher?.endAsync(true);
    await broker?.stop();
  });

  it("learns every retained discovery config with names and areas", async () => {
    await registryUntil(registry, () => devices.entityIds().length >= 7);
    const bulb = registry.entity("light.0x0017880104e45517_light_zigbee2mqtt");
    expect(bulb).toMatchObject({
      name: "Living room bulb",
      areaId: "living_room",
      domain: "light",
      source: "discovery",
    });
    expect(registry.entity("lock.0x000d6f0011223344_lock_zigbee2mqtt")).toMatchObject({ areaId: "hallway" });
    expect(registry.entity("switch.5ccf7f_rl_1")?.mqtt?.command_topic).toBe("desk_plug/cmnd/POWER");
    expect(registry.entity("light.0x54ef4410001a2b3c_light_zigbee2mqtt")?.name).toBe("Reading lamp");
  });

  it("keeps the config's name, area and aliases for a device the config also lists", async () => {
    await registryUntil(
      registry,
      () => registry.entity("switch.0x0c4314fffe1234ab_switch_zigbee2mqtt")?.mqtt !== undefined,
    );
    expect(registry.entity("switch.0x0c4314fffe1234ab_switch_zigbee2mqtt")).toMatchObject({
      name: "Coffee machine",
      areaId: "kitchen",
      aliases: ["espresso"],
      source: "config",
    });
  });

  it("follows retained state through value templates", async () => {
    await registryUntil(
      registry,
      () => registry.entity("switch.0x0c4314fffe1234ab_switch_zigbee2mqtt")?.state === "on",
    );
    await registryUntil(
      registry,
      () => registry.entity("climate.0x0c4314fffe9876ff_climate_zigbee2mqtt")?.state === "heat",
    );
    expect(registry.entity("climate.0x0c4314fffe9876ff_climate_zigbee2mqtt")?.attributes).toMatchObject({
      current_temperature: 19.5,
      temperature: 21,
    });
    await publisher.publishAsync("zigbee2mqtt/Coffee plug", '{"state":"OFF"}', { qos: 1 });
    await registryUntil(
      registry,
      () => registry.entity("switch.0x0c4314fffe1234ab_switch_zigbee2mqtt")?.state === "off",
    );
  });

  it("publishes the exact command a learned device expects", async () => {
    const lock = registry.entity("lock.0x000d6f0011223344_lock_zigbee2mqtt");
    if (!lock) throw new Error("lock not learned");
    const commands = buildCommands({ name: "HassTurnOn", slots: {}, targets: [lock.id] }, lock);
    if (!Array.isArray(commands)) throw new Error(commands.error);
    await publisher.subscribeAsync("zigbee2mqtt/Front door lock/set", { qos: 1 });
    const received = new Promise<string>((resolve) =>
      publisher.on("message", (topic, payload) => {
        if (topic === "zigbee2mqtt/Front door lock/set") resolve(payload.toString());
      }),
    );
    for (const c of commands) await connection.publish(c.topic, c.payload, { qos: c.qos, retain: c.retain });
    expect(await received).toBe("LOCK");
  });

  it("updates a changed config in place and keeps the id", async () => {
    const [topic, payload] = under(prefix, tasmotaRelay);
    await publisher.publishAsync(topic, JSON.stringify({ ...payload, name: "Reading fan" }), {
      qos: 1,
      retain: true,
    });
    await registryUntil(
      registry,
      () => registry.entity("switch.5ccf7f_rl_1")?.name === "Desk plug Reading fan",
    );
  });

  it("drops a component that a device-based config no longer lists", async () => {
    const [topic, payload] = under(prefix, z2mDeviceBased);
    const { power: _power, ...components } = (payload as { cmps: Record<string, unknown> }).cmps;
    await publisher.publishAsync(topic, JSON.stringify({ ...payload, cmps: components }), {
      qos: 1,
      retain: true,
    });
    await registryUntil(
      registry,
      () => registry.entity("sensor.0x54ef4410001a2b3c_power_zigbee2mqtt") === undefined,
    );
    expect(registry.entity("light.0x54ef4410001a2b3c_light_zigbee2mqtt")).toBeDefined();
  });

  it("removes an entity on an empty config, and restores a config device to its own definition", async () => {
    await publisher.publishAsync(under(prefix, z2mBulb)[0], "", { qos: 1, retain: true });
    await registryUntil(
      registry,
      () => registry.entity("light.0x0017880104e45517_light_zigbee2mqtt") === undefined,
    );
    await publisher.publishAsync(under(prefix, z2mPlug)[0], "", { qos: 1, retain: true });
    await registryUntil(
      registry,
      () => registry.entity("switch.0x0c4314fffe1234ab_switch_zigbee2mqtt")?.mqtt === undefined,
    );
    expect(registry.entity("switch.0x0c4314fffe1234ab_switch_zigbee2mqtt")).toMatchObject({
      name: "Coffee machine",
      source: "config",
    });
  });

  it("logs and skips invalid configs without losing what it knew", async () => {
    const before = devices.entityIds().length;
    await publisher.publishAsync(`${prefix}/light/broken/config`, "{not json", { qos: 1, retain: true });
    await publisher.publishAsync(`${prefix}/switch/evil/config`, '{"cmd_t":"#","name":"Evil"}', {
      qos: 1,
      retain: true,
    });
    // A valid config sent after them is applied, so the invalid ones have been processed by then.
    await retain(under(prefix, z2mBulb));
    await registryUntil(
      registry,
      () => registry.entity("light.0x0017880104e45517_light_zigbee2mqtt") !== undefined,
    );
    expect(devices.entityIds().length).toBe(before + 1);
    expect(registry.entities().some((e) => e.name === "Evil")).toBe(false);
  });
});
