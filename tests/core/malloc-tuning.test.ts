import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { tuneMalloc } from "../../src/core/malloc-tuning.js";

/**
 * Runs `body` (an ES module's text) in a fresh node, with the built module as `malloc` and glibc
 * as `libc`, and no malloc settings from the environment; returns what it printed on stdout and
 * on stderr (glibc's malloc_stats writes there).
 */
async function inFreshNode(body: string): Promise<{ stdout: string; stderr: string }> {
  const module = new URL("../../dist/core/malloc-tuning.js", import.meta.url).href;
  const script = `import koffi from "koffi";\nimport * as malloc from ${JSON.stringify(module)};\nconst libc = koffi.load("libc.so.6");\n${body}`;
  const env = { ...process.env };
  delete env.MALLOC_ARENA_MAX;
  delete env.GLIBC_TUNABLES;
  return promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], {
    cwd: new URL("../..", import.meta.url),
    env,
  });
}

/** glibc's arenas before and after eight threads alive at once have each allocated. */
const EIGHT_THREADS_THEN_ARENAS = `
import { Worker } from "node:worker_threads";
const stats = libc.func("void malloc_stats(void)");
stats();
console.error("--- eight threads");
const workers = Array.from({ length: 8 }, () => new Worker("setInterval(() => {}, 1000)", { eval: true }));
await Promise.all(workers.map((w) => new Promise((resolve) => w.once("online", resolve))));
stats();
await Promise.all(workers.map((w) => w.terminate()));
`;

/** How many arenas malloc_stats listed before and after the threads. */
function arenas(stats: string): { before: number; after: number } {
  const count = (text: string | undefined): number =>
    (text ?? "").split("\n").filter((line) => /^Arena \d+:/.test(line)).length;
  const [before, after] = stats.split("--- eight threads");
  return { before: count(before), after: count(after) };
}

describe("tuneMalloc", () => {
  it("gives threads started after it no malloc arenas of their own", async () => {
    // Node's start-up (its loader, its platform threads, koffi) has made a few arenas already;
    // the threads after the call share those.
    const tuned = await inFreshNode(`console.log(malloc.tuneMalloc());\n${EIGHT_THREADS_THEN_ARENAS}`);
    expect(tuned.stdout.trim()).toBe("true");
    const limited = arenas(tuned.stderr);
    expect(limited.before).toBeGreaterThan(0);
    expect(limited.after).toBe(limited.before);
    // Without it, glibc gives the threads arenas of their own (up to eight per core).
    const untuned = arenas((await inFreshNode(EIGHT_THREADS_THEN_ARENAS)).stderr);
    expect(untuned.after).toBeGreaterThanOrEqual(untuned.before + 4);
  });

  it("keeps no freed memory because a large block was freed before", async () => {
    // A 16 MB buffer freed (a model load's, a search build's) raises glibc's own thresholds, and
    // 20 MB freed afterwards in blocks of 1 MB then stays resident.
    const run = (tune: boolean) =>
      inFreshNode(`
${tune ? "malloc.tuneMalloc();" : ""}
const alloc = libc.func("void *malloc(size_t size)");
const fill = libc.func("void *memset(void *s, int c, size_t n)");
const free = libc.func("void free(void *ptr)");
const { readFileSync } = await import("node:fs");
const anonMB = () => Number(/^RssAnon:\\s+(\\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1]) / 1024;
const big = alloc(16 << 20);
fill(big, 1, 16 << 20);
free(big);
const before = anonMB();
const blocks = Array.from({ length: 20 }, () => {
  const block = alloc(1 << 20);
  fill(block, 1, 1 << 20);
  return block;
});
const held = anonMB();
for (const block of blocks) free(block);
console.log(JSON.stringify({ grewMB: held - before, keptMB: anonMB() - before }));
`).then(({ stdout }) => JSON.parse(stdout) as { grewMB: number; keptMB: number });
    const untuned = await run(false);
    expect(untuned.grewMB).toBeGreaterThan(18);
    expect(untuned.keptMB).toBeGreaterThan(15);
    const tuned = await run(true);
    expect(tuned.grewMB).toBeGreaterThan(18);
    expect(tuned.keptMB).toBeLessThan(2);
  });

  it("reports false and changes nothing where the C library is not glibc", () => {
    expect(tuneMalloc(undefined, "libc-that-is-not-here.so.6")).toBe(false);
  });
});
