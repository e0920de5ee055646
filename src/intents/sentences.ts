import { existsSync, readFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { IntentDataConfig, IntentsConfig, SlotListConfig } from "../config/schema.js";
import { intentDataSchema, slotListSchema } from "../config/schema.js";
import { HearthError } from "../core/errors.js";
import type { DialectWords } from "./dialect-reading.js";
import { type CompiledPacks, compilePacks, languageTokenizer } from "./hassil/compile.js";
import { type PackCacheLog, type PackProblem, packError, readPacks } from "./hassil/pack.js";
import { requiredWords } from "./matcher.js";
import { tokenize } from "./normalize.js";
import type { ReportedSpeechWords } from "./reported-speech.js";
import { type SentenceWords, sentenceWords, sentenceWordsShape } from "./sentence-words.js";
import type { SpokenForms } from "./spoken-forms.js";
import { expandWords, inlineRules, parseTemplate, type TemplateNode, templateWords } from "./template.js";
import type { SlotValue } from "./types.js";

/** A sentence file: the built-in English ones and users' own share this format. */
export const sentenceFileSchema = z.strictObject({
  language: z.string().default("en"),
  intents: z
    .record(
      z.string(),
      z.strictObject({
        data: z.array(intentDataSchema).min(1),
        reply: z.string().optional(),
      }),
    )
    .default({}),
  lists: z.record(z.string(), slotListSchema).default({}),
  expansion_rules: z.record(z.string(), z.string()).default({}),
  skip_words: z.array(z.string()).default([]),
  /**
   * Words said before (or after) a command that are not part of it: the assistant's name, a greeting
   * ("hey hearth", "good morning"). Unlike skip words they are removed only at the start and the end
   * of a sentence, and only when what is left is understood, so a device may still be called
   * "Computer".
   */
  openers: z.array(z.string()).default([]),
  /**
   * Names that voice assistants answer to ("Alexa", "Siri", "Computer"): names, not words of any one
   * language, so one file lists them for every language (sentences/assistant-names.yaml), and a
   * home's own (its site's name, its wake words) come from its config. Said first or last, alone or
   * after one of the language's `call_words`, they are openers; and the free text of a command
   * never opens with them ("Alexa, Käse auf die Liste" adds "Käse").
   */
  assistant_names: z.array(z.string()).default([]),
  /**
   * The language's words for calling an assistant by its name ("hey", "okay"; German "hallo"):
   * each, followed by one of the `assistant_names`, is an opener ("hey Siri", "okay Google").
   */
  call_words: z.array(z.string()).default([]),
  /**
   * Words that say a sentence is for someone else in the room ("honey", "you guys", "kids"): said
   * first or last, the sentence is no command for the assistant ("honey, can you close the door").
   */
  addressees: z.array(z.string()).default([]),
  /**
   * Words said after a command that are not part of it: a term of endearment said to the assistant
   * ("turn the lamp off, darling"), how long it is meant for ("lock the door for tonight"). Removed
   * only at the end of a sentence, and only when what is left is understood. One that is also an
   * addressee addresses someone else only when it opens the sentence ("darling, can you get the
   * door").
   */
  closers: z.array(z.string()).default([]),
  /**
   * Words of thanks ("cheers", "ta"): a term of endearment that is also a closer, said with them
   * before the command ("cheers mate, turn the radio off"), is said to the assistant, not to someone
   * else in the room.
   */
  thanks: z.array(z.string()).default([]),
  /**
   * Words that open the reason said after a whole command ("switch the geyser on I want to bathe",
   * "… so I can read"): the command is read without them and what follows them, and so is free
   * text ("play some jazz I want to relax" searches for "jazz").
   */
  purposes: z.array(z.string()).default([]),
  /**
   * Words that say who or what a command is for ("put the jug on for a cuppa", "… for my mum"): a
   * command that acts on devices is read without them, but free text keeps them ("play songs for a
   * rainy day").
   */
  for_whom: z.array(z.string()).default([]),
  /**
   * Words that open what the speaker says they will do themself ("I'll close the curtains myself",
   * "let me get the door"): a remark beside such a clause ("… because it's getting dark") is the
   * reason for it, no command.
   */
  speaker_does: z.array(z.string()).default([]),
  /**
   * Words that correct what was just said ("turn off the kitchen no the dining room light", "…
   * sorry I mean …"): what follows them replaces the words they correct, in a sentence not
   * understood as it was said.
   */
  corrections: z.array(z.string()).default([]),
  /**
   * Words that join two commands in one sentence ("and", "then"; German "und", "dann"): a sentence
   * no template fits is tried as the commands on either side of one. Without any file naming them,
   * English's.
   */
  joiners: z.array(z.string()).default([]),
  /**
   * Words that join two things put on a list at once ("Milch und Butter auf die Einkaufsliste":
   * German "und"): each is its own add. A language without them keeps the item as said, as Home
   * Assistant does ("add salt and vinegar crisps to the list").
   */
  item_joiners: z.array(z.string()).default([]),
  /**
   * Words that mean what was acted on last ("it", "them"; German "ihn", "sie", "es"), filling the
   * `{previous}` slot beside Hearth's English ones. Only templates with that slot read them.
   */
  pronouns: z.array(z.string()).default([]),
  /**
   * Words said before the number in a device's name ("number": "lamp number two" for Lamp 2;
   * German "Nummer"): each name with a number is also known with one of them before it.
   */
  number_words: z.array(z.string()).default([]),
  /**
   * Rooms named after someone: an area whose name is one of `rooms` and one other word
   * ("Kinderzimmer Lena") is also known by each of `say` with `{person}` for that word and `{room}`
   * for the room's word ("bei Lena" reads "Lena"; "Lenas Zimmer" reads "{person}s zimmer"), and
   * `{owner}` for the person said without an English possessive ("Grandpa's Room": "{room} of
   * {owner}" reads "room of grandpa").
   */
  named_rooms: z
    .object({ rooms: z.array(z.string()).default([]), say: z.array(z.string()).default([]) })
    .optional(),
  /**
   * Words for a kind of device that a device's name may hold ("licht" in "Treppenlicht", "rollladen"
   * in "Rollladen Balkontür"): what is left of the name is where the device is, and the templates'
   * `{name+ort:name}` list holds those places ("das Licht an der Treppe").
   */
  placed_kinds: z.array(z.string()).default([]),
  /**
   * Words a sensor's name may end in for what it measures, by device class ("akku" in "Laptop
   * Akku"): the name without them is the thing measured, and is also its name ("der Laptop").
   * `level` holds the words for how much is left of something, said of a sensor of any class
   * ("füllstand" in "Heizöl Füllstand": "das Heizöl").
   */
  measure_words: z.record(z.string(), z.array(z.string())).default({}),
  /**
   * One kind of room called by other words from region to region ("flur", "diele", "gang"): an area
   * whose name is one of them, or ends in one, is also called by the others, while no other area or
   * floor is.
   */
  alike_rooms: z.array(z.array(z.string()).min(2)).default([]),
  /**
   * One floor called by other words ("obergeschoss", "oben", "erster stock"): a floor whose name or
   * alias is one of them is also called by the others, while no area or other floor is.
   */
  alike_floors: z.array(z.array(z.string()).min(2)).default([]),
  /**
   * Devices named alike but for their last word ("Leselampe links", "Leselampe rechts"): the
   * endings their shared words take in the plural ("n": "die Leselampen" is every one of them),
   * and the words for "both" said before that plural, which hold only where there are two ("mach
   * beide Leselampen aus"). See sharedHeadFamilies in registry-lists.ts.
   */
  shared_heads: z
    .object({
      plural_endings: z.array(z.string().min(1)).min(1),
      both: z.array(z.string()).default([]),
    })
    .optional(),
  /**
   * Words too generic to be a device's name in its room, the room's name left out ("light",
   * "temperature"; German "licht"): the "Keller Licht" is no "Licht" to someone in the cellar, who
   * means the room's lights by it, as does anyone elsewhere.
   */
  generic_names: z.array(z.string()).default([]),
  /**
   * One kind of device called by other words from place to place ("geyser", "water heater"): a
   * device whose name holds one of them is also called by the others, while no other device is.
   */
  alike_kinds: z.array(z.array(z.string()).min(2)).default([]),
  /**
   * A comparative said with "more" as many languages make every one ("more strong", "more slow"):
   * the word after "more" and the comparative English makes of it ("strong: stronger"). A sentence
   * is read with the comparative first, then as said.
   */
  comparatives: z.record(z.string(), z.string()).default({}),
  /**
   * The sentences are English, also read in the word order of those who learnt it after another
   * language (a question in a statement's order, "in 20" for a level; see learner-readings.ts).
   */
  learner_order: z.boolean().default(false),
  /**
   * How a device named after its owner, the owner's name last ("Leselampe Uli"), is also said:
   * `{owner}` is the name's last word and `{rest}` the words before it ("{owner}s {rest}": "Ulis
   * Leselampe").
   */
  owner_last: z.array(z.string()).default([]),
  /**
   * How a device whose name opens with its owner's possessive ("Leas Handy Akku": `{owner}s` for
   * the first word) is also said, the owner after it: `{owner}` is the owner, `{rest}` the words
   * after the possessive ("{rest} von {owner}": "das Handy von Lea"), the name and its short names
   * alike.
   */
  owner_first: z.array(z.string()).default([]),
  /**
   * How a device's name is also said with its last word (what it is) first, the rest after it, as
   * speakers of languages that build names so say it: `{kind}` is the name's last word and `{rest}`
   * the words before it, an owner's "'s" dropped ("{kind} of {rest}": "the lamp of reading" for the
   * Reading Lamp, "the blind of Leo" for Leo's Blind; "{kind} near the {rest}": "the lamp near the
   * sofa" for the Sofa Lamp).
   */
  kind_first: z.array(z.string()).default([]),
  /**
   * Words as people say them in a region, each with the standard words the sentences are written in
   * ("amal: mal", "hamma: haben wir"): the language's tokenizer reads the one as the other in
   * sentences, templates and device names alike (see spoken-forms.ts). Words, lower-case, as the
   * tokenizer splits them; only forms with one meaning in a command.
   */
  spoken_forms: z.record(z.string(), z.string()).default({}),
  /**
   * Spoken forms read otherwise as the last word of a second command that says no verb of its own,
   * only a place or a device ("… aus und im Flur a": Bavarian "a" for "auch", not the "ein" of
   * `spoken_forms:`): the word as said, lower-case, and the standard word it is read as there.
   */
  elliptic_last: z.record(z.string(), z.string()).default({}),
  /**
   * Possessives said before a device's name and no part of it ("mein", "unser", Bavarian "mei"):
   * a sentence not understood as said is read again without them ("mach mein Licht an").
   */
  possessives: z.array(z.string()).default([]),
  /**
   * Regional words with another meaning in standard German or in a name ("des: das", "grad:
   * gerade", "velo: fahrrad"): a sentence not understood as said is read again with them in the
   * standard words, except where a name of the home has the word (see dialect-reading.ts). The
   * word or phrase as said, lower-case, and its standard words ("" for none).
   */
  dialect_words: z.record(z.string(), z.string()).default({}),
  /**
   * Dialect words that are also parts of compounds ("nachtkastl: nachttisch" for the
   * Nachtkastllampe), read so at a word's start or end where `dialect_words:` are.
   */
  dialect_word_parts: z.record(z.string(), z.string()).default({}),
  /**
   * A prefix said without one of its sounds ("gsagt", "zugsperrt" for "gesagt", "zugesperrt"): `said`
   * is read as `standard` where it opens a word or follows one of `after` ("" for nothing), one of
   * the letters of `before` follows it and the word ends in one of `endings`.
   */
  clipped_prefix: z
    .strictObject({
      said: z.string().min(1),
      standard: z.string(),
      after: z.array(z.string()).min(1),
      before: z.string().min(1),
      endings: z.array(z.string().min(1)).min(1),
    })
    .optional(),
  /**
   * How a story or a film reports what someone said, so that an order told in it is no command:
   * `verbs` say who said it in a clause set apart ("…, she said", "…, sagte die Mutter"), of them
   * `participles` only after one of `auxiliaries` when no comma sets them apart ("hat er gerufen
   * mach das Licht aus"; "wie gesagt" is said to the assistant), `said_to` with one of `to` after
   * it ("sagt die Frau zu ihrem Mann …"), and `story_goes_on` with one of `story_people` after it
   * goes on telling what someone did ("…, und dann ging er schlafen"). One of `speaker` before a
   * verb is the speaker saying the command again ("lock the door, I said lock the door"), no story;
   * one of `reasons` right after a verb reports a statement, the reason for the command ("turn the
   * heating down, Tom says it's too hot"), no story either.
   */
  reported_speech: z
    .strictObject({
      verbs: z.array(z.string()).default([]),
      participles: z.array(z.string()).default([]),
      auxiliaries: z.array(z.string()).default([]),
      said_to: z.array(z.string()).default([]),
      to: z.array(z.string()).default([]),
      story_goes_on: z.array(z.string()).default([]),
      story_people: z.array(z.string()).default([]),
      speaker: z.array(z.string()).default([]),
      reasons: z.array(z.string()).default([]),
    })
    .optional(),
  /**
   * The file's sentences were written for the language pack's responses (its `response` keys and
   * slots): with that pack loaded they answer in its words, as its own sentences do. Hearth's
   * English sentences do not (their slots differ from the English pack's in places).
   */
  pack_responses: z.boolean().default(false),
  /** The words by which the recognizer tells how a sentence is said (see sentence-words.ts). */
  ...sentenceWordsShape,
});
export type SentenceFile = z.output<typeof sentenceFileSchema>;

/**
 * What a sentence's targets must (requires) or must not (excludes) be, as HassIL's
 * `requires_context` / `excludes_context` say it: the entity's domain and device class, any of its
 * attributes (`null`: the attribute is present, whatever its value), and where the speaker is.
 */
export interface ContextConstraint {
  domain?: string[] | undefined;
  device_class?: string[] | undefined;
  attributes?: Record<string, Array<string | number | boolean> | null> | undefined;
  /** The speaker's area or floor, by name or id. */
  area?: string[] | undefined;
  floor?: string[] | undefined;
}

/** One block of sentences of an intent, compiled. */
export interface CompiledGroup {
  intent: string;
  template: TemplateNode;
  source: string;
  clauses: ReadonlyArray<ReadonlySet<string>>;
  slots: Record<string, SlotValue>;
  requires?: ContextConstraint | undefined;
  excludes?: ContextConstraint | undefined;
  /** Without an area in the sentence, the speaker's area (language packs: it is required). */
  contextArea: boolean;
  /** Also ordinary talk: a named device that cannot do it makes the sentence no command (`ordinary_talk`). */
  ordinaryTalk?: boolean | undefined;
  /** Without an area in the sentence, the speaker's area's devices where it has any, else the home's (`nearest`). */
  nearest?: boolean | undefined;
  /** Of several targets, those of these device classes or with these words in their names, where any are (`prefers`). */
  prefers?: { device_class?: string[] | undefined; name_words?: string[] | undefined } | undefined;
  /** Without a floor in the sentence, the speaker's floor is required (`requires_context: {floor: {slot: true}}`). */
  contextFloor?: boolean | undefined;
  /** Which answer the sentence asks for (IntentCall.response). */
  response?: string | undefined;
  /** Position in the files, a stable tie-breaker between equally good matches. */
  order: number;
  /** One of Hearth's own sentences written for the language pack's responses (`pack_responses`). */
  packResponses?: boolean | undefined;
  /** For sentences from a language pack: its language, the response key and the block's metadata. */
  pack?: { language: string; response: string; metadata?: Record<string, unknown> | undefined } | undefined;
}

/**
 * A group with every field present, in one order, and its constraints likewise: the resolver reads
 * every sentence's group in one place, and groups built with different optional fields (a pack's,
 * Hearth's own, one with `requires`) gave V8 objects of many shapes there, so code compiled for some
 * was dropped when a sentence brought another.
 */
export function groupShape(g: CompiledGroup): CompiledGroup {
  return {
    intent: g.intent,
    template: g.template,
    source: g.source,
    clauses: g.clauses,
    slots: g.slots,
    requires: constraintShape(g.requires),
    excludes: constraintShape(g.excludes),
    contextArea: g.contextArea,
    ordinaryTalk: g.ordinaryTalk,
    nearest: g.nearest,
    prefers: g.prefers,
    contextFloor: g.contextFloor,
    response: g.response,
    order: g.order,
    packResponses: g.packResponses,
    pack: g.pack && { language: g.pack.language, response: g.pack.response, metadata: g.pack.metadata },
  };
}

function constraintShape(c: ContextConstraint | undefined): ContextConstraint | undefined {
  return (
    c && {
      domain: c.domain,
      device_class: c.device_class,
      attributes: c.attributes,
      area: c.area,
      floor: c.floor,
    }
  );
}

/** Everything the template recognizer needs from sentence files and the config. */
export interface CompiledSentences {
  groups: CompiledGroup[];
  lists: Map<string, SlotListConfig>;
  /** Skip phrases as token lists, longest first. */
  skipPhrases: string[][];
  /**
   * With a language pack: the skip phrases of Hearth's own sentences and the user's, as they are
   * without a pack ("hey", "in here", "oh"). The pack's sentences are matched without them (they
   * would cut its words); Hearth's own sentences are also tried with them, so loading a pack never
   * loses what Hearth's own English understands.
   */
  ownSkipPhrases?: string[][] | undefined;
  /** Openers (the assistant's name, greetings) as token lists, longest first. */
  openers: string[][];
  /**
   * The openers that call an assistant by its name (`assistant_names`, alone or after one of the
   * `call_words`) as token lists, longest first: free text never opens with one.
   */
  assistantNames?: string[][] | undefined;
  /** Words that address someone else (`addressees:`) as token lists, longest first. */
  addressees?: string[][] | undefined;
  /** Words said after a command that are not part of it (`closers:`) as token lists, longest first. */
  closers?: string[][] | undefined;
  /** Words of thanks (`thanks:`) as token lists, longest first. */
  thanks?: string[][] | undefined;
  /** Words that open a reason said after a command (`purposes:`) as token lists, longest first. */
  purposes?: string[][] | undefined;
  /** Words that say who or what a command is for (`for_whom:`) as token lists, longest first. */
  forWhom?: string[][] | undefined;
  /** Words that open what the speaker will do themself (`speaker_does:`) as token lists, longest first. */
  speakerDoes?: string[][] | undefined;
  /** Words that correct what was just said (`corrections:`) as token lists, longest first. */
  corrections?: string[][] | undefined;
  /** Words that join two commands ("and", "then"). */
  joiners: ReadonlySet<string>;
  /** Words that join two items put on a list at once (`item_joiners:`); none: an item stays as said. */
  itemJoiners?: ReadonlySet<string> | undefined;
  /** The sentence files' own words for what was acted on last (`pronouns:`), besides English's. */
  pronouns?: readonly string[] | undefined;
  /** The sentence files' words said before a number in a name (`number_words:`, "number"). */
  numberWords?: readonly string[] | undefined;
  /** Kinds of device a name may hold, whose rest is where it is (`placed_kinds:`), as tokens. */
  placedKinds?: readonly string[] | undefined;
  /** Words a sensor's name may end in for what it measures (`measure_words:`), as tokens. */
  measureWords?: Readonly<Record<string, readonly string[]>> | undefined;
  /** How a device whose name ends in its owner's name is also said (`owner_last:`). */
  ownerLast?: readonly string[] | undefined;
  /** How a device whose name opens with its owner's possessive is also said (`owner_first:`). */
  ownerFirst?: readonly string[] | undefined;
  /** How a device's name is also said with its last word first (`kind_first:`). */
  kindFirst?: readonly string[] | undefined;
  /** Words for one kind of room said differently (`alike_rooms:`), each group as phrases of tokens. */
  alikeRooms?: readonly (readonly string[])[] | undefined;
  /** Words for one floor said differently (`alike_floors:`), each group as phrases of tokens. */
  alikeFloors?: readonly (readonly string[])[] | undefined;
  /** How devices named alike but for their last word are said together (`shared_heads:`), as tokens. */
  sharedHeads?: { pluralEndings: readonly string[]; both: readonly string[] } | undefined;
  /** Words too generic to be a device's name in its room (`generic_names:`), as tokens. */
  genericNames?: ReadonlySet<string> | undefined;
  /** Words for one kind of device said differently (`alike_kinds:`), each group as phrases of tokens. */
  alikeKinds?: readonly (readonly string[])[] | undefined;
  /** Comparatives said with "more" (`comparatives:`): the word after "more" and its comparative, as tokens. */
  comparatives?: ReadonlyMap<string, string> | undefined;
  /** Whether a sentence not understood is also read in English word order (`learner_order:`). */
  learnerOrder?: boolean | undefined;
  /** How reported speech is told (`reported_speech:`), as tokens (see reported-speech.ts). */
  reportedSpeech?: ReportedSpeechWords | undefined;
  /** Words said last in a second command without a verb, and their reading there (`elliptic_last:`). */
  ellipticLast?: ReadonlyMap<string, string> | undefined;
  /** Possessives said before a name and no part of it (`possessives:`), as tokens. */
  possessives?: ReadonlySet<string> | undefined;
  /** Regional words read in the standard words where a sentence is not understood (`dialect_words:`). */
  dialect?: DialectWords | undefined;
  /** The words by which the recognizer tells how a sentence is said (`remark_openers:`, `place_leads:` …; see sentence-words.ts). */
  words: SentenceWords;
  /** How an area named after someone is also said (`named_rooms:`), as tokens. */
  namedRooms?: { rooms: ReadonlySet<string>; say: readonly string[] } | undefined;
  /** Custom intents' reply templates. */
  replies: Map<string, string>;
  /** Intent names that came from the user (custom), which need no device targets. */
  custom: Set<string>;
  intents: Set<string>;
  /** Turns text into tokens in the sentences' language (English number words unless a pack says otherwise). */
  tokenize?: ((text: string) => string[]) | undefined;
  /** The sentences' language (`site.language`, "de"), where they were loaded for one. */
  language?: string | undefined;
  /** The language packs loaded (`intents.packs`), with their lists and responses. */
  packs?: CompiledPacks | undefined;
}

/** Lists filled at run time from the registry and built-in list types; templates may use them freely. */
export const DYNAMIC_LISTS = new Set(["name", "area", "floor", "duration", "timer_name", "previous"]);

/** The names voice assistants answer to, read for every language (see `assistant_names`). */
const ASSISTANT_NAMES_FILE = fileURLToPath(new URL("./sentences/assistant-names.yaml", import.meta.url));

/** The directory holding the built-in sentence files for a language (copied next to the compiled code). */
export function builtinSentencesDir(language: string): string {
  return fileURLToPath(new URL(`./sentences/${language}/`, import.meta.url));
}

/** Reads and validates one sentence file. */
export function readSentenceFile(path: string): SentenceFile {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, "utf8"));
  } catch (err) {
    throw new HearthError("SENTENCES_INVALID", `${path}: ${(err as Error).message}`, { cause: err });
  }
  const parsed = sentenceFileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => `${path}: ${i.path.join(".")}: ${i.message}`);
    throw new HearthError(
      "SENTENCES_INVALID",
      `${path} is not a valid sentence file (${details.length} problem${details.length === 1 ? "" : "s"})`,
      { details },
    );
  }
  return parsed.data;
}

