/**
 * A safe subset of Home Assistant's Jinja templates: the value and command templates that
 * zigbee2mqtt, Tasmota, ESPHome and most hand-written configs use. Anything outside the subset is
 * reported as unsupported and never executed.
 *
 * Supported: literal text with `{{ … }}` expressions (`{{- … -}}` trims whitespace), where an
 * expression is a variable (`value`, `value_json`, or one the caller provides such as `position`)
 * followed by attribute or item lookups (`.x`, `['x']`, `["x"]`, `[0]`) and any of the filters
 * `int`, `float`, `round`, `round(n)`, `lower`, `upper`. Results are rendered as Jinja renders them
 * in Python (`True`, `None`, `21.0` for a float).
 */

import { pyFloatText, pyRound } from "./python.js";

/** A Python float, kept apart from integers so it renders as `21.0` the way Home Assistant does. */
export class PyFloat {
  constructor(readonly n: number) {}
}

type Filter = { name: "int" | "float" | "lower" | "upper" } | { name: "round"; precision: number };
type Step = { key: string } | { index: number };
interface Expression {
  variable: string;
  path: Step[];
  filters: Filter[];
}
type Part = string | Expression;

/** A template that passed the safety check and can be rendered any number of times. */
export interface CompiledTemplate {
  readonly source: string;
  readonly parts: readonly Part[];
}

/** The template uses something outside the supported subset; it was not (and will not be) run. */
export interface Unsupported {
  unsupported: true;
  reason: string;
}

/** The rendered text; `undefined` when a lookup found nothing or a filter could not convert. */
export interface Rendered {
  value: string | undefined;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*/;
const compiledCache = new Map<string, CompiledTemplate | Unsupported>();
const CACHE_LIMIT = 500;

/** Checks and compiles a template; never throws. */
export function compileTemplate(source: string): CompiledTemplate | Unsupported {
  const cached = compiledCache.get(source);
  if (cached) return cached;
  const result = compile(source);
  // Discovery payloads can carry arbitrarily many templates; keep the cache bounded.
  if (compiledCache.size >= CACHE_LIMIT) compiledCache.clear();
  compiledCache.set(source, result);
  return result;
}

function compile(source: string): CompiledTemplate | Unsupported {
  if (typeof source !== "string") return { unsupported: true, reason: "template is not text" };
  if (source.includes("{%") || source.includes("{#")) {
    return { unsupported: true, reason: "statements and comments ({% %}, {# #}) are not supported" };
  }
  const parts: Part[] = [];
  let pos = 0;
  let trimNext = false;
  while (pos < source.length) {
    const open = source.indexOf("{{", pos);
    let text = open === -1 ? source.slice(pos) : source.slice(pos, open);
    if (trimNext) text = text.replace(/^\s+/, "");
    if (open === -1) {
      if (text) parts.push(text);
      break;
    }
    const close = source.indexOf("}}", open + 2);
    if (close === -1) return { unsupported: true, reason: "unclosed '{{'" };
    let inner = source.slice(open + 2, close);
    if (inner.startsWith("-")) {
      inner = inner.slice(1);
      text = text.replace(/\s+$/, "");
    }
    trimNext = inner.endsWith("-");
    if (trimNext) inner = inner.slice(0, -1);
    if (text) parts.push(text);
    const expression = parseExpression(inner);
    if ("unsupported" in expression) return expression;
    parts.push(expression);
    pos = close + 2;
  }
  return { source, parts };
}

function parseExpression(text: string): Expression | Unsupported {
  const unsupported = (what: string): Unsupported => ({
    unsupported: true,
    reason: `unsupported expression '${text.trim().slice(0, 80)}' (${what})`,
  });
  let rest = text.trim();
  const id = IDENTIFIER.exec(rest);
  if (!id) return unsupported("expected a variable");
  const variable = id[0];
  rest = rest.slice(variable.length);
  const path: Step[] = [];
  for (;;) {
    rest = rest.trimStart();
    if (rest.startsWith(".")) {
      const name = IDENTIFIER.exec(rest.slice(1));
      if (!name) return unsupported("expected a name after '.'");
      path.push({ key: name[0] });
      rest = rest.slice(1 + name[0].length);
      if (rest.trimStart().startsWith("(")) return unsupported("method calls");
      continue;
    }
    if (rest.startsWith("[")) {
      const item = /^\[\s*(?:'([^'\\]*)'|"([^"\\]*)"|(-?\d{1,9}))\s*\]/.exec(rest);
      if (!item) return unsupported("only ['key'], [\"key\"] and [number] lookups");
      if (item[3] !== undefined) path.push({ index: Number(item[3]) });
      else path.push({ key: item[1] ?? item[2] ?? "" });
      rest = rest.slice(item[0].length);
      continue;
    }
    break;
  }
  const filters: Filter[] = [];
  for (;;) {
    rest = rest.trimStart();
    if (rest.length === 0) break;
    if (!rest.startsWith("|")) return unsupported("operators");
    rest = rest.slice(1).trimStart();
    const name = IDENTIFIER.exec(rest);
    if (!name) return unsupported("expected a filter name");
    rest = rest.slice(name[0].length);
    const filter = name[0];
    if (filter === "int" || filter === "float" || filter === "lower" || filter === "upper") {
      if (rest.trimStart().startsWith("(")) return unsupported(`arguments to '${filter}'`);
      filters.push({ name: filter });
    } else if (filter === "round") {
      const args = /^\s*\(\s*(\d{0,2})\s*\)/.exec(rest);
      if (args) rest = rest.slice(args[0].length);
      else if (rest.trimStart().startsWith("(")) return unsupported("round takes one whole number");
      filters.push({ name: "round", precision: args?.[1] ? Number(args[1]) : 0 });
    } else {
      return unsupported(`filter '${filter}'`);
    }
  }
  return { variable, path, filters };
}

/** Something that is not there (Jinja's Undefined): renders empty, and filters fail on it. */
const UNDEFINED = Symbol("undefined");
type Value = unknown;

function lookup(value: Value, step: Step): Value {
  if (value === UNDEFINED || value === null || typeof value !== "object") return UNDEFINED;
  if ("index" in step) {
    if (!Array.isArray(value)) return UNDEFINED;
    const i = step.index < 0 ? value.length + step.index : step.index;
    return i >= 0 && i < value.length ? value[i] : UNDEFINED;
  }
  if (Array.isArray(value) || value instanceof PyFloat) return UNDEFINED;
  return Object.hasOwn(value, step.key) ? (value as Record<string, unknown>)[step.key] : UNDEFINED;
}

/** Python's int()/float() of a string: optional sign, digits, underscores between digits, surrounding space. */
function parseNumber(text: string, integer: boolean): number | undefined {
  const t = text.trim();
  const intPattern = /^[+-]?\d+(?:_\d+)*$/;
  if (integer) return intPattern.test(t) ? Number(t.replace(/_/g, "")) : undefined;
  if (/^[+-]?(?:inf|infinity)$/i.test(t)) return t.startsWith("-") ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(t)) return Number.NaN;
  if (!/^[+-]?(?:\d+(?:_\d+)*(?:\.(?:\d+(?:_\d+)*)?)?|\.\d+(?:_\d+)*)(?:[eE][+-]?\d+)?$/.test(t))
    return undefined;
  return Number(t.replace(/_/g, ""));
}

