import { type Clock, systemClock } from "../core/clock.js";
import type { ActionOutcome } from "../core/events.js";
import type { Logger } from "../core/logger.js";
import { leftOff } from "../intents/catalog.js";
import type { RecognizedIntent } from "../intents/types.js";
import type { ActionTarget } from "../pipeline/action-router.js";
import type { Registry } from "../registry/registry.js";
import type { Entity } from "../registry/types.js";
import { CommandError, type HomeAssistantLink } from "./connection.js";
import { type ServiceCall, serviceCall } from "./services.js";

/**
 * Carries out intents on entities learned from Home Assistant with `call_service`: targets that
 * need the same service with the same data share one call ("set the kitchen lights to 40 percent"
 * is one light.turn_on for both lights). Each target ends succeeded (Home Assistant's result was a
 * success) or failed with a reason the user hears. All calls of one intent share one grace period
 * for an unreachable Home Assistant, counted from the moment the intent is acted on; a call is never
 * sent after it.
 */

export interface HomeAssistantActuatorOptions {
  connection: HomeAssistantLink;
  registry: Registry;
  /** homeassistant.command_grace_ms */
  graceMs: number;
  /** homeassistant.response_timeout_ms */
  responseMs: number;
  log: Logger;
  clock?: Clock | undefined;
}

/** What the user hears when Home Assistant cannot be reached. */
export const HA_UNREACHABLE_REASON = "I can't reach Home Assistant";

export class HomeAssistantActuator implements ActionTarget {
  readonly #o: HomeAssistantActuatorOptions;
  readonly #clock: Clock;

  constructor(options: HomeAssistantActuatorOptions) {
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
  }

  handles(entity: Entity): boolean {
    return entity.source === "homeassistant";
  }

  /** One outcome per target. Never throws. */
  async act(intent: RecognizedIntent, signal: AbortSignal): Promise<ActionOutcome[]> {
    const started = this.#clock.monotonic();
    const deadline = started + this.#o.graceMs;
    const outcomes = new Map<string, ActionOutcome>();
    const outcome = (id: string, ok: boolean, reason?: string, service?: string): ActionOutcome => ({
      entityId: id,
      intent: intent.name,
      ok,
      ...(service !== undefined ? { service } : {}),
      ...(reason !== undefined ? { reason } : {}),
      ms: Math.round((this.#clock.monotonic() - started) * 1000) / 1000,
    });
    const calls = new Map<string, { call: ServiceCall; entities: Entity[] }>();
    for (const id of intent.targets) {
      const entity = this.#o.registry.entity(id);
      if (!entity) {
        outcomes.set(id, outcome(id, false, "that device is gone"));
        continue;
      }
      // "Dim the lights": one that is off stays off, and nothing is asked of it.
      if (leftOff(intent, entity)) {
        outcomes.set(id, outcome(id, true));
        continue;
      }
      const built = serviceCall(intent, entity);
      if ("error" in built) {
        outcomes.set(id, outcome(id, false, built.error));
        continue;
      }
      const key = JSON.stringify([built.domain, built.service, built.data]);
      const group = calls.get(key);
      if (group) group.entities.push(entity);
      else calls.set(key, { call: built, entities: [entity] });
    }
    await Promise.all(
      [...calls.values()].map(async ({ call, entities }) => {
        const service = `${call.domain}.${call.service}`;
        const ids = entities.map((e) => e.id);
        try {
          await this.#o.connection.send(
            {
              type: "call_service",
              domain: call.domain,
              service: call.service,
              ...(Object.keys(call.data).length > 0 ? { service_data: call.data } : {}),
              target: { entity_id: ids },
            },
            {
              graceMs: Math.max(0, Math.round(deadline - this.#clock.monotonic())),
              responseMs: this.#o.responseMs,
              signal,
            },
          );
          this.#o.log.debug({ service, entities: ids }, "service called");
          for (const e of entities) outcomes.set(e.id, outcome(e.id, true, undefined, service));
        } catch (err) {
          this.#o.log.warn({ err, service, entities: ids }, "service call failed");
          for (const e of entities) outcomes.set(e.id, outcome(e.id, false, failureReason(err, e), service));
        }
      }),
    );
    return intent.targets.map((id) => outcomes.get(id) ?? outcome(id, false, "something went wrong"));
  }
}

/** The failure as a clause for the reply ("Sorry, the Garage Door did not respond."). */
function failureReason(err: unknown, entity: Entity): string {
  if (!(err instanceof CommandError)) return `something went wrong with the ${entity.name}`;
  switch (err.kind) {
    case "unreachable":
      return HA_UNREACHABLE_REASON;
    case "auth":
      return "Home Assistant refused my access token";
    case "timeout":
      return `the ${entity.name} did not respond`;
    case "lost":
      return `I lost Home Assistant before the ${entity.name} responded`;
    case "aborted":
      return "the request was cancelled";
    default:
      return `Home Assistant could not do that with the ${entity.name}: ${err.message.replace(/[.!]+$/, "")}`;
  }
}
