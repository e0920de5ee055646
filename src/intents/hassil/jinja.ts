import { HearthError } from "../../core/errors.js";

/**
 * The small template language of the packs' responses (a subset of Jinja, as Home Assistant
 * renders them): `{{ expression }}`, `{% if %}/{% elif %}/{% else %}`, `{% for %}` with `loop`,
 * `{% set %}`, whitespace control (`{%-`, `-%}`), filters and tests the packs use. It evaluates
 * data only: no attribute of a value that Hearth did not put there is reachable, the only callable
 * things are the few functions and methods listed here, and loops and output are bounded.
 */

type Expr =
  | { k: "lit"; v: Value }
  | { k: "name"; n: string }
  | { k: "attr"; o: Expr; n: string }
  | { k: "index"; o: Expr; i: Expr }
  | { k: "slice"; o: Expr; a?: Expr | undefined; b?: Expr | undefined }
  | { k: "call"; f: Expr; args: Expr[]; kw: Record<string, Expr> }
  | { k: "filter"; o: Expr; n: string; args: Expr[]; kw: Record<string, Expr> }
  | { k: "test"; o: Expr; n: string; neg: boolean; args: Expr[] }
  | { k: "bin"; op: string; a: Expr; b: Expr }
  | { k: "not"; a: Expr }
  | { k: "neg"; a: Expr }
  | { k: "cond"; c: Expr; a: Expr; b?: Expr | undefined }
  | { k: "list"; items: Expr[] }
  | { k: "dict"; entries: Array<[Expr, Expr]> };

type Node =
  | { k: "text"; s: string }
  | { k: "out"; e: Expr }
  | { k: "if"; branches: Array<{ c: Expr; body: Node[] }>; otherwise: Node[] }
  | { k: "for"; names: string[]; it: Expr; body: Node[]; otherwise: Node[] }
  | { k: "set"; name: string; e: Expr };

/** A value a template works with: plain data, and functions Hearth provides. */
export type Value =
  | string
  | number
  | boolean
  | null
  | undefined
  | Value[]
  | { [key: string]: Value }
  | JinjaFunction;

/** A function a template may call (only ones Hearth hands in). */
export class JinjaFunction {
  constructor(readonly fn: (args: Value[], kw: Record<string, Value>) => Value) {}
}

/** A parsed template, ready to render many times. */
export interface JinjaTemplate {
  render(vars: Record<string, Value>): string;
}

const MAX_STEPS = 100_000;
const MAX_OUTPUT = 20_000;

