import { createHash, type Hash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { open, rename, rm, stat } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { Readable, type Writable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { setTimeout as sleep } from "node:timers/promises";
import type { Clock } from "../core/clock.js";
import { HearthError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import { formatBytes, TransferMeter, type TransferProgress } from "./transfer-meter.js";

/** Why a download failed; the CLI maps these to exit codes and hints. */
export type DownloadFailure =
  /** The server answered with an HTTP error (404, 401 …). */
  | "http"
  /** The connection failed or was cut, or went silent; the `.part` file is kept for resuming. */
  | "network"
  /** The file arrived but its SHA-256 or size is not the expected one; the `.part` was deleted. */
  | "checksum"
  /** The file arrived but is not what its name says (e.g. an HTML page saved as `.gguf`). */
  | "format"
  /** The disk is full; the `.part` file is kept for resuming once there is space. */
  | "disk-full"
  /** Another file-system error (permissions, read-only disk …). */
  | "io"
  /** The caller aborted (Ctrl-C); the `.part` file is kept. */
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

/** Opens the `.part` file for writing; injectable so tests can simulate a full disk. */
export type OpenPartFile = (path: string, append: boolean) => Writable;

/** Collaborators and tuning for {@link ModelDownloader}. */
export interface ModelDownloaderOptions {
  logger: Logger;
  clock: Clock;
  /** The fetch implementation; Node's built-in by default. */
  fetch?: typeof fetch;
  openPartFile?: OpenPartFile;
  /** How many times a cut or failed connection is retried (resuming each time). Default 3. */
  retries?: number;
  /** Pause before retry n is n × this many milliseconds. Default 2000. */
  retryDelayMs?: number;
  /** A connection that delivers nothing for this many milliseconds counts as cut. Default 60000. */
  idleTimeoutMs?: number;
}

/** One file to download. */
export interface DownloadRequest {
  url: string;
  /** Final path; the data goes to `<destination>.part` until it is verified. */
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
  /** Bytes reused from an earlier partial download (0 when it started from scratch). */
  resumedFrom: number;
  /** Connection attempts made (1 when nothing went wrong). */
  attempts: number;
}

/** A failure worth another attempt: the `.part` file is intact and the next attempt resumes it. */
class Interrupted extends Error {
  override readonly name = "Interrupted";
}

/**
 * Downloads one file over HTTP(S) into `<destination>.part`, resuming a partial file with a Range
 * request, hashing as it writes (and over the resumed part first), then checks size and SHA-256 and
 * renames the file into place, so a file under its final name is always complete and verified.
 * Cut connections are retried with resume; a checksum mismatch deletes the `.part`.
 */
export class ModelDownloader {
  readonly #log: Logger;
  readonly #clock: Clock;
  readonly #fetch: typeof fetch;
  readonly #openPartFile: OpenPartFile;
  readonly #retries: number;
  readonly #retryDelayMs: number;
  readonly #idleTimeoutMs: number;

  constructor(options: ModelDownloaderOptions) {
    this.#log = options.logger;
    this.#clock = options.clock;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#openPartFile =
      options.openPartFile ?? ((path, append) => createWriteStream(path, { flags: append ? "a" : "w" }));
    this.#retries = options.retries ?? 3;
    this.#retryDelayMs = options.retryDelayMs ?? 2_000;
    this.#idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  }

  /** Downloads, verifies and moves `request.url` into `request.destination`. */
  async download(request: DownloadRequest, controls: DownloadControls = {}): Promise<DownloadResult> {
    const part = `${request.destination}.part`;
    const firstPartSize = await sizeOf(part);
    for (let attempt = 1; ; attempt++) {
      try {
        const done = await this.#attempt(request, part, controls);
        return {
          ...done,
          resumedFrom: done.restarted ? 0 : Math.min(firstPartSize, done.sizeBytes),
          attempts: attempt,
        };
      } catch (err) {
        if (controls.signal?.aborted === true) throw aborted(part, controls.signal.reason);
        if (!(err instanceof Interrupted)) throw err;
        const kept = await sizeOf(part);
        if (attempt > this.#retries) {
          const resume =
            kept > 0 ? `; ${formatBytes(kept)} kept in ${basename(part)}, run the pull again to resume` : "";
          throw new DownloadError("network", `${err.message}${resume}`, { cause: err.cause });
        }
        this.#log.warn({ err, attempt, kept, url: request.url }, "download interrupted, resuming");
        try {
          await sleep(this.#retryDelayMs * attempt, undefined, { signal: controls.signal });
        } catch {
          throw aborted(part, controls.signal?.reason);
        }
      }
    }
  }

  async #attempt(
    request: DownloadRequest,
    part: string,
    controls: DownloadControls,
  ): Promise<Omit<DownloadResult, "resumedFrom" | "attempts"> & { restarted: boolean }> {
    const { expectedSize } = request;
    let offset = await sizeOf(part);
    let restarted = false;
    if (expectedSize !== null && offset > expectedSize) {
      this.#log.warn(
        { part, offset, expectedSize },
        "partial download is larger than the file, starting over",
      );
      await rm(part, { force: true });
      offset = 0;
      restarted = true;
    }
    if (expectedSize !== null && offset === expectedSize) {
      // A complete part left by an interruption between the last byte and the rename.
      return { ...(await this.#finish(request, part, await sha256File(part))), restarted };
    }

    const meter = new TransferMeter(this.#clock, expectedSize, offset);
    for (;;) {
      let hash = createHash("sha256");
      if (offset > 0) await hashFile(part, hash);
      const opened = await this.#request(request, offset, controls.signal);
      try {
        const { response } = opened;
        if (offset > 0 && response.status === 416) {
          // Nothing left to send: the part may already be whole. Anything else means it is stale.
          await opened.discard();
          const total = parseContentRange(response.headers.get("content-range"))?.total ?? null;
          if (total === offset)
            return { ...(await this.#finish(request, part, hash.digest("hex"))), restarted };
          this.#log.warn(
            { part, offset, total },
            "partial download does not match the server's file, starting over",
          );
          await rm(part, { force: true });
          offset = 0;
          restarted = true;
          continue;
        }
        if (!response.ok) {
          await opened.discard();
          throw httpError(request.url, response);
        }
        if (offset > 0 && response.status === 206) {
          const range = parseContentRange(response.headers.get("content-range"));
          if (range === null || range.start !== offset) {
            await opened.discard();
            this.#log.warn(
              { offset, contentRange: range },
              "server answered a different range, starting over",
            );
            await rm(part, { force: true });
            offset = 0;
            restarted = true;
            continue;
          }
        } else if (offset > 0) {
          // 200 to a Range request: the server ignored it and sends the whole file from byte 0.
          this.#log.info({ offset }, "server ignored the range request, downloading from the start");
          offset = 0;
          restarted = true;
          hash = createHash("sha256");
        }
        const total =
          response.status === 206
            ? (parseContentRange(response.headers.get("content-range"))?.total ?? null)
            : lengthOf(response);
        if (expectedSize !== null && total !== null && total !== expectedSize) {
          await opened.discard();
          throw new DownloadError(
            "checksum",
            `the server offers ${total} bytes at ${request.url} but ${expectedSize} are expected: ` +
              "it is not the same file",
          );
        }
        meter.reset(expectedSize ?? total, offset);
        return {
          ...(await this.#receive(
            request,
            part,
            opened,
            hash,
            offset,
            expectedSize ?? total,
            meter,
            controls,
          )),
          restarted,
        };
      } finally {
        opened.close();
      }
    }
  }

  /** Streams the body into the part file, hashing and reporting progress on the way. */
  async #receive(
    request: DownloadRequest,
    part: string,
    opened: OpenResponse,
    hash: Hash,
    offset: number,
    total: number | null,
    meter: TransferMeter,
    controls: DownloadControls,
  ): Promise<Omit<DownloadResult, "resumedFrom" | "attempts">> {
    const onProgress = controls.onProgress;
    let received = offset;
    onProgress?.(meter.update(received));

    const body = opened.response.body;
    try {
      if (body !== null) {
        const sink = this.#openPartFile(part, offset > 0);
        // Write failures surface through the write callbacks; the event keeps the first, most precise
        // error (an open() failure reaches callbacks only as "stream destroyed").
        let sinkError: Error | undefined;
        sink.on("error", (err) => {
          sinkError ??= err;
        });
        try {
          // Each chunk is handed to the file before the next is read, so when the connection drops
          // everything that arrived is on disk and the next attempt resumes right after it.
          for await (const chunk of Readable.fromWeb(
            body as WebReadableStream<Uint8Array>,
          ) as AsyncIterable<Buffer>) {
            opened.idle.touch();
            received += chunk.length;
            if (total !== null && received > total) {
              throw new DownloadError(
                "checksum",
                `${request.url} sent more than the expected ${total} bytes: it is not the same file`,
              );
            }
            hash.update(chunk);
            await writeChunk(sink, chunk).catch((err: unknown) => {
              throw sinkError ?? err;
            });
            onProgress?.(meter.update(received));
          }
        } finally {
          await closeSink(sink);
        }
      } else if (offset === 0) {
        // An empty body still creates the (empty) file, so a zero-byte model verifies like any other.
        await open(part, "w").then((handle) => handle.close());
      }
    } catch (err) {
      if (controls.signal?.aborted === true) throw aborted(part, controls.signal.reason);
      if (err instanceof DownloadError) {
        if (err.failure === "checksum") await rm(part, { force: true });
        throw err;
      }
      if (isDiskFull(err)) {
        throw new DownloadError(
          "disk-full",
          `no space left on the device holding ${dirname(part)} after ${formatBytes(await sizeOf(part))}; ` +
            `${basename(part)} is kept, free some space and run the pull again to resume`,
          { cause: err },
        );
      }
      if (isFileSystemError(err)) {
        throw new DownloadError("io", `cannot write ${part}: ${(err as Error).message}`, { cause: err });
      }
      const why = opened.idle.timedOut ? `no data for ${this.#idleTimeoutMs / 1000} s` : "connection lost";
      throw new Interrupted(`${why} after ${describeReceived(received, total)} of ${request.url}`, {
        cause: err,
      });
    }
    if (total !== null && received < total) {
      throw new Interrupted(`the server closed the connection after ${describeReceived(received, total)}`);
    }
    return this.#finish(request, part, hash.digest("hex"));
  }

  /** Checks size, checksum and format of a complete part file, then renames it into place. */
  async #finish(
    request: DownloadRequest,
    part: string,
    sha256: string,
  ): Promise<Omit<DownloadResult, "resumedFrom" | "attempts">> {
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
          "the download was deleted",
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

  async #request(
    request: DownloadRequest,
    offset: number,
    signal: AbortSignal | undefined,
  ): Promise<OpenResponse> {
    if (isAborted(signal)) throw aborted(`${request.destination}.part`, signal?.reason);
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    const idle: IdleWatch = {
      timedOut: false,
      timer: undefined,
      touch: () => {
        clearTimeout(idle.timer);
        idle.timer = setTimeout(() => {
          idle.timedOut = true;
          controller.abort(new Error("idle timeout"));
        }, this.#idleTimeoutMs);
      },
    };
    const headers: Record<string, string> = {
      ...request.headers,
      // Compressed transfer would make byte offsets and Content-Length refer to the wrong bytes.
      "accept-encoding": "identity",
      "user-agent": "hearth-models",
    };
    if (offset > 0) headers.range = `bytes=${offset}-`;
    idle.touch();
    try {
      const response = await this.#fetch(request.url, {
        headers,
        redirect: "follow",
        signal: controller.signal,
      });
      return {
        response,
        idle,
        discard: async () => {
          await response.body?.cancel().catch(() => undefined);
        },
        close: () => {
          clearTimeout(idle.timer);
          signal?.removeEventListener("abort", onAbort);
        },
      };
    } catch (err) {
      clearTimeout(idle.timer);
      signal?.removeEventListener("abort", onAbort);
      if (isAborted(signal)) throw aborted(`${request.destination}.part`, signal?.reason);
      const why = idle.timedOut ? `no answer within ${this.#idleTimeoutMs / 1000} s` : describeCause(err);
      throw new Interrupted(`cannot fetch ${request.url}: ${why}`, { cause: err });
    }
  }
}

interface IdleWatch {
  timedOut: boolean;
  timer: NodeJS.Timeout | undefined;
  touch(): void;
}

interface OpenResponse {
  response: Response;
  idle: IdleWatch;
  /** Drops the body unread (the connection is not reused for anything else). */
  discard(): Promise<void>;
  /** Stops the idle watch; always called once the response is done with. */
  close(): void;
}

/** Writes one chunk and waits until the sink has taken it (or failed). */
function writeChunk(sink: Writable, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    sink.write(chunk, (err) => (err === undefined || err === null ? resolve() : reject(err)));
  });
}

