/** Time as the rest of Hearth sees it; tests inject a fixed clock. */
export interface Clock {
  now(): Date;
  /** Monotonic milliseconds for measuring durations. */
  monotonic(): number;
}

export const systemClock: Clock = {
  now: () => new Date(),
  monotonic: () => performance.now(),
};

/** A clock frozen at `at` (monotonic time still advances so durations stay meaningful). */
export function fixedClock(at: Date): Clock {
  return { now: () => new Date(at.getTime()), monotonic: () => performance.now() };
}
