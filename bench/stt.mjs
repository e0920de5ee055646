// Speech benchmark: speech-to-text accuracy and speed per set of recordings, at home sizes of 10,
// 100 and 500 devices, and the listening loop's end of speech → MQTT publish. Run:
//   npm run bench -- stt [flags]   (or node bench/stt.mjs [flags]; needs dist/: npm run build)
// Flags (so it can run in parts on a busy machine):
//   --only STEPS  comma-separated, default all: grammar, coffee, computer, other, commands (per home
//                 size) and accuracy, loop, wake, whisper (the synthetic corpus, fixture home)
//   --sizes LIST  default coffee,10,100,500: numbers of devices of a generated home; "coffee" is the
//                 coffee grammar alone (as Picovoice runs the set; coffee step only), "fixture" the
//                 fixture home's own devices (tests/intents/fixtures/home.yaml)
//   --limit N     at most N clips of each set (an even spread), e.g. --limit 30 to explore
//   --coffee-all  every coffee clip in every noise (default: every third clip in noise)
//   --half dev|check  the coffee orders of one half, split by file (dev: even positions of the sorted
//                 names, check: odd), each with its own half of the kitchen recording in time (dev the
//                 first minute, check the second), so what is tuned on the dev half (front-end options,
//                 the adaptation script's noisy copies) never hears the clips or the noise it is judged on;
//                 the "computer" clips and other speech are split by file the same way
//   --snrs LIST   the kitchen-noise levels of the coffee orders and other speech, default 6,12,18,24 (dB SNR)
//   --adaptation none|builtin|PATH  stt.pocketsphinx.adaptation for the home sizes and the coffee grammar
//   --noise-suppression  stt.pocketsphinx.noise_suppression on, for the home sizes and the coffee grammar
//   --dump FILE   one JSON line per real clip decoded (set, clip, noise, what was heard, its words'
//                 confidences, the audio's level, whether the guess was right), for tuning the rejection
//   --copy-budget N  stt.pocketsphinx.grammar_copy_budget for the home sizes (to compare grammars)
//   --decoder-options JSON  stt.pocketsphinx.options for the home sizes and the coffee grammar, e.g.
//                 '{"-maxhmmpf":"30000"}' (to compare search settings in the same run conditions)
//   --all         every noisy file of the synthetic corpus (default: 1 in 4); --set full|ci; --verbose
//
// Sets, each printed as JSON lines and at the end as one table (what docs/benchmarks.md takes):
//   - per home size, one grammar for every set: the fixture's sentences, the coffee-order intents of
//     bench/coffee/hearth.yaml and "computer" as a one-word custom intent, with the devices of a
//     generated home (bench/generated-home.mjs: 10 devices in 3 areas, 100 in 10, 500 in 30):
//       grammar   its generation and loading time, FSG size;
//       coffee    REAL coffee orders (../shared/speech-dev/coffee, labels scored as the Picovoice
//                 benchmark does), clean and with its kitchen noise at 6/12/18/24 dB SNR;
//       computer  REAL one-word "computer" clips (../shared/speech-dev/other-speech/computer);
//       other     REAL other speech (40 utterances, no command): false accepts;
//       commands  SYNTHETIC (flite) commands naming the home's own devices: accuracy decoded whole,
//                 and end of speech → MQTT publish p50/p95 through the listening loop (VAD, streaming
//                 pocketsphinx, templates, MqttActuator, embedded broker), paced in real time; then
//                 through `hearth understand`'s path (hear-recording.ts), its answer and CPU real-time factor.
//     No real recordings of commands to these homes exist here: the home-command figures are
//     synthetic voices and say so.
//   - the generated speech corpus (scripts/make-speech-corpus.mjs, SYNTHETIC festival/flite voices)
//     on the fixture home: accuracy clean/20/10 dB, the "hey jarvis …" loop, wake-word CPU; whisper's
//     real-time factor on a generated random-weight model.
// RTF is decoding time over audio time, by the wall clock and by this process's CPU time. Figures on
// a shared machine move with its load: each line carries the 1-minute load average.

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { buildTextPath } from "../dist/app.js";
import { NullSink } from "../dist/audio/sinks/null-sink.js";
import { WavFileSource } from "../dist/audio/sources/wav-file-source.js";
import { requiredConfidence } from "../dist/audio/stt/confidence.js";
import { createSpeechToText, rejectionRule } from "../dist/audio/stt/create-speech-to-text.js";
import { compileFsg } from "../dist/audio/stt/fsg.js";
import { readWavFile } from "../dist/audio/wav.js";
import { sttSchema } from "../dist/config/schema.js";
import { resolveStateDir } from "../dist/config/state-dir.js";
import { systemClock } from "../dist/core/clock.js";
import { EventBus } from "../dist/core/event-bus.js";
import { createLogger, silentLogger } from "../dist/core/logger.js";
import { loadSentences } from "../dist/intents/sentences.js";
import { buildSpeechGrammar } from "../dist/intents/speech-grammar.js";
import { answeringUtterance, hearRecording, recordingHearing } from "../dist/pipeline/hear-recording.js";
import { LeadInSource } from "../dist/pipeline/lead-in-source.js";
import { ListeningLoop } from "../dist/pipeline/listening-loop.js";
import {
  buildSpeechPath,
  loopOptionsFromConfig,
  speechGrammarFromSpec,
} from "../dist/pipeline/speech-path.js";
import { TextPipeline } from "../dist/pipeline/text-pipeline.js";
import { startActingBroker } from "./lib/acting-broker.mjs";
import { loadBenchConfig } from "./lib/bench-config.mjs";
import { areasFor, benchHomeConfig, COFFEE_CONFIG, FIXTURE, homeDevices } from "./lib/bench-home.mjs";
import {
  coffeeHalf,
  coffeeLabels,
  coffeeWav,
  haveCoffee,
  isLabelledOrder,
  noiseHalf,
  SPEECH_DEV,
} from "./lib/coffee.mjs";
import { mixAtSnr } from "./lib/noise-mix.mjs";
import { seededRandom } from "./lib/seeded-random.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const RATE = 16000;
const TARGETS = { cleanAccuracy: 0.97, publishP50Ms: 100, wakeCpuPercent: 5, grammarMs: 1000 };
/** flite voices with 16 kHz output (Debian's flite package) for the synthetic home commands. */
const SYNTH_VOICES = ["slt", "rms", "awb"];
/**
 * Shifts of every rejection threshold whose effect the real-voice steps print: what a clip's
 * confidence less the threshold its shape is held to (confidence.ts) must reach.
 */
const SWEEP = [-6, -4, -2, -1, 0, 1, 2, 4];

const { values: args } = parseArgs({
  options: {
    set: { type: "string", default: "full" },
    "coffee-all": { type: "boolean", default: false },
    dump: { type: "string" },
    "no-coffee": { type: "boolean", default: false },
    verbose: { type: "boolean", default: false },
    only: { type: "string" },
    all: { type: "boolean", default: false },
    sizes: { type: "string", default: "coffee,10,100,500" },
    limit: { type: "string" },
    "copy-budget": { type: "string" },
    "decoder-options": { type: "string" },
    half: { type: "string" },
    snrs: { type: "string", default: "6,12,18,24" },
    adaptation: { type: "string" },
    "noise-suppression": { type: "boolean", default: false },
  },
});
/**
 * Noisy audio decodes several times slower than clean (the search widens), so by default noisy files
 * are sampled (every Nth, deterministically) to keep the run near ten minutes; --all takes every file.
 */
