import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { connectAsync, type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { concatInt16 } from "../../src/audio/pcm.js";
import { readWavFile, writeWavFile } from "../../src/audio/wav.js";
import { silentLogger } from "../../src/core/logger.js";
import { EmbeddedBroker } from "../../src/mqtt/embedded-broker.js";
import { silence, speak } from "../helpers/speech.js";
import { UNHURRIED_YAML } from "../helpers/unhurried.js";
import { z2mBulb } from "../mqtt/fixtures/discovery.js";
import { Inbox, relocate, unique } from "../mqtt/harness.js";

/*
 * The daemon itself, `hearth run --input FILE.wav` (the built CLI as a child process): it learns a
 * light from zigbee2mqtt's discovery config on a real broker, hears "hey jarvis, turn on the kitchen
 * light" in the recording, switches the light, writes the spoken reply, logs one line for the run,
 * and keeps running until told to stop.
 */

const bin = fileURLToPath(new URL("../../bin/hearth.js", import.meta.url));

let dir: string;
let broker: EmbeddedBroker;
let observer: MqttClient;
let inbox: Inbox;
let child: ChildProcessWithoutNullStreams | undefined;
const ns = unique("run");
const prefix = unique("ha");
const commandTopic = `${ns}/zigbee2mqtt/Kitchen Light/set`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hearth-run-input-"));
  broker = new EmbeddedBroker({ port: 0, logger: silentLogger() });
  const url = await broker.start();
  observer = await connectAsync(url, { clientId: unique("observer") });
  inbox = new Inbox(observer);
  await observer.subscribeAsync(`${ns}/#`, { qos: 1 });
  const [topic, payload] = relocate(z2mBulb, prefix, ns, {
    device: {
      identifiers: ["zigbee2mqtt_0x0017880104e455aa"],
      name: "Kitchen Light",
      suggested_area: "Kitchen",
    },
    command_topic: "zigbee2mqtt/Kitchen Light/set",
    state_topic: "zigbee2mqtt/Kitchen Light",
    unique_id: "0x0017880104e455aa_light_zigbee2mqtt",
    object_id: "kitchen_light",
  });
  await observer.publishAsync(topic, payload, { qos: 1, retain: true });
  // Deadlines past the test's own limit (UNHURRIED_YAML, the broker's start-up limit). A command's
  // grace period counts only while the broker is unreachable, which it never is here.
  await writeFile(
    join(dir, "hearth.yaml"),
    `site: { id: ${unique("site")}, area: Living Room }
areas: [{ name: Kitchen }, { name: Living Room }]
audio: { sink: "file:replies/reply-{n}.wav" }
mqtt: { url: "${url}", base_topic: ${ns}/hearth, discovery_prefix: ${prefix}, startup_timeout_ms: 600000 }
${UNHURRIED_YAML}`,
  );
  const samples = concatInt16([
    await speak("hey jarvis", { voice: { engine: "flite", name: "kal16" } }),
    silence(0.4),
    await speak("turn on the kitchen light"),
  ]);
  await writeWavFile(join(dir, "command.wav"), { sampleRate: 16000, samples });
});

afterAll(async () => {
  child?.kill("SIGKILL");
  await observer?.endAsync(true);
  await broker?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("hearth run --input", () => {
  test("hears the recording, switches the light, answers, and keeps running", async () => {
    const proc = spawn(
      process.execPath,
      [bin, "run", "--config", join(dir, "hearth.yaml"), "--input", "command.wav"],
      {
        cwd: dir,
      },
    );
    child = proc;
    const lines: Array<Record<string, unknown>> = [];
    let buffer = "";
    let stderr = "";
    let waiting: (() => void) | undefined;
    proc.stdout.on("data", (data: Buffer) => {
      buffer += data.toString();
      for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.startsWith("{")) lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      waiting?.();
    });
    proc.stderr.on("data", (data: Buffer) => {
      stderr += data.toString();
    });
    const exited = new Promise<number | null>((resolve) => proc.on("close", (code) => resolve(code)));
    proc.on("close", () => waiting?.());
    // Waits for the line however long loading and hearing take; only the daemon exiting without it
    // fails here (a hang is the test's own timeout).
    const logged = async (msg: string): Promise<Record<string, unknown>> => {
      for (;;) {
        const found = lines.find((l) => l.msg === msg);
        if (found) return found;
        if (proc.exitCode !== null || proc.signalCode !== null) break;
        await new Promise<void>((resolve) => {
          waiting = resolve;
        });
      }
      throw new Error(
        `no "${msg}" log line; stderr:\n${stderr}\nstdout:\n${JSON.stringify(lines.slice(-10))}`,
      );
    };

    const run = await logged("run ended");
    expect(run.reason).toBe("done");
    expect(run.intents).toEqual(["HassTurnOn"]);
    expect(run.timings).toEqual(
      expect.objectContaining({ stt: expect.any(Number), act: expect.any(Number) }),
    );
    // What was said is not in the journal at the default settings.
    expect(JSON.stringify(lines)).not.toContain("turn on the kitchen light");
    await inbox.until(() => inbox.on(commandTopic).length > 0);
    expect(inbox.on(commandTopic).map((p) => JSON.parse(p))).toEqual([{ state: "ON" }]);

    await logged("audio source ended");
    const replies = await readdir(join(dir, "replies"));
    expect(replies).toHaveLength(1);
    expect((await readWavFile(join(dir, "replies", replies[0] as string))).length).toBeGreaterThan(8000);

    // Still running after the recording: a stop is a clean exit.
    expect(proc.exitCode).toBeNull();
    proc.kill("SIGTERM");
    expect(await exited).toBe(0);
    child = undefined;
  });
});
