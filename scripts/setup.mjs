#!/usr/bin/env node
/**
 * The setup step that `npm start`, `npm test` and `npm run bench` run first (their `pre` scripts), so a
 * fresh Debian machine with only Node and npm needs nothing but those two commands.
 *
 * 1. `npm ci` when node_modules/ is missing or no longer matches package-lock.json;
 * 2. rebuilds dist/ when anything under src/ changed since the last build (or dist/ is missing);
 * 3. installs the missing Debian packages the speech stages and tests need (scripts/system-packages.json).
 *
 * Plain Node, no dependencies: it runs before node_modules/ exists. Idempotent, and silent and quick
 * when everything is in place. Type errors only warn (tsc still emits) and leave dist/ marked stale,
 * so each run rebuilds and shows them until they are fixed; `npm run typecheck` is the strict check.
 *
 * Environment: HEARTH_SKIP_APT=1 skips step 3; with CI=true a package that cannot be installed fails
 * the step (elsewhere it is a warning: the features that need the package say so later).
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { BUNDLE_ENTRY } from "./bundle.mjs";
import { copyAssets } from "./copy-assets.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Debian packages Hearth needs outside npm, with what each is for (shared with `hearth doctor`). */
export const SYSTEM_PACKAGES = /** @type {{ name: string; for: string }[]} */ (
  JSON.parse(readFileSync(join(ROOT, "scripts", "system-packages.json"), "utf8")).packages
);

/** Where step 1 remembers the lock it installed (inside node_modules/, so deleting that resets it). */
const INSTALL_STAMP = join(ROOT, "node_modules", ".hearth-setup.json");
/** Where step 2 remembers when the last successful build started. */
const BUILD_STAMP = join(ROOT, "dist", ".hearth-build.json");
/** Files outside src/ that also change what the build produces. */
const BUILD_INPUTS = ["tsconfig.json", "package-lock.json", "scripts/copy-assets.mjs", "scripts/bundle.mjs"];

/** Prints one short line for an action taken. */
function say(message) {
  process.stdout.write(`hearth setup: ${message}\n`);
}

function warn(message) {
  process.stderr.write(`hearth setup: warning: ${message}\n`);
}

/** Runs a program without a shell, output passed through; returns its exit status. */
function run(command, args, env = process.env) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: "inherit", env });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------
// Step 1: node_modules

/**
 * Whether node_modules/ already holds what package-lock.json lists, judged from npm's own record of
 * the tree (node_modules/.package-lock.json). This spares a full `npm ci` after `npm install X`, which
 * updates both files, and so also spares wiping node_modules/ under a test run that is using it.
 * Optional packages may be absent (they are for other platforms).
 */
function nodeModulesMatchLock(lock) {
  const hidden = readJson(join(ROOT, "node_modules", ".package-lock.json"));
  if (!hidden?.packages || !lock?.packages) return false;
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === "") continue;
    const installed = hidden.packages[path];
    if (!installed) {
      if (entry.optional) continue;
      return false;
    }
    if (installed.version !== entry.version) return false;
  }
  for (const path of Object.keys(hidden.packages)) if (!(path in lock.packages)) return false;
  return true;
}

function npmCommand() {
  // Under `npm start`/`npm test`, npm tells us which npm runs us; reuse it rather than look up PATH.
  const cli = process.env.npm_execpath;
  return cli?.endsWith(".js") ? { command: process.execPath, prefix: [cli] } : { command: "npm", prefix: [] };
}

