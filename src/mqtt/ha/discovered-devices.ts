import type { Clock } from "../../core/clock.js";
import type { Logger } from "../../core/logger.js";
import type { Registry } from "../../registry/registry.js";
import type { Entity } from "../../registry/types.js";
import { LogLimiter } from "../log-limiter.js";
import { type DiscoveryContext, type DiscoveryResult, parseDiscoveryMessage } from "./discovery.js";
import { readState, stateTopics } from "./state.js";

/**
 * Keeps the registry in step with Home Assistant MQTT discovery: learns entities from retained
 * discovery configs, forgets them on an empty config, follows their state topics, and merges them
 * with devices from the config file (the config's name, area and aliases win; discovery supplies
 * how to command and read the device).
 */

/** What this needs from the MQTT connection (MqttConnection fits). */
export interface Subscriber {
  subscribe(
    filter: string,
    handler: (message: { topic: string; payload: Buffer }) => void,
  ): Promise<() => Promise<void>>;
}

export interface DiscoveredDevicesOptions {
  registry: Registry;
  /** Discovery prefix, e.g. "homeassistant". */
  prefix: string;
  logger: Logger;
  /** Topics no device may be commanded on (see reservedCommandTopics in topics.ts). */
  reservedCommandTopic?: DiscoveryContext["reservedCommandTopic"];
  /** mqtt.discovery.allow, when set. */
  allow?: readonly string[] | undefined;
  clock?: Clock | undefined;
}

/** The registry's view of Home Assistant discovery. Constructing it subscribes nothing; start() does. */
export class DiscoveredDevices {
  readonly #registry: Registry;
  readonly #prefix: string;
  readonly #log: Logger;
  readonly #context: Omit<DiscoveryContext, "findArea">;
  /** Skipped configs: one warning per topic and reason, at most ten a minute. */
  readonly #warnings: LogLimiter;
  /** Discovery topic → the key of its last warning, forgotten once the config is fixed. */
  readonly #warned = new Map<string, string>();
  #subscriber: Subscriber | undefined;
  #unsubscribeDiscovery: (() => Promise<void>) | undefined;
  /** Discovery topic → ids of the entities learned from it. */
  readonly #groups = new Map<string, string[]>();
  /** Entity id → the discovery topic that owns it. */
  readonly #owners = new Map<string, string>();
  /** Entity id → the entity as its discovery config describes it (before merging with the config). */
  readonly #discovered = new Map<string, Entity>();
  /** Config entities that discovery enriched, as the config defined them (restored on removal). */
  readonly #configOriginals = new Map<string, Entity>();
  /** State topic → entity ids reading it, and the subscription. */
  readonly #stateTopics = new Map<string, { ids: Set<string>; unsubscribe?: () => Promise<void> }>();
  /** Things already reported, so each is logged once. */
  readonly #reported = new Set<string>();

