import { describe, expect, it } from "vitest";
import { buildHomeModel, entityName, type HaSnapshot } from "../../src/homeassistant/home-model.js";

function snapshot(extra: Partial<HaSnapshot> = {}): HaSnapshot {
  return { floors: [], areas: [], devices: [], entities: [], states: {}, exposure: {}, ...extra };
}

describe("the home model", () => {
  it("names entities as Home Assistant does", () => {
    const device = { id: "d", name: "Hue bulb", name_by_user: "Desk Lamp" };
    expect(
      entityName({ entity_id: "light.x", has_entity_name: true, original_name: null }, device, undefined),
    ).toBe("Desk Lamp");
    expect(
      entityName(
        { entity_id: "sensor.x", has_entity_name: true, original_name: "Battery" },
        device,
        undefined,
      ),
    ).toBe("Desk Lamp Battery");
    expect(
      entityName(
        { entity_id: "sensor.x", has_entity_name: true, original_name: "Battery", name: "Lamp cell" },
        device,
        undefined,
      ),
    ).toBe("Lamp cell");
    expect(entityName({ entity_id: "light.x", original_name: "Old style" }, device, undefined)).toBe(
      "Old style",
    );
    expect(
      entityName(undefined, undefined, {
        entity_id: "switch.y",
        state: "on",
        attributes: { friendly_name: "Tree" },
      }),
    ).toBe("Tree");
  });

  it("skips what is malformed instead of failing the whole home", () => {
    const model = buildHomeModel(
      snapshot({
        areas: [{ area_id: "hall", name: "Hall", aliases: "not a list" as unknown as string[] }],
        entities: [
          {
            entity_id: "light.ok",
            original_name: "Ok",
            area_id: "hall",
            aliases: [42, " Fine "] as unknown as string[],
          },
          { entity_id: "Not An Id", original_name: "Bad" },
        ],
        exposure: { "light.ok": { conversation: true }, "Not An Id": { conversation: true } },
      }),
      { exposeAll: false },
    );
    expect(model.areas).toEqual([{ id: "hall", name: "Hall", floorId: undefined, aliases: [] }]);
    expect(model.entities.map((e) => [e.id, e.aliases])).toEqual([["light.ok", ["Fine"]]]);
    expect(model.skipped).toContainEqual({ id: "Not An Id", reason: "not a valid entity id" });
  });

  it("leaves out disabled entities and areas it does not know", () => {
    const model = buildHomeModel(
      snapshot({
        entities: [
          { entity_id: "light.off", original_name: "Gone", disabled_by: "user" },
          { entity_id: "light.lost", original_name: "Lost", area_id: "nowhere" },
        ],
      }),
      { exposeAll: true },
    );
    expect(model.entities.map((e) => [e.id, e.areaId])).toEqual([["light.lost", undefined]]);
  });
});
