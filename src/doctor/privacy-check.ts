import { isIP } from "node:net";
import type { Config } from "../config/schema.js";
import { NO_TELEMETRY_ENV } from "../core/privacy.js";
import { type CheckResult, result } from "./check.js";

const ID = "privacy";
const NAME = "What leaves the house";

/** Where a configured peer is, as far as its address says. */
type Place = "this machine" | "the local network" | "the internet";

/** Whether an IP address is loopback, private, link-local or unique-local. */
function placeOfAddress(address: string): Place {
  const v4 = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(address);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    if (a === 127) return "this machine";
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254))
      return "the local network";
    return "the internet";
  }
  const v6 = address.toLowerCase();
  if (v6 === "::1") return "this machine";
  if (/^f[cd]/.test(v6) || /^fe[89ab]/.test(v6)) return "the local network";
  return "the internet";
}

/** A peer by its URL: where it is, whether the link is encrypted, and whether finding it takes a DNS query. */
export function describePeer(what: string, url: string): { line: string; warn?: string | undefined } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { line: `${what}: ${url}` };
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  const encrypted = /^(mqtts|wss|https):$/.test(parsed.protocol);
  const link = encrypted ? "encrypted" : "not encrypted";
  if (isIP(host)) {
    const place = placeOfAddress(host);
    const line = `${what}: ${parsed.host} (${place}, ${link})`;
    const warn =
      place === "the internet" && !encrypted
        ? `${what} is on the internet over an unencrypted link: commands and device states cross it in the clear`
        : undefined;
    return { line, warn };
  }
  if (host === "localhost") return { line: `${what}: ${parsed.host} (this machine, ${link})` };
  const local = /\.(local|lan|home|internal|home\.arpa)$/i.test(host) || !host.includes(".");
  const line = `${what}: ${parsed.host} (${local ? "a local name" : "a public name"}, looked up through the system's resolver at each connection; ${link})`;
  const warn =
    !local && !encrypted
      ? `${what} has a public name and an unencrypted link: commands and device states may cross the internet in the clear`
      : undefined;
  return { line, warn };
}

/**
 * `hearth doctor`'s account of what leaves the house with this config: every network peer Hearth
 * will connect to (and none other: telemetry is off in code, models are only ever fetched by
 * `hearth models pull`), and where what was heard may go. A warning when transcripts are published
 * or a peer is reached over the internet in the clear; never a failure (these are the user's choices).
 */
export function checkPrivacy(config: Config): CheckResult {
  const lines: string[] = [];
  const warnings: string[] = [];
  const add = (peer: { line: string; warn?: string | undefined }) => {
    lines.push(peer.line);
    if (peer.warn) warnings.push(peer.warn);
  };
  add(
    config.mqtt.url
      ? describePeer("MQTT broker", config.mqtt.url)
      : { line: "MQTT broker: the embedded one, on this machine (127.0.0.1)" },
  );
  if (config.homeassistant) add(describePeer("Home Assistant", config.homeassistant.url));
  lines.push("nothing else: no cloud service, no telemetry, no update checks");
  lines.push(
    `library telemetry switched off in code (${Object.keys(NO_TELEMETRY_ENV).join(", ")}); models are downloaded only by \`hearth models pull\``,
  );
  if (config.mqtt.expose_transcript) {
    const hermes = config.mqtt.hermes ? ", hermes/asr/textCaptured and Hermes intent `input`" : "";
    lines.push(
      `what was heard IS published on MQTT (mqtt.expose_transcript): the last-transcript sensor, event/run${hermes}`,
    );
    warnings.push("transcripts of what was said are published to every client of the broker");
  } else {
    lines.push("what was heard stays on this machine (mqtt.expose_transcript is off, Hermes included)");
  }
  lines.push(
    config.logging.transcripts
      ? `transcripts are logged (logging.transcripts), at debug level only (logging.level is ${config.logging.level})`
      : "transcripts are never logged; audio is never stored",
  );
  if (warnings.length === 0) return result(ID, NAME, true, lines.join("\n"));
  return result(
    ID,
    NAME,
    "warn",
    [...lines, ...warnings.map((w) => `⚠ ${w}`)].join("\n"),
    "if that is not what you want: set mqtt.expose_transcript: false, and use mqtts:// or wss:// (with tls:) for peers outside the house",
  );
}
