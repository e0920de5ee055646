import { type Clock, systemClock } from "../../core/clock.js";
import type { EventBus } from "../../core/event-bus.js";
import type { AssistantState, HearthEvents } from "../../core/events.js";
import type { Logger } from "../../core/logger.js";
import type { TodoList } from "../../intents/lists.js";
import type { TimerEventName } from "../../intents/timers.js";
import type { MessageHandler, PublishOptions } from "../client.js";
import { discoveryTopics, type HearthTopics, isValidPublishTopic } from "../topics.js";

/**
 * Hearth as a Home Assistant device: retained MQTT discovery configs for its own entities (state,
 * last intent, an opt-in last transcript, an intent event, a mute switch, a listen button, a
 * notify entity whose messages it speaks, the last run's latency), their state topics, and the
 * commands that come back on the switch and button. Configs are announced on every connect and
 * again when Home Assistant's birth message arrives; configs of entities that no longer exist
 * (the transcript sensor after it was switched off, anything an older version announced) are
 * cleared with empty retained payloads.
 * https://www.home-assistant.io/integrations/mqtt/#mqtt-discovery
 */

/** What this needs from the MQTT connection (MqttConnection fits). */
export interface SelfConnection {
  publish(topic: string, payload: string | Buffer, options?: PublishOptions): Promise<void>;
  subscribe(filter: string, handler: MessageHandler, qos?: 0 | 1): Promise<() => Promise<void>>;
  /** Told on every (re)connect: discovery is retained, but a broker without persistence forgets it on restart. */
  onConnect?(listener: () => void): () => void;
}

/** The parts of Hearth its Home Assistant entities control. */
export interface DeviceControls {
  setMuted(muted: boolean): void;
  isMuted(): boolean;
  startListening(): void;
}

/** Who Hearth is, for the device block. */
export interface HearthIdentity {
  siteId: string;
  /** Device name (site.name). */
  name: string;
  /** Area name for `suggested_area` (site.area, resolved to its display name). */
  area?: string | undefined;
  /** Hearth's version (package.json). */
  swVersion: string;
}

export interface SelfDiscoveryOptions {
  connection: SelfConnection;
  bus: EventBus<HearthEvents>;
  controls: DeviceControls;
  identity: HearthIdentity;
  topics: HearthTopics;
  discoveryPrefix: string;
  /** Announce the last-transcript sensor (mqtt.expose_transcript). */
  exposeTranscript: boolean;
  /** Every intent name the event entity may fire; names seen later are added on the fly. */
  intentNames: readonly string[];
  /** The lists Hearth keeps: a sensor each (open items as state, the items as attributes). */
  lists?: (() => readonly TodoList[]) | undefined;
  log: Logger;
  /** Spaces re-announcements on Home Assistant's birth messages; default the system clock. */
  clock?: Clock | undefined;
}

/** One of Hearth's entities: where its config goes and what it says. */
export interface SelfEntity {
  component: string;
  objectId: string;
  topic: string;
  config: Record<string, unknown>;
}

/** The assistant states the state sensor can show. */
export const ASSISTANT_STATES: readonly AssistantState[] = [
  "idle",
  "listening",
  "thinking",
  "speaking",
  "muted",
];

/** Node id of Hearth's discovery topics: `<prefix>/<component>/hearth_<site>/<object>/config`. */
/** Re-announcements on Home Assistant's birth messages are at least this far apart, in milliseconds. */
export const BIRTH_INTERVAL_MS = 10_000;

export function selfNodeId(siteId: string): string {
  return `hearth_${siteId}`;
}

/**
 * Whether `topic` is a discovery config of some Hearth satellite's own entities (node `hearth_…`).
 * These are not devices to command by voice: "turn off all the switches" must not mute microphones.
 */
export function isHearthDiscoveryTopic(prefix: string, topic: string): boolean {
  if (!topic.startsWith(`${prefix}/`)) return false;
  const levels = topic.slice(prefix.length + 1).split("/");
  return levels.length === 4 && levels[3] === "config" && (levels[1] ?? "").startsWith("hearth_");
}

