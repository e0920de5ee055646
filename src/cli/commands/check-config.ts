import { resolve } from "node:path";
import type { Command } from "commander";
import { DEFAULT_CONFIG_PATH, loadConfig } from "../../config/loader.js";
import { resolveStateDir } from "../../config/state-dir.js";
import { EXIT, HearthError } from "../../core/errors.js";
import { loadSentences } from "../../intents/sentences.js";

/**
 * The config file a command should use: `--config PATH` when given, else `config/hearth.yaml`;
 * relative paths are resolved against the working directory. Every command that reads the config
 * takes its path from here so they all agree.
 */
export function resolveConfigPath(opt?: string, cwd: string = process.cwd()): string {
  return resolve(cwd, opt ?? DEFAULT_CONFIG_PATH);
}

/**
 * `hearth check-config [--config PATH]`: validates the configuration and lists every problem with
 * its line and column. Exits 78 (EX_CONFIG) on an invalid or missing config, the same code the
 * daemon uses, so systemd does not restart-loop on it.
 */
export function register(program: Command): void {
  program
    .command("check-config")
    .description("validate the configuration file and list every problem in it")
    .option("-c, --config <path>", `configuration file (default: ${DEFAULT_CONFIG_PATH})`)
    .action(async (opts: { config?: string }) => {
      const path = resolveConfigPath(opts.config);
      try {
        const { config, created, dir } = await loadConfig(path);
        if (created) process.stderr.write(`created ${path} from the example configuration\n`);
        // Custom sentences, lists and sentence files are part of the config: compile them too.
        await loadSentences(config.intents, {
          language: config.site.language,
          configDir: dir,
          stateDir: resolveStateDir(config, dir),
        });
        const { floors, areas, devices } = config;
        process.stdout.write(
          `config OK: ${count(floors.length, "floor")}, ${count(areas.length, "area")}, ${count(devices.length, "device")}\n`,
        );
      } catch (err) {
        if (
          !(err instanceof HearthError) ||
          !["CONFIG_INVALID", "CONFIG_NOT_FOUND", "SENTENCES_INVALID"].includes(err.code)
        ) {
          throw err;
        }
        process.stderr.write(`${err.message}\n`);
        for (const line of err.details) process.stderr.write(`  ${line}\n`);
        process.exitCode = EXIT.CONFIG;
      }
    });
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
