/**
 * The broker-churn soak (`npm run soak -- --broker-churn`): the real daemon on a real Mosquitto with
 * persistence on, text commands at a steady rate (default 10/s), each with a transaction and its
 * `sent` time, while the broker is restarted gracefully (SIGTERM, started again at once) and then
 * killed (SIGKILL, down 1–3 s) a number of times.
 *
 * Measured from outside, by a persistent-session observer on the devices' command topics and
 * `<base>/<site>/event/run`:
 * - lost: a command with neither a result nor a device command;
 * - late: a device command that arrived more than the grace period after the command was sent;
 * - twice: a second device command, or a second result, for one command;
 * - refused: commands the daemon refused as too old (reported, not acted on);
 * - resubscribed: for every restart and kill, the time from the broker accepting connections again
 *   (its "running" line) to the daemon's "reconnected" log line, which it writes once its
 *   subscriptions are in place again (both clocks are this machine's).
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt from "mqtt";
import { startMosquitto } from "../lib/mosquitto.mjs";

const WORDS =
  "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey yankee zulu".split(
    " ",
  );
const BASE = "hearth";
const SITE = "churn";
const COMMAND = `${BASE}/${SITE}/command/text`;
const RUN = `${BASE}/${SITE}/event/run`;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function persistentClient(url, clientId) {
  return mqtt.connect(url, {
    clientId,
    protocolVersion: 5,
    clean: false,
    properties: { sessionExpiryInterval: 600 },
    reconnectPeriod: 20,
  });
}

/**
 * Runs the churn and returns its figures. `say` prints progress on stderr; `root` is the repository.
 * @param {{ root: string, rate: number, restarts: number, kills: number, graceMs: number, gapMs: number, say: (s: string) => void }} o
 */
