import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/loader.js";
import type { Clock } from "../../src/core/clock.js";
import { HearthError } from "../../src/core/errors.js";
import { HomeAssistantActuator } from "../../src/homeassistant/actuator.js";
import {
  connectionOptionsFromConfig,
  HomeAssistantConnection,
  webSocketUrl,
} from "../../src/homeassistant/connection.js";
import { HomeAssistantHome } from "../../src/homeassistant/home-sync.js";
import type { RecognizedIntent } from "../../src/intents/types.js";
import { Registry } from "../../src/registry/registry.js";
import { HaStandin } from "../helpers/ha-standin.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { smallHome } from "./small-home.js";

const log = pino({ level: "silent" });
const cleanup: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function standin(): Promise<HaStandin> {
  const ha = await HaStandin.start({ home: smallHome() });
  cleanup.push(() => ha.stop());
  return ha;
}

function connection(
  url: string,
  token: string,
  extra: { startupTimeoutMs?: number; clock?: Clock; pingMs?: number; pongTimeoutMs?: number } = {},
) {
  const conn = new HomeAssistantConnection({
    url,
    token,
    startupTimeoutMs: extra.startupTimeoutMs ?? 5000,
    logger: log,
    retryMs: 50,
    // Without a clock of the test's, one that nothing moves: a start-up limit, a grace period or a
    // response deadline never runs out because a busy machine was slow.
    clock: extra.clock ?? new ManualClock(),
    pingMs: extra.pingMs,
    pongTimeoutMs: extra.pongTimeoutMs,
  });
  cleanup.push(() => conn.stop());
  return conn;
}

/** A connection, the home learned into a registry, and an actuator over both. */
async function learned(
  ha: HaStandin,
  options: { graceMs?: number; responseMs?: number; clock?: ManualClock } = {},
) {
  const clock = options.clock ?? new ManualClock();
  const conn = connection(ha.url, ha.token, { clock });
  await conn.start();
  const registry = new Registry();
  const home = new HomeAssistantHome({
    connection: conn,
    registry,
    exposeAll: false,
    debounceMs: 20,
    logger: log,
  });
  home.start();
  cleanup.push(() => home.stop());
  await home.loaded;
  const actuator = new HomeAssistantActuator({
    connection: conn,
    registry,
    graceMs: options.graceMs ?? 2000,
    responseMs: options.responseMs ?? 2000,
    log,
    clock,
  });
  return { conn, registry, home, actuator };
}

const openGarage: RecognizedIntent = {
  name: "HassTurnOn",
  slots: { name: "Garage Door", domain: "cover" },
  targets: ["cover.garage_door"],
};

