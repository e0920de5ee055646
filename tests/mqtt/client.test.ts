import { execFile } from "node:child_process";
import { createServer, type Server, type Socket } from "node:net";
import { fileURLToPath } from "node:url";
import { Aedes } from "aedes";
import { connectAsync, type MqttClient } from "mqtt";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { HearthError } from "../../src/core/errors.js";
import { silentLogger } from "../../src/core/logger.js";
import { type IncomingMessage, MqttConnection, type MqttConnectionOptions } from "../../src/mqtt/client.js";
import { EmbeddedBroker } from "../../src/mqtt/embedded-broker.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { freePort, type Mosquitto, startMosquitto } from "../helpers/mosquitto.js";

let counter = 0;
/** A topic prefix and client id no other test uses. */
function unique(name: string): string {
  counter++;
  return `test-${process.pid}-${counter}-${name}`;
}

function options(
  url: string,
  prefix: string,
  extra: Partial<MqttConnectionOptions> = {},
): MqttConnectionOptions {
  return {
    url,
    clientId: prefix,
    statusTopic: `${prefix}/status`,
    commandGraceMs: 3000,
    startupTimeoutMs: 5000,
    reconnectMinMs: 50,
    reconnectMaxMs: RECONNECT_MAX_MS,
    logger: silentLogger(),
    ...extra,
  };
}

/**
 * For a test that is about none of the connection's waits: they run on a clock that nothing moves,
 * so the start-up limit and a command's grace period never run out on a busy machine.
 */
function unhurried(): Partial<MqttConnectionOptions> {
  return { clock: new ManualClock() };
}

/** Resolves with the first message on `topic` that satisfies `accept`. */
function nextMessage(
  client: MqttClient,
  topic: string,
  accept: (payload: string) => boolean = () => true,
): Promise<string> {
  return new Promise((resolve) => {
    const onMessage = (t: string, payload: Buffer) => {
      if (t === topic && accept(payload.toString())) {
        client.off("message", onMessage);
        resolve(payload.toString());
      }
    };
    client.on("message", onMessage);
  });
}

function waitFor<T>(produce: (resolve: (value: T) => void) => void): Promise<T> {
  return new Promise<T>(produce);
}

/** The longest wait between reconnect attempts in {@link options}. */
const RECONNECT_MAX_MS = 400;

const turn = () => new Promise((resolve) => setTimeout(resolve, 20));

/**
 * Moves `clock` on to each reconnect attempt the connection waits for on it (at most
 * RECONNECT_MAX_MS), and no further, until it is connected again: Hearth's time passes by the
 * attempts it makes, never by how long the machine takes to make them, so a longer deadline
 * pending meanwhile (a command's grace period) does not run out.
 */
async function reconnectOn(clock: ManualClock, connection: MqttConnection): Promise<void> {
  while (!connection.connected) {
    const next = clock.pending[0];
    if (next !== undefined && next <= RECONNECT_MAX_MS) clock.advance(next);
    await turn();
  }
}

/** Moves `clock` on by `stepMs` at a time until every one of `outcomes` has settled. */
async function settleOn(clock: ManualClock, stepMs: number, outcomes: Promise<unknown>[]): Promise<void> {
  let settled = 0;
  for (const outcome of outcomes)
    void outcome.then(
      () => settled++,
      () => settled++,
    );
  while (settled < outcomes.length) {
    clock.advance(stepMs);
    await turn();
  }
}

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

