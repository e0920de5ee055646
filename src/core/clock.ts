import { HearthError } from "./errors.js";

/**
 * Time as the rest of Hearth sees it: the wall clock, a monotonic clock for durations, and the
 * deadlines. Every deadline and timeout in Hearth comes from `timeout()`, never from
 * `AbortSignal.timeout` or `setTimeout` directly, so tests move time by hand instead of depending on
 * how fast the machine is.
 */
export interface Clock {
  now(): Date;
  /** Monotonic milliseconds for measuring durations. */
  monotonic(): number;
  /**
   * A signal that aborts once `ms` milliseconds have passed, its reason a HearthError
   * `DEADLINE_EXCEEDED` naming what missed it. Like `AbortSignal.timeout`, it keeps nothing alive.
   */
  timeout(ms: number, what?: string): AbortSignal;
}

/** The reason a clock's timeout signal aborts with. */
export function deadlineExceeded(ms: number, what = "the operation"): HearthError {
  return new HearthError("DEADLINE_EXCEEDED", `${what} did not finish within ${ms} ms`);
}

/** Whether an error (or abort reason) is a missed deadline rather than a cancellation. */
export function isDeadlineExceeded(err: unknown): err is HearthError {
  return err instanceof HearthError && err.code === "DEADLINE_EXCEEDED";
}

export const systemClock: Clock = {
  now: () => new Date(),
  monotonic: () => performance.now(),
  timeout(ms, what) {
    const controller = new AbortController();
    // unref: a pending deadline must not keep the process alive, as with AbortSignal.timeout.
    setTimeout(() => controller.abort(deadlineExceeded(ms, what)), ms).unref();
    return controller.signal;
  },
};

/** A clock frozen at `at` (monotonic time and deadlines still run, so durations stay meaningful). */
export function fixedClock(at: Date): Clock {
  return { ...systemClock, now: () => new Date(at.getTime()) };
}
