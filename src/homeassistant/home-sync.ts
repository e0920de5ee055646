import type { Connection, MessageBase } from "home-assistant-js-websocket";
import { type Clock, systemClock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { Registry } from "../registry/registry.js";
import type { Area, Entity, Floor } from "../registry/types.js";
import {
  buildHomeModel,
  type HaArea,
  type HaDevice,
  type HaEntityEntry,
  type HaExposure,
  type HaFloor,
  type HaSnapshot,
  type HaState,
  type HomeModel,
} from "./home-model.js";

/**
 * Keeps Hearth's registry in step with Home Assistant: reads the floor, area, device and entity
 * registries and the Assist exposure settings, follows every state through the entities collection
 * (subscribe_entities), and re-reads the registries, debounced, whenever Home Assistant announces a
 * change to one of them (`*_registry_updated` events; exposure changes arrive as entity registry
 * updates) or the connection comes back. Home Assistant's names, aliases and areas win over the
 * config's for the same entity id; a config device Home Assistant stops offering is restored.
 */

/** What this needs from the connection (HomeAssistantConnection fits). */
export interface HomeSource {
  /** Calls `listener` with the library connection now and after every reconnect. */
  onReady(listener: (conn: Connection) => void): () => void;
}

export interface HomeAssistantHomeOptions {
  connection: HomeSource;
  registry: Registry;
  /** `homeassistant.expose: all` */
  exposeAll: boolean;
  /** Quiet time after a registry change before re-reading (homeassistant.refresh_debounce_ms). */
  debounceMs: number;
  logger: Logger;
  /** Whose time the debounce runs on; default the system clock. */
  clock?: Clock | undefined;
}

/** One subscribe_entities event (Home Assistant's compressed state format). */
interface EntitiesEvent {
  a?: Record<string, { s: string; a?: Record<string, unknown> }>;
  c?: Record<string, { "+"?: { s?: string; a?: Record<string, unknown> }; "-"?: { a?: string[] } }>;
  r?: string[];
}

/** Events Home Assistant fires when a registry changes. */
export const REGISTRY_EVENTS = [
  "entity_registry_updated",
  "device_registry_updated",
  "area_registry_updated",
  "floor_registry_updated",
] as const;

export class HomeAssistantHome {
  readonly #o: HomeAssistantHomeOptions;
  readonly #log: Logger;
  /** The connection the subscriptions were made on (the library re-subscribes after a reconnect). */
  #subscribedOn: Connection | undefined;
  readonly #unsubscribe: Array<() => unknown> = [];
  /** Every state Home Assistant has, as subscribe_entities keeps it up to date. */
  #states: Record<string, HaState> | undefined;
  #statesArrived: (() => void) | undefined;
  readonly #statesReady: Promise<void>;
  /** Ids this learned, and the config's entities, areas and floors they replaced. */
  #entityIds = new Set<string>();
  #areaIds = new Set<string>();
  #floorIds = new Set<string>();
  readonly #configEntities = new Map<string, Entity>();
  readonly #configAreas = new Map<string, Area>();
  readonly #configFloors = new Map<string, Floor>();
  #model: HomeModel | undefined;
  #lastError: unknown;
  /** The refresh's debounce now running; an earlier one that ends finds itself replaced. */
  #wait: AbortSignal | undefined;
  #refreshing: Promise<void> | undefined;
  #again = false;
  #stopped = false;
  #loaded: (() => void) | undefined;
  readonly #firstLoad: Promise<void>;

  constructor(options: HomeAssistantHomeOptions) {
    this.#o = options;
    this.#log = options.logger;
    this.#statesReady = new Promise((resolve) => {
      this.#statesArrived = resolve;
    });
    this.#firstLoad = new Promise((resolve) => {
      this.#loaded = resolve;
    });
  }

  /** Resolves once the home has been read the first time (never, while Home Assistant is away). */
  get loaded(): Promise<void> {
    return this.#firstLoad;
  }

  /** The last model read: entities exposed, and those left out with why. */
  get model(): HomeModel | undefined {
    return this.#model;
  }

  /** Why the last reading of the registries failed (a token without admin rights, …); cleared on success. */
  get lastError(): unknown {
    return this.#lastError;
  }

  /** Ids of the entities learned from Home Assistant. */
  entityIds(): string[] {
    return [...this.#entityIds];
  }

  /** Starts following Home Assistant; learning begins as soon as the connection is ready. */
  start(): void {
    this.#stopped = false;
    this.#unsubscribe.push(this.#o.connection.onReady((conn) => this.#onReady(conn)));
  }

  #onReady(conn: Connection): void {
    if (this.#subscribedOn !== conn) {
      this.#subscribedOn = conn;
      // subscribe_entities sends every state, then only what changed (the library re-subscribes
      // after a reconnect, which sends every state again).
      conn
        .subscribeMessage<EntitiesEvent>((event) => this.#onStates(event), { type: "subscribe_entities" })
        .then((unsub) => this.#unsubscribe.push(unsub))
        .catch((err: unknown) => this.#log.warn({ err }, "could not follow Home Assistant's states"));
      for (const type of REGISTRY_EVENTS) {
        conn
          .subscribeEvents(() => this.#schedule(), type)
          .then((unsub) => this.#unsubscribe.push(unsub))
          .catch((err: unknown) => this.#log.warn({ err, type }, "could not follow a registry"));
      }
    }
    // What changed while the connection was away.
    this.#schedule(0);
  }

  #schedule(ms = this.#o.debounceMs): void {
    if (this.#stopped) return;
    const wait = (this.#o.clock ?? systemClock).timeout(ms, "Home Assistant's registry refresh debounce");
    this.#wait = wait;
    wait.addEventListener(
      "abort",
      () => {
        if (this.#wait !== wait || this.#stopped) return;
        this.#wait = undefined;
        void this.refresh();
      },
      { once: true },
    );
  }

  /** Re-reads the registries now (a refresh already running is followed by one more). */
  async refresh(): Promise<void> {
    if (this.#refreshing) {
      this.#again = true;
      return this.#refreshing;
    }
    this.#refreshing = (async () => {
      do {
        this.#again = false;
        await this.#read().catch((err: unknown) => {
          this.#lastError = err;
          this.#log.warn({ err }, "could not read Home Assistant's registries; keeping what is known");
        });
      } while (this.#again && !this.#stopped);
    })();
    try {
      await this.#refreshing;
    } finally {
      this.#refreshing = undefined;
    }
  }

  async #read(): Promise<void> {
    const conn = this.#subscribedOn;
    if (!conn?.connected) return;
    await this.#statesReady;
    const ask = <T>(type: string, extra: Record<string, unknown> = {}) =>
      conn.sendMessagePromise<T>({ type, ...extra } as MessageBase);
    const [floors, areas, devices, entries, exposure] = await Promise.all([
      ask<HaFloor[]>("config/floor_registry/list"),
      ask<HaArea[]>("config/area_registry/list"),
      ask<HaDevice[]>("config/device_registry/list"),
      ask<HaEntityEntry[]>("config/entity_registry/list"),
      ask<{ exposed_entities: HaExposure }>("homeassistant/expose_entity/list"),
    ]);
    const states = this.#states ?? {};
    const exposed = exposure.exposed_entities ?? {};
    // Aliases and device classes are only in the extended entries; ask only for those wanted.
    const wanted = entries
      .filter((e) => !e.disabled_by && (this.#o.exposeAll || exposed[e.entity_id]?.conversation === true))
      .map((e) => e.entity_id);
    const extended =
      wanted.length === 0
        ? {}
        : await ask<Record<string, HaEntityEntry | null>>("config/entity_registry/get_entries", {
            entity_ids: wanted,
          });
    const merged = entries.map((e) => ({ ...e, ...(extended[e.entity_id] ?? {}) }));
    const snapshot: HaSnapshot = { floors, areas, devices, entities: merged, states, exposure: exposed };
    const model = buildHomeModel(snapshot, { exposeAll: this.#o.exposeAll });
    if (this.#stopped) return;
    this.#apply(model);
    this.#model = model;
    this.#lastError = undefined;
    this.#log.info(
      {
        entities: model.entities.length,
        areas: model.areas.length,
        floors: model.floors.length,
        notExposed: model.skipped.length,
      },
      "home learned from Home Assistant",
    );
    this.#loaded?.();
  }

  /**
   * Applies the last model again to a registry that was refilled from the config (a reload), so
   * Home Assistant's entities are back at once, without waiting for Home Assistant.
   */
  reapply(): void {
    this.#entityIds.clear();
    this.#areaIds.clear();
    this.#floorIds.clear();
    this.#configEntities.clear();
    this.#configAreas.clear();
    this.#configFloors.clear();
    if (this.#model) this.#apply(this.#model);
  }

  #apply(model: HomeModel): void {
    const { registry } = this.#o;
    registry.batch(() => {
      const floorIds = new Set(model.floors.map((f) => f.id));
      for (const f of model.floors) {
        const existing = registry.floor(f.id);
        if (existing && !this.#floorIds.has(f.id)) this.#configFloors.set(f.id, existing);
        registry.upsertFloor(f);
      }
      for (const id of this.#floorIds) if (!floorIds.has(id)) this.#restoreFloor(id);
      this.#floorIds = floorIds;

      const areaIds = new Set(model.areas.map((a) => a.id));
      for (const a of model.areas) {
        const existing = registry.area(a.id);
        if (existing && !this.#areaIds.has(a.id)) this.#configAreas.set(a.id, existing);
        // A config area of the same id keeps its aliases alongside Home Assistant's.
        const extra = this.#configAreas.get(a.id)?.aliases ?? [];
        registry.upsertArea({ ...a, aliases: [...new Set([...a.aliases, ...extra])] });
      }
      for (const id of this.#areaIds) if (!areaIds.has(id)) this.#restoreArea(id);
      this.#areaIds = areaIds;

      const entityIds = new Set(model.entities.map((e) => e.id));
      for (const e of model.entities) {
        const existing = registry.entity(e.id);
        if (existing && !this.#entityIds.has(e.id) && existing.source !== "homeassistant")
          this.#configEntities.set(e.id, existing);
        const live = this.#states?.[e.id];
        registry.upsertEntity(
          live ? { ...e, state: live.state, attributes: { ...live.attributes } } : { ...e },
        );
      }
      for (const id of this.#entityIds) if (!entityIds.has(id)) this.#restoreEntity(id);
      this.#entityIds = entityIds;
    });
  }

  #restoreEntity(id: string): void {
    const original = this.#configEntities.get(id);
    this.#configEntities.delete(id);
    if (original) this.#o.registry.upsertEntity(original);
    else this.#o.registry.removeEntity(id);
  }

  #restoreArea(id: string): void {
    const original = this.#configAreas.get(id);
    this.#configAreas.delete(id);
    if (original) this.#o.registry.upsertArea(original);
    else this.#o.registry.removeArea(id);
  }

  #restoreFloor(id: string): void {
    const original = this.#configFloors.get(id);
    this.#configFloors.delete(id);
    if (original) this.#o.registry.upsertFloor(original);
    else this.#o.registry.removeFloor(id);
  }

  /**
   * Applies one subscribe_entities event: `a` adds (or replaces) whole states, `c` changes some
   * ("+" sets the state and attributes, "-" removes attributes), `r` removes entities.
   * https://github.com/home-assistant/core/blob/dev/homeassistant/components/websocket_api/messages.py
   */
  #onStates(event: EntitiesEvent): void {
    this.#states ??= {};
    const states = this.#states;
    const touched = new Set<string>();
    for (const [id, s] of Object.entries(event.a ?? {})) {
      states[id] = { entity_id: id, state: s.s, attributes: { ...(s.a ?? {}) } };
      touched.add(id);
    }
    for (const [id, change] of Object.entries(event.c ?? {})) {
      const old = states[id];
      if (!old) continue;
      const attributes = { ...old.attributes, ...(change["+"]?.a ?? {}) };
      for (const key of change["-"]?.a ?? []) delete attributes[key];
      states[id] = { entity_id: id, state: change["+"]?.s ?? old.state, attributes };
      touched.add(id);
    }
    for (const id of event.r ?? []) delete states[id];
    this.#statesArrived?.();
    const { registry } = this.#o;
    for (const id of touched) {
      const now = states[id];
      if (now && this.#entityIds.has(id)) registry.setState(id, now.state, now.attributes);
    }
  }

  /** Stops following Home Assistant; what was learned stays in the registry. Idempotent. */
  stop(): void {
    this.#stopped = true;
    this.#wait = undefined;
    for (const u of this.#unsubscribe.splice(0)) {
      try {
        void Promise.resolve(u()).catch(() => {});
      } catch {
        // The connection is already closed; nothing left to undo.
      }
    }
    this.#subscribedOn = undefined;
  }
}
