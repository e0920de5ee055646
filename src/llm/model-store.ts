import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import { type CatalogEntry, MODEL_CATALOG, type ModelKind } from "./catalog.js";
import {
  type DownloadControls,
  ModelDownloader,
  type ModelDownloaderOptions,
  partialFiles,
  sha256File,
} from "./model-download.js";
import type { ModelSource } from "./model-source.js";

/**
 * Who vouches for a file's checksum: the built-in catalog, the user (`--sha256` at pull time), the
 * download itself (no checksum was published, so the digest computed when it arrived is recorded and
 * later `verify` runs detect corruption), or nobody (a file Hearth did not download).
 */
export type ChecksumOrigin = "catalog" | "user" | "download" | null;

/** What Hearth remembers about a pulled file, in `<dir>/.hearth-models.json`. */
export interface ManifestRecord {
  url: string;
  sizeBytes: number;
  sha256: string;
  checksumFrom: Exclude<ChecksumOrigin, null>;
  catalogId: string | null;
  pulledAt: string;
}

interface Manifest {
  version: 1;
  files: Record<string, ManifestRecord>;
}

/** The manifest's file name; starts with '.' so no model file name can collide with it. */
export const MANIFEST_FILE = ".hearth-models.json";

/** Outcome of {@link ModelStore.pull}. */
export interface PullResult {
  /** "downloaded", or "present" when a matching file was already there (nothing fetched). */
  status: "downloaded" | "present";
  path: string;
  sizeBytes: number;
  sha256: string;
  checksumFrom: ChecksumOrigin;
  /** Bytes reused from an earlier interrupted pull. */
  resumedFrom: number;
}

/** Outcome of checking one file. */
export interface VerifyResult {
  /** Catalog id, when the file is a catalog model. */
  id: string | null;
  file: string;
  path: string;
  /**
   * ok: matches its published (or recorded) checksum; mismatch: it does not, or has the wrong size;
   * missing: not there; unverified: there is no checksum to compare with ("no published checksum").
   */
  status: "ok" | "mismatch" | "missing" | "unverified";
  checksumFrom: ChecksumOrigin;
  sizeBytes: number | null;
  expectedSizeBytes: number | null;
  sha256: string | null;
  expectedSha256: string | null;
  /** One sentence for people. */
  message: string;
}

/** One row of `hearth models list`. */
export interface ListedModel {
  id: string | null;
  kind: ModelKind | null;
  title: string;
  file: string;
  path: string;
  /** Expected size, or the size on disk for files outside the catalog. */
  sizeBytes: number | null;
  ramBytes: number | null;
  licence: string | null;
  /** Whether a checksum is published for it (catalog) or was given/recorded at pull time. */
  checksum: "published" | "unverified" | "user" | "recorded";
  /** installed: present with the expected size; partial: a `.part` exists; wrong-size: present but not whole. */
  state: "installed" | "partial" | "wrong-size" | "absent";
  /** Bytes in the `.part` file when partial. */
  partialBytes: number | null;
}

/** Collaborators for {@link ModelStore}; download tuning is passed through to {@link ModelDownloader}. */
export interface ModelStoreOptions extends Omit<ModelDownloaderOptions, "logger" | "clock"> {
  /** The models directory. */
  dir: string;
  logger: Logger;
  clock: Clock;
  catalog?: readonly CatalogEntry[];
  /** Environment for HF_TOKEN (sent to huggingface.co only). Default: process.env. */
  env?: Record<string, string | undefined>;
}

/**
 * The models directory: pulls (download, verify, atomic move), re-verification, removal and listing.
 * Used by the `hearth models` commands only; the daemon never downloads anything.
 */
export class ModelStore {
  readonly #options: ModelStoreOptions;
  readonly #log: Logger;

  constructor(options: ModelStoreOptions) {
    this.#options = options;
    this.#log = options.logger;
  }

