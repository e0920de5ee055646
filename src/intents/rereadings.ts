/**
 * The re-readings: a sentence not understood as said, or understood as less than it says, read
 * again in other ways, each a cut (the command without words said around it: a while, a level, a
 * reason) or a rewrite (the words said once, a command begun again, the verb said last, English in
 * another language's order). Each is tried where its guard holds of the reading so far, in the
 * order of `#ways`, and reads through the recognizer that asks (SentenceReader), so that what it
 * reads is understood exactly as any sentence is.
 */
import type { Registry } from "../registry/registry.js";
import { ARTICLES } from "./articles.js";
import { intentSpec, TARGET_SLOTS } from "./catalog.js";
import { clausesOf, correctionAt, saidOnce, startsAt, stripSkipWords } from "./clauses.js";
import { parseDuration } from "./duration.js";
import { comparedLast, learnerReadings, type ReadingAccepts } from "./learner-readings.js";
import { tokenize } from "./normalize.js";
import { PRONOUN_WORDS } from "./registry-lists.js";
import { DELAYED_COMMAND, type SpeakerContext } from "./resolve.js";
import type { SentenceWords } from "./sentence-words.js";
import type { CompiledSentences } from "./sentences.js";
import type { TemplateResult } from "./template-recognizer.js";
import type { RecognizedIntent } from "./types.js";
import { saysWhen } from "./when-words.js";

/** What the re-readings ask of the recognizer that reads a sentence again (TemplateRecognizer). */
export interface SentenceReader {
  readonly sentences: CompiledSentences;
  readonly registry: Registry;
  readonly words: SentenceWords;
  /** The skip phrases of every sentence, the pack's included. */
  readonly skip: readonly string[][];
  /** One-word skip phrases of Hearth's own sentences and the pack's: "um" in "the um the". */
  readonly fillers: ReadonlySet<string>;
  /** The slots filled from free text (a broadcast's message, a list item, a search). */
  readonly wildcardSlots: ReadonlySet<string>;
  /** One sentence read whole, said by the speaker of `context`. */
  sentence(text: string, context: SpeakerContext): TemplateResult;
  /** Every word of the home's device, area and floor names and aliases. */
  homeWords(): ReadonlySet<string>;
  /** Whether the home knows `word` as a person: someone tracked, or the owner of a room or a thing. */
  knownPerson(word: string): boolean;
  /** The words a sentence that commands devices can start with, articles and pronouns aside. */
  commandStarts(): ReadonlySet<string>;
  /** Words of the recognised intents that free-text slots took ("add {item}", "play {search_query}"). */
  wildWords(intents: readonly RecognizedIntent[]): number;
  /** The speaker's context with the room a remark before a command names and what it acted on as "it". */
  remarkCarried(context: SpeakerContext, remarks: readonly TemplateResult[]): SpeakerContext;
}

/** A sentence read again (see TemplateRecognizer's #rereadings): as typed, its words, and who said it. */
export interface Said {
  readonly text: string;
  readonly tokens: readonly string[];
  readonly context: SpeakerContext;
}

/**
 * One way of reading a sentence again: a cut (the command without words said around it) or a
 * rewrite (the words said once), tried where `when` holds of the reading so far.
 */
interface Rereading {
  /** What it reads, as docs/intents.md names it. */
  readonly name: string;
  /** Whether the reading so far (`r`; `first`, the sentence read as said) asks for this one. */
  readonly when: (r: TemplateResult, first: TemplateResult) => boolean;
  /** The sentence read again and understood, or nothing where this way does not fit it. */
  readonly read: (said: Said, r: TemplateResult) => TemplateResult | undefined;
}

/** Not understood (yet). */
function notUnderstood(r: TemplateResult): boolean {
  return r.understanding.kind !== "recognized";
}

/**
 * The sentence as said, not understood or understood as switching only: "for half an hour" and
 * "at 50 percent" say how to switch; a sentence understood as anything else ("set a timer for ten
 * minutes") stays so.
 */
function switchingAsSaid(r: TemplateResult, first: TemplateResult): boolean {
  const u = r.understanding;
  return r === first && (u.kind !== "recognized" || u.intents.every((i) => SWITCHED.has(i.name)));
}

/** Understood as a search for media. */
function searched(r: TemplateResult): boolean {
  const u = r.understanding;
  return u.kind === "recognized" && u.intents.some((i) => i.name.startsWith("HassMediaSearch"));
}

/**
 * Whether every intent acts on devices it names (a reason after a command is cut only then); a
 * search for media only where `search` (its player is where to play, not what was asked for).
 */
