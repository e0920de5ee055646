import { createHash } from "node:crypto";
import { DOMAINS, type Domain } from "../../config/schema.js";
import type { Area, Entity } from "../../registry/types.js";
import { isValidPublishTopic, isValidSubscribeTopic, topicMatches, topicTextProblem } from "../topics.js";
import { expandDiscovery, isObject, SHARED_OPTIONS } from "./abbreviations.js";

/**
 * Turns Home Assistant MQTT discovery messages into registry entities. Pure: no I/O, never throws.
 *
 * Topics: `<prefix>/<component>/[<node_id>/]<object_id>/config` (one entity) and
 * `<prefix>/device/[<node_id>/]<object_id>/config` (device-based: several components in `cmps`).
 * https://www.home-assistant.io/integrations/mqtt/#discovery-topic
 */

/** What parsing needs from the rest of Hearth. */
export interface DiscoveryContext {
  /** The discovery prefix (Home Assistant's default is `homeassistant`). */
  prefix: string;
  /** Finds a registry area by name, id or alias (Registry.findArea); used for `suggested_area`. */
  findArea?: ((name: string) => Area | undefined) | undefined;
  /**
   * Why a device may not be commanded on `topic` (Hearth's own topics, Hermes, discovery, `$…`), or
   * undefined when it may. See `reservedCommandTopics` in topics.ts.
   */
  reservedCommandTopic?: ((topic: string) => string | undefined) | undefined;
  /**
   * When given, only these configs become devices: node ids (the discovery topic's `<node_id>`, or
   * the object id of a device-based config without one) and topic filters (entries with `/` or `#`)
   * that every topic of the config must match.
   */
  allow?: readonly string[] | undefined;
}

/**
 * Options whose topic Hearth publishes device commands to: every `…command_topic`, and the few
 * older names without the word.
 */
function isCommandTopicKey(key: string): boolean {
  return key.endsWith("command_topic") || key === "set_position_topic" || key === "tilt_command_topic";
}

/**
 * What Home Assistant itself requires of a config before it makes an entity (its platform schemas):
 * a device Hearth cannot command, or read, is not a device.
 */
const REQUIRED_TOPICS: Partial<Record<Domain, readonly string[]>> = {
  light: ["command_topic"],
  switch: ["command_topic"],
  fan: ["command_topic"],
  lock: ["command_topic"],
  scene: ["command_topic"],
  button: ["command_topic"],
  number: ["command_topic"],
  select: ["command_topic"],
  humidifier: ["command_topic", "target_humidity_command_topic"],
  sensor: ["state_topic"],
  binary_sensor: ["state_topic"],
};

/** One entity learned from a discovery message. */
export interface DiscoveredEntity {
  entity: Entity;
  /** The device's `suggested_area` when it matched no area of the registry (entity.areaId is then unset). */
  unknownArea?: string | undefined;
}

/** A component of a device-based payload that could not be used, and why. */
export interface SkippedComponent {
  /** The component id (key in `cmps`), or the object id for a per-entity topic. */
  id: string;
  reason: string;
}

/**
 * The outcome of one discovery message. `topic` groups entities: a "config" result replaces
 * everything previously learned from the same topic (so a device-based payload that drops a
 * component drops its entity, as a restart would), and a "remove" result removes all of it.
 */
export type DiscoveryResult =
  | { kind: "config"; topic: string; entities: DiscoveredEntity[]; skipped: SkippedComponent[] }
  | { kind: "remove"; topic: string }
  | { kind: "ignored"; topic: string; reason: string }
  | { kind: "invalid"; topic: string; reason: string };

/** Components Home Assistant's MQTT integration knows, but that Hearth neither commands nor reads. */
const KNOWN_UNUSED_COMPONENTS = new Set([
  "alarm_control_panel",
  "camera",
  "date",
  "datetime",
  "device_automation",
  "device_tracker",
  "event",
  "image",
  "notify",
  "siren",
  "tag",
  "text",
  "time",
  "update",
]);

const DOMAIN_SET: ReadonlySet<string> = new Set(DOMAINS);

// Home Assistant's TOPIC_MATCHER (discovery.py), anchored at both ends.
const TOPIC_MATCHER = /^([A-Za-z0-9_]+)\/(?:([a-zA-Z0-9_-]+)\/)?([a-zA-Z0-9_-]+)\/config$/;

/** Larger discovery payloads are refused: real ones are a few kilobytes. */
export const MAX_DISCOVERY_PAYLOAD_BYTES = 256 * 1024;
const MAX_NAME_LENGTH = 255;
/** Longest topic a discovered device may use: real ones are a few dozen characters. */
export const MAX_DEVICE_TOPIC_LENGTH = 1024;
const MAX_ID_SLUG_LENGTH = 100;

