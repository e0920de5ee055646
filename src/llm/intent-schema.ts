import { DOMAINS, type Domain } from "../config/schema.js";
import { INTENTS, type SlotSpec } from "../intents/catalog.js";
import type { IntentCall, Slots, SlotValue } from "../intents/types.js";
import type { Registry } from "../registry/registry.js";

/**
 * The JSON schema the LLM's output must follow, built from the registry and the supported intents.
 * It is a `oneOf` over the intents; each intent's `slots` is a `oneOf` over the slot combinations
 * the intent accepts (node-llama-cpp makes every listed property required, so optional slots are
 * expressed as separate forms), and every slot is an `enum` of real values: device names, areas,
 * floors, domains present, allowed numbers. A `{"intent": "none"}` branch, and `{"answer": …}`
 * when free-form answers are on, complete it. With the schema compiled to a grammar the model
 * cannot name anything that does not exist; `validate` checks the parsed output again against the
 * live registry before anything acts on it.
 */

export type { SlotSpec };

/** An intent the LLM may choose, as data: custom intents join the same way. */
export interface LlmIntentSpec {
  /** Home Assistant intent name, e.g. "HassTurnOn". */
  name: string;
  /** One line for the system prompt: what the intent does. */
  description: string;
  slots: Readonly<Record<string, SlotSpec>>;
  /** The slot combinations accepted, each a list of slot names; `[]` is "no slots". */
  forms: readonly (readonly string[])[];
}

/**
 * Home Assistant's built-in intents the LLM may choose, with their slot conventions, as the intent
 * catalog gives them. The composition root passes these plus the custom intents.
 */
export const HOME_ASSISTANT_INTENTS: readonly LlmIntentSpec[] = INTENTS.flatMap((i) =>
  i.llm ? [{ name: i.name, description: i.description, slots: i.llm.slots, forms: i.llm.forms }] : [],
);

export interface IntentSchemaOptions {
  /** Add the `{"answer": "…"}` branch for questions that are not commands. */
  answers: boolean;
  /** Longest answer in characters (the grammar enforces it). */
  answerMaxLength: number;
}

/** The parsed and re-validated output of the model. */
export type LlmOutput =
  | { kind: "intent"; intent: IntentCall }
  | { kind: "none" }
  | { kind: "answer"; text: string }
  | { kind: "invalid"; problem: string };

/** The intents as they made it into the schema, with the values each slot offered. */
export interface SchemaIntent {
  spec: LlmIntentSpec;
  /** Forms whose every slot had values, as sorted slot-name lists. */
  forms: string[][];
  /** Slot name → values offered (text slots: absent). */
  values: Map<string, readonly SlotValue[]>;
}

/** A built schema: what the grammar is compiled from, and how to check what comes back. */
export interface IntentSchema {
  /** JSON schema in node-llama-cpp's supported subset. */
  schema: object;
  /** Registry version the schema was built from. */
  registryVersion: number;
  intents: SchemaIntent[];
  answers: boolean;
  answerMaxLength: number;
  /** Upper bound of the output's length in bytes under the grammar (so a maxTokens that cannot cut it). */
  maxOutputBytes: number;
}

/** All names, sorted and without duplicates (names shared by devices in two rooms appear once). */
function unique<T extends SlotValue>(values: Iterable<T>): T[] {
  return [...new Set(values)].sort((a, b) => String(a).localeCompare(String(b)));
}

function rangeValues(from: number, to: number, step = 1): number[] {
  const values: number[] = [];
  const count = Math.floor((to - from) / step + 1e-9);
  if (count > 2000)
    throw new RangeError(`slot range ${from}..${to} step ${step} has too many values for a grammar`);
  for (let i = 0; i <= count; i++) values.push(Math.round((from + i * step) * 1e6) / 1e6);
  return values;
}

/** The values a slot can take in this registry. */
function slotValues(spec: SlotSpec, registry: Registry): readonly SlotValue[] | undefined {
  const inDomains = (domains: readonly Domain[] | undefined) =>
    registry.entities().filter((e) => !domains || domains.includes(e.domain));
  switch (spec.kind) {
    case "name":
      return unique(inDomains(spec.domains).map((e) => e.name));
    case "area":
      return unique(registry.areas().map((a) => a.name));
    case "floor":
      return unique(registry.floors().map((f) => f.name));
    case "domain":
      return unique(inDomains(spec.domains).map((e) => e.domain));
    case "device_class":
      return unique(inDomains(spec.domains).flatMap((e) => (e.deviceClass ? [e.deviceClass] : [])));
    case "enum":
      return [...spec.values];
    case "range":
      return rangeValues(spec.from, spec.to, spec.step);
    case "text":
      return undefined;
  }
}

