import { requiredWords } from "../matcher.js";
import { spellOutGermanContractions, tokenize as tokenizeEnglish, tokenizeWith } from "../normalize.js";
import { normalizeNumbers } from "../numbers.js";
import type { CompiledGroup, ContextConstraint } from "../sentences.js";
import { type SlotList, ValueList, WildcardList } from "../slot-lists.js";
import { type SpokenForms, standardWords } from "../spoken-forms.js";
import { expandWords } from "../template.js";
import type { SlotValue } from "../types.js";
import { type JinjaTemplate, parseJinja } from "./jinja.js";
import { type Fractions, PackRangeList, SuffixedList } from "./lists.js";
import { normalizeGermanNumbers } from "./numbers-de.js";
import type { PackBlock, PackFile, PackProblem, Where } from "./pack.js";
import {
  type HNode,
  hassilListsUsed,
  inlineHassilRules,
  parseHassil,
  tokenMemo,
  toTokens,
} from "./template.js";

/** Lists Home Assistant fills from the home itself: the registry's names, areas and floors. */
const HOME_LISTS = new Set(["name", "area", "floor"]);
/** Pack lists live apart from Hearth's own lists of the same name (`color`, `brightness` …). */
const PREFIX = "pack:";

/** A response template of a pack, with where it was written. */
export interface PackResponse extends Where {
  source: string;
  template: JinjaTemplate;
}

/** The packs of one language compiled for the template recognizer. */
export interface CompiledPacks {
  language: string;
  groups: CompiledGroup[];
  intents: Set<string>;
  /** Intents the packs have sentences for that `intents.disabled` left out. */
  disabledSeen: Set<string>;
  skipPhrases: string[][];
  tokenize: (text: string) => string[];
  /** Adds the packs' lists (and suffixed forms of the home's lists) to the recognizer's lists. */
  addLists: (lists: Map<string, SlotList>) => void;
  /** Slots filled by wildcard lists (item, message, search_query …), given back as they were said. */
  wildcardSlots: Set<string>;
  /** What each pack list accepts (values as words, ranges, wildcards), by the matcher's list name. */
  listContents: Map<string, PackListContents>;
  /** Intent → response key → template. */
  responses: Map<string, Map<string, PackResponse>>;
  /** Error key → template (no_entity, no_area …). */
  errors: Map<string, PackResponse>;
  /** The files read, for attribution. */
  files: string[];
}

/** What a pack list accepts, for sampling example sentences. */
export type PackListContents =
  | { kind: "values"; entries: Array<{ words: string[]; value: SlotValue }> }
  | { kind: "range"; from: number; to: number; step: number; multiplier: number; fractions: Fractions }
  | { kind: "wildcard" };

/**
 * The tokenizer of a language: number words become digits in English and German, and the sentence
 * files' spoken forms their standard words (regional German "amal" is "mal"; see spoken-forms.ts).
 */
export function languageTokenizer(language: string, spoken?: SpokenForms): (text: string) => string[] {
  const base = language.toLowerCase().split(/[-_]/)[0];
  const standard =
    spoken && (spoken.words.length > 0 || spoken.clippedPrefix) ? standardWords(spoken) : undefined;
  if (base === "en")
    return standard ? (text) => tokenizeWith(text, (t) => normalizeNumbers(standard(t))) : tokenizeEnglish;
  if (base === "de")
    return (text) =>
      tokenizeWith(spellOutGermanContractions(text), (tokens) =>
        normalizeGermanNumbers(standard ? standard(tokens) : tokens),
      );
  return (text) => tokenizeWith(text, (t) => (standard ? standard(t) : [...t]));
}

interface RuleDef {
  source: string;
  where: Where;
  parsed?: HNode | null;
}

type ListDef =
  | {
      kind: "values";
      entries: Array<{ said: string; value: SlotValue; path: Array<string | number> }>;
      file: PackFile;
    }
  | { kind: "range"; from: number; to: number; step: number; multiplier: number; fractions: Fractions }
  | { kind: "wildcard" };

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Merges the files of a language's packs the way Home Assistant does (intents' data blocks add
 * up, lists and expansion rules of later files replace earlier ones) and compiles every sentence.
 * Problems are collected, each with its file and line; intents in `disabled` are left out.
 */
