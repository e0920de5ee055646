/**
 * The words of a language by which the template recognizer tells how a sentence is said: how a
 * remark opens and what leads from it into a command, the words a place, a level or a while is said
 * after, on/off words and "also" in a second command, a thing said with how it is ("the gate's
 * open") … Each is a key of the sentence files (sentenceFileSchema spreads `sentenceWordsShape`),
 * written in the language's own file (sentences/en/00-common.yaml, sentences/de/00-common.yaml) and
 * gathered by compileSentences from every file loaded, a home's own files included. The words are
 * compared with a sentence's tokens as written in the file.
 */
import { z } from "zod";
import { expandWords, inlineRules, parseTemplate, type TemplateNode } from "./template.js";

const words = () => z.array(z.string()).default([]);

/** A template whose only list is `{count}`. */
const countOnly = () =>
  z.string().refine((t) => [...t.matchAll(/\{([^}]*)\}/g)].every((m) => m[1] === "count"), {
    message: "the only list a duration may say is {count}",
  });

/** The sentence-file keys of these words (see docs/intents.md, "Sentence files"). */
export const sentenceWordsShape = {
  /**
   * How a statement about things opens, as opposed to a command ("it's too dark", "I'm cold",
   * "there's no light"): a remark said before a command with no comma, or a clause beside one.
   */
  remark_openers: words(),
  /**
   * The last words of a remark that lead into the command after them, which is then part of the
   * remark ("I told him to turn …", "I think we should close …"); none starts a command either.
   */
  lead_ins: words(),
  /**
   * A speaker's own doing said before a verb with "it" after it ("I'll turn it off", "let me switch
   * it off"): the words before are then no thing that "it" points back to.
   */
  speaker_leads: words(),
  /** Words that describe the thing said after them ("new bulbs", "spare lights"): the thing is part of the remark. */
  describing_words: words(),
  /**
   * Words that start device commands' sentences but say no command alone: pronouns, question words
   * and prepositions (a language pack's sentences start with some).
   */
  no_command_start: words(),
  /** Possessive pronouns that point back to an owner said before them ("… and turn on her desk light"). */
  owner_pronouns: words(),
  /** Words of a room named after someone who has it ("Aoife Bedroom"; a possessive needs none). */
  owned_rooms: words(),
  /** Words after which "is" goes on a clause inside a list item ("add find out what is wrong with the car"). */
  clause_openers: words(),
  /** Words a place is said after ("in the cellar", "the cellar lights"): an unknown place after any other word is not reported. */
  place_leads: words(),
  /** Prepositions a place is said after ("in", "at"; German "im", "bei"). */
  place_prepositions: words(),
  /**
   * Articles, possessives and demonstratives ("the", "my", "that"; German "der", "ein"): a name
   * never opens with one, and a name no device has never ends with one.
   */
  name_articles: words(),
  /**
   * Prepositions of place ("near", "by"; German "neben", "am"): a name no device has neither
   * opens nor ends with one ("the lamp by the bed" names no "lamp by").
   */
  name_prepositions: words(),
  /**
   * How far away a place is, said before its preposition ("out on the patio", "up in the loft"):
   * each a word and the preposition it goes with, read without the word where the sentence as said
   * is not understood.
   */
  place_distances: words(),
  /**
   * Words said before the place or name of a second command without a verb (`elliptic_last:`), beside
   * `place_leads:`, `place_prepositions:` and articles (German "am").
   */
  elliptic_leads: words(),
  /** On/off words a command's part says at its start or end ("off the hall light", "im Bad aus"). */
  directions: words(),
  /** "Also" said after a second target that borrows the first command's words ("and the fan too"). */
  also: words(),
  /** Words before "one" that make it stand for a device ("the one in the hall", "the other one"). */
  one_before: words(),
  /** The words before how long a device is switched on or off for ("for half an hour"). */
  duration_leads: words(),
  /** The words before the level lights are switched on at ("at 50 percent", "to 30%"). */
  level_leads: words(),
  /** Words a level may end in ("50 percent brightness"). */
  level_after: words(),
  /** Words said before what there is to be more or less of ("less light"): what follows them is no verb. */
  more_or_less: words(),
  /** Of the `purposes:`, those that open a reason said without its subject ("is", "its"), which may also say how a thing is. */
  subjectless_purposes: words(),
  /**
   * Of the `purposes:` and `for_whom:`, the first words of those that say someone cannot hear or see
   * ("cant hear", "can not see"): such a reason may follow who it is ("turn it up Bob can't hear it").
   */
  unable_words: words(),
  /** Words that ask for a command with "you" after them, after a remark ("it's chilly in here could you put it up"). */
  asking_words: words(),
  /** Lights said in the plural after a name ("the office lights"). */
  plural_lights: words(),
  /** Words that set a clause apart as a comma does, before a reason ("because", "cos"). */
  clause_breaks: words(),
  /** Words that say the speaker's own room ("in here"). */
  here_words: words(),
  /**
   * Sounds of hesitation among the skip words ("um", "äh"): a skip word said right before a message
   * is given back with it ("broadcast please come down"), a hesitation never.
   */
  hesitations: words(),
  /**
   * A sentence that names a thing and ends in how it is, with no verb to do anything ("the gate's
   * open", "the porch light is on"): a remark. It opens with one of `opens` and ends in one of
   * `states`, with one of `verbs` before it or not, one of `before` right before it and one of
   * `after` after it or not. Said without a verb (speech gives no apostrophe: "the gates open"),
   * only a state of `without_verb` says it, and not after one of `degrees` ("the blind half open"
   * is a command).
   */
  state_remarks: z
    .strictObject({
      opens: words(),
      verbs: words(),
      before: words(),
      states: words(),
      after: words(),
      without_verb: words(),
      degrees: words(),
    })
    .optional(),
  /**
   * Skip phrases as the speech grammar takes them (speech-grammar.ts); typed text keeps every skip
   * phrase at both ends. `tail`: the only ones allowed after a command (each first sound after a
   * command costs the recogniser's search memory, and a long tail is one more way to hear a
   * command's last words). `unspoken`: those left out of the speech grammar altogether (hesitations
   * and one-syllable fillers a recogniser hears in every pause). `leading`: the hesitations allowed
   * before a command alone ("um, what's the weather"), as the recogniser's dictionary spells them.
   */
  speech: z
    .strictObject({
      tail: words(),
      unspoken: words(),
      leading: words(),
      /** Words between two commands said at once ("and", "then"); none: one command at a time. */
      joiners: words(),
      /**
       * The timer names the speech grammar offers for `{timer_name}`, which takes any words when
       * typed; none: no sentence with a timer's name is heard.
       */
      timer_names: words(),
      /**
       * Every way `{duration}` is said, as templates in the sentence language (words, `(a|b)`,
       * `[optional]`, the `<rule>`s of `rules`) where `{count}` is a number from one to 120;
       * none: no sentence with a duration is heard.
       */
      durations: z
        .strictObject({
          rules: z.record(z.string(), countOnly()).default({}),
          said: z.array(countOnly()).default([]),
        })
        .optional(),
    })
    .optional(),
  /**
   * When something is to be done, said after what it is ("we need to buy eggs at the weekend", "…
   * by Friday", "… when we go to the shops"): no part of an item put on a list. Templates (the
   * sentence language's words, `(a|b)`, `[optional]` and `<rule>`s of `rules`): `opens` say when
   * with whatever words follow them, `ends` only as the sentence's last words ("… tonight").
   */
  when_said: z
    .strictObject({
      rules: z.record(z.string(), z.string()).default({}),
      opens: words(),
      ends: words(),
    })
    .optional(),
  /**
   * The words of English as people say it who learnt it after another language, by which such a
   * sentence is read again in English word order (learner-readings.ts; see there what each is).
   * Phrases (`how_much`, `question_tags`) are tried in the order written, the longest first.
   */
  learner_readings: z
    .strictObject({
      /** Verbs a question puts before its subject ("is the door locked"). */
      aux: words(),
      /** Words that open a question, left where a statement has its object ("the kitchen is how warm?"). */
      question_words: words(),
      /** Verbs a question may open with and "it" left out after ("is raining?"). */
      it_left_out: words(),
      /** Words that are already the subject after such a verb. */
      subjects: words(),
      /** Prepositions said before a level instead of "to" ("put the fan in 2", "until 40 percent"). */
      level_prepositions: words(),
      /** Units after a number said "at" that make it a level ("at 21 degrees"), not a time of day. */
      level_units: words(),
      /** What follows a number that makes it a while, not a level ("in 10 minutes"). */
      time_units: words(),
      /** The middle of a range, said as a place ("until the middle", "to the half"). */
      middle: words(),
      /** Ends of a range said with an article ("put the fan in the maximum"). */
      ends: words(),
      /** How much, said before the object rather than after it ("open a little the blind"). */
      how_much: words(),
      /** Articles and possessives a thing is said with. */
      articles: words(),
      /** Verbs that leave a thing at a level ("leave the heating in 21"), read as "set" where a level follows. */
      left_at: words(),
      /** Verbs a level said "at" or "on" follows ("put the heating at 21"): after others "at 7" is a time of day. */
      set_at: words(),
      /** Verbs said before "more" or "less" with nothing to make so ("make more warm", "put less light"). */
      make: words(),
      /** Words a thing is said after, behind "more volume" or "less light" ("… to the TV", "… of the lamp"). */
      thing_after: words(),
      /** "Less" and a word, and the comparative English says for them ("light: dimmer"). */
      less: z.record(z.string(), z.string()).default({}),
      /** Words after a statement that ask whether it is so ("…, yes?", "… or not"). */
      question_tags: words(),
      /** Verbs said in a learner's short form, and the verb they stand for ("low: lower", "up: turn up"). */
      short_verbs: z.record(z.string(), z.string()).default({}),
      /** Words a timer's food or task is said done in ("is the rice done yet"). */
      done: words(),
      /** Words before a timer's name said without "timer" ("the roast", "my pasta"). */
      timer_owners: words(),
      /** Words that end a timer's name said after "of" ("the timer of the rice for ten minutes"). */
      timer_name_ends: words(),
      /** Words that place what a question asks about ("which temperature is in the lounge"). */
      placed: words(),
      /** The word colour, said with a light's colour ("put red colour in the lamp"). */
      colour_words: words(),
      /** Verbs that switch a thing on said with no "on" ("put the electric blanket"). */
      put_on: words(),
      /** Words said for "off" after the thing ("do the lights out in the office"). */
      off_words: words(),
      /** Words said after "of" for the one before ("the song of before": the previous song). */
      before: words(),
      /** What a temperature wanted is said after ("I want 21 degrees in the lounge"). */
      want: words(),
      /** Words before "more" that say something else than how much ("the lights no more", "off more"). */
      not_a_thing: words(),
      /** Words said at the end of a command that change nothing of it ("the radio less please"). */
      closing: words(),
    })
    .optional(),
};

