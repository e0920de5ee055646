import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createConnection } from "node:net";
import { resolve } from "node:path";
import { connect, type IClientOptions, type IPublishPacket, MqttClient } from "mqtt";
import type { MqttConfig } from "../config/schema.js";
import { type Clock, systemClock } from "../core/clock.js";
import { HearthError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import { ExpiringStore } from "./expiring-store.js";
import { isValidPublishTopic, isValidSubscribeTopic, topicMatches } from "./topics.js";

/**
 * Hearth's one MQTT connection (the only importer of `mqtt`).
 *
 * - A persistent session (clean start off, MQTT 5 session expiry, QoS 1 subscriptions): a broker that
 *   keeps sessions queues what is sent to Hearth while it reconnects, and across its own restart
 *   when it persists them.
 * - Reconnects at once after a lost connection, then after a short capped backoff; renews every
 *   subscription and only then publishes `online` (retained; the last will says `offline`).
 * - `publish` resolves when the broker acknowledges (PUBACK for QoS 1) and rejects when the broker
 *   stays unreachable for the grace period; a message that failed is never sent later. One written
 *   on a live connection waits for its acknowledgement as long as that connection lives (keepalive
 *   ends a connection to a broker gone silent): a busy broker or machine is slow, not failed. MQTT.js keeps
 *   unacknowledged QoS 1 messages in its outgoing store and sends them again after a reconnect; the
 *   store given to it (ExpiringStore) leaves out whatever is past its grace period. What Hearth
 *   sends also carries an MQTT 5 message expiry, so a broker never delivers it late either.
 * - Every received message says what is known of its age (MQTT 5 expiry left, whether it waited
 *   in the session's queue while Hearth was away) for the handlers that must not act late.
 * - Falls back to MQTT 3.1.1 for a broker that speaks only that (the embedded aedes broker).
 */

/** What the connection needs; see `connectionOptionsFromConfig` for building it from the config. */
export interface MqttConnectionOptions {
  url: string;
  clientId: string;
  username?: string | undefined;
  password?: string | undefined;
  /** TLS material (PEM) and verification, for mqtts:// and wss://. */
  ca?: Buffer | undefined;
  cert?: Buffer | undefined;
  key?: Buffer | undefined;
  rejectUnauthorized?: boolean | undefined;
  /** Availability topic: `online` on connect, `offline` as the retained last will. */
  statusTopic: string;
  /** Default time a publish may wait for an unreachable broker, in milliseconds. */
  commandGraceMs: number;
  /**
   * How long start() waits for the first connection, in milliseconds; one connect attempt waits
   * at most this long (10 s at most) for the broker's CONNACK before the next is made.
   */
  startupTimeoutMs: number;
  /**
   * Delay before the second reconnect attempt and the longest delay between attempts, in
   * milliseconds (default 50 and 250); the first attempt is made at once.
   */
  reconnectMinMs?: number | undefined;
  reconnectMaxMs?: number | undefined;
  /** MQTT keepalive in seconds (default 30): how soon a silently dead broker is noticed. */
  keepaliveSeconds?: number | undefined;
  /**
   * How long the broker keeps Hearth's session (subscriptions and queued messages) while Hearth is
   * away, in seconds (MQTT 5 session expiry; default 600). 0: dropped when the connection ends,
   * for one-off tools (`hearth devices`, `hearth doctor`).
   */
  sessionExpirySeconds?: number | undefined;
  /**
   * Publish `online` only once `announceOnline()` is called (the owner subscribes its topics first),
   * then after every reconnect. Default false: `online` on every connect.
   */
  holdOnline?: boolean | undefined;
  clock?: Clock | undefined;
  logger: Logger;
}

/** What is known of how long a received message waited before it reached Hearth. */
export interface MessageAge {
  /** MQTT 5 message expiry left, in seconds, when the sender set one (the broker counts it down). */
  expirySeconds?: number | undefined;
  /**
   * Set when the message waited in the broker's queue for Hearth's session while Hearth was away:
   * `awayMs` is how long Hearth was away, undefined when that is unknown (the first connection
   * after Hearth started).
   */
  backlog?: { awayMs: number | undefined } | undefined;
}

/** One received message. */
export interface IncomingMessage {
  topic: string;
  payload: Buffer;
  retain: boolean;
  /** What is known of its age. */
  age?: MessageAge | undefined;
  /**
   * The topic Hearth itself published this same payload to moments ago: a device (or a flow) that
   * acts on Hearth's own command by sending it back. A handler that runs commands refuses it.
   */
  echoOf?: string | undefined;
}

export type MessageHandler = (message: IncomingMessage) => void | Promise<void>;

/** Options of one subscription. */
export interface SubscribeOptions {
  qos?: 0 | 1;
  /**
   * MQTT 5 No Local: the broker does not send Hearth what Hearth itself published on it (its own
   * control topics: Hearth never commands itself).
   */
  noLocal?: boolean;
}

/** Options of one publish. */
export interface PublishOptions {
  qos?: 0 | 1;
  retain?: boolean;
  /** How long this message may wait for an unreachable broker, in milliseconds; default commandGraceMs. */
  graceMs?: number;
}

/** Counters for logs, the soak run and tests. */
export interface ConnectionStats {
  /** Connections made (the first one included). */
  connects: number;
  /** Connections lost. */
  losses: number;
  /** Received messages dropped as the broker's second copy of one Hearth already had. */
  duplicates: number;
}

interface Pending {
  topic: string;
  payload: string | Buffer;
  qos: 0 | 1;
  retain: boolean;
  resolve(): void;
  reject(error: Error): void;
  /** clock.monotonic() after which the message is never sent (again). */
  deadline: number;
  graceMs: number;
  settled: boolean;
  /** Handed to MQTT.js (QoS 1 at once; QoS 0 once connected). */
  handed: boolean;
  /** MQTT.js's packet id (QoS 1), once its store has the message. */
  messageId?: number | undefined;
  /** The connection (#link) on which the message was last written to the broker. */
  writtenOn?: number | undefined;
}

type ConnackError = Error & { code?: number | string };

/** MQTT 3.1.1 return codes 4/5 and MQTT 5 reason codes 134/135 mean the credentials were refused. */
function isAuthError(error: ConnackError | undefined): boolean {
  return error?.code === 4 || error?.code === 5 || error?.code === 134 || error?.code === 135;
}

/** MQTT 3.1.1 return code 1 and MQTT 5 reason code 132: the broker does not speak this version. */
function isProtocolVersionError(error: ConnackError | undefined): boolean {
  return error?.code === 1 || error?.code === 132;
}

/** The URL without credentials, for logs and messages. */
function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = "";
    parsed.password = "";
    return parsed.toString();
  } catch {
    return "(invalid url)";
  }
}

