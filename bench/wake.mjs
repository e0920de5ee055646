// Wake-word benchmark on real human voices: detection rate on the 158 crowd-sourced "alexa" clips
// (Picovoice, Apache-2.0), split by file into a tuning half (even file numbers) and a check half (odd),
// and false accepts on every real recording without the word in ../shared/speech-dev: the 298 coffee
// orders, the 97 other-speech clips (40 short non-command utterances, 57 "computer") and the kitchen
// noise, reported with their minutes; clean and with kitchen noise mixed in; plus the wake word's CPU
// per second of audio. Thresholds are tuned on the tuning half and read off the check half. Needs the
// build (npm run build) and sox.
// Run: node bench/wake.mjs [--speech-dev DIR]
import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { OpenWakeWordDetector } from "../dist/audio/wake/openwakeword-detector.js";
import {
  BUILTIN_WAKE_WORDS,
  defaultWakeThreshold,
  resolveWakeModel,
} from "../dist/audio/wake/openwakeword-models.js";
import { silentLogger } from "../dist/core/logger.js";

const run = promisify(execFile);
const RATE = 16000;
const args = process.argv.slice(2);
if (args.includes("--help")) {
  console.log("usage: node bench/wake.mjs [--speech-dev DIR]  (default ../shared/speech-dev)");
  process.exit(0);
}
const devIndex = args.indexOf("--speech-dev");
const DEV = resolve(
  devIndex >= 0 ? args[devIndex + 1] : new URL("../../shared/speech-dev", import.meta.url).pathname,
);
if (!existsSync(join(DEV, "alexa"))) {
  console.log(`wake bench: skipped, no speech-dev set at ${DEV}`);
  process.exit(0);
}
const THRESHOLDS = [...new Set([0.2, 0.25, 0.3, 0.4, 0.5, 0.7, defaultWakeThreshold("alexa")])].sort(
  (a, b) => a - b,
);
const REFRACTORY_S = 2;

/** 16 kHz mono 16-bit samples of any file sox reads (the clips are FLAC). */
async function decode(file) {
  const { stdout } = await run(
    "sox",
    [file, "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", "-t", "raw", "-"],
    {
      encoding: "buffer",
      maxBuffer: 1 << 30,
    },
  );
  return new Int16Array(stdout.buffer, stdout.byteOffset, stdout.length >> 1).slice();
}

const clips = (dir, ext = ".flac") =>
  readdirSync(join(DEV, dir))
    .filter((f) => f.endsWith(ext))
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }))
    .map((f) => join(DEV, dir, f));

function rms(pcm) {
  let sum = 0;
  for (const s of pcm) sum += s * s;
  return Math.sqrt(sum / Math.max(1, pcm.length));
}

/** Adds looped noise under the clip at `snr` dB relative to the clip's non-silent samples. */
function mix(signal, noise, snr, offset) {
  const voiced = signal.filter((s) => Math.abs(s) > 300);
  const gain = rms(voiced.length ? voiced : signal) / (rms(noise) * 10 ** (snr / 20));
  const out = new Int16Array(signal.length);
  for (let i = 0; i < signal.length; i++) {
    const v = signal[i] + noise[(i + offset) % noise.length] * gain;
    out[i] = Math.max(-32768, Math.min(32767, Math.round(v)));
  }
  return out;
}

function pad(pcm, before, after) {
  const out = new Int16Array(Math.round((before + after) * RATE) + pcm.length);
  out.set(pcm, Math.round(before * RATE));
  return out;
}

/** Detections at `threshold` with a refractory time, from a full score trace. */
function detections(trace, threshold) {
  let last = -Infinity;
  let count = 0;
  for (const { seconds, score } of trace) {
    if (score < threshold || seconds - last < REFRACTORY_S) continue;
    last = seconds;
    count++;
  }
  return count;
}

/** Threshold 0 and no refractory time: every scored frame comes back, so any threshold can be applied later. */
function tracer(words) {
  return new OpenWakeWordDetector({
    words: words.map((name) => ({
      name,
      modelPath: resolveWakeModel(name, "/"),
      threshold: 0,
      refractoryMs: 0,
    })),
    logger: silentLogger(),
  });
}

async function traces(detector, pcm) {
  detector.reset();
  const out = {};
  for (const d of await detector.process(pcm)) {
    out[d.word] ??= [];
    out[d.word].push(d);
  }
  return out;
}

const noise = await decode(join(DEV, "kitchen-noise.wav"));
const alexaFiles = clips("alexa/audio");
const positives = await Promise.all(alexaFiles.map(decode));
// Split by file: the clips carry no speaker, and neighbouring numbers were not found to share one.
const half = alexaFiles.map((f) => (Number(/(\d+)\.flac$/.exec(f)?.[1]) % 2 === 0 ? "tuning" : "check"));
const negativeSets = {
  "coffee orders": await Promise.all(clips("coffee/audio").map(decode)),
  "other speech": await Promise.all(clips("other-speech/not-wake-words", ".wav").map(decode)),
  '"computer"': await Promise.all(clips("other-speech/computer", ".wav").map(decode)),
  "kitchen noise alone": [noise],
};
const words = Object.keys(BUILTIN_WAKE_WORDS);
const detector = tracer(words);
await detector.start();

