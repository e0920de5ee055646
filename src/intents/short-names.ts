import type { Registry } from "../registry/registry.js";
import type { Entity } from "../registry/types.js";
import { KIND_WORDS } from "./local-names.js";

/**
 * Words a sensor's name may end in for what it measures ("Solar Power", "Garage Temperature"), by
 * device class. The name without them is what people call the thing measured: "how much are the
 * solar panels making" asks the Solar Power sensor.
 */
const MEASURE_WORDS: Readonly<Record<string, readonly string[]>> = {
  power: ["power", "production", "output", "generation", "power usage"],
  energy: ["energy", "production", "generation", "yield"],
  temperature: ["temperature", "temp"],
  humidity: ["humidity"],
  carbon_dioxide: ["co2", "carbon dioxide"],
  battery: ["battery", "battery level"],
  illuminance: ["illuminance", "light level"],
};

/**
 * Words any sensor's name may end in, whatever it measures or with no device class: the "Overhead
 * Tank Level" is "the tank" in "how much water is in the tank".
 */
const LEVEL_WORDS: readonly string[] = ["water level", "level"];

/** A language's own ways of shortening names (its sentence files' `measure_words`, `owner_last`). */
export interface ShortNameWords {
  /** Words a sensor's name may end in for what it measures, by device class, besides English's. */
  measureWords?: Readonly<Record<string, readonly string[]>> | undefined;
  /** How a name ending in its owner's name is also said: `{owner}`, `{rest}` ("{owner}s {rest}"). */
  ownerLast?: readonly string[] | undefined;
  /** How a name opening with its owner's possessive is also said: `{owner}`, `{rest}` ("{rest} von {owner}"). */
  ownerFirst?: readonly string[] | undefined;
  /** How a name is also said with its last word first: `{kind}`, `{rest}` ("{kind} of {rest}"). */
  kindFirst?: readonly string[] | undefined;
  /** Words for one kind of device said differently ("geyser", "water heater"), as phrases. */
  alikeKinds?: readonly (readonly string[])[] | undefined;
  /** The sentences' own words: a gadget's brand is none of them ("Heater Plug" is no brand). */
  sentenceWords?: ReadonlySet<string> | undefined;
}

/** Last words of a light's name that say what it is ("Ella's Ceiling Light": "light"). */
const LIGHT_WORDS: ReadonlySet<string> = new Set(["light", "lamp", "lights", "lamps"]);

/**
 * Shorter names people use for a device, English: a sensor by what it measures the thing of
 * ("solar" for "Solar Power"), and a light whose name opens with its owner by the owner and its
 * kind ("Ella's light" for "Ella's Ceiling Light", "Dad's bedroom light" for "Dad's Bedroom Ceiling
 * Light" or for "Dad's Reading Light" in the Master Bedroom), and a device in a room named after
 * its owner by the owner and its name, alias or kind ("Emma's lamp" in Emma's Room). Only names
 * that no other device has, full or short, and that are no area or floor: a short name never takes
 * a word from another device.
 */
export function shortNames(
  registry: Registry,
  tokenize: (text: string) => string[],
  language: ShortNameWords = {},
): Map<string, string[][]> {
  const taken = new Map<string, number>();
  const count = (words: readonly string[]) => {
    const k = words.join(" ");
    taken.set(k, (taken.get(k) ?? 0) + 1);
  };
  for (const e of registry.entities()) for (const n of [e.name, ...e.aliases]) count(tokenize(n));
  // Every word of a room's or floor's name, read once for all devices (see ownerLastNames).
  const placeWords = new Set<string>();
  for (const p of [...registry.areas(), ...registry.floors()])
    for (const n of [p.name, ...p.aliases]) {
      const words = tokenize(n);
      count(words);
      for (const w of words) placeWords.add(w);
    }
  const wanted = new Map<string, string[][]>();
  for (const e of registry.entities()) {
    const short = [
      ...shortOf(e, registry, tokenize, language, placeWords),
      ...alikeNames(e, registry, tokenize, language.alikeKinds ?? []),
      ...plainNames(e, tokenize),
      ...kindFirstNames(e, registry, tokenize, language.kindFirst ?? []),
    ];
    short.push(...ownerFirstNames(e.name, short, tokenize, language.ownerFirst ?? [], placeWords));
    if (short.length > 0) {
      wanted.set(e.id, short);
      for (const s of short) count(s);
    }
  }
  const out = new Map<string, string[][]>();
  for (const [id, short] of wanted) {
    const unique = short.filter((s) => taken.get(s.join(" ")) === 1);
    if (unique.length > 0) out.set(id, unique);
  }
  return out;
}

