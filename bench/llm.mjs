// LLM benchmark, with the generated random-weight model (bench/lib/tiny-gguf.mjs) and a generated home
// of 500 devices in 30 areas: Hearth's own overhead per LLM utterance outside the model (building
// the request, parsing, validating: LlmStats.overheadMs) against the 50 ms target, model load time,
// RSS with the model loaded, system-prompt prime time and tokens, the second utterance's saving in
// evaluated tokens, time to first token and tokens/s. The model's figures say how fast llama.cpp
// runs a model of this size on this machine, not what a real model does: see docs/llm.md for those.
//
// Run: npm run bench -- llm (or node bench/llm.mjs after a build). Each thread count (1 and 2 by
// default; BENCH_LLM_THREADS=1,2,4) and context window (BENCH_LLM_CONTEXTS, default 4096,16384: the
// daemon's default, where the 500-device list is shortened to fit, and one where all of it fits)
// runs in a child process of its own, so each RSS figure is one process with one model.
// BENCH_LLM_UTTERANCES (default 50) sets the utterances per run.

import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { generatedHome } from "./generated-home.mjs";

const AREAS = 30;
const DEVICES = 500;
const TARGET_OVERHEAD_MS = 50;
const UTTERANCES = Number(process.env.BENCH_LLM_UTTERANCES ?? 50);
const load = () => loadavg().map((l) => +l.toFixed(2));
if (process.env.HEARTH_BENCH_LLM_MODEL) {
  await child(
    process.env.HEARTH_BENCH_LLM_MODEL,
    Number(process.env.HEARTH_BENCH_LLM_THREADS ?? 1),
    Number(process.env.HEARTH_BENCH_LLM_CONTEXT ?? 4096),
  );
} else {
  await parent();
}

/** Writes the model once, then measures each thread count in a fresh process. */
async function parent() {
  const { makeTinyGguf } = await import("./lib/tiny-gguf.mjs");
  const dir = await mkdtemp(join(tmpdir(), "hearth-bench-llm-"));
  try {
    const t0 = performance.now();
    // the seed and defaults the LLM tests use
    const model = await makeTinyGguf(join(dir, "tiny.gguf"), { seed: 7 });
    console.log(
      JSON.stringify({
        bench: "llm model",
        model: "generated random-weight llama (bench/lib/tiny-gguf.mjs, seed 7)",
        file_bytes: model.bytes,
        vocabulary: model.vocabularySize,
        generate_ms: +(performance.now() - t0).toFixed(1),
        load_average: load(),
      }),
    );
    const list = (name, fallback) => (process.env[name] ?? fallback).split(",").map(Number);
    let failed = 0;
    for (const context of list("BENCH_LLM_CONTEXTS", "4096,16384")) {
      for (const threads of list("BENCH_LLM_THREADS", "1,2")) {
        const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url)], {
          stdio: "inherit",
          env: {
            ...process.env,
            HEARTH_BENCH_LLM_MODEL: model.path,
            HEARTH_BENCH_LLM_THREADS: String(threads),
            HEARTH_BENCH_LLM_CONTEXT: String(context),
          },
        });
        if (r.status !== 0) failed++;
      }
    }
    if (failed > 0) process.exitCode = 1;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One process, one runtime with `threads` threads and a `contextSize` window: every figure for it. */
