import type { Domain } from "../config/schema.js";
import type { Registry } from "../registry/registry.js";
import type { Area, Entity } from "../registry/types.js";
import { ENGLISH_ARTICLES } from "./articles.js";
import { intentSpec } from "./catalog.js";
import { SHOPPING_LIST } from "./lists.js";
import { KIND_WORDS } from "./local-names.js";
import type { Capture } from "./matcher.js";
import { KINDS_SAID_PLURAL, nounFor } from "./nouns.js";
import { type CompiledGroup, groupShape } from "./sentences.js";
import { pluralVariants } from "./slot-lists.js";
import { binaryState, canBeIn } from "./state-words.js";
import type { Candidate, IntentCall, NotRecognizedReason, RecognizedIntent, Slots } from "./types.js";

/**
 * Which entities a sentence group can act on: its intent's domains, narrowed by the group's
 * requires/excludes and by the domain and device class among its slots (fixed or captured).
 */
export function targetFilter(
  group: Pick<CompiledGroup, "requires" | "excludes">,
  domains: readonly Domain[] | "any",
  slots: Slots,
): (e: Entity) => boolean {
  const domainSlot = typeof slots.domain === "string" ? slots.domain : undefined;
  // A word may name several kinds ("Rollläden": shutters and blinds, "shutter|blind").
  const classSlot = typeof slots.device_class === "string" ? slots.device_class.split("|") : undefined;
  return (e: Entity): boolean =>
    (domains === "any" || domains.includes(e.domain)) &&
    (!group.requires?.domain || group.requires.domain.includes(e.domain)) &&
    (!group.requires?.device_class ||
      (e.deviceClass !== undefined && group.requires.device_class.includes(e.deviceClass))) &&
    !group.excludes?.domain?.includes(e.domain) &&
    !(e.deviceClass !== undefined && group.excludes?.device_class?.includes(e.deviceClass)) &&
    (domainSlot === undefined || e.domain === domainSlot) &&
    (classSlot === undefined || (e.deviceClass !== undefined && classSlot.includes(e.deviceClass))) &&
    attributesFit(e, group.requires?.attributes, true) &&
    attributesFit(e, group.excludes?.attributes, false);
}

/**
 * HassIL's context keys other than domain and device class name entity attributes: required ones
 * must be there (with one of the values, where values are given); excluded ones must not have one of
 * the values (or, without values, must not be there).
 */
function attributesFit(
  e: Entity,
  rules: Record<string, Array<string | number | boolean> | null> | undefined,
  required: boolean,
): boolean {
  if (!rules) return true;
  for (const [key, values] of Object.entries(rules)) {
    const actual = e.attributes[key];
    const present = actual !== undefined && actual !== null;
    const hit =
      present &&
      (values === null ||
        values.some((v) =>
          Array.isArray(actual) ? actual.some((a) => String(a) === String(v)) : String(actual) === String(v),
        ));
    if (required ? !hit : hit) return false;
  }
  return true;
}

/** Whether the speaker's area (or its floor) is one the sentence requires or excludes, by name or id. */
function placeIs(place: { id: string; name: string } | undefined, values: readonly string[]): boolean {
  if (!place) return false;
  const name = place.name.toLowerCase();
  return values.some((v) => v === place.id || v.toLowerCase() === name);
}

/** Where the speaker is (the site's area, or the area a request came from) and what was just acted on. */
export interface SpeakerContext {
  areaId?: string | undefined;
  /** Entity ids acted on last ("it", "them"), while the conversation remembers them. */
  previous?: readonly string[] | undefined;
  /**
   * Within one sentence of several commands: the devices the last run of the same command acted on
   * ("turn on the spots and the lamp and dim them": both lights), which "them" means.
   */
  run?: { name: string; targets: readonly string[] } | undefined;
  /**
   * The sentence said "in here" (a skip word, gone before matching): a sentence that otherwise
   * means the whole home ("all the lights") means the speaker's area where it has such devices.
   */
  here?: boolean | undefined;
  /**
   * The sentence said one light "of" a room or of the speaker's own ("the light of the den", "the
   * light of my room", a skip phrase gone before matching): the room's main light, where it has one
   * (see ReadingChecks.mainLightSaid).
   */
  lightOf?: boolean | undefined;
}

export type Resolution =
  | {
      ok: true;
      intent: RecognizedIntent;
      reason?: undefined;
      subject?: undefined;
      candidates?: undefined;
    }
  | {
      ok: false;
      reason: NotRecognizedReason;
      subject?: string | undefined;
      candidates?: Candidate[] | undefined;
      intent: IntentCall;
    };

// Every resolution, call and intent made here has the same fields in the same order, present even
// where undefined (JSON leaves those out): objects of one shape keep V8's code compiled for the
// resolver and its callers, where a new combination of fields made it drop that code mid-sentence
// and compile the whole resolver again on a background thread (about 250 ms of CPU on a busy core).

function resolved(intent: IntentCall, targets: string[]): Resolution {
  // The to-do list that is the shopping list, named ("add eggs to my shopping list"), is asked of
  // with the shopping-list intents, as Home Assistant answers it and docs/intents.md lists it.
  const twin = SHOPPING_TWINS[intent.name];
  if (twin !== undefined && targets.length === 1 && targets[0] === SHOPPING_LIST.id) {
    const { name: _list, ...slots } = intent.slots;
    // "Put a card for Sam on the shopping list": the item without its leading article, as Hearth's
    // own shopping-list sentences take it ("[a|an|some] {item}"); a named to-do list's item, and a
    // language pack's, keep it as said.
    if (intent.fromPack !== true && typeof slots.item === "string") slots.item = withoutArticle(slots.item);
    // It still targets that list: one Home Assistant keeps gets the item there.
    return resolved({ ...intent, name: twin, slots }, targets);
  }
  // "Turn on the vacuum": a robot vacuum switched on is sent cleaning, as its own sentences read it
  // (a language pack's plain turn-on would only switch it on, which most robots ignore).
  if (intent.name === "HassTurnOn" && targets.length > 0 && targets.every((id) => id.startsWith("vacuum.")))
    return resolved({ ...intent, name: "HassVacuumStart" }, targets);
  return {
    ok: true,
    intent: {
      name: intent.name,
      slots: intent.slots,
      response: intent.response,
      fromPack: intent.fromPack,
      packReply: intent.packReply,
      targets,
    },
    reason: undefined,
    subject: undefined,
    candidates: undefined,
  };
}

/**
 * "Add milk to the list", "remind me to buy eggs": the shopping list without its name is the
 * home's shopping list, as Home Assistant reads "[my|the] [shopping] list" (HassShoppingListAddItem).
 * Where Home Assistant keeps it (todo.shopping_list), that is the target; where the home has no such
 * list but one to-do list named for shopping ("Groceries"), that list is meant (HassListAddItem).
 */
function shoppingList(call: IntentCall, registry: Registry): Resolution {
  if (registry.entity(SHOPPING_LIST.id)) return resolved(call, [SHOPPING_LIST.id]);
  const named = registry.entities().filter((e) => e.domain === "todo" && SHOPPING_WORDS.test(e.name));
  const [only] = named;
  if (named.length !== 1 || !only) return resolved(call, []);
  const name = SHOPPING_INTENTS[call.name] as string;
  return resolved({ ...call, name, slots: { ...call.slots, name: only.name } }, [only.id]);
}

/** Free text without the English article it starts with ("a card for sam"), where more follows. */
function withoutArticle(text: string): string {
  const [first, ...rest] = text.split(" ");
  return rest.length > 0 && (ENGLISH_ARTICLES as readonly string[]).includes(first ?? "")
    ? rest.join(" ")
    : text;
}

/** The to-do list intents that stand for the shopping-list intents said of a list named for shopping. */
const SHOPPING_INTENTS: Readonly<Record<string, string>> = {
  HassShoppingListAddItem: "HassListAddItem",
  HassShoppingListCompleteItem: "HassListCompleteItem",
  HassShoppingListLastItems: "HassListGetItems",
};

/** A to-do list's name that says it is for shopping (English: the pack's word "shopping" and its kin). */
const SHOPPING_WORDS = /\b(shopping|grocery|groceries)\b/i;

/** The shopping-list intents that stand for the to-do list intents said of the shopping list. */
const SHOPPING_TWINS: Readonly<Record<string, string>> = {
  HassListAddItem: "HassShoppingListAddItem",
  HassListCompleteItem: "HassShoppingListCompleteItem",
  HassListGetItems: "HassShoppingListLastItems",
};

function failed(
  reason: NotRecognizedReason,
  intent: IntentCall,
  subject?: string,
  candidates?: Candidate[],
): Resolution {
  return { ok: false, intent, reason, subject, candidates };
}