/**
 * Loads the built-in files of a language (English), the language packs of `intents.packs`, and the
 * config's own intents and extra files. `stateDir` is where `intents.packs: [pulled]` looks: the
 * caller's `resolveStateDir` (config state_dir, else $STATE_DIRECTORY, else beside the config), so
 * there is one rule for where state lives; the packs' parsed YAML is cached under its `cache/packs/`
 * (see readPacks), and `log` hears of a cache entry that could not be used or written.
 */
export async function loadSentences(
  intents: IntentsConfig,
  opts: {
    language: string;
    configDir: string;
    stateDir: string;
    log?: PackCacheLog | undefined;
    /**
     * What the assistant is called here (the site's name, its wake words; see assistantNames): said
     * before or after a command they are openers, never someone else in the room it is said to.
     */
    assistantNames?: readonly string[] | undefined;
  },
): Promise<CompiledSentences> {
  const dir = builtinSentencesDir(opts.language);
  const files: SentenceFile[] = [];
  if (existsSync(dir)) {
    const names = (await readdir(dir)).filter((f) => f.endsWith(".yaml")).sort();
    for (const f of names) files.push(readSentenceFile(join(dir, f)));
  }
  const builtinFiles = files.length;
  for (const extra of intents.files) files.push(readSentenceFile(resolve(opts.configDir, extra)));
  // The files' regional words, read by the language's tokenizer everywhere (the packs' sentences too).
  const spoken = spokenForms(files);
  let packs: CompiledPacks | undefined;
  if (intents.packs.length > 0) {
    const problems: PackProblem[] = [];
    const packFiles = readPacks(intents.packs, opts, problems);
    // Disabled intents are checked against all sentences below, packs included.
    const disabled = new Set(intents.disabled);
    packs = compilePacks(packFiles, { language: opts.language, disabled, spoken }, problems);
    if (problems.length > 0) throw packError(problems);
  } else if (builtinFiles === 0) {
    throw new HearthError(
      "SENTENCES_INVALID",
      `Hearth has no built-in sentences in "${opts.language}": name a language pack in intents.packs`,
    );
  } else if (files.slice(0, builtinFiles).some((f) => f.pack_responses)) {
    // Hearth's German completes Home Assistant's German pack (its numbers, its replies); alone it
    // would understand a fraction of what people say and answer in English.
    throw new HearthError(
      "SENTENCES_INVALID",
      `Hearth's built-in sentences in "${opts.language}" complete a language pack: name one in intents.packs`,
    );
  }
  // The names of assistants, in every language; and the home's own.
  files.push(readSentenceFile(ASSISTANT_NAMES_FILE));
  if (opts.assistantNames && opts.assistantNames.length > 0) {
    files.push(
      sentenceFileSchema.parse({ language: opts.language, assistant_names: [...opts.assistantNames] }),
    );
  }
  const tokenize =
    !packs && (spoken.words.length > 0 || spoken.clippedPrefix)
      ? languageTokenizer(opts.language, spoken)
      : undefined;
  const out = compileSentences(files, intents, { packs, builtinFiles, tokenize });
  out.language = opts.language;
  return out;
}