const count = (split) => half.filter((h) => h === split).length;
console.log(
  `wake bench: ${positives.length} "alexa" clips (tuning ${count("tuning")}, check ${count("check")}), ` +
    `negatives: ${Object.entries(negativeSets)
      .map(([name, set]) => `${name} ${set.length}`)
      .join(", ")} (speech-dev; Picovoice Apache-2.0, Mycroft Precise public domain)`,
);
/** All clips of a set one after another with 1 s gaps, after 2 s of silence: one long stream. */
function stream(set) {
  const gap = new Int16Array(RATE);
  const parts = set.flatMap((clip) => [clip, gap]);
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 2 * RATE));
  let offset = 2 * RATE;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
for (const [condition, snr] of [
  ["clean", undefined],
  ["kitchen noise 10 dB SNR", 10],
]) {
  // Positives: each clip scored as a stream that had 2 s of (noisy) silence before it, as a
  // microphone would (and as `hearth detect-wake` and `hearth run --input` pad a file).
  const hits = Object.fromEntries(THRESHOLDS.map((t) => [t, { tuning: 0, check: 0 }]));
  for (const [i, clip] of positives.entries()) {
    const padded = pad(clip, 2, 1);
    const pcm = snr === undefined ? padded : mix(padded, noise, snr, i * 7919);
    const trace = (await traces(detector, pcm)).alexa ?? [];
    for (const t of THRESHOLDS) if (detections(trace, t) > 0) hits[t][half[i]]++;
  }
  // Negatives: each set as one long stream (the kitchen noise is not mixed into itself).
  let minutes = 0;
  const negatives = [];
  for (const [name, set] of Object.entries(negativeSets)) {
    if (snr !== undefined && name === "kitchen noise alone") continue;
    let pcm = stream(set);
    if (snr !== undefined) pcm = mix(pcm, noise, snr, 0);
    minutes += pcm.length / RATE / 60;
    negatives.push(await traces(detector, pcm));
  }
  const hours = minutes / 60;
  const highest = Math.max(0, ...negatives.flatMap((t) => (t.alexa ?? []).map((d) => d.score)));
  console.log(
    `\n${condition}: negatives ${minutes.toFixed(1)} min, highest "alexa" score on them ${highest.toFixed(3)}`,
  );
  const missed = (split, t) => {
    const n = count(split);
    const m = n - hits[t][split];
    return `${m}/${n} (${((100 * m) / n).toFixed(1)} %)`;
  };
  for (const t of THRESHOLDS) {
    const fa = Object.fromEntries(
      words.map((w) => [w, negatives.reduce((n, trace) => n + detections(trace[w] ?? [], t), 0)]),
    );
    const faAll = Object.values(fa).reduce((a, b) => a + b, 0);
    const mark = t === defaultWakeThreshold("alexa") ? " (alexa's default)" : "";
    console.log(
      `  threshold ${t}${mark}: alexa missed, tuning ${missed("tuning", t)}, check ${missed("check", t)}; ` +
        `false accepts alexa ${fa.alexa} (${(fa.alexa / hours).toFixed(1)}/h), all four words ${faAll} (${(faAll / hours).toFixed(1)}/h)`,
    );
  }
}
await detector.stop();

// CPU per second of audio: the negatives stream fed in 100 ms chunks as a microphone delivers it.
const cpuClips = negativeSets["coffee orders"].slice(0, 60);
const cpuStream = new Int16Array(cpuClips.reduce((n, clip) => n + clip.length, 0));
cpuClips.reduce((offset, clip) => {
  cpuStream.set(clip, offset);
  return offset + clip.length;
}, 0);
for (const set of [["hey_jarvis"], words]) {
  const d = new OpenWakeWordDetector({
    words: set.map((name) => ({
      name,
      modelPath: resolveWakeModel(name, "/"),
      threshold: 0.5,
      refractoryMs: 2000,
    })),
    logger: silentLogger(),
  });
  await d.start();
  const before = process.cpuUsage();
  const wall = performance.now();
  for (let i = 0; i < cpuStream.length; i += 1600) await d.process(cpuStream.subarray(i, i + 1600));
  const used = process.cpuUsage(before);
  const audioS = cpuStream.length / RATE;
  const cpuS = (used.user + used.system) / 1e6;
  console.log(
    `\nCPU, ${set.length} word${set.length > 1 ? "s" : ""}: ${((100 * cpuS) / audioS).toFixed(2)} % of a core ` +
      `(${((cpuS * 1000) / audioS).toFixed(1)} ms CPU per s of audio, wall ${((performance.now() - wall) / audioS).toFixed(1)} ms/s, ${audioS.toFixed(0)} s of audio)`,
  );
  await d.stop();
}
