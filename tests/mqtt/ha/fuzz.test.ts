import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../bench/lib/seeded-random.mjs";
import { buildCommands } from "../../../src/mqtt/ha/actions.js";
import { type DiscoveryResult, parseDiscoveryMessage } from "../../../src/mqtt/ha/discovery.js";
import { readState, stateTopics } from "../../../src/mqtt/ha/state.js";
import type { Fixture } from "../fixtures/discovery.js";
import * as fixtures from "../fixtures/discovery.js";

const allFixtures = Object.values(fixtures).filter((v): v is Fixture => Array.isArray(v) && v.length === 2);

const INTENTS = [
  "HassTurnOn",
  "HassTurnOff",
  "HassToggle",
  "HassLightSet",
  "HassSetPosition",
  "HassClimateSetTemperature",
  "HassFanSetSpeed",
  "HassVacuumStart",
  "HassSetValue",
  "HassSelectOption",
];

function makeCases(
  count: number,
  seed: number,
): { topic: string; payload: string | Uint8Array; label: string }[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const wildcard = () => pick(["#", "+", "a/+/b", "a/#", "zigbee2mqtt/+/set", "+/+", "x#", "a+"]);
  const hugeString = () => "x".repeat(1000 + Math.floor(random() * 200_000));
  const weird = (): unknown =>
    pick<() => unknown>([
      () => Math.floor(random() * 1e9),
      () => -1.5,
      () => Number.MAX_SAFE_INTEGER,
      () => true,
      () => null,
      () => [],
      () => [1, "a", null],
      () => ({}),
      () => ({ nested: { deeper: [wildcard()] } }),
      () => "",
      () => " ",
      () => wildcard(),
      () => hugeString(),
      () => "\u0000",
      () => "\ud800",
      () => "{{ value_json.x.__class__ }}",
      () => "{% for i in range(99999999) %}x{% endfor %}",
      () => "~",
    ])();
  const cases: { topic: string; payload: string | Uint8Array; label: string }[] = [];
  for (let i = 0; i < count; i++) {
    const [topic, payload] = pick(allFixtures);
    const kind = i % 10;
    const obj: Record<string, unknown> = structuredClone(payload);
    const keys = Object.keys(obj);
    switch (kind) {
      case 0: {
        // Truncated or corrupted JSON.
        const text = JSON.stringify(obj);
        cases.push({ topic, payload: text.slice(0, Math.floor(random() * text.length)), label: "truncated" });
        break;
      }
      case 1: {
        // Random bytes, often invalid UTF-8.
        const bytes = new Uint8Array(1 + Math.floor(random() * 300));
        for (let b = 0; b < bytes.length; b++) bytes[b] = Math.floor(random() * 256);
        cases.push({ topic, payload: bytes, label: "bytes" });
        break;
      }
      case 2:
      case 3: {
        // A field of the wrong type.
        for (let n = 0; n < 1 + Math.floor(random() * 3); n++) obj[pick(keys)] = weird();
        cases.push({ topic, payload: JSON.stringify(obj), label: "wrong types" });
        break;
      }
      case 4:
      case 5: {
        // Wildcards in every kind of topic field, abbreviated or not, and in availability.
        const field = pick([
          "command_topic",
          "cmd_t",
          "state_topic",
          "stat_t",
          "set_position_topic",
          "brightness_command_topic",
          "bri_cmd_t",
          "json_attr_t",
          "avty_t",
          "~",
          "rgb_cmd_t",
          "pct_cmd_t",
          "temp_cmd_t",
        ]);
        obj[field] = field === "~" ? wildcard() : pick([wildcard(), `~${wildcard()}`, `${wildcard()}~`]);
        if (random() < 0.3) obj.availability = [{ topic: wildcard() }];
        if (random() < 0.3 && "cmps" in obj) {
          obj.cmps = { evil: { p: "switch", cmd_t: wildcard(), uniq_id: "evil" } };
        }
        cases.push({ topic, payload: JSON.stringify(obj), label: `wildcard in ${field}` });
        break;
      }
      case 6: {
        // Huge strings.
        obj[pick(["name", "uniq_id", "unique_id", "cmd_t", "command_topic", "val_tpl"])] = hugeString();
        cases.push({ topic, payload: JSON.stringify(obj), label: "huge string" });
        break;
      }
      case 7: {
        // Odd discovery topics.
        const odd = pick([
          "homeassistant/light/a b/config",
          "homeassistant/light/+/config",
          "homeassistant/light/#",
          "homeassistant//x/config",
          "homeassistant/device/x/config",
          "homeassistant/sensor/x/y/z/config",
          `homeassistant/${"l".repeat(5000)}/x/config`,
          "homeassistant/__proto__/x/config",
          "homeassistant/constructor/x/config",
        ]);
        cases.push({ topic: odd, payload: JSON.stringify(obj), label: `odd topic ${odd.slice(0, 40)}` });
        break;
      }
      case 8: {
        // Structural nonsense: arrays, scalars, deep nesting, prototype keys.
        const body = pick([
          "[]",
          "null",
          "42",
          '"text"',
          "true",
          `${"[".repeat(5000)}${"]".repeat(5000)}`,
          '{"__proto__":{"command_topic":"#"},"name":"x"}',
          '{"dev":{"__proto__":{"name":"evil"}},"cmd_t":"ok"}',
          '{"cmps":[1,2,3],"dev":{"name":"d"}}',
          '{"cmps":{"a":{"p":"light","cmd_t":"+"}},"dev":{"name":"d"}}',
          '{"cmps":{"a":null,"b":{"p":5},"c":{"p":"nope"}},"dev":{}}',
          '{"avty":"nope","cmd_t":"ok"}',
          '{"avty":[null,5],"cmd_t":"ok"}',
        ]);
        cases.push({ topic, payload: body, label: `structure ${body.slice(0, 30)}` });
        break;
      }
      default: {
        // Random mixtures of the above on a fresh copy.
        for (const key of keys) if (random() < 0.3) obj[key] = weird();
        if (random() < 0.5) obj[`${pick(["x", "cmd_t", "pl_on", "~"])}`] = weird();
        cases.push({ topic, payload: JSON.stringify(obj), label: "mixture" });
      }
    }
  }
  return cases;
}

