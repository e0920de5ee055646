import { connectAsync, type MqttClient } from "mqtt";
import { afterAll, afterEach, beforeAll } from "vitest";
import type { Registry } from "../../src/registry/registry.js";
import { type Harness, type HarnessOptions, Inbox, makeHarness, unique } from "../mqtt/harness.js";
import { type Mosquitto, startMosquitto } from "./mosquitto.js";

/** What {@link observedBroker} gives a suite; its fields are set once the suite's beforeAll has run. */
export interface ObservedBroker<B extends { url: string }> {
  readonly broker: B;
  readonly url: string;
  /** A client of the test's own, subscribed to nothing yet; everything it receives goes to `inbox`. */
  readonly observer: MqttClient;
  readonly inbox: Inbox;
  /** A Hearth on this broker (started when `start` is set), stopped after the test. */
  hearth(options?: Omit<HarnessOptions, "url">, start?: { start: boolean }): Promise<Harness>;
  /** Hands `h` over to the test, which stops it itself (to see what a stop does). */
  forget(h: Harness): void;
}

/**
 * The set-up the MQTT suites share: a broker for the suite (a Mosquitto of its own on a free port
 * by default), an observer client with its inbox, and the Hearths each test makes, stopped after
 * it even when it fails. Call it inside `describe`: it registers the hooks.
 */
export function observedBroker(): ObservedBroker<Mosquitto>;
export function observedBroker<B extends { url: string }>(
  start: () => Promise<B>,
  stop: (broker: B) => Promise<void>,
): ObservedBroker<B>;
export function observedBroker<B extends { url: string }>(
  start?: () => Promise<B>,
  stop?: (broker: B) => Promise<void>,
): ObservedBroker<B> {
  const startBroker = start ?? (startMosquitto as unknown as () => Promise<B>);
  const stopBroker = stop ?? ((b: B) => (b as unknown as Mosquitto).dispose());
  let broker: B | undefined;
  let observer: MqttClient | undefined;
  let inbox: Inbox | undefined;
  const harnesses: Harness[] = [];
  beforeAll(async () => {
    broker = await startBroker();
    observer = await connectAsync(broker.url, { clientId: unique("observer") });
    inbox = new Inbox(observer);
  });
  afterAll(async () => {
    await observer?.endAsync(true);
    if (broker) await stopBroker(broker);
  });
  afterEach(async () => {
    for (const h of harnesses.splice(0)) await h.stop();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the broker is not started yet (use it inside a test)");
    return value;
  };
  return {
    get broker() {
      return ready(broker);
    },
    get url() {
      return ready(broker).url;
    },
    get observer() {
      return ready(observer);
    },
    get inbox() {
      return ready(inbox);
    },
    async hearth(options = {}, start = { start: false }) {
      const h = await makeHarness({ ...options, url: ready(broker).url });
      harnesses.push(h);
      if (start.start) await h.start();
      return h;
    },
    forget(h) {
      const at = harnesses.indexOf(h);
      if (at >= 0) harnesses.splice(at, 1);
    },
  };
}

/** Resolves once `check` holds, re-checked on every registry change. */
export function registryUntil(registry: Registry, check: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (check()) return resolve();
    const off = registry.onChange(() => {
      if (check()) {
        off();
        resolve();
      }
    });
  });
}
