import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import koffi from "koffi";
import { unixSocketAddress } from "../../src/core/systemd-notify.js";

/**
 * A stand-in for systemd's notification socket: a unix datagram socket bound to a temporary path
 * (or an abstract name), whose datagrams the test reads as `KEY=value` maps. There is no systemd
 * PID 1 in the test container, so this plays the service manager's receiving end. Node has no unix
 * datagram sockets, hence libc through koffi. recv() without a control buffer makes the kernel close
 * any file descriptors a datagram carries, which is how systemd-notify's BARRIER=1 gets its answer.
 */
export interface NotifyListener {
  /** The value to put in NOTIFY_SOCKET. */
  socket: string;
  /** Every datagram received so far, parsed. */
  messages: Record<string, string>[];
  /**
   * Waits for a datagram that satisfies `match` (already received ones count), however long it
   * takes to come: the test's timeout is the limit for a hang, so a busy machine fails nothing here.
   */
  waitFor(match: (message: Record<string, string>) => boolean): Promise<Record<string, string>>;
  close(): Promise<void>;
}

const AF_UNIX = 1;
const SOCK_DGRAM = 2;
const SOCK_NONBLOCK = 0o4000;
const SOCK_CLOEXEC = 0o2000000;

const libc = koffi.load(null);
const socketFn = libc.func("int socket(int domain, int type, int protocol)");
const bindFn = libc.func("int bind(int fd, const void *addr, uint32_t addrlen)");
const recvFn = libc.func("intptr_t recv(int fd, _Out_ void *buf, size_t len, int flags)");
const closeFn = libc.func("int close(int fd)");

function parse(datagram: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of datagram.split("\n")) {
    const eq = line.indexOf("=");
    if (eq > 0) fields[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return fields;
}

/** Binds a listener on a fresh temporary socket path, or on an abstract name when `abstract` is set. */
export async function startNotifyListener(options: { abstract?: boolean } = {}): Promise<NotifyListener> {
  const dir = await mkdtemp(join(tmpdir(), "hearth-notify-"));
  const socket = options.abstract ? `@hearth-notify-test-${process.pid}-${Date.now()}` : join(dir, "notify");
  const fd = socketFn(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0) as number;
  if (fd < 0) throw new Error(`socket() failed: errno ${koffi.errno()}`);
  const address = unixSocketAddress(socket);
  if ((bindFn(fd, address, address.length) as number) !== 0) {
    const errno = koffi.errno();
    closeFn(fd);
    throw new Error(`bind(${socket}) failed: errno ${errno}`);
  }

  const messages: Record<string, string>[] = [];
  const buffer = Buffer.alloc(4096);
  let closed = false;
  const drain = () => {
    if (closed) return;
    for (;;) {
      const n = Number(recvFn(fd, buffer, buffer.length, 0));
      if (n < 0) return; // EAGAIN: nothing more queued
      messages.push(parse(buffer.subarray(0, n).toString("utf8")));
    }
  };
  const poll = setInterval(drain, 5);

  return {
    socket,
    messages,
    async waitFor(match) {
      for (;;) {
        drain();
        const found = messages.find(match);
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(poll);
      closeFn(fd);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
