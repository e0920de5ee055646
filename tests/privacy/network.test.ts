import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { connectAsync, type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HaStandin } from "../helpers/ha-standin.js";
import { makeTinyGguf } from "../helpers/make-gguf.js";
import { makeWhisperModel } from "../helpers/make-whisper-model.js";
import { type Mosquitto, startMosquitto } from "../helpers/mosquitto.js";
import { ensureSpeechCorpus } from "../helpers/speech-corpus.js";
import { UNHURRIED_YAML } from "../helpers/unhurried.js";
import { smallHome } from "../homeassistant/small-home.js";
import { z2mBulb } from "../mqtt/fixtures/discovery.js";
import { Inbox, relocate } from "../mqtt/harness.js";

/**
 * Privacy, tested: the daemon runs under strace, which records every connect() and sendto() of
 * every thread and child and every file they create, through every stage (wake word, VAD,
 * pocketsphinx, intents, the LLM on a generated model, text-to-speech, MQTT devices, Hermes and
 * Home Assistant's WebSocket API),
 * then idles for a minute (ONNX Runtime's telemetry first phoned home about ten seconds after start,
 * then 3, 6 and 18 s later). whisper.cpp on a generated model runs beside it, traced the same way.
 * The only network peers allowed are the configured broker and Home Assistant: no DNS lookup, no telemetry, no model
 * hub. $HOME is fresh and must stay empty; files may be created only in Hearth's own directories
 * (TMPDIR and the config's folder). The systemd unit enforces the network part with
 * IPAddressDeny too, but a DNS query through the local resolver passes that, so this is the proof.
 */

const bin = new URL("../../bin/hearth.js", import.meta.url).pathname;
/** How long the daemon idles after the last stage ran. */
const IDLE_MS = 60_000;
/** System calls recorded: every network peer, and every way of creating a file. */
const TRACED =
  "connect,sendto,sendmsg,open,openat,creat,mkdir,mkdirat,rename,renameat,renameat2,link,linkat,symlink,symlinkat";

let broker: Mosquitto;
let ha: HaStandin;
let dir: string;
let client: MqttClient;

beforeAll(async () => {
  broker = await startMosquitto();
  ha = await HaStandin.start({ home: smallHome() });
  dir = await mkdtemp(join(tmpdir(), "hearth-privacy-"));
  client = await connectAsync(broker.url, { clientId: "privacy-observer" });
});

/** Every traced Hearth started, so none outlives the test, even one that timed out. */
const started: ChildProcess[] = [];

afterAll(async () => {
  for (const child of started)
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await client?.endAsync();
  await broker?.dispose();
  await ha?.stop();
  await rm(dir, { recursive: true, force: true });
});

interface Peer {
  family: string;
  address: string;
  port?: number;
}

/** Every socket peer in an strace log of connect/sendto/sendmsg calls. */
function peers(trace: string): Peer[] {
  const out: Peer[] = [];
  for (const m of trace.matchAll(
    /sa_family=(AF_\w+)(?:, sin6?_port=htons\((\d+)\))?(?:, (?:sin_addr=inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6, "([^"]+)"|sun_path=([^}]+)))?/g,
  )) {
    out.push({
      family: m[1] as string,
      port: m[2] ? Number(m[2]) : undefined,
      address: (m[3] ?? m[4] ?? m[5] ?? "").trim(),
    } as Peer);
  }
  return out;
}

/**
 * Every path a traced process created or opened for writing, made absolute against `cwd`: opens
 * with O_CREAT, O_WRONLY or O_RDWR, new directories, links and rename targets. Calls that failed
 * count too: trying is what matters.
 */
function writtenPaths(trace: string, cwd: string): string[] {
  const paths: string[] = [];
  const add = (path: string | undefined) => {
    if (path !== undefined) paths.push(isAbsolute(path) ? path : resolve(cwd, path));
  };
  for (const line of trace.split("\n")) {
    const open = /\b(?:open|openat|creat)\((?:AT_FDCWD, |\d+<?[^,]*, )?"([^"]+)"(?:, ([A-Z_|]+))?/.exec(line);
    if (open && (line.includes("creat(") || /O_CREAT|O_WRONLY|O_RDWR/.test(open[2] ?? ""))) add(open[1]);
    const made = /\bmkdir(?:at)?\((?:AT_FDCWD, )?"([^"]+)"/.exec(line);
    if (made) add(made[1]);
    // link(old, new), symlink(target, new), rename(old, new): the second path is the one created.
    const linked =
      /\b(?:link|linkat|symlink|symlinkat|rename|renameat2?)\((?:AT_FDCWD, )?"[^"]*", (?:AT_FDCWD, |\d+, )?"([^"]+)"/.exec(
        line,
      );
    if (linked) add(linked[1]);
  }
  return paths;
}

