import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Config } from "../config/schema.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import { type CheckResult, result } from "./check.js";
import { programOutput } from "./program-output.js";

/** A Debian package and what Hearth uses it for. */
export interface SystemPackage {
  name: string;
  for: string;
}

/** scripts/system-packages.json: the same path from src/doctor and from dist/doctor. */
export const SYSTEM_PACKAGES_FILE = fileURLToPath(
  new URL("../../scripts/system-packages.json", import.meta.url),
);

/** Reads the list of Debian packages Hearth knows about (scripts/system-packages.json). */
export async function readSystemPackages(file: string = SYSTEM_PACKAGES_FILE): Promise<SystemPackage[]> {
  const parsed = JSON.parse(await readFile(file, "utf8")) as { packages?: SystemPackage[] };
  return parsed.packages ?? [];
}

/**
 * The Debian packages this configuration cannot run without, each with the reason. The rest of the
 * list is optional (development, tests, other engines).
 */
export function requiredPackages(config: Config): SystemPackage[] {
  const needed: SystemPackage[] = [];
  const { audio, stt, tts } = config;
  if (audio.source === "mic" || audio.sink === "speaker") {
    needed.push({ name: "alsa-utils", for: "arecord/aplay, for audio.source mic and audio.sink speaker" });
  }
  if (stt.engine === "pocketsphinx") {
    const ps = stt.pocketsphinx;
    if (ps.library === "libpocketsphinx.so.3") {
      needed.push({ name: "libpocketsphinx3", for: "the pocketsphinx library (stt.engine pocketsphinx)" });
    }
    if (
      ps.acoustic_model.startsWith("/usr/share/pocketsphinx/") ||
      ps.dictionary.startsWith("/usr/share/pocketsphinx/")
    ) {
      needed.push({
        name: "pocketsphinx-en-us",
        for: "the acoustic model and dictionary stt.pocketsphinx names",
      });
    }
  }
  // Replies are synthesised only when they are played somewhere.
  if (audio.sink !== "null") {
    if (tts.engine === "festival") {
      needed.push({ name: "festival", for: "text2wave (tts.engine festival)" });
      if (tts.voice === undefined || tts.voice === "kal_diphone") {
        needed.push({ name: "festvox-kallpc16k", for: "festival's default voice kal_diphone" });
      }
    } else if (tts.engine === "flite") {
      needed.push({ name: "flite", for: "tts.engine flite" });
    } else if (tts.engine === "espeak") {
      needed.push({ name: "espeak-ng", for: "tts.engine espeak" });
    }
  }
  return needed;
}

export interface PackagesCheckOptions {
  logger?: Logger | undefined;
  /** The packages Hearth knows about. Default: scripts/system-packages.json. */
  known?: SystemPackage[] | undefined;
  /** Default "dpkg-query". */
  dpkgQuery?: string | undefined;
  /** Whose time dpkg-query's time limit runs on; default the system clock. */
  clock?: Clock | undefined;
}

/**
 * Asks dpkg (one `dpkg-query -W` for every package) which packages are installed. A missing
 * package the configuration needs fails the check; a missing optional one only warns. Without
 * dpkg (not Debian) nothing can be judged, which warns.
 */
export async function checkPackages(
  required: readonly SystemPackage[],
  options: PackagesCheckOptions = {},
): Promise<CheckResult> {
  const id = "packages";
  const name = "Debian packages";
  const known = options.known ?? (await readSystemPackages());
  const requiredNames = new Set(required.map((p) => p.name));
  const all = [...required, ...known.filter((p) => !requiredNames.has(p.name))];
  const program = options.dpkgQuery ?? "dpkg-query";
  const out = await programOutput(
    program,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own ${field} format, not JavaScript's.
    ["-W", "-f", "${Package}\t${db:Status-Abbrev}\n", ...all.map((p) => p.name)],
    { logger: options.logger, clock: options.clock },
  );
  if (!out.found) {
    const list = required.map((p) => p.name).join(" ");
    return result(
      id,
      name,
      "warn",
      `${program} not found: not a Debian system, so packages cannot be checked`,
      list ? `install the equivalents of: ${list}` : undefined,
    );
  }
  const installed = new Set<string>();
  for (const line of out.stdout.split("\n")) {
    const [pkg, status] = line.split("\t");
    // Status-Abbrev is want, state, error: state i (installed), W or t (installed, triggers pending).
    if (pkg && status && /^.[iWt]/.test(status)) installed.add(pkg.replace(/:.*$/, ""));
  }
  const missingRequired = required.filter((p) => !installed.has(p.name));
  const missingOptional = all.filter((p) => !requiredNames.has(p.name) && !installed.has(p.name));
  if (missingRequired.length > 0) {
    const lines = missingRequired.map((p) => `missing: ${p.name} (${p.for})`);
    if (missingOptional.length > 0) lines.push(`optional, not installed: ${names(missingOptional)}`);
    return result(id, name, false, lines.join("\n"), `sudo apt install ${names(missingRequired)}`);
  }
  const present = `${required.length} needed by this config installed${required.length ? ` (${names(required)})` : ""}`;
  if (missingOptional.length > 0) {
    return result(
      id,
      name,
      "warn",
      `${present}\n${missingOptional.map((p) => `optional, not installed: ${p.name} (${p.for})`).join("\n")}`,
      `only if you want them: sudo apt install ${names(missingOptional)}`,
    );
  }
  return result(id, name, true, `${present}; all ${all.length} known packages installed`);
}

function names(packages: readonly SystemPackage[]): string {
  return packages.map((p) => p.name).join(" ");
}
