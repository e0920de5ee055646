/**
 * Validation of what arrives on Hearth's own inbound topics (`<base>/<site>/command/text`,
 * `<base>/<site>/say`, the Hermes query and say topics). Pure: no I/O, never throws. Anything that
 * is not a sentence Hearth can act on becomes an error with a short reason, echoing the
 * `transaction` whenever one could be read, so the sender can match it to its request.
 */

/** Larger inbound payloads are refused: a spoken command is a few dozen bytes. */
export const MAX_INBOUND_BYTES = 4096;
/** Longest accepted `transaction` (and Hermes `id` / `sessionId`), in characters. */
export const MAX_ID_LENGTH = 200;
/** Longest accepted `area`, in characters. */
const MAX_AREA_LENGTH = 100;

/** A valid text command. */
export interface TextCommand {
  ok: true;
  text: string;
  transaction?: string | undefined;
  area?: string | undefined;
  /** When the sender sent it (`sent`: ISO 8601 or milliseconds since 1970), in ms since 1970. */
  sent?: number | undefined;
  /** The site it is meant for (`siteId`), when the sender named one. */
  siteId?: string | undefined;
}

/** An invalid one: why, and the transaction when it could be read. */
export interface InboundError {
  ok: false;
  error: string;
  transaction?: string | undefined;
}

// C0 controls other than tab, line feed and carriage return, DEL and C1 controls.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/**
 * Decodes a payload as UTF-8 text, refusing empty, oversized and invalid UTF-8 payloads. Exported
 * for the Hermes topics, which share the limits.
 */
export function decodeInbound(payload: Uint8Array): { ok: true; text: string } | InboundError {
  if (payload.byteLength === 0) return { ok: false, error: "empty payload" };
  if (payload.byteLength > MAX_INBOUND_BYTES) {
    return { ok: false, error: `payload larger than ${MAX_INBOUND_BYTES} bytes` };
  }
  try {
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(payload) };
  } catch {
    return { ok: false, error: "payload is not valid UTF-8" };
  }
}

/** A plain JSON object, or undefined. */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** An optional id-like string field: undefined when absent, an error message when invalid. */
export function optionalId(
  value: unknown,
  key: string,
): { ok: true; value: string | undefined } | { ok: false; error: string } {
  if (value === undefined || value === null) return { ok: true, value: undefined };
  if (typeof value !== "string") return { ok: false, error: `${key} must be a string` };
  if (value.length > MAX_ID_LENGTH)
    return { ok: false, error: `${key} longer than ${MAX_ID_LENGTH} characters` };
  if (CONTROL.test(value)) return { ok: false, error: `${key} contains control characters` };
  return { ok: true, value };
}

/** Checks the sentence itself: a non-empty string without control characters. */
export function checkText(
  value: unknown,
  key = "text",
): { ok: true; text: string } | { ok: false; error: string } {
  if (value === undefined || value === null) return { ok: false, error: `${key} is missing` };
  if (typeof value !== "string") return { ok: false, error: `${key} must be a string` };
  const text = value.trim();
  if (text.length === 0) return { ok: false, error: `${key} is empty` };
  if (CONTROL.test(text)) return { ok: false, error: `${key} contains control characters` };
  return { ok: true, text };
}

/**
 * Parses a text command: plain UTF-8 text, or a JSON object `{"text", "transaction"?, "area"?}`
 * (a payload starting with `{` or `[` is read as JSON). Unknown keys are ignored, so newer
 * senders work with older Hearths.
 */
export function parseTextCommand(payload: Uint8Array): TextCommand | InboundError {
  const decoded = decodeInbound(payload);
  if (!decoded.ok) return decoded;
  const trimmed = decoded.text.trim();
  if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) {
    const text = checkText(decoded.text);
    return text.ok ? { ok: true, text: text.text } : { ok: false, error: text.error };
  }
  const object = parseJsonObject(trimmed);
  if (!object) {
    return {
      ok: false,
      error: trimmed.startsWith("[") ? "expected text or a JSON object" : "payload is not valid JSON",
    };
  }
  const transaction = optionalId(object.transaction, "transaction");
  if (!transaction.ok) return { ok: false, error: transaction.error };
  const echo = transaction.value;
  const text = checkText(object.text);
  if (!text.ok) return { ok: false, error: text.error, transaction: echo };
  let area: string | undefined;
  if (object.area !== undefined && object.area !== null) {
    if (typeof object.area !== "string" || object.area.trim().length === 0) {
      return { ok: false, error: "area must be a non-empty string", transaction: echo };
    }
    if (object.area.length > MAX_AREA_LENGTH || CONTROL.test(object.area)) {
      return { ok: false, error: "area is not a valid name", transaction: echo };
    }
    area = object.area.trim();
  }
  const sent = parseSent(object.sent);
  if (sent === null) {
    return {
      ok: false,
      error: "sent must be an ISO 8601 time or milliseconds since 1970",
      transaction: echo,
    };
  }
  const siteId = optionalId(object.siteId, "siteId");
  if (!siteId.ok) return { ok: false, error: siteId.error, transaction: echo };
  return { ok: true, text: text.text, transaction: echo, area, sent, siteId: siteId.value };
}