/**
 * A device's names with the word for its kind said another way (the language's `alike_kinds`):
 * "the water heater" for the Geyser, "the kitchen water heater" for the Kitchen Geyser and, for
 * someone anywhere, "the water heater" for it too, the room's name dropped, while it is the only one.
 */
function alikeNames(
  e: Entity,
  registry: Registry,
  tokenize: (text: string) => string[],
  alike: readonly (readonly string[])[],
): string[][] {
  if (alike.length === 0) return [];
  const area = e.areaId ? registry.area(e.areaId) : undefined;
  const said: string[][] = [];
  for (const n of [e.name, ...e.aliases]) {
    const words = tokenize(n);
    said.push(words);
    for (const a of area ? [area.name, ...area.aliases] : []) {
      const prefix = tokenize(a);
      if (prefix.length < words.length && prefix.every((w, i) => words[i] === w))
        said.push(words.slice(prefix.length));
    }
  }
  return said.flatMap((words) => alikeSaid(words, alike));
}

/**
 * `words` with the word for a kind of device in them said another way (the language's
 * `alike_kinds`): "telly" and "television" for the "tv" of "Bedroom TV".
 */
export function alikeSaid(words: readonly string[], alike: readonly (readonly string[])[]): string[][] {
  const out: string[][] = [];
  for (const group of alike)
    for (const kind of group) {
      const k = kind.split(" ");
      const at = words.findIndex((_, i) => k.every((w, j) => words[i + j] === w));
      if (at < 0) continue;
      for (const other of group)
        if (other !== kind)
          out.push([...words.slice(0, at), ...other.split(" "), ...words.slice(at + k.length)]);
    }
  return out;
}

/**
 * A device's names said with their last word first, as the language's `kind_first` has it ("the
 * lamp of reading" for the Reading Lamp, "the blind of Leo" for Leo's Blind): names of two to four
 * words that end in a word, not a number ("Desk Lamp 2" is no lamp of "desk lamp"). A device of a
 * room named after its owner is also the owner's with the forms that say "of": "the radio of Leo"
 * for the one-word Radio in Leo's Room, "the lamp of Leo" for its light.
 */
