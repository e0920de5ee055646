import type { Command } from "commander";
import { DEFAULT_CONFIG_PATH, loadConfig } from "../../config/loader.js";
import type { Config, HomeAssistantConfig } from "../../config/schema.js";
import { type Clock, systemClock } from "../../core/clock.js";
import { EXIT, HearthError } from "../../core/errors.js";
import { createLogger, type Logger } from "../../core/logger.js";
import {
  HomeAssistantConnection,
  connectionOptionsFromConfig as haConnectionOptions,
} from "../../homeassistant/connection.js";
import { HomeAssistantHome } from "../../homeassistant/home-sync.js";
import { connectionOptionsFromConfig, MqttConnection } from "../../mqtt/client.js";
import { DiscoveredDevices } from "../../mqtt/ha/discovered-devices.js";
import { isHearthDiscoveryTopic } from "../../mqtt/ha/self-discovery.js";
import { registryFromConfig } from "../../registry/from-config.js";
import type { Registry } from "../../registry/registry.js";
import type { Entity } from "../../registry/types.js";
import { resolveConfigPath } from "./check-config.js";

/** Without --wait: stop once no discovery config arrived for this long (milliseconds)… */
export const QUIET_MS = 700;
/** …or after this long at most. */
const MAX_WAIT_MS = 15_000;

/** How a device is commanded: its command topics and payload schema. */
export interface CommandDescription {
  /** The main command topic (command_topic, or the first *_command_topic). */
  topic?: string | undefined;
  /** Every topic Hearth may publish commands to. */
  topics: string[];
  /** Light payload schema (`default`, `json`, `template`); absent for other domains. */
  schema?: string | undefined;
  /** Commanded through Home Assistant's service calls rather than MQTT topics. */
  via?: "homeassistant" | undefined;
}

/** One learned device, as `hearth devices --json` prints it. */
export interface DeviceRow {
  id: string;
  name: string;
  area?: string | undefined;
  domain: string;
  deviceClass?: string | undefined;
  unit?: string | undefined;
  state?: string | undefined;
  /** Where it was learned: config, discovery (MQTT) or homeassistant. */
  source: string;
  /** Other sources that describe the same device (an MQTT discovery config Home Assistant also carries). */
  alsoFrom?: string[] | undefined;
  command: CommandDescription;
  stateTopic?: string | undefined;
}

/** Reads the command topics out of an entity's expanded discovery config. */
export function describeCommand(entity: Entity): CommandDescription {
  if (entity.source === "homeassistant") return { topics: [], via: "homeassistant" };
  const config = entity.mqtt ?? {};
  const topics = Object.entries(config)
    .filter(
      ([key, value]) =>
        typeof value === "string" && (key.endsWith("command_topic") || key === "set_position_topic"),
    )
    .sort(([a], [b]) => (a === "command_topic" ? -1 : b === "command_topic" ? 1 : a.localeCompare(b)))
    .map(([, value]) => value as string);
  const unique = [...new Set(topics)];
  const schema =
    entity.domain === "light" ? (typeof config.schema === "string" ? config.schema : "default") : undefined;
  return { topic: unique[0], topics: unique, ...(schema ? { schema } : {}) };
}

/** The learned devices as rows, sorted by area and name. */
export function deviceRows(registry: Registry, ids: readonly string[]): DeviceRow[] {
  const rows: DeviceRow[] = [];
  const doubles = new Map<string, string[]>();
  for (const e of registry.entities())
    if (e.mergeKey && e.source === "homeassistant") doubles.set(e.mergeKey, []);
  for (const id of new Set(ids)) {
    const e = registry.entity(id);
    if (e?.mergeKey && registry.isMerged(e)) doubles.get(e.mergeKey)?.push(e.source);
  }
  for (const id of new Set(ids)) {
    const e = registry.entity(id);
    // The same device seen through MQTT and Home Assistant is listed once, under Home Assistant.
    if (!e || registry.isMerged(e)) continue;
    const also = e.mergeKey ? doubles.get(e.mergeKey) : undefined;
    const stateTopic = e.mqtt?.state_topic;
    rows.push({
      id: e.id,
      name: e.name,
      area: e.areaId ? (registry.area(e.areaId)?.name ?? e.areaId) : undefined,
      domain: e.domain,
      deviceClass: e.deviceClass,
      unit: e.unit,
      state: e.state,
      source: e.source,
      ...(also && also.length > 0 ? { alsoFrom: also } : {}),
      command: describeCommand(e),
      stateTopic: typeof stateTopic === "string" ? stateTopic : undefined,
    });
  }
  // Devices without an area come last.
  const byArea = (a: DeviceRow, b: DeviceRow) =>
    a.area === b.area
      ? 0
      : a.area === undefined
        ? 1
        : b.area === undefined
          ? -1
          : a.area.localeCompare(b.area);
  return rows.sort((a, b) => byArea(a, b) || a.name.localeCompare(b.name));
}

