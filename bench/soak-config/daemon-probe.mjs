/**
 * Preloaded into the daemon by `npm run soak` (`node --expose-gc --import …`): measures from inside
 * the daemon's process, without changing the daemon. Nothing happens unless HEARTH_SOAK_PROBE_FILE
 * is set.
 *
 * On SIGUSR2 it runs a full garbage collection (so memory readings show what is retained, not what
 * the collector has yet to reclaim), then writes to that file one JSON object: the event-loop delay
 * measured since the previous SIGUSR2 (perf_hooks.monitorEventLoopDelay) and process.memoryUsage().
 * Each SIGUSR2 starts a new event-loop measurement window.
 */
import { writeFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";

const file = process.env.HEARTH_SOAK_PROBE_FILE;
if (file) {
  // 10 ms sampling: finer would measure the timer itself more than the daemon.
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let window = 0;
  // The histogram records whole timer intervals (10 ms plus the delay); the delay is what is beyond.
  const ms = (ns) => Math.max(0, Math.round((ns / 1e6 - 10) * 100) / 100);
  const kb = (bytes) => Math.round(bytes / 1024);
  process.on("SIGUSR2", () => {
    window++;
    const loop = {
      samples: histogram.count,
      p50Ms: ms(histogram.percentile(50)),
      p99Ms: ms(histogram.percentile(99)),
      maxMs: ms(histogram.max),
      meanMs: ms(histogram.mean),
    };
    histogram.reset();
    globalThis.gc?.();
    const m = process.memoryUsage();
    const memory = {
      gc: typeof globalThis.gc === "function",
      rssKb: kb(m.rss),
      heapUsedKb: kb(m.heapUsed),
      heapTotalKb: kb(m.heapTotal),
      externalKb: kb(m.external),
      arrayBuffersKb: kb(m.arrayBuffers),
    };
    writeFileSync(file, `${JSON.stringify({ window, loop, memory })}\n`);
  });
}
