// How `npm start` starts the daemon, read from package.json's start script, so that the memory
// bench and the soak run the daemon exactly as it is really started (the V8 flags and malloc
// settings move its RSS by tens of MB), and a test can hold systemd/hearth.service to the same.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * The node flags and environment of package.json's start script
 * (`NAME=${NAME:-value} … exec node --flag … bin/hearth.js run`): each variable with its default.
 */
export function daemonStart(root = ROOT) {
  const { scripts } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const start = String(scripts?.start ?? "");
  const command = /\bexec node ((?:--\S+ )*)bin\/hearth\.js run\b/.exec(start);
  if (!command) throw new Error(`package.json's start script does not exec node bin/hearth.js run: ${start}`);
  const env = {};
  for (const [, name, value] of start.slice(0, command.index).matchAll(/\b([A-Z_]+)=\$\{\1:-([^}]*)\}/g)) {
    env[name] = value;
  }
  return { nodeFlags: (command[1] ?? "").split(" ").filter(Boolean), env };
}