/** State topics of Hearth's entities (under `<base>/<site>/state/`). */
const STATE = {
  assistant: "assistant",
  lastIntent: "last_intent",
  lastTranscript: "last_transcript",
  latency: "latency",
  mute: "mute",
  /** The intent event entity's topic; events are not retained. */
  intent: "intent",
} as const;

const MODEL = "Hearth voice assistant";
const MANUFACTURER = "Hearth";
/** What happens to timers, as the timer event entity lists them. */
export const TIMER_EVENTS: readonly TimerEventName[] = [
  "started",
  "updated",
  "paused",
  "resumed",
  "cancelled",
  "finished",
];
/**
 * event/timer carries `{"event", "id", "name"?, "seconds", "left"?}`; Home Assistant's MQTT event
 * entity wants `event_type`, the rest becoming the event's attributes.
 */
const TIMER_EVENT_TEMPLATE =
  "{{ {'event_type': value_json.event, 'timer_id': value_json.id, 'name': value_json.name | default(none), " +
  "'seconds': value_json.seconds, 'left': value_json.left | default(none)} | to_json }}";
/** Home Assistant limits a sensor state to 255 characters. */
const MAX_STATE_LENGTH = 255;
/** Discovery and state messages may wait this long for the broker (they are re-sent on connect anyway). */
const PUBLISH_GRACE_MS = 5000;

/**
 * The discovery configs of Hearth's entities, in full (unabbreviated) keys. Pure. The transcript
 * sensor is included only when `exposeTranscript` is on.
 */
export function selfEntities(o: {
  identity: HearthIdentity;
  topics: HearthTopics;
  discoveryPrefix: string;
  exposeTranscript: boolean;
  intentNames: readonly string[];
  lists?: readonly Pick<TodoList, "id" | "name">[] | undefined;
}): SelfEntity[] {
  const { identity, topics } = o;
  const node = selfNodeId(identity.siteId);
  const device: Record<string, unknown> = {
    identifiers: [node],
    name: identity.name,
    model: MODEL,
    manufacturer: MANUFACTURER,
    sw_version: identity.swVersion,
    ...(identity.area ? { suggested_area: identity.area } : {}),
  };
  const origin = { name: "Hearth", sw_version: identity.swVersion };
  const entity = (component: string, objectId: string, config: Record<string, unknown>): SelfEntity => ({
    component,
    objectId,
    topic: discoveryTopics(o.discoveryPrefix).config(component, node, objectId),
    config: {
      ...config,
      unique_id: `${node}_${objectId}`,
      availability_topic: topics.status,
      payload_available: "online",
      payload_not_available: "offline",
      device,
      origin,
    },
  });
  const entities: SelfEntity[] = [
    entity("sensor", "assistant_state", {
      name: "State",
      state_topic: topics.state(STATE.assistant),
      device_class: "enum",
      options: [...ASSISTANT_STATES],
      icon: "mdi:account-voice",
    }),
    entity("sensor", "last_intent", {
      name: "Last intent",
      state_topic: topics.state(STATE.lastIntent),
      icon: "mdi:text-recognition",
    }),
    entity("event", "intent", {
      name: "Intent",
      state_topic: topics.state(STATE.intent),
      event_types: [...new Set(o.intentNames)].sort(),
      icon: "mdi:comment-check",
    }),
    // Every change of a timer set here, as Home Assistant event types ("started" … "finished").
    entity("event", "timer", {
      name: "Timer",
      state_topic: topics.eventTimer,
      event_types: [...TIMER_EVENTS],
      value_template: TIMER_EVENT_TEMPLATE,
      icon: "mdi:timer-outline",
    }),
    entity("switch", "mute", {
      name: "Mute microphone",
      command_topic: topics.set(STATE.mute),
      state_topic: topics.state(STATE.mute),
      payload_on: "ON",
      payload_off: "OFF",
      icon: "mdi:microphone-off",
    }),
    entity("button", "listen", {
      name: "Start listening",
      command_topic: topics.set("listen"),
      payload_press: "PRESS",
      icon: "mdi:microphone",
    }),
    // Home Assistant's notify.send_message publishes the message as is; Hearth speaks it.
    entity("notify", "say", { name: "Say", command_topic: topics.say, icon: "mdi:account-voice" }),
    entity("sensor", "latency", {
      name: "Response time",
      state_topic: topics.state(STATE.latency),
      unit_of_measurement: "ms",
      device_class: "duration",
      state_class: "measurement",
      suggested_display_precision: 0,
      entity_category: "diagnostic",
    }),
  ];
  // Home Assistant's MQTT integration has no to-do platform (its discovery components stop at
  // sensor, text, event …; to-do entities come only from integrations such as Local To-do): a sensor
  // per list is the nearest equivalent. Its state is the count of open items, as a todo entity's
  // is; its attributes are the items themselves, plain lists of strings a Markdown card can show
  // (docs/homeassistant.md).
  for (const list of o.lists ?? []) {
    entities.push(
      entity("sensor", listKey(list.id), {
        name: list.name,
        state_topic: topics.state(listKey(list.id)),
        value_template: "{{ value_json.open }}",
        json_attributes_topic: topics.state(listKey(list.id)),
        json_attributes_template:
          "{{ {'items': value_json.items, 'completed': value_json.completed} | tojson }}",
        state_class: "measurement",
        unit_of_measurement: "items",
        icon: "mdi:format-list-checks",
      }),
    );
  }
  if (o.exposeTranscript) {
    entities.push(
      entity("sensor", "last_transcript", {
        name: "Last transcript",
        state_topic: topics.state(STATE.lastTranscript),
        icon: "mdi:text",
      }),
    );
  }
  return entities;
}

