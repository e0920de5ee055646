import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectAsync } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DeviceRow,
  type DevicesOptions,
  listDevices,
  QUIET_MS,
} from "../../src/cli/commands/devices.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { type Mosquitto, startMosquitto } from "../helpers/mosquitto.js";
import { esphomeTemperature, tasmotaRelay, z2mBulb, z2mCover } from "./fixtures/discovery.js";
import { relocate, unique } from "./harness.js";

const root = new URL("../..", import.meta.url).pathname;
const bin = join(root, "bin/hearth.js");

/**
 * Runs the built CLI; resolves with its exit code and output whatever the code. No time limit of
 * its own: however long a busy machine takes, the test's timeout is the one for a hang.
 */
function hearth(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], (err, stdout, stderr) => {
      // A signal is reported in stderr, so a failing assertion shows it.
      const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
      resolve({ code, stdout, stderr: err?.signal ? `${stderr}[killed by ${err.signal}]` : stderr });
    });
  });
}

/**
 * Runs `hearth devices` in-process on `clock`, which only the test moves: its quiet period ends
 * when the test says, never because a busy machine was slow to read what the broker sent.
 */
function devicesOn(clock: ManualClock, options: DevicesOptions) {
  const out = { stdout: "", stderr: "", code: undefined as number | undefined };
  const done = listDevices(options, {
    clock,
    stdout: (text) => {
      out.stdout += text;
    },
    stderr: (text) => {
      out.stderr += text;
    },
  }).then((code) => {
    out.code = code;
    return out;
  });
  return { out, done };
}

/**
 * Resolves once `configs` discovery configs have come: each starts a quiet period of its own (as
 * does the confirmed subscription), all due QUIET_MS from now while the clock stands still. No
 * limit of its own: the test's timeout is the one for a hang.
 */
async function configsCame(clock: ManualClock, configs: number): Promise<void> {
  while (clock.pending.filter((ms) => ms === QUIET_MS).length < configs + 1)
    await new Promise((resolve) => setTimeout(resolve, 20));
}

