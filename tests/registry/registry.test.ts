import { describe, expect, it } from "vitest";
import { Registry } from "../../src/registry/registry.js";
import type { Entity } from "../../src/registry/types.js";

const lamp = (id: string, name: string): Entity => ({
  id,
  name,
  domain: "light",
  aliases: [],
  attributes: {},
  source: "config",
});

describe("Registry", () => {
  it("counts a name change as structural and a state change as not", () => {
    const r = new Registry({ entities: [lamp("light.a", "A")] });
    const changes: boolean[] = [];
    r.onChange((c) => changes.push(c.structural));
    const v = r.version;
    r.setState("light.a", "on");
    expect(r.version).toBe(v);
    r.upsertEntity({ ...lamp("light.a", "A"), state: "on" });
    expect(r.version).toBe(v);
    r.upsertEntity(lamp("light.a", "Renamed"));
    expect(r.version).toBe(v + 1);
    expect(changes).toEqual([false, false, true]);
  });

  it("lists an area's entities in the home's order, and again after one moves", () => {
    const inKitchen = (id: string, name: string): Entity => ({ ...lamp(id, name), areaId: "kitchen" });
    const r = new Registry({
      entities: [inKitchen("light.b", "B"), lamp("light.hall", "Hall"), inKitchen("light.a", "A")],
    });
    expect(r.entitiesIn("kitchen").map((e) => e.id)).toEqual(["light.b", "light.a"]);
    expect(r.entitiesIn("cellar")).toEqual([]);
    r.upsertEntity({ ...lamp("light.hall", "Hall"), areaId: "kitchen" });
    expect(r.entitiesIn("kitchen").map((e) => e.id)).toEqual(["light.b", "light.hall", "light.a"]);
    expect(r.entitiesIn("kitchen").map((e) => e.id)).toEqual(
      r
        .entities()
        .filter((e) => e.areaId === "kitchen")
        .map((e) => e.id),
    );
  });

  it("replaces everything in one structural change", () => {
    const r = new Registry({
      areas: [{ id: "kitchen", name: "Kitchen", aliases: [] }],
      entities: [lamp("light.a", "A")],
    });
    const changes: boolean[] = [];
    r.onChange((c) => changes.push(c.structural));
    r.replaceAll({
      floors: [],
      areas: [{ id: "hall", name: "Hall", aliases: [] }],
      entities: [lamp("light.b", "B")],
    });
    expect(changes).toEqual([true]);
    expect(r.entities().map((e) => e.id)).toEqual(["light.b"]);
    expect(r.findArea("kitchen")).toBeUndefined();
    expect(r.findArea("hall")?.name).toBe("Hall");
  });

  it("announces a batch of changes once", () => {
    const r = new Registry();
    const changes: boolean[] = [];
    r.onChange((c) => changes.push(c.structural));
    r.batch(() => {
      r.upsertEntity(lamp("light.a", "A"));
      r.upsertEntity(lamp("light.b", "B"));
      r.setState("light.a", "on");
    });
    expect(changes).toEqual([true]);
  });

  it("hides a device's double once Home Assistant carries the same device", () => {
    const r = new Registry({
      entities: [
        { ...lamp("light.zigbee_lamp", "Zigbee lamp"), source: "discovery", mergeKey: "mqtt:lamp1" },
      ],
    });
    expect(r.entities().map((e) => e.id)).toEqual(["light.zigbee_lamp"]);
    r.upsertEntity({
      ...lamp("light.desk_lamp", "Desk Lamp"),
      source: "homeassistant",
      mergeKey: "mqtt:lamp1",
    });
    expect(r.entities().map((e) => e.id)).toEqual(["light.desk_lamp"]);
    // The double stays known to its own source, which keeps updating it.
    expect(r.entity("light.zigbee_lamp")?.name).toBe("Zigbee lamp");
    r.removeEntity("light.desk_lamp");
    expect(r.entities().map((e) => e.id)).toEqual(["light.zigbee_lamp"]);
  });
});
