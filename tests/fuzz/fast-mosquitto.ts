import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../helpers/mosquitto.js";

/**
 * A Mosquitto like tests/helpers/mosquitto.ts starts, plus `set_tcp_nodelay true`: without it the
 * broker's small packets wait on Nagle's algorithm (up to ~40 ms each), which caps a request/answer
 * loop at about 90 messages a second; the fuzz test sends 10,000 and must stay well under a minute.
 */
export interface FastMosquitto {
  url: string;
  dispose(): Promise<void>;
}

export async function startFastMosquitto(): Promise<FastMosquitto> {
  const dir = await mkdtemp(join(tmpdir(), "hearth-fuzz-mosquitto-"));
  const port = await freePort();
  const lines = [
    `listener ${port} 127.0.0.1`,
    "allow_anonymous true",
    "persistence false",
    "set_tcp_nodelay true",
    "log_dest stderr",
    "log_type error",
    "log_type warning",
    "log_type notice",
    "log_type information",
  ];
  // As root Mosquitto would switch to the mosquitto user, which cannot read this private folder.
  if (process.getuid?.() === 0) lines.push("user root");
  const conf = join(dir, "mosquitto.conf");
  await writeFile(conf, `${lines.join("\n")}\n`);
  const proc = spawn(process.env.MOSQUITTO_BIN ?? "/usr/sbin/mosquitto", ["-c", conf], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let output = "";
  // No limit of its own: a Mosquitto that fails to start exits (or fails to spawn) and says why; one
  // that hangs is bounded by the hook's timeout, however slow the machine.
  await new Promise<void>((resolve, reject) => {
    proc.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (/mosquitto version \S+ running/.test(output)) resolve();
    });
    proc.once("exit", (code) => reject(new Error(`mosquitto exited with ${code}:\n${output}`)));
    proc.once("error", (err) => reject(err));
  });
  return {
    url: `mqtt://127.0.0.1:${port}`,
    async dispose() {
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
        proc.kill("SIGTERM");
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
