import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { basename, join, resolve } from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { HearthError } from "../../core/errors.js";

/**
 * Home Assistant's language packs (the home-assistant/intents data, CC BY 4.0, © the Home
 * Assistant / Open Home Foundation contributors) read as they are published: a folder in the
 * repository's layout (`sentences/<lang>/*.yaml`, `responses/<lang>/*.yaml`) or one language merged
 * into a JSON file (the `home-assistant-intents` package's form). Every problem names its file and
 * line.
 */

/** One data block of an intent: sentences and what a match of them means. */
export interface PackBlock {
  sentences: string[];
  slots: Record<string, unknown>;
  requires_context?: Record<string, unknown>;
  excludes_context?: Record<string, unknown>;
  expansion_rules: Record<string, string>;
  response?: string;
  metadata?: Record<string, unknown>;
}

/** Where a value was found, for messages. */
export interface Where {
  file: string;
  line?: number | undefined;
}

/** A loaded pack file: its data and a way to find the line of any value in it. */
export interface PackFile {
  path: string;
  data: Record<string, unknown>;
  /** The 1-based line of the value at `path` (keys and indices from the top), when known. */
  line(path: ReadonlyArray<string | number>): number | undefined;
}

/** A problem in a pack, reported like a config error: file, line, message. */
export interface PackProblem extends Where {
  message: string;
}

export function formatProblem(p: PackProblem): string {
  return `${p.file}${p.line !== undefined ? `:${p.line}` : ""}: ${p.message}`;
}

/** Thrown with every problem of every pack at once. */
export function packError(problems: readonly PackProblem[]): HearthError {
  return new HearthError(
    "SENTENCES_INVALID",
    `the language packs are invalid (${problems.length} problem${problems.length === 1 ? "" : "s"})`,
    { details: problems.map(formatProblem) },
  );
}

/** The file `intents.packs: [pulled]` means: what `hearth language pull <lang>` writes. */
export function pulledPackPath(stateDir: string, language: string): string {
  return join(stateDir, "languages", language, `${language}.json`);
}

/**
 * The files of the packs named in the config, for one language. `pulled` is the language pulled
 * into `stateDir` (the caller's `resolveStateDir`, the one rule for where state lives:
 * $STATE_DIRECTORY under systemd); other entries are folders or `.json` files relative to `configDir`.
 */
export function readPacks(
  packs: readonly string[],
  opts: { language: string; configDir: string; stateDir: string; log?: PackCacheLog | undefined },
  problems: PackProblem[],
): PackFile[] {
  const files: PackFile[] = [];
  const cache = new YamlCache(join(opts.stateDir, "cache", "packs", opts.language), opts.log);
  for (const entry of packs) {
    const path =
      entry === "pulled" ? pulledPackPath(opts.stateDir, opts.language) : resolve(opts.configDir, entry);
    if (!existsSync(path)) {
      problems.push({
        file: path,
        message:
          entry === "pulled"
            ? `no pulled language "${opts.language}" (run: hearth language pull ${opts.language})`
            : "no such file or folder",
      });
      continue;
    }
    if (statSync(path).isDirectory()) {
      const sentences = join(path, "sentences", opts.language);
      if (!existsSync(sentences)) {
        const have = existsSync(join(path, "sentences")) ? readdirSync(join(path, "sentences")).sort() : [];
        problems.push({
          file: path,
          message: `no sentences for language "${opts.language}" (${have.length > 0 ? `it has: ${have.join(", ")}` : "no sentences/ folder"})`,
        });
        continue;
      }
      for (const dir of [sentences, join(path, "responses", opts.language)]) {
        if (!existsSync(dir)) continue;
        for (const f of readdirSync(dir)
          .filter((n) => n.endsWith(".yaml") || n.endsWith(".yml"))
          .sort()) {
          const file = readYamlFile(join(dir, f), problems, cache);
          if (file) files.push(file);
        }
      }
    } else {
      const file = path.endsWith(".json")
        ? readJsonFile(path, problems)
        : readYamlFile(path, problems, cache);
      if (!file) continue;
      const lang = file.data.language;
      if (typeof lang === "string" && lang !== opts.language) {
        problems.push({
          file: path,
          line: file.line(["language"]),
          message: `is for language "${lang}", not "${opts.language}"`,
        });
        continue;
      }
      files.push(file);
    }
  }
  cache.prune();
  return files;
}

/** Where the pack cache tells what it could not use (the daemon's logger at warn). */
export type PackCacheLog = (fields: Record<string, unknown>, message: string) => void;

/**
 * Pack YAML files as parsed before, kept as JSON in the state directory under the SHA-256 of the
 * file's text: reading YAML is most of a language pack's start-up, JSON.parse a small part. A
 * changed file has another hash, so it is parsed again; a cache file that cannot be read back is
 * ignored (with a log line) and written anew; one no loaded file needs any more is removed.
 * Only files that parsed without a problem are kept.
 */
/** A JSON.stringify replacer that refuses what would not read back the same. */
function plainJson(this: unknown, key: string, value: unknown): unknown {
  const original = (this as Record<string, unknown>)[key];
  if (original === null || typeof original === "string" || typeof original === "boolean") return value;
  if (typeof original === "number") {
    if (Number.isFinite(original)) return value;
  } else if (Array.isArray(original)) return value;
  else if (typeof original === "object") {
    const proto = Object.getPrototypeOf(original);
    if (proto === Object.prototype || proto === null) return value;
  }
  throw new Error(`not plain JSON at "${key}"`);
}