describe("MqttConnection against Mosquitto", () => {
  let broker: Mosquitto;
  let observer: MqttClient;

  beforeAll(async () => {
    broker = await startMosquitto();
    observer = await connectAsync(broker.url, { clientId: unique("observer"), reconnectPeriod: 100 });
  });
  afterAll(async () => {
    await observer?.endAsync(true);
    await broker?.dispose();
  });

  it("publishes online, retained, on its status topic when it connects", async () => {
    const prefix = unique("online");
    const connection = new MqttConnection(options(broker.url, prefix, unhurried()));
    cleanups.push(() => connection.stop());
    await connection.start();
    expect(connection.connected).toBe(true);
    // Subscribing afterwards still sees it: it is retained.
    const seen = nextMessage(observer, `${prefix}/status`);
    await observer.subscribeAsync(`${prefix}/status`, { qos: 1 });
    expect(await seen).toBe("online");
  });

  it("publishes offline when it stops", async () => {
    const prefix = unique("offline");
    const connection = new MqttConnection(options(broker.url, prefix, unhurried()));
    await observer.subscribeAsync(`${prefix}/status`, { qos: 1 });
    const online = nextMessage(observer, `${prefix}/status`, (p) => p === "online");
    await connection.start();
    await online;
    const offline = nextMessage(observer, `${prefix}/status`, (p) => p === "offline");
    await connection.stop();
    expect(await offline).toBe("offline");
    await connection.stop(); // idempotent
  });

  it("leaves its last will, offline, when its process dies", async () => {
    const prefix = unique("will");
    await observer.subscribeAsync(`${prefix}/status`, { qos: 1 });
    const online = nextMessage(observer, `${prefix}/status`, (p) => p === "online");
    const offline = nextMessage(observer, `${prefix}/status`, (p) => p === "offline");
    // A separate process runs the built client (dist/, compiled by the global setup) and is then killed.
    const clientModule = fileURLToPath(new URL("../../dist/mqtt/client.js", import.meta.url));
    const loggerModule = fileURLToPath(new URL("../../dist/core/logger.js", import.meta.url));
    const script = `
      const { MqttConnection } = await import(${JSON.stringify(clientModule)});
      const { silentLogger } = await import(${JSON.stringify(loggerModule)});
      const c = new MqttConnection({ url: ${JSON.stringify(broker.url)}, clientId: ${JSON.stringify(prefix)},
        statusTopic: ${JSON.stringify(`${prefix}/status`)}, commandGraceMs: 3000, startupTimeoutMs: 5000,
        logger: silentLogger(),
        // Deadlines that never come: however slow the machine, it connects.
        clock: { now: () => new Date(), monotonic: () => performance.now(), timeout: () => new AbortController().signal } });
      await c.start();
      setInterval(() => {}, 1000);`;
    const child = execFile(process.execPath, ["--input-type=module", "-e", script]);
    cleanups.push(() => child.kill("SIGKILL"));
    await online;
    child.kill("SIGKILL");
    expect(await offline).toBe("offline");
  });

  it("resolves a QoS 1 publish once the broker has it, and the message arrives", async () => {
    const prefix = unique("publish");
    const connection = new MqttConnection(options(broker.url, prefix, unhurried()));
    cleanups.push(() => connection.stop());
    await connection.start();
    await observer.subscribeAsync(`${prefix}/light/set`, { qos: 1 });
    const arrived = nextMessage(observer, `${prefix}/light/set`);
    await connection.publish(`${prefix}/light/set`, '{"state":"ON"}');
    expect(await arrived).toBe('{"state":"ON"}');
  });

  it("refuses to publish to a wildcard topic", async () => {
    const prefix = unique("wild");
    const connection = new MqttConnection(options(broker.url, prefix, unhurried()));
    cleanups.push(() => connection.stop());
    await connection.start();
    await expect(connection.publish(`${prefix}/#`, "x")).rejects.toMatchObject({ code: "COMMAND_FAILED" });
    await expect(connection.publish(`${prefix}/+/x`, "x")).rejects.toBeInstanceOf(HearthError);
  });

  it("delivers messages to handlers whose filters match, and survives a throwing handler", async () => {
    const prefix = unique("subscribe");
    const connection = new MqttConnection(options(broker.url, prefix, unhurried()));
    cleanups.push(() => connection.stop());
    await connection.start();
    const received: IncomingMessage[] = [];
    const done = waitFor<void>((resolve) => {
      void connection.subscribe(`${prefix}/+/state`, (m) => {
        received.push(m);
        if (m.topic.endsWith("b/state")) resolve();
      });
    });
    await connection.subscribe(`${prefix}/#`, () => {
      throw new Error("handler bug");
    });
    // Give the first subscribe its SUBACK by publishing after a confirmed subscription.
    await connection.subscribe(`${prefix}/ready`, () => {});
    await observer.publishAsync(`${prefix}/a/state`, "1", { qos: 1 });
    await observer.publishAsync(`${prefix}/a/other`, "x", { qos: 1 });
    await observer.publishAsync(`${prefix}/b/state`, "2", { qos: 1 });
    await done;
    expect(received.map((m) => [m.topic, m.payload.toString()])).toEqual([
      [`${prefix}/a/state`, "1"],
      [`${prefix}/b/state`, "2"],
    ]);
    expect(connection.connected).toBe(true);
  });

  it("fails start with BROKER_UNREACHABLE when nothing listens", async () => {
    const port = await freePort();
    const connection = new MqttConnection(
      options(`mqtt://127.0.0.1:${port}`, unique("unreachable"), { startupTimeoutMs: 400 }),
    );
    await expect(connection.start()).rejects.toMatchObject({ code: "BROKER_UNREACHABLE" });
    expect(connection.connected).toBe(false);
  });
});