function installDependencies() {
  const { command, prefix } = npmCommand();
  // onnxruntime-node's install script would download a GPU build from the internet; the CPU build
  // it ships is all Hearth uses.
  const env = { ...process.env, ONNXRUNTIME_NODE_INSTALL: "skip" };
  const flags = ["--no-audit", "--no-fund"];
  // stderr is held back to recognise one refusal below; stdout (the summary) goes straight through.
  const ci = spawnSync(command, [...prefix, "ci", ...flags], {
    cwd: ROOT,
    env,
    encoding: "utf8",
    stdio: ["inherit", "inherit", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (ci.error) throw ci.error;
  if (ci.status === 0) {
    process.stderr.write(ci.stderr);
    return;
  }
  // `npm ci` refuses a lock that lacks an optional dependency of a dependency, which happens when the
  // registry the lock was made against has no such version for other platforms (e.g. the darwin and
  // win32 builds of @fugood/node-whisper-*). `npm install` installs the same locked versions and skips
  // those; --no-save keeps it from rewriting package.json and package-lock.json.
  if (/EUSAGE/.test(ci.stderr) && /Missing: .* from lock file/.test(ci.stderr)) {
    say("npm ci refused the lock (optional packages missing from it): using npm install --no-save");
    const status = run(command, [...prefix, "install", "--no-save", ...flags], env);
    if (status !== 0) throw new SetupError(`npm install failed (exit ${status})`);
    return;
  }
  process.stderr.write(ci.stderr);
  throw new SetupError(`npm ci failed (exit ${ci.status})`);
}

function ensureNodeModules() {
  const lockText = readFileSync(join(ROOT, "package-lock.json"));
  const lockHash = createHash("sha256").update(lockText).digest("hex");
  const hasModules = existsSync(join(ROOT, "node_modules"));
  if (hasModules && readJson(INSTALL_STAMP)?.lockHash === lockHash) return;

  if (!hasModules || !nodeModulesMatchLock(JSON.parse(lockText.toString("utf8")))) {
    say(hasModules ? "package-lock.json changed: running npm ci" : "installing dependencies: npm ci");
    installDependencies();
  }
  writeFileSync(INSTALL_STAMP, `${JSON.stringify({ lockHash, installedAt: new Date().toISOString() })}\n`);
}

// ---------------------------------------------------------------------------------------------------
// Step 2: dist/

/**
 * The newest modification time under src/, directories included: adding, deleting or renaming a file
 * changes its directory's mtime, which a walk over files alone would miss.
 */
function newestMtime(dir) {
  let newest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs;
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

/**
 * Step 2: builds dist/ (tsc, then the assets beside it, then the bundle that bin/hearth.js runs)
 * unless the stamp shows a successful build started after the last change under src/ and to the
 * build's other inputs. Also the tests' global setup, so `npm test` builds once, in its pretest step.
 */
export function ensureBuild() {
  const stamp = readJson(BUILD_STAMP);
  let reason;
  if (!existsSync(BUNDLE_ENTRY) || typeof stamp?.startedAt !== "number") reason = "building dist/";
  else {
    let newest = newestMtime(join(ROOT, "src"));
    for (const input of BUILD_INPUTS) {
      const path = join(ROOT, input);
      if (existsSync(path)) newest = Math.max(newest, statSync(path).mtimeMs);
    }
    if (newest > stamp.startedAt) reason = "src/ changed: rebuilding dist/";
  }
  if (!reason) return;

  say(reason);
  // The stamp records when the build started, so an edit made while it runs still counts as newer.
  const startedAt = Date.now();
  // tsc directly rather than `npm run build`: one process fewer; copy-assets is the build's other half.
  const status = run(process.execPath, [
    join(ROOT, "node_modules", "typescript", "bin", "tsc"),
    "-p",
    "tsconfig.json",
  ]);
  copyAssets(join(ROOT, "src"), join(ROOT, "dist"));
  // tsc still emits on type errors. Like the tests' global setup, carry on with what it emitted (the
  // type check is its own CI step) unless there is no CLI at all, and leave the stamp unwritten so
  // the next run builds again and shows the errors until they are fixed.
  if (!existsSync(join(ROOT, "dist", "cli", "main.js"))) {
    throw new SetupError(`the TypeScript build failed (exit ${status}) and produced no dist/cli/main.js`);
  }
  // A child process, as tsc: the bundler's API is asynchronous and this step is not.
  const bundled = run(process.execPath, [join(ROOT, "scripts", "bundle.mjs")]);
  if (bundled !== 0) throw new SetupError(`bundling dist/cli/main.js failed (exit ${bundled})`);
  if (status !== 0) {
    warn("the TypeScript build reported errors (above); using what it emitted");
    return;
  }
  mkdirSync(dirname(BUILD_STAMP), { recursive: true });
  writeFileSync(
    BUILD_STAMP,
    `${JSON.stringify({ startedAt, builtAt: new Date(startedAt).toISOString() })}\n`,
  );
}

// ---------------------------------------------------------------------------------------------------
// Step 3: Debian packages

/**
 * The packages from the list that are not installed, from one `dpkg-query` call. Returns undefined
 * when this is not a Debian-like system (no dpkg-query).
 */
export function missingSystemPackages(names = SYSTEM_PACKAGES.map((p) => p.name)) {
  // dpkg-query exits 1 and complains on stderr about names it has never seen; those count as missing.
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's --showformat syntax, not a JS template.
  const result = spawnSync("dpkg-query", ["-W", "-f", "${Package} ${db:Status-Abbrev}\\n", ...names], {
    encoding: "utf8",
  });
  if (result.error) return undefined;
  const installed = new Set();
  for (const line of result.stdout.split("\n")) {
    const [name, status] = line.split(" ");
    // "ii": wanted install, currently installed. Anything else (rc, un, half-installed) is missing.
    if (name && status === "ii") installed.add(name);
  }
  return names.filter((name) => !installed.has(name));
}

/** apt-get with output captured and also shown, so a "no package lists" failure can be recognised. */
function aptGet(sudo, args) {
  const command = sudo ? "sudo" : "apt-get";
  const full = sudo ? ["-n", "apt-get", ...args] : args;
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const result = spawnSync(command, full, {
    cwd: ROOT,
    env,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (result.error) return { status: 1, output: String(result.error) };
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== 0) process.stderr.write(output);
  return { status: result.status ?? 1, output };
}

function canSudo() {
  const result = spawnSync("sudo", ["-n", "true"], { stdio: "ignore" });
  return !result.error && result.status === 0;
}

function ensureSystemPackages() {
  if (process.env.HEARTH_SKIP_APT === "1") return;
  const missing = missingSystemPackages();
  const aptCommand = (names) => `sudo apt-get install -y ${names.join(" ")}`;
  if (missing === undefined) {
    warn(
      `no dpkg-query here: check by hand that these are installed: ${SYSTEM_PACKAGES.map((p) => p.name).join(" ")}`,
    );
    return;
  }
  if (missing.length === 0) return;

  const isRoot = process.getuid?.() === 0;
  const sudo = !isRoot && canSudo();
  if (!isRoot && !sudo) {
    failOrWarn(
      `missing system packages (speech and MQTT features that need them will say so): ${aptCommand(missing)}`,
    );
    return;
  }
  say(`installing system packages: ${missing.join(" ")}`);
  let result = aptInstall(sudo, missing);
  // A fresh container has no package lists; fetch them only when the install fails for that reason
  // (and not again on every run when a name is simply not in this release).
  if (result.status !== 0 && unknownPackages(result.output).length > 0 && aptListsAreStale()) {
    say("fetching package lists: apt-get update");
    if (aptGet(sudo, ["update"]).status === 0) result = aptInstall(sudo, missing);
  }
  // A name this release lacks (another Debian or Ubuntu) must not keep the others from installing.
  const unknown = unknownPackages(result.output);
  const known = missing.filter((name) => !unknown.includes(name));
  if (result.status !== 0 && unknown.length > 0 && known.length > 0) {
    say(`not in this system's package lists: ${unknown.join(" ")}; installing the rest`);
    aptInstall(sudo, known);
  }
  const still = missingSystemPackages(missing) ?? missing;
  if (still.length > 0) failOrWarn(`could not install ${still.join(" ")}: ${aptCommand(still)}`);
}

function aptInstall(sudo, names) {
  // The lock timeout waits for another apt/dpkg run (another terminal, unattended-upgrades) to finish.
  return aptGet(sudo, ["install", "-y", "-o", "DPkg::Lock::Timeout=300", ...names]);
}

/** Whether apt has no package lists, or none fetched in the last day. */
function aptListsAreStale() {
  const dir = "/var/lib/apt/lists";
  try {
    const lists = readdirSync(dir).filter(
      (name) => name.endsWith("_Packages") || name.includes("_Packages."),
    );
    const newest = Math.max(0, ...lists.map((name) => statSync(join(dir, name)).mtimeMs));
    return Date.now() - newest > 24 * 3600 * 1000;
  } catch {
    return true;
  }
}

/** Package names apt-get said it cannot find in its lists. */
function unknownPackages(output) {
  const names = [];
  for (const m of output.matchAll(
    /Unable to locate package (\S+)|Package '?([^\s']+)'? has no installation candidate/g,
  )) {
    const name = m[1] ?? m[2];
    if (name) names.push(name);
  }
  return names;
}

/** In CI a missing package is a failure; on a user's machine it is a warning. */
function failOrWarn(message) {
  if (process.env.CI === "true") throw new SetupError(message);
  warn(message);
}

class SetupError extends Error {}

/** Runs the three steps in order; exits non-zero with one line on a failure. */
export function main() {
  try {
    ensureNodeModules();
    ensureBuild();
    ensureSystemPackages();
  } catch (err) {
    if (!(err instanceof SetupError)) throw err;
    process.stderr.write(`hearth setup: ${err.message}\n`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