const NOISY_EVERY = args.all ? 1 : 4;
const sample = (entries, every) => entries.filter((_, i) => i % every === 0);
/** Steps to run (default all). */
const STEPS = ["grammar", "coffee", "computer", "other", "commands", "accuracy", "loop", "wake", "whisper"];
const steps = new Set((args.only ?? STEPS.join(",")).split(",").map((s) => s.trim()));
for (const step of steps)
  if (!STEPS.includes(step)) usage(`unknown step "${step}" (known: ${STEPS.join(", ")})`);
const sizes = args.sizes.split(",").map((s) => s.trim());
for (const size of sizes)
  if (!/^\d+$/.test(size) && size !== "fixture" && size !== "coffee")
    usage(`unknown size "${size}" (a number of devices, "fixture" or "coffee")`);
const limit = args.limit === undefined ? undefined : Number(args.limit);
if (limit !== undefined && !(Number.isInteger(limit) && limit > 0))
  usage("--limit takes a whole number above 0");
if (args.dump !== undefined) writeFileSync(args.dump, "");
const decoderOptions = args["decoder-options"] === undefined ? undefined : parseDecoderOptions();
/** The kitchen-noise levels (dB SNR) the coffee orders are heard in. */
const COFFEE_SNRS = args.snrs === "" ? [] : args.snrs.split(",").map(Number);
if (COFFEE_SNRS.some((snr) => !Number.isFinite(snr))) usage(`--snrs takes dB values, e.g. 6,12,18,24`);
if (args.half !== undefined && args.half !== "dev" && args.half !== "check")
  usage(`--half takes dev or check, not "${args.half}"`);

function parseDecoderOptions() {
  try {
    const parsed = JSON.parse(args["decoder-options"]);
    if (parsed && typeof parsed === "object" && Object.values(parsed).every((v) => typeof v === "string"))
      return parsed;
  } catch {
    // Reported below.
  }
  return usage(`--decoder-options takes a JSON object of strings, e.g. '{"-maxhmmpf":"30000"}'`);
}

/** Applies --decoder-options, --adaptation and --noise-suppression to a loaded config (the home sizes and the coffee grammar). */
function withDecoderOptions(loaded) {
  if (decoderOptions)
    loaded.config.stt.pocketsphinx.options = { ...loaded.config.stt.pocketsphinx.options, ...decoderOptions };
  if (args.adaptation !== undefined) loaded.config.stt.pocketsphinx.adaptation = args.adaptation;
  if (args["noise-suppression"]) loaded.config.stt.pocketsphinx.noise_suppression = true;
  return loaded;
}

function usage(problem) {
  console.error(`bench/stt.mjs: ${problem}`);
  process.exit(2);
}

// BENCH_LOG=warn (or info, debug) writes Hearth's log to stderr, to see why a run failed.
const log = process.env.BENCH_LOG
  ? createLogger({ level: process.env.BENCH_LOG, destination: 2, format: "json" })
  : silentLogger();
const benchStarted = performance.now();

function out(fields) {
  console.log(JSON.stringify({ bench: "stt", ...fields, load1: round(loadavg()[0] ?? 0, 2) }));
}

/** The rows of the closing table. */
const table = [];
function row(fields) {
  table.push({ ...fields, load1: round(loadavg()[0] ?? 0, 1) });
}

