import { createServer, type Server, type Socket } from "node:net";
import { Aedes } from "aedes";
import type { Logger } from "../core/logger.js";

/**
 * A small MQTT broker (aedes) inside Hearth, for a machine without one: it listens on 127.0.0.1
 * only, so nothing outside the machine can reach it. Used when the config names no broker URL.
 */

export interface EmbeddedBrokerOptions {
  /** Preferred TCP port; the next free one is taken when it is busy (0 = any free port). */
  port: number;
  /** How many ports after `port` to try before giving up (default 20). */
  portTries?: number;
  host?: string;
  logger: Logger;
}

export class EmbeddedBroker {
  readonly #options: EmbeddedBrokerOptions;
  #broker: Aedes | undefined;
  #server: Server | undefined;
  readonly #sockets = new Set<Socket>();
  #port: number | undefined;

  constructor(options: EmbeddedBrokerOptions) {
    this.#options = options;
  }

  /** The port it listens on, once started. */
  get port(): number | undefined {
    return this.#port;
  }

  /** mqtt://host:port, once started. */
  get url(): string | undefined {
    return this.#port === undefined ? undefined : `mqtt://${this.#options.host ?? "127.0.0.1"}:${this.#port}`;
  }

  /** Starts the broker on the first free port from `port`; resolves with its URL. */
  async start(): Promise<string> {
    if (this.#server && this.url) return this.url;
    const host = this.#options.host ?? "127.0.0.1";
    const broker = await Aedes.createBroker();
    this.#broker = broker;
    broker.on("clientError", (client, err) =>
      this.#options.logger.debug({ err, clientId: client.id }, "broker client error"),
    );
    const tries = this.#options.port === 0 ? 1 : (this.#options.portTries ?? 20);
    let lastError: unknown;
    for (let i = 0; i < tries; i++) {
      const port = this.#options.port === 0 ? 0 : this.#options.port + i;
      if (port > 65_535) break;
      const server = createServer((socket) => {
        this.#sockets.add(socket);
        socket.on("close", () => this.#sockets.delete(socket));
        broker.handle(socket);
      });
      try {
        await new Promise<void>((resolve, reject) => {
          server.once("error", reject);
          server.listen(port, host, () => {
            server.off("error", reject);
            resolve();
          });
        });
      } catch (err) {
        lastError = err;
        if ((err as NodeJS.ErrnoException).code === "EADDRINUSE") continue;
        break;
      }
      this.#server = server;
      const address = server.address();
      this.#port = typeof address === "object" && address ? address.port : port;
      if (this.#port !== this.#options.port && this.#options.port !== 0) {
        this.#options.logger.info(
          { wanted: this.#options.port, port: this.#port },
          "broker port was busy; using the next free one",
        );
      }
      this.#options.logger.info({ url: this.url }, "embedded MQTT broker started");
      return this.url as string;
    }
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    this.#broker = undefined;
    throw new Error(`no free port for the embedded MQTT broker from ${this.#options.port}`, {
      cause: lastError,
    });
  }

  /** Closes every connection and the broker. Idempotent. */
  async stop(): Promise<void> {
    const server = this.#server;
    const broker = this.#broker;
    this.#server = undefined;
    this.#broker = undefined;
    this.#port = undefined;
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    if (broker) await new Promise<void>((resolve) => broker.close(() => resolve()));
  }
}