export function compilePacks(
  files: readonly PackFile[],
  opts: { language: string; disabled: ReadonlySet<string>; firstOrder?: number; spoken?: SpokenForms },
  problems: PackProblem[],
): CompiledPacks {
  const tokenizeText = languageTokenizer(opts.language, opts.spoken);
  // The same template words come back in every sentence that uses a rule: tokenize each once.
  const tokenCache = new Map<string, string[]>();
  const tokenize = (text: string): string[] => {
    let t = tokenCache.get(text);
    if (!t) {
      t = tokenizeText(text);
      tokenCache.set(text, t);
    }
    return t;
  };
  const rules = new Map<string, RuleDef>();
  const lists = new Map<string, ListDef>();
  const skip: string[] = [];
  const responses = new Map<string, Map<string, PackResponse>>();
  const errors = new Map<string, PackResponse>();
  const blocks: Array<{ intent: string; block: PackBlock; file: PackFile; path: Array<string | number> }> =
    [];

  for (const file of files) {
    const d = file.data;
    const at = (path: Array<string | number>): Where => ({ file: file.path, line: file.line(path) });
    const problem = (path: Array<string | number>, message: string) =>
      problems.push({ ...at(path), message });
    if (d.expansion_rules !== undefined) {
      if (!isRecord(d.expansion_rules)) problem(["expansion_rules"], "expansion_rules must be a mapping");
      else
        for (const [name, src] of Object.entries(d.expansion_rules)) {
          if (typeof src !== "string")
            problem(["expansion_rules", name], `expansion rule <${name}> must be text`);
          else rules.set(name, { source: src, where: at(["expansion_rules", name]) });
        }
    }
    if (d.lists !== undefined) {
      if (!isRecord(d.lists)) problem(["lists"], "lists must be a mapping");
      else
        for (const [name, def] of Object.entries(d.lists)) {
          const list = readList(def, file, ["lists", name], (path, message) =>
            problem(["lists", name, ...path], message),
          );
          if (list) lists.set(name, list);
        }
    }
    if (d.skip_words !== undefined) {
      if (!Array.isArray(d.skip_words) || d.skip_words.some((w) => typeof w !== "string"))
        problem(["skip_words"], "skip_words must be a list of words");
      else skip.push(...(d.skip_words as string[]));
    }
    if (d.intents !== undefined) {
      if (!isRecord(d.intents)) problem(["intents"], "intents must be a mapping");
      else
        for (const [intent, def] of Object.entries(d.intents)) {
          const data = isRecord(def) ? def.data : undefined;
          if (!Array.isArray(data)) {
            problem(["intents", intent], `intent ${intent} needs a list of data blocks ("data:")`);
            continue;
          }
          data.forEach((raw, i) => {
            const path = ["intents", intent, "data", i];
            const block = readBlock(raw, (p, message) => problem([...path, ...p], message));
            if (block) blocks.push({ intent, block, file, path });
          });
        }
    }
    if (d.responses !== undefined) {
      if (!isRecord(d.responses)) problem(["responses"], "responses must be a mapping");
      else {
        const r = d.responses;
        // Every template is parsed now, so a broken one is reported when the pack loads.
        const response = (path: Array<string | number>, src: unknown): PackResponse | undefined => {
          if (typeof src !== "string") {
            problem(path, "a response must be text");
            return undefined;
          }
          try {
            return { source: src, template: parseJinja(src), ...at(path) };
          } catch (err) {
            problem(path, (err as Error).message);
            return undefined;
          }
        };
        if (isRecord(r.intents))
          for (const [intent, keys] of Object.entries(r.intents)) {
            if (!isRecord(keys)) continue;
            const forIntent = responses.get(intent) ?? new Map<string, PackResponse>();
            for (const [key, src] of Object.entries(keys)) {
              const parsed = response(["responses", "intents", intent, key], src);
              if (parsed) forIntent.set(key, parsed);
            }
            responses.set(intent, forIntent);
          }
        if (isRecord(r.errors))
          for (const [key, src] of Object.entries(r.errors)) {
            const parsed = response(["responses", "errors", key], src);
            if (parsed) errors.set(key, parsed);
          }
      }
    }
  }

  const globalRule = (name: string): HNode | undefined => {
    const def = rules.get(name);
    if (!def) return undefined;
    if (def.parsed === undefined) {
      try {
        def.parsed = parseHassil(def.source);
      } catch (err) {
        def.parsed = null;
        problems.push({ ...def.where, message: `expansion rule <${name}>: ${(err as Error).message}` });
      }
    }
    return def.parsed ?? undefined;
  };
  // Every rule is checked once, also those no sentence uses.
  for (const name of rules.keys()) globalRule(name);

  const suffixes = new Map<string, { base: string; suffix: string }>();
  const ctx = {
    tokenize,
    memo: tokenMemo(),
    listName: (list: string) => (HOME_LISTS.has(list) && !lists.has(list) ? list : PREFIX + list),
    suffixed: (base: string, suffix: string) => {
      const name = `${base}+${suffix}`;
      suffixes.set(name, { base, suffix });
      return name;
    },
  };

  const groups: CompiledGroup[] = [];
  // Expansions of the pack's own rules, shared by the blocks that define none of their own.
  const sharedExpansions = new Map<string, HNode>();
  const intents = new Set<string>();
  const disabledSeen = new Set<string>();
  let order = opts.firstOrder ?? 0;
  for (const { intent, block, file, path } of blocks) {
    if (opts.disabled.has(intent)) {
      disabledSeen.add(intent);
      continue;
    }
    intents.add(intent);
    const local = new Map<string, HNode | null>();
    for (const [name, src] of Object.entries(block.expansion_rules)) {
      try {
        local.set(name, parseHassil(src));
      } catch (err) {
        local.set(name, null);
        problems.push({
          file: file.path,
          line: file.line([...path, "expansion_rules", name]),
          message: `${intent}: expansion rule <${name}>: ${(err as Error).message}`,
        });
      }
    }
    const lookup = (name: string): HNode | undefined => {
      const found = local.has(name) ? local.get(name) : globalRule(name);
      // A rule that does not parse was reported once where it is written, not at every use.
      if (found === null || (found === undefined && rules.has(name))) throw new AlreadyReported();
      return found;
    };
    const expansions = local.size === 0 ? sharedExpansions : new Map<string, HNode>();
    const requires = contextConstraint(block.requires_context);
    const excludes = contextConstraint(block.excludes_context);
    const contextArea = isRecord(block.requires_context?.area) && block.requires_context.area.slot === true;
    const contextFloor =
      isRecord(block.requires_context?.floor) && block.requires_context.floor.slot === true;
    const slots = fixedSlots(block.slots);
    block.sentences.forEach((sentence, j) => {
      try {
        const tree = inlineHassilRules(parseHassil(sentence), lookup, [], expansions);
        for (const list of hassilListsUsed(tree)) {
          if (!lists.has(list) && !HOME_LISTS.has(list)) throw new Error(`unknown list {${list}}`);
        }
        const template = toTokens(tree, ctx);
        const group: CompiledGroup = {
          intent,
          template,
          source: sentence,
          clauses: requiredWords(template),
          slots,
          contextArea,
          ...(contextFloor ? { contextFloor } : {}),
          order: order++,
          pack: { language: opts.language, response: block.response ?? "default", metadata: block.metadata },
        };
        if (requires) group.requires = requires;
        if (excludes) group.excludes = excludes;
        groups.push(group);
      } catch (err) {
        if (err instanceof AlreadyReported) return;
        const message = (err as Error).message;
        problems.push({
          file: file.path,
          line: file.line([...path, "sentences", j]),
          message: `${intent}: ${message.startsWith("template ") ? message : `template "${sentence}": ${message}`}`,
        });
      }
    });
  }

  const skipPhrases = [...new Set(skip)]
    .map((s) => tokenize(s))
    .filter((t) => t.length > 0)
    .sort((a, b) => b.length - a.length);
  const built = new Map<string, SlotList>();
  const ruleOrThrow = (name: string): HNode | undefined => {
    const found = globalRule(name);
    if (found === undefined && rules.has(name)) throw new AlreadyReported();
    return found;
  };
  const listContents = new Map<string, PackListContents>();
  for (const [name, def] of lists) {
    built.set(PREFIX + name, buildList(def, tokenize, ruleOrThrow, problems, listContents, PREFIX + name));
  }
  return {
    language: opts.language,
    groups,
    intents,
    disabledSeen,
    listContents,
    wildcardSlots: wildcardSlotsOf(groups, listContents),
    skipPhrases,
    tokenize: tokenizeText,
    responses,
    errors,
    files: files.map((f) => f.path),
    addLists: (target) => {
      for (const [name, list] of built) target.set(name, list);
      for (const [name, { base, suffix }] of suffixes) {
        const inner = target.get(base);
        if (inner) target.set(name, new SuffixedList(inner, suffix));
      }
    },
  };
}

