/**
 * Config lines for a daemon or CLI the test runs as a child process, on the system clock, which no
 * test can move: the stage deadlines and the synthesis deadline lie past the test's own limit
 * (vitest's testTimeout, 3 minutes), so however slow the machine is, a run ends on what was heard
 * and said, never on a deadline. The deadlines themselves are tested on a clock the test moves
 * (tests/pipeline/listening-loop.test.ts, tests/audio/tts, tests/mqtt).
 */
export const UNHURRIED_YAML = `pipeline: { stt_timeout_ms: 3600000, intent_timeout_ms: 3600000, speak_timeout_ms: 3600000 }
tts: { timeout_ms: 3600000 }
`;
