import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectAsync } from "mqtt";
import { describe, expect, it } from "vitest";
import { silentLogger } from "../../../src/core/logger.js";
import { ListStore } from "../../../src/intents/lists.js";
import {
  ASSISTANT_STATES,
  BIRTH_INTERVAL_MS,
  isHearthDiscoveryTopic,
} from "../../../src/mqtt/ha/self-discovery.js";
import { evaluateValueTemplate } from "../../../src/mqtt/ha/value-template.js";
import { ManualClock } from "../../helpers/manual-clock.js";
import { observedBroker } from "../../helpers/observed-broker.js";
import { type Harness, Inbox, unique } from "../harness.js";

const OBJECTS = ["assistant_state", "intent", "last_intent", "latency", "listen", "mute", "say", "timer"];

type Config = Record<string, unknown> & { device: Record<string, unknown>; origin: Record<string, unknown> };

describe("Hearth as a Home Assistant device", () => {
  const scene = observedBroker();

  /** The retained configs a newcomer (Home Assistant starting up) receives, by object id. */
  async function retainedConfigs(h: Harness, count: number): Promise<Map<string, Config>> {
    const client = await connectAsync(scene.url, { clientId: unique("newcomer") });
    try {
      const box = new Inbox(client);
      await client.subscribeAsync(`${h.prefix}/+/hearth_${h.siteId}/+/config`, { qos: 1 });
      await box.until(() => box.messages.length >= count);
      const configs = new Map<string, Config>();
      for (const m of box.messages) {
        expect(m.retain).toBe(true);
        configs.set(m.topic.split("/")[3] ?? "", JSON.parse(m.payload.toString()) as Config);
      }
      return configs;
    } finally {
      await client.endAsync(true);
    }
  }

  it("shows each list Hearth keeps as a sensor: open items as its state, the items as attributes", async () => {
    const dir = await mkdtemp(join(tmpdir(), "hearth-lists-"));
    try {
      let bus: Harness["bus"] | undefined;
      const lists = new ListStore({
        file: join(dir, "lists.json"),
        log: silentLogger(),
        onChange: (change) => bus?.emit("list.changed", { siteId: h.siteId, ...change }),
      });
      const h = await scene.hearth({ lists }, { start: true });
      bus = h.bus;
      const configs = await retainedConfigs(h, OBJECTS.length + 1);
      const sensor = configs.get("list_shopping_list");
      expect(sensor).toMatchObject({
        name: "Shopping List",
        state_topic: h.topics.state("list_shopping_list"),
        value_template: "{{ value_json.open }}",
        json_attributes_topic: h.topics.state("list_shopping_list"),
      });
      await scene.observer.subscribeAsync(h.topics.state("list_shopping_list"), { qos: 1 });
      const from = scene.inbox.messages.length;
      lists.add("todo.shopping_list", "Shopping List", "milk");
      lists.add("todo.shopping_list", "Shopping List", "bread");
      lists.complete("todo.shopping_list", "milk");
      const last = await scene.inbox.next(
        (m) =>
          m.topic === h.topics.state("list_shopping_list") &&
          JSON.parse(m.payload.toString()).completed.length === 1,
        from,
      );
      expect(JSON.parse(last.payload.toString())).toEqual({ open: 1, items: ["bread"], completed: ["milk"] });
      // What Home Assistant shows: the state its value template makes of the payload, "1 items".
      expect(sensor?.unit_of_measurement).toBe("items");
      expect(evaluateValueTemplate(String(sensor?.value_template), last.payload.toString())).toEqual({
        value: "1",
      });
      // The attributes template picks the two lists out of the same payload, by these names.
      expect(sensor?.json_attributes_template).toBe(
        "{{ {'items': value_json.items, 'completed': value_json.completed} | tojson }}",
      );
      await lists.flush();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("publishes retained discovery configs with stable unique ids, a device block, origin and availability", async () => {
    const h = await scene.hearth({}, { start: true });
    const configs = await retainedConfigs(h, OBJECTS.length);
    expect([...configs.keys()].sort()).toEqual(OBJECTS);
    for (const [object, config] of configs) {
      expect(config.unique_id).toBe(`hearth_${h.siteId}_${object}`);
      expect(config.availability_topic).toBe(h.topics.status);
      expect(config.device).toEqual({
        identifiers: [`hearth_${h.siteId}`],
        name: "Test Hearth",
        model: "Hearth voice assistant",
        manufacturer: "Hearth",
        sw_version: "0.0.0-test",
        suggested_area: "Living Room",
      });
      expect(config.origin).toEqual({ name: "Hearth", sw_version: "0.0.0-test" });
    }
    expect(configs.get("assistant_state")).toMatchObject({ device_class: "enum", options: ASSISTANT_STATES });
    expect(configs.get("mute")).toMatchObject({
      command_topic: h.topics.set("mute"),
      state_topic: h.topics.state("mute"),
    });
    expect(configs.get("say")).toMatchObject({ command_topic: h.topics.say });
    expect(configs.get("latency")).toMatchObject({ unit_of_measurement: "ms", device_class: "duration" });
    expect(configs.get("intent")?.event_types).toContain("HassTurnOn");
    expect(configs.get("timer")).toMatchObject({
      state_topic: h.topics.eventTimer,
      event_types: ["started", "updated", "paused", "resumed", "cancelled", "finished"],
    });
    // The status topic says online, retained, while Hearth runs.
    const status = await connectAsync(scene.url, { clientId: unique("status") });
    const box = new Inbox(status);
    await status.subscribeAsync(h.topics.status, { qos: 1 });
    expect((await box.next(() => true)).payload.toString()).toBe("online");
    await status.endAsync(true);
  });

  it("announces itself again when Home Assistant's birth message arrives", async () => {
    const h = await scene.hearth({}, { start: true });
    await scene.observer.subscribeAsync(`${h.prefix}/+/hearth_${h.siteId}/+/config`, { qos: 1 });
    // Non-empty ones: each announcement also clears the (switched off) transcript sensor.
    const configs = () =>
      scene.inbox.messages.filter((m) => m.topic.includes(`/hearth_${h.siteId}/`) && m.payload.length > 0);
    await scene.inbox.until(() => configs().length >= OBJECTS.length);
    const before = configs().length;
    await scene.observer.publishAsync(`${h.prefix}/status`, "online", { qos: 1 });
    await scene.inbox.until(() => configs().length >= before + OBJECTS.length);
    const again = configs().slice(before);
    expect(new Set(again.map((m) => m.topic.split("/")[3]))).toEqual(new Set(OBJECTS));
  });

  it("announces once at once and once 10 s later, not 200 times, when 200 birth messages arrive together", async () => {
    const clock = new ManualClock();
    const h = await scene.hearth({ clock }, { start: true });
    await scene.observer.subscribeAsync([`${h.prefix}/+/hearth_${h.siteId}/+/config`, h.topics.status], {
      qos: 1,
    });
    const configs = () =>
      scene.inbox.messages.filter((m) => m.topic.includes(`/hearth_${h.siteId}/`) && m.payload.length > 0);
    await scene.inbox.until(() => configs().length >= OBJECTS.length);
    const before = configs().length;
    const from = scene.inbox.messages.length;
    for (let i = 0; i < 200; i++)
      await scene.observer.publishAsync(`${h.prefix}/status`, "online", { qos: 1 });
    // Published after the births: once it is handled, so are they.
    await scene.observer.publishAsync(h.topics.set("listen"), "PRESS", { qos: 1 });
    await scene.inbox.until(() => h.control.listens === 1 && configs().length >= before + OBJECTS.length);
    // The births that came after the first are owed one announcement, 10 s after it.
    clock.advance(BIRTH_INTERVAL_MS);
    await scene.inbox.until(() => configs().length >= before + 2 * OBJECTS.length);
    scene.forget(h);
    await h.stop();
    // "offline" is Hearth's last message: everything it published before has arrived.
    await scene.inbox.next((m) => m.topic === h.topics.status && m.payload.toString() === "offline", from);
    expect(configs().length - before).toBe(2 * OBJECTS.length);
  });

  it("clears the transcript sensor and stale configs once they no longer exist", async () => {
    const ids = { siteId: unique("site"), base: unique("base"), prefix: unique("ha") };
    const first = await scene.hearth({ ...ids, exposeTranscript: true }, { start: true });
    const withTranscript = await retainedConfigs(first, OBJECTS.length + 1);
    expect(withTranscript.get("last_transcript")).toMatchObject({
      state_topic: first.topics.state("last_transcript"),
    });
    await first.control.runText("what time is it", { source: "mqtt" });
    await first.stop();
    scene.forget(first);

    // An entity an older version announced, still retained on the broker.
    const stale = `${ids.prefix}/sensor/hearth_${ids.siteId}/old_thing/config`;
    await scene.observer.publishAsync(stale, JSON.stringify({ name: "Old", state_topic: "x/y" }), {
      qos: 1,
      retain: true,
    });
    const transcriptConfig = `${ids.prefix}/sensor/hearth_${ids.siteId}/last_transcript/config`;
    const transcriptState = first.topics.state("last_transcript");
    await scene.observer.subscribeAsync([transcriptConfig, stale, transcriptState], { qos: 1 });
    const from = scene.inbox.messages.length;
    await scene.hearth({ ...ids, exposeTranscript: false }, { start: true });
    const cleared = (topic: string) =>
      scene.inbox.messages.slice(from).some((m) => m.topic === topic && m.payload.length === 0);
    await scene.inbox.until(() => cleared(transcriptConfig) && cleared(stale) && cleared(transcriptState));

    const after = await connectAsync(scene.url, { clientId: unique("after") });
    const box = new Inbox(after);
    await after.subscribeAsync([`${ids.prefix}/+/hearth_${ids.siteId}/+/config`, transcriptState], {
      qos: 1,
    });
    await box.until(() => box.messages.length >= OBJECTS.length);
    // A marker published after subscribing arrives after every retained message.
    await after.subscribeAsync(`${ids.base}/marker`, { qos: 1 });
    await after.publishAsync(`${ids.base}/marker`, "end", { qos: 1 });
    await box.next((m) => m.topic === `${ids.base}/marker`);
    const objects = box.messages.filter((m) => m.topic.endsWith("/config")).map((m) => m.topic.split("/")[3]);
    expect(objects.sort()).toEqual(OBJECTS);
    expect(box.messages.some((m) => m.topic === transcriptState)).toBe(false);
    await after.endAsync(true);
  });

  it("mutes the microphone from its switch and reports the switch and assistant state", async () => {
    const h = await scene.hearth({}, { start: true });
    await scene.observer.subscribeAsync([h.topics.state("mute"), h.topics.state("assistant")], { qos: 1 });
    await scene.inbox.until(() => scene.inbox.on(h.topics.state("mute")).includes("OFF"));
    await scene.observer.publishAsync(h.topics.set("mute"), "ON", { qos: 1 });
    await scene.inbox.until(() => scene.inbox.on(h.topics.state("mute")).includes("ON"));
    expect(h.control.isMuted()).toBe(true);
    await scene.inbox.until(() => scene.inbox.on(h.topics.state("assistant")).includes("muted"));
    await scene.observer.publishAsync(h.topics.set("mute"), "OFF", { qos: 1 });
    await scene.inbox.until(
      () => scene.inbox.on(h.topics.state("mute")).filter((p) => p === "OFF").length >= 2,
    );
    expect(h.control.isMuted()).toBe(false);
    expect(scene.inbox.on(h.topics.state("assistant")).at(-1)).toBe("idle");
  });

  it("starts listening when its button is pressed", async () => {
    const h = await scene.hearth({}, { start: true });
    await scene.observer.subscribeAsync(h.topics.state("mute"), { qos: 1 });
    await scene.observer.publishAsync(h.topics.set("listen"), "PRESS", { qos: 1 });
    // A mute command after the press is handled after it.
    await scene.observer.publishAsync(h.topics.set("mute"), "ON", { qos: 1 });
    await scene.inbox.until(() => scene.inbox.on(h.topics.state("mute")).includes("ON"));
    expect(h.control.listens).toBe(1);
  });

  it("fires its intent event and updates last intent, transcript and latency after a run", async () => {
    const h = await scene.hearth({ exposeTranscript: true }, { start: true });
    const topics = ["intent", "last_intent", "last_transcript", "latency"].map((k) => h.topics.state(k));
    await scene.observer.subscribeAsync(topics, { qos: 1 });
    const from = scene.inbox.messages.length;
    const result = await h.control.runText("turn on the kitchen lamp", { source: "mqtt" });
    const on = (key: string) =>
      scene.inbox.messages
        .slice(from)
        .filter((m) => m.topic === h.topics.state(key))
        .map((m) => m.payload.toString());
    await scene.inbox.until(() =>
      topics.every((t) => scene.inbox.messages.slice(from).some((m) => m.topic === t)),
    );
    const event = JSON.parse(on("intent")[0] ?? "{}") as Record<string, unknown>;
    expect(event).toMatchObject({
      event_type: "HassTurnOn",
      targets: ["light.kitchen_lamp"],
      run_id: result.runId,
      text: "turn on the kitchen lamp",
    });
    expect(on("last_intent")).toEqual(["HassTurnOn"]);
    expect(on("last_transcript")).toEqual(["turn on the kitchen lamp"]);
    expect(Number(on("latency")[0])).toBe(Math.round(result.timings.total ?? Number.NaN));
  });

  it("keeps the transcript out of its event when the transcript is not exposed", async () => {
    const h = await scene.hearth({}, { start: true });
    await scene.observer.subscribeAsync(h.topics.state("intent"), { qos: 1 });
    await h.control.runText("what time is it", { source: "mqtt" });
    const m = await scene.inbox.next((x) => x.topic === h.topics.state("intent"));
    const event = JSON.parse(m.payload.toString()) as Record<string, unknown>;
    expect(event.event_type).toBe("HassGetCurrentTime");
    expect(event).not.toHaveProperty("text");
    expect(m.retain).toBe(false);
  });

  it("recognises the discovery topics of any Hearth satellite", () => {
    expect(isHearthDiscoveryTopic("homeassistant", "homeassistant/switch/hearth_kitchen/mute/config")).toBe(
      true,
    );
    expect(isHearthDiscoveryTopic("homeassistant", "homeassistant/switch/0x12/switch/config")).toBe(false);
    expect(isHearthDiscoveryTopic("homeassistant", "homeassistant/switch/hearth_x/config")).toBe(false);
    expect(isHearthDiscoveryTopic("ha", "homeassistant/switch/hearth_kitchen/mute/config")).toBe(false);
  });
});
