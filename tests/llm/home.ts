import type { Domain } from "../../src/config/schema.js";
import { Registry } from "../../src/registry/registry.js";
import type { Area, Entity, Floor } from "../../src/registry/types.js";

/** A small home for the LLM tests: two floors, five areas, devices of most domains. */
export function smallHome(): Registry {
  const floors: Floor[] = [
    { id: "ground", name: "Ground Floor", aliases: ["downstairs"] },
    { id: "upstairs", name: "Upstairs", aliases: [] },
  ];
  const areas: Area[] = [
    { id: "kitchen", name: "Kitchen", floorId: "ground", aliases: [] },
    { id: "living_room", name: "Living Room", floorId: "ground", aliases: ["lounge"] },
    { id: "garage", name: "Garage", floorId: "ground", aliases: [] },
    { id: "bedroom", name: "Bedroom", floorId: "upstairs", aliases: [] },
    { id: "office", name: "Office", floorId: "upstairs", aliases: [] },
  ];
  const e = (id: string, name: string, areaId?: string, extra: Partial<Entity> = {}): Entity => ({
    id,
    name,
    domain: id.split(".")[0] as Domain,
    areaId,
    aliases: [],
    attributes: {},
    source: "config",
    ...extra,
  });
  const entities: Entity[] = [
    e("light.kitchen_ceiling", "Kitchen Ceiling", "kitchen", { aliases: ["big light"] }),
    e("light.kitchen_counter", "Counter Lights", "kitchen"),
    e("switch.coffee_maker", "Coffee Maker", "kitchen"),
    e("light.living_room_lamp", "Reading Lamp", "living_room"),
    e("media_player.living_room_tv", "Television", "living_room"),
    e("fan.living_room_fan", "Ceiling Fan", "living_room"),
    e("cover.garage_door", "Garage Door", "garage", { deviceClass: "garage" }),
    e("light.garage", "Garage Light", "garage"),
    e("light.bedroom_lamp", "Bedside Lamp", "bedroom"),
    e("cover.bedroom_blinds", "Bedroom Blinds", "bedroom", { deviceClass: "blind" }),
    e("climate.bedroom", "Bedroom Thermostat", "bedroom"),
    e("light.office_desk", "Desk Lamp", "office"),
    e("sensor.office_temperature", "Office Temperature", "office", {
      deviceClass: "temperature",
      unit: "°C",
    }),
    e("lock.front_door", "Front Door", undefined),
    e("vacuum.robot", "Robot Vacuum", undefined),
    e("weather.home", "Forecast", undefined),
    e("scene.movie_night", "Movie Night", "living_room"),
  ];
  return new Registry({ floors, areas, entities });
}

/** A home of `count` lights and switches over 25 areas, for figures at scale. */
export function largeHome(count: number): Registry {
  const areas: Area[] = Array.from({ length: 25 }, (_, i) => ({
    id: `area_${i}`,
    name: `Room ${i}`,
    aliases: [],
  }));
  const entities: Entity[] = Array.from({ length: count }, (_, i) => {
    const domain: Domain = i % 3 === 0 ? "switch" : "light";
    return {
      id: `${domain}.device_${i}`,
      name: `Device ${i} ${domain === "light" ? "Lamp" : "Plug"}`,
      domain,
      areaId: `area_${i % 25}`,
      aliases: [],
      attributes: {},
      source: "config",
    };
  });
  return new Registry({ floors: [], areas, entities });
}