class AlreadyReported extends Error {}

function wildcardSlotsOf(
  groups: readonly CompiledGroup[],
  lists: ReadonlyMap<string, PackListContents>,
): Set<string> {
  const out = new Set<string>();
  const visit = (n: CompiledGroup["template"]): void => {
    if (n.t === "slot") {
      if (lists.get(n.list.split("+")[0] as string)?.kind === "wildcard") out.add(n.slot);
    } else if (n.t === "seq") for (const i of n.items) visit(i);
    else if (n.t === "alt") for (const o of n.options) visit(o);
  };
  for (const g of groups) visit(g.template);
  return out;
}

function readBlock(
  raw: unknown,
  problem: (path: Array<string | number>, message: string) => void,
): PackBlock | undefined {
  if (!isRecord(raw)) {
    problem([], "a data block must be a mapping with sentences");
    return undefined;
  }
  const sentences = raw.sentences;
  if (!Array.isArray(sentences) || sentences.length === 0) {
    problem(["sentences"], "a data block needs a list of sentences");
    return undefined;
  }
  const out: PackBlock = { sentences: [], slots: {}, expansion_rules: {} };
  sentences.forEach((s, i) => {
    if (typeof s === "string" && s.trim() !== "") out.sentences.push(s);
    else problem(["sentences", i], "a sentence must be text");
  });
  for (const key of [
    "slots",
    "requires_context",
    "excludes_context",
    "expansion_rules",
    "metadata",
  ] as const) {
    const v = raw[key];
    if (v === undefined || v === null) continue;
    if (!isRecord(v)) {
      problem([key], `${key} must be a mapping`);
      continue;
    }
    if (key === "expansion_rules") {
      for (const [name, src] of Object.entries(v)) {
        if (typeof src === "string") out.expansion_rules[name] = src;
        else problem([key, name], `expansion rule <${name}> must be text`);
      }
    } else out[key] = v;
  }
  if (typeof raw.response === "string") out.response = raw.response;
  return out;
}

