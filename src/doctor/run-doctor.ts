import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { AvailableMemory } from "../llm/gguf-check.js";
import { checkAudioDevice } from "./audio-devices-check.js";
import { checkBroker } from "./broker-check.js";
import type { CheckResult } from "./check.js";
import { checkConfig } from "./config-check.js";
import { checkVad, checkWakeWord } from "./engines-check.js";
import { checkHomeAssistant } from "./homeassistant-check.js";
import { checkModels } from "./models-check.js";
import { checkPackages, readSystemPackages, requiredPackages, type SystemPackage } from "./packages-check.js";
import { checkPrivacy } from "./privacy-check.js";
import { checkService } from "./service-check.js";

/** Everything the doctor looked at; `ok` is false when any check failed (warnings do not count). */
export interface DoctorReport {
  ok: boolean;
  checks: CheckResult[];
}

/** The parts of the machine the checks use; each defaults to the real one. */
export interface DoctorOptions {
  /** Absolute path of the configuration file. */
  configPath: string;
  logger: Logger;
  /** Told about each result as soon as it is known (the CLI prints as it goes). */
  onResult?: ((check: CheckResult) => void) | undefined;
  /** Longest wait for the MQTT broker, in milliseconds. */
  brokerTimeoutMs?: number | undefined;
  /**
   * Whose time every wait runs on (the broker's and Home Assistant's, the programs' time limits);
   * default the system clock.
   */
  clock?: Clock | undefined;
  availableMemory?: (() => Promise<AvailableMemory> | AvailableMemory) | undefined;
  /** Known Debian packages; default scripts/system-packages.json. */
  packages?: SystemPackage[] | undefined;
  programs?: {
    arecord?: string | undefined;
    aplay?: string | undefined;
    dpkgQuery?: string | undefined;
    systemctl?: string | undefined;
  };
  /** Default /run/systemd/system. */
  systemdRunDir?: string | undefined;
  env?: NodeJS.ProcessEnv | undefined;
}

/**
 * Runs every check in order: configuration first (most others need it), then broker, sound
 * devices, packages, model files and memory, model loading, what leaves the house, and the service. With an invalid
 * configuration only the checks that do not depend on it run.
 */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const checks: CheckResult[] = [];
  const add = (check: CheckResult): void => {
    checks.push(check);
    options.onResult?.(check);
  };
  const { logger, programs = {}, clock } = options;
  const known = options.packages ?? (await readSystemPackages());

  const { result: configResult, loaded } = await checkConfig(options.configPath);
  add(configResult);
  if (loaded) {
    const { config, dir } = loaded;
    add(
      await checkBroker(config, {
        logger,
        configDir: dir,
        timeoutMs: options.brokerTimeoutMs,
        env: options.env,
        clock,
      }),
    );
    add(
      await checkHomeAssistant(config, {
        logger,
        configDir: dir,
        timeoutMs: options.brokerTimeoutMs,
        env: options.env,
        clock,
      }),
    );
    add(await checkAudioDevice("microphone", config.audio, { logger, program: programs.arecord, clock }));
    add(await checkAudioDevice("speaker", config.audio, { logger, program: programs.aplay, clock }));
    add(
      await checkPackages(requiredPackages(config), { logger, known, dpkgQuery: programs.dpkgQuery, clock }),
    );
    for (const check of await checkModels(config, dir, { availableMemory: options.availableMemory }))
      add(check);
    add(await checkWakeWord(config.wake, dir, logger));
    add(await checkVad(config.vad, dir));
    add(checkPrivacy(config));
  } else {
    // Without a config nothing is known to be needed: every package is optional.
    add(await checkPackages([], { logger, known, dpkgQuery: programs.dpkgQuery, clock }));
  }
  add(
    await checkService({
      logger,
      systemctl: programs.systemctl,
      systemdRunDir: options.systemdRunDir,
      clock,
    }),
  );
  return { ok: checks.every((c) => c.ok !== false), checks };
}
