import type { Clock } from "../core/clock.js";

/** A running or paused timer. */
export interface Timer {
  id: number;
  name?: string | undefined;
  /** The area it was set in (or for), when known: "the kitchen timer". */
  area?: string | undefined;
  /**
   * A sentence to carry out when it ends instead of ringing ("turn off the lights in 10 minutes":
   * Home Assistant's `conversation_command`), said in `area`.
   */
  command?: string | undefined;
  /** The length it was started with, in seconds. */
  seconds: number;
  /** Monotonic time it ends at (running), or undefined when paused. */
  endsAt?: number | undefined;
  /** Seconds left when paused. */
  pausedLeft?: number | undefined;
}

/** Which timer a command means: by name, by its starting length, or the only/latest one. */
export interface TimerSelector {
  name?: string | undefined;
  /** The area it was set in. */
  area?: string | undefined;
  /**
   * Every name of the area said (`area`), or of the area called like the `name` said: its name and
   * its aliases. "The laundry timer" is a timer called by one of them first, else one set there,
   * whichever of the two the sentence was read as.
   */
  areaNames?: readonly string[] | undefined;
  startSeconds?: number | undefined;
}

/** What happened to a timer (Home Assistant's timer events, and `<base>/<site>/event/timer`). */
export type TimerEventName = "started" | "updated" | "paused" | "resumed" | "cancelled" | "finished";

/** One change of one timer: the timer as it is now, and the seconds it has left. */
export interface TimerChange {
  event: TimerEventName;
  timer: Timer;
  left: number;
}

/**
 * Timers kept in memory. `onChange` hears every change, "finished" when one rings (the daemon
 * speaks it and publishes it, or carries out its command); the process is never kept alive by a
 * timer alone.
 */
export class TimerManager {
  /**
   * `ring` is the clock timeout now armed for the timer; one armed before a change (pause, adjust,
   * cancel) finds itself replaced when it ends and does nothing.
   */
  readonly #timers = new Map<number, { timer: Timer; ring?: AbortSignal | undefined }>();
  #nextId = 1;
  #stopped = false;

  constructor(
    readonly clock: Clock,
    readonly onChange: (change: TimerChange) => void = () => {},
  ) {}

