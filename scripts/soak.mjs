#!/usr/bin/env node
/**
 * `npm run soak [-- --minutes N --rate R …]` (`--help` lists all): Hearth's reliability, measured
 * (issue 6). A bounded run of the real daemon against a real broker:
 *
 * 1. starts its own Mosquitto (Debian's /usr/sbin/mosquitto) on a free port with a temporary config;
 * 2. publishes retained Home Assistant discovery configs for a handful of zigbee2mqtt, Tasmota and
 *    ESPHome devices (bench/soak-config/devices.mjs);
 * 3. runs the daemon as a child process, `node bin/hearth.js run --config <temp config>`, with a
 *    preloaded probe (bench/soak-config/daemon-probe.mjs) that measures its event-loop delay and,
 *    after a forced GC, its memory from inside;
 * 4. sends text commands on `<base>/<site>/command/text` at a steady rate, each with a transaction:
 *    device commands, questions, timers, nonsense and malformed input (bench/soak-config/commands.mjs),
 *    and watches the devices' command topics and `<base>/<site>/event/run`;
 * 5. at the same time speaks to it: "hey jarvis" and a command, made with flite, as raw PCM on its
 *    stdin (`audio.source: stdin`) at a microphone's pace (bench/soak-config/voice.mjs), one device
 *    kept for the voice; skipped with --text-only, or when the daemon has no speech loop;
 * 6. half-way, sends a command to every idle device and kills the broker (SIGKILL) while those are
 *    in flight, restarts it a second later (--outage-ms) on the same port and republishes the
 *    discovery configs, as zigbee2mqtt does when it reconnects;
 * 7. prints JSON: commands sent / acted / reported failed / lost / late, the same for the spoken
 *    ones, the daemon's RSS after the warm-up and at the end, its event-loop delay and the reply
 *    latency measured from outside.
 *
 * Exit status 1 when a command got no result (lost), a device command arrived after its grace period
 * (late) or unasked, the daemon died, or its RSS grew by 5 % or more; 2 on a usage or setup error.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import mqtt from "mqtt";
import { daemonStart } from "../bench/lib/daemon-start.mjs";
import { startMosquitto } from "../bench/lib/mosquitto.mjs";
import { brokerChurn } from "../bench/soak-config/broker-churn.mjs";
import { deviceCommand, nextCommand, SOAK_DEVICES, seededRandom } from "../bench/soak-config/commands.mjs";
import { SOAK_AREAS } from "../bench/soak-config/devices.mjs";
import { canSynthesize, PcmFeeder, prepareVoice, VOICE_DEVICE } from "../bench/soak-config/voice.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const MOSQUITTO = process.env.MOSQUITTO_BIN ?? "/usr/sbin/mosquitto";
const BASE = "hearth";
const SITE = "soak";
const TOPICS = {
  command: `${BASE}/${SITE}/command/text`,
  run: `${BASE}/${SITE}/event/run`,
  status: `${BASE}/${SITE}/status`,
};
/** The daemon refuses more than 16 runs at once ("busy"); the soak keeps below that. */
const MAX_OUTSTANDING = 12;
/** Allowed RSS growth between the end of the warm-up and the end, in percent. */
const MAX_RSS_GROWTH_PERCENT = 5;

class UsageError extends Error {}

