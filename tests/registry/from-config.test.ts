import { describe, expect, test } from "vitest";
import { parseConfig } from "../../src/config/parse-config.js";
import { configSchema } from "../../src/config/schema.js";
import { HearthError } from "../../src/core/errors.js";
import { registryFromConfig } from "../../src/registry/from-config.js";

const home = parseConfig(`
floors:
  - name: Ground floor
    aliases: [downstairs]
  - name: First floor
    id: upstairs
areas:
  - name: Living Room
    floor: Downstairs
    aliases: [lounge]
  - name: Bedroom
    floor: upstairs
  - name: Café corner
devices:
  - id: light.ceiling
    name: Ceiling
    area: lounge
    aliases: [big light]
    state: true
    attributes: {brightness: 200}
  - id: binary_sensor.window
    name: Window
    area: bedroom
    device_class: window
    state: false
  - id: sensor.temperature
    name: Temperature
    area: BEDROOM
    device_class: temperature
    unit: °C
    state: 21.5
  - id: cover.garage
    name: Garage door
    domain: cover
    state: closed
  - id: person.alex
    name: Alex
`);

describe("registryFromConfig", () => {
  const registry = registryFromConfig(home);

  test("derives floor and area ids from names, keeping explicit ones", () => {
    expect(registry.floors()).toEqual([
      { id: "ground_floor", name: "Ground floor", aliases: ["downstairs"] },
      { id: "upstairs", name: "First floor", aliases: [] },
    ]);
    expect(registry.areas().map((a) => a.id)).toEqual(["living_room", "bedroom", "cafe_corner"]);
  });

  test("resolves an area's floor given by alias or id", () => {
    expect(registry.area("living_room")?.floorId).toBe("ground_floor");
    expect(registry.area("bedroom")?.floorId).toBe("upstairs");
    expect(registry.area("cafe_corner")?.floorId).toBeUndefined();
  });

  test("resolves device areas given by alias or by name in any case", () => {
    expect(registry.entity("light.ceiling")?.areaId).toBe("living_room");
    expect(registry.entity("sensor.temperature")?.areaId).toBe("bedroom");
    expect(registry.entity("cover.garage")?.areaId).toBeUndefined();
  });

  test("infers each device's domain from its id", () => {
    expect(registry.entities().map((e) => [e.id, e.domain])).toEqual([
      ["light.ceiling", "light"],
      ["binary_sensor.window", "binary_sensor"],
      ["sensor.temperature", "sensor"],
      ["cover.garage", "cover"],
      ["person.alex", "person"],
    ]);
  });

  test("normalises states to Home Assistant strings", () => {
    const states = Object.fromEntries(registry.entities().map((e) => [e.id, e.state]));
    expect(states).toEqual({
      "light.ceiling": "on",
      "binary_sensor.window": "off",
      "sensor.temperature": "21.5",
      "cover.garage": "closed",
      "person.alex": undefined,
    });
  });

  test("copies names, aliases, device class, unit and attributes, and marks the source as config", () => {
    expect(registry.entity("light.ceiling")).toEqual({
      id: "light.ceiling",
      name: "Ceiling",
      domain: "light",
      areaId: "living_room",
      aliases: ["big light"],
      deviceClass: undefined,
      unit: undefined,
      state: "on",
      attributes: { brightness: 200 },
      source: "config",
    });
    expect(registry.entity("sensor.temperature")).toMatchObject({ deviceClass: "temperature", unit: "°C" });
  });

  test("gives each registry its own copies of aliases and attributes, so changes never reach the config", () => {
    const own = registryFromConfig(home);
    const entity = own.entity("light.ceiling");
    if (!entity) throw new Error("light.ceiling missing");
    entity.attributes.brightness = 0;
    entity.aliases.push("main light");
    own.floors()[0]?.aliases.push("ground");
    expect(home.devices[0]?.attributes).toEqual({ brightness: 200 });
    expect(home.devices[0]?.aliases).toEqual(["big light"]);
    expect(home.floors[0]?.aliases).toEqual(["downstairs"]);
    expect(registryFromConfig(home).entity("light.ceiling")?.attributes).toEqual({ brightness: 200 });
  });

  test("an empty config gives an empty registry", () => {
    const empty = registryFromConfig(configSchema.parse({}));
    expect([empty.floors(), empty.areas(), empty.entities()]).toEqual([[], [], []]);
  });

  test("refuses a config whose references do not resolve, listing the problems", () => {
    const bad = configSchema.parse({ devices: [{ id: "light.a", name: "A", area: "Nowhere" }] });
    let error: unknown;
    try {
      registryFromConfig(bad);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(HearthError);
    expect((error as HearthError).code).toBe("CONFIG_INVALID");
    expect((error as HearthError).details).toEqual(['devices[0].area: unknown area "Nowhere"']);
  });
});
