/**
 * The slot lists a home's sentences are matched with: the sentence files' own lists (values,
 * ranges, free text) and, from the registry, the names of its devices, areas and floors with the
 * other ways people say them (area-local names, short names, numbered families, head nouns, rooms
 * named after someone, places held in a name). TemplateRecognizer builds them again when the
 * registry changes.
 */
import { usableOwnNames } from "../registry/own-names.js";
import type { Registry } from "../registry/registry.js";
import { PRONOUNS } from "./catalog.js";
import { NO_PHRASES, startsAt } from "./clauses.js";
import { SuffixedList } from "./hassil/lists.js";
import { areaLocalNames, KIND_WORDS, MAIN_LIGHT_NAMES, sideFirstNames } from "./local-names.js";
import { tokenize as tokenizeEnglish } from "./normalize.js";
import { nounFor } from "./nouns.js";
import { type CompiledSentences, listValueWords } from "./sentences.js";
import { alikeFloorNames, alikeRoomNames, alikeSaid, kindFirstNames, shortNames } from "./short-names.js";
import {
  DurationList,
  type NameBounds,
  NameList,
  pluralVariants,
  RangeList,
  type SlotList,
  ValueList,
  WILDCARD_MAX_WORDS,
  WildcardList,
  WildcardSpans,
} from "./slot-lists.js";
import { sentenceWords } from "./spelling.js";
import { expandWords, parseTemplate, type TemplateNode } from "./template.js";

/** The one-word pronouns ("it", "that"; "that one" opens with one): free text never starts with them. */
export const PRONOUN_WORDS: ReadonlySet<string> = new Set(PRONOUNS.filter((p) => !p.includes(" ")));

const NO_WORDS: ReadonlySet<string> = new Set();

/**
 * A name's words as said, and with each of `words` before its numbers ("lamp number 2" for Lamp 2,
 * "number 2" for the "2" it is in its room): people say the number word that the name leaves out.
 */
function numberedNames(words: readonly string[]): (name: string[]) => string[][] {
  return (name) => {
    const at = name.findIndex((w) => /^\d+$/.test(w));
    if (at < 0 || words.length === 0) return [name];
    return [name, ...words.map((w) => [...name.slice(0, at), w, ...name.slice(at)])];
  };
}

