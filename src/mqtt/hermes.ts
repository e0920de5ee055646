import { randomUUID } from "node:crypto";
import { type Clock, systemClock } from "../core/clock.js";
import type { EventBus } from "../core/event-bus.js";
import type { HearthEvents, RunEndReason } from "../core/events.js";
import type { Logger } from "../core/logger.js";
import { replyForTimerFinished } from "../intents/replies.js";
import type { RecognizedIntent } from "../intents/types.js";
import type { IncomingMessage, MessageHandler, PublishOptions, SubscribeOptions } from "./client.js";
import { checkText, decodeInbound, optionalId, parseJsonObject, staleReason } from "./inbound.js";
import { LogLimiter } from "./log-limiter.js";
import { hermesTopics, isValidPublishTopic } from "./topics.js";

/**
 * The Rhasspy / Snips Hermes protocol, for Node-RED flows and existing Rhasspy skills. Field names
 * follow rhasspy-hermes (camelCase on the wire): NluIntent, NluIntentNotRecognized, AsrTextCaptured,
 * DialogueSessionStarted/Ended, TtsSay/TtsSayFinished, HotwordToggleOn/Off.
 * https://rhasspy.readthedocs.io/en/latest/reference/#mqtt-api
 *
 * Every run on this site becomes a Hermes session (its id is the run id unless a `hermes/nlu/query`
 * named one), so a skill sees sessionStarted → textCaptured / intent → sessionEnded as from Rhasspy.
 * Inbound messages are handled when their `siteId` is this site's. A message without one is
 * refused, so one message cannot act on every satellite at once; `hermes/tts/say` and the hotword
 * toggles may name the site `*` to mean every satellite, explicitly.
 *
 * A timer that rings is also asked for on `hermes/tts/say` with the siteId of the site that set it,
 * as Rhasspy's own timers are, so a Hermes text-to-speech service (or a Node-RED flow) serving that
 * site speaks it too; Hearth ignores its own request when the broker hands it back.
 */

/** The siteId that addresses every satellite (say and hotword toggles only). */
export const HERMES_BROADCAST_SITE = "*";

/** What Hermes needs from the MQTT connection (MqttConnection fits). */
export interface HermesConnection {
  publish(topic: string, payload: string | Buffer, options?: PublishOptions): Promise<void>;
  subscribe(
    filter: string,
    handler: MessageHandler,
    options?: 0 | 1 | SubscribeOptions,
  ): Promise<() => Promise<void>>;
}

/** What Hermes asks of Hearth. */
export interface HermesControl {
  /** Runs the text path; `runId` makes the run's events belong to this Hermes session. */
  runText(
    text: string,
    options: { transaction?: string | undefined; sessionId?: string | undefined; runId: string },
  ): Promise<unknown>;
  say(text: string): Promise<void>;
  setMuted(muted: boolean): void;
}

export interface HermesOptions {
  connection: HermesConnection;
  bus: EventBus<HearthEvents>;
  control: HermesControl;
  siteId: string;
  /** Language code sent as `lang`. */
  lang: string;
  /**
   * Whether what was heard may leave the process (`mqtt.expose_transcript`). When false, a spoken
   * run publishes no `hermes/asr/textCaptured`, and its intent messages carry an empty `input` and
   * `rawInput`; text that came in over MQTT (`hermes/nlu/query`, command/text) is echoed as always.
   */
  exposeTranscript: boolean;
  log: Logger;
  /** Queries and say requests older than this are refused (mqtt.command_grace_ms); default 3000. */
  graceMs?: number | undefined;
  clock?: Clock | undefined;
}

/** A Hermes slot value: rhasspy-hermes `{kind, value}` (Number for numbers, Unknown otherwise). */
interface HermesSlot {
  entity: string;
  slotName: string;
  rawValue: string;
  value: { kind: "Number" | "Unknown"; value: string | number };
  confidence: number;
}

interface Session {
  sessionId: string;
  /** The `id` of the hermes/nlu/query that started it, echoed in the replies. */
  id?: string | undefined;
  started: boolean;
  /** Whether the run's text was heard (a transcript) rather than sent over MQTT. */
  spoken: boolean;
}

/** Hermes messages are small events: delivered soon or not at all. */
const PUBLISH_GRACE_MS = 3000;
/** Runs that never end (a bug elsewhere) must not grow the session map without bound. */
const MAX_SESSIONS = 256;
/** Queries run at once; a flood beyond this is dropped rather than queued (a queued command goes stale). */
const MAX_CONCURRENT_QUERIES = 16;

/** The slots of an intent in Hermes form. */
export function hermesSlots(intent: RecognizedIntent): HermesSlot[] {
  return Object.entries(intent.slots).map(([name, value]) => ({
    entity: name,
    slotName: name,
    rawValue: String(value),
    value: { kind: typeof value === "number" ? "Number" : "Unknown", value },
    confidence: 1,
  }));
}

/** rhasspy-hermes DialogueSessionTerminationReason for how a run ended. */
export function terminationReason(reason: RunEndReason): string {
  switch (reason) {
    case "done":
      return "nominal";
    case "not-recognized":
      return "intentNotRecognized";
    case "aborted":
      return "abortedByUser";
    case "timeout":
    case "nothing-heard":
      return "timeout";
    default:
      return "error";
  }
}

