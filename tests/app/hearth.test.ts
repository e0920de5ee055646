import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectAsync, type MqttClient } from "mqtt";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Hearth } from "../../src/app.js";
import { loadConfig } from "../../src/config/loader.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { type Mosquitto, startMosquitto } from "../helpers/mosquitto.js";
import { tinyModelDir } from "../llm/tiny-model.js";
import { z2mBulb } from "../mqtt/fixtures/discovery.js";
import { Inbox, relocate, unique } from "../mqtt/harness.js";

let broker: Mosquitto;
let dir: string;
let client: MqttClient;
let inbox: Inbox;

beforeAll(async () => {
  broker = await startMosquitto();
  dir = await mkdtemp(join(tmpdir(), "hearth-app-"));
  client = await connectAsync(broker.url, { clientId: unique("observer") });
  inbox = new Inbox(client);
});

afterAll(async () => {
  await client?.endAsync();
  await broker?.dispose();
  await rm(dir, { recursive: true, force: true });
});

function config(ns: string, extra = ""): string {
  return `site: { id: ${ns}, area: Living Room }
areas: [{ name: Living Room }, { name: Kitchen }]
mqtt: { url: "${broker.url}", base_topic: ${ns}, discovery_prefix: ${ns}-ha, command_grace_ms: 2000 }
audio: { source: none }
${extra}`;
}

/**
 * Starts a Hearth on `ns`'s config. Its time is a clock only the test moves: timers ring, and the
 * LLM's budget, the start-up limits and a command's grace period run out, only when the test says.
 */
async function started(ns: string, extra = "") {
  const path = join(dir, `${ns}.yaml`);
  await writeFile(path, config(ns, extra));
  const lines: string[] = [];
  const log = pino({ level: "info" }, { write: (l: string) => lines.push(l) });
  const clock = new ManualClock();
  const hearth = new Hearth({ loaded: await loadConfig(path), log, clock });
  // A zigbee2mqtt bulb Hearth learns from discovery (retained, published before Hearth starts),
  // outside Hearth's own topics: no device may be commanded there.
  const [topic, payload] = relocate(z2mBulb, `${ns}-ha`, `${ns}-dev`);
  await client.publishAsync(topic, payload, { retain: true, qos: 1 });
  await hearth.start();
  return { hearth, path, lines, clock };
}

/** Polls until `check` holds. The test's own timeout is the limit: a busy machine makes it slower, not failing. */
async function waitFor(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 20));
}

