import { createServer, type Server, type Socket } from "node:net";
import { Aedes } from "aedes";
import { connectAsync, type MqttClient } from "mqtt";
import { afterEach, describe, expect, it } from "vitest";
import { UNREACHABLE_REASON } from "../../src/mqtt/actuator.js";
import type { RunResult } from "../../src/pipeline/text-pipeline.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { freePort, type Mosquitto, startMosquitto } from "../helpers/mosquitto.js";
import { registryUntil } from "../helpers/observed-broker.js";
import { type Harness, makeHarness, unique } from "./harness.js";

/**
 * Broker loss while commands flow: the broker is killed, commands keep coming, and it is restarted
 * only once a command has been reported failed. Every command must end published or
 * failed-and-reported, and no command reported failed may reach the broker afterwards (a light
 * switching on minutes later is worse than an error). Ordering is asserted, never timing.
 */

const WORDS =
  "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey yankee zulu".split(
    " ",
  );
/** Distinct (topic, payload) per command: each plug switched on once and off once at most. */
const MAX_COMMANDS = WORDS.length * 2;
const GRACE_MS = 600;
const INTERVAL_MS = 60;

type Entry =
  | { kind: "sent"; i: number }
  | { kind: "outcome"; i: number; ok: boolean; reason?: string | undefined }
  | { kind: "seen"; key: string }
  | { kind: "killed" }
  | { kind: "restarted" };

/** A broker the test can kill abruptly and start again on the same port. */
interface Restartable {
  url: string;
  kill(): Promise<void>;
  restart(): Promise<void>;
  dispose(): Promise<void>;
}

