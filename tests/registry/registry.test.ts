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
});
