import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { resolveConfigPath } from "../../src/cli/commands/check-config.js";

// End to end: the built CLI (tests/global-setup.ts compiles it) as a child process.
const BIN = fileURLToPath(new URL("../../bin/hearth.js", import.meta.url));
const EXAMPLE = fileURLToPath(new URL("../../config/hearth.example.yaml", import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function hearth(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "hearth-check-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("hearth check-config", () => {
  test("prints a summary and exits 0 for a valid config", async () => {
    const run = await hearth(["check-config", "--config", EXAMPLE], dir);
    expect(run.stderr).toBe("");
    expect(run.stdout).toMatch(/^config OK: 2 floors, \d+ areas, \d+ devices\n$/);
    expect(run.code).toBe(0);
  });

  test("reports an empty config as empty, exiting 78: it is more likely a mistake than a wish", async () => {
    await writeFile(join(dir, "empty.yaml"), "");
    const run = await hearth(["check-config", "-c", "empty.yaml"], dir);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("empty.yaml is empty");
    expect(run.stderr).toContain("--defaults");
    expect(run.code).toBe(78);
  });

  test("lists every problem with its path and position on stderr and exits 78", async () => {
    const file = join(dir, "bad.yaml");
    await writeFile(
      file,
      [
        "areas:",
        "  - name: Garage",
        "devices:",
        "  - id: cover.door",
        "    name: Door",
        "    area: Garaje",
        "  - id: light.desk",
        "    name: Desk",
        "    domain: switch",
        "    colour: red",
        "",
      ].join("\n"),
    );
    const run = await hearth(["check-config", "--config", file], dir);
    expect(run.code).toBe(78);
    expect(run.stdout).toBe("");
    expect(run.stderr.split("\n")).toEqual([
      `${file} is invalid (3 problems)`,
      '  devices[0].area: unknown area "Garaje" (line 6, column 11)',
      '  devices[1].domain: domain "switch" contradicts the id "light.desk", whose domain is "light" (line 9, column 13)',
      expect.stringMatching(
        /^ {2}devices\[1\]\.colour: unknown key \(allowed here: .*\) \(line 10, column 5\)$/,
      ),
      "",
    ]);
  });

  test("reports a YAML syntax error with its line and column and exits 78", async () => {
    await writeFile(join(dir, "broken.yaml"), "devices:\n  - id: light.a\n   name: A\n");
    const run = await hearth(["check-config", "--config", "broken.yaml"], dir);
    expect(run.code).toBe(78);
    expect(run.stderr).toContain("YAML syntax error: Sequence item without - indicator (line 3, column 1)");
  });

  test("exits 78 for a missing config file given with --config", async () => {
    const run = await hearth(["check-config", "--config", "nope.yaml"], dir);
    expect(run.code).toBe(78);
    expect(run.stderr).toBe(`configuration file not found: ${join(dir, "nope.yaml")}\n`);
  });

  test("creates config/hearth.yaml from the example when the default is missing, then checks it", async () => {
    const run = await hearth(["check-config"], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(`created ${join(dir, "config", "hearth.yaml")} from the example configuration\n`);
    expect(run.stdout).toMatch(/^config OK: 2 floors/);
    expect(await readFile(join(dir, "config", "hearth.yaml"), "utf8")).toContain("devices:");
  });
});

describe("resolveConfigPath", () => {
  test("resolves a given path against the working directory", () => {
    expect(resolveConfigPath("my.yaml", "/srv/hearth")).toBe("/srv/hearth/my.yaml");
    expect(resolveConfigPath("/etc/hearth.yaml", "/srv/hearth")).toBe("/etc/hearth.yaml");
  });

  test("defaults to config/hearth.yaml in the working directory", () => {
    expect(resolveConfigPath(undefined, "/srv/hearth")).toBe("/srv/hearth/config/hearth.yaml");
  });
});
