#!/usr/bin/env node
/**
 * Generates the speech test corpus: WAV files spoken by Debian's festival and flite voices at several
 * speaking rates, clean and with noise mixed in at an exact SNR, each with its transcript and the
 * intents (or the reason for none) expected from it, listed in `manifest.jsonl` beside them.
 *
 *   node scripts/make-speech-corpus.mjs [--set ci|full] [--out DIR] [--jobs N] [--seed TEXT] [--quiet]
 *   node scripts/make-speech-corpus.mjs --list-voices
 *
 * Sentences come from the text corpus (tests/intents/corpus/*.yaml, expected results against the fixture
 * home tests/intents/fixtures/home.yaml): a seeded, deterministic pick per intent (built-in intents, the
 * fixture's custom OrderPizza intent, and multi-command sentences as one more group), so the speech
 * corpus can never disagree with the text corpus. Sentences whose words are deliberate typos ("the
 * chandeleer") are left out: they test text matching, and a voice cannot say a typo. Negatives are the
 * text corpus's `no_match` sentences (other speech), silence and noise only.
 *
 * Sets: `ci` (about 60 files, under a minute on two cores: the default, for tests) and `full` (about 700
 * files, for `npm run bench`). Output goes to `.cache/speech-corpus/<set>/` (git-ignored) unless --out.
 *
 * Every file is 16 kHz mono 16-bit PCM: `--lead` silence, the speech (the synthesiser's own leading and
 * trailing silence trimmed), a tail of silence, the peak normalised to PEAK_DBFS. Wake-word variants say
 * "hey jarvis", pause WAKE_PAUSE_S, then the command, in the same voice.
 *
 * SNR: 10·log10(speech power / noise power), where the speech power is the clean file's mean power over
 * its active 10 ms frames (those within ACTIVE_RANGE_DB of the loudest frame: the pauses around and
 * inside the speech do not count) and the noise power is the added noise's mean power over the whole
 * file. If the mix would clip, speech and noise are scaled down together (the SNR is unchanged).
 *
 * Noise: pink and brown noise from sox's repeatable generator (`sox -R … synth`), and a "kitchen" made
 * here from a seeded generator (mains hum, an extractor fan, running water, clattering dishes). No
 * external audio files.
 *
 * Cached and idempotent: a file's name ends in a hash of everything that shapes it (text, voice, rate,
 * noise, SNR, layout, GENERATOR), so a run only makes the files that are missing and removes WAVs that
 * are no longer listed. Concurrent runs on the same folder wait for each other (a lock folder).
 *
 * Needs festival (with at least one English voice: festvox-kallpc16k; festvox-kdlpc16k and
 * festvox-us-slt-hts add two more), flite and sox on the PATH. Exit codes: 0 done, 1 failed, 2 usage.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import wavefile from "wavefile";
import { parse as parseYaml } from "yaml";
import { seededRandom } from "../bench/lib/seeded-random.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const CORPUS_DIR = join(ROOT, "tests", "intents", "corpus");
const FIXTURE = join(ROOT, "tests", "intents", "fixtures", "home.yaml");
const SENTENCES_DIR = join(ROOT, "src", "intents", "sentences", "en");
/** festlex-cmu (a dependency of festival): the words festival can say from its dictionary. */
const LEXICON = "/usr/share/festival/dicts/cmu/cmudict-0.4.out";

/** Bump to regenerate every file (it is part of every file's hash). */
const GENERATOR = 1;
const RATE = 16000;
/** The layout of every file; part of every hash. */
const LAYOUT = {
  leadS: 0.3,
  tailS: 0.6,
  wakePauseS: 0.4,
  peakDbfs: -4,
  trimThreshold: 96,
  trimMarginS: 0.02,
};
/** Active-speech frames for the SNR: 10 ms, within this many dB of the loudest frame. */
const FRAME = 160;
const ACTIVE_RANGE_DB = 40;
/** Speaking-rate factors (1.15 = 15 % faster than the voice's normal speed). */
const RATES = [0.85, 1, 1.15];
const SNRS = [20, 10];
const NOISES = ["pink", "brown", "kitchen"];
const WAKE_TEXT = "hey jarvis";
/** Length of the generated noise beds each noisy file takes a seeded slice of. */
const BED_S = 60;

/**
 * The English voices this script knows how to drive, in order of preference; those installed are used.
 * `speed`: how the rate is applied (festival's Duration_Stretch for diphone voices, the HTS engine's
 * `-r` for HTS voices, which ignore Duration_Stretch; flite's duration_stretch feature).
 */
