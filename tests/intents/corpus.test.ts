import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { type Config, configSchema, intentsSchema } from "../../src/config/schema.js";
import { resolveStateDir } from "../../src/config/state-dir.js";
import { intentSpec } from "../../src/intents/catalog.js";
import { type CompiledSentences, loadSentences } from "../../src/intents/sentences.js";

/**
 * The English corpus: the independent yardstick for the text path. Every sentence in
 * tests/intents/corpus/*.yaml goes through ONE real `node bin/hearth.js parse` process (the built CLI,
 * real templates, the fixture home in tests/intents/fixtures/home.yaml) and its JSON line is compared
 * with what the corpus expects. One test per corpus file lists every sentence that went wrong; the last
 * test prints the accuracy per file and in total.
 *
 * dist/ is built by tests/global-setup.ts (see vitest.config.ts) before any test file runs.
 */

const root = fileURLToPath(new URL("../..", import.meta.url));
const corpusDir = fileURLToPath(new URL("./corpus/", import.meta.url));
const fixturePath = fileURLToPath(new URL("./fixtures/home.yaml", import.meta.url));
const cliPath = fileURLToPath(new URL("../../bin/hearth.js", import.meta.url));
const builtCli = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

/** Generous: hundreds of sentences on a small shared machine; the parser needs well under a second. */
const PARSE_TIMEOUT_MS = 120_000;

const MIN_PER_INTENT = 10;
const MIN_POSITIVES = 600;
const MIN_NEGATIVES = 60;

const REASONS = [
  "empty",
  "no_match",
  "unknown_name",
  "unknown_area",
  "unknown_floor",
  "no_targets",
  "ambiguous",
  "invalid_input",
] as const;
const reasonSchema = z.enum(REASONS);

const slotValueSchema = z.union([z.string(), z.number()]);

const expectedIntentSchema = z.strictObject({
  name: z.string().min(1),
  slots: z.record(z.string(), slotValueSchema).optional(),
  targets: z.array(z.string()).optional(),
});

/** One corpus entry: a sentence (or a raw stdin line) and either the intents or the reason expected. */
const entrySchema = z
  .strictObject({
    text: z.string().optional(),
    raw: z.string().optional(),
    context: z.strictObject({ area: z.string().min(1) }).optional(),
    intents: z.array(expectedIntentSchema).min(1).optional(),
    reason: z.union([reasonSchema, z.array(reasonSchema).min(1)]).optional(),
    candidates: z.array(z.string()).min(2).optional(),
  })
  .refine((e) => (e.text === undefined) !== (e.raw === undefined), "give exactly one of text and raw")
  .refine(
    (e) => (e.intents === undefined) !== (e.reason === undefined),
    "give exactly one of intents and reason",
  )
  .refine((e) => e.candidates === undefined || e.reason !== undefined, "candidates go with a reason")
  .refine((e) => e.raw === undefined || e.context === undefined, "a raw line carries its own context");
type Entry = z.infer<typeof entrySchema>;
type ExpectedIntent = z.infer<typeof expectedIntentSchema>;

/** What one `hearth parse` output line must look like (extra keys allowed). */
const outputSchema = z.object({
  intents: z.array(
    z.object({
      name: z.string(),
      slots: z.record(z.string(), slotValueSchema),
      targets: z.array(z.string()),
    }),
  ),
  reply: z.string().optional(),
  reason: z.string().optional(),
  candidates: z.array(z.object({ id: z.string() })).optional(),
});
type Output = z.infer<typeof outputSchema>;

interface CorpusFile {
  file: string;
  entries: Entry[];
}

/** Reads and validates every corpus file; a malformed entry fails here, naming the file and entry. */
function loadCorpus(): CorpusFile[] {
  const files = readdirSync(corpusDir)
    .filter((f) => f.endsWith(".yaml"))
    .sort();
  return files.map((file) => {
    const data: unknown = parseYaml(readFileSync(`${corpusDir}${file}`, "utf8"));
    const parsed = z.array(z.unknown()).safeParse(data);
    if (!parsed.success) throw new Error(`${file}: expected a list of entries`);
    const entries = parsed.data.map((raw, i) => {
      const entry = entrySchema.safeParse(raw);
      if (!entry.success) {
        throw new Error(`${file} entry ${i + 1} (${JSON.stringify(raw)}): ${z.prettifyError(entry.error)}`);
      }
      return entry.data;
    });
    return { file, entries };
  });
}

function loadFixture(): Config {
  const result = configSchema.safeParse(parseYaml(readFileSync(fixturePath, "utf8")));
  if (!result.success)
    throw new Error(`the fixture is not a valid config:\n${z.prettifyError(result.error)}`);
  return result.data;
}

