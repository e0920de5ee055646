import type { Registry } from "../registry/registry.js";
import type { Entity } from "../registry/types.js";

/**
 * The word people add for what a device is, where its name does not say it: "the ceiling light"
 * for a light named "Office Ceiling", "Jake's fan" for the fan in Jake's Room.
 */
export const KIND_WORDS: Readonly<Partial<Record<string, readonly string[]>>> = {
  light: ["light", "lamp"],
  fan: ["fan"],
};

/**
 * What a device is called by someone in its area: its name without the area's name (or one of its
 * aliases) in front, "tv" for "Living Room TV", and that with the word for its kind where the name
 * lacks one, "ceiling light" for the light "Office Ceiling". The matcher and the speech grammar both
 * offer these, from this one function, so that what can be heard can be understood.
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
    if (rest.length === 0 || !prefix.every((w, i) => words[i] === w)) continue;
    names.push(rest);
    const kinds = KIND_WORDS[entity.domain] ?? [];
    if (!kinds.some((k) => rest.includes(k))) for (const k of kinds) names.push([...rest, k]);
  }
  return names;
}
