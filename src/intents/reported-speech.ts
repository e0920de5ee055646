/**
 * Orders told as part of a story or a film, said near the speaker but not to the assistant: "close
 * the window, she said", "im Film hat er gerufen mach das Licht aus", "…, und dann ging er
 * schlafen". The words come from the sentence files' `reported_speech:` (see sentences.ts); these
 * functions only say where in a sentence they give it away.
 */

/** The sentence files' `reported_speech:` words, as tokens. */
export interface ReportedSpeechWords {
  /** Verbs that report what someone said ("said", "sagte", "gesagt"): never a command's imperative. */
  verbs: ReadonlySet<string>;
  /** Of the reporting words, participles ("gesagt"): "wie gesagt" is said to the assistant. */
  participles: ReadonlySet<string>;
  /** The auxiliaries of a reported participle ("hat … gesagt"). */
  auxiliaries: ReadonlySet<string>;
  /** Reporting verbs said with whom it was said to ("sagt die Frau zu ihrem Mann"). */
  saidTo: ReadonlySet<string>;
  /** The word before whom it was said to ("zu"). */
  to: ReadonlySet<string>;
  /** How a story goes on after a line of it ("und dann", "and then"). */
  storyGoesOn: readonly (readonly string[])[];
  /** Who a story tells of, in the words after those ("er", "sie", "she"). */
  storyPeople: ReadonlySet<string>;
  /** The speaker ("i"): a reporting verb after it says the command again, to the assistant. */
  speaker: ReadonlySet<string>;
  /** Words that open a statement ("its"): right after a reporting verb, a reason reported, no order. */
  reasons: ReadonlySet<string>;
}

/**
 * Whether a sentence of clauses set apart is reported speech: its first or last clause is a few
 * words that say who said it ("…, sagte die Mutter", "…, she said", "er rief: …"), or a clause
 * between two others opens with the verb that reports it or its speaker ("mach das Licht aus,
 * flüsterte er, und dann …", "…, she whispered, …"; not "wie gesagt", a participle said to the
 * assistant). `tokenize` reads a clause's words.
 */
export function reportedInClauses(
  clauses: readonly string[],
  tokenize: (clause: string) => readonly string[],
  r: ReportedSpeechWords,
): boolean {
  if (clauses.length < 2) return false;
  // "Lock the side door, I said lock the side door": the speaker insisting, no one else's words;
  // "…, Tom says it's too hot": what someone says about the room is the reason for the command.
  const reports = (w: string, i: number, words: readonly string[]) =>
    r.verbs.has(w) && !r.speaker.has(words[i - 1] ?? "") && !r.reasons.has(words[i + 1] ?? "");
  const atEdge = [clauses[0], clauses[clauses.length - 1]].some((c) => {
    const words = tokenize(c as string);
    return words.length <= 6 && words.some(reports);
  });
  return (
    atEdge ||
    clauses.slice(1, -1).some((c) => {
      const words = tokenize(c);
      return (
        words.length <= 4 && words.slice(0, 2).some((w, i) => reports(w, i, words) && !r.participles.has(w))
      );
    })
  );
}

/**
 * Whether a sentence with no comma to set it apart reports an order given to someone else, as a
 * recogniser writes it: a reporting participle after its auxiliary ("im Film hat er gerufen mach
 * das Licht aus", "… hat der Opa immer gsagt", "ich hab dir doch gsagt du sollst …"; not "wie
 * gesagt"), or a reporting verb with whom it was said to ("sagt die Frau zu ihrem Mann stell …").
 */
export function reportedWithoutCommas(words: readonly string[], r: ReportedSpeechWords): boolean {
  return words.some((w, i) => {
    if (r.participles.has(w)) return words.slice(Math.max(0, i - 4), i).some((b) => r.auxiliaries.has(b));
    return r.saidTo.has(w) && words.slice(i + 1, i + 5).some((b) => r.to.has(b));
  });
}

/**
 * Whether a clause not understood goes on telling what someone did, "und dann" or "and then" and
 * who: "…, und dann ging er schlafen", "…, and then she left". The command before it is a line of
 * the story, not said to the assistant.
 */
export function storyGoesOn(words: readonly string[], r: ReportedSpeechWords): boolean {
  const at = r.storyGoesOn.find((p) => p.length > 0 && p.every((w, k) => words[k] === w));
  return at !== undefined && words.slice(at.length, at.length + 3).some((w) => r.storyPeople.has(w));
}
