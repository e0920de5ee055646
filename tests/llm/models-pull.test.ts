import { createHash, randomBytes } from "node:crypto";
import { createWriteStream, existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { systemClock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import { DownloadError, type OpenPartFile } from "../../src/llm/model-download.js";
import { type ModelSourceOptions, resolveModelSource } from "../../src/llm/model-source.js";
import { ModelStore, type ModelStoreOptions } from "../../src/llm/model-store.js";
import type { TransferProgress } from "../../src/llm/transfer-meter.js";
import { startFileServer, type TestFileServer } from "../helpers/http-server.js";

/** A fake GGUF: the right magic, then random bytes (the downloader never parses further). */
function fakeGguf(size: number): Buffer {
  const data = randomBytes(size);
  data.write("GGUF", 0, "latin1");
  return data;
}

function sha256(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

/**
 * A file writer that runs out of space after `limit` bytes, like a full SD card. A fake because a real
 * small tmpfs needs mount privileges that CI does not have; the bytes before the limit really land on
 * disk, as they would on a full file system.
 */
function diskWithRoomFor(limit: number): OpenPartFile {
  return (path, append) => {
    const file = createWriteStream(path, { flags: append ? "a" : "w" });
    let written = 0;
    return new Writable({
      write(chunk: Buffer, _encoding, callback) {
        const room = limit - written;
        if (chunk.length <= room) {
          written += chunk.length;
          file.write(chunk, callback);
          return;
        }
        written += Math.max(0, room);
        const full = Object.assign(new Error("ENOSPC: no space left on device, write"), {
          code: "ENOSPC",
          syscall: "write",
        });
        file.write(chunk.subarray(0, Math.max(0, room)), () => callback(full));
      },
      final(callback) {
        file.end(callback);
      },
      destroy(err, callback) {
        file.end(() => callback(err));
      },
    });
  };
}

describe("hearth models pull", () => {
  const size = 300_000;
  let data: Buffer;
  let server: TestFileServer;
  let dir: string;

  beforeEach(async () => {
    data = fakeGguf(size);
    server = await startFileServer({ files: { "/m/model.gguf": data } });
    dir = await mkdtemp(join(tmpdir(), "hearth-models-"));
  });

  afterEach(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  function store(options: Partial<ModelStoreOptions> = {}): ModelStore {
    return new ModelStore({
      dir,
      logger: silentLogger(),
      clock: systemClock,
      retryDelayMs: 0,
      env: {},
      ...options,
    });
  }

  function source(spec: string, options: ModelSourceOptions = {}) {
    const resolved = resolveModelSource(spec, options);
    if (!resolved.ok) throw new Error(resolved.reason);
    return resolved.source;
  }

  async function failure(promise: Promise<unknown>): Promise<DownloadError> {
    const err = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DownloadError);
    return err as DownloadError;
  }

  it("downloads, reports progress, verifies the checksum and moves the file into place", async () => {
    const progress: TransferProgress[] = [];
    const result = await store().pull(source(server.url("/m/model.gguf"), { sha256: sha256(data) }), {
      onProgress: (p) => progress.push(p),
    });

    expect(result.status).toBe("downloaded");
    expect(result.checksumFrom).toBe("user");
    expect(result.sha256).toBe(sha256(data));
    expect(sha256(await readFile(join(dir, "model.gguf")))).toBe(sha256(data));
    expect(existsSync(join(dir, "model.gguf.part"))).toBe(false);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.every((p) => p.total === size)).toBe(true);
    expect(progress.map((p) => p.received)).toEqual(
      [...progress.map((p) => p.received)].sort((a, b) => a - b),
    );
    expect(progress.at(-1)?.received).toBe(size);
    expect(server.requests[0]?.acceptEncoding).toBe("identity");
  });

  it("keeps the partial file when the connection is cut, and the next pull resumes it with a Range request", async () => {
    server.behaviour.cut = { bytes: 100_000, times: 1 };
    const err = await failure(store({ retries: 0 }).pull(source(server.url("/m/model.gguf"))));
    expect(err.failure).toBe("network");
    expect(err.message).toMatch(/resume/);
    const kept = (await stat(join(dir, "model.gguf.part"))).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(size);

    const result = await store().pull(source(server.url("/m/model.gguf"), { sha256: sha256(data) }));
    expect(result.resumedFrom).toBe(kept);
    expect(server.requests.at(-1)?.range).toBe(`bytes=${kept}-`);
    expect(sha256(await readFile(join(dir, "model.gguf")))).toBe(sha256(data));
  });

  it("resumes a cut connection by itself within one pull when retries are allowed", async () => {
    server.behaviour.cut = { bytes: 50_000, times: 2 };
    const result = await store({ retries: 2 }).pull(
      source(server.url("/m/model.gguf"), { sha256: sha256(data) }),
    );
    expect(result.sha256).toBe(sha256(data));
    expect(server.requests).toHaveLength(3);
    expect(server.requests[0]?.range).toBeUndefined();
    expect(server.requests[1]?.range).toMatch(/^bytes=\d+-$/);
    expect(server.requests[2]?.range).toMatch(/^bytes=\d+-$/);
  });

  it("deletes the download and names both hashes when the checksum does not match", async () => {
    const wrong = "0".repeat(64);
    const err = await failure(store().pull(source(server.url("/m/model.gguf"), { sha256: wrong })));
    expect(err.failure).toBe("checksum");
    expect(err.message).toContain(wrong);
    expect(err.message).toContain(sha256(data));
    expect(existsSync(join(dir, "model.gguf.part"))).toBe(false);
    expect(existsSync(join(dir, "model.gguf"))).toBe(false);
  });

  it("fails clearly on 404 without retrying or leaving files behind", async () => {
    const err = await failure(store().pull(source(server.url("/m/missing.gguf"))));
    expect(err.failure).toBe("http");
    expect(err.status).toBe(404);
    expect(err.message).toContain("HTTP 404");
    expect(err.message).toContain(server.url("/m/missing.gguf"));
    expect(server.requests).toHaveLength(1);
    expect(existsSync(join(dir, "missing.gguf.part"))).toBe(false);
  });

  it("follows a redirect to another origin, carrying the Range header, as Hugging Face does to its CDN", async () => {
    const cdn = await startFileServer({ files: { "/blob": data } });
    try {
      server.behaviour.redirects["/Qwen/repo/resolve/main/model.gguf"] = cdn.url("/blob");
      await writeFile(join(dir, "model.gguf.part"), data.subarray(0, 12_345));

      const result = await store().pull(
        source(server.url("/Qwen/repo/resolve/main/model.gguf"), { sha256: sha256(data) }),
      );
      expect(result.resumedFrom).toBe(12_345);
      expect(cdn.requests[0]?.range).toBe("bytes=12345-");
      expect(sha256(await readFile(join(dir, "model.gguf")))).toBe(sha256(data));
    } finally {
      await cdn.close();
    }
  });

  it("starts over when the server ignores the Range request instead of appending the whole file", async () => {
    server.behaviour.ignoreRange = true;
    // Stale bytes that are not the file's prefix: appending to them would fail the checksum.
    await writeFile(join(dir, "model.gguf.part"), randomBytes(20_000));

    const result = await store().pull(source(server.url("/m/model.gguf"), { sha256: sha256(data) }));
    expect(server.requests[0]?.range).toBe("bytes=20000-");
    expect(result.resumedFrom).toBe(0);
    expect(sha256(await readFile(join(dir, "model.gguf")))).toBe(sha256(data));
  });

  it("keeps the partial file when the disk fills up, and resumes once there is room", async () => {
    const err = await failure(
      store({ openPartFile: diskWithRoomFor(70_000) }).pull(source(server.url("/m/model.gguf"))),
    );
    expect(err.failure).toBe("disk-full");
    expect(err.message).toMatch(/no space left/);
    expect((await stat(join(dir, "model.gguf.part"))).size).toBe(70_000);

    const result = await store().pull(source(server.url("/m/model.gguf"), { sha256: sha256(data) }));
    expect(server.requests.at(-1)?.range).toBe("bytes=70000-");
    expect(result.resumedFrom).toBe(70_000);
    expect(sha256(await readFile(join(dir, "model.gguf")))).toBe(sha256(data));
  });

  it("gives up on a connection that goes silent and keeps what arrived", async () => {
    server.behaviour.stall = { bytes: 30_000, times: 1 };
    const err = await failure(
      store({ retries: 0, idleTimeoutMs: 300 }).pull(source(server.url("/m/model.gguf"))),
    );
    expect(err.failure).toBe("network");
    expect(err.message).toMatch(/no data/);
    expect((await stat(join(dir, "model.gguf.part"))).size).toBe(30_000);
  });

  it("stops when aborted (Ctrl-C) and keeps the partial file", async () => {
    server.behaviour.stall = { bytes: 30_000, times: 1 };
    const abort = new AbortController();
    const err = await failure(
      store().pull(source(server.url("/m/model.gguf")), {
        signal: abort.signal,
        onProgress: (p) => {
          if (p.received > 0) abort.abort(new Error("interrupted"));
        },
      }),
    );
    expect(err.failure).toBe("aborted");
    expect((await stat(join(dir, "model.gguf.part"))).size).toBeGreaterThan(0);
  });

  it("fails clearly when the server cannot be reached", async () => {
    const gone = server.url("/m/model.gguf");
    await server.close();
    server = await startFileServer();
    const err = await failure(store({ retries: 0 }).pull(source(gone)));
    expect(err.failure).toBe("network");
    expect(err.message).toContain(`cannot fetch ${gone}`);
  });

  it("fails before downloading when the server's size is not the expected one", async () => {
    const err = await failure(store().pull(source(server.url("/m/model.gguf"), { sizeBytes: size + 1 })));
    expect(err.failure).toBe("checksum");
    expect(err.message).toContain(String(size));
    expect(existsSync(join(dir, "model.gguf"))).toBe(false);
  });

  it("rejects a .gguf download that is not a GGUF file, such as an HTML error page", async () => {
    server.behaviour.files["/m/page.gguf"] = Buffer.from("<!DOCTYPE html><html>sign in</html>");
    const err = await failure(store().pull(source(server.url("/m/page.gguf"))));
    expect(err.failure).toBe("format");
    expect(err.message).toContain("not a GGUF file");
    expect(existsSync(join(dir, "page.gguf"))).toBe(false);
    expect(existsSync(join(dir, "page.gguf.part"))).toBe(false);
  });

  it("does not download again when a matching file is already present", async () => {
    const wanted = source(server.url("/m/model.gguf"), { sha256: sha256(data) });
    await store().pull(wanted);
    const again = await store().pull(wanted);
    expect(again.status).toBe("present");
    expect(server.requests).toHaveLength(1);
  });

  it("downloads again when the same file name is pulled from another URL without a checksum", async () => {
    const other = fakeGguf(1000);
    server.behaviour.files["/elsewhere/model.gguf"] = other;
    await store().pull(source(server.url("/m/model.gguf")));
    const result = await store().pull(source(server.url("/elsewhere/model.gguf")));
    expect(result.status).toBe("downloaded");
    expect(sha256(await readFile(join(dir, "model.gguf")))).toBe(sha256(other));
  });

  it("replaces a present file that no longer matches its checksum", async () => {
    const wanted = source(server.url("/m/model.gguf"), { sha256: sha256(data) });
    await writeFile(join(dir, "model.gguf"), fakeGguf(size));
    const result = await store().pull(wanted);
    expect(result.status).toBe("downloaded");
    expect(sha256(await readFile(join(dir, "model.gguf")))).toBe(sha256(data));
  });

  it("sends HF_TOKEN to huggingface.co only", async () => {
    await store({ env: { HF_TOKEN: "secret" } }).pull(source(server.url("/m/model.gguf")));
    expect(server.requests[0]?.authorization).toBeUndefined();
  });
});
