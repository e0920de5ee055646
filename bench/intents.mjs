// Text-path benchmark: parse latency (p50/p99), sentences per second, template compile time and
// peak RSS with a generated home of 500 devices in 30 areas.  Run: npm run bench (or node bench/intents.mjs).

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fixedClock } from "../dist/core/clock.js";
import { builtinSentencesDir, compileSentences, readSentenceFile } from "../dist/intents/sentences.js";
import { TextUnderstanding } from "../dist/intents/text-understanding.js";
import { TimerManager } from "../dist/intents/timers.js";
import { Registry } from "../dist/registry/registry.js";
import { generatedHome, ROOMS } from "./generated-home.mjs";

const AREAS = 30;
const DEVICES = 500;
function home() {
  return new Registry(generatedHome({ devices: DEVICES, areas: AREAS }));
}

const intents = {
  disabled: [],
  custom: {},
  lists: {},
  expansion_rules: {},
  skip_words: [],
  files: [],
  fuzzy_threshold: 0.8,
};
const dir = builtinSentencesDir("en");
let t0 = performance.now();
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".yaml"))
  .sort()
  .map((f) => readSentenceFile(join(dir, f)));
const sentences = compileSentences(files, intents);
const registry = home();
const understanding = new TextUnderstanding({
  sentences,
  registry,
  timers: new TimerManager(fixedClock(new Date())),
  clock: { now: () => new Date(), monotonic: () => performance.now() },
  fuzzyThreshold: 0.8,
  siteArea: "Kitchen",
});
understanding.prepare();
const compileMs = performance.now() - t0;

const names = registry.entities().map((e) => e.name.toLowerCase());
const rooms = ROOMS.map((r) => r.toLowerCase());
const pick = (a, i) => a[i % a.length];
const makers = [
  (i) => `turn on the ${pick(names, i * 7)}`,
  (i) => `please switch off the ${pick(rooms, i)} lights`,
  (i) => `set the ${pick(names, i * 3)} to ${i % 100} percent`,
  (i) => `is the ${pick(names, i * 11)} on`,
  (i) => `what is the temperature in the ${pick(rooms, i * 5)}`,
  (i) => `set a timer for ${(i % 50) + 1} minutes`,
  () => "turn off the lights upstairs",
  (i) => `open the ${pick(rooms, i)} blinds halfway`,
  () => "what time is it",
  (i) => `turn on the ${pick(names, i)} and close the ${pick(rooms, i + 1)} blinds`,
  (i) => `turn on the ${pick(names, i * 13).replace(/ight/, "ite")}`, // near miss
  (i) => `turn on the garage heater number ${i}`, // unknown device
  (i) => `tell me something about the weather on mars ${i}`, // no match
];
const N = Number(process.env.BENCH_SENTENCES ?? 5000);
const texts = Array.from({ length: N }, (_, i) => makers[i % makers.length](i));
for (const t of texts.slice(0, 300)) understanding.understand(t); // warm up the JIT
const times = [];
const cpu = [];
let peakRss = process.memoryUsage().rss;
t0 = performance.now();
for (const t of texts) {
  const c = process.cpuUsage();
  const s = performance.now();
  understanding.understand(t);
  times.push(performance.now() - s);
  const d = process.cpuUsage(c);
  cpu.push((d.user + d.system) / 1000);
  if (times.length % 500 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
}
const total = performance.now() - t0;
times.sort((a, b) => a - b);
cpu.sort((a, b) => a - b);
const q = (p, a = times) => a[Math.min(a.length - 1, Math.floor(p * a.length))];
const perKind = makers.map((_, k) => {
  const ts = texts.map((t, i) => [i, t]).filter(([i]) => i % makers.length === k);
  return ts;
});
const result = {
  bench: "text path",
  devices: DEVICES,
  areas: AREAS,
  sentences: N,
  templates: sentences.groups.length,
  compile_ms: +compileMs.toFixed(1),
  parse_p50_ms: +q(0.5).toFixed(3),
  parse_p99_ms: +q(0.99).toFixed(3),
  parse_max_ms: +times[times.length - 1].toFixed(3),
  // CPU time per sentence: what the parser itself costs, without the waits of a busy machine.
  cpu_p50_ms: +q(0.5, cpu).toFixed(3),
  cpu_p99_ms: +q(0.99, cpu).toFixed(3),
  load_average: +(await import("node:os")).loadavg()[0].toFixed(2),
  sentences_per_s: Math.round(N / (total / 1000)),
  peak_rss_mb: +(peakRss / 1048576).toFixed(1),
  target: "p99 < 1 ms, compile < 1000 ms",
  p99_vs_target: +(q(0.99) / 1).toFixed(2),
  compile_vs_target: +(compileMs / 1000).toFixed(3),
};
console.log(JSON.stringify(result));
void perKind;
if (process.env.BENCH_DETAIL) {
  // Per kind of sentence: CPU milliseconds, median and 99th percentile.
  for (let k = 0; k < makers.length; k++) {
    const ts = [];
    for (let i = k; i < texts.length; i += makers.length) {
      const c = process.cpuUsage();
      understanding.understand(texts[i]);
      const d = process.cpuUsage(c);
      ts.push((d.user + d.system) / 1000);
    }
    ts.sort((a, b) => a - b);
    const at = (p) => ts[Math.min(ts.length - 1, Math.floor(p * ts.length))].toFixed(3);
    console.log(JSON.stringify({ kind: makers[k](1), cpu_p50_ms: +at(0.5), cpu_p99_ms: +at(0.99) }));
  }
}
