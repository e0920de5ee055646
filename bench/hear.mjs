// `hearth transcribe` / `understand` on real recordings: the path a recording takes (hear-recording.ts:
// the daemon's listening loop over the file, its VAD endpointing, streaming decode and rejection),
// on the real coffee orders of ../shared/speech-dev, clean and with its kitchen noise mixed in.
// Run: npm run bench -- hear [--part dev|check|all] [--from N] [--limit N] [--snr clean,6,12,18,24] [--whole]
// [--show] (each order heard wrong: its label and every utterance heard) [--each] (a line per order as it is heard) [--other] (the real other
// speech instead of the orders, at the same levels: how much is taken for a command) [--computer]
// (the real one-word "computer" recordings instead, clean: how many are heard; with --home) [--config FILE]
// (default bench/coffee/hearth.yaml; another file with the same intents tries other vad or stt
// settings, e.g. stt.pocketsphinx.noise_suppression) [--adaptation none|builtin|PATH]
// (stt.pocketsphinx.adaptation: the acoustic model) [--denoise off|on|auto] [--denoise-dry F] [--denoise-above=DBFS] [--denoise-below-snr DB] (audio.denoise,
// audio.denoise_dry, audio.denoise_above_dbfs, audio.denoise_below_snr_db: RNNoise before the VAD and speech-to-text)
// [--denoise-long-above DBFS|off] (audio.denoise_long_above_dbfs) [--denoise-both-ways on|off] (audio.denoise_both_ways: each utterance decoded denoised and raw while RNNoise runs;
// with it on, each line also gives what the chosen way alone answered, chosenWayAlone, from the same
// run and the same mixes, and the time the second decodes took, secondDecodeMs) [--decoder-options JSON]
// (stt.pocketsphinx.options, e.g. '{"-remove_noise":"no"}') [--rejection JSON] (keys of stt.pocketsphinx,
// e.g. '{"rejection_word_floor":null}' for the rule without the word floor) [--vad JSON] (keys of vad,
// e.g. '{"command_silence_ms":700}') [--home N] (instead of --config: the
// home bench/stt.mjs measures, its sentences with the coffee intents and "computer", in a generated
// home of N devices; with --other, the grammar whose short colour and device sentences other speech
// is taken for) [--noise-slice first|second] (only that half in time of the part's kitchen noise:
// scripts/adapt-acoustic-model.mjs --noise-slice first estimates on the first, this judges on the second).
//
// The clips are split by file (sorted names; even positions "dev", odd "check"), and the kitchen
// recording in time (dev the first half, check the second, as bench/stt.mjs --half does; --part all
// the whole of it): settings and the adaptation are chosen on the first half and the second tells
// how well that choice predicts other people in noise it was not tuned in; --other splits the other
// speech by file the same way. Per level it prints
// accuracy (intent and every labelled slot, as the Picovoice benchmark scores), the orders heard as
// another order and acted on (acceptedWrong: a wrong coffee made), the orders heard right before the
// rejection (the answering utterance's words, accepted or not), where the VAD cut the
// recordings (the words of each order are found on its clean clip, speechSpans: orderCutInTwo, the
// orders whose words were heard as two utterances or more, a pause inside the order taken for its
// end; soundsAfterOrder, the orders followed by an utterance that began after their last word, the
// kitchen's sounds after it; endpointMs, p50 and p95 of the time from an order's last word to the
// end of the utterance that held it, what the endpointing waited before the answer could come;
// splitByPause, which counted the recordings heard as more than one utterance, counted both), and the real-time factor: CPU time (every thread of the
// process) and wall time per second of recording, with the load average beside them (seven
// processes may share two cores). --whole also decodes each clip whole, as the commands did before,
// and prints that path's accuracy and real-time factor beside it. With --denoise auto each level's
// line also counts the utterances heard denoised and those heard as the microphone gave them
// (utterancesDenoised, utterancesRaw: the listening loop's own decision, from its debug log).

import { readdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import pino from "pino";
import { readWavFile } from "../dist/audio/wav.js";
import { buildRecordingHearer } from "../dist/cli/commands/transcribe.js";
import { answeringUtterance } from "../dist/pipeline/hear-recording.js";
import { buildSpeechPath } from "../dist/pipeline/speech-path.js";
import { loadBenchConfig } from "./lib/bench-config.mjs";
import { benchHomeConfig, homeDevices } from "./lib/bench-home.mjs";
import {
  coffeeLabels,
  coffeeWav,
  haveCoffee,
  isLabelledOrder,
  noiseHalf,
  noiseSlice,
  SPEECH_DEV,
} from "./lib/coffee.mjs";
import { mixAtSnr, speechSpans } from "./lib/noise-mix.mjs";
import { seededRandom } from "./lib/seeded-random.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const RATE = 16000;
const { values: args } = parseArgs({
  options: {
    part: { type: "string", default: "dev" },
    limit: { type: "string" },
    from: { type: "string", default: "0" },
    snr: { type: "string", default: "clean,6,12,18,24" },
    whole: { type: "boolean", default: false },
    show: { type: "boolean", default: false },
    each: { type: "boolean", default: false },
    other: { type: "boolean", default: false },
    computer: { type: "boolean", default: false },
    config: { type: "string", default: join(ROOT, "bench", "coffee", "hearth.yaml") },
    adaptation: { type: "string" },
    denoise: { type: "string" },
    "denoise-dry": { type: "string" },
    "denoise-above": { type: "string" },
    "denoise-below-snr": { type: "string" },
    "denoise-both-ways": { type: "string" },
    "denoise-long-above": { type: "string" },
    "decoder-options": { type: "string" },
    rejection: { type: "string" },
    vad: { type: "string" },
    home: { type: "string" },
    "noise-slice": { type: "string" },
  },
});
const round = (value, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;
const out = (fields) =>
  console.log(JSON.stringify({ bench: "hear", ...fields, load1: round(loadavg()[0] ?? 0, 2) }));

if (!haveCoffee()) {
  out({ skipped: `${SPEECH_DEV}/coffee not found` });
  process.exit(0);
}
const labels = coffeeLabels();
const all = Object.keys(labels).sort();
/** The clips of --part: even positions of the sorted names (dev), odd (check), or all. */
const inPart = (sorted) =>
  sorted.filter((_, i) => args.part === "all" || (args.part === "dev" ? i % 2 === 0 : i % 2 === 1));
const part = inPart(all);
/**
 * --from N: the orders from the Nth of the part on. Each level's mixes are drawn in turn from one
 * seeded sequence, so the orders before are still drawn (not heard): an order gets the slice of the
 * kitchen it gets in a run from the first, and a half can be heard in pieces, one process each.
 */
const from = Number(args.from);
const skipped = part.slice(0, from);
const clips = part.slice(from, args.limit ? from + Number(args.limit) : undefined);
/** Each clip's WAV path, converted once now so that the timed loop below does no sox work. */
const wavs = new Map(clips.map((clip) => [clip, coffeeWav(clip)]));

/**
 * audio.denoise auto: how many utterances were heard denoised and how many as the microphone gave
 * them (the listening loop's debug lines), counted per level; nothing else is logged.
 */
const decisions = {
  denoised: 0,
  raw: 0,
  undecided: 0,
  both: 0,
  keptOther: 0,
  switched: 0,
  lines: [],
  secondMs: [],
};
/**
 * Speech-to-text's own time from the end of each utterance to its result (the "run ended" line's
 * timings.stt, wall clock): what a short command waits for its words.
 */
const sttAfterEnd = [];
/** audio.denoise_both_ways: the utterances decoded both ways while the recording being heard was. */
let bothWays = [];
const log = pino(
  { level: "debug" },
  {
    write(line) {
      const { msg, kept, secondMs, firstText, secondText, timings } = JSON.parse(line);
      if (msg === "run ended" && timings?.stt !== undefined) {
        sttAfterEnd.push(Math.round(timings.stt));
        return;
      }
      if (msg === "utterance decoded both ways") {
        decisions.both++;
        if (kept === "second") decisions.keptOther++;
        decisions.secondMs.push(secondMs);
        bothWays.push({ kept: kept === "second" ? secondText : firstText, first: firstText });
        return;
      }
      if (msg === "long utterance switched to the denoised audio") {
        decisions.switched++;
        decisions.lines.push("long: switched to denoised");
        return;
      }
      if (msg?.startsWith("utterance heard denoised")) decisions.denoised++;
      else if (msg?.startsWith("utterance heard as the microphone gave it")) decisions.raw++;
      else return;
      const { backgroundDbfs, aboveDb } = JSON.parse(line);
      decisions.lines.push(
        `${msg === "utterance heard denoised" ? "denoised" : msg.endsWith("until it is long") ? "raw until long" : "raw"} ${backgroundDbfs} dBFS${aboveDb === undefined ? "" : ` +${aboveDb} dB`}`,
      );
    },
  },
);
/** The decisions counted since the last call, for a level's line (auto only). */
function takeDecisions() {
  const counted = { ...decisions };
  decisions.both = 0;
  decisions.keptOther = 0;
  decisions.denoised = 0;
  decisions.raw = 0;
  decisions.undecided = 0;
  decisions.switched = 0;
  decisions.lines = [];
  decisions.secondMs = [];
  return loaded.config.audio.denoise === "auto"
    ? {
        utterancesDenoised: counted.denoised,
        utterancesRaw: counted.raw,
        utterancesUndecided: counted.undecided,
        ...(loaded.config.audio.denoise_long_above_dbfs === null
          ? {}
          : { longSwitchedDenoised: counted.switched }),
        ...(loaded.config.audio.denoise_both_ways
          ? {
              decodedBothWays: counted.both,
              keptTheOtherWay: counted.keptOther,
              secondDecodeMs: percentiles(counted.secondMs),
            }
          : {}),
      }
    : {};
}
/**
 * Hears a recording and counts its utterances that logged no decision of audio.denoise auto (each
 * utterance should log one: denoised, raw for its loud words, or raw in a quiet room).
 */
async function hearCounted(audio) {
  const before = decisions.denoised + decisions.raw;
  bothWays = [];
  const result = await hearer.hear(audio);
  const logged = decisions.denoised + decisions.raw - before;
  const missing = result.heard.length - logged;
  if (missing > 0) {
    decisions.undecided += missing;
    for (let i = 0; i < missing; i++) decisions.lines.push("undecided");
  }
  return result;
}
/**
 * audio.denoise_both_ways: the answering utterance's words as the way audio.denoise chose heard
 * them alone, what `--denoise-both-ways off` answers (a rejection of the chosen way stands with
 * both ways, so the same utterance answers), from the loop's debug lines of the recording just
 * heard; undefined when no utterance was accepted.
 */
function chosenWayText(heard) {
  const answer = heard.find(({ stt }) => stt.kind === "transcript")?.stt;
  if (answer === undefined) return undefined;
  // The first accepted utterance's line, if it was decoded both ways, is the recording's first.
  const line = bothWays[0];
  return line !== undefined && line.kept === answer.text ? line.first : answer.text;
}
const both = () => loaded.config.audio.denoise === "auto" && loaded.config.audio.denoise_both_ways;
/** Milliseconds at the 50th and 95th percentile. */
function percentiles(values) {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return { p50: at(0.5), p95: at(0.95) };
}
const loaded = args.home === undefined ? await loadBenchConfig(args.config) : await benchHomeConfig();
if (args.adaptation !== undefined) loaded.config.stt.pocketsphinx.adaptation = args.adaptation;
if (args.denoise !== undefined) loaded.config.audio.denoise = args.denoise;
if (args["denoise-dry"] !== undefined) loaded.config.audio.denoise_dry = Number(args["denoise-dry"]);
if (args["denoise-above"] !== undefined)
  loaded.config.audio.denoise_above_dbfs = Number(args["denoise-above"]);
if (args["denoise-below-snr"] !== undefined)
  loaded.config.audio.denoise_below_snr_db = Number(args["denoise-below-snr"]);
if (args["denoise-long-above"] !== undefined)
  loaded.config.audio.denoise_long_above_dbfs =
    args["denoise-long-above"] === "off" ? null : Number(args["denoise-long-above"]);
if (args["denoise-both-ways"] !== undefined)
  loaded.config.audio.denoise_both_ways = args["denoise-both-ways"] === "on";
// Both ways: the loop logs the words of each way (at debug), so that one run also tells what the
// chosen way alone answered.
if (loaded.config.audio.denoise_both_ways) loaded.config.logging.transcripts = true;
if (args["decoder-options"] !== undefined)
  Object.assign(loaded.config.stt.pocketsphinx.options, JSON.parse(args["decoder-options"]));
if (args.rejection !== undefined) Object.assign(loaded.config.stt.pocketsphinx, JSON.parse(args.rejection));
if (args.vad !== undefined) Object.assign(loaded.config.vad, JSON.parse(args.vad));
// What is heard, not how fast: on a shared machine under load (30 on two cores) a decode took more
// than the daemon's 10 s speech-to-text deadline, and the run ended with nothing heard.
loaded.config.pipeline.stt_timeout_ms = 600_000;
loaded.config.pipeline.intent_timeout_ms = 600_000;
const hearer = await buildRecordingHearer(loaded, log, { llm: false });
// The generated home's devices: the grammar is rebuilt for them before the first clip is heard.
if (args.home !== undefined) hearer.text.registry.replaceAll(homeDevices(Number(args.home)));
const whole = args.whole
  ? await buildSpeechPath(loaded, {
      registry: hearer.text.registry,
      sentences: hearer.text.sentences,
      log,
      stages: { stt: true, tts: false, listening: false },
    })
  : undefined;
const kitchen = noiseSlice(
  noiseHalf(
    await readWavFile(join(SPEECH_DEV, "kitchen-noise.wav"), { maxSeconds: 3600 }),
    args.part === "all" ? undefined : args.part,
  ),
  args["noise-slice"],
);

/**
 * Whether the transcript is the labelled order (the intent and every labelled slot), and whether it
 * was understood as some order at all (a wrong one, when not right, is a wrong coffee made).
 */
async function judge(text, label) {
  if (text === undefined) return { right: false, order: false };
  const { understanding } = await hearer.text.understanding.understandAsync(text);
  return { right: isLabelledOrder(understanding, label), order: understanding.kind === "recognized" };
}
async function right(text, label) {
  return (await judge(text, label)).right;
}

/**
 * --other: the real other speech of ../shared/speech-dev (40 utterances that are no command) through
 * the same path, clean and mixed with the kitchen noise at each level: how many it takes for a
 * command (a transcript accepted and understood), which must stay at most 1 of 40.
 */
async function otherSpeech() {
  const dir = join(SPEECH_DEV, "other-speech", "not-wake-words");
  const said = new Map(
    readFileSync(join(dir, "metadata.csv"), "utf8")
      .split("\n")
      .map((line) => line.split(","))
      .filter(([name]) => name?.endsWith(".wav"))
      .map(([name, words]) => [name, words]),
  );
  const names = inPart([...said.keys()].sort());
  const heardClips = names.slice(from, args.limit ? from + Number(args.limit) : undefined);
  for (const snr of levels) {
    const random = seededRandom(snr ?? 0);
    for (let i = 0; i < from && snr !== null; i++) random();
    const taken = [];
    let takenAlone = 0;
    let audioMs = 0;
    const spent = { cpuMs: 0, wallMs: 0 };
    for (const name of heardClips) {
      const clean = await readWavFile(join(dir, name));
      const audio = snr === null ? clean : mixAtSnr(clean, kitchen, snr, random);
      audioMs += (audio.length / RATE) * 1000;
      const { heard } = await measured(spent, () => hearCounted(audio));
      const first = answeringUtterance(heard)?.stt;
      if (args.show) showHeard(name, said.get(name), snr, heard);
      const alone = both() ? chosenWayText(heard) : undefined;
      if (
        alone !== undefined &&
        (await hearer.text.understanding.understandAsync(alone)).understanding.kind === "recognized"
      )
        takenAlone++;
      if (first?.kind !== "transcript") continue;
      const understood = (await hearer.text.understanding.understandAsync(first.text)).understanding;
      if (understood.kind === "recognized")
        taken.push({ said: said.get(name), heard: first.text, confidence: round(first.confidence ?? 0, 1) });
    }
    out({
      set: "other speech",
      noise: snr === null ? "clean" : `${snr}dB`,
      part: args.part,
      clips: heardClips.length,
      takenForCommand: taken.length,
      ...(both() ? { takenByTheChosenWayAlone: takenAlone } : {}),
      taken,
      ...takeDecisions(),
      rtfCpu: round(spent.cpuMs / audioMs),
    });
  }
}

/**
 * --computer: the 57 real one-word "computer" recordings of ../shared/speech-dev (split by --part),
 * clean, through the same path: how many are understood as the one-word command. Needs a config
 * whose sentences hold "computer" (--home N).
 */
async function oneWord() {
  const dir = join(SPEECH_DEV, "other-speech", "computer");
  const names = inPart(
    readdirSync(dir)
      .filter((name) => name.endsWith(".wav"))
      .sort(),
  );
  const heardClips = names.slice(from, args.limit ? from + Number(args.limit) : undefined);
  let understood = 0;
  let understoodAlone = 0;
  sttAfterEnd.length = 0;
  let audioMs = 0;
  const spent = { cpuMs: 0, wallMs: 0 };
  for (const name of heardClips) {
    const audio = await readWavFile(join(dir, name));
    audioMs += (audio.length / RATE) * 1000;
    const { heard } = await measured(spent, () => hearCounted(audio));
    const first = answeringUtterance(heard)?.stt;
    const right =
      first?.kind === "transcript" &&
      (await hearer.text.understanding.understandAsync(first.text)).understanding.intents?.[0]?.name ===
        "Computer";
    const alone = both() ? chosenWayText(heard) : undefined;
    if (
      alone !== undefined &&
      (await hearer.text.understanding.understandAsync(alone)).understanding.intents?.[0]?.name === "Computer"
    )
      understoodAlone++;
    if (right) understood++;
    else if (args.show) showHeard(name, "computer", null, heard, "miss");
  }
  out({
    set: '"computer", one word',
    part: args.part,
    clips: heardClips.length,
    understood,
    accuracy: round(understood / heardClips.length),
    ...(both() ? { understoodByTheChosenWayAlone: understoodAlone } : {}),
    ...takeDecisions(),
    sttAfterEndMs: percentiles(sttAfterEnd),
    rtfCpu: round(spent.cpuMs / audioMs),
  });
}

/**
 * Where the VAD cut a recording, against where its words are (found on the clean clip): how many
 * utterances held some of the words (a pause inside the order taken for its end makes two), how
 * many began after the last word (sounds after the order), and the milliseconds from the last word
 * to the end of the utterance that held it.
 */
function whereCut(clean, heard) {
  const spans = speechSpans(clean);
  const first = spans[0]?.start ?? 0;
  const last = spans.at(-1)?.end ?? 0;
  // An utterance holds words when its speech frames overlap them by more than a frame or two.
  const holding = heard.filter(({ seconds }) => seconds.start < last - 0.05 && seconds.end > first + 0.05);
  const ending = holding.at(-1)?.seconds;
  return {
    pieces: holding.length,
    after: heard.filter(({ seconds }) => seconds.start >= last - 0.05).length,
    endpointMs: ending === undefined ? undefined : Math.round((ending.ended - last) * 1000),
  };
}

/** One line per order heard wrong (--show): what was said, and each utterance the recording held. */
function showMiss(clip, snr, heard) {
  showHeard(clip, labels[clip], snr, heard, "miss");
}

/** One line per clip: what was said, and each utterance the recording held, as speech-to-text heard it. */
function showHeard(clip, said, snr, heard, key = "clip") {
  const utterances = heard.map(({ stt, seconds }) => ({
    kind: stt.kind === "transcript" ? "heard" : stt.reason,
    at: `${round(seconds.start, 2)}-${round(seconds.end, 2)}, ended ${round(seconds.ended, 2)}`,
    text: stt.text,
    confidence: stt.confidence === undefined ? undefined : round(stt.confidence, 1),
    from: stt.words?.[0]?.start,
    to: stt.words?.at(-1)?.end,
    words: stt.words
      ?.map((w) => `${w.word}:${round(w.confidence, 1)}@${round(w.end - w.start, 2)}`)
      .join(" "),
  }));
  // audio.denoise auto: the audio each of the clip's utterances was heard in (the last decisions logged).
  const heardIn =
    loaded.config.audio.denoise === "auto" ? { heardIn: decisions.lines.slice(-heard.length) } : {};
  console.log(JSON.stringify({ [key]: clip, noise: snr ?? "clean", said, utterances, ...heardIn }));
}

const levels = args.snr.split(",").map((s) => (s === "clean" ? null : Number(s)));
const summary = [];
const summaryAlone = [];
let noisyWrong = 0;
let noisyWrongAlone = 0;
for (const snr of args.other || args.computer ? [] : levels) {
  const random = seededRandom(snr ?? 0);
  // The orders before --from draw their slices (mixAtSnr draws once an order), unheard.
  for (const _ of snr === null ? [] : skipped) random();
  const file = { correct: 0, wrong: 0, heard: 0, cut: 0, after: 0, cpuMs: 0, wallMs: 0 };
  const endpointMs = [];
  const asWhole = { correct: 0, cpuMs: 0, wallMs: 0, agree: 0 };
  const alone = { correct: 0, wrong: 0 };
  let audioMs = 0;
  for (const clip of clips) {
    const clean = await readWavFile(wavs.get(clip));
    const audio = snr === null ? clean : mixAtSnr(clean, kitchen, snr, random);
    audioMs += (audio.length / RATE) * 1000;
    const { heard } = await measured(file, () => hearCounted(audio));
    const first = answeringUtterance(heard)?.stt;
    const text = first?.kind === "transcript" ? first.text : undefined;
    const verdict = await judge(text, labels[clip]);
    const aloneVerdict = both() ? await judge(chosenWayText(heard), labels[clip]) : undefined;
    if (aloneVerdict?.right) alone.correct++;
    else if (aloneVerdict?.order) alone.wrong++;
    // --each: one line per order as it is heard, so that a long run stopped early still counts.
    if (args.each)
      console.log(
        JSON.stringify({
          each: clip,
          noise: snr ?? "clean",
          right: verdict.right,
          wrong: !verdict.right && verdict.order,
          ...(aloneVerdict
            ? { aloneRight: aloneVerdict.right, aloneWrong: !aloneVerdict.right && aloneVerdict.order }
            : {}),
          secondMs: bothWays.length > 0 ? decisions.secondMs.slice(-bothWays.length) : [],
        }),
      );
    if (verdict.right) {
      file.correct++;
      file.heard++;
    } else {
      if (verdict.order) file.wrong++;
      // Heard right but rejected: the words of the answering utterance, before the rejection.
      const words = first?.kind === "rejected" ? first.text : undefined;
      if (await right(words, labels[clip])) file.heard++;
      if (args.show) showMiss(clip, snr, heard);
    }
    const cuts = whereCut(clean, heard);
    if (cuts.pieces > 1) file.cut++;
    if (cuts.after > 0) file.after++;
    if (cuts.endpointMs !== undefined) endpointMs.push(cuts.endpointMs);
    if (whole) {
      const result = await measured(asWhole, () => whole.stt.transcribe(audio));
      const wholeText = result.kind === "transcript" ? result.text : undefined;
      if (await right(wholeText, labels[clip])) asWhole.correct++;
      if (wholeText === text) asWhole.agree++;
    }
  }
  const accuracy = file.correct / clips.length;
  if (snr !== null) {
    summary.push(accuracy);
    noisyWrong += file.wrong;
    summaryAlone.push(alone.correct / clips.length);
    noisyWrongAlone += alone.wrong;
  }
  out({
    set: "coffee",
    part: args.part,
    noise: snr === null ? "clean" : `${snr}dB`,
    clips: clips.length,
    ...(from > 0 ? { from } : {}),
    accuracy: round(accuracy),
    correct: file.correct,
    acceptedWrong: file.wrong,
    heardBeforeRejection: round(file.heard / clips.length),
    orderCutInTwo: file.cut,
    soundsAfterOrder: file.after,
    endpointMs: percentiles(endpointMs),
    ...(both() ? { chosenWayAlone: { correct: alone.correct, acceptedWrong: alone.wrong } } : {}),
    ...takeDecisions(),
    rtfCpu: round(file.cpuMs / audioMs),
    rtfWall: round(file.wallMs / audioMs),
    ...(whole
      ? {
          whole: {
            accuracy: round(asWhole.correct / clips.length),
            sameTranscript: asWhole.agree,
            rtfCpu: round(asWhole.cpuMs / audioMs),
            rtfWall: round(asWhole.wallMs / audioMs),
          },
        }
      : {}),
  });
}
if (summary.length > 0)
  out({
    set: "coffee",
    part: args.part,
    noise: "6–24 dB averaged",
    accuracy: round(summary.reduce((a, b) => a + b, 0) / summary.length),
    acceptedWrong: noisyWrong,
    ...(both()
      ? {
          chosenWayAlone: {
            accuracy: round(summaryAlone.reduce((a, b) => a + b, 0) / summaryAlone.length),
            acceptedWrong: noisyWrongAlone,
          },
        }
      : {}),
    adaptation: loaded.config.stt.pocketsphinx.adaptation,
    ...(args["noise-slice"] ? { noiseSlice: args["noise-slice"] } : {}),
    denoise:
      loaded.config.audio.denoise === "off"
        ? "off"
        : loaded.config.audio.denoise === "auto"
          ? `auto above ${loaded.config.audio.denoise_above_dbfs} dBFS below ${loaded.config.audio.denoise_below_snr_db} dB SNR, long utterances above ${loaded.config.audio.denoise_long_above_dbfs} dBFS, dry ${loaded.config.audio.denoise_dry}`
          : `on, dry ${loaded.config.audio.denoise_dry}`,
  });
if (args.other) await otherSpeech();
if (args.computer) await oneWord();
await whole?.close();
await hearer.close();
process.exit(0);

/** Runs `work`, adding the CPU time of this process and the wall time it took to `into` (milliseconds). */
async function measured(into, work) {
  const cpu = process.cpuUsage();
  const wall = performance.now();
  const value = await work();
  const used = process.cpuUsage(cpu);
  into.cpuMs += (used.user + used.system) / 1000;
  into.wallMs += performance.now() - wall;
  return value;
}