type Json = Record<string, unknown>;

/**
 * Parses one message received under the discovery prefix. An empty payload means "remove";
 * anything that cannot become an entity is a result that says why (the caller logs it and moves on).
 */
export function parseDiscoveryMessage(
  topic: string,
  payload: string | Uint8Array,
  context: DiscoveryContext,
): DiscoveryResult {
  const prefix = `${context.prefix}/`;
  if (!topic.startsWith(prefix)) return { kind: "ignored", topic, reason: "not under the discovery prefix" };
  const rest = topic.slice(prefix.length);
  const match = TOPIC_MATCHER.exec(rest);
  if (!match) {
    return rest.endsWith("config")
      ? {
          kind: "invalid",
          topic,
          reason: "illegal discovery topic (only letters, digits, '_' and '-' are allowed)",
        }
      : { kind: "ignored", topic, reason: "not a discovery config topic" };
  }
  const component = match[1] ?? "";
  const nodeId = match[2];
  const objectId = match[3] ?? "";

  if (component !== "device" && !DOMAIN_SET.has(component)) {
    return KNOWN_UNUSED_COMPONENTS.has(component)
      ? { kind: "ignored", topic, reason: `component '${component}' is not used by Hearth` }
      : { kind: "invalid", topic, reason: `unknown component '${component}'` };
  }

  const size = typeof payload === "string" ? Buffer.byteLength(payload, "utf8") : payload.byteLength;
  if (size === 0) return { kind: "remove", topic };
  if (size > MAX_DISCOVERY_PAYLOAD_BYTES)
    return { kind: "invalid", topic, reason: `payload too large (${size} bytes)` };

  let parsed: unknown;
  try {
    const text =
      typeof payload === "string" ? payload : new TextDecoder("utf-8", { fatal: true }).decode(payload);
    parsed = JSON.parse(text);
  } catch {
    return { kind: "invalid", topic, reason: "payload is not valid JSON" };
  }
  if (!isObject(parsed)) return { kind: "invalid", topic, reason: "payload is not a JSON object" };
  // Home Assistant drops the old config and waits for the new one on a migration request.
  if ("migrate_discovery" in parsed || "migr_discvry" in parsed) return { kind: "remove", topic };

  const config = expandDiscovery(parsed);

  if (component === "device") return parseDevice(topic, config, nodeId, objectId, context);

  const built = buildEntity(
    component,
    config,
    nodeId ? `${nodeId}_${objectId}` : objectId,
    objectId,
    context,
    nodeId,
  );
  if ("reason" in built) {
    return built.skip
      ? { kind: "config", topic, entities: [], skipped: [{ id: objectId, reason: built.reason }] }
      : { kind: "invalid", topic, reason: built.reason };
  }
  return { kind: "config", topic, entities: [built], skipped: [] };
}

function parseDevice(
  topic: string,
  config: Json,
  nodeId: string | undefined,
  objectId: string,
  context: DiscoveryContext,
): DiscoveryResult {
  if (!isObject(config.device))
    return { kind: "invalid", topic, reason: "device-based config without a device block" };
  if (!isObject(config.components))
    return { kind: "invalid", topic, reason: "device-based config without components" };
  const entities: DiscoveredEntity[] = [];
  const skipped: SkippedComponent[] = [];
  for (const [componentId, raw] of Object.entries(config.components)) {
    if (!isObject(raw)) {
      skipped.push({ id: componentId, reason: "component config is not an object" });
      continue;
    }
    const platform = raw.platform;
    if (typeof platform !== "string") {
      skipped.push({ id: componentId, reason: "component has no platform ('p')" });
      continue;
    }
    if (!DOMAIN_SET.has(platform)) {
      skipped.push({
        id: componentId,
        reason: KNOWN_UNUSED_COMPONENTS.has(platform)
          ? `component '${platform}' is not used by Hearth`
          : `unknown component '${platform}'`,
      });
      continue;
    }
    const { platform: _platform, ...rest } = raw;
    // A component holding only its platform asks Home Assistant to remove it: nothing to build.
    if (Object.keys(rest).length === 0) continue;
    const merged: Json = { ...rest, device: config.device, origin: config.origin };
    for (const option of SHARED_OPTIONS) {
      if (option in config && !(option in merged)) merged[option] = config[option];
    }
    const idSource = nodeId ? `${nodeId}_${objectId}_${componentId}` : `${objectId}_${componentId}`;
    const built = buildEntity(platform, merged, idSource, componentId, context, nodeId ?? objectId);
    if ("reason" in built) skipped.push({ id: componentId, reason: built.reason });
    else entities.push(built);
  }
  return { kind: "config", topic, entities, skipped };
}