/** The call a group's match makes, before its targets are known. */
function callOf(group: CompiledGroup, slots: Slots): IntentCall {
  // Which answer the sentence asks for: Hearth's sentence files and language packs say it alike.
  const pack = group.pack?.response;
  return {
    name: group.intent,
    slots,
    response: group.response ?? (pack !== undefined && pack !== "default" ? pack : undefined),
    fromPack: group.pack !== undefined ? true : undefined,
    packReply: group.packResponses ? true : undefined,
  };
}

/** The slots a match fills: the group's fixed ones, then what was said. */
function slotsOf(group: CompiledGroup, captures: readonly Capture[]): Slots {
  const slots: Slots = { ...group.slots };
  let command = false;
  for (const c of captures) {
    if (c.extra) {
      const prefix = c.slot === "duration" ? "" : `${c.slot}_`;
      for (const [k, v] of Object.entries(c.extra)) slots[prefix + k] = v;
      continue;
    }
    if (c.slot === DELAYED_COMMAND) {
      // A command said around its delay ("schalte das Licht in zehn Minuten aus") is its two
      // parts joined: what runs when the timer ends ("schalte das Licht aus").
      slots[c.slot] = command ? `${slots[c.slot]} ${c.value}` : c.value;
      command = true;
      continue;
    }
    slots[c.slot] = c.value;
  }
  return slots;
}

/**
 * A command to carry out later that says "it" or "them" ("switch the fan on and turn it off in ten
 * minutes") with the names of what they mean now: when the timer ends, the conversation that knew
 * has long been forgotten.
 */
function namedBack(command: string, previous: readonly string[], registry: Registry): string {
  const names = [...new Set(previous.map((id) => registry.entity(id)?.name).filter((n) => n !== undefined))];
  if (names.length === 0 || !/\b(it|them)\b/i.test(command)) return command;
  return command.replace(/\b(it|them)\b/i, names.map((n) => `the ${n.toLowerCase()}`).join(" and "));
}

/** "them", "those", "these": all that the last run of commands acted on, not only its last part's. */
const PLURAL_PRONOUN = /\b(them|those|these|both)\b/;

/** The slot of a command to carry out when a timer ends (Home Assistant's HassStartTimer). */
export const DELAYED_COMMAND = "conversation_command";

/** The capture of a name, an area or a floor, if the match has one (the last one said). */
function captureOf(captures: readonly Capture[], list: "name" | "area" | "floor"): Capture | undefined {
  let found: Capture | undefined;
  for (const c of captures) {
    if (c.extra) continue;
    if (list === "name" ? c.list === "name" || c.list === "previous" : c.list === list) found = c;
  }
  return found;
}

/**
 * "Cancel the laundry timer" where the Laundry Room is also called laundry: a room said by an
 * alias, not by its name, is the timer's name, as timers are called after what they time; said by
 * its name ("the laundry room timer") it stays the room. Either way the timer called so is found
 * first when the command is carried out, else the room's (TimerManager.find); a timer being
 * started keeps the room it is set for.
 */
function timerCalledByAlias(group: CompiledGroup, captures: readonly Capture[], slots: Slots): void {
  if (intentSpec(group.intent)?.handler !== "timer" || group.intent === "HassStartTimer") return;
  const area = captureOf(captures, "area");
  if (!area || slots.name !== undefined || typeof slots.area !== "string") return;
  const said = saidName(area.text);
  if (said.length === 0 || said.join(" ") === nameWords(slots.area).join(" ")) return;
  slots.name = said.join(" ");
  delete slots.area;
}

/** A name, area or floor said that the home does not have. */
/**
 * "die Steckdose in der Werkstatt" for "Steckdose Werkstatt", "die Schreibtischlampe im
 * Kinderzimmer Paul" for "Schreibtischlampe Paul": a name said before its area, whose last words
 * complete it. Where the name said is no device of that area (or none at all) and exactly one of
 * the area's devices is called the name and the area's last words, the captures with that device
 * named; else undefined.
 */
function completedByArea(captures: readonly Capture[], registry: Registry): Capture[] | undefined {
  const nameCap = captureOf(captures, "name");
  const areaIds = captureOf(captures, "area")?.ids;
  if (nameCap?.list !== "name" || !areaIds || areaIds.length !== 1) return undefined;
  const areaId = areaIds[0] as string;
  if (
    nameCap.quality !== "unknown" &&
    (nameCap.ids ?? []).some((id) => registry.entity(id)?.areaId === areaId)
  )
    return undefined;
  const area = registry.area(areaId);
  if (!area) return undefined;
  const said = nameWords(nameCap.text);
  if (said.length === 0) return undefined;
  const wanted = new Set<string>();
  for (const n of [area.name, ...area.aliases]) {
    const words = nameWords(n);
    for (let k = 0; k < words.length; k++) wanted.add([...said, ...words.slice(k)].join(" "));
  }
  const found = registry
    .entitiesIn(areaId)
    .filter((e) => wanted.has(homeName(e.name).text) || e.aliases.some((n) => wanted.has(homeName(n).text)));
  const [only] = found;
  if (found.length !== 1 || !only) return undefined;
  return captures.map((c) =>
    c === nameCap ? { ...c, value: only.name, ids: [only.id], quality: undefined } : c,
  );
}

/**
 * "Set the study to 21 degrees", "what's the temperature in the study" where the study's radiator
 * is called "Study Radiator" and stands in an area called otherwise ("Main Study") or in none: a
 * room said that is no area (nor a name) of the home, for an intent on thermostats, is the one
 * thermostat whose name (or an alias) holds the words said, as people name a room's heating by the
 * room. Only for intents on thermostats alone, where exactly one thermostat fits: the captures with
 * the room made that device's name, or undefined.
 */
function thermostatByRoom(
  group: CompiledGroup,
  captures: readonly Capture[],
  registry: Registry,
  slots: Slots,
): Capture[] | undefined {
  const at = captures.findIndex(
    (c) => !c.extra && c.quality === "unknown" && (c.list === "area" || c.list === "name"),
  );
  const cap = captures[at];
  // Only for what acts on thermostats alone: "turn on the air con in the bedroom" finds the room
  // by the place readings, as it finds any device.
  const domains = group.requires?.domain ?? intentSpec(group.intent)?.domains;
  if (!cap || domains?.length !== 1 || domains[0] !== ROOM_HEATING) return undefined;
  if (captures.some((c) => c !== cap && !c.extra && (c.list === "name" || c.list === "area")))
    return undefined;
  const said = saidName(cap.text);
  if (said.length === 0) return undefined;
  const { area: _area, name: _name, ...rest } = slots;
  const eligible = targetFilter(group, [ROOM_HEATING], rest);
  const saidHere = (n: string) => holds(homeName(n).words, said);
  const found = registry.entities().filter((e) => eligible(e) && [e.name, ...e.aliases].some(saidHere));
  const [only] = found;
  if (found.length !== 1 || !only) return undefined;
  const out = [...captures];
  out[at] = { ...cap, slot: "name", list: "name", value: only.name, ids: [only.id], quality: undefined };
  return out;
}

/** The domain of the devices that heat or cool a room (thermostats, radiators, air conditioners). */
const ROOM_HEATING = "climate";

function unknownPlaceOrName(captures: readonly Capture[], call: IntentCall): Resolution | undefined {
  for (const c of captures) {
    if (c.quality !== "unknown" || (c.list !== "name" && c.list !== "area" && c.list !== "floor")) continue;
    // "the third floor" said where an area fits is still a floor that does not exist.
    const floorish = /\b(floor|storey|story|level)$/.test(c.text);
    const reason: NotRecognizedReason =
      c.list === "name" ? "unknown_name" : c.list === "floor" || floorish ? "unknown_floor" : "unknown_area";
    return failed(reason, call, c.text);
  }
  return undefined;
}

/**
 * "How much power is the dishwasher using", "what's the battery of the front door": a measure
 * asked of a device that measures nothing itself (a switch, a lock) is asked of the sensors whose
 * names hold the device's name ("Dishwasher Power", "Front Door Battery"); those of the measure
 * said first, where it was said and one of them measures it.
 */
function measuredOf(
  named: readonly Entity[],
  registry: Registry,
  eligible: (e: Entity) => boolean,
  measure: unknown,
): Entity[] {
  const names = [...new Set(named.map((e) => e.name))];
  if (names.length === 0) return [];
  // Several names (rare): their sensors together, in the home's order.
  const holders =
    names.length === 1
      ? sensorsHolding(names[0] as string, registry)
      : registry.entities().filter((e) => names.some((n) => sensorsHolding(n, registry).includes(e)));
  const found = holders.filter((e) => !named.includes(e) && eligible(e));
  const same = typeof measure === "string" ? found.filter((e) => e.deviceClass === measure) : [];
  return same.length > 0 ? same : found;
}

