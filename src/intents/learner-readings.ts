/**
 * English as people say it who learnt it after another language: a question in a statement's
 * order ("the garage door is closed?", "Grandma is at home?"), "has" for "there is" ("has movement
 * in the hallway?", Spanish "hay", Portuguese "tem"), a level said "in" or "until" ("put the heating
 * in 21", "the blinds until the middle"), the adverb before the object ("open a little the blind"),
 * "the phone of Luis" for Luis's phone. Each is read again in English word order, for a sentence
 * not understood as said (see TemplateRecognizer); what each reading may be taken for is `accepts`.
 * Words only, so the speech grammar holds none of them: a grammar-bound recogniser hears what the
 * templates say, and free speech-to-text (and typed text) reaches these readings. The words each
 * reading looks for are the language's `learner_readings:` (sentences/en/00-common.yaml), handed in
 * as `lang`; the words a reading is rewritten into are the English the templates are written in.
 */
import type { LearnerWords } from "./sentence-words.js";

/**
 * What a reading may be understood as: a question, a level set, anything about devices (a command
 * or a question), a device switched on or off, commands that act on devices (never a search to
 * play), what is left on a timer, or anything done to a timer.
 */
export type ReadingAccepts = "question" | "level" | "devices" | "switch" | "commands" | "timer" | "timers";

export interface LearnerReading {
  words: string[];
  accepts: ReadingAccepts;
}

/** The readings of each of two joined commands tried together, at most (see learnerReadings). */
const JOINED_READINGS = 3;

/** The longest subject moved behind its verb, in words ("the light of the big bedroom" and a word more). */
const SUBJECT_WORDS = 7;

function startsWith(tokens: readonly string[], phrase: readonly string[], at: number): boolean {
  return phrase.every((w, i) => tokens[at + i] === w);
}

/**
 * The readings of `tokens` in English word order, most specific first. `asked`: the sentence was
 * written as a question (a question mark at its end), which is all that tells "the door is locked?"
 * from a remark about the door. `isName`: whether a word is one of the home's names or people's.
 * `moreOrLess`: the language's `more_or_less:`; `lang`: its `learner_readings:`. `whole`: the
 * sentence, whose two commands joined by "and" are each read so too (not a part of one).
 */
