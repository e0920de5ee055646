import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import type { ConfigPath, ConfigProblem } from "./problem.js";

/** A parsed YAML file that can point back at the line and column of any path in it. */
export interface YamlSource {
  /** The plain JavaScript value; `undefined` when the file is empty or only comments. */
  data: unknown;
  /** Syntax errors and warnings (unknown tags, duplicate keys …), already located. */
  problems: ConfigProblem[];
  /**
   * The 1-based position of the value (or key) at `path`. When the path does not exist in the file
   * (a missing required key), the position of the nearest enclosing node that does.
   */
  locate(path: ConfigPath, at?: "key" | "value"): { line: number; column: number } | undefined;
}

/**
 * Parses YAML with the `yaml` package's document API rather than `parse()`, because only the
 * document keeps source ranges: every problem, including schema errors found later on the plain
 * value, can then be reported with its line and column.
 */
export function parseYamlSource(text: string): YamlSource {
  const lineCounter = new LineCounter();
  // YAML 1.2 core schema ("on"/"yes" stay strings); merge keys (<<) because people copy them from
  // Home Assistant configs.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, merge: true, uniqueKeys: true });
  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const problems: ConfigProblem[] = [...doc.errors, ...doc.warnings].map((e) => ({
    path: [],
    message: e.message,
    syntax: true,
    ...position(e.pos[0]),
  }));

  let data: unknown;
  if (doc.errors.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: 1000 });
    } catch (err) {
      // Only an alias explosion ("billion laughs") or a broken alias gets here.
      problems.push({ path: [], message: (err as Error).message, syntax: true, line: 1, column: 1 });
    }
  }

  const deref = (node: unknown): unknown => (isAlias(node) ? node.resolve(doc) : node);

  const findPair = (map: unknown, key: string | number, depth = 0): ReturnType<typeof pairOf> => {
    const m = deref(map);
    if (!isMap(m) || depth > 10) return undefined;
    for (const pair of m.items) {
      const k = isScalar(pair.key) ? pair.key.value : pair.key;
      if (k !== null && typeof k !== "object" && String(k) === String(key)) return pairOf(pair);
    }
    // A key brought in by a merge (<<: *anchor) lives in the anchored map.
    for (const pair of m.items) {
      if (isScalar(pair.key) && pair.key.value === "<<") {
        const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
        for (const source of sources) {
          const found = findPair(source, key, depth + 1);
          if (found) return found;
        }
      }
    }
    return undefined;
  };

  const startOf = (node: unknown) => {
    const n = node as Node | null | undefined;
    return n && typeof n === "object" && "range" in n && n.range ? position(n.range[0]) : undefined;
  };

  const locate: YamlSource["locate"] = (path, at = "value") => {
    let node: unknown = doc.contents;
    let best = startOf(node) ?? { line: 1, column: 1 };
    for (const [i, seg] of path.entries()) {
      const last = i === path.length - 1;
      const current = deref(node);
      if (isMap(current)) {
        const pair = findPair(current, seg);
        if (!pair) break;
        if (last && at === "key") return startOf(pair.key) ?? best;
        // `key:` with nothing after it has no (or an empty) value node; point at the key instead.
        const empty = isScalar(pair.value) && pair.value.value === null && pair.value.source === "";
        const valuePos = empty ? undefined : startOf(pair.value);
        if (!valuePos) return startOf(pair.key) ?? best;
        best = valuePos;
        node = pair.value;
      } else if (isSeq(current) && typeof seg === "number") {
        const item = current.items[seg];
        const itemPos = startOf(item);
        if (!itemPos) break;
        best = itemPos;
        node = item;
      } else {
        break;
      }
    }
    return best;
  };

  return { data, problems, locate };
}

function pairOf(pair: unknown): { key: unknown; value: unknown } | undefined {
  return isPair(pair) ? { key: pair.key, value: pair.value } : undefined;
}
