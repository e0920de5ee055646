import { createRequire } from "node:module";
import type { IdleHeapTrim } from "./heap.js";

/** glibc's `mallopt` parameters (malloc.h). */
const M_TRIM_THRESHOLD = -1;
const M_MMAP_THRESHOLD = -3;
const M_ARENA_MAX = -8;

/** How {@link tuneMalloc} sets glibc's allocator. */
export interface MallocTuning {
  /** Most malloc arenas; each thread that allocates gets its own until this many exist. */
  arenaMax: number;
  /** Blocks at least this large (bytes) are mapped on their own and unmapped when freed. */
  mmapThreshold: number;
  /** Free memory at the top of a heap beyond this (bytes) goes back to the system at once. */
  trimThreshold: number;
}

/**
 * Hearth's allocator settings: two arenas (what `MALLOC_ARENA_MAX=2` gave, now set by every way
 * of starting), blocks from 512 KB mapped on their own, at most 1 MB kept free at a heap's top.
 * 512 KB and not glibc's initial 128 KB: the idle daemon's wake-word and VAD inferences allocate and
 * free blocks of 220–300 KB some 30 times a second, which at 128 KB became a mapping and an
 * unmapping each (900 system calls in 10 s, 2.5 times the idle CPU time).
 */
export const HEARTH_MALLOC: Readonly<MallocTuning> = {
  arenaMax: 2,
  mmapThreshold: 512 * 1024,
  trimThreshold: 1024 * 1024,
};

/**
 * Sets glibc's allocator for a long-running daemon, through koffi's `mallopt`. Call it once, first
 * thing, before any native engine loads (arenas already created stay).
 *
 * Why the arena limit: glibc gives each thread that allocates (libuv's workers, ONNX Runtime's
 * threads) an arena of its own, up to eight per core, and each keeps the memory freed in it.
 *
 * Why fixed thresholds: glibc's thresholds move by themselves. Freeing a mapped block (one above
 * the threshold, 128 KB at first) raises the mapping threshold to that block's size, up to 32 MB,
 * and the trim threshold to twice that: after a model load or a search build freed a large buffer,
 * later blocks of up to that size come from the heap, and up to 64 MB of free memory at the heap's
 * top is kept for good. Setting the thresholds turns the moving off (mallopt(3)); in the idle
 * daemon malloc's main heap stood at 71–73 MB with them against 76–80 MB without
 * (npm run bench -- memory). Free holes lower in the heap are {@link IdleHeapTrim}'s part.
 *
 * Returns whether it ran: not where koffi or glibc is missing (`library` names the C library,
 * default glibc's).
 */
export function tuneMalloc(tuning: Readonly<MallocTuning> = HEARTH_MALLOC, library = "libc.so.6"): boolean {
  try {
    const koffi = createRequire(import.meta.url)("koffi") as typeof import("koffi");
    const mallopt = koffi.load(library).func("int mallopt(int param, int value)") as (
      p: number,
      v: number,
    ) => number;
    // mallopt returns 1 on success, 0 on error.
    return (
      mallopt(M_ARENA_MAX, tuning.arenaMax) === 1 &&
      mallopt(M_MMAP_THRESHOLD, tuning.mmapThreshold) === 1 &&
      mallopt(M_TRIM_THRESHOLD, tuning.trimThreshold) === 1
    );
  } catch {
    return false;
  }
}
