import { createRequire } from "node:module";

/**
 * Hands the garbage of a burst of work back to the system: a full collection of the JavaScript
 * heap, then glibc's `malloc_trim(0)`, when the process runs with `--expose-gc` (as `npm start` and
 * the service run the daemon).
 *
 * Why the collection: start-up and each speech-grammar build allocate tens of MB that are garbage a
 * moment later (the sentence templates compiled, the grammar's unmerged automaton). V8 grows its
 * old space for them and collects it only when later allocation pushes it to its next limit, which
 * an idle daemon never does, so the empty heap stayed in its RSS (npm run bench -- memory).
 *
 * Why the trim: what native code frees (pocketsphinx building a search, ONNX Runtime loading a
 * model, V8's compilers' scratch) lies between blocks that stay, so glibc can only shrink its heap
 * from the top and kept the free pages below: 5–10 MB in an idle daemon, and tens of MB after a
 * start that built a search while another was still held. `malloc_trim(0)` returns the free pages
 * of every arena (madvise), whatever their place.
 *
 * These moments are rare (after start, after each grammar load, after the warm-up), and each costs
 * tens of milliseconds. Returns whether anything ran: without the flag nothing does (`hearth` run
 * by hand, tests).
 */
export function releaseGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== "function") return false;
  gc();
  trimMallocHeaps();
  return true;
}

/**
 * glibc's `malloc_trim(0)` through koffi (already a dependency, for pocketsphinx). Returns whether
 * it ran: not where koffi or glibc is missing (musl keeps no such free pages).
 */
export function trimMallocHeaps(): boolean {
  try {
    const koffi = createRequire(import.meta.url)("koffi") as typeof import("koffi");
    const trim = koffi.load("libc.so.6").func("int malloc_trim(size_t pad)") as (pad: number) => number;
    trim(0);
    return true;
  } catch {
    return false;
  }
}
