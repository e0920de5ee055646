import { SingleBar } from "cli-progress";
import { systemClock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import { formatBytes, formatDuration, type TransferProgress } from "../llm/transfer-meter.js";

/**
 * Progress of a download (`hearth models pull`, `hearth language pull`): a bar on a terminal,
 * periodic log lines (journald-friendly) otherwise.
 */
export function progressReporter(
  log: Logger,
  intervalMs: number,
): { update(p: TransferProgress): void; stop(): void } {
  if (process.stderr.isTTY === true) {
    let bar: SingleBar | null = null;
    return {
      update(p) {
        const payload = {
          done: formatBytes(p.received),
          size: p.total === null ? "?" : formatBytes(p.total),
          speed: `${formatBytes(p.bytesPerSecond)}/s`,
          etaText: formatDuration(p.etaSeconds),
        };
        if (bar === null) {
          bar = new SingleBar({
            format:
              p.total === null
                ? "{done} | {speed}"
                : "{bar} {percentage}% | {done} / {size} | {speed} | ETA {etaText}",
            stream: process.stderr,
            hideCursor: true,
            stopOnComplete: true,
            barsize: 30,
          });
          bar.start(p.total ?? 0, p.received, payload);
        } else {
          bar.setTotal(p.total ?? 0);
          bar.update(p.received, payload);
        }
      },
      stop() {
        bar?.stop();
        bar = null;
      },
    };
  }
  let last = Number.NEGATIVE_INFINITY;
  let finished = false;
  return {
    update(p) {
      const now = systemClock.monotonic();
      const complete = p.total !== null && p.received >= p.total;
      if (finished || (!complete && now - last < intervalMs)) return;
      last = now;
      finished = complete;
      log.info(
        {
          received: p.received,
          total: p.total,
          percent: p.total === null || p.total === 0 ? null : Math.floor((p.received * 100) / p.total),
          bytesPerSecond: Math.round(p.bytesPerSecond),
          etaSeconds: p.etaSeconds === null ? null : Math.round(p.etaSeconds),
        },
        "download progress",
      );
    },
    stop() {},
  };
}
