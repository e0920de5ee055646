import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { SystemdNotifier, unixSocketAddress } from "../../src/core/systemd-notify.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { type NotifyListener, startNotifyListener } from "../systemd/notify-listener.js";

/** A logger whose lines the test can read. */
function capturingLogger() {
  const lines: { level: number; msg: string; [key: string]: unknown }[] = [];
  const log = pino({ level: "debug" }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines, warnings: () => lines.filter((line) => line.level === 40) };
}

const listeners: NotifyListener[] = [];
async function listener(options: { abstract?: boolean } = {}): Promise<NotifyListener> {
  const started = await startNotifyListener(options);
  listeners.push(started);
  return started;
}

afterEach(async () => {
  await Promise.all(listeners.splice(0).map((l) => l.close()));
});

describe("SystemdNotifier", () => {
  it("does nothing at all when NOTIFY_SOCKET is unset", async () => {
    const { log, lines } = capturingLogger();
    // A program that does not exist: any attempt to notify would log a warning.
    const notifier = new SystemdNotifier({
      log,
      env: {},
      transport: "program",
      program: "/nonexistent/notify",
    });
    expect(notifier.enabled).toBe(false);
    expect(notifier.watchdogIntervalMs()).toBeUndefined();
    await notifier.ready();
    await notifier.stopping();
    await notifier.watchdog();
    notifier.startWatchdog()();
    expect(lines).toEqual([]);
  });

  it("logs a warning instead of throwing when a notification cannot be delivered", async () => {
    const { log, warnings } = capturingLogger();
    const notifier = new SystemdNotifier({
      log,
      env: { NOTIFY_SOCKET: "/nonexistent/notify.sock" },
      transport: "program",
      program: "/nonexistent/notify",
    });
    await expect(notifier.ready()).resolves.toBeUndefined();
    expect(warnings().map((line) => line.msg)).toEqual(["sd_notify failed"]);
  });

  it("warns when the socket is not there", async () => {
    const { log, warnings } = capturingLogger();
    const notifier = new SystemdNotifier({ log, env: { NOTIFY_SOCKET: "/nonexistent/notify.sock" } });
    await notifier.ready();
    expect(warnings()).toHaveLength(1);
    // ENOENT from sendto(): the datagram really was attempted through libc.
    expect(warnings()[0]?.errno).toBe(2);
  });

  it("sends READY=1 to the socket named by NOTIFY_SOCKET", async () => {
    const systemd = await listener();
    const { log, warnings } = capturingLogger();
    const notifier = new SystemdNotifier({ log, env: { NOTIFY_SOCKET: systemd.socket } });
    expect(notifier.enabled).toBe(true);
    await notifier.ready("listening for hey jarvis");
    const message = await systemd.waitFor((m) => m.READY !== undefined);
    expect(message).toEqual({ READY: "1", STATUS: "listening for hey jarvis" });
    expect(warnings()).toEqual([]);
  });

  it("reaches an abstract socket, which systemd names with a leading @", async () => {
    const systemd = await listener({ abstract: true });
    const notifier = new SystemdNotifier({
      log: capturingLogger().log,
      env: { NOTIFY_SOCKET: systemd.socket },
    });
    await notifier.ready();
    expect(await systemd.waitFor((m) => m.READY !== undefined)).toEqual({ READY: "1" });
  });

  it("sends STOPPING=1, WATCHDOG=1 and STATUS lines, with newlines in values flattened", async () => {
    const systemd = await listener();
    const notifier = new SystemdNotifier({
      log: capturingLogger().log,
      env: { NOTIFY_SOCKET: systemd.socket },
    });
    await notifier.watchdog();
    await notifier.status("two\nlines");
    await notifier.stopping();
    await systemd.waitFor((m) => m.STOPPING !== undefined);
    expect(systemd.messages).toEqual([{ WATCHDOG: "1" }, { STATUS: "two lines" }, { STOPPING: "1" }]);
  });

  it("pings the watchdog at half of WATCHDOG_USEC", () => {
    const log = capturingLogger().log;
    const env = { NOTIFY_SOCKET: "/run/systemd/notify", WATCHDOG_USEC: "30000000" };
    expect(new SystemdNotifier({ log, env }).watchdogIntervalMs()).toBe(15_000);
    expect(
      new SystemdNotifier({ log, env: { ...env, WATCHDOG_PID: "4242" }, pid: 4242 }).watchdogIntervalMs(),
    ).toBe(15_000);
  });

  it("leaves the watchdog alone when it is meant for another process or not set", () => {
    const log = capturingLogger().log;
    const env = { NOTIFY_SOCKET: "/run/systemd/notify", WATCHDOG_USEC: "30000000", WATCHDOG_PID: "4242" };
    expect(new SystemdNotifier({ log, env, pid: 1234 }).watchdogIntervalMs()).toBeUndefined();
    expect(
      new SystemdNotifier({ log, env: { NOTIFY_SOCKET: "/run/x" } }).watchdogIntervalMs(),
    ).toBeUndefined();
    expect(
      new SystemdNotifier({ log, env: { NOTIFY_SOCKET: "/run/x", WATCHDOG_USEC: "0" } }).watchdogIntervalMs(),
    ).toBeUndefined();
  });

  it("keeps pinging every interval until the returned function stops it", async () => {
    const systemd = await listener();
    // The pings' time is the test's: how many come depends on how far it moves the clock, never
    // on how fast the machine is.
    const clock = new ManualClock();
    const notifier = new SystemdNotifier({
      log: capturingLogger().log,
      env: { NOTIFY_SOCKET: systemd.socket, WATCHDOG_USEC: "40000" },
      clock,
    });
    expect(notifier.watchdogIntervalMs()).toBe(20);
    const stop = notifier.startWatchdog();
    expect(clock.pending).toEqual([20]);
    for (let n = 0; n < 3; n++) clock.advance(20);
    await systemd.waitFor(() => systemd.messages.filter((m) => m.WATCHDOG === "1").length >= 3);
    stop();
    // The next ping, already waiting, finds the pings stopped, and none is waiting after it.
    clock.advance(20);
    expect(clock.pending).toEqual([]);
    await systemd.waitFor(() => true);
    expect(systemd.messages).toEqual([{ WATCHDOG: "1" }, { WATCHDOG: "1" }, { WATCHDOG: "1" }]);
  });

  it("can send through the systemd-notify program, naming the daemon's PID", async () => {
    const systemd = await listener();
    const { log, warnings } = capturingLogger();
    const notifier = new SystemdNotifier({
      log,
      env: { NOTIFY_SOCKET: systemd.socket },
      transport: "program",
    });
    await notifier.ready();
    const message = await systemd.waitFor((m) => m.READY !== undefined);
    expect(message).toEqual({ MAINPID: String(process.pid), READY: "1" });
    expect(warnings()).toEqual([]);
  });
});

describe("unixSocketAddress", () => {
  it("encodes a path with a terminating NUL and an abstract name with a leading one", () => {
    const family = Buffer.alloc(2);
    family.writeUInt16LE(1);
    expect(unixSocketAddress("/run/n")).toEqual(Buffer.concat([family, Buffer.from("/run/n\0")]));
    // Abstract names are exactly as long as given, as systemd binds them: no terminating NUL.
    expect(unixSocketAddress("@n")).toEqual(Buffer.concat([family, Buffer.from("\0n")]));
  });

  it("refuses a path longer than sun_path holds", () => {
    expect(() => unixSocketAddress(`/${"x".repeat(200)}`)).toThrow(RangeError);
    expect(() => unixSocketAddress("@")).toThrow(RangeError);
  });
});