/** The stdin line for an entry: its raw line, or JSON with text and context. */
function inputLine(entry: Entry): string {
  if (entry.raw !== undefined) return entry.raw;
  return JSON.stringify(entry.context ? { text: entry.text, context: entry.context } : { text: entry.text });
}

function describeEntry(entry: Entry): string {
  const said = entry.raw !== undefined ? `raw line ${JSON.stringify(entry.raw)}` : JSON.stringify(entry.text);
  return entry.context ? `${said} (speaker in ${entry.context.area})` : said;
}

/**
 * Runs one `hearth parse` process over all lines and returns its stdout lines that are results
 * (objects with an `intents` array), in order; anything else on stdout (a stray log line) is skipped.
 */
async function runParse(
  lines: string[],
): Promise<{ outputs: unknown[]; stderr: string; code: number | null }> {
  const child = spawn(process.execPath, [cliPath, "parse", "--config", fixturePath], {
    cwd: root,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    stdout += d;
  });
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    stderr += d;
  });
  // A parser that dies early closes stdin under us; the exit code and stderr tell the story instead.
  child.stdin.on("error", () => {});
  child.stdin.end(`${lines.join("\n")}\n`);
  const timer = setTimeout(() => child.kill("SIGKILL"), PARSE_TIMEOUT_MS);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (c) => resolve(c));
  }).finally(() => clearTimeout(timer));
  const outputs: unknown[] = [];
  for (const line of stdout.split("\n")) {
    if (line.trim() === "") continue;
    try {
      const value: unknown = JSON.parse(line);
      if (
        typeof value === "object" &&
        value !== null &&
        Array.isArray((value as { intents?: unknown }).intents)
      ) {
        outputs.push(value);
      }
    } catch {
      // Not JSON: not a result line.
    }
  }
  return { outputs, stderr, code };
}

/** Compares one output with its entry; returns what differs (empty when it matches). */
function compare(entry: Entry, raw: unknown): string[] {
  const parsed = outputSchema.safeParse(raw);
  if (!parsed.success) return [`malformed output line: ${z.prettifyError(parsed.error)}`];
  const out: Output = parsed.data;
  const problems: string[] = [];
  // Every line carries a reply. It may be empty for an intent that answers with silence (never mind)
  // and when nothing was said, never when something said was not understood: the user must hear why.
  if (typeof out.reply !== "string") problems.push("no reply field");
  else if (!entry.intents && out.reason !== "empty" && out.reply.trim() === "") {
    problems.push("an empty reply for a sentence not understood");
  }
  if (entry.intents) {
    if (out.intents.length !== entry.intents.length) {
      problems.push(`expected ${entry.intents.length} intent(s), got ${out.intents.length}`);
      return problems;
    }
    entry.intents.forEach((want: ExpectedIntent, i) => {
      const got = out.intents[i];
      if (!got) return;
      const where = entry.intents && entry.intents.length > 1 ? `intent ${i + 1}: ` : "";
      if (got.name !== want.name) problems.push(`${where}intent ${got.name}, expected ${want.name}`);
      for (const [slot, value] of Object.entries(want.slots ?? {})) {
        if (!(slot in got.slots))
          problems.push(`${where}slot ${slot} missing (expected ${JSON.stringify(value)})`);
        else if (got.slots[slot] !== value) {
          problems.push(
            `${where}slot ${slot} = ${JSON.stringify(got.slots[slot])}, expected ${JSON.stringify(value)}`,
          );
        }
      }
      if (want.targets && JSON.stringify(got.targets) !== JSON.stringify(want.targets)) {
        problems.push(
          `${where}targets ${JSON.stringify(got.targets)}, expected ${JSON.stringify(want.targets)}`,
        );
      }
    });
  } else {
    const allowed = Array.isArray(entry.reason) ? entry.reason : [entry.reason];
    if (out.intents.length > 0) {
      problems.push(
        `expected no intent (${allowed.join(" or ")}), got ${out.intents.map((i) => i.name).join(", ")}`,
      );
    }
    if (!allowed.includes(out.reason as (typeof REASONS)[number])) {
      problems.push(`reason ${JSON.stringify(out.reason)}, expected ${allowed.join(" or ")}`);
    }
    if (entry.candidates) {
      const ids = (out.candidates ?? []).map((c) => c.id).sort();
      if (JSON.stringify(ids) !== JSON.stringify(entry.candidates)) {
        problems.push(`candidates ${JSON.stringify(ids)}, expected ${JSON.stringify(entry.candidates)}`);
      }
    }
  }
  return problems;
}

