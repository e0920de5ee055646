import { type HandlerName, intentSpec } from "./catalog.js";
import { type ListStore, SHOPPING_LIST } from "./lists.js";
import type { Timer, TimerManager } from "./timers.js";
import type { RecognizedIntent, Slots } from "./types.js";

/**
 * The act step for the intents Hearth carries out itself (the catalog names their handler):
 * timers start, change and stop here, never in the reply. Each handler returns what it did, and the
 * reply (replies.ts) only reads that.
 */

/** What Hearth's own handlers work with. */
export interface IntentServices {
  timers: TimerManager;
  /** The lists Hearth keeps; absent where nothing may be written (`hearth parse`). */
  lists?: ListStore | undefined;
  /** Says a message on every Hearth on the broker (HassBroadcast); absent without one. */
  broadcast?: ((message: string) => void) | undefined;
  /** Asks the media players to find and play something (HassMediaSearchAndPlay); absent without a broker. */
  playMedia?: ((request: MediaRequest) => void) | undefined;
  /**
   * The names of the area called `said` (its name, then its aliases); empty where no area is called
   * so. Absent: a timer is found by the words said alone.
   */
  areaNames?: ((said: string) => readonly string[]) | undefined;
}

/** What HassMediaSearchAndPlay asks for, in Home Assistant's slot names. */
export interface MediaRequest {
  search_query: string;
  media_class?: string | undefined;
  /** The media players to play it on. */
  targets: string[];
}

/** A timer as it was when the handler ran, with the seconds it had left. */
export interface TimerSnapshot {
  timer: Timer;
  left: number;
}

/** What a handler did, for the reply. */
export type Done =
  | { kind: "timer-started"; timer: Timer }
  | { kind: "timer-needs-duration" }
  | { kind: "no-timer" }
  | { kind: "timer-cancelled"; timer: Timer }
  | { kind: "timers-cancelled"; count: number }
  | { kind: "timer-adjusted"; timer: Timer; seconds: number }
  | { kind: "timer-paused"; timer: Timer }
  | { kind: "timer-resumed"; timer: Timer }
  /** How long is left: on the timer meant, or on all of them (none: there are no timers). */
  | { kind: "timer-status"; timers: TimerSnapshot[] }
  | { kind: "list-added"; list: string; item: string }
  | { kind: "list-completed"; list: string; item: string }
  | { kind: "list-item-missing"; list: string; item: string }
  /** What is still to do on a list, in the order it was added (none: the list is empty). */
  | { kind: "list-items"; list: string; items: string[] }
  /** Lists cannot be kept here (no state directory to write to). */
  | { kind: "no-lists" }
  | { kind: "broadcast"; message: string }
  | { kind: "media-requested"; query: string; mediaClass?: string | undefined }
  /** Nothing here can carry it out (no broker to broadcast or play over). */
  | { kind: "unavailable" };

/** Whether a handler could not do what was asked (no such timer, nothing to broadcast over …). */
export function notDone(done: Done | undefined): boolean {
  return (
    done !== undefined &&
    ["timer-needs-duration", "no-timer", "list-item-missing", "no-lists", "unavailable"].includes(done.kind)
  );
}

/** `area`: the name of the area the sentence was said in, if known. */
type Handler = (intent: RecognizedIntent, services: IntentServices, area?: string) => Done | undefined;

const HANDLERS: Record<HandlerName, Handler> = {
  timer: handleTimer,
  list: handleList,
  broadcast: (intent, { broadcast }) => {
    const said = typeof intent.slots.message === "string" ? intent.slots.message.trim() : "";
    // "tell Anna dinner is ready" is heard in every room: her name says who it is for.
    const to = typeof intent.slots.name === "string" ? intent.slots.name : "";
    const message = to && said ? `${to}, ${said}` : said;
    if (!broadcast || message === "") return { kind: "unavailable" };
    broadcast(message);
    return { kind: "broadcast", message };
  },
  media: (intent, { playMedia }) => {
    const query = typeof intent.slots.search_query === "string" ? intent.slots.search_query.trim() : "";
    const mediaClass = typeof intent.slots.media_class === "string" ? intent.slots.media_class : undefined;
    if (!playMedia || query === "") return { kind: "unavailable" };
    playMedia({
      search_query: query,
      ...(mediaClass ? { media_class: mediaClass } : {}),
      targets: intent.targets,
    });
    return { kind: "media-requested", query, mediaClass };
  },
};

/**
 * Carries out an intent Hearth handles itself; undefined for the rest (devices, questions, custom).
 * `area` is where it was said (a timer remembers it: "the kitchen timer").
 */
