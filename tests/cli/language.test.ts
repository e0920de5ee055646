import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PackProblem, readPacks } from "../../src/intents/hassil/pack.js";
import { type CliRun, runHearth } from "../helpers/hearth-cli.js";
import { startFileServer, type TestFileServer } from "../helpers/http-server.js";

/** Runs the built `hearth` CLI without the environment that would point it elsewhere. */
function hearth(...args: string[]): Promise<CliRun> {
  return runHearth(args, ["HEARTH_LANGUAGES_URL", "STATE_DIRECTORY"]);
}

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

/** A language merged into one file, in the shape home-assistant-intents publishes (trimmed). */
function merged(language: string, sentence: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      language,
      intents: { HassTurnOn: { data: [{ sentences: [sentence] }] } },
      lists: {},
      expansion_rules: {},
      skip_words: [],
      responses: { errors: {} },
    }),
  );
}

describe("hearth language (the built CLI, against a local HTTP server)", () => {
  let server: TestFileServer;
  let dir: string;
  let config: string;
  const en = merged("en", "switch on {name}");
  const de = merged("de", "schalte {name} ein");

  beforeAll(async () => {
    server = await startFileServer({
      files: {
        "/intents/en.json": en,
        "/intents/de.json": de,
        "/intents/fr.json": Buffer.from("<html>not found</html>"),
        "/intents/nl.json": merged("de", "schalte {name} ein"),
      },
    });
    dir = await mkdtemp(join(tmpdir(), "hearth-language-"));
    config = join(dir, "hearth.yaml");
    await writeFile(config, "site: { id: lang-test }\nstate_dir: state\n");
  });

  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const base = () => server.url("/intents");
  const pulled = (lang: string) => join(dir, "state", "languages", lang, `${lang}.json`);

  it("pulls a language into the config's state directory, checked against --sha256, and the pack loader reads it", async () => {
    const run = await hearth(
      "language",
      "pull",
      "en",
      "--config",
      config,
      "--base-url",
      base(),
      "--sha256",
      sha256(en),
    );
    expect(run.stderr).toContain('"msg":"language pulled"');
    // Progress as JSON lines when stderr is not a terminal, the last one at 100 %.
    expect(run.stderr).toMatch(/"percent":100.*"msg":"download progress"/);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("en: downloaded");
    expect(run.stdout).toContain("sha256 matches --sha256");
    // The attribution the licence asks for, wherever the packs are fetched.
    expect(run.stdout).toContain("CC BY 4.0");
    expect(await readFile(pulled("en"))).toEqual(en);

    const problems: PackProblem[] = [];
    const files = readPacks(
      ["pulled"],
      { language: "en", configDir: dir, stateDir: join(dir, "state") },
      problems,
    );
    expect(problems).toEqual([]);
    expect(files.map((f) => f.data.language)).toEqual(["en"]);

    const before = server.requests.length;
    const again = await hearth(
      "language",
      "pull",
      "en",
      "--config",
      config,
      "--base-url",
      base(),
      "--sha256",
      sha256(en),
    );
    expect(again.stdout).toContain("en: present");
    // Nothing fetched again: the file present matches.
    expect(server.requests).toHaveLength(before);

    const list = await hearth("language", "list", "--config", config, "--json");
    const rows = JSON.parse(list.stdout) as Array<{ code: string; pulled?: { sha256: string } }>;
    expect(rows.find((r) => r.code === "en")?.pulled?.sha256).toBe(sha256(en));
    expect(rows.find((r) => r.code === "de")?.pulled).toBeUndefined();
  });

  it("records the checksum of a language nobody pinned, and says so", async () => {
    const run = await hearth("language", "pull", "de", "--config", config, "--base-url", base(), "--json");
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { sha256: string; checksumFrom: string; sizeBytes: number };
    expect(result).toMatchObject({ sha256: sha256(de), checksumFrom: "recorded", sizeBytes: de.length });
  });

  it("keeps the pulled file when a new download does not match its checksum", async () => {
    const run = await hearth(
      "language",
      "pull",
      "en",
      "--config",
      config,
      "--base-url",
      base(),
      "--sha256",
      "0".repeat(64),
      "--force",
    );
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/sha-?256/i);
    expect(await readFile(pulled("en"))).toEqual(en);
    expect(existsSync(`${pulled("en")}.incoming`)).toBe(false);
  });

  it("refuses what is not the language's merged pack: an HTML page, another language", async () => {
    const html = await hearth("language", "pull", "fr", "--config", config, "--base-url", base());
    expect(html.code).toBe(65);
    expect(html.stderr).toContain("not JSON");
    expect(existsSync(pulled("fr"))).toBe(false);
    const other = await hearth("language", "pull", "nl", "--config", config, "--base-url", base());
    expect(other.code).toBe(65);
    expect(other.stderr).toContain('its language is "de", not "nl"');
    expect(existsSync(pulled("nl"))).toBe(false);
  });

  it("says where the packs come from when no source is given, and refuses what is no language code", async () => {
    const none = await hearth("language", "pull", "en", "--config", config);
    expect(none.code).toBe(64);
    expect(none.stderr).toContain("--base-url");
    const bad = await hearth("language", "pull", "../etc", "--config", config, "--base-url", base());
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain("not a language code");
  });

  it("reports a missing file on the server as unavailable, with its status", async () => {
    const run = await hearth("language", "pull", "it", "--config", config, "--base-url", base());
    expect(run.code).toBe(69);
    expect(run.stderr).toContain("404");
  });
});
