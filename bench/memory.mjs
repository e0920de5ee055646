// Memory benchmark: the idle RSS of the real daemon (`node bin/hearth.js run`, no LLM) on the example
// home (config/hearth.example.yaml, 20 devices, embedded broker), and what each part costs. Each
// configuration runs in a process of its own; the speech stages listen to silence fed on stdin at
// real time (what an idle daemon hears), so wake word and VAD run as they do live. RSS is read from
// /proc/<pid>/status after start-up and BENCH_MEMORY_SETTLE_MS (default 75000, past the idle daemon's
// first periodic heap trim a minute after start-up, src/core/heap.ts) of idling: the median
// of the last samples, with its anonymous (heap, native allocations) and file-backed (shared
// libraries, mapped models) parts, and at the end its PSS and private memory (smaps_rollup). The
// daemon is started with the V8 flags and malloc settings of package.json's start script
// (bench/lib/daemon-start.mjs), as `npm start` and the service start it.
//
// Run: npm run bench -- memory (or node bench/memory.mjs after a build; BENCH_MEMORY_STEPS=4 for the
// whole configuration without the denoiser; step 5 is the default configuration, audio.denoise auto,
// in the bench's silence, and step 6 the same hearing a loud room, where RNNoise is loaded; both need
// @jitsi/rnnoise-wasm). Target, for the default configuration in a quiet room (step 5, else the last
// step measured):
// ≤ 150 MB with wake word, VAD and speech-to-text loaded.

import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { daemonStart } from "./lib/daemon-start.mjs";

const TARGET_MB = 150;
/**
 * The daemon as `npm start` starts it: its V8 flags and environment, read from package.json's start
 * script (systemd/hearth.service is held to the same by tests/systemd/hearth-service.test.ts).
 */
const START = daemonStart();
const NODE_FLAGS = START.nodeFlags.join(" ");
/** glibc's malloc arenas, as the start script and the service set them (BENCH_MEMORY_ARENAS to change). */
const MALLOC_ARENA_MAX = process.env.BENCH_MEMORY_ARENAS ?? START.env.MALLOC_ARENA_MAX ?? "";
const SETTLE_MS = Number(process.env.BENCH_MEMORY_SETTLE_MS ?? 75_000);
const root = fileURLToPath(new URL("..", import.meta.url));
/**
 * What is started: bin/hearth.js (the bundle, dist/bundle/hearth.js), or another entry relative to the
 * checkout with BENCH_MEMORY_BIN (dist/cli/main.js: the same CLI unbundled).
 */
const bin = join(root, process.env.BENCH_MEMORY_BIN ?? join("bin", "hearth.js"));

/** Each step adds one part to the one before, so the differences are what each part costs. */
const STEPS = [
  {
    name: "text and MQTT only",
    adds: "Node, the config, the text path (templates, 20 devices), MQTT client and embedded broker",
    yaml: "audio: { source: none, sink: 'null' }",
  },
  {
    name: "+ speech-to-text (pocketsphinx)",
    adds: "koffi, libpocketsphinx, the acoustic model, the grammar of this home",
    yaml: "audio: { source: stdin, sink: 'null', denoise: 'off' }\nwake: { engine: none }\nvad: { engine: energy }",
  },
  {
    name: "+ Silero VAD",
    adds: "ONNX Runtime and the Silero model",
    yaml: "audio: { source: stdin, sink: 'null', denoise: 'off' }\nwake: { engine: none }\nvad: { engine: silero }",
  },
  {
    name: "+ wake word (openWakeWord, hey_jarvis)",
    adds: "the melspectrogram, embedding and keyword models",
    yaml: "audio: { source: stdin, sink: 'null', denoise: 'off' }",
  },
  {
    name: "+ audio.denoise: auto (the default), a quiet room",
    adds: "nothing while the room is quiet: RNNoise is loaded once the background nears audio.denoise_above_dbfs",
    yaml: "audio: { source: stdin, sink: 'null' }",
    needs: "@jitsi/rnnoise-wasm",
    target: true,
  },
  {
    name: "+ a loud room (noise at -40 dBFS instead of silence)",
    adds: "@jitsi/rnnoise-wasm's WebAssembly module (its 16 MB linear memory) and one stream's state, run on every chunk",
    yaml: "audio: { source: stdin, sink: 'null' }",
    needs: "@jitsi/rnnoise-wasm",
    noiseDbfs: -40,
  },
];

