import { readFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { IntentDataConfig, IntentsConfig, SlotListConfig } from "../config/schema.js";
import { intentDataSchema, slotListSchema } from "../config/schema.js";
import { HearthError } from "../core/errors.js";
import { requiredWords } from "./matcher.js";
import { tokenize } from "./normalize.js";
import { expandWords, inlineRules, parseTemplate, type TemplateNode } from "./template.js";
import type { SlotValue } from "./types.js";

/** A sentence file: the built-in English ones and users' own share this format. */
export const sentenceFileSchema = z.strictObject({
  language: z.string().default("en"),
  intents: z
    .record(
      z.string(),
      z.strictObject({
        data: z.array(intentDataSchema).min(1),
        reply: z.string().optional(),
      }),
    )
    .default({}),
  lists: z.record(z.string(), slotListSchema).default({}),
  expansion_rules: z.record(z.string(), z.string()).default({}),
  skip_words: z.array(z.string()).default([]),
  /**
   * Words said before (or after) a command that are not part of it: the assistant's name, a greeting
   * ("hey hearth", "good morning"). Unlike skip words they are removed only at the start and the end
   * of a sentence, and only when what is left is understood, so a device may still be called
   * "Computer".
   */
  openers: z.array(z.string()).default([]),
});
export type SentenceFile = z.output<typeof sentenceFileSchema>;

/** One block of sentences of an intent, compiled. */
export interface CompiledGroup {
  intent: string;
  template: TemplateNode;
  source: string;
  clauses: Array<Set<string>>;
  slots: Record<string, SlotValue>;
  requires?: IntentDataConfig["requires"];
  excludes?: IntentDataConfig["excludes"];
  contextArea: boolean;
  /** Position in the files, a stable tie-breaker between equally good matches. */
  order: number;
}

/** Everything the template recognizer needs from sentence files and the config. */
export interface CompiledSentences {
  groups: CompiledGroup[];
  lists: Map<string, SlotListConfig>;
  /** Skip phrases as token lists, longest first. */
  skipPhrases: string[][];
  /** Openers (the assistant's name, greetings) as token lists, longest first. */
  openers: string[][];
  /** Custom intents' reply templates. */
  replies: Map<string, string>;
  /** Intent names that came from the user (custom), which need no device targets. */
  custom: Set<string>;
  intents: Set<string>;
}

/** Lists filled at run time from the registry and built-in list types; templates may use them freely. */
export const DYNAMIC_LISTS = new Set(["name", "area", "floor", "duration", "timer_name", "previous"]);

/** The directory holding the built-in sentence files for a language (copied next to the compiled code). */
export function builtinSentencesDir(language: string): string {
  return fileURLToPath(new URL(`./sentences/${language}/`, import.meta.url));
}

/** Reads and validates one sentence file. */
export function readSentenceFile(path: string): SentenceFile {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, "utf8"));
  } catch (err) {
    throw new HearthError("SENTENCES_INVALID", `${path}: ${(err as Error).message}`, { cause: err });
  }
  const parsed = sentenceFileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => `${path}: ${i.path.join(".")}: ${i.message}`);
    throw new HearthError(
      "SENTENCES_INVALID",
      `${path} is not a valid sentence file (${details.length} problem${details.length === 1 ? "" : "s"})`,
      { details },
    );
  }
  return parsed.data;
}

/** Loads the built-in files of a language plus the config's own intents and extra files. */
export async function loadSentences(
  intents: IntentsConfig,
  opts: { language: string; configDir: string },
): Promise<CompiledSentences> {
  const dir = builtinSentencesDir(opts.language);
  const names = (await readdir(dir)).filter((f) => f.endsWith(".yaml")).sort();
  const files = names.map((f) => readSentenceFile(join(dir, f)));
  for (const extra of intents.files) files.push(readSentenceFile(resolve(opts.configDir, extra)));
  return compileSentences(files, intents);
}

/**
 * Merges sentence files and the config's `intents` section, inlines expansion rules and compiles
 * every template. Every problem (bad template, unknown list or rule) is reported together.
 */
