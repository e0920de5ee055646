import { formatConfigProblem } from "../config/problem.js";
import { resolveReferences } from "../config/references.js";
import type { Config, DeviceConfig } from "../config/schema.js";
import { HearthError } from "../core/errors.js";
import { Registry } from "./registry.js";
import type { Area, Entity, Floor } from "./types.js";

/**
 * Builds the registry from a validated config: ids derived from names where absent, floor and area
 * references (by name, alias or id) resolved to ids, each device's domain taken from its id, and
 * initial states normalised to Home Assistant style strings. Entities get source "config"; MQTT
 * discovery adds and updates entities later.
 *
 * @throws HearthError CONFIG_INVALID when the references do not resolve (a config that did not go
 *   through `loadConfig`).
 */
export function registryFromConfig(config: Config): Registry {
  const refs = resolveReferences(config);
  if (refs.problems.length > 0) {
    const details = refs.problems.map(formatConfigProblem);
    throw new HearthError("CONFIG_INVALID", `configuration is inconsistent (${details.length} problems)`, {
      details,
    });
  }
  const floors: Floor[] = config.floors.map((f, i) => ({
    id: required(refs.floorIds[i]),
    name: f.name,
    aliases: [...f.aliases],
  }));
  const areas: Area[] = config.areas.map((a, i) => ({
    id: required(refs.areaIds[i]),
    name: a.name,
    floorId: refs.areaFloorIds[i],
    aliases: [...a.aliases],
  }));
  const entities: Entity[] = config.devices.map((d, i) => ({
    id: d.id,
    name: d.name,
    domain: required(refs.deviceDomains[i]),
    areaId: refs.deviceAreaIds[i],
    aliases: [...d.aliases],
    // A device written as Home Assistant's states describe it carries its class and unit among its
    // attributes ("is the side door open" asks a door sensor, answered "open", not "on").
    deviceClass: d.device_class ?? textAttribute(d.attributes, "device_class"),
    unit: d.unit ?? textAttribute(d.attributes, "unit_of_measurement"),
    state: normaliseState(d.state),
    // A fan's speed count becomes Home Assistant's percentage_step, as its fan entity reports it.
    attributes:
      d.speed_count !== undefined
        ? { ...d.attributes, percentage_step: 100 / d.speed_count }
        : { ...d.attributes },
    source: "config",
  }));
  return new Registry({ floors, areas, entities });
}

/** An attribute that is text, or undefined. */
function textAttribute(attributes: DeviceConfig["attributes"], key: string): string | undefined {
  const v = attributes?.[key];
  return typeof v === "string" && v.length > 0 ? v : undefined;
}

/** YAML `state: on` is already the string "on"; `true`/`false` and numbers need converting. */
function normaliseState(state: DeviceConfig["state"]): string | undefined {
  if (state === undefined) return undefined;
  if (typeof state === "boolean") return state ? "on" : "off";
  return String(state);
}

/** resolveReferences leaves a value undefined only alongside a problem, which was thrown above. */
function required<T>(value: T | undefined): T {
  if (value === undefined) throw new HearthError("CONFIG_INVALID", "configuration is inconsistent");
  return value;
}
