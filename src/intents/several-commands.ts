/**
 * Several commands said in one sentence, joined by "and" or "then" (the sentence files'
 * `joiners:`): "turn on the kitchen light and close the garage door", the second part borrowing the
 * first's words where it says only a target ("turn off the spots and the chandelier", German "mach
 * den Toaster aus und das Herdlicht"), only a place ("… und in der Küche auch") or "the ones", "her"
 * and "it" for what the first acted on. Each part is read by the recognizer.
 */
import type { Registry } from "../registry/registry.js";
import { ARTICLES } from "./articles.js";
import type { HomeNames } from "./home-names.js";
import { type CompiledTemplate, MatchScratch, matchTemplate, type TemplateMatch } from "./matcher.js";
import { tokenize as tokenizeEnglish } from "./normalize.js";
import { nounFor } from "./nouns.js";
import { dropArticles } from "./reading-checks.js";
import { resolveMatch, type SpeakerContext } from "./resolve.js";
import type { SentenceWords } from "./sentence-words.js";
import type { CompiledGroup, CompiledSentences } from "./sentences.js";
import type { MatchMode, SlotList } from "./slot-lists.js";
import { CANDIDATE_MEMO } from "./template-picker.js";
import type { View } from "./template-recognizer.js";
import type { RecognizedIntent, Understanding } from "./types.js";

/** What several commands are read with: the recognizer's own readings and templates. */
export interface PartReader {
  /** A part's words read in `modes` (one command, or several). */
  recognizeTokens(
    tokens: readonly string[],
    context: SpeakerContext,
    modes: readonly MatchMode[],
    view: View,
  ): Understanding;
  /** The groups of templates that can fit `tokens` (see TemplatePicker.groupsFor). */
  groupsFor(
    tokens: readonly string[],
    view: View,
    opening: { scratch: MatchScratch; mode: MatchMode },
  ): CompiledGroup[];
  /** A group's template compiled for matching. */
  program(group: CompiledGroup): CompiledTemplate;
  /** The slot lists in force. */
  lists(): ReadonlyMap<string, SlotList>;
  /** The context for what follows a command that named a room (see TemplateRecognizer's placeCarried). */
  placeCarried(context: SpeakerContext, intents: readonly RecognizedIntent[]): SpeakerContext;
}

/** The joined commands of one recognizer. */
export class SeveralCommands {
  readonly #opts: { registry: Registry; sentences: CompiledSentences };
  readonly #words: SentenceWords;
  readonly #names: HomeNames;
  readonly #reader: PartReader;
  /** For the look-ups around a joined command's parts (its lead and trailing words). */
  readonly #sideScratch: MatchScratch;
  /** One template's matches in #sideScratch, reused for each template. */
  readonly #sideMatches: TemplateMatch[] = [];
  /**
   * What the look-ups around a sentence's parts found, by look-up, view and words, for the same
   * speaker (see #kept); emptied for each sentence.
   */
  readonly #sideMemo = new Map<string, { context: SpeakerContext; found: unknown }>();

  /** `listIds`: the recognizer's numbers of its lists, which the scratch shares. */
  constructor(
    opts: {
      registry: Registry;
      sentences: CompiledSentences;
      names: HomeNames;
      listIds: Map<string, number>;
    },
    reader: PartReader,
  ) {
    this.#opts = opts;
    this.#words = opts.sentences.words;
    this.#names = opts.names;
    this.#reader = reader;
    this.#sideScratch = new MatchScratch(undefined, opts.listIds);
  }

  /** Forgets what the last sentence's look-ups around its parts found (see #kept). */
  newSentence(): void {
    this.#sideMemo.clear();
  }

  /**
   * A look-up around a part (`what`: which), made once a sentence for the same words, view and
   * speaker: a joined command's parts are read exactly and then in every mode, and a learner's
   * reading of the sentence reads the same parts again (each look-up matches a part's templates
   * anew and resolves them).
   */
  #kept<T>(what: string, tokens: readonly string[], context: SpeakerContext, view: View, look: () => T): T {
    const key = `${what}${view.ownOnly ? " own" : ""}\u0000${tokens.join(" ")}`;
    const known = this.#sideMemo.get(key);
    if (known?.context === context) return known.found as T;
    const found = look();
    if (this.#sideMemo.size >= CANDIDATE_MEMO) this.#sideMemo.clear();
    this.#sideMemo.set(key, { context, found });
    return found;
  }

