/**
 * Whether a sentence is said to someone else in the room rather than to the assistant: someone
 * called by a word of `addressees:` ("honey, can you get the door") or by name ("Jake, shut the
 * door", "tom set a timer"), or an order told in a story ("…, she said"). The recognizer asks
 * these before it acts on what such a sentence would otherwise read as.
 */
import { TARGET_SLOTS } from "./catalog.js";
import { clausesOf, startsAt, stripOpeners, stripSkipWords } from "./clauses.js";
import type { HomeNames } from "./home-names.js";
import { tokenize } from "./normalize.js";
import { type ReportedSpeechWords, reportedInClauses } from "./reported-speech.js";
import type { SpeakerContext } from "./resolve.js";
import type { SentenceWords } from "./sentence-words.js";
import type { CompiledSentences } from "./sentences.js";
import type { TemplateResult, View } from "./template-recognizer.js";

/** What these checks read a sentence with: the recognizer's own tokenizer and readings. */
export interface AddressReader {
  /** The sentence's words (tokenized once for every check). */
  tokenize(text: string): readonly string[];
  /** A sentence read as said, one sentence. */
  sentence(text: string, context: SpeakerContext): TemplateResult;
  /** A sentence read as typed: its clauses and commands too. */
  asTyped(text: string, context: SpeakerContext): TemplateResult;
  /** A clause's words without skip words and openers: none for a filler ("um"). */
  commandWords(clause: string): readonly string[];
}

/** The checks of one recognizer. */
export class SaidToSomeone {
  readonly #opts: { sentences: CompiledSentences };
  readonly #words: SentenceWords;
  /** Every sentence, the pack's included, normalised as the pack wants. */
  readonly #all: View;
  readonly #names: HomeNames;
  readonly #reader: AddressReader;

  constructor(opts: { sentences: CompiledSentences; all: View; names: HomeNames }, reader: AddressReader) {
    this.#opts = opts;
    this.#words = opts.sentences.words;
    this.#all = opts.all;
    this.#names = opts.names;
    this.#reader = reader;
  }

