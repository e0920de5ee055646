import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type NotifyListener, startNotifyListener } from "../systemd/notify-listener.js";

const bin = new URL("../../bin/hearth.js", import.meta.url).pathname;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hearth-run-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Starts `hearth run`, collecting its JSON log lines. */
function start(config: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [bin, "run", "--config", config], {
    env: { ...process.env, ...env },
  });
  const lines: Array<Record<string, unknown>> = [];
  let stderr = "";
  let buffer = "";
  child.stdout.on("data", (d) => {
    buffer += d;
    let nl = buffer.indexOf("\n");
    while (nl >= 0) {
      lines.push(JSON.parse(buffer.slice(0, nl)) as Record<string, unknown>);
      buffer = buffer.slice(nl + 1);
      nl = buffer.indexOf("\n");
    }
  });
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return { child, lines, exited, stderr: () => stderr };
}

describe("hearth run", () => {
  let listener: NotifyListener | undefined;
  afterAll(() => listener?.close());

  it("tells systemd READY=1 only once started, and STOPPING=1 then exits 0 on SIGTERM", async () => {
    listener = await startNotifyListener();
    const config = join(dir, "ok.yaml");
    await writeFile(config, "site: { id: run-test }\nareas: [{ name: Kitchen }]\n");
    const run = start(config, { NOTIFY_SOCKET: listener.socket });
    const ready = await listener.waitFor((m) => m.READY === "1", 30_000);
    expect(ready.READY).toBe("1");
    // The ready log line was written before systemd was told.
    expect(run.lines.some((l) => l.msg === "hearth ready")).toBe(true);
    run.child.kill("SIGTERM");
    await listener.waitFor((m) => m.STOPPING === "1");
    // 0, not the failure code run.ts exits with once a stop runs past its 2.5 s deadline: every
    // part stopped cleanly within it (a bound the daemon enforces, not a timing the test takes).
    expect(await run.exited).toBe(0);
    expect(run.lines.some((l) => l.msg === "hearth stopped")).toBe(true);
  });

  it("exits 78 without READY on an invalid config, naming each problem", async () => {
    const config = join(dir, "bad.yaml");
    await writeFile(
      config,
      "site: { id: run-test, colour: blue }\ndevices: [{ id: light.x, name: X, area: Attic }]\n",
    );
    const run = start(config);
    expect(await run.exited).toBe(78);
    expect(run.stderr()).toMatch(/colour/);
    expect(run.stderr()).toMatch(/unknown area "Attic"/);
  });
});
