import type { Command } from "commander";

/** One subcommand: its name on the command line, and its module (which registers it). */
export interface CommandModule {
  name: string;
  load: () => Promise<{ register: (program: Command) => void }>;
}

/**
 * Every subcommand, in the order `hearth --help` lists them. One line per command module.
 *
 * Each is imported only when needed (see {@link commandsFor}): a command's module brings in what
 * it uses, and the daemon (`hearth run`) has no use for the model downloader, the doctor's checks
 * or the progress bars, which would otherwise stay in its memory for good.
 */
export const commands: readonly CommandModule[] = [
  { name: "run", load: () => import("./run.js") },
  { name: "parse", load: () => import("./parse.js") },
  { name: "check-config", load: () => import("./check-config.js") },
  { name: "models", load: () => import("./models.js") },
  { name: "language", load: () => import("./language.js") },
  { name: "detect-wake", load: () => import("./detect-wake.js") },
  { name: "transcribe", load: () => import("./transcribe.js") },
  { name: "understand", load: () => import("./understand.js") },
  { name: "say", load: () => import("./say.js") },
  { name: "devices", load: () => import("./devices.js") },
  { name: "doctor", load: () => import("./doctor.js") },
];

/**
 * The command modules to register for these arguments (without node and the script): only the
 * named command's when the first argument names one, every one otherwise (help, a version, a
 * mistyped name that commander then suggests a correction for).
 */
export function commandsFor(args: readonly string[]): readonly CommandModule[] {
  const named = commands.find((command) => command.name === args[0]);
  return named ? [named] : commands;
}
