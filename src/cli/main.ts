import { readFileSync } from "node:fs";
import { Command } from "commander";
import { tuneMalloc } from "../core/malloc-tuning.js";
import { disableLibraryTelemetry } from "../core/privacy.js";
import { commandsFor } from "./commands/index.js";

/**
 * `hearth`: argv → commands. Each command lives in `commands/<name>.ts` and registers itself on the
 * program; `app.ts` is the one place that builds the daemon's parts.
 */
// Before any command can load a native library (ONNX Runtime reads its switch once, at load), and
// inherited by every program Hearth starts.
disableLibraryTelemetry();
// Also before any native library loads and starts its threads: glibc's allocator set for a
// long-running daemon, however it was started (npm start, the service, `hearth run` by hand).
tuneMalloc();

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  version: string;
};

const program = new Command()
  .name("hearth")
  .description(
    "Hearth, a private voice assistant for MQTT and Home Assistant homes that runs entirely on the device.",
  )
  .version(pkg.version, "-V, --version", "print Hearth's version")
  .showHelpAfterError()
  .enablePositionalOptions();

for (const command of commandsFor(process.argv.slice(2))) (await command.load()).register(program);

await program.parseAsync(process.argv);
