import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/parse-config.js";
import { checkPrivacy, describePeer } from "../../src/doctor/privacy-check.js";

const check = (yaml: string) => checkPrivacy(parseConfig(yaml, "test config"));

describe("hearth doctor: what leaves the house", () => {
  it("names the embedded broker as the only peer and says transcripts stay home", () => {
    const r = check("site: { id: home }\n");
    expect(r.ok).toBe(true);
    expect(r.detail).toContain("MQTT broker: the embedded one, on this machine");
    expect(r.detail).toContain("what was heard stays on this machine");
    expect(r.detail).toContain("ORT_DISABLE_TELEMETRY");
    expect(r.detail).not.toContain("Home Assistant");
  });

  it("lists the broker and Home Assistant with where they are and how they are reached", () => {
    const r = check(`mqtt: { url: "mqtt://192.168.1.10:1883" }
homeassistant: { url: "https://ha.example.com", token: secret }
`);
    expect(r.ok).toBe(true);
    expect(r.detail).toContain("MQTT broker: 192.168.1.10:1883 (the local network, not encrypted)");
    expect(r.detail).toContain(
      "Home Assistant: ha.example.com (a public name, looked up through the system's resolver",
    );
    expect(r.detail).not.toContain("secret");
  });

  it("warns when transcripts are published, naming every place they go", () => {
    const r = check("mqtt: { expose_transcript: true }\n");
    expect(r.ok).toBe("warn");
    expect(r.detail).toMatch(/what was heard IS published.*hermes\/asr\/textCaptured/);
    expect(r.fix).toContain("mqtt.expose_transcript: false");
  });

  it("warns about a broker on the internet without TLS, not about one with it", () => {
    expect(check(`mqtt: { url: "mqtt://203.0.113.7:1883" }\n`).ok).toBe("warn");
    expect(check(`mqtt: { url: "mqtts://203.0.113.7:8883" }\n`).ok).toBe(true);
    expect(describePeer("MQTT broker", "mqtt://broker.example.com").warn).toMatch(/in the clear/);
    expect(describePeer("MQTT broker", "mqtt://mosquitto.local").warn).toBeUndefined();
    expect(describePeer("MQTT broker", "mqtt://[::1]:1883").line).toContain("this machine");
  });
});
