// MQTT benchmark: a text command on <base>/<site>/command/text → the device command publish that
// it causes (latency p50/p95, measured at a subscriber of the device's command topic), over the
// embedded broker (aedes) and over Mosquitto; then a broker-restart run that kills Mosquitto while
// commands flow and counts sent / published / reported failed / lost (lost must be 0).
// Run: npm run bench (or node bench/mqtt.mjs after npm run build). Prints one JSON line per result.

import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { connectAsync } from "mqtt";
import { buildTextPath } from "../dist/app.js";
import { parseConfig } from "../dist/config/parse-config.js";
import { systemClock } from "../dist/core/clock.js";
import { EventBus } from "../dist/core/event-bus.js";
import { silentLogger } from "../dist/core/logger.js";
import { MqttActuator } from "../dist/mqtt/actuator.js";
import { MqttConnection } from "../dist/mqtt/client.js";
import { EmbeddedBroker } from "../dist/mqtt/embedded-broker.js";
import { buildMqttParts } from "../dist/mqtt/hearth-mqtt.js";
import { hearthTopics } from "../dist/mqtt/topics.js";
import { TextPipeline } from "../dist/pipeline/text-pipeline.js";

const COMMANDS = Number(process.env.BENCH_MQTT_COMMANDS ?? 100);
/** Idle time between commands: people give one command at a time, not a stream. */
const PAUSE_MS = 100;
const WARMUP = 20;
const GRACE_MS = 600;
const MOSQUITTO = process.env.MOSQUITTO_BIN ?? "/usr/sbin/mosquitto";
const WORDS =
  "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey yankee zulu".split(
    " ",
  );
const log = silentLogger();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let serial = 0;
const uid = (name) => `bench${process.pid}${++serial}${name}`;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A Mosquitto of its own on a free port, which can be killed and started again. */
async function mosquitto() {
  const dir = mkdtempSync(join(tmpdir(), "hearth-bench-mosquitto-"));
  const port = await freePort();
  const conf = join(dir, "mosquitto.conf");
  const lines = [
    `listener ${port} 127.0.0.1`,
    "allow_anonymous true",
    "persistence false",
    "log_dest stderr",
  ];
  if (process.getuid?.() === 0) lines.push("user root");
  writeFileSync(conf, `${lines.join("\n")}\n`);
  let child;
  const start = () =>
    new Promise((resolve, reject) => {
      const proc = spawn(MOSQUITTO, ["-c", conf], { stdio: ["ignore", "ignore", "pipe"] });
      child = proc;
      let out = "";
      proc.stderr.on("data", (d) => {
        out += d;
        if (/running/.test(out)) resolve();
      });
      proc.once("exit", (code) => reject(new Error(`mosquitto exited with ${code}: ${out}`)));
    });
  const signal = async (sig) => {
    const proc = child;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((resolve) => proc.once("exit", resolve));
    proc.kill(sig);
    await exited;
  };
  await start();
  return {
    url: `mqtt://127.0.0.1:${port}`,
    start,
    kill: () => signal("SIGKILL"),
    dispose: async () => {
      await signal("SIGTERM");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Hearth wired as app.ts wires it: real text path, pipeline, actuator and MQTT parts. */
async function hearth(url) {
  const siteId = uid("site");
  const base = uid("base");
  const prefix = uid("ha");
  const config = parseConfig(
    `site: { id: ${siteId}, area: Living Room }
areas: [{ name: Living Room }]
llm: { mode: "off" }
mqtt: { base_topic: ${base}, discovery_prefix: ${prefix}, command_grace_ms: ${GRACE_MS} }
`,
    "bench config",
  );
  const text = await buildTextPath(
    { config, path: join(tmpdir(), "x.yaml"), dir: tmpdir(), created: false },
    { llm: false, log },
  );
  const topics = hearthTopics(base, siteId);
  const connection = new MqttConnection({
    url,
    clientId: uid("hearth"),
    statusTopic: topics.status,
    commandGraceMs: GRACE_MS,
    startupTimeoutMs: 10_000,
    reconnectMinMs: 50,
    reconnectMaxMs: 400,
    logger: log,
  });
  const bus = new EventBus();
  const actuator = new MqttActuator({ connection, registry: text.registry, graceMs: GRACE_MS, log });
  const pipeline = new TextPipeline({
    understanding: text.understanding,
    actuator,
    bus,
    clock: systemClock,
    siteId,
    log,
  });
  let muted = false;
  const control = {
    runText: (t, o) =>
      pipeline.run(t, {
        context: o.area ? { area: o.area } : {},
        transaction: o.transaction,
        runId: o.runId,
      }),
    say: async () => {},
    setMuted: (m) => {
      muted = m;
    },
    isMuted: () => muted,
    startListening: () => {},
  };
  const parts = await buildMqttParts({
    connection,
    registry: text.registry,
    bus,
    config,
    log,
    control,
    swVersion: "bench",
  });
  const order = [parts.devices, parts.commands, parts.self, parts.hermes].filter(Boolean);
  await connection.start();
  for (const part of order) await part.start();
  return {
    prefix,
    topics,
    registry: text.registry,
    control,
    async stop() {
      for (const part of order.reverse()) await part.stop();
      await connection.stop();
      await text.close();
    },
  };
}

/** Announces one plug per word under the discovery prefix and waits until Hearth knows them all. */
async function learnPlugs(h, client, ns) {
  for (const word of WORDS) {
    await client.publishAsync(
      `${h.prefix}/switch/${ns}_${word}/config`,
      JSON.stringify({
        name: `${word} plug`,
        command_topic: `${ns}/plug/${word}/set`,
        unique_id: `${ns}_${word}`,
      }),
      { qos: 1, retain: true },
    );
  }
  while (!WORDS.every((w) => h.registry.entities().some((e) => e.name.toLowerCase() === `${w} plug`)))
    await sleep(20);
}

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function latency(brokerName, url) {
  const h = await hearth(url);
  // The sender and the device are separate clients, as a dashboard and zigbee2mqtt would be.
  const client = await connectAsync(url, { clientId: uid("client") });
  const device = await connectAsync(url, { clientId: uid("device") });
  const ns = uid("lat");
  await learnPlugs(h, client, ns);
  await device.subscribeAsync(`${ns}/#`, { qos: 1 });
  let waiting;
  device.on("message", (topic) => {
    if (waiting && topic.startsWith(`${ns}/`)) waiting();
  });
  const times = [];
  for (let i = 0; i < WARMUP + COMMANDS; i++) {
    const word = WORDS[i % WORDS.length];
    const arrived = new Promise((resolve) => {
      waiting = resolve;
    });
    const t0 = performance.now();
    await client.publishAsync(h.topics.commandText, `turn ${i % 2 ? "off" : "on"} the ${word} plug`, {
      qos: 1,
    });
    await arrived;
    if (i >= WARMUP) times.push(performance.now() - t0);
    await sleep(PAUSE_MS);
  }
  await client.endAsync(true);
  await device.endAsync(true);
  await h.stop();
  times.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      bench: "mqtt command latency",
      broker: brokerName,
      path: "command/text → text path → device command at a subscriber",
      commands: times.length,
      pause_between_ms: PAUSE_MS,
      p50_ms: +quantile(times, 0.5).toFixed(2),
      p95_ms: +quantile(times, 0.95).toFixed(2),
      max_ms: +times[times.length - 1].toFixed(2),
      load_average: +(await import("node:os")).loadavg()[0].toFixed(2),
    }),
  );
}