const VOICE_CATALOG = [
  { id: "festival:kal_diphone", engine: "festival", name: "kal_diphone", speed: "stretch" },
  { id: "festival:ked_diphone", engine: "festival", name: "ked_diphone", speed: "stretch" },
  {
    id: "festival:cmu_us_slt_arctic_hts",
    engine: "festival",
    name: "cmu_us_slt_arctic_hts",
    speed: "hts",
  },
  { id: "flite:slt", engine: "flite", name: "slt", speed: "stretch" },
  { id: "flite:awb", engine: "flite", name: "awb", speed: "stretch" },
  { id: "flite:rms", engine: "flite", name: "rms", speed: "stretch" },
  // kal16 rather than kal: the same speaker, synthesised at 16 kHz instead of 8 kHz.
  { id: "flite:kal16", engine: "flite", name: "kal16", speed: "stretch" },
];

/**
 * What each set holds. commands: `perGroup` sentences per intent group, each said in `copies`
 * voice/rate combinations; `noisy`: how many of them (in pick order) also get a noisy copy at each
 * SNR (Infinity: all). wake and other work alike. silence/noise: negatives without speech.
 */
const SETS = {
  ci: {
    commands: { perGroup: 1, copies: 1, noisy: 6 },
    wake: { count: 6, noisy: 0 },
    other: { count: 5, noisy: 1 },
    silence: [
      { seconds: 1.5, noise: null, levelDbfs: null },
      { seconds: 2.5, noise: "brown", levelDbfs: -65 },
    ],
    noise: [
      { seconds: 3, noise: "pink", levelDbfs: -30 },
      { seconds: 3, noise: "brown", levelDbfs: -30 },
      { seconds: 3, noise: "kitchen", levelDbfs: -28 },
    ],
  },
  full: {
    commands: { perGroup: 3, copies: 2, noisy: Number.POSITIVE_INFINITY },
    wake: { count: 30, noisy: Number.POSITIVE_INFINITY },
    other: { count: 30, noisy: Number.POSITIVE_INFINITY },
    silence: [
      { seconds: 1.5, noise: null, levelDbfs: null },
      { seconds: 4, noise: null, levelDbfs: null },
      { seconds: 2.5, noise: "brown", levelDbfs: -65 },
      { seconds: 4, noise: "pink", levelDbfs: -60 },
    ],
    noise: [
      { seconds: 3, noise: "pink", levelDbfs: -30 },
      { seconds: 3, noise: "brown", levelDbfs: -30 },
      { seconds: 3, noise: "kitchen", levelDbfs: -28 },
      { seconds: 5, noise: "pink", levelDbfs: -20 },
      { seconds: 5, noise: "brown", levelDbfs: -20 },
      { seconds: 5, noise: "kitchen", levelDbfs: -18 },
    ],
  },
};

// ---------------------------------------------------------------------------------------------------
// Small helpers

class UsageError extends Error {}

let quiet = false;
function say(message) {
  if (!quiet) process.stdout.write(`speech corpus: ${message}\n`);
}

function sha(text) {
  return createHash("sha256").update(text).digest("hex");
}

/** A number in [0, 1) from a string, for seeded choices that do not shift when others are added. */
function unit(text) {
  return Number.parseInt(sha(text).slice(0, 12), 16) / 2 ** 48;
}

function slug(text, max = 32) {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return s.slice(0, max).replace(/-+$/, "") || "x";
}

/** Runs a program without a shell; resolves with stdout as a Buffer, rejects with stderr on failure. */
function exec(command, args, { input, timeoutMs = 120_000 } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
    const out = [];
    let err = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.stdout.on("data", (d) => out.push(d));
    child.stderr.setEncoding("utf8").on("data", (d) => {
      err += d;
    });
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e.code === "ENOENT" ? new Error(`${command} is not installed (apt-get install ${command})`) : e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolvePromise(Buffer.concat(out));
      else
        reject(
          new Error(
            `${command} ${args.slice(0, 6).join(" ")} failed (${signal ?? `exit ${code}`}): ${err.trim().slice(0, 500)}`,
          ),
        );
    });
    child.stdin.on("error", () => {});
    child.stdin.end(input);
  });
}

/** Runs `fn` over `items` with at most `limit` at once. */
async function pool(items, limit, fn) {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  });
  await Promise.all(workers);
}