/** Whether `path` is `folder` or inside it. */
function within(path: string, folder: string): boolean {
  return path === folder || path.startsWith(`${folder}/`);
}

/** Every file and folder under `root`, relative to it. */
async function contents(root: string): Promise<string[]> {
  return (await readdir(root, { recursive: true })).map(String);
}

/** A child under strace, its output collected. */
interface Traced {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function traced(traceFile: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Traced {
  const child = spawn(
    "strace",
    // -D: strace runs as a grandchild, so the child's pid is Hearth's own and a stop signal reaches
    // Hearth alone (strace would pass its own SIGTERM on again, ending Hearth before it cleaned up).
    ["-D", "-f", "-qq", "-e", `trace=${TRACED}`, "-o", traceFile, process.execPath, bin, ...args],
    { env, cwd },
  );
  started.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d) => {
    stdout += d;
  });
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((done) => child.on("close", (code) => done(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

async function waitFor(what: string, proc: Traced, check: () => boolean): Promise<void> {
  while (!check()) {
    if (proc.child.exitCode !== null)
      throw new Error(`hearth exited before ${what}: ${proc.stderr()}${proc.stdout().slice(-2000)}`);
    await sleep(50);
  }
}

describe("privacy", () => {
  it("talks to nothing but the broker and Home Assistant, and writes nothing outside its own folders, through every stage and a minute of idle", async () => {
    const ns = "privacy";
    // The devices' own topics, outside Hearth's (a device may not be commanded on Hearth's topics).
    const devices = "privacy-devices";
    const home = join(dir, "home");
    const temp = join(dir, "tmp");
    const cwd = join(dir, "cwd");
    const conf = join(dir, "config");
    for (const d of [home, temp, cwd, conf]) await mkdir(d);
    const llmModel = join(conf, "tiny.gguf");
    const whisperModel = join(conf, "ggml-tiny.bin");
    await makeTinyGguf(llmModel, { seed: 7 });
    await makeWhisperModel(whisperModel);
    await writeFile(join(conf, "ha-token"), `${ha.token}\n`, { mode: 0o600 });
    const config = join(conf, "hearth.yaml");
    await writeFile(
      config,
      `site: { id: ${ns}, area: Living Room }
homeassistant: { url: "${ha.baseUrl}", token_file: "${join(conf, "ha-token")}", startup_timeout_ms: 600000, response_timeout_ms: 120000 }
mqtt: { url: "${broker.url}", base_topic: ${ns}, discovery_prefix: ${ns}-ha, startup_timeout_ms: 600000 }
audio: { sink: "file:reply-{n}.wav" }
llm: { mode: fallback, model: tiny.gguf, threads: 1, timeout_ms: 3000 }
logging: { level: info }
${UNHURRIED_YAML}`,
    );
    const whisperConfig = join(conf, "whisper.yaml");
    await writeFile(
      whisperConfig,
      `site: { id: ${ns}-whisper }
stt: { engine: whisper, whisper: { model: ggml-tiny.bin, threads: 1 } }
${UNHURRIED_YAML}`,
    );
    const [topic, payload] = relocate(z2mBulb, `${ns}-ha`, devices);
    await client.publishAsync(topic, payload, { retain: true, qos: 1 });
    const inbox = new Inbox(client);
    await client.subscribeAsync([
      `${ns}/${ns}/status`,
      `${ns}/${ns}/event/run`,
      `${devices}/zigbee2mqtt/#`,
      "hermes/#",
    ]);

    // A fresh home, Hearth's own temporary folder, and telemetry asked for: the code must say no.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HOME: home,
      TMPDIR: temp,
      NOTIFY_SOCKET: "",
      ORT_DISABLE_TELEMETRY: "0",
      DO_NOT_TRACK: undefined,
      XDG_CACHE_HOME: undefined,
      XDG_CONFIG_HOME: undefined,
      XDG_DATA_HOME: undefined,
      XDG_STATE_HOME: undefined,
      XDG_RUNTIME_DIR: undefined,
    };

    // A spoken command: "hey jarvis …" from the generated speech corpus, heard through the daemon's
    // whole speech path (wake word, VAD, pocketsphinx, intents, text-to-speech).
    const spoken = (await ensureSpeechCorpus("ci")).find((e) => e.wake && e.noise === null);
    if (!spoken) throw new Error("the speech corpus has no wake-word recording");
    const daemonTrace = join(dir, "daemon.trace");
    const daemon = traced(daemonTrace, ["run", "--config", config, "--input", spoken.path], env, cwd);
    try {
      // Commands are taken once the daemon says it is ready (its subscriptions are then in place).
      await waitFor("it was ready", daemon, () => daemon.stdout().includes("hearth ready"));
      expect(daemon.stdout()).toMatch(/"llm":true/);
      await waitFor("it heard the recording", daemon, () =>
        daemon.stdout().includes("the recording has been heard"),
      );
      // The spoken command ran a whole run (its one info line names the intent, never the words)
      // and its reply was spoken (into the file sink, next to the config).
      expect(daemon.stdout()).toMatch(/"word":"hey_jarvis"/);
      await inbox.next((m) => m.topic === "hermes/dialogueManager/sessionEnded");
      expect((await readdir(conf)).filter((f) => /^reply-\d+\.wav$/.test(f)).length).toBeGreaterThan(0);
      // A device command, through the templates and MQTT.
      await client.publishAsync(`${ns}/${ns}/command/text`, "please turn on the living room bulb");
      await inbox.next((m) => m.topic === `${devices}/zigbee2mqtt/Living room bulb/set`);
      // One through Home Assistant's WebSocket API.
      await client.publishAsync(`${ns}/${ns}/command/text`, "turn on the reading lamp");
      await inbox.next((m) => m.topic === `${ns}/${ns}/event/run` && m.payload.includes("reading lamp"));
      expect(ha.calls).toEqual([
        expect.objectContaining({
          domain: "light",
          service: "turn_on",
          target: { entity_id: ["light.reading_lamp"] },
        }),
      ]);
      // A sentence no template fits goes to the LLM (random weights: whatever it answers).
      await client.publishAsync(
        `${ns}/${ns}/command/text`,
        JSON.stringify({ text: "could you possibly do the thing with the stuff", transaction: "llm-1" }),
      );
      await inbox.next((m) => m.topic === `${ns}/${ns}/event/run` && m.payload.includes('"llm-1"'));

      // whisper.cpp on a generated model, traced the same way.
      const whisperTrace = join(dir, "whisper.trace");
      const whisper = traced(whisperTrace, ["transcribe", "--config", whisperConfig, spoken.path], env, cwd);
      expect(await whisper.exited).toBe(0);
      expect(JSON.parse(whisper.stdout().trim().split("\n").at(-1) ?? "{}")).toMatchObject({
        file: spoken.path,
        text: expect.any(String),
      });

      // Idle: telemetry and update checks run on timers, long after start-up.
      await sleep(IDLE_MS);
      expect(daemon.child.exitCode).toBeNull();
      daemon.child.kill("SIGTERM");
      expect(await daemon.exited).toBe(0);

      for (const traceFile of [daemonTrace, whisperTrace]) {
        const trace = await readFile(traceFile, "utf8");
        const network = peers(trace).filter((p) => p.family === "AF_INET" || p.family === "AF_INET6");
        for (const p of network) {
          expect([`AF_INET 127.0.0.1:${broker.port}`, `AF_INET 127.0.0.1:${ha.port}`]).toContain(
            `${p.family} ${p.address}:${p.port}`,
          );
        }
        // No DNS: nothing sent to port 53, and no resolver socket opened.
        expect(trace).not.toMatch(/htons\(53\)/);
        expect(trace).not.toMatch(/nscd|systemd\/resolve/);
        // Files only in Hearth's own folders (and the null device).
        const outside = writtenPaths(trace, cwd).filter(
          (p) => !within(p, temp) && !within(p, conf) && p !== "/dev/null",
        );
        expect(outside).toEqual([]);
      }
      const daemonPeers = peers(await readFile(daemonTrace, "utf8"));
      expect(daemonPeers.some((p) => p.port === broker.port)).toBe(true);
      expect(daemonPeers.some((p) => p.port === ha.port)).toBe(true);
      expect(await contents(home)).toEqual([]);
      expect(await contents(cwd)).toEqual([]);
      // and it cleaned up its temporary files when it stopped.
      expect(await contents(temp)).toEqual([]);

      // Info-level logs never carry what was said, and neither does MQTT (mqtt.expose_transcript is off).
      const said = (spoken.command ?? spoken.text).toLowerCase();
      expect(daemon.stdout()).toContain("hearth ready");
      expect(daemon.stdout()).not.toMatch(/living room bulb/i);
      expect(daemon.stdout().toLowerCase()).not.toContain(said);
      const published = inbox.messages.filter((m) => !m.topic.startsWith(`${devices}/`));
      for (const m of published) expect(m.payload.toString().toLowerCase()).not.toContain(said);
    } finally {
      if (daemon.child.exitCode === null && daemon.child.signalCode === null) {
        daemon.child.kill("SIGKILL");
      }
    }
    // A hang's bound, no more: a minute of idle, plus start-up and every stage under strace, which
    // took about 170 s at load 25 and over 240 s beside a fuzz run at load 30.
  }, 600_000);
});