const KINDS = new Set<DiscoveryResult["kind"]>(["config", "remove", "ignored", "invalid"]);

function assertTopicsClean(config: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(config)) {
    if (key.endsWith("topic") && value !== undefined && value !== null) {
      expect(typeof value, key).toBe("string");
      expect(value, key).not.toMatch(/[+#]/);
    }
  }
  const availability = config.availability;
  for (const item of Array.isArray(availability) ? availability : availability ? [availability] : []) {
    expect((item as { topic?: unknown }).topic).not.toMatch(/[+#]/);
  }
}

describe("discovery fuzzing", () => {
  it("survives 1,000 malformed discovery payloads without throwing or accepting wildcard topics", () => {
    const cases = makeCases(1000, 20240611);
    expect(cases).toHaveLength(1000);
    const seen = new Map<string, number>();
    for (const [i, c] of cases.entries()) {
      let result: DiscoveryResult | undefined;
      expect(() => {
        result = parseDiscoveryMessage(c.topic, c.payload, { prefix: "homeassistant" });
      }, `case ${i} (${c.label})`).not.toThrow();
      if (!result) throw new Error("no result");
      expect(KINDS.has(result.kind)).toBe(true);
      seen.set(result.kind, (seen.get(result.kind) ?? 0) + 1);
      if (result.kind !== "config") continue;
      for (const { entity } of result.entities) {
        expect(entity.id, `case ${i}`).toMatch(/^[a-z_]+\.[a-z0-9_]{1,100}$/);
        expect(entity.name.length).toBeGreaterThan(0);
        expect(entity.name.length).toBeLessThanOrEqual(255);
        assertTopicsClean(entity.mqtt ?? {});
        for (const topic of stateTopics(entity)) expect(topic).not.toMatch(/[+#]/);
        // Whatever was learned can be commanded and read without throwing.
        for (const intent of INTENTS) {
          const out = buildCommands(
            {
              name: intent,
              slots: {
                brightness: 50,
                color: "red",
                position: 30,
                temperature: 20,
                percentage: 40,
                value: 5,
                option: "x",
              },
              targets: [entity.id],
            },
            entity,
          );
          if (Array.isArray(out)) for (const cmd of out) expect(cmd.topic).not.toMatch(/[+#]/);
          else expect(typeof out.error).toBe("string");
        }
        for (const topic of stateTopics(entity)) {
          expect(() => readState(entity, topic, c.label)).not.toThrow();
          expect(() =>
            readState(entity, topic, '{"state":"ON","position":"x","brightness":{}}'),
          ).not.toThrow();
        }
      }
    }
    // The generator must exercise every outcome, or it is not testing what it claims.
    expect(seen.get("invalid")).toBeGreaterThan(100);
    expect(seen.get("config")).toBeGreaterThan(50);
  });
});