function writeAtomic(path, data) {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

function toWav(samples) {
  const wav = new wavefile.WaveFile();
  wav.fromScratch(1, RATE, "16", samples);
  return wav.toBuffer();
}

function readWav(path) {
  const wav = new wavefile.WaveFile(readFileSync(path));
  return Int16Array.from(wav.getSamples(false, Int16Array));
}

/** Raw little-endian 16-bit samples, copied so the view is aligned whatever the Buffer's offset. */
function pcmOf(raw) {
  const bytes = Uint8Array.from(raw);
  return new Int16Array(bytes.buffer, 0, bytes.length >> 1);
}

function dbToAmp(db) {
  return 10 ** (db / 20);
}

// ---------------------------------------------------------------------------------------------------
// Signal maths (the test measures the same way, from the files)

function meanPower(samples) {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return sum / Math.max(1, samples.length);
}

/** Mean power over the active 10 ms frames (within ACTIVE_RANGE_DB of the loudest). */
function activePower(samples) {
  const powers = [];
  for (let i = 0; i + FRAME <= samples.length; i += FRAME) {
    powers.push(meanPower(samples.subarray(i, i + FRAME)));
  }
  const loudest = Math.max(0, ...powers);
  if (loudest === 0) return 0;
  const floor = loudest * 10 ** (-ACTIVE_RANGE_DB / 10);
  let sum = 0;
  let n = 0;
  for (const p of powers) {
    if (p >= floor) {
      sum += p;
      n++;
    }
  }
  return sum / n;
}

/** The samples between the first and last above `trimThreshold`, with a small margin. */
function trim(samples) {
  const margin = Math.round(LAYOUT.trimMarginS * RATE);
  let start = 0;
  while (start < samples.length && Math.abs(samples[start]) < LAYOUT.trimThreshold) start++;
  let end = samples.length;
  while (end > start && Math.abs(samples[end - 1]) < LAYOUT.trimThreshold) end--;
  if (start >= end) throw new Error("the synthesiser produced silence");
  return samples.subarray(Math.max(0, start - margin), Math.min(samples.length, end + margin));
}

function silenceOf(seconds) {
  return new Float64Array(Math.round(seconds * RATE));
}

/** Joins pieces; returns the samples and where each piece starts and ends, in samples. */
function join16(pieces) {
  const total = pieces.reduce((n, p) => n + p.length, 0);
  const out = new Float64Array(total);
  const spans = [];
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    spans.push([at, at + p.length]);
    at += p.length;
  }
  return { samples: out, spans };
}

function quantize(samples) {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    out[i] = Math.max(-32768, Math.min(32767, Math.round(samples[i])));
  }
  return out;
}

function normalizePeak(samples, peakDbfs) {
  let peak = 0;
  for (const s of samples) peak = Math.max(peak, Math.abs(s));
  const gain = peak === 0 ? 1 : (32767 * dbToAmp(peakDbfs)) / peak;
  return samples.map((s) => s * gain);
}

