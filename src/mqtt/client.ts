import { readFile } from "node:fs/promises";
import { connect, type IClientOptions, type MqttClient } from "mqtt";
import type { MqttConfig } from "../config/schema.js";
import { HearthError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import { isValidPublishTopic, isValidSubscribeTopic, topicMatches } from "./topics.js";

/**
 * Hearth's one MQTT connection (the only importer of `mqtt`).
 *
 * - Last will `offline` (retained) on the status topic; `online` (retained) on every connect.
 * - Reconnects with exponential backoff; each transition (connected, lost, back) is logged once.
 * - `publish` resolves when the broker acknowledges (PUBACK for QoS 1) and rejects when that does
 *   not happen within the grace period. A rejected message is never sent later: MQTT.js keeps
 *   unacknowledged QoS 1 messages in its outgoing store and replays them after a reconnect, so this
 *   class removes its messages from that store whenever a connection closes or a grace period
 *   ends, and re-sends itself, after a reconnect, only what is still within its grace period.
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
  /** Default time a publish may wait for the broker, in milliseconds. */
  commandGraceMs: number;
  /** How long start() waits for the first connection, in milliseconds. */
  startupTimeoutMs: number;
  /** First and longest delay between reconnect attempts, in milliseconds (default 500 and 30000). */
  reconnectMinMs?: number | undefined;
  reconnectMaxMs?: number | undefined;
  /** MQTT keepalive in seconds (default 30): how soon a silently dead broker is noticed. */
  keepaliveSeconds?: number | undefined;
  logger: Logger;
}

/** One received message. */
export interface IncomingMessage {
  topic: string;
  payload: Buffer;
  retain: boolean;
}

export type MessageHandler = (message: IncomingMessage) => void | Promise<void>;

/** Options of one publish. */
export interface PublishOptions {
  qos?: 0 | 1;
  retain?: boolean;
  /** How long this message may wait for the broker, in milliseconds; default commandGraceMs. */
  graceMs?: number;
}

interface Pending {
  topic: string;
  payload: string | Buffer;
  qos: 0 | 1;
  retain: boolean;
  resolve(): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
  /** performance.now() after which the message is never sent (again). */
  deadline: number;
  graceMs: number;
  settled: boolean;
  /** The callback of the current attempt; callbacks of earlier attempts are ignored. */
  cb?: ((error?: Error) => void) | undefined;
  /** MQTT.js's packet id of the current QoS 1 attempt. */
  messageId?: number | undefined;
}

type ConnackError = Error & { code?: number | string };

