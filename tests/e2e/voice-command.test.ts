import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectAsync, type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildTextPath, type TextPath } from "../../src/app.js";
import { concatInt16 } from "../../src/audio/pcm.js";
import { readWavFile, writeWavFile } from "../../src/audio/wav.js";
import type { LoadedConfig } from "../../src/config/loader.js";
import { parseConfig } from "../../src/config/parse-config.js";
import { EventBus } from "../../src/core/event-bus.js";
import type { HearthEvents } from "../../src/core/events.js";
import { silentLogger } from "../../src/core/logger.js";
import { MqttActuator } from "../../src/mqtt/actuator.js";
import { MqttConnection } from "../../src/mqtt/client.js";
import { EmbeddedBroker } from "../../src/mqtt/embedded-broker.js";
import { DiscoveredDevices } from "../../src/mqtt/ha/discovered-devices.js";
import { buildSpeechPath } from "../../src/pipeline/speech-path.js";
import { TextPipeline } from "../../src/pipeline/text-pipeline.js";
import { loopOver } from "../helpers/loop-over.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { registryUntil } from "../helpers/observed-broker.js";
import { noise, silence, speak, type Voice } from "../helpers/speech.js";
import { z2mBulb } from "../mqtt/fixtures/discovery.js";
import { Inbox, relocate, unique } from "../mqtt/harness.js";
import { EventLog } from "../pipeline/loop-helpers.js";

/*
 * A spoken command end to end, every part real: a WAV recording (flite and festival voices) read as
 * `audio.source: file:` / `hearth run --input` reads it, openWakeWord's hey_jarvis, Silero VAD,
 * pocketsphinx with the grammar generated from the templates and the home, the text path, the MQTT
 * actuator on a real broker (the embedded aedes), a light Hearth learned from a zigbee2mqtt discovery
 * config, and festival writing the spoken reply to a WAV file. Composed the way app.ts composes the
 * daemon.
 */

const wakeVoice: Voice = { engine: "flite", name: "kal16" };
const commandVoice: Voice = { engine: "flite", name: "slt" };

let dir: string;
let broker: EmbeddedBroker;
let url: string;
let observer: MqttClient;
let inbox: Inbox;
const ns = unique("e2e");
const prefix = unique("ha");
const commandTopic = `${ns}/zigbee2mqtt/Kitchen Light/set`;
/** The id Hearth gives the light: from its discovery unique_id, never from its display name. */
const lightId = "light.0x0017880104e45599_light_zigbee2mqtt";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hearth-e2e-voice-"));
  broker = new EmbeddedBroker({ port: 0, logger: silentLogger() });
  url = await broker.start();
  observer = await connectAsync(url, { clientId: unique("observer") });
  inbox = new Inbox(observer);
  await observer.subscribeAsync(`${ns}/#`, { qos: 1 });
  // What zigbee2mqtt publishes for a bulb, renamed into the kitchen; retained, as discovery is.
  const [topic, payload] = relocate(z2mBulb, prefix, ns, {
    device: {
      identifiers: ["zigbee2mqtt_0x0017880104e45599"],
      name: "Kitchen Light",
      suggested_area: "Kitchen",
    },
    command_topic: "zigbee2mqtt/Kitchen Light/set",
    state_topic: "zigbee2mqtt/Kitchen Light",
    unique_id: "0x0017880104e45599_light_zigbee2mqtt",
    object_id: "kitchen_light",
  });
  await observer.publishAsync(topic, payload, { qos: 1, retain: true });
});

