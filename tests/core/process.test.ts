import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { HearthError } from "../../src/core/errors.js";
import { runProgram, spawnProgram } from "../../src/core/process.js";
import { ManualClock } from "../helpers/manual-clock.js";

const node = process.execPath;

/** Whether a process id is alive (signal 0 probes without killing). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls until `check` holds; the test's timeout is the limit, so a busy machine only makes it slower. */
async function waitUntil(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 25));
}

/**
 * The pid a program wrote to `file`, once the file holds one: the file exists, empty, between its
 * creation and the write, and Number("") is 0, which process.kill(0, 0) reads as this process group.
 */
async function pidIn(file: string): Promise<number> {
  for (;;) {
    const text = existsSync(file) ? await readFile(file, "utf8") : "";
    if (text !== "") return Number(text);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("runProgram", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "hearth-process-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("returns what the program wrote to stdout and its exit code", async () => {
    const result = await runProgram(node, [
      "-e",
      "process.stdout.write('hello ' + process.argv[1])",
      "world",
    ]);
    expect(result.stdout.toString()).toBe("hello world");
    expect(result.exitCode).toBe(0);
  });

  test("passes arguments verbatim, with no shell to interpret them", async () => {
    const tricky = "$(touch pwned); `id` && echo 'x' > out | ;";
    const result = await runProgram(node, ["-e", "process.stdout.write(process.argv[1])", tricky], {
      cwd: dir,
    });
    expect(result.stdout.toString()).toBe(tricky);
    expect(existsSync(join(dir, "pwned"))).toBe(false);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  test("feeds the input to the program's stdin", async () => {
    const result = await runProgram(
      "sox",
      ["-t", "raw", "-r", "16000", "-e", "signed", "-b", "16", "-c", "1", "-", "-t", "raw", "-"],
      {
        input: new Uint8Array([1, 0, 2, 0]),
      },
    );
    expect([...result.stdout]).toEqual([1, 0, 2, 0]);
  });

  test("a non-zero exit is a PROCESS_FAILED error quoting the end of stderr", async () => {
    const error = await runProgram(node, [
      "-e",
      "console.error('first'); console.error('disk on fire'); process.exit(3)",
    ]).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(HearthError);
    expect((error as HearthError).code).toBe("PROCESS_FAILED");
    expect((error as HearthError).message).toContain("code 3");
    expect((error as HearthError).message).toContain("disk on fire");
  });

  test("a program that does not exist is a PROCESS_FAILED error naming it", async () => {
    const error = await runProgram("hearth-no-such-program", []).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(HearthError);
    expect((error as HearthError).code).toBe("PROCESS_FAILED");
    expect((error as HearthError).message).toContain("program not found: hearth-no-such-program");
  });

  test("a program that runs past its timeout is killed and reported", async () => {
    const pidFile = join(dir, "pid");
    // Time moves when the program is running, not by the machine's speed.
    const clock = new ManualClock();
    const running = runProgram(
      node,
      [
        "-e",
        `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => {}, 1000)`,
      ],
      { timeoutMs: 500, clock },
    ).catch((err: unknown) => err);
    const pid = await pidIn(pidFile);
    expect(clock.pending).toEqual([500]);
    clock.advance(500);
    const error = await running;
    expect((error as HearthError).code).toBe("DEADLINE_EXCEEDED");
    expect((error as HearthError).message).toContain("did not finish within 500 ms");
    await waitUntil(() => !alive(pid));
  });

  test("a program that ignores SIGTERM is killed with SIGKILL after the grace period", async () => {
    const pidFile = join(dir, "pid");
    const controller = new AbortController();
    const clock = new ManualClock();
    const running = runProgram(
      node,
      [
        "-e",
        `process.on('SIGTERM', () => {}); require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => {}, 1000)`,
      ],
      { signal: controller.signal, killGraceMs: 200, clock },
    );
    running.catch(() => {});
    const pid = await pidIn(pidFile);
    controller.abort();
    // SIGTERM is ignored: the program runs on until the grace period has passed on the clock.
    expect(clock.pending).toContain(200);
    expect(alive(pid)).toBe(true);
    clock.advance(200);
    await expect(running).rejects.toThrow();
    expect(alive(pid)).toBe(false);
  });

  test("aborting kills the program and rejects with the signal's reason", async () => {
    const pidFile = join(dir, "pid");
    const controller = new AbortController();
    const running = runProgram(
      node,
      [
        "-e",
        `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => {}, 1000)`,
      ],
      { signal: controller.signal },
    );
    const pid = await pidIn(pidFile);
    expect(alive(pid)).toBe(true);
    const reason = new Error("barge-in");
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    await waitUntil(() => !alive(pid));
  });

  test("an already aborted signal starts nothing", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(runProgram(node, ["-e", ""], { signal: controller.signal })).rejects.toThrow(/abort/i);
  });

  test("output beyond the limit fails the call instead of filling memory", async () => {
    const error = await runProgram(node, ["-e", "process.stdout.write(Buffer.alloc(100000))"], {
      maxOutputBytes: 1000,
    }).catch((err: unknown) => err);
    expect((error as HearthError).message).toContain("more than 1000 bytes");
  });

  test("logs each stderr line at debug with the program's name", async () => {
    const lines: Array<{ level: number; msg: string; line?: string; program?: string }> = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    const logger = pino({ level: "debug" }, sink);
    await runProgram(node, ["-e", "console.error('warming up'); console.error('ready')"], { logger });
    const stderr = lines.filter((entry) => entry.msg === "program stderr");
    expect(stderr.map((entry) => entry.line)).toEqual(["warming up", "ready"]);
    expect(stderr.every((entry) => entry.level === 20 && entry.program === node)).toBe(true);
  });
});

describe("spawnProgram", () => {
  test("streams stdout while the program runs and reports its exit code", async () => {
    const child = spawnProgram(node, ["-e", "process.stdin.pipe(process.stdout)"]);
    child.stdin.end("streamed");
    const chunks: Buffer[] = [];
    for await (const chunk of child.stdout) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe("streamed");
    await expect(child.exited).resolves.toMatchObject({ exitCode: 0 });
  });

  test("kill stops a long-running program", async () => {
    const child = spawnProgram(node, ["-e", "setInterval(() => {}, 1000)"], { timeoutMs: 0 });
    child.kill();
    const { exitCode } = await child.exited;
    expect(exitCode).not.toBe(0);
    expect(child.pid !== undefined && alive(child.pid)).toBe(false);
  });
});