export function actLocally(
  intent: RecognizedIntent,
  services: IntentServices,
  area?: string,
): Done | undefined {
  const handler = intentSpec(intent.name)?.handler;
  if (handler) return HANDLERS[handler](intent, services, area);
  // A device switched on or off for a while ("the heater on for half an hour"): a timer that
  // switches it back when the while is over.
  const s = intent.slots;
  if (
    (intent.name === "HassTurnOn" || intent.name === "HassTurnOff") &&
    typeof s.for_seconds === "number" &&
    s.for_seconds > 0 &&
    typeof s.conversation_command === "string"
  )
    return {
      kind: "timer-started",
      timer: services.timers.start(s.for_seconds, undefined, area, s.conversation_command),
    };
  return undefined;
}

/** A duration from the slots: `hours`, `minutes`, `seconds` (or `start_hours` … with a prefix). */
export function slotSeconds(s: Slots, prefix = ""): number {
  const n = (k: string) => (typeof s[prefix + k] === "number" ? (s[prefix + k] as number) : 0);
  return n("hours") * 3600 + n("minutes") * 60 + n("seconds");
}

/** The list intents that read a list out rather than change it. */
const READS: ReadonlySet<string> = new Set(["HassShoppingListLastItems", "HassListGetItems"]);

/** To-do and shopping lists: the shopping list, or the `todo` entity the sentence names. */
function handleList(intent: RecognizedIntent, { lists }: IntentServices): Done | undefined {
  if (!lists) return { kind: "no-lists" };
  const item = typeof intent.slots.item === "string" ? intent.slots.item.trim() : "";
  const shopping = intent.name.startsWith("HassShoppingList");
  const named = shopping ? undefined : intent.targets[0];
  const id = named ?? SHOPPING_LIST.id;
  const name =
    lists.list(id)?.name ?? (typeof intent.slots.name === "string" ? intent.slots.name : SHOPPING_LIST.name);
  if (READS.has(intent.name)) {
    const open = lists.list(id)?.items.filter((i) => i.status === "needs_action") ?? [];
    return { kind: "list-items", list: name, items: open.map((i) => i.summary) };
  }
  if (item === "") return { kind: "list-item-missing", list: name, item };
  if (intent.name.endsWith("AddItem")) {
    const added = lists.add(id, name, item);
    return { kind: "list-added", list: name, item: added.summary };
  }
  const done = lists.complete(id, item);
  return done
    ? { kind: "list-completed", list: name, item: done.summary }
    : { kind: "list-item-missing", list: name, item };
}

function handleTimer(
  intent: RecognizedIntent,
  { timers, areaNames }: IntentServices,
  here?: string,
): Done | undefined {
  const s = intent.slots;
  const name = typeof s.name === "string" ? s.name : undefined;
  // "the kitchen timer": one set in the kitchen (Home Assistant's area slot of the timer intents),
  // or one called kitchen; the sentence may have given the word as either.
  const area = typeof s.area === "string" ? s.area : undefined;
  const start = slotSeconds(s, "start_");
  const place = area ?? name;
  const find = () =>
    timers.find({
      name,
      area,
      areaNames: place !== undefined ? areaNames?.(place) : undefined,
      startSeconds: start > 0 ? start : undefined,
    });
  switch (intent.name) {
    case "HassStartTimer": {
      const secs = slotSeconds(s);
      if (secs <= 0) return { kind: "timer-needs-duration" };
      // "turn off the lights in 10 minutes": the sentence is carried out when the timer ends.
      const command = typeof s.conversation_command === "string" ? s.conversation_command.trim() : "";
      return { kind: "timer-started", timer: timers.start(secs, name, area ?? here, command || undefined) };
    }
    case "HassCancelAllTimers":
      return { kind: "timers-cancelled", count: timers.cancelAll() };
    case "HassTimerStatus": {
      const all = timers.list();
      // With several timers and none named, tell them all.
      const named = name !== undefined || area !== undefined || start > 0;
      const one = named || all.length === 1 ? find() : undefined;
      // "How long on the pasta" with only the roast timer running: no such timer, not the roast's.
      if (named && !one && all.length > 0) return { kind: "no-timer" };
      const shown = one ? [one] : all;
      return { kind: "timer-status", timers: shown.map((timer) => ({ timer, left: timers.left(timer) })) };
    }
  }
  const t = find();
  if (!t) return { kind: "no-timer" };
  switch (intent.name) {
    case "HassCancelTimer":
      timers.cancel(t);
      return { kind: "timer-cancelled", timer: t };
    case "HassIncreaseTimer":
    case "HassDecreaseTimer": {
      const secs = slotSeconds(s);
      timers.adjust(t, intent.name === "HassIncreaseTimer" ? secs : -secs);
      return { kind: "timer-adjusted", timer: t, seconds: secs };
    }
    case "HassPauseTimer":
      timers.pause(t);
      return { kind: "timer-paused", timer: t };
    case "HassUnpauseTimer":
      timers.resume(t);
      return { kind: "timer-resumed", timer: t };
    default:
      return undefined;
  }
}
