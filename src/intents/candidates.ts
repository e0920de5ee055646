/**
 * Candidate ranking: a template match with how much of the sentence it understood (unknown words,
 * near misses, names said, words left to wildcards, whether it knows the kind of device), the
 * order in which candidates are tried, and how telling a failure is when none resolves.
 */
import type { Capture, TemplateMatch } from "./matcher.js";
import type { Resolution } from "./resolve.js";
import type { CompiledGroup } from "./sentences.js";

/** A template match ranked by how much of it was understood (see compareCandidates). */
export class Candidate {
  /**
   * Unknown words, in halves: 2 for each unknown device, area or floor name, 1 for other free
   * text (a whole number, so V8 keeps the field an integer).
   */
  readonly unknown: number;
  /** Names matched as near misses. */
  readonly fuzzy: number;
  /** Names said (full or area-local, or "it"): more specific than a generic word. */
  readonly named: number;
  /** Words taken by wildcards: fewer means more of the sentence was understood. */
  readonly wild: number;
  /**
   * 1 where the reading knows the kind of device (a device class said, "the curtains", or fixed by
   * its sentence): more specific than a reading of the same intent by domain alone, whose "close
   * the curtains in the living room" would close its shutters too. Between intents it says nothing
   * ("the temperature in the kitchen" is the thermostat's before the temperature sensor's).
   */
  readonly classed: number;

  constructor(
    readonly group: CompiledGroup,
    readonly match: TemplateMatch,
  ) {
    let unknown = 0;
    let fuzzy = 0;
    let named = 0;
    let wild = 0;
    let classed = group.slots.device_class !== undefined ? 1 : 0;
    for (const c of match.captures) {
      if (c.slot === "device_class") classed = 1;
      const place = c.list === "name" || c.list === "area" || c.list === "floor";
      if (c.quality === "unknown") {
        // Words a wildcard list took ("play {search_query}"); unknown names count whole.
        if (place) unknown += 2;
        else {
          unknown += 1;
          wild += c.end - c.start;
        }
      }
      if (c.quality === "fuzzy") fuzzy++;
      // A name, full or area-local ("the TV" for the Living Room TV), is more specific than a
      // generic word: "resume the tv" said in the kitchen means the living room TV, not the
      // kitchen speaker. "it" names what was acted on last: as specific as a name.
      // Words several devices share, or the last word of one device's name ("the heater"), are
      // less: a reading by kind of device or by a sentence's own words stands beside them.
      if ((c.list === "name" && c.quality !== "stem" && c.quality !== "every") || c.list === "previous")
        named++;
    }
    this.unknown = unknown;
    this.fuzzy = fuzzy;
    this.named = named;
    this.wild = wild;
    this.classed = classed;
  }
}

/**
 * Whether a reading says a kind of device with exactly the words another reading took for a name:
 * no name of its own, and each of those words either in its device class or a word of its
 * template ("open the garage door", whose sentence fixes the class), none in another slot.
 */
export function saysKindAsName(c: Candidate, name: Capture): boolean {
  if (c.classed === 0) return false;
  const captures = c.match.captures;
  if (captures.some((x) => x.list === "name" || x.list === "previous")) return false;
  for (let at = name.start; at < name.end; at++) {
    const x = captures.find((y) => y.start <= at && at < y.end);
    if (x && x.slot !== "device_class") return false;
  }
  return true;
}

/** How telling a failure is: "which lamp?" beats "nothing there" beats "no such name" beats "can't do that". */
export function failureRank(r: Resolution): number {
  if (r.ok) return 99;
  switch (r.reason) {
    case "ambiguous":
      return 4;
    case "no_targets":
    case "no_area":
      return 3;
    case "unknown_name":
    case "unknown_area":
    case "unknown_floor":
      return 2;
    default:
      return 1;
  }
}

export function compareCandidates(a: Candidate, b: Candidate): number {
  return (
    a.unknown - b.unknown ||
    a.fuzzy - b.fuzzy ||
    b.named - a.named ||
    (a.group.intent === b.group.intent ? b.classed - a.classed || sensedFirst(a, b) : 0) ||
    a.wild - b.wild ||
    tier(a.group) - tier(b.group) ||
    b.match.literals - a.match.literals ||
    a.group.order - b.group.order
  );
}

/**
 * A question about a kind of device that both sensors and covers have ("which windows are open",
 * "are any doors open") is answered by the contact sensors, which tell whether the window is open,
 * before the motorised covers of that kind; where the home has no such sensor the covers answer.
 */
function sensedFirst(a: Candidate, b: Candidate): number {
  if (a.group.intent !== "HassGetState" || a.classed === 0 || b.classed === 0) return 0;
  const cover = (c: Candidate) => (c.group.slots.domain === "cover" ? 1 : 0);
  return cover(a) - cover(b);
}

/**
 * Where a sentence comes from, for matches that are otherwise alike (fewer words left to wildcards
 * comes first: "stell einen Pizza Timer auf 10 Minuten" names the timer "Pizza", not "stell einen
 * Pizza", whichever sentence reads it so): the user's own sentences,
 * then a language pack's, then Hearth's built-in ones (which rank last only beside a pack; see
 * loadSentences). With a pack configured its reading wins over Hearth's even where Hearth's
 * template spells out more words ("is it wet" asks the moisture sensors, as in Home Assistant,
 * not the weather).
 */
function tier(g: CompiledGroup): number {
  return g.pack ? 1 : g.order >= 1_000_000 ? 2 : 0;
}