async function child(modelPath, threads, contextSize) {
  const { systemClock } = await import("../dist/core/clock.js");
  const { silentLogger } = await import("../dist/core/logger.js");
  const { buildIntentSchema, HOME_ASSISTANT_INTENTS } = await import("../dist/llm/intent-schema.js");
  const { LlmRecognizer } = await import("../dist/llm/llm-recognizer.js");
  const { LlamaRuntime } = await import("../dist/llm/runtime.js");
  const { Registry } = await import("../dist/registry/registry.js");

  const registry = home(Registry);
  const loadAverageBefore = load();
  const rssBeforeMb = process.memoryUsage().rss / 1048576;
  const runtime = new LlamaRuntime(
    { modelPath, threads, contextSize, batchSize: 512, gpu: false },
    { logger: silentLogger(), clock: systemClock },
  );
  const info = await runtime.start();
  const rssLoadedMb = process.memoryUsage().rss / 1048576;

  // The recognizer gets the runtime through a wrapper that times prime() and createJsonGrammar():
  // LlmStats has the prepare time as a whole, not its parts.
  const timed = { primeMs: 0, primeTokens: 0, grammarMs: 0 };
  const model = {
    get contextSize() {
      return runtime.contextSize;
    },
    countTokens: (text) => runtime.countTokens(text),
    generate: (request) => runtime.generate(request),
    async createJsonGrammar(schema) {
      const t = performance.now();
      const grammar = await runtime.createJsonGrammar(schema);
      timed.grammarMs += performance.now() - t;
      return grammar;
    },
    async prime(prompt, signal) {
      const t = performance.now();
      const r = await runtime.prime(prompt, signal);
      timed.primeMs += performance.now() - t;
      timed.primeTokens += r.promptTokens;
      return r;
    },
  };
  const options = {
    intents: HOME_ASSISTANT_INTENTS,
    timeoutMs: 60_000, // the bench measures; the daemon's 5 s budget would cut the slow runs short
    answers: true,
    maxAnswerTokens: 60,
    // Greedy decoding of random weights follows one path (always an answer, the same length);
    // sampling with a seed per utterance walks the grammar, so the parsing and validation measured
    // cover intents with slots, "none" and answers, and the same seeds give the same outputs.
    temperature: 1,
  };
  const recognizer = new LlmRecognizer(
    { model, registry, logger: silentLogger(), clock: systemClock },
    options,
  );
  const texts = utterances(registry);

  // First utterance: builds the schema, grammar and prompt and primes it; the second reuses it.
  const first = await recognizer.recognize(texts[0], { siteAreaId: "area_0" }, { seed: 1 });
  const second = await recognizer.recognize(texts[1], { siteAreaId: "area_0" }, { seed: 2 });
  const systemPrompt = recognizer.systemPrompt ?? "";
  const omitted = Number(/\(and (\d+) more devices\)/.exec(systemPrompt)?.[1] ?? 0);
  const firstEvaluated = first.stats.primeTokens + first.stats.promptTokens;

  // The schema alone (pure JS), warm, for the breakdown of the prepare time.
  const schemaTimes = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    buildIntentSchema(registry, HOME_ASSISTANT_INTENTS, {
      answers: true,
      answerMaxLength: options.maxAnswerTokens * 4,
    });
    schemaTimes.push(performance.now() - t);
  }

  const runs = [];
  let peakRss = process.memoryUsage().rss;
  const started = performance.now();
  for (let i = 0; i < UTTERANCES; i++) {
    const text = texts[(i + 2) % texts.length];
    // alternate follow-up context, as the daemon passes it after an action
    const context =
      i % 3 === 0
        ? { siteAreaId: `area_${i % AREAS}`, lastEntityIds: [`light.d${i % AREAS}`], lastAreaId: "area_1" }
        : { siteAreaId: `area_${i % AREAS}` };
    runs.push(await recognizer.recognize(text, context, { seed: i + 1 }));
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const wallS = (performance.now() - started) / 1000;

  // The same model and prompt under a grammar of one free string: what the 500-device grammar
  // costs per token is the difference in decode speed.
  const minimal = await runtime.createJsonGrammar({
    type: "object",
    properties: { answer: { type: "string" } },
    required: ["answer"],
  });
  let minimalTokens = 0;
  let minimalMs = 0;
  for (let i = 0; i < 10; i++) {
    const g = await runtime.generate({
      systemPrompt,
      userPrompt: `Request: ${texts[i]}`,
      grammar: minimal,
      maxTokens: 64,
      temperature: 1,
      seed: i + 1,
    });
    if (g.firstTokenMs === undefined || g.generatedTokens < 2) continue;
    minimalTokens += g.generatedTokens - 1;
    minimalMs += g.totalMs - g.firstTokenMs;
  }

  const overhead = runs.map((r) => r.stats.overheadMs);
  const ttft = runs.flatMap((r) => (r.stats.firstTokenMs === undefined ? [] : [r.stats.firstTokenMs]));
  // decode speed: tokens after the first over the time after the first
  let decodeTokens = 0;
  let decodeMs = 0;
  for (const r of runs) {
    if (r.stats.firstTokenMs === undefined || r.stats.generatedTokens < 2) continue;
    decodeTokens += r.stats.generatedTokens - 1;
    decodeMs += r.stats.modelMs - r.stats.firstTokenMs;
  }
  const generated = runs.map((r) => r.stats.generatedTokens);
  const requestTokens = runs.map((r) => r.stats.promptTokens);
  const outcomes = {};
  for (const r of runs) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;

  const p = (values, q) => {
    const s = [...values].sort((a, b) => a - b);
    return s.length === 0 ? null : s[Math.min(s.length - 1, Math.floor(q * s.length))];
  };
  const ms = (v) => (v === null ? null : +v.toFixed(v < 10 ? 3 : 1));
  const overheadP95 = p(overhead, 0.95);

  console.log(
    JSON.stringify({
      bench: "llm",
      threads,
      devices: DEVICES,
      areas: AREAS,
      context_size: info.contextSize,
      utterances: runs.length,
      outcomes,
      overhead_p50_ms: ms(p(overhead, 0.5)),
      overhead_p95_ms: ms(overheadP95),
      overhead_max_ms: ms(p(overhead, 1)),
      target: `Hearth's own overhead <= ${TARGET_OVERHEAD_MS} ms per LLM utterance at ${DEVICES} devices`,
      overhead_p95_vs_target: +(overheadP95 / TARGET_OVERHEAD_MS).toFixed(4),
      first_token_p50_ms: ms(p(ttft, 0.5)),
      first_token_p95_ms: ms(p(ttft, 0.95)),
      tokens_per_s: decodeMs > 0 ? +((decodeTokens * 1000) / decodeMs).toFixed(1) : null,
      tokens_per_s_minimal_grammar: minimalMs > 0 ? +((minimalTokens * 1000) / minimalMs).toFixed(1) : null,
      generated_tokens_p50: p(generated, 0.5),
      generated_tokens_max: p(generated, 1),
      request_tokens_p50: p(requestTokens, 0.5),
      utterances_per_s: +(runs.length / wallS).toFixed(2),
      load_ms: Math.round(info.loadMs),
      // first utterance after start: schema + grammar + prompt + priming, then the request itself
      prepare_ms: Math.round(first.stats.prepareMs),
      schema_ms: ms(p(schemaTimes, 0.5)),
      grammar_compile_ms: ms(timed.grammarMs),
      prime_ms: Math.round(timed.primeMs),
      prime_tokens: timed.primeTokens,
      prime_tokens_per_s: timed.primeMs > 0 ? Math.round((timed.primeTokens * 1000) / timed.primeMs) : null,
      system_prompt_tokens: runtime.countTokens(systemPrompt),
      prompt_devices_omitted: omitted,
      first_utterance_evaluated_tokens: firstEvaluated,
      second_utterance_evaluated_tokens: second.stats.promptTokens,
      second_utterance_saving: +(1 - second.stats.promptTokens / firstEvaluated).toFixed(3),
      rss_before_load_mb: +rssBeforeMb.toFixed(1),
      rss_loaded_mb: +rssLoadedMb.toFixed(1),
      rss_peak_mb: +(peakRss / 1048576).toFixed(1),
      load_average_before: loadAverageBefore,
      load_average: load(),
    }),
  );
  recognizer.stop();
  await runtime.stop();
}

