import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/core/logger.js";
import { UNREACHABLE_REASON } from "../../src/mqtt/actuator.js";
import { EmbeddedBroker } from "../../src/mqtt/embedded-broker.js";
import { type Mosquitto, startMosquitto } from "../helpers/mosquitto.js";
import { observedBroker, registryUntil } from "../helpers/observed-broker.js";
import { lawnMowerFixture, tasmotaRelay, z2mBulb } from "./fixtures/discovery.js";
import { type Harness, relocate, unique } from "./harness.js";

const BULB_ID = "light.0x0017880104e45517_light_zigbee2mqtt";
const PLUG_ID = "switch.5ccf7f_rl_1";

interface Broker {
  url: string;
  stop(): Promise<void>;
}

const brokers: Array<[string, () => Promise<Broker>]> = [
  [
    "Mosquitto",
    async () => {
      const m: Mosquitto = await startMosquitto();
      return { url: m.url, stop: () => m.dispose() };
    },
  ],
  [
    "the embedded broker",
    async () => {
      const b = new EmbeddedBroker({ port: 0, logger: silentLogger() });
      const url = await b.start();
      return { url, stop: () => b.stop() };
    },
  ],
];

describe.each(brokers)("HearthMqtt on %s", (_name, startBroker) => {
  const scene = observedBroker(startBroker, (broker) => broker.stop());
  let h: Harness;
  let ns: string;

  /** A started Hearth that has learned a zigbee2mqtt bulb and a Tasmota plug from retained discovery. */
  async function hearthWithDevices(): Promise<Harness> {
    ns = unique("dev");
    h = await scene.hearth();
    await scene.observer.subscribeAsync([`${ns}/#`, h.topics.eventRun], { qos: 1 });
    for (const [topic, payload] of [
      relocate(z2mBulb, h.prefix, ns),
      relocate(tasmotaRelay, h.prefix, ns, { name: "Fan" }),
    ]) {
      await scene.observer.publishAsync(topic, payload, { qos: 1, retain: true });
    }
    await h.start();
    await registryUntil(
      h.text.registry,
      () => !!h.text.registry.entity(BULB_ID) && !!h.text.registry.entity(PLUG_ID),
    );
    return h;
  }

  async function command(payload: string | Buffer, accept: (r: Record<string, unknown>) => boolean) {
    const from = scene.inbox.messages.length;
    await scene.observer.publishAsync(h.topics.commandText, payload, { qos: 1 });
    const m = await scene.inbox.next(
      (x) => x.topic === h.topics.eventRun && accept(JSON.parse(x.payload.toString())),
      from,
    );
    return JSON.parse(m.payload.toString()) as Record<string, unknown>;
  }

  it("publishes a spoken run's timeline on event/run, without the transcript unless exposed", async () => {
    h = await scene.hearth();
    await scene.observer.subscribeAsync(h.topics.eventRun, { qos: 1 });
    await h.start();
    const from = scene.inbox.messages.length;
    const meta = { runId: unique("run"), siteId: h.siteId };
    h.bus.emit("wake.detected", { ...meta, word: "hey_jarvis", score: 0.9 });
    h.bus.emit("speech.started", meta);
    h.bus.emit("speech.stopped", { ...meta, ms: 1200 });
    h.bus.emit("stt.transcript", { ...meta, text: "turn on the kitchen lamp", ms: 300 });
    h.bus.emit("intent.recognized", {
      ...meta,
      text: "turn on the kitchen lamp",
      intents: [{ name: "HassTurnOn", slots: { name: "Kitchen lamp" }, targets: ["light.kitchen_lamp"] }],
      recognizer: "template",
      ms: 1,
    });
    h.bus.emit("action.failed", {
      ...meta,
      entityId: "light.kitchen_lamp",
      intent: "HassTurnOn",
      ok: false,
      reason: "no",
      ms: 1,
    });
    h.bus.emit("tts.played", { ...meta, text: "Sorry, no.", ms: 400 });
    h.bus.emit("pipeline.ended", { ...meta, reason: "action-failed", timings: { stt: 300, total: 2000 } });
    const m = await scene.inbox.next((x) => x.topic === h.topics.eventRun, from);
    const run = JSON.parse(m.payload.toString());
    expect(run).toMatchObject({
      runId: meta.runId,
      source: "voice",
      reason: "action-failed",
      timings: { stt: 300 },
    });
    expect(run.timeline.map((e: { event: string }) => e.event)).toEqual([
      "wake",
      "speech.started",
      "speech.stopped",
      "transcript",
      "intent",
      "action",
      "reply",
      "ended",
    ]);
    expect(JSON.stringify(run)).not.toContain("turn on the kitchen lamp");
  });

  it("switches a discovered zigbee2mqtt bulb with the exact json payload and reports the run", async () => {
    await hearthWithDevices();
    const set = `${ns}/zigbee2mqtt/Living room bulb/set`;
    const result = await command(
      JSON.stringify({ text: "turn on the living room bulb", transaction: "t-1" }),
      (r) => r.transaction === "t-1",
    );
    expect(scene.inbox.on(set)).toEqual(['{"state":"ON"}']);
    expect(result).toMatchObject({
      transaction: "t-1",
      siteId: h.siteId,
      text: "turn on the living room bulb",
      intents: [{ name: "HassTurnOn", targets: [BULB_ID] }],
      actions: [{ entityId: BULB_ID, intent: "HassTurnOn", ok: true, topic: set }],
      reply: "Turned on the living room bulb.",
      reason: "done",
    });
    expect(typeof (result.timings as Record<string, unknown>).total).toBe("number");

    await command(
      JSON.stringify({ text: "set the living room bulb to 50 percent", transaction: "t-2" }),
      (r) => r.transaction === "t-2",
    );
    // brightness_scale 254: 50 % is 127, as Home Assistant computes it.
    expect(scene.inbox.on(set)).toEqual(['{"state":"ON"}', '{"state":"ON","brightness":127}']);
  });

  it("switches a discovered Tasmota plug (abbreviated keys, ~ base topic) from a plain-text command", async () => {
    await hearthWithDevices();
    const result = await command("turn on the desk plug fan", (r) => r.text === "turn on the desk plug fan");
    expect(scene.inbox.on(`${ns}/desk_plug/cmnd/POWER`)).toEqual(["ON"]);
    expect(result.transaction).toBeUndefined();
    expect(result.actions).toEqual([
      expect.objectContaining({ entityId: PLUG_ID, ok: true, topic: `${ns}/desk_plug/cmnd/POWER` }),
    ]);
  });

  it("starts a discovered lawn mower and sends it to its dock, each on its own topic", async () => {
    ns = unique("mow");
    h = await scene.hearth();
    await scene.observer.subscribeAsync([`${ns}/#`, h.topics.eventRun], { qos: 1 });
    const [topic, payload] = relocate(lawnMowerFixture, h.prefix, ns);
    await scene.observer.publishAsync(topic, payload, { qos: 1, retain: true });
    await h.start();
    await registryUntil(h.text.registry, () => !!h.text.registry.entity("lawn_mower.mowbot_1"));
    const start = await command("start the mowbot", (r) => r.text === "start the mowbot");
    expect(scene.inbox.on(`${ns}/home/mowbot/start`)).toEqual(["start_mowing"]);
    expect(start).toMatchObject({
      intents: [{ name: "HassLawnMowerStartMowing", targets: ["lawn_mower.mowbot_1"] }],
      reason: "done",
    });
    await command("send the mowbot back to its dock", (r) => r.text === "send the mowbot back to its dock");
    expect(scene.inbox.on(`${ns}/home/mowbot/dock`)).toEqual(['{"action": "dock"}']);
  });

  it("reports a device known only from the config as one it cannot control", async () => {
    await hearthWithDevices();
    const result = await command(
      JSON.stringify({ text: "turn on the kitchen lamp", transaction: "k" }),
      (r) => r.transaction === "k",
    );
    expect(result.actions).toEqual([
      expect.objectContaining({
        entityId: "light.kitchen_lamp",
        ok: false,
        reason: "I don't know how to control the Kitchen lamp",
      }),
    ]);
    expect(result.reply).toBe("Sorry, I don't know how to control the Kitchen lamp.");
    expect(result.reason).toBe("action-failed");
  });

  it("answers a question without sending any command", async () => {
    await hearthWithDevices();
    const before = scene.inbox.messages.filter((m) => m.topic.startsWith(`${ns}/`)).length;
    const result = await command(
      JSON.stringify({ text: "is the kitchen lamp on", transaction: "q" }),
      (r) => r.transaction === "q",
    );
    expect(result.actions).toEqual([]);
    expect(result.reply).toBe("No, the kitchen lamp is off.");
    expect(scene.inbox.messages.filter((m) => m.topic.startsWith(`${ns}/`)).length).toBe(before);
  });

  it("uses the area a command names instead of the site's own", async () => {
    await hearthWithDevices();
    const result = await command(
      JSON.stringify({ text: "turn on the lights", area: "Kitchen", transaction: "a" }),
      (r) => r.transaction === "a",
    );
    expect(result.intents).toEqual([expect.objectContaining({ targets: ["light.kitchen_lamp"] })]);
  });

  it("answers 1,000 malformed commands with 1,000 error results and keeps working", async () => {
    await hearthWithDevices();
    const from = scene.inbox.messages.length;
    const echoed = new Set<string>();
    const payloads: Array<string | Buffer> = [];
    for (let i = 0; i < 1000; i++) {
      const t = `bad-${i}`;
      switch (i % 10) {
        case 0:
          payloads.push(JSON.stringify({ text: 42, transaction: t }));
          echoed.add(t);
          break;
        case 1:
          payloads.push(JSON.stringify({ transaction: t }));
          echoed.add(t);
          break;
        case 2:
          payloads.push(JSON.stringify({ text: "   ", transaction: t }));
          echoed.add(t);
          break;
        case 3:
          payloads.push(JSON.stringify({ text: "turn on", area: ["x"], transaction: t }));
          echoed.add(t);
          break;
        case 4:
          payloads.push(JSON.stringify({ text: "turn\u0000on the bulb", transaction: t }));
          echoed.add(t);
          break;
        case 5:
          payloads.push(JSON.stringify({ text: "turn on", transaction: { id: t } }));
          break;
        case 6:
          payloads.push(`{"text": "turn on the ${t}`);
          break;
        case 7:
          payloads.push(Buffer.from([0x74, 0x75, 0x72, 0x6e, 0xc3, 0x28, i & 0xff]));
          break;
        case 8:
          payloads.push(JSON.stringify({ text: "x".repeat(5000 + i), transaction: t }));
          break;
        default:
          payloads.push(i % 20 === 9 ? "[1,2,3]" : "");
      }
    }
    await Promise.all(payloads.map((p) => scene.observer.publishAsync(h.topics.commandText, p, { qos: 1 })));
    const errors = () =>
      scene.inbox.messages
        .slice(from)
        .filter((m) => m.topic === h.topics.eventRun)
        .map((m) => JSON.parse(m.payload.toString()) as { error?: string; transaction?: string });
    await scene.inbox.until(() => errors().length >= 1000);
    const results = errors();
    expect(results).toHaveLength(1000);
    expect(results.every((r) => typeof r.error === "string" && r.error.length > 0)).toBe(true);
    expect(new Set(results.flatMap((r) => (r.transaction ? [r.transaction] : [])))).toEqual(echoed);
    expect(h.control.runs).toHaveLength(0);

    const after = await command(
      JSON.stringify({ text: "turn off the living room bulb", transaction: "ok" }),
      (r) => r.transaction === "ok",
    );
    expect(after.actions).toEqual([expect.objectContaining({ ok: true })]);
    expect(scene.inbox.on(`${ns}/zigbee2mqtt/Living room bulb/set`)).toEqual(['{"state":"OFF"}']);
  });

  it("speaks what arrives on the say topic, as text or JSON", async () => {
    await hearthWithDevices();
    await scene.observer.publishAsync(h.topics.say, "", { qos: 1 });
    await scene.observer.publishAsync(h.topics.say, "Dinner is ready", { qos: 1 });
    await scene.observer.publishAsync(h.topics.say, JSON.stringify({ text: "The door is open" }), { qos: 1 });
    // A command after them, on another topic of the same sender, arrives after them.
    await command(
      JSON.stringify({ text: "what time is it", transaction: "s" }),
      (r) => r.transaction === "s",
    );
    expect(h.control.said).toEqual(["Dinner is ready", "The door is open"]);
  });

  it("speaks another Hearth's broadcast, not its own, and ignores what is no broadcast", async () => {
    const base = unique("base");
    h = await scene.hearth({ base });
    const other = await scene.hearth({ base });
    try {
      await h.start();
      await other.start();
      await scene.observer.subscribeAsync(h.topics.broadcast, { qos: 1 });
      const from = scene.inbox.messages.length;
      await scene.observer.publishAsync(h.topics.broadcast, "not json", { qos: 1 });
      await scene.observer.publishAsync(h.topics.broadcast, JSON.stringify({ message: "no site" }), {
        qos: 1,
      });
      h.bus.emit("broadcast.sent", { siteId: h.siteId, message: "Dinner is ready" });
      const sent = await scene.inbox.next(
        (m) => m.topic === h.topics.broadcast && m.payload.includes("Dinner"),
        from,
      );
      expect(JSON.parse(sent.payload.toString())).toEqual({ message: "Dinner is ready", siteId: h.siteId });
      await new Promise<void>((resolve) => {
        const check = setInterval(() => {
          if (other.control.said.length > 0) {
            clearInterval(check);
            resolve();
          }
        }, 10);
      });
      expect(other.control.said).toEqual(["Dinner is ready"]);
      expect(h.control.said).toEqual([]);
    } finally {
      await other.stop();
    }
  });

  it("publishes what to find and play on event/media", async () => {
    h = await scene.hearth();
    await h.start();
    await scene.observer.subscribeAsync(h.topics.eventMedia, { qos: 1 });
    const from = scene.inbox.messages.length;
    h.bus.emit("media.requested", {
      siteId: h.siteId,
      search_query: "pink floyd",
      targets: ["media_player.tv"],
    });
    const m = await scene.inbox.next((x) => x.topic === h.topics.eventMedia, from);
    expect(JSON.parse(m.payload.toString())).toEqual({
      search_query: "pink floyd",
      targets: ["media_player.tv"],
    });
  });

  it("reports a command it could not deliver as failed with a reason the user hears", async () => {
    await hearthWithDevices();
    // Publishing to a topic the broker refuses is impossible here; a stopped connection is not.
    await h.connection.stop();
    const result = await h.control.runText("turn on the living room bulb", { source: "mqtt" });
    expect(result.actions).toEqual([
      expect.objectContaining({ entityId: BULB_ID, ok: false, reason: UNREACHABLE_REASON }),
    ]);
    expect(result.reply).toBe(`Sorry, ${UNREACHABLE_REASON}.`);
  });
});
