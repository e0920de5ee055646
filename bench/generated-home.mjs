// The generated home every benchmark measures: `devices` devices of 12 kinds spread over `areas`
// rooms on two floors (500 in 30 by default), named "<Room> <Kind>[ N]". One definition, so the
// text-path, LLM and speech benchmarks measure the same home.

export const ROOMS = [
  "Kitchen",
  "Living Room",
  "Bedroom",
  "Office",
  "Bathroom",
  "Garage",
  "Hallway",
  "Dining Room",
  "Study",
  "Attic",
  "Basement",
  "Nursery",
  "Laundry",
  "Pantry",
  "Porch",
  "Patio",
  "Guest Room",
  "Library",
  "Gym",
  "Playroom",
  "Den",
  "Loft",
  "Workshop",
  "Cellar",
  "Conservatory",
  "Sunroom",
  "Closet",
  "Mudroom",
  "Lounge",
  "Studio",
];

export const KINDS = [
  ["light", "Ceiling Light"],
  ["light", "Lamp"],
  ["light", "Strip"],
  ["switch", "Plug"],
  ["fan", "Fan"],
  ["cover", "Blinds", "blind"],
  ["climate", "Thermostat"],
  ["lock", "Door Lock"],
  ["sensor", "Temperature", "temperature"],
  ["media_player", "Speaker"],
  ["light", "Spotlight"],
  ["binary_sensor", "Window", "window"],
];

/** Floors, areas and entities in the registry's shapes (pass them to `new Registry(...)`). */
export function generatedHome({ devices = 500, areas = 30 } = {}) {
  const areaList = ROOMS.slice(0, areas).map((name, i) => ({
    id: `area_${i}`,
    name,
    aliases: [],
    floorId: i < areas / 2 ? "down" : "up",
  }));
  const floors = [
    { id: "down", name: "Downstairs", aliases: [] },
    { id: "up", name: "Upstairs", aliases: [] },
  ];
  const entities = [];
  for (let i = 0; i < devices; i++) {
    const area = areaList[i % areas];
    const [domain, kind, deviceClass] = KINDS[Math.floor(i / areas) % KINDS.length];
    const n = Math.floor(i / (areas * KINDS.length)) + 1;
    entities.push({
      id: `${domain}.d${i}`,
      name: `${area.name} ${kind}${n > 1 ? ` ${n}` : ""}`,
      domain,
      areaId: area.id,
      aliases: [],
      deviceClass,
      state: domain === "sensor" ? "21.5" : "off",
      attributes: {},
      source: "config",
    });
  }
  return { floors, areas: areaList, entities };
}
