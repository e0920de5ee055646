import { connectAsync } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../helpers/manual-clock.js";
import { type Mosquitto, startMosquitto } from "../helpers/mosquitto.js";
import { observedBroker, registryUntil } from "../helpers/observed-broker.js";
import { tasmotaRelay } from "./fixtures/discovery.js";
import { type Harness, Inbox, makeHarness, relocate, unique } from "./harness.js";

/**
 * Hearth among untrusted clients, on a real Mosquitto: discovery configs that would disconnect it,
 * make it command itself or invent devices; a device that sends Hearth's own command back; Hermes
 * messages without a site; commands that waited too long at the broker.
 */

const FAN_ID = "switch.5ccf7f_rl_1";

describe("Hearth among untrusted clients", () => {
  const scene = observedBroker();

  /** Sends a text command and resolves with its run result. */
  async function command(h: Harness, payload: Record<string, unknown>): Promise<Record<string, unknown>> {
    const from = scene.inbox.messages.length;
    await scene.observer.publishAsync(h.topics.commandText, JSON.stringify(payload), { qos: 1 });
    const m = await scene.inbox.next(
      (x) =>
        x.topic === h.topics.eventRun && JSON.parse(x.payload.toString()).transaction === payload.transaction,
      from,
    );
    return JSON.parse(m.payload.toString()) as Record<string, unknown>;
  }

  it("stays connected, loops nothing and creates no device from hostile configs, and still switches a real device", async () => {
    const ns = unique("dev");
    const h = await scene.hearth();
    await scene.observer.subscribeAsync([`${ns}/#`, `${h.base}/#`], { qos: 1 });
    const hostile: Array<[string, Record<string, unknown>]> = [
      // A control character in a state topic: Mosquitto drops a client that subscribes to it.
      [
        `${h.prefix}/switch/${ns}/ctl_state/config`,
        { name: "Control state", cmd_t: `${ns}/a`, stat_t: `${ns}/\u0001` },
      ],
      // …and in a command topic: it drops a client that publishes to it.
      [`${h.prefix}/switch/${ns}/ctl_cmd/config`, { name: "Control command", cmd_t: `${ns}/\u0001/set` }],
      // A device whose command is Hearth's own command topic: Hearth would command itself forever.
      [
        `${h.prefix}/switch/${ns}/loop/config`,
        { name: "Loop switch", cmd_t: h.topics.commandText, pl_on: "turn on the loop switch" },
      ],
      // Another satellite's command topic.
      [
        `${h.prefix}/lock/${ns}/door/config`,
        { name: "Door proxy", cmd_t: `${h.base}/other-site/command/text`, pl_lock: "unlock the front door" },
      ],
      // A "light" without a command topic.
      [`${h.prefix}/light/${ns}/nothing/config`, { a: 1 }],
      [`${h.prefix}/switch/${ns}/sys/config`, { name: "Sys switch", cmd_t: "$SYS/broker/x" }],
    ];
    for (const [topic, payload] of hostile) {
      await scene.observer.publishAsync(topic, JSON.stringify(payload), { qos: 1, retain: true });
    }
    const [fanTopic, fanPayload] = relocate(tasmotaRelay, h.prefix, ns, { name: "Fan" });
    await scene.observer.publishAsync(fanTopic, fanPayload, { qos: 1, retain: true });
    await h.start();
    await registryUntil(h.text.registry, () => !!h.text.registry.entity(FAN_ID));

    const result = await command(h, { text: "turn on the desk plug fan", transaction: "fan-1" });
    expect(result).toMatchObject({ actions: [{ entityId: FAN_ID, ok: true }], reason: "done" });
    expect(scene.inbox.on(`${ns}/desk_plug/cmnd/POWER`)).toEqual(["ON"]);

    // The same configs arriving live, while connected, change nothing either.
    for (const [topic, payload] of hostile)
      await scene.observer.publishAsync(topic, JSON.stringify(payload), { qos: 1 });
    const loop = await command(h, { text: "turn on the loop switch", transaction: "loop-1" });
    expect(loop.actions).toEqual([]);

    const learned = h.text.registry.entities().filter((e) => e.source === "discovery");
    expect(learned.map((e) => e.id)).toEqual([FAN_ID]);
    // Hearth published nothing on any command/text: only the test's own two commands are there.
    expect(scene.inbox.on(h.topics.commandText)).toHaveLength(2);
    expect(scene.inbox.messages.filter((m) => m.topic.startsWith(`${h.base}/other-site/`))).toEqual([]);
    expect(h.connection.stats).toMatchObject({ connects: 1, losses: 0 });
    for (const [topic] of hostile) await scene.observer.publishAsync(topic, "", { qos: 1, retain: true });
    await scene.observer.publishAsync(fanTopic, "", { qos: 1, retain: true });
  });

  it("refuses its own device command coming back as a command, and reports the loop", async () => {
    const ns = unique("relay");
    const h = await scene.hearth();
    await scene.observer.subscribeAsync([`${ns}/#`, h.topics.eventRun], { qos: 1 });
    // A flow that forwards whatever reaches the relay to Hearth's command topic.
    const relay = await connectAsync(scene.url, { clientId: unique("relay") });
    relay.on("message", (_topic, payload) => {
      void relay.publishAsync(h.topics.commandText, payload, { qos: 1 });
    });
    await relay.subscribeAsync(`${ns}/relay/in`, { qos: 1 });
    const config = `${h.prefix}/switch/${ns}/relay/config`;
    await scene.observer.publishAsync(
      config,
      JSON.stringify({ name: "Relay switch", cmd_t: `${ns}/relay/in`, pl_on: "turn on the relay switch" }),
      { qos: 1, retain: true },
    );
    await h.start();
    await registryUntil(h.text.registry, () =>
      h.text.registry.entities().some((e) => e.name === "Relay switch"),
    );

    const from = scene.inbox.messages.length;
    await scene.observer.publishAsync(h.topics.commandText, "turn on the relay switch", { qos: 1 });
    const refused = await scene.inbox.next(
      (m) => m.topic === h.topics.eventRun && String(JSON.parse(m.payload.toString()).error).includes("loop"),
      from,
    );
    expect(JSON.parse(refused.payload.toString()).error).toContain(`${ns}/relay/in`);
    // One run from the test's command, one refusal from the echo: the loop stopped there.
    await command(h, { text: "what time is it", transaction: "after" });
    expect(scene.inbox.on(`${ns}/relay/in`)).toEqual(["turn on the relay switch"]);
    expect(h.control.runs.map((r) => r.text)).toEqual(["turn on the relay switch", "what time is it"]);
    await relay.endAsync(true);
    await scene.observer.publishAsync(config, "", { qos: 1, retain: true });
  });

  it("acts on Hermes say and hotword messages for its own site or '*', never on ones without a site", async () => {
    const a = await scene.hearth();
    const b = await scene.hearth();
    await a.start();
    await b.start();
    await scene.observer.publishAsync("hermes/tts/say", JSON.stringify({ text: "no site" }), { qos: 1 });
    await scene.observer.publishAsync("hermes/hotword/toggleOff", "", { qos: 1 });
    await scene.observer.publishAsync("hermes/hotword/toggleOff", JSON.stringify({}), { qos: 1 });
    await scene.observer.publishAsync(
      "hermes/tts/say",
      JSON.stringify({ text: "only a", siteId: a.siteId }),
      {
        qos: 1,
      },
    );
    await scene.observer.publishAsync("hermes/tts/say", JSON.stringify({ text: "everyone", siteId: "*" }), {
      qos: 1,
    });
    await scene.observer.publishAsync(
      "hermes/nlu/query",
      JSON.stringify({ input: "what time is it", siteId: "*" }),
      {
        qos: 1,
      },
    );
    // A marker after them: once both have spoken it, everything before has been handled.
    for (const h of [a, b]) {
      await scene.observer.publishAsync(
        "hermes/tts/say",
        JSON.stringify({ text: "marker", siteId: h.siteId }),
        {
          qos: 1,
        },
      );
    }
    await Promise.all(
      [a, b].map(
        (h) =>
          new Promise<void>((resolve) => {
            const check = setInterval(() => {
              if (h.control.said.includes("marker")) {
                clearInterval(check);
                resolve();
              }
            }, 5);
          }),
      ),
    );
    expect(a.control.said).toEqual(["only a", "everyone", "marker"]);
    expect(b.control.said).toEqual(["everyone", "marker"]);
    expect([a.control.isMuted(), b.control.isMuted()]).toEqual([false, false]);
    // A query for every satellite would switch a device once per satellite: it needs a site.
    expect([...a.control.runs, ...b.control.runs]).toEqual([]);
  });

  it("refuses commands sent longer ago than the grace period, by their sent time", async () => {
    const at = new Date("2026-06-01T12:00:00Z");
    const h = await scene.hearth({ clock: new ManualClock(at), graceMs: 3000 });
    await scene.observer.subscribeAsync(h.topics.eventRun, { qos: 1 });
    await h.start();
    const late = await command(h, {
      text: "turn on the kitchen lamp",
      transaction: "late",
      sent: new Date(at.getTime() - 3001).toISOString(),
    });
    expect(late.error).toMatch(/^refused: sent 3001 ms ago/);
    const future = await command(h, {
      text: "what time is it",
      transaction: "future",
      sent: at.getTime() + 60_000,
    });
    expect(future.error).toMatch(/clock/);
    const fresh = await command(h, {
      text: "what time is it",
      transaction: "fresh",
      sent: at.getTime() - 2999,
    });
    expect(fresh).toMatchObject({ reason: "done" });
    expect(h.control.runs.map((r) => r.options.transaction)).toEqual(["fresh"]);
  });

  it("refuses commands queued for its session while it was not running, unless their sent time shows them fresh", async () => {
    const at = new Date("2026-06-01T12:00:00Z");
    const clientId = unique("session");
    const first = await scene.hearth({ clientId, clock: new ManualClock(at) });
    await scene.observer.subscribeAsync(first.topics.eventRun, { qos: 1 });
    await first.start();
    // Gone as a process dies: its session and subscriptions stay at the broker.
    await first.connection.stop();

    // Sent while Hearth is away: the broker queues them for its session.
    const commandTopic = first.topics.commandText;
    await scene.observer.publishAsync(
      commandTopic,
      JSON.stringify({ text: "what time is it", transaction: "q-old" }),
      {
        qos: 1,
      },
    );
    await scene.observer.publishAsync(
      commandTopic,
      JSON.stringify({ text: "what time is it", transaction: "q-fresh", sent: at.toISOString() }),
      { qos: 1 },
    );
    const from = scene.inbox.messages.length;
    const again = await scene.hearth({
      clientId,
      clock: new ManualClock(at),
      siteId: first.siteId,
      base: first.base,
      prefix: first.prefix,
    });
    await again.start();
    const results = new Map<string, Record<string, unknown>>();
    await scene.inbox.until(() => {
      for (const m of scene.inbox.messages.slice(from)) {
        if (m.topic !== again.topics.eventRun) continue;
        const r = JSON.parse(m.payload.toString()) as Record<string, unknown>;
        results.set(String(r.transaction), r);
      }
      return results.size >= 2;
    });
    expect(results.get("q-old")?.error).toBe("refused: queued at the broker while Hearth was not running");
    expect(results.get("q-fresh")).toMatchObject({ reason: "done" });
    expect(again.control.runs.map((r) => r.options.transaction)).toEqual(["q-fresh"]);
  });

  it("publishes online only once its command topic is subscribed, after a broker restart too", async () => {
    // Hearth's waits (reconnect attempts, grace periods) pass as the test moves its clock.
    const clock = new ManualClock();
    const h = await scene.hearth({ clock });
    const client = await connectAsync(scene.url, { clientId: unique("sender") });
    const box = new Inbox(client);
    await client.subscribeAsync([h.topics.status, h.topics.eventRun], { qos: 1 });
    let sent = 0;
    // The moment it says online, a command: it must be heard.
    client.on("message", (topic, payload) => {
      if (topic === h.topics.status && payload.toString() === "online") {
        sent++;
        void client.publishAsync(
          h.topics.commandText,
          JSON.stringify({ text: "what time is it", transaction: `on-${sent}` }),
          {
            qos: 1,
          },
        );
      }
    });
    await h.start();
    await box.next((m) => m.topic === h.topics.eventRun && m.payload.toString().includes('"on-1"'));
    await scene.broker.kill();
    await scene.broker.start();
    // Reconnect attempts wait on the clock: once Hearth has seen the loss, move it until one finds
    // the broker back.
    while (h.connection.stats.losses === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    while (!h.connection.connected) {
      clock.advance(250);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // The sender's own connection is gone with the broker's state: it comes back and subscribes again.
    await client.endAsync(true);
    const sender = await connectAsync(scene.url, { clientId: unique("sender2") });
    const box2 = new Inbox(sender);
    sender.on("message", (topic, payload) => {
      if (topic === h.topics.status && payload.toString() === "online") {
        void sender.publishAsync(
          h.topics.commandText,
          JSON.stringify({ text: "what time is it", transaction: "on-again" }),
          {
            qos: 1,
          },
        );
      }
    });
    await sender.subscribeAsync([h.topics.status, h.topics.eventRun], { qos: 1 });
    await box2.next((m) => m.topic === h.topics.eventRun && m.payload.toString().includes('"on-again"'));
    expect(h.connection.stats.losses).toBe(1);
    await sender.endAsync(true);
  });
});

describe("Hearth's run results across a broker restart", () => {
  let broker: Mosquitto;
  beforeAll(async () => {
    broker = await startMosquitto({ persistence: true });
  });
  afterAll(async () => {
    await broker?.dispose();
  });

  it("delivers a run's result that ended while the broker was down for longer than a command's grace period", async () => {
    // Hearth's time is the test's: the outage lasts as long as the test says, not as the machine takes.
    const clock = new ManualClock();
    const h = await makeHarness({ url: broker.url, clock });
    // An observer with a session the broker keeps, as Home Assistant or a flow would have.
    const observer = await connectAsync(broker.url, {
      clientId: unique("keeper"),
      protocolVersion: 5,
      clean: false,
      properties: { sessionExpiryInterval: 300 },
      reconnectPeriod: 20,
    });
    const inbox = new Inbox(observer);
    try {
      await observer.subscribeAsync(h.topics.eventRun, { qos: 1 });
      await h.start();
      await broker.stop();
      const meta = { runId: unique("run"), siteId: h.siteId };
      h.bus.emit("wake.detected", { ...meta, word: "hey_jarvis", score: 0.9 });
      h.bus.emit("pipeline.ended", { ...meta, reason: "nothing-heard", timings: {} });
      // Down longer than a command's grace period (3 s): a result is a record, and waits longer.
      clock.advance(3500);
      await broker.start();
      // Reconnect attempts wait on the clock too: move it until one finds the broker back.
      while (!h.connection.connected) {
        clock.advance(250);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const run = await inbox.next(
        (m) => m.topic === h.topics.eventRun && m.payload.toString().includes(meta.runId),
      );
      expect(JSON.parse(run.payload.toString())).toMatchObject({ runId: meta.runId, source: "voice" });
    } finally {
      await observer.endAsync(true);
      await h.stop();
    }
  });
});
