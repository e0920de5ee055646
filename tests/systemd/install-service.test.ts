import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * scripts/install-service.sh. A real install needs root and a running systemd (PID 1), which the test
 * container does not have, so these tests run its --dry-run (which inspects the machine but changes
 * nothing) and its pure parts. What the dry run prints for the user and the config depends on
 * whether this machine already has them, so the expectations are read from the machine too.
 */

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SCRIPT = join(ROOT, "scripts", "install-service.sh");

async function script(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run("bash", [SCRIPT, ...args], { cwd: tmpdir() });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

/** Lines the dry run prints for commands it would run ("+ …"), without the prefix. */
function commands(stdout: string): string[] {
  return stdout
    .split("\n")
    .filter((line) => line.startsWith("+ "))
    .map((line) => line.slice(2));
}

async function userExists(name: string): Promise<boolean> {
  return run("id", ["-u", name]).then(
    () => true,
    () => false,
  );
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hearth-install-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("install-service.sh install --dry-run", () => {
  it("prints every step of an install, in order, and changes nothing", async () => {
    const { stdout, stderr, code } = await script("install", "--dry-run", "--node", process.execPath);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const steps = commands(stdout);
    const at = (pattern: RegExp) => {
      const index = steps.findIndex((step) => pattern.test(step));
      expect(index, `no step matches ${pattern}:\n${steps.join("\n")}`).toBeGreaterThanOrEqual(0);
      return index;
    };

    const user = (await userExists("hearth"))
      ? at(/^usermod --append --groups audio hearth$/)
      : at(/^useradd --system --user-group --groups audio --home-dir \/var\/lib\/hearth .*hearth$/);
    const copy = at(/^cp -R .*\/dist .*\/node_modules \/opt\/hearth\.new\/$/);
    const prune = at(/^env -C \/opt\/hearth\.new npm prune --omit=dev /);
    const swap = at(/^mv \/opt\/hearth\.new \/opt\/hearth$/);
    const configDir = at(/^install -d -m 0750 -o root -g hearth \/etc\/hearth$/);
    const config = existsSync("/etc/hearth/hearth.yaml")
      ? at(/^chmod 0640 \/etc\/hearth\/hearth\.yaml$/)
      : at(
          /^install -m 0640 -o root -g hearth \S+\/config\/hearth\.example\.yaml \/etc\/hearth\/hearth\.yaml$/,
        );
    const env = existsSync("/etc/hearth/hearth.env")
      ? at(/^chmod 0640 \/etc\/hearth\/hearth\.env$/)
      : at(/^write \/etc\/hearth\/hearth\.env \(mode 0640, owner root:hearth\)/);
    const state = at(
      /^install -d -m 0750 -o hearth -g hearth \/var\/lib\/hearth \/var\/lib\/hearth\/models$/,
    );
    const unit = at(
      new RegExp(
        `^write /etc/systemd/system/hearth\\.service \\(mode 0644, owner root:root\\): .*ExecStart=${process.execPath.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`,
      ),
    );
    const memory = at(/^write \/etc\/systemd\/system\/hearth\.service\.d\/memory\.conf /);
    const check = at(
      /^runuser -u hearth -- env -C \/var\/lib\/hearth \S+ \/opt\/hearth\/bin\/hearth\.js check-config /,
    );
    const reload = at(/^systemctl daemon-reload$/);
    const enable = at(/^systemctl enable --now hearth\.service$/);

    expect(user).toBeLessThan(configDir); // the group must exist before files are given to it
    expect(copy).toBeLessThan(prune);
    expect(prune).toBeLessThan(swap);
    expect(configDir).toBeLessThan(config);
    expect(config).toBeLessThan(check);
    expect(env).toBeLessThan(reload);
    expect(state).toBeLessThan(reload);
    expect(unit).toBeLessThan(reload);
    expect(memory).toBeLessThan(reload);
    expect(check).toBeLessThan(enable);
    expect(reload).toBeLessThan(enable);
    expect(stdout).toMatch(/^\| {3}MemoryMax=\d+M$/m);
    expect(existsSync("/opt/hearth.new")).toBe(false);
  });

  it("enables without starting when asked to with --no-start", async () => {
    const { stdout, code } = await script("install", "--dry-run", "--no-start", "--node", process.execPath);
    expect(code).toBe(0);
    const steps = commands(stdout);
    expect(steps).toContain("systemctl enable hearth.service");
    expect(steps.filter((step) => /--now|restart/.test(step))).toEqual([]);
  });

  it("refuses a node older than 20", async () => {
    const old = join(dir, "node18");
    await writeFile(old, "#!/bin/sh\necho 18\n");
    await chmod(old, 0o755);
    const { stderr, code } = await script("install", "--dry-run", "--node", old);
    expect(code).toBe(1);
    expect(stderr).toContain("needs node 20 or newer");
  });
});

describe("install-service.sh uninstall --dry-run", () => {
  it("removes the program and keeps configuration and state", async () => {
    const { stdout, code } = await script("uninstall", "--dry-run");
    expect(code).toBe(0);
    const steps = commands(stdout);
    expect(steps).toContain("rm -rf /opt/hearth /opt/hearth.new /opt/hearth.old");
    expect(steps.filter((step) => step.includes("/etc/hearth") || step.includes("/var/lib/hearth"))).toEqual(
      [],
    );
    expect(stdout).toContain("kept /etc/hearth and /var/lib/hearth");
    if (existsSync("/etc/systemd/system/hearth.service")) {
      expect(steps).toContain("systemctl disable --now hearth.service");
    } else {
      expect(stdout).toContain("the service is not installed");
    }
  });

  it("with --purge also removes configuration, state and the user", async () => {
    const { stdout, code } = await script("uninstall", "--purge", "--dry-run");
    expect(code).toBe(0);
    const steps = commands(stdout);
    expect(steps).toContain("rm -rf /etc/hearth /var/lib/hearth");
    expect(steps.includes("userdel hearth")).toBe(await userExists("hearth"));
  });
});

describe("install-service.sh memory-max", () => {
  it("is 1024 MiB without models", async () => {
    const { stdout, code } = await script("memory-max", join(dir, "no-such-dir"));
    expect(code).toBe(0);
    expect(stdout).toBe("1024\n");
  });

  it("is 512 MiB plus one and a half times the models' size, rounded up to 64 MiB", async () => {
    const models = join(dir, "models");
    await mkdir(join(models, "whisper"), { recursive: true });
    // Sparse files: their size counts, not the disk space they take.
    await writeFile(join(models, "llm.gguf"), "");
    await truncate(join(models, "llm.gguf"), 600_000_000);
    await writeFile(join(models, "whisper", "ggml-base.bin"), "");
    await truncate(join(models, "whisper", "ggml-base.bin"), 148_000_000);
    const bytes = 600_000_000 + 148_000_000;
    const mib = 512 + Math.ceil((bytes * 1.5) / 1048576);
    const { stdout } = await script("memory-max", models);
    expect(Number(stdout)).toBe(Math.ceil(mib / 64) * 64);
    expect(Number(stdout) % 64).toBe(0);
  });
});

describe("install-service.sh network-allow", () => {
  it("names a broker and a Home Assistant outside the local network, and nothing on it", async () => {
    const outside = join(dir, "outside.yaml");
    await writeFile(
      outside,
      "mqtt: { url: mqtt://203.0.113.7:1883 }\nhomeassistant: { url: https://198.51.100.20:8123, token_file: /etc/hearth/ha-token }\n",
    );
    expect((await script("network-allow", outside)).stdout).toBe("203.0.113.7 198.51.100.20\n");
    const inside = join(dir, "inside.yaml");
    await writeFile(
      inside,
      "mqtt: { url: mqtt://192.168.1.10 }\nhomeassistant: { url: ws://10.0.0.5:8123/api/websocket, token: x }\n",
    );
    expect((await script("network-allow", inside)).stdout).toBe("");
    expect((await script("network-allow", join(dir, "no-such.yaml"))).stdout).toBe("");
  });
});

describe("install-service.sh arguments", () => {
  it("rejects unknown arguments and a missing action with the usage and exit status 64", async () => {
    for (const args of [["install", "--bogus"], [], ["install", "--purge"]]) {
      const { stderr, code } = await script(...args);
      expect(code, args.join(" ")).toBe(64);
      expect(stderr).toContain("Usage: install-service.sh install|uninstall|memory-max");
    }
  });
});