export function learnerReadings(
  said: readonly string[],
  asked: boolean,
  isName: (word: string) => boolean,
  moreOrLess: ReadonlySet<string>,
  lang: LearnerWords,
  whole = true,
): LearnerReading[] {
  const out: LearnerReading[] = [];
  let tokens = said;
  const add = (words: string[], accepts: ReadingAccepts) => {
    if (words.length > 0 && words.join(" ") !== said.join(" ")) out.push({ words, accepts });
    // "Is there some window open": "some" where English asks with "any".
    if (accepts === "question" && words.includes("some"))
      out.push({ words: words.map((w) => (w === "some" ? "any" : w)), accepts });
  };
  // "Less light here", "more warm here": the speaker's room, which a sentence without one means.
  if (tokens.length > 2 && tokens[tokens.length - 1] === "here" && tokens[tokens.length - 2] !== "in") {
    tokens = tokens.slice(0, -1);
    add([...tokens], "devices");
  }
  // "20 and half": and a half; "the song of before": the song before, the previous one.
  const said2 = saidAsEnglish(tokens, lang);
  if (said2) {
    tokens = said2;
    add([...tokens], "devices");
  }
  if (asked) {
    // "The back window is open or closed?": the other answer said after "or" asks no more.
    if (tokens.length > 4 && tokens[tokens.length - 2] === "or") {
      tokens = tokens.slice(0, -2);
      add([...tokens], "question");
    }
    // "Is some door open?": "some" where English asks with "any".
    if (tokens.includes("some")) add([...tokens], "question");
    // "There is some light on?": a statement's "there is" asked.
    if (tokens[0] === "there" && (tokens[1] === "is" || tokens[1] === "are"))
      add([tokens[1], "there", ...tokens.slice(2)], "question");
    // "The dryer finished?", "Ana arrived already?": asked with no verb to put first, as "is"
    // or "has" is left out.
    if (
      !tokens.some((w) => lang.aux.has(w) || lang.questionWords.has(w)) &&
      !lang.subjects.has(tokens[0] ?? "")
    ) {
      add(["is", ...tokens], "question");
      add(["has", ...tokens], "question");
    }
    // "Is locked the side door?": how a thing is said before the thing.
    const thing = tokens.findIndex((w, i) => i > 1 && lang.articles.has(w));
    if (
      lang.aux.has(tokens[0] ?? "") &&
      thing > 1 &&
      !lang.articles.has(tokens[1] ?? "") &&
      !lang.subjects.has(tokens[1] ?? "")
    )
      add([tokens[0] as string, ...tokens.slice(thing), ...tokens.slice(1, thing)], "question");
    // "Is raining?", "will snow tomorrow?": "it" left out, as Spanish, Portuguese and Italian do.
    if (
      lang.itLeftOut.has(tokens[0] ?? "") &&
      !lang.subjects.has(tokens[1] ?? "") &&
      !lang.articles.has(tokens[1] ?? "")
    )
      add([tokens[0] as string, "it", ...tokens.slice(1)], "question");
    const k = tokens.findIndex((w, i) => i > 0 && lang.aux.has(w));
    if (k > 0 && k <= SUBJECT_WORDS) {
      const subject = tokens.slice(0, k);
      const aux = tokens[k] as string;
      const rest = tokens.slice(k + 1);
      if (lang.questionWords.has(rest[0] ?? "")) add([...rest, aux, ...subject], "question");
      else add([aux, ...subject, ...rest], "question");
    }
  }
  if (lang.questionWords.has(tokens[0] ?? "") || asked)
    for (const words of questionInOrder(tokens, lang)) add(words, "question");
  // "Has movement in the hallway", "have someone at the door": there is.
  if ((tokens[0] === "has" || tokens[0] === "have") && !lang.articles.has(tokens[1] ?? ""))
    add(["is", "there", ...tokens.slice(1)], "question");
  const level = levelSaidTo(tokens, lang);
  if (level) add(level, "level");
  // "The volume of the TV in twelve": with no verb, set.
  if (level && lang.articles.has(tokens[0] ?? "")) add(["set", ...level], "level");
  // "Leave the heating in 21": set to it.
  if (level && lang.leftAt.has(tokens[0] ?? "")) add(["set", ...level.slice(1)], "level");
  for (const words of comparedWithoutVerb(tokens, moreOrLess, lang)) add(words, "level");
  const named = comparedAfterThing(tokens, moreOrLess, lang);
  if (named) add(named, "level");
  const short = lang.shortVerbs.get(tokens[0] ?? "");
  if (short) add([...short, ...(level ?? tokens).slice(1)], "devices");
  const moved = howMuchAfter(tokens, moreOrLess, lang);
  if (moved) add(moved, "devices");
  // "I want 21 degrees in the lounge": set to it.
  const want = lang.want.find((phrase) => startsWith(tokens, phrase, 0));
  if (want && /^\d/.test(tokens[want.length] ?? ""))
    add(["set", "the", "temperature", "to", ...tokens.slice(want.length)], "level");
  const first = levelFirst(tokens, lang);
  if (first) add(first, "level");
  const verbLater = verbAfterThing(tokens, lang);
  if (verbLater) {
    add(verbLater, "devices");
    const at = levelSaidTo(verbLater, lang);
    if (at) add(at, "level");
  }
  const colour = colourSaid(tokens, lang);
  if (colour) add(colour, "level");
  for (const words of nounThenAdjective(tokens, lang)) add(words, "switch");
  // "Put the lights a little more soft", "can you put …": made so.
  const put = tokens.findIndex(
    (w, i) => i < 3 && lang.putOn.has(w) && lang.articles.has(tokens[i + 1] ?? ""),
  );
  if (put >= 0) add([...tokens.slice(0, put), "make", ...tokens.slice(put + 1)], "level");
  // "Switch off all the lights of the house": in it.
  const of = tokens.findIndex((w, i) => i > 1 && w === "of" && lang.articles.has(tokens[i + 1] ?? ""));
  if (of > 1) add([...tokens.slice(0, of), "in", ...tokens.slice(of + 1)], "devices");
  // "Do the lights out in the office": off.
  const off = tokens.findIndex(
    (w, i) => i > 1 && lang.offWords.has(w) && !lang.articles.has(tokens[i + 1] ?? ""),
  );
  if (off > 1) add([...tokens.slice(0, off), "off", ...tokens.slice(off + 1)], "devices");
  for (const owned of ownerFirst(tokens, isName, lang)) add(owned, asked ? "question" : "devices");
  const timer = timerByWhatFor(tokens, lang);
  if (timer) add(timer, "timer");
  const timerOf = timerNamedAfter(tokens, lang);
  if (timerOf) add(timerOf, "timers");
  for (const words of timerSaid(tokens, lang)) add(words, "timers");
  // "Turn off the light of the kitchen and put the kettle": each command read so.
  const and = tokens.indexOf("and");
  if (whole && and >= 2 && and <= tokens.length - 3 && tokens.indexOf("and", and + 1) < 0) {
    const parts = [tokens.slice(0, and), tokens.slice(and + 1)];
    const [one, two] = parts.map((part) => [
      part,
      ...learnerReadings(part, false, isName, moreOrLess, lang, false)
        .filter((r) => r.accepts !== "question" && r.accepts !== "timer")
        .slice(0, JOINED_READINGS)
        .map((r) => r.words),
    ]) as [string[][], string[][]];
    for (const a of one)
      for (const b of two) if (a !== one[0] || b !== two[0]) add([...a, "and", ...b], "commands");
  }
  // "You know what time is?": the question asked ("what time is"), "it" left out at its end.
  const asks = tokens.findIndex((w, i) => i > 0 && i <= 3 && lang.questionWords.has(w));
  const question =
    asks > 0 && tokens.slice(0, asks).includes("know") && tokens.slice(0, asks).includes("you")
      ? tokens.slice(asks)
      : tokens;
  if (question !== tokens) add([...question], "question");
  if (question[question.length - 1] === "is" && question.slice(0, -1).some((w) => lang.questionWords.has(w)))
    add([...question, "it"], "question");
  return out;
}

