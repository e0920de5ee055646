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

const words = () => z.array(z.string()).default([]);

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
  /** Lights said in the plural after a name ("the office lights"). */
  plural_lights: words(),
  /** Words that set a clause apart as a comma does, before a reason ("because", "cos"). */
  clause_breaks: words(),
  /** Words that say the speaker's own room ("in here"). */
  here_words: words(),
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

/** The sentence files' words of sentenceWordsShape, gathered from every file. */
export interface SentenceWords {
  remarkOpeners: ReadonlySet<string>;
  leadIns: ReadonlySet<string>;
  describing: ReadonlySet<string>;
  noCommandStart: ReadonlySet<string>;
  ownerPronouns: ReadonlySet<string>;
  ownedRooms: ReadonlySet<string>;
  clauseOpeners: ReadonlySet<string>;
  placeLeads: ReadonlySet<string>;
  placePrepositions: ReadonlySet<string>;
  ellipticLeads: ReadonlySet<string>;
  directions: ReadonlySet<string>;
  also: ReadonlySet<string>;
  oneBefore: ReadonlySet<string>;
  durationLeads: ReadonlySet<string>;
  levelLeads: ReadonlySet<string>;
  levelAfter: ReadonlySet<string>;
  moreOrLess: ReadonlySet<string>;
  subjectless: ReadonlySet<string>;
  pluralLights: ReadonlySet<string>;
  /** What sets a clause apart: punctuation, and `clause_breaks:` between spaces. */
  clauseSplit: RegExp;
  /** `here_words:` as words. */
  here: readonly (readonly string[])[];
  /** Undefined where no file says how (no sentence is then such a remark). */
  stateRemarks: StateRemarks | undefined;
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
  const set = (key: Exclude<keyof SentenceWordsFile, "state_remarks">) =>
    new Set(files.flatMap((f) => f[key]));
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
    describing: set("describing_words"),
    noCommandStart: set("no_command_start"),
    ownerPronouns: set("owner_pronouns"),
    ownedRooms: set("owned_rooms"),
    clauseOpeners: set("clause_openers"),
    placeLeads,
    placePrepositions,
    ellipticLeads: new Set([...placeLeads, ...placePrepositions, ...set("elliptic_leads")]),
    directions: set("directions"),
    also: set("also"),
    oneBefore: set("one_before"),
    durationLeads: set("duration_leads"),
    levelLeads: set("level_leads"),
    levelAfter: set("level_after"),
    moreOrLess: set("more_or_less"),
    subjectless: set("subjectless_purposes"),
    pluralLights: set("plural_lights"),
    clauseSplit: new RegExp(
      breaks.length > 0 ? `${CLAUSE_MARKS}|\\s(?:${either(breaks)})\\s` : CLAUSE_MARKS,
      "i",
    ),
    here: [...set("here_words")].map((p) => p.split(" ")),
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
