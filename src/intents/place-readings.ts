/**
 * A place said that is no area of the home, read as what it is: the first word of a device's name
 * said apart from it ("turn on the air con in the bedroom" for the Bedroom Air Con), a word of one
 * area's name, someone a command is for ("… for Leo"), how one sensor's name opens ("any motion at
 * the back door"), or a room said bare where the sentences take only a floor ("lights off study").
 * The recognizer asks these of a sentence not understood for an unknown area, floor or name.
 */
import type { Registry } from "../registry/registry.js";
import { ARTICLES } from "./articles.js";
import { startsAt } from "./clauses.js";
import type { HomeNames } from "./home-names.js";
import { tokenize } from "./normalize.js";
import type { SpeakerContext } from "./resolve.js";
import type { SentenceWords } from "./sentence-words.js";
import type { CompiledSentences } from "./sentences.js";
import type { PartReader } from "./several-commands.js";
import type { MatchMode } from "./slot-lists.js";
import type { View } from "./template-recognizer.js";
import type { Slots, Understanding } from "./types.js";

const EXACT: MatchMode[] = ["exact"];
const LOOSE: MatchMode[] = ["fuzzy", "wildcard"];

/** What a place is read again with: the recognizer's own reading of words. */
export type PlaceReader = Pick<PartReader, "recognizeTokens">;

/** The place readings of one recognizer. */
export class PlaceReadings {
  readonly #opts: { registry: Registry; sentences: CompiledSentences };
  readonly #words: SentenceWords;
  readonly #names: HomeNames;
  readonly #reader: PlaceReader;

  constructor(
    opts: { registry: Registry; sentences: CompiledSentences; names: HomeNames },
    reader: PlaceReader,
  ) {
    this.#opts = opts;
    this.#words = opts.sentences.words;
    this.#names = opts.names;
    this.#reader = reader;
  }