/** The keys of sentenceWordsShape in one sentence file. */
export type SentenceWordsFile = z.output<z.ZodObject<typeof sentenceWordsShape>>;

/** A thing said with how it is (`state_remarks:`), ready to match a sentence as typed. */
export interface StateRemarks {
  /**
   * A sentence that opens with a thing and ends in a state: `last`, the word before the state (with
   * any "'s"), `verb`, the verb if said, and `state`.
   */
  said: RegExp;
  withoutVerb: ReadonlySet<string>;
  degrees: ReadonlySet<string>;
}

/** When something is to be done, said after it (`when_said:`), as words. */
export interface WhenSaid {
  /** Phrases that say when with any words after them, by their first word. */
  opens: ReadonlyMap<string, readonly (readonly string[])[]>;
  /** Phrases that say when only as the sentence's last words, by their first word. */
  ends: ReadonlyMap<string, readonly (readonly string[])[]>;
}

/** The words of `learner_readings:`, ready to compare with tokens (see learner-readings.ts). */
export interface LearnerWords {
  aux: ReadonlySet<string>;
  questionWords: ReadonlySet<string>;
  itLeftOut: ReadonlySet<string>;
  subjects: ReadonlySet<string>;
  levelPrepositions: ReadonlySet<string>;
  levelUnits: ReadonlySet<string>;
  timeUnits: ReadonlySet<string>;
  middle: ReadonlySet<string>;
  ends: ReadonlySet<string>;
  /** Longest first, as written. */
  howMuch: readonly (readonly string[])[];
  articles: ReadonlySet<string>;
  leftAt: ReadonlySet<string>;
  setAt: ReadonlySet<string>;
  make: ReadonlySet<string>;
  thingAfter: ReadonlySet<string>;
  less: ReadonlyMap<string, string>;
  /** Longest first, as written. */
  questionTags: readonly (readonly string[])[];
  shortVerbs: ReadonlyMap<string, readonly string[]>;
  done: ReadonlySet<string>;
  timerOwners: ReadonlySet<string>;
  timerNameEnds: ReadonlySet<string>;
  placed: ReadonlySet<string>;
  colourWords: ReadonlySet<string>;
  putOn: ReadonlySet<string>;
  offWords: ReadonlySet<string>;
  before: ReadonlySet<string>;
  /** As written. */
  want: readonly (readonly string[])[];
  notAThing: ReadonlySet<string>;
  closing: ReadonlySet<string>;
}

