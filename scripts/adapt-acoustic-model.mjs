#!/usr/bin/env node
/**
 * Rebuilds the adaptation of pocketsphinx's US English model (Debian's pocketsphinx-en-us) to real
 * voices: src/audio/stt/adaptation/en-us.mllr (the MLLR transform that
 * `stt.pocketsphinx.adaptation: builtin` selects), or with --method map or mllr+map a folder of
 * adapted means and variances (default src/audio/stt/adaptation/en-us/; not shipped, as MAP did not
 * beat the stock model on other people: docs/benchmarks.md), which a path in
 * `stt.pocketsphinx.adaptation` selects.
 *
 *   node scripts/adapt-acoustic-model.mjs [--method mllr|map|mllr+map] [--tau N] [--snrs 6,12,18,24]
 *                                         [--iterations N] [--speech-dev DIR] [--out PATH]
 *                                         [--transcripts FILE] [--denoise] [--denoise-noisy] [--denoise-dry F]
 *                                         [--from N] [--orders N] [--noise-slice first|second] [--keep]
 *
 * Needs dist/ (npm run build), sox, and Debian's sphinxtrain and sphinxbase-utils (bw, mllr_solve,
 * mllr_transform, map_adapt, sphinx_fe). The data: the coffee orders of ../shared/speech-dev, the
 * development half (even positions of the sorted names; the check half stays for judging the
 * result: bench/hear.mjs --part check, bench/stt.mjs --half check). Their transcripts come from the
 * labels and the grammar: each clip is decoded with the stock model on bench/coffee/hearth.yaml's
 * grammar, and kept when what it was heard as carries exactly the labelled intent and slots
 * (--transcripts caches them in a JSON file).
 *
 * --orders N trains on the first N kept orders only (default all of them). --from N leaves out the
 * first N clips of the development half (kept or not), so that `bench/hear.mjs --part dev --limit N`
 * judges the result on orders it was not estimated on; --noise-slice first|second mixes only that
 * half in time of the development half of the kitchen recording (`bench/hear.mjs --noise-slice`
 * judges on the other one).
 *
 * Multi-condition: each kept order is trained on clean and, for each of --snrs (default
 * 6,12,18,24; "" for clean only), mixed with the first half in time of the kitchen recording
 * (kitchen-noise.wav) at that SNR, a seeded slice per copy; the second half stays for judging.
 *
 * --denoise: every copy, clean and noisy, is first heard through RNNoise as `audio.denoise: on`
 * hears it (dist/'s denoiser, with --denoise-dry of the original mixed back, default 0.15), after
 * 2 s of the same room before it as a live microphone gives, so the transform fits what the
 * decoder hears when denoising is on: src/audio/stt/adaptation/en-us-denoised.mllr (what
 * `stt.pocketsphinx.adaptation: builtin-denoised` selects). Without it the transform is fitted to
 * the raw audio (en-us.mllr). --denoise-noisy: the noisy copies through RNNoise and the clean copy
 * as it is, as `audio.denoise: auto` hears a loud kitchen and a quiet room
 * (written to src/audio/stt/adaptation/en-us-auto.mllr unless --out says otherwise; not shipped, as
 * judged on development orders and noise it was not estimated on it heard 2 orders of 160 more and
 * took more other speech: docs/benchmarks.md; a path in `stt.pocketsphinx.adaptation` selects it).
 *
 * How: the features are computed as pocketsphinx computes them (feat.params, its noise removal and
 * silence removal), Baum-Welch (bw) collects the statistics of the model's Gaussians over the forced
 * alignment of each transcript. --method mllr (the default): mllr_solve fits one affine transform of all the
 * means (one regression class, which is what pocketsphinx's -mllr applies); --iterations above 1
 * aligns again with the transform of the pass before applied (bw -mllrmat) and fits the next.
 * --method map: map_adapt moves each Gaussian's mean and variance towards the statistics it
 * collected, as far as the amount of data it saw allows (Bayesian updating, or a fixed prior weight
 * with --tau). --method mllr+map: the MLLR transform first, applied to the means
 * (mllr_transform), then the statistics collected again on that model and MAP on top of it, so
 * Gaussians the orders seldom reach keep the transform's move. MAP writes the whole means and
 * variances (819 KB each, the model's own sizes); the model's states, mixture weights and
 * transitions stay the stock ones.
 */
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { coffeeHalf, noiseHalf, noiseSlice } from "../bench/lib/coffee.mjs";
import { mixAtSnr } from "../bench/lib/noise-mix.mjs";
import { seededRandom } from "../bench/lib/seeded-random.mjs";
import {
  conditionId,
  denoisedConditions,
  mixtureWeightsFromSendump,
  parseSnrs,
  trainingConditions,
  trainingLists,
} from "./lib/adaptation-data.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const MODEL = "/usr/share/pocketsphinx/model/en-us/en-us";
const DICTIONARY = "/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict";
const SPHINXTRAIN = "/usr/lib/sphinxtrain";