/**
 * The sensors and binary sensors whose names hold `name`'s words and more ("Dishwasher Power" for
 * "Dishwasher"), in the home's order. Kept for the home's entity list they were read from (a new
 * list after any change): measuredOf asks for every template that names a device it cannot act on
 * (a lock said with "turn on"), and a look through every device of the home each time was a tenth
 * of reading such a sentence.
 */
function sensorsHolding(name: string, registry: Registry): readonly Entity[] {
  const entities = registry.entities();
  let byName = HOLDERS.get(entities);
  if (byName === undefined) {
    byName = new Map();
    HOLDERS.set(entities, byName);
  }
  let found = byName.get(name);
  if (found === undefined) {
    const words = [nameWords(name)];
    found = entities.filter(
      (e) =>
        (e.domain === "sensor" || e.domain === "binary_sensor") && holdsAny(entityNameWords(e.name), words),
    );
    byName.set(name, found);
  }
  return found;
}

/** sensorsHolding's answers by the entity list they were read from. */
const HOLDERS = new WeakMap<readonly Entity[], Map<string, readonly Entity[]>>();

/** The plural of a kind of device as said last in a name ("blinds"), with the domain or device class it means. */
const PLURAL_KINDS: ReadonlyMap<string, string> = new Map([
  ...KINDS_SAID_PLURAL.map((k) => [nounFor(k, 2) as string, k] as const),
  ["lamps", "light"],
]);

