import type { Clock } from "../core/clock.js";
import type { Registry } from "../registry/registry.js";
import { replyForFailure, replyForIntent } from "./replies.js";
import type { CompiledSentences } from "./sentences.js";
import { TemplateRecognizer } from "./template-recognizer.js";
import type { TimerManager } from "./timers.js";
import type { Understanding } from "./types.js";

/** Where a request comes from: an area name or id that overrides the site's own area. */
export interface RequestContext {
  area?: string | undefined;
}

/** The result of the text path for one sentence. */
export interface TextResult {
  understanding: Understanding;
  reply: string;
  /** Milliseconds spent understanding. */
  ms: number;
}

export interface TextUnderstandingOptions {
  sentences: CompiledSentences;
  registry: Registry;
  timers: TimerManager;
  clock: Clock;
  fuzzyThreshold: number;
  /** The area (name or id) the device stands in. */
  siteArea?: string | undefined;
}

/**
 * The text path: a sentence → intents resolved against the home → the reply. Templates are
 * compiled once; name lists are rebuilt only when the registry's names change.
 */
export class TextUnderstanding {
  readonly #opts: TextUnderstandingOptions;
  readonly #templates: TemplateRecognizer;

  constructor(opts: TextUnderstandingOptions) {
    this.#opts = opts;
    this.#templates = new TemplateRecognizer({
      sentences: opts.sentences,
      registry: opts.registry,
      fuzzyThreshold: opts.fuzzyThreshold,
    });
  }

  /** Builds the name lists ahead of the first sentence. */
  prepare(): void {
    this.#templates.prepare();
  }

  understand(text: string, context: RequestContext = {}): TextResult {
    const started = this.#opts.clock.monotonic();
    const areaName = context.area ?? this.#opts.siteArea;
    const areaId = areaName ? this.#opts.registry.findArea(areaName)?.id : undefined;
    const { understanding } = this.#templates.recognize(text, { areaId });
    let reply: string;
    if (understanding.kind === "recognized") {
      const ctx = {
        registry: this.#opts.registry,
        timers: this.#opts.timers,
        clock: this.#opts.clock,
        customReplies: this.#opts.sentences.replies,
      };
      reply = understanding.intents
        .map((i) => replyForIntent(i, ctx))
        .filter((r) => r.length > 0)
        .join(" ");
    } else {
      reply = replyForFailure(understanding);
    }
    return { understanding, reply, ms: this.#opts.clock.monotonic() - started };
  }
}
