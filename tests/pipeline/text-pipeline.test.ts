import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildTextPath, type TextPath } from "../../src/app.js";
import { parseConfig } from "../../src/config/parse-config.js";
import { systemClock } from "../../src/core/clock.js";
import { EventBus } from "../../src/core/event-bus.js";
import type { HearthEvents } from "../../src/core/events.js";
import { silentLogger } from "../../src/core/logger.js";
import { TextPipeline } from "../../src/pipeline/text-pipeline.js";
import { EventLog, RecordingActuator } from "./loop-helpers.js";

/* The text pipeline's hooks for the listening loop: the reply before acting, and runs it does not end. */

let text: TextPath;

beforeAll(async () => {
  const config = parseConfig(
    `
site: { id: text-test, area: Kitchen }
areas: [{ name: Kitchen }]
devices:
  - { id: light.kitchen_light, name: Kitchen Light, area: Kitchen, state: "off" }
`,
    "text pipeline test",
  );
  text = await buildTextPath(
    { config, path: join(tmpdir(), "hearth.yaml"), dir: tmpdir(), created: false },
    { llm: false },
  );
});

afterAll(() => text?.close());

function pipelineWith(actuator: RecordingActuator) {
  const bus = new EventBus<HearthEvents>();
  const events = new EventLog(bus);
  const pipeline = new TextPipeline({
    understanding: text.understanding,
    actuator,
    bus,
    clock: systemClock,
    siteId: "text-test",
    log: silentLogger(),
  });
  return { pipeline, events };
}

describe("TextPipeline", () => {
  test("hands over the reply before any device is commanded", async () => {
    const actuator = new RecordingActuator();
    const { pipeline } = pipelineWith(actuator);
    const seen: Array<{ reply: string; kind: string; actedBefore: number }> = [];
    const result = await pipeline.run("turn on the kitchen light", {
      onReply: (reply, understanding) =>
        seen.push({ reply, kind: understanding.kind, actedBefore: actuator.acted.length }),
    });
    expect(seen).toEqual([{ reply: result.reply, kind: "recognized", actedBefore: 0 }]);
    expect(actuator.acted).toHaveLength(1);
  });

  test("hands over the prepared reply even when a command then fails, and returns the failure", async () => {
    const actuator = new RecordingActuator();
    actuator.failure = "I can't reach the home controller";
    const { pipeline } = pipelineWith(actuator);
    const early: string[] = [];
    const result = await pipeline.run("turn on the kitchen light", { onReply: (reply) => early.push(reply) });
    expect(early).toHaveLength(1);
    expect(early[0]).not.toBe(result.reply);
    expect(result.reply).toBe("Sorry, I can't reach the home controller.");
    expect(result.reason).toBe("action-failed");
  });

  test("ends the run itself unless the caller's run goes on", async () => {
    const { pipeline, events } = pipelineWith(new RecordingActuator());
    await pipeline.run("turn off the kitchen light", { runId: "own" });
    await pipeline.run("turn on the kitchen light", { runId: "continued", endsRun: false });
    expect(events.named("pipeline.ended").map((e) => e.runId)).toEqual(["own"]);
    expect(events.named("intent.recognized").map((e) => e.runId)).toEqual(["own", "continued"]);
  });
});

describe("TextPipeline with Home Assistant's German pack", () => {
  // The pack is Home Assistant's own (../shared/ha-intents, CC BY 4.0, the Home Assistant intents project).
  let german: TextPath;
  beforeAll(async () => {
    const config = parseConfig(
      `
site: { id: text-test-de, area: Küche, language: de }
areas: [{ name: Küche }]
devices:
  - { id: light.kitchen_light, name: Küchenlicht, area: Küche, state: "off" }
intents: { packs: [${JSON.stringify(join(process.cwd(), "../shared/ha-intents"))}] }
`,
      "text pipeline test (de)",
    );
    german = await buildTextPath(
      { config, path: join(tmpdir(), "hearth.yaml"), dir: tmpdir(), created: false },
      { llm: false },
    );
  });
  afterAll(() => german?.close());

  test("says that a command failed in the pack's language, not in Hearth's English", async () => {
    const actuator = new RecordingActuator();
    actuator.failure = "I can't reach the home controller";
    const pipeline = new TextPipeline({
      understanding: german.understanding,
      actuator,
      bus: new EventBus<HearthEvents>(),
      clock: systemClock,
      siteId: "text-test-de",
      log: silentLogger(),
    });
    const result = await pipeline.run("schalte das Küchenlicht ein");
    expect(result.reason).toBe("action-failed");
    expect(result.reply).toBe("Es ist ein unerwarteter Fehler aufgetreten");
  });
});