describe("MqttConnection when the broker goes away", () => {
  let broker: Mosquitto;

  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    await broker?.dispose();
  });

  it("fails a command after its grace period while the broker is down, then reconnects and re-announces", async () => {
    const prefix = unique("loss");
    // Hearth's time is the test's: grace periods and reconnect waits pass as the test moves it.
    const clock = new ManualClock();
    const connection = new MqttConnection(options(broker.url, prefix, { clock }));
    cleanups.push(() => connection.stop());
    await connection.start();
    const reconnected = new Promise<void>((resolve) => connection.onConnect(resolve));

    await broker.kill();
    // Sent once Hearth knows the broker is gone, so it waits for it rather than for an answer.
    while (connection.connected) await turn();
    const failed = connection.publish(`${prefix}/lamp/set`, "late", { graceMs: 200 });
    await settleOn(clock, 200, [failed]);
    await expect(failed).rejects.toMatchObject({
      code: "COMMAND_FAILED",
      message: expect.stringContaining("200 ms"),
    });

    // A command that is still within its grace period when the broker returns is delivered.
    const waiting = connection.publish(`${prefix}/lamp/set`, "in time", { graceMs: 30_000 });
    await broker.start();
    await reconnectOn(clock, connection);
    // Delivered from MQTT.js's store as soon as the broker is back, before the subscriptions are renewed.
    await waiting;
    await reconnected;

    // The retained online status was published again on the new broker (it kept no state).
    const observer = await connectAsync(broker.url, { clientId: unique("obs") });
    cleanups.push(() => observer.endAsync(true));
    const status = nextMessage(observer, `${prefix}/status`);
    await observer.subscribeAsync(`${prefix}/status`, { qos: 1 });
    expect(await status).toBe("online");
  });

  it("settles every command as published or failed while the broker is killed and restarted", async () => {
    const prefix = unique("churn");
    // Hearth's time is the test's: a command's grace period runs out only while the broker is down,
    // when the test moves the clock, never because the machine is slow to acknowledge one.
    const clock = new ManualClock();
    const connection = new MqttConnection(options(broker.url, prefix, { commandGraceMs: 300, clock }));
    cleanups.push(() => connection.stop());
    await connection.start();
    const outcomes: Promise<"published" | "failed">[] = [];
    const send = (i: number) =>
      outcomes.push(
        connection.publish(`${prefix}/cmd`, String(i)).then(
          () => "published" as const,
          (err: unknown) => {
            expect(err).toBeInstanceOf(HearthError);
            return "failed" as const;
          },
        ),
      );
    for (let i = 0; i < 10; i++) send(i);
    await broker.kill();
    while (connection.connected) await turn();
    for (let i = 10; i < 20; i++) send(i);
    await settleOn(clock, 300, outcomes.slice(10));
    await broker.start();
    await reconnectOn(clock, connection);
    for (let i = 20; i < 30; i++) send(i);
    const results = await Promise.all(outcomes);
    expect(results).toHaveLength(30);
    // Sent while the broker was dead: all reported failed. Sent after it came back: all published.
    expect(results.slice(10, 20)).toEqual(Array(10).fill("failed"));
    expect(results.slice(20)).toEqual(Array(10).fill("published"));
  });
});

/**
 * An aedes broker whose PUBACKs the test controls: a publish whose payload starts with "hold" is
 * not acknowledged until `release()`. Every publish that reaches it is recorded, so a replay would
 * be seen.
 */
