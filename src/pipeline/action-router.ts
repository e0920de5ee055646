import type { ActionOutcome } from "../core/events.js";
import type { RecognizedIntent } from "../intents/types.js";
import type { Registry } from "../registry/registry.js";
import type { Entity } from "../registry/types.js";
import type { Actuator } from "./text-pipeline.js";

/**
 * The act step's switchboard: each target of an intent goes to the transport its device came from
 * (Home Assistant's WebSocket API for entities learned from Home Assistant, MQTT for discovered and
 * configured devices), each transport gets one call with all of its targets (so an area command can
 * become one service call), and the outcomes come back in the intent's target order.
 */

/** A transport that carries out commands for some entities. */
export interface ActionTarget extends Actuator {
  /** Whether commands for `entity` go through this transport. */
  handles(entity: Entity): boolean;
}

export interface ActionRouterOptions {
  registry: Registry;
  /** Transports tried in order; a target none of them handles goes to `fallback`. */
  routes: readonly ActionTarget[];
  /** Carries out the rest (and reports unknown or vanished devices). */
  fallback: Actuator;
  /** Whether an intent sends commands at all (questions and timers do not). */
  needsCommands: (intent: RecognizedIntent) => boolean;
}

export class ActionRouter implements Actuator {
  readonly #o: ActionRouterOptions;

  constructor(options: ActionRouterOptions) {
    this.#o = options;
  }

  async act(intent: RecognizedIntent, signal: AbortSignal): Promise<ActionOutcome[]> {
    const { registry, routes, fallback } = this.#o;
    if (!this.#o.needsCommands(intent)) return [];
    const groups = new Map<Actuator, string[]>();
    for (const id of intent.targets) {
      const entity = registry.entity(id);
      const route = (entity && routes.find((r) => r.handles(entity))) || fallback;
      const ids = groups.get(route);
      if (ids) ids.push(id);
      else groups.set(route, [id]);
    }
    const results = await Promise.all(
      [...groups].map(([route, targets]) => route.act({ ...intent, targets }, signal)),
    );
    const byId = new Map<string, ActionOutcome[]>();
    for (const o of results.flat()) {
      const list = byId.get(o.entityId);
      if (list) list.push(o);
      else byId.set(o.entityId, [o]);
    }
    // The intent's order, so the first failure named is the first target the user named.
    return intent.targets.flatMap((id) => byId.get(id)?.splice(0) ?? []);
  }
}