/** The words of a name, as the English sentences spell them. */
function nameWords(name: string): string[] {
  return splitWords(name.replace(/['’]/g, "")).filter((w) => w.length > 0);
}

/** A name lower-cased and split at every character that is no letter or digit. */
function splitWords(name: string): string[] {
  return name.toLowerCase().split(/[^\p{L}\p{N}]+/u);
}

/**
 * nameWords of the home's names (devices', areas', their aliases), and the same joined by spaces,
 * kept: measuredOf reads every sensor's name for each device that measures nothing itself (a lock
 * said with "turn on"), and kindGroup, kindHere and completedByArea the names of every device of a
 * kind or a room for each template that takes a name the home does not have, two regular
 * expressions and a split a name each time. Read only; a bounded cache of a pure function, so a
 * renamed device is simply a new key.
 */
const HOME_NAMES = new Map<string, { words: readonly string[]; text: string }>();

function homeName(name: string): { words: readonly string[]; text: string } {
  let found = HOME_NAMES.get(name);
  if (found === undefined) {
    if (HOME_NAMES.size >= 8192) HOME_NAMES.clear();
    const words = nameWords(name);
    found = { words, text: words.join(" ") };
    HOME_NAMES.set(name, found);
  }
  return found;
}

/** Words that open a name as said and are no part of it ("the pendant", "my lamp", "our heater"). */
const NAME_LEAD: ReadonlySet<string> = new Set(["the", "my", "our"]);
/** The same, and "all" before a kind said in the plural ("all the desk lamps"). */
const ALL_LEAD: ReadonlySet<string> = new Set([...NAME_LEAD, "all"]);

/** The words of a name as said, without the words before it that are none of it (`lead`). */
function saidName(text: string, lead: ReadonlySet<string> = NAME_LEAD): string[] {
  const words = nameWords(text);
  let i = 0;
  while (i < words.length && lead.has(words[i] as string)) i++;
  return i === 0 ? words : words.slice(i);
}

function entityNameWords(name: string): readonly string[] {
  return homeName(name).words;
}

/** Whether a device's name or one of its aliases ends in the word `word` ("Desk Lamp" in "lamp"). */
function lastWordIs(e: Entity, word: string | undefined): boolean {
  return homeName(e.name).words.at(-1) === word || e.aliases.some((n) => homeName(n).words.at(-1) === word);
}

/** Whether `words` hold one of `parts` and more besides. */
function holdsAny(words: readonly string[], parts: readonly (readonly string[])[]): boolean {
  for (const part of parts) if (words.length > part.length && holds(words, part)) return true;
  return false;
}

/** Whether `part` comes in `words`, word for word and in order. */
function holds(words: readonly string[], part: readonly string[]): boolean {
  for (let i = 0; i + part.length <= words.length; i++) {
    let k = 0;
    while (k < part.length && words[i + k] === part[k]) k++;
    if (k === part.length) return true;
  }
  return false;
}

/**
 * "The bedroom blinds" where no device nor room is called so (blinds named "Master Bedroom Blind"
 * and "Guest Bedroom Blind", or "Bedroom Blind Left" and "… Right"): a kind said in the plural
 * after words of names is every device of that kind whose name, or whose room's name, holds those
 * words, as a name said in the plural means all it names. Only for a name not known as said, or
 * known only as a near miss (where one of the blinds was taken); the captures with the name made a
 * group of them, or undefined.
 */
function kindGroup(captures: readonly Capture[], registry: Registry): Capture[] | undefined {
  const at = captures.findIndex(
    (c) => c.list === "name" && !c.extra && (c.quality === "unknown" || c.quality === "fuzzy"),
  );
  const cap = captures[at];
  if (!cap) return undefined;
  const words = saidName(cap.text, ALL_LEAD);
  const kind = PLURAL_KINDS.get(words[words.length - 1] ?? "");
  const part = words.slice(0, -1);
  if (kind === undefined || part.length === 0) return undefined;
  const ids: string[] = [];
  const holdsPart = (n: string) => holds(homeName(n).words, part);
  for (const e of registry.entities()) {
    if (e.domain !== kind && e.deviceClass !== kind) continue;
    const area = e.areaId ? registry.area(e.areaId) : undefined;
    if (
      holdsPart(e.name) ||
      e.aliases.some(holdsPart) ||
      (area !== undefined && (holdsPart(area.name) || area.aliases.some(holdsPart)))
    )
      ids.push(e.id);
  }
  // A near miss of one name stands unless the words name several.
  if (ids.length === 0 || (cap.quality === "fuzzy" && ids.length < 2)) return undefined;
  const out = [...captures];
  out[at] = { ...cap, value: words.join(" "), ids, quality: "group" };
  return out;
}

/** The words that say what a device is, in the singular ("lamp", "light", "fan", "blind"). */
const KIND_NOUNS: ReadonlySet<string> = new Set([
  ...Object.values(KIND_WORDS).flatMap((k) => k ?? []),
  ...KINDS_SAID_PLURAL.map((k) => nounFor(k, 1) as string),
]);

/**
 * "Turn off the lamp" in a room with one lamp (the Desk Lamp) among its lights: a kind of device
 * said alone, no device nor list being called so, is the device of the room whose name (or an
 * alias) ends in that word, as "the heater" is the one Oil Heater of the home (see headNouns in
 * template-recognizer.ts). The room is the one said, else the speaker's; with two such devices
 * there, the question which. Only for a name not known as said; the captures with the name made
 * the devices so called there, or undefined.
 */
function kindHere(
  captures: readonly Capture[],
  registry: Registry,
  context: SpeakerContext,
): Capture[] | undefined {
  const at = captures.findIndex((c) => c.list === "name" && !c.extra && c.quality === "unknown");
  const cap = captures[at];
  if (!cap) return undefined;
  const words = saidName(cap.text);
  const [kind] = words;
  if (words.length !== 1 || kind === undefined || !KIND_NOUNS.has(kind)) return undefined;
  const areaIds = captureOf(captures, "area")?.ids ?? (context.areaId ? [context.areaId] : []);
  const ids = registry
    .entities()
    .filter((e) => inArea(e, areaIds) && lastWordIs(e, kind))
    .map((e) => e.id);
  if (ids.length === 0) return undefined;
  const out = [...captures];
  // "stem": devices named alike, one of which is meant (the question which, for two).
  out[at] = { ...cap, value: kind, ids, quality: "stem" };
  return out;
}

/**
 * "Turn on the fan" (or "the light") in a room with no device of that domain: the room's device of
 * another kind whose name ends in the domain's word (or, in a place said, its plural), a switch
 * called "Desk Fan", "Workbench Light" or "Deck Lights"; with two, the question which. The room is the one said, else the speaker's. Undefined where the
 * domain read as said stands: the room has a device of it, or none is called so there.
 */
function calledByKind(
  group: CompiledGroup,
  pool: readonly Entity[],
  areaIds: readonly string[] | undefined,
  registry: Registry,
  context: SpeakerContext,
  call: IntentCall,
): Entity[] | Resolution | undefined {
  const slots = call.slots;
  const domain = typeof slots.domain === "string" ? slots.domain : undefined;
  const room = areaIds ?? (context.areaId ? [context.areaId] : undefined);
  if (domain === undefined || slots.device_class !== undefined || !room) return undefined;
  if (pool.some((e) => inArea(e, room))) return undefined;
  // The domain's own word only: a switch called "Lamp" is no answer to "the lights in the office".
  // In the plural too where the place is said ("lights out on the deck", whose string lights are
  // a switch called "Deck Lights"); where the speaker is, the lights asked for are the room's lights.
  const word = nounFor(domain, 1);
  const words = areaIds ? nounFor(domain, 2) : undefined;
  const { domain: _said, ...rest } = slots;
  const eligible = targetFilter(group, intentSpec(group.intent)?.domains ?? [], rest);
  const called = registry
    .entities()
    .filter(
      (e) =>
        e.domain !== domain &&
        inArea(e, room) &&
        eligible(e) &&
        (lastWordIs(e, word) || (words !== undefined && lastWordIs(e, words))),
    );
  const [only] = called;
  if (!only) return undefined;
  if (called.length > 1)
    return failed(
      "ambiguous",
      call,
      nounFor(domain, 1) ?? domain,
      called.map((e) => ({ id: e.id, name: e.name })),
    );
  delete slots.domain;
  slots.name = only.name;
  return called;
}

/**
 * "Off the tubelight" said in the bedroom, where the Porch's light is called Tubelight and the
 * bedroom's Bedroom Tubelight; "on the AC" said in the bedroom, where the study's is called AC: a
 * name said that fits devices of other rooms only, where the speaker's room has a device of the
 * intent whose name ends in the words said, means that device, as Home Assistant prefers the
 * satellite's area among the devices a name fits. A name fitted exactly elsewhere still wins where
 * the speaker's room has no device called so. Not where a place was said ("the tubelight on the
 * porch"), for "it" and the devices a word names together ("the desk lamps"), nor for a word that
 * only says a kind of device ("the lamp" for the one called Lamp: the readings by kind answer that).
 * The captures with the name made the devices so called here (two or more: the question which), or
 * undefined.
 */
function calledHere(
  nameCap: Capture,
  captures: readonly Capture[],
  registry: Registry,
  context: SpeakerContext,
  eligible: (e: Entity) => boolean,
  call: IntentCall,
): Capture[] | undefined {
  const here = context.areaId;
  if (here === undefined || nameCap.list !== "name" || call.response === "any") return undefined;
  // "It", the words of several devices together and words no name holds stay as they are.
  const q = nameCap.quality;
  if (q === "unknown" || q === "group" || q === "every") return undefined;
  if (captureOf(captures, "area") || captureOf(captures, "floor")) return undefined;
  const named = (nameCap.ids ?? []).map((id) => registry.entity(id)).filter((e) => e !== undefined);
  // An area-local name that only says the kind ("the fan" for the Nursery Fan) gives way to the
  // reading by kind where the speaker's room has one (namedPool).
  if (q === "local" && saidKind(nameCap.text, named)) return undefined;
  if (named.some((e) => e.areaId === here && eligible(e))) return undefined;
  const said = saidName(nameCap.text);
  const key = said.join("");
  if (key === "" || (said.length === 1 && saysKind(key))) return undefined;
  const found = registry
    .entitiesIn(here)
    .filter((e) => eligible(e) && [e.name, ...e.aliases].some((n) => endsIn(entityNameWords(n), key)));
  const [only] = found;
  if (!only) return undefined;
  return captures.map((c) =>
    c === nameCap
      ? {
          ...c,
          value: found.length === 1 ? only.name : said.join(" "),
          ids: found.map((e) => e.id),
          quality: found.length === 1 ? undefined : ("stem" as const),
        }
      : c,
  );
}

/**
 * Whether a name's last words, its number aside ("Tubelight 2"), are `key` written together: "Tube
 * Light" and "Bedroom Tubelight" end in "tubelight".
 */
function endsIn(words: readonly string[], key: string): boolean {
  const end = /^\d+$/.test(words.at(-1) ?? "") ? words.length - 1 : words.length;
  let tail = "";
  for (let k = end - 1; k >= 0 && tail.length < key.length; k--) {
    tail = (words[k] as string) + tail;
    if (tail === key) return true;
  }
  return false;
}

/** Whether a word only says a kind of device, in the singular or the plural ("light", "lamps"). */
function saysKind(word: string): boolean {
  return KIND_NOUNS.has(word) || PLURAL_KINDS.has(word);
}

function inArea(e: Entity, ids: readonly string[]): boolean {
  return e.areaId !== undefined && ids.includes(e.areaId);
}

function onFloor(registry: Registry, e: Entity, ids: readonly string[]): boolean {
  const area = e.areaId ? registry.area(e.areaId) : undefined;
  return area?.floorId !== undefined && ids.includes(area.floorId);
}

/**
 * Turns a template match into an intent acting on real entities: applies the intent's domains,
 * the sentence's constraints, the named device, area and floor, and the speaker's area. "No such
 * device", "nothing there" and "which one?" are results, not errors. Each step is a function of its
 * own, small enough for V8 to compile early and cheaply.
 */
export function resolveMatch(
  group: CompiledGroup,
  said: readonly Capture[],
  registry: Registry,
  context: SpeakerContext,
): Resolution {
  let captures = said;
  if (context.here && intentSpec(group.intent)?.outdoors && !captureOf(said, "name")) {
    const indoors = roomTemperature(context, registry);
    if (indoors) return indoors;
  }
  const slots = slotsOf(group, captures);
  // "die Glotze leiser": a word that prefers some targets (`{…:prefer}`, "class|name word|…"), no
  // slot of the intent.
  const prefer = typeof slots.prefer === "string" ? slots.prefer.split("|") : undefined;
  if (prefer) delete slots.prefer;
  // "how much power is the dishwasher using": what is measured, no slot of the intent (see measuredOf).
  const measure = typeof slots.measure === "string" ? slots.measure : undefined;
  if (measure) delete slots.measure;
  // An empty class: words of names alone ("|ac|aircon"); "cooling|ac|…": an air conditioner.
  // "Turn on the air con": a word for a domain that also says which of its devices are meant
  // ("climate|cooling", see COOLING): the domain, and a preference of the targets.
  const kindOf = typeof slots.domain === "string" ? slots.domain.split("|") : [];
  if (kindOf.length > 1) slots.domain = kindOf[0] as string;
  const liking =
    group.prefers ??
    (prefer && prefer.length > 1
      ? { device_class: prefer[0] ? [prefer[0]] : [], name_words: prefer.slice(1) }
      : kindOf.length > 1
        ? { device_class: kindOf.slice(1) }
        : undefined);
  const later = slots[DELAYED_COMMAND];
  if (typeof later === "string" && context.previous?.length)
    slots[DELAYED_COMMAND] = namedBack(later, context.previous, registry);
  // "how much battery does the hoover have": the measure of the one device of a kind (`measure_of`,
  // its domain), no slot of the intent.
  const owner = typeof slots.measure_of === "string" ? slots.measure_of : undefined;
  if (owner !== undefined) delete slots.measure_of;
  // "what temperature is it outside": only what stands where, or is named for where, one of these
  // words says (`placed_by`, "outdoor|garden|…"), no slot of the intent.
  const placedBy = typeof slots.placed_by === "string" ? slots.placed_by.split("|") : undefined;
  if (placedBy) delete slots.placed_by;
  // "is any heater on": what is named as one of these words says ("Study Heater", a thermostat or
  // a plug alike: `named_by`), no slot of the intent.
  const namedBy = typeof slots.named_by === "string" ? slots.named_by.split("|") : undefined;
  if (namedBy) delete slots.named_by;
  const call = callOf(group, slots);
  const grouped = kindGroup(captures, registry) ?? kindHere(captures, registry, context);
  if (grouped) {
    captures = grouped;
    slots.name = String(captureOf(grouped, "name")?.value);
  }
  const completed = completedByArea(captures, registry);
  if (completed) {
    captures = completed;
    slots.name = String(captureOf(completed, "name")?.value);
  }
  const byRoom = thermostatByRoom(group, captures, registry, slots);
  if (byRoom) {
    captures = byRoom;
    delete slots.area;
    slots.name = String(captureOf(byRoom, "name")?.value);
  }
  const unknown = unknownPlaceOrName(captures, call);
  // "Put the book down": words of everyday talk about no device of the home are no command.
  if (unknown) return group.ordinaryTalk ? failed("no_match", call) : unknown;
  let nameCap = captureOf(captures, "name");

  const domains = intentSpec(group.intent)?.domains;
  if (!domains) {
    timerCalledByAlias(group, captures, slots);
    // Intents without devices (timers, time, custom ones) still report the devices they name,
    // and a sentence that requires a kind of entity ("tell <person> …") takes only that kind.
    const ids = nameCap?.ids ? [...nameCap.ids].sort() : [];
    if (!nameCap && SHOPPING_INTENTS[call.name]) return shoppingList(call, registry);
    if (!nameCap || (!group.requires && !group.excludes)) return resolved(call, ids);
    const fits = targetFilter(group, "any", slots);
    const kept = ids.filter((id) => {
      const e = registry.entity(id);
      return e !== undefined && fits(e);
    });
    return kept.length > 0 ? resolved(call, kept) : failed("no_match", call);
  }
  const areaIds = captureOf(captures, "area")?.ids;
  const floorIds = captureOf(captures, "floor")?.ids;
  const eligible = targetFilter(group, domains, slots);
  // "Off the tubelight" said in the bedroom: the Bedroom Tubelight, not the one called Tubelight
  // elsewhere.
  const nearer = nameCap ? calledHere(nameCap, captures, registry, context, eligible, call) : undefined;
  if (nearer) {
    captures = nearer;
    nameCap = captureOf(nearer, "name");
    slots.name = String(nameCap?.value);
  }

  let pool: Entity[];
  let inAreaOnly = false;
  if (nameCap) {
    const named = namedPool(nameCap, areaIds, registry, context, call, slots);
    if (!Array.isArray(named)) return named;
    pool = named.filter(eligible);
    if (pool.length === 0 && nameCap.list === "name")
      pool = measuredOf(named, registry, eligible, measure ?? slots.device_class);
    // "Put the kettle down" is no command for a kettle: said to no light, it is just talk.
    if (pool.length === 0 && group.ordinaryTalk) return failed("no_match", call);
    if (pool.length === 0) {
      const subject = nameCap.list === "previous" ? (named[0]?.name ?? nameCap.text) : String(nameCap.value);
      return failed("unsupported", call, subject);
    }
  } else if (owner !== undefined) {
    const things = registry.entities().filter((e) => e.domain === owner);
    pool = things.length === 1 ? measuredOf(things, registry, eligible, measure ?? slots.device_class) : [];
  } else if (areaIds?.length === 1 && areaIds[0] !== undefined) {
    // One area said: its own devices, in the home's order (what filtering the home's by area gives).
    pool = registry.entitiesIn(areaIds[0]).filter(eligible);
    inAreaOnly = true;
  } else {
    pool = registry.entities().filter(eligible);
  }
  if (placedBy) pool = pool.filter((e) => placedAmong(e, placedBy, registry));
  if (namedBy) pool = pool.filter((e) => namedAmong(e, namedBy));
  const everywhere = pool;
  if (
    group.intent === "HassGetState" &&
    (slots.state === "open" || slots.state === "closed") &&
    pool.length > 0 &&
    pool.every((e) => OPENED_AS_SWITCHED.has(e.domain))
  )
    // "How many lights are open downstairs": lights and fans are opened and closed in the English
    // of many who learnt it after Hindi, Spanish or Chinese; on and off are their states.
    slots.state = slots.state === "open" ? "on" : "off";
  if (!nameCap && typeof slots.state === "string" && slots.state !== "on" && slots.state !== "off") {
    // "which sensors are open": the windows and doors, not the phone's charging sensor.
    const wanted = slots.state;
    pool = pool.filter((e) => canBeIn(e, wanted));
  }
  if (areaIds) pool = pool.filter((e) => inArea(e, areaIds));
  if (areaIds && pool.length === 0 && !nameCap && intentSpec(group.intent)?.oneDevice) {
    // "make it warmer in the lounge" where the lounge has no thermostat of its own: the one of its
    // floor (the hall's central heating), where that floor has exactly one.
    const floors = new Set(areaIds.map((id) => registry.area(id)?.floorId).filter((f) => f !== undefined));
    const onItsFloor = registry.entities().filter((e) => {
      if (!eligible(e)) return false;
      const floor = e.areaId ? registry.area(e.areaId)?.floorId : undefined;
      return floor !== undefined && floors.has(floor);
    });
    if (onItsFloor.length === 1) pool = onItsFloor;
  }
  if (floorIds) pool = pool.filter((e) => onFloor(registry, e, floorIds));
  // "Turn on the fan" in a room whose one fan is a switch called "Desk Fan".
  const byKind =
    nameCap || owner !== undefined ? undefined : calledByKind(group, pool, areaIds, registry, context, call);
  if (byKind && !Array.isArray(byKind)) return byKind;
  if (byKind) pool = byKind;
  // "vacuum the kitchen", "get Rocky to do the kitchen": the area is where to clean, not where
  // the robot docks.
  if (pool.length === 0 && intentSpec(group.intent)?.worksElsewhere)
    pool = !nameCap && inAreaOnly ? registry.entities().filter(eligible) : everywhere;

  if (!nameCap && liking && pool.length > 1 && intentSpec(group.intent)?.oneDevice) {
    // "set the air con to 20" where a thermostat heats the house and an air conditioner cools a
    // room: the one whose kind was said, before the speaker's room's default.
    const liked = pool.filter((e) => preferred(e, liking));
    if (liked.length > 0) pool = liked;
    else pool = theOneThatCools(pool, liking);
  } else if (!nameCap && liking && pool.length > 1) {
    // "Turn on the air con" too, where the home has one climate device that can cool: a heat-only
    // thermostat is no air conditioner, wherever the speaker is.
    pool = theOneThatCools(pool, liking);
  }
  const here = speakerPool(
    group,
    pool,
    nameCap !== undefined || owner !== undefined || byKind !== undefined,
    areaIds,
    floorIds,
    registry,
    context,
    call,
    slots,
  );
  if (!Array.isArray(here)) return here;
  // "them" is what was acted on, wherever it is: not narrowed to the speaker's room.
  if (nameCap?.list !== "previous") pool = here;
  if (typeof slots.device_class === "string" && slots.device_class.includes("|")) {
    // Of the kinds a word names, the one found (all of them found: the word's first, as it is said).
    const found = new Set(pool.map((e) => e.deviceClass));
    const [only] = found;
    slots.device_class =
      found.size === 1 && only !== undefined ? only : (slots.device_class.split("|")[0] as string);
  }
  const kinds = group.requires?.device_class;
  if (kinds && kinds.length > 1 && slots.device_class === undefined) {
    // "is anyone in the lounge" asks occupancy and presence sensors alike: the kind is what was found.
    const found = new Set(pool.map((e) => e.deviceClass));
    const [only] = found;
    if (found.size === 1 && only !== undefined) slots.device_class = only;
  }
  if (!nameCap && liking && pool.length > 1) {
    // "mach die Glotze aus" in a room with a TV and a radio: the TV.
    const liked = pool.filter((e) => preferred(e, liking));
    if (liked.length > 0) pool = liked;
  }
  const prefers = intentSpec(group.intent)?.prefers;
  if (!nameCap && prefers && pool.length > 1) {
    // "pause" where one player plays and another stands idle: the one playing, as Assist does.
    const busy = pool.filter((e) => e.state !== undefined && prefers.includes(e.state));
    if (busy.length > 0) pool = busy;
  }

  if (pool.length === 0) {
    return failed("no_targets", call, describeScope(slots, registry, domains, areaIds, floorIds));
  }
  // "them" is what was acted on, however many and wherever they are: no question which; "the
  // bedroom blinds" every blind whose name or room says bedroom.
  if (nameCap && nameCap.list !== "previous" && nameCap.quality !== "group") {
    const which = oneName(group, nameCap, pool, registry, call, slots);
    if (!Array.isArray(which)) return which;
    pool = which;
  }
  if (
    group.intent === "HassGetState" &&
    (slots.state === "on" || slots.state === "off") &&
    pool.every((e) => e.domain === "valve")
  ) {
    // "ist das Ventil zu" read by a sentence for anything that is on or off: a valve is open or
    // closed (Home Assistant's valve states), and "on" would never be its state.
    slots.state = slots.state === "on" ? "open" : "closed";
  }
  if (group.intent === "HassGetState" && typeof slots.state === "string") {
    // "Is the larder door open" of a door contact: Home Assistant's "on" (its device class says
    // what on means), as the pack's lists give it; the reply says it in words again.
    const binary = binaryState(pool, slots.state);
    if (binary !== undefined) slots.state = binary;
  }
  if (
    typeof slots.brightness_step === "number" ||
    typeof slots.light_need === "number" ||
    typeof slots.temperature_step === "number" ||
    typeof slots.speed_step === "number" ||
    typeof slots.fan_speed === "number" ||
    typeof slots.fan_setting === "number" ||
    typeof slots.position_step === "number" ||
    typeof slots.temperature_unit === "string" ||
    (call.name === "HassSetVolumeRelative" && typeof slots.volume_level === "number")
  ) {
    const stepped = applySteps(pool, call, slots);
    if (stepped) return stepped;
  }
  if (
    call.name === "HassLightSet" &&
    slots.brightness === 100 &&
    pool.length > 0 &&
    pool.every((e) => e.domain === "light" && !dims(e))
  ) {
    // "Crank the study light up to full" to lights that only switch: full is on.
    delete slots.brightness;
    return resolved({ ...call, name: "HassTurnOn" }, pool.map((e) => e.id).sort());
  }
  return resolved(call, pool.map((e) => e.id).sort());
}

/** Whether a device's name, or its area's name or an alias of it, holds one of `words`. */
function placedAmong(e: Entity, words: readonly string[], registry: Registry): boolean {
  const area = e.areaId ? registry.area(e.areaId) : undefined;
  return namesHold([e.name, ...(area ? [area.name, ...area.aliases] : [])], words);
}

/** Whether a device's name or one of its aliases holds one of `words`. */
function namedAmong(e: Entity, words: readonly string[]): boolean {
  return namesHold([e.name, ...e.aliases], words);
}

function namesHold(names: readonly string[], words: readonly string[]): boolean {
  return names.some((n) => splitWords(n).some((w) => words.includes(w)));
}

/**
 * The class a word for an air conditioner prefers ("the air con", `ac_word`): no device class Home
 * Assistant has, but a climate device that can cool, which a heat-only thermostat cannot.
 */
const COOLING = "cooling";

/**
 * Of `pool`, the one climate device that can cool where an air conditioner is asked for (`liking`
 * holds COOLING) and no name said which: where several can, `pool` as it is (the speaker's room's
 * decides, as before any was preferred).
 */
function theOneThatCools(pool: Entity[], liking: NonNullable<CompiledGroup["prefers"]>): Entity[] {
  if (!liking.device_class?.includes(COOLING)) return pool;
  const cooling = pool.filter(cools);
  return cooling.length === 1 ? cooling : pool;
}

/** Whether a climate device can cool: a cooling mode among its `hvac_modes`, or cooling now. */
function cools(e: Entity): boolean {
  if (e.domain !== "climate") return false;
  const modes = e.attributes.hvac_modes;
  const all = Array.isArray(modes) ? [...modes.map(String), e.state ?? ""] : [e.state ?? ""];
  return all.some((m) => COOLING_MODES.has(m));
}

const COOLING_MODES = new Set(["cool", "heat_cool"]);

/** Whether a device is of a preferred class, or its name holds (or, a compound, ends in) a preferred word. */
function preferred(e: Entity, p: NonNullable<CompiledGroup["prefers"]>): boolean {
  if (e.deviceClass !== undefined && p.device_class?.includes(e.deviceClass)) return true;
  const words = splitWords(e.name);
  return (p.name_words ?? []).some((w) => words.some((n) => n === w || (w.length >= 4 && n.endsWith(w))));
}

/**
 * The devices a name says ("it" and "them": what was acted on last), an area-local name narrowed to
 * the named area or the speaker's; or why there are none.
 */
function namedPool(
  nameCap: Capture,
  areaIds: readonly string[] | undefined,
  registry: Registry,
  context: SpeakerContext,
  call: IntentCall,
  slots: Slots,
): Entity[] | Resolution {
  if (nameCap.list === "previous") {
    // "it" / "them": what was acted on last, if the conversation still remembers it.
    if (!context.previous?.length) return failed("no_context", call, nameCap.text);
    delete slots[nameCap.slot];
  }
  const plural = nameCap.list === "previous" && context.run && PLURAL_PRONOUN.test(nameCap.text);
  const ids =
    nameCap.list === "previous"
      ? ((plural ? context.run?.targets : context.previous) ?? [])
      : (nameCap.ids ?? []);
  let named = ids.map((id) => registry.entity(id)).filter((e): e is Entity => e !== undefined);
  // "Are any of the lights on": a kind of device asked about everywhere it is, not the one whose
  // name in the speaker's room is that kind (the sentences by kind answer it).
  if (nameCap.quality === "local" && call.response === "any") return failed("no_match", call);
  if (nameCap.quality === "local") {
    // An area-local name ("TV" for "Living Room TV") means the one in the named area or where
    // the speaker is; with no area said and none here, it means any (one: that one; several:
    // the question which).
    const where = areaIds ?? (context.areaId ? [context.areaId] : []);
    const here = named.filter((e) => e.areaId !== undefined && where.includes(e.areaId));
    if (here.length > 0 || areaIds) named = here;
    // "the fan" said in the lounge, whose own fan has another name, is that fan (by its kind),
    // not the Gym Fan of another room: a reading by name elsewhere gives way where the speaker's
    // room has a device of the same kind.
    else if (context.areaId && saidKind(nameCap.text, named) && ownOfKind(registry, context.areaId, named))
      return failed("unknown_name", call, nameCap.text);
    // "Put the lamps on" where the speaker's room has none: the word for a kind said in the plural
    // is read by kind (the sentences by kind), never as the one lamp another room calls "the lamp"
    // (the Den Lamp); no name of a device, so no "I don't know any device called lamps".
    else if (saidKind(nameCap.text, named, "plural")) return failed("no_match", call);
    if (named.length === 0) return failed("unknown_name", call, nameCap.text);
  }
  return named;
}

/** Whether the words said are only what the devices are ("fan" for the Gym Fan), not a name of their own ("tv"). */
function saidKind(text: string, named: readonly Entity[], only?: "plural"): boolean {
  const said = text.replace(/^(the|my|our) /, "");
  if (only === "plural" && !/s$/.test(said)) return false;
  // "lamps" as well as "lamp": the kind's words in either number.
  const kind = (word: string): boolean =>
    pluralVariants([word]).some(([v]) => v === said) || (only !== "plural" && word === said);
  return named.some(
    (n) =>
      said === nounFor(n.domain, 1) ||
      said === nounFor(n.domain, 2) ||
      (KIND_WORDS[n.domain] ?? []).some(kind),
  );
}

/** Whether the area has a device of the same domain (and device class) as one of `named`. */
function ownOfKind(registry: Registry, areaId: string, named: readonly Entity[]): boolean {
  return registry
    .entities()
    .some(
      (e) =>
        e.areaId === areaId &&
        named.some((n) => n.domain === e.domain && (n.deviceClass ?? "") === (e.deviceClass ?? "")),
    );
}

/** The pool narrowed by where the speaker is, as the sentence and the intent ask; or why not. */
function speakerPool(
  group: CompiledGroup,
  start: Entity[],
  named: boolean,
  areaIds: readonly string[] | undefined,
  floorIds: readonly string[] | undefined,
  registry: Registry,
  context: SpeakerContext,
  call: IntentCall,
  slots: Slots,
): Entity[] | Resolution {
  let pool = start;
  // Where the speaker is, as a sentence's context requires or excludes it.
  const speakerArea = context.areaId ? registry.area(context.areaId) : undefined;
  const speakerFloor = speakerArea?.floorId ? registry.floor(speakerArea.floorId) : undefined;
  if (
    (group.requires?.area && !placeIs(speakerArea, group.requires.area)) ||
    (group.requires?.floor && !placeIs(speakerFloor, group.requires.floor)) ||
    (group.excludes?.area && placeIs(speakerArea, group.excludes.area)) ||
    (group.excludes?.floor && placeIs(speakerFloor, group.excludes.floor))
  )
    return failed("no_match", call);
  const placed = areaIds !== undefined || floorIds !== undefined;
  // A language pack's sentence that means where the speaker is ("turn on the lights", "… in
  // here"): with no area known there is no "here", and acting on the whole home instead would do
  // what nobody asked. Home Assistant does not take such a sentence without the speaker's area
  // either, even where the home has one such device: "turn on the lamp" may name a device called
  // "Lamp" rather than mean the only light.
  if (group.pack && !placed) {
    if ((group.contextArea && !speakerArea) || (group.contextFloor && !speakerFloor))
      return failed("no_area", call);
  }
  if (placed) return pool;
  if (group.contextFloor && speakerFloor) {
    const here = pool.filter((e) => onFloor(registry, e, [speakerFloor.id]));
    if (here.length > 0 || pool.length !== 1) {
      slots.floor = speakerFloor.name;
      pool = here;
    }
  }
  // The pool's devices in the speaker's area; taking them as the pool names that area in the slots,
  // so the reply says where ("the heating in the kitchen").
  const areaId = context.areaId;
  const inSpeakerArea = (from: Entity[]) => (areaId ? from.filter((e) => e.areaId === areaId) : []);
  const takeSpeakerArea = (here: Entity[]) => {
    const area = areaId ? registry.area(areaId) : undefined;
    if (area) slots.area = area.name;
    pool = here;
  };
  if (!named && intentSpec(group.intent)?.oneDevice) {
    const here = inSpeakerArea(pool);
    // The room's own (all of them, where a room has two: they heat the same air).
    if (here.length > 0) takeSpeakerArea(here);
    else if (pool.length > 1) {
      // None in the room, but the speaker's floor has exactly one (a thermostat per floor): that one.
      const floor = speakerFloor ? pool.filter((e) => onFloor(registry, e, [speakerFloor.id])) : [];
      if (floor.length !== 1) return whichOneDevice(group, pool, registry, call);
      pool = floor;
    }
  }
  if (!named && (group.nearest || intentSpec(group.intent)?.nearest)) {
    const here = inSpeakerArea(pool);
    // Where the intent prefers a state ("it's too loud": what is playing), the room's devices
    // only where one of them is in it or none elsewhere is: the music heard is another room's
    // when the speaker's own stands idle. "In here" keeps to the room, but for a robot that
    // works where it is sent.
    const spec = intentSpec(group.intent);
    const prefers = spec?.prefers;
    const busy = (from: Entity[]) =>
      prefers ? from.filter((e) => e.state !== undefined && prefers.includes(e.state)) : from;
    const strict = context.here === true && !spec?.worksElsewhere;
    if (strict || (here.length > 0 && (busy(here).length > 0 || busy(pool).length === 0))) pool = here;
  }
  if (!named && pool.length > 1 && pool.every(isHomeMeter) && inSpeakerArea(pool).length === 0) {
    // "How much power is the house using": no meter where the speaker is, so the home's; of several
    // (the dishwasher's, the solar panels'), the one named for the whole house.
    const whole = pool.filter((e) => nameWords(e.name).some((w) => WHOLE_HOME_WORDS.has(w)));
    return whole.length > 0 ? whole : pool;
  }
  if (!named && (group.contextArea || (group.pack && intentSpec(group.intent)?.here)) && areaId) {
    const here = inSpeakerArea(pool);
    // The speaker's area first; a home with exactly one such device (one thermostat, one
    // vacuum) needs no area at all.
    if (here.length > 0 || pool.length !== 1) takeSpeakerArea(here);
  }
  if (!named && context.here && !group.contextArea) {
    const here = inSpeakerArea(pool);
    if (here.length > 0) takeSpeakerArea(here);
  }
  if (named && pool.length > 1) {
    const here = inSpeakerArea(pool);
    if (here.length > 0) pool = here;
  }
  return pool;
}

/** Sensors that meter what the whole home uses: its power and energy. */
function isHomeMeter(e: Entity): boolean {
  return e.domain === "sensor" && (e.deviceClass === "power" || e.deviceClass === "energy");
}

/** Words in the name of a meter for the whole home ("House Power", "Grid Energy Today", "Total Consumption"). */
const WHOLE_HOME_WORDS: ReadonlySet<string> = new Set(["house", "home", "total", "grid", "whole", "mains"]);

/** Several devices of a one-device intent and none where the speaker is: which one is meant. */
function whichOneDevice(
  group: CompiledGroup,
  pool: Entity[],
  registry: Registry,
  call: IntentCall,
): Resolution {
  // By where each stands (by name where two stand in one place).
  const domains = intentSpec(group.intent)?.domains;
  const what = domains && domains !== "any" && domains.length === 1 ? nounFor(domains[0], 1) : undefined;
  const byPlace = new Set(pool.map((e) => e.areaId)).size === pool.length;
  return failed(
    "ambiguous",
    call,
    what ?? "device",
    pool.map((e) => ({
      id: e.id,
      name: e.name,
      ...(byPlace ? { area: areaName(registry, e.areaId) } : {}),
    })),
  );
}

/** Domains whose devices are asked after as open or closed where they are on or off. */
const OPENED_AS_SWITCHED: ReadonlySet<string> = new Set(["light", "switch", "fan"]);

/** The devices of one name that the sentence means, or the question which of them. */
function oneName(
  group: CompiledGroup,
  nameCap: Capture,
  start: Entity[],
  registry: Registry,
  call: IntentCall,
  slots: Slots,
): Entity[] | Resolution {
  let pool = start;
  if (pool.length > 1 && typeof slots.state === "string") {
    // "is the phone charging": of the devices called "phone", the one that can be charging.
    const wanted = slots.state;
    let fits = pool.filter((e) => canBeIn(e, wanted));
    // "is the front door open", where a lock and a door contact share the name: open and closed
    // are what the contact (or a cover) reports; a lock's "open" is the rare unlatched state.
    if (wanted === "open" || wanted === "closed") {
      const openings = fits.filter((e) => e.domain !== "lock");
      if (openings.length > 0) fits = openings;
    }
    if (fits.length > 0) pool = fits;
  }
  // Devices sharing a name are told apart by area, and for questions by what they are (a phone's
  // battery level and its charging sensor); commands act on all of one name in one place.
  if (pool.length > 1) {
    const kinds = (es: Entity[]) => new Set(es.map((e) => `${e.domain}/${e.deviceClass ?? ""}`)).size;
    const asking = group.intent === "HassGetState" && typeof slots.state !== "string";
    const places = new Set(pool.map((e) => e.areaId)).size;
    // "The desk lamp" where Desk Lamp 1 and Desk Lamp 2 are: one of them, which one.
    // "Is any heater on" asks of them all, and "the desk lamps" are all of them.
    const any = call.response === "any" || nameCap.quality === "every";
    if (!any && (places > 1 || (asking && kinds(pool) > 1) || nameCap.quality === "stem")) {
      // In one place, what each one is tells them apart; otherwise where it is.
      const byKind = places === 1 && nameCap.quality !== "stem";
      // Devices of several names asked about by words they share: those words.
      const oneNamed = pool.every((e) => e.name === pool[0]?.name) || nameCap.quality === "local";
      return failed(
        "ambiguous",
        call,
        oneNamed ? String(nameCap.value) : nameCap.text,
        pool.map((e) => ({
          id: e.id,
          name: e.name,
          // Numbered devices in one room are told apart by their names.
          area: nameCap.quality === "stem" && places === 1 ? undefined : areaName(registry, e.areaId),
          ...(byKind ? { domain: e.domain } : {}),
          ...(byKind && e.deviceClass !== undefined ? { deviceClass: e.deviceClass } : {}),
        })),
      );
    }
  }
  // An area-local name ("the TV"), or words devices of several names answer to ("the ceiling
  // fan"), resolved to devices of one name reports that configured name.
  if (nameCap.list === "name" && pool.length > 0 && pool.every((e) => e.name === pool[0]?.name)) {
    slots[nameCap.slot] = (pool[0] as Entity).name;
  }
  return pool;
}

/**
 * The unit a thermostat is set in: its `temperature_unit` where it tells it, else read from its
 * temperatures (no room is kept below 45 °F nor above 35 °C); undefined where none is known.
 */
function temperatureUnit(pool: readonly Entity[]): "C" | "F" | undefined {
  for (const e of pool) {
    const unit = e.attributes.temperature_unit;
    if (typeof unit === "string" && /^°?[CF]$/i.test(unit.trim()))
      return unit.trim().slice(-1).toUpperCase() as "C" | "F";
  }
  for (const e of pool)
    for (const key of ["temperature", "current_temperature", "min_temp", "max_temp"]) {
      const t = numberAttr(e, key);
      if (t !== undefined && t > 0 && t <= 35) return "C";
      if (t !== undefined && t >= 45 && t < 120) return "F";
    }
  return undefined;
}

/** A set-point in Fahrenheit in Celsius, to the half degree thermostats are set in. */
function fahrenheitToCelsius(f: number): number {
  return Math.round((((f - 32) * 5) / 9) * 2) / 2;
}

/** A set-point in Celsius in whole degrees Fahrenheit. */
function celsiusToFahrenheit(c: number): number {
  return Math.round((c * 9) / 5 + 32);
}

/** Whether a light has a brightness: unless its colour modes are known and are only on and off. */
function dims(e: Entity): boolean {
  const modes = e.attributes.supported_color_modes;
  return !Array.isArray(modes) || modes.some((mode) => mode !== "onoff");
}

/** A relative step said ("brighter", "zwei Grad wärmer", "up by 10 percent") made the new level; or why not. */
function applySteps(pool: Entity[], call: IntentCall, slots: Slots): Resolution | undefined {
  const need = slots.light_need;
  if (typeof slots.brightness_step === "number" || typeof need === "number") {
    // "brighter" / "dimmer": a step from the brightest of the lights (0–255 in Home Assistant).
    const step = typeof need === "number" ? need : (slots.brightness_step as number);
    delete slots.brightness_step;
    delete slots.light_need;
    // More light from lights that can only be switched is the ones that are off switched on; and
    // where the room is said to be dark ("it's too dark in the study", `light_need`) and its lights
    // are all off, the lights on, not a brightness picked for them.
    const off = pool.filter((e) => e.state === "off");
    const turnOn =
      step > 0 &&
      call.name === "HassLightSet" &&
      off.length > 0 &&
      (pool.every((e) => !dims(e)) ||
        (need !== undefined && pool.every((e) => e.state === "off" || !dims(e))));
    if (turnOn) {
      delete slots.brightness;
      return resolved({ ...call, name: "HassTurnOn" }, off.map((e) => e.id).sort());
    }
    slots.brightness = stepBrightness(pool, step);
    // Less light never switches a light on (Home Assistant's brightness_step comes to 0 on a light
    // that is off and leaves it off): the step stays with the level, and the act step leaves the
    // lights that are off alone (leftOff).
    if (step < 0 && call.name === "HassLightSet") slots.brightness_step = step;
  }
  if (typeof slots.temperature_step === "number") {
    // "zwei Grad wärmer": the thermostat's set temperature moved by the step.
    const step = slots.temperature_step;
    delete slots.temperature_step;
    const set = pool.map((e) => e.attributes.temperature).find((t): t is number => typeof t === "number");
    if (set === undefined) return failed("unsupported", call, pool[0]?.name);
    slots.temperature = Math.round((set + step) * 10) / 10;
  }
  if (typeof slots.temperature_unit === "string") {
    // "68 degrees Fahrenheit" to a thermostat set in Celsius (or the reverse): the set-point in the
    // thermostat's own unit; said in its own unit, or to one whose unit is not known, as said.
    const said = slots.temperature_unit;
    delete slots.temperature_unit;
    const own = temperatureUnit(pool);
    if (typeof slots.temperature === "number" && own !== undefined && own !== said)
      slots.temperature =
        said === "F" ? fahrenheitToCelsius(slots.temperature) : celsiusToFahrenheit(slots.temperature);
  }
  if (typeof slots.speed_step === "number") {
    // "turn the fan up a notch": the fastest of the fans moved by that many of its own speed steps
    // (Home Assistant's `percentage_step`, a quarter where the fan does not say), kept between its
    // lowest speed and full; an idle fan starts from nothing.
    const steps = slots.speed_step;
    delete slots.speed_step;
    const speeds = pool.map((e) => (e.state === "off" ? 0 : (numberAttr(e, "percentage") ?? 0)));
    const size = fanStep(pool) ?? 25;
    const now = Math.max(...speeds);
    // Down from a running fan stops at its lowest speed, not off; an idle fan turned down stays off.
    slots.percentage = Math.round(Math.min(100, Math.max(now > 0 ? size : 0, now + steps * size)));
  }
  if (typeof slots.fan_speed === "number" || typeof slots.fan_setting === "number") {
    // "fan speed 3", "keep the fan at 4": a regulator's setting where the fans have that many
    // speeds (Home Assistant's `percentage_step`: 20 for a five-speed fan, so 3 is 60 percent);
    // a number beyond their speeds, or said to a fan that does not tell its step, is a percentage.
    // "auf Stufe 2", "fan on low" (`fan_setting`) name a setting, never a percentage. A fan that
    // tells no step (no `speed_count` in its config, no `percentage_step` in its state) is taken
    // as the common three-speed fan for settings 1 to 3.
    const setting = typeof slots.fan_setting === "number" ? slots.fan_setting : undefined;
    const level = setting ?? (slots.fan_speed as number);
    delete slots.fan_speed;
    delete slots.fan_setting;
    const size = fanStep(pool) ?? (level >= 1 && level <= 3 ? 100 / 3 : undefined);
    slots.percentage =
      size !== undefined && level > 0 && level * size <= 100.5
        ? Math.min(100, Math.round(level * size))
        : level;
  }
  if (typeof slots.position_step === "number") {
    // "open the curtains a bit more": the covers' position (where they are on average; fully open
    // or shut where they report no position) moved by the step.
    const step = slots.position_step;
    delete slots.position_step;
    const at = pool.map((e) => numberAttr(e, "current_position") ?? (e.state === "closed" ? 0 : 100));
    const now = at.reduce((a, b) => a + b, 0) / Math.max(1, at.length);
    slots.position = Math.round(Math.min(100, Math.max(0, now + step)));
  }
  if (call.name === "HassSetVolumeRelative" && typeof slots.volume_level === "number") {
    // "turn the volume down by 10 percent": Assist's signed step in percent.
    const level = slots.volume_level;
    slots.volume_step = slots.volume_direction === "down" ? -level : level;
    delete slots.volume_level;
    delete slots.volume_direction;
  }
  return undefined;
}

/** The smallest speed step (Home Assistant's `percentage_step`, in percent) the fans tell, if any does. */
function fanStep(pool: Entity[]): number | undefined {
  const sizes = pool
    .map((e) => numberAttr(e, "percentage_step"))
    .filter((n): n is number => n !== undefined && n > 0);
  return sizes.length > 0 ? Math.min(...sizes) : undefined;
}

/** A numeric attribute of a device's state, if it has one. */
function numberAttr(e: Entity, key: string): number | undefined {
  const v = e.attributes[key];
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

function areaName(registry: Registry, id: string | undefined): string | undefined {
  return id ? registry.area(id)?.name : undefined;
}

/** "lights in the garage", "devices called lamp upstairs" — what was looked for, for the reply. */
function describeScope(
  slots: Slots,
  registry: Registry,
  domains: readonly Domain[] | "any",
  areaIds?: readonly string[],
  floorIds?: readonly string[],
): string {
  const what =
    typeof slots.name === "string"
      ? `devices called ${slots.name.toLowerCase()}`
      : typeof slots.device_class === "string"
        ? (nounFor(slots.device_class, 2) ?? `${slots.device_class.replace(/_/g, " ")} devices`)
        : typeof slots.domain === "string"
          ? (nounFor(slots.domain, 2) ?? "such devices")
          : domains !== "any" && domains.length === 1
            ? (nounFor(domains[0], 2) ?? "such devices")
            : "such devices";
  const area =
    areaIds?.[0] !== undefined
      ? registry.area(areaIds[0])?.name
      : typeof slots.area === "string"
        ? slots.area
        : undefined;
  if (area) return `${what} in the ${area.toLowerCase()}`;
  const floor = floorIds?.[0] !== undefined ? registry.floor(floorIds[0])?.name : undefined;
  return floor ? `${what} on the ${floor.toLowerCase()}` : what;
}

/** The brightness in percent after a relative step from the brightest light, kept within 1–100. */
export function stepBrightness(lights: readonly Entity[], step: number): number {
  const percent = (e: Entity): number => {
    if (e.state === "off") return 0;
    const raw = e.attributes.brightness;
    return typeof raw === "number" ? Math.round((raw / 255) * 100) : 50;
  };
  const current = Math.max(0, ...lights.map(percent));
  return Math.min(100, Math.max(1, current + step));
}

/**
 * Resolves an intent given as slots (from the LLM, or a follow-up like "the bedroom too") the same
 * way as a template match: names, areas and floors are looked up in the registry by their
 * configured spelling.
 */
export function resolveCall(call: IntentCall, registry: Registry, context: SpeakerContext): Resolution {
  const captures: Capture[] = [];
  const fixed: Slots = {};
  for (const [slot, value] of Object.entries(call.slots)) {
    const text = String(value);
    const base = { slot, value, text, start: 0, end: 0 };
    if (slot === "name") {
      const key = text.toLowerCase();
      const ids = registry
        .entities()
        .filter((e) => e.name.toLowerCase() === key || e.aliases.some((a) => a.toLowerCase() === key))
        .map((e) => e.id);
      captures.push(
        ids.length > 0 ? { ...base, list: "name", ids } : { ...base, list: "name", quality: "unknown" },
      );
    } else if (slot === "area") {
      const area = registry.findArea(text);
      captures.push(
        area
          ? { ...base, list: "area", value: area.name, ids: [area.id] }
          : { ...base, list: "area", quality: "unknown" },
      );
    } else if (slot === "floor") {
      const floor = registry.findFloor(text);
      captures.push(
        floor
          ? { ...base, list: "floor", value: floor.name, ids: [floor.id] }
          : { ...base, list: "floor", quality: "unknown" },
      );
    } else {
      fixed[slot] = value;
    }
  }
  const group = groupShape({
    intent: call.name,
    template: { t: "seq", items: [] },
    source: "",
    clauses: [],
    slots: fixed,
    contextArea: true,
    order: 0,
    response: call.response,
  });
  return resolveMatch(group, captures, registry, context);
}

/**
 * "Is it cold in here": the speaker's room's temperature, from its thermostat (HassClimateGetTemperature)
 * or else its temperature sensor (HassGetState); undefined where the room has neither.
 */
function roomTemperature(context: SpeakerContext, registry: Registry): Resolution | undefined {
  const area = context.areaId ? registry.area(context.areaId)?.name : undefined;
  if (!area) return undefined;
  const ask = (name: string, slots: Slots): Resolution =>
    resolveCall(
      { name, slots: { ...slots, area }, response: undefined, fromPack: undefined, packReply: undefined },
      registry,
      { ...context, here: undefined },
    );
  const climate = ask("HassClimateGetTemperature", {});
  if (climate.ok) return climate;
  const sensor = ask("HassGetState", { domain: "sensor", device_class: "temperature" });
  return sensor.ok ? sensor : undefined;
}

/** The area of an entity, for replies. */
export function entityArea(registry: Registry, e: Entity): Area | undefined {
  return e.areaId ? registry.area(e.areaId) : undefined;
}