/** The sentence files' `spoken_forms:` and `clipped_prefix:` (the last file's that has one). */
function spokenForms(files: readonly SentenceFile[]): SpokenForms {
  const words = new Map<string, string>();
  let clippedPrefix: SpokenForms["clippedPrefix"];
  for (const file of files) {
    for (const [from, to] of Object.entries(file.spoken_forms)) words.set(from, to);
    clippedPrefix = file.clipped_prefix ?? clippedPrefix;
  }
  return { words: [...words], clippedPrefix };
}

/**
 * What the assistant answers to in this home: the site's display name and each wake word's name
 * ("hey_jarvis" as "hey jarvis" and "jarvis"), so that "Jarvis, lights off" is a command and
 * "Jake, lights off" is said to someone else.
 */
export function assistantNames(config: {
  site: { name: string };
  wake: { words: ReadonlyArray<{ name: string }> };
}): string[] {
  const names = new Set<string>([config.site.name.toLowerCase()]);
  for (const w of config.wake.words) {
    const words = w.name
      .toLowerCase()
      .split(/[_\s-]+/)
      .filter(Boolean);
    if (words.length === 0) continue;
    names.add(words.join(" "));
    if (words.length > 1 && ["hey", "hi", "ok", "okay"].includes(words[0] as string))
      names.add(words.slice(1).join(" "));
  }
  return [...names];
}

