import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ConfigInput, configSchema } from "../../src/config/schema.js";
import { silentLogger } from "../../src/core/logger.js";
import { checkBroker } from "../../src/doctor/broker-check.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { freePort, type Mosquitto, startMosquitto } from "../helpers/mosquitto.js";

const logger = silentLogger();
// Each check waits on a ManualClock: nothing moves it unless a test does, so a busy machine never
// runs a check out of time.
const config = (mqtt: ConfigInput["mqtt"]) =>
  configSchema.parse({ site: { id: `doctor-${process.pid}` }, mqtt });

let open: Mosquitto;
let locked: Mosquitto;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hearth-doctor-broker-"));
  [open, locked] = await Promise.all([startMosquitto(), startMosquitto({ users: { hearth: "s3cret" } })]);
});
afterAll(async () => {
  await Promise.all([open?.dispose(), locked?.dispose()]);
  await rm(dir, { recursive: true, force: true });
});

describe("the broker check", () => {
  it("says the embedded broker will be used when no url is configured", async () => {
    const result = await checkBroker(config({ embedded_port: 18830 }), {
      logger,
      clock: new ManualClock(),
      env: {},
    });
    expect(result.ok).toBe(true);
    expect(result.detail).toMatch(/embedded broker on 127\.0\.0\.1:18830/);
  });

  it("passes when an anonymous broker accepts the connection", async () => {
    const result = await checkBroker(config({ url: open.url }), {
      logger,
      clock: new ManualClock(),
      env: {},
    });
    expect(result).toMatchObject({ id: "broker", ok: true });
    expect(result.detail).toContain(`127.0.0.1:${open.port}`);
    expect(result.detail).toMatch(/anonymous/);
  });

  it("passes with the right user and a password file", async () => {
    const file = join(dir, "password");
    await writeFile(file, "s3cret\n", { mode: 0o600 });
    const result = await checkBroker(config({ url: locked.url, username: "hearth", password_file: file }), {
      logger,
    });
    expect(result.ok).toBe(true);
    expect(result.detail).toMatch(/as "hearth"/);
  });

  it("passes with the password from HEARTH_MQTT_PASSWORD", async () => {
    const result = await checkBroker(config({ url: locked.url, username: "hearth" }), {
      logger,
      clock: new ManualClock(),
      env: { HEARTH_MQTT_PASSWORD: "s3cret" },
    });
    expect(result.ok).toBe(true);
  });

  it("fails with a wrong password, saying the credentials were refused", async () => {
    const result = await checkBroker(config({ url: locked.url, username: "hearth", password: "wrong" }), {
      logger,
      clock: new ManualClock(),
      env: {},
    });
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(/refused the credentials of user "hearth"/);
    expect(result.fix).toMatch(/password_file/);
  });

  it("fails without credentials on a broker that needs them", async () => {
    const result = await checkBroker(config({ url: locked.url }), {
      logger,
      clock: new ManualClock(),
      env: {},
    });
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(/no user name is configured/);
  });

  it("fails a password without a user name, which MQTT 3.1.1 brokers drop without a word", async () => {
    const result = await checkBroker(config({ url: open.url }), {
      logger,
      clock: new ManualClock(),
      env: { HEARTH_MQTT_PASSWORD: "secret" },
    });
    expect(result.ok).toBe(false);
    expect(result.detail).toBe(
      "a broker password is set (the HEARTH_MQTT_PASSWORD environment variable) but mqtt.username is not",
    );
    expect(result.fix).toMatch(/mqtt\.username/);
  });

  it("takes an empty HEARTH_MQTT_PASSWORD (an empty line in the environment file) as no password", async () => {
    const result = await checkBroker(config({ url: open.url }), {
      logger,
      clock: new ManualClock(),
      env: { HEARTH_MQTT_PASSWORD: "" },
    });
    expect(result.ok).toBe(true);
  });

  it("fails when nothing listens at the url, naming it", async () => {
    const port = await freePort();
    // The wait runs on a clock the test moves once an attempt has been refused (the next is then
    // waiting on it): the answer names the refusal however long the machine took to get it.
    const clock = new ManualClock();
    const checking = checkBroker(config({ url: `mqtt://127.0.0.1:${port}` }), {
      logger,
      env: {},
      timeoutMs: 800,
      clock,
    });
    while (clock.pending.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    clock.advance(800);
    const result = await checking;
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(
      new RegExp(`cannot reach the MQTT broker at mqtt://127\\.0\\.0\\.1:${port}`),
    );
    expect(result.detail).toMatch(/ECONNREFUSED/);
    expect(result.fix).toMatch(/mqtt\.url/);
  });

  it("fails when the password file cannot be read", async () => {
    const result = await checkBroker(
      config({ url: locked.url, username: "hearth", password_file: join(dir, "absent") }),
      { logger, clock: new ManualClock(), env: {} },
    );
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(/mqtt\.password_file/);
  });
});
