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

/** Words of a light's name that make it a room's main light ("Office Ceiling", "Den Main Light"). */
const MAIN_LIGHT_WORDS: ReadonlySet<string> = new Set(["ceiling", "overhead", "main", "big"]);

/** What people call a room's main light, whatever its name ("stick the big light on"). */
export const MAIN_LIGHT_NAMES: readonly (readonly string[])[] = [
  ["big", "light"],
  ["main", "light"],
  ["overhead", "light"],
  ["ceiling", "light"],
  ["top", "light"],
];

/**
 * Whether a light is its room's main light: its name says so ("Living Room Ceiling", "Main
 * Light"), or it is the room's name and no more than the word for a light ("Hallway Light" in
 * the Hallway, or "Hall Light" where the hallway is also called the hall). With `named: "room"`,
 * only a light named after its room ("Hallway Ceiling", not "Ceiling Light").
 */
export function isMainLight(
  entity: Entity,
  registry: Registry,
  tokenize: (text: string) => string[],
  named: "any" | "room" = "any",
): boolean {
  if (entity.domain !== "light") return false;
  const words = tokenize(entity.name);
  const area = entity.areaId ? registry.area(entity.areaId) : undefined;
  // The words after the room's name ("main" of the Main Bedroom says nothing of its lamp).
  let rest = words;
  for (const n of area ? [area.name, ...area.aliases] : []) {
    const prefix = tokenize(n);
    const longer = words.length - prefix.length < rest.length;
    if (longer && prefix.length <= words.length && prefix.every((w, i) => words[i] === w))
      rest = words.slice(prefix.length);
  }
  if (named === "room") {
    // Named after the room: "Hallway", "Hallway Light", "Hallway Ceiling", "Hallway Main Light".
    const kind = rest.filter((w) => w !== "light");
    return rest !== words && kind.length <= 1 && kind.every((w) => MAIN_LIGHT_WORDS.has(w));
  }
  if (rest.some((w) => MAIN_LIGHT_WORDS.has(w))) return true;
  return rest !== words && (rest.length === 0 || (rest.length === 1 && rest[0] === "light"));
}

/**
 * Words that tell apart devices of one kind by where each stands. Home Assistant users put them
 * last ("Study Lamp Left", "Lounge Blind Right"); people say them first ("the left lamp").
 */
const SIDE_WORDS: ReadonlySet<string> = new Set([
  "left",
  "right",
  "middle",
  "centre",
  "center",
  "upper",
  "lower",
  "top",
  "bottom",
  "front",
  "back",
  "rear",
  "inner",
  "outer",
]);

/**
 * A name ending in a side ("Study Lamp Left", "lamp left" in its room) as people say it, the side
 * first: "left study lamp", "study left lamp", "left lamp". None for a name of one word and a side.
 */
export function sideFirstNames(words: readonly string[]): string[][] {
  const side = words[words.length - 1];
  if (words.length < 2 || side === undefined || !SIDE_WORDS.has(side)) return [];
  const rest = words.slice(0, -1);
  if (rest.some((w) => SIDE_WORDS.has(w))) return [];
  const out = [[side, ...rest]];
  if (rest.length >= 2) out.push([...rest.slice(0, -1), side, rest[rest.length - 1] as string]);
  return out;
}

/**
 * What a device is called by someone in its area: its name without the area's name (or one of its
 * aliases) in front, "tv" for "Living Room TV", and that with the word for its kind where the name
 * lacks one, "ceiling light" for the light "Office Ceiling", and "the big light" or "the main light"
 * for a room's main light (see isMainLight). The matcher and the speech grammar both
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
  // "The big light" where it stands (where no device is called so: see buildLists).
  if (isMainLight(entity, registry, tokenize))
    for (const n of MAIN_LIGHT_NAMES) if (n.join(" ") !== words.join(" ")) names.push([...n]);
  for (const areaName of [area.name, ...area.aliases]) {
    const prefix = tokenize(areaName);
    const rest = words.slice(prefix.length);
    if (rest.length === 0 || !prefix.every((w, i) => words[i] === w)) continue;
    names.push(rest, ...sideFirstNames(rest));
    const kinds = KIND_WORDS[entity.domain] ?? [];
    if (!kinds.some((k) => rest.includes(k))) for (const k of kinds) names.push([...rest, k]);
  }
  return names;
}
