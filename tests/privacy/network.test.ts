import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectAsync, type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Mosquitto, startMosquitto } from "../helpers/mosquitto.js";
import { ensureSpeechCorpus } from "../helpers/speech-corpus.js";
import { z2mBulb } from "../mqtt/fixtures/discovery.js";
import { Inbox, relocate } from "../mqtt/harness.js";

/**
 * Privacy, tested: the daemon runs a whole command under strace, which records every connect() and
 * sendto() of every thread and child; the only network peer allowed is the configured broker. No DNS
 * lookup, no telemetry, no model hub. (The systemd unit enforces the same with IPAddressDeny.)
 */

const bin = new URL("../../bin/hearth.js", import.meta.url).pathname;
let broker: Mosquitto;
let dir: string;
let client: MqttClient;

beforeAll(async () => {
  broker = await startMosquitto();
  dir = await mkdtemp(join(tmpdir(), "hearth-privacy-"));
  client = await connectAsync(broker.url, { clientId: "privacy-observer" });
});

afterAll(async () => {
  await client?.endAsync();
  await broker?.dispose();
  await rm(dir, { recursive: true, force: true });
});

interface Peer {
  family: string;
  address: string;
  port?: number;
}

/** Every socket peer in an strace log of connect/sendto/sendmsg calls. */
function peers(trace: string): Peer[] {
  const out: Peer[] = [];
  for (const m of trace.matchAll(
    /sa_family=(AF_\w+)(?:, sin6?_port=htons\((\d+)\))?(?:, (?:sin_addr=inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6, "([^"]+)"|sun_path=([^}]+)))?/g,
  )) {
    out.push({
      family: m[1] as string,
      port: m[2] ? Number(m[2]) : undefined,
      address: (m[3] ?? m[4] ?? m[5] ?? "").trim(),
    } as Peer);
  }
  return out;
}

describe("privacy", () => {
  it("talks to nothing but the configured broker while running a command, and logs no transcript at info", async () => {
    const ns = "privacy";
    const config = join(dir, "hearth.yaml");
    await writeFile(
      config,
      `site: { id: ${ns}, area: Living Room }
areas: [{ name: Living Room }]
mqtt: { url: "${broker.url}", base_topic: ${ns}, discovery_prefix: ${ns}-ha }
audio: { sink: "null" }
logging: { level: info }
`,
    );
    const [topic, payload] = relocate(z2mBulb, `${ns}-ha`, ns);
    await client.publishAsync(topic, payload, { retain: true, qos: 1 });
    const inbox = new Inbox(client);
    await client.subscribeAsync([`${ns}/${ns}/status`, `${ns}/${ns}/event/run`, `${ns}/zigbee2mqtt/#`]);

    // A spoken command: "hey jarvis …" from the generated speech corpus, heard through the daemon's
    // whole speech path (wake word, VAD, pocketsphinx, intents, text-to-speech).
    const spoken = (await ensureSpeechCorpus("ci")).find((e) => e.wake && e.noise === null);
    if (!spoken) throw new Error("the speech corpus has no wake-word recording");
    const traceFile = join(dir, "trace");
    const child = spawn(
      "strace",
      [
        "-f",
        "-qq",
        "-e",
        "trace=connect,sendto,sendmsg",
        "-o",
        traceFile,
        process.execPath,
        bin,
        "run",
        "--config",
        config,
        "--input",
        spoken.path,
      ],
      {
        env: { ...process.env, NOTIFY_SOCKET: "" },
        // Its own process group: the stop signal goes to Hearth itself, not only to strace.
        detached: true,
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });

    const exited = new Promise((resolve) => child.on("close", resolve));
    // Commands are taken once the daemon says it is ready (its subscriptions are then in place).
    while (!stdout.includes("hearth ready")) {
      if (child.exitCode !== null) throw new Error(`hearth exited: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    while (!stdout.includes("the recording has been heard")) {
      if (child.exitCode !== null) throw new Error(`hearth exited: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    // The spoken command ran a whole run (its one info line names the intent, never the words).
    expect(stdout).toMatch(/"word":"hey_jarvis"/);
    await client.publishAsync(`${ns}/${ns}/command/text`, "please turn on the living room bulb");
    await inbox.next((m) => m.topic === `${ns}/zigbee2mqtt/Living room bulb/set`);
    await inbox.next((m) => m.topic === `${ns}/${ns}/event/run`);
    process.kill(-(child.pid as number), "SIGTERM");
    await exited;

    const trace = await readFile(traceFile, "utf8");
    const seen = peers(trace);
    const network = seen.filter((p) => p.family === "AF_INET" || p.family === "AF_INET6");
    expect(network.length).toBeGreaterThan(0);
    for (const p of network) {
      expect(`${p.family} ${p.address}:${p.port}`).toBe(`AF_INET 127.0.0.1:${broker.port}`);
    }
    // No DNS: nothing sent to port 53, and no resolver socket opened.
    expect(trace).not.toMatch(/htons\(53\)/);
    expect(trace).not.toMatch(/nscd|systemd\/resolve/);
    // Info-level logs never carry what was said.
    expect(stdout).toContain("hearth ready");
    expect(stdout).not.toMatch(/living room bulb/i);
    expect(stdout.toLowerCase()).not.toContain((spoken.command ?? spoken.text).toLowerCase());
  });
});
