import { describe, expect, it } from "vitest";
import { samplePackSentences } from "../../../bench/lib/sample-pack.mjs";
import { intentsSchema } from "../../../src/config/schema.js";
import { resolveStateDir } from "../../../src/config/state-dir.js";
import { fixedClock } from "../../../src/core/clock.js";
import { intentSpec } from "../../../src/intents/catalog.js";
import { loadSentences } from "../../../src/intents/sentences.js";
import { inState } from "../../../src/intents/state-words.js";
import { TextUnderstanding } from "../../../src/intents/text-understanding.js";
import { TimerManager } from "../../../src/intents/timers.js";
import type { Registry } from "../../../src/registry/registry.js";
import { packHome } from "./homes.js";

/**
 * HassGetState for every device class the English and German packs (../shared/ha-intents, CC BY
 * 4.0, the Home Assistant intents project) ask about: the home gets two binary sensors of each
 * class (one on, one off) and a sensor of each class, named like nothing the packs say, and every
 * question the packs' templates ask of a class ("is …", "are any …", "are all …", "which …", "how
 * many …") is drawn with those names and answered from the live state.
 */
const NAMES = [
  "Alpha",
  "Bravo",
  "Charlie",
  "Delta",
  "Echo",
  "Foxtrot",
  "Hotel",
  "India",
  "Juliett",
  "Kilo",
  "Lima",
  "Mike",
  "November",
  "Oscar",
  "Papa",
  "Quebec",
  "Romeo",
  "Sierra",
  "Tango",
  "Uniform",
  "Victor",
  "Whiskey",
  "Xray",
  "Yankee",
  "Zulu",
];
const PACK = "../shared/ha-intents";

/** The device classes the pack's HassGetState sentences require or fill, by domain. */
function classesAsked(packs: NonNullable<Awaited<ReturnType<typeof loadSentences>>["packs"]>) {
  const out = { binary_sensor: new Set<string>(), sensor: new Set<string>() };
  for (const g of packs.groups) {
    if (g.intent !== "HassGetState") continue;
    const domain = (g.requires?.domain?.[0] ?? g.slots.domain) as string | undefined;
    const cls = [...(g.requires?.device_class ?? []), g.slots.device_class].filter(
      (c): c is string => typeof c === "string",
    );
    if (domain === "binary_sensor" || domain === "sensor") for (const c of cls) out[domain].add(c);
  }
  return out;
}

function withEveryClass(registry: Registry, classes: ReturnType<typeof classesAsked>): void {
  let n = 0;
  const rounds = ["", " Two", " Three", " Four", " Five"];
  const name = (suffix: string) => {
    const i = n++;
    return `${NAMES[i % NAMES.length]} ${suffix}${rounds[Math.floor(i / NAMES.length)]}`;
  };
  for (const cls of classes.binary_sensor) {
    for (const state of ["on", "off"]) {
      registry.upsertEntity({
        id: `binary_sensor.${cls}_${state}`,
        name: name("Probe"),
        domain: "binary_sensor",
        deviceClass: cls,
        areaId: state === "on" ? "garage" : "attic",
        aliases: [],
        attributes: {},
        source: "config",
        state,
      });
    }
  }
  for (const cls of classes.sensor) {
    registry.upsertEntity({
      id: `sensor.${cls}`,
      name: name("Gauge"),
      domain: "sensor",
      deviceClass: cls,
      areaId: "garage",
      aliases: [],
      attributes: {},
      source: "config",
      state: "12",
      unit: "u",
    });
  }
}

describe.each(["en", "de"] as const)("state questions of every device class in the %s pack", (language) => {
  it("are understood and answered from the live state", async () => {
    const sentences = await loadSentences(intentsSchema.parse({ packs: [PACK] }), {
      language,
      configDir: process.cwd(),
      stateDir: resolveStateDir({}, process.cwd()),
    });
    const packs = sentences.packs;
    if (!packs) throw new Error("the pack did not load");
    const classes = classesAsked(packs);
    expect(classes.binary_sensor.size).toBeGreaterThan(language === "en" ? 25 : 12);
    const registry = packHome(language);
    withEveryClass(registry, classes);
    const clock = fixedClock(new Date("2026-01-01T12:00:00Z"));
    const u = new TextUnderstanding({
      sentences,
      registry,
      timers: new TimerManager(clock),
      clock,
      fuzzyThreshold: 0.8,
    });
    const asked = new Set([...classes.binary_sensor, ...classes.sensor]);
    const samples = samplePackSentences(packs, registry, {
      perGroup: 3,
      seed: 11,
      domainsOf: (intent) => intentSpec(intent)?.domains,
    }).filter(
      (s) =>
        s.intent === "HassGetState" &&
        (s.slots.domain === "binary_sensor" || s.slots.domain === "sensor") &&
        typeof s.slots.device_class === "string" &&
        asked.has(s.slots.device_class),
    );
    const failures: string[] = [];
    const answered = new Set<string>();
    for (const s of samples) {
      const r = u.understand(s.text, { area: s.area });
      const got = r.understanding.kind === "recognized" ? r.understanding.intents[0] : undefined;
      const cls = s.slots.device_class as string;
      const wrong =
        got?.name !== "HassGetState"
          ? "not understood"
          : got.targets.some((id) => registry.entity(id)?.deviceClass !== cls)
            ? "other devices"
            : r.reply === ""
              ? "no answer"
              : undefined;
      if (wrong) {
        failures.push(`${s.text} [${s.area ?? ""}]: ${wrong} (${JSON.stringify(r.understanding)})`);
        continue;
      }
      answered.add(cls);
      if (got?.response === "how_many" || got?.response === "wie_viele") {
        const wanted = String(got.slots.state);
        const count = got.targets.filter((id) => {
          const e = registry.entity(id);
          return e !== undefined && inState(e, wanted);
        }).length;
        expect(r.reply, s.text).toBe(String(count));
      }
    }
    console.log(
      `${language}: ${samples.length} state questions of ${asked.size} device classes, ${samples.length - failures.length} answered`,
    );
    if (failures.length > 0) console.log(failures.join("\n"));
    expect(samples.length).toBeGreaterThan(100);
    expect(failures.length / samples.length).toBeLessThan(0.01);
    expect([...asked].filter((c) => !answered.has(c)).sort()).toEqual([]);
  }, 120_000);
});
