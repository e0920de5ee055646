import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Hearth } from "../../src/app.js";
import { loadConfig } from "../../src/config/loader.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { observedBroker } from "../helpers/observed-broker.js";
import { z2mBulb } from "../mqtt/fixtures/discovery.js";
import { relocate, unique } from "../mqtt/harness.js";

/**
 * "Turn off the kitchen light in 10 minutes": the daemon starts a timer that carries the sentence
 * out when it ends, in the area it was said in, as Home Assistant does with a timer's
 * `conversation_command`. Time moves only on the injected clock. With Home Assistant's English
 * pack (../shared/ha-intents, CC BY 4.0, loaded as intents.packs) and with Hearth's own English;
 * in German with the German pack and Hearth's own German.
 */

const PACK = resolve("../shared/ha-intents");

const mq = observedBroker();
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hearth-delayed-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const VARIANTS = [
  {
    variant: "with Home Assistant's English pack",
    packs: [PACK],
    reply: /^Command will be executed in 10 minutes/,
  },
  { variant: "with Hearth's own English", packs: [], reply: /^I'll do that in 10 minutes\.$/ },
];

async function started(ns: string, packs: string[], german = false) {
  const path = join(dir, `${ns}.yaml`);
  const place = german
    ? `site: { id: ${ns}, area: Küche, language: de }
areas: [{ name: Wohnzimmer }, { name: Küche }]`
    : `site: { id: ${ns}, area: Kitchen }
areas: [{ name: Living Room }, { name: Kitchen }]`;
  await writeFile(
    path,
    `${place}
mqtt: { url: "${mq.url}", base_topic: ${ns}, discovery_prefix: ${ns}-ha, command_grace_ms: 2000 }
audio: { source: none }
intents: { packs: ${JSON.stringify(packs)} }
`,
  );
  const lines: string[] = [];
  const log = pino({ level: "info" }, { write: (l: string) => lines.push(l) });
  const clock = new ManualClock();
  const hearth = new Hearth({ loaded: await loadConfig(path), log, clock });
  // A zigbee2mqtt bulb in the kitchen, learned from its retained discovery config.
  const [topic, payload] = relocate(z2mBulb, `${ns}-ha`, `${ns}-dev`, {
    command_topic: "zigbee2mqtt/Kitchen light/set",
    state_topic: "zigbee2mqtt/Kitchen light",
    object_id: "kitchen_light",
    unique_id: "0x0017880104e45599_light_zigbee2mqtt",
    device: {
      identifiers: ["zigbee2mqtt_0x0017880104e45599"],
      name: "Kitchen light",
      suggested_area: german ? "Küche" : "Kitchen",
    },
  });
  const discovery = topic.replace("0x0017880104e45517", "0x0017880104e45599");
  await mq.observer.publishAsync(discovery, payload, { retain: true, qos: 1 });
  await hearth.start();
  await waitFor(() => hearth.registry.entities().some((e) => e.name === "Kitchen light"));
  const light = `${ns}-dev/zigbee2mqtt/Kitchen light/set`;
  await mq.observer.subscribeAsync([light, `${ns}/${ns}/event/run`, `${ns}/${ns}/event/timer`]);
  const logged = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { hearth, clock, light, logged, discovery };
}

/** Polls until `check` holds. The test's own timeout is the limit: a busy machine makes it slower, not failing. */
async function waitFor(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 20));
}

/**
 * Sends a sentence on the command topic (said in `area` when given, else at the site) and returns
 * the run's result from event/run.
 */
async function say(ns: string, text: string, area?: string): Promise<Record<string, unknown>> {
  const transaction = unique("t");
  const from = mq.inbox.messages.length;
  await mq.observer.publishAsync(`${ns}/${ns}/command/text`, JSON.stringify({ text, transaction, area }));
  const run = await mq.inbox.next(
    (m) =>
      m.topic === `${ns}/${ns}/event/run` && JSON.parse(m.payload.toString()).transaction === transaction,
    from,
  );
  return JSON.parse(run.payload.toString());
}

function published(topic: string, from: number): unknown[] {
  return mq.inbox.messages
    .slice(from)
    .filter((m) => m.topic === topic)
    .map((m) => JSON.parse(m.payload.toString()));
}

