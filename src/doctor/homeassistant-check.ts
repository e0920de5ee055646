import type { Config } from "../config/schema.js";
import { type Clock, systemClock } from "../core/clock.js";
import { HearthError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import { connectionOptionsFromConfig, HomeAssistantConnection } from "../homeassistant/connection.js";
import { HomeAssistantHome } from "../homeassistant/home-sync.js";
import { Registry } from "../registry/registry.js";
import { type CheckResult, describeError, result } from "./check.js";

const ID = "homeassistant";
const NAME = "Home Assistant";

export interface HomeAssistantCheckOptions {
  logger: Logger;
  /** Longest wait for Home Assistant, in milliseconds. Default: startup_timeout_ms, at most 5000. */
  timeoutMs?: number | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  /** The config file's directory, against which relative file paths are resolved. Default: the working directory. */
  configDir?: string | undefined;
  /** Whose time the connection's and the registries' waits run on; default the system clock. */
  clock?: Clock | undefined;
}

/**
 * Connects to Home Assistant with the configured token, reads its registries as the daemon does and
 * says how many entities Hearth would hear of (those exposed to Assist, unless expose is all).
 */
export async function checkHomeAssistant(
  config: Config,
  options: HomeAssistantCheckOptions,
): Promise<CheckResult> {
  const ha = config.homeassistant;
  if (!ha) {
    return result(ID, NAME, true, "not configured: devices come from MQTT discovery and the config");
  }
  const timeoutMs = options.timeoutMs ?? Math.min(ha.startup_timeout_ms, 5000);
  const clock = options.clock ?? systemClock;
  let connection: HomeAssistantConnection;
  try {
    const base = await connectionOptionsFromConfig(ha, {
      logger: options.logger,
      configDir: options.configDir ?? process.cwd(),
      env: options.env,
    });
    connection = new HomeAssistantConnection({ ...base, startupTimeoutMs: timeoutMs, clock });
  } catch (err) {
    if (!(err instanceof HearthError)) throw err;
    return result(
      ID,
      NAME,
      false,
      describeError(err),
      "create a long-lived access token (your Home Assistant profile → Security) and put it in the file named by homeassistant.token_file, readable by Hearth's user, or in HEARTH_HA_TOKEN",
    );
  }
  const url = connection.url;
  const home = new HomeAssistantHome({
    connection,
    registry: new Registry(),
    exposeAll: ha.expose === "all",
    debounceMs: 0,
    logger: options.logger,
  });
  try {
    await connection.start();
    if (!connection.connected) {
      return result(
        ID,
        NAME,
        false,
        `${url} cannot be reached (HA_UNREACHABLE)`,
        `check that Home Assistant runs at ${url} (homeassistant.url), that no firewall blocks it, and for wss:// that homeassistant.tls.ca trusts its certificate`,
      );
    }
    home.start();
    const deadline = clock.timeout(timeoutMs, "reading Home Assistant's registries");
    const loaded = await Promise.race([
      home.loaded.then(() => true),
      new Promise<false>((resolve) =>
        deadline.addEventListener("abort", () => resolve(false), { once: true }),
      ),
    ]);
    const model = home.model;
    if (!loaded || !model) {
      const why = home.lastError === undefined ? "no answer in time" : describeHaError(home.lastError);
      return result(
        ID,
        NAME,
        false,
        `connected to ${url}, but its registries could not be read: ${why}`,
        "the token must belong to a Home Assistant administrator (reading the entity registry and the Assist exposure settings needs one)",
      );
    }
    const version = connection.haVersion ? ` (Home Assistant ${connection.haVersion})` : "";
    const exposed = model.entities.length;
    const what =
      ha.expose === "all"
        ? `${exposed} entities (expose: all)`
        : `${exposed} entities exposed to Assist, ${model.skipped.length} not`;
    const detail = `connected to ${url}${version}, token accepted; ${what}; ${model.areas.length} areas, ${model.floors.length} floors`;
    if (exposed === 0)
      return result(
        ID,
        NAME,
        "warn",
        detail,
        "expose entities to Assist in Home Assistant (Settings → Voice assistants → Expose), or set homeassistant.expose: all",
      );
    return result(ID, NAME, true, detail);
  } catch (err) {
    if (err instanceof HearthError && err.code === "HA_AUTH") {
      return result(
        ID,
        NAME,
        false,
        `${url} refused the access token (HA_AUTH)`,
        "create a new long-lived access token (your Home Assistant profile → Security) and put it where homeassistant.token_file points",
      );
    }
    if (!(err instanceof HearthError)) throw err;
    return result(ID, NAME, false, describeError(err));
  } finally {
    home.stop();
    await connection.stop();
  }
}

function describeHaError(err: unknown): string {
  if (typeof err === "object" && err !== null && "message" in err)
    return String((err as { message: unknown }).message);
  return String(err);
}
