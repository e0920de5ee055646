import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MqttClient } from "mqtt";
import { buildTextPath, type TextPath } from "../../src/app.js";
import type { LoadedConfig } from "../../src/config/loader.js";
import { parseConfig } from "../../src/config/parse-config.js";
import { type Clock, systemClock } from "../../src/core/clock.js";
import { EventBus } from "../../src/core/event-bus.js";
import type { HearthEvents } from "../../src/core/events.js";
import { silentLogger } from "../../src/core/logger.js";
import type { ListStore } from "../../src/intents/lists.js";
import { MqttActuator } from "../../src/mqtt/actuator.js";
import { MqttConnection } from "../../src/mqtt/client.js";
import {
  buildMqttParts,
  type HearthControl,
  type MqttPart,
  type MqttParts,
  type RunTextOptions,
} from "../../src/mqtt/hearth-mqtt.js";
import { hearthTopics } from "../../src/mqtt/topics.js";
import { type RunResult, TextPipeline } from "../../src/pipeline/text-pipeline.js";
import { ManualClock } from "../helpers/manual-clock.js";
import type { Fixture } from "./fixtures/discovery.js";

/**
 * A Hearth wired the way app.ts wires it, on a real broker: a real text path (templates, registry,
 * timers) built from a small config, the real pipeline, MqttActuator and the MQTT parts. Only the
 * `control` is the test's own: it runs the real pipeline and records what would be spoken.
 */

let counter = 0;
/** A name no other test (or test process) uses, for topics, site ids and client ids. */
export function unique(name: string): string {
  counter++;
  return `t${process.pid}${counter}${name}`.replace(/[^A-Za-z0-9_-]/g, "");
}

/** The control Hearth would get from app.ts: the real pipeline, speech recorded instead of played. */
export class RecordingControl implements HearthControl {
  readonly said: string[] = [];
  readonly runs: Array<{ text: string; options: RunTextOptions }> = [];
  listens = 0;
  #muted = false;

  constructor(readonly pipeline: TextPipeline) {}

  runText(text: string, options: RunTextOptions): Promise<RunResult> {
    this.runs.push({ text, options });
    return this.pipeline.run(text, {
      context: options.area !== undefined ? { area: options.area } : {},
      transaction: options.transaction,
      ...(options.runId !== undefined ? { runId: options.runId } : {}),
    });
  }

  async say(text: string): Promise<void> {
    this.said.push(text);
  }

  setMuted(muted: boolean): void {
    this.#muted = muted;
  }

  isMuted(): boolean {
    return this.#muted;
  }

  startListening(): void {
    this.listens++;
  }
}

export interface HarnessOptions {
  url: string;
  /** The lists Hearth keeps (shown as Home Assistant sensors). */
  lists?: ListStore;
  /** Extra YAML appended to the config (devices, intents …). */
  yaml?: string;
  graceMs?: number;
  hermes?: boolean;
  exposeTranscript?: boolean;
  siteId?: string;
  base?: string;
  prefix?: string;
  /** MQTT client id; default a unique one (give the same one to resume a persistent session). */
  clientId?: string;
  /**
   * Hearth's clock: the MQTT parts' (ages of commands), the connection's (grace periods, reconnect
   * waits, the start-up limit) and the actuator's. Without one, the ages of commands are on the
   * system clock, and the connection and actuator wait on a ManualClock that nothing moves: a
   * command's grace period never runs out however long a busy machine takes to see the broker's
   * acknowledgement. A test of grace periods or reconnects passes a clock and moves it.
   */
  clock?: Clock;
}