/** A short rendering of what came back, for failure messages. */
function summarizeOutput(raw: unknown): string {
  const parsed = outputSchema.safeParse(raw);
  if (!parsed.success) return JSON.stringify(raw);
  const { intents, reason, candidates, reply } = parsed.data;
  const shown: Record<string, unknown> = { intents };
  if (reason !== undefined) shown.reason = reason;
  if (candidates !== undefined) shown.candidates = candidates.map((c) => c.id);
  shown.reply = reply;
  return JSON.stringify(shown);
}

function expectedSummary(entry: Entry): string {
  if (entry.intents) return JSON.stringify(entry.intents);
  const shown: Record<string, unknown> = { reason: entry.reason };
  if (entry.candidates) shown.candidates = entry.candidates;
  return JSON.stringify(shown);
}

interface FileResult {
  passed: number;
  total: number;
  failures: string[];
}

const corpus = loadCorpus();
const results = new Map<string, FileResult>();
/** Set when the parser could not be run at all or its output does not line up with the input. */
let runFailure: string | undefined;

let builtInSentences: CompiledSentences;

beforeAll(async () => {
  builtInSentences = await loadSentences(intentsSchema.parse({}), {
    language: "en",
    configDir: root,
    stateDir: resolveStateDir({}, root),
  });
  if (!existsSync(builtCli)) {
    runFailure =
      "dist/cli/main.js is missing: the global setup (tests/global-setup.ts) did not build the CLI";
    return;
  }
  const entries = corpus.flatMap((c) => c.entries);
  const { outputs, stderr, code } = await runParse(entries.map(inputLine));
  if (outputs.length !== entries.length) {
    runFailure =
      `hearth parse returned ${outputs.length} result lines for ${entries.length} input lines ` +
      `(exit code ${code}).\nstderr:\n${stderr.slice(-3000)}`;
    return;
  }
  let index = 0;
  for (const { file, entries: fileEntries } of corpus) {
    const result: FileResult = { passed: 0, total: fileEntries.length, failures: [] };
    for (const entry of fileEntries) {
      const got = outputs[index++];
      const problems = compare(entry, got);
      if (problems.length === 0) result.passed++;
      else {
        result.failures.push(
          `  ${describeEntry(entry)}\n` +
            `    ${problems.join("; ")}\n` +
            `    expected: ${expectedSummary(entry)}\n` +
            `    got:      ${summarizeOutput(got)}`,
        );
      }
    }
    results.set(file, result);
  }
}, PARSE_TIMEOUT_MS + 30_000);

