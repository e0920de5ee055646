import type { ConfigProblem } from "./problem.js";
import { type Domain, deviceSchema } from "./schema.js";
import { slugify } from "./slug.js";

/** What the cross-reference pass works out, index-aligned with the config's lists. */
export interface ResolvedReferences {
  /** Id of `floors[i]` (given, or derived from the name); `undefined` when none can be derived. */
  floorIds: (string | undefined)[];
  areaIds: (string | undefined)[];
  /** The floor id `areas[i].floor` refers to. */
  areaFloorIds: (string | undefined)[];
  /** Domain of `devices[i]`: from its id's prefix. */
  deviceDomains: (Domain | undefined)[];
  /** The area id `devices[i].area` refers to. */
  deviceAreaIds: (string | undefined)[];
  /** The area id `site.area` refers to. */
  siteAreaId: string | undefined;
  /** Everything that does not add up; empty for a consistent config. */
  problems: ConfigProblem[];
}

interface Place {
  index: number;
  id: string | undefined;
  names: string[];
}

/**
 * Checks what a schema cannot: ids are unique, areas and floors referred to exist, device domains
 * agree with their ids, and no two devices could be confused by voice. It reads the raw (possibly
 * schema-invalid) value defensively, skipping malformed entries, so that its problems can be
 * reported together with the schema's; the registry reuses it on a validated config to resolve ids.
 *
 * Names may repeat (two "Lamp"s in two rooms, a "Bathroom" on each floor, a phone's battery,
 * charging and connectivity sensors all called "Phone"), as Home Assistant allows: sentences tell
 * them apart by domain, device class, area or the state asked about, and ask back only when a
 * sentence is really ambiguous. A duplicate is a problem only where a reference names it.
 */
export function resolveReferences(input: unknown): ResolvedReferences {
  const root = record(input) ?? {};
  const problems: ConfigProblem[] = [];

  const floors = places("floor", "floors", list(root.floors), problems);
  const areas = places("area", "areas", list(root.areas), problems);

  const areaFloorIds = list(root.areas).map((a, i) => {
    const ref = record(a)?.floor;
    return typeof ref === "string"
      ? lookup("floor", floors, ref, ["areas", i, "floor"], problems)
      : undefined;
  });

  const site = record(root.site);
  // With Home Assistant configured, site.area may name an area learned from it at run time.
  const laterAreas = record(root.homeassistant) !== undefined;
  const siteAreaProblems: ConfigProblem[] = [];
  const siteAreaId =
    typeof site?.area === "string"
      ? lookup("area", areas, site.area, ["site", "area"], siteAreaProblems)
      : undefined;
  problems.push(...siteAreaProblems.filter((p) => !(laterAreas && p.message.startsWith("unknown area"))));

  const deviceDomains: (Domain | undefined)[] = [];
  const deviceAreaIds: (string | undefined)[] = [];
  const seenIds = new Map<string, number>();
  for (const [i, raw] of list(root.devices).entries()) {
    const d = record(raw) ?? {};
    // An id the schema rejects is reported there; guessing its domain would only add noise.
    const id = deviceSchema.shape.id.safeParse(d.id).success ? (d.id as string) : undefined;
    let domain: Domain | undefined;
    if (id !== undefined) {
      const first = seenIds.get(id);
      if (first === undefined) seenIds.set(id, i);
      else
        problems.push({
          path: ["devices", i, "id"],
          message: `duplicate device id "${id}" (also devices[${first}])`,
        });
      // Any domain Home Assistant has loads (a siren, an update entity …); the intent catalog says
      // what Hearth can do with it, and Hearth says so when it cannot act on it.
      const prefix = id.includes(".") ? id.slice(0, id.indexOf(".")) : "";
      if (prefix !== "") domain = prefix;
    }
    if (typeof d.domain === "string" && domain !== undefined && d.domain !== domain) {
      problems.push({
        path: ["devices", i, "domain"],
        message: `domain "${d.domain}" contradicts the id "${id}", whose domain is "${domain}"`,
      });
    }
    if (d.speed_count !== undefined && domain !== undefined && domain !== "fan") {
      problems.push({
        path: ["devices", i, "speed_count"],
        message: `speed_count is the number of speeds of a fan; "${id}" is a ${domain}, not a fan`,
      });
    }
    deviceDomains.push(domain);

    const areaRef = typeof d.area === "string" ? d.area : undefined;
    const areaId =
      areaRef === undefined ? undefined : lookup("area", areas, areaRef, ["devices", i, "area"], problems);
    deviceAreaIds.push(areaId);
  }

  return {
    floorIds: floors.map((f) => f.id),
    areaIds: areas.map((a) => a.id),
    areaFloorIds,
    deviceDomains,
    deviceAreaIds,
    siteAreaId,
    problems,
  };
}

/** Gives each floor or area its id (given or derived) and reports ids used twice. */
function places(kind: string, key: string, items: unknown[], problems: ConfigProblem[]): Place[] {
  const seen = new Map<string, number>();
  return items.map((raw, index) => {
    const item = record(raw) ?? {};
    const name = typeof item.name === "string" ? item.name : undefined;
    const given = typeof item.id === "string" ? item.id : undefined;
    let id = given;
    if (id === undefined && name !== undefined) {
      id = slugify(name);
      if (id === "") {
        problems.push({
          path: [key, index, "name"],
          message: `no ${kind} id can be derived from "${name}"; give one with "id:"`,
        });
        id = undefined;
      }
    }
    if (id !== undefined) {
      const first = seen.get(id);
      if (first === undefined) seen.set(id, index);
      else if (given !== undefined)
        problems.push({
          path: [key, index, "id"],
          message: `duplicate ${kind} id "${id}" (also ${key}[${first}])`,
        });
      else
        problems.push({
          path: [key, index, "name"],
          message: `${kind} id "${id}", derived from this name, is already used by ${key}[${first}]; give one with "id:"`,
        });
    }
    return { index, id, names: spokenNames(item) };
  });
}

/**
 * Resolves a reference by id first, then by name or alias (all case-insensitive). A name shared by
 * two places (a "Bathroom" on each floor) is fine until something refers to it by that name.
 */
function lookup(
  kind: string,
  among: Place[],
  ref: string,
  path: ConfigProblem["path"],
  problems: ConfigProblem[],
): string | undefined {
  const key = ref.trim().toLowerCase();
  const byId = among.find((p) => p.id !== undefined && p.id === key);
  if (byId) return byId.id;
  const ids = [...new Set(among.filter((p) => p.id !== undefined && p.names.includes(key)).map((p) => p.id))];
  if (ids.length === 1) return ids[0];
  if (ids.length === 0) problems.push({ path, message: `unknown ${kind} "${ref}"` });
  else
    problems.push({
      path,
      message: `${kind} "${ref}" is ambiguous: it could be ${ids.join(" or ")}; use the id`,
    });
  return undefined;
}

/** The lower-cased name and aliases something answers to. */
function spokenNames(item: Record<string, unknown>): string[] {
  const names = [item.name, ...list(item.aliases)].filter((n): n is string => typeof n === "string");
  return [...new Set(names.map((n) => n.trim().toLowerCase()))];
}

function record(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === "object" && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
