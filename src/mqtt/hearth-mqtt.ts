import { readFile } from "node:fs/promises";
import type { Config } from "../config/schema.js";
import { type Clock, systemClock } from "../core/clock.js";
import type { EventBus } from "../core/event-bus.js";
import type { HearthEvents } from "../core/events.js";
import type { Logger } from "../core/logger.js";
import { INTENTS } from "../intents/catalog.js";
import type { TodoList } from "../intents/lists.js";
import type { TimerChange } from "../intents/timers.js";
import type { Understanding } from "../intents/types.js";
import type { RunResult } from "../pipeline/text-pipeline.js";
import type { Registry } from "../registry/registry.js";
import type { IncomingMessage, MqttConnection } from "./client.js";
import { DiscoveredDevices } from "./ha/discovered-devices.js";
import { isHearthDiscoveryTopic, SelfDiscovery } from "./ha/self-discovery.js";
import { Hermes } from "./hermes.js";
import { parseBroadcast, parseSayPayload, parseTextCommand, staleReason } from "./inbound.js";
import { LogLimiter } from "./log-limiter.js";
import { hearthTopics, reservedCommandTopics } from "./topics.js";

/**
 * Hearth on MQTT. `HearthMqtt` serves Hearth's own topics: text commands that arrive on
 * `<base>/<site>/command/text` (each result published on `<base>/<site>/event/run`), `<base>/<site>/say`,
 * and the timeline of every spoken run. `buildMqttParts` builds it together with the other
 * long-lived MQTT parts (devices learned from discovery, Hearth's own Home Assistant device, Hermes),
 * unstarted: app.ts starts them in order, stops them in reverse and owns them. Device commands go
 * out through MqttActuator, which app.ts gives the text pipeline.
 */

/** Where a text run came from. */
export type RunSource = "mqtt" | "hermes";

export interface RunTextOptions {
  /** Echoed in the result, so the sender can match it to its request. */
  transaction?: string | undefined;
  /** The area the request is about when the sentence names none (overrides site.area). */
  area?: string | undefined;
  /** Hermes session id, when the request came with one. */
  sessionId?: string | undefined;
  /** Reuse this run id, so the run's events belong to the caller's session (Hermes). */
  runId?: string | undefined;
  source: RunSource;
}

/** What the MQTT layer asks of the rest of Hearth; app.ts implements it. */
export interface HearthControl {
  /** Runs the text path (understand → act → reply) and speaks the reply where that applies. */
  runText(text: string, options: RunTextOptions): Promise<RunResult>;
  /** Speaks a text (the `say` topic, Home Assistant's notify entity, hermes/tts/say). */
  say(text: string): Promise<void>;
  /** Mutes or unmutes the microphone (the mute switch, hermes/hotword/toggleOff|On). */
  setMuted(muted: boolean): void;
  isMuted(): boolean;
  /** Push-to-talk: starts listening as if the wake word had been heard. */
  startListening(): void;
}

export interface HearthMqttOptions {
  connection: MqttConnection;
  bus: EventBus<HearthEvents>;
  config: Pick<Config, "site" | "mqtt">;
  /** This satellite's id; default config.site.id. */
  siteId?: string | undefined;
  log: Logger;
  control: HearthControl;
  /** For the age of commands (their `sent` time); default the system clock. */
  clock?: Clock | undefined;
}

export interface MqttPartsOptions extends HearthMqttOptions {
  registry: Registry;
  config: Pick<Config, "site" | "mqtt" | "intents">;
  /**
   * Every intent name Hearth can recognise (the compiled sentences' `intents`), listed as the
   * event types of Hearth's intent event entity. Default: the intent catalog's and the config's
   * custom ones; names seen later are added on the fly.
   */
  intentNames?: readonly string[] | undefined;
  /** The lists Hearth keeps, shown as Home Assistant sensors (their items as attributes). */
  lists?: (() => readonly TodoList[]) | undefined;
  /** Hearth's version for the device block; default package.json's. */
  swVersion?: string | undefined;
}

