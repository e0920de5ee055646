import { afterAll, beforeAll, describe } from "vitest";
import type { CompiledSentences } from "../../src/intents/sentences.js";
import { type ActingUnderstanding, ENGLISH_VARIANTS, openedLater, openYamlHome } from "./understanding.js";

/** One intent understood, as ActingUnderstanding.said gives it. */
type Said = ReturnType<ActingUnderstanding["saidOnce"]>;

/** What the tests of one variant are given (see describeEnglishHome). */
export interface VariantHome<Other extends string> {
  /** The variant's name ("Hearth's own English", …). */
  readonly variant: string;
  /** The home, open from the variant's beforeAll to its afterAll: use it inside a test. */
  readonly home: ActingUnderstanding;
  /** The further homes of `others`, by the same names, open with the same sentences as `home`. */
  readonly others: Readonly<Record<Other, ActingUnderstanding>>;
  /** The one intent understood for `text` said in `area` (by default the speaker's area). */
  say(text: string, area?: string): Said;
  /** Every intent understood for `text` said in `area` (by default the speaker's area). */
  said(text: string, area?: string): Said[];
}

/** The home of a describeEnglishHome, and the variants it is opened with. */
export interface EnglishHomeOptions<Other extends string> {
  /** The home as config YAML (`floors`, `areas`, `devices`). */
  yaml: string;
  /** Where the speaker is when `say` and `said` are given no area (none: no area at all). */
  area?: string;
  /** Further homes as config YAML, by name, opened with the same sentences. */
  others?: Readonly<Record<Other, string>>;
  /** The describe's title, `%s` standing for the variant's name; `%s` alone by default. */
  title?: string;
  /** The sentences to say everything to, by name; ENGLISH_VARIANTS by default. */
  variants?: ReadonlyArray<[string, () => Promise<CompiledSentences>]>;
}

/**
 * A describe per variant (Hearth's own English alone, and with Home Assistant's English pack beside
 * it), each with its own home opened before its tests and closed after them; `body` declares the
 * tests.
 */
export function describeEnglishHome<Other extends string = never>(
  options: EnglishHomeOptions<Other>,
  body: (home: VariantHome<Other>) => void,
): void {
  const others: Readonly<Record<string, string>> = options.others ?? {};
  describe.each(options.variants ?? ENGLISH_VARIANTS)(options.title ?? "%s", (variant, sentences) => {
    const open = new Map<string, ActingUnderstanding>();

    beforeAll(async () => {
      const compiled = await sentences();
      for (const [name, yaml] of [["", options.yaml], ...Object.entries(others)] as const)
        open.set(name, await openYamlHome(yaml, compiled));
    });

    afterAll(async () => {
      for (const home of open.values()) await home.close();
    });

    const later = (name: string) =>
      openedLater(() => open.get(name), name ? `the home ${name}` : "the home of these tests");
    const home = later("");
    body({
      variant,
      home,
      others: Object.fromEntries(Object.keys(others).map((name) => [name, later(name)])) as Record<
        Other,
        ActingUnderstanding
      >,
      say: (text, area = options.area) => home.saidOnce(text, area),
      said: (text, area = options.area) => home.said(text, area),
    });
  });
}