describe("the Hearth daemon", () => {
  it("switches a device it learned from discovery when text arrives on its command topic", async () => {
    const ns = unique("app");
    const { hearth } = await started(ns);
    try {
      await waitFor(() => hearth.registry.entities().some((e) => e.name === "Living room bulb"));
      await client.subscribeAsync([`${ns}-dev/zigbee2mqtt/#`, `${ns}/${ns}/event/run`]);
      const from = inbox.messages.length;
      await client.publishAsync(
        `${ns}/${ns}/command/text`,
        JSON.stringify({ text: "turn on the living room bulb", transaction: "t1" }),
      );
      const command = await inbox.next((m) => m.topic === `${ns}-dev/zigbee2mqtt/Living room bulb/set`, from);
      expect(JSON.parse(command.payload.toString())).toEqual({ state: "ON" });
      const run = await inbox.next((m) => m.topic === `${ns}/${ns}/event/run`, from);
      const result = JSON.parse(run.payload.toString());
      expect(result).toMatchObject({ transaction: "t1", reply: "Turned on the living room bulb." });
      expect(result.actions[0]).toMatchObject({ ok: true });
    } finally {
      await hearth.stop();
    }
  });

  it("rings a timer where it was set: every change on event/timer, and the reply spoken when it is done", async () => {
    const ns = unique("app");
    const { hearth, lines, clock } = await started(ns);
    try {
      await client.subscribeAsync(`${ns}/${ns}/event/timer`);
      const from = inbox.messages.length;
      const timerEvents = () =>
        inbox.messages
          .slice(from)
          .filter((m) => m.topic === `${ns}/${ns}/event/timer`)
          .map((m) => JSON.parse(m.payload.toString()) as Record<string, unknown>);
      await client.publishAsync(`${ns}/${ns}/command/text`, "set a pizza timer for 1 second");
      await client.publishAsync(`${ns}/${ns}/command/text`, "set a tea timer for 10 minutes");
      await client.publishAsync(`${ns}/${ns}/command/text`, "cancel the tea timer");
      // The pizza's second passes once all three commands were taken, however long they took.
      await waitFor(() => timerEvents().some((e) => e.event === "cancelled"));
      clock.advance(1000);
      await waitFor(() => timerEvents().some((e) => e.event === "finished"));
      expect(timerEvents()).toEqual([
        { event: "started", id: 1, name: "pizza", seconds: 1, left: 1 },
        { event: "started", id: 2, name: "tea", seconds: 600, left: 600 },
        { event: "cancelled", id: 2, name: "tea", seconds: 600, left: 600 },
        { event: "finished", id: 1, name: "pizza", seconds: 1 },
      ]);
      const rung = lines.map((l) => JSON.parse(l)).find((l) => l.msg === "timer finished");
      expect(rung).toMatchObject({ name: "pizza", say: "Your pizza timer is done." });
    } finally {
      await hearth.stop();
    }
  });

  it("reloads its config without dropping the MQTT session, and keeps the old one when the new is invalid", async () => {
    const ns = unique("reload");
    const { hearth, path } = await started(ns);
    try {
      await waitFor(() => hearth.registry.entities().some((e) => e.name === "Living room bulb"));
      await client.subscribeAsync(`${ns}/${ns}/status`);
      const statusFrom = inbox.messages.length;
      const before = await hearth.pipeline.run("brew me a cup of tea");
      expect(before.understanding.kind).toBe("not-recognized");

      await writeFile(
        path,
        config(
          ns,
          `intents:
  lists: { drink: { values: [tea, coffee] } }
  custom: { Brew: { sentences: ["brew me a cup of {drink}"], reply: "Brewing {drink}" } }
`,
        ),
      );
      expect(await hearth.reload()).toEqual({ ok: true, restartNeeded: [] });
      const after = await hearth.pipeline.run("brew me a cup of tea");
      expect(after.reply).toBe("Brewing tea");
      // Devices learned from discovery are still there, in the reloaded registry.
      expect(hearth.registry.entities().some((e) => e.name === "Living room bulb")).toBe(true);

      await writeFile(path, "site: { id: [oops\n");
      const refused = await hearth.reload();
      expect(refused.ok).toBe(false);
      expect((await hearth.pipeline.run("brew me a cup of coffee")).reply).toBe("Brewing coffee");
      // The session never dropped: no "offline" on the status topic.
      expect(
        inbox.messages
          .slice(statusFrom)
          .filter((m) => m.topic === `${ns}/${ns}/status` && m.payload.toString() === "offline"),
      ).toEqual([]);
    } finally {
      await hearth.stop();
    }
  });

  it("keeps its discovered devices through a reload: no moment without them, every command finds them", async () => {
    const ns = unique("gap");
    const { hearth, path } = await started(ns);
    try {
      await waitFor(() => hearth.registry.entities().some((e) => e.name === "Living room bulb"));
      const bulb = () => hearth.registry.entities().find((e) => e.name === "Living room bulb");
      let missing = 0;
      const off = hearth.registry.onChange(() => {
        if (!bulb()) missing++;
      });
      await writeFile(path, config(ns, "floors: [{ name: Ground floor }]\n"));
      // Commands keep coming while the config is reloaded.
      let reloading = true;
      const replies: string[] = [];
      const commands = (async () => {
        while (reloading) {
          const r = await hearth.pipeline.run("turn off the living room bulb");
          replies.push(r.reason);
        }
      })();
      const result = await hearth.reload();
      reloading = false;
      await commands;
      off();
      expect(result).toEqual({ ok: true, restartNeeded: [] });
      expect(missing).toBe(0);
      expect(replies.length).toBeGreaterThan(0);
      expect(replies.every((r) => r === "done")).toBe(true);
      expect(hearth.registry.findFloor("Ground floor")).toBeDefined();
      expect(bulb()?.source).toBe("discovery");
    } finally {
      await hearth.stop();
    }
  });

  it("keeps an unchanged model loaded across a reload, and swaps it when the LLM settings change", async () => {
    const ns = unique("llm");
    const models = await tinyModelDir();
    const llm = (timeout: number) =>
      `llm: { mode: fallback, model: ${join(models.dir, "tiny.gguf")}, threads: 1, context_size: 2048, timeout_ms: ${timeout} }\n`;
    const { hearth, path, lines } = await started(ns, llm(60000));
    const loads = () => lines.filter((l) => l.includes('"msg":"llm loaded"')).length;
    try {
      expect(loads()).toBe(1);
      await writeFile(path, config(ns, `${llm(60000)}intents: { disabled: [HassGetWeather] }\n`));
      expect(await hearth.reload()).toEqual({ ok: true, restartNeeded: [] });
      expect(loads()).toBe(1);
      // The kept model still answers what no template covers.
      const kept = await hearth.pipeline.run("it's far too gloomy in this room");
      expect(kept.understanding.kind === "answered" || kept.understanding.recognizer === "llm").toBe(true);

      await writeFile(path, config(ns, llm(30000)));
      expect(await hearth.reload()).toEqual({ ok: true, restartNeeded: [] });
      expect(loads()).toBe(2);
      const swapped = await hearth.pipeline.run("it's far too gloomy in this room");
      expect(swapped.understanding.kind === "answered" || swapped.understanding.recognizer === "llm").toBe(
        true,
      );
    } finally {
      await hearth.stop();
      await models.cleanup();
    }
  });

  it("names the settings a reload cannot apply without a restart", async () => {
    const ns = unique("restart");
    const { hearth, path } = await started(ns);
    try {
      await writeFile(path, config(ns).replace(`site: { id: ${ns}`, `site: { id: ${ns}-renamed`));
      expect(await hearth.reload()).toEqual({ ok: true, restartNeeded: ["site"] });
    } finally {
      await hearth.stop();
    }
  });

  it("fails its stop, naming the list and the file, when a list change cannot be saved", async () => {
    const ns = unique("app");
    const state = join(dir, `${ns}-state`);
    const { hearth, lines } = await started(ns, `state_dir: "${state}"\n`);
    let stopped = false;
    try {
      await client.subscribeAsync(`${ns}/${ns}/event/run`);
      // The state directory is a plain file now: no list file can be written there, as root too.
      await rm(state, { recursive: true, force: true });
      await writeFile(state, "not a directory\n");
      const from = inbox.messages.length;
      await client.publishAsync(
        `${ns}/${ns}/command/text`,
        JSON.stringify({ text: "add oat milk to the shopping list", transaction: "t1" }),
      );
      const run = await inbox.next((m) => m.topic === `${ns}/${ns}/event/run`, from);
      const result = JSON.parse(run.payload.toString());
      expect(result).toMatchObject({ transaction: "t1" });
      expect(result.reply).toMatch(/^Added oat milk to /);
      stopped = true;
      const stop = hearth.stop();
      await expect(stop).rejects.toMatchObject({ code: "STOP_FAILED" });
      const err = await stop.catch((e: Error) => e);
      expect((err as Error).message).toMatch(/^lists \(the changes to Shopping List were not saved to /);
      expect((err as Error).message).toContain(join(state, "lists.json"));
      const logged = lines.map((l) => JSON.parse(l)).find((l) => l.msg === "hearth stopped");
      expect(logged).toMatchObject({ failed: ["lists"] });
    } finally {
      if (!stopped) await hearth.stop();
      await rm(state, { force: true });
    }
  });

  it("starts its own broker when none is configured, and fails clearly when the configured one is unreachable", async () => {
    const path = join(dir, "embedded.yaml");
    await writeFile(
      path,
      "site: { id: embedded-test }\nmqtt: { embedded_port: 0 }\naudio: { source: none }\n",
    );
    const hearth = new Hearth({ loaded: await loadConfig(path), log: pino({ level: "silent" }) });
    await hearth.start();
    expect(hearth.brokerUrl).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
    await hearth.stop();

    const bad = join(dir, "unreachable.yaml");
    await writeFile(
      bad,
      "site: { id: nobroker }\nmqtt: { url: 'mqtt://127.0.0.1:1', startup_timeout_ms: 500 }\naudio: { source: none }\n",
    );
    const failing = new Hearth({ loaded: await loadConfig(bad), log: pino({ level: "silent" }) });
    await expect(failing.start()).rejects.toMatchObject({ code: "BROKER_UNREACHABLE" });
  });
});