/**
 * "20 and half" (and a half), "the song of before" (the previous song), as Spanish "y media" and
 * "de antes" say them; undefined where the sentence has neither.
 */
function saidAsEnglish(tokens: readonly string[], lang: LearnerWords): string[] | undefined {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const w = tokens[i] as string;
    if (w === "and" && tokens[i + 1] === "half" && /^\d/.test(tokens[i - 1] ?? "")) out.push("and", "a");
    else if (w === "of" && lang.before.has(tokens[i + 1] ?? "") && i + 2 === tokens.length && i > 0) {
      out.splice(out.length - 1, 0, "previous");
      i++;
    } else out.push(w);
  }
  return out.length !== tokens.length ? out : undefined;
}

/**
 * "Put 50 percent the table light": the level said before the thing, read as "put the table light
 * to 50 percent". One to three words before the article, a number among them, none a while.
 */
function levelFirst(tokens: readonly string[], lang: LearnerWords): string[] | undefined {
  if (!lang.setAt.has(tokens[0] ?? "")) return undefined;
  const thing = tokens.findIndex((w, i) => i > 1 && lang.articles.has(w));
  if (thing < 2 || thing > 4) return undefined;
  const level = tokens.slice(1, thing);
  if (!level.some((w) => /^\d/.test(w)) || level.some((w) => lang.timeUnits.has(w))) return undefined;
  return [tokens[0] as string, ...tokens.slice(thing), "to", ...level];
}

/**
 * "The office lights put at 60 percent": the thing said first, then the verb, read verb first
 * ("put the office lights at 60 percent").
 */
function verbAfterThing(tokens: readonly string[], lang: LearnerWords): string[] | undefined {
  if (!lang.articles.has(tokens[0] ?? "")) return undefined;
  const verb = tokens.findIndex((w, i) => i > 1 && (lang.setAt.has(w) || lang.make.has(w)));
  if (verb < 2 || verb > SUBJECT_WORDS || verb === tokens.length - 1) return undefined;
  return [tokens[verb] as string, ...tokens.slice(0, verb), ...tokens.slice(verb + 1)];
}

/**
 * A light's colour said with the word colour, the thing after it or the colour after "of": "put
 * red colour in the lamp", "put the lamp with colour of orange", "the strip in white colour",
 * "change the colour of the lamp for green", read as "set the lamp to red" (or "… to green").
 */
