import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DoctorCliOptions, doctor } from "../../src/cli/commands/doctor.js";
import { silentLogger } from "../../src/core/logger.js";
import { makeTinyGguf } from "../helpers/make-gguf.js";
import { makeWhisperModel } from "../helpers/make-whisper-model.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { type Mosquitto, startMosquitto } from "../helpers/mosquitto.js";

const bin = new URL("../../bin/hearth.js", import.meta.url).pathname;

function withoutMqttPassword(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.HEARTH_MQTT_PASSWORD;
  return env;
}

/**
 * Runs `hearth doctor` in-process on a clock nothing moves: the broker's limit (5 s) and the
 * programs' (10 s) never run out on a busy machine, so a check fails only for what it finds. The
 * limits themselves are tested on a clock the test moves (broker-check, homeassistant-check).
 */
async function doctorOn(opts: DoctorCliOptions): Promise<{ code: number; stdout: string }> {
  let stdout = "";
  const code = await doctor(opts, {
    clock: new ManualClock(),
    logger: silentLogger(),
    stdout: (text) => {
      stdout += text;
    },
    env: withoutMqttPassword(),
  });
  return { code, stdout };
}

/** Runs the built `hearth` CLI and collects its output and exit status. */
function hearth(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      // The tests' brokers get their credentials from the config alone.
      { env: withoutMqttPassword() },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

interface Report {
  ok: boolean;
  checks: Array<{ id: string; name: string; ok: boolean | "warn"; detail: string; fix?: string }>;
}

let dir: string;
let open: Mosquitto;
let locked: Mosquitto;
/** A config that needs no sound card, no systemd and no Debian speech package: only models and a broker. */
const config = (mqtt: string) => `
site: { id: doctor-cli-${process.pid} }
areas: [{ name: Kitchen }]
audio: { source: stdin, sink: "null" }
wake: { engine: none }
vad: { engine: energy }
stt: { engine: whisper, whisper: { model: ggml-test.bin } }
llm: { mode: fallback, model: tiny.gguf, context_size: 512 }
mqtt: ${mqtt}
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hearth-doctor-cli-"));
  [open, locked] = await Promise.all([startMosquitto(), startMosquitto({ users: { hearth: "right" } })]);
  await makeTinyGguf(join(dir, "tiny.gguf"), { merges: 0 });
  await makeWhisperModel(join(dir, "ggml-test.bin"));
  await writeFile(join(dir, "good.yaml"), config(`{ url: "${open.url}" }`));
  await writeFile(
    join(dir, "wrong-password.yaml"),
    config(`{ url: "${locked.url}", username: hearth, password: wrong }`),
  );
  await writeFile(join(dir, "invalid.yaml"), "site: { id: doctor, colour: blue }\n");
});
afterAll(async () => {
  await Promise.all([open?.dispose(), locked?.dispose()]);
  await rm(dir, { recursive: true, force: true });
});

describe("hearth doctor", () => {
  it("exits 0 and prints every check as JSON when all the config needs is there", async () => {
    const { code, stdout } = await doctorOn({ config: join(dir, "good.yaml"), json: true });
    const report = JSON.parse(stdout) as Report;
    expect(report.ok, stdout).toBe(true);
    expect(code).toBe(0);
    expect(report.checks.map((c) => c.id)).toEqual([
      "config",
      "broker",
      "homeassistant",
      "microphone",
      "speaker",
      "packages",
      "llm-model",
      "whisper-model",
      "memory",
      "wake-word",
      "vad",
      "privacy",
      "service",
    ]);
    for (const check of report.checks) {
      expect(Object.keys(check).sort()).toEqual(
        check.fix === undefined ? ["detail", "id", "name", "ok"] : ["detail", "fix", "id", "name", "ok"],
      );
      expect([true, false, "warn"]).toContain(check.ok);
      expect(check.detail.length).toBeGreaterThan(0);
      if (check.ok !== true) expect(check.fix?.length).toBeGreaterThan(0);
    }
    expect(report.checks.find((c) => c.id === "broker")?.detail).toContain(`127.0.0.1:${open.port}`);
  });

  it("prints ✔, ✘ or ⚠ and the fix for each check, and a summary, as text", async () => {
    const { code, stdout } = await doctorOn({ config: join(dir, "good.yaml") });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^✔ Configuration: .*good\.yaml: 1 area, 0 devices/m);
    expect(stdout).toMatch(/^✔ MQTT broker: connected to mqtt:\/\/127\.0\.0\.1:\d+\/? \(anonymous\)$/m);
    expect(stdout).toMatch(/^✔ Microphone: not needed \(audio\.source is stdin\)$/m);
    expect(stdout).toMatch(/^✔ LLM model: /m);
    expect(stdout).toMatch(/^[✔⚠] systemd service: /m);
    expect(stdout).toMatch(
      /^✔ What leaves the house: MQTT broker: 127\.0\.0\.1:\d+ \(this machine, not encrypted\)$/m,
    );
    expect(stdout).toMatch(/^ +what was heard stays on this machine/m);
    expect(stdout).not.toMatch(/^✘/m);
    expect(stdout.trimEnd().split("\n").at(-1)).toMatch(
      /^(all 13 checks passed|\d+ warnings? \(13 checks\))$/,
    );
  });

  it("exits 1 when the broker refuses the credentials, and still runs the other checks", async () => {
    const { code, stdout } = await hearth(["doctor", "--config", join(dir, "wrong-password.yaml"), "--json"]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as Report;
    expect(report.ok).toBe(false);
    const broker = report.checks.find((c) => c.id === "broker");
    expect(broker).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/refused the credentials of user "hearth"/),
    });
    expect(report.checks.find((c) => c.id === "llm-model")?.ok).toBe(true);
    expect(report.checks.filter((c) => c.ok === false)).toHaveLength(1);
  });

  it("exits 1 on an invalid config, naming the problem and running only what needs no config", async () => {
    const { code, stdout } = await hearth(["doctor", "--config", join(dir, "invalid.yaml")]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^✘ Configuration: /m);
    expect(stdout).toMatch(/colour/);
    expect(stdout).toMatch(/^ {4}fix: correct each problem/m);
    expect(stdout).not.toMatch(/MQTT broker/);
    expect(stdout).toMatch(/Debian packages/);
    expect(stdout).toMatch(/systemd service/);
    expect(stdout).toMatch(/^1 problem to fix/m);
  });

  it("exits 1 when the config file does not exist", async () => {
    const { code, stdout } = await hearth(["doctor", "--config", join(dir, "absent.yaml"), "--json"]);
    expect(code).toBe(1);
    expect((JSON.parse(stdout) as Report).checks[0]).toMatchObject({ id: "config", ok: false });
  });

  it("documents its options in --help", async () => {
    const { code, stdout } = await hearth(["doctor", "--help"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/--config <path>/);
    expect(stdout).toMatch(/--json/);
    expect(stdout.replace(/\s+/g, " ")).toMatch(/exits 1 when something needed is missing or broken/);
  });
});
