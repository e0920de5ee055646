import type { Command } from "commander";
import { Hearth } from "../../app.js";
import { DEFAULT_CONFIG_PATH, loadConfig } from "../../config/loader.js";
import type { Config } from "../../config/schema.js";
import { type Clock, systemClock } from "../../core/clock.js";
import { EXIT, HearthError } from "../../core/errors.js";
import { createLogger, type Logger } from "../../core/logger.js";
import { SystemdNotifier } from "../../core/systemd-notify.js";
import { resolveConfigPath } from "./check-config.js";

/** Codes that mean "fix the configuration": exit 78 so systemd does not restart-loop. */
const CONFIG_CODES = new Set(["CONFIG_INVALID", "CONFIG_NOT_FOUND", "SENTENCES_INVALID"]);

/** What the daemon's stop works with. */
export interface DaemonStopOptions {
  /** The daemon: its parts, and the config in force (a reload may have changed it). */
  hearth: { stop(): Promise<void>; readonly config: Pick<Config, "stop_timeout_ms"> };
  /** Told STOPPING=1 first (a no-op outside systemd). */
  systemd: { stopping(): Promise<void> };
  log: Logger;
  /** Whose time `stop_timeout_ms` runs on (the CLI's: the system clock). */
  clock: Clock;
  /** Ends the process (process.exit). */
  exit(code: number): void;
  /** Called as the stop begins (ends the watchdog's pings). */
  onStopping?: () => void;
}

/**
 * The daemon's stop on SIGTERM or SIGINT: STOPPING=1 to systemd, every part stopped in reverse
 * order, exit 0. A part whose stop throws is logged (by the daemon, with its name) and the exit is 1,
 * so systemd shows the unit failed; a stop systemd asked for is never restarted (Restart=on-failure
 * restarts only a daemon that exits of its own accord), and a failure to stop is no reason to
 * start again anyway. A part that hangs while stopping must not keep the daemon alive: once
 * `stop_timeout_ms` has passed on the clock, Hearth logs it and exits 1 (well inside systemd's
 * TimeoutStopSec, and short enough that Ctrl-C feels immediate). Returns the signal handler; a
 * repeat changes nothing (Ctrl-C under `npm start` arrives twice: from the terminal, and passed on
 * by npm).
 */
export function daemonStop(o: DaemonStopOptions): (signal: string) => void {
  let stopping = false;
  let exited = false;
  const exit = (code: number) => {
    if (exited) return;
    exited = true;
    o.exit(code);
  };
  return (signal) => {
    if (stopping) return;
    stopping = true;
    o.log.info({ signal }, "stopping");
    o.onStopping?.();
    const ms = o.hearth.config.stop_timeout_ms;
    o.clock.timeout(ms, "stopping").addEventListener(
      "abort",
      () => {
        o.log.error({ ms }, "stopping took too long; exiting without cleaning up");
        exit(EXIT.FAILURE);
      },
      { once: true },
    );
    void o.systemd
      .stopping()
      .then(() => o.hearth.stop())
      .then(
        () => exit(EXIT.OK),
        (err: unknown) => {
          o.log.error({ err }, "stopped, but not cleanly");
          exit(EXIT.FAILURE);
        },
      );
  };
}

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
        let stopAsked = false;
        const stop = daemonStop({
          hearth,
          systemd,
          log,
          clock: systemClock,
          exit: (code) => process.exit(code),
          onStopping: () => {
            stopAsked = true;
            stopWatchdog();
          },
        });
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
        try {
          await hearth.start();
        } catch (err) {
          // A signal during start-up: the stop under way stops what had started, says so and exits.
          if (stopAsked) return;
          throw err;
        }
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
