import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkConfig } from "../../src/doctor/config-check.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hearth-doctor-config-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("the configuration check", () => {
  it("passes a valid config and counts its areas, devices and compiled sentences", async () => {
    const path = join(dir, "ok.yaml");
    await writeFile(
      path,
      "site: { id: doctor }\nareas: [{ name: Kitchen }, { name: Hall }]\ndevices: [{ id: light.kitchen, name: Kitchen Light, area: Kitchen }]\n",
    );
    const { result, loaded } = await checkConfig(path);
    expect(result.ok).toBe(true);
    expect(result.detail).toMatch(/2 areas, 1 device, \d+ intents with \d+ sentence templates/);
    expect(result.fix).toBeUndefined();
    expect(loaded?.config.site.id).toBe("doctor");
  });

  it("fails an invalid config, naming every problem with its line", async () => {
    const path = join(dir, "bad.yaml");
    await writeFile(
      path,
      "site: { id: doctor, colour: blue }\ndevices: [{ id: light.x, name: X, area: Attic }]\n",
    );
    const { result, loaded } = await checkConfig(path);
    expect(result.ok).toBe(false);
    expect(loaded).toBeUndefined();
    expect(result.detail).toMatch(/colour/);
    expect(result.detail).toMatch(/Attic/);
    expect(result.fix).toMatch(/check-config/);
  });

  it("fails a custom sentence that cannot be parsed", async () => {
    const path = join(dir, "sentences.yaml");
    await writeFile(path, "intents:\n  custom:\n    Coffee:\n      sentences: ['make (a coffee']\n");
    const { result } = await checkConfig(path);
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(/make \(a coffee/);
    expect(result.fix).toMatch(/sentence templates/);
  });

  it("reports a missing default config without creating it from the example", async () => {
    // loadConfig creates config/hearth.yaml under the working directory when it is missing; the
    // doctor must not, so run from a folder where that would happen.
    const home = await mkdtemp(join(dir, "cwd-"));
    const previous = process.cwd();
    process.chdir(home);
    try {
      const path = join(home, "config", "hearth.yaml");
      const { result } = await checkConfig(path);
      expect(result.ok).toBe(false);
      expect(result.detail).toContain(path);
      expect(result.fix).toMatch(/--config/);
      expect(existsSync(path)).toBe(false);
    } finally {
      process.chdir(previous);
    }
  });
});