type BuildResult = DiscoveredEntity | { reason: string; skip: boolean };

/** Validates one expanded entity config and builds its registry entity. */
function buildEntity(
  component: string,
  config: Json,
  fallbackIdSource: string,
  objectId: string,
  context: DiscoveryContext,
  nodeId: string | undefined,
): BuildResult {
  const domain = component as Domain;
  const findArea = context.findArea;
  const topicProblem = checkTopics(config) ?? checkTrust(domain, config, context, nodeId ?? objectId);
  if (topicProblem) return { reason: topicProblem, skip: false };

  const uniqueId = optionalText(config.unique_id, "unique_id");
  if (typeof uniqueId === "object") return uniqueId;
  const device = config.device;
  if (device !== undefined && !isObject(device)) return { reason: "device is not an object", skip: false };
  const deviceName = device ? optionalText(device.name, "device.name") : undefined;
  if (typeof deviceName === "object") return deviceName;
  const deviceClass = optionalText(config.device_class, "device_class");
  if (typeof deviceClass === "object") return deviceClass;
  const unit = optionalText(config.unit_of_measurement, "unit_of_measurement");
  if (typeof unit === "object") return unit;
  const suggestedArea = device ? optionalText(device.suggested_area, "device.suggested_area") : undefined;
  if (typeof suggestedArea === "object") return suggestedArea;

  let entityName: string | null | undefined;
  if (!("name" in config)) entityName = undefined;
  else if (config.name === null || config.name === "") entityName = null;
  else if (typeof config.name === "string" || typeof config.name === "number")
    entityName = String(config.name).trim();
  else return { reason: "name is not a string or null", skip: false };

  const name = composeName({ entityName, deviceName, deviceClass, domain, objectId });
  // "Heater Plug" of "Plug 77 Heater Plug": what people say when it is the only heater plug.
  const ownName = entityName && deviceName && name !== entityName ? entityName : undefined;
  if (name.length === 0) return { reason: "the entity has no usable name", skip: false };
  if (name.length > MAX_NAME_LENGTH)
    return { reason: `name longer than ${MAX_NAME_LENGTH} characters`, skip: false };

  // Home Assistant does not expose these to Assist by default; neither does Hearth.
  if (config.entity_category === "config" || config.entity_category === "diagnostic") {
    return { reason: `entity_category '${config.entity_category}' is not exposed to voice`, skip: true };
  }
  if (config.enabled_by_default === false) return { reason: "disabled by default", skip: true };

  let areaId: string | undefined;
  let unknownArea: string | undefined;
  if (suggestedArea) {
    areaId = findArea?.(suggestedArea)?.id;
    if (!areaId) unknownArea = suggestedArea;
  }

  const entity: Entity = {
    id: `${domain}.${slugId(uniqueId ?? fallbackIdSource)}`,
    name,
    domain,
    areaId,
    aliases: [],
    ...(ownName !== undefined ? { ownName } : {}),
    deviceClass,
    unit,
    attributes: domain === "fan" ? fanAttributes(config) : {},
    source: "discovery",
    mqtt: config,
    // Home Assistant's MQTT integration keeps the same unique_id in its entity registry.
    ...(uniqueId !== undefined ? { mergeKey: `mqtt:${uniqueId}` } : {}),
  };
  return unknownArea ? { entity, unknownArea } : { entity };
}

/**
 * A fan's speed step in percent, as Home Assistant's MQTT fan gives it: 100 over the number of
 * speeds from `speed_range_min` to `speed_range_max` (1 to 100 unless the config says), so a
 * five-speed regulator (1–5) steps by 20 and "fan speed 3" is 60 percent.
 */
function fanAttributes(config: Json): Record<string, number> {
  const low = config.speed_range_min ?? 1;
  const high = config.speed_range_max ?? 100;
  if (typeof low !== "number" || typeof high !== "number" || !Number.isFinite(low) || !Number.isFinite(high))
    return {};
  const count = Math.min(100, Math.floor(high) - Math.ceil(low) + 1);
  return count >= 1 ? { percentage_step: 100 / count } : {};
}

