import { execFile } from "node:child_process";
import { endianness } from "node:os";
import { type Clock, systemClock } from "./clock.js";
import type { Logger } from "./logger.js";

/**
 * The sd_notify protocol (https://www.freedesktop.org/software/systemd/man/latest/sd_notify.html)
 * without a native addon of its own: one unix datagram of `KEY=value` lines to $NOTIFY_SOCKET.
 *
 * Node has no unix datagram sockets, and the `sd-notify` npm package is a node-gyp addon (an install
 * script, and libsystemd headers to build against), so this sends the datagram with libc's
 * socket()/sendto() through koffi, the FFI library Hearth already depends on (prebuilt for every
 * Linux architecture, nothing to compile). The message then comes from Hearth's own PID, as
 * libsystemd's sd_notify() would send it. Where koffi cannot load, it falls back to the
 * `systemd-notify` program (`--pid` names Hearth as the sender; an unprivileged service cannot forge
 * that, so the unit sets NotifyAccess=all to accept the child's message; systemd-notify waits until
 * the manager has processed it, so the child's exit races nothing).
 *
 * Without $NOTIFY_SOCKET (not started by systemd as Type=notify) every method is a no-op.
 */

/** How notifications travel: libc through koffi, or the systemd-notify program. */
export type NotifyTransport = "socket" | "program";

export interface SystemdNotifierOptions {
  log: Logger;
  /** Where NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID are read; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** The PID notifications are for; default process.pid. */
  pid?: number;
  /** Forces a transport; default "socket", falling back to "program" when koffi cannot load. */
  transport?: NotifyTransport;
  /** The systemd-notify program; default "systemd-notify" on PATH. */
  program?: string;
  /** Whose time the watchdog pings are spaced on; default the system clock. */
  clock?: Clock;
}

/** Sends a datagram; returns the errno on failure, 0 on success. */
type SendDatagram = (socketPath: string, message: Buffer) => number;

const AF_UNIX = 1;
const SOCK_DGRAM = 2;
const SOCK_CLOEXEC = 0o2000000;
/** sendto() flags: never block the event loop on a full queue, and no SIGPIPE. */
const MSG_DONTWAIT = 0x40;
const MSG_NOSIGNAL = 0x4000;
/** sizeof(sockaddr_un.sun_path) on Linux. */
const SUN_PATH_MAX = 108;
/** How long the systemd-notify program may take (it waits for the manager to process the message). */
const PROGRAM_TIMEOUT_MS = 10_000;

/**
 * A `struct sockaddr_un` for a socket path; a leading "@" names an abstract socket (a NUL first
 * byte, and a length without a terminating NUL), as systemd writes NOTIFY_SOCKET for those.
 */
export function unixSocketAddress(socketPath: string): Buffer {
  const abstract = socketPath.startsWith("@");
  const name = Buffer.from(abstract ? socketPath.slice(1) : socketPath, "utf8");
  if (name.length === 0 || name.length + 1 > SUN_PATH_MAX) {
    throw new RangeError(`NOTIFY_SOCKET is not a usable unix socket path: ${JSON.stringify(socketPath)}`);
  }
  // sun_family, then sun_path: abstract names start with a NUL byte; paths end with one.
  const address = Buffer.alloc(2 + name.length + 1);
  if (endianness() === "LE") address.writeUInt16LE(AF_UNIX, 0);
  else address.writeUInt16BE(AF_UNIX, 0);
  name.copy(address, abstract ? 3 : 2);
  return address;
}

/** Loads socket()/sendto()/close() from the C library already mapped into node. */
async function loadLibcSender(): Promise<SendDatagram> {
  const koffi = (await import("koffi")).default;
  // null: the process itself, whose C library node is linked against (glibc or musl alike).
  const libc = koffi.load(null);
  const socket = libc.func("int socket(int domain, int type, int protocol)");
  const sendto = libc.func(
    "intptr_t sendto(int fd, const void *buf, size_t len, int flags, const void *addr, uint32_t addrlen)",
  );
  const close = libc.func("int close(int fd)");
  return (socketPath, message) => {
    const address = unixSocketAddress(socketPath);
    const fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0) as number;
    if (fd < 0) return koffi.errno();
    try {
      const sent = Number(
        sendto(fd, message, message.length, MSG_DONTWAIT | MSG_NOSIGNAL, address, address.length),
      );
      return sent < 0 ? koffi.errno() : 0;
    } finally {
      close(fd);
    }
  };
}

/**
 * Tells systemd how the service is doing: ready, stopping, alive (watchdog). Failures are logged,
 * never thrown: a missed notification must not take the daemon down.
 */
export class SystemdNotifier {
  readonly #options: SystemdNotifierOptions;
  #sender: Promise<SendDatagram | undefined> | undefined;

  constructor(options: SystemdNotifierOptions) {
    this.#options = options;
  }

