import { type Clock, deadlineExceeded } from "../../src/core/clock.js";

/**
 * A clock the test moves by hand: `advance(ms)` moves wall and monotonic time together and fires
 * every timeout that falls due, in order. Nothing else moves it, so a test's outcome never depends
 * on how fast the machine is.
 */
export class ManualClock implements Clock {
  #ms: number;
  readonly #wallStart: number;
  readonly #timeouts: Array<{
    at: number;
    ms: number;
    what: string | undefined;
    controller: AbortController;
  }> = [];

  constructor(start = new Date(Date.UTC(2024, 0, 1, 12))) {
    this.#wallStart = start.getTime();
    this.#ms = 0;
  }

  now(): Date {
    return new Date(this.#wallStart + this.#ms);
  }

  monotonic(): number {
    return this.#ms;
  }

  timeout(ms: number, what?: string): AbortSignal {
    const controller = new AbortController();
    this.#timeouts.push({ at: this.#ms + ms, ms, what, controller });
    return controller.signal;
  }

  /** The deadlines still pending, in milliseconds from now (for asserting what was armed). */
  get pending(): number[] {
    return this.#timeouts.map((t) => t.at - this.#ms).sort((a, b) => a - b);
  }

  /** Moves time on by `ms` and aborts every timeout that is now due, earliest first. */
  advance(ms: number): void {
    this.#ms += ms;
    const due = this.#timeouts.filter((t) => t.at <= this.#ms).sort((a, b) => a.at - b.at);
    for (const t of due) {
      this.#timeouts.splice(this.#timeouts.indexOf(t), 1);
      t.controller.abort(deadlineExceeded(t.ms, t.what));
    }
  }
}
