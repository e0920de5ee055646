import { type IStore, Store } from "mqtt";
import type { Packet } from "mqtt-packet";
import type { Clock } from "../core/clock.js";

/**
 * MQTT.js's outgoing store (its extension point for unacknowledged QoS 1 messages), with a deadline
 * per message: a message past its deadline is refused when it would be stored, left out when the
 * store is replayed after a reconnect, and never reaches the broker late. A command that switches a
 * light a minute after the user was told it failed is worse than the failure.
 *
 * MQTT.js keeps unacknowledged messages here and sends them again on every reconnect (with a
 * persistent session, as MQTT requires), so dropping expired ones here is all it takes.
 */
export interface ExpiringStoreOptions {
  clock: Clock;
  /**
   * The deadline (clock.monotonic() milliseconds) of a message MQTT.js is about to store, or
   * undefined for one that may wait indefinitely. Called once per message, in publish order.
   */
  deadlineOf(packet: Packet & { messageId?: number }): number | undefined;
  /** Told which stored messages a reconnect sends again. */
  onResend?: ((messageId: number) => void) | undefined;
}

/** The error a message past its deadline is refused with. */
export const EXPIRED = "message expired before the broker had it";

export class ExpiringStore extends Store implements IStore {
  readonly #o: ExpiringStoreOptions;
  readonly #deadlines = new Map<number, number>();

  constructor(options: ExpiringStoreOptions) {
    // Kept across close(): the client is recreated (a broker that speaks MQTT 3.1.1 only) with this store.
    super({ clean: false });
    this.#o = options;
  }

  override put(packet: Packet, cb: (error?: Error) => void): this {
    const id = (packet as { messageId?: number }).messageId;
    const deadline = this.#o.deadlineOf(packet);
    if (deadline !== undefined && this.#o.clock.monotonic() >= deadline) {
      // MQTT.js neither writes nor keeps a packet whose store put fails.
      cb(new Error(EXPIRED));
      return this;
    }
    if (id !== undefined) this.#deadlines.set(id, deadline ?? Number.POSITIVE_INFINITY);
    return super.put(packet, cb);
  }

  override del(packet: Pick<Packet, "messageId">, cb: (error?: Error, packet?: Packet) => void): this {
    if (packet.messageId !== undefined) this.#deadlines.delete(packet.messageId);
    return super.del(packet, cb);
  }

  /** The replay after a reconnect: only what is still within its deadline. */
  override createStream(): ReturnType<Store["createStream"]> {
    const now = this.#o.clock.monotonic();
    for (const [id, deadline] of [...this.#deadlines]) {
      if (now < deadline) continue;
      this.#deadlines.delete(id);
      super.del({ messageId: id }, () => {});
    }
    for (const id of this.#deadlines.keys()) this.#o.onResend?.(id);
    return super.createStream();
  }
}