afterAll(async () => {
  await observer?.endAsync(true);
  await broker?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Hearth as the daemon wires it, listening to `input`; resolves once the recording is done. */
async function hearRecording(name: string, samples: Int16Array) {
  const input = join(dir, `${name}.wav`);
  await writeWavFile(input, { sampleRate: 16000, samples });
  const siteId = unique("site");
  const config = parseConfig(
    `
site: { id: ${siteId}, area: Living Room }
areas: [{ name: Kitchen }, { name: Living Room }]
audio: { sink: "file:replies-${name}/reply-{n}.wav" }
mqtt: { url: "${url}", base_topic: ${ns}/hearth, discovery_prefix: ${prefix} }
`,
    "e2e config",
  );
  const loaded: LoadedConfig = { config, path: join(dir, "hearth.yaml"), dir, created: false };
  const log = silentLogger();
  // The daemon's deadlines (each stage's, the reply's synthesis, a command's grace period, the first
  // connection's) run on a clock the test moves only past the speech grammar's debounce, before the
  // recording: it is heard to its end however slow the machine is. The deadlines are tested on a
  // clock their tests move (tests/pipeline/listening-loop.test.ts, tests/mqtt, tests/audio/tts).
  const clock = new ManualClock();
  const connection = new MqttConnection({
    url,
    clientId: unique("hearth"),
    statusTopic: `${ns}/hearth/${siteId}/status`,
    commandGraceMs: config.mqtt.command_grace_ms,
    startupTimeoutMs: 10_000,
    logger: log,
    clock,
  });
  const text: TextPath = await buildTextPath(loaded, { llm: false, log });
  // The speech path first, as in the daemon: the light arrives by discovery afterwards, and the
  // grammar must follow.
  const speech = await buildSpeechPath(loaded, {
    registry: text.registry,
    input,
    log,
    grammarDebounceMs: 50,
    clock,
  });
  const discovered = new DiscoveredDevices({ registry: text.registry, prefix, logger: log });
  const bus = new EventBus<HearthEvents>();
  const events = new EventLog(bus);
  try {
    await connection.start();
    await discovered.start(connection);
    // Learned from discovery, then the grammar rebuilt with its name, however long either takes.
    await registryUntil(text.registry, () => text.registry.entity(lightId) !== undefined);
    expect(text.registry.entity(lightId)?.areaId).toBe("kitchen");
    clock.advance(50); // the grammar's debounce
    await speech.grammarSettled();
    expect(speech.grammar?.registryVersion).toBe(text.registry.version);

    const pipeline = new TextPipeline({
      understanding: text.understanding,
      actuator: new MqttActuator({ connection, registry: text.registry, graceMs: 3000, log, clock }),
      bus,
      clock,
      siteId,
      log,
    });
    const loop = loopOver(speech, loaded.config, { pipeline, bus, clock });
    const publishedBefore = inbox.on(commandTopic).length;
    await loop.start();
    const end = await loop.finished;
    const replies = (await readdir(join(dir, `replies-${name}`)).catch(() => [] as string[])).map((f) =>
      join(dir, `replies-${name}`, f),
    );
    return { end, events, replies, commands: () => inbox.on(commandTopic).slice(publishedBefore) };
  } finally {
    await speech.close();
    await discovered.stop();
    await connection.stop();
    await text.close();
  }
}

describe("a spoken command, end to end", () => {
  test("'hey jarvis, turn on the kitchen light' switches the discovered light and answers aloud", async () => {
    const samples = concatInt16([
      await speak("hey jarvis", { voice: wakeVoice }),
      silence(0.4),
      await speak("turn on the kitchen light", { voice: commandVoice }),
      silence(0.5),
    ]);
    const { end, events, replies, commands } = await hearRecording("command", samples);
    expect(end).toEqual({ reason: "ended" });
    await inbox.until(() => commands().length > 0);
    expect(commands().map((p) => JSON.parse(p))).toEqual([{ state: "ON" }]);
    expect(events.named("action.published").map((a) => [a.entityId, a.topic])).toEqual([
      [lightId, commandTopic],
    ]);
    expect(events.named("pipeline.ended").map((e) => e.reason)).toEqual(["done"]);
    // festival's reply, written by the WAV sink.
    expect(replies).toHaveLength(1);
    const reply = await readWavFile(replies[0] as string);
    expect(reply.length / 16000).toBeGreaterThan(0.5);
  });

  test("noise, commands without the wake word and other speech after it switch nothing", async () => {
    const samples = concatInt16([
      await noise("pink", 3, -30),
      silence(1),
      await speak("turn on the kitchen light", { voice: commandVoice }),
      silence(1.5),
      await noise("brown", 2, -28),
      silence(1),
      await speak("hey jarvis", { voice: wakeVoice }),
      silence(0.4),
      await speak("who won the football last night", { voice: commandVoice }),
      silence(0.5),
    ]);
    const { end, events, commands } = await hearRecording("negatives", samples);
    expect(end).toEqual({ reason: "ended" });
    expect(commands()).toEqual([]);
    expect(events.named("intent.recognized")).toEqual([]);
    expect(events.named("action.published")).toEqual([]);
    expect(events.named("pipeline.ended").map((e) => e.reason)).toEqual(["not-recognized"]);
  });
});