  /**
   * A word said as a place that is no area of the home, read as what it is:
   * - the first word of a device's name said apart from it ("turn on the air con in the bedroom"
   *   for the Bedroom Air Con, where the room is the Main Bedroom): the device, with the one area
   *   whose name holds the word as its area;
   * - a word of exactly one area's name ("carry on playing in the bedroom" in a home whose only
   *   bedroom is the Main Bedroom): that area;
   * - someone it is done for, said last ("turn on the star projector for Leo"): left out.
   */
  unknownPlaceRead(
    tokens: readonly string[],
    u: Understanding,
    context: SpeakerContext,
    view: View,
  ): Understanding | undefined {
    if (u.kind !== "not-recognized") return undefined;
    // The place said, where it is the one thing not found or said beside a name not found ("the
    // lamp in the bedroom": no lamp of that name, and no such room).
    const place = u.intent?.slots.area;
    const subject =
      u.reason === "unknown_area"
        ? u.subject
        : u.reason === "unknown_name" && typeof place === "string" && !this.#opts.registry.findArea(place)
          ? place
          : undefined;
    if (!subject) return undefined;
    const said = subject.split(" ");
    let at = -1;
    for (let i = tokens.length - said.length; i >= 0 && at < 0; i--) if (startsAt(tokens, said, i)) at = i;
    if (at < 0) return undefined;
    const end = at + said.length;
    let from = at;
    while (from > 0 && ARTICLES.has(tokens[from - 1] as string)) from--;
    const lead = tokens[from - 1];
    if (lead !== undefined && this.#words.placeLeads.has(lead) && !ARTICLES.has(lead)) from--;
    if (from === at) return undefined;
    const read = (words: readonly string[]): Understanding | undefined => {
      const exact = this.#reader.recognizeTokens(words, context, EXACT, view);
      if (exact.kind === "recognized") return exact;
      if (exact.kind !== "not-recognized" || exact.reason !== "no_match") return undefined;
      const loose = this.#reader.recognizeTokens(words, context, LOOSE, view);
      return loose.kind === "recognized" ? loose : undefined;
    };
    const tok = this.#opts.sentences.tokenize ?? tokenize;
    const holds = (name: string) => {
      const words = tok(name);
      for (let i = 0; i + said.length <= words.length; i++) if (startsAt(words, said, i)) return true;
      return false;
    };
    const registry = this.#opts.registry;
    const asked = this.#placeIsThing(u, said);
    if (asked) return asked;
    const areas = registry.areas().filter((a) => [a.name, ...a.aliases].some(holds));
    const [area] = areas;
    // The device: its name's first word put back before the words said for it, after an article.
    const rest = [...tokens.slice(0, from), ...tokens.slice(end)];
    for (let p = 1; p < rest.length; p++) {
      if (!ARTICLES.has(rest[p - 1] as string)) continue;
      const r = read([...rest.slice(0, p), ...said, ...rest.slice(p)]);
      if (r?.kind !== "recognized") continue;
      const named = r.intents.every(
        (i) =>
          i.targets.length > 0 &&
          i.targets.every((id) => {
            const e = registry.entity(id);
            return e !== undefined && [e.name, ...e.aliases].some(holds);
          }),
      );
      if (!named) continue;
      if (areas.length === 1 && area)
        for (const i of r.intents)
          if (i.slots.area === undefined && i.targets.every((id) => registry.entity(id)?.areaId === area.id))
            i.slots.area = area.name;
      return r;
    }
    // The one area whose name holds the word.
    const readIn = (a: { name: string }) =>
      read([...tokens.slice(0, at), ...tok(a.name), ...tokens.slice(end)]);
    if (areas.length === 1 && area) {
      const r = readIn(area);
      if (r) return r;
    }
    // Someone the command is for, said last; never a thing of the home ("bulbs for the
    // pendant" says what the bulbs are for, not whom the lights are switched on for).
    const names = this.#names.words();
    const thing = said.some((w) => names.has(w) && !this.#names.owners.has(w) && !this.#names.people.has(w));
    if (end === tokens.length && lead === "for" && said.length <= 2 && areas.length === 0 && !thing)
      return read(tokens.slice(0, from));
    return undefined;
  }

  /**
   * "Any motion at the back door": a question about a kind of sensor whose place said is no room
   * but how the name of exactly one sensor of that kind opens (the Back Door Doorbell Motion): that
   * sensor, by its name.
   */
  #placeIsThing(u: Understanding, said: readonly string[]): Understanding | undefined {
    if (u.kind !== "not-recognized" || u.reason !== "unknown_area" || !u.intent) return undefined;
    const { domain, device_class: kind } = u.intent.slots;
    if (u.intent.name !== "HassGetState" || typeof domain !== "string" || typeof kind !== "string")
      return undefined;
    const tok = this.#opts.sentences.tokenize ?? tokenize;
    const fits = this.#opts.registry
      .entities()
      .filter(
        (e) =>
          e.domain === domain &&
          e.deviceClass === kind &&
          [e.name, ...e.aliases].some((n) => startsAt(tok(n), said, 0)),
      );
    const [only] = fits;
    if (fits.length !== 1 || !only) return undefined;
    const slots: Slots = { ...u.intent.slots, name: only.name };
    delete slots.area;
    return {
      kind: "recognized",
      intents: [{ ...u.intent, slots, targets: [only.id] }],
      recognizer: "template",
    };
  }

  /**
   * A room said bare after a terse command ("lights off study"), where the sentences take a floor
   * without a word before it but a room only after one ("in the study"): taken for a floor the
   * home does not have, it is read as the room, with "in" before it.
   */
  bareRoomRead(
    tokens: readonly string[],
    u: Understanding,
    context: SpeakerContext,
    view: View,
  ): Understanding | undefined {
    if (u.kind !== "not-recognized" || u.reason !== "unknown_floor" || !u.subject) return undefined;
    if (!this.#opts.registry.findArea(u.subject)) return undefined;
    // Not the recognizer's #tokenize: that keeps the sentence's own words, which the greeting check
    // reads after this.
    const said = (this.#opts.sentences.tokenize ?? tokenize)(u.subject);
    let at = -1;
    for (let i = tokens.length - said.length; i >= 0 && at < 0; i--) if (startsAt(tokens, said, i)) at = i;
    if (at < 0 || at + said.length !== tokens.length) return undefined;
    let from = at;
    while (from > 0 && ARTICLES.has(tokens[from - 1] as string)) from--;
    const words = [...tokens.slice(0, from), "in", ...tokens.slice(at)];
    const r = this.#reader.recognizeTokens(words, context, EXACT, view);
    return r.kind === "recognized" ? r : undefined;
  }
}
