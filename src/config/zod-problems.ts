import { z } from "zod";
import type { ConfigPath, ConfigProblem } from "./problem.js";

type Issue = z.core.$ZodIssue;

/**
 * Turns zod issues into problems people can act on: one problem per unknown key (pointing at the
 * key, listing the keys that are allowed there), "required" for missing keys, and for unions (a
 * slot list is `values`, `range` or `wildcard`) the issues of the alternative the user evidently
 * meant instead of zod's bare "Invalid input".
 */
export function problemsFromZod(issues: readonly Issue[], data: unknown, schema: z.ZodType): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  for (const issue of issues) convert(issue, [], data, schema, out);
  return out;
}

function convert(issue: Issue, prefix: ConfigPath, data: unknown, schema: z.ZodType, out: ConfigProblem[]) {
  const path: ConfigPath = [...prefix, ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))];
  switch (issue.code) {
    case "unrecognized_keys": {
      const known = knownKeys(schema, path);
      const hint = known.length > 0 ? ` (allowed here: ${known.join(", ")})` : "";
      for (const key of issue.keys)
        out.push({ path: [...path, key], message: `unknown key${hint}`, at: "key" });
      return;
    }
    case "invalid_key": {
      const why = issue.issues.map((i) => tidy(i.message)).join("; ");
      out.push({ path, message: `invalid key: ${why}`, at: "key" });
      return;
    }
    case "invalid_union": {
      convertUnion(issue, path, data, schema, out);
      return;
    }
    case "invalid_type": {
      if (isMissing(data, path)) {
        out.push({ path, message: `missing required key (expected ${issue.expected})` });
        return;
      }
      out.push({ path, message: tidy(issue.message) });
      return;
    }
    default:
      out.push({ path, message: tidy(issue.message) });
  }
}

function convertUnion(
  issue: Extract<Issue, { code: "invalid_union" }>,
  path: ConfigPath,
  data: unknown,
  schema: z.ZodType,
  out: ConfigProblem[],
) {
  const branches = issue.errors;
  // A branch that failed on the value's very type (a string where an object was wanted) is not
  // what the user meant whenever another branch got further.
  const wrongType = (b: readonly Issue[]) =>
    b.length > 0 &&
    b.every((i) => i.path.length === 0 && (i.code === "invalid_type" || i.code === "invalid_value"));
  const plausible = branches.filter((b) => !wrongType(b));
  if (plausible.length === 0) {
    const expected = [
      ...new Set(
        branches
          .flat()
          .map((i) => (i.code === "invalid_type" ? i.expected : tidy(i.message).replace(/^expected /, ""))),
      ),
    ];
    out.push({
      path,
      message: isMissing(data, path)
        ? `missing required key (expected ${orList(expected)})`
        : `expected ${orList(expected)}, got ${describe(valueAt(data, path))}`,
    });
    return;
  }
  const weight = (b: readonly Issue[]) =>
    b.reduce((n, i) => n + (i.code === "unrecognized_keys" ? i.keys.length : 1), 0);
  const best = Math.min(...plausible.map(weight));
  const tied = plausible.filter((b) => weight(b) === best);
  const [first, ...others] = tied;
  if (!first) return;
  if (others.length === 0) {
    for (const sub of first) convert(sub, path, data, schema, out);
    return;
  }
  // Several alternatives fit equally badly: report what they agree on (typically an unknown key,
  // whose hint then lists the keys of every alternative), else say that none fits.
  const sig = (i: Issue) => JSON.stringify([i.code, i.path, "keys" in i ? i.keys : i.message]);
  const common = first.filter((i) => others.every((b) => b.some((j) => sig(j) === sig(i))));
  if (common.length > 0) for (const sub of common) convert(sub, path, data, schema, out);
  else out.push({ path, message: "does not match any of the allowed forms" });
}

/** Keys the schema allows on the object at `path` (all alternatives of a union together). */
function knownKeys(schema: z.ZodType, path: ConfigPath): string[] {
  const keys = new Set<string>();
  const walk = (s: z.ZodType, rest: ConfigPath): void => {
    if (s instanceof z.ZodDefault || s instanceof z.ZodPrefault || s instanceof z.ZodOptional) {
      walk(s.unwrap() as z.ZodType, rest);
    } else if (s instanceof z.ZodUnion) {
      for (const o of s.options) walk(o as z.ZodType, rest);
    } else if (s instanceof z.ZodObject) {
      const [head, ...tail] = rest;
      if (head === undefined) for (const k of Object.keys(s.shape)) keys.add(k);
      else if (typeof head === "string" && s.shape[head]) walk(s.shape[head] as z.ZodType, tail);
    } else if (s instanceof z.ZodArray && typeof rest[0] === "number") {
      walk(s.element as z.ZodType, rest.slice(1));
    } else if (s instanceof z.ZodRecord && rest.length > 0) {
      walk(s.valueType as z.ZodType, rest.slice(1));
    }
  };
  walk(schema, path);
  return [...keys];
}

function valueAt(data: unknown, path: ConfigPath): unknown {
  let v = data;
  for (const seg of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

/** True when the key at the end of `path` is absent from an object that does exist. */
function isMissing(data: unknown, path: ConfigPath): boolean {
  const key = path.at(-1);
  if (key === undefined) return false;
  const parent = valueAt(data, path.slice(0, -1));
  return parent !== null && typeof parent === "object" && !Array.isArray(parent) && !(String(key) in parent);
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return "a list";
  if (v === null || v === undefined) return "nothing";
  if (typeof v === "object") return "a mapping";
  return `${typeof v} ${JSON.stringify(v)}`;
}

function orList(items: string[]): string {
  return items.length <= 1
    ? (items[0] ?? "something else")
    : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}

/** zod's messages start with a heading ("Invalid input: ", "Too small: ") the path makes redundant. */
function tidy(message: string): string {
  return message.replace(/^(Invalid \w+|Too small|Too big): /, "");
}
