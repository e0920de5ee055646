import type { Entity } from "./types.js";

/**
 * Words that name a kind of device, not one device: an entity whose own name is "Light" or
 * "Battery" is never called by it alone ("turn on the light" means the area's lights).
 */
const GENERIC = new Set([
  "light",
  "lights",
  "lamp",
  "lamps",
  "lighting",
  "switch",
  "plug",
  "socket",
  "outlet",
  "power",
  "energy",
  "voltage",
  "current",
  "battery",
  "temperature",
  "humidity",
  "sensor",
  "state",
  "status",
  "button",
  "update",
  "fan",
  "cover",
  "lock",
  "valve",
  "door",
  "window",
  "motion",
  "occupancy",
  "presence",
  "illuminance",
  "signal strength",
  "linkquality",
]);

function key(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, " ");
}

/**
 * The own names (Entity.ownName: "Heater Plug" of "Plug 77 Heater Plug") people may say instead
 * of the full name, by entity id: only those no other entity answers to (by name, alias or own
 * name) and that are not just a kind of device.
 */
export function usableOwnNames(entities: readonly Entity[]): Map<string, string> {
  const taken = new Map<string, number>();
  const count = (k: string) => taken.set(k, (taken.get(k) ?? 0) + 1);
  for (const e of entities) {
    for (const n of new Set([e.name, ...e.aliases].map(key))) count(n);
    if (e.ownName) count(key(e.ownName));
  }
  const out = new Map<string, string>();
  for (const e of entities) {
    if (!e.ownName) continue;
    const k = key(e.ownName);
    if (k === "" || GENERIC.has(k) || taken.get(k) !== 1) continue;
    out.set(e.id, e.ownName);
  }
  return out;
}