/** Static lists from the sentence files plus names, areas and floors from the registry. */
export function buildLists(
  sentences: CompiledSentences,
  registry: Registry,
  threshold: number,
): Map<string, SlotList> {
  const lists = new Map<string, SlotList>();
  // "More", "less": a near miss of a name never spans one.
  const compared = sentences.words.moreOrLess;
  // The language's own words that open, end or split no name.
  const bounds: NameBounds = {
    joiners: sentences.joiners,
    articles: sentences.words.nameArticles,
    prepositions: sentences.words.namePrepositions,
  };
  // The free-text lists make each span of a sentence once, together.
  const spans = new WildcardSpans();
  const addressed = namesAt(sentences);
  // Names are spelled the way the sentences' language turns words into tokens.
  const tokenize = sentences.tokenize ?? tokenizeEnglish;
  for (const [name, def] of sentences.lists) {
    if ("values" in def) {
      const list = new ValueList();
      for (const v of def.values) {
        if (typeof v === "string") list.add(tokenize(v), v);
        else for (const words of expandWords(parseTemplate(v.in))) list.add(words, v.out);
      }
      lists.set(name, list);
    } else if ("range" in def) {
      lists.set(
        name,
        new RangeList(
          def.range.from,
          def.range.to,
          def.range.step,
          def.range.fractions,
          def.range.multiplier,
        ),
      );
    } else {
      // Free text (an item, a search, a message) is never just "it" or "that": those name what was
      // acted on, and "play it again" is not a search for "it again".
      const notFirst = def.not_first
        ? new Set([...PRONOUN_WORDS, ...def.not_first.flatMap(tokenize)])
        : PRONOUN_WORDS;
      lists.set(name, new WildcardList(WILDCARD_MAX_WORDS, notFirst, spans, addressed));
    }
  }
  const names = new NameList(threshold, undefined, compared, bounds);
  const numbered = numberedNames(sentences.numberWords ?? []);
  // A device's own name: "the big light" is the one called so, where one is, not every room's.
  const own = new Set<string>();
  for (const e of registry.entities()) for (const n of [e.name, ...e.aliases]) own.add(tokenize(n).join(" "));
  const mainLight = new Set(MAIN_LIGHT_NAMES.map((n) => n.join(" ")));
  const generic = sentences.genericNames ?? NO_WORDS;
  for (const e of registry.entities()) {
    for (const n of [e.name, ...e.aliases]) {
      const words = tokenize(n);
      for (const w of numbered(words)) names.add(w, e.name, [e.id]);
      // "the left study lamp" for the Study Lamp Left.
      for (const w of sideFirstNames(words)) names.add(w, e.name, [e.id]);
    }
    // "Living Room TV" is "the TV" to someone in the living room.
    for (const local of areaLocalNames(e, registry, tokenize)) {
      const key = local.join(" ");
      if (generic.has(key) || (mainLight.has(key) && own.has(key))) continue;
      for (const words of numbered(local)) names.addLocal(words, e.name, [e.id]);
      // "The telly" for the Bedroom TV to someone in the bedroom, where the lounge has a TV too.
      for (const words of alikeSaid(local, sentences.alikeKinds ?? [])) names.addLocal(words, e.name, [e.id]);
    }
  }
  // "solar" for "Solar Power", "Ella's light" for "Ella's Ceiling Light", while they are the only ones.
  for (const [id, short] of shortNames(registry, tokenize, {
    measureWords: sentences.measureWords,
    ownerLast: sentences.ownerLast,
    ownerFirst: sentences.ownerFirst,
    kindFirst: sentences.kindFirst,
    alikeKinds: sentences.alikeKinds,
    sentenceWords: sentenceWords(sentences),
  })) {
    const e = registry.entity(id);
    if (!e) continue;
    // Names said kind first ("lamp of the reading") only as said (see NameList.addExact).
    const kindFirst = new Set(
      kindFirstNames(e, registry, tokenize, sentences.kindFirst ?? []).map((w) => w.join(" ")),
    );
    for (const words of short)
      if (kindFirst.has(words.join(" "))) names.addExact(words, e.name, [id]);
      else names.add(words, e.name, [id]);
  }
  // "the desk lamps" for Desk Lamp 1 and Desk Lamp 2; "the desk lamp" asks which of them.
  for (const family of numberedFamilies(registry, tokenize, own, generic))
    names.addNumbered(family.words, family.value, family.ids);
  // "die Leselampen" for Leselampe links and Leselampe rechts; "beide Leselampen" where they are two.
  for (const family of sharedHeadFamilies(registry, tokenize, own, sentences.sharedHeads))
    for (const words of family.said) names.addEvery(words, family.value, family.ids);
  // "the heater" for the Oil Heater, where it is the only heater; where there are several, which.
  for (const shared of headNouns(registry, tokenize, own, kindWords(sentences, tokenize))) {
    names.addNumbered(shared.words, shared.value, shared.ids);
  }
  // "the heater plug" for "Plug 77 Heater Plug", while it is the only one.
  for (const [id, own] of usableOwnNames(registry.entities())) {
    const e = registry.entity(id);
    if (e) names.add(tokenize(own), e.name, [id]);
  }
  // "das Licht im Keller" where the Keller is a floor and also another name of one of its rooms
  // (the Vorratskeller): the floor, all of it. A room's alias that a floor is called gives way.
  const floorNames = new Set<string>();
  for (const f of registry.floors())
    for (const n of [f.name, ...f.aliases]) floorNames.add(tokenize(n).join(" "));
  const areas = new NameList(threshold, undefined, compared, bounds);
  for (const a of registry.areas()) {
    for (const n of [a.name, ...a.aliases])
      if (n === a.name || !floorNames.has(tokenize(n).join(" "))) areas.add(tokenize(n), a.name, [a.id]);
    for (const said of namedRoomPhrases(tokenize(a.name), sentences.namedRooms, a.name))
      areas.add(tokenize(said), a.name, [a.id]);
  }
  // "die Diele" for the Flur, "der Speicher" for the Dachboden, while no other room is called so.
  for (const [id, forms] of alikeRoomNames(registry, tokenize, sentences.alikeRooms ?? [])) {
    const a = registry.area(id);
    if (a) for (const words of forms) areas.add(words, a.name, [id]);
  }
  const floors = new NameList(threshold, undefined, compared, bounds);
  for (const f of registry.floors())
    for (const n of [f.name, ...f.aliases]) floors.add(tokenize(n), f.name, [f.id]);
  // "oben" for the Obergeschoss, "Parterre" for the Erdgeschoss, while no area or floor is called so.
  for (const [id, forms] of alikeFloorNames(registry, tokenize, sentences.alikeFloors ?? [])) {
    const f = registry.floor(id);
    if (f) for (const words of forms) floors.add(words, f.name, [id]);
  }
  lists.set("name", names);
  // "das Licht an der Treppe" for the Treppenlicht: the places devices' names hold.
  const kinds = sentences.placedKinds ?? [];
  if (kinds.length > 0) {
    // A place that is a room or floor is that room ("das Licht im Flur" is the Flur's lights, not
    // only the Flurlampe): only the places that name no area or floor.
    const rooms = new Set<string>();
    for (const a of registry.areas())
      for (const n of [a.name, ...a.aliases]) rooms.add(tokenize(n).join(" "));
    for (const f of registry.floors())
      for (const n of [f.name, ...f.aliases]) rooms.add(tokenize(n).join(" "));
    const placed = new NameList(threshold, undefined, compared, bounds);
    for (const e of registry.entities())
      for (const place of placesInName(tokenize(e.name), kinds))
        if (!rooms.has(place.join(" "))) placed.add(place, e.name, [e.id]);
    lists.set("name+ort", placed);
  }
  // "die Batterie vom Melder Keller" for the sensor "Melder Keller Batterie": what a sensor's name
  // says it measures the thing of, whether or not another device (the detector itself) has that name.
  const measured = sentences.measureWords ?? {};
  if (Object.keys(measured).length > 0) {
    const of = new NameList(threshold, undefined, compared, bounds);
    for (const e of registry.entities()) {
      if ((e.domain !== "sensor" && e.domain !== "binary_sensor") || !e.deviceClass) continue;
      const words = tokenize(e.name);
      for (const m of measured[e.deviceClass] ?? []) {
        const tail = m.split(" ");
        const rest = words.length - tail.length;
        if (rest > 0 && tail.every((w, i) => words[rest + i] === w))
          of.add(words.slice(0, rest), e.name, [e.id]);
      }
    }
    lists.set("name+gemessen", of);
  }
  lists.set("area", areas);
  lists.set("floor", floors);
  lists.set("duration", new DurationList());
  // "it", "them": whatever was acted on last (resolved from the conversation, not from names).
  const previous = new ValueList();
  for (const w of [...PRONOUNS, ...(sentences.pronouns ?? [])]) {
    previous.add(tokenize(w), "it");
  }
  lists.set("previous", previous);
  if (!lists.has("timer_name")) lists.set("timer_name", new WildcardList(4, new Set(), spans, addressed));
  const packs = sentences.packs;
  if (packs) {
    packs.addLists(lists);
    // Free text means the same in a pack's sentence as in Hearth's own: never opened by "it" or
    // "that" ("play it cool" is no search for "it cool", as "play it again" is none for "it again"),
    // nor by the name of the assistant called.
    for (const [name, contents] of packs.listContents) {
      const list = lists.get(name);
      if (contents.kind !== "wildcard" || !(list instanceof WildcardList)) continue;
      const notFirst = list.notFirst.size === 0 ? PRONOUN_WORDS : list.notFirst;
      lists.set(name, new WildcardList(list.maxWords, notFirst, list.spans ?? spans, addressed));
    }
  }
  // A list glued to a suffix in Hearth's own sentences ("{area+licht:area}", "{name+liste:name}"):
  // "Badlicht" is the Bad's lights, "Baumarktliste" the list called Baumarkt.
  for (const g of sentences.groups) {
    if (g.pack) continue;
    for (const name of suffixedLists(g.template)) {
      const plus = name.indexOf("+");
      const inner = lists.get(name.slice(0, plus));
      if (inner && !lists.has(name)) lists.set(name, new SuffixedList(inner, name.slice(plus + 1)));
    }
  }
  return lists;
}

