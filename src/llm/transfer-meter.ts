import type { Clock } from "../core/clock.js";

/** A snapshot of a transfer for progress displays. */
export interface TransferProgress {
  /** Bytes of the file on disk so far, including a resumed part. */
  readonly received: number;
  /** Expected total size in bytes, or null when neither the catalog nor the server says. */
  readonly total: number | null;
  /** Bytes already on disk when this transfer started (a resumed `.part`). */
  readonly resumedFrom: number;
  /** Recent transfer speed in bytes per second; 0 until there is enough data. */
  readonly bytesPerSecond: number;
  /** Estimated seconds left, or null when the total or the speed is unknown. */
  readonly etaSeconds: number | null;
}

/** Samples older than this no longer count towards the speed, so the ETA follows the current rate. */
const WINDOW_MS = 5_000;

/**
 * Turns "N bytes so far" updates into speed and ETA. Speed is measured over a sliding window of
 * recent samples rather than since the start, so a resumed download or a slow start does not skew it.
 */
export class TransferMeter {
  readonly #clock: Clock;
  readonly #samples: Array<{ at: number; received: number }> = [];
  #total: number | null;
  #resumedFrom: number;

  constructor(clock: Clock, total: number | null, resumedFrom = 0) {
    this.#clock = clock;
    this.#total = total;
    this.#resumedFrom = resumedFrom;
  }

  /** Starts over, e.g. when the server ignored a range request and the download restarts at 0. */
  reset(total: number | null, resumedFrom: number): void {
    this.#total = total;
    this.#resumedFrom = resumedFrom;
    this.#samples.length = 0;
  }

  /** Records the byte count now and returns the resulting snapshot. */
  update(received: number): TransferProgress {
    const now = this.#clock.monotonic();
    this.#samples.push({ at: now, received });
    while (this.#samples.length > 2 && now - (this.#samples[0]?.at ?? now) > WINDOW_MS) this.#samples.shift();
    const first = this.#samples[0];
    const elapsedMs = first === undefined ? 0 : now - first.at;
    const bytesPerSecond =
      first === undefined || elapsedMs <= 0 ? 0 : ((received - first.received) * 1000) / elapsedMs;
    const etaSeconds =
      this.#total === null || bytesPerSecond <= 0
        ? null
        : Math.max(0, (this.#total - received) / bytesPerSecond);
    return { received, total: this.#total, resumedFrom: this.#resumedFrom, bytesPerSecond, etaSeconds };
  }
}

/** "491.4 MB": SI units, as Hugging Face and most download tools show file sizes. */
export function formatBytes(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** "1m05s", "42s", "2h03m": compact enough for a progress line. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return "--";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}
