/**
 * What people call devices of a domain or a device class, in the singular and the plural: "2
 * windows are open", "there are no lights in the garage". One table for replies and for the
 * resolver's "what was looked for".
 */
const NOUNS: Readonly<Record<string, readonly [string, string]>> = {
  // Domains.
  light: ["light", "lights"],
  switch: ["switch", "switches"],
  fan: ["fan", "fans"],
  cover: ["cover", "covers"],
  lock: ["lock", "locks"],
  valve: ["valve", "valves"],
  media_player: ["media player", "media players"],
  binary_sensor: ["sensor", "sensors"],
  sensor: ["sensor", "sensors"],
  climate: ["thermostat", "thermostats"],
  vacuum: ["vacuum", "vacuums"],
  lawn_mower: ["lawn mower", "lawn mowers"],
  person: ["person", "people"],
  weather: ["weather service", "weather services"],
  todo: ["list", "lists"],
  // Device classes (covers, binary sensors, sensors).
  window: ["window", "windows"],
  door: ["door", "doors"],
  garage_door: ["garage door", "garage doors"],
  garage: ["garage door", "garage doors"],
  opening: ["opening", "openings"],
  gate: ["gate", "gates"],
  blind: ["blind", "blinds"],
  curtain: ["curtain", "curtains"],
  shade: ["shade", "shades"],
  shutter: ["shutter", "shutters"],
  awning: ["awning", "awnings"],
  battery: ["battery", "batteries"],
  battery_charging: ["device charging", "devices charging"],
  moisture: ["leak sensor", "leak sensors"],
  smoke: ["smoke detector", "smoke detectors"],
  plug: ["plug", "plugs"],
  temperature: ["temperature sensor", "temperature sensors"],
  humidity: ["humidity sensor", "humidity sensors"],
};

/** The noun for `n` devices of a domain or device class; undefined when Hearth has none for it. */
export function nounFor(key: string | undefined, n: number): string | undefined {
  const pair = key === undefined ? undefined : NOUNS[key];
  return pair ? pair[n === 1 ? 0 : 1] : undefined;
}

/** Domains and device classes whose plural noun names devices by what they are ("the bedroom blinds"). */
export const KINDS_SAID_PLURAL: readonly string[] = [
  "light",
  "switch",
  "fan",
  "lock",
  "valve",
  "window",
  "door",
  "gate",
  "blind",
  "curtain",
  "shade",
  "shutter",
  "awning",
  "plug",
];
