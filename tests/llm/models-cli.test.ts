import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findCatalogEntry } from "../../src/llm/catalog.js";
import { type CliRun, REPO_ROOT, runHearth } from "../helpers/hearth-cli.js";
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

/**
 * Runs `hearth models pull` with `--dir` on a fresh 8 MB tmpfs, in a mount namespace of its own
 * (unshare(1); a user namespace too when not root), so the small disk is real, fills up as the pull
 * writes to it, and disappears with the run however the test ends. Because it disappears, what the
 * pull left in the directory is listed inside the namespace and returned as `left`.
 */
function pullOntoSmallDisk(url: string, dir: string): Promise<CliRun & { left: string[] }> {
  const script =
    'mount -t tmpfs -o size=8m tmpfs "$1" || exit 90; shift; node bin/hearth.js "$@"; code=$?; ' +
    'ls -A "$DIR"; exit $code';
  const asRoot = process.getuid?.() === 0;
  const args = [
    ...(asRoot ? [] : ["--user", "--map-root-user"]),
    "--mount",
    "sh",
    "-c",
    script,
    "sh",
    dir,
    "models",
    "pull",
    url,
    "--dir",
    dir,
  ];
  const env: NodeJS.ProcessEnv = { ...process.env, HEARTH_LOG_LEVEL: "info", DIR: dir };
  delete env.HF_ENDPOINT;
  delete env.HF_TOKEN;
  return new Promise((resolve) => {
    execFile("unshare", args, { cwd: REPO_ROOT, env }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === "number" ? err.code : 1;
      resolve({ code, stdout: "", stderr, left: stdout.split("\n").filter(Boolean) });
    });
  });
}

describe("hearth models pull onto a disk that fills up", () => {
  let server: TestFileServer;
  let dir: string;

  beforeAll(async () => {
    // 16 MB onto 8 MB. The server does not answer HEAD (some do not), so the pull cannot refuse the
    // file before it starts: the disk fills while the chunks arrive, several writes in flight.
    const data = randomBytes(16 * 1024 * 1024);
    data.write("GGUF", 0, "latin1");
    server = await startFileServer({ files: { "/m/big.gguf": data }, headStatus: { "/m/big.gguf": 405 } });
    dir = await mkdtemp(join(tmpdir(), "hearth-models-full-"));
  });

  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("says so in one line with what it needs and what is free, installs nothing and exits 74", async () => {
    const run = await pullOntoSmallDisk(server.url("/m/big.gguf"), dir);
    expect(run.code, run.stderr).not.toBe(90);
    const lines = run.stderr.split("\n").filter((line) => line !== "" && !line.startsWith("{"));
    expect(lines).toEqual([
      `hearth models: the disk holding ${dir} filled up while downloading big.gguf: it needs 16.8 MB, ` +
        "8.4 MB are free; the partial download was deleted, nothing was installed; free some space and " +
        "run the pull again",
    ]);
    expect(run.stderr).not.toMatch(/ENOSPC|\n\s+at /);
    expect(run.code).toBe(74);
    expect(run.left).toEqual([]);
    // The server was really written to the disk until it filled: chunks were fetched.
    expect(server.requests.filter((r) => r.method === "GET").length).toBeGreaterThan(0);
  });
});