function actsOnDevices(intents: readonly RecognizedIntent[], search: boolean): boolean {
  return intents.every((i) => i.targets.length > 0 && (search || !i.name.startsWith("HassMediaSearch")));
}

/** Whether two lists hold the same ids, in any order. */
export function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id) => b.includes(id));
}

/** The most words a sentence said with a restart or after a remark is read again with. */
const RESTARTED_WORDS = 24;

/** The most words a verb said after its thing takes ("turn it back on"; see #verbLast). */
const VERB_LAST_WORDS = 4;

/** The most spans of words within a thing said before its verb that #verbLast reads as the thing. */
const THING_SPANS = 6;

/**
 * The spans of `words` that may be the name of a thing in them, longest first, at most THING_SPANS,
 * none the whole: each ends on a word of the home's names (`names`) and begins at the start, on an
 * article or on such a word after another word ("the lamp in the study" and "the lamp" of "the lamp
 * in the study has been on all morning").
 */
function namedWithin(words: readonly string[], names: ReadonlySet<string>): string[][] {
  const starts: number[] = [];
  const ends: number[] = [];
  words.forEach((w, i) => {
    const named = names.has(w);
    if (i === 0 || ARTICLES.has(w) || (named && !names.has(words[i - 1] as string))) starts.push(i);
    if (named && !names.has(words[i + 1] ?? "")) ends.push(i + 1);
  });
  const spans: [number, number][] = [];
  for (const a of starts)
    for (const b of ends)
      if (b > a && b - a < words.length && words.slice(a, b).some((w) => names.has(w))) spans.push([a, b]);
  spans.sort((x, y) => y[1] - y[0] - (x[1] - x[0]) || x[0] - y[0]);
  return spans.slice(0, THING_SPANS).map(([a, b]) => words.slice(a, b));
}

/**
 * "The thing in the den, the lamp": a thing said by where it is, then named again at the end (a
 * span of `spans` that ends the words), read as the name with that place ("the lamp in the den").
 * The place is the words from a place preposition (`prepositions`: "in", "at") up to the name.
 */
function renamedAt(
  words: readonly string[],
  spans: readonly (readonly string[])[],
  prepositions: ReadonlySet<string>,
): string[][] {
  const out: string[][] = [];
  for (const span of spans) {
    const start = words.length - span.length;
    if (span.length === 0 || start < 2 || !span.every((w, i) => words[start + i] === w)) continue;
    const at = words.findIndex((w, i) => i > 0 && i < start - 1 && prepositions.has(w));
    if (at > 0) out.push([...span, ...words.slice(at, start)]);
  }
  return out;
}

/** The last two words where the first is an article ("the fan"): a kind of thing named last, or none. */
function kindLast(words: readonly string[]): string[] {
  const last = words.slice(-2);
  return last.length === 2 && ARTICLES.has(last[0] as string) ? last : [];
}

/**
 * Domains whose things open, close and lock: "the gate open", "the blinds close" say how they are
 * or what they do, so a verb said after one is read as a command only with "it" ("the gate, close it").
 */
const OPENS: ReadonlySet<string> = new Set(["cover", "valve", "lock"]);

/**
 * Free text passed on as it was said, reasons and all: a broadcast's message, the command a timer
 * carries out.
 */
const PASSED_ON: ReadonlySet<string> = new Set(["message", DELAYED_COMMAND]);

/** Intents that add an item to a list: a reason said after the item is no part of it. */
const LIST_ADDS: ReadonlySet<string> = new Set(["HassShoppingListAddItem", "HassListAddItem"]);

/** Intents that switch a device on or off, which can be for a while. */
const SWITCHED: ReadonlySet<string> = new Set(["HassTurnOn", "HassTurnOff"]);

/** Intents that set a level: what a level said "in 20" or "until the middle" may be read as. */
const LEVELS: ReadonlySet<string> = new Set([
  "HassLightSet",
  "HassSetPosition",
  "HassFanSetSpeed",
  "HassClimateSetTemperature",
  "HassSetVolume",
  "HassSetVolumeRelative",
]);

/** Whether `intent` is what a sentence read in English word order may be taken for (see learnerReadings). */
export function readAs(accepts: ReadingAccepts, intent: RecognizedIntent): boolean {
  if (accepts === "question") return intentSpec(intent.name)?.commands !== true;
  if (accepts === "level") return LEVELS.has(intent.name) && intent.targets.length > 0;
  if (accepts === "timer") return intent.name === "HassTimerStatus";
  if (accepts === "timers") return intentSpec(intent.name)?.handler === "timer";
  if (accepts === "switch") return SWITCHED.has(intent.name) && intent.targets.length > 0;
  if (accepts === "commands")
    return (
      intentSpec(intent.name)?.commands === true &&
      intentSpec(intent.name)?.handler !== "media" &&
      intent.targets.length > 0
    );
  return intent.targets.length > 0;
}

