import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, rename, rm, stat, statfs, truncate } from "node:fs/promises";
import { basename, dirname } from "node:path";
import type { Clock } from "../core/clock.js";
import { HearthError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import { formatBytes, TransferMeter, type TransferProgress } from "./transfer-meter.js";

/** Why a download failed; the CLI maps these to exit codes and hints. */
export type DownloadFailure =
  /** The server answered with an HTTP error (404, 401 …). */
  | "http"
  /** The server could not be reached, or the transfer went silent; what arrived is kept for resuming. */
  | "network"
  /** The file arrived but its SHA-256 or size is not the expected one; the download was deleted. */
  | "checksum"
  /** The file arrived but is not what its name says (e.g. an HTML page saved as `.gguf`). */
  | "format"
  /** The disk is full; what arrived is kept for resuming once there is space. */
  | "disk-full"
  /** Another file-system error (permissions, read-only disk …). */
  | "io"
  /** The caller aborted (Ctrl-C); what arrived is kept for resuming. */
  | "aborted";

/** A failed download: always code DOWNLOAD_FAILED, with the reason in `failure`. */
export class DownloadError extends HearthError {
  readonly failure: DownloadFailure;
  /** The HTTP status, for `failure: "http"`. */
  readonly status: number | undefined;

  constructor(failure: DownloadFailure, message: string, options: { cause?: unknown; status?: number } = {}) {
    super("DOWNLOAD_FAILED", message, options.cause === undefined ? {} : { cause: options.cause });
    this.name = "DownloadError";
    this.failure = failure;
    this.status = options.status;
  }
}

/** Collaborators and tuning for {@link ModelDownloader}. */
export interface ModelDownloaderOptions {
  logger: Logger;
  clock: Clock;
  /**
   * A transfer that makes no progress for this many milliseconds is given up (what arrived is kept).
   * The library retries a cut connection by itself for minutes; this bounds how long a pull against
   * an unreachable or silent server waits. Default 60000.
   */
  idleTimeoutMs?: number;
}

/** One file to download. */
export interface DownloadRequest {
  url: string;
  /**
   * Final path. The library downloads to `<destination>.part` (keeping its resume state in
   * `<destination>.part.ipull` meanwhile); Hearth verifies that and renames it here.
   */
  destination: string;
  expectedSize: number | null;
  /** Lower-case hex SHA-256, or null to accept any content (the digest is still returned). */
  expectedSha256: string | null;
  /** Extra request headers (e.g. Authorization for gated Hugging Face repositories). */
  headers?: Record<string, string>;
}

/** Per-call controls. */
export interface DownloadControls {
  signal?: AbortSignal;
  onProgress?: (progress: TransferProgress) => void;
}

/** What arrived. */
export interface DownloadResult {
  path: string;
  sizeBytes: number;
  sha256: string;
  /** Bytes reused from an earlier interrupted download (0 when it started from scratch). */
  resumedFrom: number;
}

/** The files an unfinished download of `destination` leaves: the data, and the library's resume state. */
export function partialFiles(destination: string): { part: string; resumeState: string } {
  return { part: `${destination}.part`, resumeState: `${destination}.part.ipull` };
}

/**
 * Downloads one file with node-llama-cpp's `createModelDownloader` (ipull underneath: parallel
 * chunked ranges, retries of a cut connection from the start of the affected chunk, resume across
 * runs from its `.ipull` file), then does what is Hearth's own: checks size, SHA-256 and format, and
 * renames the file into place, so a file under its final name is always complete and verified. A
 * file that does not match is deleted and nothing is installed.
 *
 * The library is given a URL only, never a bare name or path, so it contacts no host but the one in
 * the URL (and its redirects); Hugging Face tokens are passed by the caller for huggingface.co only,
 * never read by the library from the environment or ~/.cache.
 */
export class ModelDownloader {
  readonly #log: Logger;
  readonly #clock: Clock;
  readonly #idleTimeoutMs: number;

  constructor(options: ModelDownloaderOptions) {
    this.#log = options.logger;
    this.#clock = options.clock;
    this.#idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  }

  /** Downloads, verifies and moves `request.url` into `request.destination`. */
  async download(request: DownloadRequest, controls: DownloadControls = {}): Promise<DownloadResult> {
    const { part, resumeState } = partialFiles(request.destination);
    if (controls.signal?.aborted === true) throw aborted(part, controls.signal.reason);
    if (!/^https?:\/\//i.test(request.url)) {
      throw new DownloadError("http", `only http(s) URLs are downloaded, not ${request.url}`);
    }
    // The library renames its file to `.part` when it stops, finished or not (a full disk ends it
    // too), so a `.part` found now is not known to be whole: it is removed, and the download resumes
    // from the library's own record in the resume-state file, or starts over.
    await rm(part, { force: true });
    const hadResumeState = (await sizeOf(resumeState)) > 0;
    const watchdog = new AbortController();
    const signal =
      controls.signal === undefined ? watchdog.signal : AbortSignal.any([controls.signal, watchdog.signal]);
    const idle = this.#watchIdle(watchdog);

    let resumedFrom = 0;
    try {
      const offered = await this.#probe(request, part, signal, () => idle.timedOut);
      if (request.expectedSize !== null && offered !== null && offered !== request.expectedSize) {
        throw notTheSameFile(request, offered);
      }
      if (offered !== null) await this.#checkRoom(part, offered, resumeState);

      // Lazy: node-llama-cpp is a large module, loaded only when something is downloaded.
      const { createModelDownloader } = await import("node-llama-cpp");
      let meter: TransferMeter | null = null;
      let downloader: Awaited<ReturnType<typeof createModelDownloader>>;
      try {
        downloader = await createModelDownloader({
          modelUri: request.url,
          dirPath: dirname(part),
          fileName: basename(part),
          headers: { ...request.headers, "user-agent": "hearth-models" },
          // No token from HF_TOKEN or ~/.cache/huggingface: the caller decides what is sent where.
          tokens: { huggingFace: null as unknown as string },
          // Never trust a file by its size alone; Hearth verifies what arrived.
          skipExisting: false,
          // Ctrl-C keeps what arrived, like a cut connection, so the next pull resumes.
          deleteTempFileOnCancel: false,
          onProgress: ({ totalSize, downloadedSize }) => {
            idle.touch();
            if (meter === null) {
              // The library reports the chunks already on disk first; the rest arrives afterwards.
              resumedFrom = hadResumeState ? downloadedSize : 0;
              meter = new TransferMeter(this.#clock, totalSize, resumedFrom);
            }
            controls.onProgress?.(meter.update(downloadedSize));
          },
        });
      } catch (err) {
        throw this.#failure(err, request, part, idle.timedOut, signal);
      }
      const total = downloader.totalSize;
      if (request.expectedSize !== null && total !== request.expectedSize) {
        await downloader.cancel({ deleteTempFile: false });
        throw notTheSameFile(request, total);
      }
      const writes = guardLibraryWrites();
      try {
        await downloader.download({ signal });
        if (writes.failed) throw writes.failed;
      } catch (err) {
        const failure = this.#failure(writes.failed ?? err, request, part, idle.timedOut, signal);
        if (failure.failure === "disk-full") {
          // The library stops its other writes and deletes its file; then nothing is left half
          // installed, and the space the partial file took is free again.
          await downloader.cancel({ deleteTempFile: true }).catch(() => {});
          await rm(part, { force: true });
          await rm(resumeState, { force: true });
          throw await diskFull(request, part, downloader.totalSize, failure.cause);
        }
        throw failure;
      } finally {
        await writes.release();
      }
      if (signal.aborted) throw this.#failure(signal.reason, request, part, idle.timedOut, signal);
      // The library saves its resume state without waiting (ipull's `void this._saveProgress()`), so
      // a save can land after it finished and removed that file: a stale state saying every chunk
      // is complete, which the next pull of this name (another URL) resumed from instead of fetching.
      await rm(resumeState, { force: true });
      // The library keeps its progress record after the file's end and cuts it off when it
      // finishes, but a save still in flight can land after that cut (its writer checks whether
      // the file is finished before the write it then makes): the file ended in some 60 bytes of
      // JSON, and a good download was deleted as the wrong size. What arrived is the first `total`
      // bytes; anything after them is cut here, as the library meant to.
      if (total > 0 && (await sizeOf(part)) > total) await truncate(part, total);
    } finally {
      idle.stop();
    }
    const result = await this.#finish(request, part, await sha256File(part));
    return { ...result, resumedFrom };
  }

  /**
   * One HEAD request before the library starts: the library retries a failed request for minutes
   * (150 times, up to 5 s apart) and takes no abort signal until its download starts, so a wrong URL,
   * a gated repository or an unreachable server is answered here at once instead. Returns the size
   * the server offers, when it says.
   */
  async #probe(
    request: DownloadRequest,
    part: string,
    signal: AbortSignal,
    timedOut: () => boolean,
  ): Promise<number | null> {
    let response: Response;
    try {
      response = await fetch(request.url, {
        method: "HEAD",
        headers: { ...request.headers, "user-agent": "hearth-models", "accept-encoding": "identity" },
        redirect: "follow",
        signal,
      });
    } catch (err) {
      throw this.#failure(describeCause(err), request, part, timedOut(), signal);
    }
    // A server that does not answer HEAD is left to the library.
    if (response.status === 405 || response.status === 501) return null;
    if (!response.ok) throw this.#failure({ statusCode: response.status }, request, part, false, signal);
    const length = Number(response.headers.get("content-length") ?? Number.NaN);
    return Number.isSafeInteger(length) ? length : null;
  }

  /**
   * Refuses a download the disk cannot hold, before it starts. Besides saving the wait, this keeps
   * the common full-disk case (a model larger than the SD card's free space) away from the library,
   * whose writer leaves its other pending writes' ENOSPC rejections unhandled (ipull 3, under
   * node-llama-cpp 3.21.1), which ends the process with a stack trace.
   */
  async #checkRoom(part: string, offered: number, resumeState: string): Promise<void> {
    const stats = await statfs(dirname(part));
    const free = stats.bavail * stats.bsize;
    // A resumed download needs only what is missing; the resume state holds at most the file.
    const needed = offered - Math.min(offered, await allocatedBytes(resumeState));
    if (needed > free) {
      throw new DownloadError(
        "disk-full",
        `not enough space on the device holding ${dirname(part)}: the download needs ` +
          `${formatBytes(needed)}, ${formatBytes(free)} are free; free some space and run the pull again`,
      );
    }
  }

  /** A watchdog that aborts the transfer once it has made no progress for the idle timeout. */
  #watchIdle(watchdog: AbortController): { touch(): void; stop(): void; readonly timedOut: boolean } {
    let generation = 0;
    let stopped = false;
    let timedOut = false;
    const arm = (): void => {
      const mine = ++generation;
      const deadline = this.#clock.timeout(this.#idleTimeoutMs, "download progress");
      deadline.addEventListener(
        "abort",
        () => {
          if (stopped || mine !== generation) return;
          timedOut = true;
          watchdog.abort(deadline.reason);
        },
        { once: true },
      );
    };
    arm();
    return {
      touch: arm,
      stop: () => {
        stopped = true;
      },
      get timedOut() {
        return timedOut;
      },
    };
  }

  /** Turns what the library threw into a DownloadError that says what happened and what is kept. */
  #failure(
    err: unknown,
    request: DownloadRequest,
    part: string,
    timedOut: boolean,
    signal: AbortSignal,
  ): DownloadError {
    if (err instanceof DownloadError) return err;
    if (timedOut) {
      return new DownloadError(
        "network",
        `no progress for ${this.#idleTimeoutMs / 1000} s from ${request.url}` +
          "; what arrived is kept, run the pull again to resume",
        { cause: err },
      );
    }
    if (signal.aborted) return aborted(part, signal.reason);
    const status = (err as { statusCode?: unknown }).statusCode;
    if (typeof status === "number" && (status >= 500 || status === 429 || status === 408)) {
      return new DownloadError(
        "network",
        `the server answered HTTP ${status} for ${request.url}; try again later`,
        { status, cause: err },
      );
    }
    if (typeof status === "number") {
      const hint =
        status === 401 || status === 403
          ? " (a gated Hugging Face repository needs its licence accepted on the website and HF_TOKEN set)"
          : status === 404
            ? " (check the model id, repository and file name)"
            : "";
      return new DownloadError("http", `download failed: HTTP ${status} for ${request.url}${hint}`, {
        status,
        cause: err,
      });
    }
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    if (isDiskFull(err)) {
      return new DownloadError(
        "disk-full",
        `no space left on the device holding ${dirname(part)}; the partial download was deleted to ` +
          "free its space, free some more and run the pull again",
        { cause: err },
      );
    }
    if (typeof code === "string" && typeof (err as NodeJS.ErrnoException).syscall === "string") {
      return new DownloadError("io", `cannot write ${part}: ${(err as Error).message}`, { cause: err });
    }
    return new DownloadError(
      "network",
      `cannot fetch ${request.url}: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }

  /** Checks size, checksum and format of a complete part file, then renames it into place. */
  async #finish(
    request: DownloadRequest,
    part: string,
    sha256: string,
  ): Promise<Omit<DownloadResult, "resumedFrom">> {
    const size = await sizeOf(part);
    const name = basename(request.destination);
    if (request.expectedSize !== null && size !== request.expectedSize) {
      await rm(part, { force: true });
      throw new DownloadError(
        "checksum",
        `${name} is ${size} bytes but ${request.expectedSize} are expected; the download was deleted`,
      );
    }
    if (request.expectedSha256 !== null && sha256 !== request.expectedSha256) {
      await rm(part, { force: true });
      throw new DownloadError(
        "checksum",
        `checksum mismatch for ${name}: expected sha256 ${request.expectedSha256}, got ${sha256}; ` +
          "the download was deleted and nothing was installed",
      );
    }
    if (name.toLowerCase().endsWith(".gguf")) {
      const magic = await readHead(part, 4);
      if (magic.toString("latin1") !== "GGUF") {
        await rm(part, { force: true });
        throw new DownloadError(
          "format",
          `${name} is not a GGUF file (it starts with ${JSON.stringify(magic.toString("latin1"))}); ` +
            "the download was deleted — check the URL",
        );
      }
    }
    // Flush to disk before the rename so a power cut never leaves a named but empty model.
    const handle = await open(part, "r+");
    try {
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(part, request.destination);
    this.#log.debug({ path: request.destination, size, sha256 }, "model file moved into place");
    return { path: request.destination, sizeBytes: size, sha256 };
  }
}

/** SHA-256 of a whole file, streamed (models are too large to read at once). */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw err;
  }
}

/** Bytes a file really occupies (the library's resume file is sparse until every chunk arrives). */
async function allocatedBytes(path: string): Promise<number> {
  try {
    return (await stat(path)).blocks * 512;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw err;
  }
}

async function readHead(path: string, bytes: number): Promise<Buffer> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The server's file has another size than the pinned one: no point downloading it. */
function notTheSameFile(request: DownloadRequest, offered: number): DownloadError {
  return new DownloadError(
    "checksum",
    `the server offers ${offered} bytes at ${request.url} but ${request.expectedSize} are expected: ` +
      "it is not the same file",
  );
}

/** Whether `err` says the disk (or the user's quota) is full. */
function isDiskFull(err: unknown): err is NodeJS.ErrnoException {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOSPC" || code === "EDQUOT";
}

/**
 * Catches the library's own unhandled write failures while it downloads. ipull (3.9, under
 * node-llama-cpp 3.21.1) starts a write for each piece of a chunk and chains a `.then()` on it
 * without a catch, and saves its resume state with `void`: when the disk fills, every write in
 * flight fails, the download rejects with the first failure, and the others were unhandled
 * rejections that ended `hearth models pull` with a stack trace (and left the partial file behind).
 * A full disk is one failure, reported once by {@link ModelDownloader.download}; any other
 * unhandled rejection is thrown on as Node would.
 *
 * `release()` waits one turn of the event loop, so rejections of writes the library settled while
 * it closed are seen here first, then stops listening.
 */
function guardLibraryWrites(): {
  readonly failed: NodeJS.ErrnoException | undefined;
  release(): Promise<void>;
} {
  let failed: NodeJS.ErrnoException | undefined;
  const onRejection = (reason: unknown): void => {
    if (!isDiskFull(reason)) throw reason;
    failed ??= reason;
  };
  process.on("unhandledRejection", onRejection);
  return {
    get failed() {
      return failed;
    },
    release: async () => {
      await new Promise((resolve) => setImmediate(resolve));
      process.off("unhandledRejection", onRejection);
    },
  };
}

/** The disk filled during the download: how much it needs, how much is free now that the partial file is gone. */
async function diskFull(
  request: DownloadRequest,
  part: string,
  total: number,
  cause: unknown,
): Promise<DownloadError> {
  const dir = dirname(part);
  const stats = await statfs(dir).catch(() => undefined);
  const free = stats === undefined ? "" : `, ${formatBytes(stats.bavail * stats.bsize)} are free`;
  const size = request.expectedSize ?? total;
  return new DownloadError(
    "disk-full",
    `the disk holding ${dir} filled up while downloading ${basename(request.destination)}: it needs ` +
      `${formatBytes(size)}${free}; the partial download was deleted, nothing was installed; ` +
      "free some space and run the pull again",
    { cause },
  );
}

/** fetch's own message is "fetch failed"; the reason (ECONNREFUSED …) is in its cause. */
function describeCause(err: unknown): Error {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return new Error(cause?.code ?? cause?.message ?? (err as Error).message, { cause: err });
}

function aborted(part: string, reason: unknown): DownloadError {
  return new DownloadError(
    "aborted",
    `download interrupted; what arrived is kept beside ${basename(part)} for resuming`,
    { cause: reason },
  );
}