describe("the Home Assistant connection", () => {
  it("derives the WebSocket address from the base URL a user copies from the browser", () => {
    expect(webSocketUrl("http://homeassistant.local:8123")).toBe(
      "ws://homeassistant.local:8123/api/websocket",
    );
    expect(webSocketUrl("https://ha.example:8123/")).toBe("wss://ha.example:8123/api/websocket");
    expect(webSocketUrl("ws://10.0.0.2:8123/api/websocket")).toBe("ws://10.0.0.2:8123/api/websocket");
  });

  it("authenticates with the token and reports Home Assistant's version", async () => {
    const ha = await standin();
    const conn = connection(ha.url, ha.token);
    await conn.start();
    expect(conn.connected).toBe(true);
    expect(conn.haVersion).toBe("2025.1.0");
    // The first message after auth_ok turns on coalesced messages, as the library expects.
    await ha.waitFor(() => ha.commands.length > 0);
    expect(ha.commands[0]).toBe("supported_features");
  });

  it("reads a token_file named relative to the config file from the config's folder, wherever Hearth was started", async () => {
    const ha = await standin();
    const dir = await mkdtemp(join(tmpdir(), "hearth-ha-token-"));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, "ha-token"), `${ha.token}\n`, { mode: 0o600 });
    const file = join(dir, "hearth.yaml");
    await writeFile(file, `homeassistant: { url: "${ha.url}", token_file: ha-token }\n`);
    // The working directory (the repository) holds no ha-token: only the config's folder does.
    const loaded = await loadConfig(file);
    const ha2 = loaded.config.homeassistant;
    if (!ha2) throw new Error("homeassistant section not parsed");
    const options = await connectionOptionsFromConfig(ha2, { logger: log, configDir: loaded.dir, env: {} });
    expect(options.token).toBe(ha.token);
    // Its start-up limit on a clock nothing moves, as connection() does.
    const conn = new HomeAssistantConnection({
      ...options,
      startupTimeoutMs: 5000,
      retryMs: 50,
      clock: new ManualClock(),
    });
    cleanup.push(() => conn.stop());
    await conn.start();
    expect(conn.connected).toBe(true);
  });

  it("fails with HA_AUTH when the token is refused", async () => {
    const ha = await standin();
    const conn = connection(ha.url, "not-the-token");
    const err = await conn.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HearthError);
    expect((err as HearthError).code).toBe("HA_AUTH");
    expect(ha.authenticated).toBe(0);
  });

  it("carries on without an unreachable Home Assistant and connects once it is there", async () => {
    const ha = await standin();
    const port = ha.port;
    await ha.down();
    const clock = new ManualClock();
    const conn = connection(`ws://127.0.0.1:${port}/api/websocket`, ha.token, { clock });
    await conn.start();
    expect(conn.connected).toBe(false);
    // The next attempt waits on the clock, not on the machine: it comes when the test moves time.
    expect(clock.pending).toContain(50);
    await ha.up();
    clock.advance(50);
    await ha.waitFor(() => conn.connected);
    expect(ha.authenticated).toBe(1);
  });
});

describe("a Home Assistant that stops answering without closing the connection", () => {
  it("is noticed by a missed pong, and the connection is opened anew", async () => {
    const ha = await standin();
    const clock = new ManualClock();
    const conn = connection(ha.url, ha.token, { pingMs: 20_000, pongTimeoutMs: 4321, clock });
    await conn.start();
    ha.frozen = true;
    // The ping goes out when the clock reaches it, and waits for its pong (the only deadline of that length).
    expect(clock.pending).not.toContain(4321);
    clock.advance(20_000);
    await ha.waitFor(() => clock.pending.includes(4321));
    clock.advance(4321);
    await ha.waitFor(() => !conn.connected);
    ha.frozen = false;
    await ha.waitFor(() => conn.connected && ha.authenticated === 2);
  });
});

describe("keeping the connection alive", () => {
  it("pings every pingMs of the clock, not before, and no more once stopped", async () => {
    const ha = await standin();
    const clock = new ManualClock();
    const conn = connection(ha.url, ha.token, { pingMs: 20_000, clock });
    await conn.start();
    const pings = (): number => ha.commands.filter((type) => type === "ping").length;
    clock.advance(19_999);
    expect(pings()).toBe(0);
    clock.advance(1);
    await ha.waitFor(() => pings() === 1);
    // Once the pong is in, the next ping waits 20 s (beside the first one's pong deadline, 5 s).
    await ha.waitFor(() => clock.pending.includes(20_000));
    clock.advance(19_999);
    expect(pings()).toBe(1);
    clock.advance(1);
    await ha.waitFor(() => pings() === 2);
    expect(conn.connected).toBe(true);
    await conn.stop();
    clock.advance(60_000);
    expect(clock.pending.filter((ms) => ms > 0)).toEqual([]);
    expect(pings()).toBe(2);
  });
});

