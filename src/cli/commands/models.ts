import { type Command, InvalidArgumentError } from "commander";
import { systemClock } from "../../core/clock.js";
import { EXIT, HearthError } from "../../core/errors.js";
import { createLogger, type Logger } from "../../core/logger.js";
import { DownloadError } from "../../llm/model-download.js";
import { resolveModelSource } from "../../llm/model-source.js";
import { type ListedModel, ModelStore, type VerifyResult } from "../../llm/model-store.js";
import { formatBytes } from "../../llm/transfer-meter.js";
import { progressReporter } from "../download-progress.js";

/** Where models go until the config gains a key for it (then: `models/` under the state directory). */
const DEFAULT_DIR = "./models";

interface CommonOptions {
  dir: string;
}

interface PullOptions extends CommonOptions {
  sha256?: string;
  size?: number;
  name?: string;
  mirror?: string;
  force?: boolean;
  progressInterval: number;
  json?: boolean;
}

/**
 * `hearth models list|pull|verify|remove`: the model catalog and the models directory. This is the
 * only place Hearth downloads anything; the daemon only reads what is already on disk.
 */
export function register(program: Command): void {
  const models = program
    .command("models")
    .description("list, download, verify and remove speech and language models");

  models
    .command("list")
    .description("show the built-in catalog and what is installed (size, RAM needed, licence)")
    .option("--dir <dir>", "models directory", DEFAULT_DIR)
    .option("--json", "print JSON instead of a table")
    .action(async (options: CommonOptions & { json?: boolean }) => {
      await run(async (log) => {
        const rows = await store(options.dir, log).list();
        process.stdout.write(options.json === true ? `${JSON.stringify(rows, null, 2)}\n` : listTable(rows));
        return EXIT.OK;
      });
    });

  models
    .command("pull")
    .description(
      "download a model by catalog id, URL or hf:owner/repo/path, verify it and move it into place",
    )
    .argument(
      "<model>",
      "catalog id (see `hearth models list`), http(s):// URL, or hf:owner/repo[@revision]/file",
    )
    .option("--dir <dir>", "models directory", DEFAULT_DIR)
    .option("--sha256 <hex>", "expected SHA-256 of a URL or hf: download")
    .option("--size <bytes>", "expected size in bytes of a URL or hf: download", wholeNumber)
    .option("--name <file>", "save under this file name instead of the URL's")
    .option(
      "--mirror <url>",
      "base URL replacing https://huggingface.co (default: $HF_ENDPOINT when set)",
      process.env.HF_ENDPOINT,
    )
    .option("--force", "download again even when a matching file is present")
    .option(
      "--progress-interval <seconds>",
      "seconds between progress log lines when stderr is not a terminal",
      nonNegative,
      5,
    )
    .option("--json", "print the result as JSON")
    .action(async (model: string, options: PullOptions) => {
      await run(async (log) => {
        const resolved = resolveModelSource(model, {
          ...(options.sha256 === undefined ? {} : { sha256: options.sha256 }),
          ...(options.size === undefined ? {} : { sizeBytes: options.size }),
          ...(options.name === undefined ? {} : { fileName: options.name }),
          ...(options.mirror === undefined ? {} : { mirror: options.mirror }),
        });
        if (!resolved.ok) {
          process.stderr.write(`hearth models pull: ${resolved.reason}\n`);
          return EXIT.USAGE;
        }
        const { source } = resolved;
        const abort = new AbortController();
        const onSignal = (): void => abort.abort(new Error("interrupted"));
        process.once("SIGINT", onSignal);
        process.once("SIGTERM", onSignal);
        const progress = progressReporter(log, options.progressInterval * 1000);
        try {
          // On a terminal the bar and the summary say it all; info lines would only break the bar.
          const storeLog = process.stderr.isTTY === true ? log.child({}, { level: "warn" }) : log;
          const result = await store(options.dir, storeLog).pull(source, {
            signal: abort.signal,
            onProgress: (p) => progress.update(p),
            ...(options.force === true ? { force: true } : {}),
          });
          progress.stop();
          if (options.json === true) {
            process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
          } else {
            const what = result.status === "present" ? "already present" : "downloaded";
            const check =
              result.checksumFrom === "catalog"
                ? "sha256 matches the catalog"
                : result.checksumFrom === "user"
                  ? "sha256 matches --sha256"
                  : `no published checksum; recorded sha256 ${result.sha256}`;
            process.stdout.write(
              `${source.file}: ${what}, ${formatBytes(result.sizeBytes)}, ${check}\n${result.path}\n`,
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

  models
    .command("verify")
    .description("recheck the size and SHA-256 of pulled models")
    .argument(
      "[model]",
      "catalog id, file name in the models directory, or path (default: every pulled model)",
    )
    .option("--dir <dir>", "models directory", DEFAULT_DIR)
    .option("--json", "print JSON instead of a table")
    .action(async (model: string | undefined, options: CommonOptions & { json?: boolean }) => {
      await run(async (log) => {
        const modelStore = store(options.dir, log);
        const results = await modelStore.verify(model);
        if (options.json === true) {
          process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
        } else if (results.length === 0) {
          process.stdout.write(`no models in ${modelStore.dir}\n`);
        } else {
          process.stdout.write(verifyTable(results));
        }
        if (results.some((r) => r.status === "mismatch")) return EXIT.DATA;
        if (results.some((r) => r.status === "missing")) return EXIT.NO_INPUT;
        return EXIT.OK;
      });
    });

  models
    .command("remove")
    .description("delete a pulled model (and any partial download of it)")
    .argument("<model>", "catalog id, file name in the models directory, or path")
    .option("--dir <dir>", "models directory", DEFAULT_DIR)
    .action(async (model: string, options: CommonOptions) => {
      await run(async (log) => {
        const removed = await store(options.dir, log).remove(model);
        if (removed.length === 0) {
          process.stderr.write(`hearth models remove: ${model} is not installed\n`);
          return EXIT.NO_INPUT;
        }
        for (const path of removed) process.stdout.write(`removed ${path}\n`);
        return EXIT.OK;
      });
    });
}

function store(dir: string, logger: Logger): ModelStore {
  return new ModelStore({ dir, logger, clock: systemClock });
}

/** Runs a subcommand body: logs to stderr, turns faults into one clear line and an exit code. */
async function run(body: (log: Logger) => Promise<number>): Promise<void> {
  const log = createLogger({ level: process.env.HEARTH_LOG_LEVEL ?? "info", destination: 2 }).child({
    module: "models",
  });
  try {
    process.exitCode = await body(log);
  } catch (err) {
    if (err instanceof HearthError) {
      process.stderr.write(`hearth models: ${err.message}\n`);
      process.exitCode = exitCodeFor(err);
      return;
    }
    throw err;
  }
}

function exitCodeFor(err: HearthError): number {
  if (!(err instanceof DownloadError)) return EXIT.FAILURE;
  switch (err.failure) {
    case "http":
    case "network":
      return EXIT.UNAVAILABLE;
    case "checksum":
    case "format":
      return EXIT.DATA;
    case "disk-full":
    case "io":
      return EXIT.IO_ERROR;
    case "aborted":
      return 130;
    default:
      return EXIT.FAILURE;
  }
}

function listTable(rows: readonly ListedModel[]): string {
  const header = ["ID", "KIND", "SIZE", "RAM", "LICENCE", "CHECKSUM", "STATE"];
  const body = rows.map((row) => [
    row.id ?? row.file,
    row.kind ?? "?",
    row.sizeBytes === null ? "?" : formatBytes(row.sizeBytes),
    row.ramBytes === null ? "?" : `~${formatBytes(row.ramBytes)}`,
    row.licence ?? "?",
    row.checksum,
    row.state === "partial" && row.partialBytes !== null
      ? `partial (${formatBytes(row.partialBytes)})`
      : row.state === "absent"
        ? "-"
        : row.state,
  ]);
  return `${table([header, ...body])}RAM figures are estimates; \`hearth models list --json\` says how each was derived.\n`;
}

function verifyTable(results: readonly VerifyResult[]): string {
  return table(results.map((r) => [r.status, r.id ?? r.file, r.message]));
}

function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length);
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join("  ")
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join("");
}

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n))
    throw new InvalidArgumentError("expected a whole number");
  return n;
}

function nonNegative(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError("expected a number of seconds");
  return n;
}
