import { connectAsync, type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/core/logger.js";
import type { RecognizedIntent } from "../../src/intents/types.js";
import { asClause, MqttActuator, needsCommands, UNREACHABLE_REASON } from "../../src/mqtt/actuator.js";
import { MqttConnection } from "../../src/mqtt/client.js";
import { EmbeddedBroker } from "../../src/mqtt/embedded-broker.js";
import { Registry } from "../../src/registry/registry.js";
import type { Entity } from "../../src/registry/types.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { Inbox, unique } from "./harness.js";

const signal = new AbortController().signal;

function light(id: string, name: string, commandTopic: string, extra: Record<string, unknown> = {}): Entity {
  return {
    id,
    name,
    domain: "light",
    areaId: "kitchen",
    aliases: [],
    attributes: {},
    source: "discovery",
    mqtt: { command_topic: commandTopic, ...extra },
  };
}

describe("MqttActuator", () => {
  let broker: EmbeddedBroker;
  let observer: MqttClient;
  let inbox: Inbox;
  let connection: MqttConnection;
  const ns = unique("act");
  const registry = new Registry({
    areas: [{ id: "kitchen", name: "Kitchen", aliases: [] }],
    entities: [
      light("light.a", "Counter", `${ns}/a/set`),
      light("light.b", "Ceiling", `${ns}/b/set`, { schema: "json", brightness: true }),
      light("light.c", "Plain", `${ns}/c/set`),
      {
        id: "light.config_only",
        name: "Config lamp",
        domain: "light",
        aliases: [],
        attributes: {},
        source: "config",
      },
    ],
  });

  // The connection's and actuator's waits (grace periods, the start-up limit) on a clock that nothing
  // moves: a command the broker acknowledges late on a busy machine is never failed for it.
  const waits = new ManualClock();

  beforeAll(async () => {
    broker = new EmbeddedBroker({ port: 0, logger: silentLogger() });
    const url = await broker.start();
    observer = await connectAsync(url, { clientId: unique("observer") });
    inbox = new Inbox(observer);
    await observer.subscribeAsync(`${ns}/#`, { qos: 1 });
    connection = new MqttConnection({
      url,
      clientId: unique("actuator"),
      statusTopic: `${ns}/status`,
      commandGraceMs: 3000,
      startupTimeoutMs: 5000,
      logger: silentLogger(),
      clock: waits,
    });
    await connection.start();
  });
  afterAll(async () => {
    await connection?.stop();
    await observer?.endAsync(true);
    await broker?.stop();
  });

  const actuator = () =>
    new MqttActuator({ connection, registry, graceMs: 2000, log: silentLogger(), clock: waits });

  it("fans an area command out to every target, each acknowledged by the broker", async () => {
    const intent: RecognizedIntent = {
      name: "HassTurnOff",
      slots: { area: "Kitchen", domain: "light" },
      targets: ["light.a", "light.b"],
    };
    const outcomes = await actuator().act(intent, signal);
    expect(outcomes).toEqual([
      expect.objectContaining({ entityId: "light.a", intent: "HassTurnOff", ok: true, topic: `${ns}/a/set` }),
      expect.objectContaining({ entityId: "light.b", intent: "HassTurnOff", ok: true, topic: `${ns}/b/set` }),
    ]);
    await inbox.until(() => inbox.messages.length >= 2);
    expect(inbox.on(`${ns}/a/set`)).toEqual(["OFF"]);
    expect(inbox.on(`${ns}/b/set`)).toEqual(['{"state":"OFF"}']);
  });

  it("gives the schema's refusal as a clause the reply can embed", async () => {
    const intent: RecognizedIntent = {
      name: "HassLightSet",
      slots: { brightness: 40 },
      targets: ["light.c"],
    };
    const [outcome] = await actuator().act(intent, signal);
    expect(outcome).toMatchObject({ entityId: "light.c", ok: false, reason: "Plain can't be dimmed" });
  });

  it("fails a device without MQTT config with a reason the user hears", async () => {
    const intent: RecognizedIntent = { name: "HassTurnOn", slots: {}, targets: ["light.config_only"] };
    expect(await actuator().act(intent, signal)).toEqual([
      expect.objectContaining({ ok: false, reason: "I don't know how to control the Config lamp" }),
    ]);
  });

  it("sends nothing for questions, timers and the user's own intents", async () => {
    for (const intent of <RecognizedIntent[]>[
      { name: "HassGetState", slots: {}, targets: ["light.a"] },
      { name: "HassStartTimer", slots: { minutes: 5 }, targets: [] },
      { name: "OrderDrink", slots: { drink: "tea" }, targets: ["light.a"] },
    ]) {
      expect(needsCommands(intent)).toBe(false);
      expect(await actuator().act(intent, signal)).toEqual([]);
    }
    expect(needsCommands({ name: "HassTurnOn", slots: {}, targets: [] })).toBe(true);
  });

  it("does not send after the request was cancelled", async () => {
    const controller = new AbortController();
    controller.abort();
    const intent: RecognizedIntent = { name: "HassTurnOn", slots: {}, targets: ["light.c"] };
    const before = inbox.on(`${ns}/c/set`).length;
    const [outcome] = await actuator().act(intent, controller.signal);
    expect(outcome).toMatchObject({ ok: false, reason: "the request was cancelled" });
    // A later command to another light arrives; the cancelled one never did.
    await actuator().act({ name: "HassTurnOn", slots: {}, targets: ["light.a"] }, signal);
    await inbox.until(() => inbox.on(`${ns}/a/set`).includes("ON"));
    expect(inbox.on(`${ns}/c/set`).length).toBe(before);
  });

  it("reports an unreachable broker once the grace period is over", async () => {
    // A broker of its own, which then goes away.
    const other = new EmbeddedBroker({ port: 0, logger: silentLogger() });
    const url = await other.start();
    // Its grace period runs out when the test moves the clock, once Hearth knows the broker is gone.
    const clock = new ManualClock();
    const gone = new MqttConnection({
      url,
      clientId: unique("gone"),
      statusTopic: `${ns}/gone/status`,
      commandGraceMs: 3000,
      startupTimeoutMs: 5000,
      reconnectMinMs: 10_000,
      logger: silentLogger(),
      clock,
    });
    await gone.start();
    await other.stop();
    while (gone.connected) await new Promise((resolve) => setTimeout(resolve, 20));
    const act = new MqttActuator({ connection: gone, registry, graceMs: 300, log: silentLogger(), clock });
    const acting = act.act({ name: "HassTurnOn", slots: {}, targets: ["light.a"] }, signal);
    // Once the command waits for the broker (its grace period armed on the clock), the period passes.
    while (!clock.pending.includes(300)) await new Promise((resolve) => setTimeout(resolve, 20));
    clock.advance(300);
    const [outcome] = await acting;
    await gone.stop();
    expect(outcome).toMatchObject({ ok: false, reason: UNREACHABLE_REASON });
  });

  it("turns sentences into clauses", () => {
    expect(asClause("The Kitchen Light can't be dimmed.")).toBe("the Kitchen Light can't be dimmed");
    // A device's own name opens the sentence as written.
    expect(asClause("Rocky can't be controlled over MQTT.")).toBe("Rocky can't be controlled over MQTT");
    expect(asClause("I don't know whether the blind is open or closed.")).toBe(
      "I don't know whether the blind is open or closed",
    );
    expect(asClause("What speed should the fan run at?")).toBe("what speed should the fan run at");
  });
});