  constructor(options: DiscoveredDevicesOptions) {
    this.#registry = options.registry;
    this.#prefix = options.prefix;
    this.#log = options.logger;
    this.#context = {
      prefix: options.prefix,
      reservedCommandTopic: options.reservedCommandTopic,
      allow: options.allow,
    };
    this.#warnings = new LogLimiter({
      log: options.logger,
      level: "warn",
      ...(options.clock ? { clock: options.clock } : {}),
    });
  }

  /** Subscribes to every discovery config under the prefix (and, as entities arrive, to their state). */
  async start(subscriber: Subscriber): Promise<void> {
    if (this.#subscriber) return;
    this.#subscriber = subscriber;
    for (const [topic, entry] of this.#stateTopics) if (!entry.unsubscribe) await this.#subscribeState(topic);
    this.#unsubscribeDiscovery = await subscriber.subscribe(`${this.#prefix}/#`, (m) =>
      this.handleDiscovery(m.topic, m.payload),
    );
  }

  /** Unsubscribes everything; the learned entities stay in the registry. Idempotent. */
  async stop(): Promise<void> {
    const unsubscribes = [
      this.#unsubscribeDiscovery,
      ...[...this.#stateTopics.values()].map((e) => e.unsubscribe),
    ];
    this.#unsubscribeDiscovery = undefined;
    this.#subscriber = undefined;
    for (const entry of this.#stateTopics.values()) entry.unsubscribe = undefined;
    await Promise.all(unsubscribes.map((u) => u?.().catch(() => {})));
  }

  /** Ids of the entities learned from discovery (merged config entities included). */
  entityIds(): string[] {
    return [...this.#owners.keys()];
  }

  /** Applies one message received under the discovery prefix; returns what it meant. */
  handleDiscovery(topic: string, payload: string | Uint8Array): DiscoveryResult {
    const result = parseDiscoveryMessage(topic, payload, {
      ...this.#context,
      findArea: (name) => this.#registry.findArea(name),
    });
    if (result.kind !== "invalid" && result.kind !== "ignored") this.#clearWarning(topic);
    switch (result.kind) {
      case "ignored":
        this.#log.trace({ topic, reason: result.reason }, "discovery message ignored");
        break;
      case "invalid": {
        // What was learned from this topic before is no longer vouched for: it goes.
        if (this.#groups.has(topic)) this.#removeGroup(topic);
        const key = `${topic}\n${result.reason}`;
        if (this.#warned.get(topic) !== key) {
          this.#clearWarning(topic);
          this.#warned.set(topic, key);
          if (this.#warned.size > 1000) {
            const oldest = this.#warned.keys().next().value;
            if (oldest !== undefined) this.#warned.delete(oldest);
          }
        }
        this.#warnings.report(key, { topic, reason: result.reason }, "discovery config skipped");
        break;
      }
      case "remove":
        this.#removeGroup(topic);
        this.#log.info({ topic }, "discovered device removed");
        break;
      case "config":
        this.#applyConfig(topic, result);
        break;
    }
    return result;
  }

  /** Applies one state message to every entity that reads `topic`. */
  handleState(topic: string, payload: string | Uint8Array): void {
    const entry = this.#stateTopics.get(topic);
    if (!entry) return;
    const text = typeof payload === "string" ? payload : Buffer.from(payload).toString("utf8");
    for (const id of entry.ids) {
      const entity = this.#registry.entity(id);
      if (!entity) continue;
      const update = readState(entity, topic, text);
      for (const what of update.unsupported)
        this.#reportOnce(
          `${id} ${what}`,
          { entity: id, template: what },
          "template not supported; value ignored",
        );
      if (update.state === undefined && Object.keys(update.attributes).length === 0) continue;
      this.#registry.setState(id, update.state ?? entity.state, update.attributes);
    }
  }

  #applyConfig(topic: string, result: Extract<DiscoveryResult, { kind: "config" }>): void {
    const previous = new Set(this.#groups.get(topic) ?? []);
    const ids: string[] = [];
    for (const skipped of result.skipped) {
      this.#log.debug(
        { topic, component: skipped.id, reason: skipped.reason },
        "discovered component skipped",
      );
    }
    for (const { entity, unknownArea } of result.entities) {
      const owner = this.#owners.get(entity.id);
      if (owner !== undefined && owner !== topic) {
        // Home Assistant ignores a second entity with the same unique_id; so does Hearth.
        this.#log.warn({ topic, entity: entity.id, owner }, "discovered entity id already taken; ignored");
        continue;
      }
      if (unknownArea) {
        this.#reportOnce(
          `area ${unknownArea}`,
          { area: unknownArea, entity: entity.id },
          "suggested area matches no configured area",
        );
      }
      // Owned before the registry announces it, so a listener sees it among entityIds().
      this.#owners.set(entity.id, topic);
      this.#upsert(entity);
      ids.push(entity.id);
      previous.delete(entity.id);
    }
    for (const gone of previous) this.#removeEntity(gone);
    this.#groups.set(topic, ids);
    this.#log.debug({ topic, entities: ids }, "discovery config applied");
  }

  #upsert(discovered: Entity): void {
    this.#discovered.set(discovered.id, discovered);
    const existing = this.#registry.entity(discovered.id);
    const original =
      this.#configOriginals.get(discovered.id) ?? (existing?.source === "config" ? existing : undefined);
    if (original && !this.#configOriginals.has(discovered.id))
      this.#configOriginals.set(discovered.id, { ...original });
    this.#registry.upsertEntity(merged(discovered, original, existing));
    this.#watchState(discovered);
  }

  /**
   * A reloaded config: puts every discovered entity into `fresh` (the registry built from the new
   * config, not yet in use), merged with the new config's devices and keeping each one's live state,
   * so that the registry in use is replaced by it in one step, with no moment without them. This
   * part then follows the registry in use, refilled from `fresh`.
   */
  carryInto(fresh: Registry): void {
    this.#configOriginals.clear();
    fresh.batch(() => {
      for (const [id, discovered] of this.#discovered) {
        const configured = fresh.entity(id);
        const original = configured?.source === "config" ? configured : undefined;
        if (original) this.#configOriginals.set(id, { ...original });
        fresh.upsertEntity(merged(discovered, original, this.#registry.entity(id)));
      }
    });
  }

  #watchState(entity: Entity): void {
    const wanted = new Set(stateTopics(entity));
    for (const [topic, entry] of this.#stateTopics) {
      if (entry.ids.has(entity.id) && !wanted.has(topic)) this.#unwatch(topic, entity.id);
    }
    for (const topic of wanted) {
      let entry = this.#stateTopics.get(topic);
      if (!entry) {
        entry = { ids: new Set() };
        this.#stateTopics.set(topic, entry);
        void this.#subscribeState(topic);
      }
      entry.ids.add(entity.id);
    }
  }

  async #subscribeState(topic: string): Promise<void> {
    const subscriber = this.#subscriber;
    const entry = this.#stateTopics.get(topic);
    if (!subscriber || !entry || entry.unsubscribe) return;
    try {
      const unsubscribe = await subscriber.subscribe(topic, (m) => this.handleState(m.topic, m.payload));
      // The entity may have gone while the subscription was on its way.
      if (this.#stateTopics.get(topic) === entry && this.#subscriber === subscriber)
        entry.unsubscribe = unsubscribe;
      else await unsubscribe();
    } catch (err) {
      this.#log.warn({ err, topic }, "could not subscribe to a state topic");
    }
  }

  #unwatch(topic: string, id: string): void {
    const entry = this.#stateTopics.get(topic);
    if (!entry) return;
    entry.ids.delete(id);
    if (entry.ids.size > 0) return;
    this.#stateTopics.delete(topic);
    void entry.unsubscribe?.().catch(() => {});
  }

  #removeGroup(topic: string): void {
    for (const id of this.#groups.get(topic) ?? []) this.#removeEntity(id);
    this.#groups.delete(topic);
  }

  #removeEntity(id: string): void {
    this.#owners.delete(id);
    this.#discovered.delete(id);
    for (const [topic, entry] of [...this.#stateTopics]) if (entry.ids.has(id)) this.#unwatch(topic, id);
    const original = this.#configOriginals.get(id);
    if (original) {
      // The device is still in the config: it stays, as the config describes it.
      this.#configOriginals.delete(id);
      this.#registry.upsertEntity({ ...original, mqtt: undefined });
    } else {
      this.#registry.removeEntity(id);
    }
  }

  #clearWarning(topic: string): void {
    const key = this.#warned.get(topic);
    if (key === undefined) return;
    this.#warned.delete(topic);
    this.#warnings.forget(key);
  }

  #reportOnce(key: string, fields: Record<string, unknown>, message: string): void {
    if (this.#reported.has(key)) return;
    this.#reported.add(key);
    this.#log.info(fields, message);
  }
}

/**
 * A discovered entity as the registry keeps it: the config's name, area and aliases win over
 * discovery's (`original`, a config device with the same id), and the live state of the entity in
 * use (`live`) is kept.
 */
function merged(discovered: Entity, original: Entity | undefined, live: Entity | undefined): Entity {
  if (original) {
    return {
      ...discovered,
      name: original.name,
      aliases: original.aliases,
      areaId: original.areaId ?? discovered.areaId,
      deviceClass: original.deviceClass ?? discovered.deviceClass,
      unit: original.unit ?? discovered.unit,
      state: live?.state ?? original.state,
      attributes: { ...discovered.attributes, ...original.attributes, ...(live?.attributes ?? {}) },
      source: "config",
    };
  }
  // A changed config keeps the live state it had.
  return {
    ...discovered,
    state: live?.state,
    attributes: { ...(live?.attributes ?? {}), ...discovered.attributes },
  };
}
