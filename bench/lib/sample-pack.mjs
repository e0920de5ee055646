// Example sentences drawn from a language pack's own templates, for the sampled-sentence test
// (tests/intents/hassil/sampled.test.ts) and the packs benchmark (bench/packs.mjs). Seeded with the
// shared generator, so a seed draws the same sentences everywhere.
import { seededRandom } from "./seeded-random.mjs";

/** Words a wildcard is filled with: things people add to lists, search for or say. */
const WILDCARD_WORDS = {
  en: ["milk", "apples", "birthday cake", "abbey road", "pizza", "dinner is ready"],
  de: ["milch", "äpfel", "geburtstagskuchen", "abbey road", "pizza", "essen ist fertig"],
};

/** A delayed command ("{timer_command:conversation_command} in 5 minutes") is a command itself. */
const COMMANDS = { en: "what time is it", de: "wie spät ist es" };

/**
 * Example sentences drawn at random from the packs' templates, filled with the home's real names,
 * areas and floors and the packs' list values: `perGroup` per template. Templates whose names
 * cannot be filled in this home (no device of the kind they need) are left out. `domainsOf` gives
 * the domains an intent acts on (the intent catalog's), so a `{name}` is a device it can act on.
 * Types: sample-pack.d.mts.
 */
export function samplePackSentences(packs, registry, opts) {
  const random = seededRandom(opts.seed ?? 1);
  const pick = (items) => items[Math.floor(random() * items.length)];
  const words = WILDCARD_WORDS[packs.language.slice(0, 2)] ?? WILDCARD_WORDS.en;
  const fits = (group, e) => fitsGroup(group, e, opts.domainsOf(group.intent));
  const out = [];
  for (const group of packs.groups) {
    const eligible = registry.entities().filter((e) => fits(group, e));
    // Sentences about devices this home does not have ("are any gas sensors on") are left out.
    if (eligible.length === 0 && opts.domainsOf(group.intent)) continue;
    for (let n = 0; n < (opts.perGroup ?? 1); n++) {
      const entity = eligible.length > 0 ? pick(eligible) : undefined;
      const areas = registry
        .areas()
        .filter((a) => registry.entities().some((e) => e.areaId === a.id && fits(group, e)));
      const area = entity?.areaId ? registry.area(entity.areaId) : areas.length > 0 ? pick(areas) : undefined;
      const floor = area?.floorId ? registry.floor(area.floorId) : undefined;
      const slots = { ...group.slots };
      const tokens = [];
      let ok = true;
      const fill = (list, slot) => {
        if (list === "name") return entity ? { said: entity.name, value: entity.name } : undefined;
        if (list === "area") return area ? { said: area.name, value: area.name } : undefined;
        if (list === "floor") return floor ? { said: floor.name, value: floor.name } : undefined;
        const contents = packs.listContents.get(list);
        if (!contents) return undefined;
        if (contents.kind === "wildcard") {
          const w = pick(words);
          const command = COMMANDS[packs.language.slice(0, 2)];
          if (slot === "conversation_command" && command) return { said: command, value: command };
          return { said: w, value: w };
        }
        if (contents.kind === "values") {
          const e = pick(contents.entries);
          return { said: e.words.join(" "), value: e.value };
        }
        const steps = Math.floor((contents.to - contents.from) / contents.step);
        let v = contents.from + Math.floor(random() * (steps + 1)) * contents.step;
        if (contents.fractions === "halves" && v < contents.to && random() < 0.3) v += 0.5;
        return { said: String(v), value: Math.round(v * contents.multiplier * 1e9) / 1e9 };
      };
      const walk = (node) => {
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
            const [list, suffix] = node.list.split("+");
            const filled = fill(list, node.slot);
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
      walk(group.template);
      if (!ok || tokens.length === 0) continue;
      const sample = { text: tokens.join(" "), intent: group.intent, slots, template: group.source };
      if (group.contextArea) sample.area = area?.name;
      out.push(sample);
    }
  }
  return out;
}

/** Whether an entity can be the `{name}` of a template of this group. */
function fitsGroup(group, e, domains) {
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
