// `npm run bench`: every benchmark in turn, each printing JSON lines with figures and their ratio to
// the targets. `npm run bench -- intents mqtt` runs only those. Benchmarks that need data from
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
    what: "speech-to-text accuracy, real-time factor, end of speech → publish",
  },
  {
    name: "memory",
    file: "bench/memory.mjs",
    what: "idle RSS of the daemon without an LLM, and what each part (STT, VAD, wake word) costs",
  },
  { name: "llm", file: "bench/llm.mjs", what: "LLM overhead, time to first token, tokens/s, load time, RSS" },
  {
    name: "wake",
    file: "bench/wake.mjs",
    what: "wake word on real voices: detection, false accepts, CPU (minutes)",
  },
];

const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"));
let failed = 0;
for (const b of BENCHES) {
  if (wanted.length > 0 && !wanted.includes(b.name)) continue;
  if (!existsSync(b.file)) continue;
  console.log(JSON.stringify({ bench: b.name, starting: b.what }));
  const r = spawnSync(process.execPath, [b.file], { stdio: "inherit" });
  if (r.status !== 0) {
    failed++;
    console.log(JSON.stringify({ bench: b.name, failed: `exit ${r.status ?? r.signal}` }));
  }
}
process.exit(failed > 0 ? 1 : 0);