/** Kills Mosquitto while commands flow (one every 60 ms), restarts it once a command has failed. */
async function restartRun(broker) {
  const h = await hearth(broker.url);
  const ns = uid("loss");
  const setup = await connectAsync(broker.url, { clientId: uid("setup") });
  await learnPlugs(h, setup, ns);
  await setup.endAsync(true);
  const events = [];
  const observer = await connectAsync(broker.url, { clientId: uid("observer"), reconnectPeriod: 50 });
  observer.on("message", (topic, payload) => events.push({ kind: "seen", key: `${topic} ${payload}` }));
  await observer.subscribeAsync(`${ns}/#`, { qos: 1 });
  const keys = [];
  const runs = [];
  const send = () => {
    const i = keys.length;
    const word = WORDS[i % WORDS.length];
    const on = i < WORDS.length;
    keys.push(`${ns}/plug/${word}/set ${on ? "ON" : "OFF"}`);
    runs.push(
      h.control.runText(`turn ${on ? "on" : "off"} the ${word} plug`, { source: "mqtt" }).then((r) => {
        const ok = r.actions[0]?.ok === true;
        events.push({ kind: "outcome", i, ok });
        return ok;
      }),
    );
  };
  const flowUntil = async (done) => {
    while (!done() && keys.length < WORDS.length * 2) {
      send();
      await sleep(60);
    }
  };
  for (let n = 0; n < 5; n++) {
    send();
    await sleep(60);
  }
  await Promise.all(runs);
  await broker.kill();
  const t0 = performance.now();
  await flowUntil(() => events.some((e) => e.kind === "outcome" && !e.ok));
  await broker.start();
  const downMs = performance.now() - t0;
  const mark = events.length;
  await flowUntil(() => events.slice(mark).some((e) => e.kind === "outcome" && e.ok));
  const settled = await Promise.allSettled(runs);
  // Give a replay (which must not happen) the chance to arrive, then count.
  await sleep(2 * GRACE_MS);
  let lateDeliveries = 0;
  events.forEach((e, at) => {
    if (e.kind !== "outcome" || e.ok) return;
    if (events.slice(at + 1).some((x) => x.kind === "seen" && x.key === keys[e.i])) lateDeliveries++;
  });
  const published = settled.filter((s) => s.status === "fulfilled" && s.value === true).length;
  const failed = settled.filter((s) => s.status === "fulfilled" && s.value === false).length;
  await observer.endAsync(true);
  await h.stop();
  console.log(
    JSON.stringify({
      bench: "mqtt broker restart",
      broker: "mosquitto (SIGKILL, then restarted)",
      grace_ms: GRACE_MS,
      broker_down_ms: Math.round(downMs),
      sent: keys.length,
      published,
      reported_failed: failed,
      lost: keys.length - published - failed + lateDeliveries,
      late_deliveries: lateDeliveries,
    }),
  );
}

if (!existsSync(new URL("../dist/mqtt/hearth-mqtt.js", import.meta.url))) {
  console.error("bench/mqtt.mjs: run `npm run build` first");
  process.exit(1);
}

const embedded = new EmbeddedBroker({ port: 0, logger: log });
await latency("embedded (aedes)", await embedded.start());
await embedded.stop();

if (existsSync(MOSQUITTO)) {
  const m = await mosquitto();
  await latency("mosquitto", m.url);
  await m.dispose();
  const r = await mosquitto();
  await restartRun(r);
  await r.dispose();
} else {
  console.log(JSON.stringify({ bench: "mqtt over mosquitto", skipped: `no ${MOSQUITTO}` }));
}
process.exit(0);
