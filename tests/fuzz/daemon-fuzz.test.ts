import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectAsync, type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UNHURRIED_YAML } from "../helpers/unhurried.js";
import {
  esphomeLight,
  type Fixture,
  tasmotaRelay,
  z2mBulb,
  z2mCover,
  z2mPlug,
  z2mRgbStrip,
} from "../mqtt/fixtures/discovery.js";
import { relocate, unique } from "../mqtt/harness.js";
import { type FastMosquitto, startFastMosquitto } from "./fast-mosquitto.js";
import { type FuzzInput, FuzzInputs, templateVocabulary } from "./fuzz-inputs.js";

/**
 * Fuzzing through the full daemon (issue 6): the real `hearth run` as a child process, a real
 * Mosquitto, devices learned from zigbee2mqtt/Tasmota/ESPHome discovery, and 10,000 random inputs
 * on the command topic. The daemon must stay up, answer every input exactly once on `event/run`,
 * command no device for garbage, and log each refused input at debug. Replay a failure with
 * HEARTH_FUZZ_SEED=<seed printed in the test names>.
 */

const SEED = Number(process.env.HEARTH_FUZZ_SEED ?? 61128);
const GARBAGE = 7000;
const SALAD = 3000;
/** Inputs in flight at once: below the daemon's 16 concurrent runs, so none is refused as "busy". */
const WINDOW = 8;

const bin = new URL("../../bin/hearth.js", import.meta.url).pathname;
const FIXTURES: Fixture[] = [z2mBulb, z2mRgbStrip, z2mPlug, z2mCover, tasmotaRelay, esphomeLight];
const NAMES = [
  "living room bulb",
  "kitchen strip",
  "coffee plug",
  "bedroom blind",
  "desk plug",
  "desk fan plug",
  "office lamp",
  "living room",
  "kitchen",
  "bedroom",
  "office",
];

type Json = Record<string, unknown>;

interface Daemon {
  child: ChildProcess;
  /** Every stdout line, parsed (pino JSON). */
  lines: Json[];
  stderr(): string;
  exited: Promise<number | null>;
}

let broker: FastMosquitto;
let dir: string;
let observer: MqttClient;
let daemon: Daemon;
const ns = unique("fuzz");
const site = "fuzz";
const base = `${ns}-hearth`;
const commandTopic = `${base}/${site}/command/text`;
const runTopic = `${base}/${site}/event/run`;

/** Results on event/run and device commands (anything under the devices' relocated topics), in order. */
const results: Json[] = [];
const deviceCommands: Array<{ topic: string; payload: string }> = [];
let wake: (() => void) | undefined;

function startDaemon(config: string): Daemon {
  const child = spawn(process.execPath, [bin, "run", "--config", config], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: Json[] = [];
  let stderr = "";
  let buffer = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl = buffer.indexOf("\n");
    while (nl >= 0) {
      const text = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      nl = buffer.indexOf("\n");
      try {
        lines.push(JSON.parse(text) as Json);
      } catch {
        // A line that is not JSON is itself a finding: keep it where the checks below will see it.
        lines.push({ level: 60, msg: "not a JSON log line", text });
      }
    }
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, lines, stderr: () => stderr, exited };
}

/**
 * Resolves on the next MQTT message, or after a second so a dead daemon is noticed; rejects when
 * the daemon has exited.
 */
async function nextMessage(): Promise<void> {
  if (daemon.child.exitCode !== null || daemon.child.signalCode !== null) {
    throw new Error(
      `the daemon exited (${daemon.child.exitCode ?? daemon.child.signalCode}):\n${daemon.stderr()}`,
    );
  }
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 1000);
    wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });
}

/** Sends a command and waits for the result carrying its transaction. */
async function roundTrip(body: Json): Promise<Json> {
  const from = results.length;
  observer.publish(commandTopic, JSON.stringify(body), { qos: 1 });
  for (;;) {
    const found = results.slice(from).find((r) => r.transaction === body.transaction);
    if (found) return found;
    await nextMessage();
  }
}

/**
 * Sends every input, at most WINDOW unanswered at a time, then a fence command, and returns the
 * results that arrived for the inputs (the fence's excluded). Throws if the daemon dies.
 */
