import type { SlotListConfig } from "../config/schema.js";
import type { CompiledSentences } from "../intents/sentences.js";
import type { TemplateNode } from "../intents/template.js";
import type { LlmIntentSpec, SlotSpec } from "./intent-schema.js";

/**
 * The user's custom intents as LLM intent specs, so the model may choose them too: each slot's
 * values come from the list its templates use (value lists become enums, ranges ranges, names,
 * areas and floors the registry's). Forms: every slot, or none.
 */
export function customIntentSpecs(sentences: CompiledSentences): LlmIntentSpec[] {
  const specs: LlmIntentSpec[] = [];
  for (const intent of sentences.custom) {
    const slots: Record<string, SlotSpec> = {};
    for (const group of sentences.groups.filter((g) => g.intent === intent)) {
      for (const { list, slot } of slotsOf(group.template)) {
        const spec = slotSpec(list, sentences.lists.get(list));
        if (spec) slots[slot] = spec;
      }
    }
    const names = Object.keys(slots).sort();
    specs.push({
      name: intent,
      description: `${intent} (a custom intent), e.g. "${sentences.groups.find((g) => g.intent === intent)?.source ?? intent}"`,
      slots,
      forms: names.length > 0 ? [names, []] : [[]],
    });
  }
  return specs;
}

function slotSpec(list: string, def: SlotListConfig | undefined): SlotSpec | undefined {
  if (list === "name") return { kind: "name" };
  if (list === "area") return { kind: "area" };
  if (list === "floor") return { kind: "floor" };
  if (!def) return undefined;
  if ("values" in def)
    return { kind: "enum", values: [...new Set(def.values.map((v) => (typeof v === "string" ? v : v.out)))] };
  if ("range" in def) return { kind: "range", from: def.range.from, to: def.range.to, step: def.range.step };
  return { kind: "text", maxLength: 60 };
}

function slotsOf(
  node: TemplateNode,
  out: Array<{ list: string; slot: string }> = [],
): Array<{ list: string; slot: string }> {
  if (node.t === "slot") out.push({ list: node.list, slot: node.slot });
  else if (node.t === "seq") for (const n of node.items) slotsOf(n, out);
  else if (node.t === "alt") for (const n of node.options) slotsOf(n, out);
  return out;
}