/** The sentence files' words of sentenceWordsShape, gathered from every file. */
export interface SentenceWords {
  remarkOpeners: ReadonlySet<string>;
  leadIns: ReadonlySet<string>;
  speakerLeads: ReadonlySet<string>;
  describing: ReadonlySet<string>;
  noCommandStart: ReadonlySet<string>;
  ownerPronouns: ReadonlySet<string>;
  ownedRooms: ReadonlySet<string>;
  clauseOpeners: ReadonlySet<string>;
  placeLeads: ReadonlySet<string>;
  placePrepositions: ReadonlySet<string>;
  placeDistances: ReadonlySet<string>;
  ellipticLeads: ReadonlySet<string>;
  directions: ReadonlySet<string>;
  also: ReadonlySet<string>;
  oneBefore: ReadonlySet<string>;
  durationLeads: ReadonlySet<string>;
  levelLeads: ReadonlySet<string>;
  levelAfter: ReadonlySet<string>;
  moreOrLess: ReadonlySet<string>;
  subjectless: ReadonlySet<string>;
  unable: ReadonlySet<string>;
  asking: ReadonlySet<string>;
  pluralLights: ReadonlySet<string>;
  hesitations: ReadonlySet<string>;
  /** `name_articles:` as written. */
  nameArticles: ReadonlySet<string>;
  /** `name_prepositions:` as written. */
  namePrepositions: ReadonlySet<string>;
  /** `speech:` `tail`, as written (empty where no file gives it: "please" alone then). */
  spokenTail: ReadonlySet<string>;
  /** `speech:` `unspoken`, as written (empty where no file gives it: no skip phrase left out). */
  unspokenSkip: ReadonlySet<string>;
  /** `speech:` `leading`, as written (empty where no file gives it: no hesitation before a command). */
  leadingHesitations: ReadonlySet<string>;
  /** `speech:` `joiners`, as written (empty where no file gives them: one command at a time). */
  joiners: ReadonlySet<string>;
  /** `speech:` `timer_names`, as written (empty where no file gives them). */
  timerNames: ReadonlySet<string>;
  /** `speech:` `durations`, each with its rules inlined (empty where no file gives them). */
  durations: readonly TemplateNode[];
  /** What sets a clause apart: punctuation, and `clause_breaks:` between spaces. */
  clauseSplit: RegExp;
  /** `here_words:` as words. */
  here: readonly (readonly string[])[];
  /** Undefined where no file says how (no sentence is then such a remark). */
  stateRemarks: StateRemarks | undefined;
  /** Undefined where no file says how (no list item then ends in when). */
  whenSaid: WhenSaid | undefined;
  /** Undefined where no file gives them (no sentence is then read in English word order). */
  learner: LearnerWords | undefined;
}