function options() {
  const { values } = parseArgs({
    options: {
      minutes: { type: "string", default: "3" },
      rate: { type: "string", default: "40" },
      seed: { type: "string", default: "6" },
      "grace-ms": { type: "string", default: "3000" },
      "outage-ms": { type: "string", default: "1000" },
      "warmup-seconds": { type: "string" },
      json: { type: "string" },
      "keep-logs": { type: "boolean", default: false },
      "text-only": { type: "boolean", default: false },
      "broker-churn": { type: "boolean", default: false },
      restarts: { type: "string", default: "5" },
      kills: { type: "string", default: "5" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      "usage: npm run soak [-- --minutes N (0.5–60, default 3) --rate R (commands/s, 1–200, default 40)\n" +
        "                      --seed S --grace-ms G (daemon's mqtt.command_grace_ms, default 3000)\n" +
        "                      --outage-ms O (how long the broker stays dead, default 1000)\n" +
        "                      --warmup-seconds W (default 20 % of the run, at most 30) --json FILE --keep-logs\n" +
        "                      --text-only (no spoken commands on the daemon's stdin)]\n" +
        "       npm run soak -- --broker-churn [--rate R (default 10) --restarts N --kills N (default 5 each)\n" +
        "                      --grace-ms G]: graceful restarts, then kills, of a broker with persistence on\n",
    );
    process.exit(0);
  }
  const number = (name, lo, hi) => {
    const value = Number(values[name]);
    if (!Number.isFinite(value) || value < lo || value > hi) {
      throw new UsageError(`--${name} must be a number from ${lo} to ${hi}`);
    }
    return value;
  };
  const minutes = number("minutes", 0.5, 60);
  const durationMs = minutes * 60_000;
  const warmupSeconds =
    values["warmup-seconds"] === undefined
      ? Math.min(30, (durationMs / 1000) * 0.2)
      : number("warmup-seconds", 0, (durationMs / 1000) * 0.5);
  return {
    minutes,
    durationMs,
    rate: number("rate", 1, 200),
    seed: Math.trunc(number("seed", 0, 2 ** 32 - 1)),
    graceMs: Math.trunc(number("grace-ms", 500, 60_000)),
    outageMs: Math.trunc(number("outage-ms", 0, 120_000)),
    warmupMs: warmupSeconds * 1000,
    json: values.json,
    keepLogs: values["keep-logs"],
    textOnly: values["text-only"],
    brokerChurn: values["broker-churn"],
    restarts: Math.trunc(number("restarts", 0, 50)),
    kills: Math.trunc(number("kills", 0, 50)),
    rateGiven: process.argv.includes("--rate"),
  };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const say = (message) => process.stderr.write(`soak: ${message}\n`);

// ---------------------------------------------------------------------------------------------------
// The daemon

function configYaml(url, graceMs, voice) {
  return `# Written by scripts/soak.mjs for one soak run.
site: { id: ${SITE}, name: Soak Hearth, area: Living Room }
areas:
${SOAK_AREAS.map((a) => `  - { name: ${a} }`).join("\n")}
mqtt:
  url: "${url}"
  base_topic: ${BASE}
  command_grace_ms: ${graceMs}
logging: { level: info }
# Spoken commands arrive as raw 16 kHz PCM on stdin; replies are synthesised and dropped.
audio: ${voice ? '{ source: stdin, sink: "null" }' : "{ source: none }"}
`;
}

/** The V8 flags and malloc arenas `npm start` and the service use, so the RSS figures are the daemon's. */
const START = daemonStart(ROOT);

/** Starts `node bin/hearth.js run`, keeping its log lines (JSON) and counting them by level. */
function startDaemon(configPath, probeFile, voice) {
  const preload = pathToFileURL(join(ROOT, "bench", "soak-config", "daemon-probe.mjs")).href;
  const child = spawn(
    process.execPath,
    [...START.nodeFlags, "--import", preload, join(ROOT, "bin", "hearth.js"), "run", "--config", configPath],
    {
      cwd: ROOT,
      env: { ...START.env, ...process.env, HEARTH_SOAK_PROBE_FILE: probeFile },
      stdio: [voice ? "pipe" : "ignore", "pipe", "pipe"],
    },
  );
  const daemon = {
    /** Called with every parsed log line. */
    onLine: undefined,
    child,
    lines: /** @type {Record<string, unknown>[]} */ ([]),
    levels: /** @type {Record<string, number>} */ ({}),
    stderr: "",
    raw: [],
    exit: /** @type {{ code: number | null, signal: string | null, at: number } | undefined} */ (undefined),
  };
  let buffer = "";
  child.stdout.on("data", (chunk) => {
    buffer += chunk.toString();
    let nl = buffer.indexOf("\n");
    while (nl >= 0) {
      const text = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      nl = buffer.indexOf("\n");
      daemon.raw.push(text);
      try {
        const line = JSON.parse(text);
        daemon.levels[line.level] = (daemon.levels[line.level] ?? 0) + 1;
        // Keep what is worth reading afterwards; info lines about every run would only grow.
        if (line.level >= 40 || /broker|ready|stopp/.test(String(line.msg))) daemon.lines.push(line);
        daemon.onLine?.(line);
      } catch {
        daemon.levels.notJson = (daemon.levels.notJson ?? 0) + 1;
      }
    }
  });
  child.stderr.on("data", (chunk) => {
    daemon.stderr += chunk.toString();
  });
  daemon.exited = new Promise((resolve) =>
    child.once("exit", (code, signal) => {
      daemon.exit = { code, signal, at: performance.now() };
      resolve(daemon.exit);
    }),
  );
  return daemon;
}

/** The daemon's resident set size in kB, from /proc/<pid>/status (VmRSS). */
function rssKb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Asks the preloaded probe for the event-loop delay since the last ask (a new window starts) and for
 * memory after a full garbage collection; adds VmRSS read from /proc just after that collection.
 */
async function probe(daemon, probeFile) {
  const previous = () => {
    try {
      return JSON.parse(readFileSync(probeFile, "utf8")).window;
    } catch {
      return 0;
    }
  };
  const window = previous();
  daemon.child.kill("SIGUSR2");
  const until = performance.now() + 5000;
  while (performance.now() < until) {
    await sleep(20);
    try {
      const snapshot = JSON.parse(readFileSync(probeFile, "utf8"));
      if (snapshot.window > window) return { ...snapshot, vmRssKb: rssKb(daemon.child.pid) };
    } catch {
      // Not written yet, or caught mid-write: read again.
    }
  }
  return undefined;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return undefined;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, index)] * 10) / 10;
}

function latencyFigures(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.length > 0 ? Math.round(sorted[sorted.length - 1] * 10) / 10 : undefined,
  };
}

function connect(url, clientId, extra = {}) {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(url, { clientId, clean: true, connectTimeout: 5000, ...extra });
    client.once("connect", () => resolve(client));
    client.once("error", reject);
  });
}

