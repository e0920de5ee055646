import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { loadConfig } from "../../src/config/loader.js";
import { parseConfig } from "../../src/config/parse-config.js";
import { resolveStateDir } from "../../src/config/state-dir.js";
import { HearthError } from "../../src/core/errors.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "hearth-state-dir-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("resolveStateDir", () => {
  test("without state_dir or systemd, state lives in a 'state' folder beside the config file", async () => {
    await writeFile(join(dir, "hearth.yaml"), "site:\n  id: attic\n");
    const loaded = await loadConfig(join(dir, "hearth.yaml"));
    expect(resolveStateDir(loaded.config, loaded.dir, {})).toBe(join(dir, "state"));
  });

  test("under systemd (StateDirectory=hearth) the service's state directory is used", () => {
    const config = parseConfig("");
    expect(resolveStateDir(config, "/etc/hearth", { STATE_DIRECTORY: "/var/lib/hearth" })).toBe(
      "/var/lib/hearth",
    );
    // Several StateDirectory= entries arrive separated by ':'; the first is Hearth's.
    expect(
      resolveStateDir(config, "/etc/hearth", { STATE_DIRECTORY: "/var/lib/hearth:/var/lib/other" }),
    ).toBe("/var/lib/hearth");
  });

  test("a configured state_dir wins over systemd's, relative paths resolved against the config", () => {
    const env = { STATE_DIRECTORY: "/var/lib/hearth" };
    expect(resolveStateDir(parseConfig("state_dir: /srv/hearth\n"), "/etc/hearth", env)).toBe("/srv/hearth");
    expect(resolveStateDir(parseConfig("state_dir: ../data\n"), "/etc/hearth/conf", env)).toBe(
      "/etc/hearth/data",
    );
  });

  test("an empty state_dir is a config error naming the key", () => {
    let err: unknown;
    try {
      parseConfig('state_dir: ""\n');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HearthError);
    expect((err as HearthError).details.join("\n")).toMatch(/^state_dir: .*line 1/m);
  });
});
