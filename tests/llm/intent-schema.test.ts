import { describe, expect, it } from "vitest";
import {
  buildIntentSchema,
  HOME_ASSISTANT_INTENTS,
  type IntentSchema,
  type LlmIntentSpec,
  validateLlmOutput,
} from "../../src/llm/intent-schema.js";
import { Registry } from "../../src/registry/registry.js";
import { smallHome } from "./home.js";

type Json = Record<string, unknown>;

const options = { answers: false, answerMaxLength: 120 };

/** The oneOf branch of one intent, with its slot forms resolved through $defs. */
function branch(built: IntentSchema, intent: string): { forms: Json[]; resolve: (ref: Json) => unknown[] } {
  const schema = built.schema as { $defs: Record<string, { enum: unknown[] }>; oneOf: Json[] };
  const found = schema.oneOf.find((b) => ((b.properties as Json).intent as Json).const === intent);
  if (!found) throw new Error(`no branch for ${intent}`);
  const slots = (found.properties as Json).slots as Json;
  const forms = (slots.oneOf as Json[] | undefined) ?? [slots];
  const resolve = (ref: Json) => schema.$defs[String(ref.$ref).replace("#/$defs/", "")]?.enum ?? [];
  return { forms, resolve };
}

function slotValues(built: IntentSchema, intent: string, slot: string): unknown[] {
  const { forms, resolve } = branch(built, intent);
  for (const form of forms) {
    const property = (form.properties as Record<string, Json>)[slot];
    if (property) return resolve(property);
  }
  return [];
}

