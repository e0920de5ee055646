import { EventEmitter } from "node:events";

/**
 * A typed event bus. The event map (name → payload) is declared once in `events.ts`;
 * audio never travels on the bus.
 */
export class EventBus<Events extends { [K in keyof Events]: object }> {
  readonly #emitter = new EventEmitter({ captureRejections: false });

  constructor() {
    this.#emitter.setMaxListeners(100);
  }

  on<K extends keyof Events & string>(event: K, listener: (payload: Events[K]) => void): () => void {
    this.#emitter.on(event, listener);
    return () => this.#emitter.off(event, listener);
  }

  once<K extends keyof Events & string>(event: K, listener: (payload: Events[K]) => void): () => void {
    this.#emitter.once(event, listener);
    return () => this.#emitter.off(event, listener);
  }

  emit<K extends keyof Events & string>(event: K, payload: Events[K]): void {
    this.#emitter.emit(event, payload);
  }

  removeAll(): void {
    this.#emitter.removeAllListeners();
  }
}
