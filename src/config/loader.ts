import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { HearthError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import { parseConfig } from "./parse-config.js";
import type { Config } from "./schema.js";
import { parseYamlSource } from "./yaml-source.js";

/** Where Hearth looks for its configuration, relative to the working directory. */
export const DEFAULT_CONFIG_PATH = "config/hearth.yaml";

/** The annotated example shipped in the package, copied to the default path on first run. */
const PACKAGE_CONFIG_DIR = fileURLToPath(new URL("../../config/", import.meta.url));

export interface LoadConfigOptions {
  /** Told when the default file is created from the example. */
  log?: Logger;
  /** Directory relative paths are resolved against. Default: the process's working directory. */
  cwd?: string;
  /** The example copied to the default path when that is missing. Default: the package's own. */
  examplePath?: string;
  /**
   * Accept a file with no settings (empty, or only comments) as all defaults (`hearth run
   * --defaults`). Default false: an emptied file is more likely a mistake (a failed copy, an editor
   * that crashed) than a wish to run on defaults.
   */
  allowEmpty?: boolean;
}

export interface LoadedConfig {
  config: Config;
  /** Absolute path of the file read. */
  path: string;
  /** Its directory: relative paths inside the config (sentence files …) are resolved against it. */
  dir: string;
  /** True when the file did not exist and was just created from the example. */
  created: boolean;
}

/**
 * Reads, parses and validates the configuration file (see `parseConfig` for what is checked).
 * `site.id` defaults to the hostname of the machine it is loaded on.
 *
 * A missing file at the default path is created from the example, so a fresh install starts with
 * something to edit; any other missing path is an error, because a typo in `--config` should not
 * quietly produce a new file. Secrets (MQTT passwords and the like) are not handled here yet.
 *
 * @throws HearthError CONFIG_NOT_FOUND, or CONFIG_INVALID listing every problem with line and column.
 */
export async function loadConfig(
  path = DEFAULT_CONFIG_PATH,
  opts: LoadConfigOptions = {},
): Promise<LoadedConfig> {
  const cwd = opts.cwd ?? process.cwd();
  const file = resolve(cwd, path);
  let created = false;
  let text = await readText(file);
  if (text === undefined && file === resolve(cwd, DEFAULT_CONFIG_PATH)) {
    const example = opts.examplePath ?? resolve(PACKAGE_CONFIG_DIR, "hearth.example.yaml");
    created = await createFromExample(file, example);
    if (created) opts.log?.info({ path: file, example }, "config file created from the example");
    text = await readText(file);
  }
  if (text === undefined) {
    throw new HearthError("CONFIG_NOT_FOUND", `configuration file not found: ${file}`);
  }
  const yaml = opts.allowEmpty ? undefined : parseYamlSource(text);
  if (yaml && yaml.problems.length === 0 && yaml.data == null) {
    throw new HearthError("CONFIG_INVALID", `${file} is empty`, {
      details: [
        "it holds no settings: write them (see config/hearth.example.yaml), or run with --defaults to use the defaults",
      ],
    });
  }
  const config = parseConfig(text, file);
  return { config, path: file, dir: dirname(file), created };
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new HearthError("CONFIG_INVALID", `cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
}

/** Copies the example, pointing its editor-schema line at the schema next to the example. */
async function createFromExample(file: string, example: string): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(example, "utf8");
  } catch (err) {
    throw new HearthError(
      "CONFIG_NOT_FOUND",
      `configuration file not found: ${file} (and no example at ${example})`,
      {
        cause: err,
      },
    );
  }
  await mkdir(dirname(file), { recursive: true });
  const schema =
    relative(dirname(file), resolve(dirname(example), "hearth.schema.json")) || "hearth.schema.json";
  text = text.replace(/^(# yaml-language-server: \$schema=).*$/m, `$1${schema}`);
  try {
    // "wx": another process may have created it meanwhile; theirs wins, never overwrite.
    await writeFile(file, text, { flag: "wx" });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new HearthError("CONFIG_INVALID", `cannot create ${file}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}