/** MQTT 3.1.1 return codes 4/5 and MQTT 5 reason codes 134/135 mean the credentials were refused. */
function isAuthError(error: ConnackError | undefined): boolean {
  return error?.code === 4 || error?.code === 5 || error?.code === 134 || error?.code === 135;
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

/** Hearth's connection to the MQTT broker. Constructing it connects nothing; start() does. */
export class MqttConnection {
  readonly #options: MqttConnectionOptions;
  readonly #log: Logger;
  #client: MqttClient | undefined;
  #ready = false;
  #stopping = false;
  #everConnected = false;
  #lostAt: number | undefined;
  #attempt = 0;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #lastError: ConnackError | undefined;
  /** Settles start() while it waits for the first connection. */
  #startup: ((error?: Error) => void) | undefined;
  readonly #pending = new Set<Pending>();
  readonly #subscriptions = new Map<string, { qos: 0 | 1; handlers: Set<MessageHandler> }>();
  readonly #connectListeners = new Set<() => void>();

  constructor(options: MqttConnectionOptions) {
    this.#options = options;
    this.#log = options.logger;
  }

  /** Whether the broker is connected and messages can flow now. */
  get connected(): boolean {
    return this.#ready;
  }

  /** The broker URL without credentials. */
  get url(): string {
    return safeUrl(this.#options.url);
  }

  /**
   * Connects. Rejects with BROKER_AUTH when the broker refuses the credentials, and with
   * BROKER_UNREACHABLE when no connection is made within startupTimeoutMs. Afterwards the
   * connection keeps itself up until stop().
   */
  async start(): Promise<void> {
    if (this.#client) return;
    this.#stopping = false;
    const o = this.#options;
    const clientOptions: IClientOptions = {
      clientId: o.clientId,
      clean: true,
      keepalive: o.keepaliveSeconds ?? 30,
      connectTimeout: Math.min(o.startupTimeoutMs, 10_000),
      // Reconnects are scheduled here, with backoff; MQTT.js only knows a fixed period.
      reconnectPeriod: 0,
      // Subscriptions are renewed here on every connect; stale QoS 0 messages are never queued.
      resubscribe: false,
      queueQoSZero: false,
      will: { topic: o.statusTopic, payload: Buffer.from("offline"), qos: 1, retain: true },
      ...(o.username !== undefined ? { username: o.username } : {}),
      ...(o.password !== undefined ? { password: o.password } : {}),
      ...(o.ca ? { ca: o.ca } : {}),
      ...(o.cert ? { cert: o.cert } : {}),
      ...(o.key ? { key: o.key } : {}),
      ...(o.rejectUnauthorized !== undefined ? { rejectUnauthorized: o.rejectUnauthorized } : {}),
    };
    const client = connect(o.url, clientOptions);
    this.#client = client;
    client.on("connect", () => this.#onConnect());
    client.on("close", () => this.#onClose());
    // An 'error' without a listener would crash the process; the transition is logged on close.
    client.on("error", (err: ConnackError) => {
      this.#lastError = err;
      this.#log.debug({ err }, "mqtt client error");
      // Refused credentials will not start working by retrying: fail start() at once.
      if (isAuthError(err)) {
        this.#startup?.(
          new HearthError("BROKER_AUTH", `the MQTT broker at ${this.url} refused the credentials`, {
            cause: err,
          }),
        );
      }
    });
    client.on("message", (topic, payload, packet) => this.#dispatch(topic, payload, packet.retain));

    await new Promise<void>((resolve, reject) => {
      const finish = (error?: Error) => {
        if (!this.#startup) return;
        this.#startup = undefined;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      this.#startup = finish;
      const timer = setTimeout(() => {
        finish(
          new HearthError(
            "BROKER_UNREACHABLE",
            `cannot reach the MQTT broker at ${this.url} within ${o.startupTimeoutMs} ms`,
            { cause: this.#lastError },
          ),
        );
      }, o.startupTimeoutMs);
    }).catch(async (error: unknown) => {
      await this.stop();
      throw error;
    });
  }

  /** Publishes `offline`, disconnects and fails whatever still waits. Idempotent. */
  async stop(): Promise<void> {
    const client = this.#client;
    if (!client || this.#stopping) return;
    if (this.#ready) {
      // A clean disconnect does not fire the last will, so say it ourselves.
      await this.publish(this.#options.statusTopic, "offline", { retain: true, graceMs: 1000 }).catch(
        () => {},
      );
    }
    this.#stopping = true;
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    for (const p of this.#pending) this.#fail(p, "the MQTT connection was stopped");
    this.#ready = false;
    this.#client = undefined;
    await client.endAsync(true).catch(() => {});
  }

  /** Called after every (re)connect, once subscriptions are renewed: re-announce discovery here. */
  onConnect(listener: () => void): () => void {
    this.#connectListeners.add(listener);
    return () => this.#connectListeners.delete(listener);
  }

  /**
   * Publishes one message. Resolves once the broker has it (PUBACK for QoS 1; written to the
   * socket for QoS 0). Rejects with COMMAND_FAILED when that does not happen within the grace
   * period, and the message is then never sent. Topics with wildcards are refused.
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
        deadline: performance.now() + graceMs,
        graceMs,
        timer: setTimeout(() => this.#expire(pending), graceMs),
      };
      this.#pending.add(pending);
      if (this.#ready) this.#send(pending);
    });
  }

  /**
   * Subscribes `handler` to a topic filter (wildcards allowed). Resolves once the broker confirmed
   * (or at once while disconnected: the subscription is made on connect). The returned function
   * removes the handler, and the subscription when it was the last one.
   */
  async subscribe(filter: string, handler: MessageHandler, qos: 0 | 1 = 1): Promise<() => Promise<void>> {
    if (!isValidSubscribeTopic(filter))
      throw new HearthError("COMMAND_FAILED", `invalid topic filter ${filter}`);
    let entry = this.#subscriptions.get(filter);
    const isNew = !entry;
    if (!entry) {
      entry = { qos, handlers: new Set() };
      this.#subscriptions.set(filter, entry);
    }
    entry.handlers.add(handler);
    if (isNew && this.#ready && this.#client) await this.#client.subscribeAsync(filter, { qos });
    return async () => {
      const current = this.#subscriptions.get(filter);
      if (!current) return;
      current.handlers.delete(handler);
      if (current.handlers.size > 0) return;
      this.#subscriptions.delete(filter);
      if (this.#ready && this.#client) await this.#client.unsubscribeAsync(filter).catch(() => {});
    };
  }

  /**
   * The grace period is over. A message still waiting for the broker fails and is never sent. One
   * already written to the broker cannot be taken back: reporting it failed would tell the user
   * "no" while the device obeys, so its acknowledgement is awaited a while longer.
   */
  #expire(p: Pending): void {
    if (p.settled) return;
    if (this.#ready && p.cb) {
      const extraMs = Math.max(p.graceMs, 1000);
      p.timer = setTimeout(
        () => this.#fail(p, `the broker did not acknowledge within ${p.graceMs + extraMs} ms`),
        extraMs,
      );
      return;
    }
    this.#fail(p, `the broker was unreachable for ${p.graceMs} ms`);
  }

  #send(p: Pending): void {
    const client = this.#client;
    if (!client || p.settled) return;
    // A late timer (a busy event loop) must not let a reconnect send what is already too old.
    if (performance.now() >= p.deadline) {
      this.#fail(p, `the broker was unreachable for ${p.graceMs} ms`);
      return;
    }
    const cb = (error?: Error) => {
      if (p.settled || p.cb !== cb) return;
      if (!error) {
        this.#settle(p);
        return;
      }
      // The connection closed under the message: drop it from MQTT.js so it is not replayed; it
      // is sent again after the reconnect if its grace period has not ended by then.
      this.#detach(p);
    };
    p.cb = cb;
    client.publish(p.topic, p.payload, { qos: p.qos, retain: p.retain }, cb);
    if (p.qos === 1 && p.cb === cb) p.messageId = findMessageId(client, cb);
  }

  /** Removes the current attempt of `p` from MQTT.js's outgoing map and store. */
  #detach(p: Pending): void {
    const id = p.messageId;
    p.cb = undefined;
    p.messageId = undefined;
    const client = this.#client;
    if (id === undefined || !client) return;
    if (client.outgoing[id]) client.removeOutgoingMessage(id);
    client.outgoingStore.del({ messageId: id }, () => {});
  }

  #settle(p: Pending): void {
    if (p.settled) return;
    p.settled = true;
    clearTimeout(p.timer);
    this.#pending.delete(p);
    p.resolve();
  }

  #fail(p: Pending, reason: string): void {
    if (p.settled) return;
    p.settled = true;
    clearTimeout(p.timer);
    this.#pending.delete(p);
    const id = p.messageId;
    p.cb = undefined;
    p.messageId = undefined;
    const client = this.#client;
    if (id !== undefined && client) {
      if (client.outgoing[id]) client.removeOutgoingMessage(id);
      client.outgoingStore.del({ messageId: id }, () => {});
    }
    p.reject(new HearthError("COMMAND_FAILED", reason));
  }

  #onConnect(): void {
    const client = this.#client;
    if (!client || this.#stopping) return;
    this.#ready = true;
    this.#attempt = 0;
    // Small MQTT packets must not wait for the previous one's TCP acknowledgement (Nagle's
    // algorithm): a PUBACK followed by a device command would otherwise stall ~40 ms.
    (client.stream as { setNoDelay?: (noDelay?: boolean) => unknown }).setNoDelay?.(true);
    this.#lastError = undefined;
    this.#startup?.();
    if (!this.#everConnected) {
      this.#everConnected = true;
      this.#log.info({ url: this.url }, "connected to the MQTT broker");
    } else {
      const downMs = this.#lostAt === undefined ? undefined : Math.round(performance.now() - this.#lostAt);
      this.#log.info({ url: this.url, downMs }, "reconnected to the MQTT broker");
    }
    this.#lostAt = undefined;
    this.publish(this.#options.statusTopic, "online", { retain: true }).catch((err: unknown) => {
      this.#log.warn({ err }, "could not publish online status");
    });
    for (const [filter, { qos }] of this.#subscriptions) {
      client.subscribeAsync(filter, { qos }).catch((err: unknown) => {
        this.#log.warn({ err, filter }, "could not subscribe");
      });
    }
    for (const p of this.#pending) if (!p.cb) this.#send(p);
    for (const listener of [...this.#connectListeners]) {
      try {
        listener();
      } catch (err) {
        this.#log.error({ err }, "connect listener failed");
      }
    }
  }

  #onClose(): void {
    const wasReady = this.#ready;
    this.#ready = false;
    const now = performance.now();
    for (const p of this.#pending) {
      this.#detach(p);
      // Past its grace period a message is not sent again: it fails now.
      if (now >= p.deadline) this.#fail(p, `the connection was lost before the broker acknowledged`);
    }
    if (this.#stopping) return;
    if (wasReady) {
      this.#lostAt = performance.now();
      this.#log.warn({ url: this.url }, "lost the connection to the MQTT broker; reconnecting");
    } else {
      this.#log.debug(
        { url: this.url, attempt: this.#attempt, err: this.#lastError },
        "mqtt connect attempt failed",
      );
    }
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    if (this.#reconnectTimer || this.#stopping) return;
    const min = this.#options.reconnectMinMs ?? 500;
    const max = this.#options.reconnectMaxMs ?? 30_000;
    const delay = Math.min(max, min * 2 ** Math.min(this.#attempt, 16));
    this.#attempt++;
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      if (!this.#stopping && this.#client && !this.#ready) this.#client.reconnect();
    }, delay);
  }

  #dispatch(topic: string, payload: Buffer, retain: boolean): void {
    for (const [filter, { handlers }] of this.#subscriptions) {
      if (!topicMatches(filter, topic)) continue;
      for (const handler of handlers) {
        try {
          const result = handler({ topic, payload, retain });
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

/** Finds the packet id MQTT.js gave the publish whose callback is `cb`. */
function findMessageId(client: MqttClient, cb: unknown): number | undefined {
  for (const [id, entry] of Object.entries(client.outgoing)) {
    if (entry.cb === cb) return Number(id);
  }
  return undefined;
}

/**
 * Builds connection options from the `mqtt` config section: reads the password file and TLS files,
 * takes the password from HEARTH_MQTT_PASSWORD when the config names none. `url` is the configured
 * one, or the embedded broker's.
 */
export async function connectionOptionsFromConfig(
  config: MqttConfig,
  context: { url: string; siteId: string; statusTopic: string; logger: Logger; env?: NodeJS.ProcessEnv },
): Promise<MqttConnectionOptions> {
  const env = context.env ?? process.env;
  let password = config.password;
  if (config.password_file) {
    const text = await readFile(config.password_file, "utf8").catch((cause: unknown) => {
      throw new HearthError("CONFIG_INVALID", `cannot read mqtt.password_file ${config.password_file}`, {
        cause,
      });
    });
    password = text.split(/\r?\n/)[0] ?? "";
  }
  // An empty HEARTH_MQTT_PASSWORD= line in the environment file means "no password", not "".
  password ??= env.HEARTH_MQTT_PASSWORD || undefined;
  const readPem = async (path: string | undefined, key: string) =>
    path === undefined
      ? undefined
      : readFile(path).catch((cause: unknown) => {
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
    logger: context.logger,
  };
}