/** A string option: numbers are accepted as text (Home Assistant's cv.string does the same). */
function optionalText(value: unknown, key: string): string | undefined | { reason: string; skip: false } {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value !== "string") return { reason: `${key} is not a string`, skip: false };
  const trimmed = value.trim();
  if (trimmed.length > MAX_NAME_LENGTH)
    return { reason: `${key} longer than ${MAX_NAME_LENGTH} characters`, skip: false };
  return trimmed.length > 0 ? trimmed : undefined;
}

/**
 * Every `…topic` value (and every availability item's `topic`) must be a concrete topic: Hearth
 * publishes to command topics and subscribes to state topics, and a wildcard in either would let a
 * discovery message make Hearth publish to, or listen to, anything.
 */
function checkTopics(config: Json): string | undefined {
  for (const [key, value] of Object.entries(config)) {
    if (!key.endsWith("topic") || value === undefined || value === null) continue;
    if (typeof value !== "string") return `${key} is not a string`;
    const problem = topicTextProblem(value);
    if (problem) return `${key} would be refused by the broker (${problem})`;
    if (value.length > MAX_DEVICE_TOPIC_LENGTH)
      return `${key} longer than ${MAX_DEVICE_TOPIC_LENGTH} characters`;
    if (!isValidPublishTopic(value)) return `${key} is not a valid topic without wildcards`;
  }
  const availability = config.availability;
  if (availability !== undefined) {
    const items = Array.isArray(availability) ? availability : [availability];
    for (const item of items) {
      if (!isObject(item)) return "availability item is not an object";
      if (!isValidPublishTopic(item.topic))
        return "availability topic is not a valid topic without wildcards";
    }
  }
  return undefined;
}

/**
 * The trust boundary: a config may not make Hearth publish where Hearth, Hermes, Home Assistant or
 * the broker listen (a device whose command topic is a Hearth's `command/text` makes Hearth command
 * itself, or another satellite), must carry what Home Assistant requires, and must pass the
 * household's allow-list when there is one.
 */
function checkTrust(
  domain: Domain,
  config: Json,
  context: DiscoveryContext,
  node: string,
): string | undefined {
  for (const key of REQUIRED_TOPICS[domain] ?? []) {
    if (config[key] === undefined || config[key] === null) return `a ${domain} needs a ${key}`;
  }
  const topics: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (!key.endsWith("topic") || typeof value !== "string") continue;
    topics.push(value);
    if (!isCommandTopicKey(key)) continue;
    const reserved = context.reservedCommandTopic?.(value);
    if (reserved) return `${key} points at ${reserved}`;
  }
  const allow = context.allow;
  if (allow) {
    const nodes = allow.filter((a) => !a.includes("/") && !a.includes("#"));
    const filters = allow.filter((a) => (a.includes("/") || a.includes("#")) && isValidSubscribeTopic(a));
    const allowed =
      nodes.includes(node) ||
      (topics.length > 0 && topics.every((t) => filters.some((f) => topicMatches(f, t))));
    if (!allowed) return `not in mqtt.discovery.allow (node '${node}')`;
  }
  return undefined;
}

/** Composes the display name as Home Assistant does for MQTT entities with a device. */
function composeName(parts: {
  entityName: string | null | undefined;
  deviceName: string | undefined;
  deviceClass: string | undefined;
  domain: Domain;
  objectId: string;
}): string {
  const { entityName, deviceName, deviceClass, domain, objectId } = parts;
  if (entityName === null) return deviceName ?? humanize(objectId);
  if (entityName === undefined) {
    // Home Assistant names an unnamed sensor after its device class ("Temperature").
    if (deviceName && deviceClass && (domain === "sensor" || domain === "binary_sensor")) {
      return `${deviceName} ${capitalize(humanize(deviceClass))}`;
    }
    return deviceName ?? humanize(objectId);
  }
  if (!deviceName) return entityName;
  const lower = entityName.toLowerCase();
  const device = deviceName.toLowerCase();
  // Older integrations put the device name into the entity name; do not say it twice.
  if (lower === device || lower.startsWith(`${device} `)) return entityName;
  return `${deviceName} ${entityName}`;
}

function humanize(id: string): string {
  return id.replace(/[_-]+/g, " ").trim();
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * A stable id slug (Home Assistant's slugify, minus transliteration): lower-case ASCII letters,
 * digits and `_`. Text that leaves nothing, or too much, gets a hash so ids stay unique and stable.
 */
export function slugId(source: string): string {
  const slug = source
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  const hash = createHash("sha256").update(source).digest("hex").slice(0, 8);
  if (slug.length === 0) return `id_${hash}`;
  if (slug.length > MAX_ID_SLUG_LENGTH) return `${slug.slice(0, MAX_ID_SLUG_LENGTH - 9)}_${hash}`;
  return slug;
}
