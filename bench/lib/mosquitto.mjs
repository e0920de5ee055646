import { execFile, spawn } from "node:child_process";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

/**
 * Starts a real Mosquitto (Debian's /usr/sbin/mosquitto) for one test file or one soak run: its own
 * free port, its own temporary config, optionally a password file and a TLS listener with a
 * self-signed CA made by openssl. It can be stopped, killed and restarted on the same ports, to test
 * broker loss. Written once, in plain JS, so that scripts/soak.mjs uses it too (types beside it).
 */
// Types: mosquitto.d.mts beside this file.
const run = promisify(execFile);
const MOSQUITTO = process.env.MOSQUITTO_BIN ?? "/usr/sbin/mosquitto";
/** A TCP port that was free a moment ago. */
export async function freePort() {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
async function makeCertificates(dir) {
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  await run("openssl", [
    "req",
    "-x509",
    ...ec,
    "-keyout",
    join(dir, "ca.key"),
    "-out",
    join(dir, "ca.crt"),
    "-days",
    "2",
    "-subj",
    "/CN=Hearth test CA",
  ]);
  await run("openssl", [
    "req",
    ...ec,
    "-keyout",
    join(dir, "server.key"),
    "-out",
    join(dir, "server.csr"),
    "-subj",
    "/CN=127.0.0.1",
  ]);
  await writeFile(join(dir, "ext.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  await run("openssl", [
    "x509",
    "-req",
    "-in",
    join(dir, "server.csr"),
    "-CA",
    join(dir, "ca.crt"),
    "-CAkey",
    join(dir, "ca.key"),
    "-CAcreateserial",
    "-out",
    join(dir, "server.crt"),
    "-days",
    "2",
    "-extfile",
    join(dir, "ext.cnf"),
  ]);
}
/** Starts a Mosquitto for a test; call dispose() in afterAll. */
export async function startMosquitto(options = {}) {
  const dir = await mkdtemp(join(tmpdir(), "hearth-mosquitto-"));
  const port = await freePort();
  const tlsPort = options.tls ? await freePort() : undefined;
  const lines = [
    `listener ${port} 127.0.0.1`,
    // Authentication settings apply to every listener (Mosquitto's default, stated for clarity).
    "per_listener_settings false",
    // Without persistence a broker that stops loses everything it held, retained messages and
    // sessions included: the worst case. With it (options.persistence), it saves them when it stops
    // gracefully (and every second), as a home broker set up for it does.
    ...(options.persistence
      ? ["persistence true", `persistence_location ${dir}/`, "autosave_interval 1"]
      : ["persistence false"]),
    ...(options.tcpNoDelay ? ["set_tcp_nodelay true"] : []),
    "log_dest stderr",
    "log_type error",
    "log_type warning",
    "log_type notice",
    "log_type information",
  ];
  // As root Mosquitto would switch to the mosquitto user, which cannot read this private folder.
  if (process.getuid?.() === 0) lines.push("user root");
  if (options.users) {
    const passwd = join(dir, "passwd");
    let first = true;
    for (const [user, password] of Object.entries(options.users)) {
      await run("mosquitto_passwd", [...(first ? ["-c"] : []), "-b", passwd, user, password]);
      first = false;
    }
    await chmod(passwd, 0o600);
    lines.push(`password_file ${passwd}`, "allow_anonymous false");
  } else {
    lines.push("allow_anonymous true");
  }
  if (tlsPort !== undefined) {
    await makeCertificates(dir);
    lines.push(
      `listener ${tlsPort} 127.0.0.1`,
      `cafile ${join(dir, "ca.crt")}`,
      `certfile ${join(dir, "server.crt")}`,
      `keyfile ${join(dir, "server.key")}`,
    );
  }
  const conf = join(dir, "mosquitto.conf");
  await writeFile(conf, `${lines.join("\n")}\n`);
  let child;
  let stderr = "";
  const start = async () => {
    if (child) return;
    const proc = spawn(MOSQUITTO, ["-c", conf], { stdio: ["ignore", "ignore", "pipe"] });
    child = proc;
    let output = "";
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`mosquitto did not start:\n${output}`)), 15_000);
      proc.stderr?.on("data", (chunk) => {
        output += chunk.toString();
        stderr += chunk.toString();
        if (/mosquitto version \S+ running/.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once("exit", (code) => {
        clearTimeout(timer);
        child = undefined;
        reject(new Error(`mosquitto exited with ${code}:\n${output}`));
      });
      proc.once("error", (err) => {
        clearTimeout(timer);
        child = undefined;
        reject(err);
      });
    });
    proc.removeAllListeners("exit");
    proc.once("exit", () => {
      if (child === proc) child = undefined;
    });
  };
  const signal = async (sig) => {
    const proc = child;
    if (!proc) return;
    const exited = new Promise((resolve) => proc.once("exit", () => resolve()));
    proc.kill(sig);
    await exited;
    child = undefined;
  };
  await start();
  const caFile = tlsPort !== undefined ? join(dir, "ca.crt") : undefined;
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    ...(tlsPort !== undefined
      ? { tlsPort, tlsUrl: `mqtts://127.0.0.1:${tlsPort}`, caFile, caPem: await readFile(caFile) }
      : {}),
    start,
    stop: () => signal("SIGTERM"),
    kill: () => signal("SIGKILL"),
    dispose: async () => {
      await signal("SIGTERM");
      await rm(dir, { recursive: true, force: true });
    },
    log: () => stderr,
  };
}