describe.each(VARIANTS)("a command said with a delay, $variant", ({ packs, reply }) => {
  it("is carried out when its timer ends, not before, without ringing", async () => {
    const ns = unique("delay");
    const { hearth, clock, light, logged } = await started(ns, packs);
    try {
      const from = mq.inbox.messages.length;
      const set = await say(ns, "turn off the kitchen light in 10 minutes");
      expect(set.reply).toMatch(reply);
      expect(set.actions).toEqual([]);

      clock.advance(599_000);
      // Anything the timer had set off by now would be published before this run's result.
      await say(ns, "what time is it");
      expect(published(light, from)).toEqual([]);

      clock.advance(1_000);
      const command = await mq.inbox.next((m) => m.topic === light, from);
      expect(JSON.parse(command.payload.toString())).toEqual({ state: "OFF" });
      await waitFor(() => logged().some((l) => l.msg === "timer command done"));
      // The timer's events keep their fields; the finished one is published, but nothing rings.
      expect(published(`${ns}/${ns}/event/timer`, from)).toEqual([
        { event: "started", id: 1, seconds: 600, left: 600 },
        { event: "finished", id: 1, seconds: 600 },
      ]);
      expect(logged().find((l) => l.msg === "timer command done")).toMatchObject({
        timer: 1,
        area: "Kitchen",
        actions: 1,
      });
      expect(logged().some((l) => l.msg === "timer finished")).toBe(false);
    } finally {
      await hearth.stop();
    }
  });

  it("acts in the area it was said in, not the site's", async () => {
    const ns = unique("delay");
    const { hearth, clock, light } = await started(ns, packs);
    try {
      // The zigbee2mqtt bulb of the living room beside the kitchen light.
      const [topic, payload] = relocate(z2mBulb, `${ns}-ha`, `${ns}-dev`);
      await mq.observer.publishAsync(topic, payload, { retain: true, qos: 1 });
      await waitFor(() => hearth.registry.entities().some((e) => e.name === "Living room bulb"));
      const bulb = `${ns}-dev/zigbee2mqtt/Living room bulb/set`;
      await mq.observer.subscribeAsync(bulb);
      const from = mq.inbox.messages.length;
      expect((await say(ns, "turn off the lights in 10 minutes", "Living Room")).reply).toMatch(reply);
      clock.advance(600_000);
      const command = await mq.inbox.next((m) => m.topic === bulb, from);
      expect(JSON.parse(command.payload.toString())).toEqual({ state: "OFF" });
      await say(ns, "what time is it");
      expect(published(light, from)).toEqual([]);
    } finally {
      await hearth.stop();
    }
  });

  it("is dropped with its timer when the timer is cancelled", async () => {
    const ns = unique("delay");
    const { hearth, clock, light, logged } = await started(ns, packs);
    try {
      const from = mq.inbox.messages.length;
      await say(ns, "turn off the kitchen light in 10 minutes");
      expect((await say(ns, "cancel the timer")).reply).toMatch(/cancel/i);
      clock.advance(3_600_000);
      await say(ns, "turn on the kitchen light");
      // The only command the light got is the one said last.
      expect(published(light, from)).toEqual([{ state: "ON" }]);
      expect(logged().some((l) => String(l.msg).startsWith("timer command"))).toBe(false);
    } finally {
      await hearth.stop();
    }
  });

  it("says so when the command can no longer be carried out, and keeps running", async () => {
    const ns = unique("delay");
    const { hearth, clock, logged, discovery } = await started(ns, packs);
    try {
      await say(ns, "turn off the kitchen light in 10 minutes");
      // The light goes away before the timer ends: its discovery config is cleared.
      await mq.observer.publishAsync(discovery, "", { retain: true, qos: 1 });
      await waitFor(() => !hearth.registry.entities().some((e) => e.name === "Kitchen light"));
      clock.advance(600_000);
      await waitFor(() => logged().some((l) => l.msg === "timer command failed"));
      expect(logged().find((l) => l.msg === "timer command failed")).toMatchObject({
        level: 40,
        timer: 1,
        area: "Kitchen",
      });
      // Still serving: the next sentence is understood and answered.
      expect((await say(ns, "what time is it")).reason).toBe("done");
    } finally {
      await hearth.stop();
    }
  });
});

describe("a command said with a delay in German, with Home Assistant's German pack", () => {
  it("runs without the delay's words when its timer ends, not before", async () => {
    const ns = unique("verzoegert");
    const { hearth, clock, light, logged } = await started(ns, [PACK], true);
    try {
      const from = mq.inbox.messages.length;
      // German puts the time between the command's object and its particle.
      const set = await say(ns, "schalte das Licht in der Küche in zehn Minuten aus");
      expect(set.reply).toBe("Anweisung wird in 10 Minuten ausgeführt");
      expect(set.actions).toEqual([]);

      clock.advance(599_000);
      await say(ns, "wie spät ist es");
      expect(published(light, from)).toEqual([]);

      clock.advance(1_000);
      const command = await mq.inbox.next((m) => m.topic === light, from);
      expect(JSON.parse(command.payload.toString())).toEqual({ state: "OFF" });
      await waitFor(() => logged().some((l) => l.msg === "timer command done"));
      expect(logged().find((l) => l.msg === "timer command done")).toMatchObject({
        timer: 1,
        area: "Küche",
        actions: 1,
      });
    } finally {
      await hearth.stop();
    }
  });

  it("runs a command said in dialect with half an hour's delay, “in a halben Stund”", async () => {
    const ns = unique("verzoegert");
    const { hearth, clock, light } = await started(ns, [PACK], true);
    try {
      const from = mq.inbox.messages.length;
      const set = await say(ns, "schalt in a halben Stund das Licht in der Küche aus");
      expect(set.reply).toBe("Anweisung wird in 30 Minuten ausgeführt");
      clock.advance(1_799_000);
      await say(ns, "wie spät ist es");
      expect(published(light, from)).toEqual([]);
      clock.advance(1_000);
      const command = await mq.inbox.next((m) => m.topic === light, from);
      expect(JSON.parse(command.payload.toString())).toEqual({ state: "OFF" });
    } finally {
      await hearth.stop();
    }
  });
});
