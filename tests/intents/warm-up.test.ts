import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Config } from "../../src/config/schema.js";
import { fixedClock } from "../../src/core/clock.js";
import { SHOPPING_LIST } from "../../src/intents/lists.js";
import type { CompiledSentences } from "../../src/intents/sentences.js";
import { registryFromConfig } from "../../src/registry/from-config.js";
import { ActingUnderstanding, fixtureConfig, fixtureSentences } from "../helpers/understanding.js";

/**
 * The matcher's warm-up at start (example sentences drawn from every template, run through the
 * matcher so the first real sentence is not slow): it must leave no trace a user could notice. The
 * examples include "set a timer …", "add … to the shopping list", "broadcast …" and "turn off …".
 * Home Assistant's English pack (../shared/ha-intents, CC BY 4.0) is loaded beside Hearth's own.
 */

let config: Config;
let stateDir: string;
let sentences: CompiledSentences;

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "hearth-warm-up-"));
  config = fixtureConfig();
  sentences = await fixtureSentences(config, stateDir, { packs: [resolve("../shared/ha-intents")] });
});
afterAll(() => rm(stateDir, { recursive: true, force: true }));

describe("warming the matcher up", () => {
  it("acts on nothing, starts no timer, adds nothing to a list and leaves no 'it' behind", async () => {
    const registry = registryFromConfig(config);
    const before = JSON.stringify(registry.entities());
    const acting = await ActingUnderstanding.open({
      sentences,
      registry,
      clock: fixedClock(new Date("2026-03-14T15:09:26Z")),
    });
    try {
      const steps = acting.understanding.warmUp();
      // The programs, then one step per example sentence.
      expect(steps).toBeGreaterThan(100);
      expect(acting.timerEvents).toEqual([]);
      expect(acting.broadcasts).toEqual([]);
      expect(acting.media).toEqual([]);
      expect(acting.lists.list(SHOPPING_LIST.id)?.items ?? []).toEqual([]);
      expect(JSON.stringify(registry.entities())).toBe(before);
      // Nothing was acted on, so "it" still means nothing.
      expect(acting.understand("turn it off").understanding).toMatchObject({
        kind: "not-recognized",
        reason: "no_context",
      });
    } finally {
      await acting.close();
    }
  });

  it("understands afterwards exactly as without it", async () => {
    const clock = fixedClock(new Date("2026-03-14T15:09:26Z"));
    const cold = await ActingUnderstanding.open({ sentences, registry: registryFromConfig(config), clock });
    const warm = await ActingUnderstanding.open({ sentences, registry: registryFromConfig(config), clock });
    try {
      warm.understanding.warmUp();
      for (const text of [
        "turn on the kitchen light",
        "set the temperature to 21 degrees",
        "what time is it",
        "turn on the lamp",
        "we're out of bread",
        "add milk to the shopping list",
      ]) {
        const area = { area: "Living Room" };
        // What was understood and the reply; how long it took is the warm-up's point and may differ.
        const { understanding, reply } = cold.understand(text, area);
        expect(warm.understand(text, area), text).toMatchObject({ understanding, reply });
      }
    } finally {
      await cold.close();
      await warm.close();
    }
  });
});