async function pump(inputs: FuzzInput[], fence: string): Promise<Json[]> {
  const from = results.length;
  let sent = 0;
  // A missing answer shows as the test's timeout: no limit of its own on the daemon's silence,
  // which a busy machine could outlast. A dead daemon is noticed within a second (nextMessage).
  const wait = nextMessage;
  for (const input of inputs) {
    while (sent - (results.length - from) >= WINDOW) await wait();
    observer.publish(commandTopic, input.payload, { qos: 1 });
    sent++;
  }
  while (results.length - from < sent) await wait();
  // Anything still to come for these inputs would arrive before the fence's own answer.
  await roundTrip({ text: "what time is it", transaction: fence });
  return results.slice(from).filter((r) => r.transaction !== fence);
}

function isError(r: Json): boolean {
  return typeof r.error === "string" && Object.keys(r).every((k) => k === "error" || k === "transaction");
}

function isRun(r: Json): boolean {
  return (
    typeof r.runId === "string" &&
    typeof r.text === "string" &&
    typeof r.reply === "string" &&
    Array.isArray(r.actions) &&
    r.error === undefined
  );
}

/** Checks one batch: exactly one well-formed answer per input, of the expected kind where known. */
function checkAnswers(inputs: FuzzInput[], answers: Json[]): void {
  expect(answers.length, "one answer per input, no more").toBe(inputs.length);
  const malformed = answers.filter((r) => !isError(r) && !isRun(r));
  expect(malformed.slice(0, 3), "every answer is an error or a run result").toEqual([]);
  expect(answers.filter((r) => String(r.error).startsWith("busy"))).toEqual([]);

  const byTransaction = new Map<string, Json[]>();
  for (const r of answers) {
    if (typeof r.transaction !== "string") continue;
    byTransaction.set(r.transaction, [...(byTransaction.get(r.transaction) ?? []), r]);
  }
  const wrong: string[] = [];
  for (const input of inputs) {
    if (input.transaction === undefined) continue;
    const got = byTransaction.get(input.transaction) ?? [];
    if (got.length !== 1) wrong.push(`${input.kind} ${input.transaction}: ${got.length} answers`);
    const answer = got[0];
    if (answer && input.expect === "error" && !isError(answer)) wrong.push(`${input.kind}: not refused`);
    if (answer && input.expect === "run" && !isRun(answer))
      wrong.push(`${input.kind}: ${String(answer.error)}`);
  }
  expect(wrong.slice(0, 10), "each transaction answered exactly once, as expected").toEqual([]);

  // Inputs without a readable transaction are counted: the refused ones must all have been refused.
  const untracked = inputs.filter((i) => i.transaction === undefined);
  const untrackedAnswers = answers.filter((r) => typeof r.transaction !== "string");
  expect(untrackedAnswers.length).toBe(untracked.length);
  expect(untrackedAnswers.filter(isError).length).toBeGreaterThanOrEqual(
    untracked.filter((i) => i.expect === "error").length,
  );
  expect(untrackedAnswers.filter(isRun).length).toBeGreaterThanOrEqual(
    untracked.filter((i) => i.expect === "run").length,
  );
}

beforeAll(async () => {
  broker = await startFastMosquitto();
  dir = await mkdtemp(join(tmpdir(), "hearth-fuzz-"));
  observer = await connectAsync(broker.url, { clientId: unique("fuzz-observer") });
  // Small packets must not wait on Nagle's algorithm (see fast-mosquitto.ts).
  (observer.stream as { setNoDelay?: (noDelay: boolean) => unknown }).setNoDelay?.(true);
  observer.on("message", (topic, payload) => {
    if (topic === runTopic) results.push(JSON.parse(payload.toString()) as Json);
    else deviceCommands.push({ topic, payload: payload.toString() });
    wake?.();
  });
  await observer.subscribeAsync([runTopic, `${ns}/#`], { qos: 1 });
  for (const fixture of FIXTURES) {
    const [topic, payload] = relocate(fixture, `${ns}-ha`, ns);
    await observer.publishAsync(topic, payload, { retain: true, qos: 1 });
  }
  const config = join(dir, "hearth.yaml");
  await writeFile(
    config,
    `site: { id: ${site}, area: Living Room }
areas: [{ name: Living Room }, { name: Kitchen }, { name: Bedroom }, { name: Office }]
mqtt: { url: "${broker.url}", base_topic: ${base}, discovery_prefix: ${ns}-ha, command_grace_ms: 2000, startup_timeout_ms: 600000 }
logging: { level: debug }
# MQTT text commands only: no microphone to open, no models to load.
audio: { source: none }
${UNHURRIED_YAML}`,
  );
  daemon = startDaemon(config);
  while (!daemon.lines.some((l) => l.msg === "hearth ready")) await nextMessage();
});

