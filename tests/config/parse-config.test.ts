import { describe, expect, test } from "vitest";
import { parseConfig } from "../../src/config/parse-config.js";
import { HearthError } from "../../src/core/errors.js";

/** The problem lines of a config that must fail, or a test failure if it parses. */
function problems(yaml: string): readonly string[] {
  try {
    parseConfig(yaml);
  } catch (err) {
    expect(err).toBeInstanceOf(HearthError);
    expect((err as HearthError).code).toBe("CONFIG_INVALID");
    return (err as HearthError).details;
  }
  throw new Error("expected the config to be invalid");
}

const lines = (...l: string[]) => `${l.join("\n")}\n`;

describe("parseConfig", () => {
  test("bounds the sizes of names: a 5 MB site name is refused, not published as discovery configs", () => {
    const huge = "x".repeat(5 * 1024 * 1024);
    expect(problems(lines(`site: { name: ${huge} }`))).toEqual([
      "site.name: at most 100 characters (line 1, column 15)",
    ]);
    expect(problems(lines(`site: { id: ${"a".repeat(65)} }`))[0]).toContain("site.id: at most 64 characters");
    expect(problems(lines("areas:", `  - { name: ${"k".repeat(101)} }`))[0]).toContain(
      "areas[0].name: at most 100 characters",
    );
    expect(parseConfig(lines(`site: { name: ${"x".repeat(100)} }`)).site.name).toHaveLength(100);
  });

  test("an empty file, or one of only comments, is a config of defaults", () => {
    for (const text of ["", "\n", "# nothing yet\n", "~\n"]) {
      const config = parseConfig(text);
      expect(config.floors).toEqual([]);
      expect(config.devices).toEqual([]);
      expect(config.site.name).toBe("Hearth");
      expect(config.logging.level).toBe("info");
      expect(config.intents.fuzzy_threshold).toBe(0.8);
    }
  });

  test("a valid config comes back typed with defaults filled in", () => {
    const config = parseConfig(
      lines(
        "site:",
        "  id: kitchen-satellite",
        "  area: Kitchen",
        "floors:",
        "  - name: Ground floor",
        "areas:",
        "  - name: Kitchen",
        "    floor: ground floor",
        "devices:",
        "  - id: light.kitchen_ceiling",
        "    name: Kitchen ceiling",
        "    area: kitchen",
        "    state: on",
      ),
    );
    expect(config.site).toEqual({ id: "kitchen-satellite", name: "Hearth", area: "Kitchen", language: "en" });
    expect(config.areas[0]).toEqual({ name: "Kitchen", floor: "ground floor", aliases: [] });
    // YAML 1.2: `on` is the string "on", not a boolean.
    expect(config.devices[0]).toMatchObject({
      id: "light.kitchen_ceiling",
      state: "on",
      aliases: [],
      attributes: {},
    });
  });

  test("site.id defaults to this machine's hostname, made safe for MQTT topics", async () => {
    const { hostname } = await import("node:os");
    expect(parseConfig("").site.id).toBe(hostname().replace(/[^A-Za-z0-9_-]/g, "-"));
  });

  // Each case: a config with one kind of problem, and the exact line it produces.
  test.each([
    {
      kind: "a YAML syntax error, with its line and column",
      yaml: lines("devices:", "  - id: light.a", "   name: A"),
      expected: "YAML syntax error: Sequence item without - indicator (line 3, column 1)",
    },
    {
      kind: "an unclosed flow mapping",
      yaml: lines('site: {name: "Hearth"', "floors: []"),
      expected: expect.stringMatching(/^YAML syntax error: .* \(line 2, column 1\)$/),
    },
    {
      kind: "a key given twice in one mapping",
      yaml: lines("site:", "  name: A", "  name: B"),
      expected: "YAML syntax error: Map keys must be unique (line 3, column 3)",
    },
    {
      kind: "an unknown tag, which would otherwise be read as a plain string",
      yaml: lines("site:", "  id: !env SITE_ID"),
      expected: "YAML syntax error: Unresolved tag: !env (line 2, column 7)",
    },
    {
      kind: "a file that is a list instead of a mapping",
      yaml: lines("- light.kitchen"),
      expected: "(top level): expected object, received array (line 1, column 1)",
    },
    {
      kind: "an unknown top-level key, pointing at the key",
      yaml: lines("site:", "  name: A", "mqtt_broker: localhost"),
      expected: expect.stringMatching(
        /^mqtt_broker: unknown key \(allowed here: site, floors, .*\) \(line 3, column 1\)$/,
      ),
    },
    {
      kind: "an unknown nested key, listing the allowed ones",
      yaml: lines("site:", "  name: A", "  colour: red"),
      expected: "site.colour: unknown key (allowed here: id, name, area, language) (line 3, column 3)",
    },
    {
      kind: "an unknown key in a list item",
      yaml: lines("devices:", "  - id: light.a", "    name: A", "    colour: red"),
      expected: expect.stringMatching(
        /^devices\[0\]\.colour: unknown key \(allowed here: id, name, .*\) \(line 4, column 5\)$/,
      ),
    },
    {
      kind: "a missing required key, pointing at the item that lacks it",
      yaml: lines("devices:", "  - id: light.a", "    device_class: outlet"),
      expected: "devices[0].name: missing required key (expected string) (line 2, column 5)",
    },
    {
      kind: "a value of the wrong type",
      yaml: lines("intents:", "  fuzzy_threshold: high"),
      expected: "intents.fuzzy_threshold: expected number, received string (line 2, column 20)",
    },
    {
      kind: "a number out of range",
      yaml: lines("intents:", "  fuzzy_threshold: 2"),
      expected: "intents.fuzzy_threshold: expected number to be <=1 (line 2, column 20)",
    },
    {
      kind: "a value not among the allowed ones",
      yaml: lines("logging:", "  level: loud"),
      expected: expect.stringMatching(/^logging\.level: expected one of "fatal"\|.*\(line 2, column 10\)$/),
    },
    {
      kind: "a key with no value",
      yaml: lines("devices:", "  - id: light.a", "    name: A", "    area:"),
      expected: "devices[0].area: expected string, received null (line 4, column 5)",
    },
    {
      kind: "a value matching none of a union's types",
      yaml: lines("devices:", "  - id: light.a", "    name: A", "    state: [on]"),
      expected: "devices[0].state: expected string, number or boolean, got a list (line 4, column 12)",
    },
    {
      kind: "the problem inside the union alternative that was evidently meant",
      yaml: lines("intents:", "  lists:", "    temperature:", "      range: {from: low, to: 30}"),
      expected: "intents.lists.temperature.range.from: expected number, received string (line 4, column 21)",
    },
    {
      kind: "a misspelt key in a union, listing every alternative's keys",
      yaml: lines("intents:", "  lists:", "    size:", "      valeus: [small, large]"),
      expected:
        "intents.lists.size.valeus: unknown key (allowed here: values, range, wildcard, not_first) (line 4, column 7)",
    },
    {
      kind: "an invalid record key, pointing at the key",
      yaml: lines("intents:", "  custom:", "    order coffee:", "      sentences: [make me a coffee]"),
      expected: expect.stringMatching(
        /^intents\.custom\["order coffee"\]: invalid key: .* \(line 3, column 5\)$/,
      ),
    },
    {
      kind: "a device id that is not entity-id shaped",
      yaml: lines("devices:", "  - id: Kitchen Light", "    name: A"),
      expected:
        "devices[0].id: Home Assistant style entity id, e.g. 'light.kitchen_ceiling' (line 2, column 9)",
    },
    {
      kind: "duplicate explicit floor ids",
      yaml: lines("floors:", "  - name: Ground", "    id: ground", "  - name: Downstairs", "    id: ground"),
      expected: 'floors[1].id: duplicate floor id "ground" (also floors[0]) (line 5, column 9)',
    },
    {
      kind: "duplicate area ids derived from names",
      yaml: lines("areas:", "  - name: Living Room", "  - name: living-room"),
      expected:
        'areas[1].name: area id "living_room", derived from this name, is already used by areas[0]; give one with "id:" (line 3, column 11)',
    },
    {
      kind: "a derived id colliding with an explicit one",
      yaml: lines("areas:", "  - name: Den", "    id: office", "  - name: Office"),
      expected: expect.stringMatching(
        /^areas\[1\]\.name: area id "office", derived from this name, is already used by areas\[0\]/,
      ),
    },
    {
      kind: "a name no id can be derived from",
      yaml: lines("areas:", "  - name: 台所"),
      expected:
        'areas[0].name: no area id can be derived from "台所"; give one with "id:" (line 2, column 11)',
    },
    {
      kind: "duplicate device ids",
      yaml: lines(
        "devices:",
        "  - id: light.lamp",
        "    name: Lamp",
        "  - id: light.lamp",
        "    name: Other lamp",
      ),
      expected: 'devices[1].id: duplicate device id "light.lamp" (also devices[0]) (line 4, column 9)',
    },
    {
      kind: "a device in an unknown area",
      yaml: lines(
        "areas:",
        "  - name: Garage",
        "devices:",
        "  - id: cover.door",
        "    name: Door",
        "    area: Garaje",
      ),
      expected: 'devices[0].area: unknown area "Garaje" (line 6, column 11)',
    },
    {
      kind: "the site in an unknown area",
      yaml: lines("site:", "  area: Kitchen"),
      expected: 'site.area: unknown area "Kitchen" (line 2, column 9)',
    },
    {
      kind: "an area on an unknown floor",
      yaml: lines("floors:", "  - name: Ground", "areas:", "  - name: Attic room", "    floor: Attic"),
      expected: 'areas[0].floor: unknown floor "Attic" (line 5, column 12)',
    },
    {
      kind: "a reference to a name two areas share",
      yaml: lines(
        "areas:",
        "  - {name: Bathroom, id: bathroom_up}",
        "  - {name: Bathroom, id: bathroom_down}",
        "devices:",
        "  - {id: fan.extractor, name: Extractor, area: bathroom}",
      ),
      expected:
        'devices[0].area: area "bathroom" is ambiguous: it could be bathroom_up or bathroom_down; use the id (line 5, column 48)',
    },
    {
      kind: "a domain that contradicts the id's prefix",
      yaml: lines("devices:", "  - id: light.desk", "    name: Desk", "    domain: switch"),
      expected:
        'devices[0].domain: domain "switch" contradicts the id "light.desk", whose domain is "light" (line 4, column 13)',
    },
    {
      kind: "a speed count on a device that is not a fan",
      yaml: lines("devices:", "  - id: light.desk", "    name: Desk", "    speed_count: 3"),
      expected:
        'devices[0].speed_count: speed_count is the number of speeds of a fan; "light.desk" is a light, not a fan (line 4, column 18)',
    },
    {
      kind: "a fan's speed count that is not a whole number",
      yaml: lines("devices:", "  - id: fan.desk", "    name: Desk", "    speed_count: 2.5"),
      expected: "devices[0].speed_count: a whole number of speeds (line 4, column 18)",
    },
    {
      kind: "a problem inside a mapping merged from an anchor",
      yaml: lines(
        "devices:",
        "  - &lamp",
        "    id: light.a",
        "    name: A",
        "  - <<: *lamp",
        "    id: light.b",
        "    area: Nowhere",
      ),
      expected: 'devices[1].area: unknown area "Nowhere" (line 7, column 11)',
    },
  ])("reports $kind", ({ yaml, expected }) => {
    expect(problems(yaml)).toEqual([expected]);
  });

  test("accepts what is only a duplicate in name: two Lamps in two rooms, two Bathrooms on two floors", () => {
    const config = parseConfig(
      lines(
        "floors: [{name: Ground}, {name: First}]",
        "areas:",
        "  - {name: Bathroom, id: bathroom_down, floor: ground}",
        "  - {name: Bathroom, id: bathroom_up, floor: first}",
        "  - {name: Kitchen}",
        "devices:",
        "  - {id: light.a, name: Lamp, area: bathroom_down}",
        "  - {id: light.b, name: Lamp, area: bathroom_up}",
        "  - {id: switch.lamp, name: Lamp, area: bathroom_up}",
        "  - {id: light.c, name: Lamp, area: Kitchen}",
      ),
    );
    expect(config.devices).toHaveLength(4);
  });

  test("resolves areas and floors by id, name or alias, ignoring case", () => {
    const config = parseConfig(
      lines(
        "site: {area: LOUNGE}",
        "floors: [{name: Ground floor, aliases: [downstairs]}]",
        "areas:",
        "  - {name: Living room, aliases: [lounge], floor: DOWNSTAIRS}",
        "  - {name: Kitchen, floor: ground_floor}",
        "devices:",
        "  - {id: light.a, name: A, area: living_room}",
        "  - {id: light.b, name: B, area: kitchen}",
        "  - {id: light.c, name: C, area: '  Living Room '}",
      ),
    );
    expect(config.devices.map((d) => d.area)).toEqual(["living_room", "kitchen", "  Living Room "]);
  });

  test("loads a home as Home Assistant allows it: shared names, any domain", () => {
    const config = parseConfig(
      lines(
        "areas: [{name: Kitchen}]",
        "devices:",
        "  - {id: sensor.phone_battery, name: Phone, device_class: battery, unit: '%'}",
        "  - {id: binary_sensor.phone_charging, name: Phone, device_class: battery_charging}",
        "  - {id: binary_sensor.phone_connected, name: Phone, device_class: connectivity}",
        "  - {id: light.a, name: Lamp, area: Kitchen}",
        "  - {id: light.b, name: Spot, aliases: [lamp], area: kitchen}",
        "  - {id: siren.hall, name: Hall Siren}",
        "  - {id: update.firmware, name: Firmware, domain: update}",
      ),
    );
    expect(config.devices.map((d) => d.name)).toEqual([
      "Phone",
      "Phone",
      "Phone",
      "Lamp",
      "Spot",
      "Hall Siren",
      "Firmware",
    ]);
  });

  test("accepts a domain that agrees with the id", () => {
    expect(
      parseConfig(lines("devices:", "  - {id: cover.garage, name: Garage, domain: cover}")).devices[0]
        ?.domain,
    ).toBe("cover");
  });

  test("reports every kind of problem together, in file order, each with its path and position", () => {
    const yaml = lines(
      "site:", // 1
      "  colour: red", // 2
      "  area: Garaje", // 3
      "floors:", // 4
      "  - name: Up", // 5
      "  - name: up", // 6
      "areas:", // 7
      "  - name: Kitchen", // 8
      "    floor: Attic", // 9
      "devices:", // 10
      "  - id: light.a", // 11
      "    name: A", // 12
      "    area: Garaje", // 13
      "    domain: switch", // 14
      "  - id: Lamp.b", // 15
      "    name: B", // 16
      "  - id: light.a", // 17
      "    name: C", // 18
      "  - name: D", // 19
      "logging:", // 20
      "  level: loud", // 21
    );
    let error: unknown;
    try {
      parseConfig(yaml, "/etc/hearth/hearth.yaml");
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(HearthError);
    const e = error as HearthError;
    expect(e.message).toBe("/etc/hearth/hearth.yaml is invalid (10 problems)");
    expect(e.details).toEqual([
      "site.colour: unknown key (allowed here: id, name, area, language) (line 2, column 3)",
      'site.area: unknown area "Garaje" (line 3, column 9)',
      'floors[1].name: floor id "up", derived from this name, is already used by floors[0]; give one with "id:" (line 6, column 11)',
      'areas[0].floor: unknown floor "Attic" (line 9, column 12)',
      'devices[0].area: unknown area "Garaje" (line 13, column 11)',
      'devices[0].domain: domain "switch" contradicts the id "light.a", whose domain is "light" (line 14, column 13)',
      expect.stringMatching(/^devices\[1\]\.id: Home Assistant style entity id.*\(line 15, column 9\)$/),
      'devices[2].id: duplicate device id "light.a" (also devices[0]) (line 17, column 9)',
      "devices[3].id: missing required key (expected string) (line 19, column 5)",
      expect.stringMatching(/^logging\.level: expected one of .* \(line 21, column 10\)$/),
    ]);
  });
});