/** Parses a template; throws HearthError("TEMPLATE_INVALID") saying what and where. */
export function parseJinja(source: string): JinjaTemplate {
  const nodes = parseNodes(source);
  return {
    render: (vars) => {
      const state = { steps: 0, out: [] as string[], size: 0 };
      renderNodes(nodes, new Scope(vars), state);
      return state.out.join("");
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Statements

interface Piece {
  kind: "text" | "out" | "stmt";
  s: string;
  at: number;
}

function splitPieces(src: string): Piece[] {
  const pieces: Piece[] = [];
  let i = 0;
  let stripNext = false;
  while (i < src.length) {
    const open = src.slice(i).search(/\{[{%#]/);
    const start = open < 0 ? src.length : i + open;
    let text = src.slice(i, start);
    if (stripNext) text = text.replace(/^\s+/, "");
    stripNext = false;
    if (start >= src.length) {
      if (text) pieces.push({ kind: "text", s: text, at: i });
      break;
    }
    const kind = src[start + 1] as "{" | "%" | "#";
    const close = kind === "{" ? "}}" : kind === "%" ? "%}" : "#}";
    const end = src.indexOf(close, start + 2);
    if (end < 0) fail(src, start, `unclosed '{${kind}'`);
    let inner = src.slice(start + 2, end);
    if (inner.startsWith("-")) {
      text = text.replace(/\s+$/, "");
      inner = inner.slice(1);
    }
    if (inner.endsWith("-")) {
      stripNext = true;
      inner = inner.slice(0, -1);
    }
    if (text) pieces.push({ kind: "text", s: text, at: i });
    if (kind !== "#") pieces.push({ kind: kind === "{" ? "out" : "stmt", s: inner.trim(), at: start });
    i = end + 2;
  }
  return pieces;
}

function fail(src: string, at: number, message: string): never {
  const line = src.slice(0, at).split("\n").length;
  throw new HearthError("TEMPLATE_INVALID", `response template, line ${line}: ${message}`);
}

function parseNodes(src: string): Node[] {
  const pieces = splitPieces(src);
  let p = 0;
  const block = (ends: string[]): { nodes: Node[]; end: string; piece?: Piece } => {
    const nodes: Node[] = [];
    while (p < pieces.length) {
      const piece = pieces[p++] as Piece;
      if (piece.kind === "text") nodes.push({ k: "text", s: piece.s });
      else if (piece.kind === "out") nodes.push({ k: "out", e: parseExpr(piece.s, src, piece.at) });
      else {
        // "{% if x: %}" and "{% else: %}" occur in the packs: the colon means nothing.
        const stmt = piece.s.replace(/:\s*$/, "").trim();
        const word = /^[a-z]+/.exec(stmt)?.[0] ?? "";
        if (ends.includes(word)) return { nodes, end: word, piece: { ...piece, s: stmt } };
        if (word === "if") {
          const branches = [{ c: parseExpr(stmt.slice(2), src, piece.at), body: [] as Node[] }];
          let otherwise: Node[] = [];
          for (;;) {
            const r = block(["elif", "else", "endif"]);
            (branches[branches.length - 1] as { body: Node[] }).body = r.nodes;
            if (r.end === "elif")
              branches.push({ c: parseExpr((r.piece as Piece).s.slice(4), src, piece.at), body: [] });
            else if (r.end === "else") {
              const e = block(["endif"]);
              if (e.end !== "endif") fail(src, piece.at, "'if' without 'endif'");
              otherwise = e.nodes;
              break;
            } else if (r.end === "endif") break;
            else fail(src, piece.at, "'if' without 'endif'");
          }
          nodes.push({ k: "if", branches, otherwise });
        } else if (word === "for") {
          const m = /^for\s+([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s+in\s+([\s\S]+)$/.exec(stmt);
          if (!m) fail(src, piece.at, `bad 'for': ${stmt}`);
          const names = (m[1] as string).split(",").map((s) => s.trim());
          const it = parseExpr(m[2] as string, src, piece.at);
          const r = block(["else", "endfor"]);
          let otherwise: Node[] = [];
          if (r.end === "else") {
            const e = block(["endfor"]);
            if (e.end !== "endfor") fail(src, piece.at, "'for' without 'endfor'");
            otherwise = e.nodes;
          } else if (r.end !== "endfor") fail(src, piece.at, "'for' without 'endfor'");
          nodes.push({ k: "for", names, it, body: r.nodes, otherwise });
        } else if (word === "set") {
          const m = /^set\s+([A-Za-z_]\w*)\s*=\s*([\s\S]+)$/.exec(stmt);
          if (!m) fail(src, piece.at, `bad 'set': ${stmt}`);
          nodes.push({ k: "set", name: m[1] as string, e: parseExpr(m[2] as string, src, piece.at) });
        } else {
          fail(src, piece.at, `unknown statement '${word || stmt}'`);
        }
      }
    }
    return { nodes, end: "" };
  };
  const r = block([]);
  return r.nodes;
}

// ---------------------------------------------------------------------------------------------
// Expressions

type Tok =
  | { t: "num"; v: number }
  | { t: "str"; v: string }
  | { t: "name"; v: string }
  | { t: "op"; v: string };

const OPS = [
  "//",
  "==",
  "!=",
  "<=",
  ">=",
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  ",",
  ":",
  ".",
  "|",
  "~",
  "+",
  "-",
  "*",
  "/",
  "%",
  "<",
  ">",
  "=",
];

function lex(s: string, src: string, at: number): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (/\d/.test(c)) {
      const m = /^\d+(\.\d+)?/.exec(s.slice(i)) as RegExpExecArray;
      out.push({ t: "num", v: Number(m[0]) });
      i += m[0].length;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let v = "";
      while (j < s.length && s[j] !== c) {
        if (s[j] === "\\" && j + 1 < s.length) {
          const e = s[j + 1] as string;
          v += e === "n" ? "\n" : e === "t" ? "\t" : e;
          j += 2;
        } else v += s[j++];
      }
      if (j >= s.length) fail(src, at, "unclosed string");
      out.push({ t: "str", v });
      i = j + 1;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_]\w*/.exec(s.slice(i)) as RegExpExecArray;
      out.push({ t: "name", v: m[0] });
      i += m[0].length;
      continue;
    }
    const op = OPS.find((o) => s.startsWith(o, i));
    if (!op) fail(src, at, `unexpected '${c}'`);
    out.push({ t: "op", v: op });
    i += op.length;
  }
  return out;
}

function parseExpr(text: string, src: string, at: number): Expr {
  const toks = lex(text, src, at);
  let p = 0;
  const peek = (v: string, o = 0) => {
    const t = toks[p + o];
    return t !== undefined && (t.t === "op" || t.t === "name") && t.v === v;
  };
  const eat = (v: string) => {
    if (!peek(v)) fail(src, at, `expected '${v}' in "${text}"`);
    p++;
  };
  const name = (): string => {
    const t = toks[p++];
    if (t?.t !== "name") fail(src, at, `expected a name in "${text}"`);
    return t.v;
  };
  const args = (close: string): { args: Expr[]; kw: Record<string, Expr> } => {
    const out: Expr[] = [];
    const kw: Record<string, Expr> = {};
    while (!peek(close)) {
      const t = toks[p];
      if (t?.t === "name" && peek("=", 1) && !peek("==", 1)) {
        p += 2;
        kw[t.v] = conditional();
      } else out.push(conditional());
      if (!peek(close)) eat(",");
    }
    eat(close);
    return { args: out, kw };
  };
  const primary = (): Expr => {
    const t = toks[p++];
    if (!t) fail(src, at, `unexpected end of "${text}"`);
    if (t.t === "num" || t.t === "str") return { k: "lit", v: t.v };
    if (t.t === "name") {
      if (t.v === "true" || t.v === "True") return { k: "lit", v: true };
      if (t.v === "false" || t.v === "False") return { k: "lit", v: false };
      if (t.v === "none" || t.v === "None") return { k: "lit", v: null };
      return { k: "name", n: t.v };
    }
    if (t.v === "(") {
      const e = conditional();
      eat(")");
      return e;
    }
    if (t.v === "[") return { k: "list", items: args("]").args };
    if (t.v === "{") {
      const entries: Array<[Expr, Expr]> = [];
      while (!peek("}")) {
        const key = conditional();
        eat(":");
        entries.push([key, conditional()]);
        if (!peek("}")) eat(",");
      }
      eat("}");
      return { k: "dict", entries };
    }
    fail(src, at, `unexpected '${t.v}' in "${text}"`);
  };
  const postfix = (): Expr => {
    let e = primary();
    for (;;) {
      if (peek(".")) {
        p++;
        e = { k: "attr", o: e, n: name() };
      } else if (peek("[")) {
        p++;
        if (peek(":")) {
          p++;
          const b = peek("]") ? undefined : conditional();
          eat("]");
          e = { k: "slice", o: e, b };
        } else {
          const i = conditional();
          if (peek(":")) {
            p++;
            const b = peek("]") ? undefined : conditional();
            eat("]");
            e = { k: "slice", o: e, a: i, b };
          } else {
            eat("]");
            e = { k: "index", o: e, i };
          }
        }
      } else if (peek("(")) {
        p++;
        const a = args(")");
        e = { k: "call", f: e, args: a.args, kw: a.kw };
      } else return e;
    }
  };
  const filtered = (): Expr => {
    let e = postfix();
    while (peek("|")) {
      p++;
      const n = name();
      if (!KNOWN_FILTERS.has(n)) fail(src, at, `unknown filter '${n}'`);
      let a: { args: Expr[]; kw: Record<string, Expr> } = { args: [], kw: {} };
      if (peek("(")) {
        p++;
        a = args(")");
      }
      e = { k: "filter", o: e, n, args: a.args, kw: a.kw };
    }
    return e;
  };
  const unary = (): Expr => {
    if (peek("-")) {
      p++;
      return { k: "neg", a: unary() };
    }
    return filtered();
  };
  const binary = (next: () => Expr, ops: string[]) => (): Expr => {
    let e = next();
    while (ops.some((o) => peek(o))) {
      const op = (toks[p++] as { v: string }).v;
      e = { k: "bin", op, a: e, b: next() };
    }
    return e;
  };
  const math2 = binary(unary, ["*", "/", "//", "%"]);
  const math1 = binary(math2, ["+", "-"]);
  const concat = binary(math1, ["~"]);
  const compare = (): Expr => {
    let e = concat();
    for (;;) {
      if (["==", "!=", "<", ">", "<=", ">="].some((o) => peek(o))) {
        const op = (toks[p++] as { v: string }).v;
        e = { k: "bin", op, a: e, b: concat() };
      } else if (peek("in")) {
        p++;
        e = { k: "bin", op: "in", a: e, b: concat() };
      } else if (peek("not") && peek("in", 1)) {
        p += 2;
        e = { k: "not", a: { k: "bin", op: "in", a: e, b: concat() } };
      } else if (peek("is")) {
        p++;
        const neg = peek("not");
        if (neg) p++;
        const n = name();
        const a: Expr[] = [];
        if (peek("(")) {
          p++;
          a.push(...args(")").args);
        }
        e = { k: "test", o: e, n, neg, args: a };
      } else return e;
    }
  };
  const not = (): Expr => {
    if (peek("not")) {
      p++;
      return { k: "not", a: not() };
    }
    return compare();
  };
  const and = binary(not, ["and"]);
  const or = binary(and, ["or"]);
  function conditional(): Expr {
    const e = or();
    if (peek("if")) {
      p++;
      const c = or();
      let b: Expr | undefined;
      if (peek("else")) {
        p++;
        b = conditional();
      }
      return { k: "cond", c, a: e, b };
    }
    return e;
  }
  const e = conditional();
  if (p < toks.length) fail(src, at, `unexpected '${(toks[p] as { v: unknown }).v}' in "${text}"`);
  return e;
}

// ---------------------------------------------------------------------------------------------
// Evaluation

class Scope {
  readonly vars: Map<string, Value>;
  constructor(
    init: Record<string, Value>,
    readonly parent?: Scope,
  ) {
    this.vars = new Map(Object.entries(init));
  }
  get(n: string): Value {
    if (this.vars.has(n)) return this.vars.get(n);
    return this.parent ? this.parent.get(n) : undefined;
  }
}

interface RenderState {
  steps: number;
  out: string[];
  size: number;
}

function tick(state: RenderState): void {
  if (++state.steps > MAX_STEPS) throw new HearthError("TEMPLATE_INVALID", "response template runs too long");
}

function renderNodes(nodes: readonly Node[], scope: Scope, state: RenderState): void {
  for (const n of nodes) {
    tick(state);
    switch (n.k) {
      case "text":
        emit(state, n.s);
        break;
      case "out": {
        // A missing value says nothing (Python would print "None", which no one wants to hear).
        const v = evaluate(n.e, scope, state);
        emit(state, v === null ? "" : str(v));
        break;
      }
      case "set":
        scope.vars.set(n.name, evaluate(n.e, scope, state));
        break;
      case "if": {
        const hit = n.branches.find((b) => truthy(evaluate(b.c, scope, state)));
        renderNodes(hit ? hit.body : n.otherwise, scope, state);
        break;
      }
      case "for": {
        const items = iterable(evaluate(n.it, scope, state));
        if (items.length === 0) renderNodes(n.otherwise, scope, state);
        items.forEach((item, i) => {
          const vars: Record<string, Value> = {
            loop: {
              index: i + 1,
              index0: i,
              first: i === 0,
              last: i === items.length - 1,
              length: items.length,
            },
          };
          if (n.names.length === 1) vars[n.names[0] as string] = item;
          else
            n.names.forEach((name, j) => {
              vars[name] = Array.isArray(item) ? item[j] : undefined;
            });
          renderNodes(n.body, new Scope(vars, scope), state);
        });
        break;
      }
    }
  }
}

function emit(state: RenderState, s: string): void {
  state.size += s.length;
  if (state.size > MAX_OUTPUT) throw new HearthError("TEMPLATE_INVALID", "response template output too long");
  state.out.push(s);
}

const isDict = (v: Value): v is { [key: string]: Value } =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof JinjaFunction);

function truthy(v: Value): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (isDict(v)) return Object.keys(v).length > 0;
  return Boolean(v);
}

/** A value as Python would print it. */
export function str(v: Value): string {
  if (v === undefined) return "";
  if (v === null) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  if (typeof v === "number") return String(v);
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return `[${v.map(repr).join(", ")}]`;
  if (v instanceof JinjaFunction) return "";
  return `{${Object.entries(v)
    .map(([k, x]) => `${repr(k)}: ${repr(x)}`)
    .join(", ")}}`;
}

function repr(v: Value): string {
  return typeof v === "string" ? `'${v}'` : str(v);
}

function iterable(v: Value): Value[] {
  if (Array.isArray(v)) return v;
  if (typeof v === "string") return [...v];
  if (isDict(v)) return Object.keys(v);
  return [];
}

function own(o: Value, key: string): Value {
  if (isDict(o) && Object.hasOwn(o, key)) return o[key];
  return undefined;
}

function num(v: Value): number {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v))) return Number(v);
  return Number.NaN;
}

function equal(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a === "number" && typeof b === "boolean") return a === (b ? 1 : 0);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  return false;
}

