import type { RecognizedIntent, SlotValue } from "../intents/types.js";
import type { Entity } from "../registry/types.js";

/**
 * Which Home Assistant service carries out an intent on an entity: the services Home Assistant's
 * own intent handlers call (homeassistant/helpers/intent.py and each domain's intent.py), so a
 * command from Hearth does what the same sentence said to Assist would. Pure; never throws.
 */

/** One `call_service`: the target entity ids are added by whoever groups the calls. */
export interface ServiceCall {
  domain: string;
  service: string;
  data: Record<string, unknown>;
}

/** Why an intent cannot be carried out on this entity, as a clause the user can hear. */
export interface ServiceRefusal {
  error: string;
}

/** Feature bits from Home Assistant's entity feature enums (CoverEntityFeature, …). */
const COVER_SET_POSITION = 4;
const VALVE_SET_POSITION = 4;
const MEDIA_PAUSE = 1;
const MEDIA_VOLUME_SET = 4;
const MEDIA_VOLUME_MUTE = 8;
const MEDIA_VOLUME_STEP = 1024;
const MEDIA_PREVIOUS_TRACK = 16;
const MEDIA_NEXT_TRACK = 32;
const MEDIA_PLAY = 16384;
const VACUUM_RETURN_HOME = 16;
const VACUUM_START = 8192;
const LAWN_MOWER_START_MOWING = 1;
const LAWN_MOWER_DOCK = 4;
const CLIMATE_TARGET_TEMPERATURE = 1;

/** Domains whose entities have their own turn_on / turn_off services. */
const ON_OFF_DOMAINS: ReadonlySet<string> = new Set([
  "light",
  "switch",
  "fan",
  "input_boolean",
  "humidifier",
  "climate",
  "water_heater",
  "media_player",
  "automation",
  "script",
]);

/** Domains with a toggle service. */
const TOGGLE_DOMAINS: ReadonlySet<string> = new Set([
  "light",
  "switch",
  "fan",
  "input_boolean",
  "humidifier",
  "cover",
  "media_player",
  "automation",
  "script",
]);

/** Domains that are only asked about. */
const READ_ONLY: ReadonlySet<string> = new Set(["sensor", "binary_sensor", "weather", "person", "todo"]);

/** Light colour modes that take a colour, and any that take a brightness. */
const COLOR_MODES: ReadonlySet<string> = new Set(["hs", "xy", "rgb", "rgbw", "rgbww"]);

/** Builds the service call for `intent` on `entity`, or says why it cannot be done. */
export function serviceCall(intent: RecognizedIntent, entity: Entity): ServiceCall | ServiceRefusal {
  try {
    return dispatch(intent, entity);
  } catch (e) {
    if (e instanceof Refusal) return { error: e.message };
    return { error: `I couldn't work out the command for the ${entity.name}` };
  }
}

class Refusal {
  constructor(readonly message: string) {}
}

function call(domain: string, service: string, data: Record<string, unknown> = {}): ServiceCall {
  return { domain, service, data };
}