/** Ends the sink, flushing what it holds; a sink that already failed is only released. */
async function closeSink(sink: Writable): Promise<void> {
  if (sink.destroyed || sink.errored !== null) {
    sink.destroy();
    return;
  }
  await new Promise<void>((resolve) => {
    sink.once("error", () => resolve());
    sink.end(() => resolve());
  });
}

/** SHA-256 of a whole file, streamed (models are too large to read at once). */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  await hashFile(path, hash);
  return hash.digest("hex");
}

/** Feeds a file into a running hash: a resumed download's digest covers the part already on disk. */
async function hashFile(path: string, hash: Hash): Promise<void> {
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
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

/** Parses Content-Range: `bytes 100-199/1000` gives start 100, total 1000; an unsatisfied range gives start null. */
export function parseContentRange(
  value: string | null,
): { start: number | null; total: number | null } | null {
  if (value === null) return null;
  const match = /^bytes\s+(?:(\d+)-(\d+)|\*)\/(\d+|\*)$/i.exec(value.trim());
  if (match === null) return null;
  return {
    start: match[1] === undefined ? null : Number(match[1]),
    total: match[3] === undefined || match[3] === "*" ? null : Number(match[3]),
  };
}

function lengthOf(response: Response): number | null {
  const length = Number(response.headers.get("content-length") ?? Number.NaN);
  return Number.isSafeInteger(length) ? length : null;
}

function httpError(url: string, response: Response): Error {
  const what = `HTTP ${response.status}${response.statusText === "" ? "" : ` ${response.statusText}`} for ${url}`;
  // Server trouble and rate limits pass; anything else (404, 401 …) will not change on a retry.
  if (response.status >= 500 || response.status === 429 || response.status === 408) {
    return new Interrupted(`the server answered ${what}`);
  }
  const hint =
    response.status === 401 || response.status === 403
      ? " (a gated Hugging Face repository needs its licence accepted on the website and HF_TOKEN set)"
      : response.status === 404
        ? " (check the model id, repository and file name)"
        : "";
  return new DownloadError("http", `download failed: ${what}${hint}`, { status: response.status });
}

function aborted(part: string, reason: unknown): DownloadError {
  return new DownloadError("aborted", `download interrupted; ${basename(part)} is kept for resuming`, {
    cause: reason,
  });
}

/** A function, not an inline check, so TypeScript does not keep a narrowing from before an await. */
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

function describeReceived(received: number, total: number | null): string {
  return total === null ? formatBytes(received) : `${formatBytes(received)} of ${formatBytes(total)}`;
}

function describeCause(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message;
}

function isDiskFull(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOSPC" || code === "EDQUOT";
}

function isFileSystemError(err: unknown): boolean {
  const e = err as NodeJS.ErrnoException | undefined;
  return typeof e?.code === "string" && typeof e.syscall === "string";
}