function colourSaid(tokens: readonly string[], lang: LearnerWords): string[] | undefined {
  const c = tokens.findIndex((w) => lang.colourWords.has(w));
  if (c < 0) return undefined;
  const from = lang.setAt.has(tokens[0] ?? "") || lang.make.has(tokens[0] ?? "") ? 1 : 0;
  const thing = (words: readonly string[]): string[] => {
    const out = [...words];
    while (
      out.length > 0 &&
      (out[out.length - 1] === "with" || lang.thingAfter.has(out[out.length - 1] as string))
    )
      out.pop();
    return out.length > 0 && !out.every((w) => lang.articles.has(w)) ? out : [];
  };
  // "Change the colour of the lamp for green".
  const forColour = tokens.lastIndexOf("for");
  if (forColour > c + 2 && forColour === tokens.length - 2)
    return [...tokens.slice(0, forColour), "to", ...tokens.slice(forColour + 1)];
  // "Put the lamp with colour of orange".
  if (tokens[c + 1] === "of" && c + 2 < tokens.length && c + 4 >= tokens.length) {
    const said = thing(tokens.slice(from, c));
    if (said.length > 0) return ["set", ...said, "to", ...tokens.slice(c + 2)];
  }
  // "The strip in white colour", "put the lamp with orange colour".
  if (c === tokens.length - 1 && c - from >= 3) {
    const said = thing(tokens.slice(from, c - 1));
    if (said.length > 0) return ["set", ...said, "to", tokens[c - 1] as string];
  }
  // "Put red colour in the lamp".
  if (from === 1 && c === 2 && lang.thingAfter.has(tokens[3] ?? "") && tokens.length > 4)
    return ["set", ...tokens.slice(4), "to", tokens[1] as string];
  return undefined;
}

/**
 * "Put the blanket electric": the word that says which after the thing's word, as Romance
 * languages put it ("the electric blanket"); and "put the electric blanket" itself, "put" with no
 * "on", as Spanish "pon" and Portuguese "põe" switch a thing on.
 */
function nounThenAdjective(tokens: readonly string[], lang: LearnerWords): string[][] {
  const out: string[][] = [];
  const n = tokens.length;
  const last = tokens[n - 1] ?? "";
  const swapped =
    n >= 4 && lang.articles.has(tokens[n - 3] ?? "") && !lang.thingAfter.has(last) && last !== "off"
      ? [...tokens.slice(0, n - 2), last, tokens[n - 2] as string]
      : undefined;
  if (swapped) out.push(swapped);
  if (lang.putOn.has(tokens[0] ?? "") && lang.articles.has(tokens[1] ?? "")) {
    out.push([tokens[0] as string, "on", ...tokens.slice(1)]);
    if (swapped) out.push([tokens[0] as string, "on", ...swapped.slice(1)]);
  }
  return out;
}

/**
 * A question in a statement's order or words: "who is in home" (at home), "how much is the
 * humidity" (what is), "how much CO2 has the study" (is in the study), "how much power we are
 * using" (are we using), "which temperature is in the lounge" (what temperature is it in).
 */
function questionInOrder(tokens: readonly string[], lang: LearnerWords): string[][] {
  const out: string[][] = [];
  const home = tokens.findIndex((w, i) => w === "in" && tokens[i + 1] === "home");
  if (home >= 0) out.push([...tokens.slice(0, home), "at", ...tokens.slice(home + 1)]);
  if (tokens[0] === "how" && tokens[1] === "much" && tokens[2] === "is")
    out.push(["what", ...tokens.slice(2)]);
  if (!lang.questionWords.has(tokens[0] ?? "")) return out;
  const has = tokens.findIndex((w, i) => i > 1 && (w === "has" || w === "have"));
  if (has > 0 && lang.articles.has(tokens[has + 1] ?? ""))
    out.push([...tokens.slice(0, has), "is", "in", ...tokens.slice(has + 1)]);
  const subject = tokens.findIndex(
    (w, i) => i > 1 && lang.subjects.has(w) && lang.aux.has(tokens[i + 1] ?? ""),
  );
  if (subject > 0 && !tokens.slice(1, subject).some((w) => lang.aux.has(w)))
    out.push([
      ...tokens.slice(0, subject),
      tokens[subject + 1] as string,
      tokens[subject] as string,
      ...tokens.slice(subject + 2),
    ]);
  if (tokens[2] === "is" && lang.placed.has(tokens[3] ?? ""))
    out.push([
      tokens[0] === "which" ? "what" : (tokens[0] as string),
      tokens[1] as string,
      "is",
      "it",
      ...tokens.slice(3),
    ]);
  return out;
}