/** The file or folder each kind of training audio writes by default. */
const MODEL_NAMES = { none: "en-us", all: "en-us-denoised", noisy: "en-us-auto" };

const { values: args } = parseArgs({
  options: {
    "speech-dev": { type: "string", default: join(ROOT, "..", "shared", "speech-dev") },
    method: { type: "string", default: "mllr" },
    tau: { type: "string" },
    out: { type: "string" },
    keep: { type: "boolean", default: false },
    snrs: { type: "string", default: "6,12,18,24" },
    iterations: { type: "string", default: "1" },
    transcripts: { type: "string" },
    denoise: { type: "boolean", default: false },
    "denoise-noisy": { type: "boolean", default: false },
    from: { type: "string", default: "0" },
    "noise-slice": { type: "string" },
    "denoise-dry": { type: "string", default: "0.15" },
    orders: { type: "string" },
  },
});
const snrs = parseSnrs(args.snrs);
const method = args.method;
if (!["mllr", "map", "mllr+map"].includes(method)) throw new Error("--method takes mllr, map or mllr+map");
const tau = args.tau === undefined ? undefined : Number(args.tau);
if (tau !== undefined && !(tau > 0)) throw new Error("--tau takes a positive number");
const ADAPTATION = join(ROOT, "src", "audio", "stt", "adaptation");
const orders = args.orders === undefined ? undefined : Number(args.orders);
if (orders !== undefined && !(Number.isInteger(orders) && orders >= 1))
  throw new Error("--orders takes a whole number from 1");
const from = Number(args.from);
if (!(Number.isInteger(from) && from >= 0)) throw new Error("--from takes a whole number from 0");
if (!(args["noise-slice"] === undefined || ["first", "second"].includes(args["noise-slice"])))
  throw new Error(`noise slice "${args["noise-slice"]}": first or second`);
if (args.denoise && args["denoise-noisy"]) throw new Error("--denoise and --denoise-noisy: one of them");
const denoising = args.denoise ? "all" : args["denoise-noisy"] ? "noisy" : "none";
const denoiseDry = Number(args["denoise-dry"]);
if (!(denoiseDry >= 0 && denoiseDry <= 1)) throw new Error("--denoise-dry takes a share from 0 to 1");
const out =
  args.out ??
  (method === "mllr"
    ? join(ADAPTATION, `${MODEL_NAMES[denoising]}.mllr`)
    : join(ADAPTATION, MODEL_NAMES[denoising]));
const iterations = Number(args.iterations);
if (!(Number.isInteger(iterations) && iterations >= 1))
  throw new Error("--iterations takes a whole number from 1");

function run(command, argv, options = {}) {
  const result = spawnSync(command, argv, { encoding: "utf8", maxBuffer: 1 << 28, ...options });
  if (result.status !== 0) {
    process.stderr.write(result.stderr?.slice(-4000) ?? "");
    throw new Error(`${command} failed (exit ${result.status})`);
  }
  return result;
}

/**
 * The coffee clips of the development half with the transcripts the stock model heard for them,
 * each converted to 16 kHz WAV under `wavDir`.
 */
