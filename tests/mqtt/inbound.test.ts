import { describe, expect, it } from "vitest";
import { MAX_INBOUND_BYTES, parseSayPayload, parseTextCommand, staleReason } from "../../src/mqtt/inbound.js";

const text = (s: string) => Buffer.from(s, "utf8");

describe("parseTextCommand", () => {
  it("takes a plain-text payload as the sentence, trimmed", () => {
    expect(parseTextCommand(text("  turn on the kitchen light \n"))).toEqual({
      ok: true,
      text: "turn on the kitchen light",
    });
  });

  it("reads text, transaction and area from a JSON object", () => {
    expect(
      parseTextCommand(text('{"text":"turn on the lights","transaction":"abc-1","area":"Kitchen"}')),
    ).toEqual({
      ok: true,
      text: "turn on the lights",
      transaction: "abc-1",
      area: "Kitchen",
    });
  });

  it("ignores keys it does not know, so newer senders still work", () => {
    const parsed = parseTextCommand(text('{"text":"hello","transaction":"t","priority":3}'));
    expect(parsed).toMatchObject({ ok: true, text: "hello", transaction: "t" });
  });

  it("refuses an empty payload", () => {
    expect(parseTextCommand(new Uint8Array())).toEqual({ ok: false, error: "empty payload" });
  });

  it("refuses payloads over 4 kB without reading them", () => {
    const big = text(JSON.stringify({ text: "a".repeat(MAX_INBOUND_BYTES), transaction: "t" }));
    expect(parseTextCommand(big)).toEqual({
      ok: false,
      error: `payload larger than ${MAX_INBOUND_BYTES} bytes`,
    });
  });

  it("refuses invalid UTF-8", () => {
    expect(parseTextCommand(Buffer.from([0x74, 0x75, 0xff, 0xfe]))).toEqual({
      ok: false,
      error: "payload is not valid UTF-8",
    });
  });

  it("refuses a payload that starts like JSON but is not", () => {
    expect(parseTextCommand(text('{"text": "turn on'))).toEqual({
      ok: false,
      error: "payload is not valid JSON",
    });
    expect(parseTextCommand(text("[1, 2]"))).toEqual({ ok: false, error: "expected text or a JSON object" });
  });

  it("echoes the transaction when the text is missing, empty or not a string", () => {
    expect(parseTextCommand(text('{"transaction":"t1"}'))).toEqual({
      ok: false,
      error: "text is missing",
      transaction: "t1",
    });
    expect(parseTextCommand(text('{"text":"  ","transaction":"t2"}'))).toEqual({
      ok: false,
      error: "text is empty",
      transaction: "t2",
    });
    expect(parseTextCommand(text('{"text":42,"transaction":"t3"}'))).toEqual({
      ok: false,
      error: "text must be a string",
      transaction: "t3",
    });
  });

  it("refuses a transaction that is not a short string, and then cannot echo it", () => {
    expect(parseTextCommand(text('{"text":"hi","transaction":7}'))).toEqual({
      ok: false,
      error: "transaction must be a string",
    });
    const long = JSON.stringify({ text: "hi", transaction: "x".repeat(201) });
    expect(parseTextCommand(text(long))).toEqual({
      ok: false,
      error: "transaction longer than 200 characters",
    });
  });

  it("refuses control characters in the text and a malformed area", () => {
    expect(parseTextCommand(text('{"text":"turn\\u0000on","transaction":"t"}'))).toMatchObject({
      ok: false,
      error: "text contains control characters",
      transaction: "t",
    });
    expect(parseTextCommand(text('{"text":"hi","area":5,"transaction":"t"}'))).toMatchObject({
      ok: false,
      error: "area must be a non-empty string",
      transaction: "t",
    });
  });
});

describe("parseSayPayload", () => {
  it("takes plain text or a JSON object with text", () => {
    expect(parseSayPayload(text("Dinner is ready"))).toEqual({ ok: true, text: "Dinner is ready" });
    expect(parseSayPayload(text('{"text":"Dinner is ready"}'))).toEqual({
      ok: true,
      text: "Dinner is ready",
    });
    expect(parseSayPayload(text('{"message":"x"}'))).toMatchObject({ ok: false });
  });
});

describe("staleReason", () => {
  const now = Date.parse("2026-06-01T12:00:00Z");
  const graceMs = 3000;

  it("reads a command's sent time (ISO 8601 or milliseconds) and refuses one older than the grace period", () => {
    const old = parseTextCommand(text(JSON.stringify({ text: "x", sent: "2026-06-01T11:59:56.000Z" })));
    expect(old.ok && old.sent).toBe(now - 4000);
    expect(staleReason({ sent: now - 4000, now, graceMs })).toBe(
      "sent 4000 ms ago, later than the 3000 ms grace period",
    );
    expect(staleReason({ sent: now - 3000, now, graceMs })).toBeUndefined();
    expect(staleReason({ sent: now + 60_000, now, graceMs })).toMatch(/clock/);
    expect(parseTextCommand(text('{"text":"x","sent":"yesterday"}'))).toMatchObject({ ok: false });
  });

  it("trusts a fresh sent time over how long the message was queued", () => {
    expect(
      staleReason({ sent: now - 100, age: { backlog: { awayMs: undefined } }, now, graceMs }),
    ).toBeUndefined();
  });

  it("without a sent time, goes by the sender's MQTT 5 expiry, else by how long Hearth was away", () => {
    expect(staleReason({ age: { expirySeconds: 0 }, now, graceMs })).toBe("expired");
    expect(staleReason({ age: { expirySeconds: 2 }, now, graceMs })).toBeUndefined();
    expect(staleReason({ age: { backlog: { awayMs: 800 } }, now, graceMs })).toBeUndefined();
    expect(staleReason({ age: { backlog: { awayMs: 3500 } }, now, graceMs })).toMatch(/away for 3500 ms/);
    expect(staleReason({ age: { backlog: { awayMs: undefined } }, now, graceMs })).toMatch(/not running/);
    expect(staleReason({ now, graceMs })).toBeUndefined();
  });
});
