import type { Command } from "commander";
import { DEFAULT_CONFIG_PATH } from "../../config/loader.js";
import { EXIT } from "../../core/errors.js";
import { createLogger } from "../../core/logger.js";
import { formatCheck, formatSummary } from "../../doctor/format-check.js";
import { runDoctor } from "../../doctor/run-doctor.js";
import { resolveConfigPath } from "./check-config.js";

/**
 * `hearth doctor [--config PATH] [--json]`: checks that this machine can run the configuration
 * (config, broker, sound devices, Debian packages, models and memory, wake-word and VAD models,
 * the systemd service) and prints each result with ✔, ✘ or ⚠ and what to do. Exits 1 when
 * something the configuration needs is missing or broken; warnings alone exit 0. Changes nothing.
 */
export function register(program: Command): void {
  program
    .command("doctor")
    .description(
      "check that this machine can run the configuration: config, MQTT broker, microphone and speaker, Debian packages, models and memory, wake-word and VAD models, systemd service. Prints ✔/✘/⚠ with a fix for each; exits 1 when something needed is missing or broken",
    )
    .option("-c, --config <path>", `configuration file (default: ${DEFAULT_CONFIG_PATH})`)
    .option(
      "--json",
      'print one JSON object {"ok", "checks": [{"id", "name", "ok", "detail", "fix"}]} instead of text',
    )
    .action(async (opts: { config?: string; json?: boolean }) => {
      // Engines log their own troubles too; the results already say everything, so stay quiet
      // unless the environment asks (HEARTH_LOG_LEVEL=debug) for the details behind a failure.
      const logger = createLogger({ level: process.env.HEARTH_LOG_LEVEL ?? "silent", destination: 2 });
      const report = await runDoctor({
        configPath: resolveConfigPath(opts.config),
        logger,
        onResult: opts.json ? undefined : (check) => process.stdout.write(formatCheck(check)),
      });
      if (opts.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else process.stdout.write(formatSummary(report.checks));
      process.exitCode = report.ok ? EXIT.OK : EXIT.FAILURE;
    });
}
