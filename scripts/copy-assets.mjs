#!/usr/bin/env node
/**
 * The second half of `npm run build`: tsc compiles src/**\/*.ts into dist/, this mirrors everything else
 * under src/ (sentence templates in YAML, JSON data …) into dist/ at the same paths, so the built code
 * finds its data beside it with `new URL("./x.yaml", import.meta.url)`.
 *
 * It also removes from dist/ what no longer has a source (a deleted module's .js, a renamed YAML file),
 * so a stale file cannot shadow the real one, except under dist/bundle/, which scripts/bundle.mjs
 * writes whole. Plain Node, no dependencies.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** Source files tsc compiles (and so never copied). */
const TS_SOURCE = /\.(?:d\.)?[cm]?tsx?$/;
/** What tsc writes for a source `x.ts`/`x.mts`/`x.cts`: the output suffix → the source suffixes. */
const TS_OUTPUTS = [
  [".d.ts.map", [".ts", ".tsx"]],
  [".d.ts", [".ts", ".tsx", ".d.ts"]],
  [".js.map", [".ts", ".tsx"]],
  [".js", [".ts", ".tsx"]],
  [".d.mts.map", [".mts"]],
  [".d.mts", [".mts", ".d.mts"]],
  [".mjs.map", [".mts"]],
  [".mjs", [".mts"]],
  [".d.cts.map", [".cts"]],
  [".d.cts", [".cts", ".d.cts"]],
  [".cjs.map", [".cts"]],
  [".cjs", [".cts"]],
];

/** Folders of dist/ that another build step writes (scripts/bundle.mjs): not copies of src/. */
const OTHER_OUTPUTS = ["bundle"];

/** Every file under `dir`, as paths relative to it. Dotfiles (editor and OS litter) are left out. */
function listFiles(dir, base = dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) listFiles(path, base, out);
    else if (entry.isFile()) out.push(relative(base, path));
  }
  return out;
}

/** Whether dist/`file` came from something that still exists in src/. */
function hasSource(srcDir, file) {
  if (existsSync(join(srcDir, file))) return true;
  for (const [suffix, sources] of TS_OUTPUTS) {
    if (!file.endsWith(suffix)) continue;
    const stem = file.slice(0, -suffix.length);
    return sources.some((source) => existsSync(join(srcDir, stem + source)));
  }
  return false;
}

/**
 * Copies non-TypeScript files from `srcDir` to `outDir` (only those that differ in size or are newer)
 * and deletes files in `outDir` whose source is gone. Returns how many files it copied and removed.
 */
export function copyAssets(srcDir, outDir) {
  let copied = 0;
  let removed = 0;
  for (const file of listFiles(srcDir)) {
    if (TS_SOURCE.test(file)) continue;
    const from = join(srcDir, file);
    const to = join(outDir, file);
    const source = statSync(from);
    const target = existsSync(to) ? statSync(to) : undefined;
    if (target && target.size === source.size && target.mtimeMs >= source.mtimeMs) continue;
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(from, to);
    copied++;
  }
  for (const file of listFiles(outDir)) {
    if (OTHER_OUTPUTS.some((dir) => file.startsWith(`${dir}/`)) || hasSource(srcDir, file)) continue;
    rmSync(join(outDir, file));
    removed++;
  }
  return { copied, removed };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..");
  copyAssets(join(root, "src"), join(root, "dist"));
}
