import { readFileSync } from "node:fs";
import koffi from "koffi";
import { afterEach, describe, expect, it } from "vitest";
import { IDLE_TRIM_INTERVAL_MS, IdleHeapTrim, releaseGarbage, trimMallocHeaps } from "../../src/core/heap.js";
import { ManualClock } from "../helpers/manual-clock.js";

const global = globalThis as { gc?: () => void };
const original = global.gc;

afterEach(() => {
  if (original === undefined) delete global.gc;
  else global.gc = original;
});

/** This process's resident anonymous memory (heaps, malloc), in MB. */
function rssAnonMB(): number {
  const status = readFileSync("/proc/self/status", "utf8");
  return Number(/^RssAnon:\s+(\d+) kB/m.exec(status)?.[1]) / 1024;
}

describe("releaseGarbage", () => {
  it("runs a full collection when node runs with --expose-gc", () => {
    let collections = 0;
    global.gc = () => {
      collections++;
    };
    expect(releaseGarbage()).toBe(true);
    expect(collections).toBe(1);
  });

  it("does nothing when the collector is not exposed (hearth run by hand)", () => {
    delete global.gc;
    expect(releaseGarbage()).toBe(false);
  });

  it("hands back the free pages native code left between blocks still in use", () => {
    // What a search build does to malloc's heap: many small blocks, most freed, some kept, so
    // the free ones lie below live ones and glibc cannot shrink the heap from its top.
    const libc = koffi.load("libc.so.6");
    const malloc = libc.func("void *malloc(size_t size)");
    const free = libc.func("void free(void *ptr)");
    const blocks: unknown[] = [];
    // Blocks of 32 KB (below malloc's mapping threshold): each freed one holds whole pages even
    // where the allocations of the JavaScript around the calls land between them; 4 KB blocks
    // interleaved with those handed back 33–38 MB of their 70, varying from run to run.
    for (let i = 0; i < 2_000; i++) {
      const block = malloc(32_768);
      // Touched, so each page is resident.
      koffi.encode(block, 0, koffi.array("uint8_t", 32_768), new Uint8Array(32_768).fill(1));
      blocks.push(block);
    }
    const kept = blocks.filter((_, i) => i % 10 === 9);
    blocks.forEach((block, i) => {
      if (i % 10 !== 9) free(block);
    });
    const held = rssAnonMB();
    global.gc = () => {};
    expect(releaseGarbage()).toBe(true);
    // 1 800 freed blocks of 32 KB: about 56 MB that stayed resident until the trim.
    expect(held - rssAnonMB()).toBeGreaterThan(40);
    for (const block of kept) free(block);
  });
});

describe("trimMallocHeaps", () => {
  it("runs glibc's malloc_trim on this Debian/glibc system", () => {
    expect(trimMallocHeaps()).toBe(true);
  });
});

describe("IdleHeapTrim", () => {
  function started(): { clock: ManualClock; idle: IdleHeapTrim; trims: () => number } {
    const clock = new ManualClock();
    let trims = 0;
    const idle = new IdleHeapTrim({
      clock,
      trim: () => {
        trims++;
        return true;
      },
    });
    idle.start();
    return { clock, idle, trims: () => trims };
  }

  it("trims malloc's heaps once a minute while nothing happens", () => {
    const { clock, trims } = started();
    clock.advance(IDLE_TRIM_INTERVAL_MS - 1);
    expect(trims()).toBe(0);
    clock.advance(1);
    expect(trims()).toBe(1);
    clock.advance(IDLE_TRIM_INTERVAL_MS);
    clock.advance(IDLE_TRIM_INTERVAL_MS);
    expect(trims()).toBe(3);
  });

  it("waits for a whole minute without a run before trimming", () => {
    const { clock, idle, trims } = started();
    clock.advance(30_000);
    idle.noteActivity();
    clock.advance(30_000);
    expect(trims()).toBe(0);
    clock.advance(IDLE_TRIM_INTERVAL_MS);
    expect(trims()).toBe(1);
  });

  it("trims no more once stopped, and starts once however often it is started", () => {
    const { clock, idle, trims } = started();
    idle.start();
    clock.advance(IDLE_TRIM_INTERVAL_MS);
    expect(trims()).toBe(1);
    idle.stop();
    idle.stop();
    clock.advance(IDLE_TRIM_INTERVAL_MS);
    clock.advance(IDLE_TRIM_INTERVAL_MS);
    expect(trims()).toBe(1);
  });
});
