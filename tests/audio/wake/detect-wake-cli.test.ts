import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/*
 * `hearth detect-wake` run as the built CLI (tests/global-setup.ts builds dist/), on WAV files
 * written by flite and converted by sox into the layouts recordings come in.
 */

const run = promisify(execFile);
const bin = fileURLToPath(new URL("../../../bin/hearth.js", import.meta.url));

interface Line {
  file: string;
  detections?: Array<{ word: string; seconds: number; score: number }>;
  error?: string;
}

async function hearth(...args: string[]): Promise<{ lines: Line[]; code: number; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args]);
    return { lines: parse(stdout), code: 0, stderr };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { lines: parse(e.stdout), code: e.code, stderr: e.stderr };
  }
}

const parse = (stdout: string): Line[] =>
  stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Line);

describe("hearth detect-wake", () => {
  let dir: string;
  const file = (name: string) => join(dir, name);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "hearth-detect-wake-"));
    // flite writes 8 kHz mono 16-bit; sox turns one copy into 44.1 kHz stereo float.
    await run("flite", ["-voice", "kal16", "-t", "hey jarvis", "-o", file("jarvis-8k.wav")]);
    await run("sox", [
      file("jarvis-8k.wav"),
      "-r",
      "44100",
      "-c",
      "2",
      "-e",
      "floating-point",
      "-b",
      "32",
      file("jarvis-44k-stereo-float.wav"),
    ]);
    await run("flite", ["-voice", "awb", "-t", "alexa", "-o", file("alexa.wav")]);
    await run("flite", [
      "-voice",
      "slt",
      "-t",
      "please turn off the lights in the hallway",
      "-o",
      file("other.wav"),
    ]);
    await writeFile(file("not-audio.wav"), "this is not a WAV file");
    await writeFile(
      file("hearth.yaml"),
      [
        "wake:",
        "  words:",
        "    - name: jarvis",
        "      model: hey_jarvis",
        "    - name: alexa",
        "      threshold: 0.6",
        "",
      ].join("\n"),
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("prints one JSON line per file with the words found and when", async () => {
    const { lines, code } = await hearth(
      "detect-wake",
      "--config",
      file("hearth.yaml"),
      file("jarvis-8k.wav"),
      file("jarvis-44k-stereo-float.wav"),
      file("alexa.wav"),
      file("other.wav"),
    );
    expect(code).toBe(0);
    expect(lines.map((line) => line.file)).toEqual([
      file("jarvis-8k.wav"),
      file("jarvis-44k-stereo-float.wav"),
      file("alexa.wav"),
      file("other.wav"),
    ]);
    expect(lines.map((line) => line.detections?.map((d) => d.word))).toEqual([
      ["jarvis"],
      ["jarvis"],
      ["alexa"],
      [],
    ]);
    for (const line of lines.slice(0, 3)) {
      const [hit] = line.detections ?? [];
      // Times are relative to the file's start, not to the silence Hearth puts before it.
      expect(hit?.seconds).toBeGreaterThanOrEqual(0);
      expect(hit?.seconds).toBeLessThan(2);
      expect(hit?.score).toBeGreaterThanOrEqual(0.5);
    }
  });

  it("listens only for the words chosen with --word, configured or bundled", async () => {
    const { lines } = await hearth(
      "detect-wake",
      "--config",
      file("hearth.yaml"),
      "--word",
      "alexa",
      file("jarvis-8k.wav"),
      file("alexa.wav"),
    );
    expect(lines.map((line) => line.detections?.map((d) => d.word))).toEqual([[], ["alexa"]]);

    const bundled = await hearth(
      "detect-wake",
      "--config",
      file("hearth.yaml"),
      "-w",
      "hey_jarvis",
      file("jarvis-8k.wav"),
    );
    expect(bundled.lines[0]?.detections?.map((d) => d.word)).toEqual(["hey_jarvis"]);
  });

  it("refuses an unknown word with a usage error", async () => {
    const { code, stderr } = await hearth(
      "detect-wake",
      "--config",
      file("hearth.yaml"),
      "-w",
      "computer",
      file("alexa.wav"),
    );
    expect(code).toBe(64);
    expect(stderr).toContain('unknown wake word "computer"');
  });

  it("reports unreadable files in their own line and goes on with the rest", async () => {
    const { lines, code } = await hearth(
      "detect-wake",
      "--config",
      file("hearth.yaml"),
      file("not-audio.wav"),
      file("alexa.wav"),
    );
    expect(code).toBe(65);
    expect(lines[0]?.error).toMatch(/not a WAV file/);
    expect(lines[1]?.detections?.map((d) => d.word)).toEqual(["alexa"]);
  });

  it("exits with the config error code when the config is invalid", async () => {
    await writeFile(file("bad.yaml"), "wake:\n  engine: clap-twice\n");
    const { code } = await hearth("detect-wake", "--config", file("bad.yaml"), file("alexa.wav"));
    expect(code).toBe(78);
  });
});