async function transcripts(speechDev, wavDir) {
  const labels = JSON.parse(readFileSync(join(speechDev, "coffee", "labels.json"), "utf8"));
  const clips = coffeeHalf(Object.keys(labels).sort(), "dev").slice(from);
  for (const clip of clips)
    run("sox", [
      join(speechDev, "coffee", "audio", clip),
      "-r",
      "16000",
      "-c",
      "1",
      "-b",
      "16",
      join(wavDir, clip.replace(/\.flac$/, ".wav")),
    ]);
  if (args.transcripts && existsSync(args.transcripts)) {
    const ids = new Set(clips.map((clip) => clip.replace(/\.flac$/, "")));
    const cached = JSON.parse(readFileSync(args.transcripts, "utf8")).filter(({ id }) => ids.has(id));
    process.stderr.write(`${cached.length} transcripts read from ${args.transcripts}\n`);
    return cached;
  }
  const { buildTextPath } = await import(join(ROOT, "dist", "app.js"));
  const { loadConfig } = await import(join(ROOT, "dist", "config", "loader.js"));
  const { silentLogger } = await import(join(ROOT, "dist", "core", "logger.js"));
  const { readWavFile } = await import(join(ROOT, "dist", "audio", "wav.js"));
  const { buildSpeechPath } = await import(join(ROOT, "dist", "pipeline", "speech-path.js"));
  const log = silentLogger();
  const loaded = await loadConfig(join(ROOT, "bench", "coffee", "hearth.yaml"));
  // The stock model, whatever the config says, and every sentence however unsure.
  loaded.config.stt.pocketsphinx.adaptation = "none";
  loaded.config.stt.pocketsphinx.rejection = false;
  const text = await buildTextPath(loaded, { llm: false, log });
  const speech = await buildSpeechPath(loaded, {
    registry: text.registry,
    log,
    stages: { stt: true, tts: false, listening: false },
  });
  const kept = [];
  for (const clip of clips) {
    const id = clip.replace(/\.flac$/, "");
    const heard = await speech.stt.transcribe(await readWavFile(join(wavDir, `${id}.wav`)));
    if (!heard.text) continue;
    const u = (await text.understanding.understandAsync(heard.text)).understanding;
    const intent = u.kind === "recognized" ? u.intents[0] : undefined;
    const label = labels[clip];
    const right =
      intent?.name === label.intent &&
      Object.entries(label.slots).every(
        ([slot, value]) => String(intent.slots[slot] ?? "").trim() === value.trim(),
      );
    if (right) kept.push({ id, text: heard.text });
  }
  await speech.close();
  await text.close();
  process.stderr.write(`${kept.length} of ${clips.length} clips kept with their transcripts\n`);
  if (args.transcripts) writeFileSync(args.transcripts, `${JSON.stringify(kept, null, 1)}\n`);
  return kept;
}

/** Seconds of the room heard before each copy when denoising: RNNoise's state settles on it, as on a live microphone. */
const LEAD_S = 2;
/** Seconds after it, so the denoiser's delay does not cut the copy's end. */
const TAIL_S = 0.5;

/**
 * Each kept order in every training condition: the clean WAV as it is, and a copy mixed with the
 * development half of the kitchen recording per SNR (a seeded slice each, so a rebuild is the same);
 * with --denoise, each of them as RNNoise gives it back.
 */
