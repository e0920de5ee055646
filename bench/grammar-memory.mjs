// What pocketsphinx's decoder and the home's speech grammar hold in malloc, by glibc's own count
// (mallinfo2, before and after, each after a malloc_trim), without the noise of a whole daemon's
// RSS: the figure a change to the grammar's shape (src/audio/stt/fsg.ts, fsg-minimize.ts) or to the
// decoder's options moves. The grammar is built as the daemon builds it (its sentences, its home's
// devices, the speech path's buildSpeechGrammar and PocketsphinxStt.setGrammar).
//
// Run: npm run bench -- grammar-memory, or node bench/grammar-memory.mjs [--config FILE] after a build (default
// config/hearth.example.yaml, the home bench/memory.mjs runs). glibc only (mallinfo2 through koffi).

import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { loadavg } from "node:os";
import { dirname, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { createSpeechToText } from "../dist/audio/stt/create-speech-to-text.js";
import { compileFsg } from "../dist/audio/stt/fsg.js";
import { resolveStateDir } from "../dist/config/state-dir.js";
import { trimMallocHeaps } from "../dist/core/heap.js";
import { silentLogger } from "../dist/core/logger.js";
import { assistantNames, loadSentences } from "../dist/intents/sentences.js";
import { buildSpeechGrammar } from "../dist/intents/speech-grammar.js";
import { speechGrammarFromSpec } from "../dist/pipeline/speech-path.js";
import { registryFromConfig } from "../dist/registry/from-config.js";
import { loadBenchConfig } from "./lib/bench-config.mjs";

// Full collections between the readings need --expose-gc: run again with it.
if (typeof globalThis.gc !== "function") {
  const child = spawnSync(process.execPath, ["--expose-gc", ...process.argv.slice(1)], { stdio: "inherit" });
  process.exit(child.status ?? 1);
}

const { values } = parseArgs({
  options: { config: { type: "string", default: "config/hearth.example.yaml" } },
});
const configPath = resolve(values.config);
const { config } = await loadBenchConfig(configPath);
const baseDir = dirname(configPath);

const koffi = createRequire(import.meta.url)("koffi");
const fields = [
  "arena",
  "ordblks",
  "smblks",
  "hblks",
  "hblkhd",
  "usmblks",
  "fsmblks",
  "uordblks",
  "fordblks",
];
koffi.struct("hearth_mallinfo2", Object.fromEntries([...fields, "keepcost"].map((f) => [f, "size_t"])));
const mallinfo2 = koffi.load("libc.so.6").func("hearth_mallinfo2 mallinfo2()");
/** Bytes malloc has handed out and not had back, in MB: its arenas' chunks and its mmapped blocks. */
async function inUseMB() {
  // V8's own malloc'd structures (compiled code's metadata, the parser's zones) come and go with its
  // collections: one full collection (--expose-gc) and a pause first, so they are the same each time.
  globalThis.gc?.();
  await sleep(500);
  globalThis.gc?.();
  trimMallocHeaps();
  const m = mallinfo2();
  return (Number(m.uordblks) + Number(m.hblkhd)) / 1_048_576;
}

const registry = registryFromConfig(config);
const sentences = await loadSentences(config.intents, {
  language: config.site.language,
  configDir: baseDir,
  stateDir: resolveStateDir(config, baseDir),
  assistantNames: assistantNames(config),
});
const spec = buildSpeechGrammar(sentences, registry);
const fsg = compileFsg(spec, "hearth", { copyBudgetWords: config.stt.pocketsphinx.grammar_copy_budget });

const stt = await createSpeechToText(config.stt, { logger: silentLogger(), baseDir });
const beforeStart = await inUseMB();
await stt.start();
const started = await inUseMB();
await stt.setGrammar(speechGrammarFromSpec(spec));
const loaded = await inUseMB();
await stt.stop();

console.log(
  JSON.stringify({
    bench: "grammar memory",
    config: values.config,
    fsgStates: fsg.states,
    fsgWordTransitions: fsg.transitions,
    fsgNullTransitions: fsg.nullTransitions,
    decoderMB: +(started - beforeStart).toFixed(2),
    grammarSearchMB: +(loaded - started).toFixed(2),
    loadavg: loadavg().map((l) => +l.toFixed(2)),
  }),
);
