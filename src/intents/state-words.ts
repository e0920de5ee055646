import type { Entity } from "../registry/types.js";

/**
 * The words people use for an entity's state: a door sensor that is "on" is "open", a phone's
 * charging sensor that is "on" is "charging". Replies say them; the resolver uses them to tell
 * apart devices that share a name ("is the phone charging" means the charging sensor, not the
 * battery level of the same phone).
 */

/** Binary sensors by device class (Home Assistant's names): the words for on and for off. */
const BINARY_STATES: Readonly<Record<string, readonly [string, string]>> = {
  battery: ["low", "normal"],
  battery_charging: ["charging", "not charging"],
  carbon_monoxide: ["detecting carbon monoxide", "clear"],
  cold: ["cold", "normal"],
  connectivity: ["connected", "disconnected"],
  door: ["open", "closed"],
  garage_door: ["open", "closed"],
  gas: ["detecting gas", "clear"],
  heat: ["hot", "normal"],
  light: ["detecting light", "dark"],
  lock: ["unlocked", "locked"],
  moisture: ["wet", "dry"],
  motion: ["detecting motion", "clear"],
  moving: ["moving", "still"],
  occupancy: ["occupied", "clear"],
  opening: ["open", "closed"],
  plug: ["plugged in", "unplugged"],
  power: ["powered", "off"],
  presence: ["home", "away"],
  problem: ["reporting a problem", "ok"],
  running: ["running", "not running"],
  safety: ["unsafe", "safe"],
  smoke: ["detecting smoke", "clear"],
  sound: ["detecting sound", "clear"],
  tamper: ["tampered with", "clear"],
  update: ["out of date", "up to date"],
  vibration: ["vibrating", "still"],
  window: ["open", "closed"],
};

/** The states other domains take (Home Assistant's state strings). */
const DOMAIN_STATES: Readonly<Record<string, readonly string[]>> = {
  cover: ["open", "closed", "opening", "closing"],
  valve: ["open", "closed", "opening", "closing"],
  lock: ["locked", "unlocked", "locking", "unlocking", "jammed", "open"],
  person: ["home", "not_home", "away"],
  vacuum: ["cleaning", "docked", "returning", "paused", "idle", "error"],
  lawn_mower: ["mowing", "docked", "returning", "paused", "error"],
  media_player: ["on", "off", "playing", "paused", "idle", "standby"],
};
const ON_OFF: readonly string[] = ["on", "off"];

/** The word for the entity's current state ("open" for a door sensor that is "on"). */
export function stateWord(e: Entity): string | undefined {
  const pair = e.domain === "binary_sensor" && e.deviceClass ? BINARY_STATES[e.deviceClass] : undefined;
  if (pair && e.state === "on") return pair[0];
  if (pair && e.state === "off") return pair[1];
  return e.state;
}

/** The word for a state of devices of one domain and class: "open" for window sensors that are "on". */
export function stateWordFor(domain: string, deviceClass: string | undefined, state: string): string {
  const pair = domain === "binary_sensor" && deviceClass ? BINARY_STATES[deviceClass] : undefined;
  if (pair && state === "on") return pair[0];
  if (pair && state === "off") return pair[1];
  return state;
}

/**
 * A state word said of binary sensors in Home Assistant's form ("open" of door contacts is "on",
 * "closed" is "off"; "unlocked" of a lock sensor is "on"), as the pack's lists give it with their
 * `out:` values; its device class says what "on" means. Undefined unless every one of them is a
 * binary sensor whose class has the word for the same state.
 */
export function binaryState(es: readonly Entity[], word: string): "on" | "off" | undefined {
  // "Is Dad away" asks a presence sensor in a person's words: away is its off.
  const said = word === "not_home" ? "away" : word;
  let state: "on" | "off" | undefined;
  for (const e of es) {
    const pair = e.domain === "binary_sensor" && e.deviceClass ? BINARY_STATES[e.deviceClass] : undefined;
    const its = pair?.[0] === said ? "on" : pair?.[1] === said ? "off" : undefined;
    if (its === undefined || (state !== undefined && its !== state)) return undefined;
    state = its;
  }
  return state;
}

/** Whether the entity is in the state a question asks about ("is the patio door open"). */
export function inState(e: Entity, wanted: string): boolean {
  // A thermostat that heats, cools or dries ("heat", "cool") is on: off is its one state of rest.
  if (e.domain === "climate" && wanted === "on" && e.state !== undefined)
    return !["off", "unavailable", "unknown"].includes(e.state);
  // A player that plays, pauses or stands idle is on ("ist der Fernseher noch an"); standby is off.
  if (e.domain === "media_player" && (wanted === "on" || wanted === "off") && e.state !== undefined)
    if (e.state !== "unavailable" && e.state !== "unknown")
      return MEDIA_OFF.includes(e.state) === (wanted === "off");
  return e.state === wanted || stateWord(e) === wanted;
}

const MEDIA_OFF: readonly string[] = ["off", "standby"];

/** Whether the entity can be in the state a question names at all (a battery level cannot be "charging"). */
export function canBeIn(e: Entity, wanted: string): boolean {
  if (e.state === wanted) return true;
  if (e.domain === "binary_sensor") {
    const pair = e.deviceClass ? BINARY_STATES[e.deviceClass] : undefined;
    return pair ? pair.includes(wanted) : ON_OFF.includes(wanted);
  }
  if (e.domain === "sensor" || e.domain === "weather") return false;
  return (DOMAIN_STATES[e.domain] ?? ON_OFF).includes(wanted);
}
