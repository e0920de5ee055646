/**
 * The languages `hearth language pull` fetches: Home Assistant's sentence packs (CC BY 4.0, © the
 * Home Assistant / Open Home Foundation contributors) in the form the `home-assistant-intents`
 * package publishes them, one language merged into one JSON file (`<lang>.json`: `language`,
 * `intents`, `lists`, `expansion_rules`, `skip_words`, `responses`).
 *
 * Upstream ships those files inside the package's wheel (`home_assistant_intents/data/<lang>.json`)
 * and serves no single file per language, so a pull reads `<base URL>/<lang>.json` from a mirror of
 * one release's data folder (`--base-url` or `$HEARTH_LANGUAGES_URL`).
 *
 * Pins: the size and SHA-256 of each file below are those of the release named here. None could be
 * verified when this catalog was written (the machine had no network), so every pin is `null`: a
 * pull of an unpinned language records the SHA-256 it got and says so, exactly as `hearth models
 * pull` does for a URL without a published checksum, and `--sha256`/`--size` pin it by hand. Fill a
 * pin in only from the release's own file.
 */

/** The home-assistant-intents release the catalog describes (the newest on PyPI when written). */
export const INTENTS_RELEASE = "2026.10.27";

/** One language of the release. */
export interface LanguageEntry {
  /** Home Assistant's language code, e.g. `en`, `de`, `pt-BR`. */
  code: string;
  /** English name, for `hearth language list`. */
  name: string;
  /** Size in bytes of `<code>.json` in the release; null while not verified. */
  sizeBytes: number | null;
  /** Lower-case hex SHA-256 of `<code>.json` in the release; null while not verified. */
  sha256: string | null;
}

/**
 * The languages known to be in the release: those whose sentences Hearth's own tests load (from
 * the repository's `sentences/en` and `sentences/de`). Any other code the release has can be pulled
 * too; it is simply not pinned.
 */
export const LANGUAGE_CATALOG: readonly LanguageEntry[] = [
  { code: "en", name: "English", sizeBytes: null, sha256: null },
  { code: "de", name: "German", sizeBytes: null, sha256: null },
];

/** Home Assistant's language codes: `en`, `de-CH`, `sr-Latn`, `zh-hk`. */
export const LANGUAGE_CODE = /^[a-z]{2,3}(-[A-Za-z]{2,4})?$/;

export function findLanguage(code: string): LanguageEntry | undefined {
  return LANGUAGE_CATALOG.find((l) => l.code === code);
}

/** What a pulled language's merged file must look like before it replaces the one in place. */
export function checkMergedLanguage(data: unknown, code: string): string | undefined {
  if (typeof data !== "object" || data === null || Array.isArray(data)) return "not a JSON object";
  const { language, intents } = data as { language?: unknown; intents?: unknown };
  if (language !== code) return `its language is ${JSON.stringify(language)}, not "${code}"`;
  if (typeof intents !== "object" || intents === null || Object.keys(intents).length === 0)
    return "it has no intents";
  return undefined;
}
