import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { intentsSchema } from "../../src/config/schema.js";
import { resolveStateDir } from "../../src/config/state-dir.js";
import type { Clock } from "../../src/core/clock.js";
import { type CompiledSentences, loadSentences } from "../../src/intents/sentences.js";
import { TextUnderstanding } from "../../src/intents/text-understanding.js";
import { formatDuration, type Timer, TimerManager, type TimerSelector } from "../../src/intents/timers.js";
import type { Slots } from "../../src/intents/types.js";
import { Registry } from "../../src/registry/registry.js";
import { ManualClock } from "../helpers/manual-clock.js";

const managers: TimerManager[] = [];
/** A manager whose rings go to `onFinished` (the other changes are not looked at). */
function manager(clock: Clock, onFinished?: (t: Timer) => void): TimerManager {
  const m = new TimerManager(clock, (c) => {
    if (c.event === "finished") onFinished?.(c.timer);
  });
  managers.push(m);
  return m;
}

afterEach(() => {
  for (const m of managers.splice(0)) m.cancelAll();
});

describe("formatDuration", () => {
  it.each<[number, string]>([
    [0, "0 seconds"],
    [1, "1 second"],
    [45, "45 seconds"],
    [60, "1 minute"],
    [90, "1 minute and 30 seconds"],
    [300, "5 minutes"],
    [3600, "1 hour"],
    [3661, "1 hour, 1 minute and 1 second"],
    [5400, "1 hour and 30 minutes"],
    [7200, "2 hours"],
    [7205, "2 hours and 5 seconds"],
  ])("says %d seconds as %j", (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe("TimerManager", () => {
  it("counts down with the clock", () => {
    const clock = new ManualClock();
    const timers = manager(clock);
    const t = timers.start(300, "pizza");
    expect(t).toMatchObject({ seconds: 300, name: "pizza" });
    expect(timers.left(t)).toBe(300);
    clock.advance(61_000);
    expect(timers.left(t)).toBe(239);
    clock.advance(1_000_000);
    expect(timers.left(t)).toBe(0);
  });

  it("stands still while paused and goes on after resuming", () => {
    const clock = new ManualClock();
    const timers = manager(clock);
    const t = timers.start(300);
    clock.advance(100_000);
    timers.pause(t);
    clock.advance(500_000);
    expect(timers.left(t)).toBe(200);
    timers.pause(t);
    expect(timers.left(t)).toBe(200);
    timers.resume(t);
    clock.advance(50_000);
    expect(timers.left(t)).toBe(150);
    timers.resume(t);
    expect(timers.left(t)).toBe(150);
  });

  it.each<[string, boolean, number, number]>([
    ["adds time to a running timer", false, 60, 260],
    ["takes time off a running timer", false, -60, 140],
    ["adds time to a paused timer", true, 60, 260],
    ["takes time off a paused timer, down to zero", true, -500, 0],
  ])("%s", (_what, paused, seconds, left) => {
    const clock = new ManualClock();
    const timers = manager(clock);
    const t = timers.start(300);
    clock.advance(100_000);
    if (paused) timers.pause(t);
    timers.adjust(t, seconds);
    expect(timers.left(t)).toBe(left);
  });

  it.each<[string, { name?: string; startSeconds?: number }, string | undefined]>([
    ["the latest timer without a selector", {}, "tea"],
    ["a timer by name, in any case", { name: "PIZZA" }, "pizza"],
    ["a timer by the length it started with", { startSeconds: 600 }, "pizza"],
    ["nothing for an unknown name", { name: "eggs" }, undefined],
    ["nothing for an unknown length", { startSeconds: 60 }, undefined],
    ["nothing when the length fits several", { startSeconds: 300 }, undefined],
  ])("finds %s", (_what, selector, name) => {
    const timers = manager(new ManualClock());
    timers.start(300, "eggs boiled");
    timers.start(600, "pizza");
    timers.start(300, "tea");
    expect(timers.find(selector)?.name).toBe(name);
  });

  it.each<[string, TimerSelector, number | undefined]>([
    ["the timer called like a room said as the room", { area: "Garage", areaNames: ["Garage"] }, 600],
    ["the timer called like a room said as its name", { name: "garage", areaNames: ["Garage"] }, 600],
    ["the timer called by a room's alias", { area: "Pantry", areaNames: ["Pantry", "pie"] }, 120],
    ["the room's timer where none is called so", { area: "Cellar", areaNames: ["Cellar", "vault"] }, 60],
    ["the room's timer, its alias said as a name", { name: "vault", areaNames: ["Cellar", "vault"] }, 60],
    [
      "no other room's timer for a name and a room",
      { name: "pie", area: "Garage", areaNames: ["Garage"] },
      undefined,
    ],
    ["nothing for a room where none runs", { area: "Nursery", areaNames: ["Nursery"] }, undefined],
    ["nothing for a room's name where none runs", { name: "nursery", areaNames: ["Nursery"] }, undefined],
  ])("finds %s", (_what, selector, seconds) => {
    const timers = manager(new ManualClock());
    timers.start(600, "garage", "Kitchen");
    timers.start(300, undefined, "Garage");
    timers.start(120, "pie", "Kitchen");
    timers.start(60, undefined, "Cellar");
    expect(timers.find(selector)?.seconds).toBe(seconds);
  });

  it("finds the latest timer set in a room, by the room's name said as a timer's", () => {
    const timers = manager(new ManualClock());
    timers.start(300, undefined, "Garage");
    timers.start(200, undefined, "Garage");
    expect(timers.find({ name: "garage", areaNames: ["Garage"] })?.seconds).toBe(200);
    expect(timers.find({ area: "Garage", areaNames: ["Garage"] })?.seconds).toBe(200);
  });

  it("finds nothing when there are no timers", () => {
    expect(manager(new ManualClock()).find({})).toBeUndefined();
  });

  it("cancels one timer or all of them, saying how many", () => {
    const timers = manager(new ManualClock());
    const a = timers.start(60, "a");
    timers.start(60, "b");
    timers.start(60, "c");
    timers.cancel(a);
    expect(timers.list().map((t) => t.name)).toEqual(["b", "c"]);
    expect(timers.cancelAll()).toBe(2);
    expect(timers.list()).toEqual([]);
    expect(timers.cancelAll()).toBe(0);
  });

  it("reports every change with the seconds left, and the ring without them", () => {
    const clock = new ManualClock();
    const changes: Array<[string, number, string | undefined, number, number]> = [];
    const timers = new TimerManager(clock, (c) =>
      changes.push([c.event, c.timer.id, c.timer.name, c.timer.seconds, c.left]),
    );
    managers.push(timers);
    const pizza = timers.start(600, "pizza");
    clock.advance(60_000);
    timers.adjust(pizza, 120);
    timers.pause(pizza);
    timers.pause(pizza);
    clock.advance(30_000);
    timers.resume(pizza);
    const tea = timers.start(5);
    timers.cancel(tea);
    timers.cancel(tea);
    clock.advance(660_000);
    expect(changes).toEqual([
      ["started", 1, "pizza", 600, 600],
      ["updated", 1, "pizza", 600, 660],
      ["paused", 1, "pizza", 600, 660],
      ["resumed", 1, "pizza", 600, 660],
      ["started", 2, undefined, 5, 5],
      ["cancelled", 2, undefined, 5, 5],
      ["finished", 1, "pizza", 600, 0],
    ]);
  });

  it("rings when the time is up, and only then", () => {
    const clock = new ManualClock();
    const rung: Array<string | undefined> = [];
    const timers = manager(clock, (t) => rung.push(t.name));
    timers.start(60, "eggs");
    clock.advance(59_999);
    expect(rung).toEqual([]);
    clock.advance(1);
    expect(rung).toEqual(["eggs"]);
    expect(timers.list()).toEqual([]);
  });

  it("does not ring while paused, and rings later after more time was added", () => {
    const clock = new ManualClock();
    const rung: Array<string | undefined> = [];
    const timers = manager(clock, (t) => rung.push(t.name));
    const t = timers.start(60, "eggs");
    timers.pause(t);
    clock.advance(120_000);
    expect(rung).toEqual([]);
    timers.resume(t);
    timers.adjust(t, 30);
    clock.advance(89_999);
    expect(rung).toEqual([]);
    clock.advance(1);
    expect(rung).toEqual(["eggs"]);
  });

  it("never rings a cancelled timer, nor any after stop()", () => {
    const rung: Array<string | undefined> = [];
    const clock = new ManualClock();
    const timers = manager(clock, (t) => rung.push(t.name));
    timers.cancel(timers.start(10, "a"));
    timers.start(10, "b");
    timers.stop();
    clock.advance(60_000);
    expect(rung).toEqual([]);
  });
});

describe("timers through the text path", () => {
  let sentences: CompiledSentences;
  beforeAll(async () => {
    sentences = await loadSentences(intentsSchema.parse({}), {
      language: "en",
      configDir: ".",
      stateDir: resolveStateDir({}, "."),
    });
  });

  function textPath() {
    const clock = new ManualClock();
    const timers = manager(clock);
    const understanding = new TextUnderstanding({
      sentences,
      registry: new Registry(),
      timers,
      clock,
      fuzzyThreshold: 0.8,
    });
    return { clock, timers, understanding };
  }

  /** Says a sentence; returns the one intent's name and slots, and the reply. */
  function say(
    understanding: TextUnderstanding,
    sentence: string,
  ): { intent: string; slots: Slots; reply: string } {
    const r = understanding.understand(sentence);
    if (r.understanding.kind !== "recognized") throw new Error(`not recognised: ${sentence}`);
    expect(r.understanding.intents).toHaveLength(1);
    const [i] = r.understanding.intents;
    return { intent: i?.name ?? "", slots: i?.slots ?? {}, reply: r.reply };
  }

  it.each<[string, string, Slots, string]>([
    ["set a timer for 5 minutes", "HassStartTimer", { minutes: 5 }, "Timer set for 5 minutes."],
    [
      "start a timer for an hour and a half",
      "HassStartTimer",
      { hours: 1, minutes: 30 },
      "Timer set for 1 hour and 30 minutes.",
    ],
    ["set a timer for thirty seconds", "HassStartTimer", { seconds: 30 }, "Timer set for 30 seconds."],
    ["set a 10 minute timer", "HassStartTimer", { minutes: 10 }, "Timer set for 10 minutes."],
    [
      "set a pizza timer for 10 minutes",
      "HassStartTimer",
      { name: "pizza", minutes: 10 },
      "Timer set for 10 minutes called pizza.",
    ],
    ["remind me in 2 minutes", "HassStartTimer", { minutes: 2 }, "Timer set for 2 minutes."],
  ])("starts a timer from %j", (sentence, intent, slots, reply) => {
    const { understanding, timers } = textPath();
    expect(say(understanding, sentence)).toEqual({ intent, slots, reply });
    expect(timers.list()).toHaveLength(1);
  });

  it.each<[string, string, string]>([
    ["how much time is left", "HassTimerStatus", "There are no timers."],
    ["cancel the timer", "HassCancelTimer", "There is no such timer."],
    ["pause the timer", "HassPauseTimer", "There is no such timer."],
    ["resume the timer", "HassUnpauseTimer", "There is no such timer."],
    ["add 2 minutes to the timer", "HassIncreaseTimer", "There is no such timer."],
    ["cancel all timers", "HassCancelAllTimers", "There are no timers."],
  ])("answers %j when there is no timer", (sentence, intent, reply) => {
    const { understanding } = textPath();
    expect(say(understanding, sentence)).toMatchObject({ intent, reply });
  });

  it("follows a timer's whole life: start, status, pause, resume, add, take off, cancel", () => {
    const { understanding, timers, clock } = textPath();
    const steps: Array<[string | number, string?, Slots?, string?]> = [
      [
        "set a pizza timer for 10 minutes",
        "HassStartTimer",
        { name: "pizza", minutes: 10 },
        "Timer set for 10 minutes called pizza.",
      ],
      [60],
      [
        "how much time is left on the pizza timer",
        "HassTimerStatus",
        { name: "pizza" },
        "9 minutes left on the pizza timer.",
      ],
      ["pause the pizza timer", "HassPauseTimer", { name: "pizza" }, "The pizza timer paused."],
      [120],
      [
        "how long is left on the pizza timer",
        "HassTimerStatus",
        { name: "pizza" },
        "9 minutes left on the pizza timer.",
      ],
      ["resume the pizza timer", "HassUnpauseTimer", { name: "pizza" }, "The pizza timer resumed."],
      [30],
      [
        "add 2 minutes to the pizza timer",
        "HassIncreaseTimer",
        { minutes: 2, name: "pizza" },
        "Added 2 minutes to the timer.",
      ],
      [
        "how much time is left on the pizza timer",
        "HassTimerStatus",
        { name: "pizza" },
        "10 minutes and 30 seconds left on the pizza timer.",
      ],
      [
        "take 1 minute off the pizza timer",
        "HassDecreaseTimer",
        { minutes: 1, name: "pizza" },
        "Took 1 minute off the timer.",
      ],
      [
        "how much time is left on the pizza timer",
        "HassTimerStatus",
        { name: "pizza" },
        "9 minutes and 30 seconds left on the pizza timer.",
      ],
      ["cancel the pizza timer", "HassCancelTimer", { name: "pizza" }, "The pizza timer cancelled."],
      ["how much time is left", "HassTimerStatus", {}, "There are no timers."],
    ];
    for (const [sentence, intent, slots, reply] of steps) {
      if (typeof sentence === "number") {
        clock.advance(sentence * 1000);
        continue;
      }
      expect(say(understanding, sentence), sentence).toEqual({ intent, slots, reply });
    }
    expect(timers.list()).toEqual([]);
  });

  it("picks the timer meant by its starting length", () => {
    const { understanding, timers } = textPath();
    say(understanding, "set a timer for 5 minutes");
    say(understanding, "set a timer for 10 minutes");
    const paused = say(understanding, "pause the 5 minute timer");
    expect(paused).toMatchObject({ intent: "HassPauseTimer", slots: { start_minutes: 5 } });
    expect(paused.reply).toMatch(/^The 5 minutes? timer paused\.$/);
    expect(timers.list().map((t) => [t.seconds, t.pausedLeft !== undefined])).toEqual([
      [300, true],
      [600, false],
    ]);
    const cancelled = say(understanding, "cancel the 10 minute timer");
    expect(cancelled).toMatchObject({ intent: "HassCancelTimer", slots: { start_minutes: 10 } });
    expect(timers.list().map((t) => t.seconds)).toEqual([300]);
  });

  it("cancels all timers at once", () => {
    const { understanding, timers } = textPath();
    say(understanding, "set a pizza timer for 10 minutes");
    say(understanding, "set a tea timer for 3 minutes");
    say(understanding, "set a timer for 1 minute");
    expect(say(understanding, "cancel all timers")).toEqual({
      intent: "HassCancelAllTimers",
      slots: {},
      reply: "Cancelled all 3 timers.",
    });
    expect(timers.list()).toEqual([]);
    say(understanding, "set a timer for 1 minute");
    expect(say(understanding, "cancel all the timers").reply).toBe("Cancelled the timer.");
  });

  it("does not cancel a timer whose name is not known", () => {
    const { understanding, timers } = textPath();
    say(understanding, "set a pizza timer for 10 minutes");
    expect(say(understanding, "cancel the eggs timer")).toMatchObject({
      intent: "HassCancelTimer",
      slots: { name: "eggs" },
      reply: "There is no such timer.",
    });
    expect(timers.list().map((t) => t.name)).toEqual(["pizza"]);
  });
});
