import type { Config } from "../config/schema.js";
import type { Clock } from "../core/clock.js";
import { HearthError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import { connectionOptionsFromConfig, MqttConnection } from "../mqtt/client.js";
import { type CheckResult, describeError, result } from "./check.js";

const ID = "broker";
const NAME = "MQTT broker";

export interface BrokerCheckOptions {
  logger: Logger;
  /** Longest wait for the broker, in milliseconds. Default: mqtt.startup_timeout_ms, at most 5000. */
  timeoutMs?: number | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  /** The config file's directory, against which relative file paths are resolved. Default: the working directory. */
  configDir?: string | undefined;
  /** Whose time the wait runs on; default the system clock. */
  clock?: Clock | undefined;
}

/**
 * Connects to the configured broker with the configured credentials and TLS settings, and
 * disconnects. Without `mqtt.url` the daemon starts its own embedded broker, which needs nothing
 * from the machine, so that passes as it is.
 *
 * The connection uses a client id of its own (a broker disconnects the older of two clients with
 * the same id, which would be the running daemon) and the same CLI status topic as `hearth devices`,
 * so the daemon's availability is never touched.
 */
export async function checkBroker(config: Config, options: BrokerCheckOptions): Promise<CheckResult> {
  const { mqtt, site } = config;
  if (mqtt.url === undefined) {
    return result(
      ID,
      NAME,
      true,
      `no mqtt.url: Hearth starts its own embedded broker on 127.0.0.1:${mqtt.embedded_port} (or the next free port), reachable from this machine only`,
    );
  }
  let connection: MqttConnection;
  let password: string | undefined;
  try {
    const base = await connectionOptionsFromConfig(mqtt, {
      url: mqtt.url,
      siteId: site.id,
      statusTopic: `${mqtt.base_topic}/${site.id}/cli/status`,
      logger: options.logger,
      configDir: options.configDir ?? process.cwd(),
      ...(options.env ? { env: options.env } : {}),
    });
    password = base.password;
    connection = new MqttConnection({
      ...base,
      clientId: `${base.clientId}-doctor-${process.pid}`.slice(0, 64),
      // A one-off check: the broker keeps nothing for it after it leaves.
      sessionExpirySeconds: 0,
      startupTimeoutMs: options.timeoutMs ?? Math.min(mqtt.startup_timeout_ms, 5000),
      clock: options.clock,
    });
  } catch (err) {
    if (!(err instanceof HearthError)) throw err;
    return result(
      ID,
      NAME,
      false,
      describeError(err),
      "make the files named in mqtt.password_file and mqtt.tls readable by Hearth's user, or correct their paths",
    );
  }
  const url = connection.url;
  if (password !== undefined && mqtt.username === undefined) {
    // MQTT 3.1.1 (what Hearth speaks) forbids a password without a user name; brokers drop the
    // connection without saying why, which would otherwise read as "cannot reach".
    return result(
      ID,
      NAME,
      false,
      `a broker password is set (${passwordSource(mqtt)}) but mqtt.username is not`,
      "set mqtt.username, or remove the password",
    );
  }
  try {
    await connection.start();
  } catch (err) {
    if (!(err instanceof HearthError)) throw err;
    if (err.code === "BROKER_AUTH") {
      return result(
        ID,
        NAME,
        false,
        `${url} refused the credentials${mqtt.username ? ` of user "${mqtt.username}"` : " (no user name is configured)"}`,
        "set mqtt.username and the password (mqtt.password_file, or HEARTH_MQTT_PASSWORD in the service's environment file) to an account the broker knows",
      );
    }
    return result(
      ID,
      NAME,
      false,
      describeError(err),
      `check that the broker runs and listens at ${url} (mqtt.url), that no firewall blocks it, and for mqtts:// that mqtt.tls.ca trusts its certificate`,
    );
  } finally {
    await connection.stop();
  }
  const who = mqtt.username ? ` as "${mqtt.username}"` : " (anonymous)";
  return result(ID, NAME, true, `connected to ${url}${who}`);
}

/** Where connectionOptionsFromConfig took the password from, in its order. */
function passwordSource(mqtt: Config["mqtt"]): string {
  if (mqtt.password_file !== undefined) return "mqtt.password_file";
  if (mqtt.password !== undefined) return "mqtt.password";
  return "the HEARTH_MQTT_PASSWORD environment variable";
}
