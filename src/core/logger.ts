import { createRequire } from "node:module";
import { isatty } from "node:tty";
import { type DestinationStream, type Logger, type LoggerOptions, pino } from "pino";

export type { Logger } from "pino";

/** Paths pino redacts wherever they appear in a log line: secrets never reach the journal. */
export const REDACT_PATHS = [
  "password",
  "*.password",
  "mqtt.password",
  "config.mqtt.password",
  "token",
  "*.token",
  "headers.authorization",
];

export interface LoggerSettings {
  /** pino level: fatal, error, warn, info, debug, trace or silent. */
  level: string;
  /** Where JSON lines go; stdout by default (journald collects it). File descriptor 2 for CLIs. */
  destination?: number;
  /**
   * json: one JSON object per line (journald, pipes, files); pretty: one readable, coloured line
   * per event for a person at a terminal. Default: pretty when the destination is a terminal,
   * else json; the environment variable HEARTH_LOG_FORMAT (json or pretty) overrides it.
   */
  format?: "json" | "pretty" | undefined;
}

/** The format for a destination: a terminal gets readable lines, anything else JSON. */
export function logFormat(fd: number, env: NodeJS.ProcessEnv = process.env): "json" | "pretty" {
  const asked = env.HEARTH_LOG_FORMAT;
  if (asked === "json" || asked === "pretty") return asked;
  return isatty(fd) ? "pretty" : "json";
}

/**
 * pino-pretty writing to `fd`, one line per event: time, level, the module, the message, then the
 * fields. Loaded only for a terminal, so a service never loads it.
 */
function prettyStream(fd: number): DestinationStream {
  const require = createRequire(import.meta.url);
  const pretty = require("pino-pretty") as (options: Record<string, unknown>) => DestinationStream;
  return pretty({
    destination: fd,
    sync: true,
    colorize: isatty(fd),
    singleLine: true,
    translateTime: "SYS:HH:MM:ss.l",
    ignore: "pid,hostname,name,module",
    messageFormat: "{if module}[{module}] {end}{msg}",
  });
}

/**
 * Builds the root logger. Every module takes a child of it (`log.child({ module: "mqtt" })`);
 * the message is a short constant sentence and data goes in fields.
 */
export function createLogger(settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level: settings.level,
    base: { name: "hearth" },
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  const fd = settings.destination ?? 1;
  const format = settings.format ?? logFormat(fd);
  return pino(options, format === "pretty" ? prettyStream(fd) : pino.destination({ fd, sync: true }));
}

/** A logger that drops everything, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
