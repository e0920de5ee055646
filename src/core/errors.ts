/**
 * Faults (not ordinary results) carry a stable code from this table and their cause.
 * Ordinary outcomes such as "not recognised" or "no such device" are values, not errors.
 */
export const ERROR_CODES = {
  CONFIG_INVALID: "the configuration file is invalid",
  CONFIG_NOT_FOUND: "the configuration file does not exist",
  TEMPLATE_INVALID: "a sentence template cannot be parsed",
  SENTENCES_INVALID: "a sentence file is invalid",
  BROKER_UNREACHABLE: "the MQTT broker cannot be reached",
  BROKER_AUTH: "the MQTT broker refused the credentials",
  HA_UNREACHABLE: "Home Assistant cannot be reached",
  HA_AUTH: "Home Assistant refused the access token",
  COMMAND_FAILED: "a device command could not be delivered",
  ENGINE_FAILED: "a speech or language engine failed",
  MODEL_INVALID: "a model file is missing or invalid",
  AUDIO_INVALID: "audio input is invalid",
  AUDIO_DEVICE: "the sound device is unavailable",
  DOWNLOAD_FAILED: "a model download failed",
  PROCESS_FAILED: "an external program failed",
  DEADLINE_EXCEEDED: "a stage did not finish within its deadline",
  STOP_FAILED: "a part of the daemon did not stop cleanly",
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An error with a stable machine-readable code; `details` lists individual problems when there are several. */
export class HearthError extends Error {
  readonly code: ErrorCode;
  readonly details: readonly string[];

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; details?: readonly string[] } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "HearthError";
    this.code = code;
    this.details = options.details ?? [];
  }
}

/** Exit codes from sysexits.h; 78 (EX_CONFIG) keeps systemd from restart-looping on a bad config. */
export const EXIT = {
  OK: 0,
  FAILURE: 1,
  USAGE: 64,
  DATA: 65,
  NO_INPUT: 66,
  UNAVAILABLE: 69,
  /** EX_IOERR: a file could not be written (a full disk, a read-only one). */
  IO_ERROR: 74,
  CONFIG: 78,
} as const;
