// The home the speech benchmarks hear commands in: one configuration for every home size, so
// bench/stt.mjs (each clip decoded whole) and bench/hear.mjs (the daemon's path over a recording)
// judge the same grammar.

import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generatedHome, ROOMS } from "../generated-home.mjs";
import { loadBenchConfig } from "./bench-config.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const FIXTURE = join(ROOT, "tests", "intents", "fixtures", "home.yaml");
export const COFFEE_CONFIG = join(ROOT, "bench", "coffee", "hearth.yaml");

/**
 * The configuration every home size shares: the fixture's sentences (the built-in intents and its
 * custom OrderPizza), the coffee-order intents of bench/coffee/hearth.yaml (a kitchen Hearth that
 * also takes coffee orders; its lists replace the fixture's `size`, a superset), and "computer" as a
 * one-word custom intent, as "pause" or "next" are. Only the devices differ from size to size
 * ({@link homeDevices}). No wake word: the clips hold none.
 */
export async function benchHomeConfig() {
  const base = await loadBenchConfig(FIXTURE);
  const coffeeIntents = (await loadBenchConfig(COFFEE_CONFIG)).config.intents;
  const intents = base.config.intents;
  Object.assign(intents.custom, coffeeIntents.custom, {
    Computer: { sentences: ["computer"], reply: "Yes?" },
  });
  Object.assign(intents.lists, coffeeIntents.lists);
  Object.assign(intents.expansion_rules, coffeeIntents.expansion_rules);
  base.config.wake.engine = "none";
  return base;
}

/** Areas of the generated home of `devices` devices: 3 for 10, 10 for 100, 30 for 500. */
export function areasFor(devices) {
  return Math.min(ROOMS.length, Math.max(3, Math.round(devices / 10)));
}

/** The registry's entities of a generated home of `devices` devices. */
export function homeDevices(devices) {
  return generatedHome({ devices, areas: areasFor(devices) });
}
