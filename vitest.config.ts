import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // Builds dist/ once, for the end-to-end tests that run the CLI as a child process.
    globalSetup: ["tests/global-setup.ts"],
    // Separate processes: native addons (llama.cpp, onnxruntime) and process-wide state such as
    // process.exitCode stay isolated between test files.
    pool: "forks",
    // Generous: the machine is small and shared; no test relies on timing.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