class YamlCache {
  readonly #used = new Set<string>();
  #writable = true;

  constructor(
    readonly dir: string,
    readonly log: PackCacheLog | undefined,
  ) {}

  /** The file's data parsed earlier, when the cache holds it intact. */
  get(text: string, source: string): { key: string; data: Record<string, unknown> | undefined } {
    const key = createHash("sha256").update(text).digest("hex");
    this.#used.add(key);
    const path = join(this.dir, `${key}.json`);
    let raw: string;
    try {
      raw = readFileSync(path, "utf8");
    } catch {
      return { key, data: undefined };
    }
    try {
      const data = JSON.parse(raw) as unknown;
      if (typeof data === "object" && data !== null && !Array.isArray(data))
        return { key, data: data as Record<string, unknown> };
    } catch {
      // Reported below like any other unreadable entry.
    }
    this.log?.({ file: path, source }, "ignoring a damaged language pack cache file; reading the YAML again");
    return { key, data: undefined };
  }

  put(key: string, data: Record<string, unknown>): void {
    if (!this.#writable) return;
    const path = join(this.dir, `${key}.json`);
    // Written beside and renamed: a start that is cut short leaves no half-written entry.
    const partial = `${path}.${process.pid}.partial`;
    let json: string;
    try {
      json = JSON.stringify(data, plainJson);
    } catch {
      // Something JSON would not give back as it is (an infinite number, a binary): not kept.
      return;
    }
    try {
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(partial, json);
      renameSync(partial, path);
    } catch (err) {
      // A read-only state directory costs the speed-up, nothing else; said once per load.
      this.#writable = false;
      this.log?.({ dir: this.dir, err }, "cannot write the language pack cache; packs are read from YAML");
    }
  }

  /** Removes entries no file of this load used (packs updated since, partial writes). */
  prune(): void {
    if (!this.#writable || this.#used.size === 0) return;
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (this.#used.has(name.slice(0, -".json".length)) && name.endsWith(".json")) continue;
      try {
        unlinkSync(join(this.dir, name));
      } catch {
        // Another process may have removed it; nothing depends on it.
      }
    }
  }
}

function locator(doc: ReturnType<typeof parseDocument>, lines: LineCounter) {
  return (path: ReadonlyArray<string | number>): number | undefined => {
    const node = doc.getIn(path as Array<string | number>, true) as
      | { range?: [number, number, number] }
      | undefined;
    const at = node?.range?.[0];
    if (at !== undefined) return lines.linePos(at).line;
    // A key whose value is missing: the line of its parent.
    return path.length > 0 ? locator(doc, lines)(path.slice(0, -1)) : undefined;
  };
}

/** A pack file's text, or undefined with the reason among `problems`. */
function readPackText(path: string, problems: PackProblem[]): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    problems.push({ file: path, message: `cannot be read (${(err as Error).message})` });
    return undefined;
  }
}

function readYamlFile(path: string, problems: PackProblem[], cache: YamlCache): PackFile | undefined {
  const text = readPackText(path, problems);
  if (text === undefined) return undefined;
  const cached = cache.get(text, path);
  if (cached.data) {
    // Lines are only needed for a problem: the YAML is parsed for them then.
    let lookup: ((p: ReadonlyArray<string | number>) => number | undefined) | undefined;
    return {
      path,
      data: cached.data,
      line: (p) => {
        if (!lookup) {
          const lines = new LineCounter();
          lookup = locator(parseDocument(text, { lineCounter: lines, uniqueKeys: false }), lines);
        }
        return lookup(p);
      },
    };
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
  if (doc.errors.length > 0) {
    for (const e of doc.errors.slice(0, 1)) {
      problems.push({
        file: path,
        line: e.linePos?.[0]?.line,
        message: `is not valid YAML: ${e.message.split("\n")[0]}`,
      });
    }
    return undefined;
  }
  const data = doc.toJS() as unknown;
  if (data === null || data === undefined) {
    cache.put(cached.key, {});
    return { path, data: {}, line: () => undefined };
  }
  if (typeof data !== "object" || Array.isArray(data)) {
    problems.push({ file: path, line: 1, message: "must be a mapping (language, intents, lists …)" });
    return undefined;
  }
  cache.put(cached.key, data as Record<string, unknown>);
  return { path, data: data as Record<string, unknown>, line: locator(doc, lines) };
}

function readJsonFile(path: string, problems: PackProblem[]): PackFile | undefined {
  const text = readPackText(path, problems);
  if (text === undefined) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const m = /position (\d+)/.exec((err as Error).message);
    const line = m ? text.slice(0, Number(m[1])).split("\n").length : undefined;
    problems.push({ file: path, line, message: `is not valid JSON: ${(err as Error).message}` });
    return undefined;
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    problems.push({ file: path, line: 1, message: "must be an object (language, intents, lists …)" });
    return undefined;
  }
  // The merged files are large: positions are worked out only when a problem needs one.
  let lookup: ((p: ReadonlyArray<string | number>) => number | undefined) | undefined;
  return {
    path,
    data: data as Record<string, unknown>,
    line: (p) => {
      if (!lookup) {
        const lines = new LineCounter();
        lookup = locator(parseDocument(text, { lineCounter: lines }), lines);
      }
      return lookup(p);
    },
  };
}

/** A short name of a pack file for messages and attribution ("en/light_HassTurnOn.yaml"). */
export function shortName(path: string): string {
  return `${basename(join(path, ".."))}/${basename(path)}`;
}