/** String methods and dict methods a template may call. */
function method(o: Value, n: string): Value {
  if (typeof o === "string") {
    const s = o;
    switch (n) {
      case "lower":
        return new JinjaFunction(() => s.toLowerCase());
      case "upper":
        return new JinjaFunction(() => s.toUpperCase());
      case "strip":
        return new JinjaFunction(() => s.trim());
      case "capitalize":
        return new JinjaFunction(() => capitalize(s));
      case "startswith":
        return new JinjaFunction(([x]) => s.startsWith(str(x)));
      case "endswith":
        return new JinjaFunction(([x]) => s.endsWith(str(x)));
      case "replace":
        return new JinjaFunction(([a, b]) => s.split(str(a)).join(str(b)));
      case "split":
        return new JinjaFunction(([sep]) => (sep === undefined ? s.trim().split(/\s+/) : s.split(str(sep))));
      case "format":
        return new JinjaFunction((args) => pyFormat(s, args));
    }
  }
  if (isDict(o)) {
    switch (n) {
      case "get":
        return new JinjaFunction(([k, d]) => {
          const v = own(o, str(k));
          return v === undefined ? (d ?? null) : v;
        });
      case "keys":
        return new JinjaFunction(() => Object.keys(o));
      case "values":
        return new JinjaFunction(() => Object.values(o));
      case "items":
        return new JinjaFunction(() => Object.entries(o).map(([k, v]) => [k, v]));
    }
  }
  return undefined;
}