/**
 * "The timer of the potatoes", "add two minutes to the timer of the rice": a timer named by what
 * it is for after "of", as Romance languages and Polish name it, read as "the potatoes timer".
 */
function timerNamedAfter(tokens: readonly string[], lang: LearnerWords): string[] | undefined {
  const at = tokens.findIndex((w, i) => w === "timer" && tokens[i + 1] === "of");
  if (at < 0) return undefined;
  let from = at + 2;
  if (lang.timerOwners.has(tokens[from] ?? "")) from++;
  const ends = (w: string) => lang.timerNameEnds.has(w) || /^\d/.test(w);
  let end = from;
  while (end < tokens.length && end - from < TIMER_NAME_WORDS && !ends(tokens[end] as string)) end++;
  if (end === from || (end < tokens.length && !ends(tokens[end] as string))) return undefined;
  // "Put a timer of rice, 12 minutes": how long said after it, for so long.
  const long = /^\d/.test(tokens[end] ?? "") ? ["for"] : [];
  return [...tokens.slice(0, at), ...tokens.slice(from, end), "timer", ...long, ...tokens.slice(end)];
}

/**
 * "Timer for the potatoes of 15 minutes", "the timer, how much is left?": a timer asked for with
 * no verb and how long said "of", read as "set a timer for the potatoes for 15 minutes"; the timer
 * named before what is asked of it, read as "how much is left on the timer".
 */
function timerSaid(tokens: readonly string[], lang: LearnerWords): string[][] {
  const out: string[][] = [];
  const at = tokens.indexOf("timer");
  if (at < 0) return out;
  const of = tokens.findIndex((w, i) => i > at && w === "of" && /^\d/.test(tokens[i + 1] ?? ""));
  const long = of > 0 ? [...tokens.slice(0, of), "for", ...tokens.slice(of + 1)] : [...tokens];
  if (at <= 1 && tokens[at + 1] === "for") out.push(["set", "a", ...long.slice(at)]);
  else if (of > 0) out.push(long);
  if (at <= 1 && lang.questionWords.has(tokens[at + 1] ?? ""))
    out.push([...tokens.slice(at + 1), "on", "the", "timer"]);
  return out;
}

/** The most words of what a timer is for, said without "timer" ("the sweet potato fries"). */
const TIMER_NAME_WORDS = 3;

/**
 * "How long on the roast", "is the rice done yet", "are the potatoes ready": a timer asked after by
 * what it is for, without the word timer, read as "how long is left on the roast" and "how long
 * until the rice is done"; taken only as a timer's status (with no timer of that name, the answer
 * that there is none). What it is for follows "the", "my" or "our": "are we done yet" is no timer.
 */
function timerByWhatFor(tokens: readonly string[], lang: LearnerWords): string[] | undefined {
  if (tokens[0] === "how" && tokens[1] === "long" && tokens[2] === "on") {
    const name = tokens.slice(3);
    if (name.length < 2 || name.length > TIMER_NAME_WORDS + 1 || !lang.timerOwners.has(name[0] as string))
      return undefined;
    return ["how", "long", "is", "left", "on", ...name];
  }
  if (tokens[0] !== "is" && tokens[0] !== "are") return undefined;
  let end = tokens.length;
  if (tokens[end - 1] === "yet") end--;
  const done = tokens[end - 1] ?? "";
  const name = tokens.slice(1, end - 1);
  if (!lang.done.has(done) || name.length < 2 || name.length > TIMER_NAME_WORDS + 1) return undefined;
  if (!lang.timerOwners.has(name[0] as string)) return undefined;
  return ["how", "long", "until", ...name, "is", "done"];
}