describe("buildIntentSchema", () => {
  const registry = smallHome();
  const built = buildIntentSchema(registry, HOME_ASSISTANT_INTENTS, options);

  it("offers exactly the registry's names for a name slot, limited to the intent's domains", () => {
    expect(slotValues(built, "HassGetState", "name")).toEqual(
      registry
        .entities()
        .map((e) => e.name)
        .sort((a, b) => a.localeCompare(b)),
    );
    expect(slotValues(built, "HassLightSet", "name")).toEqual([
      "Bedside Lamp",
      "Counter Lights",
      "Desk Lamp",
      "Garage Light",
      "Kitchen Ceiling",
      "Reading Lamp",
    ]);
    expect(slotValues(built, "HassTurnOn", "name")).toContain("Movie Night");
    expect(slotValues(built, "HassTurnOff", "name")).not.toContain("Movie Night");
  });

  it("offers the registry's areas, floors, domains and device classes", () => {
    expect(slotValues(built, "HassTurnOn", "area")).toEqual([
      "Bedroom",
      "Garage",
      "Kitchen",
      "Living Room",
      "Office",
    ]);
    expect(slotValues(built, "HassTurnOn", "floor")).toEqual(["Ground Floor", "Upstairs"]);
    expect(slotValues(built, "HassTurnOff", "domain")).toEqual([
      "climate",
      "cover",
      "fan",
      "light",
      "lock",
      "media_player",
      "switch",
    ]);
    expect(slotValues(built, "HassTurnOn", "device_class")).toEqual(["blind", "garage"]);
  });

  it("lists bounded numbers as their values", () => {
    expect(slotValues(built, "HassLightSet", "brightness")).toHaveLength(101);
    const temperatures = slotValues(built, "HassClimateSetTemperature", "temperature");
    expect(temperatures).toHaveLength(61);
    expect(temperatures).toContain(21.5);
    expect(temperatures.at(-1)).toBe(35);
  });

  it("keeps each distinct value list once, however many intents use it", () => {
    const defs = (built.schema as { $defs: Record<string, { enum: unknown[] }> }).$defs;
    const lists = Object.values(defs).map((d) => JSON.stringify(d.enum));
    expect(new Set(lists).size).toBe(lists.length);
    const areaLists = lists.filter(
      (l) => l === JSON.stringify(["Bedroom", "Garage", "Kitchen", "Living Room", "Office"]),
    );
    expect(areaLists).toHaveLength(1);
  });

  it("drops slot forms with nothing to offer and intents with no form left", () => {
    const bare = new Registry({
      entities: [
        { id: "light.lamp", name: "Lamp", domain: "light", aliases: [], attributes: {}, source: "config" },
      ],
    });
    const small = buildIntentSchema(bare, HOME_ASSISTANT_INTENTS, options);
    const names = small.intents.map((i) => i.spec.name);
    expect(names).toContain("HassTurnOn");
    expect(names).not.toContain("HassSetPosition"); // no covers, no areas
    expect(names).not.toContain("HassFanSetSpeed");
    const turnOn = small.intents.find((i) => i.spec.name === "HassTurnOn");
    expect(turnOn?.forms).toEqual([["name"], ["domain"]]);
    // no climate device: only "set it to 21" without a name
    expect(small.intents.find((i) => i.spec.name === "HassClimateSetTemperature")?.forms).toEqual([
      ["temperature"],
    ]);
  });

  it("always offers 'none', and an answer of bounded length only when answers are on", () => {
    const oneOf = (s: IntentSchema) => (s.schema as { oneOf: Json[] }).oneOf;
    const has = (s: IntentSchema, key: string) => oneOf(s).some((b) => key in (b.properties as Json));
    expect(oneOf(built).at(-1)).toEqual({ type: "object", properties: { intent: { const: "none" } } });
    expect(has(built, "answer")).toBe(false);
    const withAnswers = buildIntentSchema(registry, HOME_ASSISTANT_INTENTS, {
      answers: true,
      answerMaxLength: 80,
    });
    expect(oneOf(withAnswers).at(-1)).toEqual({
      type: "object",
      properties: { answer: { type: "string", minLength: 1, maxLength: 80 } },
    });
  });

  it("takes custom intents as data", () => {
    const coffee: LlmIntentSpec = {
      name: "OrderCoffee",
      description: "order a coffee",
      slots: { size: { kind: "enum", values: ["small", "large"] }, area: { kind: "area" } },
      forms: [["size"], ["size", "area"]],
    };
    const custom = buildIntentSchema(registry, [coffee], options);
    expect(custom.intents.map((i) => i.spec.name)).toEqual(["OrderCoffee"]);
    expect(slotValues(custom, "OrderCoffee", "size")).toEqual(["small", "large"]);
    const ok = validateLlmOutput(
      { intent: "OrderCoffee", slots: { size: "large", area: "Kitchen" } },
      custom,
      registry,
    );
    expect(ok).toEqual({
      kind: "intent",
      intent: { name: "OrderCoffee", slots: { area: "Kitchen", size: "large" } },
    });
  });

  it("bounds the output length above the longest output the grammar allows", () => {
    // the longest name in the longest form, indented as deeply as the grammar permits
    const longest = {
      intent: "HassClimateSetTemperature",
      slots: {
        area: "Living Room",
        domain: "media_player",
        device_class: "garage",
        name: "Bedroom Thermostat",
      },
    };
    const indented = JSON.stringify(longest, null, 12);
    expect(Buffer.byteLength(indented) + 4).toBeLessThan(built.maxOutputBytes);
    const withAnswers = buildIntentSchema(registry, HOME_ASSISTANT_INTENTS, {
      answers: true,
      answerMaxLength: 100,
    });
    expect(withAnswers.maxOutputBytes).toBeGreaterThanOrEqual(6 * 100 + 2);
  });
});

