import type { Command } from "commander";

/** Every subcommand, in the order `hearth --help` lists them. One line per command module. */
export const commands: Array<(program: Command) => void> = [];