/**
 * Merges sentence files and the config's `intents` section, inlines expansion rules and compiles
 * every template. Every problem (bad template, unknown list or rule) is reported together.
 */
export function compileSentences(
  files: SentenceFile[],
  intents: IntentsConfig,
  extra: {
    packs?: CompiledPacks | undefined;
    builtinFiles?: number | undefined;
    /** The language's tokenizer where no pack brings one (see languageTokenizer). */
    tokenize?: ((text: string) => string[]) | undefined;
  } = {},
): CompiledSentences {
  const packs = extra.packs;
  const tok = packs?.tokenize ?? extra.tokenize ?? tokenize;
  const disabled = new Set(intents.disabled);
  const lists = new Map<string, SlotListConfig>();
  const ruleSources = new Map<string, string>();
  const skip: string[] = [];
  const openers: string[] = [];
  const names: string[] = [];
  const callWords: string[] = [];
  const addressees: string[] = [];
  const closers: string[] = [];
  const thanks: string[] = [];
  const purposes: string[] = [];
  const forWhom: string[] = [];
  const speakerDoes: string[] = [];
  const corrections: string[] = [];
  const joiners: string[] = [];
  const itemJoiners: string[] = [];
  const pronouns: string[] = [];
  const numberWords: string[] = [];
  const namedRooms = { rooms: new Set<string>(), say: [] as string[] };
  const placedKinds: string[] = [];
  const measureWords: Record<string, string[]> = {};
  const ownerLast: string[] = [];
  const ownerFirst: string[] = [];
  const kindFirst: string[] = [];
  const alikeKinds: string[][] = [];
  const genericNames = new Set<string>();
  const ellipticLast = new Map<string, string>();
  const possessives = new Set<string>();
  const dialect = { words: new Map<string, string>(), parts: new Map<string, string>() };
  const alikeRooms: string[][] = [];
  const alikeFloors: string[][] = [];
  let sharedHeads: { pluralEndings: string[]; both: string[] } | undefined;
  const comparatives = new Map<string, string>();
  let learnerOrder = false;
  const reported = {
    verbs: new Set<string>(),
    participles: new Set<string>(),
    auxiliaries: new Set<string>(),
    saidTo: new Set<string>(),
    to: new Set<string>(),
    storyGoesOn: [] as string[][],
    storyPeople: new Set<string>(),
    speaker: new Set<string>(),
    reasons: new Set<string>(),
  };
  const builtinSkip: string[] = [];
  const blocks: Array<{
    intent: string;
    data: IntentDataConfig;
    custom: boolean;
    builtin: boolean;
    packResponses?: boolean;
  }> = [];
  const replies = new Map<string, string>();
  const custom = new Set<string>();

  files.forEach((file, fileIndex) => {
    const builtin = fileIndex < (extra.builtinFiles ?? files.length);
    for (const [k, v] of Object.entries(file.lists)) lists.set(k, v);
    for (const [k, v] of Object.entries(file.expansion_rules)) ruleSources.set(k, v);
    // A language pack brings its own skip words; Hearth's ("hi", "right now") would cut its sentences.
    if (builtin) builtinSkip.push(...file.skip_words);
    else skip.push(...file.skip_words);
    openers.push(...file.openers);
    names.push(...file.assistant_names);
    callWords.push(...file.call_words);
    addressees.push(...file.addressees);
    closers.push(...file.closers);
    thanks.push(...file.thanks);
    purposes.push(...file.purposes);
    forWhom.push(...file.for_whom);
    speakerDoes.push(...file.speaker_does);
    corrections.push(...file.corrections);
    for (const w of file.joiners) joiners.push(...tok(w));
    for (const w of file.item_joiners) itemJoiners.push(...tok(w));
    pronouns.push(...file.pronouns);
    for (const w of file.number_words) numberWords.push(...tok(w));
    for (const w of file.named_rooms?.rooms ?? []) namedRooms.rooms.add(tok(w).join(" "));
    namedRooms.say.push(...(file.named_rooms?.say ?? []));
    for (const w of file.placed_kinds) placedKinds.push(tok(w).join(" "));
    for (const [kind, words] of Object.entries(file.measure_words))
      measureWords[kind] = [...(measureWords[kind] ?? []), ...words.map((w) => tok(w).join(" "))];
    ownerLast.push(...file.owner_last);
    ownerFirst.push(...file.owner_first);
    kindFirst.push(...file.kind_first);
    for (const group of file.alike_kinds) alikeKinds.push(group.map((w) => tok(w).join(" ")));
    for (const w of file.generic_names) genericNames.add(tok(w).join(" "));
    for (const [said, read] of Object.entries(file.elliptic_last)) ellipticLast.set(said, read);
    for (const w of file.possessives) possessives.add(tok(w).join(" "));
    for (const [said, read] of Object.entries(file.dialect_words))
      dialect.words.set(tok(said).join(" "), tok(read).join(" "));
    for (const [said, read] of Object.entries(file.dialect_word_parts))
      dialect.parts.set(said.toLowerCase(), read.toLowerCase());
    for (const group of file.alike_rooms) alikeRooms.push(group.map((w) => tok(w).join(" ")));
    for (const group of file.alike_floors) alikeFloors.push(group.map((w) => tok(w).join(" ")));
    if (file.shared_heads)
      sharedHeads = {
        pluralEndings: file.shared_heads.plural_endings.map((e) => e.toLowerCase()),
        both: file.shared_heads.both.map((w) => tok(w).join(" ")),
      };
    for (const [plain, more] of Object.entries(file.comparatives))
      comparatives.set(tok(plain).join(" "), tok(more).join(" "));
    learnerOrder ||= file.learner_order;
    const r = file.reported_speech;
    if (r) {
      const add = (set: Set<string>, words: readonly string[]) => {
        for (const w of words) set.add(tok(w).join(" "));
      };
      add(reported.verbs, r.verbs);
      add(reported.participles, r.participles);
      add(reported.auxiliaries, r.auxiliaries);
      add(reported.saidTo, r.said_to);
      add(reported.to, r.to);
      add(reported.storyPeople, r.story_people);
      add(reported.speaker, r.speaker);
      add(reported.reasons, r.reasons);
      for (const p of r.story_goes_on) reported.storyGoesOn.push(tok(p));
    }
    for (const [intent, def] of Object.entries(file.intents)) {
      for (const data of def.data)
        blocks.push({ intent, data, custom: false, builtin, packResponses: file.pack_responses });
      if (def.reply) replies.set(intent, def.reply);
    }
  });
  for (const [k, v] of Object.entries(intents.lists)) lists.set(k, v);
  for (const [k, v] of Object.entries(intents.expansion_rules)) ruleSources.set(k, v);
  skip.push(...intents.skip_words);
  for (const [intent, def] of Object.entries(intents.custom)) {
    custom.add(intent);
    if (def.reply) replies.set(intent, def.reply);
    if (def.sentences)
      blocks.push({
        intent,
        data: intentDataSchema.parse({ sentences: def.sentences }),
        custom: true,
        builtin: false,
      });
    for (const data of def.data ?? []) blocks.push({ intent, data, custom: true, builtin: false });
  }

  const problems: string[] = [];
  const rules = new Map<string, TemplateNode>();
  for (const [name, src] of ruleSources) {
    try {
      rules.set(name, parseTemplate(src));
    } catch (err) {
      problems.push(`expansion rule <${name}>: ${(err as Error).message}`);
    }
  }
  for (const [name, list] of lists) {
    if ("values" in list) {
      for (const v of list.values) {
        if (typeof v === "string") continue;
        try {
          expandWords(parseTemplate(v.in));
        } catch (err) {
          problems.push(`list ${name}: value "${v.in}": ${(err as Error).message}`);
        }
      }
    }
  }

  // The words each fixed value list can start with: a template opening with {brightness_verb} then
  // needs "dim" or "brighten" … in the sentence, and is skipped without matching when neither is
  // there. A language pack's lists live under names of their own ("pack:color"), so these stand
  // beside a pack too.
  const firstWords = new Map<string, Set<string>>();
  for (const [name, list] of lists) {
    if (!("values" in list)) continue;
    const first = new Set<string>();
    let empty = false;
    for (const v of list.values) {
      try {
        const forms = typeof v === "string" ? [tok(v)] : expandWords(parseTemplate(v.in));
        for (const words of forms) {
          if (words[0] === undefined) empty = true;
          else first.add(words[0]);
        }
      } catch {
        empty = true; // reported above
      }
    }
    if (!empty && first.size > 0) firstWords.set(name, first);
  }

  const groups: CompiledGroup[] = [];
  // Each rule expanded once for all templates.
  const inlined = new Map<string, TemplateNode>();
  const intentNames = new Set<string>(packs?.intents);
  // Equally good matches: the user's own sentences first, then the language pack's, then Hearth's.
  const packCount = packs?.groups.length ?? 0;
  let userOrder = 0;
  let builtinOrder = 0;
  for (const { intent, data, builtin, packResponses } of blocks) {
    if (disabled.has(intent)) continue;
    intentNames.add(intent);
    for (const sentence of data.sentences) {
      try {
        const template = inlineRules(parseTemplate(sentence), rules, [], inlined);
        for (const list of listsUsed(template)) {
          const base = list.split("+")[0] as string;
          if (!lists.has(base) && !DYNAMIC_LISTS.has(base))
            throw new HearthError("TEMPLATE_INVALID", `template "${sentence}": unknown list {${list}}`);
        }
        const group: CompiledGroup = {
          intent,
          template,
          source: sentence,
          clauses: requiredWords(template, firstWords),
          slots: data.slots,
          contextArea: data.context_area,
          // `before_pack`: ranked with the user's own, before the pack's reading of the same words.
          order:
            packs && builtin
              ? (data.before_pack ? 500_000 : 1_000_000 + packCount) + builtinOrder++
              : userOrder++,
        };
        if (data.requires) group.requires = data.requires;
        if (data.response) group.response = data.response;
        if (packResponses && packs) group.packResponses = true;
        if (data.excludes) group.excludes = data.excludes;
        if (data.ordinary_talk) group.ordinaryTalk = true;
        if (data.nearest) group.nearest = true;
        if (data.prefers) group.prefers = data.prefers;
        groups.push(group);
      } catch (err) {
        // Every problem names its template, also those found after parsing (rules, lists).
        const message = (err as Error).message;
        problems.push(
          `${intent}: ${message.startsWith("template ") ? message : `template "${sentence}": ${message}`}`,
        );
      }
    }
  }
  for (const name of disabled) {
    if (!blocks.some((b) => b.intent === name) && !packs?.intents.has(name) && !packHas(packs, name))
      problems.push(`intents.disabled: unknown intent "${name}"`);
  }
  if (problems.length > 0)
    throw new HearthError(
      "SENTENCES_INVALID",
      `the sentences are invalid (${problems.length} problem${problems.length === 1 ? "" : "s"})`,
      {
        details: problems,
      },
    );

  const phrases = (texts: string[]): string[][] =>
    [...new Set(texts)]
      .map((s) => tok(s))
      .filter((t) => t.length > 0)
      .sort((a, b) => b.length - a.length);
  if (packs) {
    // Pack sentences rank after the user's own and before Hearth's built-in ones.
    for (const g of packs.groups) groups.push({ ...g, order: 1_000_000 + g.order });
    groups.sort((a, b) => a.order - b.order);
  }
  groups.forEach((g, i) => {
    groups[i] = groupShape(g);
  });
  // The user's skip words (and those of extra sentence files) apply to every sentence, the pack's
  // included, even where Hearth's built-in English has the same word ("hey").
  const skipPhrases = phrases(packs ? skip : [...builtinSkip, ...skip]);
  // An assistant called by its name, alone or after a call word ("hey Siri").
  const called = [...names, ...callWords.flatMap((w) => names.map((n) => `${w} ${n}`))];
  const out: CompiledSentences = {
    groups,
    lists,
    skipPhrases: [...skipPhrases, ...(packs?.skipPhrases ?? [])].sort((a, b) => b.length - a.length),
    openers: phrases([...openers, ...called]),
    assistantNames: phrases(called),
    addressees: phrases(addressees),
    closers: phrases(closers),
    thanks: phrases(thanks),
    purposes: phrases(purposes),
    forWhom: phrases(forWhom),
    speakerDoes: phrases(speakerDoes),
    corrections: phrases(corrections),
    joiners: new Set(joiners.length > 0 ? joiners : ["and", "then"]),
    itemJoiners: new Set(itemJoiners),
    pronouns,
    numberWords,
    namedRooms: namedRooms.say.length > 0 ? namedRooms : undefined,
    placedKinds,
    measureWords,
    ownerLast,
    ownerFirst,
    kindFirst,
    alikeKinds,
    genericNames,
    alikeRooms,
    alikeFloors,
    sharedHeads,
    ellipticLast,
    possessives,
    dialect: dialect.words.size + dialect.parts.size > 0 ? dialect : undefined,
    comparatives,
    learnerOrder,
    reportedSpeech: reported,
    words: sentenceWords(files),
    replies,
    custom,
    intents: intentNames,
  };
  if (extra.tokenize) out.tokenize = extra.tokenize;
  if (packs) {
    out.packs = packs;
    out.tokenize = packs.tokenize;
    // Only where Hearth has sentences of its own in the pack's language.
    if ((extra.builtinFiles ?? files.length) > 0) out.ownSkipPhrases = phrases([...builtinSkip, ...skip]);
  }
  return out;
}

