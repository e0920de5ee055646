import { createRequire } from "node:module";
import type { Clock } from "./clock.js";

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

/** What {@link IdleHeapTrim} needs: the clock its timer runs on, and the trim to run. */
export interface IdleHeapTrimOptions {
  clock: Clock;
  /** Milliseconds between trims; default {@link IDLE_TRIM_INTERVAL_MS}. */
  intervalMs?: number | undefined;
  /** The trim; default {@link trimMallocHeaps}. */
  trim?: (() => boolean) | undefined;
}

/** One minute: the idle daemon's heap, trimmed, regrows by a few MB at most in that time. */
export const IDLE_TRIM_INTERVAL_MS = 60_000;

/**
 * Runs glibc's `malloc_trim(0)` once an interval has passed with nothing heard or done.
 *
 * Why: the idle daemon still runs its wake word and VAD on every frame, and their buffers of a
 * few hundred KB come and go in malloc's heap between blocks that stay; in some starts the heap
 * grew by 20–80 MB of such free holes after the last trim of start-up (npm run bench -- memory:
 * RSS 202–265 MB instead of 185), which only a trim hands back. A trim costs a few milliseconds,
 * so it waits for an interval without a run (`noteActivity` on each run's events), and never runs
 * in the middle of one.
 */
export class IdleHeapTrim {
  readonly #clock: Clock;
  readonly #intervalMs: number;
  readonly #trim: () => boolean;
  #timer: AbortSignal | undefined;
  #active = false;

  constructor(options: IdleHeapTrimOptions) {
    this.#clock = options.clock;
    this.#intervalMs = options.intervalMs ?? IDLE_TRIM_INTERVAL_MS;
    this.#trim = options.trim ?? trimMallocHeaps;
  }

  /** Starts the timer; idempotent. */
  start(): void {
    if (this.#timer) return;
    this.#arm();
  }

  /** Something was heard or done: the next trim waits for an interval without activity. */
  noteActivity(): void {
    this.#active = true;
  }

  /** Stops the timer; idempotent. */
  stop(): void {
    const timer = this.#timer;
    this.#timer = undefined;
    timer?.removeEventListener("abort", this.#tick);
  }

  #arm(): void {
    const timer = this.#clock.timeout(this.#intervalMs, "idle heap trim");
    this.#timer = timer;
    timer.addEventListener("abort", this.#tick, { once: true });
  }

  readonly #tick = (): void => {
    if (!this.#timer) return;
    if (!this.#active) this.#trim();
    this.#active = false;
    this.#arm();
  };
}