/** Builds the schema for `intents` in the registry as it is now. */
export function buildIntentSchema(
  registry: Registry,
  intents: readonly LlmIntentSpec[],
  options: IntentSchemaOptions,
): IntentSchema {
  // each distinct value list becomes one $defs entry, so 500 names appear once in the grammar
  const defs: Record<string, object> = {};
  const defByKey = new Map<string, string>();
  const refFor = (values: readonly SlotValue[]): object => {
    const key = JSON.stringify(values);
    let name = defByKey.get(key);
    if (!name) {
      name = `v${defByKey.size}`;
      defByKey.set(key, name);
      defs[name] = { enum: values };
    }
    return { $ref: `#/$defs/${name}` };
  };

  const built: SchemaIntent[] = [];
  const branches: object[] = [];
  for (const spec of intents) {
    const values = new Map<string, readonly SlotValue[]>();
    const slotSchemas = new Map<string, object>();
    for (const [slot, slotSpec] of Object.entries(spec.slots)) {
      const v = slotValues(slotSpec, registry);
      if (v === undefined && slotSpec.kind === "text") {
        slotSchemas.set(slot, { type: "string", minLength: 1, maxLength: slotSpec.maxLength });
      } else if (v && v.length > 0) {
        values.set(slot, v);
        slotSchemas.set(slot, refFor(v));
      }
    }
    const forms = spec.forms
      .filter((form) => form.every((slot) => slotSchemas.has(slot)))
      .map((form) => [...form].sort());
    if (forms.length === 0) continue;
    built.push({ spec, forms, values });
    const formSchemas = forms.map((form) => ({
      type: "object",
      properties: Object.fromEntries(form.map((slot) => [slot, slotSchemas.get(slot)])),
    }));
    branches.push({
      type: "object",
      properties: {
        intent: { const: spec.name },
        slots: formSchemas.length === 1 ? formSchemas[0] : { oneOf: formSchemas },
      },
    });
  }
  branches.push({ type: "object", properties: { intent: { const: "none" } } });
  if (options.answers) {
    branches.push({
      type: "object",
      properties: { answer: { type: "string", minLength: 1, maxLength: options.answerMaxLength } },
    });
  }
  const schema = { $defs: defs, oneOf: branches };
  return {
    schema,
    registryVersion: registry.version,
    intents: built,
    answers: options.answers,
    answerMaxLength: options.answerMaxLength,
    maxOutputBytes: maxJsonBytes(schema, defs, 0) + 8,
  };
}

/**
 * An upper bound of the bytes node-llama-cpp's JSON grammar lets the model write for `schema`:
 * every whitespace slot at its longest (a newline and the indentation), every string at its
 * longest with every character escaped. Generation capped at this many tokens always finishes
 * the JSON, whatever the weights say, since every token is at least one byte.
 */
function maxJsonBytes(schema: object, defs: Record<string, object>, depth: number): number {
  const s = schema as Record<string, unknown>;
  const ws = 1 + 4 * (depth + 2);
  if (typeof s.$ref === "string") {
    const def = defs[s.$ref.slice("#/$defs/".length)];
    return def ? maxJsonBytes(def, defs, depth) : 0;
  }
  if (Array.isArray(s.oneOf)) return Math.max(0, ...s.oneOf.map((o: object) => maxJsonBytes(o, defs, depth)));
  if (Array.isArray(s.enum)) return Math.max(0, ...s.enum.map((v) => Buffer.byteLength(JSON.stringify(v))));
  if ("const" in s) return Buffer.byteLength(JSON.stringify(s.const));
  if (s.type === "string") return 2 + 6 * Number(s.maxLength ?? 1000);
  if (s.type === "object") {
    const props = Object.entries((s.properties ?? {}) as Record<string, object>);
    let total = 2 + ws * (props.length + 1);
    for (const [key, value] of props) {
      total += Buffer.byteLength(JSON.stringify(key)) + 2 + 1 + maxJsonBytes(value, defs, depth + 1);
    }
    return total;
  }
  return 32;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Checks parsed output against the schema's intents and the live registry (a device may have gone
 * since the grammar was built). Anything unexpected is "invalid", never an exception.
 */