/** `count` samples of `bed` from a seeded offset, looping if the bed is shorter. */
function slice(bed, count, key) {
  const start = Math.floor(unit(key) * bed.length);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = bed[(start + i) % bed.length];
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Noise beds

async function soxNoise(kind) {
  // -R: sox's repeatable mode, so the bed is the same on every run and machine.
  const raw = await exec("sox", [
    "-R",
    "-n",
    "-r",
    String(RATE),
    "-c",
    "1",
    "-b",
    "16",
    "-e",
    "signed-integer",
    "-t",
    "raw",
    "-",
    "synth",
    String(BED_S),
    `${kind}noise`,
    "vol",
    "0.5",
  ]);
  return Float64Array.from(pcmOf(raw));
}

/**
 * A kitchen: mains hum with harmonics, an extractor fan (low-passed noise with a blade whirr), running
 * water that comes and goes, and dishes clattering at random moments (decaying noise bursts and a
 * ringing clink). Seeded, so every run makes the same bed.
 */
function kitchenNoise() {
  const n = BED_S * RATE;
  const random = seededRandom(0x6b697463);
  const out = new Float64Array(n);
  let fan = 0;
  let water = 0;
  let waterPrev = 0;
  let waterOn = 0;
  for (let i = 0; i < n; i++) {
    const t = i / RATE;
    const white = random() * 2 - 1;
    fan += 0.02 * (white - fan);
    const whirr = 1 + 0.3 * Math.sin(2 * Math.PI * 23 * t);
    const white2 = random() * 2 - 1;
    water = white2 - waterPrev * 0.6;
    waterPrev = white2;
    const waterLevel = 0.5 + 0.5 * Math.sin(2 * Math.PI * 0.05 * t);
    waterOn += 0.0005 * (waterLevel - waterOn);
    const hum =
      0.03 * Math.sin(2 * Math.PI * 50 * t) +
      0.02 * Math.sin(2 * Math.PI * 100 * t) +
      0.01 * Math.sin(2 * Math.PI * 150 * t);
    out[i] = hum + 1.2 * fan * whirr + 0.06 * water * waterOn;
  }
  // Clatter: every 0.5–3 s a burst of decaying noise, half of them with a ringing clink.
  let at = Math.floor(random() * RATE);
  while (at < n) {
    const length = Math.floor((0.06 + random() * 0.15) * RATE);
    const amp = 0.2 + random() * 0.5;
    const clink = random() < 0.5 ? 2000 + random() * 2500 : 0;
    for (let k = 0; k < length && at + k < n; k++) {
      const env = Math.exp((-k / length) * 6);
      let v = (random() * 2 - 1) * amp * env;
      if (clink) v += 0.6 * amp * env * Math.sin((2 * Math.PI * clink * k) / RATE);
      out[at + k] += v;
    }
    at += Math.floor((0.5 + random() * 2.5) * RATE);
  }
  return out.map((v) => v * 8000);
}

async function noiseBeds(kinds) {
  const beds = new Map();
  for (const kind of kinds) {
    beds.set(kind, kind === "kitchen" ? kitchenNoise() : await soxNoise(kind));
  }
  return beds;
}

// ---------------------------------------------------------------------------------------------------
// Voices

/** The catalog voices installed here. */
async function detectVoices() {
  const festivalOut = (
    await exec("festival", ["--pipe"], { input: "(print (voice.list))\n", timeoutMs: 30_000 })
  ).toString();
  const festival = new Set(festivalOut.replace(/[()]/g, " ").split(/\s+/).filter(Boolean));
  const fliteOut = (await exec("flite", ["-lv"], { timeoutMs: 30_000 })).toString();
  const flite = new Set(fliteOut.replace(/^.*?:/, "").split(/\s+/).filter(Boolean));
  return VOICE_CATALOG.filter((v) => (v.engine === "festival" ? festival : flite).has(v.name));
}

// ---------------------------------------------------------------------------------------------------
// Sentences

function loadYaml(path) {
  return parseYaml(readFileSync(path, "utf8"));
}

/** Every word festival's dictionary, the fixture home and the sentence templates know. */
function vocabulary() {
  const words = new Set();
  if (existsSync(LEXICON)) {
    for (const line of readFileSync(LEXICON, "utf8").split("\n")) {
      const m = /^\("([^"]+)"/.exec(line);
      if (m) words.add(m[1]);
    }
  } else {
    throw new Error(`${LEXICON} is missing (apt-get install festlex-cmu)`);
  }
  const add = (text) => {
    for (const w of text.toLowerCase().split(/[^a-z']+/)) if (w) words.add(w);
  };
  add(readFileSync(FIXTURE, "utf8"));
  for (const f of readdirSync(SENTENCES_DIR)) add(readFileSync(join(SENTENCES_DIR, f), "utf8"));
  return words;
}

/** Whether a voice can say it as written: every word is known (numbers are read out). */
function speakable(text, words) {
  return text
    .toLowerCase()
    .split(/[^a-z0-9'.%]+/)
    .filter(Boolean)
    .every((w) => {
      if (/^[0-9.]+%?$/.test(w)) return true;
      const bare = w.replace(/[.%]/g, "");
      return words.has(bare) || words.has(bare.replace(/'s$/, "")) || words.has(bare.replace(/'/g, ""));
    });
}

function loadCorpus() {
  const entries = [];
  for (const file of readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith(".yaml"))
    .sort()) {
    const data = loadYaml(join(CORPUS_DIR, file));
    if (!Array.isArray(data)) throw new Error(`${file}: expected a list of entries`);
    for (const e of data) if (e && typeof e.text === "string") entries.push({ ...e, source: file });
  }
  return entries;
}

/**
 * The commands to speak, in pick order: per group (an intent, or "multi" for several intents), the
 * `perGroup` entries ranked first by a seeded hash; then round-robin over the groups, so that the first
 * N of the list cover as many intents as possible.
 */
function pickCommands(entries, perGroup, seed, words) {
  const groups = new Map();
  const seen = new Set();
  for (const e of entries) {
    if (!Array.isArray(e.intents) || e.intents.length === 0) continue;
    // The same words with the speaker in another area are another case: keep both.
    const key = `${e.text.trim().toLowerCase()}\0${e.context?.area ?? ""}`;
    if (seen.has(key) || !speakable(e.text, words)) continue;
    seen.add(key);
    const group = e.intents.length > 1 ? "multi" : e.intents[0].name;
    if (!groups.has(group)) groups.set(group, []);
    groups.get(group).push(e);
  }
  const ranked = [...groups.keys()].sort().map((g) =>
    groups
      .get(g)
      .map((e) => ({ e, r: unit(`${seed}\0${e.text}`) }))
      .sort((a, b) => a.r - b.r)
      .slice(0, perGroup)
      .map((x) => x.e),
  );
  const out = [];
  for (let round = 0; round < perGroup; round++) {
    for (const list of ranked) if (list[round]) out.push(list[round]);
  }
  return { commands: out, groups: [...groups.keys()].sort() };
}

function pickOther(entries, count, seed) {
  return entries
    .filter((e) => e.reason === "no_match" && e.text.trim() !== "")
    .map((e) => ({ e, r: unit(`${seed}\0other\0${e.text}`) }))
    .sort((a, b) => a.r - b.r)
    .slice(0, count)
    .map((x) => x.e);
}

// ---------------------------------------------------------------------------------------------------
// The plan: every file of the set, with its manifest entry and how to make it

function voiceRateCombos(voices, seed) {
  return voices
    .flatMap((v) => RATES.map((rate) => ({ voice: v, rate })))
    .map((c) => ({ c, r: unit(`${seed}\0combo\0${c.voice.id}\0${c.rate}`) }))
    .sort((a, b) => a.r - b.r)
    .map((x) => x.c);
}

/** The names fileName() gives. */
const OWN_FILE = /^(cmd|wake|other|silence|noise)-[a-z0-9-]+-[0-9a-f]{10}\.wav$/;

function fileName(prefix, text, key) {
  return `${prefix}-${slug(text)}-${sha(JSON.stringify(key)).slice(0, 10)}.wav`;
}

function plan(setName, voices, seed) {
  const set = SETS[setName];
  const words = vocabulary();
  const corpus = loadCorpus();
  const { commands, groups } = pickCommands(corpus, set.commands.perGroup, seed, words);
  const other = pickOther(corpus, set.other.count, seed);
  const combos = voiceRateCombos(voices, seed);
  let comboAt = 0;
  const nextCombo = () => combos[comboAt++ % combos.length];
  const specs = [];

  /** A spoken file, plus its noisy copies when `noisy`; returns nothing. */
  const addSpeech = (kind, entry, combo, wake, noisy, expected) => {
    const pieces = wake ? [WAKE_TEXT, entry.text] : [entry.text];
    const key = {
      g: GENERATOR,
      layout: LAYOUT,
      pieces,
      voice: combo.voice.id,
      rate: combo.rate,
    };
    const prefix = wake ? "wake" : kind === "command" ? "cmd" : "other";
    const clean = {
      make: "speech",
      key,
      pieces: pieces.map((text) => ({ text, voice: combo.voice, rate: combo.rate })),
      entry: {
        file: fileName(prefix, entry.text, key),
        kind,
        text: pieces.join(" "),
        ...(wake ? { command: entry.text } : {}),
        voice: combo.voice.id,
        rate: combo.rate,
        noise: null,
        snr: null,
        wake,
        expected,
        ...(entry.context ? { context: entry.context } : {}),
        source: entry.source,
      },
    };
    specs.push(clean);
    if (!noisy) return;
    for (const snr of SNRS) {
      const noise = NOISES[Math.floor(unit(`${seed}\0noise\0${clean.entry.file}\0${snr}`) * NOISES.length)];
      const noisyKey = { clean: clean.entry.file, noise, snr };
      specs.push({
        make: "noisy",
        key: noisyKey,
        clean,
        entry: {
          ...clean.entry,
          file: fileName(prefix, entry.text, noisyKey),
          noise,
          snr,
          clean: clean.entry.file,
        },
      });
    }
  };

  commands.forEach((e, i) => {
    for (let copy = 0; copy < set.commands.copies; copy++) {
      addSpeech("command", e, nextCombo(), false, i < set.commands.noisy, { intents: e.intents });
    }
  });
  commands.slice(0, set.wake.count).forEach((e, i) => {
    addSpeech("command", e, nextCombo(), true, i < set.wake.noisy, { intents: e.intents });
  });
  other.forEach((e, i) => {
    addSpeech("other-speech", e, nextCombo(), false, i < set.other.noisy, { reason: "no_match" });
  });
  for (const s of set.silence) {
    const key = { g: GENERATOR, ...s, kind: "silence" };
    specs.push({
      make: "noise-only",
      key,
      spec: s,
      entry: {
        file: fileName("silence", s.noise ? `room-tone-${s.noise}` : "digital", key),
        kind: "silence",
        text: "",
        voice: null,
        rate: null,
        noise: s.noise,
        snr: null,
        ...(s.levelDbfs !== null ? { levelDbfs: s.levelDbfs } : {}),
        wake: false,
        expected: { reason: "empty" },
      },
    });
  }
  for (const s of set.noise) {
    const key = { g: GENERATOR, ...s, kind: "noise" };
    specs.push({
      make: "noise-only",
      key,
      spec: s,
      entry: {
        file: fileName("noise", s.noise, key),
        kind: "noise",
        text: "",
        voice: null,
        rate: null,
        noise: s.noise,
        snr: null,
        levelDbfs: s.levelDbfs,
        wake: false,
        // A recogniser may hear nothing or hear garbage it then rejects: both are right.
        expected: { reason: ["empty", "no_match"] },
      },
    });
  }
  return { specs, groups, commands: commands.length, other: other.length };
}

// ---------------------------------------------------------------------------------------------------
// Synthesis

function schemeString(text) {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** One festival process per batch says many pieces: festival's start-up costs more than a sentence. */
async function festivalBatch(pieces) {
  const lines = [];
  let current = null;
  for (const p of [...pieces].sort((a, b) => a.voice.name.localeCompare(b.voice.name))) {
    if (current !== p.voice.name) {
      lines.push(`(voice_${p.voice.name})`);
      current = p.voice.name;
    }
    if (p.voice.speed === "hts") {
      lines.push(
        `(set! hts_engine_params (append ${p.voice.name}::hts_engine_params (list (list "-r" ${p.rate}))))`,
      );
    } else {
      lines.push(`(Parameter.set 'Duration_Stretch ${(1 / p.rate).toFixed(4)})`);
    }
    lines.push(
      `(utt.save.wave (utt.synth (Utterance Text ${schemeString(p.text)})) ${schemeString(p.tmp)} 'riff)`,
    );
  }
  const script = `${pieces[0].tmp}.scm`;
  writeFileSync(script, `${lines.join("\n")}\n`);
  await exec("festival", ["-b", script], { timeoutMs: 600_000 });
}

async function synthesize(pieces, tmpDir, jobs) {
  pieces.forEach((p, i) => {
    p.tmp = join(tmpDir, `piece-${i}.wav`);
  });
  const festival = pieces.filter((p) => p.voice.engine === "festival");
  const flite = pieces.filter((p) => p.voice.engine === "flite");
  const batches = Array.from({ length: Math.min(jobs, festival.length) }, (_, b) =>
    festival.filter((_, i) => i % jobs === b),
  );
  await Promise.all([
    Promise.all(batches.map((batch) => festivalBatch(batch))),
    pool(flite, Math.max(1, jobs - batches.length), (p) =>
      exec("flite", [
        "-voice",
        p.voice.name,
        "--setf",
        `duration_stretch=${(1 / p.rate).toFixed(4)}`,
        "-t",
        p.text,
        "-o",
        p.tmp,
      ]),
    ),
  ]);
  await pool(pieces, jobs, async (p) => {
    if (!existsSync(p.tmp)) throw new Error(`${p.voice.id} did not say ${JSON.stringify(p.text)}`);
    const raw = await exec("sox", [
      "-R",
      p.tmp,
      "-r",
      String(RATE),
      "-c",
      "1",
      "-b",
      "16",
      "-e",
      "signed-integer",
      "-t",
      "raw",
      "-",
    ]);
    p.samples = trim(pcmOf(raw));
  });
}

// ---------------------------------------------------------------------------------------------------
// Making the files

const round3 = (x) => Math.round(x * 1000) / 1000;

function makeSpeech(spec, said) {
  const parts = spec.pieces.map((p) => Float64Array.from(said.get(pieceKey(p)).samples));
  const seq = [silenceOf(LAYOUT.leadS)];
  parts.forEach((p, i) => {
    if (i > 0) seq.push(silenceOf(LAYOUT.wakePauseS));
    seq.push(p);
  });
  seq.push(silenceOf(LAYOUT.tailS));
  const { samples, spans } = join16(seq);
  const pcm = quantize(normalizePeak(samples, LAYOUT.peakDbfs));
  const first = spans[1];
  const last = spans[spans.length - 2];
  const timing = {
    seconds: round3(pcm.length / RATE),
    speech: { start: round3(first[0] / RATE), end: round3(last[1] / RATE) },
    ...(spec.pieces.length > 1
      ? { wakeEnd: round3(first[1] / RATE), commandStart: round3(last[0] / RATE) }
      : {}),
  };
  return { pcm, timing };
}

function makeNoisy(spec, clean, beds) {
  const { snr, noise } = spec.entry;
  const n = slice(beds.get(noise), clean.length, spec.entry.file);
  const gain = Math.sqrt(activePower(clean) / (meanPower(n) * 10 ** (snr / 10)));
  const mix = new Float64Array(clean.length);
  let peak = 0;
  for (let i = 0; i < clean.length; i++) {
    mix[i] = clean[i] + gain * n[i];
    peak = Math.max(peak, Math.abs(mix[i]));
  }
  // Scale speech and noise together if the mix would clip: the SNR stays as asked.
  const limit = 32767 * 0.98;
  const scaled = peak > limit ? mix.map((v) => (v * limit) / peak) : mix;
  return quantize(scaled);
}

function makeNoiseOnly(spec, beds) {
  const count = Math.round(spec.spec.seconds * RATE);
  if (!spec.spec.noise) return new Int16Array(count);
  const n = slice(beds.get(spec.spec.noise), count, spec.entry.file);
  const gain = (32768 * dbToAmp(spec.spec.levelDbfs)) / Math.sqrt(meanPower(n));
  return quantize(n.map((v) => v * gain));
}

function pieceKey(p) {
  return `${p.voice.id}\0${p.rate}\0${p.text}`;
}

// ---------------------------------------------------------------------------------------------------
// Lock, so that test workers asking for the same set at once wait for one another

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === "EPERM";
  }
}

async function lock(dir) {
  const lockDir = join(dir, ".lock");
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, "pid"), String(process.pid));
      const release = () => rmSync(lockDir, { recursive: true, force: true });
      process.once("exit", release);
      return release;
    } catch (err) {
      if (err.code !== "EEXIST") throw err;
      let pid = Number.NaN;
      try {
        pid = Number(readFileSync(join(lockDir, "pid"), "utf8"));
      } catch {
        // The holder has not written its pid yet.
      }
      if (Number.isInteger(pid) && pid > 0 && !isAlive(pid)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`${lockDir} is held by process ${pid}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Main

function readOldManifest(path) {
  const old = new Map();
  if (!existsSync(path)) return old;
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (!line.trim()) continue;
    try {
      const e = JSON.parse(line);
      old.set(e.file, e);
    } catch {
      // A damaged manifest only costs regeneration.
    }
  }
  return old;
}

async function main() {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        set: { type: "string", default: "ci" },
        out: { type: "string" },
        jobs: { type: "string", default: String(availableParallelism()) },
        seed: { type: "string", default: "hearth-speech-1" },
        quiet: { type: "boolean", default: false },
        "list-voices": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (err) {
    throw new UsageError(err.message);
  }
  const { values } = parsed;
  if (values.help) {
    process.stdout.write(
      "usage: make-speech-corpus.mjs [--set ci|full] [--out DIR] [--jobs N] [--seed TEXT] [--quiet] [--list-voices]\n",
    );
    return 0;
  }
  quiet = values.quiet;
  const voices = await detectVoices();
  if (values["list-voices"]) {
    for (const v of voices) process.stdout.write(`${v.id}\n`);
    return 0;
  }
  const setName = values.set;
  if (!Object.hasOwn(SETS, setName)) throw new UsageError(`unknown set "${setName}" (ci, full)`);
  const jobs = Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError("--jobs takes a whole number ≥ 1");
  if (!voices.some((v) => v.engine === "festival")) {
    throw new Error("festival has no English voice here (apt-get install festvox-kallpc16k)");
  }
  if (!voices.some((v) => v.engine === "flite")) throw new Error("flite has none of its voices here");

  const started = process.hrtime.bigint();
  const outDir = resolve(values.out ?? join(ROOT, ".cache", "speech-corpus", setName));
  mkdirSync(outDir, { recursive: true });
  const release = await lock(outDir);
  try {
    const { specs, groups, commands, other } = plan(setName, voices, values.seed);
    const manifestPath = join(outDir, "manifest.jsonl");
    const old = readOldManifest(manifestPath);
    const have = (spec) => existsSync(join(outDir, spec.entry.file)) && old.has(spec.entry.file);
    const missing = specs.filter((s) => !have(s));
    say(
      `${setName}: ${specs.length} files (${commands} commands over ${groups.length} intent groups, ${other} other sentences; voices ${voices.map((v) => v.id).join(", ")}), ${missing.length} to make`,
    );

    const made = new Map();
    const tmpDir = join(outDir, `.tmp-${process.pid}`);
    mkdirSync(tmpDir, { recursive: true });
    try {
      // 1. Speech: synthesise every piece the missing spoken files need, once.
      const speech = missing.filter((s) => s.make === "speech");
      // Noisy copies whose clean file is not on disk need it made too (it is always in the plan).
      for (const s of missing) {
        if (s.make === "noisy" && !speech.includes(s.clean) && !have(s.clean)) speech.push(s.clean);
      }
      const said = new Map();
      for (const s of speech)
        for (const p of s.pieces) if (!said.has(pieceKey(p))) said.set(pieceKey(p), { ...p });
      if (said.size > 0) {
        const t = process.hrtime.bigint();
        await synthesize([...said.values()], tmpDir, jobs);
        say(`synthesised ${said.size} pieces in ${seconds(t)} s`);
      }
      for (const s of speech) {
        const { pcm, timing } = makeSpeech(s, said);
        writeAtomic(join(outDir, s.entry.file), toWav(pcm));
        made.set(s.entry.file, { ...s.entry, ...timing });
      }

      // 2. Noisy copies and noise-only files.
      const needBeds = new Set(
        missing.flatMap((s) =>
          s.make === "noisy"
            ? [s.entry.noise]
            : s.make === "noise-only" && s.spec.noise
              ? [s.spec.noise]
              : [],
        ),
      );
      const beds = await noiseBeds([...needBeds].sort());
      for (const s of missing) {
        if (s.make === "noisy") {
          const cleanPcm = readWav(join(outDir, s.clean.entry.file));
          const pcm = makeNoisy(s, Float64Array.from(cleanPcm), beds);
          writeAtomic(join(outDir, s.entry.file), toWav(pcm));
          const cleanEntry = made.get(s.clean.entry.file) ?? old.get(s.clean.entry.file);
          const { speech: sp, wakeEnd, commandStart } = cleanEntry;
          made.set(s.entry.file, {
            ...s.entry,
            seconds: round3(pcm.length / RATE),
            speech: sp,
            ...(wakeEnd !== undefined ? { wakeEnd, commandStart } : {}),
          });
        } else if (s.make === "noise-only") {
          const pcm = makeNoiseOnly(s, beds);
          writeAtomic(join(outDir, s.entry.file), toWav(pcm));
          made.set(s.entry.file, { ...s.entry, seconds: round3(pcm.length / RATE) });
        }
      }
    } finally {
      rmSync(tmpDir, { recursive: true, force: true });
    }

    // 3. The manifest, in plan order; then remove WAVs the plan no longer lists.
    const entries = specs.map((s) => made.get(s.entry.file) ?? old.get(s.entry.file));
    writeAtomic(manifestPath, `${entries.map((e) => JSON.stringify(e)).join("\n")}\n`);
    const listed = new Set(entries.map((e) => e.file));
    let removed = 0;
    for (const f of readdirSync(outDir)) {
      // Only files this script names: a WAV of someone else's in an --out folder is left alone.
      if (OWN_FILE.test(f) && !listed.has(f)) {
        rmSync(join(outDir, f), { force: true });
        removed++;
      }
    }
    say(
      `${setName}: ${entries.length} files in ${outDir} (${made.size} made, ${removed} removed) in ${seconds(started)} s`,
    );
  } finally {
    release();
  }
  return 0;
}

function seconds(since) {
  return (Number(process.hrtime.bigint() - since) / 1e9).toFixed(1);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`speech corpus: ${err.message}\n`);
    process.exitCode = err instanceof UsageError ? 2 : 1;
  },
);
