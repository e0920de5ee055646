import { existsSync } from "node:fs";

/**
 * Makes sure dist/ is built from the current src/ before any test file runs, so end-to-end tests can
 * run the real `node bin/hearth.js`. It is the setup step's own build (scripts/setup.mjs): tsc, the
 * sentence files copied beside it and the bundle bin/hearth.js runs, skipped when nothing under src/
 * (or the build's other inputs) changed since the last successful build, as after `npm test`'s
 * pretest step or CI's setup step. Type errors do not stop the run (tsc still emits, and the
 * typecheck is its own CI step); a build that produced no CLI does.
 */
export default async function setup(): Promise<void> {
  const { ensureBuild } = (await import(new URL("../scripts/setup.mjs", import.meta.url).href)) as {
    ensureBuild: () => void;
  };
  ensureBuild();
  for (const built of ["cli/main.js", "bundle/hearth.js"]) {
    if (!existsSync(new URL(`../dist/${built}`, import.meta.url))) {
      throw new Error(`global setup: the build produced no dist/${built}`);
    }
  }
}
