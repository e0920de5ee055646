import { Writable } from "node:stream";
import { pino } from "pino";
import { describe, expect, test } from "vitest";
import { EventBus } from "../../src/core/event-bus.js";
import type { HearthEvents } from "../../src/core/events.js";

/** A real pino logger writing its JSON lines into an array. */
function capturingLogger(): { log: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: "debug" }, stream), lines };
}

const ended = { runId: "run-1", siteId: "kitchen", reason: "done" as const, timings: {} };

describe("EventBus", () => {
  test("a listener that throws is logged with its event and the others still hear it", async () => {
    const { log, lines } = capturingLogger();
    const bus = new EventBus<HearthEvents>({ log });
    const heard: string[] = [];
    bus.on("pipeline.ended", () => heard.push("first"));
    bus.on("pipeline.ended", () => {
      throw new Error("listener bug");
    });
    bus.on("pipeline.ended", (e) => heard.push(`third ${e.reason}`));

    expect(() => bus.emit("pipeline.ended", ended)).not.toThrow();
    expect(heard).toEqual(["first", "third done"]);
    await new Promise((r) => setImmediate(r));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 50,
      msg: "event listener failed",
      event: "pipeline.ended",
      runId: "run-1",
      siteId: "kitchen",
      err: { message: "listener bug" },
    });
  });

  test("a listener whose promise rejects is logged too, and the transcript is not", async () => {
    const { log, lines } = capturingLogger();
    const bus = new EventBus<HearthEvents>({ log });
    bus.on("stt.transcript", async () => {
      throw new Error("async listener bug");
    });
    bus.emit("stt.transcript", { runId: "run-2", siteId: "hall", text: "unlock the front door", ms: 5 });
    await new Promise((r) => setImmediate(r));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      event: "stt.transcript",
      runId: "run-2",
      err: { message: "async listener bug" },
    });
    expect(JSON.stringify(lines[0])).not.toContain("unlock the front door");
  });

  test("once hears one event; the function on returns unsubscribes", () => {
    const bus = new EventBus<HearthEvents>();
    const heard: string[] = [];
    bus.once("assistant.state", (e) => heard.push(`once ${e.state}`));
    const off = bus.on("assistant.state", (e) => heard.push(`on ${e.state}`));
    bus.emit("assistant.state", { siteId: "s", state: "listening" });
    off();
    bus.emit("assistant.state", { siteId: "s", state: "idle" });
    expect(heard).toEqual(["once listening", "on listening"]);
    expect(bus.listenerCount("assistant.state")).toBe(0);
  });
});
