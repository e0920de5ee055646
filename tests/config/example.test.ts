import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { parseConfig } from "../../src/config/parse-config.js";
import { registryFromConfig } from "../../src/registry/from-config.js";

const text = readFileSync(new URL("../../config/hearth.example.yaml", import.meta.url), "utf8");

describe("config/hearth.example.yaml", () => {
  test("is a valid config", () => {
    expect(() => parseConfig(text, "config/hearth.example.yaml")).not.toThrow();
  });

  test("points editors at the generated JSON Schema on its first line", () => {
    expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=hearth.schema.json");
  });

  test("says in its first lines what to add so the first command switches something", () => {
    const head = text.split("\n").slice(0, 30).join("\n");
    expect(head).toContain('"turn on the kitchen light"');
    expect(head).toMatch(/`homeassistant:`/);
    expect(head).toMatch(/`mqtt\.url`/);
    // and the sections it points at are there, ready to uncomment.
    expect(text).toMatch(/^# homeassistant:\n# {3}url: /m);
    expect(text).toMatch(/^# mqtt:\n# {3}url: /m);
  });

  test("describes a whole home: a located site, two floors, rooms, and devices of many domains", () => {
    const config = parseConfig(text);
    const registry = registryFromConfig(config);
    expect(config.site.area).toBeDefined();
    expect(registry.floors()).toHaveLength(2);
    expect(registry.areas().length).toBeGreaterThanOrEqual(6);
    expect(registry.entities().length).toBeGreaterThanOrEqual(15);
    const domains = new Set(registry.entities().map((e) => e.domain));
    const wanted = ["light", "switch", "fan", "cover", "climate", "lock", "sensor", "binary_sensor"];
    wanted.push("media_player", "vacuum", "weather", "person", "scene");
    for (const d of wanted) expect(domains, d).toContain(d);
    const classes = new Set(registry.entities().map((e) => e.deviceClass));
    for (const c of ["garage", "blind", "temperature", "humidity", "door"]) expect(classes, c).toContain(c);
  });
});