/** Hearth's own Home Assistant device. Constructing it publishes nothing; start() does. */
export class SelfDiscovery {
  readonly #o: SelfDiscoveryOptions;
  readonly #intentNames: Set<string>;
  #entities: SelfEntity[] = [];
  #configTopics = new Set<string>();
  /** Stale config topics already cleared (so a clear is sent once). */
  readonly #cleared = new Set<string>();
  #state: AssistantState = "idle";
  #started = false;
  readonly #undo: Array<() => unknown> = [];
  /** When the last birth-triggered announcement started (clock.monotonic()). */
  #lastBirthAnnounce = Number.NEGATIVE_INFINITY;
  /** Whether one announcement is owed to births that came within BIRTH_INTERVAL_MS of the last. */
  #birthOwed = false;

  constructor(options: SelfDiscoveryOptions) {
    this.#o = options;
    this.#intentNames = new Set(options.intentNames);
  }

  /**
   * Home Assistant came online: announce again, at once for the first birth and then at most once
   * per BIRTH_INTERVAL_MS however many births arrive (a flapping or hostile client publishing
   * `online` 200 times gets one more announcement, not 200).
   */
  #onBirth(): void {
    const clock = this.#o.clock ?? systemClock;
    if (this.#birthOwed) return;
    const wait = this.#lastBirthAnnounce + BIRTH_INTERVAL_MS - clock.monotonic();
    const go = () => {
      this.#birthOwed = false;
      if (!this.#started) return;
      this.#lastBirthAnnounce = clock.monotonic();
      this.#o.log.info("home assistant came online; announcing hearth again");
      void this.announce();
    };
    if (wait <= 0) {
      go();
      return;
    }
    this.#birthOwed = true;
    clock.timeout(wait, "the next birth re-announcement").addEventListener("abort", go, { once: true });
  }

  /** The configs announced now (for tests and `hearth devices`). */
  get entities(): readonly SelfEntity[] {
    return this.#entities;
  }

  /** Announces the device, subscribes to its command topics and to Home Assistant's birth message. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    const { connection, topics, bus, identity } = this.#o;
    this.#state = this.#o.controls.isMuted() ? "muted" : "idle";
    this.#rebuild();
    const mine = (e: { siteId: string }) => e.siteId === identity.siteId;
    this.#undo.push(
      bus.on("assistant.state", (e) => {
        if (mine(e)) this.#setState(e.state);
      }),
      bus.on("intent.recognized", (e) => {
        if (mine(e)) void this.#onIntent(e);
      }),
      bus.on("intent.not-recognized", (e) => {
        if (mine(e)) this.#onTranscript(e.text);
      }),
      bus.on("list.changed", (e) => {
        if (mine(e)) void this.#onList(e.list);
      }),
      bus.on("pipeline.ended", (e) => {
        const total = e.timings.total;
        if (mine(e) && total !== undefined) this.#publishState(STATE.latency, String(Math.round(total)));
      }),
    );
    const subscriptions = [
      connection.subscribe(topics.set(STATE.mute), (m) => this.#onMute(m.payload)),
      connection.subscribe(topics.set("listen"), () => this.#onListen()),
      connection.subscribe(discoveryTopics(this.#o.discoveryPrefix).haStatus, (m) => {
        if (m.payload.toString("utf8").trim() === "online") this.#onBirth();
      }),
      // Hearth's own retained configs, to clear those of entities it no longer has.
      connection.subscribe(`${this.#o.discoveryPrefix}/+/${selfNodeId(identity.siteId)}/+/config`, (m) =>
        this.#onOwnConfig(m.topic, m.payload),
      ),
    ];
    for (const unsubscribe of await Promise.all(subscriptions)) this.#undo.push(unsubscribe);
    if (connection.onConnect) this.#undo.push(connection.onConnect(() => void this.announce()));
    await this.announce();
  }

  /** Stops listening. The retained configs stay: the device is offline, not gone. Idempotent. */
  async stop(): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    this.#birthOwed = false;
    const undo = this.#undo.splice(0);
    await Promise.all(undo.reverse().map(async (u) => await Promise.resolve(u()).catch(() => {})));
  }