export interface Harness {
  siteId: string;
  base: string;
  prefix: string;
  topics: ReturnType<typeof hearthTopics>;
  connection: MqttConnection;
  bus: EventBus<HearthEvents>;
  text: TextPath;
  pipeline: TextPipeline;
  control: RecordingControl;
  /** The MQTT parts, built as app.ts builds them and started in its order. */
  parts: MqttParts;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Builds (without starting) a Hearth on `url` with its own site id, base topic and discovery prefix. */
export async function makeHarness(o: HarnessOptions): Promise<Harness> {
  const siteId = o.siteId ?? unique("site");
  const base = o.base ?? unique("base");
  const prefix = o.prefix ?? unique("ha");
  const graceMs = o.graceMs ?? 3000;
  const yaml = `
site: { id: ${siteId}, name: Test Hearth, area: Living Room }
areas:
  - { name: Living Room }
  - { name: Kitchen }
  - { name: Office }
devices:
  - { id: light.kitchen_lamp, name: Kitchen lamp, area: Kitchen, state: "off" }
mqtt:
  base_topic: ${base}
  discovery_prefix: ${prefix}
  command_grace_ms: ${graceMs}
  hermes: ${o.hermes ?? true}
  expose_transcript: ${o.exposeTranscript ?? false}
${o.yaml ?? ""}`;
  const config = parseConfig(yaml, "test config");
  const loaded: LoadedConfig = { config, path: join(tmpdir(), "hearth.yaml"), dir: tmpdir(), created: false };
  const log = silentLogger();
  const waits = o.clock ?? new ManualClock();
  const text = await buildTextPath(loaded, { llm: false, log });
  const topics = hearthTopics(base, siteId);
  const connection = new MqttConnection({
    url: o.url,
    clientId: o.clientId ?? unique("hearth"),
    statusTopic: topics.status,
    commandGraceMs: graceMs,
    startupTimeoutMs: 10_000,
    reconnectMinMs: 50,
    reconnectMaxMs: 250,
    holdOnline: true,
    logger: log,
    clock: waits,
  });
  const bus = new EventBus<HearthEvents>();
  const actuator = new MqttActuator({ connection, registry: text.registry, graceMs, log, clock: waits });
  const pipeline = new TextPipeline({
    understanding: text.understanding,
    actuator,
    bus,
    clock: o.clock ?? systemClock,
    siteId,
    log,
  });
  const control = new RecordingControl(pipeline);
  const parts = await buildMqttParts({
    connection,
    registry: text.registry,
    bus,
    config,
    log,
    control,
    swVersion: "0.0.0-test",
    ...(o.clock ? { clock: o.clock } : {}),
    ...(o.lists ? { lists: () => o.lists?.lists() ?? [] } : {}),
  });
  const order: MqttPart[] = [
    parts.devices,
    parts.commands,
    parts.self,
    ...(parts.hermes ? [parts.hermes] : []),
  ];
  return {
    siteId,
    base,
    prefix,
    topics,
    connection,
    bus,
    text,
    pipeline,
    control,
    parts,
    async start() {
      await connection.start();
      for (const part of order) await part.start();
      connection.announceOnline();
    },
    async stop() {
      for (const part of [...order].reverse()) await part.stop();
      await connection.stop();
      await text.close();
      bus.removeAll();
    },
  };
}

/** A fixture moved under `prefix`, with every device topic moved under `ns/` and some fields changed. */
export function relocate(
  [topic, payload]: Fixture,
  prefix: string,
  ns: string,
  changes: Record<string, unknown> = {},
): [string, string] {
  let json = JSON.stringify({ ...payload, ...changes });
  for (const root of [
    "zigbee2mqtt/",
    "desk_plug/",
    "home/",
    "office-node/",
    "garage-node/",
    "bedroom-node/",
  ]) {
    json = json.split(`"${root}`).join(`"${ns}/${root}`);
  }
  return [topic.replace(/^homeassistant\//, `${prefix}/`), json];
}

/** Every message on the topics `client` is subscribed to, in arrival order, with waiters. */
export class Inbox {
  readonly messages: Array<{ topic: string; payload: Buffer; retain: boolean }> = [];
  readonly #waiters: Array<() => void> = [];

  constructor(readonly client: MqttClient) {
    client.on("message", (topic, payload, packet) => {
      this.messages.push({ topic, payload, retain: packet.retain });
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  /** Messages on `topic` (as text). */
  on(topic: string): string[] {
    return this.messages.filter((m) => m.topic === topic).map((m) => m.payload.toString());
  }

  /** Resolves with the first message (from index `from`) that satisfies `accept`. */
  async next(
    accept: (m: { topic: string; payload: Buffer; retain: boolean }) => boolean,
    from = 0,
  ): Promise<{ topic: string; payload: Buffer; retain: boolean }> {
    for (;;) {
      const found = this.messages.slice(from).find(accept);
      if (found) return found;
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /**
   * Resolves once `check` holds: re-checked on every message, and every 20 ms, since a check may
   * also read Hearth's own state (a command counted after the last message arrived would otherwise
   * wait for a message that never comes). No deadline of its own: the test's timeout is the limit.
   */
  async until(check: () => boolean): Promise<void> {
    while (!check())
      await new Promise<void>((resolve) => {
        const recheck = setTimeout(resolve, 20);
        this.#waiters.push(() => {
          clearTimeout(recheck);
          resolve();
        });
      });
  }
}
