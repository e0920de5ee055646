import { connectAsync } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  discoveryTopics,
  hearthTopics,
  isValidPublishTopic,
  isValidSubscribeTopic,
  MAX_TOPIC_LEVELS,
  topicMatches,
} from "../../src/mqtt/topics.js";
import { type Mosquitto, startMosquitto } from "../helpers/mosquitto.js";

describe("topic rules", () => {
  it("accepts concrete topics for publishing and refuses wildcards, empty and broken text", () => {
    expect(isValidPublishTopic("zigbee2mqtt/Living room bulb/set")).toBe(true);
    expect(isValidPublishTopic("/leading/slash")).toBe(true);
    for (const bad of [
      "",
      "a/#",
      "#",
      "a/+/b",
      "a+b",
      "a\u0000b",
      "a\ud800",
      5,
      null,
      undefined,
      "x".repeat(70_000),
    ]) {
      expect(isValidPublishTopic(bad), String(bad).slice(0, 20)).toBe(false);
    }
  });

  it("accepts wildcards in subscriptions only as whole levels, # last", () => {
    for (const good of ["a/#", "#", "+", "a/+/b", "+/+/config"])
      expect(isValidSubscribeTopic(good), good).toBe(true);
    for (const bad of ["a/#/b", "a#", "a/b+", "", "##"]) expect(isValidSubscribeTopic(bad), bad).toBe(false);
  });

  it("matches topics against filters as brokers do", () => {
    expect(topicMatches("homeassistant/#", "homeassistant/light/x/config")).toBe(true);
    expect(topicMatches("homeassistant/#", "homeassistant")).toBe(true);
    expect(topicMatches("a/+/c", "a/b/c")).toBe(true);
    expect(topicMatches("a/+/c", "a/b/d")).toBe(false);
    expect(topicMatches("a/+", "a/b/c")).toBe(false);
    expect(topicMatches("a/b", "a/b")).toBe(true);
    expect(topicMatches("#", "$SYS/broker")).toBe(false);
    expect(topicMatches("+/broker", "$SYS/broker")).toBe(false);
  });
});

describe("topic rules against Mosquitto", () => {
  let broker: Mosquitto;
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    await broker?.dispose();
  });

  /** Whether Mosquitto keeps a client that subscribes to `topic` (it drops one it refuses). */
  async function brokerAccepts(topic: string): Promise<boolean> {
    const client = await connectAsync(broker.url, { protocolVersion: 5, reconnectPeriod: 0 });
    let closed = false;
    client.on("close", () => {
      closed = true;
    });
    client.subscribe(topic, { qos: 1 }, () => {});
    // A topic after the refused one: its SUBACK proves the broker read past the first.
    const ok = await client.subscribeAsync("probe/after", { qos: 1 }).then(
      () => true,
      () => false,
    );
    const accepted = ok && !closed;
    await client.endAsync(true);
    return accepted;
  }

  it("refuses exactly the characters Mosquitto disconnects a client for", async () => {
    const codePoints = [
      0x01, 0x09, 0x0a, 0x1f, 0x20, 0x7e, 0x7f, 0x85, 0x9f, 0xa0, 0xe9, 0xfdcf, 0xfdd0, 0xfdef, 0xfdf0,
      0xfeff, 0xfffd, 0xfffe, 0xffff, 0x1f600, 0x1fffe, 0x10ffff,
    ];
    for (const cp of codePoints) {
      const topic = `hearth/${String.fromCodePoint(cp)}/x`;
      expect(isValidSubscribeTopic(topic), `U+${cp.toString(16)}`).toBe(await brokerAccepts(topic));
    }
  });

  it("refuses topics of more levels than Mosquitto takes", async () => {
    const deepest = Array(MAX_TOPIC_LEVELS).fill("a").join("/");
    expect(isValidPublishTopic(deepest)).toBe(true);
    expect(await brokerAccepts(deepest)).toBe(true);
    expect(isValidPublishTopic(`${deepest}/a`)).toBe(false);
    expect(await brokerAccepts(`${deepest}/a`)).toBe(false);
  });
});

describe("topic builders", () => {
  it("builds Hearth's own topics under base and site", () => {
    const t = hearthTopics("hearth", "kitchen");
    expect([t.status, t.commandText, t.eventRun, t.say, t.state("assistant"), t.set("mute")]).toEqual([
      "hearth/kitchen/status",
      "hearth/kitchen/command/text",
      "hearth/kitchen/event/run",
      "hearth/kitchen/say",
      "hearth/kitchen/state/assistant",
      "hearth/kitchen/set/mute",
    ]);
  });

  it("builds discovery topics under the prefix", () => {
    const d = discoveryTopics("homeassistant");
    expect(d.all).toBe("homeassistant/#");
    expect(d.haStatus).toBe("homeassistant/status");
    expect(d.config("sensor", "hearth_kitchen", "state")).toBe(
      "homeassistant/sensor/hearth_kitchen/state/config",
    );
  });
});