/**
 * What sets a clause apart without words: a comma, semicolon, colon, dash or the end of a sentence
 * (not a decimal point, a thousands comma or the colon of a time of day).
 */
const CLAUSE_MARKS = String.raw`[;!?…]|(?<!\d)[,:]|[,:](?!\d)|\s[-–—]+\s|\.(?!\d)`;

/** `words` as alternatives of a regular expression, each as written. */
function either(words: readonly string[]): string {
  return words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");
}

/** The words of every file, each key's words together, as written. */
export function sentenceWords(files: readonly SentenceWordsFile[]): SentenceWords {
  const set = (
    key: Exclude<keyof SentenceWordsFile, "state_remarks" | "speech" | "when_said" | "learner_readings">,
  ) => new Set(files.flatMap((f) => f[key]));
  const placeLeads = set("place_leads");
  const placePrepositions = set("place_prepositions");
  const breaks = [...set("clause_breaks")];
  const states = files.flatMap((f) => (f.state_remarks ? [f.state_remarks] : []));
  const all = (key: keyof NonNullable<SentenceWordsFile["state_remarks"]>) => [
    ...new Set(states.flatMap((s) => s[key])),
  ];
  const optional = (ws: readonly string[], re: string) => (ws.length > 0 ? re : "");
  return {
    remarkOpeners: set("remark_openers"),
    leadIns: set("lead_ins"),
    speakerLeads: set("speaker_leads"),
    describing: set("describing_words"),
    noCommandStart: set("no_command_start"),
    ownerPronouns: set("owner_pronouns"),
    ownedRooms: set("owned_rooms"),
    clauseOpeners: set("clause_openers"),
    placeLeads,
    placePrepositions,
    placeDistances: set("place_distances"),
    ellipticLeads: new Set([...placeLeads, ...placePrepositions, ...set("elliptic_leads")]),
    directions: set("directions"),
    also: set("also"),
    oneBefore: set("one_before"),
    durationLeads: set("duration_leads"),
    levelLeads: set("level_leads"),
    levelAfter: set("level_after"),
    moreOrLess: set("more_or_less"),
    subjectless: set("subjectless_purposes"),
    unable: set("unable_words"),
    asking: set("asking_words"),
    pluralLights: set("plural_lights"),
    hesitations: set("hesitations"),
    nameArticles: set("name_articles"),
    namePrepositions: set("name_prepositions"),
    spokenTail: new Set(files.flatMap((f) => f.speech?.tail ?? [])),
    unspokenSkip: new Set(files.flatMap((f) => f.speech?.unspoken ?? [])),
    leadingHesitations: new Set(files.flatMap((f) => f.speech?.leading ?? [])),
    joiners: new Set(files.flatMap((f) => f.speech?.joiners ?? [])),
    timerNames: new Set(files.flatMap((f) => f.speech?.timer_names ?? [])),
    durations: files.flatMap((f) => {
      const d = f.speech?.durations;
      if (!d) return [];
      const rules = new Map(Object.entries(d.rules).map(([name, t]) => [name, parseTemplate(t)]));
      return d.said.map((t) => inlineRules(parseTemplate(t), rules));
    }),
    clauseSplit: new RegExp(
      breaks.length > 0 ? `${CLAUSE_MARKS}|\\s(?:${either(breaks)})\\s` : CLAUSE_MARKS,
      "i",
    ),
    here: [...set("here_words")].map((p) => p.split(" ")),
    whenSaid: whenSaid(files),
    learner: learnerWords(files),
    stateRemarks:
      states.length === 0 || all("opens").length === 0 || all("states").length === 0
        ? undefined
        : {
            said: new RegExp(
              String.raw`^\s*(?:${either(all("opens"))})\s[^,;]*?(?<last>\p{L}+(?:['’]s)?)\s+` +
                optional(all("verbs"), String.raw`(?:(?<verb>${either(all("verbs"))})\s+)?`) +
                optional(all("before"), String.raw`(?:(?:${either(all("before"))})\s+)?`) +
                `(?<state>${either(all("states"))})` +
                optional(all("after"), String.raw`(?:\s+(?:${either(all("after"))}))?`) +
                String.raw`\s*[.!?]*\s*$`,
              "iu",
            ),
            withoutVerb: new Set(all("without_verb")),
            degrees: new Set(all("degrees")),
          },
  };
}

