import { createHash, randomBytes } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { systemClock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import { DownloadError } from "../../src/llm/model-download.js";
import { type ModelSourceOptions, resolveModelSource } from "../../src/llm/model-source.js";
import { ModelStore, type ModelStoreOptions } from "../../src/llm/model-store.js";
import type { TransferProgress } from "../../src/llm/transfer-meter.js";
import { startFileServer, type TestFileServer } from "../helpers/http-server.js";
import { ManualClock } from "../helpers/manual-clock.js";

/** A fake GGUF: the right magic, then random bytes (the downloader never parses further). */
function fakeGguf(size: number): Buffer {
  const data = randomBytes(size);
  data.write("GGUF", 0, "latin1");
  return data;
}

function sha256(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

/** node-llama-cpp's downloader (ipull) fetches and resumes in chunks of this many bytes. */
const CHUNK = 5 * 1024 * 1024;

/** Resolves once `check` holds, polling on real time; the outcome never depends on how long it takes. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe("hearth models pull", () => {
  // Three of the library's chunks, the last one short, so resuming has whole chunks to keep.
  const size = 2 * CHUNK + 123_457;
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
    return new ModelStore({ dir, logger: silentLogger(), clock: systemClock, env: {}, ...options });
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

  /**
   * Whether the library has recorded a finished chunk: it keeps that record after the file's bytes
   * in `<file>.part.ipull`, and writes it each time a chunk completes.
   */
  function resumeStateSaved(): boolean {
    const path = join(dir, "model.gguf.part.ipull");
    return existsSync(path) && statSync(path).size > size;
  }

  /** Bytes of the file the server sent in answers to Range requests. */
  function rangesServed(): string[] {
    return server.requests.flatMap((r) => (r.range === undefined ? [] : [r.range]));
  }

  it("downloads, reports progress, verifies the checksum and moves the file into place", async () => {
    const progress: TransferProgress[] = [];
    const result = await store().pull(source(server.url("/m/model.gguf"), { sha256: sha256(data) }), {
      onProgress: (p) => progress.push(p),
    });

    expect(result.status).toBe("downloaded");
    expect(result.checksumFrom).toBe("user");
    expect(result.sha256).toBe(sha256(data));
    expect(result.resumedFrom).toBe(0);
    expect(sha256(await readFile(join(dir, "model.gguf")))).toBe(sha256(data));
    expect(existsSync(join(dir, "model.gguf.part"))).toBe(false);
    expect(existsSync(join(dir, "model.gguf.part.ipull"))).toBe(false);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.every((p) => p.total === size)).toBe(true);
    expect(progress.map((p) => p.received)).toEqual(
      [...progress.map((p) => p.received)].sort((a, b) => a - b),
    );
    expect(progress.at(-1)?.received).toBe(size);
    expect(server.requests.every((r) => r.acceptEncoding === "identity")).toBe(true);
  });

  it("fetches a cut chunk again from its start, within the same pull", async () => {
    server.behaviour.cut = { bytes: 1_000_000, times: 1, from: CHUNK };
    const result = await store().pull(source(server.url("/m/model.gguf"), { sha256: sha256(data) }));

    expect(result.sha256).toBe(sha256(data));
    expect(sha256(await readFile(join(dir, "model.gguf")))).toBe(sha256(data));
    const cut = server.requests.find((r) => r.cut);
    expect(cut?.range).toMatch(/^bytes=\d+-\d+$/);
    const again = server.requests.filter((r) => r.range?.startsWith(cut?.range?.split("-")[0] ?? "?"));
    expect(again.length).toBeGreaterThanOrEqual(2);
    expect(again.at(-1)?.cut).toBe(false);
  });

  it("keeps what arrived when interrupted (Ctrl-C), and the next pull fetches only the rest", async () => {
    // The first chunk arrives whole; the others stall after a few bytes.
    server.behaviour.stall = { bytes: 10_000, times: 100, from: CHUNK };
    const abort = new AbortController();
    let received = 0;
    const pulling = failure(
      store().pull(source(server.url("/m/model.gguf")), {
        signal: abort.signal,
        onProgress: (p) => {
          received = p.received;
        },
      }),
    );
    await until(() => received >= CHUNK && resumeStateSaved());
    abort.abort(new Error("interrupted"));
    const err = await pulling;
    expect(err.failure).toBe("aborted");
    expect(existsSync(join(dir, "model.gguf"))).toBe(false);
    expect(existsSync(join(dir, "model.gguf.part.ipull"))).toBe(true);

    server.behaviour.stall = null;
    server.requests.length = 0;
    const result = await store().pull(source(server.url("/m/model.gguf"), { sha256: sha256(data) }));
    expect(result.status).toBe("downloaded");
    expect(result.resumedFrom).toBeGreaterThanOrEqual(CHUNK);
    expect(rangesServed()).not.toContain(`bytes=0-${CHUNK - 1}`);
    expect(rangesServed().every((range) => Number(/^bytes=(\d+)-/.exec(range)?.[1]) >= CHUNK)).toBe(true);
    expect(sha256(await readFile(join(dir, "model.gguf")))).toBe(sha256(data));
    expect(existsSync(join(dir, "model.gguf.part.ipull"))).toBe(false);
  });

  it("gives up on a transfer that makes no progress for the idle timeout, and keeps what arrived", async () => {
    server.behaviour.stall = { bytes: 10_000, times: 100, from: CHUNK };
    const clock = new ManualClock();
    let received = 0;
    const pulling = failure(
      store({ clock, idleTimeoutMs: 60_000 }).pull(source(server.url("/m/model.gguf")), {
        onProgress: (p) => {
          received = p.received;
        },
      }),
    );
    await until(() => received >= CHUNK && resumeStateSaved());
    clock.advance(59_999);
    expect(received).toBeLessThan(size);
    clock.advance(1);
    const err = await pulling;
    expect(err.failure).toBe("network");
    expect(err.message).toMatch(/no progress for 60 s/);
    expect(err.message).toMatch(/resume/);
    expect(existsSync(join(dir, "model.gguf"))).toBe(false);
    expect(existsSync(join(dir, "model.gguf.part.ipull"))).toBe(true);
  });

  it("refuses a download the disk cannot hold before fetching it, and says how much is needed", async () => {
    // A file larger than any disk (4.5 PB), as the server announces it; the free space is the real
    // file system's, read with statfs.
    server.behaviour.headLength["/m/model.gguf"] = 2 ** 52;
    const err = await failure(store().pull(source(server.url("/m/model.gguf"))));
    expect(err.failure).toBe("disk-full");
    expect(err.message).toMatch(/not enough space on the device holding .*: the download needs 4503\.6 TB/);
    expect(err.message).toMatch(/free some space/);
    expect(server.requests.map((r) => r.method)).toEqual(["HEAD"]);
    expect(existsSync(join(dir, "model.gguf"))).toBe(false);
    expect(existsSync(join(dir, "model.gguf.part.ipull"))).toBe(false);

    delete server.behaviour.headLength["/m/model.gguf"];
    const result = await store().pull(source(server.url("/m/model.gguf"), { sha256: sha256(data) }));
    expect(result.status).toBe("downloaded");
    expect(sha256(await readFile(join(dir, "model.gguf")))).toBe(sha256(data));
  });

  it("fails clearly and at once when the server cannot be reached", async () => {
    const gone = server.url("/m/model.gguf");
    await server.close();
    server = await startFileServer();
    const err = await failure(store().pull(source(gone)));
    expect(err.failure).toBe("network");
    expect(err.message).toContain(`cannot fetch ${gone}: ECONNREFUSED`);
  });

  it("deletes the download and names both hashes when the checksum does not match", async () => {
    const wrong = "0".repeat(64);
    const err = await failure(store().pull(source(server.url("/m/model.gguf"), { sha256: wrong })));
    expect(err.failure).toBe("checksum");
    expect(err.message).toContain(wrong);
    expect(err.message).toContain(sha256(data));
    expect(existsSync(join(dir, "model.gguf.part"))).toBe(false);
    expect(existsSync(join(dir, "model.gguf.part.ipull"))).toBe(false);
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
    expect(existsSync(join(dir, "missing.gguf.part.ipull"))).toBe(false);
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
    const before = server.requests.length;
    const again = await store().pull(wanted);
    expect(again.status).toBe("present");
    expect(server.requests).toHaveLength(before);
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
    expect(server.requests.length).toBeGreaterThan(0);
    expect(server.requests.every((r) => r.authorization === undefined)).toBe(true);
  });
});
