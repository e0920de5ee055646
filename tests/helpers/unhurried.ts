/**
 * Config lines for a daemon or CLI the test runs as a child process, on the system clock, which no
 * test can move: the stage deadlines, the synthesis deadline and the stop's limit (stop_timeout_ms)
 * lie past the test's own limit (vitest's testTimeout, 3 minutes), so however slow the machine is, a
 * run ends on what was heard and said, and a stop on every part having stopped, never on a
 * deadline. The deadlines themselves are tested on a clock the test moves
 * (tests/pipeline/listening-loop.test.ts, tests/audio/tts, tests/mqtt, tests/cli/run.test.ts).
 */
export const UNHURRIED_YAML = `pipeline: { stt_timeout_ms: 3600000, intent_timeout_ms: 3600000, speak_timeout_ms: 3600000 }
tts: { timeout_ms: 3600000 }
stop_timeout_ms: 3600000
`;