/** A part with a lifecycle: start() subscribes, stop() undoes exactly that. */
export interface MqttPart {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The devices learned from discovery, as a part. */
export interface DevicesPart extends MqttPart {
  /** A reloaded config: puts the discovered devices into the registry built from it (see DiscoveredDevices). */
  carryInto(fresh: Registry): void;
}

/** Hearth's long-lived MQTT parts, built but not started, in the order they start. */
export interface MqttParts {
  /** Devices learned from Home Assistant discovery into the registry. */
  devices: DevicesPart;
  /** Text commands, `say` and run results on Hearth's own topics. */
  commands: HearthMqtt;
  /** Hearth as a Home Assistant device: state, mute switch, listen button, intent events. */
  self: SelfDiscovery;
  /** The Rhasspy/Snips Hermes protocol, when mqtt.hermes is on. */
  hermes: Hermes | undefined;
}

/** How long a run's result may wait for the broker, in milliseconds: a record, not a command. */
export const RESULT_DELIVERY_MS = 30_000;

/** Runs handled at once; more get a "busy" error rather than queueing (a queued command goes stale). */
export const MAX_CONCURRENT_RUNS = 16;

/** The JSON published on `<base>/<site>/event/run` for one run. */
export function runResultPayload(result: RunResult): Record<string, unknown> {
  const u = result.understanding;
  return {
    ...(result.transaction !== undefined ? { transaction: result.transaction } : {}),
    runId: result.runId,
    siteId: result.siteId,
    text: result.text,
    intents: u.kind === "recognized" ? u.intents : [],
    ...understandingFields(u),
    actions: result.actions,
    reply: result.reply,
    timings: result.timings,
    reason: result.reason,
  };
}

/** The JSON published on `<base>/<site>/event/timer` for one change of a timer. */
export function timerEventPayload(change: TimerChange): Record<string, unknown> {
  return {
    event: change.event,
    id: change.timer.id,
    ...(change.timer.name !== undefined ? { name: change.timer.name } : {}),
    seconds: change.timer.seconds,
    ...(change.event !== "finished" ? { left: change.left } : {}),
  };
}

/** What the result adds about how the sentence was understood. */
function understandingFields(u: Understanding): Record<string, unknown> {
  switch (u.kind) {
    case "recognized":
      return { recognizer: u.recognizer };
    case "not-recognized":
      return {
        notRecognized: {
          reason: u.reason,
          ...(u.subject !== undefined ? { subject: u.subject } : {}),
          ...(u.candidates !== undefined ? { candidates: u.candidates } : {}),
        },
      };
    default:
      // An answer from the language model (a question about the world, not the home).
      return { recognizer: u.recognizer, answered: true };
  }
}

/** Hearth's version from package.json (found from src/ and from dist/ alike). */
export async function readPackageVersion(): Promise<string> {
  try {
    const text = await readFile(new URL("../../package.json", import.meta.url), "utf8");
    const version = (JSON.parse(text) as { version?: unknown }).version;
    return typeof version === "string" ? version : "unknown";
  } catch {
    return "unknown";
  }
}

/**
 * Devices learned from Home Assistant discovery. Hearth satellites' own entities (mute switches,
 * buttons) are left out: they are not devices to command by voice, and "turn off all the switches"
 * must not mute the microphones. A fresh one after a config reload relearns every retained config.
 */
export function discoveredDevices(
  o: Pick<MqttPartsOptions, "connection" | "registry" | "config" | "log">,
): DevicesPart {
  const prefix = o.config.mqtt.discovery_prefix;
  const devices = new DiscoveredDevices({
    registry: o.registry,
    prefix,
    logger: o.log.child({ module: "discovery" }),
    reservedCommandTopic: reservedCommandTopics({
      baseTopic: o.config.mqtt.base_topic,
      discoveryPrefix: prefix,
    }),
    allow: o.config.mqtt.discovery.allow,
  });
  return {
    start: () =>
      devices.start({
        subscribe: (filter, handler) =>
          o.connection.subscribe(filter, (m) => {
            if (!isHearthDiscoveryTopic(prefix, m.topic)) handler(m);
          }),
      }),
    stop: () => devices.stop(),
    carryInto: (fresh) => devices.carryInto(fresh),
  };
}

/** Builds Hearth's MQTT parts (nothing is subscribed until each is started). */
export async function buildMqttParts(o: MqttPartsOptions): Promise<MqttParts> {
  const { connection, registry, bus, config, log, control } = o;
  const siteId = o.siteId ?? config.site.id;
  const topics = hearthTopics(config.mqtt.base_topic, siteId);
  const areaName = config.site.area
    ? (registry.findArea(config.site.area)?.name ?? config.site.area)
    : undefined;
  const disabled = new Set(config.intents.disabled);
  const intentNames =
    o.intentNames ??
    [...INTENTS.filter((i) => !i.internal).map((i) => i.name), ...Object.keys(config.intents.custom)].filter(
      (n) => !disabled.has(n),
    );
  const self = new SelfDiscovery({
    connection,
    bus,
    controls: control,
    identity: {
      siteId,
      name: config.site.name,
      area: areaName,
      swVersion: o.swVersion ?? (await readPackageVersion()),
    },
    topics,
    discoveryPrefix: config.mqtt.discovery_prefix,
    exposeTranscript: config.mqtt.expose_transcript,
    intentNames,
    lists: o.lists,
    log: log.child({ module: "self-discovery" }),
    clock: o.clock,
  });
  const hermes = config.mqtt.hermes
    ? new Hermes({
        connection,
        bus,
        siteId,
        lang: config.site.language,
        exposeTranscript: config.mqtt.expose_transcript,
        log: log.child({ module: "hermes" }),
        graceMs: config.mqtt.command_grace_ms,
        clock: o.clock,
        control: {
          runText: (text, opts) => control.runText(text, { ...opts, source: "hermes" }),
          say: (text) => control.say(text),
          setMuted: (muted) => {
            control.setMuted(muted);
            // The mute switch on Hearth's Home Assistant device shows the new state.
            self.mutedChanged();
          },
        },
      })
    : undefined;
  return {
    devices: discoveredDevices(o),
    commands: new HearthMqtt(o),
    self,
    hermes,
  };
}

/** Hearth's own topics: text commands, `say`, run results. Constructing it subscribes nothing; start() does. */
export class HearthMqtt {
  readonly #o: HearthMqttOptions;
  readonly #siteId: string;
  readonly #undo: Array<() => unknown> = [];
  #inFlight = 0;
  #started = false;
  readonly #clock: Clock;
  /** Refused inbound messages: once per topic and reason, at info, at most ten a minute. */
  readonly #refusals: LogLimiter;