/** A connection that closes within this long of being made counts towards a reconnect storm. */
const SHORT_CONNECTION_MS = 2000;
/** This many short connections within STORM_WINDOW_MS are a storm (logged once). */
const STORM_CONNECTIONS = 5;
const STORM_WINDOW_MS = 30_000;
/** How long Hearth remembers what it published, to recognise its own commands coming back. */
const ECHO_WINDOW_MS = 5000;
const ECHO_MAX = 256;
/** Messages held at most before the owner is ready (holdOnline). */
const MAX_HELD = 10_000;
/** Received QoS 1 messages remembered to drop the broker's second copy (sent with DUP). */
const SEEN_MAX = 512;
/** The longest delay a Node.js timer takes (2^31 − 1 ms, about 24.8 days). */
const MAX_TIMER_MS = 2_147_483_647;
/** How long stop() waits for the broker to acknowledge `offline` before it disconnects anyway. */
const OFFLINE_ACK_MS = 1000;

/**
 * The MQTT 5 subscription identifier of a filter: derived from the filter, so it is the same after a
 * restart, when the broker delivers what it queued for the session's subscriptions (1 to 2^28 − 1).
 */
function subscriptionId(filter: string): number {
  return (createHash("sha1").update(filter).digest().readUInt32BE(0) % 268_435_455) + 1;
}

function payloadKey(payload: string | Buffer): string {
  return createHash("sha1").update(payload).digest("base64");
}

/** Hearth's connection to the MQTT broker. Constructing it connects nothing; start() does. */
export class MqttConnection {
  readonly #options: MqttConnectionOptions;
  readonly #log: Logger;
  readonly #clock: Clock;
  readonly #store: ExpiringStore;
  #client: MqttClient | undefined;
  #protocol: 4 | 5 = 5;
  /** Subscribed and `online` published: messages flow. */
  #ready = false;
  /** The broker accepted the current connection (CONNACK), subscriptions may still be on their way. */
  #linkUp = false;
  /** Increases with every accepted connection. */
  #link = 0;
  #linkUpAt = 0;
  #stopping = false;
  #onlineAllowed: boolean;
  #everConnected = false;
  #lostAt: number | undefined;
  #attempt = 0;
  /** Increases with every connect attempt (the first, each reconnect, the MQTT 3.1.1 fallback). */
  #attemptId = 0;
  /**
   * Holds the event loop while the connection runs: the clock's timeouts keep nothing alive, and
   * between a lost connection and the next attempt no socket does either.
   */
  #keepAlive: NodeJS.Timeout | undefined;
  /** A reconnect attempt is scheduled. */
  #reconnectPending = false;
  /** Increases on stop(): a reconnect scheduled before it is not made after it. */
  #generation = 0;
  #lastError: ConnackError | undefined;
  /** Messages received between a CONNACK with a session present and the first SUBACK: the session's queue. */
  #backlog: { awayMs: number | undefined } | undefined;
  readonly #shortConnections: number[] = [];
  #stormReported = false;
  /** Settles start() while it waits for the first connection. */
  #startup: ((error?: Error) => void) | undefined;
  readonly #pending = new Set<Pending>();
  /** QoS 1 messages handed to MQTT.js whose packet id its store has not told yet, oldest first. */
  readonly #unclaimed: Pending[] = [];
  readonly #subscriptions = new Map<
    string,
    { id: number; qos: 0 | 1; noLocal: boolean; handlers: Set<MessageHandler>; onBroker: boolean }
  >();
  /** Messages received before announceOnline() (holdOnline): handed out once the owner is ready. */
  readonly #held: Array<[string, Buffer, IPublishPacket, MessageAge["backlog"]]> = [];
  readonly #connectListeners = new Set<() => void>();
  /** Payload hash → the topic Hearth published it to, and when. */
  readonly #published = new Map<string, { topic: string; at: number }>();
  /** Topic and payload hash of recently received QoS 1 messages. */
  readonly #seen = new Set<string>();
  readonly #stats: ConnectionStats = { connects: 0, losses: 0, duplicates: 0 };

