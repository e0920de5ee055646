// Speed of `hearth understand`'s path (hear-recording.ts: the listening loop over the file) and of a
// whole-utterance decode, on any recordings, with each clip's transcript and confidence, so that two
// builds can be compared clip by clip (run it in each checkout, diff the clip lines). Run:
//   node bench/hear-speed.mjs [--config FILE] [--devices N] FILE.wav…   (needs dist/: npm run build)
// --config: default the test fixture home; --devices N: the generated home of bench/generated-home.mjs
// (N devices, N/10 areas) instead of the config's devices, as `bench stt --sizes N` builds it.
// Prints one JSON line per clip, then the CPU time (every thread of this process) per second of audio
// for each path, with the load average: on a shared machine compare builds run one after the other.

import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { readWavFile } from "../dist/audio/wav.js";
import { buildRecordingHearer } from "../dist/cli/commands/transcribe.js";
import { silentLogger } from "../dist/core/logger.js";
import { buildSpeechPath } from "../dist/pipeline/speech-path.js";
import { generatedHome } from "./generated-home.mjs";
import { loadBenchConfig } from "./lib/bench-config.mjs";

const { values: args, positionals: clips } = parseArgs({
  allowPositionals: true,
  options: {
    config: { type: "string", default: "tests/intents/fixtures/home.yaml" },
    devices: { type: "string" },
  },
});
const log = silentLogger();
const loaded = await loadBenchConfig(args.config);
loaded.config.wake.engine = "none";
const hearer = await buildRecordingHearer(loaded, log, { llm: false });
if (args.devices !== undefined) {
  const devices = Number(args.devices);
  hearer.text.registry.replaceAll(generatedHome({ devices, areas: Math.max(3, Math.round(devices / 10)) }));
}
const whole = await buildSpeechPath(loaded, {
  registry: hearer.text.registry,
  sentences: hearer.text.sentences,
  log,
  stages: { stt: true, tts: false, listening: false },
});
const cpuMs = () => {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
};
const said = (r) =>
  `${r.kind === "transcript" ? r.text : `(${r.reason}) ${r.text ?? ""}`.trim()} ${r.confidence?.toFixed(3) ?? ""}`.trim();
let audioS = 0;
let hearMs = 0;
let wholeMs = 0;
const loads = [];
for (const clip of clips) {
  const audio = await readWavFile(clip);
  audioS += audio.length / 16000;
  let started = cpuMs();
  const { heard } = await hearer.hear(audio);
  hearMs += cpuMs() - started;
  started = cpuMs();
  const decoded = await whole.stt.transcribe(audio);
  wholeMs += cpuMs() - started;
  loads.push(loadavg()[0] ?? 0);
  console.log(
    JSON.stringify({ clip, heard: heard.map((h) => said(h.stt)).join(" | "), whole: said(decoded) }),
  );
}
const round = (value) => Math.round(value * 1000) / 1000;
console.log(
  JSON.stringify({
    clips: clips.length,
    audioSeconds: round(audioS),
    hearCpuRtf: round(hearMs / 1000 / audioS),
    wholeCpuRtf: round(wholeMs / 1000 / audioS),
    load1: `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`,
  }),
);
await whole.close();
await hearer.close();
process.exit(0);
