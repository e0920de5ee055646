import { Registry } from "../../../src/registry/registry.js";
import type { Entity } from "../../../src/registry/types.js";

type Spec = [id: string, en: string, de: string, area: string | undefined, extra?: Partial<Entity>];

/**
 * One home, named in English or German: three floors, seven areas, and devices of every kind the
 * packs' sentences speak about (lights, covers by device class, binary sensors by device class,
 * media, climate, lists, weather, people, scenes).
 */
const AREAS: Array<[id: string, en: string, de: string, floor: string]> = [
  ["kitchen", "Kitchen", "Küche", "ground"],
  ["living_room", "Living Room", "Wohnzimmer", "ground"],
  ["garage", "Garage", "Garage", "ground"],
  ["bedroom", "Bedroom", "Schlafzimmer", "first"],
  ["office", "Office", "Büro", "first"],
  ["bathroom", "Bathroom", "Badezimmer", "first"],
  ["attic", "Attic", "Dachboden", "top"],
];
const FLOORS: Array<[id: string, en: string, de: string]> = [
  ["ground", "Ground Floor", "Erdgeschoss"],
  ["first", "First Floor", "Obergeschoss"],
  ["top", "Top Floor", "Dachgeschoss"],
];
const ENTITIES: Spec[] = [
  [
    "light.kitchen_ceiling",
    "Ceiling Light",
    "Deckenlampe",
    "kitchen",
    { state: "on", attributes: { brightness: 128 } },
  ],
  ["light.reading_lamp", "Reading Lamp", "Leselampe", "living_room", { state: "off" }],
  ["light.bed_light", "Bed Light", "Bettlicht", "bedroom", { state: "off" }],
  ["light.desk_lamp", "Desk Lamp", "Schreibtischlampe", "office", { state: "on" }],
  ["light.mirror", "Mirror Light", "Spiegellicht", "bathroom", { state: "off" }],
  ["switch.coffee_maker", "Coffee Maker", "Kaffeemaschine", "kitchen", { state: "off" }],
  ["fan.ceiling_fan", "Ceiling Fan", "Ventilator", "bedroom", { state: "off" }],
  ["cover.garage_door", "Garage Door", "Garagentor", "garage", { deviceClass: "garage", state: "closed" }],
  ["cover.office_blind", "Office Blind", "Rollo", "office", { deviceClass: "blind", state: "open" }],
  ["cover.curtains", "Curtains", "Vorhang", "living_room", { deviceClass: "curtain", state: "open" }],
  ["cover.skylight", "Skylight", "Dachfenster", "attic", { deviceClass: "window", state: "closed" }],
  ["lock.front_door", "Front Door Lock", "Haustürschloss", "living_room", { state: "locked" }],
  ["valve.water_main", "Water Main", "Hauptwasserhahn", "garage", { state: "open" }],
  ["media_player.tv", "TV", "Fernseher", "living_room", { state: "playing" }],
  ["media_player.speaker", "Kitchen Speaker", "Küchenlautsprecher", "kitchen", { state: "idle" }],
  [
    "climate.thermostat",
    "Thermostat",
    "Thermostat",
    "living_room",
    {
      state: "heat",
      attributes: { current_temperature: 20.5, temperature: 21 },
    },
  ],
  ["vacuum.robot", "Robot Vacuum", "Staubsauger", "living_room", { state: "docked" }],
  [
    "sensor.outside_temperature",
    "Outside Temperature",
    "Außentemperatur",
    undefined,
    {
      deviceClass: "temperature",
      unit: "°C",
      state: "12.5",
    },
  ],
  [
    "sensor.bathroom_humidity",
    "Bathroom Humidity",
    "Luftfeuchtigkeit Bad",
    "bathroom",
    {
      deviceClass: "humidity",
      unit: "%",
      state: "61",
    },
  ],
  ["binary_sensor.phone_battery", "Phone", "Handy", "bedroom", { deviceClass: "battery", state: "off" }],
  [
    "binary_sensor.phone_charging",
    "Phone Charger",
    "Ladegerät",
    "bedroom",
    { deviceClass: "battery_charging", state: "on" },
  ],
  ["binary_sensor.back_door", "Back Door", "Hintertür", "kitchen", { deviceClass: "door", state: "off" }],
  [
    "binary_sensor.bath_window",
    "Bathroom Window",
    "Badfenster",
    "bathroom",
    { deviceClass: "window", state: "on" },
  ],
  [
    "binary_sensor.hall_motion",
    "Hall Motion",
    "Flurbewegung",
    "living_room",
    { deviceClass: "motion", state: "off" },
  ],
  [
    "binary_sensor.leak",
    "Leak Sensor",
    "Wassermelder",
    "bathroom",
    { deviceClass: "moisture", state: "off" },
  ],
  ["binary_sensor.smoke", "Smoke Detector", "Rauchmelder", "kitchen", { deviceClass: "smoke", state: "off" }],
  ["todo.shopping_list", "Shopping List", "Einkaufsliste", undefined, { state: "2" }],
  ["todo.chores", "Chores", "Hausarbeit", undefined, { state: "0" }],
  [
    "weather.home",
    "Forecast",
    "Wettervorhersage",
    undefined,
    { state: "sunny", attributes: { temperature: 14 } },
  ],
  ["person.alice", "Alice", "Alice", undefined, { state: "home" }],
  ["scene.movie_time", "Movie Time", "Filmabend", undefined, {}],
  ["script.good_night", "Good Night", "Gute Nacht", undefined, {}],
];

export function packHome(language: "en" | "de"): Registry {
  const n = (en: string, de: string) => (language === "en" ? en : de);
  return new Registry({
    floors: FLOORS.map(([id, en, de]) => ({ id, name: n(en, de), aliases: [] })),
    areas: AREAS.map(([id, en, de, floor]) => ({ id, name: n(en, de), floorId: floor, aliases: [] })),
    entities: ENTITIES.map(([id, en, de, areaId, extra]) => ({
      id,
      name: n(en, de),
      domain: id.split(".")[0] as Entity["domain"],
      areaId,
      aliases: [],
      attributes: {},
      source: "config" as const,
      ...extra,
    })),
  });
}
