import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { type Command, InvalidArgumentError } from "commander";
import { DEFAULT_CONFIG_PATH, loadConfig } from "../../config/loader.js";
import { resolveStateDir } from "../../config/state-dir.js";
import { systemClock } from "../../core/clock.js";
import { EXIT, HearthError } from "../../core/errors.js";
import { createLogger, type Logger } from "../../core/logger.js";
import { pulledPackPath } from "../../intents/hassil/pack.js";
import {
  checkMergedLanguage,
  findLanguage,
  INTENTS_RELEASE,
  LANGUAGE_CATALOG,
  LANGUAGE_CODE,
} from "../../intents/language-catalog.js";
import { DownloadError, ModelDownloader } from "../../llm/model-download.js";
import { formatBytes, type TransferProgress } from "../../llm/transfer-meter.js";
import { progressReporter } from "../download-progress.js";

/** Beside each pulled file: where it came from and what it was, for `list` and for the next pull. */
const SOURCE_FILE = "source.json";

interface PulledSource {
  release: string;
  url: string;
  sizeBytes: number;
  sha256: string;
  /** Where the checksum it was checked against came from; "recorded" when there was none. */
  checksumFrom: "catalog" | "user" | "recorded";
}

interface CommonOptions {
  config?: string;
  stateDir?: string;
}

interface PullOptions extends CommonOptions {
  baseUrl?: string;
  sha256?: string;
  size?: number;
  force?: boolean;
  progressInterval: number;
  json?: boolean;
}

/**
 * `hearth language list|pull <lang>`: Home Assistant's sentence packs for a language, merged into one
 * JSON file as the home-assistant-intents package publishes it, fetched into
 * `<state_dir>/languages/<lang>/<lang>.json` (size and SHA-256 checked, written atomically), where
 * `intents.packs: [pulled]` finds it. Like `hearth models pull`, this is a download the user asks
 * for; the daemon itself never fetches anything.
 */