  /** Absolute path of the models directory. */
  get dir(): string {
    return resolve(this.#options.dir);
  }

  get #catalog(): readonly CatalogEntry[] {
    return this.#options.catalog ?? MODEL_CATALOG;
  }

  /**
   * Makes `source.file` present and verified in the models directory. A file already there that
   * matches is kept (`force` downloads it again); one that does not match is replaced atomically.
   */
  async pull(
    source: ModelSource,
    controls: DownloadControls & { force?: boolean } = {},
  ): Promise<PullResult> {
    await mkdir(this.dir, { recursive: true });
    const path = join(this.dir, source.file);
    const manifest = await this.#readManifest();

    const record = manifest.files[source.file];
    // The same file name pulled from a different URL without a checksum is not "the same model".
    const otherOrigin = source.sha256 === null && record !== undefined && record.url !== source.url;
    if (controls.force !== true && !otherOrigin && (await exists(path))) {
      const check = await this.#check(path, source.entry?.id ?? null, expectationsOf(source, manifest));
      if (check.status === "ok" || check.status === "unverified") {
        this.#log.info({ path, status: check.status }, "model already present");
        return {
          status: "present",
          path,
          sizeBytes: check.sizeBytes ?? 0,
          sha256: check.sha256 ?? "",
          checksumFrom: check.checksumFrom,
          resumedFrom: 0,
        };
      }
      this.#log.warn({ path, message: check.message }, "present model does not match, downloading again");
    }

    const downloader = new ModelDownloader({
      ...this.#options,
      logger: this.#log,
      clock: this.#options.clock,
    });
    const started = this.#options.clock.monotonic();
    const result = await downloader.download(
      {
        url: source.url,
        destination: path,
        expectedSize: source.sizeBytes,
        expectedSha256: source.sha256,
        headers: this.#authHeaders(source.url),
      },
      controls,
    );
    const checksumFrom: Exclude<ChecksumOrigin, null> = source.checksumFrom ?? "download";
    await this.#updateManifest((files) => {
      files[source.file] = {
        url: source.url,
        sizeBytes: result.sizeBytes,
        sha256: result.sha256,
        checksumFrom,
        catalogId: source.entry?.id ?? null,
        pulledAt: this.#options.clock.now().toISOString(),
      };
    });
    this.#log.info(
      {
        path,
        bytes: result.sizeBytes,
        sha256: result.sha256,
        checksumFrom,
        resumedFrom: result.resumedFrom,
        ms: Math.round(this.#options.clock.monotonic() - started),
      },
      "model pulled",
    );
    return {
      status: "downloaded",
      path,
      sizeBytes: result.sizeBytes,
      sha256: result.sha256,
      checksumFrom,
      resumedFrom: result.resumedFrom,
    };
  }

  /**
   * Rechecks size and SHA-256. With a target (catalog id, file name in the models directory or a
   * path) checks that one; without, every catalog model present and every file pulled before.
   */
  async verify(target?: string): Promise<VerifyResult[]> {
    const manifest = await this.#readManifest();
    if (target !== undefined) {
      const { path, entry } = this.#locate(target);
      return [await this.#check(path, entry?.id ?? null, this.#expectationsFor(path, entry, manifest))];
    }
    const results: VerifyResult[] = [];
    const seen = new Set<string>();
    for (const entry of this.#catalog) {
      const path = join(this.dir, entry.file);
      if (!(await exists(path))) continue;
      seen.add(entry.file);
      results.push(await this.#check(path, entry.id, this.#expectationsFor(path, entry, manifest)));
    }
    for (const file of Object.keys(manifest.files).sort()) {
      if (seen.has(file)) continue;
      const path = join(this.dir, file);
      results.push(await this.#check(path, null, this.#expectationsFor(path, undefined, manifest)));
    }
    return results;
  }

  /** Deletes a model (and any `.part` of it) and forgets it. Returns the paths actually removed. */
  async remove(target: string): Promise<string[]> {
    const { path } = this.#locate(target);
    const removed: string[] = [];
    const { part, resumeState } = partialFiles(path);
    for (const candidate of [path, part, resumeState]) {
      if (await exists(candidate)) {
        await rm(candidate, { force: true });
        removed.push(candidate);
      }
    }
    if (dirname(path) === this.dir) {
      const file = basename(path);
      const manifest = await this.#readManifest();
      if (manifest.files[file] !== undefined) {
        await this.#updateManifest((files) => {
          delete files[file];
        });
      }
    }
    if (removed.length > 0) this.#log.info({ removed }, "model removed");
    return removed;
  }

  /** Catalog models with their state here, then files pulled from elsewhere. Sizes only: no hashing. */
  async list(): Promise<ListedModel[]> {
    const manifest = await this.#readManifest();
    const rows: ListedModel[] = [];
    for (const entry of this.#catalog) {
      const path = join(this.dir, entry.file);
      const record = manifest.files[entry.file];
      rows.push({
        id: entry.id,
        kind: entry.kind,
        title: entry.title,
        file: entry.file,
        path,
        sizeBytes: entry.sizeBytes,
        ramBytes: entry.ramBytes,
        licence: entry.licence,
        checksum:
          entry.sha256 !== null ? "published" : record?.checksumFrom === "user" ? "user" : "unverified",
        ...(await stateOf(path, entry.sizeBytes ?? record?.sizeBytes ?? null)),
      });
    }
    const catalogFiles = new Set(this.#catalog.map((entry) => entry.file));
    for (const [file, record] of Object.entries(manifest.files).sort(([a], [b]) => a.localeCompare(b))) {
      if (catalogFiles.has(file)) continue;
      const path = join(this.dir, file);
      rows.push({
        id: record.catalogId,
        kind: file.toLowerCase().endsWith(".gguf") ? "llm" : null,
        title: file,
        file,
        path,
        sizeBytes: record.sizeBytes,
        ramBytes: null,
        licence: null,
        checksum: record.checksumFrom === "user" ? "user" : "recorded",
        ...(await stateOf(path, record.sizeBytes)),
      });
    }
    return rows;
  }

  /** Path of a model given as catalog id, file name in the models directory, or path. */
  #locate(target: string): { path: string; entry: CatalogEntry | undefined } {
    const byId = this.#catalog.find((entry) => entry.id === target);
    if (byId !== undefined) return { path: join(this.dir, byId.file), entry: byId };
    const path =
      isAbsolute(target) || target.includes("/") || target.includes("\\")
        ? resolve(target)
        : join(this.dir, target);
    const entry =
      dirname(path) === this.dir
        ? this.#catalog.find((candidate) => candidate.file === basename(path))
        : undefined;
    return { path, entry };
  }

  #expectationsFor(path: string, entry: CatalogEntry | undefined, manifest: Manifest): Expectations {
    const record = dirname(path) === this.dir ? manifest.files[basename(path)] : undefined;
    if (entry?.sha256 != null) {
      return { sizeBytes: entry.sizeBytes, sha256: entry.sha256, checksumFrom: "catalog" };
    }
    if (record !== undefined) {
      return { sizeBytes: record.sizeBytes, sha256: record.sha256, checksumFrom: record.checksumFrom };
    }
    return { sizeBytes: entry?.sizeBytes ?? null, sha256: null, checksumFrom: null };
  }

  async #check(path: string, id: string | null, expected: Expectations): Promise<VerifyResult> {
    const base = {
      id,
      file: basename(path),
      path,
      checksumFrom: expected.checksumFrom,
      expectedSizeBytes: expected.sizeBytes,
      expectedSha256: expected.sha256,
    };
    let size: number;
    try {
      const info = await stat(path);
      if (!info.isFile()) throw Object.assign(new Error("not a file"), { code: "ENOENT" });
      size = info.size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
      return { ...base, status: "missing", sizeBytes: null, sha256: null, message: "not downloaded" };
    }
    if (expected.sizeBytes !== null && size !== expected.sizeBytes) {
      return {
        ...base,
        status: "mismatch",
        sizeBytes: size,
        sha256: null,
        message: `size is ${size} bytes, expected ${expected.sizeBytes}`,
      };
    }
    const sha256 = await sha256File(path);
    if (expected.sha256 === null) {
      return {
        ...base,
        status: "unverified",
        sizeBytes: size,
        sha256,
        message: "no published checksum; nothing to compare with",
      };
    }
    if (sha256 !== expected.sha256) {
      return {
        ...base,
        status: "mismatch",
        sizeBytes: size,
        sha256,
        message: `sha256 is ${sha256}, expected ${expected.sha256}`,
      };
    }
    const message =
      expected.checksumFrom === "download"
        ? "no published checksum; matches the sha256 recorded when it was pulled"
        : expected.checksumFrom === "user"
          ? "matches the sha256 given when it was pulled"
          : "matches the published sha256";
    return { ...base, status: "ok", sizeBytes: size, sha256, message };
  }

  #authHeaders(url: string): Record<string, string> {
    const token = (this.#options.env ?? process.env).HF_TOKEN;
    // The token goes to huggingface.co only; fetch drops it on the cross-origin redirect to the CDN.
    if (token === undefined || token === "" || new URL(url).hostname !== "huggingface.co") return {};
    return { authorization: `Bearer ${token}` };
  }

  async #readManifest(): Promise<Manifest> {
    let text: string;
    try {
      text = await readFile(join(this.dir, MANIFEST_FILE), "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return { version: 1, files: {} };
      throw err;
    }
    try {
      const parsed = JSON.parse(text) as Partial<Manifest>;
      return { version: 1, files: parsed.files ?? {} };
    } catch (err) {
      // A damaged manifest loses only "recorded" checksums; catalog checksums are built in.
      this.#log.warn({ err, path: join(this.dir, MANIFEST_FILE) }, "models manifest unreadable, ignoring it");
      return { version: 1, files: {} };
    }
  }

  async #updateManifest(change: (files: Record<string, ManifestRecord>) => void): Promise<void> {
    const manifest = await this.#readManifest();
    change(manifest.files);
    const path = join(this.dir, MANIFEST_FILE);
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(manifest, null, 2)}\n`);
    await rename(temporary, path);
  }
}

interface Expectations {
  sizeBytes: number | null;
  sha256: string | null;
  checksumFrom: ChecksumOrigin;
}

function expectationsOf(source: ModelSource, manifest: Manifest): Expectations {
  if (source.sha256 !== null) {
    return { sizeBytes: source.sizeBytes, sha256: source.sha256, checksumFrom: source.checksumFrom };
  }
  const record = manifest.files[source.file];
  if (record !== undefined && record.url === source.url) {
    return { sizeBytes: record.sizeBytes, sha256: record.sha256, checksumFrom: record.checksumFrom };
  }
  return { sizeBytes: source.sizeBytes, sha256: null, checksumFrom: null };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function stateOf(
  path: string,
  expectedSize: number | null,
): Promise<Pick<ListedModel, "state" | "partialBytes">> {
  try {
    const size = (await stat(path)).size;
    return {
      state: expectedSize === null || size === expectedSize ? "installed" : "wrong-size",
      partialBytes: null,
    };
  } catch {
    // While a download is unfinished the library keeps it in the resume-state file; a complete but
    // not yet verified one is the `.part`.
    const { part, resumeState } = partialFiles(path);
    for (const candidate of [resumeState, part]) {
      try {
        return { state: "partial", partialBytes: (await stat(candidate)).size };
      } catch {}
    }
    return { state: "absent", partialBytes: null };
  }
}
