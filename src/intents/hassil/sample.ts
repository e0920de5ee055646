import type { Registry } from "../../registry/registry.js";
import type { Entity } from "../../registry/types.js";
import { intentSpec } from "../catalog.js";
import type { CompiledGroup } from "../sentences.js";
import type { TemplateNode } from "../template.js";
import type { Slots, SlotValue } from "../types.js";
import type { CompiledPacks } from "./compile.js";

/** One example sentence drawn from a pack's templates, with what it must mean. */
export interface SampledSentence {
  text: string;
  intent: string;
  /** Slots the sentence fills (lists, names, areas, numbers) and the block's fixed slots. */
  slots: Slots;
  /** The speaker's area, for sentences that need one ("turn on the lights in here"). */
  area?: string | undefined;
  template: string;
}

/** Words a wildcard is filled with: things people add to lists, search for or say. */
const WILDCARD_WORDS: Record<string, string[]> = {
  en: ["milk", "apples", "birthday cake", "abbey road", "pizza", "dinner is ready"],
  de: ["milch", "äpfel", "geburtstagskuchen", "abbey road", "pizza", "essen ist fertig"],
};

/** A small deterministic generator (mulberry32), so samples are the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Example sentences drawn at random from the packs' templates, filled with the home's real names,
 * areas and floors and the packs' list values: `perGroup` per template. Templates whose names
 * cannot be filled in this home (no device of the kind they need) are left out.
 */
export function samplePackSentences(
  packs: CompiledPacks,
  registry: Registry,
  opts: { perGroup?: number; seed?: number } = {},
): SampledSentence[] {
  const random = seededRandom(opts.seed ?? 1);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const words = WILDCARD_WORDS[packs.language.slice(0, 2)] ?? (WILDCARD_WORDS.en as string[]);
  const out: SampledSentence[] = [];
  for (const group of packs.groups) {
    const eligible = registry.entities().filter((e) => fits(group, e));
    // Sentences about devices this home does not have ("are any gas sensors on") are left out.
    if (eligible.length === 0 && intentSpec(group.intent)?.domains) continue;
    for (let n = 0; n < (opts.perGroup ?? 1); n++) {
      const entity = eligible.length > 0 ? pick(eligible) : undefined;
      const areas = registry
        .areas()
        .filter((a) => registry.entities().some((e) => e.areaId === a.id && fits(group, e)));
      const area = entity?.areaId ? registry.area(entity.areaId) : areas.length > 0 ? pick(areas) : undefined;
      const floor = area?.floorId ? registry.floor(area.floorId) : undefined;
      const slots: Slots = { ...group.slots };
      const tokens: string[] = [];
      let ok = true;
      const walk = (node: TemplateNode): void => {
        if (!ok) return;
        switch (node.t) {
          case "word":
            tokens.push(node.w);
            return;
          case "seq":
            for (const item of node.items) walk(item);
            return;
          case "alt":
            walk(pick(node.options));
            return;
          case "rule":
            ok = false;
            return;
          case "slot": {
            const [list, suffix] = node.list.split("+") as [string, string | undefined];
            const filled = fill(list);
            if (!filled) {
              ok = false;
              return;
            }
            const said = packs.tokenize(filled.said);
            if (suffix) said[said.length - 1] += suffix;
            tokens.push(...said);
            slots[node.slot] = filled.value;
          }
        }
      };
      const fill = (list: string): { said: string; value: SlotValue } | undefined => {
        if (list === "name") return entity ? { said: entity.name, value: entity.name } : undefined;
        if (list === "area") return area ? { said: area.name, value: area.name } : undefined;
        if (list === "floor") return floor ? { said: floor.name, value: floor.name } : undefined;
        const contents = packs.listContents.get(list);
        if (!contents) return undefined;
        if (contents.kind === "wildcard") {
          const w = pick(words);
          return { said: w, value: w };
        }
        if (contents.kind === "values") {
          const e = pick(contents.entries);
          return { said: e.words.join(" "), value: e.value };
        }
        const steps = Math.floor((contents.to - contents.from) / contents.step);
        let n = contents.from + Math.floor(random() * (steps + 1)) * contents.step;
        if (contents.fractions === "halves" && n < contents.to && random() < 0.3) n += 0.5;
        return { said: String(n), value: Math.round(n * contents.multiplier * 1e9) / 1e9 };
      };
      walk(group.template);
      if (!ok || tokens.length === 0) continue;
      const sample: SampledSentence = {
        text: tokens.join(" "),
        intent: group.intent,
        slots,
        template: group.source,
      };
      if (group.contextArea) sample.area = area?.name;
      out.push(sample);
    }
  }
  return out;
}

/** Whether an entity can be the `{name}` of a template of this group. */
function fits(group: CompiledGroup, e: Entity): boolean {
  const domains = intentSpec(group.intent)?.domains;
  // "any" (HassGetState asks about every domain) is no list of domains to look the entity up in.
  if (domains && domains !== "any" && !domains.includes(e.domain)) return false;
  if (group.requires?.domain && !group.requires.domain.includes(e.domain)) return false;
  if (group.requires?.device_class && !(e.deviceClass && group.requires.device_class.includes(e.deviceClass)))
    return false;
  if (group.excludes?.domain?.includes(e.domain)) return false;
  if (e.deviceClass && group.excludes?.device_class?.includes(e.deviceClass)) return false;
  if (typeof group.slots.domain === "string" && group.slots.domain !== e.domain) return false;
  if (typeof group.slots.device_class === "string" && group.slots.device_class !== e.deviceClass)
    return false;
  return true;
}
