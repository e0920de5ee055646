import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
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
  opts: { language: string; configDir: string; stateDir: string },
  problems: PackProblem[],
): PackFile[] {
  const files: PackFile[] = [];
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
          const file = readYamlFile(join(dir, f), problems);
          if (file) files.push(file);
        }
      }
    } else {
      const file = path.endsWith(".json") ? readJsonFile(path, problems) : readYamlFile(path, problems);
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
  return files;
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

function readYamlFile(path: string, problems: PackProblem[]): PackFile | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    problems.push({ file: path, message: `cannot be read (${(err as Error).message})` });
    return undefined;
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
  if (data === null || data === undefined) return { path, data: {}, line: () => undefined };
  if (typeof data !== "object" || Array.isArray(data)) {
    problems.push({ file: path, line: 1, message: "must be a mapping (language, intents, lists …)" });
    return undefined;
  }
  return { path, data: data as Record<string, unknown>, line: locator(doc, lines) };
}

function readJsonFile(path: string, problems: PackProblem[]): PackFile | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    problems.push({ file: path, message: `cannot be read (${(err as Error).message})` });
    return undefined;
  }
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
