import type { GrammarExpr } from "../core/grammar-expr.js";
import { spokenNumber } from "../core/spoken-numbers.js";
import { usableOwnNames } from "../registry/own-names.js";
import type { Registry } from "../registry/registry.js";
import type { Entity } from "../registry/types.js";
import { intentSpec, PRONOUNS, sendsCommands } from "./catalog.js";
import { spokenGermanNumber } from "./hassil/numbers-de.js";
import { areaLocalNames, sideFirstNames } from "./local-names.js";
import { tokenize } from "./normalize.js";
import { targetFilter } from "./resolve.js";
import type { CompiledGroup, CompiledSentences } from "./sentences.js";
import { pluralVariants } from "./slot-lists.js";
import { expandWords, parseTemplate, type TemplateNode } from "./template.js";

/**
 * The sentences Hearth understands, as a speech grammar: what a grammar-based speech recogniser
 * (pocketsphinx) may hear. Generated from the same compiled templates, lists and registry names the
 * matcher uses, so everything the recogniser can hear the matcher understands. Plain data; the STT
 * engine turns it into JSGF. Digits become spoken words ("light 2" → "light two").
 */
export interface SpeechGrammarSpec {
  rules: Record<string, GrammarExpr>;
  root: GrammarExpr;
  /** Device, area and floor names, for engines that take a vocabulary prompt (whisper). */
  hints: string[];
  /** Templates left out (a wildcard list cannot be spoken as a grammar), for the log. */
  skipped: string[];
  /** Templates left out because nothing in this home could answer them (no vacuum, no colour light…). */
  notForThisHome: string[];
}

/** Light colour modes that take a colour (Home Assistant's `supported_color_modes`). */
const COLOUR_MODES = new Set(["hs", "xy", "rgb", "rgbw", "rgbww"]);

/** Whether a light can take a colour: unless its colour modes are known and none takes one. */
function takesColour(e: Entity): boolean {
  const modes = e.attributes.supported_color_modes;
  return !Array.isArray(modes) || modes.some((mode) => COLOUR_MODES.has(String(mode)));
}

function usesList(node: TemplateNode, list: string): boolean {
  switch (node.t) {
    case "slot":
      return node.list === list;
    case "seq":
      return node.items.some((item) => usesList(item, list));
    case "alt":
      return node.options.some((option) => usesList(option, list));
    default:
      return false;
  }
}

/**
 * Whether anything in the home could act on or answer a sentence group: an intent that needs
 * devices needs one it can target (no vacuum sentences without a vacuum, no thermostat sentences
 * without a thermostat), and a sentence naming a colour needs a light that takes one. Fewer
 * sentences leave the recogniser fewer wrong ones to choose, on real voices above all.
 */
function usefulHere(group: CompiledGroup, entities: readonly Entity[], custom: ReadonlySet<string>): boolean {
  if (custom.has(group.intent)) return true;
  const domains = intentSpec(group.intent)?.domains;
  if (!domains) return true;
  const eligible = targetFilter(group, domains, group.slots);
  const targets = entities.filter(eligible);
  if (targets.length === 0) return false;
  if (usesList(group.template, "color")) return targets.some((e) => e.domain === "light" && takesColour(e));
  return true;
}

/** Slots that pick a sentence's devices by their kind (resolve.ts, targetFilter). */
const KIND_SLOTS: ReadonlySet<string> = new Set(["domain", "device_class"]);

/** A template part that can only be said as nothing (every word of it optional and unusable). */
const NOTHING = Symbol("nothing");

/** A number in the words of the sentences' language: German's own, English's for any other. */
type SayNumber = (n: number) => string;

function numberSpeller(language: string | undefined): SayNumber {
  return language?.toLowerCase().split(/[-_]/)[0] === "de" ? spokenGermanNumber : spokenNumber;
}

