import type { Logger } from "./logger.js";

type Listener<P> = (payload: P) => unknown;

export interface EventBusOptions {
  /** Where a listener that throws (or rejects) is reported, with the event it was handling. */
  log?: Logger | undefined;
}

/**
 * A typed event bus. The event map (name → payload) is declared once in `events.ts`;
 * audio never travels on the bus.
 *
 * Each listener is guarded: one that throws, or returns a promise that rejects, is logged with the
 * event's name (and its runId and siteId when it has them) and the others still hear the event. The
 * emitter is never the one to suffer: a listener's bug must not end the run that emitted the event.
 */
export class EventBus<Events extends { [K in keyof Events]: object }> {
  readonly #listeners = new Map<string, Array<Listener<never>>>();
  readonly #log: Logger | undefined;

  constructor(options: EventBusOptions = {}) {
    this.#log = options.log;
  }

  on<K extends keyof Events & string>(event: K, listener: (payload: Events[K]) => unknown): () => void {
    const list = this.#listeners.get(event) ?? [];
    list.push(listener as Listener<never>);
    this.#listeners.set(event, list);
    return () => this.#remove(event, listener as Listener<never>);
  }

  once<K extends keyof Events & string>(event: K, listener: (payload: Events[K]) => unknown): () => void {
    const off = this.on(event, (payload) => {
      off();
      return listener(payload);
    });
    return off;
  }

  emit<K extends keyof Events & string>(event: K, payload: Events[K]): void {
    // A copy: a listener may remove itself (once) or others while the event is delivered.
    const list = [...(this.#listeners.get(event) ?? [])] as Array<Listener<Events[K]>>;
    for (const listener of list) {
      try {
        const result = listener(payload);
        if (isPromiseLike(result))
          result.then(undefined, (err: unknown) => this.#failed(event, payload, err));
      } catch (err) {
        this.#failed(event, payload, err);
      }
    }
  }

  /** How many listeners an event has (for tests of who subscribed and who cleaned up). */
  listenerCount(event: keyof Events & string): number {
    return this.#listeners.get(event)?.length ?? 0;
  }

  removeAll(): void {
    this.#listeners.clear();
  }

  #remove(event: string, listener: Listener<never>): void {
    const list = this.#listeners.get(event);
    const i = list?.indexOf(listener) ?? -1;
    if (list && i >= 0) list.splice(i, 1);
  }

  #failed(event: string, payload: object, err: unknown): void {
    // Only the run's identity: payloads may carry transcripts, which are never logged here.
    const { runId, siteId } = payload as { runId?: unknown; siteId?: unknown };
    if (this.#log) this.#log.error({ err, event, runId, siteId }, "event listener failed");
    // A bus built without a logger (a test, a tool) still says so, on stderr, without crashing.
    else
      process.emitWarning(`event listener failed on ${event}: ${String(err)}`, { code: "HEARTH_LISTENER" });
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function"
  );
}
