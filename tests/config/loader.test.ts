import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { DEFAULT_CONFIG_PATH, loadConfig } from "../../src/config/loader.js";
import { HearthError } from "../../src/core/errors.js";

const EXAMPLE = new URL("../../config/hearth.example.yaml", import.meta.url).pathname;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "hearth-config-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function rejection(p: Promise<unknown>): Promise<HearthError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HearthError);
  return err as HearthError;
}

describe("loadConfig", () => {
  test("reads a config file and returns it with its absolute path and directory", async () => {
    await mkdir(join(dir, "etc"));
    await writeFile(join(dir, "etc", "home.yaml"), "site:\n  name: Attic Hearth\n");
    const loaded = await loadConfig("etc/home.yaml", { cwd: dir });
    expect(loaded.config.site.name).toBe("Attic Hearth");
    expect(loaded.path).toBe(join(dir, "etc", "home.yaml"));
    expect(loaded.dir).toBe(join(dir, "etc"));
    expect(loaded.created).toBe(false);
  });

  test("an empty file is an error that says so, unless empty is allowed (--defaults): then all the defaults", async () => {
    for (const text of ["", "# nothing but a comment\n", "---\n"]) {
      await writeFile(join(dir, "empty.yaml"), text);
      const err = await rejection(loadConfig(join(dir, "empty.yaml")));
      expect(err.code).toBe("CONFIG_INVALID");
      expect(err.message).toBe(`${join(dir, "empty.yaml")} is empty`);
      expect(err.details.join("\n")).toContain("--defaults");
    }
    const { config } = await loadConfig(join(dir, "empty.yaml"), { allowEmpty: true });
    expect(config.devices).toEqual([]);
    expect(config.logging.transcripts).toBe(false);
  });

  test("a missing file at a path other than the default is CONFIG_NOT_FOUND, and nothing is created", async () => {
    const err = await rejection(loadConfig("typo.yaml", { cwd: dir }));
    expect(err.code).toBe("CONFIG_NOT_FOUND");
    expect(err.message).toContain(join(dir, "typo.yaml"));
    await expect(readFile(join(dir, "typo.yaml"))).rejects.toThrow();
    await expect(readFile(join(dir, DEFAULT_CONFIG_PATH))).rejects.toThrow();
  });

  test("a missing default file is created from the example, logged, and loaded", async () => {
    const logged: Array<Record<string, unknown>> = [];
    const log = pino({ level: "info" }, { write: (line: string) => void logged.push(JSON.parse(line)) });
    const loaded = await loadConfig(undefined, { cwd: dir, log });
    const file = join(dir, "config", "hearth.yaml");
    expect(loaded.created).toBe(true);
    expect(loaded.path).toBe(file);
    expect(loaded.config.devices.length).toBeGreaterThan(10);
    expect(logged).toEqual([
      expect.objectContaining({ msg: "config file created from the example", path: file }),
    ]);
    // Same content as the example, except that the editor-schema line points at the shipped schema.
    const created = await readFile(file, "utf8");
    const example = await readFile(EXAMPLE, "utf8");
    const schemaLine = /^# yaml-language-server: \$schema=(.*)$/m;
    expect(created.replace(schemaLine, "")).toBe(example.replace(schemaLine, ""));
    const schemaRef = created.match(schemaLine)?.[1] ?? "";
    expect(await readFile(join(dir, "config", schemaRef), "utf8")).toContain('"$id": "urn:hearth:config"');
  });

  test("the second load of the default file reads what the first one created", async () => {
    await loadConfig(DEFAULT_CONFIG_PATH, { cwd: dir });
    await writeFile(join(dir, DEFAULT_CONFIG_PATH), "site:\n  name: Edited\n");
    const again = await loadConfig(DEFAULT_CONFIG_PATH, { cwd: dir });
    expect(again.created).toBe(false);
    expect(again.config.site.name).toBe("Edited");
  });

  test("a missing default file with no example to copy is CONFIG_NOT_FOUND", async () => {
    const err = await rejection(loadConfig(undefined, { cwd: dir, examplePath: join(dir, "nope.yaml") }));
    expect(err.code).toBe("CONFIG_NOT_FOUND");
  });

  test("an invalid file is CONFIG_INVALID naming the file and listing each problem with its position", async () => {
    await writeFile(
      join(dir, "bad.yaml"),
      "areas:\n  - name: Garage\ndevices:\n  - id: cover.door\n    name: Door\n    area: Garaje\n",
    );
    const err = await rejection(loadConfig("bad.yaml", { cwd: dir }));
    expect(err.code).toBe("CONFIG_INVALID");
    expect(err.message).toBe(`${join(dir, "bad.yaml")} is invalid (1 problem)`);
    expect(err.details).toEqual(['devices[0].area: unknown area "Garaje" (line 6, column 11)']);
  });

  test("a path that cannot be read as a file is CONFIG_INVALID with the reason", async () => {
    await mkdir(join(dir, "adir.yaml"));
    const err = await rejection(loadConfig("adir.yaml", { cwd: dir }));
    expect(err.code).toBe("CONFIG_INVALID");
    expect(err.message).toMatch(/cannot read .*adir\.yaml: .*EISDIR/);
  });
});