  constructor(options: MqttConnectionOptions) {
    this.#options = options;
    this.#log = options.logger;
    this.#clock = options.clock ?? systemClock;
    this.#onlineAllowed = !options.holdOnline;
    this.#store = new ExpiringStore({
      clock: this.#clock,
      deadlineOf: (packet) => this.#claim(packet),
      onResend: (id) => {
        for (const p of this.#pending) if (p.messageId === id) p.writtenOn = this.#link;
      },
    });
  }

  /** Whether the broker is connected, Hearth's subscriptions are in place and messages flow. */
  get connected(): boolean {
    return this.#ready;
  }

  /** The broker URL without credentials. */
  get url(): string {
    return safeUrl(this.#options.url);
  }

  /** Connections made and lost, duplicates dropped. */
  get stats(): Readonly<ConnectionStats> {
    return { ...this.#stats };
  }

  /** The MQTT version spoken with the broker (5, or 4 = 3.1.1 for a broker without MQTT 5). */
  get protocolVersion(): 4 | 5 {
    return this.#protocol;
  }

  /**
   * Connects. Rejects with BROKER_AUTH when the broker refuses the credentials, and with
   * BROKER_UNREACHABLE when no connection is made within startupTimeoutMs. Afterwards the
   * connection keeps itself up until stop().
   */
  async start(): Promise<void> {
    if (this.#client) return;
    this.#stopping = false;
    this.#keepAlive ??= setInterval(() => {}, 2 ** 30);
    const o = this.#options;
    this.#client = this.#createClient();

    await new Promise<void>((resolve, reject) => {
      const finish = (error?: Error) => {
        if (this.#startup !== finish) return;
        this.#startup = undefined;
        if (error) reject(error);
        else resolve();
      };
      this.#startup = finish;
      this.#after(o.startupTimeoutMs, "the first connection", () => {
        finish(
          new HearthError(
            "BROKER_UNREACHABLE",
            `cannot reach the MQTT broker at ${this.url} within ${o.startupTimeoutMs} ms`,
            { cause: this.#lastError },
          ),
        );
      });
    }).catch(async (error: unknown) => {
      await this.stop();
      throw error;
    });
  }

  #createClient(): MqttClient {
    const o = this.#options;
    const v5 = this.#protocol === 5;
    const clientOptions: IClientOptions = {
      clientId: o.clientId,
      protocolVersion: this.#protocol,
      // A persistent session: the broker keeps Hearth's subscriptions and queues its QoS 1 messages
      // for the session expiry. MQTT 3.1.1 has no session expiry (a broker would keep the session
      // forever), and aedes, the embedded broker, fails QoS 1 deliveries on resumed sessions.
      clean: !v5,
      ...(v5 ? { properties: { sessionExpiryInterval: o.sessionExpirySeconds ?? 600 } } : {}),
      // Keepalive stays on MQTT.js's own timers: the broker counts it in real time, whatever the clock.
      keepalive: o.keepaliveSeconds ?? 30,
      // A connect attempt's limit is Hearth's, on the injected clock (#limitAttempt): MQTT.js's
      // connectTimeout is a timer of its own that no test can move, so it is set past any attempt.
      connectTimeout: MAX_TIMER_MS,
      // Reconnects are scheduled here, with a short capped backoff; MQTT.js only knows a fixed period.
      reconnectPeriod: 0,
      // Subscriptions are renewed here on every connect, before `online`; stale QoS 0 is never queued.
      resubscribe: false,
      queueQoSZero: false,
      outgoingStore: this.#store,
      // mqtt-packet otherwise keeps a 2-byte Buffer for each of the 65 536 packet ids and lengths
      // (6 MB of JS heap) to save an allocation per packet. The switch is
      // module-wide, so it also covers the embedded broker (aedes shares the module).
      writeCache: false,
      will: { topic: o.statusTopic, payload: Buffer.from("offline"), qos: 1, retain: true },
      ...(o.username !== undefined ? { username: o.username } : {}),
      ...(o.password !== undefined ? { password: o.password } : {}),
      ...(o.ca ? { ca: o.ca } : {}),
      ...(o.cert ? { cert: o.cert } : {}),
      ...(o.key ? { key: o.key } : {}),
      ...(o.rejectUnauthorized !== undefined ? { rejectUnauthorized: o.rejectUnauthorized } : {}),
    };
    const client = createMqttClient(o.url, clientOptions);
    client.on("packetreceive", (packet) => {
      if (client !== this.#client) return;
      if (packet.cmd === "connack") this.#onConnack(packet.sessionPresent === true, packet);
      else if (packet.cmd === "suback") this.#backlog = undefined;
    });
    client.on("connect", () => void this.#onConnect(client));
    client.on("close", () => this.#onClose(client));
    // An 'error' without a listener would crash the process; the transition is logged on close.
    client.on("error", (err: ConnackError) => {
      if (client !== this.#client) return;
      this.#lastError = err;
      this.#log.debug({ err }, "mqtt client error");
      if (this.#protocol === 5 && isProtocolVersionError(err)) {
        // Said once: the broker works, without message expiry and session expiry.
        this.#log.info({ url: this.url }, "the broker speaks MQTT 3.1.1 only; using it");
        this.#protocol = 4;
        this.#client = this.#createClient();
        client.end(true);
        return;
      }
      // Refused credentials will not start working by retrying: fail start() at once.
      if (isAuthError(err)) {
        this.#startup?.(
          new HearthError("BROKER_AUTH", `the MQTT broker at ${this.url} refused the credentials`, {
            cause: err,
          }),
        );
      }
    });
    client.on("message", (topic, payload, packet) => this.#receive(topic, payload, packet));
    this.#limitAttempt(client);
    return client;
  }

  /**
   * Gives the connect attempt `client` is making now mqtt.startup_timeout_ms (at most 10 s) on the
   * clock to be accepted (CONNACK); past that its socket is closed and the next attempt scheduled,
   * as for a refused one.
   */
  #limitAttempt(client: MqttClient): void {
    const attempt = ++this.#attemptId;
    const limitMs = Math.min(this.#options.startupTimeoutMs, 10_000);
    this.#after(limitMs, "a connect attempt", () => {
      if (client !== this.#client || attempt !== this.#attemptId || this.#linkUp || this.#stopping) return;
      this.#lastError = new Error(`the broker did not accept the connection within ${limitMs} ms`);
      client.stream?.destroy();
    });
  }

  /** Publishes `offline`, disconnects and fails whatever still waits (a start too). Idempotent. */
  async stop(): Promise<void> {
    const client = this.#client;
    if (!client || this.#stopping) return;
    if (this.#ready) {
      // A forced end sends no DISCONNECT, so the broker publishes the will too; say it ourselves first.
      // Its acknowledgement is awaited for a moment on the clock, not for the connection's life.
      const offline = this.publish(this.#options.statusTopic, "offline", {
        retain: true,
        graceMs: OFFLINE_ACK_MS,
      }).catch(() => {});
      const limit = this.#clock.timeout(OFFLINE_ACK_MS, "the broker's acknowledgement of offline");
      await Promise.race([offline, new Promise((resolve) => limit.addEventListener("abort", resolve))]);
    }
    this.#stopping = true;
    this.#reconnectPending = false;
    this.#generation++;
    clearInterval(this.#keepAlive);
    this.#keepAlive = undefined;
    for (const p of this.#pending) this.#fail(p, "the MQTT connection was stopped");
    this.#ready = false;
    this.#linkUp = false;
    this.#client = undefined;
    // A start still waiting for its first connection ends now, not at its startup timeout.
    this.#startup?.(
      new HearthError(
        "BROKER_UNREACHABLE",
        `stopped before the MQTT broker at ${this.url} accepted the connection`,
      ),
    );
    await client.endAsync(true).catch(() => {});
  }

  /**
   * Publishes `online` now (and after every reconnect): with `holdOnline`, the owner calls this once
   * its subscriptions are in place, so nobody sends Hearth a command it does not hear yet.
   */
  announceOnline(): void {
    if (this.#onlineAllowed) return;
    this.#onlineAllowed = true;
    // What the broker had queued for Hearth's session arrived before anyone subscribed to it.
    for (const [topic, payload, packet, backlog] of this.#held.splice(0))
      this.#dispatch(topic, payload, packet, backlog);
    if (this.#ready) this.#publishOnline();
  }

  #publishOnline(): void {
    this.publish(this.#options.statusTopic, "online", { retain: true }).catch((err: unknown) => {
      this.#log.warn({ err }, "could not publish online status");
    });
  }

  /** Called after every (re)connect, once subscriptions are renewed: re-announce discovery here. */
  onConnect(listener: () => void): () => void {
    this.#connectListeners.add(listener);
    return () => this.#connectListeners.delete(listener);
  }

  /**
   * Publishes one message. Resolves once the broker has it (PUBACK for QoS 1; written to the
   * socket for QoS 0). Rejects with COMMAND_FAILED when that does not happen within the grace
   * period, and the message is then never sent. Topics the broker would refuse are refused here.
   */
  publish(topic: string, payload: string | Buffer, options: PublishOptions = {}): Promise<void> {
    if (!isValidPublishTopic(topic)) {
      return Promise.reject(new HearthError("COMMAND_FAILED", "refusing to publish to an invalid topic"));
    }
    if (this.#stopping || !this.#client) {
      return Promise.reject(new HearthError("COMMAND_FAILED", "the MQTT connection is not running"));
    }
    const graceMs = options.graceMs ?? this.#options.commandGraceMs;
    return new Promise<void>((resolve, reject) => {
      const pending: Pending = {
        topic,
        payload,
        qos: options.qos ?? 1,
        retain: options.retain ?? false,
        resolve,
        reject,
        settled: false,
        handed: false,
        deadline: this.#clock.monotonic() + graceMs,
        graceMs,
      };
      this.#after(graceMs, "a publish's grace period", () => this.#expire(pending));
      this.#pending.add(pending);
      if (!pending.retain) this.#remember(pending);
      // QoS 1 goes to MQTT.js at once: its store keeps it through a lost connection.
      if (pending.qos === 1 || this.#linkUp) this.#send(pending);
    });
  }

  /**
   * Subscribes `handler` to a topic filter (wildcards allowed). Resolves once the broker confirmed
   * (or at once while disconnected: the subscription is made on connect). The returned function
   * removes the handler, and the subscription when it was the last one.
   */
  async subscribe(
    filter: string,
    handler: MessageHandler,
    options: 0 | 1 | SubscribeOptions = 1,
  ): Promise<() => Promise<void>> {
    if (!isValidSubscribeTopic(filter))
      throw new HearthError("COMMAND_FAILED", `invalid topic filter ${filter}`);
    const { qos = 1, noLocal = false } = typeof options === "number" ? { qos: options } : options;
    let entry = this.#subscriptions.get(filter);
    const isNew = !entry;
    if (!entry) {
      entry = { id: subscriptionId(filter), qos, noLocal, handlers: new Set(), onBroker: false };
      this.#subscriptions.set(filter, entry);
    }
    entry.handlers.add(handler);
    if (isNew && this.#linkUp && this.#client) await this.#subscribeOnBroker(this.#client, filter, false);
    return async () => {
      const current = this.#subscriptions.get(filter);
      if (!current) return;
      current.handlers.delete(handler);
      if (current.handlers.size > 0) return;
      this.#subscriptions.delete(filter);
      if (this.#linkUp && this.#client) await this.#client.unsubscribeAsync(filter).catch(() => {});
    };
  }

  /**
   * Sends SUBSCRIBE for `filter`. `renew` (a reconnect): the broker sends retained messages only
   * when the subscription is new to it (MQTT 5 Retain Handling 1), so a resumed session does not
   * bring every retained discovery config again.
   */
  async #subscribeOnBroker(client: MqttClient, filter: string, renew: boolean): Promise<void> {
    const entry = this.#subscriptions.get(filter);
    if (!entry) return;
    const v5 =
      this.#protocol === 5
        ? {
            nl: entry.noLocal,
            rh: renew ? 1 : 0,
            properties: { subscriptionIdentifier: entry.id },
          }
        : {};
    try {
      const granted = await client.subscribeAsync(filter, { qos: entry.qos, ...v5 });
      const refused = granted.find((g) => typeof g.qos === "number" && g.qos >= 0x80);
      if (refused) this.#log.warn({ filter, code: refused.qos }, "the broker refused a subscription");
      else entry.onBroker = true;
    } catch (err) {
      if (client === this.#client && this.#linkUp) this.#log.warn({ err, filter }, "could not subscribe");
    }
  }

  /**
   * The grace period is over. A message still waiting for the broker fails and is never sent. One
   * already written to the broker on the live connection cannot be taken back: reporting it failed
   * would tell the user "no" while the device obeys, so its acknowledgement is awaited as long as
   * that connection lives. A broker that has gone silent is noticed by the keepalive, and the
   * message fails when the connection is lost (#onClose); a slow broker or a busy machine only
   * makes the answer later, never wrong.
   */
  #expire(p: Pending): void {
    if (p.settled) return;
    if (this.#linkUp && p.writtenOn === this.#link) return;
    this.#fail(p, `the broker was unreachable for ${p.graceMs} ms`);
  }

  #send(p: Pending): void {
    const client = this.#client;
    if (!client || p.settled || p.handed) return;
    p.handed = true;
    if (p.qos === 1) this.#unclaimed.push(p);
    const remainingMs = p.deadline - this.#clock.monotonic();
    const properties =
      this.#protocol === 5 && !p.retain
        ? // A broker holding it (a subscriber that is away) drops it once it is too late to act on.
          { properties: { messageExpiryInterval: Math.max(1, Math.ceil(remainingMs / 1000)) } }
        : {};
    client.publish(p.topic, p.payload, { qos: p.qos, retain: p.retain, ...properties }, (error?: Error) => {
      if (p.settled) return;
      if (!error) {
        this.#settle(p);
      } else if (p.qos === 1 && /Connection closed/.test(error.message)) {
        // A clean session's connection broke (MQTT.js forgets its callbacks then): out of the store,
        // and sent again after the reconnect if still within its grace period.
        if (p.messageId !== undefined) this.#store.del({ messageId: p.messageId }, () => {});
        p.messageId = undefined;
        p.writtenOn = undefined;
        p.handed = false;
      } else if (!/client disconnecting/.test(error.message)) {
        // The broker refused it (an MQTT 5 PUBACK reason code), or the store did (expired).
        this.#fail(p, error.message);
      }
    });
    if (p.qos === 0) p.writtenOn = this.#link;
  }

  /** MQTT.js is storing a QoS 1 message: which of Hearth's it is, and its deadline. */
  #claim(packet: {
    cmd: string;
    topic?: unknown;
    payload?: unknown;
    messageId?: number;
  }): number | undefined {
    if (packet.cmd !== "publish") return undefined;
    const i = this.#unclaimed.findIndex(
      (p) =>
        p.topic === packet.topic &&
        Buffer.from(p.payload).equals(Buffer.from(packet.payload as string | Buffer)),
    );
    const p = i >= 0 ? this.#unclaimed.splice(i, 1)[0] : undefined;
    if (!p) return undefined;
    p.messageId = packet.messageId;
    // Stored while connected means written to the socket right after (MQTT.js's _storeAndSend).
    if (this.#client?.connected) p.writtenOn = this.#link;
    return p.deadline;
  }

  #settle(p: Pending): void {
    if (p.settled) return;
    p.settled = true;
    this.#pending.delete(p);
    p.resolve();
  }

  #fail(p: Pending, reason: string): void {
    if (p.settled) return;
    p.settled = true;
    this.#pending.delete(p);
    const i = this.#unclaimed.indexOf(p);
    if (i >= 0) this.#unclaimed.splice(i, 1);
    // Out of MQTT.js's store, so no reconnect sends it; its callback, called once more, is ignored.
    if (p.messageId !== undefined) this.#client?.removeOutgoingMessage(p.messageId);
    p.reject(new HearthError("COMMAND_FAILED", reason));
  }

  #onConnack(sessionPresent: boolean, packet: { returnCode?: number; reasonCode?: number }): void {
    if ((packet.reasonCode ?? packet.returnCode ?? 0) !== 0) return;
    this.#link++;
    this.#linkUp = true;
    this.#linkUpAt = this.#clock.monotonic();
    this.#stats.connects++;
    this.#backlog = sessionPresent
      ? { awayMs: this.#lostAt === undefined ? undefined : Math.round(this.#linkUpAt - this.#lostAt) }
      : undefined;
  }

  async #onConnect(client: MqttClient): Promise<void> {
    if (client !== this.#client || this.#stopping) return;
    const link = this.#link;
    // Small MQTT packets must not wait for the previous one's TCP acknowledgement (Nagle's
    // algorithm): a PUBACK followed by a device command would otherwise stall ~40 ms.
    (client.stream as { setNoDelay?: (noDelay?: boolean) => unknown }).setNoDelay?.(true);
    this.#lastError = undefined;
    // Subscriptions first: `online` tells senders that commands are heard now.
    await Promise.all([...this.#subscriptions.keys()].map((f) => this.#subscribeOnBroker(client, f, true)));
    if (client !== this.#client || this.#stopping || link !== this.#link || !this.#linkUp) return;
    // The session's queue ends at the first SUBACK (the broker sends it before it reads a SUBSCRIBE):
    // with no subscription yet (the first start), what arrives until the owner subscribes is queue.
    this.#ready = true;
    this.#startup?.();
    if (!this.#everConnected) {
      this.#everConnected = true;
      this.#log.info(
        { url: this.url, mqtt: this.#protocol === 5 ? "5" : "3.1.1" },
        "connected to the MQTT broker",
      );
    } else {
      const downMs =
        this.#lostAt === undefined ? undefined : Math.round(this.#clock.monotonic() - this.#lostAt);
      this.#log.info({ url: this.url, downMs }, "reconnected to the MQTT broker");
    }
    this.#lostAt = undefined;
    if (this.#onlineAllowed) this.#publishOnline();
    for (const p of this.#pending) if (!p.handed) this.#send(p);
    for (const listener of [...this.#connectListeners]) {
      try {
        listener();
      } catch (err) {
        this.#log.error({ err }, "connect listener failed");
      }
    }
  }

  #onClose(client: MqttClient): void {
    if (client !== this.#client) return;
    const wasReady = this.#ready;
    const wasUp = this.#linkUp;
    this.#ready = false;
    this.#linkUp = false;
    this.#backlog = undefined;
    const now = this.#clock.monotonic();
    for (const p of this.#pending) {
      // A QoS 0 message written on the lost connection is gone; sent again if still in time.
      if (p.qos === 0 && p.handed) p.handed = false;
      if (now >= p.deadline) this.#fail(p, "the connection was lost before the broker acknowledged");
    }
    for (const entry of this.#subscriptions.values()) entry.onBroker = false;
    if (this.#stopping) return;
    if (wasUp) {
      this.#stats.losses++;
      this.#lostAt ??= now;
      this.#noteStorm(now);
      if (wasReady) this.#log.warn({ url: this.url }, "lost the connection to the MQTT broker; reconnecting");
    } else {
      this.#log.debug(
        { url: this.url, attempt: this.#attempt, err: this.#lastError },
        "mqtt connect attempt failed",
      );
    }
    this.#scheduleReconnect();
  }

  /** Connections the broker closes soon after accepting them, again and again: say so once. */
  #noteStorm(now: number): void {
    const lasted = now - this.#linkUpAt;
    if (lasted >= STORM_WINDOW_MS) this.#stormReported = false;
    if (lasted >= SHORT_CONNECTION_MS) return;
    // A short connection does not reset the backoff.
    this.#attempt = Math.max(this.#attempt, 1);
    this.#shortConnections.push(now);
    while (this.#shortConnections.length > 0 && now - (this.#shortConnections[0] ?? now) > STORM_WINDOW_MS)
      this.#shortConnections.shift();
    if (this.#shortConnections.length >= STORM_CONNECTIONS && !this.#stormReported) {
      this.#stormReported = true;
      this.#log.error(
        {
          url: this.url,
          connections: this.#shortConnections.length,
          windowMs: STORM_WINDOW_MS,
          err: this.#lastError,
        },
        "the broker keeps closing the connection soon after accepting it; see the broker's log",
      );
    }
  }

  /** Runs `fn` once `ms` have passed on the injected clock (tests move it; nothing here waits on the machine). */
  #after(ms: number, what: string, fn: () => void): void {
    this.#clock.timeout(ms, what).addEventListener("abort", fn, { once: true });
  }

  #scheduleReconnect(): void {
    if (this.#reconnectPending || this.#stopping) return;
    const min = this.#options.reconnectMinMs ?? 50;
    const max = this.#options.reconnectMaxMs ?? 250;
    // At once after a lost connection, then quickly: a broker restart takes about a second.
    const delay = this.#attempt === 0 ? 0 : Math.min(max, min * 2 ** Math.min(this.#attempt - 1, 16));
    this.#attempt++;
    this.#reconnectPending = true;
    const generation = this.#generation;
    this.#after(delay, "the next reconnect attempt", () => {
      if (generation !== this.#generation) return;
      this.#reconnectPending = false;
      // Without the store named again, MQTT.js's reconnect() replaces it with an empty one.
      if (!this.#stopping && this.#client && !this.#linkUp) {
        this.#client.reconnect({ outgoingStore: this.#store });
        this.#limitAttempt(this.#client);
      }
    });
  }

  /** Remembers what Hearth publishes (not retained), to recognise it coming back as a command. */
  #remember(p: Pending): void {
    if (p.payload.length > 4096) return;
    const now = this.#clock.monotonic();
    this.#published.delete(payloadKey(p.payload));
    this.#published.set(payloadKey(p.payload), { topic: p.topic, at: now });
    for (const [key, { at }] of this.#published) {
      if (this.#published.size <= ECHO_MAX && now - at < ECHO_WINDOW_MS) break;
      this.#published.delete(key);
    }
  }

  #receive(topic: string, payload: Buffer, packet: IPublishPacket): void {
    if (this.#onlineAllowed) {
      this.#dispatch(topic, payload, packet, this.#backlog);
      return;
    }
    if (this.#held.length >= MAX_HELD) {
      this.#log.warn({ topic }, "message dropped: too many before Hearth was ready");
      return;
    }
    // Its age as it arrived, not as it is handed out.
    this.#held.push([topic, payload, packet, this.#backlog]);
  }

  #dispatch(topic: string, payload: Buffer, packet: IPublishPacket, backlog: MessageAge["backlog"]): void {
    let echoOf: string | undefined;
    let age: MessageAge | undefined;
    if (!packet.retain) {
      if (packet.qos > 0) {
        const key = `${topic}\n${payloadKey(payload)}`;
        if (packet.dup && this.#seen.has(key)) {
          // The broker's second copy of a message whose acknowledgement it did not see.
          this.#stats.duplicates++;
          this.#log.debug({ topic }, "duplicate message dropped");
          return;
        }
        this.#seen.delete(key);
        this.#seen.add(key);
        if (this.#seen.size > SEEN_MAX) {
          const oldest = this.#seen.values().next().value;
          if (oldest !== undefined) this.#seen.delete(oldest);
        }
      }
      const sent = payload.length <= 4096 ? this.#published.get(payloadKey(payload)) : undefined;
      if (sent && sent.topic !== topic && this.#clock.monotonic() - sent.at < ECHO_WINDOW_MS)
        echoOf = sent.topic;
      const expirySeconds = packet.properties?.messageExpiryInterval;
      if (expirySeconds !== undefined || backlog) {
        age = {
          ...(expirySeconds !== undefined ? { expirySeconds } : {}),
          ...(backlog ? { backlog } : {}),
        };
      }
    }
    // With MQTT 5 a broker sends one copy per matching subscription, each naming its subscription;
    // with 3.1.1 one copy, for every matching filter.
    const ids = packet.properties?.subscriptionIdentifier;
    const matched = ids === undefined ? undefined : new Set(Array.isArray(ids) ? ids : [ids]);
    for (const [filter, { id, handlers }] of this.#subscriptions) {
      if (!topicMatches(filter, topic) || (matched && !matched.has(id))) continue;
      for (const handler of handlers) {
        try {
          const result = handler({ topic, payload, retain: packet.retain, age, echoOf });
          if (result instanceof Promise) {
            result.catch((err: unknown) => this.#log.error({ err, topic }, "message handler failed"));
          }
        } catch (err) {
          this.#log.error({ err, topic }, "message handler failed");
        }
      }
    }
  }
}

/**
 * An MQTT.js client for `url`. A plain TCP broker (mqtt:// or tcp://, with no credentials or query in
 * the URL and no SOCKS proxy in MQTTJS_SOCKS_PROXY) gets MQTT.js's client over a `node:net`
 * connection, which is what MQTT.js's own `connect` builds for it; `connect` itself loads every
 * transport it knows on its first call (WebSocket, TLS and SOCKS: the ws, socks and ip-address
 * packages, and node's http, https, tls, zlib and dns with them), resident for the daemon's life
 * though a home's broker is nearly always plain TCP. Any other URL goes through `connect`.
 */
function createMqttClient(url: string, options: IClientOptions, env = process.env): MqttClient {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  const plain =
    parsed !== undefined &&
    (parsed.protocol === "mqtt:" || parsed.protocol === "tcp:") &&
    parsed.hostname !== "" &&
    parsed.username === "" &&
    parsed.password === "" &&
    parsed.search === "" &&
    (parsed.pathname === "" || parsed.pathname === "/") &&
    !env.MQTTJS_SOCKS_PROXY;
  if (!plain || parsed === undefined) return connect(url, options);
  // URL keeps an IPv6 address in brackets; node:net wants it bare.
  const host = parsed.hostname.replace(/^\[(.*)\]$/, "$1");
  const port = parsed.port === "" ? 1883 : Number(parsed.port);
  return new MqttClient(() => createConnection({ host, port }), { ...options, protocol: "mqtt", host, port });
}

/**
 * Builds connection options from the `mqtt` config section: reads the password file and TLS files
 * (relative paths resolved against `configDir`, the config file's directory, as every path in the
 * config is), takes the password from HEARTH_MQTT_PASSWORD when the config names none. `url` is the
 * configured one, or the embedded broker's.
 */
export async function connectionOptionsFromConfig(
  config: MqttConfig,
  context: {
    url: string;
    siteId: string;
    statusTopic: string;
    logger: Logger;
    configDir: string;
    env?: NodeJS.ProcessEnv;
  },
): Promise<MqttConnectionOptions> {
  const env = context.env ?? process.env;
  let password = config.password;
  if (config.password_file) {
    const text = await readFile(resolve(context.configDir, config.password_file), "utf8").catch(
      (cause: unknown) => {
        throw new HearthError("CONFIG_INVALID", `cannot read mqtt.password_file ${config.password_file}`, {
          cause,
        });
      },
    );
    password = text.split(/\r?\n/)[0] ?? "";
  }
  // An empty HEARTH_MQTT_PASSWORD= line in the environment file means "no password", not "".
  password ??= env.HEARTH_MQTT_PASSWORD || undefined;
  const readPem = async (path: string | undefined, key: string) =>
    path === undefined
      ? undefined
      : readFile(resolve(context.configDir, path)).catch((cause: unknown) => {
          throw new HearthError("CONFIG_INVALID", `cannot read mqtt.tls.${key} ${path}`, { cause });
        });
  return {
    url: context.url,
    clientId: config.client_id ?? `hearth-${context.siteId}`,
    username: config.username,
    password,
    ca: await readPem(config.tls?.ca, "ca"),
    cert: await readPem(config.tls?.cert, "cert"),
    key: await readPem(config.tls?.key, "key"),
    rejectUnauthorized: config.tls?.reject_unauthorized,
    statusTopic: context.statusTopic,
    commandGraceMs: config.command_grace_ms,
    startupTimeoutMs: config.startup_timeout_ms,
    sessionExpirySeconds: config.session_expiry_seconds,
    logger: context.logger,
  };
}
