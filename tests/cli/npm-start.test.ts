import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { daemonStart } from "../../bench/lib/daemon-start.mjs";
import { UNHURRIED_YAML } from "../helpers/unhurried.js";

/**
 * `npm start` as a new user runs it: npm runs the start script through a shell, and a signal sent
 * to npm (Ctrl-C, or `kill` of the npm process) must reach Hearth and stop it, not leave it running
 * behind a shell that does not pass signals on.
 */

const root = fileURLToPath(new URL("../..", import.meta.url));
let dir: string;
let config: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hearth-npm-start-"));
  config = join(dir, "hearth.yaml");
  await writeFile(
    config,
    // The stop's limit past the test's own (UNHURRIED_YAML): a clean stop is awaited however long
    // a busy machine takes; the limit itself is tested on a clock in tests/cli/run.test.ts.
    `site: { id: npm-start }\naudio: { source: none, sink: 'null' }\nmqtt: { embedded_port: 0 }\n${UNHURRIED_YAML}`,
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The pids of a process's children. */
function children(pid: number): number[] {
  try {
    return execFileSync("pgrep", ["-P", String(pid)], { encoding: "utf8" })
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map(Number);
  } catch {
    return [];
  }
}

async function startNpm(): Promise<{ npm: ChildProcess; daemon: number; output: () => string }> {
  const npm = spawn("npm", ["start", "--", "--config", config], {
    cwd: root,
    // The setup step's package check is not what this test is about.
    env: { ...process.env, HEARTH_SKIP_APT: "1", NOTIFY_SOCKET: "" },
  });
  let output = "";
  npm.stdout?.on("data", (d) => {
    output += d;
  });
  npm.stderr?.on("data", (d) => {
    output += d;
  });
  while (!output.includes("hearth ready")) {
    if (npm.exitCode !== null) throw new Error(`npm start ended: ${output}`);
    await sleep(50);
  }
  // The start script execs Hearth: npm's child is the daemon itself, not a shell around it.
  const [daemon, ...others] = children(npm.pid as number);
  expect(others).toEqual([]);
  expect(execFileSync("ps", ["-o", "args=", "-p", String(daemon)], { encoding: "utf8" })).toMatch(
    /^node (--\S+ )*bin\/hearth\.js run/,
  );
  return { npm, daemon: daemon as number, output: () => output };
}

describe("npx hearth", () => {
  it("runs this checkout's CLI, as the README's examples do", () => {
    const out = execFileSync("npx", ["--no-install", "hearth", "--version"], { cwd: root, encoding: "utf8" });
    const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
    expect(out.trim()).toBe(version);
  });
});

describe("npm start", () => {
  it("loads no engine the config does not name (no listening, no LLM: no native speech or LLM library)", async () => {
    const { npm, daemon } = await startNpm();
    const exited = new Promise<number | null>((resolve) => npm.on("close", resolve));
    try {
      // With the memory settings the memory bench starts it with (bench/lib/daemon-start.mjs).
      const start = daemonStart(root);
      const args = readFileSync(`/proc/${daemon}/cmdline`, "utf8").split("\0");
      expect(args.slice(1, 1 + start.nodeFlags.length)).toEqual(start.nodeFlags);
      expect(start.nodeFlags).toContain("--expose-gc");
      const environ = readFileSync(`/proc/${daemon}/environ`, "utf8").split("\0");
      expect(environ).toContain("MALLOC_ARENA_MAX=2");
      const maps = readFileSync(`/proc/${daemon}/maps`, "utf8");
      const libraries = new Set([...maps.matchAll(/\/([^/\s]+\.(?:so[.\d]*|node))$/gm)].map((m) => m[1]));
      // koffi may be there: it is no engine but the FFI that hands freed native memory back to the
      // system after start-up (core/heap.ts), which saves more than it costs.
      const loaded = [...libraries].filter((l) =>
        /onnxruntime|pocketsphinx|sphinxbase|llama|ggml|whisper/.test(l as string),
      );
      expect(loaded).toEqual([]);
      // The check above would see them: the daemon's libraries are listed.
      expect([...libraries].some((l) => /^libc\.so/.test(l as string))).toBe(true);
    } finally {
      npm.kill("SIGTERM");
      await exited;
    }
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`stops Hearth cleanly when npm gets ${signal}`, async () => {
      const { npm, daemon, output } = await startNpm();
      const exited = new Promise<number | null>((resolve) => npm.on("close", resolve));
      npm.kill(signal);
      expect(await exited).toBe(0);
      expect(existsSync(`/proc/${daemon}`)).toBe(false);
      expect(output()).toContain(`"signal":"${signal}","msg":"stopping"`);
      expect(output()).toContain('"msg":"hearth stopped"');
    });
  }
});
