import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findCatalogEntry } from "../../src/llm/catalog.js";
import { type CliRun, runHearth } from "../helpers/hearth-cli.js";
import { startFileServer, type TestFileServer } from "../helpers/http-server.js";

/** Runs the built `hearth` CLI without the environment that would point it elsewhere. */
function hearth(...args: string[]): Promise<CliRun> {
  return runHearth(args, ["HF_ENDPOINT", "HF_TOKEN"]);
}

function sha256(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

describe("hearth models (the built CLI)", () => {
  let server: TestFileServer;
  let dir: string;
  const data = randomBytes(200_000);
  data.write("GGUF", 0, "latin1");

  beforeAll(async () => {
    server = await startFileServer({ files: { "/files/tiny.gguf": data } });
    dir = await mkdtemp(join(tmpdir(), "hearth-models-cli-"));
  });

  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("pulls a URL with --sha256, logging progress as JSON lines when stderr is not a terminal", async () => {
    const run = await hearth(
      "models",
      "pull",
      server.url("/files/tiny.gguf"),
      "--sha256",
      sha256(data),
      "--dir",
      dir,
      "--progress-interval",
      "0",
    );
    expect(run.stderr).not.toMatch(/hearth models:/);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(join(dir, "tiny.gguf"));
    expect(run.stdout).toContain("sha256 matches --sha256");
    const progress = run.stderr
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { msg: string; received?: number; total?: number })
      .filter((line) => line.msg === "download progress");
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ received: data.length, total: data.length });
    expect(sha256(await readFile(join(dir, "tiny.gguf")))).toBe(sha256(data));
  });

  it("lists the catalog with the pulled file, as JSON", async () => {
    const run = await hearth("models", "list", "--dir", dir, "--json");
    expect(run.code).toBe(0);
    const rows = JSON.parse(run.stdout) as Array<{ id: string | null; file: string; state: string }>;
    expect(rows.find((row) => row.id === "qwen2.5-0.5b-instruct-q4_k_m")?.state).toBe("absent");
    expect(rows.find((row) => row.file === "tiny.gguf")?.state).toBe("installed");
  });

  it("prints a table with size, RAM and licence", async () => {
    const run = await hearth("models", "list", "--dir", dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ID\s+KIND\s+SIZE\s+RAM\s+LICENCE/);
    expect(run.stdout).toMatch(
      /llama-3\.2-1b-instruct-q4_k_m\s+llm\s+807\.7 MB\s+~1\.1 GB\s+Llama 3\.2 Community License/,
    );
  });

  it("verifies the pulled file, and exits 65 once it is corrupted", async () => {
    const ok = await hearth("models", "verify", "tiny.gguf", "--dir", dir);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^ok\s+tiny\.gguf/);

    const corrupted = Buffer.from(data);
    corrupted[1000] = (corrupted[1000] ?? 0) ^ 1;
    await writeFile(join(dir, "tiny.gguf"), corrupted);
    const bad = await hearth("models", "verify", "--dir", dir, "--json");
    expect(bad.code).toBe(65);
    expect(JSON.parse(bad.stdout)).toMatchObject([{ file: "tiny.gguf", status: "mismatch" }]);
  });

  it("removes the file, and exits 66 when there is nothing to remove", async () => {
    const removed = await hearth("models", "remove", "tiny.gguf", "--dir", dir);
    expect(removed.code).toBe(0);
    expect(existsSync(join(dir, "tiny.gguf"))).toBe(false);
    const again = await hearth("models", "remove", "tiny.gguf", "--dir", dir);
    expect(again.code).toBe(66);
    expect(again.stderr).toContain("not installed");
  });

  it("fetches a catalog model from a mirror and exits 69 with the HTTP status when it is missing there", async () => {
    const entry = findCatalogEntry("qwen2.5-0.5b-instruct-q4_k_m");
    const run = await hearth(
      "models",
      "pull",
      "qwen2.5-0.5b-instruct-q4_k_m",
      "--dir",
      dir,
      "--mirror",
      server.origin,
    );
    expect(run.code).toBe(69);
    expect(run.stderr).toContain("HTTP 404");
    expect(server.requests.at(-1)?.path).toBe(new URL(entry?.url ?? "").pathname);
  });

  it("exits 65 and names both hashes when the download does not match --sha256", async () => {
    const wrong = "f".repeat(64);
    const run = await hearth(
      "models",
      "pull",
      server.url("/files/tiny.gguf"),
      "--sha256",
      wrong,
      "--dir",
      dir,
    );
    expect(run.code).toBe(65);
    expect(run.stderr).toContain(wrong);
    expect(run.stderr).toContain(sha256(data));
    expect(existsSync(join(dir, "tiny.gguf.part"))).toBe(false);
  });

  it("exits 64 for something that is neither a catalog id, a URL nor an hf: URI", async () => {
    const run = await hearth("models", "pull", "no-such-model", "--dir", dir);
    expect(run.code).toBe(64);
    expect(run.stderr).toContain("hearth models list");
  });
});