describe("the corpus itself", () => {
  const home = loadFixture();
  const devices = new Map(home.devices.map((d) => [d.id, d]));
  const areaByName = new Map(home.areas.map((a) => [a.name, a]));
  const floorNames = new Set(home.floors.map((f) => f.name));
  const domainOf = (id: string) => id.slice(0, id.indexOf("."));

  /** The fixture devices that an {area|floor, domain, device_class} description covers. */
  function devicesMatching(slots: Record<string, string | number>): string[] {
    return home.devices
      .filter((d) => domainOf(d.id) === slots.domain)
      .filter((d) => slots.device_class === undefined || d.device_class === slots.device_class)
      .filter((d) => slots.area === undefined || d.area === slots.area)
      .filter((d) => slots.floor === undefined || areaByName.get(d.area ?? "")?.floor === slots.floor)
      .map((d) => d.id)
      .sort();
  }

  /** Problems with one expected intent, checked against the fixture. */
  function checkIntent(intent: ExpectedIntent): string[] {
    const problems: string[] = [];
    const slots = intent.slots ?? {};
    const targets = intent.targets ?? [];
    if (JSON.stringify(targets) !== JSON.stringify([...new Set(targets)].sort())) {
      problems.push("targets are not sorted and unique");
    }
    for (const id of targets) if (!devices.has(id)) problems.push(`no device ${id} in the fixture`);
    if (typeof slots.area === "string" && !areaByName.has(slots.area)) problems.push(`no area ${slots.area}`);
    if (typeof slots.floor === "string" && !floorNames.has(slots.floor))
      problems.push(`no floor ${slots.floor}`);
    if (targets.length === 0) return problems;
    // Device intents: the slots must describe exactly the targets.
    if (typeof slots.name === "string") {
      for (const id of targets) {
        if (devices.get(id)?.name !== slots.name) problems.push(`${id} is not named ${slots.name}`);
      }
    } else if (typeof slots.domain === "string") {
      const covered = devicesMatching(slots);
      if (JSON.stringify(covered) !== JSON.stringify(targets)) {
        problems.push(`the slots cover ${JSON.stringify(covered)}, not the targets`);
      }
    } else if (typeof slots.area === "string") {
      for (const id of targets) {
        if (devices.get(id)?.area !== slots.area) problems.push(`${id} is not in ${slots.area}`);
      }
    }
    return problems;
  }

  test("the fixture home is a valid Hearth config with the tricky names the corpus relies on", () => {
    const lamps = home.devices.filter((d) => d.name === "Lamp");
    expect(lamps.map((d) => d.area).sort()).toEqual(["Bedroom", "Living Room"]);
    expect(home.site.area).toBe("Kitchen");
    expect(home.devices.filter((d) => d.area === "Kitchen" && d.name.includes("Lamp"))).toEqual([]);
    expect(Object.keys(home.intents.custom)).toContain("OrderPizza");
    expect(home.devices.length).toBeGreaterThanOrEqual(45);
  });

  test("every expectation names only devices, areas and floors of the fixture, and the slots fit the targets", () => {
    const problems: string[] = [];
    for (const { file, entries } of corpus) {
      for (const entry of entries) {
        const where = `${file}: ${describeEntry(entry)}`;
        if (entry.context && !areaByName.has(entry.context.area))
          problems.push(`${where}: no area ${entry.context.area}`);
        for (const intent of entry.intents ?? []) {
          for (const p of checkIntent(intent)) problems.push(`${where}: ${p}`);
        }
        for (const id of entry.candidates ?? [])
          if (!devices.has(id)) problems.push(`${where}: no device ${id}`);
      }
    }
    expect(problems, problems.join("\n")).toEqual([]);
  });

  test("the corpus has enough positive and negative sentences and covers every built-in intent", () => {
    const entries = corpus.flatMap((c) => c.entries);
    const positives = entries.filter((e) => e.intents);
    const negatives = entries.filter((e) => e.reason);
    expect(positives.length).toBeGreaterThanOrEqual(MIN_POSITIVES);
    expect(negatives.length).toBeGreaterThanOrEqual(MIN_NEGATIVES);
    const counts = new Map<string, number>();
    for (const e of positives) {
      for (const name of new Set(e.intents?.map((i) => i.name)))
        counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    // Every intent Hearth's own English sentences produce (follow-ups become the repeated intent).
    const builtIn = [...builtInSentences.intents].filter((n) => !intentSpec(n)?.internal);
    expect(builtIn.length).toBeGreaterThan(20);
    const thin = builtIn
      .filter((name) => (counts.get(name) ?? 0) < MIN_PER_INTENT)
      .map((name) => `${name}: ${counts.get(name) ?? 0}`);
    expect(thin, `intents with fewer than ${MIN_PER_INTENT} sentences`).toEqual([]);
    expect(counts.get("OrderPizza") ?? 0).toBeGreaterThanOrEqual(MIN_PER_INTENT);
    // A raw line repeating a sentence is deliberate: it tests the plain-text input path.
    const texts = entries
      .filter((e) => e.text !== undefined)
      .map((e) => `${e.text}|${e.context?.area ?? ""}`);
    const repeated = texts.filter((t, i) => texts.indexOf(t) !== i);
    expect(repeated, "sentences listed twice with the same context").toEqual([]);
  });
});

describe("hearth parse understands the English corpus", () => {
  for (const { file, entries } of corpus) {
    test(`${file}: all ${entries.length} sentences give the expected intents or reasons`, () => {
      if (runFailure) expect.fail(runFailure);
      const result = results.get(file);
      expect(result, `no results for ${file}`).toBeDefined();
      if (!result) return;
      if (result.failures.length > 0) {
        expect.fail(
          `${result.failures.length} of ${result.total} sentences in ${file} went wrong:\n${result.failures.join("\n")}`,
        );
      }
      expect(result.passed).toBe(result.total);
    });
  }

  test("hearth parse answers every sentence of the corpus with one result line, in order", () => {
    // runFailure says when the CLI did not run or returned a different number of lines than it read.
    expect(runFailure).toBeUndefined();
    expect([...results.keys()]).toEqual(corpus.map((c) => c.file));
  });

  // The accuracy per file and in total, for whoever runs the tests (the tests above judge it).
  afterAll(() => {
    const lines: string[] = [];
    let passed = 0;
    let total = 0;
    for (const { file, entries } of corpus) {
      const r = results.get(file) ?? { passed: 0, total: entries.length, failures: [] };
      passed += r.passed;
      total += r.total;
      lines.push(`  ${file.padEnd(28)} ${String(r.passed).padStart(4)}/${r.total}`);
    }
    const percent = total === 0 ? 0 : (100 * passed) / total;
    console.log(
      `English corpus accuracy${runFailure ? " (hearth parse did not run)" : ""}:\n${lines.join("\n")}\n  total: ${passed}/${total} (${percent.toFixed(1)}%)`,
    );
  });
});