describe("hearth devices", () => {
  let broker: Mosquitto;
  let dir: string;
  let config: string;
  const prefix = unique("ha");
  const ns = unique("dev");

  beforeAll(async () => {
    broker = await startMosquitto();
    dir = mkdtempSync(join(tmpdir(), "hearth-devices-"));
    config = join(dir, "hearth.yaml");
    writeFileSync(
      config,
      `site: { id: ${unique("site")} }
areas: [{ name: Living Room }, { name: Office }, { name: Bedroom }]
devices:
  - { id: light.kitchen_lamp, name: Kitchen lamp }
mqtt: { url: "${broker.url}", discovery_prefix: ${prefix} }
llm: { mode: "off" }
`,
    );
    const publisher = await connectAsync(broker.url, { clientId: unique("publisher") });
    for (const fixture of [z2mBulb, tasmotaRelay, esphomeTemperature, z2mCover]) {
      const [topic, payload] = relocate(fixture, prefix, ns);
      await publisher.publishAsync(topic, payload, { qos: 1, retain: true });
    }
    // Another Hearth satellite's own mute switch is not a device to list.
    await publisher.publishAsync(
      `${prefix}/switch/hearth_kitchen/mute/config`,
      JSON.stringify({
        name: "Mute",
        command_topic: "hearth/kitchen/set/mute",
        unique_id: "hearth_kitchen_mute",
      }),
      { qos: 1, retain: true },
    );
    await publisher.endAsync(true);
  });
  afterAll(async () => {
    await broker?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it("lists the devices learned from retained discovery as JSON", async () => {
    const clock = new ManualClock();
    const run = devicesOn(clock, { config, json: true });
    // Four devices and another satellite's own switch.
    await configsCame(clock, 5);
    clock.advance(QUIET_MS);
    const { code, stdout, stderr } = await run.done;
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as DeviceRow[];
    const byName = new Map(rows.map((r) => [r.name, r]));
    expect([...byName.keys()].sort()).toEqual([
      "Bedroom blind",
      "Desk plug Desk fan plug",
      "Living room bulb",
      "office-node Office Temperature",
    ]);
    expect(byName.get("Living room bulb")).toMatchObject({
      domain: "light",
      area: "Living Room",
      source: "discovery",
      command: { topic: `${ns}/zigbee2mqtt/Living room bulb/set`, schema: "json" },
    });
    expect(byName.get("Desk plug Desk fan plug")?.command).toEqual({
      topic: `${ns}/desk_plug/cmnd/POWER`,
      topics: [`${ns}/desk_plug/cmnd/POWER`],
    });
    expect(byName.get("office-node Office Temperature")).toMatchObject({
      domain: "sensor",
      area: "Office",
      command: { topics: [] },
    });
    expect(byName.get("Bedroom blind")?.command.topics).toEqual([`${ns}/zigbee2mqtt/Bedroom blind/set`]);
  });

  it("prints a table with name, area, domain, where it came from and how each device is commanded", async () => {
    const clock = new ManualClock();
    const run = devicesOn(clock, { config });
    await configsCame(clock, 5);
    clock.advance(QUIET_MS);
    const { code, stdout } = await run.done;
    expect(code).toBe(0);
    const lines = stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^NAME\s+AREA\s+DOMAIN\s+FROM\s+COMMANDED BY$/);
    expect(lines.find((l) => l.startsWith("Living room bulb"))).toMatch(
      new RegExp(
        `^Living room bulb\\s+Living Room\\s+light\\s+discovery\\s+${ns}/zigbee2mqtt/Living room bulb/set \\(json\\)$`,
      ),
    );
    expect(lines.find((l) => l.startsWith("office-node Office Temperature"))).toMatch(
      /sensor\s+discovery\s+read only$/,
    );
    expect(lines).toHaveLength(5);
  });

  it("listens until no discovery config has come for 700 ms: a config that comes later starts the quiet period again", async () => {
    const clock = new ManualClock();
    const run = devicesOn(clock, { config, json: true });
    await configsCame(clock, 5);
    clock.advance(QUIET_MS - 1);
    // Still listening 1 ms before the quiet period ends: a new device is heard, and its config
    // starts the quiet period again.
    const publisher = await connectAsync(broker.url, { clientId: unique("late") });
    await publisher.publishAsync(
      `${prefix}/switch/${ns}_porch/config`,
      JSON.stringify({ name: "Porch switch", command_topic: `${ns}/porch/set`, unique_id: `${ns}_porch` }),
      { qos: 1 },
    );
    await publisher.endAsync();
    while (!clock.pending.includes(QUIET_MS)) await new Promise((resolve) => setTimeout(resolve, 20));
    clock.advance(1);
    expect(clock.pending).toContain(QUIET_MS - 1);
    expect(run.out.code).toBeUndefined();
    clock.advance(QUIET_MS - 1);
    const { code, stdout } = await run.done;
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as DeviceRow[]).map((r) => r.name)).toContain("Porch switch");
  });

  it("says there is nothing to learn from, and exits 69, when no broker is configured", async () => {
    const bare = join(dir, "bare.yaml");
    writeFileSync(bare, `site: { id: bare }\nllm: { mode: "off" }\n`);
    const { code, stdout, stderr } = await hearth(["devices", "--config", bare]);
    expect(code).toBe(69);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/no MQTT broker configured \(mqtt\.url\)/);
  });

  it("exits 69 with the reason when the broker cannot be reached", async () => {
    const unreachable = join(dir, "unreachable.yaml");
    writeFileSync(
      unreachable,
      `site: { id: gone }\nmqtt: { url: "mqtt://127.0.0.1:1", startup_timeout_ms: 1000 }\nllm: { mode: "off" }\n`,
    );
    const { code, stderr } = await hearth(["devices", "--config", unreachable]);
    expect(code, stderr).toBe(69);
    expect(stderr).toMatch(/cannot reach the MQTT broker at mqtt:\/\/127\.0\.0\.1:1/);
  });
});
