import { stateWordFor } from "../state-words.js";

/**
 * The names of entity states in the reply's language, as Home Assistant hands them to a pack's
 * response templates (it translates `state.state` with the domain's and device class's state
 * translations before rendering): a German reply says "Die Deckenlampe ist an", not "… ist on".
 * Written lower case, as they are said within a sentence.
 */

type Names = Readonly<Record<string, string>>;

/**
 * German state names: by `domain` or `domain/device_class`, then the state Home Assistant reports.
 * The German pack says a state in one frame, "{{ name }} ist {{ state }}" (HassGetState's
 * `einzeln`), so each name is what can follow "ist": "der Fernseher ist am Abspielen", not
 * "… ist spielt"; "das Thermostat ist im Heizbetrieb", not "… ist heizen".
 */
const DE: Readonly<Record<string, Names>> = {
  _: { on: "an", off: "aus", unavailable: "nicht verfügbar", unknown: "unbekannt" },
  cover: { open: "offen", closed: "geschlossen", opening: "am Öffnen", closing: "am Schließen" },
  valve: { open: "offen", closed: "geschlossen", opening: "am Öffnen", closing: "am Schließen" },
  lock: {
    locked: "verriegelt",
    unlocked: "entriegelt",
    locking: "am Verriegeln",
    unlocking: "am Entriegeln",
    jammed: "blockiert",
    open: "offen",
    opening: "am Öffnen",
  },
  media_player: {
    playing: "am Abspielen",
    paused: "pausiert",
    idle: "untätig",
    standby: "im Standby",
    buffering: "am Puffern",
  },
  vacuum: {
    cleaning: "am Reinigen",
    docked: "angedockt",
    returning: "auf dem Weg zur Ladestation",
    paused: "pausiert",
    idle: "untätig",
    error: "gestört",
  },
  climate: {
    heat: "im Heizbetrieb",
    cool: "im Kühlbetrieb",
    heat_cool: "im Heiz- und Kühlbetrieb",
    auto: "im Automatikbetrieb",
    dry: "im Entfeuchtungsbetrieb",
    fan_only: "im Lüfterbetrieb",
  },
  water_heater: {
    eco: "im Sparbetrieb",
    electric: "im Elektrobetrieb",
    gas: "im Gasbetrieb",
    heat_pump: "im Wärmepumpenbetrieb",
    high_demand: "auf hoher Leistung",
    performance: "im Leistungsbetrieb",
  },
  alarm_control_panel: {
    disarmed: "unscharf",
    armed_home: "scharf geschaltet (zu Hause)",
    armed_away: "scharf geschaltet (abwesend)",
    armed_night: "scharf geschaltet (Nacht)",
    armed_vacation: "scharf geschaltet (Urlaub)",
    arming: "am Scharfschalten",
    disarming: "am Unscharfschalten",
    pending: "kurz vor dem Auslösen",
    triggered: "ausgelöst",
  },
  "binary_sensor/battery": { on: "schwach", off: "normal" },
  "binary_sensor/battery_charging": { on: "am Laden", off: "nicht am Laden" },
  "binary_sensor/carbon_monoxide": { on: "ausgelöst", off: "frei" },
  "binary_sensor/cold": { on: "kalt", off: "normal" },
  "binary_sensor/connectivity": { on: "verbunden", off: "getrennt" },
  "binary_sensor/door": { on: "offen", off: "geschlossen" },
  "binary_sensor/garage_door": { on: "offen", off: "geschlossen" },
  "binary_sensor/gas": { on: "ausgelöst", off: "frei" },
  "binary_sensor/heat": { on: "heiß", off: "normal" },
  "binary_sensor/light": { on: "hell", off: "dunkel" },
  "binary_sensor/lock": { on: "entriegelt", off: "verriegelt" },
  "binary_sensor/moisture": { on: "nass", off: "trocken" },
  "binary_sensor/motion": { on: "ausgelöst", off: "frei" },
  "binary_sensor/moving": { on: "in Bewegung", off: "still" },
  "binary_sensor/occupancy": { on: "belegt", off: "frei" },
  "binary_sensor/opening": { on: "offen", off: "geschlossen" },
  "binary_sensor/plug": { on: "eingesteckt", off: "ausgesteckt" },
  "binary_sensor/power": { on: "unter Strom", off: "ohne Strom" },
  "binary_sensor/presence": { on: "zu Hause", off: "abwesend" },
  "binary_sensor/problem": { on: "gestört", off: "in Ordnung" },
  "binary_sensor/running": { on: "in Betrieb", off: "außer Betrieb" },
  "binary_sensor/safety": { on: "unsicher", off: "sicher" },
  "binary_sensor/smoke": { on: "ausgelöst", off: "frei" },
  "binary_sensor/sound": { on: "ausgelöst", off: "ruhig" },
  "binary_sensor/tamper": { on: "manipuliert", off: "in Ordnung" },
  "binary_sensor/update": { on: "veraltet", off: "aktuell" },
  "binary_sensor/vibration": { on: "ausgelöst", off: "ruhig" },
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
 * "de" for "de-CH" or "de_DE"; a bare "de" as it is, without new strings (a reply names the state
 * of every entity it lists).
 */
function baseLanguage(language: string): string {
  if (Object.hasOwn(BY_LANGUAGE, language)) return language;
  return language.toLowerCase().split(/[-_]/)[0] ?? "";
}

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
  const base = baseLanguage(language);
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