  /** "turn on the kitchen light and close the garage door" → two intents, in order. */
  recognizeSeveral(
    tokens: readonly string[],
    context: SpeakerContext,
    modes: readonly MatchMode[],
    depth: number,
    view: View,
  ): RecognizedIntent[] | undefined {
    if (depth > 4) return undefined;
    const joiners = this.#opts.sentences.joiners;
    for (let i = 1; i < tokens.length - 1; i++) {
      if (!joiners.has(tokens[i] as string)) continue;
      const left = tokens.slice(0, i);
      let rightStart = i + 1;
      while (rightStart < tokens.length && joiners.has(tokens[rightStart] as string)) rightStart++;
      let right = tokens.slice(rightStart);
      if (right.length === 0) continue;
      let l = this.#reader.recognizeTokens(left, context, modes, view);
      let r: Understanding | undefined;
      if (l.kind !== "recognized") {
        // "schalte die Stehlampe und die Deckenlampe aus": German says the particle once, last.
        if (right.length > 4) continue;
        r = this.#reader.recognizeTokens(right, context, modes, view);
        if (r.kind !== "recognized") {
          const both = this.#oneVerbTwoPlaces(left, right, context, modes, view);
          if (both) return both;
          continue;
        }
        const trail = this.#trailWords(right, context, view);
        if (!trail) continue;
        l = this.#reader.recognizeTokens([...left, ...trail], context, modes, view);
        if (l.kind !== "recognized") continue;
      }
      // "close the ones in the bedroom": the kind of device the first command acted on.
      if (r === undefined) right = this.#ownerCarried(left, this.#onesNamed(right, l.intents));
      // "turn on the fan and then turn it off": "it" in what follows is what the first command acted on.
      const after = this.#reader.placeCarried(actedOn(context, l.intents), l.intents);
      r ??= this.#reader.recognizeTokens(right, after, modes, view);
      const lefts = l.intents;
      // "turn on the kitchen light and the fan": reuse the first command's words around its target
      // (German puts the particle last: "mach den Toaster aus und das Herdlicht").
      // "mach das Licht in der Küche an und im Bad aus", "switch on X and off Y": a part that says
      // its own on/off word keeps it and never takes the first part's (borrowed, "an" after its
      // "aus" read as on).
      const own = saysOwnDirection(right, this.#words);
      const borrow = (): Understanding | undefined => {
        const around = this.#leadWords(left, context, view);
        if (!around) return undefined;
        // "… und den Ventilator auch": the "also" said after the second target is the borrowing.
        const target = dropArticles(right);
        while (target.length > 1 && this.#words.also.has(target[target.length - 1] as string)) target.pop();
        if (!own) {
          const shared = this.#reader.recognizeTokens(
            [...around.lead, ...target, ...around.trail],
            after,
            modes,
            view,
          );
          // "turn off the kitchen lights and the hall lights": the word after the first part's
          // place ("lights") is said again in the second part, or its place comes after it ("the
          // lights in the hall"): the first part's verb alone.
          if (shared.kind === "recognized" || around.trail.length === 0) return shared;
          return this.#reader.recognizeTokens([...around.lead, ...target], after, modes, view);
        }
        // Only the first part's verb and object ("mach das Licht"): none of its on/off words, and
        // where the second part names its own place ("im Bad", "bei Frieda"), not the first's.
        const place = this.#words.placePrepositions.has(target[0] as string)
          ? this.#placeSpan(left, context, view)
          : undefined;
        let lead = around.lead;
        if (place) {
          const before = left.slice(0, place.start);
          while (
            before.length > 1 &&
            (this.#words.placePrepositions.has(before.at(-1) as string) ||
              ARTICLES.has(before.at(-1) as string))
          )
            before.pop();
          lead = [...before, ...left.slice(place.end)];
        }
        lead = lead.filter((w) => !this.#words.directions.has(w));
        return this.#reader.recognizeTokens([...lead, ...target], after, modes, view);
      };
      // "Licht in der Küche an und den Ventilator auch": where the first part's words around its
      // target do not fit the second (its first capture was a place, or it has no verb), its verb
      // and its on/off word said last, or that word alone.
      const particle = (): Understanding | undefined => {
        if (own) return undefined;
        let k = left.length;
        while (k > 1 && this.#words.directions.has(left[k - 1] as string)) k--;
        const dirs = left.slice(k);
        if (dirs.length === 0 || k === left.length) return undefined;
        const target = dropArticles(right);
        while (target.length > 1 && this.#words.also.has(target[target.length - 1] as string)) target.pop();
        const verb = left[0] as string;
        const tries =
          this.#words.directions.has(verb) || ARTICLES.has(verb) ? [] : [[verb, ...target, ...dirs]];
        tries.push([...target, ...dirs]);
        for (const words of tries) {
          const u = this.#reader.recognizeTokens(words, after, modes, view);
          if (u.kind === "recognized") return u;
        }
        return undefined;
      };
      if (r.kind === "recognized") {
        // "turn off the spots and the chandelier": a name alone would switch the chandelier on,
        // but the one verb said covers both. Where the right part read with the left part's verb
        // acts on the same devices as a different intent, the shared verb is what was meant
        // (unless the right part said its own on/off word).
        const rights = r.intents;
        if (!own && rights.some((x, k) => x.name !== lefts[k % lefts.length]?.name)) {
          const borrowed = borrow();
          if (borrowed?.kind === "recognized" && sameTargets(borrowed.intents, rights))
            return [...lefts, ...borrowed.intents];
          const said = particle();
          if (said?.kind === "recognized" && sameTargets(said.intents, rights))
            return [...lefts, ...said.intents];
        }
        return [...lefts, ...rights];
      }
      const borrowed = borrow();
      if (borrowed?.kind === "recognized") return [...lefts, ...borrowed.intents];
      const said = particle();
      if (said?.kind === "recognized") return [...lefts, ...said.intents];
      // "mach im Flur das Licht an und in der Küche auch": the second part's place said where the
      // first part said its own, the rest of the first part as it was.
      const there = own ? undefined : this.#elsewhere(left, right, after, context, modes, view);
      if (there?.kind === "recognized") return [...lefts, ...there.intents];
      const rest = this.recognizeSeveral(right, after, modes, depth + 1, view);
      if (rest) return [...l.intents, ...rest];
    }
    return undefined;
  }

  /**
   * A second part that says "her", "his" or "their" before a thing, after a first part that named
   * one owner ("turn off Ava's lamp and turn on her desk light"): the owner in its place ("Ava's
   * desk light"), as a possessive of the home's names (an owner of a room or a device).
   */
  #ownerCarried(left: readonly string[], right: string[]): string[] {
    const at = right.findIndex((w, i) => this.#words.ownerPronouns.has(w) && i + 1 < right.length);
    if (at < 0) return right;
    this.#names.words();
    const said = new Set(
      left.filter((w) => w.length > 2 && w.endsWith("s") && this.#names.owners.has(w.slice(0, -1))),
    );
    const [owner] = said;
    if (owner === undefined || said.size !== 1) return right;
    return [...right.slice(0, at), owner, ...right.slice(at + 1)];
  }

  /**
   * A second part that says "the ones" or "the one" for the kind of device the first part acted on
   * ("open the blinds in the study and close the ones in the bedroom", "the kitchen lights off and
   * the ones in the hall too") with that kind's word in their place ("the blinds in the bedroom"):
   * the device class all the devices share where Hearth has a word for it, else their domain.
   */
  #onesNamed(right: string[], lefts: readonly RecognizedIntent[]): string[] {
    const at = right.findIndex(
      // "one" comes as the number 1 once numbers are read.
      (w, k) =>
        w === "ones" ||
        ((w === "one" || w === "1") && k > 0 && this.#words.oneBefore.has(right[k - 1] as string)),
    );
    if (at === -1) return right;
    const targets = lefts.flatMap((i) => i.targets);
    const entities = targets.map((id) => this.#opts.registry.entity(id));
    if (entities.length === 0 || entities.some((e) => e === undefined)) return right;
    const kinds = (key: (e: NonNullable<(typeof entities)[number]>) => string | undefined) => {
      const all = new Set(entities.map((e) => (e ? key(e) : undefined)));
      return all.size === 1 ? [...all][0] : undefined;
    };
    const n = right[at] === "ones" ? 2 : 1;
    const noun =
      nounFor(
        kinds((e) => e.deviceClass),
        n,
      ) ??
      nounFor(
        kinds((e) => e.domain),
        n,
      );
    if (noun === undefined) return right;
    return [...right.slice(0, at), ...tokenizeEnglish(noun), ...right.slice(at + 1)];
  }

  /**
   * "mach das Licht im Bad und im Schlafzimmer an": one verb, its particle said once at the end,
   * over two places. The first command is the left part with the particle ("mach das Licht im Bad
   * an"); the second its words before the place with the right part ("mach das Licht" + "im
   * Schlafzimmer an"), the place's own preposition ("im", "in der") taken from the right part.
   * Both must be the same intent.
   */
  #oneVerbTwoPlaces(
    left: readonly string[],
    right: readonly string[],
    context: SpeakerContext,
    modes: readonly MatchMode[],
    view: View,
  ): RecognizedIntent[] | undefined {
    const particle = right[right.length - 1];
    if (particle === undefined || right.length < 2) return undefined;
    const first = [...left, particle];
    const l = this.#reader.recognizeTokens(first, context, modes, view);
    if (l.kind !== "recognized") return undefined;
    const place = this.#placeStart(first, context, view);
    if (place === undefined) return undefined;
    // The words kept before the right part: up to the place, less one or two for its preposition.
    for (let cut = place; cut >= Math.max(1, place - 2); cut--) {
      const r = this.#reader.recognizeTokens([...first.slice(0, cut), ...right], context, modes, view);
      if (r.kind === "recognized" && r.intents.every((x) => x.name === l.intents[0]?.name))
        return [...l.intents, ...r.intents];
    }
    return undefined;
  }

  /** Where the area or floor of a whole command starts (its first exact reading that resolves). */
  #placeStart(tokens: readonly string[], context: SpeakerContext, view: View): number | undefined {
    return this.#placeSpan(tokens, context, view)?.start;
  }

  /**
   * A second part that is only a place, with or without "auch" ("… und in der Küche auch", "… und
   * auch im Bad"), read as the first part with that place in place of its own.
   */
  #elsewhere(
    left: readonly string[],
    right: readonly string[],
    after: SpeakerContext,
    context: SpeakerContext,
    modes: readonly MatchMode[],
    view: View,
  ): Understanding | undefined {
    const target = dropArticles(right);
    while (target.length > 1 && this.#words.also.has(target[target.length - 1] as string)) target.pop();
    while (target.length > 1 && this.#words.also.has(target[0] as string)) target.shift();
    if (!this.#words.placePrepositions.has(target[0] as string)) return undefined;
    const place = this.#placeSpan(left, context, view);
    if (!place) return undefined;
    const before = left.slice(0, place.start);
    while (
      before.length > 0 &&
      (this.#words.placePrepositions.has(before.at(-1) as string) || ARTICLES.has(before.at(-1) as string))
    )
      before.pop();
    return this.#reader.recognizeTokens([...before, ...target, ...left.slice(place.end)], after, modes, view);
  }

  /** The words of the area or floor of a whole command (its first exact reading that resolves). */
  #placeSpan(
    tokens: readonly string[],
    context: SpeakerContext,
    view: View,
  ): { start: number; end: number } | undefined {
    return this.#kept("place", tokens, context, view, () => this.#findPlaceSpan(tokens, context, view));
  }

  #findPlaceSpan(
    tokens: readonly string[],
    context: SpeakerContext,
    view: View,
  ): { start: number; end: number } | undefined {
    for (const group of this.#sideGroups(tokens, view)) {
      for (const match of this.#sideMatch(group, tokens)) {
        const place = match.captures.find((x) => x.list === "area" || x.list === "floor");
        if (!place) continue;
        if (!resolveMatch(group, match.captures, this.#opts.registry, context).ok) continue;
        return { start: place.start, end: place.end };
      }
    }
    return undefined;
  }

  /**
   * The groups for the look-ups around a joined command's parts, matched exactly in #sideScratch
   * (cleared first): only whole matches count there, so only templates that can start and end
   * with the words at hand.
   */
  #sideGroups(tokens: readonly string[], view: View): CompiledGroup[] {
    this.#sideScratch.clear();
    return this.#reader.groupsFor(tokens, view, { scratch: this.#sideScratch, mode: "exact" });
  }

  /** Up to four exact matches of `group` for the look-ups around a joined command's parts. */
  #sideMatch(group: CompiledGroup, tokens: readonly string[]): readonly TemplateMatch[] {
    const out = this.#sideMatches;
    out.length = 0;
    return matchTemplate(
      this.#reader.program(group),
      tokens,
      this.#reader.lists(),
      "exact",
      4,
      this.#sideScratch,
      out,
    );
  }

  /** The words after a command's only slot ("aus" of "Deckenlampe aus"), if any. */
  #trailWords(tokens: readonly string[], context: SpeakerContext, view: View): string[] | undefined {
    return this.#kept("trail", tokens, context, view, () => this.#findTrailWords(tokens, context, view));
  }

  #findTrailWords(tokens: readonly string[], context: SpeakerContext, view: View): string[] | undefined {
    for (const group of this.#sideGroups(tokens, view)) {
      for (const match of this.#sideMatch(group, tokens)) {
        const [only] = match.captures;
        if (!only || match.captures.length !== 1 || only.end >= tokens.length) continue;
        if (!resolveMatch(group, match.captures, this.#opts.registry, context).ok) continue;
        return tokens.slice(only.end);
      }
    }
    return undefined;
  }

  /**
   * The words of a command before its first slot ("turn on the" of "turn on the kitchen light")
   * and after its only slot ("aus" of "mach den Toaster aus").
   */
  #leadWords(
    tokens: readonly string[],
    context: SpeakerContext,
    view: View,
  ): { lead: string[]; trail: string[] } | undefined {
    return this.#kept("lead", tokens, context, view, () => this.#findLeadWords(tokens, context, view));
  }

  #findLeadWords(
    tokens: readonly string[],
    context: SpeakerContext,
    view: View,
  ): { lead: string[]; trail: string[] } | undefined {
    for (const group of this.#sideGroups(tokens, view)) {
      for (const match of this.#sideMatch(group, tokens)) {
        const first = match.captures[0];
        if (!first || first.start === 0) continue;
        if (!resolveMatch(group, match.captures, this.#opts.registry, context).ok) continue;
        // Only a lone target leaves its words after it to share: after a place or a level they
        // belong to that ("… to 50 percent").
        const trail = match.captures.length === 1 ? tokens.slice(first.end) : [];
        return { lead: dropArticles(tokens.slice(0, first.start), true), trail };
      }
    }
    return undefined;
  }
}

/** The speaker's context with "it" meaning the devices the last of `intents` that acted on any acted on. */
function actedOn(context: SpeakerContext, intents: readonly RecognizedIntent[]): SpeakerContext {
  for (let i = intents.length - 1; i >= 0; i--) {
    const last = intents[i] as RecognizedIntent;
    if (last.targets.length === 0) continue;
    // "them": the devices of the commands said in a row before it that did the same, the parts
    // said before these included ("turn on the spots and the lamp and then dim them").
    const run = new Set<string>();
    let k = i;
    for (; k >= 0 && (intents[k] as RecognizedIntent).name === last.name; k--)
      for (const t of (intents[k] as RecognizedIntent).targets) run.add(t);
    if (k < 0 && context.run?.name === last.name) for (const t of context.run.targets) run.add(t);
    return { ...context, previous: last.targets, run: { name: last.name, targets: [...run].sort() } };
  }
  return context;
}

/** Whether two readings act on the same devices, in the same order. */
function sameTargets(a: readonly RecognizedIntent[], b: readonly RecognizedIntent[]): boolean {
  const x = a.flatMap((i) => i.targets);
  const y = b.flatMap((i) => i.targets);
  return x.length > 0 && x.length === y.length && x.every((t, k) => t === y[k]);
}

/** Whether a command's part says its own on/off word first or last ("im Bad aus", "off the hall light"). */
function saysOwnDirection(tokens: readonly string[], words: SentenceWords): boolean {
  const said = [...tokens];
  while (said.length > 1 && words.also.has(said[said.length - 1] as string)) said.pop();
  return words.directions.has(said[0] as string) || words.directions.has(said[said.length - 1] as string);
}
