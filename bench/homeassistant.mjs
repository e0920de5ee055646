// Home Assistant benchmark: a text command on <base>/<site>/command/text → the call_service it
// causes, as it arrives at a stand-in Home Assistant (bench/ha-standin.mjs) on loopback. The home:
// 50 lamps in 10 areas, all exposed to Assist. Commands alternate one lamp ("turn on the alpha
// lamp") and a whole area ("set the kitchen 3 lights to 40 percent", one light.turn_on for five
// lamps). Target: p50 ≤ 20 ms. Run: npm run bench -- homeassistant (after npm run build).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { connectAsync } from "mqtt";
import { Hearth } from "../dist/app.js";
import { loadConfig } from "../dist/config/loader.js";
import { silentLogger } from "../dist/core/logger.js";
import { startStandin } from "./ha-standin.mjs";

const COMMANDS = Number(process.env.BENCH_HA_COMMANDS ?? 100);
const WARMUP = 20;
/** Idle time between commands: people give one command at a time, not a stream. */
const PAUSE_MS = 100;
const TARGET_P50_MS = 20;
const WORDS =
  "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey yankee zulu".split(
    " ",
  );
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

const areas = Array.from({ length: 10 }, (_, i) => ({ area_id: `room_${i}`, name: `Room ${WORDS[i]}` }));
const entities = [];
const states = {};
for (let i = 0; i < 50; i++) {
  const word = `${WORDS[i % WORDS.length]}${i >= WORDS.length ? " two" : ""}`;
  const id = `light.${word.replace(/ /g, "_")}_lamp`;
  entities.push({ entity_id: id, name: `${word} lamp`, area_id: areas[i % 10].area_id });
  states[id] = {
    state: "off",
    attributes: { friendly_name: `${word} lamp`, supported_color_modes: ["brightness"] },
  };
}

const token = `bench-${process.pid}`;
let waiting;
const standin = await startStandin({
  token,
  home: { areas, entities, states },
  onCall: (message, at) => waiting?.(message, at),
});
const dir = mkdtempSync(join(tmpdir(), "hearth-bench-ha-"));
const path = join(dir, "hearth.yaml");
writeFileSync(
  path,
  `site: { id: bench_ha }
homeassistant: { url: "${standin.url}", token: "${token}" }
mqtt: { embedded_port: 0, hermes: false }
audio: { source: none }
llm: { mode: "off" }
`,
);
const hearth = new Hearth({ loaded: await loadConfig(path), log: silentLogger() });
await hearth.start();
const client = await connectAsync(hearth.brokerUrl, { clientId: `bench-ha-${process.pid}` });
const topic = `hearth/bench_ha/command/text`;

const single = [];
const area = [];
let wrong = 0;
for (let i = 0; i < WARMUP + COMMANDS; i++) {
  const whole = i % 2 === 1;
  const text = whole
    ? `set the room ${WORDS[(i >> 1) % 10]} lights to 40 percent`
    : `turn ${i % 4 ? "off" : "on"} the ${WORDS[(i >> 1) % WORDS.length]} lamp`;
  const arrived = new Promise((resolve) => {
    waiting = (message, at) => resolve({ message, at });
  });
  const t0 = performance.now();
  await client.publishAsync(topic, text, { qos: 0 });
  const { message, at } = await Promise.race([
    arrived,
    sleep(5000).then(() => ({ message: undefined, at: Number.NaN })),
  ]);
  const targets = message?.target?.entity_id ?? [];
  if (!message || (whole ? targets.length !== 5 : targets.length !== 1)) wrong++;
  if (i >= WARMUP && message) (whole ? area : single).push(at - t0);
  await sleep(PAUSE_MS);
}
await client.endAsync(true);
await hearth.stop();
await standin.stop();
rmSync(dir, { recursive: true, force: true });

const all = [...single, ...area].sort((a, b) => a - b);
single.sort((a, b) => a - b);
area.sort((a, b) => a - b);
const p50 = quantile(all, 0.5);
console.log(
  JSON.stringify({
    bench: "home assistant command latency",
    path: "command/text → text path → call_service at Home Assistant",
    commands: all.length,
    wrong_or_missing_calls: wrong,
    pause_between_ms: PAUSE_MS,
    p50_ms: +p50.toFixed(2),
    p95_ms: +quantile(all, 0.95).toFixed(2),
    max_ms: +all[all.length - 1].toFixed(2),
    one_lamp_p50_ms: +quantile(single, 0.5).toFixed(2),
    area_of_five_p50_ms: +quantile(area, 0.5).toFixed(2),
    target_p50_ms: TARGET_P50_MS,
    ratio_to_target: +(p50 / TARGET_P50_MS).toFixed(3),
    load_average: +loadavg()[0].toFixed(2),
  }),
);
process.exit(wrong > 0 ? 1 : 0);