/** The re-readings of one recognizer (see the module's comment). */
export class Rereadings {
  readonly #reader: SentenceReader;

  constructor(reader: SentenceReader) {
    this.#reader = reader;
  }

  /**
   * `first`, the sentence as said read, read again by each of #ways in turn over its words
   * tokenized once; each that reads it takes the place of the reading before it.
   */
  reread(said: Said, first: TemplateResult): TemplateResult {
    let r = first;
    for (const again of this.#ways) if (again.when(r, first)) r = again.read(said, r) ?? r;
    return r;
  }

  /**
   * The ways a sentence is read again (see reread), in the order tried. Each is tried where its
   * guard holds of the reading so far: the sentence as said, or what an earlier one made of it.
   * How a switch is meant comes first, then what was said around the command, then how it was said.
   */
  readonly #ways: readonly Rereading[] = [
    { name: "more or less last", when: switchingAsSaid, read: (s, r) => this.#comparedLast(s, r) },
    { name: "for a while", when: switchingAsSaid, read: (s) => this.#forAWhile(s) },
    { name: "on at a level", when: switchingAsSaid, read: (s) => this.#onAtLevel(s) },
    { name: "without the reason", when: notUnderstood, read: (s, r) => this.#withoutReason(s, r) },
    { name: "a command, not a search", when: searched, read: (s) => this.#commandNotSearch(s) },
    {
      name: "free text without the reason",
      when: (r) => this.#tookFreeText(r),
      read: (s, r) => this.#freeTextWithoutReason(s, r),
    },
    { name: "without the possessive", when: notUnderstood, read: (s) => this.#withoutPossessive(s) },
    { name: "a place far off", when: notUnderstood, read: (s) => this.#placeFarOff(s) },
    { name: "said once", when: notUnderstood, read: (s) => this.#spokenAgain(s) },
    { name: "begun again", when: notUnderstood, read: (s) => this.#begunAgain(s) },
    { name: "after a remark", when: notUnderstood, read: (s) => this.#afterRemark(s) },
    { name: "the verb last", when: notUnderstood, read: (s) => this.#verbLast(s) },
    { name: "in English word order", when: notUnderstood, read: (s) => this.#inLearnersOrder(s) },
  ];

  /**
   * "Turn off the lights out on the patio", "is the heating on up in the loft": how far away a
   * place is, said before its preposition (`place_distances:`), read without that word. Only
   * where the sentence as said is not understood ("lights out in the den" is the lights off, "turn
   * the radio down in the den" its volume) and the reading acts on a place that is said.
   */
  #placeFarOff(said: Said): TemplateResult | undefined {
    const { tokens } = said;
    const far = this.#reader.words.placeDistances;
    for (let at = 1; at < tokens.length - 2; at++) {
      if (!far.has(`${tokens[at]} ${tokens[at + 1]}`)) continue;
      const words = [...tokens.slice(0, at), ...tokens.slice(at + 1)];
      const u = this.#readWords(said, words).understanding;
      if (
        u.kind === "recognized" &&
        u.intents.every((i) => i.targets.length > 0 && i.slots.area !== undefined)
      )
        return { tokens: words, understanding: u };
    }
    return undefined;
  }

  /** `words` read as a sentence of their own, said by the same speaker. */
  #readWords(said: Said, words: readonly string[]): TemplateResult {
    return this.#reader.sentence(words.join(" "), said.context);
  }

  /**
   * "Turn the heater on for half an hour", "run the sprinklers for twenty minutes": a device
   * switched on or off for a while, read without how long (never as an area or a name called
   * "half an hour"); how long goes in the slot `for_seconds` and the sentence that switches it back
   * in `conversation_command`, for the act step to start a timer that carries it out.
   */
  #forAWhile(said: Said): TemplateResult | undefined {
    const { tokens } = said;
    for (let at = tokens.length - 2; at > 0; at--) {
      if (!this.#reader.words.durationLeads.has(tokens[at] as string)) continue;
      const long = parseDuration(tokens, at + 1).find((d) => d.end === tokens.length);
      if (!long) continue;
      const u = this.#readWords(said, tokens.slice(0, at)).understanding;
      if (u.kind !== "recognized") return undefined;
      if (!u.intents.every((i) => SWITCHED.has(i.name) && i.targets.length > 0)) return undefined;
      const seconds = (long.hours ?? 0) * 3600 + (long.minutes ?? 0) * 60 + (long.seconds ?? 0);
      for (const i of u.intents) {
        i.slots.for_seconds = seconds;
        i.slots[DELAYED_COMMAND] = this.#switchedBack(i);
      }
      return { tokens: [...tokens], understanding: u };
    }
    return undefined;
  }

  /**
   * "Switch on the lamp at 50 percent", "turn the bedroom lights on to 30%": lights switched on at
   * a level, HassLightSet with that brightness (which switches them on). Read here rather than by
   * templates: a template that went on past "turn on the kitchen light" would make every such
   * command look unfinished to the listening loop, which then waits longer for more.
   */
  #onAtLevel(said: Said): TemplateResult | undefined {
    const { tokens } = said;
    let end = tokens.length;
    while (end > 0 && this.#reader.words.levelAfter.has(tokens[end - 1] as string)) end--;
    const level = Number(tokens[end - 1]);
    const at = end - 2;
    if (
      at < 2 ||
      !/^\d+$/.test(tokens[end - 1] as string) ||
      !this.#reader.words.levelLeads.has(tokens[at] as string)
    )
      return undefined;
    if (level < 1 || level > 100) return undefined;
    const u = this.#readWords(said, tokens.slice(0, at)).understanding;
    if (u.kind !== "recognized") return undefined;
    const lights = (i: RecognizedIntent) =>
      i.targets.length > 0 && i.targets.every((id) => this.#reader.registry.entity(id)?.domain === "light");
    if (!u.intents.every((i) => i.name === "HassTurnOn" && lights(i))) return undefined;
    for (const i of u.intents) {
      i.name = "HassLightSet";
      i.slots.brightness = level;
    }
    return { tokens: [...tokens], understanding: u };
  }

  /**
   * The sentence that undoes a switch when its while is over ("turn off the oil heater", "close
   * the drippers", "unlock the side gate"), in English, the language "for half an hour" is read in.
   */
  #switchedBack(intent: RecognizedIntent): string {
    const on = intent.name === "HassTurnOn";
    return intent.targets
      .map((id) => {
        const e = this.#reader.registry.entity(id);
        const verb =
          e?.domain === "lock"
            ? on
              ? "unlock"
              : "lock"
            : e?.domain === "cover" || e?.domain === "valve"
              ? on
                ? "close"
                : "open"
              : on
                ? "turn off"
                : "turn on";
        return `${verb} the ${(e?.name ?? id).toLowerCase()}`;
      })
      .join(" and ");
  }

  /**
   * A reason or purpose said after a whole command that acts on devices, read without it. The
   * cuts, in the order tried:
   * - before a word of the sentence files' `purposes:` or `for_whom:` ("switch on the geyser I want
   *   to bathe", "turn the fan on so I can sleep", "put the jug on for a cuppa"), from the third word
   *   on: the first cut that acts, and none before a thing's name alone ("the kettle is very hot"
   *   says how it is) nor, for "is" and "it's" said without a subject ("close the window is
   *   raining"), before a command that does not open with its verb ("the light in the hall is
   *   broken");
   * - before a last "for" and one word that names nothing of the home ("a bit warmer for Nora");
   * - where the sentence names a place the home lacks, before its last "for the …" ("make the cove
   *   light yellow for the puja": why, not where), when none of the words after it is a word of
   *   the home's names ("for the bedroom 2" may be a room misnamed) and what is left is no search.
   */
  #withoutReason(said: Said, r: TemplateResult): TemplateResult | undefined {
    const { tokens } = said;
    // What is left acts on devices, or (`listed`) adds an item to a list ("add rice to the list
    // because is over").
    const cut = (at: number, search: boolean | undefined, listed: boolean): TemplateResult | undefined => {
      const u = this.#readWords(said, tokens.slice(0, at)).understanding;
      if (u.kind !== "recognized") return undefined;
      const adds = listed && u.intents.every((i) => LIST_ADDS.has(i.name));
      return adds || (search !== undefined && actsOnDevices(u.intents, search))
        ? { tokens: [...tokens], understanding: u }
        : undefined;
    };
    const s = this.#reader.sentences;
    const purposes = [...(s.purposes ?? []), ...(s.forWhom ?? [])];
    const names = this.#reader.homeWords();
    for (let at = 2; at < tokens.length && purposes.length > 0; at++) {
      const purpose = purposes.find((p) => startsAt(tokens, p, at));
      if (!purpose) continue;
      const head = tokens.slice(0, at);
      if (head.every((w) => names.has(w) || ARTICLES.has(w))) continue;
      // "Add milk to the list is finished": an item's reason said without its subject, where no
      // command opens the sentence.
      const subjectless =
        this.#reader.words.subjectless.has(purpose.join(" ")) &&
        !this.#reader.commandStarts().has(head[0] as string);
      const read = subjectless ? cut(at, undefined, true) : cut(at, true, true);
      if (read) return read;
      // Or, where someone cannot hear or see, before who it is ("turn it up Bob can't hear it"): one
      // word, no word of the home's names.
      const who = tokens[at - 1] as string;
      const unable =
        this.#reader.words.unable.has(purpose[0] as string) &&
        at > 2 &&
        !names.has(who) &&
        !ARTICLES.has(who);
      const about = unable ? cut(at - 1, true, false) : undefined;
      if (about) return about;
    }
    // "A bit warmer in the annexe for Nora": who it is for, one word that names nothing of the
    // home, after a command (a question stays as said: "did you leave the door open for the cat").
    const end = tokens.length - 2;
    const whom = tokens[end + 1] as string;
    if (end >= 2 && tokens[end] === "for" && !names.has(whom) && !/\d/.test(whom)) {
      const read = cut(end, false, false);
      const commands = (x: TemplateResult) =>
        x.understanding.kind === "recognized" &&
        x.understanding.intents.every((i) => intentSpec(i.name)?.commands === true);
      if (read && commands(read)) return read;
    }
    const u = r.understanding;
    if (u.kind !== "not-recognized" || u.reason !== "unknown_area") return undefined;
    const at = tokens.lastIndexOf("for");
    const tail = tokens.slice(at + 1);
    if (at < 2 || !ARTICLES.has(tail[0] ?? "") || tail.length < 2) return undefined;
    const home = this.#reader.homeWords();
    if (tail.some((w) => home.has(w))) return undefined;
    return cut(at, false, false);
  }

  /**
   * "Put on the geyser, I have to take a bath": understood as a search for "the geyser, I have to
   * take a bath", its first clause alone is a command that acts on devices and the rest is no
   * command of its own (a reason set apart after it, no media to search for).
   */
  #commandNotSearch(said: Said): TemplateResult | undefined {
    const [first, ...rest] = clausesOf(said.text, this.#reader.words.clauseSplit);
    if (first === undefined || rest.length === 0) return undefined;
    const cut = this.#reader.sentence(first, said.context);
    const u = cut.understanding;
    if (u.kind !== "recognized" || !actsOnDevices(u.intents, false)) return undefined;
    const after = this.#reader.sentence(rest.join(", "), said.context).understanding;
    return after.kind === "recognized" ? undefined : cut;
  }

  /**
   * "Play some jazz, I want to relax", "remind me to buy firelighters because the stove's out": a
   * reason said after free text (a search, a list item, a timer's name) is no part of it. The
   * sentence is read before the first word of the sentence files' `purposes:` in it, and taken
   * where that reads as the same intents on the same devices with one slot of free text the
   * shorter by the reason (so the free text ran to the end of the sentence, reason and all). Who or
   * what it is for (`for_whom:`: "play songs for a rainy day") may name the thing and stays. Words
   * passed on as said (a broadcast's message, a command for later) keep their reason: "announce
   * we're late because of the traffic" is the message.
   */
  #freeTextWithoutReason(said: Said, r: TemplateResult): TemplateResult | undefined {
    const u = r.understanding;
    const purposes = this.#reader.sentences.purposes ?? [];
    if (u.kind !== "recognized" || purposes.length === 0) return undefined;
    const { tokens } = said;
    const whenSaid = this.#reader.words.whenSaid;
    for (let at = 2; at < tokens.length; at++) {
      // A reason said without its subject may as well be part of a title ("play what is love"),
      // never of a thing put on a list after a word that starts no clause ("… milk is finished").
      const listed = u.intents.every((i) => LIST_ADDS.has(i.name));
      const item = listed && !this.#reader.words.clauseOpeners.has(tokens[at - 1] as string);
      // "We need to buy eggs at the weekend": when, said after an item, is no part of it.
      const when = listed && whenSaid !== undefined && saysWhen(tokens, at, whenSaid);
      if (
        !when &&
        !purposes.some(
          (p) => startsAt(tokens, p, at) && (item || !this.#reader.words.subjectless.has(p.join(" "))),
        )
      )
        continue;
      const cut = this.#readWords(said, tokens.slice(0, at)).understanding;
      if (cut.kind === "recognized" && this.#freeTextCut(u.intents, cut.intents, tokens.slice(at)))
        return { tokens: [...tokens], understanding: cut };
    }
    return undefined;
  }

  /** Whether `r` is understood with free text that is not passed on as said (see #freeTextWithoutReason). */
  #tookFreeText(r: TemplateResult): boolean {
    const u = r.understanding;
    return (
      u.kind === "recognized" && u.intents.some((i) => Object.keys(i.slots).some((k) => this.#freeSlot(i, k)))
    );
  }

  /** Whether `intent`'s `slot` holds free text that is not passed on as said. */
  #freeSlot(intent: RecognizedIntent, slot: string): boolean {
    return (
      typeof intent.slots[slot] === "string" &&
      this.#reader.wildcardSlots.has(slot) &&
      !PASSED_ON.has(slot) &&
      !(TARGET_SLOTS.has(slot) && intent.targets.length > 0)
    );
  }

  /**
   * Whether `after` is `before` with `words` cut from the end of one slot of free text and nothing
   * else changed: the same intents, devices and other slots, and some free text left.
   */
  #freeTextCut(
    before: readonly RecognizedIntent[],
    after: readonly RecognizedIntent[],
    words: readonly string[],
  ): boolean {
    if (after.length !== before.length) return false;
    const tok = this.#reader.sentences.tokenize ?? tokenize;
    const tail = words.join(" ");
    let cut = 0;
    for (const [k, b] of before.entries()) {
      const a = after[k] as RecognizedIntent;
      if (a.name !== b.name || !sameIds(a.targets, b.targets)) return false;
      for (const slot of new Set([...Object.keys(a.slots), ...Object.keys(b.slots)])) {
        const was = b.slots[slot];
        const is = a.slots[slot];
        if (was === is) continue;
        if (typeof was !== "string" || typeof is !== "string" || !this.#freeSlot(b, slot)) return false;
        const left = tok(is).join(" ");
        if (left === "" || tok(was).join(" ") !== `${left} ${tail}`) return false;
        cut++;
      }
    }
    return cut === 1;
  }

  /**
   * A sentence said the way people restart and correct themselves aloud: words said twice ("turn
   * off the the light", "the um the blinds", "turn turn off the fan"), or a correction (the
   * sentence files' `corrections:`: "turn off the kitchen no the dining room light", "… sorry I
   * mean …") whose words replace those it corrects. Read with the repeats said once, then with the
   * correction in place of the words before it: from where its first word was said before ("the"),
   * else of the last one to four words.
   */
  #spokenAgain(said: Said): TemplateResult | undefined {
    const { tokens } = said;
    // A restart is a few words said again, not a flood of them (free text stays bounded).
    if (tokens.length > RESTARTED_WORDS) return undefined;
    const tried = new Set([tokens.join(" ")]);
    const read = (words: readonly string[]): TemplateResult | undefined => {
      const once = saidOnce(words, this.#reader.fillers);
      const key = once.join(" ");
      if (key === "" || tried.has(key)) return undefined;
      tried.add(key);
      const u = this.#readWords(said, once).understanding;
      return u.kind === "recognized" ? { tokens: [...tokens], understanding: u } : undefined;
    };
    const once = read(tokens);
    if (once) return once;
    const at = correctionAt(tokens, this.#reader.sentences.corrections ?? []);
    if (!at) return undefined;
    const before = tokens.slice(0, at.start);
    const after = tokens.slice(at.end);
    const again = before.lastIndexOf(after[0] as string);
    if (again > 0) {
      const r = read([...before.slice(0, again), ...after]);
      if (r) return r;
    }
    for (let cut = 1; cut <= Math.min(4, before.length - 1); cut++) {
      const r = read([...before.slice(0, before.length - cut), ...after]);
      if (r) return r;
    }
    return undefined;
  }

  /**
   * "mach mein Licht an", "wie voll ist mei Handy", "schalt unser Radio aus": a possessive before a
   * name (the sentence files' `possessives:`) is none of it, as "my" and "our" are none of an
   * English name (resolve.ts's saidName). Read again without each one said before another word.
   */
  #withoutPossessive(said: Said): TemplateResult | undefined {
    const mine = this.#reader.sentences.possessives;
    if (!mine || mine.size === 0) return undefined;
    const { tokens } = said;
    const words = tokens.filter((w, i) => !(mine.has(w) && i < tokens.length - 1));
    if (words.length === tokens.length || words.length === 0) return undefined;
    const u = this.#readWords(said, words).understanding;
    return u.kind === "recognized" ? { tokens: [...tokens], understanding: u } : undefined;
  }

  /**
   * "mach das äh mach das Licht an", "turn the uh turn off the fan": a command begun, dropped and
   * begun again with its first word, whole this time. Read from where it was begun again, only
   * where that word opens commands, the words from there are a command that acts on devices and
   * the words before it are none of their own.
   */
  #begunAgain(said: Said): TemplateResult | undefined {
    const { tokens } = said;
    if (tokens.length < 4 || tokens.length > RESTARTED_WORDS) return undefined;
    const from = tokens.findIndex((w) => !this.#reader.fillers.has(w));
    const first = tokens[from];
    if (first === undefined || !this.#reader.commandStarts().has(first)) return undefined;
    for (let at = from + 2; at < tokens.length - 1; at++) {
      if (tokens[at] !== first) continue;
      const u = this.#readWords(said, tokens.slice(at)).understanding;
      if (
        u.kind !== "recognized" ||
        !u.intents.every((i) => intentSpec(i.name)?.commands === true && i.targets.length > 0)
      )
        continue;
      if (this.#readWords(said, tokens.slice(from, at)).understanding.kind === "recognized") continue;
      return { tokens: [...tokens], understanding: u };
    }
    return undefined;
  }

  /**
   * "I want some tea turn the kettle on", "it's too sunny close the blinds": a remark, then a whole
   * command, with no comma between them (speech-to-text writes none). Only where the sentence opens
   * as a remark does (`remark_openers:`: "it's", "I", "we're" …), the command starts with a word a
   * device command starts with (no article), acts on devices, and the remark does not lead into it
   * ("I told him to turn …", "I think we should close …"). The remark alone is no command.
   */
  #afterRemark(said: Said): TemplateResult | undefined {
    const { tokens } = said;
    if (
      tokens.length < 4 ||
      tokens.length > RESTARTED_WORDS ||
      !this.#reader.words.remarkOpeners.has(tokens[0] as string)
    )
      return undefined;
    const starts = this.#reader.commandStarts();
    const names = this.#reader.homeWords();
    for (let at = 2; at <= tokens.length - 2; at++) {
      const word = tokens[at] as string;
      // Not inside the command ("… should turn off the fan" is never "off the fan") nor a name
      // ("I left the light on" is never "light on").
      const previous = tokens[at - 1] as string;
      // Or asked for: "it's chilly in here could you put it up".
      const asked = this.#reader.words.asking.has(word) && tokens[at + 1] === "you";
      if (
        !(starts.has(word) || asked) ||
        names.has(word) ||
        starts.has(previous) ||
        this.#reader.words.leadIns.has(previous)
      )
        continue;
      // A word of the home's names is none of the articles ("it's cold in the den turn …").
      if ((ARTICLES.has(previous) && !names.has(previous)) || this.#reader.words.describing.has(previous))
        continue;
      const remark = this.#readWords(said, tokens.slice(0, at));
      // Asked for only after a remark understood ("it's chilly in the study"), not after one that
      // tells of someone ("I asked him can you …").
      if (asked && remark.understanding.kind !== "recognized") continue;
      // What the remark is about is where the command acts and what its "it" is.
      const about =
        remark.understanding.kind === "recognized"
          ? this.#reader.remarkCarried(said.context, [remark])
          : said.context;
      const u = this.#reader.sentence(tokens.slice(at).join(" "), about).understanding;
      if (
        u.kind === "recognized" &&
        u.intents.every((i) => intentSpec(i.name)?.commands === true && i.targets.length > 0)
      )
        return { tokens: [...tokens], understanding: u };
    }
    return undefined;
  }

  /**
   * "The kitchen lights less", "the radio a bit more", "heating more": a thing named with "more" or
   * "less" after it (see comparedLast) is turned up or down in its level (brightness, volume,
   * warmth), never switched: "more" is a skip word, and "kitchen lights less" a near miss of
   * "Kitchen Lights", so as said the bare name switched it on. A thing with no level to turn is not
   * understood rather than switched. Only in a language whose sentence files give the words of
   * `learner_readings:` (English): the reading is said in them.
   */
  #comparedLast(said: Said, r: TemplateResult): TemplateResult | undefined {
    const { moreOrLess, learner } = this.#reader.words;
    const words = learner && comparedLast(said.tokens, moreOrLess, learner);
    if (!words) return undefined;
    const names = this.#reader.homeWords();
    const thing = words[1] as string;
    // A name of the home's with "more" or "less" in it; a verb of its own ("turn on the lamp more").
    if (said.tokens.some((w) => moreOrLess.has(w) && names.has(w))) return undefined;
    if (!ARTICLES.has(thing) && !names.has(thing)) return undefined;
    const u = this.#readWords(said, words).understanding;
    if (u.kind === "recognized" && u.intents.every((i) => LEVELS.has(i.name) && i.targets.length > 0))
      return { tokens: [...said.tokens], understanding: u };
    if (r.understanding.kind !== "recognized") return undefined;
    return {
      tokens: [...said.tokens],
      understanding: { kind: "not-recognized", reason: "no_match", recognizer: "template" },
    };
  }

  /**
   * "The garden lights turn on", "the pump, turn it off", "porch light close": the thing named
   * first and what to do with it last, in a few words, as speakers of many languages order it.
   * Read with the verb first, the thing in place of "it" ("turn the pump off") or after the verb
   * ("turn on the garden lights"). Only where the words before the verb hold a word of the home's
   * names and the command read acts on devices; "the gate open", "the blinds close" (how a thing
   * that opens is, or what it does) stay remarks. Not where the sentence ends in a word of the
   * home's names that opens no command: its verb has its thing after it ("turn on the door lock
   * and close the study blinds"), and is no verb said last.
   */
  #verbLast(said: Said): TemplateResult | undefined {
    const tokens = stripSkipWords(said.tokens, this.#reader.skip);
    if (tokens.length < 2 || tokens.length > RESTARTED_WORDS) return undefined;
    const starts = this.#reader.commandStarts();
    const names = this.#reader.homeWords();
    const last = tokens[tokens.length - 1] as string;
    if (names.has(last) && !starts.has(last)) return undefined;
    // "The corner lamp less light": the word after "more" or "less" is what there should be more or
    // less of, never a verb ("light the corner lamp" would switch it on).
    const compared = new Set(
      said.tokens.filter((_, i) => this.#reader.words.moreOrLess.has(said.tokens[i - 1] ?? "")),
    );
    for (let at = Math.max(1, tokens.length - VERB_LAST_WORDS); at < tokens.length; at++) {
      if (!starts.has(tokens[at] as string) || compared.has(tokens[at] as string)) continue;
      const thing = tokens.slice(0, at);
      const verb = tokens.slice(at);
      if (!thing.some((w) => names.has(w))) continue;
      const pronoun = verb.findIndex((w) => PRONOUN_WORDS.has(w));
      // "The lamp in the study has been on all morning, turn it off", "the, what's it called, the
      // tree, switch it off": "it" is the thing named in the words before, a remark about it or a
      // search for its name around it. Not where those words lead into the verb ("I'll turn it off").
      const before = thing[thing.length - 1] as string;
      const within =
        pronoun > 0 && !this.#reader.words.leadIns.has(before) && !this.#reader.words.speakerLeads.has(before)
          ? namedWithin(thing, names)
          : undefined;
      const things = within
        ? [
            ...renamedAt(thing, [...within, kindLast(thing)], this.#reader.words.placePrepositions),
            thing,
            ...within,
          ]
        : [thing];
      const readings =
        pronoun > 0
          ? things.flatMap((t) => [
              [...verb.slice(0, pronoun), ...t, ...verb.slice(pronoun + 1)],
              [...verb.slice(0, pronoun), ...verb.slice(pronoun + 1), ...t],
            ])
          : [[...verb, ...thing]];
      for (const words of readings) {
        const u = this.#readWords(said, words).understanding;
        if (
          u.kind !== "recognized" ||
          !u.intents.every((i) => intentSpec(i.name)?.commands === true && i.targets.length > 0)
        )
          continue;
        const opens = (id: string) => OPENS.has(this.#reader.registry.entity(id)?.domain ?? "");
        if (pronoun < 0 && verb.length === 1 && u.intents.some((i) => i.targets.some(opens))) continue;
        return { tokens: [...tokens], understanding: u };
      }
    }
    return undefined;
  }

  /**
   * English said in the order of another language: "the garage door is closed?" (a question, by
   * its question mark), "has movement in the hallway", "put the heating in 21", "open a little the
   * blind", "the phone of Luis" (see learner-readings.ts). Each reading is taken only as what it
   * reads as (a question, a level, a command that acts on devices), and only in English sentence
   * files that ask for it (`learner_order:`).
   */
  #inLearnersOrder(said: Said): TemplateResult | undefined {
    const learner = this.#reader.words.learner;
    if (this.#reader.sentences.learnerOrder !== true || !learner) return undefined;
    const { text, tokens } = said;
    if (tokens.length < 2 || tokens.length > RESTARTED_WORDS) return undefined;
    const names = this.#reader.homeWords();
    const isName = (w: string) => names.has(w) || this.#reader.knownPerson(w);
    for (const reading of learnerReadings(
      tokens,
      /\?\s*$/.test(text),
      isName,
      this.#reader.words.moreOrLess,
      learner,
    )) {
      const u = this.#readWords(said, reading.words).understanding;
      // Never free text: "buy a bottle of wine" is no item "wine bottle" to add. A timer's name
      // is any words, and is all a timer reading is taken for.
      if (
        u.kind === "recognized" &&
        u.intents.every((i) => readAs(reading.accepts, i)) &&
        (reading.accepts === "timer" ||
          reading.accepts === "timers" ||
          this.#reader.wildWords(u.intents) === 0)
      )
        return { tokens: [...tokens], understanding: u };
    }
    return undefined;
  }
}