function dispatch(intent: RecognizedIntent, e: Entity): ServiceCall {
  const slots = intent.slots;
  switch (intent.name) {
    case "HassTurnOn":
    case "HassTurnOff":
      return onOff(intent.name === "HassTurnOn", e);
    case "HassToggle":
      return toggle(e);
    case "HassLightSet":
      return lightSet(slots, e);
    case "HassSetPosition":
      return setPosition(slots, e);
    case "HassClimateSetTemperature": {
      if (e.domain !== "climate" && e.domain !== "water_heater")
        throw new Refusal(`the ${e.name} has no temperature to set`);
      if (e.domain === "climate" && !supports(e, CLIMATE_TARGET_TEMPERATURE))
        throw new Refusal(`the ${e.name} can't be set to a temperature`);
      const temperature = numberSlot(slots, "temperature");
      if (temperature === undefined) throw new Refusal(`what temperature should the ${e.name} be set to?`);
      return call(e.domain, "set_temperature", { temperature });
    }
    case "HassSetVolume": {
      requireDomain(e, "media_player", "has no volume");
      if (!supports(e, MEDIA_VOLUME_SET)) throw new Refusal(`the ${e.name}'s volume can't be set`);
      const pct = percentSlot(slots, "volume_level", "volume");
      if (pct === undefined) throw new Refusal(`what volume should the ${e.name} be set to?`);
      return call("media_player", "volume_set", { volume_level: pct / 100 });
    }
    case "HassSetVolumeRelative":
      return volumeStep(slots, e);
    case "HassMediaPlayerMute":
    case "HassMediaPlayerUnmute": {
      requireDomain(e, "media_player", "has no sound to mute");
      if (!supports(e, MEDIA_VOLUME_MUTE)) throw new Refusal(`the ${e.name} can't be muted`);
      return call("media_player", "volume_mute", { is_volume_muted: intent.name === "HassMediaPlayerMute" });
    }
    case "HassLawnMowerStartMowing":
      requireDomain(e, "lawn_mower", "is not a lawn mower");
      if (!supports(e, LAWN_MOWER_START_MOWING)) throw new Refusal(`the ${e.name} can't be started`);
      return call("lawn_mower", "start_mowing");
    case "HassLawnMowerDock":
      requireDomain(e, "lawn_mower", "is not a lawn mower");
      if (!supports(e, LAWN_MOWER_DOCK)) throw new Refusal(`the ${e.name} can't be sent to its dock`);
      return call("lawn_mower", "dock");
    case "HassMediaPause":
      return media(e, "media_pause", MEDIA_PAUSE, "paused");
    case "HassMediaUnpause":
      return media(e, "media_play", MEDIA_PLAY, "resumed");
    case "HassMediaNext":
      return media(e, "media_next_track", MEDIA_NEXT_TRACK, "skipped forward");
    case "HassMediaPrevious":
      return media(e, "media_previous_track", MEDIA_PREVIOUS_TRACK, "skipped back");
    case "HassVacuumStart":
      requireDomain(e, "vacuum", "is not a vacuum");
      if (!supports(e, VACUUM_START)) throw new Refusal(`the ${e.name} can't be started`);
      return call("vacuum", "start");
    case "HassVacuumReturnToBase":
      requireDomain(e, "vacuum", "is not a vacuum");
      if (!supports(e, VACUUM_RETURN_HOME)) throw new Refusal(`the ${e.name} can't be sent home`);
      return call("vacuum", "return_to_base");
    case "HassListAddItem":
    case "HassShoppingListAddItem": {
      requireDomain(e, "todo", "is not a list");
      const item = textSlot(slots, "item");
      if (item === undefined) throw new Refusal(`what should I add to the ${e.name}?`);
      return call("todo", "add_item", { item });
    }
    case "HassFanSetSpeed": {
      requireDomain(e, "fan", "is not a fan");
      const percentage = percentSlot(slots, "percentage", "speed");
      if (percentage === undefined) throw new Refusal(`what speed should the ${e.name} run at?`);
      return call("fan", "set_percentage", { percentage });
    }
    default:
      throw new Refusal(`I can't do that with the ${e.name}`);
  }
}

function onOff(on: boolean, e: Entity): ServiceCall {
  switch (e.domain) {
    case "cover":
      return call("cover", on ? "open_cover" : "close_cover");
    case "valve":
      return call("valve", on ? "open_valve" : "close_valve");
    case "lock":
      return call("lock", on ? "lock" : "unlock");
    case "scene":
      if (!on) throw new Refusal(`the ${e.name} scene can only be activated`);
      return call("scene", "turn_on");
    case "button":
      if (!on) throw new Refusal(`the ${e.name} can only be pressed`);
      return call("button", "press");
    case "vacuum":
      return call("vacuum", on ? "start" : "return_to_base");
    default:
      if (READ_ONLY.has(e.domain)) throw new Refusal(`the ${e.name} can only be asked about, not controlled`);
      if (ON_OFF_DOMAINS.has(e.domain)) return call(e.domain, on ? "turn_on" : "turn_off");
      // What Home Assistant's own OnOff handler falls back to for any other domain.
      return call("homeassistant", on ? "turn_on" : "turn_off");
  }
}

function toggle(e: Entity): ServiceCall {
  if (e.domain === "lock") return call("lock", e.state === "locked" ? "unlock" : "lock");
  if (e.domain === "valve") return call("valve", e.state === "open" ? "close_valve" : "open_valve");
  if (READ_ONLY.has(e.domain) || e.domain === "scene" || e.domain === "button") return onOff(true, e);
  if (TOGGLE_DOMAINS.has(e.domain)) return call(e.domain, "toggle");
  return call("homeassistant", "toggle");
}

function lightSet(slots: RecognizedIntent["slots"], e: Entity): ServiceCall {
  requireDomain(e, "light", "is not a light");
  const pct = percentSlot(slots, "brightness");
  const color = textSlot(slots, "color", "colour");
  const kelvin = numberSlot(slots, "temperature", "color_temp_kelvin");
  if (pct === undefined && color === undefined && kelvin === undefined)
    throw new Refusal(`what should I set the ${e.name} to?`);
  if (pct === 0) return call("light", "turn_off");
  const modes = colorModes(e);
  const data: Record<string, unknown> = {};
  if (pct !== undefined) {
    if (modes?.every((m) => m === "onoff")) throw new Refusal(`the ${e.name} can't be dimmed`);
    data.brightness_pct = pct;
  }
  if (color !== undefined) {
    if (modes && !modes.some((m) => COLOR_MODES.has(m)))
      throw new Refusal(`the ${e.name} can't change colour`);
    data.color_name = color.toLowerCase().replace(/\s+/g, "");
  }
  if (kelvin !== undefined) {
    if (modes && !modes.includes("color_temp")) throw new Refusal(`the ${e.name} has no colour temperature`);
    data.color_temp_kelvin = kelvin;
  }
  return call("light", "turn_on", data);
}

