import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const root = fileURLToPath(new URL("..", import.meta.url));

/**
 * Compiles src/ to dist/ once before any test file runs, so end-to-end tests can run the real
 * `node bin/hearth.js`, and copies the sentence files beside it. Type errors do not stop the run (tsc still emits, and the typecheck is its
 * own CI step); a build that produced no CLI does.
 */
export default async function setup(): Promise<void> {
  const tsc = fileURLToPath(new URL("../node_modules/typescript/bin/tsc", import.meta.url));
  try {
    await promisify(execFile)(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: root });
  } catch (err) {
    const out = (err as { stdout?: string }).stdout ?? "";
    console.warn(`global setup: tsc reported errors (tests use what it emitted):\n${out.slice(0, 2000)}`);
  }
  // Sentence files and other non-TypeScript assets live next to the code in dist/ too.
  const { copyAssets } = (await import(new URL("../scripts/copy-assets.mjs", import.meta.url).href)) as {
    copyAssets: (srcDir: string, outDir: string) => void;
  };
  copyAssets(
    fileURLToPath(new URL("../src", import.meta.url)),
    fileURLToPath(new URL("../dist", import.meta.url)),
  );
  if (!existsSync(new URL("../dist/cli/main.js", import.meta.url))) {
    throw new Error("global setup: the build produced no dist/cli/main.js");
  }
}
