import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { mqttSchema } from "../../src/config/schema.js";
import { silentLogger } from "../../src/core/logger.js";
import { connectionOptionsFromConfig } from "../../src/mqtt/client.js";

const dir = await mkdtemp(join(tmpdir(), "hearth-mqtt-config-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("mqtt config", () => {
  it("has defaults for a bare machine", () => {
    expect(mqttSchema.parse({})).toEqual({
      base_topic: "hearth",
      discovery_prefix: "homeassistant",
      command_grace_ms: 3000,
      discovery: {},
      session_expiry_seconds: 600,
      embedded_port: 1883,
      startup_timeout_ms: 10_000,
      hermes: true,
      expose_transcript: false,
    });
  });

  it("accepts broker URLs of every supported scheme and refuses others", () => {
    for (const url of [
      "mqtt://localhost:1883",
      "mqtts://broker.lan:8883",
      "ws://h:9001/mqtt",
      "wss://h/mqtt",
    ]) {
      expect(mqttSchema.safeParse({ url }).success, url).toBe(true);
    }
    for (const url of ["http://x", "localhost:1883", "mqtt://"])
      expect(mqttSchema.safeParse({ url }).success, url).toBe(false);
  });

  it("refuses wildcards in topic prefixes, and a password given twice", () => {
    expect(mqttSchema.safeParse({ base_topic: "hearth/#" }).success).toBe(false);
    expect(mqttSchema.safeParse({ discovery_prefix: "+" }).success).toBe(false);
    expect(mqttSchema.safeParse({ base_topic: "a//b" }).success).toBe(false);
    expect(mqttSchema.safeParse({ base_topic: "home/hearth" }).success).toBe(true);
    expect(mqttSchema.safeParse({ password: "a", password_file: "/x" }).success).toBe(false);
  });

  it("reads the password from its file (named relative to the config's folder), or from HEARTH_MQTT_PASSWORD", async () => {
    const file = join(dir, "password");
    await writeFile(file, "s3cret\nignored second line\n", { mode: 0o600 });
    const context = {
      url: "mqtt://127.0.0.1:1883",
      siteId: "kitchen",
      statusTopic: "hearth/kitchen/status",
      logger: silentLogger(),
      configDir: dir,
    };
    const fromFile = await connectionOptionsFromConfig(
      mqttSchema.parse({ username: "u", password_file: "password" }),
      {
        ...context,
        env: { HEARTH_MQTT_PASSWORD: "from env" },
      },
    );
    expect(fromFile).toMatchObject({
      username: "u",
      password: "s3cret",
      clientId: "hearth-kitchen",
      commandGraceMs: 3000,
    });
    const fromEnv = await connectionOptionsFromConfig(mqttSchema.parse({}), {
      ...context,
      env: { HEARTH_MQTT_PASSWORD: "from env" },
    });
    expect(fromEnv.password).toBe("from env");
  });

  it("reports a missing password or TLS file as a config problem", async () => {
    const context = {
      url: "mqtts://x",
      siteId: "s",
      statusTopic: "t",
      logger: silentLogger(),
      configDir: dir,
      env: {},
    };
    await expect(
      connectionOptionsFromConfig(mqttSchema.parse({ password_file: join(dir, "missing") }), context),
    ).rejects.toMatchObject({ code: "CONFIG_INVALID" });
    await expect(
      connectionOptionsFromConfig(mqttSchema.parse({ tls: { ca: join(dir, "missing.pem") } }), context),
    ).rejects.toMatchObject({ code: "CONFIG_INVALID" });
  });
});