afterAll(async () => {
  if (daemon && daemon.child.exitCode === null) daemon.child.kill("SIGKILL");
  await observer?.endAsync();
  await broker?.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe(`the daemon under fuzzing (seed ${SEED})`, () => {
  const inputs = new FuzzInputs(SEED, templateVocabulary());
  const refusedAnswers: string[] = [];

  it("switches a discovered bulb on a real command, so device commands are seen when they happen", async () => {
    // Discovery is learned just after start-up: ask until the bulb is known.
    let result: Json = {};
    for (let i = 0; i < 50; i++) {
      result = await roundTrip({ text: "turn on the living room bulb", transaction: `probe-${i}` });
      if (Array.isArray(result.actions) && result.actions.length > 0) break;
    }
    expect(result.actions).toEqual([expect.objectContaining({ ok: true })]);
    expect(deviceCommands.map((c) => c.topic)).toContain(`${ns}/zigbee2mqtt/Living room bulb/set`);
  });

  it(`answers ${GARBAGE} garbage inputs exactly once each and commands no device`, async () => {
    const batch = Array.from({ length: GARBAGE }, () => inputs.garbage());
    const devicesBefore = deviceCommands.length;
    const answers = await pump(batch, "fence-garbage");
    for (const r of answers) if (isError(r)) refusedAnswers.push(String(r.error));
    checkAnswers(batch, answers);
    expect(deviceCommands.slice(devicesBefore)).toEqual([]);
    // Every kind of garbage was tried.
    expect(new Set(batch.map((i) => i.kind.split("/")[0])).size).toBeGreaterThanOrEqual(14);

    // And it still acts on a real command afterwards.
    const after = await roundTrip({ text: "turn off the living room bulb", transaction: "after-garbage" });
    expect(after.actions).toEqual([expect.objectContaining({ ok: true })]);
  });

  it(`runs ${SALAD} random sentences of template words and device names, one result each`, async () => {
    const batch = Array.from({ length: SALAD }, () => inputs.salad(NAMES));
    const answers = await pump(batch, "fence-salad");
    for (const r of answers) if (isError(r)) refusedAnswers.push(String(r.error));
    checkAnswers(batch, answers);
    // Each device command that went out belongs to an answer that reports it.
    const reported = answers.reduce((n, r) => n + (Array.isArray(r.actions) ? r.actions.length : 0), 0);
    expect(reported).toBeGreaterThan(0);
  });

  it("logged each reason for refusing an input once, at info and rate-limited, and nothing at error level", () => {
    const refusedLines = daemon.lines.filter((l) => l.msg === "inbound message refused");
    expect(refusedAnswers.length).toBeGreaterThan(GARBAGE / 4);
    expect(refusedLines.length).toBeGreaterThan(0);
    // At most ten a minute, each topic and reason once: a flood of garbage cannot flood the log.
    const times = refusedLines.map((l) => new Date(l.time as string | number).getTime());
    const minutes = Math.ceil((Math.max(...times) - Math.min(...times)) / 60_000) + 1;
    expect(refusedLines.length).toBeLessThanOrEqual(10 * minutes);
    const reasons = refusedLines.map((l) => {
      expect(l.level).toBe(30);
      return String(l.reason);
    });
    expect(new Set(reasons).size).toBe(reasons.length);
    for (const reason of reasons) expect(refusedAnswers).toContain(reason);
    expect(daemon.lines.filter((l) => Number(l.level) >= 50)).toEqual([]);
    expect(daemon.lines.filter((l) => Number(l.level) >= 40)).toEqual([]);
  });

  it("is still running, and stops cleanly on SIGTERM without a word on stderr", async () => {
    expect(daemon.child.exitCode).toBeNull();
    daemon.child.kill("SIGTERM");
    expect(await daemon.exited).toBe(0);
    expect(daemon.stderr()).toBe("");
    expect(daemon.lines.at(-1)?.msg).toBe("hearth stopped");
  });
});
