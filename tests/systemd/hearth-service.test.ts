import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { daemonStart } from "../../bench/lib/daemon-start.mjs";
import { EXIT } from "../../src/core/errors.js";

/**
 * systemd/hearth.service checked by systemd's own tools (Debian's `systemd` package; .ci/run installs
 * it). There is no systemd PID 1 in the test container, so the unit is verified and scored offline,
 * not started.
 */

const run = promisify(execFile);
const UNIT = fileURLToPath(new URL("../../systemd/hearth.service", import.meta.url));

/** The unit's [Service] (and other) settings: key → every value assigned, in order. */
function settings(text: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith("[")) continue;
    const eq = line.indexOf("=");
    const key = line.slice(0, eq);
    map.set(key, [...(map.get(key) ?? []), line.slice(eq + 1)]);
  }
  return map;
}

let text: string;
let dir: string;
/** A copy of the unit whose ExecStart names the node running this test (verify needs it to exist). */
let copy: string;

beforeAll(async () => {
  text = await readFile(UNIT, "utf8");
  dir = await mkdtemp(join(tmpdir(), "hearth-unit-"));
  copy = join(dir, "hearth.service");
  expect(text).toMatch(/^ExecStart=\/usr\/bin\/node /m);
  await writeFile(copy, text.replace(/^ExecStart=\/usr\/bin\/node /m, `ExecStart=${process.execPath} `));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("systemd/hearth.service", () => {
  it("passes systemd-analyze verify without a single warning", async () => {
    // Unknown keys and misspelt values are only warnings (exit 0), so the output must be empty too.
    const { stdout, stderr } = await run("systemd-analyze", ["verify", copy]);
    expect(`${stdout}${stderr}`).toBe("");
  });

  it("fails verification when ExecStart's program is missing, so the check above means something", async () => {
    const broken = join(dir, "broken.service");
    await writeFile(broken, text.replace(/^ExecStart=\S+ /m, "ExecStart=/nonexistent/node "));
    await expect(run("systemd-analyze", ["verify", broken])).rejects.toMatchObject({
      stderr: expect.stringContaining("/nonexistent/node"),
    });
  });

  it('is rated "OK" by systemd-analyze security, with an exposure of at most 3.0', async () => {
    const { stdout } = await run("systemd-analyze", ["security", "--offline=true", "--no-pager", copy]);
    const overall = /Overall exposure level for hearth\.service: (\d+(?:\.\d+)?) (\S+)/.exec(stdout);
    expect(overall, stdout).not.toBeNull();
    const exposure = Number(overall?.[1]);
    expect(exposure).toBeGreaterThanOrEqual(0);
    expect(exposure).toBeLessThanOrEqual(3.0);
    expect(overall?.[2]).toBe("OK");
  });

  it("scores worse once the hardening is taken out, so the score above is the unit's own", async () => {
    const bare = join(dir, "bare.service");
    const kept = /^(Type|ExecStart|User|Group)=/;
    const lines = text.split("\n").filter((line) => /^\[/.test(line) || kept.test(line));
    await writeFile(
      bare,
      `${lines.join("\n").replace(/^ExecStart=\S+ /m, `ExecStart=${process.execPath} `)}\n`,
    );
    const { stdout } = await run("systemd-analyze", ["security", "--offline=true", "--no-pager", bare]);
    const exposure = Number(/Overall exposure level for bare\.service: (\d+(?:\.\d+)?)/.exec(stdout)?.[1]);
    expect(exposure).toBeGreaterThan(5);
  });

  it("waits for READY=1, watches the event loop and does not restart on a bad configuration", () => {
    const unit = settings(text);
    expect(unit.get("Type")).toEqual(["notify"]);
    expect(Number(unit.get("WatchdogSec")?.[0])).toBeGreaterThan(0);
    expect(unit.get("Restart")).toEqual(["on-failure"]);
    // The daemon's exit status for an invalid config (src/core/errors.ts), which must not loop.
    expect(unit.get("RestartPreventExitStatus")).toEqual([String(EXIT.CONFIG)]);
    expect(unit.get("ExecStart")?.[0]).toMatch(
      / \/opt\/hearth\/bin\/hearth\.js run --config \/etc\/hearth\/hearth\.yaml$/,
    );
  });

  it("starts node with the memory settings npm start uses, which the memory bench measures", () => {
    const unit = settings(text);
    const start = daemonStart();
    // The settings the idle daemon's RSS depends on (docs/benchmarks.md, Memory): V8's young
    // generation capped, its memory-saving collection policy, no baseline (Sparkplug) code, gc() for
    // src/core/heap.ts, and two malloc arenas. Lost from either way of starting, the service and
    // `npm start` would differ.
    expect(start.nodeFlags).toEqual(
      expect.arrayContaining([
        "--max-semi-space-size=4",
        "--optimize-for-size",
        "--no-sparkplug",
        "--expose-gc",
      ]),
    );
    expect(start.env).toMatchObject({ MALLOC_ARENA_MAX: "2" });
    const execStart = unit.get("ExecStart")?.[0] ?? "";
    const flags = /^\/usr\/bin\/node ((?:--\S+ )*)\/opt\/hearth\/bin\/hearth\.js run /.exec(execStart)?.[1];
    expect(flags?.split(" ").filter(Boolean), execStart).toEqual(start.nodeFlags);
    const environment = (unit.get("Environment") ?? []).flatMap((value) => value.split(/\s+/));
    for (const [name, value] of Object.entries(start.env)) expect(environment).toContain(`${name}=${value}`);
  });

  it("runs as the hearth user with sound, its own directories and secrets from an environment file", () => {
    const unit = settings(text);
    expect(unit.get("User")).toEqual(["hearth"]);
    expect(unit.get("SupplementaryGroups")).toEqual(["audio"]);
    expect(unit.get("ConfigurationDirectory")).toEqual(["hearth"]);
    expect(unit.get("StateDirectory")).toEqual(["hearth"]);
    expect(unit.get("EnvironmentFile")).toEqual(["-/etc/hearth/hearth.env"]);
    expect(unit.get("DeviceAllow")).toEqual(["char-alsa rw"]);
    expect(unit.get("MemoryMax")).toHaveLength(1);
  });

  it("lets the network reach only loopback, link-local and private ranges", () => {
    const unit = settings(text);
    expect(unit.get("IPAddressDeny")).toEqual(["any"]);
    const allowed = (unit.get("IPAddressAllow") ?? []).flatMap((value) => value.split(/\s+/));
    expect(allowed.sort()).toEqual(
      [
        "localhost",
        "link-local",
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "fc00::/7",
        "fe80::/10",
      ].sort(),
    );
  });
});
