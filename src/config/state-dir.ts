import { isAbsolute, resolve } from "node:path";
import type { Config } from "./schema.js";

/**
 * The directory Hearth writes its state to (lists, pulled languages, models): `state_dir` from the
 * config (relative to the config file's directory), else the first path systemd gives in
 * `$STATE_DIRECTORY` (set by the unit's `StateDirectory=hearth`, so /var/lib/hearth: the only place
 * the hardened service may write), else a `state` folder beside the config file. Nothing is created
 * here: whoever writes creates what it needs.
 *
 * @param configDir the directory of the config file (`LoadedConfig.dir`).
 * @param env the environment to read `STATE_DIRECTORY` from (tests pass their own).
 */
export function resolveStateDir(
  config: Pick<Config, "state_dir">,
  configDir: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (config.state_dir !== undefined) return resolve(configDir, config.state_dir);
  // systemd separates several StateDirectory= entries with ':'; Hearth's unit names one.
  const fromSystemd = env.STATE_DIRECTORY?.split(":")[0];
  if (fromSystemd && isAbsolute(fromSystemd)) return fromSystemd;
  return resolve(configDir, "state");
}