async function conditions(speechDev, wavDir, kept) {
  const conditionList = trainingConditions(snrs);
  const heardDenoised = denoisedConditions(conditionList, denoising);
  if (conditionList.length === 1 && heardDenoised.size === 0) return kept;
  const { readWavFile, writeWavFile } = await import(join(ROOT, "dist", "audio", "wav.js"));
  const noise = noiseSlice(
    noiseHalf(await readWavFile(join(speechDev, "kitchen-noise.wav"), { maxSeconds: 3600 }), "dev"),
    args["noise-slice"],
  );
  const denoiser = heardDenoised.size > 0 ? await startDenoiser() : undefined;
  const random = seededRandom(7);
  const utterances = [];
  for (const { id, text } of kept) {
    const speech = await readWavFile(join(wavDir, `${id}.wav`));
    for (const snr of conditionList) {
      const cid = conditionId(id, snr);
      if (denoiser && heardDenoised.has(snr)) {
        const lead = LEAD_S * 16000;
        const padded = new Int16Array(lead + speech.length + TAIL_S * 16000);
        padded.set(speech, lead);
        const heard = snr === null ? padded : mixAtSnr(padded, noise, snr, random);
        await writeWavFile(join(wavDir, `${cid}.wav`), {
          sampleRate: 16000,
          samples: denoised(denoiser, heard).slice(lead, lead + speech.length),
        });
      } else if (snr !== null) {
        // The same draws as a denoised copy's, so each order gets the same slice of noise either way.
        const lead = denoiser ? LEAD_S * 16000 : 0;
        const padded = new Int16Array(lead + speech.length + (denoiser ? TAIL_S * 16000 : 0));
        padded.set(speech, lead);
        await writeWavFile(join(wavDir, `${cid}.wav`), {
          sampleRate: 16000,
          samples: mixAtSnr(padded, noise, snr, random).slice(lead, lead + speech.length),
        });
      }
      utterances.push({ id: cid, text });
    }
  }
  await denoiser?.stop();
  process.stderr.write(
    `${utterances.length} training utterances: ${kept.length} orders, clean${snrs.map((snr) => ` and ${snr} dB`).join("")}${denoiser ? `, ${denoising === "all" ? "all" : "the noisy ones"} denoised (dry ${denoiseDry})` : ""}\n`,
  );
  return utterances;
}

/** RNNoise as `audio.denoise: on` builds it. */
async function startDenoiser() {
  const { createDenoiser } = await import(join(ROOT, "dist", "audio", "denoise", "create-denoiser.js"));
  const denoiser = createDenoiser({ denoise: "on", denoise_dry: denoiseDry });
  await denoiser.start();
  return denoiser;
}

/** `samples` through a fresh denoiser stream in 80 ms chunks, its delay taken out (same length). */
function denoised(denoiser, samples) {
  const stream = denoiser.begin();
  const chunk = 1280;
  const out = new Int16Array(samples.length + stream.latencySamples + chunk);
  let at = 0;
  for (let i = 0; i < out.length; i += chunk) {
    const piece = new Int16Array(chunk);
    piece.set(samples.subarray(Math.min(i, samples.length), Math.min(i + chunk, samples.length)));
    const got = stream.process(piece);
    out.set(got.subarray(0, Math.min(got.length, out.length - at)), at);
    at += got.length;
  }
  stream.close();
  return out.slice(stream.latencySamples, stream.latencySamples + samples.length);
}

