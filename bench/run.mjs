// `npm run bench`: every benchmark in turn, each printing JSON lines with figures and their ratio to
// the targets. `npm run bench -- intents mqtt` runs only those; flags after the names go to each of
// them (`npm run bench -- stt --only coffee --sizes 100 --limit 30`). Benchmarks that need data from
// ../shared/speech-dev (real voices) say so and skip when it is absent.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const BENCHES = [
  {
    name: "intents",
    file: "bench/intents.mjs",
    what: "text path: parse latency, compile time, RSS at 500 devices",
  },
  {
    name: "packs",
    file: "bench/packs.mjs",
    what: "Home Assistant language packs (en, de): compile time, parse latency, sentences/s vs hassil",
  },
  {
    name: "heldout",
    file: "bench/heldout.mjs",
    what: "text path on held-out commands and non-commands (English; --lang de for German; --set ha / --set ha2 for Assist-style commands over every intent; --set talk for everyday talk, --lang de --set talk for German everyday talk; --set us for an American home): understood, wrong, others taken as commands",
  },
  {
    name: "mqtt",
    file: "bench/mqtt.mjs",
    what: "command topic → device publish latency, broker restart counts",
  },
  {
    name: "homeassistant",
    file: "bench/homeassistant.mjs",
    what: "command topic → Home Assistant call_service latency",
  },
  {
    name: "stt",
    file: "bench/stt.mjs",
    what: "speech-to-text per set (real coffee orders clean and in noise, one-word commands, other speech; synthetic home commands) at 10/100/500 devices: accuracy, real-time factor, end of speech → publish",
  },
  {
    name: "hear",
    file: "bench/hear.mjs",
    what: "hearth transcribe/understand on real coffee orders (dev/check halves, clean and in kitchen noise): accuracy, pauses that split an order, real-time factor",
  },
  {
    name: "memory",
    file: "bench/memory.mjs",
    what: "idle RSS of the daemon without an LLM, and what each part (STT, VAD, wake word) costs",
  },
  {
    name: "grammar-memory",
    file: "bench/grammar-memory.mjs",
    what: "malloc held by pocketsphinx's decoder and by the home's speech grammar search (glibc's count)",
  },
  { name: "llm", file: "bench/llm.mjs", what: "LLM overhead, time to first token, tokens/s, load time, RSS" },
  {
    name: "wake",
    file: "bench/wake.mjs",
    what: "wake word on real voices: detection, false accepts, CPU (minutes)",
  },
];

// Names first, then flags: a flag's value may be a step that shares a benchmark's name (--only wake).
const argv = process.argv.slice(2);
const firstFlag = argv.findIndex((a) => a.startsWith("-"));
const wanted = firstFlag === -1 ? argv : argv.slice(0, firstFlag);
const flags = firstFlag === -1 ? [] : argv.slice(firstFlag);
if (flags.length > 0 && wanted.length === 0) {
  console.error("bench/run.mjs: name the benchmarks the flags are for, e.g. npm run bench -- stt --limit 30");
  process.exit(2);
}
for (const name of wanted) {
  if (!BENCHES.some((b) => b.name === name)) {
    console.error(`bench/run.mjs: no benchmark "${name}" (known: ${BENCHES.map((b) => b.name).join(", ")})`);
    process.exit(2);
  }
}
let failed = 0;
for (const b of BENCHES) {
  if (wanted.length > 0 && !wanted.includes(b.name)) continue;
  if (!existsSync(b.file)) continue;
  console.log(JSON.stringify({ bench: b.name, starting: b.what }));
  const r = spawnSync(process.execPath, [b.file, ...flags], { stdio: "inherit" });
  if (r.status !== 0) {
    failed++;
    console.log(JSON.stringify({ bench: b.name, failed: `exit ${r.status ?? r.signal}` }));
  }
}
process.exit(failed > 0 ? 1 : 0);
