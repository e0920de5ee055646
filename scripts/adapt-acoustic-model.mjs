#!/usr/bin/env node
/**
 * Rebuilds the MLLR transform that adapts pocketsphinx's US English model (Debian's
 * pocketsphinx-en-us) to real voices: src/audio/stt/adaptation/en-us.mllr, which
 * `stt.pocketsphinx.adaptation: builtin` selects.
 *
 *   node scripts/adapt-acoustic-model.mjs [--speech-dev DIR] [--out FILE] [--keep]
 *
 * Needs dist/ (npm run build), sox, and Debian's sphinxtrain and sphinxbase-utils (bw, mllr_solve,
 * sphinx_fe). The data: the coffee orders of ../shared/speech-dev, the half with an even index in
 * name order (the other half stays for judging the result: bench/stt.mjs). Their transcripts come
 * from the labels and the grammar: each clip is decoded with the stock model on
 * bench/coffee/hearth.yaml's grammar, and kept when what it was heard as carries exactly the
 * labelled intent and slots.
 *
 * How: the features are computed as pocketsphinx computes them (feat.params), Baum-Welch (bw)
 * collects the statistics of the model's Gaussians over the forced alignment of each transcript,
 * and mllr_solve fits one affine transform of the means to them. One transform for every Gaussian
 * (one regression class): with a few hundred utterances of many speakers it moves the model
 * towards real microphones and rooms rather than towards any one person.
 *
 * Debian ships the model's mixture weights only in pocketsphinx's compressed form (sendump); bw
 * needs them as a plain Sphinx-3 mixture_weights file, which is written here from sendump.
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

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const MODEL = "/usr/share/pocketsphinx/model/en-us/en-us";
const DICTIONARY = "/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict";
const SPHINXTRAIN = "/usr/lib/sphinxtrain";

const { values: args } = parseArgs({
  options: {
    "speech-dev": { type: "string", default: join(ROOT, "..", "shared", "speech-dev") },
    out: { type: "string", default: join(ROOT, "src", "audio", "stt", "adaptation", "en-us.mllr") },
    keep: { type: "boolean", default: false },
  },
});

function run(command, argv, options = {}) {
  const result = spawnSync(command, argv, { encoding: "utf8", maxBuffer: 1 << 28, ...options });
  if (result.status !== 0) {
    process.stderr.write(result.stderr?.slice(-4000) ?? "");
    throw new Error(`${command} failed (exit ${result.status})`);
  }
  return result;
}

/**
 * pocketsphinx's sendump (8-bit mixture weights, -log base 1.0001, shifted right by 10) as a
 * Sphinx-3 mixture_weights file (float32 [senone][stream][density], each row summing to 1).
 */
function mixtureWeightsFromSendump(sendump, out) {
  const data = readFileSync(sendump);
  let pos = 0;
  const int = () => {
    const v = data.readInt32LE(pos);
    pos += 4;
    return v;
  };
  const title = int();
  if (title < 1 || title > 999) throw new Error("sendump: not a little-endian sendump file");
  pos += title;
  pos += int(); // the header string
  let streams = 1;
  for (let n = int(); n !== 0; n = int()) {
    const line = data.toString("latin1", pos, pos + n).replace(/\0+$/, "");
    pos += n;
    const [key, value] = line.split(" ");
    if (key === "feature_count") streams = Number(value);
    if (key === "cluster_count" && Number(value) !== 0) throw new Error("sendump: clustered weights");
  }
  const densities = int();
  const senones = int();
  const weights = new Float32Array(senones * streams * densities);
  const row = new Float64Array(densities);
  for (let s = 0; s < senones; s++) {
    for (let f = 0; f < streams; f++) {
      let sum = 0;
      for (let d = 0; d < densities; d++) {
        const q = data[pos + (f * densities + d) * senones + s];
        row[d] = 1.0001 ** -(q * 1024);
        sum += row[d];
      }
      for (let d = 0; d < densities; d++) weights[(s * streams + f) * densities + d] = row[d] / sum;
    }
  }
  const header = Buffer.from("s3\nversion 1.0\nendhdr\n", "latin1");
  const sizes = Buffer.alloc(20);
  sizes.writeUInt32LE(0x11223344, 0);
  sizes.writeUInt32LE(senones, 4);
  sizes.writeUInt32LE(streams, 8);
  sizes.writeUInt32LE(densities, 12);
  sizes.writeUInt32LE(weights.length, 16);
  writeFileSync(out, Buffer.concat([header, sizes, Buffer.from(weights.buffer)]));
}

/** The coffee clips of the adaptation half with the transcripts the stock model heard for them. */
async function transcripts(speechDev, wavDir) {
  const { buildTextPath } = await import(join(ROOT, "dist", "app.js"));
  const { loadConfig } = await import(join(ROOT, "dist", "config", "loader.js"));
  const { silentLogger } = await import(join(ROOT, "dist", "core", "logger.js"));
  const { readWavFile } = await import(join(ROOT, "dist", "audio", "wav.js"));
  const { buildSpeechPath } = await import(join(ROOT, "dist", "pipeline", "speech-path.js"));
  const log = silentLogger();
  const labels = JSON.parse(readFileSync(join(speechDev, "coffee", "labels.json"), "utf8"));
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
  const clips = Object.keys(labels)
    .sort()
    .filter((_, i) => i % 2 === 0);
  for (const clip of clips) {
    const id = clip.replace(/\.flac$/, "");
    const wav = join(wavDir, `${id}.wav`);
    run("sox", [join(speechDev, "coffee", "audio", clip), "-r", "16000", "-c", "1", "-b", "16", wav]);
    const heard = await speech.stt.transcribe(await readWavFile(wav));
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
  return kept;
}

const work = mkdtempSync(join(tmpdir(), "hearth-adapt-"));
try {
  const wavDir = join(work, "wav");
  const featDir = join(work, "feat");
  const hmm = join(work, "hmm");
  const accum = join(work, "accum");
  for (const dir of [wavDir, featDir, hmm, accum]) mkdirSync(dir);
  for (const file of readdirSync(MODEL)) copyFileSync(join(MODEL, file), join(hmm, file));
  mixtureWeightsFromSendump(join(MODEL, "sendump"), join(hmm, "mixture_weights"));
  run("pocketsphinx_mdef_convert", ["-text", join(MODEL, "mdef"), join(hmm, "mdef.txt")]);

  const utterances = await transcripts(args["speech-dev"], wavDir);
  const fileids = join(work, "adapt.fileids");
  const transcription = join(work, "adapt.transcription");
  writeFileSync(fileids, utterances.map((u) => `${u.id}\n`).join(""));
  writeFileSync(transcription, utterances.map((u) => `<s> ${u.text} </s> (${u.id})\n`).join(""));
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
  run(join(SPHINXTRAIN, "bw"), [
    "-hmmdir",
    hmm,
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
  ]);
  mkdirSync(dirname(args.out), { recursive: true });
  run(join(SPHINXTRAIN, "mllr_solve"), [
    "-meanfn",
    join(hmm, "means"),
    "-varfn",
    join(hmm, "variances"),
    "-outmllrfn",
    args.out,
    "-accumdir",
    accum,
  ]);
  process.stderr.write(`wrote ${args.out} from ${utterances.length} utterances\n`);
} finally {
  if (args.keep) process.stderr.write(`work files kept in ${work}\n`);
  else rmSync(work, { recursive: true, force: true });
}
if (!existsSync(args.out)) process.exit(1);