  /**
   * Publishes every config (retained), clears the transcript sensor's when it is off, and
   * publishes the current states. Called on start, on every reconnect and on Home Assistant's
   * birth message. Never throws.
   */
  async announce(): Promise<void> {
    if (!this.#started) return;
    this.#cleared.clear();
    const all = this.#entities.map((e) => this.#publish(e.topic, JSON.stringify(e.config), true));
    if (!this.#o.exposeTranscript) {
      const node = selfNodeId(this.#o.identity.siteId);
      const transcript = discoveryTopics(this.#o.discoveryPrefix).config("sensor", node, "last_transcript");
      all.push(this.#publish(transcript, "", true));
      // Whatever was heard last must not stay retained on the broker either.
      all.push(this.#publish(this.#o.topics.state(STATE.lastTranscript), "", true));
    }
    all.push(this.#publish(this.#o.topics.state(STATE.assistant), this.#state, true));
    all.push(
      this.#publish(this.#o.topics.state(STATE.mute), this.#o.controls.isMuted() ? "ON" : "OFF", true),
    );
    for (const list of this.#o.lists?.() ?? []) all.push(this.#publishList(list));
    const failed = (await Promise.all(all)).filter((ok) => !ok).length;
    if (failed > 0) this.#o.log.warn({ failed }, "some discovery messages were not delivered");
    else this.#o.log.debug({ entities: this.#entities.length }, "hearth announced to home assistant");
  }

  #rebuild(): void {
    this.#entities = selfEntities({
      ...this.#o,
      intentNames: [...this.#intentNames],
      lists: this.#o.lists?.() ?? [],
    });
    this.#configTopics = new Set(this.#entities.map((e) => e.topic));
  }

  /** A list changed: its sensor (announced first when the list is new) shows it. */
  async #onList(list: TodoList): Promise<void> {
    const key = listKey(list.id);
    if (!this.#entities.some((e) => e.objectId === key)) {
      this.#rebuild();
      const added = this.#entities.find((e) => e.objectId === key);
      if (added) await this.#publish(added.topic, JSON.stringify(added.config), true);
    }
    await this.#publishList(list);
  }

  #publishList(list: TodoList): Promise<boolean> {
    const open = list.items.filter((i) => i.status === "needs_action").map((i) => i.summary);
    const completed = list.items.filter((i) => i.status === "completed").map((i) => i.summary);
    const payload = JSON.stringify({ open: open.length, items: open, completed });
    return this.#publish(this.#o.topics.state(listKey(list.id)), payload, true);
  }

  #setState(state: AssistantState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#publishState(STATE.assistant, state);
  }

  async #onIntent(e: HearthEvents["intent.recognized"]): Promise<void> {
    this.#onTranscript(e.text);
    const names = e.intents.map((i) => i.name);
    if (names.length > 0) this.#publishState(STATE.lastIntent, truncate(names.join(", ")));
    const unknown = names.filter((n) => !this.#intentNames.has(n));
    if (unknown.length > 0) {
      // Home Assistant ignores event types its config does not list: list the new ones first.
      for (const n of unknown) this.#intentNames.add(n);
      this.#rebuild();
      const event = this.#entities.find((x) => x.component === "event");
      if (event) await this.#publish(event.topic, JSON.stringify(event.config), true);
    }
    for (const intent of e.intents) {
      const payload: Record<string, unknown> = {
        event_type: intent.name,
        slots: intent.slots,
        targets: intent.targets,
        recognizer: e.recognizer,
        run_id: e.runId,
        ...(this.#o.exposeTranscript ? { text: e.text } : {}),
      };
      void this.#publish(this.#o.topics.state(STATE.intent), JSON.stringify(payload), false);
    }
  }

  #onTranscript(text: string): void {
    if (this.#o.exposeTranscript) this.#publishState(STATE.lastTranscript, truncate(text));
  }

  #onMute(payload: Buffer): void {
    const text = payload.byteLength <= 16 ? payload.toString("utf8").trim().toUpperCase() : "";
    if (text !== "ON" && text !== "OFF") {
      this.#o.log.debug({ bytes: payload.byteLength }, "mute command ignored: expected ON or OFF");
      return;
    }
    try {
      this.#o.controls.setMuted(text === "ON");
    } catch (err) {
      this.#o.log.error({ err }, "muting failed");
    }
    this.mutedChanged();
  }

  /** Publishes the mute switch (and the state sensor) after the microphone was muted or unmuted. */
  mutedChanged(): void {
    const muted = this.#o.controls.isMuted();
    this.#publishState(STATE.mute, muted ? "ON" : "OFF");
    if (muted) this.#setState("muted");
    else if (this.#state === "muted") this.#setState("idle");
  }

  #onListen(): void {
    try {
      this.#o.controls.startListening();
    } catch (err) {
      this.#o.log.error({ err }, "start listening failed");
    }
  }

  #onOwnConfig(topic: string, payload: Buffer): void {
    if (payload.byteLength === 0 || this.#configTopics.has(topic) || this.#cleared.has(topic)) return;
    if (!isValidPublishTopic(topic)) return;
    this.#cleared.add(topic);
    this.#o.log.info({ topic }, "clearing the discovery config of a hearth entity that no longer exists");
    void this.#publish(topic, "", true);
  }

  #publishState(key: string, value: string): void {
    void this.#publish(this.#o.topics.state(key), value, true);
  }

  /** Publishes and reports success; failures are logged, never thrown. */
  async #publish(topic: string, payload: string, retain: boolean): Promise<boolean> {
    try {
      await this.#o.connection.publish(topic, payload, { qos: 1, retain, graceMs: PUBLISH_GRACE_MS });
      return true;
    } catch (err) {
      this.#o.log.debug({ err, topic }, "hearth state or discovery message not delivered");
      return false;
    }
  }
}

/** The object id and state key of a list's sensor: `list_shopping_list` for `todo.shopping_list`. */
function listKey(listId: string): string {
  return `list_${listId.slice(listId.indexOf(".") + 1)}`;
}

function truncate(text: string): string {
  return text.length <= MAX_STATE_LENGTH ? text : `${text.slice(0, MAX_STATE_LENGTH - 1)}…`;
}
