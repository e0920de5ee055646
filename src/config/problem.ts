/** A path into the configuration, as zod reports it: `["devices", 2, "area"]`. */
export type ConfigPath = readonly (string | number)[];

/**
 * One thing wrong with a configuration file. Schema issues, YAML syntax errors and cross-reference
 * checks all become these, so they can be reported together, in file order, with line and column.
 */
export interface ConfigProblem {
  path: ConfigPath;
  message: string;
  /** Point at the key itself (unknown or invalid keys) instead of its value. Default "value". */
  at?: "key" | "value";
  /** A YAML syntax problem: the file could not be read as YAML at all, so there is no path. */
  syntax?: boolean;
  /** 1-based position in the file, filled in when the problem is located in the YAML source. */
  line?: number;
  column?: number;
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Formats a path the way people write it in JavaScript: `devices[2].area`,
 * `intents.lists["room names"]`; the empty path (the whole file) is `(top level)`.
 */
export function formatConfigPath(path: ConfigPath): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (PLAIN_KEY.test(seg)) out += out === "" ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out === "" ? "(top level)" : out;
}

/**
 * One line per problem: `devices[2].area: unknown area "Garaje" (line 14, column 11)`, or
 * `YAML syntax error: … (line 3, column 1)`.
 */
export function formatConfigProblem(problem: ConfigProblem): string {
  const where = problem.line === undefined ? "" : ` (line ${problem.line}, column ${problem.column ?? 1})`;
  const what = problem.syntax ? "YAML syntax error" : formatConfigPath(problem.path);
  return `${what}: ${problem.message}${where}`;
}
