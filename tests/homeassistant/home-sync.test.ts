import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { HomeAssistantConnection } from "../../src/homeassistant/connection.js";
import { HomeAssistantHome } from "../../src/homeassistant/home-sync.js";
import { Registry } from "../../src/registry/registry.js";
import type { Entity } from "../../src/registry/types.js";
import { HaStandin } from "../helpers/ha-standin.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { smallHome } from "./small-home.js";

const log = pino({ level: "silent" });
const cleanup: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function following(options: { exposeAll?: boolean; registry?: Registry } = {}) {
  const ha = await HaStandin.start({ home: smallHome() });
  cleanup.push(() => ha.stop());
  const conn = new HomeAssistantConnection({
    url: ha.url,
    token: ha.token,
    startupTimeoutMs: 5000,
    logger: log,
    // Its start-up limit on a clock nothing moves: a machine slow to connect fails nothing.
    clock: new ManualClock(),
  });
  cleanup.push(() => conn.stop());
  await conn.start();
  const registry = options.registry ?? new Registry();
  const home = new HomeAssistantHome({
    connection: conn,
    registry,
    exposeAll: options.exposeAll ?? false,
    debounceMs: 20,
    logger: log,
  });
  home.start();
  cleanup.push(() => home.stop());
  await home.loaded;
  return { ha, registry, home };
}

describe("learning the home from Home Assistant", () => {
  it("names entities as Home Assistant does and places them in areas and floors", async () => {
    const { registry } = await following();
    const e = (id: string) => registry.entity(id);
    // has_entity_name without a name of its own: the device's name (as the user renamed it).
    expect(e("light.reading_lamp")?.name).toBe("Reading Lamp");
    expect(e("light.hue_ceiling_1")?.name).toBe("Living Room Ceiling");
    // has_entity_name with its own name: device name + entity name.
    expect(e("sensor.hallway_sensor_temperature")?.name).toBe("Hallway Sensor Temperature");
    // A name set in the entity registry wins outright.
    expect(e("cover.garage_door")?.name).toBe("Garage Door");
    // No registry entry: the state's friendly name.
    expect(e("switch.christmas_tree")?.name).toBe("Christmas Tree");
    expect(e("light.hue_ceiling_1")?.aliases).toEqual(["big light"]);
    // The area of the device when the entity has none of its own; the area's floor.
    expect(e("light.kitchen_ceiling")?.areaId).toBe("kitchen");
    expect(registry.area("kitchen")?.floorId).toBe("ground_floor");
    expect(registry.area("living_room")?.aliases).toEqual(["lounge"]);
    expect(e("cover.garage_door")).toMatchObject({
      deviceClass: "garage",
      state: "closed",
      source: "homeassistant",
    });
    expect(e("cover.garage_door")?.attributes.supported_features).toBe(3);
    expect(e("sensor.hallway_sensor_temperature")).toMatchObject({ unit: "°C", deviceClass: "temperature" });
  });

  it("leaves out what is not exposed to Assist, unless expose is all", async () => {
    const exposed = await following();
    expect(exposed.registry.entity("light.kitchen_secret")).toBeUndefined();
    expect(exposed.home.model?.skipped).toContainEqual({
      id: "light.kitchen_secret",
      reason: "not exposed to Assist",
    });
    const all = await following({ exposeAll: true });
    expect(all.registry.entity("light.kitchen_secret")?.name).toBe("Cabinet Light");
    // Diagnostic entities stay out even then, as Home Assistant keeps them from Assist.
    expect(all.registry.entity("sensor.reading_lamp_signal")).toBeUndefined();
  });

  it("follows registry and exposure changes while running, each burst as one structural change", async () => {
    const { ha, registry } = await following();
    const before = registry.version;
    ha.updateEntity("light.reading_lamp", { aliases: ["book light"] });
    ha.setExposed("light.kitchen_secret", true);
    ha.setExposed("switch.christmas_tree", false);
    await ha.waitFor(() => registry.entity("light.kitchen_secret") !== undefined);
    expect(registry.entity("light.reading_lamp")?.aliases).toEqual(["book light"]);
    expect(registry.entity("switch.christmas_tree")).toBeUndefined();
    expect(registry.version).toBe(before + 1);

    ha.addEntity(
      {
        entity_id: "lock.front_door",
        unique_id: "zwave-lock",
        platform: "zwave_js",
        name: "Front Door",
        area_id: "garage",
      },
      { state: "locked", attributes: { friendly_name: "Front Door" } },
    );
    await ha.waitFor(() => registry.entity("lock.front_door") !== undefined);
    expect(registry.entity("lock.front_door")).toMatchObject({
      name: "Front Door",
      areaId: "garage",
      state: "locked",
    });
  });

  it("follows live state without a structural change", async () => {
    const { ha, registry } = await following();
    const version = registry.version;
    ha.setState("cover.garage_door", "open", { current_position: 100 });
    await ha.waitFor(() => registry.entity("cover.garage_door")?.state === "open");
    expect(registry.entity("cover.garage_door")?.attributes.current_position).toBe(100);
    expect(registry.version).toBe(version);
  });

  it("reads the registries again after Home Assistant restarts", async () => {
    const { ha, registry } = await following();
    await ha.down();
    const entry = ha.home.entities.find((e) => e.entity_id === "light.reading_lamp");
    if (entry) entry.name = "Book Lamp";
    await ha.up();
    await ha.waitFor(() => registry.entity("light.reading_lamp")?.name === "Book Lamp");
  });

  it("gives Home Assistant's name to a config device of the same id, and gives it back when it goes", async () => {
    const configured: Entity = {
      id: "light.reading_lamp",
      name: "Lamp by the chair",
      domain: "light",
      aliases: [],
      attributes: {},
      source: "config",
    };
    const registry = new Registry({ entities: [configured] });
    const { ha } = await following({ registry });
    expect(registry.entity("light.reading_lamp")).toMatchObject({
      name: "Reading Lamp",
      source: "homeassistant",
    });
    ha.setExposed("light.reading_lamp", false);
    await ha.waitFor(() => registry.entity("light.reading_lamp")?.source === "config");
    expect(registry.entity("light.reading_lamp")?.name).toBe("Lamp by the chair");
  });

  it("makes one device of a lamp seen through MQTT discovery and through Home Assistant", async () => {
    const discovered: Entity = {
      id: "light.0x0017880104e45517_light",
      name: "Hall lamp",
      domain: "light",
      aliases: [],
      attributes: {},
      source: "discovery",
      mqtt: { command_topic: "zigbee2mqtt/hall/set" },
      mergeKey: "mqtt:0x0017880104e45517_light",
    };
    const registry = new Registry({ entities: [discovered] });
    const { ha } = await following({ registry });
    ha.addEntity(
      {
        entity_id: "light.hallway_lamp",
        unique_id: "0x0017880104e45517_light",
        platform: "mqtt",
        name: "Hallway Lamp",
      },
      { state: "off", attributes: { friendly_name: "Hallway Lamp" } },
    );
    await ha.waitFor(() => registry.entity("light.hallway_lamp") !== undefined);
    const lamps = registry.entities().filter((e) => e.domain === "light" && /hall/i.test(e.name));
    expect(lamps.map((e) => e.name)).toEqual(["Hallway Lamp"]);
  });
});