  /** The notification socket, or undefined when not started by systemd with Type=notify. */
  get socketPath(): string | undefined {
    const value = (this.#options.env ?? process.env).NOTIFY_SOCKET;
    return value === undefined || value === "" ? undefined : value;
  }

  /** Whether notifications go anywhere. */
  get enabled(): boolean {
    return this.socketPath !== undefined;
  }

  /**
   * Milliseconds between watchdog pings: half of $WATCHDOG_USEC, as sd_watchdog_enabled(3)
   * recommends; undefined when systemd set no watchdog or set it for another process (WATCHDOG_PID).
   */
  watchdogIntervalMs(): number | undefined {
    if (!this.enabled) return undefined;
    const env = this.#options.env ?? process.env;
    const usec = Number(env.WATCHDOG_USEC);
    if (!Number.isFinite(usec) || usec <= 0) return undefined;
    const forPid = env.WATCHDOG_PID;
    if (forPid !== undefined && forPid !== "" && Number(forPid) !== this.#pid) return undefined;
    return Math.max(1, Math.floor(usec / 2000));
  }

  /** READY=1: start-up has finished; `systemctl start` returns and dependent units start. */
  ready(status?: string): Promise<void> {
    return this.notify(status === undefined ? { READY: "1" } : { READY: "1", STATUS: status });
  }

  /** STOPPING=1: shutdown has begun. */
  stopping(status?: string): Promise<void> {
    return this.notify(status === undefined ? { STOPPING: "1" } : { STOPPING: "1", STATUS: status });
  }

  /** WATCHDOG=1: still alive. */
  watchdog(): Promise<void> {
    return this.notify({ WATCHDOG: "1" });
  }

  /** STATUS=…: a line `systemctl status` shows. */
  status(text: string): Promise<void> {
    return this.notify({ STATUS: text });
  }

  /**
   * Pings the watchdog every watchdogIntervalMs() from the event loop, so a loop blocked for longer
   * than WatchdogSec gets the service restarted. Returns the function that stops the pings; with no
   * watchdog configured it starts nothing. Each ping waits on the clock, whose timeouts (like an
   * unref'd timer) keep no stopping process alive.
   */
  startWatchdog(): () => void {
    const interval = this.watchdogIntervalMs();
    if (interval === undefined) return () => {};
    const clock = this.#options.clock ?? systemClock;
    let stopped = false;
    const next = (): void => {
      clock.timeout(interval, "the next watchdog ping").addEventListener(
        "abort",
        () => {
          if (stopped) return;
          void this.watchdog();
          next();
        },
        { once: true },
      );
    };
    next();
    return () => {
      stopped = true;
    };
  }

  /** Sends one notification of `KEY=value` lines (values must not contain newlines). */
  async notify(fields: Readonly<Record<string, string>>): Promise<void> {
    const socketPath = this.socketPath;
    if (socketPath === undefined) return;
    const lines = Object.entries(fields).map(([key, value]) => `${key}=${value.replace(/\n/g, " ")}`);
    const log = this.#options.log;
    try {
      const sender = await this.#loadSender();
      if (sender) {
        const errno = sender(socketPath, Buffer.from(lines.join("\n"), "utf8"));
        if (errno !== 0)
          log.warn({ errno, socket: socketPath, fields: Object.keys(fields) }, "sd_notify failed");
        return;
      }
      await this.#runProgram(socketPath, lines);
    } catch (err) {
      log.warn({ err, socket: socketPath, fields: Object.keys(fields) }, "sd_notify failed");
    }
  }

  get #pid(): number {
    return this.#options.pid ?? process.pid;
  }

  /** The libc sender, loaded once; undefined means "use the program". */
  #loadSender(): Promise<SendDatagram | undefined> {
    if (this.#sender === undefined) {
      const transport = this.#options.transport ?? "socket";
      this.#sender =
        transport === "program"
          ? Promise.resolve(undefined)
          : loadLibcSender().catch((err: unknown) => {
              this.#options.log.info(
                { err },
                "koffi unavailable: sd_notify through the systemd-notify program",
              );
              return undefined;
            });
    }
    return this.#sender;
  }

  #runProgram(socketPath: string, lines: string[]): Promise<void> {
    const program = this.#options.program ?? "systemd-notify";
    const env = this.#options.env ?? process.env;
    return new Promise((resolve, reject) => {
      execFile(
        program,
        [`--pid=${this.#pid}`, ...lines],
        {
          env: { PATH: env.PATH ?? "/usr/bin:/bin", NOTIFY_SOCKET: socketPath },
          timeout: PROGRAM_TIMEOUT_MS,
        },
        (err, _stdout, stderr) => {
          if (err) reject(new Error(`${program} failed: ${stderr.trim() || err.message}`, { cause: err }));
          else resolve();
        },
      );
    });
  }
}
