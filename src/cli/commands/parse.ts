import type { Command } from "commander";
import { buildTextPath } from "../../app.js";
import { DEFAULT_CONFIG_PATH, loadConfig } from "../../config/loader.js";
import { EXIT, HearthError } from "../../core/errors.js";
import { createLogger } from "../../core/logger.js";
import type { RequestContext, TextResult } from "../../intents/text-understanding.js";
import { resolveConfigPath } from "./check-config.js";

/** Longest line treated as a sentence; anything longer is not something a person said. */
export const MAX_SENTENCE_CHARS = 1000;

/** One line of `hearth parse` output. */
export interface ParseOutput {
  text: string;
  intents: Array<{ name: string; slots: Record<string, string | number>; targets: string[] }>;
  recognizer: string;
  reply: string;
  ms: number;
  reason?: string;
  subject?: string;
  candidates?: Array<{ id: string; name: string; area?: string | undefined }>;
  error?: string;
  /** A free-form answer from the LLM to a question that is no command. */
  answer?: string;
}

/** Turns a text-path result into the JSON object `hearth parse` prints. */
export function toParseOutput(text: string, r: TextResult): ParseOutput {
  const u = r.understanding;
  const ms = Math.round(r.ms * 1000) / 1000;
  if (u.kind === "recognized") {
    return {
      text,
      intents: u.intents.map((i) => ({ name: i.name, slots: i.slots, targets: i.targets })),
      recognizer: u.recognizer,
      reply: r.reply,
      ms,
    };
  }
  if (u.kind === "answered") {
    return { text, intents: [], recognizer: u.recognizer, reply: r.reply, ms, answer: u.answer };
  }
  const out: ParseOutput = {
    text,
    intents: [],
    recognizer: u.recognizer ?? "template",
    reply: r.reply,
    ms,
    reason: u.reason,
  };
  if (u.subject !== undefined) out.subject = u.subject;
  if (u.candidates) out.candidates = u.candidates;
  return out;
}

function invalid(text: string, error: string): ParseOutput {
  return {
    text,
    intents: [],
    recognizer: "template",
    reply: "Sorry, I could not read that.",
    ms: 0,
    reason: "invalid_input",
    error,
  };
}

/** Interprets one input line: a plain sentence, or `{"text", "context"}`. Never throws. */
export function readLine(raw: Buffer): { text: string; context: RequestContext } | { output: ParseOutput } {
  let line: string;
  try {
    line = new TextDecoder("utf-8", { fatal: true }).decode(raw).replace(/\r$/, "");
  } catch {
    return { output: invalid(raw.toString("utf8"), "the line is not valid UTF-8") };
  }
  if (line.length > MAX_SENTENCE_CHARS) {
    return {
      output: invalid(
        line.slice(0, 80),
        `the line is ${line.length} characters long (at most ${MAX_SENTENCE_CHARS})`,
      ),
    };
  }
  const trimmed = line.trim();
  let text = line;
  const context: RequestContext = {};
  if (trimmed.startsWith("{")) {
    let obj: unknown;
    try {
      obj = JSON.parse(trimmed);
    } catch (err) {
      return { output: invalid(line, `malformed JSON: ${(err as Error).message}`) };
    }
    const o = obj as { text?: unknown; context?: unknown };
    if (typeof o !== "object" || o === null || typeof o.text !== "string") {
      return { output: invalid(line, 'a JSON line needs a "text" string') };
    }
    text = o.text;
    if (o.context !== undefined) {
      const c = o.context as { area?: unknown };
      if (typeof c !== "object" || c === null || (c.area !== undefined && typeof c.area !== "string")) {
        return { output: invalid(text, '"context" must be an object like {"area": "Kitchen"}') };
      }
      if (typeof c.area === "string") context.area = c.area;
    }
  }
  if ([...text].some(isControl)) {
    const shown = [...text].map((c) => (isControl(c) ? "?" : c)).join("");
    return { output: invalid(shown, "the line contains control characters") };
  }
  return { text, context };
}

/** C0 control characters other than tab, and DEL: never part of a sentence. */
function isControl(c: string): boolean {
  const code = c.charCodeAt(0);
  return (code < 0x20 && code !== 0x09) || code === 0x7f;
}

/** Splits a byte stream into lines without decoding (so invalid UTF-8 is caught per line). */
async function* lines(input: NodeJS.ReadableStream): AsyncGenerator<Buffer> {
  let pending = Buffer.alloc(0);
  for await (const chunk of input) {
    pending = Buffer.concat([pending, chunk as Buffer]);
    let nl = pending.indexOf(0x0a);
    while (nl >= 0) {
      yield pending.subarray(0, nl);
      pending = pending.subarray(nl + 1);
      nl = pending.indexOf(0x0a);
    }
  }
  if (pending.length > 0) yield pending;
}

/**
 * `hearth parse [--config PATH] [TEXT]`: the text path from the command line. With TEXT, one JSON
 * object; without, one JSON line per input line, in order, flushed as it goes. The config is
 * loaded and the templates compiled once for the whole batch.
 */
export function register(program: Command): void {
  program
    .command("parse")
    .description(
      "understand sentences: print the intents, slots and reply as JSON (reads lines from stdin without TEXT)",
    )
    .argument("[text...]", "the sentence to understand")
    .option("-c, --config <path>", `configuration file (default: ${DEFAULT_CONFIG_PATH})`)
    .option("-a, --area <name>", "the area the speaker is in (overrides site.area)")
    .action(async (words: string[], opts: { config?: string; area?: string }) => {
      let path: Awaited<ReturnType<typeof buildTextPath>>;
      try {
        const loaded = await loadConfig(resolveConfigPath(opts.config));
        // LLM trouble is logged to stderr; the batch then runs on templates alone.
        path = await buildTextPath(loaded, { log: createLogger({ level: "warn", destination: 2 }) });
      } catch (err) {
        if (err instanceof HearthError) {
          process.stderr.write(`${err.message}\n`);
          for (const d of err.details) process.stderr.write(`  ${d}\n`);
          process.exitCode =
            err.code === "CONFIG_INVALID" ||
            err.code === "CONFIG_NOT_FOUND" ||
            err.code === "SENTENCES_INVALID"
              ? EXIT.CONFIG
              : EXIT.FAILURE;
          return;
        }
        throw err;
      }
      const { understanding } = path;
      const run = async (text: string, context: RequestContext): Promise<ParseOutput> => {
        if (opts.area && context.area === undefined) context.area = opts.area;
        return toParseOutput(text, await understanding.understandAsync(text, context));
      };
      try {
        if (words.length > 0) {
          const r = readLine(Buffer.from(words.join(" ")));
          process.stdout.write(
            `${JSON.stringify("output" in r ? r.output : await run(r.text, r.context))}\n`,
          );
          return;
        }
        for await (const raw of lines(process.stdin)) {
          const r = readLine(raw);
          const out = "output" in r ? r.output : await run(r.text, r.context);
          process.stdout.write(`${JSON.stringify(out)}\n`);
        }
      } finally {
        await path.close();
      }
    });
}