  /**
   * Whether the sentence opens or ends with a clause that only addresses someone else in the room
   * ("honey, can you get the door", "close the door, you guys"; the sentence files' `addressees:`),
   * skip words and openers aside. Set apart, so that "kids room light on" still names the Kid's
   * Room Light.
   */
  saidToSomeoneElse(text: string, context: SpeakerContext): boolean {
    if (!this.#words.clauseSplit.test(text)) return false;
    const who = this.#opts.sentences.addressees ?? [];
    const clauses = clausesOf(text, this.#words.clauseSplit);
    if (clauses.length < 2) return false;
    // Closers kept: "darling, …" addresses someone else, "…, darling" the assistant.
    const view = this.#all;
    const words = (c: string) =>
      stripOpeners(stripSkipWords(this.#reader.tokenize(c), view.skip), view.openers);
    const first = words(clauses[0] as string);
    const last = words(clauses[clauses.length - 1] as string);
    if (
      who.some(
        (p) => p.length === first.length && startsAt(first, p, 0) && !this.#thanked(clauses[0] as string, p),
      ) ||
      who.some((p) => p.length === last.length && startsAt(last, p, 0) && !this.#closes(p))
    )
      return true;
    // "Put the kettle on, Mum, we've got visitors": someone called between the command and a remark.
    const inside = clauses.slice(1, -1).map((c) => words(c));
    if (inside.some((w) => who.some((p) => p.length === w.length && startsAt(w, p, 0) && !this.#closes(p))))
      return true;
    return clauses.some((c, at) => {
      if (!this.personNamed(c, words(c), context)) return false;
      // Only where the rest is a command said to that person: "Verkünde, dass der Kuchen fertig
      // ist" opens with a verb, capitalised as the first word is. The rest is read as a sentence
      // of its own, remarks set apart in it too ("Ramesh, open the gate, the guests have come").
      const rest = clauses.filter((_, k) => k !== at).join(", ");
      if (this.#reader.asTyped(rest, context).understanding.kind !== "recognized") return false;
      return !this.#understoodWith(clauses.join(" "), words(c)[0] as string, context);
    });
  }

  /**
   * Whether a clause is thanks and a term of endearment said to the assistant ("cheers mate", "ta
   * love"): words of thanks (`thanks:`) and then `who`, a closer.
   */
  #thanked(clause: string, who: readonly string[], whole = true): boolean {
    if (!this.#closes(who)) return false;
    const tokens = this.#reader.tokenize(clause);
    return (this.#opts.sentences.thanks ?? []).some(
      (t) =>
        startsAt(tokens, t, 0) &&
        startsAt(tokens, who, t.length) &&
        (!whole || tokens.length === t.length + who.length),
    );
  }

  /** Whether `phrase` is a closer (`closers:`): said last, to the assistant itself. */
  #closes(phrase: readonly string[]): boolean {
    return this.#all.closers.some((c) => c.length === phrase.length && startsAt(c, phrase, 0));
  }

  /**
   * Whether a clause set apart ("Jake, shut the door", "turn the telly down, Sophie") is someone's
   * name: one word that is none of the assistant's names or greetings (openers, `assistantNames`
   * given to loadSentences), no skip word and no word of any device's, room's or floor's name, and
   * either a person the home knows (see HomeNames.knownPerson), written in any case, or written with a
   * capital and nothing the sentences understand alone. A lone word in lower case that the home
   * does not know may as well be "yep" or "anyway" as a name: it is not taken for one.
   */
  personNamed(clause: string, words: readonly string[], context: SpeakerContext): boolean {
    const word = words[0];
    if (words.length !== 1 || word === undefined) return false;
    if (this.#names.words().has(word) && !this.#names.owners.has(word)) return false;
    if (this.#names.knownPerson(word)) return true;
    // The name is the clause's last word: alone, or after a word to get attention ("oi Bodhi").
    const said = clause.trim().split(/\s+/);
    if (!/^\p{Lu}[\p{Ll}'’-]*$/u.test(said[said.length - 1] ?? "")) return false;
    const alone = this.#reader.sentence(clause, context).understanding;
    return alone.kind === "not-recognized" && alone.reason === "no_match";
  }

  /**
   * Whether `said` read as one sentence, `name` and all, is a command: with `name` as a word the
   * sentences hold ("Ach, egal", "Oh, never mind" are interjections, no names). Any word but a
   * person the home knows may be an interjection, whatever the reading takes it as ("Yep, set a
   * timer for ten minutes"). A person the home knows is none: free text that runs on from their name
   * into the command's words is no reading ("Mia, set a timer for ten minutes" is no timer called
   * "mia set a"), though free text that is their name alone is.
   */
  #understoodWith(said: string, name: string, context: SpeakerContext): boolean {
    const u = this.#reader.sentence(said, context).understanding;
    if (u.kind !== "recognized") return false;
    if (!this.#names.knownPerson(name)) return true;
    const tok = this.#opts.sentences.tokenize ?? tokenize;
    return !u.intents.some((i) =>
      Object.entries(i.slots).some(([slot, value]) => {
        if (typeof value !== "string" || (TARGET_SLOTS.has(slot) && i.targets.length > 0)) return false;
        const words = tok(value);
        return words.length > 1 && words.includes(name);
      }),
    );
  }

  /**
   * "tom set a timer for ten minutes": speech-to-text writes no comma after a name said to someone
   * else, nor a capital. Only a person the home knows (see HomeNames.knownPerson) said first is taken for
   * one, where the rest is a command and the whole sentence is none, or one only by free text that
   * runs on from the name (see #understoodWith).
   */
  calledByName(text: string, context: SpeakerContext): boolean {
    const view = this.#all;
    const said = this.#reader.tokenize(text);
    // Asked of every sentence said without a comma: most name nobody the home knows at all.
    if (!said.some((w) => this.#names.knownPerson(w))) return false;
    const words = stripOpeners(stripSkipWords(said, view.skip), view.openers);
    const [name, ...rest] = words;
    if (name === undefined || rest.length < 2 || !this.#names.knownPerson(name)) return false;
    if (this.#names.words().has(name) && !this.#names.owners.has(name)) return false;
    if (this.#reader.asTyped(rest.join(" "), context).understanding.kind !== "recognized") return false;
    return !this.#understoodWith(words.join(" "), name, context);
  }

  /** Whether the sentence's words, skip words aside, open or end with words that address someone else. */
  opensOrEndsAddressed(text: string): boolean {
    const who = this.#opts.sentences.addressees;
    if (!who || who.length === 0) return false;
    const words = stripSkipWords(this.#reader.tokenize(text), this.#all.skip);
    return who.some(
      (p) =>
        (startsAt(words, p, 0) && !this.#thanked(text, p, false)) ||
        (words.length >= p.length && startsAt(words, p, words.length - p.length)),
    );
  }

  /** Whether the sentence's clauses report what someone said (see reportedInClauses). */
  reported(text: string): boolean {
    return reportedInClauses(
      clausesOf(text, this.#words.clauseSplit),
      (c) => this.#reader.tokenize(c),
      this.reportedSpeech,
    );
  }

  /** The sentence files' words of reported speech, none where they have none. */
  get reportedSpeech(): ReportedSpeechWords {
    return this.#opts.sentences.reportedSpeech ?? NO_REPORTED_SPEECH;
  }

  /** Whether the sentence opens or ends with a lone word set apart by a comma that is nothing Hearth knows (a name it is said to). */
  addressedToSomeone(text: string, context: SpeakerContext): boolean {
    const clauses = clausesOf(text, this.#words.clauseSplit);
    if (clauses.length < 2) return false;
    return [clauses[0], clauses[clauses.length - 1]].some((c) => {
      if (this.#reader.commandWords(c as string).length !== 1) return false;
      const alone = this.#reader.sentence(c as string, context).understanding;
      return alone.kind === "not-recognized" && alone.reason === "no_match";
    });
  }
}

const NO_REPORTED_SPEECH: ReportedSpeechWords = {
  verbs: new Set(),
  participles: new Set(),
  auxiliaries: new Set(),
  saidTo: new Set(),
  to: new Set(),
  storyGoesOn: [],
  storyPeople: new Set(),
  speaker: new Set(),
  reasons: new Set(),
};
