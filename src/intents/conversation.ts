import type { Clock } from "../core/clock.js";
import type { RecognizedIntent } from "./types.js";

/** What was acted on last, for "turn it off", "make it brighter", "and the bedroom too". */
export interface Recollection {
  intent: RecognizedIntent;
  /** Entity ids acted on, sorted. */
  targets: string[];
  /** Area id of the request or of the targets. */
  areaId?: string | undefined;
}

/**
 * A short memory per place a request comes from (a satellite's area), forgotten after `windowMs`:
 * a follow-up minutes later should not switch something the user has forgotten about.
 */
export class Conversation {
  readonly #memory = new Map<string, { at: number; last: Recollection }>();

  constructor(
    readonly clock: Clock,
    readonly windowMs: number,
  ) {}

  remember(key: string, last: Recollection): void {
    if (this.windowMs <= 0) return;
    this.#memory.set(key, { at: this.clock.monotonic(), last });
  }

  recall(key: string): Recollection | undefined {
    const entry = this.#memory.get(key);
    if (!entry) return undefined;
    if (this.clock.monotonic() - entry.at > this.windowMs) {
      this.#memory.delete(key);
      return undefined;
    }
    return entry.last;
  }

  forget(key: string): void {
    this.#memory.delete(key);
  }
}