/** Python's str.format for the forms the packs use: {0}, {}, {0:02d}, {:.1f}. */
function pyFormat(s: string, args: Value[]): string {
  let auto = 0;
  return s.replace(/\{(\d*)(?::([^}]*))?\}/g, (_, index: string, spec: string | undefined) => {
    const v = args[index === "" ? auto++ : Number(index)];
    const m = spec ? /^(0?)(\d*)(?:\.(\d+))?([dfs]?)$/.exec(spec) : null;
    if (!m) return str(v);
    let text =
      m[3] !== undefined ? num(v).toFixed(Number(m[3])) : m[4] === "d" ? String(Math.trunc(num(v))) : str(v);
    const width = Number(m[2] || 0);
    if (text.length < width) text = (m[1] === "0" ? "0" : " ").repeat(width - text.length) + text;
    return text;
  });
}

function capitalize(s: string): string {
  return s.length === 0 ? s : (s[0] as string).toUpperCase() + s.slice(1).toLowerCase();
}

function evaluate(e: Expr, scope: Scope, state: RenderState): Value {
  tick(state);
  const ev = (x: Expr) => evaluate(x, scope, state);
  switch (e.k) {
    case "lit":
      return e.v;
    case "name":
      return scope.get(e.n);
    case "attr": {
      const o = ev(e.o);
      const v = own(o, e.n);
      return v !== undefined ? v : method(o, e.n);
    }
    case "index": {
      const o = ev(e.o);
      const i = ev(e.i);
      if (Array.isArray(o) || typeof o === "string") {
        const n = num(i);
        if (!Number.isInteger(n)) return undefined;
        return o[n < 0 ? o.length + n : n];
      }
      return own(o, str(i));
    }
    case "slice": {
      const o = ev(e.o);
      if (!Array.isArray(o) && typeof o !== "string") return undefined;
      const a = e.a ? num(ev(e.a)) : undefined;
      const b = e.b ? num(ev(e.b)) : undefined;
      return o.slice(a, b) as Value;
    }
    case "call": {
      const f = ev(e.f);
      if (!(f instanceof JinjaFunction)) return undefined;
      const kw: Record<string, Value> = {};
      for (const [k, x] of Object.entries(e.kw)) kw[k] = ev(x);
      return f.fn(e.args.map(ev), kw);
    }
    case "filter": {
      const kw: Record<string, Value> = {};
      for (const [k, x] of Object.entries(e.kw)) kw[k] = ev(x);
      return applyFilter(e.n, ev(e.o), e.args.map(ev), kw);
    }
    case "test": {
      const r = applyTest(e.n, ev(e.o), e.args.map(ev));
      return e.neg ? !r : r;
    }
    case "not":
      return !truthy(ev(e.a));
    case "neg":
      return -num(ev(e.a));
    case "cond":
      return truthy(ev(e.c)) ? ev(e.a) : e.b ? ev(e.b) : undefined;
    case "list":
      return e.items.map(ev);
    case "dict": {
      const out: { [key: string]: Value } = {};
      for (const [k, v] of e.entries) out[str(ev(k))] = ev(v);
      return out;
    }
    case "bin": {
      if (e.op === "and") {
        const a = ev(e.a);
        return truthy(a) ? ev(e.b) : a;
      }
      if (e.op === "or") {
        const a = ev(e.a);
        return truthy(a) ? a : ev(e.b);
      }
      const a = ev(e.a);
      const b = ev(e.b);
      switch (e.op) {
        case "~":
          return str(a) + str(b);
        case "+":
          if (typeof a === "string" && typeof b === "string") return a + b;
          if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
          return num(a) + num(b);
        case "-":
          return num(a) - num(b);
        case "*":
          return num(a) * num(b);
        case "/":
          return num(a) / num(b);
        case "//":
          return Math.floor(num(a) / num(b));
        case "%":
          return num(a) % num(b);
        case "==":
          return equal(a, b);
        case "!=":
          return !equal(a, b);
        case "<":
          return (a as number) < (b as number);
        case ">":
          return (a as number) > (b as number);
        case "<=":
          return (a as number) <= (b as number);
        case ">=":
          return (a as number) >= (b as number);
        case "in":
          if (typeof b === "string") return b.includes(str(a));
          if (Array.isArray(b)) return b.some((x) => equal(x, a));
          if (isDict(b)) return Object.hasOwn(b, str(a));
          return false;
      }
      return undefined;
    }
  }
}