  /** `command`: the sentence to carry out when it ends (see Timer.command); cancelling drops it. */
  start(seconds: number, name?: string, area?: string, command?: string): Timer {
    const timer: Timer = { id: this.#nextId++, seconds, endsAt: this.clock.monotonic() + seconds * 1000 };
    if (name) timer.name = name;
    if (area) timer.area = area;
    if (command) timer.command = command;
    this.#timers.set(timer.id, { timer });
    this.#schedule(timer.id);
    this.#changed("started", timer);
    return timer;
  }

  list(): Timer[] {
    return [...this.#timers.values()].map((t) => t.timer);
  }

  /** Seconds left on a timer. */
  left(timer: Timer): number {
    if (timer.pausedLeft !== undefined) return timer.pausedLeft;
    return Math.max(0, Math.round(((timer.endsAt ?? 0) - this.clock.monotonic()) / 1000));
  }

  /**
   * Finds the timer a command means; undefined when there is none or it is unclear. A name that is
   * also an area's ("the kitchen timer") means the timer called so where one runs, else the latest
   * one set in that area, whether the sentence gave it as the timer's name or as its area.
   */
  find(sel: TimerSelector): Timer | undefined {
    let found = this.list();
    const areaNames = sel.areaNames ?? [];
    // Whether a name picks its timer (else an area picks the latest set there).
    let byName = false;
    if (sel.name) {
      const called = named(found, [sel.name]);
      byName = called.length > 0 || sel.area !== undefined || areaNames.length === 0;
      found = byName ? called : setIn(found, areaNames);
    } else if (sel.area) {
      const names = [sel.area, ...areaNames];
      const called = named(found, names);
      byName = called.length > 0;
      found = byName ? called : setIn(found, names);
    }
    if (sel.name && sel.area) found = setIn(found, [sel.area, ...areaNames]);
    if (sel.startSeconds !== undefined) found = found.filter((t) => t.seconds === sel.startSeconds);
    // An area picks the latest timer set there, as nothing said picks the latest of all.
    if (found.length === 1 || (!byName && sel.startSeconds === undefined && found.length > 0))
      return found[found.length - 1];
    return undefined;
  }

  cancel(timer: Timer): void {
    const entry = this.#timers.get(timer.id);
    if (!entry) return;
    entry.ring = undefined;
    this.#timers.delete(timer.id);
    this.#changed("cancelled", timer);
  }

  cancelAll(): number {
    const n = this.#timers.size;
    for (const t of this.list()) this.cancel(t);
    return n;
  }

  /** Adds (or with a negative number removes) seconds. */
  adjust(timer: Timer, seconds: number): void {
    if (timer.pausedLeft !== undefined) timer.pausedLeft = Math.max(0, timer.pausedLeft + seconds);
    else timer.endsAt = (timer.endsAt ?? this.clock.monotonic()) + seconds * 1000;
    this.#schedule(timer.id);
    this.#changed("updated", timer);
  }

  pause(timer: Timer): void {
    if (timer.pausedLeft !== undefined) return;
    timer.pausedLeft = this.left(timer);
    timer.endsAt = undefined;
    const entry = this.#timers.get(timer.id);
    if (entry) entry.ring = undefined;
    this.#changed("paused", timer);
  }

  resume(timer: Timer): void {
    if (timer.pausedLeft === undefined) return;
    timer.endsAt = this.clock.monotonic() + timer.pausedLeft * 1000;
    timer.pausedLeft = undefined;
    this.#schedule(timer.id);
    this.#changed("resumed", timer);
  }

  #changed(event: TimerEventName, timer: Timer): void {
    this.onChange({ event, timer: { ...timer }, left: event === "finished" ? 0 : this.left(timer) });
  }

  #schedule(id: number): void {
    const entry = this.#timers.get(id);
    if (!entry) return;
    entry.ring = undefined;
    if (entry.timer.endsAt === undefined || this.#stopped) return;
    const ms = Math.max(0, entry.timer.endsAt - this.clock.monotonic());
    // On the injected clock: tests move time instead of waiting, and (the system clock's timeouts
    // being unref'd) a timer alone never keeps the process alive.
    const ring = this.clock.timeout(ms, "a timer");
    entry.ring = ring;
    ring.addEventListener(
      "abort",
      () => {
        if (entry.ring !== ring || this.#stopped) return;
        this.#timers.delete(id);
        this.#changed("finished", entry.timer);
      },
      { once: true },
    );
  }

  /** No timer rings after this (shutdown). */
  stop(): void {
    this.#stopped = true;
    for (const entry of this.#timers.values()) entry.ring = undefined;
  }
}

/** "1 hour and 30 minutes", "45 seconds". */
export function formatDuration(totalSeconds: number): string {
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = Math.round(totalSeconds % 60);
  const parts: string[] = [];
  if (h) parts.push(`${h} ${h === 1 ? "hour" : "hours"}`);
  if (m) parts.push(`${m} ${m === 1 ? "minute" : "minutes"}`);
  if (s || parts.length === 0) parts.push(`${s} ${s === 1 ? "second" : "seconds"}`);
  return parts.length === 1
    ? (parts[0] as string)
    : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}

/**
 * The timers called by one of `names`: as said, else (when none is) as said with the "'s" or the
 * plural speech and typing run into it ("how long till the pizza's done": the pizza timer).
 */
function named(timers: Timer[], names: readonly string[]): Timer[] {
  const said = names.map((n) => n.toLowerCase());
  const exact = timers.filter((t) => t.name !== undefined && said.includes(t.name.toLowerCase()));
  if (exact.length > 0) return exact;
  const plain = said.map(singular);
  return timers.filter((t) => t.name !== undefined && plain.includes(singular(t.name)));
}

/** The timers set in the area called by one of `names`. */
function setIn(timers: Timer[], names: readonly string[]): Timer[] {
  const said = names.map((n) => n.toLowerCase());
  return timers.filter((t) => t.area !== undefined && said.includes(t.area.toLowerCase()));
}

/** A timer's name without a trailing "s" or "'s" ("pizzas", "pizza's": "pizza"). */
function singular(name: string): string {
  const n = name.toLowerCase().replace(/['’]s$/u, "");
  return n.length > 3 && n.endsWith("s") ? n.slice(0, -1) : n;
}