/**
 * 32 ms chunks of what the daemon hears: digital silence, or white noise at `dbfs` RMS (seeded, one
 * second of it repeated) for a loud room.
 */
function roomChunks(dbfs) {
  if (dbfs === undefined) return [Buffer.alloc(1024)];
  let seed = 7;
  const samples = new Float64Array(16_384).map(() => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 1_073_741_824 - 1;
  });
  const rms = Math.sqrt(samples.reduce((sum, s) => sum + s * s, 0) / samples.length);
  const gain = (32_768 * 10 ** (dbfs / 20)) / rms;
  const pcm = Buffer.alloc(samples.length * 2);
  for (const [i, s] of samples.entries()) {
    pcm.writeInt16LE(Math.max(-32_768, Math.min(32_767, Math.round(s * gain))), i * 2);
  }
  return Array.from({ length: pcm.length / 1024 }, (_, i) => pcm.subarray(i * 1024, (i + 1) * 1024));
}

/** RSS figures of a process, in MB. */
async function rss(pid) {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
  return { rss: kb("VmRSS") / 1024, anon: kb("RssAnon") / 1024, file: kb("RssFile") / 1024 };
}

/**
 * The process's proportional and private resident memory, in MB, from /proc/<pid>/smaps_rollup:
 * PSS divides each shared page (the node binary, ONNX Runtime's library, the acoustic model) among
 * the processes that map it; private is what this process alone holds, what it would free on exit.
 */
async function rollup(pid) {
  const text = await readFile(`/proc/${pid}/smaps_rollup`, "utf8");
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? Number.NaN);
  return { pss: kb("Pss") / 1024, private: (kb("Private_Clean") + kb("Private_Dirty")) / 1024 };
}

/**
 * Resident memory by mapping, in MB, from /proc/<pid>/smaps: malloc's main heap, the node binary,
 * ONNX Runtime's and pocketsphinx's libraries, other shared libraries, mapped model files, and the
 * rest of the anonymous memory (V8's heap, thread stacks, malloc's other arenas, large mappings).
 */
async function byMapping(pid) {
  const smaps = await readFile(`/proc/${pid}/smaps`, "utf8");
  const parts = {};
  let name = "";
  for (const line of smaps.split("\n")) {
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (header) {
      name = classify(header[1] ?? "");
      continue;
    }
    const rssKb = /^Rss:\s+(\d+) kB/.exec(line);
    if (rssKb) parts[name] = (parts[name] ?? 0) + Number(rssKb[1]) / 1024;
  }
  return Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, +v.toFixed(1)]));
}

function classify(path) {
  if (path === "[heap]") return "mallocHeap";
  if (path === "") return "otherAnon";
  if (path.startsWith("[")) return "otherAnon";
  if (/\/node$/.test(path)) return "nodeBinary";
  if (/libonnxruntime/.test(path) || /onnxruntime_binding/.test(path)) return "onnxruntime";
  if (/pocketsphinx/.test(path)) return "pocketsphinxLib";
  if (/\.so(\.|$)/.test(path) || /\.node$/.test(path)) return "otherLibs";
  return "mappedFiles";
}