/** A broadcast from one Hearth to all others: `{"message", "siteId"}` on `<base>/broadcast`. */
export interface Broadcast {
  message: string;
  siteId: string;
}

/** Parses a broadcast; anything else on the topic is an error (another client may publish there). */
export function parseBroadcast(payload: Uint8Array): ({ ok: true } & Broadcast) | InboundError {
  const decoded = decodeInbound(payload);
  if (!decoded.ok) return decoded;
  const object = parseJsonObject(decoded.text);
  if (!object) return { ok: false, error: "a broadcast is a JSON object" };
  const message = checkText(object.message, "message");
  if (!message.ok) return message;
  const siteId = optionalId(object.siteId, "siteId");
  if (!siteId.ok) return siteId;
  if (siteId.value === undefined) return { ok: false, error: "siteId is missing" };
  return { ok: true, message: message.text, siteId: siteId.value };
}

/** `sent` as milliseconds since 1970: undefined when absent, null when unreadable. */
function parseSent(value: unknown): number | undefined | null {
  if (value === undefined || value === null) return undefined;
  const ms =
    typeof value === "number"
      ? value
      : typeof value === "string" && value.length <= 40
        ? Date.parse(value)
        : Number.NaN;
  return Number.isFinite(ms) && ms > 0 ? ms : null;
}

/** What is known of a message's age (MqttConnection's MessageAge, restated to keep this module pure). */
export interface InboundAge {
  expirySeconds?: number | undefined;
  backlog?: { awayMs: number | undefined } | undefined;
}

/**
 * Why a command is too old to act on, or undefined when it may be acted on. A user's command is
 * never carried out late: a light switching on minutes later is worse than an error.
 *
 * - `sent` (the sender's clock) decides when present: older than `graceMs`, or further in the
 *   future than that (clocks out of step), is refused.
 * - Otherwise an MQTT 5 message expiry set by the sender is its own statement of how late is too
 *   late; the broker drops the message once it passes.
 * - Otherwise a message that waited in the broker's queue for Hearth's session is refused when
 *   Hearth was away longer than `graceMs`, or for an unknown time (Hearth was not running).
 */
export function staleReason(o: {
  age?: InboundAge | undefined;
  sent?: number | undefined;
  /** Milliseconds since 1970, from the injected clock. */
  now: number;
  graceMs: number;
}): string | undefined {
  if (o.sent !== undefined) {
    const ageMs = Math.round(o.now - o.sent);
    if (ageMs > o.graceMs) return `sent ${ageMs} ms ago, later than the ${o.graceMs} ms grace period`;
    if (-ageMs > o.graceMs) return "sent in the future: the sender's clock and Hearth's differ";
    return undefined;
  }
  if (o.age?.expirySeconds !== undefined) return o.age.expirySeconds > 0 ? undefined : "expired";
  const backlog = o.age?.backlog;
  if (!backlog) return undefined;
  if (backlog.awayMs === undefined) return "queued at the broker while Hearth was not running";
  if (backlog.awayMs > o.graceMs)
    return `queued at the broker while Hearth was away for ${backlog.awayMs} ms, longer than the ${o.graceMs} ms grace period`;
  return undefined;
}

/** Parses text to speak: plain text or `{"text", "sent"?, "siteId"?}`. */
export function parseSayPayload(
  payload: Uint8Array,
): { ok: true; text: string; sent?: number | undefined; siteId?: string | undefined } | InboundError {
  const command = parseTextCommand(payload);
  return command.ok ? { ok: true, text: command.text, sent: command.sent, siteId: command.siteId } : command;
}