function setPosition(slots: RecognizedIntent["slots"], e: Entity): ServiceCall {
  const position = percentSlot(slots, "position");
  if (position === undefined) throw new Refusal(`what position should the ${e.name} go to?`);
  if (e.domain === "cover" || e.domain === "valve") {
    const bit = e.domain === "cover" ? COVER_SET_POSITION : VALVE_SET_POSITION;
    if (!supports(e, bit)) {
      // Fully open or closed can still be done without positioning.
      if (position === 100 || position === 0) return onOff(position === 100, e);
      throw new Refusal(`the ${e.name} can't be set to a position`);
    }
    return call(e.domain, e.domain === "cover" ? "set_cover_position" : "set_valve_position", { position });
  }
  throw new Refusal(`the ${e.name} has no position to set`);
}

/**
 * "louder" / "quieter" (volume_step "up" / "down") is the player's own volume_up / volume_down
 * (Home Assistant offers them to players that step or set their volume); a step in percent ("up by
 * 10 percent") sets the volume that far from where it is, within 0–100.
 */
function volumeStep(slots: RecognizedIntent["slots"], e: Entity): ServiceCall {
  requireDomain(e, "media_player", "has no volume");
  const raw = slots.volume_step;
  const word = typeof raw === "string" ? raw.trim().toLowerCase() : undefined;
  if (word === "up" || word === "down") {
    if (!supports(e, MEDIA_VOLUME_STEP) && !supports(e, MEDIA_VOLUME_SET))
      throw new Refusal(`the ${e.name}'s volume can't be changed`);
    return call("media_player", word === "up" ? "volume_up" : "volume_down");
  }
  const step = numberSlot(slots, "volume_step");
  if (step === undefined) throw new Refusal(`how much louder or quieter should the ${e.name} be?`);
  if (!supports(e, MEDIA_VOLUME_SET)) throw new Refusal(`the ${e.name}'s volume can't be set`);
  const level = e.attributes.volume_level;
  if (typeof level !== "number") throw new Refusal(`I don't know how loud the ${e.name} is now`);
  const next = Math.min(100, Math.max(0, Math.round(level * 100) + step));
  return call("media_player", "volume_set", { volume_level: next / 100 });
}

function media(e: Entity, service: string, bit: number, what: string): ServiceCall {
  requireDomain(e, "media_player", "is not a media player");
  if (!supports(e, bit)) throw new Refusal(`the ${e.name} can't be ${what}`);
  return call("media_player", service);
}

function requireDomain(e: Entity, domain: string, what: string): void {
  if (e.domain !== domain) throw new Refusal(`the ${e.name} ${what}`);
}

/** Whether the entity's supported_features has `bit`; an entity that does not say is given the benefit. */
function supports(e: Entity, bit: number): boolean {
  const features = e.attributes.supported_features;
  return typeof features !== "number" || (features & bit) !== 0;
}

function colorModes(e: Entity): string[] | undefined {
  const modes = e.attributes.supported_color_modes;
  return Array.isArray(modes) ? modes.filter((m): m is string => typeof m === "string") : undefined;
}

function numberSlot(slots: RecognizedIntent["slots"], ...names: string[]): number | undefined {
  for (const name of names) {
    const v: SlotValue | undefined = slots[name];
    if (v === undefined) continue;
    const n = typeof v === "number" ? v : Number(String(v).replace(/%$/, "").trim());
    if (!Number.isFinite(n)) throw new Refusal(`I didn't understand the ${name} "${v}"`);
    return n;
  }
  return undefined;
}

function percentSlot(slots: RecognizedIntent["slots"], ...names: string[]): number | undefined {
  const n = numberSlot(slots, ...names);
  if (n === undefined) return undefined;
  if (n < 0 || n > 100) throw new Refusal(`${n} is not between 0 and 100 percent`);
  return n;
}

function textSlot(slots: RecognizedIntent["slots"], ...names: string[]): string | undefined {
  for (const name of names) {
    const v = slots[name];
    if (v !== undefined && String(v).trim() !== "") return String(v).trim();
  }
  return undefined;
}
