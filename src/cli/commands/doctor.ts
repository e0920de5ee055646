import type { Command } from "commander";
import { DEFAULT_CONFIG_PATH } from "../../config/loader.js";
import { type Clock, systemClock } from "../../core/clock.js";
import { EXIT } from "../../core/errors.js";
import { createLogger, type Logger } from "../../core/logger.js";
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
    .action(async (opts: DoctorCliOptions) => {
      // Engines log their own troubles too; the results already say everything, so stay quiet
      // unless the environment asks (HEARTH_LOG_LEVEL=debug) for the details behind a failure.
      const logger = createLogger({ level: process.env.HEARTH_LOG_LEVEL ?? "silent", destination: 2 });
      process.exitCode = await doctor(opts, {
        clock: systemClock,
        logger,
        stdout: (text) => process.stdout.write(text),
      });
    });
}

/** `hearth doctor`'s options, as commander parses them. */
export interface DoctorCliOptions {
  config?: string | undefined;
  json?: boolean | undefined;
}

/** Where `hearth doctor` writes, and whose time its waits run on (the CLI's: the system clock). */
export interface DoctorIo {
  clock: Clock;
  logger: Logger;
  stdout: (text: string) => void;
  /** The environment the checks read (secrets, proxies); default process.env. */
  env?: NodeJS.ProcessEnv | undefined;
}

/**
 * What `hearth doctor` does: runs every check, prints each result as it comes (or one JSON report),
 * and returns the exit code. Its waits (the broker, Home Assistant, the programs it asks) run on
 * `io.clock`.
 */
export async function doctor(opts: DoctorCliOptions, io: DoctorIo): Promise<number> {
  const report = await runDoctor({
    configPath: resolveConfigPath(opts.config),
    logger: io.logger,
    clock: io.clock,
    env: io.env,
    onResult: opts.json ? undefined : (check) => io.stdout(formatCheck(check)),
  });
  if (opts.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else io.stdout(formatSummary(report.checks));
  return report.ok ? EXIT.OK : EXIT.FAILURE;
}