/** A plain-text table: name, area, domain, how it is commanded. */
export function formatTable(rows: readonly DeviceRow[]): string {
  const header = ["NAME", "AREA", "DOMAIN", "FROM", "COMMANDED BY"];
  const lines = rows.map((r) => {
    const how =
      r.command.via === "homeassistant"
        ? `Home Assistant (${r.id})`
        : r.command.topic
          ? `${r.command.topic}${r.command.schema ? ` (${r.command.schema})` : ""}${r.command.topics.length > 1 ? ` +${r.command.topics.length - 1} more` : ""}`
          : "read only";
    const from = r.alsoFrom ? `${r.source} (also ${r.alsoFrom.join(", ")})` : r.source;
    return [r.name, r.area ?? "-", r.domain, from, how];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? "").length)));
  const format = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [format(header), ...lines.map(format)].join("\n");
}

/**
 * `hearth devices [--config PATH] [--json] [--wait MS]`: connects to the configured broker, reads
 * the retained Home Assistant discovery configs (until none arrived for a moment, or for --wait
 * milliseconds), reads Home Assistant's registries when `homeassistant` is configured, and prints
 * what Hearth learns and from where. Exits 69 when neither is configured or one cannot be reached,
 * 78 on an invalid config.
 */
export function register(program: Command): void {
  program
    .command("devices")
    .description(
      "list the devices Hearth learns from MQTT discovery (zigbee2mqtt, Tasmota …) and Home Assistant, and where each comes from",
    )
    .option("-c, --config <path>", `configuration file (default: ${DEFAULT_CONFIG_PATH})`)
    .option("--json", "print JSON (one array) instead of a table")
    .option("--wait <ms>", "listen this long instead of until the retained configs stop arriving")
    .action(async (opts: DevicesOptions) => {
      process.exitCode = await listDevices(opts, {
        clock: systemClock,
        stdout: (text) => process.stdout.write(text),
        stderr: (text) => process.stderr.write(text),
      });
    });
}

/** `hearth devices`' options, as commander parses them. */
export interface DevicesOptions {
  config?: string | undefined;
  json?: boolean | undefined;
  wait?: string | undefined;
}