/** An aedes broker whose every accepted publish is recorded at the broker itself: no subscription can miss one. */
async function restartableAedes(onPublish: (topic: string, payload: Buffer) => void): Promise<Restartable> {
  const port = await freePort();
  let broker: Aedes | undefined;
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  const start = async () => {
    const b = await Aedes.createBroker();
    b.on("publish", (packet, client) => {
      if (client) onPublish(packet.topic, Buffer.from(packet.payload));
    });
    const s = createServer((socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      b.handle(socket);
    });
    await new Promise<void>((resolve, reject) => {
      s.once("error", reject);
      s.listen(port, "127.0.0.1", () => resolve());
    });
    broker = b;
    server = s;
  };
  const kill = async () => {
    // Abrupt: sockets destroyed without DISCONNECT, as when the broker process dies.
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    const s = server;
    const b = broker;
    server = undefined;
    broker = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    if (b) await new Promise<void>((resolve) => b.close(() => resolve()));
  };
  await start();
  return { url: `mqtt://127.0.0.1:${port}`, kill, restart: start, dispose: kill };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Run {
  log: Entry[];
  keys: string[];
  sent: number;
  ok: number;
  failed: number;
  reasons: Set<string | undefined>;
}

/**
 * Sends commands every INTERVAL_MS while `broker` is killed and restarted; returns the ordered log.
 * `seen` records arrive in `log` from the caller's observer. Hearth runs on `clock`, which moves
 * INTERVAL_MS a command only while the broker is down or Hearth reconnects: a command fails by its
 * grace period running out then, never because a busy machine was slow to acknowledge one.
 */
async function commandsThroughLoss(
  h: Harness,
  ns: string,
  broker: Restartable,
  log: Entry[],
  clock: ManualClock,
): Promise<Run> {
  const plug = (i: number) => WORDS[i % WORDS.length] as string;
  const keys: string[] = [];
  const runs: Array<Promise<RunResult>> = [];
  const outcomes = () => log.filter((e): e is Extract<Entry, { kind: "outcome" }> => e.kind === "outcome");
  const send = () => {
    const i = keys.length;
    const on = i < WORDS.length;
    keys.push(`${ns}/plug/${plug(i)}/set ${on ? "ON" : "OFF"}`);
    log.push({ kind: "sent", i });
    const run = h.control.runText(`turn ${on ? "on" : "off"} the ${plug(i)} plug`, { source: "mqtt" });
    runs.push(
      run.then((r) => {
        const action = r.actions[0];
        log.push({ kind: "outcome", i, ok: action?.ok === true, reason: action?.reason });
        return r;
      }),
    );
  };
  /** Hearth's time moves on with the test's. */
  const tick = async () => {
    clock.advance(INTERVAL_MS);
    await sleep(INTERVAL_MS);
  };
  /**
   * Commands keep coming until `done`, one plug key kept back for the end. When the keys run out
   * first (a slow machine), time moves on until those sent have ended: how fast the machine is
   * decides how many commands flow, never whether the test passes.
   */
  const flowUntil = async (done: () => boolean, what: string) => {
    while (!done() && keys.length < MAX_COMMANDS - 1) {
      send();
      await tick();
    }
    while (outcomes().length < keys.length) await tick();
    if (!done()) throw new Error(`no ${what}`);
  };

  for (let n = 0; n < 5; n++) {
    send();
    await sleep(INTERVAL_MS);
  }
  await Promise.all(runs);
  await broker.kill();
  log.push({ kind: "killed" });
  await flowUntil(() => outcomes().some((o) => !o.ok), "a command reported failed");
  const reconnected = new Promise<void>((resolve) => {
    const off = h.connection.onConnect(() => {
      off();
      resolve();
    });
  });
  let back = false;
  void reconnected.then(() => {
    back = true;
  });
  await broker.restart();
  log.push({ kind: "restarted" });
  // Commands keep coming while Hearth reconnects; then, however long reconnecting took, the first
  // command after it is published.
  await flowUntil(() => back, "reconnection").catch(async () => {
    // Reconnect attempts wait on the clock too.
    while (!back) await tick();
  });
  const last = keys.length;
  send();
  const results = await Promise.all(runs);
  expect(results[last]?.actions[0]?.ok, "the first command after reconnecting").toBe(true);
  return {
    log,
    keys,
    sent: keys.length,
    ok: results.filter((r) => r.actions[0]?.ok === true).length,
    failed: results.filter((r) => r.actions[0]?.ok === false).length,
    reasons: new Set(results.flatMap((r) => r.actions.filter((a) => !a.ok).map((a) => a.reason))),
  };
}

/** Indices in `log` at which each command's message was seen at the broker or a subscriber. */
function seenAt(log: Entry[], key: string): number[] {
  return log.flatMap((e, index) => (e.kind === "seen" && e.key === key ? [index] : []));
}

function assertNoLateDelivery(run: Run): void {
  for (const e of run.log) {
    if (e.kind !== "outcome" || e.ok) continue;
    const key = run.keys[e.i] as string;
    const reportedAt = run.log.indexOf(e);
    // A command reported failed never reaches the broker afterwards.
    expect(
      seenAt(run.log, key).filter((at) => at > reportedAt),
      `${key} delivered after it failed`,
    ).toEqual([]);
  }
}

async function learnPlugs(h: Harness, ns: string, url: string): Promise<void> {
  const publisher = await connectAsync(url, { clientId: unique("plugs") });
  for (const word of WORDS) {
    await publisher.publishAsync(
      `${h.prefix}/switch/${ns}_${word}/config`,
      JSON.stringify({
        name: `${word} plug`,
        command_topic: `${ns}/plug/${word}/set`,
        unique_id: `${ns}_${word}`,
      }),
      { qos: 1, retain: true },
    );
  }
  await publisher.endAsync(true);
  const names = () => new Set(h.text.registry.entities().map((e) => e.name.toLowerCase()));
  await registryUntil(h.text.registry, () => WORDS.every((w) => names().has(`${w} plug`)));
}

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

describe("commands while the broker is lost and comes back", () => {
  it("ends every command published or reported failed, and never delivers a failed one (aedes)", async () => {
    const log: Entry[] = [];
    const broker = await restartableAedes((topic, payload) =>
      log.push({ kind: "seen", key: `${topic} ${payload}` }),
    );
    cleanups.push(() => broker.dispose());
    const ns = unique("loss");
    const clock = new ManualClock();
    const h = await makeHarness({ url: broker.url, graceMs: GRACE_MS, clock });
    cleanups.push(() => h.stop());
    await h.start();
    await learnPlugs(h, ns, broker.url);

    const run = await commandsThroughLoss(h, ns, broker, log, clock);
    expect(run.ok + run.failed).toBe(run.sent);
    expect(run.failed).toBeGreaterThan(0);
    expect(run.reasons).toEqual(new Set([UNREACHABLE_REASON]));

    // Hearth's own command topic works again after the restart. Its result is published after every
    // command Hearth sent before, on the same connection, so the broker has recorded them all by then.
    const client = await connectAsync(broker.url, { clientId: unique("after") });
    cleanups.push(() => client.endAsync(true));
    await client.subscribeAsync(h.topics.eventRun, { qos: 1 });
    const result = new Promise<string>((resolve) => client.on("message", (_t, p) => resolve(p.toString())));
    await client.publishAsync(
      h.topics.commandText,
      JSON.stringify({ text: "what time is it", transaction: "z" }),
      {
        qos: 1,
      },
    );
    expect(JSON.parse(await result)).toMatchObject({ transaction: "z", reason: "done" });
    assertNoLateDelivery(run);
    // What was acknowledged reached the broker.
    for (const e of run.log) {
      if (e.kind === "outcome" && e.ok)
        expect(seenAt(run.log, run.keys[e.i] as string).length).toBeGreaterThan(0);
    }
  });

  it("ends every command published or reported failed when Mosquitto is killed and restarted", async () => {
    const mosquitto: Mosquitto = await startMosquitto();
    cleanups.push(() => mosquitto.dispose());
    const broker: Restartable = {
      url: mosquitto.url,
      kill: () => mosquitto.kill(),
      restart: () => mosquitto.start(),
      dispose: () => mosquitto.dispose(),
    };
    const log: Entry[] = [];
    const ns = unique("loss");
    const observer: MqttClient = await connectAsync(mosquitto.url, {
      clientId: unique("observer"),
      reconnectPeriod: 50,
    });
    cleanups.push(() => observer.endAsync(true));
    observer.on("message", (topic, payload) => log.push({ kind: "seen", key: `${topic} ${payload}` }));
    await observer.subscribeAsync(`${ns}/#`, { qos: 1 });
    const clock = new ManualClock();
    const h = await makeHarness({ url: mosquitto.url, graceMs: GRACE_MS, clock });
    cleanups.push(() => h.stop());
    await h.start();
    await learnPlugs(h, ns, mosquitto.url);

    const run = await commandsThroughLoss(h, ns, broker, log, clock);
    expect(run.ok + run.failed).toBe(run.sent);
    expect(run.failed).toBeGreaterThan(0);
    expect(run.reasons).toEqual(new Set([UNREACHABLE_REASON]));
    // Everything acknowledged before the kill reached the subscriber.
    const killedAt = run.log.findIndex((e) => e.kind === "killed");
    for (const e of run.log.slice(0, killedAt)) {
      if (e.kind === "outcome") {
        expect(e.ok).toBe(true);
        expect(seenAt(run.log, run.keys[e.i] as string).length).toBeGreaterThan(0);
      }
    }
    // Once the subscriber is back, a last command through Hearth's own topic: anything replayed
    // late would reach the subscriber before it.
    if (!observer.connected) await new Promise((resolve) => observer.once("connect", resolve));
    await observer.subscribeAsync([`${ns}/#`, h.topics.eventRun], { qos: 1 });
    const alphaOn = () => log.filter((e) => e.kind === "seen" && e.key === `${ns}/plug/alpha/set ON`).length;
    const before = alphaOn();
    const result = new Promise<string>((resolve) =>
      observer.on("message", (topic, payload) => {
        if (topic === h.topics.eventRun) resolve(payload.toString());
      }),
    );
    await observer.publishAsync(
      h.topics.commandText,
      JSON.stringify({ text: "turn on the alpha plug", transaction: "last" }),
      { qos: 1 },
    );
    expect(JSON.parse(await result)).toMatchObject({ transaction: "last", actions: [{ ok: true }] });
    // The device command was acknowledged before the result was published, and the subscriber
    // gets messages in the order the broker accepted them.
    expect(alphaOn()).toBe(before + 1);
    assertNoLateDelivery(run);
  });
});