  constructor(options: HearthMqttOptions) {
    this.#o = options;
    this.#siteId = options.siteId ?? options.config.site.id;
    this.#clock = options.clock ?? systemClock;
    this.#refusals = new LogLimiter({ log: options.log, level: "info", clock: this.#clock });
  }

  /** Hearth's own topics. */
  get topics() {
    return hearthTopics(this.#o.config.mqtt.base_topic, this.#siteId);
  }

  /** Subscribes to the command and say topics. The connection must be started. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    const { connection, log, bus } = this.#o;
    const topics = this.topics;
    this.#undo.push(this.#publishVoiceTimelines());
    this.#undo.push(
      bus.on("timer.changed", (change) => {
        if (change.siteId !== this.#siteId) return;
        void this.#publish(topics.eventTimer, timerEventPayload(change));
      }),
      bus.on("broadcast.sent", (e) => {
        if (e.siteId === this.#siteId)
          void this.#publish(topics.broadcast, { message: e.message, siteId: e.siteId });
      }),
      bus.on("media.requested", ({ siteId, ...request }) => {
        if (siteId === this.#siteId) void this.#publish(topics.eventMedia, { ...request });
      }),
    );
    this.#undo.push(
      // No Local: Hearth never hears (and so never runs) what it publishes there itself.
      await connection.subscribe(topics.commandText, (m) => this.#onCommand(m), { noLocal: true }),
      await connection.subscribe(topics.say, (m) => this.#onSay(m), { noLocal: true }),
      await connection.subscribe(topics.broadcast, (m) => this.#onBroadcast(m.payload)),
    );
    log.info({ commandTopic: topics.commandText }, "mqtt commands ready");
  }

  /** Unsubscribes everything, in reverse order. Idempotent; leaves the connection to its owner. */
  async stop(): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    for (const undo of this.#undo.splice(0).reverse()) {
      await Promise.resolve(undo()).catch((err: unknown) =>
        this.#o.log.debug({ err }, "mqtt stop step failed"),
      );
    }
  }

