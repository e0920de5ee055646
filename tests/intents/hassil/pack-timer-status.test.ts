import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { intentsSchema } from "../../../src/config/schema.js";
import { resolveStateDir } from "../../../src/config/state-dir.js";
import { type CompiledSentences, loadSentences } from "../../../src/intents/sentences.js";
import { TextUnderstanding } from "../../../src/intents/text-understanding.js";
import { TimerManager } from "../../../src/intents/timers.js";
import { ManualClock } from "../../helpers/manual-clock.js";
import { packHome } from "./homes.js";

/**
 * "How long is left on the timer" answered by the language pack's own status response
 * (../shared/ha-intents, CC BY 4.0), from the timers Hearth keeps: the time left on the timer asked
 * about, the soonest of several, and none. Time moves only when the test moves it.
 */
const PACK = "../shared/ha-intents";

async function sentencesFrom(language: "en" | "de"): Promise<CompiledSentences> {
  const configDir = process.cwd();
  return loadSentences(intentsSchema.parse({ packs: [PACK] }), {
    language,
    configDir,
    stateDir: resolveStateDir({}, configDir),
  });
}

function kitchen(sentences: CompiledSentences, language: "en" | "de") {
  const clock = new ManualClock();
  const u = new TextUnderstanding({
    sentences,
    registry: packHome(language),
    timers: new TimerManager(clock),
    clock,
    fuzzyThreshold: 0.8,
  });
  const say = (text: string) => {
    const r = u.understand(text, { area: "kitchen" });
    const names = r.understanding.kind === "recognized" ? r.understanding.intents.map((i) => i.name) : [];
    return { reply: r.reply, names };
  };
  return { say, clock };
}

describe("the English pack's timer status", () => {
  let sentences: CompiledSentences;
  let home: ReturnType<typeof kitchen>;
  beforeAll(async () => {
    sentences = await sentencesFrom("en");
  });
  beforeEach(() => {
    home = kitchen(sentences, "en");
  });

  it("says the time left on the one timer running, rounded as spoken", () => {
    expect(home.say("set a pizza timer for 12 minutes").names).toEqual(["HassStartTimer"]);
    home.clock.advance(450_000);
    const asked = home.say("how long is left on the pizza timer");
    expect(asked.names).toEqual(["HassTimerStatus"]);
    expect(asked.reply).toMatch(/\b4 minutes and 30 seconds\b/);
  });

  it("rounds a little under ten minutes up to ten", () => {
    home.say("set a pizza timer for 12 minutes");
    home.clock.advance(130_000);
    const reply = home.say("timer status").reply;
    expect(reply).toMatch(/\b10 minutes\b/);
    expect(reply).not.toMatch(/seconds/);
  });

  it("tells the soonest of several running timers, and how many run", () => {
    home.say("set a pizza timer for 12 minutes");
    home.say("set a tea timer for 3 minutes");
    home.clock.advance(60_000);
    const reply = home.say("timer status").reply;
    expect(reply).toMatch(/\b2\b/);
    expect(reply).toMatch(/\b2 minutes\b/);
    expect(reply).toMatch(/\btea\b/);
    expect(reply).not.toMatch(/pizza|11/);
  });

  it("tells only the timer asked about by name", () => {
    home.say("set a pizza timer for 12 minutes");
    home.say("set a tea timer for 3 minutes");
    home.clock.advance(60_000);
    const reply = home.say("how long is left on the pizza timer").reply;
    expect(reply).toMatch(/\b11 minutes\b/);
    expect(reply).not.toMatch(/tea|\b2 minutes/);
  });

  it("says a paused timer is paused, with the time it kept", () => {
    home.say("set a pizza timer for 12 minutes");
    home.clock.advance(300_000);
    expect(home.say("pause the pizza timer").names).toEqual(["HassPauseTimer"]);
    home.clock.advance(600_000);
    const reply = home.say("how long is left on the pizza timer").reply;
    expect(reply).toMatch(/paused/);
    expect(reply).toMatch(/\b7 minutes\b/);
  });

  it("says there are none when no timer runs, and not after one rang", () => {
    const before = home.say("timer status").reply;
    expect(before).toMatch(/\bno timers\b/i);
    home.say("set a tea timer for 3 minutes");
    expect(home.say("timer status").reply).not.toMatch(/\bno timers\b/i);
    home.clock.advance(180_000);
    expect(home.say("timer status").reply).toBe(before);
  });
});

describe("the German pack's timer status", () => {
  let sentences: CompiledSentences;
  let home: ReturnType<typeof kitchen>;
  beforeAll(async () => {
    sentences = await sentencesFrom("de");
  });
  beforeEach(() => {
    home = kitchen(sentences, "de");
  });

  it("says the time left on the timer, in German", () => {
    expect(home.say("stelle einen Timer für 12 Minuten namens Pizza").names).toEqual(["HassStartTimer"]);
    home.clock.advance(450_000);
    const asked = home.say("wie lange läuft der Pizza Timer noch");
    expect(asked.names).toEqual(["HassTimerStatus"]);
    expect(asked.reply).toMatch(/\b4 Minuten und 30 Sekunden\b/);
  });

  it("tells the soonest of two and names it", () => {
    home.say("stelle einen Timer für 12 Minuten namens Pizza");
    home.say("stelle einen Timer für 3 Minuten namens Tee");
    home.clock.advance(60_000);
    const reply = home.say("Timer Status").reply;
    expect(reply).toMatch(/\b2 Minuten\b/);
    expect(reply).toMatch(/\bTee\b/i);
    expect(reply).not.toMatch(/Pizza|11/i);
  });

  it("says none runs when there is none", () => {
    const none = home.say("Timer Status").reply;
    home.say("stelle einen Timer für 3 Minuten namens Tee");
    expect(home.say("Timer Status").reply).not.toBe(none);
    expect(none).not.toMatch(/\d/);
  });
});
