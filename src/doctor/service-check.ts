import { stat } from "node:fs/promises";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import { type CheckResult, result } from "./check.js";
import { programOutput } from "./program-output.js";

export interface ServiceCheckOptions {
  logger?: Logger | undefined;
  /** Default "systemctl". */
  systemctl?: string | undefined;
  /** The folder that exists when systemd is the init system (sd_booted(3)). Default /run/systemd/system. */
  systemdRunDir?: string | undefined;
  /** Default "hearth". */
  unit?: string | undefined;
  /** Whose time systemctl's time limit runs on; default the system clock. */
  clock?: Clock | undefined;
}

const ID = "service";
const NAME = "systemd service";
const INSTALL = "sudo scripts/install-service.sh install (from Hearth's folder)";

/**
 * Whether the systemd unit is installed, enabled and running (`systemctl is-enabled` and
 * `is-active`). Running Hearth by hand is legitimate, so a machine without systemd, a unit not
 * installed or a stopped service only warn; a unit that failed is broken and fails the check.
 */
export async function checkService(options: ServiceCheckOptions = {}): Promise<CheckResult> {
  const unit = options.unit ?? "hearth";
  const systemctl = options.systemctl ?? "systemctl";
  const runDir = options.systemdRunDir ?? "/run/systemd/system";
  const booted = await stat(runDir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!booted) {
    return result(
      ID,
      NAME,
      "warn",
      "systemd is not running on this machine: Hearth runs only when started by hand (`hearth run`)",
      `on a machine with systemd, install the service: ${INSTALL}`,
    );
  }
  const enabledOut = await programOutput(systemctl, ["is-enabled", unit], {
    logger: options.logger,
    clock: options.clock,
  });
  if (!enabledOut.found) {
    return result(
      ID,
      NAME,
      "warn",
      `${systemctl} not found although systemd is running`,
      "sudo apt install systemd",
    );
  }
  // Older systemd prints nothing and an error for an unknown unit, newer prints "not-found".
  const enabled = enabledOut.stdout.trim() || "not-found";
  if (enabled === "not-found") {
    return result(ID, NAME, "warn", `the ${unit} unit is not installed`, INSTALL);
  }
  const active =
    (
      await programOutput(systemctl, ["is-active", unit], { logger: options.logger, clock: options.clock })
    ).stdout.trim() || "unknown";
  const state = `${unit}.service is ${enabled} and ${active}`;
  if (active === "failed") {
    return result(
      ID,
      NAME,
      false,
      state,
      `see why with \`journalctl -u ${unit} -e\`, then \`sudo systemctl restart ${unit}\``,
    );
  }
  if (enabled === "masked") {
    return result(
      ID,
      NAME,
      "warn",
      state,
      `sudo systemctl unmask ${unit} && sudo systemctl enable --now ${unit}`,
    );
  }
  const atBoot = enabled === "enabled" || enabled === "enabled-runtime";
  if (active === "active" && atBoot) return result(ID, NAME, true, state);
  if (active === "active") {
    return result(ID, NAME, "warn", `${state}: it will not start at boot`, `sudo systemctl enable ${unit}`);
  }
  if (active === "activating" || active === "reloading" || active === "deactivating") {
    return result(
      ID,
      NAME,
      "warn",
      `${state}: check again in a few seconds`,
      `\`systemctl status ${unit}\` shows what it is doing`,
    );
  }
  return result(
    ID,
    NAME,
    "warn",
    `${state}: it is not running`,
    atBoot ? `sudo systemctl start ${unit}` : `sudo systemctl enable --now ${unit}`,
  );
}