async function controlledBroker(port = 0) {
  const received: string[] = [];
  const held: Array<() => void> = [];
  const broker = await Aedes.createBroker({
    authorizePublish: (_client, packet, callback) => {
      const payload = packet.payload.toString();
      received.push(payload);
      if (payload.startsWith("hold")) held.push(() => callback(null));
      else callback(null);
    },
  });
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    broker.handle(socket);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  return {
    url: `mqtt://127.0.0.1:${actualPort}`,
    received,
    /** Acknowledges every publish held so far. */
    release: () => {
      for (const acknowledge of held.splice(0)) acknowledge();
    },
    /** Drops every client connection abruptly. */
    dropConnections: () => {
      for (const socket of sockets) socket.destroy();
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => broker.close(() => resolve()));
    },
  };
}

describe("MqttConnection never sends a command late", () => {
  it("does not replay an unacknowledged command after its grace period, on the next connection", async () => {
    const broker = await controlledBroker();
    cleanups.push(() => broker.close());
    const prefix = unique("noreplay");
    const clock = new ManualClock();
    const connection = new MqttConnection(options(broker.url, prefix, { clock }));
    cleanups.push(() => connection.stop());
    await connection.start();

    const held = connection.publish(`${prefix}/lock/set`, "hold-unlock", { graceMs: 150 });
    while (!broker.received.includes("hold-unlock")) await turn();
    clock.advance(150);
    // The connection it was written on is lost past its grace period: failed, and never sent again.
    broker.dropConnections();
    await expect(held).rejects.toMatchObject({ code: "COMMAND_FAILED" });
    await reconnectOn(clock, connection);
    // After the reconnect, a later command goes through; MQTT.js would have replayed its stored
    // packets before this one, so the held command would have been received a second time.
    await connection.publish(`${prefix}/lock/set`, "marker", { graceMs: 30_000 });
    expect(broker.received.filter((p) => p === "hold-unlock")).toHaveLength(1);
    expect(broker.received).toContain("marker");
  });

  it("waits for a written command's acknowledgement as long as the connection lives: a slow broker fails nothing", async () => {
    const broker = await controlledBroker();
    cleanups.push(() => broker.close());
    const prefix = unique("slowack");
    const clock = new ManualClock();
    const connection = new MqttConnection(options(broker.url, prefix, { clock }));
    cleanups.push(() => connection.stop());
    await connection.start();

    let outcome: string | undefined;
    const command = connection.publish(`${prefix}/light/set`, "hold-on", { graceMs: 3000 }).then(
      () => {
        outcome = "published";
      },
      (err: unknown) => {
        outcome = `failed: ${String(err)}`;
      },
    );
    while (!broker.received.includes("hold-on")) await turn();
    // Far past its grace period (and the 2 × grace a written command used to get): still waiting,
    // because the broker has it and the connection is up.
    for (let i = 0; i < 10; i++) {
      clock.advance(3000);
      await turn();
    }
    expect(outcome).toBeUndefined();
    broker.release();
    await command;
    expect(outcome).toBe("published");
  });

  it("gives a connect attempt the broker never answers its limit on the clock, then makes the next one", async () => {
    // A TCP server that accepts connections and never sends CONNACK.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => {
      sockets.push(socket);
      socket.resume();
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    cleanups.push(async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    });
    const address = silent.address();
    const url = `mqtt://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    const clock = new ManualClock();
    const connection = new MqttConnection(
      options(url, unique("silent"), { clock, startupTimeoutMs: 30_000, reconnectMinMs: 50 }),
    );
    cleanups.push(() => connection.stop());
    let failure: unknown;
    const started = connection.start().catch((err: unknown) => {
      failure = err;
    });
    while (sockets.length < 1) await turn();
    // The attempt's limit (startup_timeout_ms, 10 s at most) is on the clock: however long the
    // machine takes, the attempt stays open until the clock passes it.
    expect(clock.pending).toEqual([10_000, 30_000]);
    clock.advance(9_999);
    await turn();
    expect(sockets).toHaveLength(1);
    clock.advance(1);
    // The next attempt is made at once (delay 0 on the clock).
    while (!clock.pending.includes(0)) await turn();
    clock.advance(0);
    while (sockets.length < 2) await turn();
    clock.advance(20_000);
    await started;
    expect(failure).toMatchObject({
      code: "BROKER_UNREACHABLE",
      message: expect.stringContaining("within 30000 ms"),
      cause: { message: expect.stringContaining("did not accept the connection within 10000 ms") },
    });
  });

  it("sends a command again after a reconnect while it is still within its grace period", async () => {
    let holding = true;
    const received: string[] = [];
    const broker = await Aedes.createBroker({
      authorizePublish: (_client, packet, callback) => {
        received.push(packet.payload.toString());
        if (!holding || packet.topic.endsWith("/status")) callback(null);
      },
    });
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      broker.handle(socket);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanups.push(async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => broker.close(() => resolve()));
    });
    const address = server.address();
    const url = `mqtt://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    const prefix = unique("resend");
    const connection = new MqttConnection(options(url, prefix));
    cleanups.push(() => connection.stop());
    await connection.start();

    const command = connection.publish(`${prefix}/light/set`, "ON", { graceMs: 30_000 });
    await waitFor<void>((resolve) => {
      const check = setInterval(() => {
        if (received.includes("ON")) {
          clearInterval(check);
          resolve();
        }
      }, 10);
    });
    holding = false;
    for (const s of sockets) s.destroy();
    await command;
    expect(received.filter((p) => p === "ON")).toHaveLength(2);
  });
});