function fixedSlots(raw: Record<string, unknown>): Record<string, SlotValue> {
  const out: Record<string, SlotValue> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v === "string" || typeof v === "number") out[k] = v;
    else if (typeof v === "boolean") out[k] = String(v);
    else if (isRecord(v) && (typeof v.value === "string" || typeof v.value === "number")) out[k] = v.value;
    else if (Array.isArray(v) && (typeof v[0] === "string" || typeof v[0] === "number")) out[k] = v[0];
  }
  return out;
}

/**
 * `requires_context` / `excludes_context` in the form the resolver checks. As in HassIL, each key
 * is compared with what the match knows: `domain` and `device_class` of the entity, `area` and
 * `floor` of the speaker, and any other key with the entity's attribute of that name. A value is
 * one value, a list of values, or `{value, slot}`; without a value, any value will do (the key must
 * be there). `slot: true` on area or floor means the speaker's area or floor is the sentence's.
 */
export function contextConstraint(raw: Record<string, unknown> | undefined): ContextConstraint | undefined {
  if (!raw) return undefined;
  const out: ContextConstraint = {};
  const scalar = (x: unknown): x is string | number | boolean =>
    typeof x === "string" || typeof x === "number" || typeof x === "boolean";
  for (const [key, rawValue] of Object.entries(raw)) {
    const v = isRecord(rawValue) ? rawValue.value : rawValue;
    const values = v === undefined || v === null ? null : (Array.isArray(v) ? v : [v]).filter(scalar);
    if (key === "domain" || key === "device_class" || key === "area" || key === "floor") {
      // A speaker's area without a value is only required to be known (contextArea / contextFloor).
      if (values) out[key] = values.map(String);
    } else {
      out.attributes ??= {};
      out.attributes[key] = values;
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function readList(
  def: unknown,
  file: PackFile,
  at: Array<string | number>,
  problem: (path: Array<string | number>, message: string) => void,
): ListDef | undefined {
  if (!isRecord(def)) {
    problem([], "a list needs values, a range or wildcard: true");
    return undefined;
  }
  if (def.wildcard === true) return { kind: "wildcard" };
  if (isRecord(def.range)) {
    const r = def.range;
    const from = Number(r.from);
    const to = Number(r.to);
    if (!Number.isFinite(from) || !Number.isFinite(to) || from > to) {
      problem(["range"], "a range needs numbers from ≤ to");
      return undefined;
    }
    const step = r.step === undefined ? 1 : Number(r.step);
    const multiplier = r.multiplier === undefined ? 1 : Number(r.multiplier);
    const fractions: Fractions =
      r.fractions === "halves" ? "halves" : r.fractions === "tenths" ? "tenths" : "none";
    if (!(step > 0) || !Number.isFinite(multiplier)) {
      problem(["range"], "a range's step must be positive and its multiplier a number");
      return undefined;
    }
    return { kind: "range", from, to, step, multiplier, fractions };
  }
  if (Array.isArray(def.values)) {
    const entries: Array<{ said: string; value: SlotValue; path: Array<string | number> }> = [];
    def.values.forEach((v, i) => {
      if (typeof v === "string" || typeof v === "number") {
        entries.push({ said: String(v), value: v, path: [...at, "values", i] });
        return;
      }
      if (!isRecord(v) || (typeof v.in !== "string" && typeof v.in !== "number")) {
        problem(["values", i], 'a list value is text or {in: "…", out: …}');
        return;
      }
      const said = String(v.in);
      const out = v.out;
      const value: SlotValue =
        typeof out === "string" || typeof out === "number"
          ? out
          : typeof out === "boolean"
            ? String(out)
            : said;
      entries.push({ said, value, path: [...at, "values", i, "in"] });
    });
    return { kind: "values", entries, file };
  }
  problem([], "a list needs values, a range or wildcard: true");
  return undefined;
}

function buildList(
  def: ListDef,
  tokenize: (text: string) => string[],
  rule: (name: string) => HNode | undefined,
  problems: PackProblem[],
  contents: Map<string, PackListContents>,
  name: string,
): SlotList {
  if (def.kind !== "values") contents.set(name, def);
  switch (def.kind) {
    case "wildcard":
      // Whatever is said: a shopping item, a message, a search ("play the best of the beatles").
      return new WildcardList();
    case "range":
      return new PackRangeList(def.from, def.to, def.step, def.multiplier, def.fractions);
    case "values": {
      const list = new ValueList();
      const entries: Array<{ words: string[]; value: SlotValue }> = [];
      contents.set(name, { kind: "values", entries });
      const ctx = {
        tokenize,
        listName: (l: string) => l,
        suffixed: () => {
          throw new Error("lists are not allowed in list values");
        },
      };
      for (const e of def.entries) {
        try {
          const tree = inlineHassilRules(parseHassil(e.said), rule);
          if (hassilListsUsed(tree).size > 0) throw new Error("lists are not allowed in list values");
          for (const words of expandWords(toTokens(tree, ctx), 4096)) {
            if (words.length === 0) continue;
            list.add(words, e.value);
            entries.push({ words, value: e.value });
          }
        } catch (err) {
          if (err instanceof AlreadyReported) continue;
          problems.push({
            file: def.file.path,
            line: def.file.line(e.path),
            message: `list value "${e.said}": ${(err as Error).message}`,
          });
        }
      }
      return list;
    }
  }
}
