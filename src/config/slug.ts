/**
 * Turns a display name into a stable id in Home Assistant's style: lower-case ASCII letters, digits
 * and `_` ("Living Room" → `living_room`, "Café" → `cafe`). Accents are dropped rather than the
 * letters, so ids stay readable; the result is empty when nothing usable is left (callers then ask
 * for an explicit id).
 */
export function slugify(name: string): string {
  return (
    name
      // NFKD splits "é" into "e" + a combining accent, which the next step removes.
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "_")
      .replace(/^_+|_+$/g, "")
  );
}
