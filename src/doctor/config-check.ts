import { stat } from "node:fs/promises";
import { type LoadedConfig, loadConfig } from "../config/loader.js";
import { resolveStateDir } from "../config/state-dir.js";
import { HearthError } from "../core/errors.js";
import { loadSentences } from "../intents/sentences.js";
import { type CheckResult, describeError, result } from "./check.js";

/** The configuration check's result and, when it passed, the loaded configuration. */
export interface ConfigCheck {
  result: CheckResult;
  loaded?: LoadedConfig | undefined;
}

const ID = "config";
const NAME = "Configuration";

/**
 * Loads and validates the configuration and compiles its sentences (custom intents, lists, extra
 * sentence files), exactly as the daemon does at start. Unlike `loadConfig` at the default path,
 * a missing file is reported rather than created from the example: the doctor changes nothing.
 */
export async function checkConfig(path: string): Promise<ConfigCheck> {
  try {
    await stat(path);
  } catch {
    return {
      result: result(
        ID,
        NAME,
        false,
        `configuration file not found: ${path}`,
        "pass the right file with --config PATH, or run `hearth check-config` once to create config/hearth.yaml from the example",
      ),
    };
  }
  let loaded: LoadedConfig;
  try {
    loaded = await loadConfig(path);
    const sentences = await loadSentences(loaded.config.intents, {
      language: loaded.config.site.language,
      configDir: loaded.dir,
      stateDir: resolveStateDir(loaded.config, loaded.dir),
    });
    const { areas, devices } = loaded.config;
    return {
      loaded,
      result: result(
        ID,
        NAME,
        true,
        `${loaded.path}: ${plural(areas.length, "area")}, ${plural(devices.length, "device")}, ` +
          `${plural(sentences.intents.size, "intent")} with ${plural(sentences.groups.length, "sentence template")}`,
      ),
    };
  } catch (err) {
    if (!(err instanceof HearthError)) throw err;
    const fix =
      err.code === "SENTENCES_INVALID" || err.code === "TEMPLATE_INVALID"
        ? "correct the sentence templates named above (intents.custom, intents.lists or the files in intents.files)"
        : "correct each problem listed above (line and column given); `hearth check-config` rechecks the file alone";
    return { result: result(ID, NAME, false, describeError(err), fix) };
  }
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
