import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkService } from "../../src/doctor/service-check.js";
import { fakeProgram } from "./fake-program.js";

/*
 * systemd cannot run as init inside the test machine, so beyond the "no systemd" case systemctl is
 * a script answering is-enabled / is-active the way systemd 252 (Debian 12) does, exit codes included.
 */

let dir: string;
let runDir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hearth-doctor-service-"));
  runDir = join(dir, "run-systemd-system");
  await mkdir(runDir);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

let n = 0;
async function systemctl(
  enabled: { stdout?: string; stderr?: string; code: number },
  active: string,
  code = 0,
) {
  n++;
  return fakeProgram(dir, `systemctl-${n}`, {
    "is-enabled hearth": enabled,
    "is-active hearth": { stdout: `${active}\n`, code },
  });
}

describe("the systemd service check", () => {
  it("only warns where systemd is not the init system", async () => {
    const result = await checkService({ systemdRunDir: join(dir, "absent"), systemctl: join(dir, "absent") });
    expect(result).toMatchObject({ id: "service", ok: "warn" });
    expect(result.detail).toMatch(/systemd is not running/);
    expect(result.fix).toMatch(/install-service\.sh install/);
  });

  it("passes when the unit is enabled and active", async () => {
    const program = await systemctl({ stdout: "enabled\n", code: 0 }, "active");
    const result = await checkService({ systemdRunDir: runDir, systemctl: program });
    expect(result).toMatchObject({ ok: true, detail: "hearth.service is enabled and active" });
  });

  it("warns, with the install command, when the unit is not installed", async () => {
    for (const enabled of [
      { stdout: "not-found\n", code: 4 },
      { stderr: "Failed to get unit file state for hearth.service: No such file or directory\n", code: 1 },
    ]) {
      const program = await systemctl(enabled, "inactive", 3);
      const result = await checkService({ systemdRunDir: runDir, systemctl: program });
      expect(result).toMatchObject({ ok: "warn", detail: "the hearth unit is not installed" });
      expect(result.fix).toMatch(/install-service\.sh install/);
    }
  });

  it("fails when the service failed, pointing at its journal", async () => {
    const program = await systemctl({ stdout: "enabled\n", code: 0 }, "failed", 3);
    const result = await checkService({ systemdRunDir: runDir, systemctl: program });
    expect(result.ok).toBe(false);
    expect(result.detail).toBe("hearth.service is enabled and failed");
    expect(result.fix).toMatch(/journalctl -u hearth/);
  });

  it("warns when the service is stopped or will not start at boot", async () => {
    const stopped = await checkService({
      systemdRunDir: runDir,
      systemctl: await systemctl({ stdout: "enabled\n", code: 0 }, "inactive", 3),
    });
    expect(stopped).toMatchObject({ ok: "warn", fix: "sudo systemctl start hearth" });
    const notAtBoot = await checkService({
      systemdRunDir: runDir,
      systemctl: await systemctl({ stdout: "disabled\n", code: 1 }, "active"),
    });
    expect(notAtBoot).toMatchObject({ ok: "warn", fix: "sudo systemctl enable hearth" });
  });
});
