import type { Packet } from "mqtt-packet";
import { describe, expect, it } from "vitest";
import { EXPIRED, ExpiringStore } from "../../src/mqtt/expiring-store.js";
import { ManualClock } from "../helpers/manual-clock.js";

/** A hand-moved clock at 1000 ms. */
function manualClock(): ManualClock {
  const clock = new ManualClock();
  clock.advance(1000);
  return clock;
}

const publish = (messageId: number, payload: string): Packet =>
  ({ cmd: "publish", topic: "lamp/set", payload, qos: 1, retain: false, dup: false, messageId }) as Packet;

/** The payloads a reconnect would send again, in order. */
function replayed(store: ExpiringStore): Promise<string[]> {
  return new Promise((resolve) => {
    const out: string[] = [];
    const stream = store.createStream();
    stream.on("data", (p: { payload: string }) => out.push(p.payload));
    stream.on("end", () => resolve(out));
  });
}

function put(store: ExpiringStore, packet: Packet): Promise<Error | undefined> {
  return new Promise((resolve) => store.put(packet, (error?: Error) => resolve(error)));
}

describe("ExpiringStore (MQTT.js's outgoing store)", () => {
  it("leaves out of a replay what is past its deadline, and keeps what may still be sent", async () => {
    const clock = manualClock();
    const deadlines = new Map([
      ["soon", 1500],
      ["later", 5000],
    ]);
    const store = new ExpiringStore({
      clock,
      deadlineOf: (p) => deadlines.get(String((p as { payload?: unknown }).payload)),
    });
    for (const [id, payload] of [
      [1, "soon"],
      [2, "later"],
      [3, "forever"],
    ] as const)
      expect(await put(store, publish(id, payload))).toBeUndefined();
    expect(await replayed(store)).toEqual(["soon", "later", "forever"]);
    clock.advance(500);
    expect(await replayed(store)).toEqual(["later", "forever"]);
    clock.advance(10_000);
    expect(await replayed(store)).toEqual(["forever"]);
  });

  it("refuses to store a message already past its deadline, so MQTT.js never writes it", async () => {
    const clock = manualClock();
    const store = new ExpiringStore({ clock, deadlineOf: () => 900 });
    expect((await put(store, publish(1, "late")))?.message).toBe(EXPIRED);
    expect(await replayed(store)).toEqual([]);
  });
});