/** Words as the recogniser's dictionary spells them: digit tokens spoken out in `say`'s words. */
function spoken(words: readonly string[], say: SayNumber): string {
  return words.map((w) => (/^\d+(\.\d+)?$/.test(w) ? say(Number(w)) : w)).join(" ");
}

function alt(items: GrammarExpr[]): GrammarExpr {
  const unique = [...new Set(items.map((i) => JSON.stringify(i)))].map((i) => JSON.parse(i) as GrammarExpr);
  return unique.length === 1 ? (unique[0] as GrammarExpr) : { alt: unique };
}

/**
 * A duration as the sentence files' `speech:` `durations` say it: `{count}` is a number from one to
 * 120 (`duration_count`), words next to each other one phrase, digits spoken out.
 */
function durationExpr(node: TemplateNode, say: SayNumber): GrammarExpr {
  switch (node.t) {
    case "word":
      return spoken([node.w], say);
    case "slot":
      return { ref: "duration_count" };
    case "rule":
      throw new Error(`<${node.name}> is not inlined`);
    case "seq": {
      const out: GrammarExpr[] = [];
      for (const item of node.items) {
        const e = durationExpr(item, say);
        const last = out.length - 1;
        if (typeof e === "string" && typeof out[last] === "string") out[last] = `${out[last]} ${e}`;
        else out.push(e);
      }
      return out.length === 1 ? (out[0] as GrammarExpr) : { seq: out };
    }
    case "alt": {
      const said = node.options
        .filter((o) => !(o.t === "seq" && o.items.length === 0))
        .map((o) => durationExpr(o, say));
      const choice = said.length === 1 ? (said[0] as GrammarExpr) : { alt: said };
      return said.length < node.options.length ? { opt: choice } : choice;
    }
  }
}

/**
 * Builds the grammar: one rule per list (names from the registry, values and ranges from the
 * sentence files), one per intent, and a root allowing further commands after "and"/"then".
 */