function toFloat(value: Value): number | undefined {
  if (value instanceof PyFloat) return value.n;
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "string") return parseNumber(value, false);
  return undefined;
}

function applyFilter(value: Value, filter: Filter): Value {
  if (value === UNDEFINED) return UNDEFINED;
  switch (filter.name) {
    case "int": {
      // Home Assistant's int filter tries int(), then int(float()); without a default a failure is an error.
      if (typeof value === "string") {
        const asInt = parseNumber(value, true);
        if (asInt !== undefined) return asInt;
      }
      const f = toFloat(value);
      return f === undefined || !Number.isFinite(f) ? UNDEFINED : Math.trunc(f);
    }
    case "float": {
      const f = toFloat(value);
      return f === undefined ? UNDEFINED : new PyFloat(f);
    }
    case "round": {
      const f = toFloat(value);
      if (f === undefined) return UNDEFINED;
      const rounded = pyRound(f, filter.precision);
      // Home Assistant's round returns an int for precision 0.
      return filter.precision === 0 && Number.isFinite(rounded) ? rounded : new PyFloat(rounded);
    }
    case "lower":
      return render(value).toLowerCase();
    case "upper":
      return render(value).toUpperCase();
  }
}

/** Renders a value the way Jinja prints Python objects (close enough for states and payloads). */
function render(value: Value): string {
  if (value === UNDEFINED) return "";
  if (value instanceof PyFloat) return pyFloatText(value.n);
  if (typeof value === "string") return value;
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : pyFloatText(value);
  if (typeof value === "boolean") return value ? "True" : "False";
  if (value === null || value === undefined) return "None";
  return JSON.stringify(value);
}

/**
 * Renders a compiled template with the given variables. The result is `undefined` when the whole
 * template is a single expression that found nothing (a missing JSON key, an int filter on text).
 */
export function renderTemplate(template: CompiledTemplate, variables: Record<string, unknown>): Rendered {
  let out = "";
  let anyDefined = false;
  let expressions = 0;
  for (const part of template.parts) {
    if (typeof part === "string") {
      out += part;
      continue;
    }
    expressions++;
    let value: Value = Object.hasOwn(variables, part.variable) ? variables[part.variable] : UNDEFINED;
    if (value === undefined) value = UNDEFINED;
    for (const step of part.path) value = lookup(value, step);
    for (const filter of part.filters) value = applyFilter(value, filter);
    if (value !== UNDEFINED) anyDefined = true;
    out += render(value);
  }
  if (expressions > 0 && !anyDefined && template.parts.length === 1) return { value: undefined };
  return { value: out };
}

/** Parses a payload as JSON for `value_json`; undefined when it is not JSON. */
export function payloadJson(payload: string): unknown {
  const t = payload.trimStart();
  if (
    !(
      t.startsWith("{") ||
      t.startsWith("[") ||
      t.startsWith('"') ||
      /^[-\d]/.test(t) ||
      /^(true|false|null)\b/.test(t)
    )
  ) {
    return undefined;
  }
  try {
    return JSON.parse(payload);
  } catch {
    return undefined;
  }
}

/**
 * Evaluates a value template against a received payload (`value` is the payload text, `value_json`
 * its JSON). Unsupported templates are reported, never run.
 */
export function evaluateValueTemplate(
  template: string,
  payload: string,
  extra: Record<string, unknown> = {},
): Rendered | Unsupported {
  const compiled = compileTemplate(template);
  if ("unsupported" in compiled) return compiled;
  const json = payloadJson(payload);
  return renderTemplate(compiled, {
    ...extra,
    value: payload,
    value_json: json === undefined ? UNDEFINED : json,
  });
}
