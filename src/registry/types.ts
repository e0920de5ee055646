import type { Domain } from "../config/schema.js";

export type { Domain } from "../config/schema.js";

/** A floor of the home ("Upstairs"). */
export interface Floor {
  id: string;
  name: string;
  aliases: string[];
}

/** A room or zone ("Kitchen"). */
export interface Area {
  id: string;
  name: string;
  floorId?: string | undefined;
  aliases: string[];
}

/**
 * Where an entity came from: the config file, a retained MQTT discovery message, Home
 * Assistant's registries (WebSocket API), or Hearth itself (the lists it keeps).
 */
export type EntitySource = "config" | "discovery" | "homeassistant" | "hearth";

/**
 * Something Hearth can talk about or act on, in Home Assistant's terms. Entities from the
 * config and from MQTT discovery share this shape; `mqtt` carries the expanded discovery config
 * that the MQTT layer needs to command and read it (opaque to everything else).
 */
export interface Entity {
  /** Home Assistant style id, e.g. `light.kitchen_ceiling`; stable across restarts. */
  id: string;
  name: string;
  domain: Domain;
  areaId?: string | undefined;
  aliases: string[];
  /**
   * The entity's own name where `name` puts its device's name first ("Heater Plug" of device
   * "Plug 77", named "Plug 77 Heater Plug" as Home Assistant composes it): heard too, while no
   * other device answers to it (registry/own-names.ts).
   */
  ownName?: string | undefined;
  deviceClass?: string | undefined;
  unit?: string | undefined;
  /** Home Assistant style state string ("on", "off", "open", "21.5", "home"), when known. */
  state?: string | undefined;
  attributes: Record<string, unknown>;
  source: EntitySource;
  /** Transport-specific data (the expanded MQTT discovery config); only the MQTT layer reads it. */
  mqtt?: Record<string, unknown> | undefined;
  /**
   * What identifies the same device seen through two sources (`mqtt:<unique_id>`: an MQTT
   * discovery config and the entity Home Assistant made of it). Where a Home Assistant entity
   * shares it, the other one is hidden from `Registry.entities()`: one device, Home Assistant's name.
   */
  mergeKey?: string | undefined;
}
