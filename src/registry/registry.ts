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
  readonly #events = new EventEmitter();
  #version = 0;

  constructor(init: { floors?: Floor[]; areas?: Area[]; entities?: Entity[] } = {}) {
    for (const f of init.floors ?? []) this.#floors.set(f.id, f);
    for (const a of init.areas ?? []) this.#areas.set(a.id, a);
    for (const e of init.entities ?? []) this.#entities.set(e.id, e);
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

  entities(): Entity[] {
    return [...this.#entities.values()];
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
    this.#entities.set(entity.id, entity);
    const structural =
      !old ||
      old.name !== entity.name ||
      old.areaId !== entity.areaId ||
      old.domain !== entity.domain ||
      old.deviceClass !== entity.deviceClass ||
      old.aliases.join("\u0000") !== entity.aliases.join("\u0000");
    this.#changed({ structural, entityId: entity.id });
  }

  removeEntity(id: string): boolean {
    const had = this.#entities.delete(id);
    if (had) this.#changed({ structural: true, entityId: id });
    return had;
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
  replaceAll(next: { floors: Floor[]; areas: Area[]; entities: Entity[] }): void {
    this.#floors.clear();
    this.#areas.clear();
    this.#entities.clear();
    for (const f of next.floors) this.#floors.set(f.id, f);
    for (const a of next.areas) this.#areas.set(a.id, a);
    for (const e of next.entities) this.#entities.set(e.id, e);
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

  #changed(change: RegistryChange): void {
    if (change.structural) this.#version++;
    this.#events.emit("change", change);
  }
}