export async function brokerChurn(o) {
  const broker = await startMosquitto({ persistence: true, tcpNoDelay: true });
  const dir = await mkdtemp(join(tmpdir(), "hearth-churn-"));
  const clients = [];
  let daemon;
  try {
    const observer = persistentClient(broker.url, "churn-observer");
    clients.push(observer);
    observer.on("error", () => {});
    await new Promise((resolve) => observer.once("connect", resolve));
    await observer.subscribeAsync(["churndev/#", RUN], { qos: 1 });
    for (const w of WORDS) {
      await observer.publishAsync(
        `homeassistant/switch/churn/${w}/config`,
        JSON.stringify({
          name: `${w} plug`,
          unique_id: `churn_${w}`,
          command_topic: `churndev/${w}/set`,
          payload_on: "ON",
          payload_off: "OFF",
        }),
        { qos: 1, retain: true },
      );
    }
    const config = join(dir, "hearth.yaml");
    await writeFile(
      config,
      `site: { id: ${SITE}, name: Churn Hearth }
mqtt: { url: "${broker.url}", base_topic: ${BASE}, command_grace_ms: ${o.graceMs} }
logging: { level: info }
audio: { source: none }
`,
    );
    const lines = [];
    const child = spawn(process.execPath, [join(o.root, "bin", "hearth.js"), "run", "--config", config], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    daemon = child;
    let buffer = "";
    child.stdout.on("data", (chunk) => {
      buffer += chunk.toString();
      for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
        const text = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        try {
          lines.push(JSON.parse(text));
        } catch {}
      }
    });
    child.stderr.on("data", () => {});
    const readyBy = Date.now() + 60_000;
    while (!lines.some((l) => l.msg === "hearth ready")) {
      if (child.exitCode !== null) throw new Error("the daemon exited before it was ready");
      if (Date.now() > readyBy) throw new Error("the daemon was not ready within 60 s");
      await sleep(50);
    }
    // Every plug learned before the clock starts.
    await sleep(1000);
    o.say(
      `churn: daemon ready; ${o.rate} commands/s, ${o.restarts} graceful restarts, then ${o.kills} kills`,
    );

    const sender = persistentClient(broker.url, "churn-sender");
    clients.push(sender);
    sender.on("error", () => {});
    await new Promise((resolve) => sender.once("connect", resolve));

    /** @type {Array<{i: number, plug: string, payload: string, sentAt: number, phase: string, results: number, deviceAt?: number, device: number, result?: any}>} */
    const commands = [];
    const byTransaction = new Map();
    const seenDup = new Map();
    observer.on("message", (topic, payload, packet) => {
      const at = Date.now();
      const text = payload.toString();
      // The broker's second copy of a message whose acknowledgement it did not see (after a restart).
      const key = `${topic}\n${text}`;
      if (packet.dup && at - (seenDup.get(key) ?? Number.NEGATIVE_INFINITY) < 2000) return;
      seenDup.set(key, at);
      if (topic === RUN) {
        let result;
        try {
          result = JSON.parse(text);
        } catch {
          return;
        }
        const cmd = byTransaction.get(result.transaction);
        if (!cmd) return;
        cmd.results++;
        cmd.result ??= result;
        return;
      }
      const m = /^churndev\/([a-z]+)\/set$/.exec(topic);
      if (!m) return;
      // The latest command sent to that plug with that payload.
      for (let k = commands.length - 1; k >= 0; k--) {
        const c = commands[k];
        if (c.plug !== m[1] || c.payload !== text || c.sentAt > at) continue;
        c.device++;
        c.deviceAt ??= at;
        return;
      }
    });

    let phase = "steady";
    let sending = true;
    const events = [];
    const sendLoop = (async () => {
      const started = Date.now();
      for (let i = 0; sending; i++) {
        const due = started + (i * 1000) / o.rate;
        if (due > Date.now()) await sleep(due - Date.now());
        const plug = WORDS[i % WORDS.length];
        const on = Math.floor(i / WORDS.length) % 2 === 0;
        const sentAt = Date.now();
        const cmd = { i, plug, payload: on ? "ON" : "OFF", sentAt, phase, results: 0, device: 0 };
        commands.push(cmd);
        byTransaction.set(`c${i}`, cmd);
        // Not awaited: while the broker is away MQTT.js keeps it and sends it on reconnecting.
        sender.publish(
          COMMAND,
          JSON.stringify({
            text: `turn ${on ? "on" : "off"} the ${plug} plug`,
            transaction: `c${i}`,
            sent: sentAt,
          }),
          { qos: 1 },
          () => {},
        );
      }
    })();

    await sleep(o.gapMs);
    phase = "restarts";
    for (let r = 0; r < o.restarts; r++) {
      const downAt = Date.now();
      await broker.stop();
      await broker.start();
      const upAt = Date.now();
      events.push({ kind: "restart", downAt, upAt });
      o.say(`churn: broker restarted gracefully (${upAt - downAt} ms)`);
      await sleep(o.gapMs);
    }
    phase = "kills";
    for (let k = 0; k < o.kills; k++) {
      const downAt = Date.now();
      await broker.kill();
      await sleep(1000 + (k % 3) * 1000);
      await broker.start();
      const upAt = Date.now();
      events.push({ kind: "kill", downAt, upAt });
      o.say(`churn: broker killed and started again (${upAt - downAt} ms down)`);
      await sleep(o.gapMs);
    }
    sending = false;
    await sendLoop;
    // Everything sent has had its grace period and a margin to arrive.
    await sleep(o.graceMs + 2000);

    const reconnects = lines
      .filter((l) => l.msg === "reconnected to the MQTT broker")
      .map((l) => new Date(l.time).getTime());
    for (const e of events) {
      const back = reconnects.find((t) => t >= e.downAt);
      e.resubscribedMs = back === undefined ? undefined : back - e.upAt;
    }
    const figures = (name) => {
      const cs = commands.filter((c) => c.phase === name);
      const refused = cs.filter((c) => String(c.result?.error ?? "").startsWith("refused"));
      return {
        sent: cs.length,
        acted: cs.filter((c) => c.deviceAt !== undefined).length,
        refusedAsTooOld: refused.length,
        lost: cs.filter((c) => c.results === 0 && c.deviceAt === undefined).length,
        late: cs.filter((c) => c.deviceAt !== undefined && c.deviceAt - c.sentAt > o.graceMs).length,
        twice: cs.filter((c) => c.device > 1 || c.results > 1).length,
        actedAfterRefusal: refused.filter((c) => c.deviceAt !== undefined).length,
        resubscribedMs: events.filter((e) => `${e.kind}s` === name).map((e) => e.resubscribedMs),
        downMs: events.filter((e) => `${e.kind}s` === name).map((e) => e.upAt - e.downAt),
      };
    };
    return {
      broker: "Mosquitto, persistence on",
      rate: o.rate,
      graceMs: o.graceMs,
      steady: figures("steady"),
      restarts: figures("restarts"),
      kills: figures("kills"),
      daemonAlive: child.exitCode === null,
      warnings: lines.filter((l) => l.level >= 40).length,
    };
  } finally {
    if (daemon && daemon.exitCode === null) {
      daemon.kill("SIGTERM");
      await new Promise((resolve) => {
        const t = setTimeout(() => {
          daemon.kill("SIGKILL");
          resolve();
        }, 5000);
        daemon.once("exit", () => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    for (const c of clients) c.end(true);
    await broker.dispose();
    await rm(dir, { recursive: true, force: true });
  }
}
