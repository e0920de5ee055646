import { type Logger, type LoggerOptions, pino } from "pino";

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
  return pino(options, pino.destination({ fd: settings.destination ?? 1, sync: true }));
}

/** A logger that drops everything, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
