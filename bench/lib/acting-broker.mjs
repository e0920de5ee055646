// An embedded broker, Hearth's MQTT connection and actuator on it, and an observer that notes when
// each device command arrives: what the speech benchmarks time "end of speech → publish" against.
// One setup, so the fixture-home loop and the per-home-size loop measure the same path.

import { performance } from "node:perf_hooks";
import { connectAsync } from "mqtt";
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
  const observer = await connectAsync(url, { clientId: `${ns}-observer` });
  let arrivals = [];
  observer.on("message", (topic) => {
    if (topic !== `${ns}/status`) arrivals.push(performance.now());
  });
  await observer.subscribeAsync(`${ns}/#`, { qos: 1 });
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
      await observer.endAsync(true);
      await connection.stop();
      await broker.stop();
    },
  };
}