function round(value, digits = 1) {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function percentile(values, p) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const level = (snr) => (snr === null ? "clean" : `${snr}dB`);

// ---------------------------------------------------------------------------------------------
// The corpus and the fixture home.

const corpusDir = join(ROOT, ".cache", "speech-corpus", args.set);
/** The generated corpus, made (slowly, the first time) only for the steps that read it. */
const needsCorpus = ["accuracy", "loop", "wake", "whisper"].some((step) => steps.has(step));
if (needsCorpus) {
  const made = spawnSync(
    process.execPath,
    [join(ROOT, "scripts", "make-speech-corpus.mjs"), "--set", args.set, "--out", corpusDir, "--quiet"],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  if (made.status !== 0) {
    out({ failed: "the speech corpus could not be generated (festival, flite and sox are needed)" });
    process.exit(1);
  }
}
const corpus = needsCorpus
  ? readFileSync(join(corpusDir, "manifest.jsonl"), "utf8")
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => {
        const entry = JSON.parse(line);
        return { ...entry, path: join(corpusDir, entry.file) };
      })
  : [];

/** The fixture home with every speech stage, for the steps over the generated corpus. */
const fixture = ["accuracy", "loop", "wake"].some((step) => steps.has(step))
  ? await fixturePaths()
  : undefined;
const { loaded, text, speech, stt } = fixture ?? {};

async function fixturePaths() {
  const fixtureLoaded = await loadBenchConfig(FIXTURE);
  const fixtureText = await buildTextPath(fixtureLoaded, { llm: false, log });
  const fixtureSpeech = await buildSpeechPath(fixtureLoaded, { registry: fixtureText.registry, log });
  out({
    engine: fixtureSpeech.stt.name,
    grammarLoadMs: fixtureSpeech.grammar?.ms,
    corpus: args.set,
    files: corpus.length,
  });
  return { loaded: fixtureLoaded, text: fixtureText, speech: fixtureSpeech, stt: fixtureSpeech.stt };
}
const fixtureLabel = () => `fixture home (${text.registry.entities().length} devices)`;

/** What the corpus test compares: intent names in order, expected slots present and equal, targets. */
function matches(expected, understanding) {
  if (understanding.kind !== "recognized") return false;
  const got = understanding.intents;
  if (got.length !== expected.length) return false;
  return expected.every((want, i) => {
    const have = got[i];
    if (!have || have.name !== want.name) return false;
    for (const [slot, value] of Object.entries(want.slots ?? {}))
      if (have.slots[slot] !== value) return false;
    if (want.targets && JSON.stringify(have.targets) !== JSON.stringify(want.targets)) return false;
    return true;
  });
}

/**
 * A source that yields its chunks no faster than real time, as a microphone does, and remembers
 * when each moment of audio was handed over (`wallClockAt(seconds)`, performance.now() time).
 */
function paced(inner) {
  const handedOver = []; // [audio seconds at the chunk's end, wall clock]
  return {
    name: inner.name,
    wallClockAt(seconds) {
      return handedOver.find(([end]) => end >= seconds)?.[1];
    },
    async *stream(signal) {
      const started = performance.now();
      let samples = 0;
      for await (const chunk of inner.stream(signal)) {
        samples += chunk.length;
        const due = started + (samples / RATE) * 1000;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        handedOver.push([samples / RATE, performance.now()]);
        yield chunk;
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// 1. Speech-to-text then the templates, file by file (each file one utterance, as `hearth understand`).

for (const snr of steps.has("accuracy") ? [null, 20, 10] : []) {
  const started = performance.now();
  const entries = sample(
    corpus.filter((e) => !e.wake && e.snr === snr),
    snr === null ? 1 : NOISY_EVERY,
  );
  const stats = {
    commands: 0,
    correct: 0,
    rejected: 0,
    negatives: 0,
    falseAccepts: 0,
    sttMs: [],
    audioMs: 0,
  };
  const failures = [];
  for (const entry of entries) {
    const audio = await readWavFile(entry.path);
    const t0 = performance.now();
    const heard = await stt.transcribe(audio);
    stats.sttMs.push(performance.now() - t0);
    stats.audioMs += (audio.length / RATE) * 1000;
    let understanding = { kind: "not-recognized", reason: "no_match" };
    if (heard.kind === "transcript") {
      understanding = (await text.understanding.understandAsync(heard.text, entry.context ?? {}))
        .understanding;
    }
    if (entry.kind === "command") {
      stats.commands++;
      if (heard.kind === "rejected") stats.rejected++;
      if (matches(entry.expected.intents, understanding)) stats.correct++;
      else if (failures.length < 40) {
        failures.push({
          file: entry.file,
          said: entry.text,
          heard: heard.kind === "transcript" ? heard.text : `(${heard.reason})`,
        });
      }
    } else {
      stats.negatives++;
      if (understanding.kind === "recognized") {
        stats.falseAccepts++;
        failures.push({
          file: entry.file,
          said: entry.text,
          acceptedAs: understanding.intents.map((i) => i.name),
        });
      }
    }
  }
  const sttTotal = stats.sttMs.reduce((a, b) => a + b, 0);
  const accuracy = stats.commands ? stats.correct / stats.commands : null;
  out({
    engine: stt.name,
    noise: level(snr),
    sampled: snr === null || NOISY_EVERY === 1 ? "all" : `1 in ${NOISY_EVERY}`,
    commands: stats.commands,
    correct: stats.correct,
    accuracy: accuracy === null ? null : round(accuracy, 4),
    rejected: stats.rejected,
    negatives: stats.negatives,
    falseAccepts: stats.falseAccepts,
    rtf: round(sttTotal / stats.audioMs, 3),
    sttP50Ms: round(percentile(stats.sttMs, 50)),
    sttP95Ms: round(percentile(stats.sttMs, 95)),
    ...(snr === null
      ? { target: { accuracy: TARGETS.cleanAccuracy }, ok: accuracy >= TARGETS.cleanAccuracy }
      : {}),
    seconds: round((performance.now() - started) / 1000),
    ...(args.verbose ? { failures } : {}),
  });
  row({
    set: `generated corpus, ${level(snr)} (SYNTHETIC voices)`,
    home: fixtureLabel(),
    clips: `${stats.commands} + ${stats.negatives} negatives`,
    result: `${pct(accuracy ?? 0)}, ${stats.falseAccepts} false accepts`,
    rtf: round(sttTotal / stats.audioMs, 3),
    cpuRtf: "–",
  });
}

// ---------------------------------------------------------------------------------------------
// 2. The listening loop on "hey jarvis …" recordings, acting over MQTT: end of utterance → publish.

if (steps.has("loop")) {
  const started = performance.now();
  const mqtt = await startActingBroker({ registry: text.registry, ns: `bench-stt-${process.pid}`, log });

  for (const snr of [null, 20, 10]) {
    const entries = sample(
      corpus.filter((e) => e.wake && e.snr === snr),
      snr === null ? 1 : NOISY_EVERY,
    );
    const latencies = [];
    const fromLastWord = [];
    const stages = { stt: [], intent: [], act: [] };
    let woke = 0;
    let correct = 0;
    for (const entry of entries) {
      let published = 0;
      // Paced like a microphone: the audio arrives in real time, so streaming decoding works as live.
      const source = paced(new LeadInSource(new WavFileSource(entry.path), { leadInMs: 2000, tailMs: 1500 }));
      const { stoppedAt, understood } = await loopRun({
        understanding: text.understanding,
        mqtt,
        source,
        stages: { wake: speech.wake, vad: speech.vad, stt, tts: speech.tts },
        options: { ...loopOptionsFromConfig(loaded.config, true), context: entry.context },
        watch: (bus) => {
          bus.on("wake.detected", () => woke++);
          bus.on("action.published", () => published++);
          bus.on("pipeline.ended", (e) => {
            for (const stage of Object.keys(stages))
              if (e.timings[stage] !== undefined) stages[stage].push(e.timings[stage]);
          });
        },
      });
      if (understood && matches(entry.expected.intents, understood)) correct++;
      const arrived = published > 0 ? await mqtt.firstArrival() : undefined;
      if (arrived !== undefined) {
        if (stoppedAt !== undefined) latencies.push(arrived - stoppedAt);
        // The recording's last word ended at lead-in + speech.end of the file's audio time.
        const lastWordAt = source.wallClockAt(2 + entry.speech.end);
        if (lastWordAt !== undefined) fromLastWord.push(arrived - lastWordAt);
      }
    }
    const p50 = percentile(latencies, 50);
    out({
      loop: "wake → vad → stt → intent → mqtt",
      engine: stt.name,
      noise: level(snr),
      sampled: snr === null || NOISY_EVERY === 1 ? "all" : `1 in ${NOISY_EVERY}`,
      files: entries.length,
      wakeDetected: woke,
      correct,
      accuracy: entries.length ? round(correct / entries.length, 4) : null,
      publishes: latencies.length,
      endOfUtteranceToPublishP50Ms: p50 === null ? null : round(p50),
      endOfUtteranceToPublishP95Ms: latencies.length ? round(percentile(latencies, 95)) : null,
      // From the end of the last word in the recording: the silence tail (vad.silence_ms) plus the above.
      lastWordToPublishP50Ms: fromLastWord.length ? round(percentile(fromLastWord, 50)) : null,
      // Where the time goes (p50 over the runs that reached each stage).
      stageP50Ms: Object.fromEntries(
        Object.entries(stages).map(([k, v]) => [k, v.length ? round(percentile(v, 50)) : null]),
      ),
      // Live, the segmenter waits this long after the last word before it closes the utterance.
      silenceTailMs: loaded.config.vad.silence_ms,
      // …or this long once what was heard so far is a whole command.
      commandSilenceTailMs: loaded.config.vad.command_silence_ms,
      target: { p50Ms: TARGETS.publishP50Ms },
      ok: p50 !== null && p50 <= TARGETS.publishP50Ms,
    });
    row({
      set: `"hey jarvis …" loop, ${level(snr)} (SYNTHETIC voices)`,
      home: fixtureLabel(),
      clips: entries.length,
      result: `${correct} right, ${woke} woken`,
      publish: p50 === null ? "–" : `${round(p50, 0)} / ${round(percentile(latencies, 95), 0)} ms`,
    });
  }
  await mqtt.stop();
  out({ step: "loop", seconds: round((performance.now() - started) / 1000) });
}

// ---------------------------------------------------------------------------------------------
// 3. Wake-word CPU: openWakeWord alone over every clean file, each after 2 s of silence.

if (steps.has("wake")) {
  const wake = speech.wake;
  const entries = corpus.filter((e) => e.snr === null);
  let audioSeconds = 0;
  let cpuMicros = 0;
  let hits = 0;
  let falseAlarms = 0;
  const wakeFiles = entries.filter((e) => e.wake).length;
  for (const entry of entries) {
    const samples = await readWavFile(entry.path);
    const stream = new Int16Array(2 * RATE + samples.length + RATE);
    stream.set(samples, 2 * RATE);
    wake.reset();
    const before = process.cpuUsage();
    let detections = 0;
    for (let i = 0; i < stream.length; i += 1280) {
      detections += (await wake.process(stream.subarray(i, i + 1280))).length;
    }
    const used = process.cpuUsage(before);
    cpuMicros += used.user + used.system;
    audioSeconds += stream.length / RATE;
    if (entry.wake && detections > 0) hits++;
    if (!entry.wake && detections > 0) falseAlarms++;
  }
  const percent = (cpuMicros / 1e6 / audioSeconds) * 100;
  out({
    wake: speech.wake.words.join(","),
    audioSeconds: round(audioSeconds),
    cpuPercentOfCore: round(percent, 2),
    detected: `${hits}/${wakeFiles}`,
    falseAlarmFiles: `${falseAlarms}/${entries.length - wakeFiles}`,
    target: { cpuPercentOfCore: TARGETS.wakeCpuPercent },
    ok: percent <= TARGETS.wakeCpuPercent,
  });
}

await speech?.close();

// ---------------------------------------------------------------------------------------------
// 4. whisper.cpp's real-time factor on a random-weight model of tiny.en's shape.

if (steps.has("whisper"))
  await whisperSpeed().catch((err) => out({ engine: "whisper", skipped: String(err?.message ?? err) }));

async function whisperSpeed() {
  const generator = await loadWhisperModelGenerator();
  const dir = join(tmpdir(), "hearth-bench-whisper");
  mkdirSync(dir, { recursive: true });
  const model = join(dir, "ggml-random-tiny-shape.bin");
  if (!existsSync(model)) {
    // tiny.en's dimensions: 384 wide, 6 heads, 4 encoder and 4 decoder layers.
    await generator(model, { nState: 384, nHead: 6, nAudioLayer: 4, nTextLayer: 4 });
  }
  const config = sttSchema.parse({ engine: "whisper", whisper: { model } });
  const whisper = await createSpeechToText(config, { logger: log, baseDir: dir });
  const t0 = performance.now();
  await whisper.start();
  const loadMs = performance.now() - t0;
  const entries = corpus.filter((e) => e.kind === "command" && !e.wake && e.snr === null).slice(0, 3);
  let audioMs = 0;
  let sttMs = 0;
  for (const entry of entries) {
    const audio = await readWavFile(entry.path);
    const t = performance.now();
    await whisper.transcribe(audio);
    sttMs += performance.now() - t;
    audioMs += (audio.length / RATE) * 1000;
  }
  await whisper.stop();
  out({
    engine: "whisper",
    model: "random weights, tiny.en shape (generated; transcripts are noise)",
    files: entries.length,
    loadMs: round(loadMs),
    rtf: round(sttMs / audioMs, 3),
  });
}

/**
 * The whisper model generator lives with the tests (tests/helpers/make-whisper-model.ts); the
 * TypeScript is stripped with the transformer vitest already brings (rolldown's oxc).
 */
async function loadWhisperModelGenerator() {
  const source = readFileSync(join(ROOT, "tests", "helpers", "make-whisper-model.ts"), "utf8");
  const { transformSync } = await import("rolldown/experimental");
  const { code } = transformSync("make-whisper-model.ts", source, { lang: "ts" });
  const file = join(tmpdir(), `hearth-make-whisper-model-${process.pid}.mjs`);
  writeFileSync(file, code);
  const mod = await import(pathToFileURL(file).href);
  return mod.makeWhisperModel;
}

// ---------------------------------------------------------------------------------------------
// 5. Real voices: the coffee orders with their own grammar alone, as the Picovoice benchmark runs them.

const haveSpeechDev = haveCoffee();
if (!haveSpeechDev && ["coffee", "computer", "other"].some((step) => steps.has(step)))
  out({ realVoices: "skipped", reason: `${SPEECH_DEV} not found: only the synthetic sets run` });
const coffeeClips = haveSpeechDev ? limited(coffeeHalf(coffeeRecordings(), args.half)) : [];
const kitchen = haveSpeechDev
  ? noiseHalf(await readWavFile(join(SPEECH_DEV, "kitchen-noise.wav"), { maxSeconds: 3600 }), args.half)
  : undefined;

if (steps.has("coffee") && haveSpeechDev && sizes.includes("coffee")) {
  const coffeeLoaded = withDecoderOptions(await loadBenchConfig(COFFEE_CONFIG));
  const home = await homeFor(coffeeLoaded, "coffee");
  await coffeeOrders(home);
  await home.close();
}

// ---------------------------------------------------------------------------------------------
// 6. Per home size: one generated home of N devices, every set on the same grammar.

for (const size of sizes.filter(
  (s) =>
    s !== "coffee" &&
    steps.has("grammar") +
      steps.has("coffee") +
      steps.has("computer") +
      steps.has("other") +
      steps.has("commands") >
      0,
)) {
  const home = await homeFor(await homeConfig(), size);
  if (steps.has("grammar")) await grammarFigures(home);
  if (haveSpeechDev && steps.has("coffee")) await coffeeOrders(home);
  if (haveSpeechDev && steps.has("computer")) await oneWord(home);
  if (haveSpeechDev && steps.has("other")) await otherSpeech(home);
  if (steps.has("commands")) await homeCommands(home);
  await home.close();
}

/** The home every size shares (bench/lib/bench-home.mjs), with this run's options. */
async function homeConfig() {
  const base = await benchHomeConfig();
  if (args["copy-budget"] !== undefined)
    base.config.stt.pocketsphinx.grammar_copy_budget = Number(args["copy-budget"]);
  return withDecoderOptions(base);
}

/**
 * A home's text and speech paths: `size` "fixture" (the fixture's own devices), "coffee" (the
 * coffee config alone) or a number of generated devices. The grammar is loaded once, timed.
 */
async function homeFor(homeLoaded, size) {
  const homeText = await buildTextPath(homeLoaded, { llm: false, log });
  const generated = /^\d+$/.test(size);
  if (generated) homeText.registry.replaceAll(homeDevices(Number(size)));
  const t0 = performance.now();
  const homeSpeech = await buildSpeechPath(homeLoaded, {
    registry: homeText.registry,
    log,
    stages: { stt: true, tts: false, listening: steps.has("commands") && size !== "coffee" },
  });
  const label =
    size === "coffee"
      ? "coffee grammar alone"
      : size === "fixture"
        ? `fixture home (${homeText.registry.entities().length} devices)`
        : `${size} devices`;
  out({
    home: label,
    areas: generated ? areasFor(Number(size)) : undefined,
    copyBudgetWords: homeLoaded.config.stt.pocketsphinx.grammar_copy_budget,
    grammarLoadMs: homeSpeech.grammar?.ms,
    startMs: round(performance.now() - t0),
  });
  return {
    size,
    label,
    loaded: homeLoaded,
    text: homeText,
    speech: homeSpeech,
    async close() {
      await homeSpeech.close();
      await homeText.close();
    },
  };
}

/** Decodes `audio` whole, timed by the wall clock and by this process's CPU time. */
async function decode(engine, audio, timing) {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const heard = await engine.transcribe(audio);
  timing.ms += performance.now() - t0;
  const used = process.cpuUsage(cpu);
  timing.cpuMs += (used.user + used.system) / 1000;
  timing.audioMs += (audio.length / RATE) * 1000;
  return heard;
}

function newTiming() {
  return { ms: 0, cpuMs: 0, audioMs: 0 };
}
function rtfOf(timing) {
  return { rtf: round(timing.ms / timing.audioMs, 3), cpuRtf: round(timing.cpuMs / timing.audioMs, 3) };
}

/** An even spread of at most --limit items (speakers are spread over the sets' order). */
function limited(items) {
  if (limit === undefined || items.length <= limit) return items;
  return Array.from({ length: limit }, (_, i) => items[Math.floor((i * items.length) / limit)]);
}

/** The grammar of this home: generated, compiled and loaded again, timed; its size. */
async function grammarFigures(home) {
  const sentences = await loadSentences(home.loaded.config.intents, {
    language: "en",
    configDir: home.loaded.dir,
    stateDir: resolveStateDir(home.loaded.config, home.loaded.dir),
  });
  const runs = [];
  let compiled;
  for (let i = 0; i < 2; i++) {
    const t0 = performance.now();
    const spec = buildSpeechGrammar(sentences, home.text.registry);
    const t1 = performance.now();
    await home.speech.stt.setGrammar(speechGrammarFromSpec(spec));
    const t2 = performance.now();
    runs.push({ buildMs: t1 - t0, loadMs: t2 - t1 });
    compiled ??= compileFsg(speechGrammarFromSpec(spec).spec, "hearth", {
      copyBudgetWords: home.loaded.config.stt.pocketsphinx.grammar_copy_budget,
    });
  }
  const warm = runs[1];
  row({
    set: "grammar",
    home: home.label,
    result: `${compiled.states} states; built in ${round(warm.buildMs, 0)} ms, loaded in ${round(warm.loadMs, 0)} ms`,
  });
  out({
    grammar: home.label,
    states: compiled.states,
    wordTransitions: compiled.transitions,
    nullTransitions: compiled.nullTransitions,
    fsgKb: round(compiled.text.length / 1024),
    firstLoadMs: home.speech.grammar?.ms,
    buildMs: round(warm.buildMs),
    loadMs: round(warm.loadMs),
    target: { totalMs: TARGETS.grammarMs },
    ok: warm.buildMs + warm.loadMs < TARGETS.grammarMs,
  });
}

/**
 * One line of --dump: what a real clip was heard as, with its words' confidences and the level of
 * the audio decoded (10 ms frame energies in dB full scale: the quietest 600 ms, percentiles), the
 * material a rejection rule is tuned on. `right`: the guess, rejected or not, is the right command
 * (coffee, computer) or is understood as a command at all (other speech).
 */
function dump(fields, audio, heard) {
  if (args.dump === undefined) return;
  const line = {
    ...fields,
    kind: heard.kind,
    reason: heard.reason,
    text: heard.text,
    confidence: heard.confidence === undefined ? undefined : round(heard.confidence, 3),
    words: heard.words?.map((w) => [w.word, round(w.start, 2), round(w.end, 2), round(w.confidence, 3)]),
    seconds: round(audio.length / RATE, 2),
    level: levelOf(audio),
  };
  appendFileSync(args.dump, `${JSON.stringify(line)}\n`);
}

function levelOf(audio) {
  const db = [];
  for (let i = 0; i + 160 <= audio.length; i += 160) {
    let sum = 0;
    for (let j = i; j < i + 160; j++) sum += (audio[j] / 32768) ** 2;
    db.push(10 * Math.log10(sum / 160 + 1e-10));
  }
  const sorted = [...db].sort((a, b) => a - b);
  const at = (p) => round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? -100, 1);
  let quietest = Number.POSITIVE_INFINITY;
  for (let i = 0; i + 60 <= db.length; i++) {
    let sum = 0;
    for (let j = i; j < i + 60; j++) sum += 10 ** (db[j] / 10);
    quietest = Math.min(quietest, sum / 60);
  }
  return {
    quietest600: round(10 * Math.log10(Number.isFinite(quietest) ? quietest : 10 ** (at(0) / 10)), 1),
    p5: at(0.05),
    p10: at(0.1),
    p20: at(0.2),
    p50: at(0.5),
    p80: at(0.8),
    p90: at(0.9),
    p95: at(0.95),
  };
}

// ---------------------------------------------------------------------------------------------
// Coffee orders (../shared/speech-dev/coffee), clean and in kitchen noise.

/** The labelled clips, converted once from FLAC to WAV under .cache/. */
function coffeeRecordings() {
  const labels = coffeeLabels();
  return Object.keys(labels)
    .sort()
    .map((clip) => ({ clip, wav: coffeeWav(clip), label: labels[clip] }));
}

/** A seed for the noise of `clip` at `snr` (FNV-1a over both). */
function noiseSeed(clip, snr) {
  let hash = 0x811c9dc5;
  for (const char of `${clip}@${snr}`) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193);
  return hash >>> 0;
}

/**
 * Scored as the Picovoice benchmark's README says: the intent equal, every labelled slot present
 * and equal (extra slots allowed). Clean: every clip (--limit); noise: every third of those at each
 * SNR (every one with --coffee-all), the noise a seeded slice of the kitchen recording.
 */
async function coffeeOrders(home) {
  const started = performance.now();
  const engine = home.speech.stt;
  const timing = newTiming();
  const score = async (audio, label, t, clip, snr) => {
    const heard = await decode(engine, audio, t);
    const right =
      heard.text !== undefined &&
      isLabelledOrder((await home.text.understanding.understandAsync(heard.text)).understanding, label);
    dump({ set: "coffee", home: home.label, clip, noise: level(snr), right }, audio, heard);
    if (heard.text === undefined) return { ok: false, right: false, heard: `(${heard.reason})` };
    return {
      ok: right && heard.kind === "transcript",
      right,
      misheard: !right && heard.kind === "transcript",
      margin: marginOf(home, heard),
      heard: heard.text,
    };
  };
  const sweep = [];
  let correct = 0;
  let misheard = 0;
  const noisy = new Map(
    COFFEE_SNRS.map((snr) => [snr, { clips: 0, correct: 0, heardRight: 0, misheard: 0, sweep: [] }]),
  );
  const failures = [];
  const noisyEvery = args["coffee-all"] ? 1 : 3;
  for (const [index, { clip, wav, label }] of coffeeClips.entries()) {
    const audio = await readWavFile(wav);
    const result = await score(audio, label, timing, clip, null);
    if (result.ok) correct++;
    if (result.misheard) misheard++;
    if (result.right) sweep.push(result.margin);
    else if (failures.length < 30) failures.push({ clip, heard: result.heard, label: label.slots });
    if (index % noisyEvery !== 0) continue;
    for (const snr of COFFEE_SNRS) {
      const n = noisy.get(snr);
      n.clips++;
      // The slice of noise depends on the clip and the level alone, so runs with other --limit,
      // --snrs or options hear each clip in the same noise.
      const random = seededRandom(noiseSeed(clip, snr));
      const mixed = await score(mixAtSnr(audio, kitchen, snr, random), label, newTiming(), clip, snr);
      if (mixed.ok) n.correct++;
      if (mixed.right) n.heardRight++;
      if (mixed.misheard) n.misheard++;
      if (mixed.right) n.sweep.push(mixed.margin);
    }
  }
  const accuracy = correct / coffeeClips.length;
  const { rtf, cpuRtf } = rtfOf(timing);
  out({
    coffee: "real voices (Picovoice speech-to-intent benchmark, Apache-2.0)",
    home: home.label,
    half: args.half ?? "both",
    adaptation: home.loaded.config.stt.pocketsphinx.adaptation,
    noise: "clean",
    clips: coffeeClips.length,
    correct,
    accuracy: round(accuracy, 4),
    // Orders heard as another order and kept: acted on wrongly.
    misheard,
    rtf,
    cpuRtf,
    rejection: rejectionRule(home.loaded.config.stt.pocketsphinx),
    accuracyByThresholdShift: sweepOf(sweep, coffeeClips.length),
    ...(args.verbose ? { failures } : {}),
  });
  row({
    set: "coffee orders, clean (real)",
    home: home.label,
    clips: coffeeClips.length,
    result: `${pct(accuracy)} (${misheard} misheard kept)`,
    rtf,
    cpuRtf,
  });
  let total = 0;
  let right = 0;
  for (const [snr, n] of noisy) {
    total += n.clips;
    right += n.correct;
    out({
      coffee: "kitchen noise",
      home: home.label,
      half: args.half ?? "both",
      noise: `${snr}dB`,
      clips: n.clips,
      correct: n.correct,
      accuracy: round(n.correct / n.clips, 4),
      // Heard as the labelled order, whether or not the rejection kept it.
      heardRight: n.heardRight,
      misheard: n.misheard,
      accuracyByThresholdShift: sweepOf(n.sweep, n.clips),
    });
    row({
      set: `coffee orders, ${snr} dB (real)`,
      home: home.label,
      clips: n.clips,
      result: `${pct(n.correct / n.clips)} (${n.misheard} misheard kept)`,
    });
  }
  if (total === 0) return;
  out({
    coffee: `kitchen noise, ${COFFEE_SNRS.join("/")} dB averaged`,
    home: home.label,
    half: args.half ?? "both",
    clips: total,
    accuracy: round(right / total, 4),
    reference: { rhino: 0.976, luis: 0.899, watson: 0.868, lex: 0.845, dialogflow: 0.776 },
    seconds: round((performance.now() - started) / 1000),
  });
  row({
    set: `coffee orders, ${COFFEE_SNRS.join("/")} dB averaged (real)`,
    home: home.label,
    clips: total,
    result: pct(right / total),
  });
}

// ---------------------------------------------------------------------------------------------
// Real one-word commands and real other speech (../shared/speech-dev/other-speech).

/** The 57 recordings of "computer", a one-word command as "pause" or "next" are. */
async function oneWord(home) {
  const dir = join(SPEECH_DEV, "other-speech", "computer");
  // --half splits these by file as it splits the coffee orders.
  const clips = limited(
    coffeeHalf(
      readdirSync(dir)
        .filter((f) => f.endsWith(".wav"))
        .sort(),
      args.half,
    ),
  );
  const timing = newTiming();
  let correct = 0;
  const right = [];
  const heardAs = {};
  for (const file of clips) {
    const audio = await readWavFile(join(dir, file));
    const heard = await decode(home.speech.stt, audio, timing);
    const key = heard.kind === "transcript" ? heard.text : `(${heard.reason}) ${heard.text ?? ""}`.trim();
    heardAs[key] = (heardAs[key] ?? 0) + 1;
    const u =
      heard.text === undefined
        ? undefined
        : (await home.text.understanding.understandAsync(heard.text)).understanding;
    const isRight = u?.kind === "recognized" && u.intents.length === 1 && u.intents[0].name === "Computer";
    dump({ set: "computer", home: home.label, clip: file, noise: "clean", right: isRight }, audio, heard);
    if (!isRight) continue;
    right.push(marginOf(home, heard));
    if (heard.kind === "transcript") correct++;
  }
  const { rtf, cpuRtf } = rtfOf(timing);
  out({
    oneWord: 'real one-word command ("computer", Mycroft Precise community data)',
    home: home.label,
    clips: clips.length,
    correct,
    accuracy: round(correct / clips.length, 4),
    rtf,
    cpuRtf,
    rejection: rejectionRule(home.loaded.config.stt.pocketsphinx),
    accuracyByThresholdShift: sweepOf(right, clips.length),
    ...(args.verbose ? { heardAs } : {}),
  });
  row({
    set: '"computer", one word (real)',
    home: home.label,
    clips: clips.length,
    result: pct(correct / clips.length),
    rtf,
    cpuRtf,
  });
}

/**
 * The 40 real utterances that are no command, clean and with the kitchen noise at 6–24 dB (seeded
 * slices, as the coffee orders get): each one understood as a command is a false accept.
 */
async function otherSpeech(home) {
  const dir = join(SPEECH_DEV, "other-speech", "not-wake-words");
  // --half splits these by file as it splits the coffee orders.
  const negatives = limited(
    coffeeHalf(
      readFileSync(join(dir, "metadata.csv"), "utf8")
        .split("\n")
        .map((line) => line.split(","))
        .filter(([file]) => file?.endsWith(".wav"))
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      args.half,
    ),
  );
  for (const snr of [null, ...COFFEE_SNRS]) {
    const timing = newTiming();
    const accepted = [];
    const wouldAccept = [];
    for (const [file, said] of negatives) {
      const clean = await readWavFile(join(dir, file));
      const audio = snr === null ? clean : mixAtSnr(clean, kitchen, snr, seededRandom(noiseSeed(file, snr)));
      const heard = await decode(home.speech.stt, audio, timing);
      const u =
        heard.text === undefined
          ? undefined
          : (await home.text.understanding.understandAsync(heard.text)).understanding;
      const command = u?.kind === "recognized";
      dump(
        { set: "other", home: home.label, clip: file, said, noise: level(snr), right: command },
        audio,
        heard,
      );
      if (!command) continue;
      wouldAccept.push(marginOf(home, heard));
      if (heard.kind === "transcript")
        accepted.push({ said, heard: heard.text, confidence: round(heard.confidence) });
    }
    const { rtf, cpuRtf } = rtfOf(timing);
    out({
      otherSpeech: "real non-command utterances (Mycroft Precise community data)",
      home: home.label,
      noise: level(snr),
      clips: negatives.length,
      falseAccepts: accepted.length,
      target: "at most 1 of 40",
      rejection: rejectionRule(home.loaded.config.stt.pocketsphinx),
      rtf,
      cpuRtf,
      // Share of the clips each shift of the thresholds would have let through as a command.
      falseAcceptsByThresholdShift: sweepOf(wouldAccept, negatives.length),
      ...(args.verbose || accepted.length > 0 ? { accepted } : {}),
    });
    row({
      set: `other speech, ${snr === null ? "clean" : `${snr} dB`}, false accepts (real)`,
      home: home.label,
      clips: negatives.length,
      result: `${accepted.length} of ${negatives.length}`,
      rtf,
      cpuRtf,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Synthetic commands for the generated home: decoded whole, then through the listening loop.

/**
 * Sentences that name this home's own devices and rooms, spoken by flite voices (SYNTHETIC: no real
 * recordings of commands to a home of this size exist here). The expected result of each is what
 * the text path understands from the written sentence; a sentence it does not understand is left out.
 */
async function homeCommandClips(home) {
  const entities = home.text.registry.entities();
  const areas = home.text.registry.areas();
  const pick = (domain, n) => {
    const of = entities.filter((e) => e.domain === domain);
    return Array.from({ length: Math.min(n, of.length) }, (_, i) => of[Math.floor((i * of.length) / n)]);
  };
  const said = (name) => name.toLowerCase();
  const sentences = [
    ...pick("light", 2).flatMap((e) => [`turn on the ${said(e.name)}`, `turn off the ${said(e.name)}`]),
    ...pick("switch", 1).map((e) => `switch off the ${said(e.name)}`),
    ...pick("fan", 1).map((e) => `turn on the ${said(e.name)}`),
    ...pick("cover", 1).map((e) => `close the ${said(e.name)}`),
    ...pick("lock", 1).map((e) => `lock the ${said(e.name)}`),
    ...pick("climate", 1).map((e) => `set the ${said(e.name)} to twenty degrees`),
    ...areas.slice(0, 2).map((a) => `turn off the lights in the ${said(a.name)}`),
  ];
  const dir = join(ROOT, ".cache", "speech-homes");
  mkdirSync(dir, { recursive: true });
  const clips = [];
  for (const [i, sentence] of sentences.entries()) {
    const expected = (await home.text.understanding.understandAsync(sentence)).understanding;
    if (expected.kind !== "recognized") {
      out({ commands: "sentence left out: the text path does not understand it", sentence });
      continue;
    }
    const voice = SYNTH_VOICES[i % SYNTH_VOICES.length];
    const wav = join(
      dir,
      `${createHash("sha1").update(`${voice} ${sentence}`).digest("hex").slice(0, 16)}.wav`,
    );
    if (!existsSync(wav)) synthesise(sentence, voice, wav);
    clips.push({ sentence, voice, wav, expected });
  }
  return limited(clips);
}

/** Speaks `sentence` with flite into a 16 kHz mono WAV with 0.3 s of silence before and 0.6 s after. */
function synthesise(sentence, voice, wav) {
  const raw = `${wav}.flite.wav`;
  const said = spawnSync("flite", ["-voice", voice, "-t", sentence, "-o", raw]);
  if (said.status !== 0) throw new Error(`flite failed on "${sentence}" (${voice})`);
  const converted = spawnSync("sox", [raw, "-r", "16000", "-c", "1", "-b", "16", wav, "pad", "0.3", "0.6"]);
  rmSync(raw, { force: true });
  if (converted.status !== 0) throw new Error(`sox could not convert ${raw}`);
}

/** Same intents, slots and targets as the written sentence gave. */
function sameAs(expected, understanding) {
  if (understanding.kind !== "recognized") return false;
  return (
    JSON.stringify(understanding.intents.map(comparable)) === JSON.stringify(expected.intents.map(comparable))
  );
}
function comparable(intent) {
  return { name: intent.name, slots: intent.slots, targets: intent.targets };
}

async function homeCommands(home) {
  const clips = await homeCommandClips(home);
  const timing = newTiming();
  let correct = 0;
  const failures = [];
  for (const clip of clips) {
    const heard = await decode(home.speech.stt, await readWavFile(clip.wav), timing);
    const u =
      heard.kind === "transcript"
        ? (await home.text.understanding.understandAsync(heard.text)).understanding
        : { kind: "not-recognized" };
    if (sameAs(clip.expected, u)) correct++;
    else failures.push({ said: clip.sentence, voice: clip.voice, heard: heard.text ?? `(${heard.reason})` });
  }
  const { rtf, cpuRtf } = rtfOf(timing);
  out({
    commands: "SYNTHETIC (flite voices) commands naming this home's devices, each decoded whole",
    home: home.label,
    clips: clips.length,
    correct,
    accuracy: round(correct / clips.length, 4),
    rtf,
    cpuRtf,
    ...(args.verbose || failures.length > 0 ? { failures } : {}),
  });
  const loop = await loopLatency(home, clips);
  row({
    set: "home commands (SYNTHETIC voices)",
    home: home.label,
    clips: clips.length,
    result: pct(correct / clips.length),
    rtf,
    cpuRtf,
    publish: loop,
  });
  await recordingPath(home, clips);
}

/**
 * The same clips through `hearth understand`'s path (hear-recording.ts: the lead-in and tail of the
 * recording's room sound, the VAD cutting the utterance, streaming decode, the whole re-decode of a
 * rejected utterance, the templates): what it answers and its real-time factor, by the wall clock
 * and by this process's CPU time per second of the recordings (the 3× real-time target).
 */
async function recordingPath(home, clips) {
  await home.speech.grammarSettled();
  const { config } = home.loaded;
  const { deps, options: hearing } = recordingHearing(config, {
    vad: home.speech.listeningStages().vad,
    stt: home.speech.loopStt,
    understanding: home.text.understanding,
    clock: systemClock,
    log,
  });
  const timing = newTiming();
  let correct = 0;
  const failures = [];
  for (const clip of clips) {
    const audio = await readWavFile(clip.wav);
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    const heard = await hearRecording(audio, deps, hearing);
    timing.ms += performance.now() - t0;
    const used = process.cpuUsage(cpu);
    timing.cpuMs += (used.user + used.system) / 1000;
    timing.audioMs += (audio.length / RATE) * 1000;
    const answer = answeringUtterance(heard);
    if (answer?.understanding && sameAs(clip.expected, answer.understanding)) correct++;
    else failures.push({ said: clip.sentence, voice: clip.voice, heard: answer?.stt.text ?? "" });
  }
  const { rtf, cpuRtf } = rtfOf(timing);
  out({
    recordingPath: "SYNTHETIC commands through hearth understand's path (lead-in, VAD, streaming, re-decode)",
    home: home.label,
    clips: clips.length,
    correct,
    rtf,
    cpuRtf,
    // Times faster than real time in CPU: the target is 3.
    cpuTimesRealTime: cpuRtf > 0 ? round(1 / cpuRtf, 2) : null,
    ...(args.verbose || failures.length > 0 ? { failures } : {}),
  });
  row({
    set: "home commands, `hearth understand` path (SYNTHETIC voices)",
    home: home.label,
    clips: clips.length,
    result: pct(correct / clips.length),
    rtf,
    cpuRtf,
  });
}

/**
 * The listening loop (VAD, streaming pocketsphinx, templates, MqttActuator on the embedded broker)
 * over each clip paced in real time as a microphone delivers it: end of speech (the segmenter closing
 * the utterance) → the device command's arrival at another MQTT client.
 */
async function loopLatency(home, clips) {
  const mqtt = await startActingBroker({
    registry: home.text.registry,
    ns: `bench-stt-${process.pid}-${home.size}`,
    log,
  });
  // Topics change no name: wait out the debounced grammar rebuild that the change may start anyway.
  await home.speech.grammarSettled();
  const stages = home.speech.listeningStages();
  const latencies = [];
  /** End of speech → the transcript: what decoding still had to do once the speaker stopped. */
  const sttLatencies = [];
  const ended = {};
  /** The steps after the transcript, and this process's CPU time from end of speech to publish. */
  const parts = { intent: [], act: [], broker: [], cpu: [] };
  let loopCpuMs = 0;
  let loopAudioMs = 0;
  let correct = 0;
  for (const clip of clips) {
    const cpuBefore = process.cpuUsage();
    const { stoppedAt, transcribedAt, recognizedAt, publishedAt, stoppedCpu, publishedCpu, understood } =
      await loopRun({
        understanding: home.text.understanding,
        mqtt,
        source: paced(new LeadInSource(new WavFileSource(clip.wav), { leadInMs: 1000, tailMs: 1500 })),
        stages: { ...stages, stt: home.speech.loopStt },
        options: loopOptionsFromConfig(home.loaded.config, true),
        // How each run ended: on a machine too busy to decode in real time, runs end by the STT deadline.
        watch: (bus) =>
          bus.on("pipeline.ended", (e) => {
            ended[e.reason] = (ended[e.reason] ?? 0) + 1;
          }),
      });
    if (understood && sameAs(clip.expected, understood)) correct++;
    const arrived = understood ? await mqtt.firstArrival() : undefined;
    if (arrived !== undefined && stoppedAt !== undefined) latencies.push(arrived - stoppedAt);
    if (transcribedAt !== undefined && stoppedAt !== undefined) sttLatencies.push(transcribedAt - stoppedAt);
    if (recognizedAt !== undefined && transcribedAt !== undefined)
      parts.intent.push(recognizedAt - transcribedAt);
    if (publishedAt !== undefined && recognizedAt !== undefined) parts.act.push(publishedAt - recognizedAt);
    if (arrived !== undefined && publishedAt !== undefined) parts.broker.push(arrived - publishedAt);
    if (publishedCpu !== undefined && stoppedCpu !== undefined) parts.cpu.push(publishedCpu - stoppedCpu);
    const used = process.cpuUsage(cpuBefore);
    loopCpuMs += (used.user + used.system) / 1000;
    // The whole stream the loop listened to: lead-in, the clip, the tail.
    loopAudioMs += ((await readWavFile(clip.wav)).length / RATE) * 1000 + 1000 + 1500;
  }
  await mqtt.stop();
  const p50 = percentile(latencies, 50);
  const p95 = percentile(latencies, 95);
  out({
    loop: "SYNTHETIC commands through vad → streaming stt → intent → mqtt, paced in real time",
    home: home.label,
    clips: clips.length,
    correct,
    publishes: latencies.length,
    runsEnded: ended,
    endOfSpeechToPublishP50Ms: p50 === null ? null : round(p50),
    endOfSpeechToPublishP95Ms: p95 === null ? null : round(p95),
    endOfSpeechToTranscriptP50Ms: p50Of(sttLatencies),
    transcriptToRecognizedP50Ms: p50Of(parts.intent),
    recognizedToPublishedP50Ms: p50Of(parts.act),
    publishedToArrivalP50Ms: p50Of(parts.broker),
    // This process's CPU time (every thread) from end of speech to the publish: about what the
    // latency would be on an idle machine, decoding included, were nothing done in parallel.
    endOfSpeechToPublishCpuP50Ms: p50Of(parts.cpu),
    endOfSpeechToPublishCpuP95Ms: parts.cpu.length === 0 ? null : round(percentile(parts.cpu, 95)),
    // This process's CPU time over the audio the loop listened to (lead-in and tail included).
    loopCpuRtf: round(loopCpuMs / loopAudioMs, 3),
    target: { p50Ms: TARGETS.publishP50Ms },
    ok: p50 !== null && p50 <= TARGETS.publishP50Ms,
  });
  const cpuP50 = p50Of(parts.cpu);
  return p50 === null
    ? "–"
    : `${Math.round(p50)} / ${Math.round(p95)} ms, CPU ${cpuP50 === null ? "–" : Math.round(cpuP50)} ms (${correct}/${clips.length} right)`;
}

// ---------------------------------------------------------------------------------------------
// Helpers.

function p50Of(values) {
  return values.length === 0 ? null : round(percentile(values, 50));
}

/**
 * One recording through the listening loop, acting through `mqtt` (bench/lib/acting-broker.mjs):
 * when the segmenter closed the first utterance and when its transcript came (performance.now()), and
 * what was first understood.
 * `watch` may listen on the run's bus for more.
 */
async function loopRun({ understanding, mqtt, source, stages, options, watch }) {
  const bus = new EventBus();
  const pipeline = new TextPipeline({
    understanding,
    actuator: mqtt.actuator,
    bus,
    clock: systemClock,
    siteId: "bench",
    log,
  });
  let stoppedAt;
  let transcribedAt;
  let recognizedAt;
  let publishedAt;
  let stoppedCpu;
  let publishedCpu;
  let understood;
  const cpuMs = () => {
    const used = process.cpuUsage();
    return (used.user + used.system) / 1000;
  };
  bus.on("speech.stopped", () => {
    stoppedAt ??= performance.now();
    stoppedCpu ??= cpuMs();
  });
  bus.on("stt.transcript", () => {
    transcribedAt ??= performance.now();
  });
  bus.on("intent.recognized", (e) => {
    recognizedAt ??= performance.now();
    understood ??= { kind: "recognized", intents: e.intents };
  });
  bus.on("action.published", () => {
    publishedAt ??= performance.now();
    publishedCpu ??= cpuMs();
  });
  watch?.(bus);
  const loop = new ListeningLoop(
    {
      ...stages,
      source,
      sink: new NullSink(),
      pipeline,
      bus,
      clock: systemClock,
      log,
      siteId: "bench",
      progress: (said, context) => understanding.progress(said, context),
    },
    options,
  );
  mqtt.reset();
  await loop.start();
  await loop.finished;
  return { stoppedAt, transcribedAt, recognizedAt, publishedAt, stoppedCpu, publishedCpu, understood };
}

/** Share of `total` clips kept with every threshold moved by each {@link SWEEP} shift. */
function sweepOf(margins, total) {
  return Object.fromEntries(SWEEP.map((t) => [t, round(margins.filter((m) => m >= t).length / total, 4)]));
}

/** How far a result's confidence is above the threshold its shape is held to (negative: below). */
function marginOf(home, heard) {
  return (
    heard.confidence -
    requiredConfidence(heard.words ?? [], rejectionRule(home.loaded.config.stt.pocketsphinx))
  );
}

function pct(share) {
  return `${round(share * 100, 1)} %`;
}

// ---------------------------------------------------------------------------------------------
// The table: one row per set and home, as docs/benchmarks.md takes it.

await fixture?.text.close();
const loads = table.map((r) => r.load1);
console.log(
  [
    "",
    `node bench/stt.mjs ${process.argv.slice(2).join(" ")}`.trim(),
    `load average (1 min) during the rows: ${loads.length ? `${Math.min(...loads)}–${Math.max(...loads)}` : "–"} on ${cpus().length} cores; RTF = decoding time / audio time (wall clock; CPU: this process's CPU time)`,
    "",
    "| set | grammar | clips | result | RTF (CPU) | end of speech → publish p50 / p95 |",
    "| --- | --- | --- | --- | --- | --- |",
    ...table.map(
      (r) =>
        `| ${r.set} | ${r.home} | ${r.clips ?? "–"} | ${r.result} | ${r.rtf === undefined ? "–" : `${r.rtf} (${r.cpuRtf})`} | ${r.publish ?? "–"} |`,
    ),
  ].join("\n"),
);
out({ done: true, seconds: round((performance.now() - benchStarted) / 1000) });
// Native engines keep handles open; the figures are out.
process.exit(0);