/**
 * Devices named alike but for a number at the end ("Desk Lamp 1", "Desk Lamp 2"), by the words
 * they share ("desk lamp"), where two or more share them. Not where those words are already a
 * name of a device, nor a room's or floor's name or only a kind of device ("Light 1", "Kitchen
 * Light 2"): "the kitchen lights" stays the kitchen's lights, all of them.
 */
function numberedFamilies(
  registry: Registry,
  tokenize: (text: string) => string[],
  own: ReadonlySet<string>,
  generic: ReadonlySet<string>,
): { words: string[]; value: string; ids: string[] }[] {
  const places = new Set<string>();
  for (const p of [...registry.areas(), ...registry.floors()])
    for (const n of [p.name, ...p.aliases]) places.add(tokenize(n).join(" "));
  const families = new Map<string, { words: string[]; value: string; ids: string[] }>();
  for (const e of registry.entities()) {
    const words = tokenize(e.name);
    if (words.length < 3 || !/^\d+$/.test(words[words.length - 1] as string)) continue;
    const stem = words.slice(0, -1);
    const key = stem.join(" ");
    const family = families.get(key);
    if (family) family.ids.push(e.id);
    else families.set(key, { words: stem, value: e.name.replace(/[\s_#-]*\d+\s*$/, ""), ids: [e.id] });
  }
  const kinds = new Set(Object.values(KIND_WORDS).flatMap((k) => k ?? []));
  return [...families.values()].filter(({ words, ids }) => {
    if (ids.length < 2) return false;
    const head = words.slice(0, -1).join(" ");
    const last = words[words.length - 1] as string;
    const taken = pluralVariants(words).some((v) => own.has(v.join(" ")));
    return (
      !taken && !places.has(words.join(" ")) && !(places.has(head) && (kinds.has(last) || generic.has(last)))
    );
  });
}

/**
 * Devices of one domain named alike but for their last word ("Leselampe links", "Leselampe
 * rechts"), by the words they share said in the plural (`shared_heads:` plural endings on the last
 * shared word: "leselampen"), and with a word for "both" before that plural where they are exactly
 * two ("beide leselampen"): every one of them, as a name said in the plural means all it names.
 * Not where the plural is a device's own name.
 */
function sharedHeadFamilies(
  registry: Registry,
  tokenize: (text: string) => string[],
  own: ReadonlySet<string>,
  shared: CompiledSentences["sharedHeads"],
): { said: string[][]; value: string; ids: string[] }[] {
  if (!shared) return [];
  const families = new Map<string, { head: string[]; value: string; ids: string[] }>();
  for (const e of registry.entities()) {
    if (!CALLED_BY_KIND.has(e.domain)) continue;
    const words = tokenize(e.name);
    if (words.length < 2) continue;
    const head = words.slice(0, -1);
    const key = `${e.domain} ${head.join(" ")}`;
    const family = families.get(key);
    if (family) family.ids.push(e.id);
    else families.set(key, { head, value: e.name.replace(/\s+\S+\s*$/, ""), ids: [e.id] });
  }
  const out: { said: string[][]; value: string; ids: string[] }[] = [];
  for (const { head, value, ids } of families.values()) {
    if (ids.length < 2) continue;
    const last = head[head.length - 1] as string;
    const plurals = shared.pluralEndings
      .map((ending) => [...head.slice(0, -1), last + ending])
      .filter((words) => !own.has(words.join(" ")));
    const said = [...plurals];
    if (ids.length === 2)
      for (const both of shared.both) for (const p of plurals) said.push([...both.split(" "), ...p]);
    out.push({ said, value, ids });
  }
  return out;
}

/** A slot filled from a list as words of devices' names (`{heater:named_by}`), the list's name captured. */
const NAMED_BY_SLOT = /\{(\w+):named_by\}/g;

/** Domains whose devices people call by the last word of their name alone ("the heater"). */
const CALLED_BY_KIND: ReadonlySet<string> = new Set([
  "switch",
  "light",
  "fan",
  "climate",
  "cover",
  "lock",
  "media_player",
  "valve",
  "vacuum",
  "humidifier",
  "water_heater",
  "input_boolean",
  "lawn_mower",
]);

/**
 * Words the sentences already know as kinds of things or other slot values ("door", "blinds",
 * "tv", "red"): the values of their lists and of a language pack's, and the words for each domain.
 */
function kindWords(sentences: CompiledSentences, tokenize: (text: string) => string[]): Set<string> {
  // A list read as `named_by` ("is any {heater:named_by} on") holds words of devices' names, which
  // are what such a device is called by ("whack the heater on" for the Oil Heater), no kind.
  const namedBy = new Set<string>();
  for (const g of sentences.groups)
    for (const m of g.source.matchAll(NAMED_BY_SLOT)) if (m[1]) namedBy.add(m[1]);
  const out = listValueWords(sentences, tokenize, namedBy);
  for (const w of [...(sentences.genericNames ?? []), ...Object.values(KIND_WORDS).flatMap((k) => k ?? [])])
    out.add(w);
  for (const domain of CALLED_BY_KIND)
    for (const n of [1, 2]) {
      const noun = nounFor(domain, n);
      if (noun) for (const w of tokenize(noun)) out.add(w);
    }
  return out;
}

/**
 * The last word of devices' names ("heater" of the Oil Heater), where it is no kind the sentences
 * know ("door", "light"), no word of a room's or floor's name, and no device's whole name: what
 * people call such a device when it is the only one ("whack the heater on"); where several share
 * it, words that ask which of them. A name whose other words are a room's ("Study Heater") is
 * already called so in its room (local names).
 */
function headNouns(
  registry: Registry,
  tokenize: (text: string) => string[],
  own: ReadonlySet<string>,
  kinds: ReadonlySet<string>,
): { words: string[]; value: string; ids: string[] }[] {
  const placeWords = new Set<string>();
  const places = new Set<string>();
  for (const p of [...registry.areas(), ...registry.floors()])
    for (const n of [p.name, ...p.aliases]) {
      const words = tokenize(n);
      places.add(words.join(" "));
      for (const w of words) placeWords.add(w);
    }
  const heads = new Map<string, { words: string[]; value: string; ids: string[] }>();
  for (const e of registry.entities()) {
    if (!CALLED_BY_KIND.has(e.domain)) continue;
    const words = tokenize(e.name);
    const head = words[words.length - 1];
    if (words.length < 2 || head === undefined || !/^\p{L}{3,}$/u.test(head)) continue;
    if (kinds.has(head) || placeWords.has(head) || own.has(head)) continue;
    if (places.has(words.slice(0, -1).join(" "))) continue;
    const found = heads.get(head);
    if (found) found.ids.push(e.id);
    else heads.set(head, { words: [head], value: head, ids: [e.id] });
  }
  for (const h of heads.values()) {
    const [only] = h.ids;
    if (h.ids.length === 1 && only !== undefined) h.value = registry.entity(only)?.name ?? h.value;
  }
  return [...heads.values()].filter((h) => !pluralVariants(h.words).some((v) => own.has(v.join(" "))));
}

/**
 * Where a device is, from its name and the kinds of device a name may hold: "Rollladen Balkontür"
 * is at the "balkontür"; "Treppenlicht" at the "treppen" or "treppe" (a compound's first part, with
 * and without the joining "n" or "s").
 */
function placesInName(words: readonly string[], kinds: readonly string[]): string[][] {
  const out: string[][] = [];
  const first = words[0];
  const last = words[words.length - 1];
  if (words.length >= 2 && first !== undefined && kinds.includes(first)) out.push(words.slice(1));
  else if (words.length >= 2 && last !== undefined && kinds.includes(last)) out.push(words.slice(0, -1));
  else if (words.length === 1 && first !== undefined) {
    const kind = kinds.find((k) => first.endsWith(k) && first.length >= k.length + 3);
    if (kind !== undefined) {
      const stem = first.slice(0, -kind.length);
      out.push([stem]);
      if (/[^e][ns]$/.test(stem) || /en$/.test(stem)) out.push([stem.slice(0, -1)]);
    }
  }
  return out.filter((p) => !p.some((w) => /^\d+$/.test(w)));
}

/**
 * The other ways to say a room named after someone ("Kinderzimmer Lena": "Lena", "Lenas Zimmer"),
 * from the sentence files' `named_rooms`: the area's name is a room's word (or a word ending in one,
 * "Kinderzimmer" in "zimmer") and one other word, the person's (`said`, the name as written, tells
 * an English possessive: "Grandpa's Room" is the room of grandpa).
 */
function namedRoomPhrases(
  words: readonly string[],
  named: CompiledSentences["namedRooms"],
  said = "",
): string[] {
  if (!named || words.length !== 2) return [];
  const isRoom = (w: string): boolean => {
    for (const r of named.rooms) if (w === r || (w.endsWith(r) && w.length > r.length + 2)) return true;
    return false;
  };
  const [a, b] = words as [string, string];
  const room = isRoom(a) && !isRoom(b) ? a : isRoom(b) && !isRoom(a) ? b : undefined;
  const person = room === a ? b : a;
  if (room === undefined || /\d/.test(person) || person.length < 2) return [];
  // `{owner}`: the person without an English possessive "'s" ("Grandpa's Room": "grandpa").
  const owner =
    person === a && /^\S+['’]s\s/u.test(said) && person.endsWith("s") ? person.slice(0, -1) : person;
  return named.say.map((s) =>
    s.replaceAll("{person}", person).replaceAll("{owner}", owner).replaceAll("{room}", room),
  );
}

function suffixedLists(node: TemplateNode, out: string[] = []): string[] {
  if (node.t === "slot") {
    if (node.list.includes("+")) out.push(node.list);
  } else if (node.t === "seq") for (const n of node.items) suffixedLists(n, out);
  else if (node.t === "alt") for (const n of node.options) suffixedLists(n, out);
  return out;
}

/**
 * Where a sentence's words call an assistant by its name (one of the sentences' `assistantNames`:
 * "alexa", "hey google"), -1 where they do not.
 */
function namesAt(sentences: CompiledSentences): ((tokens: readonly string[]) => number) | undefined {
  const names = sentences.assistantNames ?? NO_PHRASES;
  if (names.length === 0) return undefined;
  const firstWords = new Set(names.map((p) => p[0] as string));
  return (tokens) => {
    for (let at = 0; at < tokens.length; at++)
      if (firstWords.has(tokens[at] as string) && names.some((n) => startsAt(tokens, n, at))) return at;
    return -1;
  };
}
