import { EventEmitter } from "node:events";
import type { Area, Entity, Floor } from "./types.js";

/** What changed, so listeners can tell a name change (rebuild grammars) from a state update. */
export interface RegistryChange {
  /** true when names, aliases, areas or the set of entities changed (templates and grammars must be rebuilt). */
  structural: boolean;
  entityId?: string;
}

/**
 * The home as Hearth knows it: floors, areas and entities, from the config and (later) from MQTT
 * discovery. `version` increases on every structural change so caches (name indexes, speech
 * grammars, LLM prompts) know when to rebuild.
 */
export class Registry {
  readonly #floors = new Map<string, Floor>();
  readonly #areas = new Map<string, Area>();
  readonly #entities = new Map<string, Entity>();
  /** mergeKey → the id of the Home Assistant entity that carries it. */
  readonly #mergeOwners = new Map<string, string>();
  readonly #events = new EventEmitter();
  #version = 0;
  /** What entities() returns, until the next change. */
  #entityList: readonly Entity[] | undefined;
  /** entities() by area, until the next change. */
  #byArea: Map<string, Entity[]> | undefined;
  /** While batch() runs: whether a change was held back, and whether any was structural. */
  #batch: { depth: number; pending: boolean; structural: boolean } = {
    depth: 0,
    pending: false,
    structural: false,
  };

  constructor(init: { floors?: Floor[]; areas?: Area[]; entities?: Entity[] } = {}) {
    for (const f of init.floors ?? []) this.#floors.set(f.id, f);
    for (const a of init.areas ?? []) this.#areas.set(a.id, a);
    for (const e of init.entities ?? []) this.#entities.set(e.id, entityShape(e));
    this.#indexMergeKeys();
  }

  /** Increases whenever names, areas or the set of entities change. */
  get version(): number {
    return this.#version;
  }

  floors(): Floor[] {
    return [...this.#floors.values()];
  }

  areas(): Area[] {
    return [...this.#areas.values()];
  }

  /**
   * Every entity, less those a Home Assistant entity stands for (the same device seen twice). One
   * list until the next change: every sentence looks through it, and a copy per look would be
   * most of what understanding a sentence allocates in a large home.
   */
  entities(): readonly Entity[] {
    if (!this.#entityList) {
      const out: Entity[] = [];
      for (const e of this.#entities.values()) if (!this.isMerged(e)) out.push(e);
      this.#entityList = out;
    }
    return this.#entityList;
  }

  /**
   * The entities of one area, in the order entities() lists them: a sentence that names its area
   * looks at that area's devices instead of sifting the whole home's.
   */
  entitiesIn(areaId: string): readonly Entity[] {
    if (!this.#byArea) {
      const byArea = new Map<string, Entity[]>();
      for (const e of this.entities()) {
        if (e.areaId === undefined) continue;
        const list = byArea.get(e.areaId);
        if (list) list.push(e);
        else byArea.set(e.areaId, [e]);
      }
      this.#byArea = byArea;
    }
    return this.#byArea.get(areaId) ?? NONE;
  }

  /**
   * Whether `entity` is a double of a Home Assistant entity (same `mergeKey`): it keeps its place so
   * its source can go on updating it, but only the Home Assistant entity is heard and acted on.
   */
  isMerged(entity: Entity): boolean {
    if (entity.mergeKey === undefined || entity.source === "homeassistant") return false;
    const owner = this.#mergeOwners.get(entity.mergeKey);
    return owner !== undefined && owner !== entity.id;
  }

  floor(id: string): Floor | undefined {
    return this.#floors.get(id);
  }

  area(id: string): Area | undefined {
    return this.#areas.get(id);
  }

  entity(id: string): Entity | undefined {
    return this.#entities.get(id);
  }

  /** Finds an area by id, name or alias (case-insensitive). */
  findArea(nameOrId: string): Area | undefined {
    const key = nameOrId.trim().toLowerCase();
    const byId = this.#areas.get(key);
    if (byId) return byId;
    for (const a of this.#areas.values()) {
      if (a.name.toLowerCase() === key || a.aliases.some((x) => x.toLowerCase() === key)) return a;
    }
    return undefined;
  }

  /** Finds a floor by id, name or alias (case-insensitive). */
  findFloor(nameOrId: string): Floor | undefined {
    const key = nameOrId.trim().toLowerCase();
    const byId = this.#floors.get(key);
    if (byId) return byId;
    for (const f of this.#floors.values()) {
      if (f.name.toLowerCase() === key || f.aliases.some((x) => x.toLowerCase() === key)) return f;
    }
    return undefined;
  }

  /** Adds or replaces an entity. */
  upsertEntity(entity: Entity): void {
    const old = this.#entities.get(entity.id);
    this.#entities.set(entity.id, entityShape(entity));
    const mergeChanged = old?.mergeKey !== entity.mergeKey || old?.source !== entity.source;
    if (mergeChanged) this.#indexMergeKeys();
    const structural =
      mergeChanged ||
      !old ||
      old.name !== entity.name ||
      old.areaId !== entity.areaId ||
      old.domain !== entity.domain ||
      old.deviceClass !== entity.deviceClass ||
      old.ownName !== entity.ownName ||
      old.aliases.join("\u0000") !== entity.aliases.join("\u0000");
    this.#changed({ structural, entityId: entity.id });
  }

  removeEntity(id: string): boolean {
    const old = this.#entities.get(id);
    const had = this.#entities.delete(id);
    if (old?.mergeKey !== undefined) this.#indexMergeKeys();
    if (had) this.#changed({ structural: true, entityId: id });
    return had;
  }

  removeArea(id: string): boolean {
    const had = this.#areas.delete(id);
    if (had) this.#changed({ structural: true });
    return had;
  }

  removeFloor(id: string): boolean {
    const had = this.#floors.delete(id);
    if (had) this.#changed({ structural: true });
    return had;
  }

  /**
   * Runs `fn` and announces what it changed as one change at the end (a source that learned a
   * hundred entities at once rebuilds name lists and grammars once, not a hundred times).
   */
  batch(fn: () => void): void {
    this.#batch.depth++;
    try {
      fn();
    } finally {
      this.#batch.depth--;
      if (this.#batch.depth === 0 && this.#batch.pending) {
        const structural = this.#batch.structural;
        this.#batch.pending = false;
        this.#batch.structural = false;
        this.#changed({ structural });
      }
    }
  }

  upsertArea(area: Area): void {
    this.#areas.set(area.id, area);
    this.#changed({ structural: true });
  }

  upsertFloor(floor: Floor): void {
    this.#floors.set(floor.id, floor);
    this.#changed({ structural: true });
  }

  /**
   * Replaces everything at once (a reloaded config): one structural change instead of hundreds, so
   * name lists, grammars and prompts are rebuilt once.
   */
  replaceAll(next: { floors: readonly Floor[]; areas: readonly Area[]; entities: readonly Entity[] }): void {
    this.#floors.clear();
    this.#areas.clear();
    this.#entities.clear();
    for (const f of next.floors) this.#floors.set(f.id, f);
    for (const a of next.areas) this.#areas.set(a.id, a);
    for (const e of next.entities) this.#entities.set(e.id, entityShape(e));
    this.#indexMergeKeys();
    this.#changed({ structural: true });
  }

  /** Records a live state (and optionally attributes) for an entity; not a structural change. */
  setState(id: string, state: string | undefined, attributes?: Record<string, unknown>): void {
    const e = this.#entities.get(id);
    if (!e) return;
    e.state = state;
    if (attributes) e.attributes = { ...e.attributes, ...attributes };
    this.#changed({ structural: false, entityId: id });
  }

  onChange(listener: (change: RegistryChange) => void): () => void {
    this.#events.on("change", listener);
    return () => this.#events.off("change", listener);
  }

  #indexMergeKeys(): void {
    this.#mergeOwners.clear();
    for (const e of this.#entities.values())
      if (e.source === "homeassistant" && e.mergeKey !== undefined) this.#mergeOwners.set(e.mergeKey, e.id);
  }

  #changed(change: RegistryChange): void {
    // Also within a batch: a source reads the entities while it changes them.
    this.#entityList = undefined;
    this.#byArea = undefined;
    if (this.#batch.depth > 0) {
      this.#batch.pending = true;
      this.#batch.structural ||= change.structural;
      return;
    }
    if (change.structural) this.#version++;
    this.#events.emit("change", change);
  }
}

/**
 * The registry's own record of an entity: every field present, in one order. Entities come from the
 * config, MQTT discovery and Home Assistant, each writing a different set of optional fields; held
 * as they came they were objects of several shapes, and code V8 had compiled for some (the
 * resolver, the replies) was dropped whenever a sentence reached another.
 */
const NONE: readonly Entity[] = [];

function entityShape(e: Entity): Entity {
  return {
    id: e.id,
    name: e.name,
    domain: e.domain,
    areaId: e.areaId,
    aliases: e.aliases,
    ownName: e.ownName,
    deviceClass: e.deviceClass,
    unit: e.unit,
    state: e.state,
    attributes: e.attributes,
    source: e.source,
    mqtt: e.mqtt,
    mergeKey: e.mergeKey,
  };
}