/** The process's CPU time so far (user + system), in seconds. */
async function cpuSeconds(pid) {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function measure(dir, step, index) {
  const example = readFileSync(join(root, "config", "hearth.example.yaml"), "utf8");
  // The example home, with the step's audio settings and an embedded broker on a free port.
  const config = join(dir, `step-${index}.yaml`);
  await writeFile(config, `${example}\nmqtt: { embedded_port: 0 }\n${step.yaml}\n`);
  // With the V8 flags `npm start` and the service use (BENCH_MEMORY_NODE_FLAGS="" to see without).
  const flags = (process.env.BENCH_MEMORY_NODE_FLAGS ?? NODE_FLAGS).split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...flags, bin, "run", "--config", config], {
    env: { ...process.env, ...START.env, MALLOC_ARENA_MAX, HEARTH_LOG_FORMAT: "json", NOTIFY_SOCKET: "" },
    stdio: ["pipe", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (d) => {
    out += d;
  });
  // Silence (or a loud room's noise) at real time: 32 ms of 16 kHz 16-bit mono every 32 ms.
  const chunks = roomChunks(step.noiseDbfs);
  let next = 0;
  const feeder = setInterval(() => child.stdin.write(chunks[next++ % chunks.length]), 32);
  child.stdin.on("error", () => {});
  try {
    const t0 = performance.now();
    while (!out.includes('"msg":"hearth ready"')) {
      if (child.exitCode !== null) throw new Error(`hearth exited: ${out.slice(-2000)}`);
      if (performance.now() - t0 > 600_000) throw new Error("hearth was not ready within 10 minutes");
      await sleep(100);
    }
    // Start-up to "hearth ready": the grammar build and the models' loading (V8 flags move it).
    const readyMs = performance.now() - t0;
    const startCpu = await cpuSeconds(child.pid);
    const samples = [];
    const cpu0 = await cpuSeconds(child.pid);
    const wall0 = performance.now();
    const until = performance.now() + SETTLE_MS;
    while (performance.now() < until) {
      await sleep(1000);
      samples.push(await rss(child.pid));
    }
    const last = samples.slice(-5);
    // CPU per second of audio heard while idling (silence at real time): what wake word, VAD and
    // the loop cost when nothing is said.
    const cpuPerAudioSecond = ((await cpuSeconds(child.pid)) - cpu0) / ((performance.now() - wall0) / 1000);
    return {
      readyMs,
      startCpu,
      mappings: await byMapping(child.pid),
      ...(await rollup(child.pid)),
      cpuPerAudioSecond,
      rss: median(last.map((s) => s.rss)),
      anon: median(last.map((s) => s.anon)),
      file: median(last.map((s) => s.file)),
    };
  } finally {
    clearInterval(feeder);
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("close", resolve));
  }
}

/** Whether an npm package a step needs can be loaded. */
function installed(name) {
  try {
    createRequire(import.meta.url).resolve(`${name}/package.json`);
    return true;
  } catch {
    return false;
  }
}

const dir = await mkdtemp(join(tmpdir(), "hearth-bench-memory-"));
try {
  let previous;
  const rows = [];
  // BENCH_MEMORY_STEPS=4 (1-based, comma-separated) measures only those steps, e.g. the whole
  // configuration alone on a busy machine; a step's cost is then against the step measured before it.
  const only = (process.env.BENCH_MEMORY_STEPS ?? "").split(",").filter(Boolean).map(Number);
  for (const [index, step] of STEPS.entries()) {
    if (only.length > 0 && !only.includes(index + 1)) continue;
    if (step.needs && !installed(step.needs)) {
      console.log(
        JSON.stringify({ bench: "memory", step: step.name, skipped: `${step.needs} is not installed` }),
      );
      continue;
    }
    const m = await measure(dir, step, index);
    const cost = previous === undefined ? m.rss : m.rss - previous.rss;
    rows.push({ step: step.name, target: step.target, ...m, cost });
    console.log(
      JSON.stringify({
        bench: "memory",
        step: step.name,
        adds: step.adds,
        idleRssMB: +m.rss.toFixed(1),
        anonMB: +m.anon.toFixed(1),
        fileMB: +m.file.toFixed(1),
        pssMB: +m.pss.toFixed(1),
        privateMB: +m.private.toFixed(1),
        costMB: +cost.toFixed(1),
        idleCpuPerAudioSecond: +m.cpuPerAudioSecond.toFixed(4),
        readySeconds: +(m.readyMs / 1000).toFixed(1),
        startCpuSeconds: +m.startCpu.toFixed(1),
        residentMB: m.mappings,
      }),
    );
    previous = m;
  }
  // The target is the default configuration's in a quiet room (audio.denoise auto, nothing loud
  // enough to load RNNoise): step 5, or the last step measured.
  const full = rows.find((row) => row.target) ?? rows.at(-1);
  console.log(
    JSON.stringify({
      bench: "memory",
      summary: `idle RSS, no LLM: ${full.step}`,
      idleRssMB: +full.rss.toFixed(1),
      targetMB: TARGET_MB,
      ratioToTarget: +(full.rss / TARGET_MB).toFixed(2),
      settleMs: SETTLE_MS,
      mallocArenaMax: MALLOC_ARENA_MAX,
      loadavg: loadavg().map((l) => +l.toFixed(2)),
    }),
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
