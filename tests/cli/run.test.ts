import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { daemonStop } from "../../src/cli/commands/run.js";
import { HearthError } from "../../src/core/errors.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { UNHURRIED_YAML } from "../helpers/unhurried.js";
import { type NotifyListener, startNotifyListener } from "../systemd/notify-listener.js";

const bin = new URL("../../bin/hearth.js", import.meta.url).pathname;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hearth-run-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Starts `hearth run`, collecting its JSON log lines (`nodeArgs` go to node, before the script). */
function start(config: string, env: Record<string, string> = {}, nodeArgs: string[] = []) {
  const child = spawn(process.execPath, [...nodeArgs, bin, "run", "--config", config], {
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
    // The stop's limit past the test's own (UNHURRIED_YAML): the daemon exits once every part has
    // stopped, however long a busy machine takes; the limit itself is tested below on a clock.
    await writeFile(config, `site: { id: run-test }\nareas: [{ name: Kitchen }]\n${UNHURRIED_YAML}`);
    const run = start(config, { NOTIFY_SOCKET: listener.socket });
    const ready = await listener.waitFor((m) => m.READY === "1");
    expect(ready.READY).toBe("1");
    // The ready log line was written before systemd was told.
    expect(run.lines.some((l) => l.msg === "hearth ready")).toBe(true);
    run.child.kill("SIGTERM");
    await listener.waitFor((m) => m.STOPPING === "1");
    // 0, not the failure code of a stop left behind: every part stopped cleanly.
    expect(await run.exited).toBe(0);
    expect(run.lines.some((l) => l.msg === "hearth stopped")).toBe(true);
  });

  it("stops what it had started and says so on SIGINT during start-up, exiting 0", async () => {
    // A broker that takes the connection and never answers it: start-up waits there, for as long
    // as the test likes (no deadline of the system clock ends it first).
    const sockets: Socket[] = [];
    let connected!: () => void;
    const reached = new Promise<void>((resolve) => {
      connected = resolve;
    });
    const silent = createServer((socket) => {
      sockets.push(socket);
      connected();
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as { port: number };
    try {
      const config = join(dir, "starting.yaml");
      await writeFile(
        config,
        `site: { id: run-starting }\nareas: [{ name: Kitchen }]\naudio: { source: none }\n` +
          `mqtt: { url: "mqtt://127.0.0.1:${port}", startup_timeout_ms: 600000 }\n${UNHURRIED_YAML}`,
      );
      const run = start(config);
      await reached;
      run.child.kill("SIGINT");
      expect(await run.exited).toBe(0);
      expect(run.lines.find((l) => l.msg === "stopping")).toMatchObject({ signal: "SIGINT" });
      expect(run.lines.some((l) => l.msg === "hearth ready")).toBe(false);
      expect(run.lines.some((l) => l.msg === "hearth stopped")).toBe(true);
      // A stop, not a failed start.
      expect(run.lines.filter((l) => (l.level as number) >= 50)).toEqual([]);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  /**
   * Runs the daemon on `yaml` until it is ready, recording the URL of every ES module it loads
   * (a module loader hook, node's own `module.register`), and returns those URLs.
   */
  async function modulesLoadedBy(name: string, yaml: string): Promise<string[]> {
    const trace = join(dir, `${name}.modules`);
    const hooks = join(dir, "trace-hooks.mjs");
    await writeFile(
      hooks,
      `import { appendFileSync } from "node:fs";
export async function load(url, context, next) {
  appendFileSync(process.env.HEARTH_TEST_MODULE_TRACE, url + "\\n");
  return next(url, context);
}
`,
    );
    const register = join(dir, "trace-register.mjs");
    await writeFile(
      register,
      `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
    );
    const config = join(dir, `${name}.yaml`);
    await writeFile(config, yaml);
    const run = start(config, { HEARTH_TEST_MODULE_TRACE: trace, HEARTH_LOG_FORMAT: "json" }, [
      "--import",
      register,
    ]);
    try {
      // Until it says it is ready or exits, however long start-up takes on a busy machine (the
      // test's own timeout is the bound).
      while (!run.lines.some((l) => l.msg === "hearth ready")) {
        if (run.child.exitCode !== null) throw new Error(`hearth exited: ${run.stderr()}`);
        await sleep(100);
      }
    } finally {
      run.child.kill("SIGTERM");
      await run.exited;
    }
    const urls = (await readFile(trace, "utf8")).split("\n").filter(Boolean);
    // bin/hearth.js runs the bundle (dist/bundle/, scripts/bundle.mjs): a chunk loaded stands for
    // every module its source map names (a chunk that only re-exports another has no map: the
    // other is loaded and traced too).
    const modules = [...urls];
    for (const url of urls) {
      if (!url.startsWith("file:") || !url.includes("/dist/bundle/")) continue;
      const file = fileURLToPath(url);
      if (!existsSync(`${file}.map`)) continue;
      const map = JSON.parse(await readFile(`${file}.map`, "utf8")) as { sources: string[] };
      for (const source of map.sources) modules.push(pathToFileURL(resolve(dirname(file), source)).href);
    }
    return modules;
  }

  /** Whether one of `urls` is the package `name` (under node_modules) or Hearth's own module `name` (dist/ or src/). */
  const loads = (urls: string[], name: string): boolean =>
    urls.some(
      (url) =>
        url.includes(`/node_modules/${name}/`) ||
        url.includes(`/dist/${name}`) ||
        url.includes(`/src/${name.replace(/\.js$/, ".ts")}`),
    );

  it("loads no part its config does not name: no speech engines, Home Assistant, LLM or other commands", async () => {
    const urls = await modulesLoadedBy(
      "text-only",
      "site: { id: run-lazy }\nareas: [{ name: Kitchen }]\nmqtt: { embedded_port: 0 }\naudio: { source: none, sink: 'null' }\n",
    );
    expect(loads(urls, "app.js")).toBe(true);
    for (const part of [
      "onnxruntime-node",
      "audio/stt/pocketsphinx-library.js",
      "home-assistant-js-websocket",
      "ws",
      "node-llama-cpp",
      "@fugood/whisper.node",
      "cli-progress",
      "doctor/run-doctor.js",
      "llm/model-download.js",
    ]) {
      expect({ part, loaded: loads(urls, part) }).toEqual({ part, loaded: false });
    }
  }, 300_000);

  it("loads pocketsphinx and ONNX Runtime once its config names speech recognition and the Silero VAD", async () => {
    const urls = await modulesLoadedBy(
      "speech",
      "site: { id: run-lazy-speech }\nareas: [{ name: Kitchen }]\nmqtt: { embedded_port: 0 }\n" +
        "audio: { source: stdin, sink: 'null' }\nwake: { engine: none }\nvad: { engine: silero }\n",
    );
    expect(loads(urls, "audio/stt/pocketsphinx-library.js")).toBe(true);
    expect(loads(urls, "onnxruntime-node")).toBe(true);
    expect(loads(urls, "home-assistant-js-websocket")).toBe(false);
  }, 300_000);

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

describe("hearth run's stop", () => {
  /** A daemon whose parts stop when the test says, on a clock only the test moves. */
  function stopping(stopTimeoutMs = 2500) {
    const clock = new ManualClock();
    const lines: Array<Record<string, unknown>> = [];
    const log = pino({ level: "info" }, { write: (l: string) => lines.push(JSON.parse(l)) });
    const told: string[] = [];
    const exits: number[] = [];
    let stopped!: () => void;
    let failed!: (err: Error) => void;
    let stops = 0;
    const hearth = {
      config: { stop_timeout_ms: stopTimeoutMs },
      stop: () => {
        stops++;
        return new Promise<void>((resolve, reject) => {
          stopped = resolve;
          failed = reject;
        });
      },
    };
    const stop = daemonStop({
      hearth,
      systemd: {
        stopping: async () => {
          told.push("STOPPING=1");
        },
      },
      log,
      clock,
      exit: (code) => exits.push(code),
      onStopping: () => told.push("watchdog off"),
    });
    return {
      clock,
      lines,
      told,
      exits,
      stop,
      stopped: () => stopped(),
      failed: (err: Error) => failed(err),
      stops: () => stops,
    };
  }

  const turn = () => new Promise((resolve) => setTimeout(resolve, 0));

  it("tells systemd, stops every part and exits 0 once they have stopped, however long that takes", async () => {
    const d = stopping();
    d.stop("SIGTERM");
    await turn();
    expect(d.told).toEqual(["watchdog off", "STOPPING=1"]);
    expect(d.stops()).toBe(1);
    // Slow parts, not hung ones: the clock has not reached stop_timeout_ms.
    d.clock.advance(2499);
    await turn();
    expect(d.exits).toEqual([]);
    d.stopped();
    await turn();
    expect(d.exits).toEqual([0]);
    expect(d.lines.find((l) => l.msg === "stopping")).toMatchObject({ signal: "SIGTERM" });
    // Its limit, passed afterwards, changes nothing.
    d.clock.advance(10_000);
    expect(d.exits).toEqual([0]);
  });

  it("exits 1, saying so, once a part still stopping has had stop_timeout_ms of the clock", async () => {
    const d = stopping(4000);
    d.stop("SIGINT");
    await turn();
    d.clock.advance(3999);
    await turn();
    expect(d.exits).toEqual([]);
    d.clock.advance(1);
    expect(d.exits).toEqual([1]);
    expect(d.lines.find((l) => l.level === 50)).toMatchObject({
      ms: 4000,
      msg: "stopping took too long; exiting without cleaning up",
    });
  });

  it("exits 1, saying why, when a part's stop throws (systemd then shows the unit failed)", async () => {
    const d = stopping();
    d.stop("SIGTERM");
    await turn();
    d.failed(new HearthError("STOP_FAILED", "listening loop did not stop cleanly"));
    await turn();
    expect(d.exits).toEqual([1]);
    expect(d.lines.find((l) => l.level === 50)).toMatchObject({
      msg: "stopped, but not cleanly",
      err: { message: "listening loop did not stop cleanly" },
    });
  });

  it("stops once when the signal comes again (Ctrl-C under npm start arrives twice)", async () => {
    const d = stopping();
    d.stop("SIGINT");
    d.stop("SIGINT");
    d.stop("SIGTERM");
    await turn();
    expect(d.stops()).toBe(1);
    expect(d.lines.filter((l) => l.msg === "stopping")).toHaveLength(1);
    // One deadline, not three.
    expect(d.clock.pending).toEqual([2500]);
    d.stopped();
    await turn();
    expect(d.exits).toEqual([0]);
  });
});