  /**
   * Why an inbound command must not be acted on although it parsed: Hearth's own device command
   * coming back (a loop), meant for another site, or too old. Undefined when it may run.
   */
  #refusal(m: IncomingMessage, command: { sent?: number | undefined; siteId?: string | undefined }) {
    if (m.echoOf !== undefined)
      return `a loop: Hearth itself just sent this to ${m.echoOf}; a device there sends it back`;
    if (command.siteId !== undefined && command.siteId !== this.#siteId)
      return `meant for site ${command.siteId}`;
    return staleReason({
      age: m.age,
      sent: command.sent,
      now: this.#clock.now().getTime(),
      graceMs: this.#o.config.mqtt.command_grace_ms,
    });
  }

  #refused(topic: string, reason: string, fields: Record<string, unknown> = {}): void {
    this.#refusals.report(`${topic}\n${reason}`, { topic, reason, ...fields }, "inbound message refused");
  }

  async #onCommand(m: IncomingMessage): Promise<void> {
    const command = parseTextCommand(m.payload);
    if (!command.ok) {
      this.#refused(m.topic, command.error);
      await this.#publishRun({
        error: command.error,
        ...(command.transaction !== undefined ? { transaction: command.transaction } : {}),
      });
      return;
    }
    const echo = command.transaction !== undefined ? { transaction: command.transaction } : {};
    const refusal = this.#refusal(m, command);
    if (refusal) {
      this.#refused(m.topic, refusal, echo);
      await this.#publishRun({ error: `refused: ${refusal}`, ...echo });
      return;
    }
    if (this.#inFlight >= MAX_CONCURRENT_RUNS) {
      await this.#publishRun({ error: "busy: too many commands at once", ...echo });
      return;
    }
    this.#inFlight++;
    try {
      const result = await this.#o.control.runText(command.text, {
        transaction: command.transaction,
        area: command.area,
        source: "mqtt",
      });
      await this.#publishRun(runResultPayload(result));
    } catch (err) {
      this.#o.log.error({ err }, "text command failed");
      await this.#publishRun({ error: "the command could not be run", ...echo });
    } finally {
      this.#inFlight--;
    }
  }

  /** Another Hearth's broadcast is spoken here; this one's own was answered where it was said. */
  async #onBroadcast(payload: Buffer): Promise<void> {
    const broadcast = parseBroadcast(payload);
    if (!broadcast.ok) {
      this.#o.log.debug({ error: broadcast.error }, "broadcast ignored");
      return;
    }
    if (broadcast.siteId === this.#siteId) return;
    try {
      await this.#o.control.say(broadcast.message);
    } catch (err) {
      this.#o.log.error({ err }, "speaking a broadcast failed");
    }
  }

  async #onSay(m: IncomingMessage): Promise<void> {
    const say = parseSayPayload(m.payload);
    if (!say.ok) {
      this.#refused(m.topic, say.error);
      return;
    }
    const refusal = this.#refusal(m, say);
    if (refusal) {
      this.#refused(m.topic, refusal);
      return;
    }
    try {
      await this.#o.control.say(say.text);
    } catch (err) {
      this.#o.log.error({ err }, "speaking failed");
    }
  }

  /**
   * Spoken runs publish their timeline on event/run when they end: wake word, speech start and end,
   * transcript (only with mqtt.expose_transcript), intent, each action's result and the reply, each
   * with milliseconds since the run began, plus the per-stage timings. Text runs publish their result
   * where they are answered (#onCommand).
   */
  #publishVoiceTimelines(): () => void {
    const { bus, config } = this.#o;
    const clock = this.#clock;
    const runs = new Map<string, { t0: number; timeline: Array<Record<string, unknown>> }>();
    const at = (runId: string, event: string, fields: Record<string, unknown> = {}) => {
      const run = runs.get(runId);
      if (run) run.timeline.push({ event, ms: Math.round(clock.monotonic() - run.t0), ...fields });
    };
    const start = (runId: string, event: string, fields: Record<string, unknown> = {}) => {
      if (!runs.has(runId)) runs.set(runId, { t0: clock.monotonic(), timeline: [] });
      at(runId, event, fields);
    };
    const offs = [
      bus.on("wake.detected", (e) => start(e.runId, "wake", { word: e.word, score: e.score })),
      bus.on("speech.started", (e) => start(e.runId, "speech.started")),
      bus.on("speech.stopped", (e) => at(e.runId, "speech.stopped")),
      bus.on("stt.transcript", (e) =>
        at(
          e.runId,
          "transcript",
          config.mqtt.expose_transcript ? { text: e.text, stt_ms: e.ms } : { stt_ms: e.ms },
        ),
      ),
      bus.on("intent.recognized", (e) =>
        at(e.runId, "intent", {
          intents: e.intents.map((i) => ({ name: i.name, slots: i.slots, targets: i.targets })),
        }),
      ),
      bus.on("intent.not-recognized", (e) => at(e.runId, "not-recognized", { reason: e.reason })),
      bus.on("action.published", (e) => at(e.runId, "action", { entity: e.entityId, ok: true })),
      bus.on("action.failed", (e) =>
        at(e.runId, "action", { entity: e.entityId, ok: false, reason: e.reason }),
      ),
      bus.on("tts.played", (e) => at(e.runId, "reply", { text: e.text, tts_ms: e.ms })),
      bus.on("pipeline.ended", (e) => {
        const run = runs.get(e.runId);
        if (!run) return;
        runs.delete(e.runId);
        run.timeline.push({ event: "ended", ms: Math.round(clock.monotonic() - run.t0), reason: e.reason });
        void this.#publishRun({
          runId: e.runId,
          siteId: e.siteId,
          source: "voice",
          timeline: run.timeline,
          reason: e.reason,
          timings: e.timings,
        });
      }),
    ];
    return () => {
      for (const off of offs) off();
      runs.clear();
    };
  }

  async #publishRun(message: Record<string, unknown>): Promise<void> {
    await this.#publish(this.topics.eventRun, message);
  }

  /**
   * Publishes an event (a run's result, a timer). It may wait out a lost connection (MQTT.js keeps
   * it and sends it after the reconnect) for RESULT_DELIVERY_MS; after that it is logged as
   * undeliverable.
   */
  async #publish(topic: string, message: Record<string, unknown>): Promise<void> {
    try {
      await this.#o.connection.publish(topic, JSON.stringify(message), {
        qos: 1,
        retain: false,
        graceMs: RESULT_DELIVERY_MS,
      });
    } catch (err) {
      this.#o.log.warn(
        { err, topic, transaction: message.transaction, runId: message.runId },
        "event undeliverable",
      );
    }
  }
}
