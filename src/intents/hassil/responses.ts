import type { Clock } from "../../core/clock.js";
import type { Registry } from "../../registry/registry.js";
import type { Entity } from "../../registry/types.js";
import type { RecognizedIntent, Understanding } from "../types.js";
import type { CompiledPacks, PackResponse } from "./compile.js";
import { JinjaFunction, type Value } from "./jinja.js";

/** What a pack's response may read: the registry (live states) and the clock. */
export interface PackReplyContext {
  registry: Registry;
  clock: Clock;
}

/**
 * The reply to a recognised intent in the pack's language, from its `responses/` templates (the
 * block's `response` key, else `default`), over the slots and the matched entities the way Home
 * Assistant hands them over (`slots`, `state`, `query.matched` / `query.unmatched`). Undefined when
 * the pack has no such response or it cannot be rendered: Hearth's own reply is then used.
 */
export function renderPackReply(
  packs: CompiledPacks,
  intent: RecognizedIntent,
  ctx: PackReplyContext,
): string | undefined {
  // A pack's responses are written for its own sentences' slots and response keys: for a sentence
  // one of Hearth's templates matched they answer wrongly ("off" for "which windows are open").
  if (!intent.fromPack) return undefined;
  const forIntent = packs.responses.get(intent.name);
  if (!forIntent) return undefined;
  const chosen = forIntent.get(intent.response ?? "default") ?? forIntent.get("default");
  if (!chosen) return undefined;
  const entities = intent.targets
    .map((id) => ctx.registry.entity(id))
    .filter((e): e is Entity => e !== undefined);
  const states = entities.map((e) => stateObject(e, ctx.registry));
  const wanted = intent.slots.state;
  const matched = wanted === undefined ? states : states.filter((s) => s.state === String(wanted));
  const unmatched = wanted === undefined ? [] : states.filter((s) => s.state !== String(wanted));
  const slots: Record<string, Value> = {};
  for (const [k, v] of Object.entries(intent.slots)) slots[k] = String(v);
  const now = ctx.clock.now();
  slots.time = { hour: now.getHours(), minute: now.getMinutes(), second: now.getSeconds() };
  const weekday = (now.getDay() + 6) % 7;
  slots.date = {
    year: now.getFullYear(),
    month: now.getMonth() + 1,
    day: now.getDate(),
    weekday: new JinjaFunction(() => weekday),
  };
  const first = matched[0] ?? states[0];
  return render(chosen, {
    slots,
    state: first ?? { state: "", state_with_unit: "", attributes: {} },
    query: { matched, unmatched },
    state_attr: new JinjaFunction(([id, attr]) => {
      const e = ctx.registry.entity(String(id));
      const v = e?.attributes[String(attr)];
      return typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? v : null;
    }),
  });
}

/** Home Assistant's error responses for what was not understood or not found, in the pack's language. */
export function renderPackFailure(
  packs: CompiledPacks,
  u: Extract<Understanding, { kind: "not-recognized" }>,
): string | undefined {
  const subject = u.subject ?? "";
  const key: Record<string, [string, Record<string, Value>]> = {
    no_match: ["no_intent", {}],
    unknown_name: ["no_entity", { entity: subject }],
    unknown_area: ["no_area", { area: subject }],
    unknown_floor: ["no_floor", { floor: subject }],
    ambiguous: ["duplicate_entities", { entity: subject }],
  };
  const found = key[u.reason];
  if (!found) return undefined;
  const template = packs.errors.get(found[0]);
  return template ? render(template, found[1]) : undefined;
}

function render(response: PackResponse, vars: Record<string, Value>): string | undefined {
  try {
    // Templates are written over several indented lines: the reply is one line of speech.
    const text = response.template.render(vars).replace(/\s+/g, " ").trim();
    return text.length > 0 ? text : undefined;
  } catch {
    return undefined;
  }
}

function stateObject(e: Entity, registry: Registry): { [key: string]: Value } {
  const attributes: { [key: string]: Value } = {};
  for (const [k, v] of Object.entries(e.attributes)) {
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean" || v === null)
      attributes[k] = v;
  }
  if (e.unit !== undefined) attributes.unit_of_measurement = e.unit;
  if (e.deviceClass !== undefined) attributes.device_class = e.deviceClass;
  const state = e.state ?? "unknown";
  const area = e.areaId ? registry.area(e.areaId) : undefined;
  return {
    entity_id: e.id,
    domain: e.domain,
    name: e.name,
    state,
    state_with_unit: e.unit && /^-?\d/.test(state) ? `${state} ${e.unit}` : state,
    attributes,
    area: area?.name ?? null,
  };
}