export function validateLlmOutput(output: unknown, built: IntentSchema, registry: Registry): LlmOutput {
  if (!isRecord(output)) return { kind: "invalid", problem: "not a JSON object" };
  if ("answer" in output) {
    if (!built.answers) return { kind: "invalid", problem: "answers are off" };
    if (Object.keys(output).length !== 1)
      return { kind: "invalid", problem: "unexpected keys beside answer" };
    const text = typeof output.answer === "string" ? cleanText(output.answer, built.answerMaxLength) : "";
    if (text === "") return { kind: "invalid", problem: "answer is empty" };
    return { kind: "answer", text };
  }
  if (output.intent === "none" && Object.keys(output).length === 1) return { kind: "none" };
  const intent = built.intents.find((i) => i.spec.name === output.intent);
  if (!intent) return { kind: "invalid", problem: `unknown intent ${JSON.stringify(output.intent)}` };
  const slots = output.slots;
  if (!isRecord(slots) || Object.keys(output).length !== 2) return { kind: "invalid", problem: "bad slots" };
  const keys = Object.keys(slots).sort();
  if (!intent.forms.some((form) => form.length === keys.length && form.every((k, i) => k === keys[i]))) {
    return { kind: "invalid", problem: `slots ${keys.join(",") || "(none)"} do not fit ${intent.spec.name}` };
  }
  const result: Slots = {};
  for (const key of keys) {
    const value = slots[key];
    const spec = intent.spec.slots[key];
    if (!spec || (typeof value !== "string" && typeof value !== "number")) {
      return { kind: "invalid", problem: `slot ${key} has no valid value` };
    }
    if (spec.kind === "text") {
      const text = typeof value === "string" ? cleanText(value, spec.maxLength) : "";
      if (text === "") return { kind: "invalid", problem: `slot ${key} is empty` };
      result[key] = text;
      continue;
    }
    const problem = checkSlot(key, value, spec, intent.values.get(key), registry);
    if (problem) return { kind: "invalid", problem };
    result[key] = value;
  }
  return { kind: "intent", intent: { name: intent.spec.name, slots: result } };
}

/**
 * Free text as it may be spoken or stored: control characters and undecodable bytes (U+FFFD; the
 * grammar counts characters as llama.cpp decodes them, which lets invalid UTF-8 through) become
 * spaces, whitespace is collapsed, and the length is capped in characters, not UTF-16 units.
 */
function cleanText(text: string, maxLength: number): string {
  const cleaned = text
    .replace(/[\p{Cc}\ufffd]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  return [...cleaned].slice(0, maxLength).join("").trim();
}

function checkSlot(
  key: string,
  value: SlotValue,
  spec: SlotSpec,
  offered: readonly SlotValue[] | undefined,
  registry: Registry,
): string | undefined {
  if (!offered?.includes(value)) return `slot ${key} value ${JSON.stringify(value)} was not offered`;
  // names, areas, floors and domains must still exist now, not only when the grammar was built
  switch (spec.kind) {
    case "name":
      return registry
        .entities()
        .some((e) => e.name === value && (!spec.domains || spec.domains.includes(e.domain)))
        ? undefined
        : `no device is named ${JSON.stringify(value)}`;
    case "area":
      return registry.areas().some((a) => a.name === value)
        ? undefined
        : `no area is named ${JSON.stringify(value)}`;
    case "floor":
      return registry.floors().some((f) => f.name === value)
        ? undefined
        : `no floor is named ${JSON.stringify(value)}`;
    case "domain":
      return (DOMAINS as readonly string[]).includes(String(value)) &&
        registry.entities().some((e) => e.domain === value)
        ? undefined
        : `no device has domain ${JSON.stringify(value)}`;
    case "device_class":
      return registry.entities().some((e) => e.deviceClass === value)
        ? undefined
        : `no device has class ${JSON.stringify(value)}`;
    default:
      return undefined;
  }
}
