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
import { HaStandin } from "../helpers/ha-standin.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { type Mosquitto, startMosquitto } from "../helpers/mosquitto.js";
import { z2mBulb } from "../mqtt/fixtures/discovery.js";
import { relocate, unique } from "../mqtt/harness.js";
import { smallHome } from "./small-home.js";

const bin = join(new URL("../..", import.meta.url).pathname, "bin/hearth.js");

/** Runs the built CLI. No time limit of its own: the test's timeout is the one for a hang. */
function hearth(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Runs `hearth devices` in-process on `clock`, which only the test moves (its quiet period after
 * the discovery configs, Home Assistant's deadlines). With an MQTT broker, the quiet period ends
 * once `configs` discovery configs have come (each starts one of its own, as does the confirmed
 * subscription) and the test moves the clock past it.
 */
async function devicesOn(
  options: DevicesOptions,
  configs?: number,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const clock = new ManualClock();
  const out = { stdout: "", stderr: "" };
  const done = listDevices(options, {
    clock,
    stdout: (text) => {
      out.stdout += text;
    },
    stderr: (text) => {
      out.stderr += text;
    },
  });
  if (configs !== undefined) {
    while (clock.pending.filter((ms) => ms === QUIET_MS).length < configs + 1)
      await new Promise((resolve) => setTimeout(resolve, 20));
    clock.advance(QUIET_MS);
  }
  return { code: await done, ...out };
}

describe("hearth devices with Home Assistant", () => {
  let broker: Mosquitto;
  let ha: HaStandin;
  let dir: string;
  const prefix = unique("ha");

  beforeAll(async () => {
    broker = await startMosquitto();
    const home = smallHome();
    // The zigbee2mqtt bulb is also in Home Assistant, through its MQTT integration.
    home.entities.push({
      entity_id: "light.living_room_bulb",
      unique_id: String(z2mBulb[1].unique_id),
      platform: "mqtt",
      name: "Sofa Bulb",
      area_id: "living_room",
    });
    home.states["light.living_room_bulb"] = { state: "off", attributes: { friendly_name: "Sofa Bulb" } };
    home.exposed.push("light.living_room_bulb");
    ha = await HaStandin.start({ home });
    dir = mkdtempSync(join(tmpdir(), "hearth-ha-devices-"));
    const publisher = await connectAsync(broker.url, { clientId: unique("publisher") });
    const [topic, payload] = relocate(z2mBulb, prefix, unique("dev"));
    await publisher.publishAsync(topic, payload, { qos: 1, retain: true });
    await publisher.endAsync();
  });

  afterAll(async () => {
    await ha?.stop();
    await broker?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it("lists Home Assistant's exposed entities, and a device seen through both once, under Home Assistant", async () => {
    const config = join(dir, "both.yaml");
    writeFileSync(
      config,
      `site: { id: ${unique("site")} }
areas: [{ name: Living Room }]
mqtt: { url: "${broker.url}", discovery_prefix: ${prefix} }
homeassistant: { url: "${ha.baseUrl}", token: "${ha.token}" }
llm: { mode: "off" }
`,
    );
    // The bulb's discovery config on the broker.
    const { code, stdout, stderr } = await devicesOn({ config, json: true }, 1);
    expect(code, stderr).toBe(0);
    const rows = JSON.parse(stdout) as DeviceRow[];
    const byName = new Map(rows.map((r) => [r.name, r]));
    expect(byName.get("Sofa Bulb")).toMatchObject({
      id: "light.living_room_bulb",
      source: "homeassistant",
      alsoFrom: ["discovery"],
      command: { via: "homeassistant" },
    });
    expect(byName.has("Living room bulb")).toBe(false);
    expect(byName.get("Garage Door")).toMatchObject({ area: "Garage", source: "homeassistant" });
    expect(byName.has("Cabinet Light")).toBe(false);
  });

  it("prints where each device comes from in the table", async () => {
    const config = join(dir, "ha-only.yaml");
    writeFileSync(
      config,
      `homeassistant: { url: "${ha.url}", token: "${ha.token}" }\nllm: { mode: "off" }\n`,
    );
    const { code, stdout, stderr } = await devicesOn({ config });
    expect(code, stderr).toBe(0);
    const lines = stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^NAME\s+AREA\s+DOMAIN\s+FROM\s+COMMANDED BY$/);
    expect(lines.find((l) => l.startsWith("Reading Lamp"))).toMatch(
      /^Reading Lamp\s+Living Room\s+light\s+homeassistant\s+Home Assistant \(light\.reading_lamp\)$/,
    );
  });

  it("exits 69 when Home Assistant refuses the token", async () => {
    const config = join(dir, "refused.yaml");
    writeFileSync(config, `homeassistant: { url: "${ha.url}", token: nope }\nllm: { mode: "off" }\n`);
    const { code, stderr } = await hearth(["devices", "--config", config]);
    expect(code).toBe(69);
    expect(stderr).toMatch(/refused the access token/);
  });
});
