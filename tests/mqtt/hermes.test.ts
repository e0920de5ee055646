import { connectAsync, type MqttClient } from "mqtt";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { HearthEvents } from "../../src/core/events.js";
import { silentLogger } from "../../src/core/logger.js";
import { TimerManager } from "../../src/intents/timers.js";
import { EmbeddedBroker } from "../../src/mqtt/embedded-broker.js";
import { hermesSlots, terminationReason } from "../../src/mqtt/hermes.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { type Harness, Inbox, makeHarness, unique } from "./harness.js";

type Json = Record<string, unknown>;

describe("Hermes (Rhasspy / Snips) topics", () => {
  let broker: EmbeddedBroker;
  let observer: MqttClient;
  let inbox: Inbox;
  const harnesses: Harness[] = [];

  beforeAll(async () => {
    broker = new EmbeddedBroker({ port: 0, logger: silentLogger() });
    const url = await broker.start();
    observer = await connectAsync(url, { clientId: unique("observer") });
    inbox = new Inbox(observer);
    await observer.subscribeAsync("hermes/#", { qos: 1 });
  });
  afterAll(async () => {
    await observer?.endAsync(true);
    await broker?.stop();
  });
  afterEach(async () => {
    for (const h of harnesses.splice(0)) await h.stop();
  });

  async function started(o: { hermes?: boolean; exposeTranscript?: boolean } = {}): Promise<Harness> {
    const h = await makeHarness({ url: broker.url as string, ...o });
    harnesses.push(h);
    await h.start();
    return h;
  }

  /** Hermes messages of one site, parsed, from index `from`. */
  function hermes(siteId: string, topic: string, from = 0): Json[] {
    return inbox.messages
      .slice(from)
      .filter((m) => m.topic === topic)
      .map((m) => JSON.parse(m.payload.toString()) as Json)
      .filter((p) => p.siteId === siteId);
  }

  it("answers hermes/nlu/query with hermes/intent/<name> in rhasspy-hermes shape", async () => {
    const h = await started();
    const recognized = new Promise<HearthEvents["intent.recognized"]>((resolve) =>
      h.bus.once("intent.recognized", resolve),
    );
    const from = inbox.messages.length;
    await observer.publishAsync(
      "hermes/nlu/query",
      JSON.stringify({ input: "turn on the kitchen lamp", siteId: h.siteId, id: "q-1", sessionId: "s-1" }),
      { qos: 1 },
    );
    await inbox.until(() => hermes(h.siteId, "hermes/dialogueManager/sessionEnded", from).length > 0);
    const event = await recognized;
    const intent = event.intents[0];
    if (!intent) throw new Error("no intent recognised");
    const [message] = hermes(h.siteId, "hermes/intent/HassTurnOn", from);
    expect(message).toMatchObject({
      input: "turn on the kitchen lamp",
      intent: { intentName: "HassTurnOn", confidenceScore: 1 },
      siteId: h.siteId,
      id: "q-1",
      sessionId: "s-1",
    });
    const slots = message?.slots as Json[];
    expect(slots).toEqual(
      Object.entries(intent.slots).map(([name, value]) => ({
        entity: name,
        slotName: name,
        rawValue: String(value),
        value: { kind: typeof value === "number" ? "Number" : "Unknown", value },
        confidence: 1,
      })),
    );
    expect(slots.some((s) => s.slotName === "name")).toBe(true);
    expect(hermes(h.siteId, "hermes/dialogueManager/sessionStarted", from)).toEqual([
      { sessionId: "s-1", siteId: h.siteId, customData: null, lang: "en" },
    ]);
    // The kitchen lamp is known only from the config: acting on it failed.
    expect(hermes(h.siteId, "hermes/dialogueManager/sessionEnded", from)).toEqual([
      { termination: { reason: "error" }, sessionId: "s-1", siteId: h.siteId, customData: null },
    ]);
    expect(h.control.runs).toEqual([
      {
        text: "turn on the kitchen lamp",
        options: expect.objectContaining({ source: "hermes", transaction: "q-1" }),
      },
    ]);
  });

  it("publishes intentNotRecognized and ends the session with that reason", async () => {
    const h = await started();
    const from = inbox.messages.length;
    await observer.publishAsync(
      "hermes/nlu/query",
      JSON.stringify({ input: "flibber the jabberwock", siteId: h.siteId, id: "q-2" }),
      { qos: 1 },
    );
    await inbox.until(() => hermes(h.siteId, "hermes/dialogueManager/sessionEnded", from).length > 0);
    const [notRecognized] = hermes(h.siteId, "hermes/nlu/intentNotRecognized", from);
    expect(notRecognized).toMatchObject({ input: "flibber the jabberwock", id: "q-2", siteId: h.siteId });
    const [ended] = hermes(h.siteId, "hermes/dialogueManager/sessionEnded", from);
    expect(ended?.termination).toEqual({ reason: "intentNotRecognized" });
    // Without a sessionId in the query, the session is named after the run.
    expect(ended?.sessionId).toBe(notRecognized?.sessionId);
    expect(typeof ended?.sessionId).toBe("string");
  });

  it("also reports runs that came from Hearth's own command topic", async () => {
    const h = await started();
    const from = inbox.messages.length;
    const result = await h.control.runText("what time is it", { source: "mqtt" });
    await inbox.until(() => hermes(h.siteId, "hermes/dialogueManager/sessionEnded", from).length > 0);
    expect(hermes(h.siteId, "hermes/intent/HassGetCurrentTime", from)).toEqual([
      expect.objectContaining({ input: "what time is it", sessionId: result.runId, id: null }),
    ]);
    expect(hermes(h.siteId, "hermes/dialogueManager/sessionEnded", from)[0]?.termination).toEqual({
      reason: "nominal",
    });
  });

  /** A spoken run as the listening loop makes one: wake word, transcript, then the text pipeline. */
  async function spoken(h: Harness, text: string): Promise<void> {
    const runId = unique("run");
    h.bus.emit("wake.detected", { runId, siteId: h.siteId, word: "hey_jarvis", score: 0.9 });
    h.bus.emit("stt.transcript", { runId, siteId: h.siteId, text, ms: 12 });
    await h.pipeline.run(text, { runId });
    await inbox.until(() =>
      inbox.messages.some((m) => m.topic.endsWith("sessionEnded") && m.payload.includes(runId)),
    );
  }

  it("keeps what was heard off Hermes while transcripts are not exposed", async () => {
    const h = await started();
    const from = inbox.messages.length;
    await spoken(h, "turn on the kitchen lamp");
    await spoken(h, "flibber the jabberwock");
    const mine = inbox.messages.slice(from).filter((m) => m.payload.includes(h.siteId));
    // The intent still reaches Rhasspy skills, without the words it was heard as.
    expect(hermes(h.siteId, "hermes/intent/HassTurnOn", from)).toEqual([
      expect.objectContaining({ input: "", rawInput: "", slots: expect.any(Array) }),
    ]);
    expect(hermes(h.siteId, "hermes/nlu/intentNotRecognized", from)).toEqual([
      expect.objectContaining({ input: "" }),
    ]);
    expect(hermes(h.siteId, "hermes/asr/textCaptured", from)).toEqual([]);
    expect(mine.length).toBeGreaterThan(4);
    for (const m of mine) {
      expect(m.payload.toString()).not.toMatch(/kitchen lamp|jabberwock/);
    }
  });

  it("publishes what was heard on Hermes once mqtt.expose_transcript is on", async () => {
    const h = await started({ exposeTranscript: true });
    const from = inbox.messages.length;
    await spoken(h, "turn on the kitchen lamp");
    expect(hermes(h.siteId, "hermes/asr/textCaptured", from)).toEqual([
      expect.objectContaining({ text: "turn on the kitchen lamp", likelihood: 1 }),
    ]);
    expect(hermes(h.siteId, "hermes/intent/HassTurnOn", from)).toEqual([
      expect.objectContaining({ input: "turn on the kitchen lamp", rawInput: "turn on the kitchen lamp" }),
    ]);
  });

  it("speaks hermes/tts/say and answers with sayFinished carrying the same id", async () => {
    const h = await started();
    const from = inbox.messages.length;
    await observer.publishAsync(
      "hermes/tts/say",
      JSON.stringify({ text: "Hello from Node-RED", siteId: h.siteId, id: "say-1", sessionId: "s-9" }),
      { qos: 1 },
    );
    await inbox.until(() => hermes(h.siteId, "hermes/tts/sayFinished", from).length > 0);
    expect(h.control.said).toEqual(["Hello from Node-RED"]);
    expect(hermes(h.siteId, "hermes/tts/sayFinished", from)).toEqual([
      { siteId: h.siteId, id: "say-1", sessionId: "s-9" },
    ]);
  });

  it("asks Hermes to say a finished timer at the site that set it, and does not speak its own echo", async () => {
    const h = await started();
    const clock = new ManualClock();
    const timers = new TimerManager(clock, (change) =>
      h.bus.emit("timer.changed", { siteId: h.siteId, ...change }),
    );
    const from = inbox.messages.length;
    // The timer rings when the test moves the clock: no waiting on real time. One with a command
    // ends a second before it: it carries out its command instead, and Hermes is asked to say nothing.
    timers.start(59, undefined, undefined, "turn off the lights");
    timers.start(60, "pizza");
    clock.advance(60_000);
    await inbox.until(() => hermes(h.siteId, "hermes/tts/say", from).length > 0);
    const [say, ...more] = hermes(h.siteId, "hermes/tts/say", from);
    expect(more).toEqual([]);
    expect(say).toMatchObject({
      text: "Your pizza timer is done.",
      siteId: h.siteId,
      lang: "en",
      sessionId: null,
    });
    expect(typeof say?.id).toBe("string");
    // A say request from elsewhere after it is spoken and answered; Hearth's own was neither.
    await observer.publishAsync(
      "hermes/tts/say",
      JSON.stringify({ text: "Dinner is ready", siteId: h.siteId, id: "say-2" }),
      { qos: 1 },
    );
    await inbox.until(() => hermes(h.siteId, "hermes/tts/sayFinished", from).length > 0);
    expect(h.control.said).toEqual(["Dinner is ready"]);
    expect(hermes(h.siteId, "hermes/tts/sayFinished", from).map((m) => m.id)).toEqual(["say-2"]);
  });

  it("asks Hermes for nothing when a timer only starts or is cancelled, or mqtt.hermes is off", async () => {
    const on = await started();
    const off = await started({ hermes: false });
    const from = inbox.messages.length;
    const onTimers = new TimerManager(new ManualClock(), (change) =>
      on.bus.emit("timer.changed", { siteId: on.siteId, ...change }),
    );
    onTimers.cancel(onTimers.start(600, "tea"));
    const offClock = new ManualClock();
    const offTimers = new TimerManager(offClock, (change) =>
      off.bus.emit("timer.changed", { siteId: off.siteId, ...change }),
    );
    offTimers.start(60, "eggs");
    offClock.advance(60_000);
    // A message sent after both, so everything before it has been delivered when it arrives.
    await observer.publishAsync(
      "hermes/nlu/query",
      JSON.stringify({ input: "what time is it", siteId: on.siteId }),
      {
        qos: 1,
      },
    );
    await inbox.until(() => hermes(on.siteId, "hermes/dialogueManager/sessionEnded", from).length > 0);
    expect(hermes(on.siteId, "hermes/tts/say", from)).toEqual([]);
    expect(hermes(off.siteId, "hermes/tts/say", from)).toEqual([]);
  });

  it("mutes on hotword/toggleOff and unmutes on toggleOn, updating the mute switch", async () => {
    const h = await started();
    await observer.subscribeAsync(h.topics.state("mute"), { qos: 1 });
    await observer.publishAsync(
      "hermes/hotword/toggleOff",
      JSON.stringify({ siteId: h.siteId, reason: "" }),
      {
        qos: 1,
      },
    );
    await inbox.until(() => inbox.on(h.topics.state("mute")).includes("ON"));
    expect(h.control.isMuted()).toBe(true);
    await observer.publishAsync("hermes/hotword/toggleOn", JSON.stringify({ siteId: h.siteId }), { qos: 1 });
    await inbox.until(() => inbox.on(h.topics.state("mute")).at(-1) === "OFF");
    expect(h.control.isMuted()).toBe(false);
  });

  it("ignores messages for other sites and malformed ones", async () => {
    const h = await started();
    const from = inbox.messages.length;
    for (const payload of [
      JSON.stringify({ input: "turn on the kitchen lamp", siteId: "somewhere-else" }),
      JSON.stringify({ input: 5, siteId: h.siteId }),
      "{not json",
      JSON.stringify({ input: "x".repeat(5000), siteId: h.siteId }),
    ]) {
      await observer.publishAsync("hermes/nlu/query", payload, { qos: 1 });
    }
    await observer.publishAsync("hermes/hotword/toggleOff", JSON.stringify({ siteId: "somewhere-else" }), {
      qos: 1,
    });
    await observer.publishAsync(
      "hermes/nlu/query",
      JSON.stringify({ input: "what time is it", siteId: h.siteId }),
      {
        qos: 1,
      },
    );
    await inbox.until(() => hermes(h.siteId, "hermes/dialogueManager/sessionEnded", from).length > 0);
    expect(h.control.runs.map((r) => r.text)).toEqual(["what time is it"]);
    expect(h.control.isMuted()).toBe(false);
  });

  it("leaves the Hermes topics alone when mqtt.hermes is off", async () => {
    const h = await started({ hermes: false });
    await observer.subscribeAsync(h.topics.eventRun, { qos: 1 });
    const from = inbox.messages.length;
    await observer.publishAsync(
      "hermes/nlu/query",
      JSON.stringify({ input: "what time is it", siteId: h.siteId }),
      {
        qos: 1,
      },
    );
    await observer.publishAsync(
      h.topics.commandText,
      JSON.stringify({ text: "what time is it", transaction: "x" }),
      {
        qos: 1,
      },
    );
    await inbox.next((m) => m.topic === h.topics.eventRun, from);
    expect(h.control.runs.map((r) => r.options.source)).toEqual(["mqtt"]);
    expect(hermes(h.siteId, "hermes/intent/HassGetCurrentTime", from)).toEqual([]);
  });

  it("maps run endings to Hermes termination reasons and numbers to Number slots", () => {
    expect(terminationReason("done")).toBe("nominal");
    expect(terminationReason("aborted")).toBe("abortedByUser");
    expect(terminationReason("nothing-heard")).toBe("timeout");
    expect(terminationReason("action-failed")).toBe("error");
    expect(hermesSlots({ name: "HassLightSet", slots: { brightness: 50 }, targets: [] })).toEqual([
      {
        entity: "brightness",
        slotName: "brightness",
        rawValue: "50",
        value: { kind: "Number", value: 50 },
        confidence: 1,
      },
    ]);
  });
});