describe("validateLlmOutput", () => {
  const fresh = () => {
    const registry = smallHome();
    return {
      registry,
      built: buildIntentSchema(registry, HOME_ASSISTANT_INTENTS, { answers: true, answerMaxLength: 40 }),
    };
  };

  it("accepts an intent whose slots are real and fit one of its forms", () => {
    const { registry, built } = fresh();
    expect(
      validateLlmOutput(
        { intent: "HassLightSet", slots: { name: "Desk Lamp", brightness: 40 } },
        built,
        registry,
      ),
    ).toEqual({
      kind: "intent",
      intent: { name: "HassLightSet", slots: { brightness: 40, name: "Desk Lamp" } },
    });
    expect(validateLlmOutput({ intent: "HassGetCurrentTime", slots: {} }, built, registry)).toMatchObject({
      kind: "intent",
    });
  });

  it("understands 'none'", () => {
    const { registry, built } = fresh();
    expect(validateLlmOutput({ intent: "none" }, built, registry)).toEqual({ kind: "none" });
  });

  it.each([
    ["an unknown intent", { intent: "HassSelfDestruct", slots: {} }],
    ["a device that does not exist", { intent: "HassTurnOn", slots: { name: "Garage Heater" } }],
    [
      "a device of the wrong domain",
      { intent: "HassLightSet", slots: { name: "Coffee Maker", brightness: 50 } },
    ],
    ["an area that does not exist", { intent: "HassTurnOn", slots: { area: "Attic" } }],
    [
      "a slot combination the intent does not take",
      { intent: "HassTurnOn", slots: { name: "Desk Lamp", floor: "Upstairs" } },
    ],
    ["a number out of range", { intent: "HassLightSet", slots: { brightness: 150 } }],
    ["a number where a name belongs", { intent: "HassTurnOn", slots: { name: 7 } }],
    ["extra keys", { intent: "HassTurnOn", slots: { name: "Desk Lamp" }, also: "light.everything" }],
    ["missing slots", { intent: "HassTurnOn" }],
    ["an array", [{ intent: "none" }]],
    ["a string", "HassTurnOn"],
    ["null", null],
    ["'none' with slots", { intent: "none", slots: { name: "Desk Lamp" } }],
  ])("turns %s into 'invalid', never an exception", (_what, output) => {
    const { registry, built } = fresh();
    expect(validateLlmOutput(output, built, registry).kind).toBe("invalid");
  });

  it("rejects a device removed after the grammar was built", () => {
    const { registry, built } = fresh();
    registry.removeEntity("light.office_desk");
    const result = validateLlmOutput(
      { intent: "HassTurnOff", slots: { name: "Desk Lamp" } },
      built,
      registry,
    );
    expect(result).toEqual({ kind: "invalid", problem: 'no device is named "Desk Lamp"' });
  });

  it("cleans a free-form answer and caps its length in characters", () => {
    const { registry, built } = fresh();
    const result = validateLlmOutput(
      { answer: "  Three hours\u0000 is\n180 minutes. \ufffd😀😀😀😀😀😀😀😀😀😀😀😀" },
      built,
      registry,
    );
    // 40 characters: the 28 of the sentence and its space, then 12 emoji (24 UTF-16 units)
    expect(result).toEqual({ kind: "answer", text: `Three hours is 180 minutes. ${"😀".repeat(12)}` });
  });

  it("refuses an answer when answers are off, or an empty one", () => {
    const registry = smallHome();
    const built = buildIntentSchema(registry, HOME_ASSISTANT_INTENTS, options);
    expect(validateLlmOutput({ answer: "Hello." }, built, registry).kind).toBe("invalid");
    expect(validateLlmOutput({ answer: " \u0001 " }, fresh().built, registry).kind).toBe("invalid");
  });

  it("keeps a free-text slot but cleans and caps it", () => {
    const { registry, built } = fresh();
    const result = validateLlmOutput(
      { intent: "HassShoppingListAddItem", slots: { item: ` oat\tmilk ${"x".repeat(100)}` } },
      built,
      registry,
    );
    expect(result.kind).toBe("intent");
    const item = result.kind === "intent" ? String(result.intent.slots.item) : "";
    expect(item.startsWith("oat milk x")).toBe(true);
    expect(item).toHaveLength(60);
  });
});
