import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";
import { LongestFirstSequencer } from "./tests/sequencer.js";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // Builds dist/ once, for the end-to-end tests that run the CLI as a child process.
    globalSetup: ["tests/global-setup.ts"],
    // Separate processes: native addons (llama.cpp, onnxruntime) and process-wide state such as
    // process.exitCode stay isolated between test files.
    pool: "forks",
    // A test file per core. Vitest's default in `run` mode is one less than the cores, which on a
    // 2-core machine is one file at a time; its own process needs little, and the files spend much
    // of their time waiting on child processes, brokers and timers (the privacy test idles a minute).
    maxWorkers: availableParallelism(),
    sequence: { sequencer: LongestFirstSequencer },
    // A limit for a hung test, not a speed bound: no test relies on timing. The CPU-bound ones
    // (the whole-grammar language check, two-grammar understanding, the CLI decoding speech) take
    // 20–40 s on an idle 2-core machine and over 60 s when it is shared, so the limit is 3 minutes.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