// ---------------------------------------------------------------------------------------------------
// The soak

/** Runs the soak; whatever it started is stopped even when it fails half-way. */
async function soak(o) {
  const live = { broker: undefined, daemon: undefined, clients: [] };
  try {
    return await runSoak(o, live);
  } finally {
    for (const client of live.clients) client.end(true);
    const child = live.daemon?.child;
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await live.broker?.stop();
  }
}

async function runSoak(o, live) {
  if (!existsSync(MOSQUITTO)) throw new UsageError(`${MOSQUITTO} is missing: apt-get install mosquitto`);
  if (!existsSync(join(ROOT, "dist", "cli", "main.js"))) {
    throw new UsageError("dist/ is not built: run `npm run setup` (npm run soak does it first)");
  }
  const dir = await mkdtemp(join(tmpdir(), "hearth-soak-"));
  // Spoken commands need the daemon's speech loop (`hearth run --input` is its sign) and flite + sox.
  const help = await new Promise((resolve) =>
    execFile(process.execPath, [join(ROOT, "bin", "hearth.js"), "run", "--help"], (_err, stdout) =>
      resolve(String(stdout)),
    ),
  );
  const voiceWhyNot = o.textOnly
    ? "--text-only"
    : !help.includes("--input")
      ? "the daemon has no speech loop (no `hearth run --input`)"
      : !canSynthesize()
        ? "flite or sox is missing"
        : undefined;
  const speech = voiceWhyNot ? undefined : await prepareVoice(dir);
  const t0 = performance.now();
  const now = () => performance.now() - t0;
  const broker = await startMosquitto({ tcpNoDelay: true });
  live.broker = broker;
  say(
    `broker on ${broker.url}; ${o.minutes} min at ${o.rate} commands/s, seed ${o.seed}, grace ${o.graceMs} ms`,
  );

  // The observer sees everything; the sender only sends. The sender reconnects by hand after a broker
  // restart, once the daemon answers again, and then sends again what the dead broker never
  // acknowledged: the daemon must be subscribed again to receive it.
  const observer = await connect(broker.url, "soak-observer", { reconnectPeriod: 100 });
  const sender = await connect(broker.url, "soak-sender", { reconnectPeriod: 0 });
  live.clients.push(observer, sender);
  sender.on("error", () => {});
  observer.on("error", () => {});
  await observer.subscribeAsync([TOPICS.run, TOPICS.status, ...SOAK_DEVICES.flatMap((d) => d.filters)], {
    qos: 1,
  });
  const publishDiscovery = () =>
    Promise.all(
      SOAK_DEVICES.map((d) =>
        observer.publishAsync(d.topic, JSON.stringify(d.config), { qos: 1, retain: true }),
      ),
    );
  await publishDiscovery();

  const configPath = join(dir, "hearth.yaml");
  const probeFile = join(dir, "probe.json");
  await writeFile(configPath, configYaml(broker.url, o.graceMs, speech !== undefined));
  const daemon = startDaemon(configPath, probeFile, speech !== undefined);
  live.daemon = daemon;
  const readyBy = performance.now() + 60_000;
  while (!daemon.lines.some((l) => l.msg === "hearth ready")) {
    if (daemon.exit)
      throw new Error(`the daemon exited (${daemon.exit.code}) before it was ready:\n${daemon.stderr}`);
    if (performance.now() > readyBy) throw new Error("the daemon was not ready within 60 s");
    await sleep(50);
  }
  const pid = daemon.child.pid;
  say(`daemon ready (pid ${pid}, RSS ${rssKb(pid)} kB)`);

  // --- bookkeeping
  const commands = new Map();
  const byDevice = new Map(SOAK_DEVICES.map((d) => [d.name, undefined]));
  const counts = {
    sent: 0,
    acted: 0,
    reportedFailed: 0,
    answered: 0,
    refused: 0,
    busy: 0,
    deviceNotUnderstood: 0,
    okButDeviceCommandUnseen: 0,
    deliveredAfterReportedFailure: 0,
    duplicateResults: 0,
    unattributedDeviceCommands: 0,
    late: 0,
    skippedWhileBrokerDown: 0,
    skippedAtOutstandingLimit: 0,
  };
  const byKind = {};
  const latencies = { steady: [], all: [] };
  const samples = [];
  const notUnderstood = new Map();
  const lateDetails = [];
  const restart = {};
  const voice = {
    spoken: 0,
    acted: 0,
    actedOtherPayload: 0,
    answered: 0,
    notUnderstood: 0,
    noRun: 0,
    reasons: {},
    late: 0,
    unattributed: 0,
    latencies: [],
    runTotals: [],
    /** The utterance being awaited: spoken, its run not yet ended (or ended less than a grace period ago). */
    current: undefined,
  };
  let probeAnswered;
  let outstanding = 0;

  const deviceOf = (topic) =>
    SOAK_DEVICES.find((d) =>
      d.filters.some((f) =>
        f.endsWith("/#") ? topic.startsWith(f.slice(0, -1)) || topic === f.slice(0, -2) : topic === f,
      ),
    );

  /** Frees the device a command was holding once nothing more can arrive for it. */
  const release = (cmd) => {
    if (cmd.device && byDevice.get(cmd.device.name) === cmd) byDevice.set(cmd.device.name, undefined);
  };

  observer.on("message", (topic, payload) => {
    const at = now();
    if (topic === TOPICS.status) return;
    if (topic === TOPICS.run) {
      let result;
      try {
        result = JSON.parse(payload.toString());
      } catch {
        return;
      }
      const transaction = typeof result.transaction === "string" ? result.transaction : "";
      if (transaction.startsWith("probe-")) {
        probeAnswered ??= at;
        return;
      }
      const cmd = commands.get(transaction);
      if (!cmd) return;
      if (cmd.result) {
        counts.duplicateResults++;
        return;
      }
      cmd.result = result;
      cmd.resultAt = at;
      outstanding--;
      const latency = at - cmd.sentAt;
      latencies.all.push(latency);
      // Steady state: neither sent nor answered while the broker was down or coming back.
      const overlapsRestart =
        restart.killMs !== undefined && cmd.sentAt <= (restart.senderBackMs ?? at) && at >= restart.killMs;
      if (!overlapsRestart) latencies.steady.push(latency);
      const actions = Array.isArray(result.actions) ? result.actions : [];
      if (result.error !== undefined) {
        if (String(result.error).startsWith("busy")) counts.busy++;
        else counts.refused++;
      } else if (actions.some((a) => a.ok === false)) {
        counts.reportedFailed++;
        if (cmd.deviceAt !== undefined) counts.deliveredAfterReportedFailure++;
      } else if (cmd.kind !== "device") {
        counts.answered++;
      } else if (actions.length === 0) {
        counts.deviceNotUnderstood++;
        notUnderstood.set(cmd.body.text, result.reply);
      }
      if (cmd.kind !== "device" || actions.length === 0) release(cmd);
      else if (cmd.deviceAt !== undefined && actions.every((a) => a.ok)) {
        counts.acted++;
        release(cmd);
      }
      return;
    }
    const device = deviceOf(topic);
    if (!device) return;
    if (speech && device.name === VOICE_DEVICE) {
      onVoiceDevice(payload.toString(), at);
      return;
    }
    const cmd = byDevice.get(device.name);
    if (!cmd) {
      counts.unattributedDeviceCommands++;
      lateDetails.push({ topic, atMs: Math.round(at), why: "no request of the soak was waiting for it" });
      return;
    }
    if (cmd.deviceAt !== undefined) return;
    cmd.deviceAt = at;
    // A re-sent command reached the daemon only after the re-send: its grace period starts there.
    const delay = at - (cmd.resentAt ?? cmd.sentAt);
    if (delay > o.graceMs) {
      counts.late++;
      lateDetails.push({ transaction: cmd.id, topic, delayMs: Math.round(delay), text: cmd.body.text });
    }
    const actions = Array.isArray(cmd.result?.actions) ? cmd.result.actions : undefined;
    if (actions?.some((a) => a.ok === false)) counts.deliveredAfterReportedFailure++;
    else if (actions && actions.length > 0) {
      counts.acted++;
      release(cmd);
    }
  });

  // Devices stay held after a result until their command is seen, or for one grace period more (a
  // command delivered later than that would be late, and must be attributed to its request).
  const sweeper = setInterval(() => {
    const at = now();
    for (const cmd of byDevice.values()) {
      if (!cmd?.result) continue;
      if (at - cmd.resultAt < o.graceMs + 1000) continue;
      const actions = Array.isArray(cmd.result.actions) ? cmd.result.actions : [];
      if (cmd.deviceAt === undefined && actions.length > 0 && actions.every((a) => a.ok)) {
        counts.okButDeviceCommandUnseen++;
      }
      release(cmd);
    }
  }, 100);

  /** Publishes a command with QoS 1, noting when the broker acknowledged it. */
  const publishCommand = (cmd) => {
    sender.publish(
      TOPICS.command,
      JSON.stringify({ ...cmd.body, transaction: cmd.id }),
      { qos: 1 },
      (err) => {
        if (!err) cmd.ackAt ??= now();
      },
    );
  };

  let seq = 0;
  const random = seededRandom(o.seed);
  /** Sends the next command of the mix, or one for `device`. Returns it, or undefined when skipped. */
  const send = (device) => {
    if (!sender.connected) {
      counts.skippedWhileBrokerDown++;
      return;
    }
    if (outstanding >= MAX_OUTSTANDING) {
      counts.skippedAtOutstandingLimit++;
      return;
    }
    const free = SOAK_DEVICES.filter(
      (d) => byDevice.get(d.name) === undefined && !(speech && d.name === VOICE_DEVICE),
    );
    const next = device ? deviceCommand(random, device) : nextCommand(random, free);
    const id = `s-${++seq}`;
    const cmd = { id, ...next, sentAt: now() };
    commands.set(id, cmd);
    if (cmd.device) byDevice.set(cmd.device.name, cmd);
    counts.sent++;
    byKind[cmd.kind] = (byKind[cmd.kind] ?? 0) + 1;
    outstanding++;
    publishCommand(cmd);
    return cmd;
  };

  /** Kills the broker, restarts it a second later and waits until the daemon answers again. */
  const restartBroker = async () => {
    // A command for every free device just before the kill, so that some are inside the daemon
    // (understood, commands published, acknowledgements awaited) when the broker dies. The kill
    // waits for the first of their device commands: the broker has passed the burst on by then.
    restart.burst = SOAK_DEVICES.filter(
      (d) => byDevice.get(d.name) === undefined && !(speech && d.name === VOICE_DEVICE),
    )
      .map((d) => send(d))
      .filter(Boolean);
    const burstBy = now() + 500;
    while (!restart.burst.some((c) => c.deviceAt !== undefined) && now() < burstBy) await sleep(0);
    restart.killMs = now();
    await broker.kill();
    say(`broker killed at ${Math.round(restart.killMs / 1000)} s`);
    await sleep(o.outageMs);
    await broker.start();
    restart.brokerUpMs = now();
    // zigbee2mqtt republishes its discovery configs when it reconnects; a broker without persistence lost them.
    await new Promise((resolve) => (observer.connected ? resolve() : observer.once("connect", resolve)));
    restart.observerBackMs = now();
    await publishDiscovery();
    probeAnswered = undefined;
    let probe = 0;
    const by = performance.now() + 60_000;
    while (probeAnswered === undefined) {
      if (performance.now() > by)
        throw new Error("the daemon did not answer within 60 s of the broker restart");
      observer.publish(
        TOPICS.command,
        JSON.stringify({ text: "what time is it", transaction: `probe-${++probe}` }),
        {
          qos: 1,
        },
      );
      await sleep(250);
    }
    restart.daemonAnsweredMs = probeAnswered;
    sender.reconnect();
    await new Promise((resolve) => sender.once("connect", resolve));
    restart.senderBackMs = now();
    // MQTT.js (clean session, reconnecting by hand) starts the new session with an empty store: a
    // command the dead broker never acknowledged is sent again here, as an at-least-once sender would.
    for (const cmd of commands.values()) {
      if (cmd.ackAt === undefined && !cmd.result) {
        cmd.resentAt = now();
        publishCommand(cmd);
      }
    }
    say(
      `broker back after ${Math.round(restart.brokerUpMs - restart.killMs)} ms; daemon answering ${Math.round(
        restart.daemonAnsweredMs - restart.killMs,
      )} ms after the kill`,
    );
  };

  // --- spoken commands: one at a time, each awaited until its run ends
  const onVoiceDevice = (payload, at) => {
    const u = voice.current;
    if (!u || u.deviceAt !== undefined) {
      voice.unattributed++;
      lateDetails.push({
        topic: VOICE_DEVICE,
        payload,
        atMs: Math.round(at),
        why: "no spoken command was waiting for it",
      });
      return;
    }
    u.deviceAt = at;
    voice.latencies.push(at - u.endAt);
    if (u.runEndedAt !== undefined && at - u.runEndedAt > o.graceMs) {
      voice.late++;
      lateDetails.push({ spoken: u.text, delayAfterRunEndedMs: Math.round(at - u.runEndedAt) });
    }
    if (payload === u.payload) voice.acted++;
    else voice.actedOtherPayload++;
  };
  daemon.onLine = (line) => {
    if (line.msg !== "run ended") return;
    const u = voice.current;
    // A run that ends before the utterance was fully spoken is a false wake in the silence before it.
    if (!u || u.runEndedAt !== undefined || u.endAt === undefined) return;
    u.runEndedAt = now();
    voice.reasons[line.reason] = (voice.reasons[line.reason] ?? 0) + 1;
    if (typeof line.timings?.total === "number") voice.runTotals.push(line.timings.total);
    const intents = Array.isArray(line.intents) ? line.intents : [];
    if (u.payload === undefined) {
      if (intents.length > 0) voice.answered++;
      else voice.notUnderstood++;
    } else if (intents.length === 0) voice.notUnderstood++;
  };
  let voiceRunning = speech !== undefined;
  const speak = async () => {
    const feeder = new PcmFeeder(daemon.child.stdin);
    voice.feeder = feeder;
    daemon.child.stdin.on("error", () => {});
    feeder.start();
    let n = 0;
    while (voiceRunning) {
      const phrase = speech.phrases[n++ % speech.phrases.length];
      const u = { text: phrase.text, payload: phrase.payload };
      voice.current = u;
      await feeder.say(Buffer.concat([speech.wake, speech.silence(250), phrase.audio]));
      u.endAt = now();
      voice.spoken++;
      // The run ends within seconds; a wake word not heard gives no run at all.
      const by = now() + 20_000;
      while (u.runEndedAt === undefined && now() < by && voiceRunning) await sleep(50);
      if (u.runEndedAt === undefined && voiceRunning) voice.noRun++;
      else if (u.payload !== undefined && u.deviceAt === undefined) {
        // The device command may trail the log line by a moment (two channels).
        const until = now() + o.graceMs;
        while (u.deviceAt === undefined && now() < until) await sleep(50);
      }
      await sleep(1500);
    }
    // The feeder goes on with silence until the last memory reading: both readings hear audio.
  };
  const speaking = speech ? speak() : undefined;

  // --- the run
  const started = now();
  const warmupEnd = started + o.warmupMs;
  const restartAt = started + o.durationMs / 2;
  const end = started + o.durationMs;
  let atWarmup;
  let restarting;
  let nextSampleAt = started;
  let sentTarget = 0;
  while (now() < end) {
    if (daemon.exit) break;
    const at = now();
    // Catch up to the rate in small steps: timers on a busy machine fire late, not often.
    const due = Math.floor(((at - started) / 1000) * o.rate);
    while (sentTarget < due) {
      sentTarget++;
      send();
    }
    if (at >= nextSampleAt) {
      samples.push({ atS: Math.round((at - started) / 1000), rssKb: rssKb(pid) });
      nextSampleAt += 1000;
    }
    if (atWarmup === undefined && at >= warmupEnd) {
      // The event-loop window restarts here: the warm-up (start-up, JIT) is not the steady state.
      atWarmup = (await probe(daemon, probeFile)) ?? { failed: true };
      say(`warm-up done: RSS ${atWarmup.vmRssKb} kB after a full GC, ${counts.sent} commands sent`);
    }
    if (restarting === undefined && at >= restartAt) {
      restarting = restartBroker().catch((err) => {
        restart.error = String(err);
      });
    }
    await sleep(Math.max(1, Math.min(25, 1000 / o.rate)));
  }
  await restarting;
  voiceRunning = false;
  await speaking;
  const sendingEndedMs = now();

  // Drain: every command gets its result, or one grace period plus a margin passes.
  const drainBy = performance.now() + o.graceMs + 10_000;
  while (outstanding > 0 && performance.now() < drainBy && !daemon.exit) await sleep(50);
  // Late device commands could still arrive within one grace period more.
  await sleep(o.graceMs + 1200);
  clearInterval(sweeper);
  for (const cmd of byDevice.values()) {
    if (!cmd?.result) continue;
    const actions = Array.isArray(cmd.result.actions) ? cmd.result.actions : [];
    if (cmd.deviceAt === undefined && actions.length > 0 && actions.every((a) => a.ok)) {
      counts.okButDeviceCommandUnseen++;
    }
  }
  const atEnd = daemon.exit ? undefined : await probe(daemon, probeFile);
  voice.feeder?.stop();
  voice.backpressure = voice.feeder?.backpressure;
  // Slow leaks show as a trend of the unforced samples over the measured window (least squares).
  const measured = samples.filter((x) => x.rssKb !== undefined && x.atS * 1000 >= o.warmupMs);
  const trend = (() => {
    if (measured.length < 10) return undefined;
    const n = measured.length;
    const mx = measured.reduce((a, x) => a + x.atS, 0) / n;
    const my = measured.reduce((a, x) => a + x.rssKb, 0) / n;
    const sxy = measured.reduce((a, x) => a + (x.atS - mx) * (x.rssKb - my), 0);
    const sxx = measured.reduce((a, x) => a + (x.atS - mx) ** 2, 0);
    return Math.round((sxy / sxx) * 60);
  })();
  const rssStart = atWarmup?.vmRssKb;
  const rssEnd = atEnd?.vmRssKb;
  const loop = atEnd?.loop;
  const died = daemon.exit !== undefined;

  // A command the broker acknowledged just before it was killed, of which nothing was ever seen (no
  // device command, no result), died with the broker: a broker without persistence cannot deliver
  // it to anyone. Counted apart, and listed; a command the daemon had received would have left a
  // device command (re-sent after the reconnect) or a result.
  const diedWithBroker = (c) =>
    restart.killMs !== undefined &&
    c.ackAt !== undefined &&
    c.ackAt <= restart.killMs &&
    restart.killMs - c.ackAt < 100 &&
    c.deviceAt === undefined;
  const unanswered = [...commands.values()].filter((c) => !c.result);
  const lost = unanswered.filter((c) => !diedWithBroker(c));
  counts.lost = lost.length;
  counts.lostWithBroker = unanswered.length - lost.length;

  // Stop the daemon the way systemd does.
  const stopAsked = performance.now();
  if (!died) daemon.child.kill("SIGTERM");
  const exit = await Promise.race([daemon.exited, sleep(10_000).then(() => undefined)]);
  if (!exit) daemon.child.kill("SIGKILL");
  const stopMs = exit ? Math.round(exit.at - stopAsked) : undefined;
  sender.end(true);
  observer.end(true);
  await broker.dispose();

  const growth = rssStart && rssEnd ? Math.round(((rssEnd - rssStart) / rssStart) * 10_000) / 100 : undefined;
  const heapStart = atWarmup?.memory?.heapUsedKb;
  const heapEnd = atEnd?.memory?.heapUsedKb;
  const reconnected = daemon.lines.find((l) => l.msg === "reconnected to the MQTT broker");
  const report = {
    when: new Date().toISOString(),
    settings: {
      minutes: o.minutes,
      ratePerSecond: o.rate,
      seed: o.seed,
      commandGraceMs: o.graceMs,
      brokerOutageMs: o.outageMs,
      warmupSeconds: o.warmupMs / 1000,
      input: speech
        ? "text commands on MQTT command/text, and spoken commands (flite WAVs) as raw PCM on the daemon's stdin in real time"
        : `text only (MQTT command/text): ${voiceWhyNot}`,
      node: process.version,
    },
    commands: {
      sent: counts.sent,
      byKind,
      acted: counts.acted,
      reportedFailed: counts.reportedFailed,
      lost: counts.lost,
      late: counts.late + counts.unattributedDeviceCommands,
      answered: counts.answered,
      refused: counts.refused,
      busy: counts.busy,
      deviceNotUnderstood: counts.deviceNotUnderstood,
      okButDeviceCommandUnseen: counts.okButDeviceCommandUnseen,
      deliveredAfterReportedFailure: counts.deliveredAfterReportedFailure,
      duplicateResults: counts.duplicateResults,
      skippedWhileBrokerDown: counts.skippedWhileBrokerDown,
      skippedAtOutstandingLimit: counts.skippedAtOutstandingLimit,
    },
    voice: speech && {
      how: `"hey jarvis" + a command, one at a time, with silence between; device: ${VOICE_DEVICE}`,
      spoken: voice.spoken,
      acted: voice.acted,
      actedWithOtherPayload: voice.actedOtherPayload,
      questionsAnswered: voice.answered,
      notUnderstood: voice.notUnderstood,
      wakeWordNotHeard: voice.noRun,
      runEndReasons: voice.reasons,
      late: voice.late + voice.unattributed,
      speechEndToDeviceCommand: latencyFigures(voice.latencies),
      runTotalMs: latencyFigures(voice.runTotals),
      audioBackpressure: voice.backpressure,
    },
    brokerRestart: {
      killedAtS: restart.killMs === undefined ? undefined : Math.round((restart.killMs - started) / 100) / 10,
      brokerDownMs:
        restart.brokerUpMs === undefined ? undefined : Math.round(restart.brokerUpMs - restart.killMs),
      daemonAnsweringAfterKillMs:
        restart.daemonAnsweredMs === undefined
          ? undefined
          : Math.round(restart.daemonAnsweredMs - restart.killMs),
      daemonReportedDownMs: reconnected?.downMs,
      commandsResentBySender: [...commands.values()].filter((c) => c.resentAt !== undefined).length,
      acknowledgedThenLostWithTheBroker: counts.lostWithBroker,
      burstJustBeforeKill: restart.burst && {
        sent: restart.burst.length,
        acted: restart.burst.filter((c) => c.deviceAt !== undefined && c.result?.actions?.every((a) => a.ok))
          .length,
        reportedFailed: restart.burst.filter((c) => c.result?.actions?.some((a) => !a.ok)).length,
        resent: restart.burst.filter((c) => c.resentAt !== undefined).length,
        lost: restart.burst.filter((c) => !c.result).length,
        resultMs: restart.burst.map((c) =>
          c.resultAt === undefined ? null : Math.round(c.resultAt - c.sentAt),
        ),
      },
      error: restart.error,
    },
    rss: {
      how: "VmRSS from /proc/<pid>/status, read just after a full GC in the daemon (node --expose-gc; the preloaded probe calls gc()), at the end of the warm-up and after the drain",
      startKb: rssStart,
      endKb: rssEnd,
      growthPercent: growth,
      heapUsedStartKb: heapStart,
      heapUsedEndKb: heapEnd,
      heapGrowthPercent:
        heapStart && heapEnd ? Math.round(((heapEnd - heapStart) / heapStart) * 10_000) / 100 : undefined,
      peakKb: Math.max(0, ...samples.map((s) => s.rssKb ?? 0)),
      unforcedTrendKbPerMinute: trend,
      everyTenSeconds: samples.filter((_, i) => i % 10 === 0),
    },
    eventLoopDelay: {
      how: "inside the daemon: perf_hooks.monitorEventLoopDelay (10 ms resolution) preloaded with node --import bench/soak-config/daemon-probe.mjs; window from the end of the warm-up to the end of the drain",
      ...(loop
        ? {
            p50Ms: loop.p50Ms,
            p99Ms: loop.p99Ms,
            maxMs: loop.maxMs,
            meanMs: loop.meanMs,
            samples: loop.samples,
          }
        : {}),
    },
    replyLatency: {
      how: "outside: command published → its result received on event/run, through the broker",
      steady: latencyFigures(latencies.steady),
      all: latencyFigures(latencies.all),
    },
    daemon: {
      pid,
      died,
      exit: exit ? { code: exit.code, signal: exit.signal } : "did not exit within 10 s of SIGTERM",
      stopMs,
      logLines: daemon.levels,
      warningsAndErrors: daemon.lines.filter((l) => l.level >= 40).slice(0, 20),
    },
    lostDetails: unanswered.slice(0, 20).map((c) => ({
      countedAsLost: !diedWithBroker(c),
      transaction: c.id,
      kind: c.kind,
      sentAtS: Math.round((c.sentAt - started) / 100) / 10,
      acknowledgedByBroker: c.ackAt !== undefined,
      acknowledgedMsBeforeKill:
        c.ackAt !== undefined && restart.killMs !== undefined
          ? Math.round(restart.killMs - c.ackAt)
          : undefined,
      resent: c.resentAt !== undefined,
    })),
    lateDetails: lateDetails.slice(0, 20),
    notUnderstood: [...notUnderstood.entries()].slice(0, 20).map(([text, reply]) => ({ text, reply })),
    sendingSeconds: Math.round((sendingEndedMs - started) / 100) / 10,
  };
  const failures = [];
  if (counts.lost > 0) failures.push(`${counts.lost} commands got no result`);
  const late = counts.late + counts.unattributedDeviceCommands + voice.late + voice.unattributed;
  if (late > 0) failures.push(`${late} device commands arrived late or unasked`);
  if (died) failures.push(`the daemon died during the soak (${JSON.stringify(daemon.exit)})`);
  if (growth === undefined) failures.push("RSS could not be measured");
  else if (growth >= MAX_RSS_GROWTH_PERCENT)
    failures.push(`RSS grew by ${growth} % (limit ${MAX_RSS_GROWTH_PERCENT} %)`);
  if (restart.error) failures.push(`the broker restart failed: ${restart.error}`);
  report.ok = failures.length === 0;
  report.failures = failures;

  if (o.keepLogs || failures.length > 0) {
    // Kept for reading: the daemon's log, its config and the broker's.
    const logPath = join(dir, "daemon.log");
    await writeFile(logPath, `${daemon.raw.join("\n")}\n${daemon.stderr}`);
    report.daemonLog = logPath;
  } else {
    await rm(dir, { recursive: true, force: true });
  }
  return report;
}

