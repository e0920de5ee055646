import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { commands, commandsFor } from "../../src/cli/commands/index.js";

describe("the command table", () => {
  it("names, for each module, the one command that module registers", async () => {
    for (const command of commands) {
      const program = new Command();
      (await command.load()).register(program);
      expect(program.commands.map((c) => c.name())).toEqual([command.name]);
    }
  });

  it("loads only the named command's module for a command line, and every module for help or a typo", () => {
    expect(commandsFor(["run", "--config", "hearth.yaml"]).map((c) => c.name)).toEqual(["run"]);
    expect(commandsFor(["doctor"]).map((c) => c.name)).toEqual(["doctor"]);
    expect(commandsFor(["--help"])).toEqual(commands);
    expect(commandsFor(["help", "run"])).toEqual(commands);
    expect(commandsFor(["rn"])).toEqual(commands);
    expect(commandsFor([])).toEqual(commands);
  });
});
