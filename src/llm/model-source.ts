import { type CatalogEntry, MODEL_CATALOG } from "./catalog.js";

/** Where a model comes from and what it must look like when it arrives. */
export interface ModelSource {
  /** The URL fetched (redirects are followed). */
  readonly url: string;
  /** File name inside the models directory. */
  readonly file: string;
  /** Expected size in bytes, or null when unknown. */
  readonly sizeBytes: number | null;
  /** Expected lower-case hex SHA-256, or null when no checksum is published or given. */
  readonly sha256: string | null;
  /** The catalog entry this came from, when pulled by id (or by a URL that is a catalog URL). */
  readonly entry: CatalogEntry | null;
  /** Who vouches for `sha256`: the built-in catalog, the user (`--sha256`), or nobody. */
  readonly checksumFrom: "catalog" | "user" | null;
}

/** What the user may add to a pull on the command line. */
export interface ModelSourceOptions {
  /** Expected SHA-256 (hex) for a URL or `hf:` pull. */
  sha256?: string;
  /** Expected size in bytes for a URL or `hf:` pull. */
  sizeBytes?: number;
  /** File name to save as, instead of the URL's last path segment. */
  fileName?: string;
  /** Base URL that replaces `https://huggingface.co` (a mirror, like huggingface_hub's HF_ENDPOINT). */
  mirror?: string;
  catalog?: readonly CatalogEntry[];
}

/** A resolved source, or why the request cannot be served; bad input is an ordinary result. */
export type ResolvedModelSource = { ok: true; source: ModelSource } | { ok: false; reason: string };

const HF_BASE = "https://huggingface.co";
const SHA256_PATTERN = /^[0-9a-f]{64}$/;

/** Whether `name` is safe as a file name inside the models directory (no paths, no hidden files). */
export function isSafeFileName(name: string): boolean {
  return name.length > 0 && name.length <= 255 && !/[/\\\0]/.test(name) && !name.startsWith(".");
}

/**
 * `hf:owner/repo/path/in/repo` → `https://huggingface.co/owner/repo/resolve/main/path/in/repo`.
 * A revision may follow the repository name: `hf:owner/repo@<commit or branch>/file.gguf`.
 */
export function hfUriToUrl(uri: string, base: string = HF_BASE): string | null {
  if (!uri.startsWith("hf:")) return null;
  const parts = uri.slice(3).replace(/^\/+/, "").split("/");
  const [owner, repoAndRevision, ...path] = parts;
  if (owner === undefined || repoAndRevision === undefined || path.length === 0) return null;
  if ([owner, repoAndRevision, ...path].some((segment) => segment.length === 0)) return null;
  const at = repoAndRevision.indexOf("@");
  const repo = at === -1 ? repoAndRevision : repoAndRevision.slice(0, at);
  const revision = at === -1 ? "main" : repoAndRevision.slice(at + 1);
  if (repo.length === 0 || revision.length === 0) return null;
  const encoded = path.map((segment) => encodeURIComponent(segment)).join("/");
  return `${trimSlash(base)}/${owner}/${repo}/resolve/${encodeURIComponent(revision)}/${encoded}`;
}

/**
 * Resolves what `hearth models pull` was given — a catalog id, an `http(s)://` URL or an `hf:` URI —
 * into a URL, a file name and the checksum the result must match.
 */
export function resolveModelSource(spec: string, options: ModelSourceOptions = {}): ResolvedModelSource {
  const catalog = options.catalog ?? MODEL_CATALOG;
  const mirror = options.mirror === undefined || options.mirror === "" ? null : trimSlash(options.mirror);
  const userSha = options.sha256?.toLowerCase();
  if (userSha !== undefined && !SHA256_PATTERN.test(userSha)) {
    return { ok: false, reason: `--sha256 must be 64 hexadecimal digits, got '${options.sha256}'` };
  }
  if (
    options.sizeBytes !== undefined &&
    (!Number.isSafeInteger(options.sizeBytes) || options.sizeBytes < 0)
  ) {
    return { ok: false, reason: `--size must be a whole number of bytes, got '${options.sizeBytes}'` };
  }
  if (options.fileName !== undefined && !isSafeFileName(options.fileName)) {
    return { ok: false, reason: `--name must be a plain file name (no '/' and not starting with '.')` };
  }

  const entry = catalog.find((candidate) => candidate.id === spec || candidate.url === spec);
  if (entry !== undefined) {
    if (userSha !== undefined && entry.sha256 !== null && userSha !== entry.sha256) {
      return {
        ok: false,
        reason: `--sha256 ${userSha} contradicts the catalog's checksum for ${entry.id} (${entry.sha256})`,
      };
    }
    const sha256 = entry.sha256 ?? userSha ?? null;
    return {
      ok: true,
      source: {
        url: mirror === null ? entry.url : entry.url.replace(HF_BASE, mirror),
        file: options.fileName ?? entry.file,
        sizeBytes: entry.sizeBytes ?? options.sizeBytes ?? null,
        sha256,
        entry,
        checksumFrom: entry.sha256 !== null ? "catalog" : userSha !== undefined ? "user" : null,
      },
    };
  }

  let url: string;
  if (spec.startsWith("hf:")) {
    const resolved = hfUriToUrl(spec, mirror ?? HF_BASE);
    if (resolved === null) {
      return { ok: false, reason: `'${spec}' is not a valid hf: URI; expected hf:owner/repo/path/to/file` };
    }
    url = resolved;
  } else if (/^https?:\/\//i.test(spec)) {
    url = spec;
  } else {
    return {
      ok: false,
      reason:
        `'${spec}' is not a model id in the catalog, a URL or an hf: URI ` +
        "(see `hearth models list`, or give https://… or hf:owner/repo/file.gguf)",
    };
  }

  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: `'${spec}' is not a valid URL` };
  }
  let file = options.fileName;
  if (file === undefined) {
    const last = parsed.pathname.split("/").pop() ?? "";
    try {
      file = decodeURIComponent(last);
    } catch {
      file = last;
    }
  }
  if (!isSafeFileName(file)) {
    return { ok: false, reason: `cannot derive a file name from '${spec}'; give one with --name` };
  }
  return {
    ok: true,
    source: {
      url: parsed.toString(),
      file,
      sizeBytes: options.sizeBytes ?? null,
      sha256: userSha ?? null,
      entry: null,
      checksumFrom: userSha === undefined ? null : "user",
    },
  };
}

function trimSlash(base: string): string {
  return base.replace(/\/+$/, "");
}