/** The Hermes side of Hearth. Constructing it subscribes nothing; start() does. */
export class Hermes {
  readonly #o: HermesOptions;
  readonly #sessions = new Map<string, Session>();
  readonly #undo: Array<() => unknown> = [];
  readonly #foreignSites = new Set<string>();
  #queries = 0;
  #started = false;
  /** Ids of the say requests Hearth sent itself (timers), so their echo is not spoken twice. */
  readonly #ownSays = new Set<string>();
  readonly #clock: Clock;
  /** Refused messages: once per topic and reason, at info, at most ten a minute. */
  readonly #refusals: LogLimiter;

  constructor(options: HermesOptions) {
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
    this.#refusals = new LogLimiter({ log: options.log, level: "info", clock: this.#clock });
  }

  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    const { bus, connection, siteId } = this.#o;
    const mine = (e: { siteId: string }) => e.siteId === siteId;
    this.#undo.push(
      bus.on("wake.detected", (e) => {
        if (mine(e)) this.#session(e.runId);
      }),
      bus.on("stt.transcript", (e) => {
        if (!mine(e)) return;
        const s = this.#session(e.runId);
        s.spoken = true;
        if (!this.#o.exposeTranscript) return;
        this.#send(hermesTopics.asrTextCaptured, {
          text: e.text,
          likelihood: 1,
          seconds: e.ms / 1000,
          siteId,
          sessionId: s.sessionId,
          wakewordId: null,
          asrTokens: null,
          lang: this.#o.lang,
        });
      }),
      bus.on("intent.recognized", (e) => {
        if (!mine(e)) return;
        const s = this.#session(e.runId);
        const input = this.#input(s, e.text);
        for (const intent of e.intents) {
          const topic = hermesTopics.intent(intent.name);
          if (!isValidPublishTopic(topic)) continue;
          this.#send(topic, {
            input,
            intent: { intentName: intent.name, confidenceScore: 1 },
            siteId,
            id: s.id ?? null,
            slots: hermesSlots(intent),
            sessionId: s.sessionId,
            customData: null,
            asrTokens: null,
            asrConfidence: null,
            rawInput: input,
            wakewordId: null,
            lang: this.#o.lang,
          });
        }
      }),
      bus.on("intent.not-recognized", (e) => {
        if (!mine(e)) return;
        const s = this.#session(e.runId);
        this.#send(hermesTopics.intentNotRecognized, {
          input: this.#input(s, e.text),
          siteId,
          id: s.id ?? null,
          customData: null,
          sessionId: s.sessionId,
        });
      }),
      bus.on("timer.changed", (e) => {
        // A timer with a command carries it out instead of ringing (see Hearth's timer.changed).
        if (!mine(e) || e.event !== "finished" || e.timer.command !== undefined) return;
        const id = `hearth-timer-${e.timer.id}-${randomUUID()}`;
        if (this.#ownSays.size >= MAX_SESSIONS) this.#ownSays.clear();
        this.#ownSays.add(id);
        this.#send(hermesTopics.ttsSay, {
          text: replyForTimerFinished(e.timer, this.#o.lang),
          siteId,
          lang: this.#o.lang,
          id,
          sessionId: null,
        });
      }),
      bus.on("pipeline.ended", (e) => {
        if (!mine(e)) return;
        const s = this.#sessions.get(e.runId);
        this.#sessions.delete(e.runId);
        if (!s?.started) return;
        this.#send(hermesTopics.sessionEnded, {
          termination: { reason: terminationReason(e.reason) },
          sessionId: s.sessionId,
          siteId,
          customData: null,
        });
      }),
    );
    const subscriptions = [
      connection.subscribe(hermesTopics.nluQuery, (m) => this.#onQuery(m)),
      connection.subscribe(hermesTopics.ttsSay, (m) => this.#onSay(m)),
      connection.subscribe(hermesTopics.hotwordToggleOn, (m) => this.#onToggle(m, false)),
      connection.subscribe(hermesTopics.hotwordToggleOff, (m) => this.#onToggle(m, true)),
    ];
    for (const unsubscribe of await Promise.all(subscriptions)) this.#undo.push(unsubscribe);
  }

  async stop(): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    const undo = this.#undo.splice(0);
    await Promise.all(undo.reverse().map(async (u) => await Promise.resolve(u()).catch(() => {})));
    this.#sessions.clear();
  }

  /** The run's session, announced with sessionStarted the first time it is seen. */
  #session(runId: string): Session {
    let s = this.#sessions.get(runId);
    if (!s) {
      if (this.#sessions.size >= MAX_SESSIONS) {
        const oldest = this.#sessions.keys().next().value;
        if (oldest !== undefined) this.#sessions.delete(oldest);
      }
      s = { sessionId: runId, started: false, spoken: false };
      this.#sessions.set(runId, s);
    }
    if (!s.started) {
      s.started = true;
      this.#send(hermesTopics.sessionStarted, {
        sessionId: s.sessionId,
        siteId: this.#o.siteId,
        customData: null,
        lang: this.#o.lang,
      });
    }
    return s;
  }

  /** The run's text as Hermes may publish it: a transcript only when the user chose to expose them. */
  #input(session: Session, text: string): string {
    return session.spoken && !this.#o.exposeTranscript ? "" : text;
  }

  #refused(topic: string, reason: string, fields: Record<string, unknown> = {}): void {
    this.#refusals.report(`${topic}\n${reason}`, { topic, reason, ...fields }, "hermes message refused");
  }

  /**
   * Reads a Hermes JSON payload addressed to this site (or, with `broadcast`, to every site) and
   * recent enough to act on; undefined (logged) otherwise.
   */
  #read(m: IncomingMessage, broadcast: boolean): Record<string, unknown> | undefined {
    const { topic } = m;
    const decoded = decodeInbound(m.payload);
    const object = decoded.ok ? parseJsonObject(decoded.text) : undefined;
    if (!object) {
      this.#refused(topic, decoded.ok ? "not a JSON object" : decoded.error);
      return undefined;
    }
    const site = object.siteId;
    if (site === undefined || site === null) {
      this.#refused(
        topic,
        broadcast
          ? `no siteId: name this site (${this.#o.siteId}), or "${HERMES_BROADCAST_SITE}" for every satellite`
          : `no siteId: name this site (${this.#o.siteId})`,
      );
      return undefined;
    }
    if (site !== this.#o.siteId && !(broadcast && site === HERMES_BROADCAST_SITE)) {
      if (typeof site === "string" && !this.#foreignSites.has(site) && this.#foreignSites.size < 32) {
        this.#foreignSites.add(site);
        this.#o.log.info({ topic, siteId: site }, "hermes messages for another site are ignored");
      }
      return undefined;
    }
    const stale = staleReason({
      age: m.age,
      now: this.#clock.now().getTime(),
      graceMs: this.#o.graceMs ?? 3000,
    });
    const loop = m.echoOf === undefined ? undefined : `a loop: Hearth itself just sent this to ${m.echoOf}`;
    if (stale ?? loop) {
      this.#refused(topic, (stale ?? loop) as string);
      return undefined;
    }
    return object;
  }

  async #onQuery(m: IncomingMessage): Promise<void> {
    const q = this.#read(m, false);
    if (!q) return;
    const input = checkText(q.input, "input");
    const id = optionalId(q.id, "id");
    const sessionId = optionalId(q.sessionId, "sessionId");
    if (!input.ok || !id.ok || !sessionId.ok) {
      const error = [input, id, sessionId].find((r) => !r.ok);
      this.#refused(m.topic, error && !error.ok ? error.error : "invalid query");
      return;
    }
    if (this.#queries >= MAX_CONCURRENT_QUERIES) {
      this.#o.log.warn("hermes query dropped: too many at once");
      return;
    }
    const runId = randomUUID();
    // Registered before the run so its events carry the query's session and id.
    this.#sessions.set(runId, {
      sessionId: sessionId.value ?? runId,
      id: id.value,
      started: false,
      spoken: false,
    });
    this.#session(runId);
    this.#queries++;
    try {
      await this.#o.control.runText(input.text, {
        transaction: id.value,
        sessionId: sessionId.value,
        runId,
      });
    } catch (err) {
      this.#o.log.error({ err }, "hermes query failed");
      this.#sessions.delete(runId);
    } finally {
      this.#queries--;
    }
  }

  async #onSay(message: IncomingMessage): Promise<void> {
    const m = this.#read(message, true);
    if (!m) return;
    // Hearth's own request (a timer), back from the broker: already spoken here.
    if (typeof m.id === "string" && this.#ownSays.delete(m.id)) return;
    const text = checkText(m.text);
    const id = optionalId(m.id, "id");
    const sessionId = optionalId(m.sessionId, "sessionId");
    if (!text.ok || !id.ok || !sessionId.ok) {
      const error = [text, id, sessionId].find((r) => !r.ok);
      this.#refused(message.topic, error && !error.ok ? error.error : "invalid say request");
      return;
    }
    try {
      await this.#o.control.say(text.text);
    } catch (err) {
      this.#o.log.error({ err }, "speaking for hermes failed");
    }
    // Sent even after a failure, so a flow waiting for it does not hang.
    this.#send(hermesTopics.ttsSayFinished, {
      siteId: this.#o.siteId,
      id: id.value ?? null,
      sessionId: sessionId.value ?? null,
    });
  }

  #onToggle(m: IncomingMessage, muted: boolean): void {
    // The site must be named (or "*"): an empty payload would mute every satellite at once.
    if (!this.#read(m, true)) return;
    try {
      this.#o.control.setMuted(muted);
    } catch (err) {
      this.#o.log.error({ err }, "hotword toggle failed");
    }
  }

  #send(topic: string, message: Record<string, unknown>): void {
    this.#o.connection
      .publish(topic, JSON.stringify(message), { qos: 1, retain: false, graceMs: PUBLISH_GRACE_MS })
      .catch((err: unknown) => this.#o.log.debug({ err, topic }, "hermes message not delivered"));
  }
}
