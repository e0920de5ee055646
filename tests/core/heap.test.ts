import { readFileSync } from "node:fs";
import koffi from "koffi";
import { afterEach, describe, expect, it } from "vitest";
import { releaseGarbage, trimMallocHeaps } from "../../src/core/heap.js";

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
    for (let i = 0; i < 20_000; i++) {
      const block = malloc(4096);
      // Touched, so each page is resident.
      koffi.encode(block, 0, koffi.array("uint8_t", 4096), new Uint8Array(4096).fill(1));
      blocks.push(block);
    }
    const kept = blocks.filter((_, i) => i % 10 === 9);
    blocks.forEach((block, i) => {
      if (i % 10 !== 9) free(block);
    });
    const held = rssAnonMB();
    global.gc = () => {};
    expect(releaseGarbage()).toBe(true);
    // 18 000 freed blocks of 4 KB: about 70 MB that stayed resident until the trim.
    expect(held - rssAnonMB()).toBeGreaterThan(40);
    for (const block of kept) free(block);
  });
});

describe("trimMallocHeaps", () => {
  it("runs glibc's malloc_trim on this Debian/glibc system", () => {
    expect(trimMallocHeaps()).toBe(true);
  });
});