/** The phrases of `when_said:` from every file, each file's templates with its own rules. */
function whenSaid(files: readonly SentenceWordsFile[]): WhenSaid | undefined {
  const given = files.flatMap((f) => (f.when_said ? [f.when_said] : []));
  if (given.length === 0) return undefined;
  const opens = new Map<string, string[][]>();
  const ends = new Map<string, string[][]>();
  for (const w of given) {
    const rules = new Map(Object.entries(w.rules).map(([name, t]) => [name, parseTemplate(t)]));
    const add = (to: Map<string, string[][]>, templates: readonly string[]) => {
      for (const t of templates)
        for (const phrase of expandWords(inlineRules(parseTemplate(t), rules))) {
          const first = phrase[0];
          if (first === undefined) continue;
          const known = to.get(first);
          if (known) known.push(phrase);
          else to.set(first, [phrase]);
        }
    };
    add(opens, w.opens);
    add(ends, w.ends);
  }
  return { opens, ends };
}

/** The words of `learner_readings:` from every file (later files' maps win). */
function learnerWords(files: readonly SentenceWordsFile[]): LearnerWords | undefined {
  const given = files.flatMap((f) => (f.learner_readings ? [f.learner_readings] : []));
  if (given.length === 0) return undefined;
  type Key = keyof NonNullable<SentenceWordsFile["learner_readings"]>;
  const list = (key: Exclude<Key, "less" | "short_verbs">) => [...new Set(given.flatMap((g) => g[key]))];
  const set = (key: Exclude<Key, "less" | "short_verbs">) => new Set(list(key));
  const map = (key: "less" | "short_verbs") => new Map(given.flatMap((g) => Object.entries(g[key])));
  return {
    aux: set("aux"),
    questionWords: set("question_words"),
    itLeftOut: set("it_left_out"),
    subjects: set("subjects"),
    levelPrepositions: set("level_prepositions"),
    levelUnits: set("level_units"),
    timeUnits: set("time_units"),
    middle: set("middle"),
    ends: set("ends"),
    howMuch: list("how_much").map((p) => p.split(" ")),
    articles: set("articles"),
    leftAt: set("left_at"),
    setAt: set("set_at"),
    make: set("make"),
    thingAfter: set("thing_after"),
    less: map("less"),
    questionTags: list("question_tags").map((p) => p.split(" ")),
    shortVerbs: new Map([...map("short_verbs")].map(([w, verb]) => [w, verb.split(" ")])),
    done: set("done"),
    timerOwners: set("timer_owners"),
    timerNameEnds: set("timer_name_ends"),
    placed: set("placed"),
    colourWords: set("colour_words"),
    putOn: set("put_on"),
    offWords: set("off_words"),
    before: set("before"),
    want: list("want").map((p) => p.split(" ")),
    notAThing: set("not_a_thing"),
    closing: set("closing"),
  };
}