/** Whether a pack had sentences for an intent that `intents.disabled` left out. */
function packHas(packs: CompiledPacks | undefined, name: string): boolean {
  return packs?.disabledSeen?.has(name) ?? false;
}

function listsUsed(node: TemplateNode, out = new Set<string>()): Set<string> {
  if (node.t === "slot") out.add(node.list);
  else if (node.t === "seq") for (const n of node.items) listsUsed(n, out);
  else if (node.t === "alt") for (const n of node.options) listsUsed(n, out);
  return out;
}

/**
 * The words the sentences know as slot values: their value lists' (a value's text, or every word of
 * its `in` template) and a language pack's, but for the lists named in `except`.
 */
export function listValueWords(
  sentences: CompiledSentences,
  tokenize: (text: string) => string[],
  except: ReadonlySet<string> = new Set(),
): Set<string> {
  const out = new Set<string>();
  for (const [name, def] of sentences.lists) {
    if (!("values" in def) || except.has(name)) continue;
    for (const v of def.values) {
      if (typeof v === "string") for (const w of tokenize(v)) out.add(w);
      else templateWords(parseTemplate(v.in), out);
    }
  }
  for (const contents of sentences.packs?.listContents.values() ?? [])
    if (contents.kind === "values") for (const e of contents.entries) for (const w of e.words) out.add(w);
  return out;
}