describe("acting through Home Assistant", () => {
  it("calls the service and reports success when Home Assistant confirms", async () => {
    const ha = await standin();
    const { actuator } = await learned(ha);
    const [outcome] = await actuator.act(openGarage, new AbortController().signal);
    expect(outcome).toMatchObject({ entityId: "cover.garage_door", ok: true, service: "cover.open_cover" });
    expect(ha.calls).toEqual([
      expect.objectContaining({
        domain: "cover",
        service: "open_cover",
        target: { entity_id: ["cover.garage_door"] },
      }),
    ]);
  });

  it("says the device did not respond when the service call is too slow, and succeeds when it is in time", async () => {
    const ha = await standin();
    const clock = new ManualClock();
    const { actuator } = await learned(ha, { responseMs: 5000, clock });
    ha.callBehaviour = () => ({ hang: true });
    const slow = actuator.act(openGarage, new AbortController().signal);
    await ha.waitFor(() => ha.calls.length === 1);
    clock.advance(5000);
    expect((await slow)[0]).toMatchObject({ ok: false, reason: "the Garage Door did not respond" });
    ha.callBehaviour = () => ({ delayMs: 50 });
    const inTime = actuator.act(openGarage, new AbortController().signal);
    // Answered before the response deadline, which then passes harmlessly.
    const [outcome] = await inTime;
    clock.advance(5000);
    expect(outcome).toMatchObject({ ok: true });
  });

  it("speaks Home Assistant's own error when it refuses the call", async () => {
    const ha = await standin();
    const { actuator } = await learned(ha);
    ha.callBehaviour = () => ({ error: { code: "home_assistant_error", message: "Obstruction detected." } });
    const [outcome] = await actuator.act(openGarage, new AbortController().signal);
    expect(outcome).toMatchObject({
      ok: false,
      reason: "Home Assistant could not do that with the Garage Door: Obstruction detected",
    });
  });

  it("reports a command lost when Home Assistant restarts mid-command, and works again after", async () => {
    const ha = await standin();
    const clock = new ManualClock();
    const { actuator, conn } = await learned(ha, { clock });
    ha.callBehaviour = () => ({ hang: true });
    const pending = actuator.act(openGarage, new AbortController().signal);
    await ha.waitFor(() => ha.calls.length === 1);
    await ha.down();
    const [lost] = await pending;
    expect(lost).toMatchObject({
      ok: false,
      reason: "I lost Home Assistant before the Garage Door responded",
    });
    await ha.up();
    // Connection attempts wait on the clock (retryMs 50): move it until one finds Home Assistant back.
    while (!conn.connected) {
      clock.advance(50);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    ha.callBehaviour = () => ({});
    const [after] = await actuator.act(openGarage, new AbortController().signal);
    expect(after).toMatchObject({ ok: true });
    // The lost command was not sent again after the restart.
    expect(ha.calls.filter((c) => c.service === "open_cover")).toHaveLength(2);
  });

  it("gives up on an unreachable Home Assistant after the grace period and never sends the command late", async () => {
    const ha = await standin();
    const clock = new ManualClock();
    const { actuator, conn } = await learned(ha, { graceMs: 3000, clock });
    await ha.down();
    await ha.waitFor(() => !conn.connected);
    const pending = actuator.act(openGarage, new AbortController().signal);
    expect(clock.pending).toContain(3000);
    clock.advance(3000);
    const [outcome] = await pending;
    expect(outcome).toMatchObject({ ok: false, reason: "I can't reach Home Assistant" });
    await ha.up();
    await ha.waitFor(() => conn.connected);
    // Connected again, with time for anything queued to arrive: nothing was.
    await new Promise((r) => setTimeout(r, 200));
    expect(ha.calls).toEqual([]);
  });

  it("sends a command that waited within the grace period once Home Assistant is back", async () => {
    const ha = await standin();
    const { actuator, conn } = await learned(ha, { graceMs: 20_000, clock: new ManualClock() });
    await ha.down();
    await ha.waitFor(() => !conn.connected);
    const pending = actuator.act(openGarage, new AbortController().signal);
    await ha.up();
    const [outcome] = await pending;
    expect(outcome).toMatchObject({ ok: true });
    expect(ha.calls).toHaveLength(1);
  });
});
