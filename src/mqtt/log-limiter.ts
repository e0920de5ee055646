import type { Clock } from "../core/clock.js";
import { systemClock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";

/**
 * Logs what other clients on the broker cause (refused payloads, skipped discovery configs) without
 * letting them flood the log: each key (a topic and a reason, say) is logged once, and at most
 * `perWindow` lines per `windowMs` in all; what was held back is counted in the next line that is
 * written. Keys are forgotten oldest first beyond `maxKeys`, so memory stays bounded.
 */
export interface LogLimiterOptions {
  log: Logger;
  level: "info" | "warn";
  /** Lines per window at most; default 10. */
  perWindow?: number;
  /** The window, in milliseconds; default 60000. */
  windowMs?: number;
  /** Keys remembered at most; default 1000. */
  maxKeys?: number;
  clock?: Clock;
}

export class LogLimiter {
  readonly #o: Required<Omit<LogLimiterOptions, "clock">> & { clock: Clock };
  readonly #seen = new Set<string>();
  #windowStart = Number.NEGATIVE_INFINITY;
  #inWindow = 0;
  #held = 0;

  constructor(options: LogLimiterOptions) {
    this.#o = {
      perWindow: 10,
      windowMs: 60_000,
      maxKeys: 1000,
      clock: systemClock,
      ...options,
    };
  }

  /** Lines held back since the last one written. */
  get held(): number {
    return this.#held;
  }

  /**
   * Logs `message` with `fields` unless `key` was logged before or the window is full. Returns
   * whether it was written.
   */
  report(key: string, fields: Record<string, unknown>, message: string): boolean {
    if (this.#seen.has(key)) return false;
    const now = this.#o.clock.monotonic();
    if (now - this.#windowStart >= this.#o.windowMs) {
      this.#windowStart = now;
      this.#inWindow = 0;
    }
    if (this.#inWindow >= this.#o.perWindow) {
      // Not remembered: once the window is over, the same problem is reported after all.
      this.#held++;
      return false;
    }
    this.#inWindow++;
    this.#remember(key);
    const held = this.#held;
    this.#held = 0;
    this.#o.log[this.#o.level](held > 0 ? { ...fields, held } : fields, message);
    return true;
  }

  /** Forgets `key`, so a later problem with it is reported again (a config that was fixed, then broke). */
  forget(key: string): void {
    this.#seen.delete(key);
  }

  #remember(key: string): void {
    this.#seen.add(key);
    if (this.#seen.size > this.#o.maxKeys) {
      const oldest = this.#seen.values().next().value;
      if (oldest !== undefined) this.#seen.delete(oldest);
    }
  }
}
