import type { Registry } from "../registry/registry.js";
import type { Entity } from "../registry/types.js";

/**
 * What a device is called by someone in its area: its name without the area's name (or one of its
 * aliases) in front, "tv" for "Living Room TV". The matcher and the speech grammar both offer
 * these, from this one function, so that what can be heard can be understood.
 */
export function areaLocalNames(
  entity: Entity,
  registry: Registry,
  tokenize: (text: string) => string[],
): string[][] {
  const area = entity.areaId ? registry.area(entity.areaId) : undefined;
  if (!area) return [];
  const words = tokenize(entity.name);
  const names: string[][] = [];
  for (const areaName of [area.name, ...area.aliases]) {
    const prefix = tokenize(areaName);
    const rest = words.slice(prefix.length);
    if (rest.length > 0 && prefix.every((w, i) => words[i] === w)) names.push(rest);
  }
  return names;
}
