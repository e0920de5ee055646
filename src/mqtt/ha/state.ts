import type { Entity } from "../../registry/types.js";
import { isObject } from "./abbreviations.js";
import { configNumber as num, configText as text } from "./config-values.js";
import { evaluateValueTemplate, payloadJson } from "./value-template.js";

/**
 * Reads the state of discovered entities from their MQTT topics, the way Home Assistant's MQTT
 * platforms do, into Home Assistant state strings ("on", "open", "locked", "21.5", "heat") and
 * attributes (brightness 0–255, current_position 0–100, current_temperature …) for
 * Registry.setState. Pure: no I/O, never throws.
 */

/** What one message says about an entity. */
export interface StateUpdate {
  /** The new state, when the message carried one ("unknown" when the device reported none). */
  state?: string | undefined;
  /** Attributes to merge (only the ones this message carried). */
  attributes: Record<string, unknown>;
  /** Templates that were not evaluated because they are outside the supported subset. */
  unsupported: string[];
}

type Json = Record<string, unknown>;

/** One thing read from a topic: which topic key, which template key, and what the text means. */
interface Role {
  topic: string;
  template?: string;
  apply(text: string, config: Json, update: StateUpdate, payload: string): void;
}

const PAYLOAD_NONE = "None";

function toNumber(value: string): number | undefined {
  if (value.trim() === "") return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** on/off from payload_on/payload_off (or state_on/state_off where the platform has them). */
function onOff(onKeys: string[], offKeys: string[], onDefault = "ON", offDefault = "OFF"): Role["apply"] {
  return (value, config, update) => {
    const on = onKeys.map((k) => text(config, k)).find((v) => v !== undefined) ?? onDefault;
    const off = offKeys.map((k) => text(config, k)).find((v) => v !== undefined) ?? offDefault;
    if (value === on) update.state = "on";
    else if (value === off) update.state = "off";
    else if (value === PAYLOAD_NONE) update.state = "unknown";
  };
}

function numberAttribute(name: string): Role["apply"] {
  return (value, _config, update) => {
    const n = toNumber(value);
    if (n !== undefined) update.attributes[name] = n;
  };
}

function textAttribute(name: string): Role["apply"] {
  return (value, _config, update) => {
    if (value !== "" && value !== PAYLOAD_NONE) update.attributes[name] = value;
  };
}

/** Maps a device position to 0–100 using position_open / position_closed (Home Assistant's find_percentage_in_range). */
function positionPercent(config: Json, position: number): number {
  const open = num(config, "position_open", 100);
  const closed = num(config, "position_closed", 0);
  if (open === closed) return position === open ? 100 : 0;
  const pct = ((position - closed) / (open - closed)) * 100;
  return Math.min(100, Math.max(0, Math.round(pct)));
}

function rgbList(value: unknown): number[] | undefined {
  const parts = typeof value === "string" ? value.split(",").map((p) => Number(p.trim())) : undefined;
  if (!parts || parts.length < 3 || parts.some((p) => !Number.isFinite(p))) return undefined;
  return parts.map((p) => Math.round(p));
}

function coverState(value: string, config: Json, update: StateUpdate): void {
  const states: [string, string, string][] = [
    ["state_open", "open", "open"],
    ["state_opening", "opening", "opening"],
    ["state_closed", "closed", "closed"],
    ["state_closing", "closing", "closing"],
  ];
  for (const [key, fallback, state] of states) {
    if (value === text(config, key, fallback)) {
      update.state = state;
      return;
    }
  }
  if (value === text(config, "state_stopped", "stopped")) {
    // Stopped is not a state in Home Assistant: it becomes open or closed from the position.
    const position = update.attributes.current_position;
    update.state = typeof position === "number" && position === 0 ? "closed" : "open";
    return;
  }
  if (value === PAYLOAD_NONE) update.state = "unknown";
}

function coverPosition(value: string, config: Json, update: StateUpdate): void {
  const json = payloadJson(value);
  const raw = isObject(json) && "position" in json ? json.position : value;
  const n = typeof raw === "number" ? raw : typeof raw === "string" ? toNumber(raw) : undefined;
  if (n === undefined) return;
  const pct = positionPercent(config, n);
  update.attributes.current_position = pct;
  // Without a state topic the position is the only source of open/closed.
  if (config.state_topic === undefined) update.state = pct === 0 ? "closed" : "open";
}

function lightBrightness(value: string, config: Json, update: StateUpdate): void {
  const n = toNumber(value);
  if (n === undefined || n <= 0) return;
  const scale = num(config, "brightness_scale", 255);
  update.attributes.brightness = Math.min(255, Math.round((n / scale) * 255));
}

function jsonLight(_value: string, config: Json, update: StateUpdate, payload: string): void {
  const json = payloadJson(payload);
  if (!isObject(json)) return;
  if (json.state === "ON") update.state = "on";
  else if (json.state === "OFF") update.state = "off";
  else if (json.state === null) update.state = "unknown";
  if (typeof json.brightness === "number" && json.brightness > 0) {
    const scale = num(config, "brightness_scale", 255);
    update.attributes.brightness = Math.min(255, Math.round((json.brightness / scale) * 255));
  }
  const color = json.color;
  if (isObject(color)) {
    if ([color.r, color.g, color.b].every((c) => typeof c === "number")) {
      update.attributes.rgb_color = [color.r, color.g, color.b];
    }
    if (typeof color.x === "number" && typeof color.y === "number")
      update.attributes.xy_color = [color.x, color.y];
    if (typeof color.h === "number" && typeof color.s === "number")
      update.attributes.hs_color = [color.h, color.s];
  }
  if (typeof json.color_temp === "number") update.attributes.color_temp = json.color_temp;
  if (typeof json.color_mode === "string") update.attributes.color_mode = json.color_mode;
  if (typeof json.effect === "string") update.attributes.effect = json.effect;
}

const LOCK_STATES: [string, string, string][] = [
  ["state_locked", "LOCKED", "locked"],
  ["state_unlocked", "UNLOCKED", "unlocked"],
  ["state_locking", "LOCKING", "locking"],
  ["state_unlocking", "UNLOCKING", "unlocking"],
  ["state_jammed", "JAMMED", "jammed"],
  ["state_open", "OPEN", "open"],
  ["state_opening", "OPENING", "opening"],
];

function lockState(value: string, config: Json, update: StateUpdate): void {
  for (const [key, fallback, state] of LOCK_STATES) {
    if (value === text(config, key, fallback)) {
      update.state = state;
      return;
    }
  }
  if (value === PAYLOAD_NONE) update.state = "unknown";
}

const DEFAULT_CLIMATE_MODES = ["auto", "off", "cool", "heat", "dry", "fan_only"];

function climateMode(value: string, config: Json, update: StateUpdate): void {
  const modes = Array.isArray(config.modes)
    ? config.modes.filter((m) => typeof m === "string")
    : DEFAULT_CLIMATE_MODES;
  if (modes.includes(value)) update.state = value;
  else if (value === PAYLOAD_NONE) update.state = "unknown";
}

function fanPercentage(value: string, config: Json, update: StateUpdate): void {
  const n = toNumber(value);
  if (n === undefined) return;
  const low = num(config, "speed_range_min", 1);
  const high = num(config, "speed_range_max", 100);
  // Home Assistant's ranged_value_to_percentage.
  const pct = Math.trunc(((n - (low - 1)) * 100) / (high - low + 1));
  update.attributes.percentage = Math.min(100, Math.max(0, pct));
}

function valveState(value: string, config: Json, update: StateUpdate, payload: string): void {
  const json = payloadJson(payload);
  if (config.reports_position === true) {
    const raw = isObject(json) && "position" in json ? json.position : value;
    const n = typeof raw === "number" ? raw : typeof raw === "string" ? toNumber(raw) : undefined;
    if (n !== undefined) {
      const pct = positionPercent(config, n);
      update.attributes.current_position = pct;
      update.state = pct === 0 ? "closed" : "open";
    }
    if (!(isObject(json) && typeof json.state === "string")) return;
  }
  const stateText = isObject(json) && typeof json.state === "string" ? json.state : value;
  coverState(stateText, config, update);
}

function numberState(value: string, _config: Json, update: StateUpdate): void {
  const n = toNumber(value);
  if (n !== undefined) update.state = String(n);
  else if (value === PAYLOAD_NONE) update.state = "unknown";
}

function selectState(value: string, config: Json, update: StateUpdate): void {
  const options = Array.isArray(config.options) ? config.options : [];
  if (options.includes(value)) update.state = value;
  else if (value === PAYLOAD_NONE) update.state = "unknown";
}

function vacuumState(_value: string, _config: Json, update: StateUpdate, payload: string): void {
  const json = payloadJson(payload);
  if (!isObject(json)) return;
  if (typeof json.state === "string") update.state = json.state;
  if (typeof json.battery_level === "number") update.attributes.battery_level = json.battery_level;
  if (typeof json.fan_speed === "string") update.attributes.fan_speed = json.fan_speed;
}

/** A lawn mower's activity, as Home Assistant's LawnMowerActivity names it. */
const MOWER_ACTIVITIES: ReadonlySet<string> = new Set(["mowing", "docked", "paused", "returning", "error"]);

function mowerState(value: string, _config: Json, update: StateUpdate): void {
  if (MOWER_ACTIVITIES.has(value)) update.state = value;
  else if (value === PAYLOAD_NONE) update.state = "unknown";
}

function sensorState(value: string, _config: Json, update: StateUpdate): void {
  if (value === "") return;
  update.state = value === PAYLOAD_NONE ? "unknown" : value;
}

/** The topics each domain reads, with their template keys. */
function rolesFor(entity: Entity, config: Json): Role[] {
  const r = (topic: string, apply: Role["apply"], template?: string): Role =>
    template ? { topic, template, apply } : { topic, apply };
  switch (entity.domain) {
    case "switch":
    case "input_boolean":
      return [
        r("state_topic", onOff(["state_on", "payload_on"], ["state_off", "payload_off"]), "value_template"),
      ];
    case "binary_sensor":
      return [r("state_topic", onOff(["payload_on"], ["payload_off"]), "value_template")];
    case "light": {
      const schema = text(config, "schema", "basic");
      if (schema === "json") return [r("state_topic", jsonLight)];
      if (schema === "template") {
        return [r("state_topic", onOff([], [], "on", "off"), "state_template")];
      }
      return [
        r("state_topic", onOff(["payload_on"], ["payload_off"]), "state_value_template"),
        r("brightness_state_topic", lightBrightness, "brightness_value_template"),
        r(
          "rgb_state_topic",
          (v, _c, u) => {
            const rgb = rgbList(v);
            if (rgb) u.attributes.rgb_color = rgb.slice(0, 3);
          },
          "rgb_value_template",
        ),
        r("color_temp_state_topic", numberAttribute("color_temp"), "color_temp_value_template"),
        r("color_mode_state_topic", textAttribute("color_mode"), "color_mode_value_template"),
        r("effect_state_topic", textAttribute("effect"), "effect_value_template"),
      ];
    }
    case "fan":
      return [
        r("state_topic", onOff(["payload_on"], ["payload_off"]), "state_value_template"),
        r("percentage_state_topic", fanPercentage, "percentage_value_template"),
        r("preset_mode_state_topic", textAttribute("preset_mode"), "preset_mode_value_template"),
        r(
          "oscillation_state_topic",
          (v, c, u) => {
            if (v === text(c, "payload_oscillation_on", "oscillate_on")) u.attributes.oscillating = true;
            else if (v === text(c, "payload_oscillation_off", "oscillate_off"))
              u.attributes.oscillating = false;
          },
          "oscillation_value_template",
        ),
      ];
    case "cover":
      // The position is read first so that a "stopped" state on the same topic can use it.
      return [
        r("position_topic", coverPosition, "position_template"),
        r("state_topic", coverState, "value_template"),
        r(
          "tilt_status_topic",
          (v, c, u) => {
            const n = toNumber(v);
            if (n === undefined) return;
            const min = num(c, "tilt_min", 0);
            const max = num(c, "tilt_max", 100);
            if (max !== min) u.attributes.current_tilt_position = Math.round(((n - min) / (max - min)) * 100);
          },
          "tilt_status_template",
        ),
      ];
    case "valve":
      return [r("state_topic", valveState, "value_template")];
    case "lock":
      return [r("state_topic", lockState, "value_template")];
    case "climate":
    case "water_heater":
      return [
        r("mode_state_topic", climateMode, "mode_state_template"),
        r(
          "current_temperature_topic",
          numberAttribute("current_temperature"),
          "current_temperature_template",
        ),
        r("temperature_state_topic", numberAttribute("temperature"), "temperature_state_template"),
        r("current_humidity_topic", numberAttribute("current_humidity"), "current_humidity_template"),
        r("target_humidity_state_topic", numberAttribute("humidity"), "target_humidity_state_template"),
        r("action_topic", textAttribute("hvac_action"), "action_template"),
        r("preset_mode_state_topic", textAttribute("preset_mode"), "preset_mode_value_template"),
        r("fan_mode_state_topic", textAttribute("fan_mode"), "fan_mode_state_template"),
      ];
    case "humidifier":
      return [
        r("state_topic", onOff(["payload_on"], ["payload_off"]), "state_value_template"),
        r("target_humidity_state_topic", numberAttribute("humidity"), "target_humidity_state_template"),
        r("current_humidity_topic", numberAttribute("current_humidity"), "current_humidity_template"),
        r("mode_state_topic", textAttribute("mode"), "mode_state_template"),
      ];
    case "number":
      return [r("state_topic", numberState, "value_template")];
    case "select":
      return [r("state_topic", selectState, "value_template")];
    case "vacuum":
      return [r("state_topic", vacuumState)];
    case "lawn_mower":
      return [r("activity_state_topic", mowerState, "activity_value_template")];
    case "sensor":
      return [r("state_topic", sensorState, "value_template")];
    default:
      return [];
  }
}

/** Attribute names a device may not set through json_attributes (they mean something else here). */
const BLOCKED_ATTRIBUTES = new Set([
  "friendly_name",
  "state",
  "entity_id",
  "available",
  "device_class",
  "unit_of_measurement",
]);

function availabilityItems(config: Json): { topic: string; on: string; off: string; template?: string }[] {
  const items: { topic: string; on: string; off: string; template?: string }[] = [];
  const on = text(config, "payload_available", "online");
  const off = text(config, "payload_not_available", "offline");
  if (typeof config.availability_topic === "string") {
    const template = text(config, "availability_template");
    items.push({ topic: config.availability_topic, on, off, ...(template ? { template } : {}) });
  }
  const list = Array.isArray(config.availability)
    ? config.availability
    : isObject(config.availability)
      ? [config.availability]
      : [];
  for (const item of list) {
    if (!isObject(item) || typeof item.topic !== "string") continue;
    const template = text(item, "value_template");
    items.push({
      topic: item.topic,
      on: text(item, "payload_available", "online"),
      off: text(item, "payload_not_available", "offline"),
      ...(template ? { template } : {}),
    });
  }
  return items;
}

/** Every topic to subscribe to for this entity's state, attributes and availability (deduplicated). */
export function stateTopics(entity: Entity): string[] {
  const config = entity.mqtt;
  if (!config) return [];
  const topics = new Set<string>();
  for (const role of rolesFor(entity, config)) {
    const t = config[role.topic];
    if (typeof t === "string" && t) topics.add(t);
  }
  if (typeof config.json_attributes_topic === "string" && config.json_attributes_topic) {
    topics.add(config.json_attributes_topic);
  }
  for (const item of availabilityItems(config)) topics.add(item.topic);
  return [...topics];
}

/**
 * Reads one message received on `topic` for `entity`. Every role whose topic matches is applied
 * (zigbee2mqtt publishes state, brightness and temperatures on one topic). An update with no state
 * and no attributes means the message said nothing Hearth understands.
 */
export function readState(entity: Entity, topic: string, payload: string): StateUpdate {
  const update: StateUpdate = { attributes: {}, unsupported: [] };
  const config = entity.mqtt;
  if (!config) return update;

  const evaluate = (templateKey: string | undefined, source: Json): string | undefined => {
    const template = templateKey ? source[templateKey] : undefined;
    if (typeof template !== "string" || template === "") return payload;
    const result = evaluateValueTemplate(template, payload, { entity_id: entity.id });
    if ("unsupported" in result) {
      update.unsupported.push(`${templateKey}: ${result.reason}`);
      return undefined;
    }
    return result.value;
  };

  for (const role of rolesFor(entity, config)) {
    if (config[role.topic] !== topic) continue;
    const value = evaluate(role.template, config);
    if (value === undefined) continue;
    role.apply(value, config, update, payload);
  }

  if (config.json_attributes_topic === topic) {
    const value = evaluate("json_attributes_template", config);
    const json = value === undefined ? undefined : payloadJson(value);
    if (isObject(json)) {
      for (const [key, v] of Object.entries(json)) {
        if (key !== "__proto__" && !BLOCKED_ATTRIBUTES.has(key)) update.attributes[key] = v;
      }
    }
  }

  for (const item of availabilityItems(config)) {
    if (item.topic !== topic) continue;
    const value = evaluate(
      item.template ? "template" : undefined,
      item.template ? { template: item.template } : {},
    );
    if (value === item.on) update.attributes.available = true;
    else if (value === item.off) update.attributes.available = false;
  }
  return update;
}