async function main() {
  let o;
  try {
    o = options();
  } catch (err) {
    process.stderr.write(`soak: ${err.message}\n`);
    process.exit(2);
  }
  if (o.brokerChurn) {
    await churn(o);
    return;
  }
  let report;
  try {
    report = await soak(o);
  } catch (err) {
    process.stderr.write(`soak: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  }
  const text = `${JSON.stringify(report, null, 2)}\n`;
  process.stdout.write(text);
  if (o.json) await writeFile(o.json, text);
  const c = report.commands;
  say(
    `sent ${c.sent}, acted ${c.acted}, reported failed ${c.reportedFailed}, lost ${c.lost}, late ${c.late}; ` +
      `RSS ${report.rss.startKb} → ${report.rss.endKb} kB (${report.rss.growthPercent} %); ` +
      `event-loop delay p99 ${report.eventLoopDelay.p99Ms} ms; reply p99 ${report.replyLatency.steady.p99Ms} ms` +
      (report.voice ? `; spoken ${report.voice.spoken}, acted ${report.voice.acted}` : "; text only"),
  );
  if (!report.ok) say(`FAILED: ${report.failures.join("; ")}`);
  // Open handles (MQTT sockets closing) must not keep a finished soak alive.
  process.exit(report.ok ? 0 : 1);
}

/**
 * `--broker-churn`: the broker restarted gracefully and killed while commands flow (see
 * bench/soak-config/broker-churn.mjs). Fails on a command lost or acted on twice across a graceful
 * restart, any command acted on late, or a resubscription later than 500 ms after a restart or kill.
 */
async function churn(o) {
  if (!existsSync(join(ROOT, "dist", "cli", "main.js"))) {
    process.stderr.write("soak: dist/ is not built: run `npm run setup` (npm run soak does it first)\n");
    process.exit(2);
  }
  const report = await brokerChurn({
    root: ROOT,
    rate: o.rateGiven ? o.rate : 10,
    restarts: o.restarts,
    kills: o.kills,
    graceMs: o.graceMs,
    gapMs: 6000,
    say,
  });
  const failures = [];
  const r = report.restarts;
  const k = report.kills;
  if (r.lost > 0) failures.push(`${r.lost} commands lost across graceful restarts`);
  if (r.twice > 0) failures.push(`${r.twice} commands acted on twice across graceful restarts`);
  for (const phase of [report.steady, r, k]) {
    if (phase.late > 0) failures.push(`${phase.late} commands acted on after their grace period`);
    if (phase.actedAfterRefusal > 0) failures.push(`${phase.actedAfterRefusal} refused commands acted on`);
  }
  for (const ms of [...r.resubscribedMs, ...k.resubscribedMs]) {
    if (ms === undefined || ms > 500)
      failures.push(`resubscribed ${ms ?? "never"} ms after the broker came back`);
  }
  if (!report.daemonAlive) failures.push("the daemon died");
  const text = `${JSON.stringify({ ...report, ok: failures.length === 0, failures }, null, 2)}\n`;
  process.stdout.write(text);
  if (o.json) await writeFile(o.json, text);
  if (failures.length > 0) say(`FAILED: ${failures.join("; ")}`);
  process.exit(failures.length === 0 ? 0 : 1);
}

await main();
