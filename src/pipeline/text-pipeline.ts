import { randomUUID } from "node:crypto";
import type { Clock } from "../core/clock.js";
import type { EventBus } from "../core/event-bus.js";
import type { ActionOutcome, HearthEvents, RunEndReason } from "../core/events.js";
import type { Logger } from "../core/logger.js";
import type { RequestContext, TextUnderstanding } from "../intents/text-understanding.js";
import type { RecognizedIntent, Understanding } from "../intents/types.js";

/**
 * Carries out recognised intents on real devices (the MQTT layer implements it). Intents that need
 * no device command (questions, timers) give no outcomes. Never throws: failures are outcomes.
 */
export interface Actuator {
  act(intent: RecognizedIntent, signal: AbortSignal): Promise<ActionOutcome[]>;
}

/** The result of one text run, as published on `<base>/<site>/event/run`. */
export interface RunResult {
  runId: string;
  siteId: string;
  transaction?: string | undefined;
  text: string;
  understanding: Understanding;
  actions: ActionOutcome[];
  reply: string;
  reason: RunEndReason;
  /** Milliseconds per stage: intent, act, total. */
  timings: Record<string, number>;
}

export interface TextRunOptions {
  context?: RequestContext;
  transaction?: string | undefined;
  signal?: AbortSignal;
  /** Reuse a run started upstream (wake word, speech), so its events share one id. */
  runId?: string;
  /**
   * Called with the reply as soon as it is known, before any device is commanded, so it can be
   * synthesised while the commands are being published. The result's `reply` differs from it only
   * when a command failed.
   */
  onReply?: ((reply: string, understanding: Understanding) => void) | undefined;
  /**
   * Whether this call ends the run (emits `pipeline.ended`). False when the caller's run goes on
   * after it (the listening loop still speaks the reply) and the caller ends it. Default true.
   */
  endsRun?: boolean | undefined;
}

export interface TextPipelineDeps {
  understanding: TextUnderstanding;
  actuator?: Actuator | undefined;
  bus: EventBus<HearthEvents>;
  clock: Clock;
  siteId: string;
  log: Logger;
}

/**
 * One run from text: understand → act on every target → reply. The reply says so when a command
 * could not be delivered; a command is never retried after the run ends.
 */
export class TextPipeline {
  readonly #d: TextPipelineDeps;

  constructor(deps: TextPipelineDeps) {
    this.#d = deps;
  }

  async run(text: string, opts: TextRunOptions = {}): Promise<RunResult> {
    const { bus, clock, siteId } = this.#d;
    const runId = opts.runId ?? randomUUID();
    const meta = { runId, siteId };
    const started = clock.monotonic();
    const understood = await this.#d.understanding.understandAsync(text, opts.context ?? {}, {
      signal: opts.signal,
    });
    const u = understood.understanding;
    const timings: Record<string, number> = { intent: round(understood.ms) };
    const actions: ActionOutcome[] = [];
    let reply = understood.reply;
    let reason: RunEndReason = "done";
    opts.onReply?.(reply, u);

    if (u.kind === "recognized") {
      bus.emit("intent.recognized", {
        ...meta,
        text,
        intents: u.intents,
        recognizer: u.recognizer,
        ms: timings.intent ?? 0,
      });
      const actStarted = clock.monotonic();
      const signal = opts.signal ?? new AbortController().signal;
      if (this.#d.actuator) {
        for (const intent of u.intents) {
          const outcomes = await this.#d.actuator.act(intent, signal);
          for (const o of outcomes) {
            actions.push(o);
            bus.emit(o.ok ? "action.published" : "action.failed", { ...meta, ...o });
          }
        }
      }
      timings.act = round(clock.monotonic() - actStarted);
      const failed = actions.filter((a) => !a.ok);
      if (failed.length > 0) {
        reason = "action-failed";
        reply = this.#d.understanding.actionFailedReply() ?? failureReply(failed, actions.length);
      }
    } else if (u.kind === "answered") {
      reason = "done";
    } else {
      reason = "not-recognized";
      bus.emit("intent.not-recognized", {
        ...meta,
        text,
        reason: u.reason,
        subject: u.subject,
        candidates: u.candidates,
        intent: u.intent,
        ms: timings.intent ?? 0,
      });
    }
    timings.total = round(clock.monotonic() - started);
    if (opts.endsRun !== false) bus.emit("pipeline.ended", { ...meta, reason, timings });
    return {
      runId,
      siteId,
      transaction: opts.transaction,
      text,
      understanding: u,
      actions,
      reply,
      reason,
      timings,
    };
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** What the user hears when some or all commands failed. */
function failureReply(failed: ActionOutcome[], total: number): string {
  const first = failed[0]?.reason ?? "something went wrong";
  if (failed.length === total) return `Sorry, ${first}.`;
  return `Sorry, ${failed.length} of ${total} commands failed: ${first}.`;
}