/**
 * "More warm", "a bit more warm", "less light in the kitchen", "make more cold": the comparative
 * with no verb or no object, said of the room as "make it warmer" says it; "more volume to the
 * TV", "less light of the lamp": of the thing said after it, "make the TV louder". "Less" and a
 * word is read as its comparative too ("less light": dimmer).
 */
function comparedWithoutVerb(
  tokens: readonly string[],
  moreOrLess: ReadonlySet<string>,
  lang: LearnerWords,
): string[][] {
  let at = lang.make.has(tokens[0] ?? "") ? 1 : 0;
  const said = lang.howMuch.find((phrase) => startsWith(tokens, phrase, at)) ?? [];
  at += said.length;
  // "Little more warm": "a little", as English says it before a comparative.
  const much = said[0] === "little" ? ["a", ...said] : said;
  const which = tokens[at];
  if (which === undefined || !moreOrLess.has(which)) return [];
  const rest = tokens.slice(at + 1);
  const word = rest[0] ?? "";
  const less = which === "less" ? lang.less.get(word) : undefined;
  const compared = less ? [...much, less] : [...much, which, word];
  const out: string[][] = [];
  const thing = rest.findIndex((w, i) => i > 0 && i <= 2 && lang.thingAfter.has(w));
  if (thing > 0 && lang.articles.has(rest[thing + 1] ?? ""))
    out.push([
      "make",
      ...rest.slice(thing + 1),
      ...(less ? compared : [...much, which, ...rest.slice(0, thing)]),
    ]);
  if (at > said.length) out.push([...much, which, ...rest]);
  if (less) out.push(["make", "it", ...compared, ...rest.slice(1)]);
  out.push(["make", "it", ...much, which, ...rest]);
  return out;
}

/**
 * "The corner lamp less light", "the radio more volume": the thing named first, then "more" or
 * "less" and its word, read as "make the corner lamp dimmer", "make the radio more volume". Only
 * where the comparative ends the sentence and a word before it names the thing (not "make").
 */
function comparedAfterThing(
  tokens: readonly string[],
  moreOrLess: ReadonlySet<string>,
  lang: LearnerWords,
): string[] | undefined {
  const at = tokens.length - 2;
  const which = tokens[at];
  if (at < 1 || which === undefined || !moreOrLess.has(which) || lang.make.has(tokens[0] ?? ""))
    return undefined;
  const thing = tokens.slice(0, at);
  if (thing.some((w) => moreOrLess.has(w))) return undefined;
  const word = tokens[at + 1] as string;
  const less = which === "less" ? lang.less.get(word) : undefined;
  return ["make", ...thing, ...(less ? [less] : [which, word])];
}

/**
 * "The kitchen lights less", "the radio a bit more", "heating more": a thing named, then "more" or
 * "less" (after how much) with nothing after it, read as "turn the kitchen lights down", "turn the
 * radio up a bit", "turn heating up": up or down in whatever the thing has a level of (brightness,
 * volume, warmth). Undefined where the sentence is not so said, or "more" or "less" names nothing.
 */
export function comparedLast(
  tokens: readonly string[],
  moreOrLess: ReadonlySet<string>,
  lang: LearnerWords,
): string[] | undefined {
  let end = tokens.length;
  while (end > 2 && lang.closing.has(tokens[end - 1] as string)) end--;
  const which = tokens[end - 1];
  if (which === undefined || !moreOrLess.has(which)) return undefined;
  let at = end - 1;
  const much = lang.howMuch.find(
    (phrase) => at - phrase.length >= 1 && startsWith(tokens, phrase, at - phrase.length),
  );
  if (much) at -= much.length;
  const thing = tokens.slice(0, at);
  if (
    thing.length === 0 ||
    thing.some((w) => moreOrLess.has(w)) ||
    lang.make.has(thing[0] as string) ||
    lang.notAThing.has(thing[thing.length - 1] as string)
  )
    return undefined;
  // "A little more", "little less": said of a level, "a bit" ("a little" reads so only before a comparative).
  return ["turn", ...thing, which === "more" ? "up" : "down", ...(much ? ["a", "bit"] : [])];
}

/**
 * "Put the heating in 21", "the blinds until the middle", "put the fan in the maximum": the level
 * said with "to" ("to 21", "to half", "to maximum"); a number that is a while ("in 10 minutes")
 * stays as it is.
 */