function attribute(v: Value, path: Value): Value {
  let o = v;
  for (const part of str(path).split(".")) o = own(o, part);
  return o;
}

function applyTest(n: string, v: Value, args: Value[]): boolean {
  switch (n) {
    case "defined":
      return v !== undefined;
    case "undefined":
      return v === undefined;
    case "none":
      return v === null;
    case "number":
      return typeof v === "number";
    case "string":
      return typeof v === "string";
    case "true":
      return v === true;
    case "false":
      return v === false;
    case "eq":
    case "equalto":
      return equal(v, args[0]);
    case "in":
      return Array.isArray(args[0]) && args[0].some((x) => equal(x, v));
    default:
      return truthy(v);
  }
}

function applyFilter(n: string, v: Value, args: Value[], kw: Record<string, Value>): Value {
  switch (n) {
    case "length":
    case "count":
      return Array.isArray(v) || typeof v === "string" ? v.length : isDict(v) ? Object.keys(v).length : 0;
    case "join":
      return iterable(v)
        .map((x) => str(kw.attribute !== undefined ? attribute(x, kw.attribute) : x))
        .join(str(args[0] ?? kw.d ?? ""));
    case "list":
      return iterable(v);
    case "sort": {
      const by = kw.attribute ?? args[2];
      const items = [...iterable(v)].sort((a, b) => {
        const x = by !== undefined ? attribute(a, by) : a;
        const y = by !== undefined ? attribute(b, by) : b;
        return typeof x === "number" && typeof y === "number" ? x - y : str(x).localeCompare(str(y));
      });
      return truthy(kw.reverse ?? args[0]) ? items.reverse() : items;
    }
    case "select":
    case "reject": {
      const keep = (x: Value) =>
        args[0] === undefined ? truthy(x) : applyTest(str(args[0]), x, args.slice(1));
      return iterable(v).filter((x) => keep(x) === (n === "select"));
    }
    case "selectattr":
    case "rejectattr": {
      const keep = (x: Value) => {
        const a = attribute(x, args[0]);
        return args[1] === undefined ? truthy(a) : applyTest(str(args[1]), a, args.slice(2));
      };
      return iterable(v).filter((x) => keep(x) === (n === "selectattr"));
    }
    case "map":
      if (kw.attribute !== undefined) return iterable(v).map((x) => attribute(x, kw.attribute));
      return iterable(v).map((x) => applyFilter(str(args[0]), x, args.slice(1), {}));
    case "first":
      return iterable(v)[0];
    case "last": {
      const items = iterable(v);
      return items[items.length - 1];
    }
    case "unique":
      return [...new Set(iterable(v))];
    case "capitalize":
      return capitalize(str(v));
    case "lower":
      return str(v).toLowerCase();
    case "upper":
      return str(v).toUpperCase();
    case "title":
      return str(v).replace(/\w\S*/g, (w) => capitalize(w));
    case "trim":
      return str(v).trim();
    case "string":
      return str(v);
    case "replace":
      return str(v).split(str(args[0])).join(str(args[1]));
    case "float": {
      const x = num(v);
      return Number.isNaN(x) ? (args[0] ?? 0) : x;
    }
    case "int": {
      const x = num(v);
      return Number.isNaN(x) ? (args[0] ?? 0) : Math.trunc(x);
    }
    case "round": {
      const digits = num(args[0] ?? 0);
      const f = 10 ** digits;
      return Math.round(num(v) * f) / f;
    }
    case "abs":
      return Math.abs(num(v));
    case "default":
    case "d":
      return v === undefined || (truthy(args[1]) && !truthy(v)) ? args[0] : v;
    case "max":
      return iterable(v).reduce<Value>((m, x) => (m === undefined || num(x) > num(m) ? x : m), undefined);
    case "min":
      return iterable(v).reduce<Value>((m, x) => (m === undefined || num(x) < num(m) ? x : m), undefined);
    case "sum":
      return iterable(v).reduce<number>((s, x) => s + num(x), 0);
    default:
      throw new HearthError("TEMPLATE_INVALID", `unknown filter '${n}'`);
  }
}

/** The filters a template uses, checked when packs load (an unknown one is a problem there). */
export const KNOWN_FILTERS = new Set([
  "length",
  "count",
  "join",
  "list",
  "sort",
  "select",
  "reject",
  "selectattr",
  "rejectattr",
  "map",
  "first",
  "last",
  "unique",
  "capitalize",
  "lower",
  "upper",
  "title",
  "trim",
  "string",
  "replace",
  "float",
  "int",
  "round",
  "abs",
  "default",
  "d",
  "max",
  "min",
  "sum",
]);
