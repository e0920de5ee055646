import type { Command } from "commander";
import { Hearth } from "../../app.js";
import { DEFAULT_CONFIG_PATH, loadConfig } from "../../config/loader.js";
import { systemClock } from "../../core/clock.js";
import { EXIT, HearthError } from "../../core/errors.js";
import { createLogger } from "../../core/logger.js";
import { SystemdNotifier } from "../../core/systemd-notify.js";
import { resolveConfigPath } from "./check-config.js";

/**
 * Longest clean stop, in milliseconds, before Hearth exits anyway: well inside systemd's
 * TimeoutStopSec, and short enough that Ctrl-C feels immediate.
 */
const STOP_DEADLINE_MS = 2500;

/** Codes that mean "fix the configuration": exit 78 so systemd does not restart-loop. */
const CONFIG_CODES = new Set(["CONFIG_INVALID", "CONFIG_NOT_FOUND", "SENTENCES_INVALID"]);

/**
 * `hearth run`: the daemon. Starts every part from the config, logs one "hearth ready" line, and
 * stops cleanly on SIGTERM or SIGINT.
 */
export function register(program: Command): void {
  program
    .command("run")
    .description("run the assistant daemon (what `npm start` runs)")
    .option("-c, --config <path>", `configuration file (default: ${DEFAULT_CONFIG_PATH})`)
    .option("--defaults", "accept an empty configuration file and run on the defaults")
    .option(
      "-i, --input <file.wav>",
      "listen to a recording instead of audio.source (it is heard as a stream after 2 s of silence); the daemon keeps running",
    )
    .action(async (opts: { config?: string; input?: string; defaults?: boolean }) => {
      const bootLog = createLogger({ level: "info" });
      let hearth: Hearth;
      try {
        const loaded = await loadConfig(resolveConfigPath(opts.config), {
          log: bootLog,
          allowEmpty: opts.defaults === true,
        });
        const log = createLogger({ level: loaded.config.logging.level });
        hearth = new Hearth({ loaded, log, input: opts.input });
        // Under systemd (Type=notify): READY only once every part is up, watchdog pings from the
        // event loop, STOPPING before shutting down. A no-op anywhere else.
        const systemd = new SystemdNotifier({ log: log.child({ module: "systemd" }) });
        let stopWatchdog = () => {};
        let stopping = false;
        const stop = (signal: string) => {
          // Ctrl-C under `npm start` arrives twice (from the terminal, and passed on by npm); the
          // deadline below already bounds the stop, so a repeat changes nothing.
          if (stopping) return;
          stopping = true;
          log.info({ signal }, "stopping");
          stopWatchdog();
          // A part that hangs while stopping must not keep the daemon alive.
          systemClock.timeout(STOP_DEADLINE_MS, "stopping").addEventListener(
            "abort",
            () => {
              log.error({ ms: STOP_DEADLINE_MS }, "stopping took too long; exiting without cleaning up");
              process.exit(EXIT.FAILURE);
            },
            { once: true },
          );
          void systemd
            .stopping()
            .then(() => hearth.stop())
            .finally(() => process.exit(EXIT.OK));
        };
        // Handlers first: a stop asked for the moment READY is out must still be a clean stop.
        // `on`, not `once`: a library's exit hook (signal-exit, loaded with node-llama-cpp) re-raises
        // the signal when it finds no other listener, which would kill Hearth mid-stop; and a repeat
        // must find a listener too.
        process.on("SIGTERM", () => stop("SIGTERM"));
        process.on("SIGINT", () => stop("SIGINT"));
        // SIGHUP (systemctl reload): re-read the config; an invalid one is reported and ignored.
        process.on("SIGHUP", () => {
          void systemd
            .notify({ RELOADING: "1" })
            .then(() => hearth.reload())
            .finally(() => systemd.ready());
        });
        await hearth.start();
        await systemd.ready();
        stopWatchdog = systemd.startWatchdog();
        // Keep the event loop alive until a signal arrives.
        setInterval(() => {}, 1 << 30);
      } catch (err) {
        if (err instanceof HearthError) {
          bootLog.fatal({ code: err.code, problems: err.details }, err.message);
          for (const d of err.details) process.stderr.write(`  ${d}\n`);
          process.exit(CONFIG_CODES.has(err.code) ? EXIT.CONFIG : EXIT.FAILURE);
        }
        throw err;
      }
    });
}
