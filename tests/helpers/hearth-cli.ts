import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The repository's root, where `bin/hearth.js` is. */
export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** How a run of the CLI ended. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built `hearth` CLI (dist/ comes from the global test setup) with stdout and stderr as
 * pipes and info logging; `unset` names environment variables the run must not inherit (a
 * developer's own mirror or token would change what the test sees).
 */
export function runHearth(args: readonly string[], unset: readonly string[] = []): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, HEARTH_LOG_LEVEL: "info" };
  for (const name of unset) delete env[name];
  return new Promise((resolve) => {
    execFile(process.execPath, ["bin/hearth.js", ...args], { cwd: REPO_ROOT, env }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === "number" ? err.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}