export function buildSpeechGrammar(sentences: CompiledSentences, registry: Registry): SpeechGrammarSpec {
  const rules: Record<string, GrammarExpr> = {};
  const skipped: string[] = [];
  const say = numberSpeller(sentences.language);

  const names = (
    items: ReadonlyArray<{ name: string; aliases: string[] }>,
    plural: boolean,
  ): GrammarExpr[] => {
    const out: GrammarExpr[] = [];
    for (const item of items) {
      for (const n of [item.name, ...item.aliases]) {
        const words = tokenize(n);
        if (words.length === 0) continue;
        for (const v of plural ? pluralVariants(words) : [words]) out.push(spoken(v, say));
        if (plural) for (const v of sideFirstNames(words)) out.push(spoken(v, say));
      }
    }
    return out;
  };
  const entityNames = names(registry.entities(), true);
  for (const own of usableOwnNames(registry.entities()).values()) {
    const words = tokenize(own);
    if (words.length > 0) entityNames.push(spoken(words, say));
  }
  // "the TV" for "Living Room TV": area-local names, as the matcher offers them.
  for (const e of registry.entities())
    for (const local of areaLocalNames(e, registry, tokenize)) entityNames.push(spoken(local, say));
  // A list with nothing in it (a home without floors) is left out, and so are its templates.
  if (entityNames.length > 0) rules.list_name = alt(entityNames);
  const areaNames = names(registry.areas(), false);
  if (areaNames.length > 0) rules.list_area = alt(areaNames);
  const floorNames = names(registry.floors(), false);
  if (floorNames.length > 0) rules.list_floor = alt(floorNames);
  rules.list_previous = alt([...PRONOUNS]);
  // A language whose files give no timer names or durations has no sentence that says them heard.
  const { timerNames, durations, joiners } = sentences.words;
  if (timerNames.size > 0) rules.list_timer_name = alt([...timerNames]);
  if (durations.length > 0) {
    rules.duration_count = alt(Array.from({ length: 120 }, (_, i) => say(i + 1)));
    rules.list_duration = { alt: durations.map((d) => durationExpr(d, say)) };
  }

  /** Each value list's values: what a value means (its slot value) and every way to say it. */
  const valuesOf = new Map<string, Array<{ out: string | number; said: string[] }>>();
  for (const [name, def] of sentences.lists) {
    const key = `list_${name}`;
    if ("values" in def) {
      const values = def.values.map((v) =>
        typeof v === "string"
          ? { out: v, said: [spoken(tokenize(v), say)] }
          : { out: v.out, said: expandWords(parseTemplate(v.in)).map((w) => spoken(w, say)) },
      );
      valuesOf.set(name, values);
      rules[key] = alt(values.flatMap((v) => v.said));
    } else if ("range" in def) {
      const values: string[] = [];
      const { from, to, step, fractions } = def.range;
      for (let n = from; n <= to && values.length < 2000; n += step) {
        values.push(say(n));
        if (fractions && n < to) values.push(say(n + 0.5));
      }
      rules[key] = alt(values);
    }
  }

  const usable = new Set(Object.keys(rules));
  const entities = registry.entities();
  /** Lists narrowed to the kinds of device a home has, by the values they keep. */
  const narrowed = new Map<string, string>();
  /** Set when a template names a kind of device through a list of which this home has none. */
  let noKindHere = false;
  /**
   * A slot that picks the devices by their kind ("close the {cover_class} in the bedroom", "what is
   * the {sensor_class} in the office") with only the kinds some device of this home is, for a
   * sentence that acts on or asks about its devices: the others can only be answered "there is no
   * such device" (resolve.ts, targetFilter, the same test as the whole sentence's in
   * {@link usefulHere}). A value naming several kinds ("climate|cooling") is kept. Undefined when the
   * home has none of them.
   */
  const kindList = (group: CompiledGroup, list: string, slot: string): GrammarExpr | undefined => {
    const key = `list_${list}`;
    const values = valuesOf.get(list);
    const domains = intentSpec(group.intent)?.domains;
    if (!values || !domains || !KIND_SLOTS.has(slot) || sentences.custom.has(group.intent))
      return { ref: key };
    const kept = values.filter(
      ({ out }) =>
        typeof out !== "string" ||
        out.includes("|") ||
        entities.some(targetFilter(group, domains, { ...group.slots, [slot]: out })),
    );
    if (kept.length === values.length) return { ref: key };
    if (kept.length === 0) {
      noKindHere = true;
      return undefined;
    }
    const said = alt(kept.flatMap((v) => v.said));
    const id = JSON.stringify(said);
    let name = narrowed.get(id);
    if (name === undefined) {
      name = `${key}_here_${narrowed.size + 1}`;
      narrowed.set(id, name);
      rules[name] = said;
    }
    return { ref: name };
  };
  /**
   * The template as a grammar expression; undefined when no sentence of it can be spoken, NOTHING
   * when only the empty one can. A choice keeps the options that can be spoken: a home without
   * floors still has "how hot is it [in the {area}|on the {floor}]" as "how hot is it [in the
   * {area}]". (Dropping the whole template for one unusable option lost most of the built-in
   * sentences — "pause", "next", "how hot is it" — in every home without floors.)
   */
  const toExpr = (node: TemplateNode, group: CompiledGroup): GrammarExpr | typeof NOTHING | undefined => {
    switch (node.t) {
      case "word":
        return spoken([node.w], say);
      case "seq": {
        const items = node.items.map((item) => toExpr(item, group));
        if (items.some((i) => i === undefined)) return undefined;
        const said = items.filter((i): i is GrammarExpr => i !== NOTHING && i !== undefined);
        return said.length === 0 ? NOTHING : said.length === 1 ? (said[0] as GrammarExpr) : { seq: said };
      }
      case "alt": {
        const options = node.options.map((option) => toExpr(option, group)).filter((o) => o !== undefined);
        if (options.length === 0) return undefined;
        const said = options.filter((o): o is GrammarExpr => o !== NOTHING);
        if (said.length === 0) return NOTHING;
        const choice = alt(said);
        return said.length < options.length ? { opt: choice } : choice;
      }
      case "slot": {
        const key = `list_${node.list}`;
        if (!usable.has(key)) return undefined;
        return kindList(group, node.list, node.slot);
      }
      default:
        return undefined;
    }
  };

  const perIntent = new Map<string, GrammarExpr[]>();
  const notForThisHome: string[] = [];
  for (const group of sentences.groups) {
    if (!usefulHere(group, entities, sentences.custom)) {
      notForThisHome.push(group.source);
      continue;
    }
    noKindHere = false;
    const e = toExpr(group.template, group);
    if (e === undefined && noKindHere) {
      notForThisHome.push(group.source);
      continue;
    }
    if (e === undefined || e === NOTHING) {
      skipped.push(group.source);
      continue;
    }
    const list = perIntent.get(group.intent) ?? [];
    list.push(e);
    perIntent.set(group.intent, list);
  }
  // Only commands that act on devices chain ("turn off the tv and the lights"); a question, a timer
  // or a reply stands alone. Every chained path through the grammar is one more sentence other
  // speech can be heard as ("what is the capital of france" decoded as "what is the day and put on
  // fans" was taken as a command), and people rarely chain a question with an action aloud; typed
  // text still chains any intents.
  const acting: GrammarExpr[] = [];
  const alone: GrammarExpr[] = [];
  for (const [intent, exprs] of perIntent) {
    const key = `intent_${intent.replace(/[^A-Za-z0-9_-]/g, "_")}`;
    rules[key] = alt(exprs);
    (sendsCommands(intent) ? acting : alone).push({ ref: key });
  }
  const commands: GrammarExpr[] = [];
  if (acting.length > 0) {
    rules.command = alt(acting);
    commands.push(
      joiners.size > 0 ? { repeat: { ref: "command" }, separator: alt([...joiners]) } : { ref: "command" },
    );
  }
  if (alone.length > 0) {
    rules.single = alt(alone);
    commands.push({ ref: "single" });
  }
  // Polite words around a command; inside a command only where the templates allow them. Hesitation
  // sounds and one-syllable fillers (`speech:` `unspoken`) stay out: a recogniser hears them in every
  // breath and pause and in the first or last sound of a command ("so and the vacuum…" for "send the
  // vacuum…"); only the hesitations of `speech:` `leading` ("um", "uh", "er") are allowed, and only
  // before the command: there, with each word costing a penalty (pocketsphinx-stt.ts), they lifted
  // the synthetic commands heard exactly from 89 % to 91 % without letting more other speech through
  // (bench/stt.mjs). Typed text keeps them all.
  const skip = sentences.skipPhrases
    .map((p) => spoken(p, say))
    .filter((p) => !sentences.words.unspokenSkip.has(p));
  rules.skip = alt(skip.length > 0 ? skip : ["please"]);
  // After the command only the sentence files' `speech:` `tail`: a long tail such as "whenever you
  // can" is one more way to hear the command's last words (on real coffee orders it took the place
  // of "with brown sugar"), and each first sound there costs memory. Typed text keeps every skip
  // phrase at both ends.
  const tail = skip.filter((p) => sentences.words.spokenTail.has(p));
  rules.tail = alt(tail.length > 0 ? tail : ["please"]);
  const leading = [...sentences.words.leadingHesitations];
  const root: GrammarExpr = {
    seq: [
      ...(leading.length > 0 ? [{ opt: alt(leading) }] : []),
      { opt: { ref: "skip" } },
      alt(commands),
      { opt: { ref: "tail" } },
    ],
  };
  const hints = [
    ...registry.entities().map((e) => e.name),
    ...registry.areas().map((a) => a.name),
    ...registry.floors().map((f) => f.name),
  ];
  return { rules, root, hints, skipped, notForThisHome };
}
