import { DOMAINS, type Domain } from "../config/schema.js";
import type { Area, Entity, Floor } from "../registry/types.js";

/**
 * The home as Home Assistant's registries describe it, turned into Hearth's floors, areas and
 * entities. Pure: the shapes are those of the WebSocket commands config/floor_registry/list,
 * config/area_registry/list, config/device_registry/list, config/entity_registry/list (+ get_entries
 * for aliases), homeassistant/expose_entity/list and the state objects of subscribe_entities.
 */

/** config/floor_registry/list */
export interface HaFloor {
  floor_id: string;
  name: string;
  aliases?: string[] | null;
  level?: number | null;
}

/** config/area_registry/list */
export interface HaArea {
  area_id: string;
  name: string;
  aliases?: string[] | null;
  floor_id?: string | null;
}

/** config/device_registry/list */
export interface HaDevice {
  id: string;
  name?: string | null;
  name_by_user?: string | null;
  area_id?: string | null;
  disabled_by?: string | null;
}

/** config/entity_registry/list (partial entries) merged with get_entries (aliases, device classes). */
export interface HaEntityEntry {
  entity_id: string;
  unique_id?: string | null;
  platform?: string | null;
  device_id?: string | null;
  area_id?: string | null;
  name?: string | null;
  original_name?: string | null;
  has_entity_name?: boolean | null;
  disabled_by?: string | null;
  hidden_by?: string | null;
  entity_category?: string | null;
  aliases?: string[] | null;
  device_class?: string | null;
  original_device_class?: string | null;
}

/** A state as the entities collection keeps it. */
export interface HaState {
  entity_id: string;
  state: string;
  attributes: Record<string, unknown>;
}

/** homeassistant/expose_entity/list: entity id → assistant → exposed. */
export type HaExposure = Record<string, Record<string, boolean | undefined> | undefined>;

export interface HaSnapshot {
  floors: HaFloor[];
  areas: HaArea[];
  devices: HaDevice[];
  entities: HaEntityEntry[];
  states: Record<string, HaState>;
  exposure: HaExposure;
}

export interface HomeModel {
  floors: Floor[];
  areas: Area[];
  entities: Entity[];
  /** Entities left out, with why (for `hearth devices` and the debug log). */
  skipped: Array<{ id: string; reason: string }>;
}

const KNOWN_DOMAINS: ReadonlySet<string> = new Set(DOMAINS);
/** homeassistant/core.py VALID_ENTITY_ID */
const ENTITY_ID = /^(?!.+__)(?!_)[\da-z_]+(?<!_)\.(?!_)[\da-z_]+(?<!_)$/;

/** Whether Home Assistant exposes `entityId` to Assist (its `conversation` assistant). */
export function exposedToAssist(exposure: HaExposure, entityId: string): boolean {
  return exposure[entityId]?.conversation === true;
}

/**
 * An entity's name as Home Assistant shows it: a name the user set in the entity registry wins;
 * otherwise, for an entity with `has_entity_name`, the device's name followed by the entity's own
 * (or the device's name alone when the entity has none); otherwise the entity's original name, and
 * last the friendly_name of its state.
 * https://developers.home-assistant.io/docs/core/entity/#entity-naming
 */
export function entityName(
  entry: HaEntityEntry | undefined,
  device: HaDevice | undefined,
  state: HaState | undefined,
): string | undefined {
  if (entry?.name) return entry.name;
  if (entry?.has_entity_name && device) {
    const deviceName = device.name_by_user || device.name || undefined;
    const own = entry.original_name || undefined;
    if (deviceName) return own ? `${deviceName} ${own}` : deviceName;
    if (own) return own;
  }
  if (entry?.original_name) return entry.original_name;
  const friendly = state?.attributes.friendly_name;
  return typeof friendly === "string" && friendly.trim() !== "" ? friendly : undefined;
}

/**
 * Builds the floors, areas and entities Hearth should know from one snapshot. `exposeAll` takes
 * every entity Hearth has a use for; otherwise only those exposed to Assist.
 */
