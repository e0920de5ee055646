import type { Clock } from "../../core/clock.js";
import type { Registry } from "../../registry/registry.js";
import type { Entity } from "../../registry/types.js";
import { intentSpec } from "../catalog.js";
import type { Done, TimerSnapshot } from "../handlers.js";
import type { RecognizedIntent, Slots, Understanding } from "../types.js";
import type { CompiledPacks, PackResponse } from "./compile.js";
import { JinjaFunction, type Value } from "./jinja.js";
import { ownRefusal, ownWords } from "./own-words.js";
import { stateName } from "./state-names.js";

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
  done?: Done,
): string | undefined {
  // A pack's responses are written for its own sentences' slots and response keys: for a sentence
  // one of Hearth's templates matched they answer wrongly ("off" for "which windows are open").
  if (!intent.fromPack && !intent.packReply) return undefined;
  const forIntent = packs.responses.get(intent.name);
  if (!forIntent) return undefined;
  const chosen = forIntent.get(intent.response ?? "default") ?? forIntent.get("default");
  if (!chosen) return undefined;
  const entities = intent.targets
    .map((id) => ctx.registry.entity(id))
    .filter((e): e is Entity => e !== undefined);
  // Which entities are in the state asked about is decided on Home Assistant's own state strings;
  // the templates then read the state's name in the pack's language.
  const wanted = intent.slots.state;
  const inWanted = (e: Entity) => wanted === undefined || e.state === String(wanted);
  // Most responses ("Turned on the lights") read no entity's state: then none is composed (an
  // object with a copy of its attributes for each entity acted on, garbage at once).
  const states = readsStates(chosen) ? entities.map((e) => stateObject(e, ctx.registry, packs.language)) : [];
  const matched = states.filter((_, i) => inWanted(entities[i] as Entity));
  const unmatched =
    wanted === undefined || states.length === 0
      ? []
      : states.filter((_, i) => !inWanted(entities[i] as Entity));
  const slots: Record<string, Value> = {};
  for (const [k, v] of Object.entries(intent.slots)) slots[k] = String(v);
  // Hearth's own sentences also ask about one device by its place ("wie warm ist es im
  // Schlafzimmer"), where the pack's responses read the name the pack's sentences always say.
  const [only] = entities;
  if (intent.packReply && slots.name === undefined && only && entities.length === 1) slots.name = only.name;
  if (wanted !== undefined) {
    // "No, the bathroom window is not open": the state as a word of the language, for the kind of
    // device asked about.
    const [e] = entities;
    const domain = typeof intent.slots.domain === "string" ? intent.slots.domain : e?.domain;
    const deviceClass =
      typeof intent.slots.device_class === "string" ? intent.slots.device_class : e?.deviceClass;
    if (domain) slots.state = stateName(packs.language, domain, deviceClass, String(wanted));
  }
  // Home Assistant's media search names what it found; Hearth hands the search to the players, so
  // the request itself stands for it.
  if (done?.kind === "media-requested") slots.media = { title: done.query };
  // "How long is left on the pizza timer": the pack's status response reads the timers the
  // handler chose, as Home Assistant lists them (none: "no timers").
  if (done?.kind === "timer-status") slots.timers = done.timers.map(timerStatus);
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

/**
 * One timer in the shape of Home Assistant's timer status (homeassistant/components/intent/timers.py,
 * `TimerStatusIntentHandler`): the time left exact and rounded for speech, and the length it was
 * started with. `area` is Hearth's own: the packs name a timer by its area when it has no name.
 */
function timerStatus({ timer, left }: TimerSnapshot): { [key: string]: Value } {
  const [hours, minutes, seconds] = hms(left);
  const [roundedHours, roundedMinutes, roundedSeconds] = roundForSpeech(hours, minutes, seconds);
  const [startHours, startMinutes, startSeconds] = hms(timer.seconds);
  return {
    id: String(timer.id),
    name: timer.name ?? "",
    area: timer.area ?? "",
    start_hours: startHours,
    start_minutes: startMinutes,
    start_seconds: startSeconds,
    is_active: timer.pausedLeft === undefined,
    hours_left: hours,
    minutes_left: minutes,
    seconds_left: seconds,
    rounded_hours_left: roundedHours,
    rounded_minutes_left: roundedMinutes,
    rounded_seconds_left: roundedSeconds,
    total_seconds_left: left,
  };
}

function hms(total: number): [number, number, number] {
  const s = Math.max(0, Math.round(total));
  return [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
}

/**
 * The time left as Home Assistant says it (`_round_time`): hours to the half hour, minutes to the
 * half minute, under a minute to ten seconds (exact under ten), rounding up near the next unit.
 */
function roundForSpeech(hours: number, minutes: number, seconds: number): [number, number, number] {
  if (hours > 0) {
    if (minutes > 45) return [hours + 1, 0, 0];
    return [hours, minutes < 15 ? 0 : 30, 0];
  }
  if (minutes > 0) {
    if (seconds > 45) return [0, minutes + 1, 0];
    return [0, minutes, seconds < 15 ? 0 : 30];
  }
  if (seconds > 50) return [0, 1, 0];
  return [0, 0, seconds < 10 ? seconds : seconds - (seconds % 10)];
}

const statesRead = new WeakMap<PackResponse, boolean>();

/**
 * Whether a response may read the matched entities (`state`, `query`): a template names what it
 * reads, so one that says neither word reads none (`slots.state` also makes it say yes, which only
 * costs the states it does not use; `state_attr` reads the registry itself).
 */
function readsStates(response: PackResponse): boolean {
  let reads = statesRead.get(response);
  if (reads === undefined) {
    reads = /\b(state|query)\b/.test(response.source);
    statesRead.set(response, reads);
  }
  return reads;
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
  const english = packs.language.toLowerCase().startsWith("en");
  // "Which area?", "which lamp: the one in the office or the one in the kitchen?", "what is
  // 'it'?": Home Assistant's packs have no words for Hearth's questions back, and their "I
  // couldn't understand that" or "there are several devices called Lamp" would not ask. Hearth
  // asks in its own English, or in the pack's language where it has the words.
  if (["no_area", "no_context", "timeout", "invalid_input"].includes(u.reason) && english) return undefined;
  if (u.reason === "ambiguous" && english && u.candidates?.every((c) => c.domain === undefined))
    return undefined;
  const own = ownRefusal(packs.language, u);
  if (own) return own;
  // Home Assistant's English says the raw domain ("any climate"); Hearth's English names the kind
  // of device ("no thermostats in the kitchen"). Other languages have the pack's own words.
  if (u.reason === "no_targets" && u.intent && !english) {
    // "What is the temperature" names no domain: the intent's own, where it has one.
    const domains = intentSpec(u.intent.name)?.domains;
    const domain: Slots =
      Array.isArray(domains) && domains.length === 1 ? { domain: domains[0] as string } : {};
    const nothing = nothingThere({ ...domain, ...u.intent.slots });
    if (nothing) key.no_targets = nothing;
    else {
      const none = ownWords(packs.language)?.noTargets;
      if (none) return none;
    }
  }
  if (u.reason === "unsupported") key.unsupported = ["feature_not_supported", {}];
  if (u.reason === "empty") return undefined;
  const found = key[u.reason];
  const template = found ? packs.errors.get(found[0]) : undefined;
  const said = template && found ? render(template, found[1]) : undefined;
  if (said !== undefined) return said;
  // Hearth's own replies are English: in another language the pack's "I couldn't understand
  // that" is better than a sentence in a language the speaker may not know.
  const fallback = english ? undefined : packs.errors.get("no_intent");
  return fallback ? render(fallback, {}) : undefined;
}

/**
 * Home Assistant's error for "there is no such device there" (no_domain_in_area, no_entity_in_floor
 * …), from what the sentence asked for.
 */
function nothingThere(slots: Slots): [string, Record<string, Value>] | undefined {
  const text = (k: string) =>
    typeof slots[k] === "string" || typeof slots[k] === "number" ? String(slots[k]) : undefined;
  const area = text("area");
  const floor = text("floor");
  const where = area !== undefined ? "_in_area" : floor !== undefined ? "_in_floor" : "";
  const vars: Record<string, Value> = {};
  if (area !== undefined) vars.area = area;
  else if (floor !== undefined) vars.floor = floor;
  const name = text("name");
  if (name !== undefined) return [`no_entity${where}`, { ...vars, entity: name }];
  const deviceClass = text("device_class");
  if (deviceClass !== undefined) return [`no_device_class${where}`, { ...vars, device_class: deviceClass }];
  const domain = text("domain");
  if (domain !== undefined) return [`no_domain${where}`, { ...vars, domain }];
  return undefined;
}

/**
 * What to say when a command could not be carried out (the device refused, the broker or Home
 * Assistant failed), in a pack's language other than English: the pack's own "an unexpected error
 * occurred". Undefined in English, where Hearth's reply names the reason.
 */
export function renderPackActionFailure(packs: CompiledPacks): string | undefined {
  if (packs.language.toLowerCase().startsWith("en")) return undefined;
  const template = packs.errors.get("handle_error");
  return template ? render(template, {}) : undefined;
}

/**
 * What to say when Hearth's own handler could not do what a pack's sentence asked (no such timer,
 * nothing to broadcast over …): the pack's error for it where it has one ("timer_not_found"), and in
 * a language other than English its "an unexpected error occurred" rather than Hearth's English.
 */
export function renderPackNotDone(packs: CompiledPacks, done: Done): string | undefined {
  const specific = done.kind === "no-timer" ? packs.errors.get("timer_not_found") : undefined;
  if (specific) return render(specific, {});
  return renderPackActionFailure(packs);
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

function stateObject(e: Entity, registry: Registry, language: string): { [key: string]: Value } {
  const attributes: { [key: string]: Value } = {};
  // for-in rather than Object.entries: a reply lists every entity it names, a pair array each.
  for (const k in e.attributes) {
    const v = e.attributes[k];
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean" || v === null)
      attributes[k] = v;
  }
  if (e.unit !== undefined) attributes.unit_of_measurement = e.unit;
  if (e.deviceClass !== undefined) attributes.device_class = e.deviceClass;
  const raw = e.state ?? "unknown";
  const state = stateName(language, e.domain, e.deviceClass, raw);
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