export function compileSentences(files: SentenceFile[], intents: IntentsConfig): CompiledSentences {
  const disabled = new Set(intents.disabled);
  const lists = new Map<string, SlotListConfig>();
  const ruleSources = new Map<string, string>();
  const skip: string[] = [];
  const openers: string[] = [];
  const blocks: Array<{ intent: string; data: IntentDataConfig; custom: boolean }> = [];
  const replies = new Map<string, string>();
  const custom = new Set<string>();

  for (const file of files) {
    for (const [k, v] of Object.entries(file.lists)) lists.set(k, v);
    for (const [k, v] of Object.entries(file.expansion_rules)) ruleSources.set(k, v);
    skip.push(...file.skip_words);
    openers.push(...file.openers);
    for (const [intent, def] of Object.entries(file.intents)) {
      for (const data of def.data) blocks.push({ intent, data, custom: false });
      if (def.reply) replies.set(intent, def.reply);
    }
  }
  for (const [k, v] of Object.entries(intents.lists)) lists.set(k, v);
  for (const [k, v] of Object.entries(intents.expansion_rules)) ruleSources.set(k, v);
  skip.push(...intents.skip_words);
  for (const [intent, def] of Object.entries(intents.custom)) {
    custom.add(intent);
    if (def.reply) replies.set(intent, def.reply);
    if (def.sentences)
      blocks.push({ intent, data: intentDataSchema.parse({ sentences: def.sentences }), custom: true });
    for (const data of def.data ?? []) blocks.push({ intent, data, custom: true });
  }

  const problems: string[] = [];
  const rules = new Map<string, TemplateNode>();
  for (const [name, src] of ruleSources) {
    try {
      rules.set(name, parseTemplate(src));
    } catch (err) {
      problems.push(`expansion rule <${name}>: ${(err as Error).message}`);
    }
  }
  for (const [name, list] of lists) {
    if ("values" in list) {
      for (const v of list.values) {
        if (typeof v === "string") continue;
        try {
          expandWords(parseTemplate(v.in));
        } catch (err) {
          problems.push(`list ${name}: value "${v.in}": ${(err as Error).message}`);
        }
      }
    }
  }

  const groups: CompiledGroup[] = [];
  const intentNames = new Set<string>();
  let order = 0;
  for (const { intent, data } of blocks) {
    if (disabled.has(intent)) continue;
    intentNames.add(intent);
    for (const sentence of data.sentences) {
      try {
        const template = inlineRules(parseTemplate(sentence), rules);
        for (const list of listsUsed(template)) {
          if (!lists.has(list) && !DYNAMIC_LISTS.has(list))
            throw new HearthError("TEMPLATE_INVALID", `template "${sentence}": unknown list {${list}}`);
        }
        const group: CompiledGroup = {
          intent,
          template,
          source: sentence,
          clauses: requiredWords(template),
          slots: data.slots,
          contextArea: data.context_area,
          order: order++,
        };
        if (data.requires) group.requires = data.requires;
        if (data.excludes) group.excludes = data.excludes;
        groups.push(group);
      } catch (err) {
        // Every problem names its template, also those found after parsing (rules, lists).
        const message = (err as Error).message;
        problems.push(
          `${intent}: ${message.startsWith("template ") ? message : `template "${sentence}": ${message}`}`,
        );
      }
    }
  }
  for (const name of disabled) {
    if (!blocks.some((b) => b.intent === name)) problems.push(`intents.disabled: unknown intent "${name}"`);
  }
  if (problems.length > 0)
    throw new HearthError(
      "SENTENCES_INVALID",
      `the sentences are invalid (${problems.length} problem${problems.length === 1 ? "" : "s"})`,
      {
        details: problems,
      },
    );

  const phrases = (texts: string[]): string[][] =>
    [...new Set(texts)]
      .map((s) => tokenize(s))
      .filter((t) => t.length > 0)
      .sort((a, b) => b.length - a.length);
  return {
    groups,
    lists,
    skipPhrases: phrases(skip),
    openers: phrases(openers),
    replies,
    custom,
    intents: intentNames,
  };
}

function listsUsed(node: TemplateNode, out = new Set<string>()): Set<string> {
  if (node.t === "slot") out.add(node.list);
  else if (node.t === "seq") for (const n of node.items) listsUsed(n, out);
  else if (node.t === "alt") for (const n of node.options) listsUsed(n, out);
  return out;
}