export function register(program: Command): void {
  const language = program
    .command("language")
    .description("list and pull Home Assistant's sentence packs for a language (CC BY 4.0)");

  language
    .command("list")
    .description("show the languages of the pinned release and which are pulled")
    .option("-c, --config <path>", "config file (for state_dir)", DEFAULT_CONFIG_PATH)
    .option("--state-dir <dir>", "state directory (default: the config's state_dir)")
    .option("--json", "print JSON instead of a table")
    .action(async (options: CommonOptions & { json?: boolean }) => {
      await run(async () => {
        const stateDir = await stateDirFor(options);
        const rows = await listLanguages(stateDir);
        if (options.json === true) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        else {
          const lines = rows.map((r) =>
            [
              r.code.padEnd(6),
              r.name.padEnd(10),
              (r.pinned ? "pinned" : "unpinned").padEnd(9),
              r.pulled ? `pulled (${formatBytes(r.pulled.sizeBytes)}, ${r.pulled.release})` : "-",
            ]
              .join("  ")
              .trimEnd(),
          );
          process.stdout.write(
            `home-assistant-intents ${INTENTS_RELEASE} (CC BY 4.0, Home Assistant contributors); state: ${stateDir}\n${lines.join("\n")}\n`,
          );
        }
        return EXIT.OK;
      });
    });

  language
    .command("pull")
    .description("download a language's merged sentence pack into the state directory")
    .argument("<lang>", "language code, e.g. en, de, pt-BR")
    .option("-c, --config <path>", "config file (for state_dir)", DEFAULT_CONFIG_PATH)
    .option("--state-dir <dir>", "state directory (default: the config's state_dir)")
    .option(
      "--base-url <url>",
      "where the release's <lang>.json files are served (default: $HEARTH_LANGUAGES_URL)",
      process.env.HEARTH_LANGUAGES_URL,
    )
    .option("--sha256 <hex>", "expected SHA-256 of the file (pins an unpinned language)")
    .option("--size <bytes>", "expected size of the file in bytes", wholeNumber)
    .option("--force", "download again even when the pulled file matches")
    .option(
      "--progress-interval <seconds>",
      "seconds between progress log lines when stderr is not a terminal",
      Number,
      5,
    )
    .option("--json", "print the result as JSON")
    .action(async (code: string, options: PullOptions) => {
      await run(async (log) => {
        if (!LANGUAGE_CODE.test(code)) {
          process.stderr.write(
            `hearth language pull: "${code}" is not a language code (e.g. en, de, pt-BR)\n`,
          );
          return EXIT.USAGE;
        }
        if (options.sha256 !== undefined && !/^[0-9a-fA-F]{64}$/.test(options.sha256)) {
          process.stderr.write("hearth language pull: --sha256 takes 64 hexadecimal digits\n");
          return EXIT.USAGE;
        }
        if (!options.baseUrl) {
          process.stderr.write(
            `hearth language pull: no source: home-assistant-intents ${INTENTS_RELEASE} ships ${code}.json inside its ` +
              "Python wheel (home_assistant_intents/data/), not as a file of its own; serve that folder and pass " +
              "--base-url URL (or set HEARTH_LANGUAGES_URL)\n",
          );
          return EXIT.USAGE;
        }
        const stateDir = await stateDirFor(options);
        const abort = new AbortController();
        const onSignal = (): void => abort.abort(new Error("interrupted"));
        process.once("SIGINT", onSignal);
        process.once("SIGTERM", onSignal);
        const progress = progressReporter(log, options.progressInterval * 1000);
        try {
          const result = await pullLanguage(code, stateDir, {
            baseUrl: options.baseUrl,
            sha256: options.sha256?.toLowerCase(),
            sizeBytes: options.size,
            force: options.force === true,
            log,
            signal: abort.signal,
            onProgress: (p) => progress.update(p),
          });
          progress.stop();
          if (options.json === true) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
          else {
            const check =
              result.checksumFrom === "catalog"
                ? "sha256 matches the catalog"
                : result.checksumFrom === "user"
                  ? "sha256 matches --sha256"
                  : `not pinned; recorded sha256 ${result.sha256}`;
            process.stdout.write(
              `${code}: ${result.status}, ${formatBytes(result.sizeBytes)}, ${check}\n${result.path}\n` +
                "Home Assistant intents (CC BY 4.0, Home Assistant contributors); use it with intents.packs: [pulled]\n",
            );
          }
          return EXIT.OK;
        } finally {
          progress.stop();
          process.off("SIGINT", onSignal);
          process.off("SIGTERM", onSignal);
        }
      });
    });
}

/** One row of `hearth language list`. */
export interface LanguageRow {
  code: string;
  name: string;
  pinned: boolean;
  pulled: PulledSource | undefined;
}

async function listLanguages(stateDir: string): Promise<LanguageRow[]> {
  const codes = new Set(LANGUAGE_CATALOG.map((l) => l.code));
  // Languages pulled without being in the catalog are listed too.
  for (const code of await readdirSafe(join(stateDir, "languages")))
    if (LANGUAGE_CODE.test(code)) codes.add(code);
  const rows: LanguageRow[] = [];
  for (const code of [...codes].sort()) {
    const entry = findLanguage(code);
    rows.push({
      code,
      name: entry?.name ?? "?",
      pinned: entry?.sha256 != null,
      pulled: await readSource(stateDir, code),
    });
  }
  return rows;
}

export interface PullLanguageOptions {
  baseUrl: string;
  sha256?: string | undefined;
  sizeBytes?: number | undefined;
  force?: boolean;
  log: Logger;
  signal?: AbortSignal;
  onProgress?: (progress: TransferProgress) => void;
}

export interface PullLanguageResult extends PulledSource {
  status: "downloaded" | "present";
  path: string;
}

/**
 * Downloads `<baseUrl>/<code>.json` into the state directory: checked against the catalog's pins
 * (or the caller's), checked to be the merged form of that language, then moved into place, so the
 * file `intents.packs: [pulled]` reads is always whole. A file already there that matches is kept.
 */