/** Where `hearth devices` writes, and whose time its waits run on (the CLI's: the system clock). */
export interface DevicesIo {
  clock: Clock;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/**
 * What `hearth devices` does: learns the devices, prints them, and returns the exit code. Its
 * waits (the quiet period, --wait, Home Assistant's registries) run on `io.clock`.
 */
export async function listDevices(opts: DevicesOptions, io: DevicesIo): Promise<number> {
  const wait = opts.wait === undefined ? undefined : Number(opts.wait);
  if (wait !== undefined && (!Number.isFinite(wait) || wait < 0 || wait > 600_000)) {
    io.stderr("--wait takes milliseconds between 0 and 600000\n");
    return EXIT.USAGE;
  }
  let config: Awaited<ReturnType<typeof loadConfig>>["config"];
  let configDir: string;
  try {
    ({ config, dir: configDir } = await loadConfig(resolveConfigPath(opts.config)));
  } catch (err) {
    if (!(err instanceof HearthError)) throw err;
    io.stderr(`${err.message}\n${err.details.map((d) => `  ${d}\n`).join("")}`);
    return EXIT.CONFIG;
  }
  const url = config.mqtt.url;
  const ha = config.homeassistant;
  if (!url && !ha) {
    io.stderr(
      "no MQTT broker configured (mqtt.url), nor Home Assistant (homeassistant): without a broker Hearth starts its own, empty one, so there are no devices to learn. Set mqtt.url to your broker (e.g. mqtt://localhost:1883) or homeassistant.url.\n",
    );
    return EXIT.UNAVAILABLE;
  }
  const log = createLogger({
    level:
      config.logging.level === "debug" || config.logging.level === "trace" ? config.logging.level : "warn",
    destination: 2,
  });
  const registry = registryFromConfig(config);
  const ids: string[] = [];
  const where: string[] = [];
  if (url) {
    const learned = await learnFromDiscovery(config, configDir, url, registry, log, wait, io);
    if (learned === undefined) return EXIT.UNAVAILABLE;
    ids.push(...learned);
    where.push(`under ${config.mqtt.discovery_prefix}/ on ${url}`);
  }
  if (ha) {
    const learned = await learnFromHomeAssistant(ha, configDir, registry, log, io);
    if (learned === undefined) return EXIT.UNAVAILABLE;
    ids.push(...learned);
    where.push(`in Home Assistant at ${ha.url}`);
  }
  const rows = deviceRows(registry, ids);
  if (opts.json) io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
  else if (rows.length === 0) io.stdout(`no devices found ${where.join(" or ")}\n`);
  else io.stdout(`${formatTable(rows)}\n`);
  return EXIT.OK;
}

/**
 * Reads the retained discovery configs into `registry`, until none came for {@link QUIET_MS} since
 * the subscription was confirmed (or `wait` ms, or {@link MAX_WAIT_MS} at most), on `io.clock`;
 * the ids learned, or undefined when the broker is unreachable.
 */
async function learnFromDiscovery(
  config: Config,
  configDir: string,
  url: string,
  registry: Registry,
  log: Logger,
  wait: number | undefined,
  io: DevicesIo,
): Promise<string[] | undefined> {
  const { clock } = io;
  const siteId = config.site.id;
  const base = await connectionOptionsFromConfig(config.mqtt, {
    url,
    siteId,
    // Not the daemon's status topic, so listing devices never marks the daemon offline.
    statusTopic: `${config.mqtt.base_topic}/${siteId}/cli/status`,
    logger: log,
    configDir,
  });
  // A client id of its own: the broker would otherwise disconnect the running daemon.
  const connection = new MqttConnection({
    ...base,
    clientId: `${base.clientId}-devices-${process.pid}`.slice(0, 64),
    // A one-off look: the broker keeps nothing for it after it leaves.
    sessionExpirySeconds: 0,
    clock,
  });
  const prefix = config.mqtt.discovery_prefix;
  const devices = new DiscoveredDevices({ registry, prefix, logger: log });
  const longest = clock.timeout(wait ?? MAX_WAIT_MS, "listening for discovery configs");
  // Without --wait, every discovery config starts a quiet period; the last one started ends the
  // listening, once the subscription is confirmed.
  let subscribed = false;
  let latest: AbortSignal | undefined;
  let quietEnded = (): void => {};
  const quietPeriod = (): void => {
    if (wait !== undefined) return;
    const quiet = clock.timeout(QUIET_MS, "a quiet period without discovery configs");
    latest = quiet;
    quiet.addEventListener("abort", () => subscribed && latest === quiet && quietEnded(), { once: true });
  };
  try {
    await connection.start();
  } catch (err) {
    io.stderr(`${err instanceof Error ? err.message : String(err)}\n`);
    return undefined;
  }
  try {
    // Hearth satellites' own entities are skipped, as the daemon skips them.
    await devices.start({
      subscribe: (filter, handler) =>
        connection.subscribe(filter, (m) => {
          if (m.topic.startsWith(`${prefix}/`)) {
            quietPeriod();
            if (isHearthDiscoveryTopic(prefix, m.topic)) return;
          }
          handler(m);
        }),
    });
    // The broker sends the retained configs after confirming the subscription: the quiet period
    // counts from then, not from before connecting (on a busy machine connecting alone can take
    // longer than it, and the configs were then never waited for).
    await new Promise<void>((resolve) => {
      longest.addEventListener("abort", () => resolve(), { once: true });
      if (longest.aborted) resolve();
      quietEnded = resolve;
      subscribed = true;
      quietPeriod();
    });
  } finally {
    await devices.stop();
    await connection.stop();
  }
  return devices.entityIds();
}

/** Reads Home Assistant's registries into `registry`; the ids learned, or undefined when it cannot be read. */
async function learnFromHomeAssistant(
  ha: HomeAssistantConfig,
  configDir: string,
  registry: Registry,
  log: Logger,
  io: DevicesIo,
): Promise<string[] | undefined> {
  let connection: HomeAssistantConnection;
  try {
    connection = new HomeAssistantConnection({
      ...(await haConnectionOptions(ha, { logger: log, configDir })),
      clock: io.clock,
    });
  } catch (err) {
    io.stderr(`${err instanceof Error ? err.message : String(err)}\n`);
    return undefined;
  }
  const home = new HomeAssistantHome({
    connection,
    registry,
    exposeAll: ha.expose === "all",
    debounceMs: 0,
    logger: log,
  });
  try {
    await connection.start();
    if (!connection.connected) {
      io.stderr(`Home Assistant cannot be reached at ${connection.url}\n`);
      return undefined;
    }
    home.start();
    const deadline = io.clock.timeout(ha.startup_timeout_ms, "reading Home Assistant's registries");
    const loaded = await Promise.race([
      home.loaded.then(() => true),
      new Promise<false>((resolve) =>
        deadline.addEventListener("abort", () => resolve(false), { once: true }),
      ),
    ]);
    if (!loaded) {
      io.stderr(`Home Assistant's registries could not be read at ${connection.url}\n`);
      return undefined;
    }
    return home.entityIds();
  } catch (err) {
    io.stderr(`${err instanceof Error ? err.message : String(err)}\n`);
    return undefined;
  } finally {
    home.stop();
    await connection.stop();
  }
}
