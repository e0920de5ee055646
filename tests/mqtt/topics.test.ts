import { describe, expect, it } from "vitest";
import {
  discoveryTopics,
  hearthTopics,
  isValidPublishTopic,
  isValidSubscribeTopic,
  topicMatches,
} from "../../src/mqtt/topics.js";

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
