import { describe, expect, it } from "vitest";
import { samplePackSentences } from "../../../bench/lib/sample-pack.mjs";
import { intentsSchema } from "../../../src/config/schema.js";
import { resolveStateDir } from "../../../src/config/state-dir.js";
import { fixedClock } from "../../../src/core/clock.js";
import { intentSpec } from "../../../src/intents/catalog.js";
import { loadSentences } from "../../../src/intents/sentences.js";
import { TextUnderstanding } from "../../../src/intents/text-understanding.js";
import { TimerManager } from "../../../src/intents/timers.js";
import { packHome } from "./homes.js";

const PACK = "../shared/ha-intents";

/**
 * Sentences drawn at random from the packs' own templates, filled with a home's names: each must
 * come back as the template's intent with the slots it was filled with.
 */
describe.each(["en", "de"] as const)("sentences sampled from the %s pack", (language) => {
  it("are understood as the intent and slots they were drawn with", async () => {
    const sentences = await loadSentences(intentsSchema.parse({ packs: [PACK] }), {
      language,
      configDir: process.cwd(),
      stateDir: resolveStateDir({}, process.cwd()),
    });
    const registry = packHome(language);
    const clock = fixedClock(new Date("2026-01-01T12:00:00Z"));
    const understanding = new TextUnderstanding({
      sentences,
      registry,
      timers: new TimerManager(clock),
      clock,
      fuzzyThreshold: 0.8,
    });
    const packs = sentences.packs;
    if (!packs) throw new Error("the pack did not load");
    const samples = samplePackSentences(packs, registry, {
      perGroup: 2,
      seed: 7,
      domainsOf: (intent) => intentSpec(intent)?.domains,
    });
    expect(samples.length).toBeGreaterThan(500);
    const failures: string[] = [];
    for (const s of samples) {
      const u = understanding.understand(s.text, { area: s.area }).understanding;
      // Understood, but this home has no such device ("which gates are open"): right all the same.
      const got =
        u.kind === "recognized" && u.intents.length === 1
          ? u.intents[0]
          : u.kind === "not-recognized" && u.reason === "no_targets"
            ? u.intent
            : undefined;
      // Where a device's own name fits as well as a generic phrase ("close the garage door"), the
      // name wins, as in Home Assistant.
      const byName = got !== undefined && got.slots.name !== undefined && s.slots.name === undefined;
      const wrong =
        !got || (got.name !== s.intent && !byName)
          ? "intent"
          : !byName &&
            Object.entries(s.slots).find(
              ([k, v]) => String(got.slots[k]).toLowerCase() !== String(v).toLowerCase(),
            );
      if (wrong)
        failures.push(
          `${s.text} [${s.area ?? ""}] → ${got ? `${got.name} ${JSON.stringify(got.slots)}` : JSON.stringify(u)}; wanted ${s.intent} ${JSON.stringify(s.slots)} (${s.template})`,
        );
    }
    const accuracy = 1 - failures.length / samples.length;
    console.log(
      `${language}: ${samples.length} sampled sentences, ${(accuracy * 100).toFixed(1)} % understood`,
    );
    if (process.env.SHOW_FAILURES) console.log(failures.join("\n"));
    expect(accuracy).toBeGreaterThan(0.97);
  }, 120_000);
});
