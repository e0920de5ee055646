// Benchmarks read configs that live in the repository (bench/heldout/home.yaml, the test fixture
// home, bench/coffee/hearth.yaml). Hearth keeps its state beside a config that names no state_dir
// (parsed pack caches, lists), which would leave untracked folders such as bench/heldout/state/ in
// the checkout: a benchmark's state goes under the ignored .cache/ instead.

import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../../dist/config/loader.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Where a benchmark keeps the state of the config at `configPath`: .cache/bench-state/<its folder>. */
export function benchStateDir(configPath) {
  const folder = relative(ROOT, dirname(resolve(configPath)));
  return join(ROOT, ".cache", "bench-state", folder.startsWith("..") ? "outside" : folder);
}

/**
 * loadConfig for a benchmark: a config that names its own state_dir keeps it; any other keeps its
 * state in {@link benchStateDir} (kept between runs, so a pack's parsed YAML is cached as it is for
 * the daemon).
 */
export async function loadBenchConfig(path) {
  const loaded = await loadConfig(path);
  loaded.config.state_dir ??= benchStateDir(path);
  return loaded;
}