export async function pullLanguage(
  code: string,
  stateDir: string,
  opts: PullLanguageOptions,
): Promise<PullLanguageResult> {
  const entry = findLanguage(code);
  const sha256 = opts.sha256 ?? entry?.sha256 ?? null;
  const sizeBytes = opts.sizeBytes ?? entry?.sizeBytes ?? null;
  const checksumFrom: PulledSource["checksumFrom"] =
    opts.sha256 !== undefined ? "user" : entry?.sha256 != null ? "catalog" : "recorded";
  const path = pulledPackPath(stateDir, code);
  const url = `${opts.baseUrl.replace(/\/+$/, "")}/${encodeURIComponent(code)}.json`;
  const previous = await readSource(stateDir, code);
  if (
    !opts.force &&
    previous !== undefined &&
    (await exists(path)) &&
    (sha256 === null ? previous.url === url : previous.sha256 === sha256)
  ) {
    return { ...previous, status: "present", path };
  }
  await mkdir(dirname(path), { recursive: true });
  const incoming = `${path}.incoming`;
  const downloader = new ModelDownloader({ logger: opts.log, clock: systemClock });
  const result = await downloader.download(
    { url, destination: incoming, expectedSize: sizeBytes, expectedSha256: sha256 },
    {
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    },
  );
  let problem: string | undefined;
  try {
    problem = checkMergedLanguage(JSON.parse(await readFile(incoming, "utf8")), code);
  } catch (err) {
    problem = `it is not JSON (${(err as Error).message})`;
  }
  if (problem !== undefined) {
    await rm(incoming, { force: true });
    throw new DownloadError(
      "format",
      `${url} is not Home Assistant's merged sentence pack for ${code}: ${problem}`,
    );
  }
  const source: PulledSource = {
    release: INTENTS_RELEASE,
    url,
    sizeBytes: result.sizeBytes,
    sha256: result.sha256,
    checksumFrom,
  };
  // The pack, then what it is: a crash between the two leaves a whole pack and an older record.
  await rename(incoming, path);
  const record = join(dirname(path), SOURCE_FILE);
  await writeFile(`${record}.tmp`, `${JSON.stringify(source, null, 2)}\n`);
  await rename(`${record}.tmp`, record);
  opts.log.info(
    { language: code, sizeBytes: source.sizeBytes, sha256: source.sha256, checksumFrom },
    "language pulled",
  );
  return { ...source, status: "downloaded", path };
}

async function readSource(stateDir: string, code: string): Promise<PulledSource | undefined> {
  try {
    const path = pulledPackPath(stateDir, code);
    return JSON.parse(await readFile(join(dirname(path), SOURCE_FILE), "utf8")) as PulledSource;
  } catch {
    return undefined;
  }
}

async function readdirSafe(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function stateDirFor(options: CommonOptions): Promise<string> {
  if (options.stateDir !== undefined) return options.stateDir;
  const loaded = await loadConfig(options.config ?? DEFAULT_CONFIG_PATH);
  return resolveStateDir(loaded.config, loaded.dir);
}

/** Runs a subcommand body: logs to stderr, turns faults into one clear line and an exit code. */
async function run(body: (log: Logger) => Promise<number>): Promise<void> {
  const log = createLogger({ level: process.env.HEARTH_LOG_LEVEL ?? "info", destination: 2 }).child({
    module: "language",
  });
  try {
    process.exitCode = await body(log);
  } catch (err) {
    if (err instanceof HearthError) {
      process.stderr.write(`hearth language: ${err.message}\n`);
      process.exitCode =
        err instanceof DownloadError
          ? err.failure === "http" || err.failure === "network"
            ? EXIT.UNAVAILABLE
            : err.failure === "checksum" || err.failure === "format"
              ? EXIT.DATA
              : err.failure === "disk-full" || err.failure === "io"
                ? EXIT.IO_ERROR
                : EXIT.FAILURE
          : err.code === "CONFIG_INVALID" || err.code === "CONFIG_NOT_FOUND"
            ? EXIT.CONFIG
            : EXIT.FAILURE;
      return;
    }
    throw err;
  }
}

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n))
    throw new InvalidArgumentError("expected a whole number");
  return n;
}
