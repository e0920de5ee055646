import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ConfigInput, configSchema } from "../../src/config/schema.js";
import { silentLogger } from "../../src/core/logger.js";
import { checkHomeAssistant } from "../../src/doctor/homeassistant-check.js";
import { HaStandin } from "../helpers/ha-standin.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { freePort } from "../helpers/mosquitto.js";
import { smallHome } from "../homeassistant/small-home.js";

const logger = silentLogger();
// Each check waits on a ManualClock: nothing moves it unless a test does, so a busy machine never
// runs a check out of time.
const config = (homeassistant?: ConfigInput["homeassistant"]) =>
  configSchema.parse({ site: { id: "doctor" }, ...(homeassistant ? { homeassistant } : {}) });

let ha: HaStandin;
let dir: string;
beforeAll(async () => {
  ha = await HaStandin.start({ home: smallHome() });
  dir = await mkdtemp(join(tmpdir(), "hearth-doctor-ha-"));
});
afterAll(async () => {
  await ha?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("the Home Assistant check", () => {
  it("passes when nothing is configured", async () => {
    const result = await checkHomeAssistant(config(), { logger, clock: new ManualClock(), env: {} });
    expect(result).toMatchObject({ id: "homeassistant", ok: true });
    expect(result.detail).toMatch(/not configured/);
  });

  it("connects with the token file and counts the entities exposed to Assist", async () => {
    const tokenFile = join(dir, "token");
    await writeFile(tokenFile, `${ha.token}\n`);
    const result = await checkHomeAssistant(config({ url: ha.baseUrl, token_file: tokenFile }), {
      logger,
      clock: new ManualClock(),
      env: {},
    });
    expect(result).toMatchObject({ ok: true });
    expect(result.detail).toContain(ha.url);
    expect(result.detail).toContain("Home Assistant 2025.1.0");
    expect(result.detail).toMatch(/9 entities exposed to Assist, 2 not/);
  });

  it("takes the token from HEARTH_HA_TOKEN", async () => {
    const result = await checkHomeAssistant(config({ url: ha.url }), {
      logger,
      clock: new ManualClock(),
      env: { HEARTH_HA_TOKEN: ha.token },
    });
    expect(result.ok).toBe(true);
  });

  it("fails with what to do when the token is refused", async () => {
    const result = await checkHomeAssistant(config({ url: ha.url, token: "revoked" }), {
      logger,
      clock: new ManualClock(),
      env: {},
    });
    expect(result).toMatchObject({ ok: false });
    expect(result.detail).toMatch(/refused the access token \(HA_AUTH\)/);
    expect(result.fix).toMatch(/long-lived access token/);
  });

  it("fails with what to do when Home Assistant cannot be reached", async () => {
    const port = await freePort();
    const result = await checkHomeAssistant(
      config({ url: `ws://127.0.0.1:${port}/api/websocket`, token: "x" }),
      {
        logger,
        clock: new ManualClock(),
        env: {},
        timeoutMs: 500,
      },
    );
    expect(result).toMatchObject({ ok: false });
    expect(result.detail).toMatch(/cannot be reached \(HA_UNREACHABLE\)/);
  });

  it("fails when there is no token at all", async () => {
    const result = await checkHomeAssistant(config({ url: ha.url }), {
      logger,
      clock: new ManualClock(),
      env: {},
    });
    expect(result).toMatchObject({ ok: false });
    expect(result.detail).toMatch(/needs an access token/);
  });
});