/** The same generated home as bench/intents.mjs: 500 devices of 12 kinds in 30 areas on 2 floors. */
function home(Registry) {
  return new Registry(generatedHome({ devices: DEVICES, areas: AREAS }));
}

/** What reaches the LLM: sentences the templates do not cover, follow-ups, questions, chatter. */
function utterances(registry) {
  const names = registry.entities().map((e) => e.name.toLowerCase());
  const rooms = registry.areas().map((a) => a.name.toLowerCase());
  const at = (a, i) => a[i % a.length];
  const makers = [
    (i) => `it's too dark in the ${at(rooms, i)}`,
    () => "I'm heading to bed, shut everything downstairs",
    (i) => `could you maybe get the ${at(names, i * 7)} going`,
    () => "make it brighter",
    () => "and the bedroom too",
    () => "turn it off",
    (i) => `it's freezing in the ${at(rooms, i * 3)}, warm it up a bit`,
    (i) => `I can't see a thing in the ${at(rooms, i * 5)}`,
    (i) => `kill the ${at(names, i * 11)}`,
    () => "how many minutes in three hours?",
    () => "tell me a joke",
    (i) => `is anything still on in the ${at(rooms, i)}`,
    () => "we're leaving, lock up",
    (i) => `dim the ${at(names, i * 13)} a little, it's movie time`,
    () => "what's the capital of France?",
    (i) => `the ${at(rooms, i * 7)} is way too bright`,
  ];
  return Array.from({ length: Math.max(UTTERANCES, makers.length) }, (_, i) => makers[i % makers.length](i));
}
