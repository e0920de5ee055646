import { stateWordFor } from "../state-words.js";

/**
 * The names of entity states in the reply's language, as Home Assistant hands them to a pack's
 * response templates (it translates `state.state` with the domain's and device class's state
 * translations before rendering): a German reply says "Die Deckenlampe ist an", not "… ist on".
 * Written lower case, as they are said within a sentence.
 */

type Names = Readonly<Record<string, string>>;

/** German state names: by `domain` or `domain/device_class`, then the state Home Assistant reports. */
const DE: Readonly<Record<string, Names>> = {
  _: { on: "an", off: "aus", unavailable: "nicht verfügbar", unknown: "unbekannt" },
  cover: { open: "offen", closed: "geschlossen", opening: "öffnet", closing: "schließt" },
  valve: { open: "offen", closed: "geschlossen", opening: "öffnet", closing: "schließt" },
  lock: {
    locked: "verriegelt",
    unlocked: "entriegelt",
    locking: "verriegelt gerade",
    unlocking: "entriegelt gerade",
    jammed: "blockiert",
    open: "offen",
    opening: "öffnet",
  },
  media_player: {
    playing: "spielt",
    paused: "pausiert",
    idle: "untätig",
    standby: "im Standby",
    buffering: "puffert",
  },
  vacuum: {
    cleaning: "reinigt",
    docked: "angedockt",
    returning: "kehrt zur Ladestation zurück",
    paused: "pausiert",
    idle: "untätig",
    error: "gestört",
  },
  climate: {
    heat: "heizen",
    cool: "kühlen",
    heat_cool: "heizen und kühlen",
    auto: "automatisch",
    dry: "entfeuchten",
    fan_only: "nur Lüfter",
  },
  "binary_sensor/battery": { on: "schwach", off: "normal" },
  "binary_sensor/battery_charging": { on: "lädt", off: "lädt nicht" },
  "binary_sensor/carbon_monoxide": { on: "Kohlenmonoxid erkannt", off: "frei" },
  "binary_sensor/cold": { on: "kalt", off: "normal" },
  "binary_sensor/connectivity": { on: "verbunden", off: "getrennt" },
  "binary_sensor/door": { on: "offen", off: "geschlossen" },
  "binary_sensor/garage_door": { on: "offen", off: "geschlossen" },
  "binary_sensor/gas": { on: "Gas erkannt", off: "frei" },
  "binary_sensor/heat": { on: "heiß", off: "normal" },
  "binary_sensor/light": { on: "Licht erkannt", off: "kein Licht" },
  "binary_sensor/lock": { on: "entriegelt", off: "verriegelt" },
  "binary_sensor/moisture": { on: "nass", off: "trocken" },
  "binary_sensor/motion": { on: "Bewegung erkannt", off: "keine Bewegung" },
  "binary_sensor/moving": { on: "bewegt sich", off: "steht still" },
  "binary_sensor/occupancy": { on: "belegt", off: "frei" },
  "binary_sensor/opening": { on: "offen", off: "geschlossen" },
  "binary_sensor/plug": { on: "eingesteckt", off: "ausgesteckt" },
  "binary_sensor/power": { on: "Strom erkannt", off: "kein Strom" },
  "binary_sensor/presence": { on: "zu Hause", off: "abwesend" },
  "binary_sensor/problem": { on: "Problem erkannt", off: "in Ordnung" },
  "binary_sensor/running": { on: "läuft", off: "läuft nicht" },
  "binary_sensor/safety": { on: "unsicher", off: "sicher" },
  "binary_sensor/smoke": { on: "Rauch erkannt", off: "frei" },
  "binary_sensor/sound": { on: "Geräusch erkannt", off: "ruhig" },
  "binary_sensor/tamper": { on: "manipuliert", off: "in Ordnung" },
  "binary_sensor/update": { on: "Update verfügbar", off: "aktuell" },
  "binary_sensor/vibration": { on: "Vibration erkannt", off: "ruhig" },
  "binary_sensor/window": { on: "offen", off: "geschlossen" },
};

/** English names where Home Assistant's state string is not already the word people say. */
const EN: Readonly<Record<string, Names>> = {
  _: { unavailable: "unavailable", unknown: "unknown" },
  climate: { heat_cool: "heat and cool", fan_only: "fan only" },
};

const BY_LANGUAGE: Readonly<Record<string, Readonly<Record<string, Names>>>> = { de: DE, en: EN };

/**
 * Domains whose responses compare or map the raw state themselves (`state.state == "home"`,
 * `weather_condition.get(state.state)`), and numeric states: these stay as Home Assistant reports
 * them.
 */
const RAW_DOMAINS = new Set(["person", "device_tracker", "weather", "sensor", "todo", "zone"]);

/**
 * The name of `state` of an entity of `domain` (and `deviceClass`) in `language`; the state itself
 * where the language has no name for it.
 */
export function stateName(
  language: string,
  domain: string,
  deviceClass: string | undefined,
  state: string,
): string {
  if (RAW_DOMAINS.has(domain)) return state;
  const base = language.toLowerCase().split(/[-_]/)[0] ?? "";
  const names = BY_LANGUAGE[base];
  if (!names) return state;
  const found =
    (deviceClass !== undefined ? names[`${domain}/${deviceClass}`]?.[state] : undefined) ??
    names[domain]?.[state];
  if (found !== undefined) return found;
  // Hearth's English words for binary sensors ("open" for a door sensor that is on).
  if (base === "en") return stateWordFor(domain, deviceClass, state);
  return names._?.[state] ?? state;
}
