import { relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Seconds the longest test files took in a fresh-clone CI run (`.ci/run` on 953835c, one worker on
 * 2 cores). Only an ordering hint: a stale figure costs some wall time, never a check.
 */
const SLOW_FILES: Readonly<Record<string, number>> = {
  "tests/privacy/network.test.ts": 91,
  "tests/pipeline/hear-recording.test.ts": 64,
  "tests/audio/stt/template-grammar.test.ts": 39,
  "tests/pipeline/listening-loop.test.ts": 37,
  "tests/intents/combined.test.ts": 36,
  "tests/llm/llm-recognizer.test.ts": 26,
  "tests/intents/everyday.test.ts": 21,
  "tests/e2e/speech-cli.test.ts": 17,
  "tests/audio/stt/pocketsphinx-stt.test.ts": 13,
  "tests/mqtt/hearth-mqtt.test.ts": 12,
  "tests/fuzz/daemon-fuzz.test.ts": 12,
  "tests/audio/stt/pocketsphinx-accuracy.test.ts": 10,
  "tests/e2e/voice-command.test.ts": 10,
};

/**
 * Longest files first, so that with a worker per core no long file starts last and leaves the
 * other core idle. Vitest's own order does this from the durations it cached on an earlier run; a
 * fresh clone has no cache, and there this table orders the known slow files first, the rest after
 * them in vitest's order (larger files first).
 */
export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const seconds = (spec: TestSpecification): number => {
      const path = relative(this.ctx.config.root, spec.moduleId);
      const cached = this.ctx.cache.getFileTestResults(`${spec.project.name}:${path}`);
      // As in vitest's own order: what failed last time first, then the longest.
      if (cached) return cached.failed ? Number.POSITIVE_INFINITY : cached.duration / 1000;
      return SLOW_FILES[path] ?? 0;
    };
    // Array.prototype.sort is stable: files with the same estimate keep vitest's order.
    return sorted
      .map((spec) => ({ spec, seconds: seconds(spec) }))
      .sort((a, b) => b.seconds - a.seconds)
      .map(({ spec }) => spec);
  }
}
