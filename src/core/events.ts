import type { MediaRequest } from "../intents/handlers.js";
import type { ListChange } from "../intents/lists.js";
import type { TimerChange } from "../intents/timers.js";
import type {
  Candidate,
  IntentCall,
  NotRecognizedReason,
  RecognizedIntent,
  RecognizerName,
} from "../intents/types.js";

/** Every event carries the run it belongs to and the satellite it happened on. */
export interface RunMeta {
  runId: string;
  siteId: string;
}

/** What Hearth is doing, as shown on its Home Assistant device. */
export type AssistantState = "idle" | "listening" | "thinking" | "speaking" | "muted";

/** Why a run ended. */
export type RunEndReason =
  | "done"
  | "not-recognized"
  | "action-failed"
  | "aborted"
  | "timeout"
  | "nothing-heard"
  | "error";

/** One device command's fate: acknowledged by the broker, or failed with a reason the user hears. */
export interface ActionOutcome {
  entityId: string;
  intent: string;
  ok: boolean;
  topic?: string | undefined;
  /** The Home Assistant service called (`light.turn_on`), for entities acted on through Home Assistant. */
  service?: string | undefined;
  /** Why it failed, in words for the user ("I can't reach the home controller"). */
  reason?: string | undefined;
  ms: number;
}

/**
 * The one map of control events (name → payload). Audio never travels on the bus; transcripts only
 * in `stt.transcript`, which loggers treat as private.
 */
export interface HearthEvents {
  "wake.detected": RunMeta & { word: string; score: number };
  "speech.started": RunMeta;
  "speech.stopped": RunMeta & { ms: number };
  "stt.transcript": RunMeta & { text: string; ms: number };
  "intent.recognized": RunMeta & {
    text: string;
    intents: RecognizedIntent[];
    recognizer: RecognizerName;
    ms: number;
  };
  "intent.not-recognized": RunMeta & {
    text: string;
    reason: NotRecognizedReason;
    subject?: string | undefined;
    candidates?: Candidate[] | undefined;
    intent?: IntentCall | undefined;
    ms: number;
  };
  "action.published": RunMeta & ActionOutcome;
  "action.failed": RunMeta & ActionOutcome;
  "tts.played": RunMeta & { text: string; ms: number };
  "pipeline.ended": RunMeta & { reason: RunEndReason; timings: Record<string, number> };
  "assistant.state": { siteId: string; state: AssistantState };
  /** A timer started, changed, stopped or rang on this satellite (not tied to one run). */
  "timer.changed": { siteId: string } & TimerChange;
  /** A message to say on every Hearth (HassBroadcast), from this satellite. */
  "broadcast.sent": { siteId: string; message: string };
  /** Something to find and play on media players (HassMediaSearchAndPlay). */
  "media.requested": { siteId: string } & MediaRequest;
  /** An item was added to or checked off one of the lists Hearth keeps. */
  "list.changed": { siteId: string } & ListChange;
}
