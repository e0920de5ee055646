// An embedded broker, Hearth's MQTT connection and actuator on it, and an observer that notes when
// each device command arrives: what the speech benchmarks time "end of speech → publish" against.
// One setup, so the fixture-home loop and the per-home-size loop measure the same path.
//
// The observer stands for the device: it runs on a worker thread, off Hearth's event loop, as a
// device is its own process. On Hearth's own event loop it would read a command only when Hearth
// let it (after the reply's synthesiser was spawned, for one), which no device waits for.

import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import { MqttActuator } from "../../dist/mqtt/actuator.js";
import { MqttConnection } from "../../dist/mqtt/client.js";
import { EmbeddedBroker } from "../../dist/mqtt/embedded-broker.js";

const GRACE_MS = 3000;

/**
 * Starts the broker, gives every device of `registry` the command topics discovery would (under
 * `ns`; configured and generated devices have none), and connects Hearth and the observer.
 * @param {{ registry: any, ns: string, log: any }} options
 */
export async function startActingBroker({ registry, ns, log }) {
  const broker = new EmbeddedBroker({ port: 0, logger: log });
  const url = await broker.start();
  registry.batch(() => {
    for (const entity of registry.entities()) {
      const base = `${ns}/${entity.id}`;
      registry.upsertEntity({
        ...entity,
        mqtt: {
          command_topic: `${base}/set`,
          temperature_command_topic: `${base}/temperature/set`,
          set_position_topic: `${base}/position/set`,
          brightness_command_topic: `${base}/brightness/set`,
          volume_command_topic: `${base}/volume/set`,
        },
      });
    }
  });
  const connection = new MqttConnection({
    url,
    clientId: `${ns}-hearth`,
    statusTopic: `${ns}/status`,
    commandGraceMs: GRACE_MS,
    startupTimeoutMs: 10_000,
    logger: log,
  });
  await connection.start();
  const observer = new Worker(OBSERVER, { workerData: { url, ns } });
  let arrivals = [];
  // Arrivals come as absolute times (timeOrigin + now: a worker's performance.now() counts from its
  // own start); they are turned back into this thread's performance.now().
  observer.on("message", (message) => {
    if (message.arrived !== undefined) arrivals.push(message.arrived - performance.timeOrigin);
  });
  await new Promise((resolve, reject) => {
    observer.once("error", reject);
    observer.on("message", (message) => {
      if (message.subscribed) resolve();
    });
  });
  return {
    actuator: new MqttActuator({ connection, registry, graceMs: GRACE_MS, log }),
    /** Forgets earlier arrivals: call before each run. */
    reset() {
      arrivals = [];
    },
    /**
     * When (performance.now()) the run's first command reached the observer, waiting up to 1 s
     * for it to cross the broker; undefined if none came.
     */
    async firstArrival() {
      for (let i = 0; i < 100 && arrivals.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      return arrivals[0];
    },
    async stop() {
      await observer.terminate();
      await connection.stop();
      await broker.stop();
    },
  };
}

/** The observer's code: connects, subscribes to every device topic, posts each arrival's time. */
const OBSERVER = new URL(
  `data:text/javascript,${encodeURIComponent(`
import { parentPort, workerData } from "node:worker_threads";
import { performance } from "node:perf_hooks";
import { connectAsync } from ${JSON.stringify(import.meta.resolve("mqtt"))};
const { url, ns } = workerData;
const client = await connectAsync(url, { clientId: ns + "-observer" });
client.on("message", (topic) => {
  if (topic !== ns + "/status") parentPort.postMessage({ arrived: performance.timeOrigin + performance.now() });
});
await client.subscribeAsync(ns + "/#", { qos: 1 });
parentPort.postMessage({ subscribed: true });
`)}`,
);
