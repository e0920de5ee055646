import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import {
  type Connection,
  createConnection,
  ERR_CANNOT_CONNECT,
  ERR_CONNECTION_LOST,
  ERR_INVALID_AUTH,
  type HaWebSocket,
  type MessageBase,
} from "home-assistant-js-websocket";
import WebSocket from "ws";
import type { HomeAssistantConfig } from "../config/schema.js";
import { type Clock, systemClock } from "../core/clock.js";
import { HearthError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";

/**
 * Hearth's one connection to Home Assistant's WebSocket API
 * (https://developers.home-assistant.io/docs/api/websocket), through home-assistant-js-websocket:
 * its Connection matches results and events to commands by id, re-subscribes after a reconnect and
 * reconnects with back-off. What the library leaves to its host is the socket: here `ws` (Node has
 * no WebSocket of its own before 22) with the TLS settings from the config, and the authentication
 * phase (auth_required → auth → auth_ok | auth_invalid) on it.
 *
 * A command never waits longer than its grace period for a lost connection and is never sent once
 * that has passed: a light switching on minutes later is worse than an error.
 */

/** What the rest of Hearth needs to reach Home Assistant (HomeAssistantConnection fits; tests may fake it). */
export interface HomeAssistantLink {
  /** Whether the socket is authenticated and open now. */
  readonly connected: boolean;
  /**
   * Sends one command and resolves with its result. Waits at most `graceMs` for the connection
   * (never sending once that passed) and at most `responseMs` for the result.
   */
  send<T>(message: MessageBase, options: SendOptions): Promise<T>;
}

export interface SendOptions {
  /** How long to wait for an unreachable Home Assistant before giving up unsent, in milliseconds. */
  graceMs: number;
  /** How long to wait for the result once sent, in milliseconds. */
  responseMs: number;
  signal?: AbortSignal | undefined;
}

/** Why a command did not succeed; `sent` tells whether Home Assistant may have received it. */
export class CommandError extends Error {
  constructor(
    readonly kind: "unreachable" | "auth" | "timeout" | "lost" | "refused" | "aborted",
    message: string,
    /** Home Assistant's own error code (`not_found`, `home_assistant_error` …) for `refused`. */
    readonly haCode?: string | undefined,
  ) {
    super(message);
    this.name = "CommandError";
  }
}

export interface HomeAssistantConnectionOptions {
  /** The WebSocket URL (ws:// or wss://, ending in /api/websocket). */
  url: string;
  token: string;
  ca?: Buffer | undefined;
  cert?: Buffer | undefined;
  key?: Buffer | undefined;
  rejectUnauthorized?: boolean | undefined;
  /** How long start() waits for the first connection before carrying on without it, in milliseconds. */
  startupTimeoutMs: number;
  logger: Logger;
  /** Milliseconds between tries while Home Assistant cannot be reached at all (default 5000). */
  retryMs?: number | undefined;
  /** Where the start-up, grace and response deadlines come from (default the system clock). */
  clock?: Clock | undefined;
  /**
   * Milliseconds between pings while connected (default 20000; 0: none). A connection whose pong
   * does not come within `pongTimeoutMs` (default 5000) is dropped and re-opened: a Home Assistant
   * that vanished without closing the connection (power cut, network gone) must not leave commands
   * sitting in a dead socket, to be delivered whenever the network comes back.
   */
  pingMs?: number | undefined;
  pongTimeoutMs?: number | undefined;
}

/** Derives the WebSocket URL from the configured one: http(s)://host:8123 → ws(s)://host:8123/api/websocket. */
export function webSocketUrl(url: string): string {
  const u = new URL(url);
  if (u.protocol === "http:" || u.protocol === "https:") {
    u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
    u.pathname = `${u.pathname.replace(/\/+$/, "")}/api/websocket`;
  }
  return u.toString();
}

/**
 * Connection options from the `homeassistant` config section: the token from `token`, `token_file`
 * or HEARTH_HA_TOKEN, the TLS files read. Relative file paths are resolved against `configDir`
 * (the config file's directory), as every path in the config is, not the working directory.
 */
export async function connectionOptionsFromConfig(
  config: HomeAssistantConfig,
  context: { logger: Logger; configDir: string; env?: NodeJS.ProcessEnv | undefined },
): Promise<HomeAssistantConnectionOptions> {
  const env = context.env ?? process.env;
  let token = config.token;
  if (config.token_file !== undefined) {
    const text = await readFile(resolve(context.configDir, config.token_file), "utf8").catch(
      (cause: unknown) => {
        throw new HearthError("CONFIG_INVALID", `cannot read homeassistant.token_file ${config.token_file}`, {
          cause,
        });
      },
    );
    token = (text.split(/\r?\n/)[0] ?? "").trim();
  }
  token ??= env.HEARTH_HA_TOKEN?.trim() || undefined;
  if (!token)
    throw new HearthError(
      "CONFIG_INVALID",
      "homeassistant needs an access token: set homeassistant.token_file, homeassistant.token or HEARTH_HA_TOKEN",
    );
  const readPem = async (path: string | undefined, key: string) =>
    path === undefined
      ? undefined
      : readFile(resolve(context.configDir, path)).catch((cause: unknown) => {
          throw new HearthError("CONFIG_INVALID", `cannot read homeassistant.tls.${key} ${path}`, { cause });
        });
  return {
    url: webSocketUrl(config.url),
    token,
    ca: await readPem(config.tls?.ca, "ca"),
    cert: await readPem(config.tls?.cert, "cert"),
    key: await readPem(config.tls?.key, "key"),
    rejectUnauthorized: config.tls?.reject_unauthorized,
    startupTimeoutMs: config.startup_timeout_ms,
    logger: context.logger,
  };
}

/** The session with Home Assistant. Constructing it connects nothing; start() does. */
export class HomeAssistantConnection implements HomeAssistantLink {
  readonly #o: HomeAssistantConnectionOptions;
  readonly #log: Logger;
  readonly #clock: Clock;
  #conn: Connection | undefined;
  #haVersion: string | undefined;
  #authRefused = false;
  #stopped = false;
  /** The wait before the next connection attempt, on the clock; undefined when none is pending. */
  #retry: AbortSignal | undefined;
  /** Ends the chain of pings (each waits `pingMs` on the clock); undefined when none runs. */
  #keepAlive: AbortController | undefined;
  #pinging = false;
  /** Waiting for the connection: each is called once it is ready (or refused). */
  readonly #waiters = new Set<() => void>();
  /** Called with the library connection each time it is (re)established. */
  readonly #onReady = new Set<(conn: Connection) => void>();

  constructor(options: HomeAssistantConnectionOptions) {
    this.#o = options;
    this.#log = options.logger;
    this.#clock = options.clock ?? systemClock;
  }

  get url(): string {
    return this.#o.url;
  }

  /** Home Assistant's version, as it said in auth_ok. */
  get haVersion(): string | undefined {
    return this.#haVersion;
  }

  get connected(): boolean {
    return this.#conn?.connected === true && !this.#authRefused;
  }

  /** Whether Home Assistant refused the token (commands fail at once then). */
  get authRefused(): boolean {
    return this.#authRefused;
  }

  /**
   * Connects and authenticates. A refused token fails with HA_AUTH (it will not start working by
   * retrying); a Home Assistant that cannot be reached within the startup timeout is logged and
   * retried in the background, so the rest of the house keeps working meanwhile.
   *
   * @throws HearthError HA_AUTH when the token is refused.
   */
  async start(): Promise<void> {
    this.#stopped = false;
    const first = this.#connect();
    const deadline = this.#clock.timeout(this.#o.startupTimeoutMs, "connecting to Home Assistant");
    const timeout = new Promise<"timeout">((resolve) => {
      deadline.addEventListener("abort", () => resolve("timeout"), { once: true });
    });
    const result = await Promise.race([first, timeout]);
    if (result === "auth") {
      throw new HearthError("HA_AUTH", `Home Assistant at ${this.#o.url} refused the access token`);
    }
    if (result !== "ok") {
      this.#log.error(
        { code: "HA_UNREACHABLE", url: this.#o.url },
        "Home Assistant cannot be reached; retrying in the background",
      );
      if (result === "unreachable") this.#scheduleRetry();
      else
        void first.then((late) => {
          if (late === "unreachable") this.#scheduleRetry();
          if (late === "auth") this.#log.error({ code: "HA_AUTH", url: this.#o.url }, "access token refused");
        });
    }
  }

  /**
   * Connects once and reports how that went. Resolves "ok" with the library connection installed.
   */
  async #connect(): Promise<"ok" | "auth" | "unreachable"> {
    try {
      const conn = await createConnection({
        setupRetry: 0,
        createSocket: () => this.#openSocket(),
      });
      if (this.#stopped) {
        conn.close();
        return "unreachable";
      }
      this.#install(conn);
      return "ok";
    } catch (err) {
      if (err === ERR_INVALID_AUTH) {
        this.#refused();
        return "auth";
      }
      return "unreachable";
    }
  }

  #scheduleRetry(): void {
    if (this.#stopped || this.#retry) return;
    const retry = this.#clock.timeout(this.#o.retryMs ?? 5000, "the next Home Assistant connection attempt");
    this.#retry = retry;
    retry.addEventListener(
      "abort",
      async () => {
        // stop() (or a stop and start) came in between: this attempt is no longer wanted.
        if (this.#retry !== retry || this.#stopped) return;
        this.#retry = undefined;
        const result = await this.#connect();
        if (result === "unreachable") this.#scheduleRetry();
      },
      { once: true },
    );
  }

  #install(conn: Connection): void {
    this.#conn = conn;
    this.#authRefused = false;
    conn.addEventListener("ready", () => {
      this.#haVersion = conn.haVersion;
      this.#log.info({ url: this.#o.url, haVersion: conn.haVersion }, "Home Assistant connected");
      this.#ready(conn);
    });
    conn.addEventListener("disconnected", () => {
      if (!this.#stopped)
        this.#log.warn({ url: this.#o.url }, "Home Assistant connection lost; reconnecting");
    });
    conn.addEventListener("reconnect-error", (_c, err) => {
      if (err === ERR_INVALID_AUTH) this.#refused();
    });
    this.#haVersion = conn.haVersion;
    this.#log.info({ url: this.#o.url, haVersion: conn.haVersion }, "Home Assistant connected");
    this.#startKeepAlive();
    this.#ready(conn);
  }

  /**
   * A ping `pingMs` after the last one was answered (or given up on), on the injected clock rather
   * than setInterval, so tests move time to it instead of waiting for it. Like the clock's
   * timeouts, the wait keeps nothing alive.
   */
  #startKeepAlive(): void {
    const every = this.#o.pingMs ?? 20_000;
    if (this.#keepAlive || every <= 0) return;
    const keepAlive = new AbortController();
    this.#keepAlive = keepAlive;
    const next = (): void => {
      this.#clock.timeout(every, "the next ping to Home Assistant").addEventListener(
        "abort",
        () => {
          if (keepAlive.signal.aborted) return;
          void this.#ping().finally(() => {
            if (!keepAlive.signal.aborted) next();
          });
        },
        { once: true },
      );
    };
    next();
  }

  /** One ping; no pong in time drops the socket, which the library then re-opens. */
  async #ping(): Promise<void> {
    const conn = this.#conn;
    if (!conn?.connected || this.#pinging) return;
    this.#pinging = true;
    try {
      const ms = this.#o.pongTimeoutMs ?? 5000;
      const deadline = this.#clock.timeout(ms, "Home Assistant's pong");
      const answered = await Promise.race([
        conn.ping().then(
          () => true,
          () => true,
        ),
        new Promise<false>((resolve) =>
          deadline.addEventListener("abort", () => resolve(false), { once: true }),
        ),
      ]);
      if (!answered && this.#conn === conn && conn.connected) {
        this.#log.warn({ url: this.#o.url, ms }, "Home Assistant did not answer a ping; reconnecting");
        (conn.socket as unknown as WebSocket | undefined)?.terminate();
      }
    } finally {
      this.#pinging = false;
    }
  }

  #refused(): void {
    this.#authRefused = true;
    this.#log.error({ code: "HA_AUTH", url: this.#o.url }, "Home Assistant refused the access token");
    for (const w of [...this.#waiters]) w();
  }

  #ready(conn: Connection): void {
    for (const w of [...this.#waiters]) w();
    for (const listener of this.#onReady) {
      try {
        listener(conn);
      } catch (err) {
        this.#log.error({ err }, "Home Assistant ready listener failed");
      }
    }
  }

  /**
   * Calls `listener` with the library connection now (if connected) and after every reconnect, so
   * that state read over the connection can be re-read. Returns the unsubscribe.
   */
  onReady(listener: (conn: Connection) => void): () => void {
    this.#onReady.add(listener);
    if (this.#conn?.connected) listener(this.#conn);
    return () => this.#onReady.delete(listener);
  }

  /** The library connection, once there has been one (for its collections and subscriptions). */
  get library(): Connection | undefined {
    return this.#conn;
  }

  async send<T>(message: MessageBase, options: SendOptions): Promise<T> {
    await this.#whenConnected(options.graceMs, options.signal);
    const conn = this.#conn;
    if (!conn) throw new CommandError("unreachable", "not connected");
    const deadline = this.#clock.timeout(options.responseMs, "a Home Assistant service call");
    const cleanup: Array<() => void> = [];
    try {
      return await new Promise<T>((resolve, reject) => {
        const late = () => reject(new CommandError("timeout", "Home Assistant did not answer in time"));
        const aborted = () => reject(new CommandError("aborted", "cancelled"));
        deadline.addEventListener("abort", late, { once: true });
        options.signal?.addEventListener("abort", aborted, { once: true });
        cleanup.push(
          () => deadline.removeEventListener("abort", late),
          () => options.signal?.removeEventListener("abort", aborted),
        );
        conn.sendMessagePromise<T>(message).then(resolve, (err: unknown) => reject(commandError(err)));
      });
    } finally {
      for (const c of cleanup) c();
    }
  }

  /** Resolves once connected; rejects (nothing sent) when the grace period or the signal ends first. */
  async #whenConnected(graceMs: number, signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) throw new CommandError("aborted", "cancelled");
    if (this.#authRefused) throw new CommandError("auth", "access token refused");
    if (this.#conn?.connected) return;
    const grace = this.#clock.timeout(graceMs, "waiting for Home Assistant");
    await new Promise<void>((resolve, reject) => {
      const done = () => {
        this.#waiters.delete(waiter);
        grace.removeEventListener("abort", expired);
        signal?.removeEventListener("abort", aborted);
      };
      const waiter = () => {
        done();
        if (this.#authRefused) reject(new CommandError("auth", "access token refused"));
        else resolve();
      };
      const aborted = () => {
        done();
        reject(new CommandError("aborted", "cancelled"));
      };
      const expired = () => {
        done();
        reject(new CommandError("unreachable", "Home Assistant could not be reached in time"));
      };
      this.#waiters.add(waiter);
      grace.addEventListener("abort", expired, { once: true });
      signal?.addEventListener("abort", aborted, { once: true });
    });
  }

  /** Closes the session and stops retrying. Idempotent. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#retry = undefined;
    this.#keepAlive?.abort();
    this.#keepAlive = undefined;
    this.#onReady.clear();
    this.#conn?.close();
    this.#conn = undefined;
  }

  /**
   * Opens one socket and authenticates on it, as the library's browser socket does: on
   * auth_required send the token, resolve on auth_ok, reject with ERR_INVALID_AUTH on
   * auth_invalid and with ERR_CANNOT_CONNECT when the socket fails or closes first.
   */
  #openSocket(): Promise<HaWebSocket> {
    const { url, token } = this.#o;
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, {
        ca: this.#o.ca,
        cert: this.#o.cert,
        key: this.#o.key,
        rejectUnauthorized: this.#o.rejectUnauthorized,
        handshakeTimeout: Math.max(1000, this.#o.startupTimeoutMs),
      });
      let invalidAuth = false;
      let settled = false;
      const fail = (err?: unknown) => {
        if (settled) return;
        settled = true;
        if (err) this.#log.debug({ err: String(err), url }, "Home Assistant socket failed");
        socket.removeAllListeners("message");
        reject(invalidAuth ? ERR_INVALID_AUTH : ERR_CANNOT_CONNECT);
      };
      socket.on("error", fail);
      socket.on("close", () => fail());
      socket.on("message", (data) => {
        let message: { type?: unknown; ha_version?: unknown };
        try {
          message = JSON.parse(String(data)) as typeof message;
        } catch {
          return;
        }
        switch (message.type) {
          case "auth_required":
            socket.send(JSON.stringify({ type: "auth", access_token: token }));
            break;
          case "auth_invalid":
            invalidAuth = true;
            socket.close();
            break;
          case "auth_ok": {
            if (settled) return;
            settled = true;
            socket.removeAllListeners("message");
            socket.removeAllListeners("close");
            socket.removeAllListeners("error");
            // A later socket error surfaces as a close, which the library handles.
            socket.on("error", () => {});
            const ha = socket as unknown as HaWebSocket;
            ha.haVersion = typeof message.ha_version === "string" ? message.ha_version : "0.0.0";
            // Home Assistant 2022.9 and later accept message coalescing; the library handles batches.
            socket.send(
              JSON.stringify({ type: "supported_features", id: 1, features: { coalesce_messages: 1 } }),
            );
            resolve(ha);
            break;
          }
        }
      });
    });
  }
}

/** The library rejects with Home Assistant's `{code, message}` or its own numeric codes. */
function commandError(err: unknown): CommandError {
  if (err instanceof CommandError) return err;
  if (err === ERR_CONNECTION_LOST) return new CommandError("lost", "connection lost");
  if (typeof err === "object" && err !== null) {
    // A lost connection rejects the commands in flight with a whole result message.
    const inner = (err as { error?: unknown }).error;
    if (
      typeof inner === "object" &&
      inner !== null &&
      (inner as { code?: unknown }).code === ERR_CONNECTION_LOST
    )
      return new CommandError("lost", "connection lost");
    const { code, message } = err as { code?: unknown; message?: unknown };
    if (code === ERR_CONNECTION_LOST) return new CommandError("lost", "connection lost");
    return new CommandError(
      "refused",
      typeof message === "string" ? message : "Home Assistant refused the command",
      typeof code === "string" ? code : undefined,
    );
  }
  return new CommandError("refused", String(err));
}
