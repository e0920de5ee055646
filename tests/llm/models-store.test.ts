import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { systemClock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import type { CatalogEntry } from "../../src/llm/catalog.js";
import { resolveModelSource } from "../../src/llm/model-source.js";
import { MANIFEST_FILE, ModelStore } from "../../src/llm/model-store.js";
import { startFileServer, type TestFileServer } from "../helpers/http-server.js";

function sha256(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

describe("the models directory", () => {
  let server: TestFileServer;
  let dir: string;
  let published: Buffer;
  let unpublished: Buffer;
  let catalog: CatalogEntry[];

  beforeEach(async () => {
    published = randomBytes(40_000);
    unpublished = randomBytes(30_000);
    server = await startFileServer({
      files: { "/published.bin": published, "/unpublished.bin": unpublished },
    });
    dir = await mkdtemp(join(tmpdir(), "hearth-models-"));
    const common = { kind: "whisper", ramBytes: 1, ramNote: "test", licence: "MIT", source: "test" } as const;
    catalog = [
      {
        ...common,
        id: "published",
        title: "Published",
        file: "published.bin",
        url: server.url("/published.bin"),
        sizeBytes: published.length,
        sha256: sha256(published),
      },
      {
        ...common,
        id: "unpublished",
        title: "Unpublished",
        file: "unpublished.bin",
        url: server.url("/unpublished.bin"),
        sizeBytes: null,
        sha256: null,
      },
    ];
  });

  afterEach(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  function store(): ModelStore {
    return new ModelStore({
      dir,
      logger: silentLogger(),
      clock: systemClock,
      catalog,
      env: {},
    });
  }

  async function pull(spec: string, options: { sha256?: string } = {}) {
    const resolved = resolveModelSource(spec, { catalog, ...options });
    if (!resolved.ok) throw new Error(resolved.reason);
    return store().pull(resolved.source);
  }

  it("lists catalog models as absent, partial, then installed", async () => {
    expect((await store().list()).map((row) => [row.id, row.state])).toEqual([
      ["published", "absent"],
      ["unpublished", "absent"],
    ]);

    await writeFile(join(dir, "published.bin.part"), published.subarray(0, 1000));
    const partial = (await store().list())[0];
    expect(partial?.state).toBe("partial");
    expect(partial?.partialBytes).toBe(1000);

    await pull("published");
    const rows = await store().list();
    expect(rows[0]).toMatchObject({
      id: "published",
      state: "installed",
      checksum: "published",
      licence: "MIT",
    });
    expect(rows[1]).toMatchObject({ id: "unpublished", state: "absent", checksum: "unverified" });
  });

  it("lists files pulled from a URL after the catalog", async () => {
    const data = randomBytes(5000);
    server.behaviour.files["/extra.bin"] = data;
    await pull(server.url("/extra.bin"), { sha256: sha256(data) });
    const extra = (await store().list()).at(-1);
    expect(extra).toMatchObject({ id: null, file: "extra.bin", state: "installed", checksum: "user" });
  });

  it("verifies a pulled catalog model against its published checksum", async () => {
    await pull("published");
    const [result] = await store().verify("published");
    expect(result).toMatchObject({ status: "ok", checksumFrom: "catalog", sha256: sha256(published) });
  });

  it("reports a corrupted model as a mismatch with both hashes", async () => {
    await pull("published");
    const corrupted = Buffer.from(published);
    corrupted[100] = (corrupted[100] ?? 0) ^ 0xff;
    await writeFile(join(dir, "published.bin"), corrupted);

    const [result] = await store().verify("published");
    expect(result?.status).toBe("mismatch");
    expect(result?.message).toContain(sha256(corrupted));
    expect(result?.message).toContain(sha256(published));
  });

  it("reports a truncated model as a size mismatch without hashing it", async () => {
    await pull("published");
    await writeFile(join(dir, "published.bin"), published.subarray(0, 100));
    const [result] = await store().verify("published.bin");
    expect(result).toMatchObject({ status: "mismatch", sizeBytes: 100, sha256: null });
  });

  it("pulls a model with no published checksum, records its hash, and later detects a change", async () => {
    const pulled = await pull("unpublished");
    expect(pulled.checksumFrom).toBe("download");

    const [fresh] = await store().verify("unpublished");
    expect(fresh?.status).toBe("ok");
    expect(fresh?.message).toMatch(/no published checksum/);

    await writeFile(join(dir, "unpublished.bin"), randomBytes(unpublished.length));
    const [changed] = await store().verify("unpublished");
    expect(changed?.status).toBe("mismatch");
  });

  it("reports 'no published checksum' for a file it knows nothing about, instead of failing", async () => {
    const path = join(dir, "copied-by-hand.gguf");
    await writeFile(path, randomBytes(100));
    const [result] = await store().verify(path);
    expect(result).toMatchObject({ status: "unverified", checksumFrom: null });
    expect(result?.message).toMatch(/no published checksum/);
  });

  it("verifies every pulled model when given no target, and reports a missing one", async () => {
    await pull("published");
    await pull("unpublished");
    await rm(join(dir, "unpublished.bin"));
    const results = await store().verify();
    expect(results.map((r) => [r.id ?? r.file, r.status])).toEqual([
      ["published", "ok"],
      ["unpublished.bin", "missing"],
    ]);
  });

  it("removes a model, its partial download and its manifest record", async () => {
    await pull("published");
    await writeFile(join(dir, "published.bin.part"), "x");
    const removed = await store().remove("published");
    expect(removed).toEqual([join(dir, "published.bin"), join(dir, "published.bin.part")]);
    expect(existsSync(join(dir, "published.bin"))).toBe(false);
    const manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), "utf8")) as { files: object };
    expect(manifest.files).toEqual({});
    expect(await store().remove("published")).toEqual([]);
  });

  it("ignores a damaged manifest instead of failing", async () => {
    await pull("published");
    await writeFile(join(dir, MANIFEST_FILE), "{ not json");
    const [result] = await store().verify("published");
    expect(result?.status).toBe("ok");
  });
});