export function buildHomeModel(snapshot: HaSnapshot, options: { exposeAll: boolean }): HomeModel {
  const floors: Floor[] = snapshot.floors.map((f) => ({
    id: f.floor_id,
    name: f.name,
    aliases: clean(f.aliases),
  }));
  const floorIds = new Set(floors.map((f) => f.id));
  const areas: Area[] = snapshot.areas.map((a) => ({
    id: a.area_id,
    name: a.name,
    floorId: a.floor_id && floorIds.has(a.floor_id) ? a.floor_id : undefined,
    aliases: clean(a.aliases),
  }));
  const areaIds = new Set(areas.map((a) => a.id));
  const devices = new Map(snapshot.devices.map((d) => [d.id, d]));
  const entries = new Map(snapshot.entities.map((e) => [e.entity_id, e]));

  const entities: Entity[] = [];
  const skipped: HomeModel["skipped"] = [];
  // Registry entries and entities with a state but no registry entry (YAML without unique_id).
  const ids = new Set([...entries.keys(), ...Object.keys(snapshot.states)]);
  for (const id of [...ids].sort()) {
    // Home Assistant's own rule for entity ids; anything else is not an entity Hearth can address.
    if (typeof id !== "string" || !ENTITY_ID.test(id)) {
      skipped.push({ id: String(id), reason: "not a valid entity id" });
      continue;
    }
    const entry = entries.get(id);
    const state = snapshot.states[id];
    const domain = id.slice(0, id.indexOf("."));
    if (entry?.disabled_by) continue;
    if (!options.exposeAll && !exposedToAssist(snapshot.exposure, id)) {
      skipped.push({ id, reason: "not exposed to Assist" });
      continue;
    }
    // What the user exposed to Assist loads whatever its domain (Hearth answers about it and says
    // when it cannot act on it); taking everything, only the domains Hearth has a use for.
    if (options.exposeAll && !KNOWN_DOMAINS.has(domain)) continue;
    if (
      options.exposeAll &&
      (entry?.entity_category === "config" || entry?.entity_category === "diagnostic")
    ) {
      skipped.push({ id, reason: `entity_category ${entry.entity_category}` });
      continue;
    }
    const device = entry?.device_id ? devices.get(entry.device_id) : undefined;
    const name = entityName(entry, device, state)?.trim();
    if (!name) {
      skipped.push({ id, reason: "no name" });
      continue;
    }
    const areaId = entry?.area_id || device?.area_id || undefined;
    const attributes = { ...(state?.attributes ?? {}) };
    const deviceClass =
      text(attributes.device_class) ?? entry?.device_class ?? entry?.original_device_class ?? undefined;
    entities.push({
      id,
      name,
      domain: domain as Domain,
      areaId: areaId && areaIds.has(areaId) ? areaId : undefined,
      aliases: clean(entry?.aliases).filter((a) => a.toLowerCase() !== name.toLowerCase()),
      ...ownNameOf(entry, device, name),
      deviceClass,
      unit: text(attributes.unit_of_measurement),
      state: state?.state,
      attributes,
      source: "homeassistant",
      ...(entry?.platform === "mqtt" && entry.unique_id ? { mergeKey: `mqtt:${entry.unique_id}` } : {}),
    });
  }
  return { floors, areas, entities, skipped };
}

/** The entity's own name when Home Assistant put its device's name first (Entity.ownName). */
function ownNameOf(
  entry: HaEntityEntry | undefined,
  device: HaDevice | undefined,
  name: string,
): { ownName?: string } {
  const own = entry?.original_name?.trim();
  if (entry?.name || !entry?.has_entity_name || !device || !own || own === name) return {};
  return { ownName: own };
}

function clean(list: readonly string[] | null | undefined): string[] {
  if (!Array.isArray(list)) return [];
  const names = list.filter((s): s is string => typeof s === "string").map((s) => s.trim());
  return [...new Set(names.filter((s) => s !== ""))];
}

function text(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}
