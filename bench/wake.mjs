// Wake-word benchmark on real human voices: detection rate on the 158 crowd-sourced "alexa" clips
// and false accepts per hour on the 298 coffee-order clips (no wake word in them), both from the
// Picovoice benchmarks (Apache-2.0) in ../shared/speech-dev, clean and with kitchen noise mixed in;
// plus the wake word's CPU per second of audio. Needs the build (npm run build) and sox.
// Run: node bench/wake.mjs [--speech-dev DIR]
import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { OpenWakeWordDetector } from "../dist/audio/wake/openwakeword-detector.js";
import { BUILTIN_WAKE_WORDS, resolveWakeModel } from "../dist/audio/wake/openwakeword-models.js";
import { silentLogger } from "../dist/core/logger.js";

const run = promisify(execFile);
const RATE = 16000;
const args = process.argv.slice(2);
const devIndex = args.indexOf("--speech-dev");
const DEV = resolve(
  devIndex >= 0 ? args[devIndex + 1] : new URL("../../shared/speech-dev", import.meta.url).pathname,
);
if (!existsSync(join(DEV, "alexa"))) {
  console.log(`wake bench: skipped, no speech-dev set at ${DEV}`);
  process.exit(0);
}
const THRESHOLDS = [0.3, 0.5, 0.7, 0.9];
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

const clips = (dir) =>
  readdirSync(join(DEV, dir, "audio"))
    .filter((f) => f.endsWith(".flac"))
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }))
    .map((f) => join(DEV, dir, "audio", f));

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
const positives = await Promise.all(clips("alexa").map(decode));
const negatives = await Promise.all(clips("coffee").map(decode));
const words = Object.keys(BUILTIN_WAKE_WORDS);
const detector = tracer(words);
await detector.start();

console.log(
  `wake bench: ${positives.length} "alexa" clips, ${negatives.length} coffee-order clips (speech-dev, Picovoice, Apache-2.0)`,
);
for (const [condition, snr] of [
  ["clean", undefined],
  ["kitchen noise 10 dB SNR", 10],
]) {
  // Positives: each clip scored as a stream that had 2 s of (noisy) silence before it, as a microphone would.
  const hits = Object.fromEntries(THRESHOLDS.map((t) => [t, 0]));
  for (const [i, clip] of positives.entries()) {
    const padded = pad(clip, 2, 1);
    const pcm = snr === undefined ? padded : mix(padded, noise, snr, i * 7919);
    const trace = (await traces(detector, pcm)).alexa ?? [];
    for (const t of THRESHOLDS) if (detections(trace, t) > 0) hits[t]++;
  }
  // Negatives: all coffee orders one after another with 1 s gaps, as one long stream.
  const gap = new Int16Array(RATE);
  const parts = negatives.flatMap((clip) => [clip, gap]);
  let stream = new Int16Array(parts.reduce((n, p) => n + p.length, 2 * RATE));
  let offset = 2 * RATE;
  for (const p of parts) {
    stream.set(p, offset);
    offset += p.length;
  }
  if (snr !== undefined) stream = mix(stream, noise, snr, 0);
  const hours = stream.length / RATE / 3600;
  const negTraces = await traces(detector, stream);
  console.log(`\n${condition}: negatives ${(hours * 60).toFixed(1)} min`);
  for (const t of THRESHOLDS) {
    const fa = Object.fromEntries(words.map((w) => [w, detections(negTraces[w] ?? [], t)]));
    const faAll = Object.values(fa).reduce((a, b) => a + b, 0);
    console.log(
      `  threshold ${t}: alexa detected ${hits[t]}/${positives.length} (${((100 * hits[t]) / positives.length).toFixed(1)} %), ` +
        `false accepts alexa ${fa.alexa} (${(fa.alexa / hours).toFixed(1)}/h), all four words ${faAll} (${(faAll / hours).toFixed(1)}/h)`,
    );
  }
}
await detector.stop();

// CPU per second of audio: the negatives stream fed in 100 ms chunks as a microphone delivers it.
const cpuClips = negatives.slice(0, 60);
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