export function kindFirstNames(
  e: Entity,
  registry: Registry,
  tokenize: (text: string) => string[],
  say: readonly string[],
): string[][] {
  if (say.length === 0) return [];
  const out: string[][] = [];
  // "The light in the kitchen" is the kitchen's lights, not the Kitchen Light: a name whose other
  // words are a place's name is not said with a word that places things ("in", "on").
  const places = new Set<string>();
  for (const p of [...registry.areas(), ...registry.floors()])
    for (const n of [p.name, ...p.aliases]) places.add(tokenize(n).join(" "));
  const put = (forms: readonly string[], kind: string, rest: string) => {
    const place = places.has(tokenize(rest).join(" "));
    for (const form of forms)
      if (!place || !PLACING.test(form))
        out.push(tokenize(form.replaceAll("{kind}", kind).replaceAll("{rest}", rest)));
  };
  for (const n of [e.name, ...e.aliases]) {
    const words = tokenize(n);
    const kind = words[words.length - 1];
    if (words.length < 2 || words.length > 4 || kind === undefined || !/^\p{L}+$/u.test(kind)) continue;
    const rest = words.slice(0, -1);
    // "Leo's Blind": the blind of Leo, not of "leos".
    if (/^\S+['’]s\s/u.test(n) && rest[0]?.endsWith("s")) rest[0] = rest[0].slice(0, -1);
    put(say, kind, rest.join(" "));
    // "The light of the table" for the Table Pendant, "the light of the desk" for the Desk Lamp: a
    // light said by any word for a light, its name ending in one or in where it hangs; not where
    // the rest is a place ("the light of the kitchen" is all its lights, not the Kitchen Pendant).
    if (e.domain === "light" && (HANGS.has(kind) || LIGHT_WORDS.has(kind)) && !places.has(rest.join(" ")))
      for (const k of KIND_WORDS[e.domain] ?? []) if (k !== kind) put(say, k, rest.join(" "));
  }
  const area = e.areaId ? registry.area(e.areaId) : undefined;
  if (!area || NOT_OWNED.has(e.domain)) return out;
  const of = say.filter((form) => form.startsWith("{kind} of "));
  const kinds = new Set(KIND_WORDS[e.domain] ?? []);
  for (const n of [e.name, ...e.aliases]) {
    const words = tokenize(n);
    if (words.length === 1 && words[0]) kinds.add(words[0]);
  }
  for (const a of [area.name, ...area.aliases]) {
    if (!/^\S+['’]s\s/u.test(a)) continue;
    const owner = (tokenize(a)[0] ?? "").replace(/s$/, "");
    if (owner.length < 2) continue;
    for (const kind of kinds) put(of, kind, owner);
  }
  return out;
}

/** A `kind_first` form that says where a thing is ("{kind} in the {rest}", "{kind} on the {rest}"). */
const PLACING = /\}\s+(?:in|on)\s/u;

/** Words of a product's name that people leave out ("Kasa Smart Plug 1" is "the kasa plug 1"). */
const PRODUCT_FILLERS: ReadonlySet<string> = new Set(["smart", "wifi", "wireless", "mini"]);

/** Words of a light's name that say where it hangs, which people leave out ("the bedroom light"). */
const HANGS: ReadonlySet<string> = new Set(["ceiling", "overhead", "pendant"]);

/**
 * A device's name without the product words people leave out, where two words or more remain; a
 * light's without where it hangs ("the bedroom light" for the Bedroom Ceiling Light), where its
 * name still ends in the word for a light.
 */
function plainNames(e: Entity, tokenize: (text: string) => string[]): string[][] {
  const out: string[][] = [];
  for (const n of [e.name, ...e.aliases]) {
    const words = tokenize(n);
    const plain = words.filter((w) => !PRODUCT_FILLERS.has(w));
    if (plain.length < words.length && plain.length >= 2) out.push(plain);
    if (e.domain !== "light" || !LIGHT_WORDS.has(plain[plain.length - 1] ?? "")) continue;
    const unhung = plain.filter((w) => !HANGS.has(w));
    if (unhung.length < plain.length && unhung.length >= 2) out.push(unhung);
  }
  return out;
}

/**
 * The kinds of gadget a two-word name ends in after a brand ("Wemo Plug", "Shelly Socket", "Sonos
 * Speaker"), English words as Hearth's other name rules have them.
 */
const GADGET_KINDS: ReadonlySet<string> = new Set([
  "plug",
  "socket",
  "outlet",
  "switch",
  "bulb",
  "strip",
  "lightstrip",
  "speaker",
  // "Nest Thermostat", "Ecobee Thermostat": "set the nest downstairs to 70".
  "thermostat",
]);

/** First words of such names that say no brand ("Smart Plug", "Wall Socket", "Main Switch"). */
const NOT_BRANDS: ReadonlySet<string> = new Set([
  "smart",
  "wall",
  "main",
  "power",
  "light",
  "lamp",
  "fan",
  "big",
  "little",
  "small",
  "old",
  "new",
  "spare",
  "extra",
  "left",
  "right",
  "front",
  "back",
  "top",
  "bottom",
  "upper",
  "lower",
]);

/**
 * A gadget named by its brand and kind ("Wemo Plug", "Kasa Switch"), said by the brand alone: "wemo
 * on", "turn the kasa off". Not where the first word is a room's or floor's, a word of the
 * sentences ("Heater Plug": "the heater" is any heater), a word of another device's name ("TV Plug" beside the Living Room TV: "the TV" is the TV), or no brand ("Smart
 * Plug"); shortNames keeps it only while no other device is called so.
 */
function brandNames(
  e: Entity,
  registry: Registry,
  tokenize: (text: string) => string[],
  placeWords: ReadonlySet<string>,
  sentenceWords: ReadonlySet<string> = new Set(),
): string[][] {
  if (NOT_OWNED.has(e.domain)) return [];
  const [brand, kind, more] = tokenize(e.name);
  if (brand === undefined || kind === undefined || more !== undefined || !GADGET_KINDS.has(kind)) return [];
  if (
    !/^\p{L}{3,}$/u.test(brand) ||
    placeWords.has(brand) ||
    NOT_BRANDS.has(brand) ||
    sentenceWords.has(brand)
  )
    return [];
  for (const other of registry.entities())
    if (other.id !== e.id && [other.name, ...other.aliases].some((n) => tokenize(n).includes(brand)))
      return [];
  return [[brand]];
}

/** Devices called by the owner of their room ("Emma's lamp"): not what only measures or reports. */
const NOT_OWNED: ReadonlySet<string> = new Set(["sensor", "binary_sensor", "event", "update", "button"]);

function shortOf(
  e: Entity,
  registry: Registry,
  tokenize: (text: string) => string[],
  language: ShortNameWords,
  placeWords: ReadonlySet<string>,
): string[][] {
  const own = shortByName(e, registry, tokenize, language.measureWords);
  if (own.length > 0) return own;
  // A brand beside the other short names, never in place of them.
  const brand = brandNames(e, registry, tokenize, placeWords, language.sentenceWords);
  const owned = ownerLastNames(e, tokenize, language.ownerLast ?? [], placeWords);
  return [...brand, ...(owned.length > 0 ? owned : roomOwnerNames(e, registry, tokenize))];
}

/**
 * A device whose name ends in one word that is its owner's ("Leselampe Uli", "Nachttischlampe
 * Jana"), said with the owner first as the language has it ("Ulis Leselampe"). Not what only
 * measures or reports, nor a name whose last word is a place or a number ("Rollladen Küche",
 * "Deckenlampe 2").
 */
function ownerLastNames(
  e: Entity,
  tokenize: (text: string) => string[],
  say: readonly string[],
  placeWords: ReadonlySet<string>,
): string[][] {
  if (say.length === 0 || NOT_OWNED.has(e.domain)) return [];
  const words = tokenize(e.name);
  const owner = words[words.length - 1];
  if (words.length < 2 || owner === undefined || !/^\p{L}+$/u.test(owner)) return [];
  if (placeWords.has(owner)) return [];
  const rest = words.slice(0, -1).join(" ");
  return say.map((form) => tokenize(form.replaceAll("{owner}", owner).replaceAll("{rest}", rest)));
}

/**
 * A device whose name opens with its owner's possessive, written with a capital ("Leas Handy Akku",
 * "Jonas' Lampe"), and its short names ("Leas Handy"), said with the owner after the rest as the
 * language has it ("das Handy von Lea"). Not where the first word is a place's ("Flurs …" is none).
 */
function ownerFirstNames(
  name: string,
  short: readonly string[][],
  tokenize: (text: string) => string[],
  say: readonly string[],
  placeWords: ReadonlySet<string>,
): string[][] {
  if (say.length === 0) return [];
  const first = /^(\p{Lu}\p{Ll}+?)(?:s|'s|’s|')\s/u.exec(name);
  const said = first ? tokenize(name)[0] : undefined;
  if (!first || said === undefined) return [];
  const owner = tokenize(first[1] as string).join(" ");
  if (owner.length < 2 || placeWords.has(owner) || placeWords.has(said)) return [];
  const out: string[][] = [];
  for (const words of [tokenize(name), ...short]) {
    if (words[0] !== said || words.length < 2) continue;
    const rest = words.slice(1).join(" ");
    for (const form of say) out.push(tokenize(form.replaceAll("{owner}", owner).replaceAll("{rest}", rest)));
  }
  return out;
}

/**
 * A device in a room named after its owner ("Emma's Room", "Jake's Bedroom") by the owner and its
 * name, alias or kind: "Emma's lamp" for the Bedside Lamp (alias "lamp") there, "Jake's fan".
 */
function roomOwnerNames(e: Entity, registry: Registry, tokenize: (text: string) => string[]): string[][] {
  if (NOT_OWNED.has(e.domain)) return [];
  const area = e.areaId ? registry.area(e.areaId) : undefined;
  if (!area) return [];
  const owners = [area.name, ...area.aliases]
    .filter((n) => /^\S+['’]s\s/.test(n))
    .map((n) => tokenize(n)[0] as string);
  if (owners.length === 0) return [];
  const out: string[][] = [];
  const seen = new Set<string>();
  const add = (words: string[]) => {
    const k = words.join(" ");
    if (!seen.has(k)) {
      seen.add(k);
      out.push(words);
    }
  };
  for (const owner of new Set(owners)) {
    for (const n of [e.name, ...e.aliases]) {
      const words = tokenize(n);
      if (words[0] === owner) continue;
      add([owner, ...words]);
      // "Lily's white noise" for the white noise machine in Lily's room: what the machine makes.
      if (words.length >= 3 && words[words.length - 1] === "machine") add([owner, ...words.slice(0, -1)]);
    }
    for (const kind of KIND_WORDS[e.domain] ?? []) add([owner, kind]);
  }
  return out;
}

/**
 * Words a product's name says its kind with ("TRADFRI bulb E27 WS opal 1000lm", "Hue Play gradient
 * lightstrip 1"), each with the ways people say it.
 */
const PRODUCT_KINDS: Readonly<Record<string, readonly string[][]>> = {
  bulb: [["bulb"]],
  lightstrip: [["strip"], ["lightstrip"], ["light", "strip"]],
  strip: [["strip"], ["lightstrip"], ["light", "strip"]],
  lamp: [["lamp"]],
  light: [["light"]],
  spot: [["spot"]],
  spotlight: [["spotlight"], ["spot"]],
  panel: [["panel"]],
  plug: [["plug"]],
  socket: [["socket"]],
  candle: [["candle"]],
  purifier: [["purifier"], ["air", "purifier"]],
  humidifier: [["humidifier"]],
  dehumidifier: [["dehumidifier"]],
};

/**
 * A product's name as it came from the box or the bridge ("TRADFRI bulb E27 WS opal 1000lm"): at
 * least three words, one of them a model code (a word with a digit in it). People call such a
 * thing by one plain word of the name and its kind: "the opal bulb", "the tradfri bulb", "the hue
 * strip", and for a light also "the opal light"; or by its kind alone ("the air purifier" for the
 * Mi Air Purifier 3H), where nothing else is called so.
 */
function productNames(e: Entity, tokenize: (text: string) => string[]): string[][] {
  const said = e.name.split(/[\s_]+/).filter((w) => w.length > 0);
  if (said.length < 3 || !said.some((w) => /\d/.test(w))) return [];
  const kinds: string[][] = [];
  const plain: string[] = [];
  for (const w of said) {
    // Model codes: digits ("E27", "1000lm") or a short word in capitals ("WS", "RGB").
    if (/\d/.test(w) || /^[A-Z]{1,3}$/.test(w)) continue;
    const t = tokenize(w);
    if (t.length !== 1) continue;
    const word = t[0] as string;
    const kind = PRODUCT_KINDS[word];
    if (kind) kinds.push(...kind);
    else if (word.length >= 3) plain.push(word);
  }
  if (kinds.length === 0) return [];
  for (const k of KIND_WORDS[e.domain] ?? []) kinds.push([k]);
  const out: string[][] = [];
  const seen = new Set<string>();
  // The kind alone ("the air purifier", "the lightstrip"), while no other device answers to it.
  for (const k of kinds) {
    const key = k.join(" ");
    if (k.length > 1 || !(KIND_WORDS[e.domain] ?? []).includes(key))
      if (!seen.has(key)) {
        seen.add(key);
        out.push([...k]);
      }
  }
  for (const p of plain)
    for (const k of kinds) {
      const words = [p, ...k];
      const key = words.join(" ");
      if (!seen.has(key)) {
        seen.add(key);
        out.push(words);
      }
    }
  return out;
}

/**
 * Binary sensors that detect someone moving, called by the device they are part of (a doorbell, a
 * camera); a low battery's or a plug's sensor keeps its whole name, so "Roborock" stays the vacuum.
 */
const DETECTOR_CLASSES: ReadonlySet<string> = new Set(["motion", "occupancy", "presence"]);

/** Binary sensors that tell whether a machine is at work. */
const MACHINE_CLASSES: ReadonlySet<string> = new Set(["running", "power", "plug"]);

/** Last words of such a sensor's name that say it tells the state ("Dryer Running", "Dishwasher Power"). */
const STATUS_WORDS: ReadonlySet<string> = new Set(["running", "power", "status", "state", "cycle", "active"]);

function shortByName(
  e: Entity,
  registry: Registry,
  tokenize: (text: string) => string[],
  measureWords: Readonly<Record<string, readonly string[]>> = {},
): string[][] {
  const product = productNames(e, tokenize);
  if (product.length > 0) return product;
  const words = tokenize(e.name);
  const detector = e.domain === "binary_sensor" && DETECTOR_CLASSES.has(e.deviceClass ?? "");
  if (e.domain === "sensor" || detector) {
    // By its name or an alias ("Solar Production" for the Inverter Output: "the solar"); a motion
    // detector by the device it is part of, by the language's words for what it detects ("Ring
    // Bewegung": "der Ring", asked whether it saw movement).
    const kind = e.deviceClass ?? "";
    const out: string[][] = [];
    const ends = detector
      ? (measureWords[kind] ?? [])
      : [
          ...(MEASURE_WORDS[kind] ?? []),
          ...(measureWords[kind] ?? []),
          ...LEVEL_WORDS,
          ...(measureWords.level ?? []),
        ];
    for (const said of [words, ...e.aliases.map(tokenize)])
      for (const m of ends) {
        const tail = tokenize(m);
        const rest = said.length - tail.length;
        if (rest > 0 && tail.every((w, i) => said[rest + i] === w)) {
          out.push(said.slice(0, rest));
          break;
        }
      }
    if (out.length > 0) return out;
  }
  // "Washing Machine Running": what tells whether a machine is at work is called by the machine,
  // and a machine by what it does ("is the washing done").
  if (e.domain === "binary_sensor" && MACHINE_CLASSES.has(e.deviceClass ?? "")) {
    const last = words[words.length - 1] as string;
    const machine = words.length > 1 && STATUS_WORDS.has(last) ? words.slice(0, -1) : words;
    const out = machine === words ? [] : [machine];
    if (machine.length > 1 && machine[machine.length - 1] === "machine") out.push(machine.slice(0, -1));
    return out;
  }
  if (e.domain === "light" && words.length >= 3 && /^\S+['’]s\s/i.test(e.name)) {
    const kind = words[words.length - 1] as string;
    // "Dad's Bedroom Ceiling Light": "Dad's light", and with some of the words between owner and
    // kind, in their order: "Dad's bedroom light", "Dad's ceiling light".
    if (LIGHT_WORDS.has(kind)) {
      const owner = words[0] as string;
      const middle = words.slice(1, -1);
      const out = [[owner, kind]];
      for (let from = 0; from < middle.length; from++)
        for (let to = from + 1; to <= middle.length; to++)
          if (to - from < middle.length) out.push([owner, ...middle.slice(from, to), kind]);
      // Or by its room: "Dad's bedroom light" for Dad's Reading Light in the Master Bedroom (the
      // room's name or its last word, which says what kind of room it is).
      const area = e.areaId ? registry.area(e.areaId) : undefined;
      for (const n of area ? [area.name, ...area.aliases] : []) {
        const room = tokenize(n);
        if (room[0] === owner) continue;
        out.push([owner, ...room, kind]);
        if (room.length > 1) out.push([owner, room[room.length - 1] as string, kind]);
      }
      const seen = new Set<string>();
      return out.filter((words) => {
        const k = words.join(" ");
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
    }
  }
  return [];
}

/** How many areas and floors are called by each name or alias, as joined tokens. */
function placeNameCounts(registry: Registry, tokenize: (text: string) => string[]): Map<string, number> {
  const taken = new Map<string, number>();
  for (const p of [...registry.areas(), ...registry.floors()])
    for (const n of [p.name, ...p.aliases]) {
      const k = tokenize(n).join(" ");
      taken.set(k, (taken.get(k) ?? 0) + 1);
    }
  return taken;
}

/**
 * Rooms called by other words from region to region (the language's `alike_rooms`: "Diele" or
 * "Gang" for the Flur, "Speicher" for the Dachboden, "Häusl" for the Toilette): an area whose name
 * is one of them, or ends in one ("Gäste WC"), is also called by the others, in place of that word
 * and alone, while no other area or floor is called so. By area id, as token lists.
 */
export function alikeRoomNames(
  registry: Registry,
  tokenize: (text: string) => string[],
  alike: readonly (readonly string[])[],
): Map<string, string[][]> {
  const out = new Map<string, string[][]>();
  if (alike.length === 0) return out;
  const taken = placeNameCounts(registry, tokenize);
  const count = (words: readonly string[]) => {
    const k = words.join(" ");
    taken.set(k, (taken.get(k) ?? 0) + 1);
  };
  const wanted = new Map<string, string[][]>();
  for (const a of registry.areas()) {
    const said = new Map<string, string[]>();
    for (const n of [a.name, ...a.aliases]) {
      const words = tokenize(n);
      for (const group of alike)
        for (const kind of group) {
          const k = kind.split(" ");
          const at = words.length - k.length;
          if (at < 0 || !k.every((w, j) => words[at + j] === w)) continue;
          for (const other of group) {
            if (other === kind) continue;
            const o = other.split(" ");
            for (const form of at > 0 ? [[...words.slice(0, at), ...o], o] : [o])
              said.set(form.join(" "), form);
          }
        }
    }
    if (said.size > 0) {
      wanted.set(a.id, [...said.values()]);
      for (const form of said.values()) count(form);
    }
  }
  for (const [id, forms] of wanted) {
    const unique = forms.filter((f) => taken.get(f.join(" ")) === 1);
    if (unique.length > 0) out.set(id, unique);
  }
  return out;
}

/**
 * Floors called by other words (the language's `alike_floors`: "oben" or "erster Stock" for the
 * Obergeschoss, "unten" or "Parterre" for the Erdgeschoss): a floor whose name or alias is one of
 * them is also called by the others, while no area or other floor is called so (nor two floors
 * by one word). By floor id, as token lists.
 */
export function alikeFloorNames(
  registry: Registry,
  tokenize: (text: string) => string[],
  alike: readonly (readonly string[])[],
): Map<string, string[][]> {
  const out = new Map<string, string[][]>();
  if (alike.length === 0) return out;
  const taken = placeNameCounts(registry, tokenize);
  const wanted = new Map<string, Set<string>>();
  for (const f of registry.floors()) {
    const said = new Set<string>();
    for (const n of [f.name, ...f.aliases]) {
      const k = tokenize(n).join(" ");
      for (const group of alike) if (group.includes(k)) for (const other of group) said.add(other);
    }
    if (said.size > 0) wanted.set(f.id, said);
  }
  const floorsSaying = new Map<string, number>();
  for (const said of wanted.values())
    for (const k of said) floorsSaying.set(k, (floorsSaying.get(k) ?? 0) + 1);
  for (const [id, said] of wanted) {
    const forms = [...said]
      .filter((k) => !taken.has(k) && floorsSaying.get(k) === 1)
      .map((k) => k.split(" "));
    if (forms.length > 0) out.set(id, forms);
  }
  return out;
}