const work = mkdtempSync(join(tmpdir(), "hearth-adapt-"));
try {
  const wavDir = join(work, "wav");
  const featDir = join(work, "feat");
  const hmm = join(work, "hmm");
  for (const dir of [wavDir, featDir, hmm]) mkdirSync(dir);
  for (const file of readdirSync(MODEL)) copyFileSync(join(MODEL, file), join(hmm, file));
  writeFileSync(
    join(hmm, "mixture_weights"),
    mixtureWeightsFromSendump(readFileSync(join(MODEL, "sendump"))),
  );
  run("pocketsphinx_mdef_convert", ["-text", join(MODEL, "mdef"), join(hmm, "mdef.txt")]);

  const utterances = await conditions(
    args["speech-dev"],
    wavDir,
    (await transcripts(args["speech-dev"], wavDir)).slice(0, orders),
  );
  const fileids = join(work, "adapt.fileids");
  const transcription = join(work, "adapt.transcription");
  const lists = trainingLists(utterances);
  writeFileSync(fileids, lists.fileids);
  writeFileSync(transcription, lists.transcription);
  // The front end's settings are the model's own (feat.params), as pocketsphinx reads them.
  const params = readFileSync(join(MODEL, "feat.params"), "utf8")
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter(([key]) => ["-lowerf", "-upperf", "-nfilt", "-transform", "-lifter"].includes(key))
    .flat();
  run("sphinx_fe", [
    ...params,
    "-samprate",
    "16000",
    "-mswav",
    "yes",
    "-c",
    fileids,
    "-di",
    wavDir,
    "-do",
    featDir,
    "-ei",
    "wav",
    "-eo",
    "mfc",
  ]);
  mkdirSync(dirname(out), { recursive: true });
  /** Baum-Welch over the forced alignments: the statistics of the model in `hmmDir`'s Gaussians. */
  const collect = (name, hmmDir, mllr) => {
    const accum = join(work, name);
    mkdirSync(accum);
    run(join(SPHINXTRAIN, "bw"), [
      "-hmmdir",
      hmmDir,
      "-moddeffn",
      join(hmm, "mdef.txt"),
      "-ts2cbfn",
      ".ptm.",
      "-feat",
      "1s_c_d_dd",
      "-svspec",
      "0-12/13-25/26-38",
      "-cmn",
      "batch",
      "-agc",
      "none",
      "-dictfn",
      DICTIONARY,
      "-fdictfn",
      join(hmm, "noisedict"),
      "-ctlfn",
      fileids,
      "-lsnfn",
      transcription,
      "-cepdir",
      featDir,
      "-accumdir",
      accum,
      ...(mllr ? ["-mllrmat", mllr] : []),
    ]);
    return accum;
  };
  let previous;
  const mllrPasses = method === "map" ? 0 : iterations;
  for (let pass = 1; pass <= mllrPasses; pass++) {
    const accum = collect(`accum-${pass}`, hmm, previous);
    // Each pass's transform is fitted to the original means, on an alignment with the last one applied.
    const transform = pass === iterations && method === "mllr" ? out : join(work, `pass-${pass}.mllr`);
    run(join(SPHINXTRAIN, "mllr_solve"), [
      "-meanfn",
      join(hmm, "means"),
      "-varfn",
      join(hmm, "variances"),
      "-outmllrfn",
      transform,
      "-accumdir",
      accum,
    ]);
    previous = transform;
  }
  if (method !== "mllr") {
    // MAP: each Gaussian's mean and variance moved towards the adaptation data as far as the
    // data it saw allows (sphinxtrain's map_adapt). After MLLR, the prior is the transformed model,
    // so Gaussians the orders seldom reach keep the transform's move instead of none.
    let prior = hmm;
    if (previous) {
      prior = join(work, "hmm-mllr");
      mkdirSync(prior);
      for (const file of readdirSync(hmm)) copyFileSync(join(hmm, file), join(prior, file));
      run(join(SPHINXTRAIN, "mllr_transform"), [
        "-inmeanfn",
        join(hmm, "means"),
        "-outmeanfn",
        join(prior, "means"),
        "-mllrmat",
        previous,
      ]);
    }
    const accum = collect("accum-map", prior);
    mkdirSync(out, { recursive: true });
    run(join(SPHINXTRAIN, "map_adapt"), [
      "-moddeffn",
      join(hmm, "mdef.txt"),
      "-ts2cbfn",
      ".ptm.",
      "-meanfn",
      join(prior, "means"),
      "-varfn",
      join(prior, "variances"),
      "-mixwfn",
      join(prior, "mixture_weights"),
      "-tmatfn",
      join(prior, "transition_matrices"),
      "-accumdir",
      accum,
      ...(tau === undefined ? [] : ["-bayesmean", "no", "-fixedtau", "yes", "-tau", String(tau)]),
      "-mapmeanfn",
      join(out, "means"),
      "-mapvarfn",
      join(out, "variances"),
      // Written because map_adapt requires them; Hearth keeps the model's own mixture weights
      // and transitions (the weights are 7.9 MB as floats).
      "-mapmixwfn",
      join(work, "map-mixture_weights"),
      "-maptmatfn",
      join(work, "map-transition_matrices"),
    ]);
  }
  process.stderr.write(`wrote ${out} from ${utterances.length} utterances\n`);
} finally {
  if (args.keep) process.stderr.write(`work files kept in ${work}\n`);
  else rmSync(work, { recursive: true, force: true });
}
if (!existsSync(method === "mllr" ? out : join(out, "means"))) process.exit(1);
