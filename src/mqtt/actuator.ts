import type { Clock } from "../core/clock.js";
import { systemClock } from "../core/clock.js";
import type { ActionOutcome } from "../core/events.js";
import type { Logger } from "../core/logger.js";
import { leftOff, sendsCommands } from "../intents/catalog.js";
import { withArticle } from "../intents/reply-names.js";
import type { RecognizedIntent } from "../intents/types.js";
import type { Actuator } from "../pipeline/text-pipeline.js";
import type { Registry } from "../registry/registry.js";
import type { Entity } from "../registry/types.js";
import type { PublishOptions } from "./client.js";
import { buildCommands } from "./ha/actions.js";

/**
 * Carries out recognised intents over MQTT: for every target, the exact messages its Home
 * Assistant MQTT schema expects (see ha/actions.ts), published with QoS 1. A target's outcome is
 * `ok` once the broker acknowledged all its messages, or failed with a reason the user hears.
 * All messages of one intent share one grace period, counted from the moment the intent is
 * acted on: a command is never delivered later than that (MqttConnection drops what is late).
 */

/** What the actuator needs from the MQTT connection (MqttConnection fits). */
export interface CommandPublisher {
  publish(topic: string, payload: string | Buffer, options?: PublishOptions): Promise<void>;
}

export interface MqttActuatorOptions {
  connection: CommandPublisher;
  registry: Registry;
  /** How long the commands of one intent may wait for the broker, in milliseconds (mqtt.command_grace_ms). */
  graceMs: number;
  log: Logger;
  clock?: Clock | undefined;
}

/** What the user hears when the broker is unreachable or does not acknowledge in time. */
export const UNREACHABLE_REASON = "I can't reach the home controller";

/**
 * Whether carrying out `intent` means sending commands to its targets, as the intent catalog says.
 * Questions, timers and lists act inside Hearth; the user's own intents (custom sentences) are left
 * to whoever listens for them (Hermes skills, Node-RED).
 */
export function needsCommands(intent: RecognizedIntent): boolean {
  return sendsCommands(intent.name);
}

/**
 * A sentence from ha/actions.ts ("The Kitchen Light can't be dimmed.") as a clause the pipeline's
 * reply can embed ("Sorry, the Kitchen Light can't be dimmed.").
 */
export function asClause(sentence: string): string {
  const clause = sentence.trim().replace(/[.!?]+$/, "");
  // An ordinary first word ("The", "What" …) is lower-cased mid-sentence; "I" and a device's own
  // name ("Rocky can't …") stay as written.
  if (!/^(The|What|Which|Say|That|There)\b/.test(clause)) return clause;
  return clause.charAt(0).toLowerCase() + clause.slice(1);
}

export class MqttActuator implements Actuator {
  readonly #o: MqttActuatorOptions;
  readonly #clock: Clock;

  constructor(options: MqttActuatorOptions) {
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
  }

  /** One outcome per target of a command intent; none for questions and timers. Never throws. */
  async act(intent: RecognizedIntent, signal: AbortSignal): Promise<ActionOutcome[]> {
    if (!needsCommands(intent)) return [];
    const deadline = this.#clock.monotonic() + this.#o.graceMs;
    // Area commands fan out: every target is commanded at once, each waits on its own acks.
    return await Promise.all(intent.targets.map((id) => this.#actOn(intent, id, deadline, signal)));
  }

  async #actOn(
    intent: RecognizedIntent,
    entityId: string,
    deadline: number,
    signal: AbortSignal,
  ): Promise<ActionOutcome> {
    const started = this.#clock.monotonic();
    const outcome = (ok: boolean, reason?: string, topic?: string): ActionOutcome => ({
      entityId,
      intent: intent.name,
      ok,
      ...(topic !== undefined ? { topic } : {}),
      ...(reason !== undefined ? { reason } : {}),
      ms: Math.round((this.#clock.monotonic() - started) * 1000) / 1000,
    });
    const entity: Entity | undefined = this.#o.registry.entity(entityId);
    if (!entity) return outcome(false, "that device is gone");
    // "Dim the lights": one that is off stays off, and nothing is sent to it.
    if (leftOff(intent, entity)) return outcome(true);
    if (!entity.mqtt)
      return outcome(false, `I don't know how to control ${withArticle(entity.name, entity.domain)}`);
    let commands: ReturnType<typeof buildCommands>;
    try {
      commands = buildCommands(intent, entity);
    } catch (err) {
      // buildCommands promises not to throw; should it, the user still gets an answer.
      this.#o.log.error({ err, entity: entityId, intent: intent.name }, "building a command failed");
      return outcome(false, `I couldn't work out the command for ${withArticle(entity.name, entity.domain)}`);
    }
    if (!Array.isArray(commands)) return outcome(false, asClause(commands.error));
    let topic: string | undefined;
    for (const command of commands) {
      topic = command.topic;
      if (signal.aborted) return outcome(false, "the request was cancelled", topic);
      const graceMs = Math.max(1, Math.round(deadline - this.#clock.monotonic()));
      try {
        await this.#o.connection.publish(command.topic, command.payload, {
          qos: command.qos,
          retain: command.retain,
          graceMs,
        });
        this.#o.log.debug({ entity: entityId, topic: command.topic }, "command published");
      } catch (err) {
        this.#o.log.warn({ err, entity: entityId, topic: command.topic }, "command not delivered");
        return outcome(false, UNREACHABLE_REASON, topic);
      }
    }
    return outcome(true, undefined, topic);
  }
}
