import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CompiledSentences } from "../../src/intents/sentences.js";
import type { Timer } from "../../src/intents/timers.js";
import { type ActingUnderstanding, ENGLISH_VARIANTS, openYamlHome } from "../helpers/understanding.js";

/**
 * "The garage timer" in a home where a timer may be called like a room: the timer called so, the
 * one set in that room, both, or neither. With Hearth's own English alone and with Home Assistant's
 * English pack beside it (../shared/ha-intents, CC BY 4.0). A house of its own, through the real
 * matcher and the real timers.
 */
const HOME = `
areas:
  - { name: Kitchen }
  - { name: Garage }
  - { name: Nursery }
  - { name: Pantry, aliases: [larder] }
  - { name: Boiler Room, aliases: [boiler] }
devices:
  - { id: light.kitchen, name: Kitchen Light, area: Kitchen, state: "off" }
  - { id: light.garage, name: Garage Light, area: Garage, state: "off" }
  - { id: light.nursery, name: Nursery Lamp, area: Nursery, state: "off" }
`;

describe.each(ENGLISH_VARIANTS)("%s", (_, load) => {
  let sentences: CompiledSentences;
  let home: ActingUnderstanding;

  beforeAll(async () => {
    sentences = await load();
  });

  beforeEach(async () => {
    home = await openYamlHome(HOME, sentences);
    return () => home.close();
  });

  const say = (text: string, area: string) => home.saidOnce(text, area);
  /** What is running, from the timers' own changes: each timer's name (or "-") and the room it was set in. */
  const running = () => {
    const live = new Map<number, Timer>();
    for (const { event, timer } of home.timerEvents) {
      if (event === "cancelled" || event === "finished") live.delete(timer.id);
      else live.set(timer.id, timer);
    }
    return [...live.values()].map(
      (t) => `${t.name ?? "-"} in ${t.area}${t.pausedLeft !== undefined ? " (paused)" : ""}`,
    );
  };

  it("finds a timer by its own name, wherever it was set", () => {
    say("set a bread timer for 20 minutes", "Kitchen");
    say("set a timer for 2 minutes", "Nursery");
    expect(say("stop the bread timer", "Garage").name).toBe("HassCancelTimer");
    expect(running()).toEqual(["- in Nursery"]);
  });

  it("takes a timer called like a room for the one meant, said from anywhere", () => {
    say("set a garage timer for 15 minutes", "Kitchen");
    say("set a timer for 5 minutes", "Nursery");
    expect(say("pause the garage timer", "Nursery").name).toBe("HassPauseTimer");
    expect(running()).toEqual(["garage in Kitchen (paused)", "- in Nursery"]);
    expect(say("resume the garage timer", "Nursery").name).toBe("HassUnpauseTimer");
    expect(say("cancel the garage timer", "Nursery").name).toBe("HassCancelTimer");
    expect(running()).toEqual(["- in Nursery"]);
  });

  it("takes a timer called by a room's alias when the room is said by its name", () => {
    say("set a boiler timer for 45 minutes", "Kitchen");
    say("set a timer for 5 minutes", "Nursery");
    say("cancel the boiler room timer", "Nursery");
    expect(running()).toEqual(["- in Nursery"]);
  });

  it("takes the timer set in a room for the room's timer, by its name or an alias", () => {
    say("set a timer for 10 minutes", "Garage");
    say("set a timer for 3 minutes", "Pantry");
    say("set a timer for 1 minute", "Nursery");
    say("pause the garage timer", "Kitchen");
    expect(running()).toEqual(["- in Garage (paused)", "- in Pantry", "- in Nursery"]);
    say("cancel the larder timer", "Kitchen");
    expect(running()).toEqual(["- in Garage (paused)", "- in Nursery"]);
  });

  it("takes the timer called like the room first, then the one set in the room", () => {
    say("set a timer for 10 minutes", "Garage");
    say("set a garage timer for 30 minutes", "Kitchen");
    say("set a timer for 1 minute", "Nursery");
    say("cancel the garage timer", "Nursery");
    expect(running()).toEqual(["- in Garage", "- in Nursery"]);
    say("cancel the garage timer", "Nursery");
    expect(running()).toEqual(["- in Nursery"]);
    // Neither runs now: the Nursery's timer is not the garage timer.
    say("cancel the garage timer", "Nursery");
    expect(running()).toEqual(["- in Nursery"]);
  });

  it("reads a room said by an alias before 'timer' as the timer's name, and said by its name as the room", () => {
    expect(say("cancel the larder timer", "Kitchen").slots).toEqual({ name: "larder" });
    expect(say("cancel the pantry timer", "Kitchen").slots).toEqual({ area: "Pantry" });
  });

  it("changes nothing when no timer runs", () => {
    for (const text of [
      "cancel the garage timer",
      "pause the bread timer",
      "add 2 minutes to the larder timer",
    ]) {
      const r = home.understand(text, { area: "Kitchen" });
      expect(r.understanding.kind, text).toBe("recognized");
      expect(r.reply, text).not.toBe("");
    }
    expect(home.timerEvents).toEqual([]);
  });
});