describe("EmbeddedBroker", () => {
  it("serves Hearth's connection on 127.0.0.1 and takes the next free port when its port is busy", async () => {
    const busyPort = await freePort();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(busyPort, "127.0.0.1", resolve));
    cleanups.push(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

    const embedded = new EmbeddedBroker({ port: busyPort, logger: silentLogger() });
    cleanups.push(() => embedded.stop());
    const url = await embedded.start();
    expect(embedded.port).not.toBe(busyPort);
    expect(embedded.port).toBeGreaterThan(busyPort);
    expect(url).toBe(`mqtt://127.0.0.1:${embedded.port}`);

    const prefix = unique("embedded");
    const connection = new MqttConnection(options(url, prefix, unhurried()));
    cleanups.push(() => connection.stop());
    await connection.start();
    const got = waitFor<string>((resolve) => {
      void connection.subscribe(`${prefix}/echo`, (m) => resolve(m.payload.toString()));
    });
    await connection.subscribe(`${prefix}/sync`, () => {});
    await connection.publish(`${prefix}/echo`, "hello");
    expect(await got).toBe("hello");
  });

  it("stops idempotently and frees its port", async () => {
    const embedded = new EmbeddedBroker({ port: 0, logger: silentLogger() });
    await embedded.start();
    const port = embedded.port;
    await embedded.stop();
    await embedded.stop();
    const again = createServer();
    await new Promise<void>((resolve, reject) => {
      again.once("error", reject);
      again.listen(port, "127.0.0.1", resolve);
    });
    await new Promise<void>((resolve) => again.close(() => resolve()));
  });
});

describe("MqttConnection security", () => {
  let secure: Mosquitto;

  beforeAll(async () => {
    secure = await startMosquitto({ users: { hearth: "correct horse" }, tls: true });
  });
  afterAll(async () => {
    await secure?.dispose();
  });

  it("connects with the right user name and password", async () => {
    const prefix = unique("auth-ok");
    const connection = new MqttConnection(
      options(secure.url, prefix, { username: "hearth", password: "correct horse", ...unhurried() }),
    );
    cleanups.push(() => connection.stop());
    await connection.start();
    await connection.publish(`${prefix}/x`, "1");
  });

  it("fails start with BROKER_AUTH on a wrong password, without waiting for the timeout", async () => {
    const connection = new MqttConnection(
      options(secure.url, unique("auth-bad"), {
        username: "hearth",
        password: "wrong",
        // A clock that never moves: the startup timeout cannot end the start, only the refusal can.
        clock: new ManualClock(),
      }),
    );
    await expect(connection.start()).rejects.toMatchObject({ code: "BROKER_AUTH" });
  });

  it("connects over TLS when it trusts the broker's CA, and refuses an unverified certificate", async () => {
    const url = secure.tlsUrl as string;
    const prefix = unique("tls");
    const trusted = new MqttConnection(
      options(url, prefix, {
        username: "hearth",
        password: "correct horse",
        ca: secure.caPem,
        ...unhurried(),
      }),
    );
    cleanups.push(() => trusted.stop());
    await trusted.start();
    await trusted.publish(`${prefix}/x`, "over tls");

    const untrusted = new MqttConnection(
      options(url, unique("tls-bad"), {
        username: "hearth",
        password: "correct horse",
        startupTimeoutMs: 1500,
      }),
    );
    await expect(untrusted.start()).rejects.toMatchObject({ code: "BROKER_UNREACHABLE" });
  });
});