function levelSaidTo(tokens: readonly string[], lang: LearnerWords): string[] | undefined {
  const out: string[] = [];
  let changed = false;
  const setting = lang.setAt.has(tokens[0] ?? "");
  for (let i = 0; i < tokens.length; i++) {
    const w = tokens[i] as string;
    const next = tokens[i + 1] ?? "";
    const prepositional = lang.levelPrepositions.has(w) || w === "to" || w === "at";
    const number = /^\d+(\.\d+)?$/.test(next);
    const unit = tokens[i + 2] ?? "";
    if (
      (lang.levelPrepositions.has(w) && number && !lang.timeUnits.has(unit)) ||
      (w === "at" && number && (lang.levelUnits.has(unit) || (setting && !lang.timeUnits.has(unit)))) ||
      (w === "on" && setting && number && !lang.timeUnits.has(unit))
    ) {
      out.push("to");
      changed = true;
      continue;
    }
    if (prepositional && next === "the" && lang.middle.has(tokens[i + 2] ?? "")) {
      out.push("to", "half");
      i += 2;
      changed = true;
      continue;
    }
    if (lang.levelPrepositions.has(w) && lang.middle.has(next)) {
      out.push("to", "half");
      i += 1;
      changed = true;
      continue;
    }
    if (prepositional && next === "the" && lang.ends.has(tokens[i + 2] ?? "")) {
      out.push("to", tokens[i + 2] as string);
      i += 2;
      changed = true;
      continue;
    }
    out.push(w);
  }
  return changed ? out : undefined;
}

/**
 * "Open a little the blind", "make more strong the light": how much, or the comparative, said
 * after the object, as English says it.
 */
function howMuchAfter(
  tokens: readonly string[],
  moreOrLess: ReadonlySet<string>,
  lang: LearnerWords,
): string[] | undefined {
  const [verb, which, said] = tokens;
  if (
    which !== undefined &&
    moreOrLess.has(which) &&
    said !== undefined &&
    lang.articles.has(tokens[3] ?? "")
  )
    return [verb as string, ...tokens.slice(3), which, said];
  for (const phrase of lang.howMuch) {
    if (!startsWith(tokens, phrase, 1)) continue;
    const after = tokens.slice(1 + phrase.length);
    // "Open a bit more the blind" ("more" is a skip word).
    if (after[0] === "more") after.shift();
    if (after.length === 0 || !lang.articles.has(after[0] as string)) continue;
    return [tokens[0] as string, ...after, ...phrase];
  }
  return undefined;
}

/**
 * "The phone of Luis", "the room of Ana": one word owned by one other, said owner first ("luis
 * phone", "anas room"), as names are written, or in the owner's ("the music in anas"); the owner
 * is a word of the home's names (`isName`).
 */
function ownerFirst(
  tokens: readonly string[],
  isName: (word: string) => boolean,
  lang: LearnerWords,
): string[][] {
  const at = tokens.indexOf("of");
  if (at < 2) return [];
  const thing = tokens[at - 1] as string;
  const owner = tokens[at + 1];
  if (owner === undefined || !isName(owner) || lang.articles.has(thing)) return [];
  const said = tokens.slice(0, at);
  const before = tokens.slice(0, at - 1);
  if (lang.articles.has(before[before.length - 1] ?? "")) before.pop();
  const after = tokens.slice(at + 2);
  return [
    [...before, owner, thing, ...after],
    [...before, `${owner}s`, thing, ...after],
    // "The music of Ana": the music in Ana's, the room that is hers.
    [...said, "in", `${owner}s`, ...after],
  ];
}

/**
 * How many words at the end of `tokens` ask whether what comes before them is so ("the door is
 * locked, yes?", "the kitchen light is on or not"; see `question_tags:`), or 0. Only after a
 * statement: a verb of `aux:` in its first words, or opening it ("is raining, no?").
 */
export function questionTag(tokens: readonly string[], lang: LearnerWords): number {
  for (const tag of lang.questionTags) {
    const at = tokens.length - tag.length;
    if (at < 2 || !startsWith(tokens, tag, at)) continue;
    const k = tokens.findIndex((w) => lang.aux.has(w));
    return k >= 0 && k <= SUBJECT_WORDS && k < at ? tag.length : 0;
  }
  return 0;
}
