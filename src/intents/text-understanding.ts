import type { Clock } from "../core/clock.js";
import type { Registry } from "../registry/registry.js";
import { Conversation } from "./conversation.js";
import { actLocally, type IntentServices, notDone } from "./handlers.js";
import { ownWords } from "./hassil/own-words.js";
import {
  renderPackActionFailure,
  renderPackFailure,
  renderPackNotDone,
  renderPackReply,
} from "./hassil/responses.js";
import type { ListStore } from "./lists.js";
import { type ReplyContext, replyForFailure, replyForIntent } from "./replies.js";
import { resolveCall, type SpeakerContext } from "./resolve.js";
import type { CompiledSentences } from "./sentences.js";
import { type SentenceProgress, TemplateRecognizer } from "./template-recognizer.js";
import { TimerManager } from "./timers.js";
import type { RecognizedIntent, RecognizerName, Understanding } from "./types.js";

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

/** What the conversation says about "it" and "there", handed to a fallback recognizer. */
export interface FollowUp {
  lastEntityIds?: readonly string[] | undefined;
  lastAreaId?: string | undefined;
  siteAreaId?: string | undefined;
}

/**
 * A recognizer for what the templates do not cover (the local LLM). Its intents carry slots only;
 * they are resolved to devices here, exactly like template matches. Never throws.
 */
export interface FallbackRecognizer {
  recognize(
    text: string,
    followUp: FollowUp,
    options: { signal?: AbortSignal | undefined },
  ): Promise<{ understanding: Understanding; outcome: string; answer?: string | undefined }>;
}

/** When the fallback is asked: never, when the templates find nothing, or first. */
export type FallbackMode = "off" | "fallback" | "always";

export interface TextUnderstandingOptions {
  sentences: CompiledSentences;
  registry: Registry;
  timers: TimerManager;
  /** The lists Hearth keeps (absent: lists cannot be kept, e.g. `hearth parse`). */
  lists?: ListStore | undefined;
  /** Hearth's own handlers' ways out of the text path (broadcasts, media requests). */
  broadcast?: IntentServices["broadcast"];
  playMedia?: IntentServices["playMedia"];
  clock: Clock;
  fuzzyThreshold: number;
  /** The area (name or id) the device stands in. */
  siteArea?: string | undefined;
  fallback?: FallbackRecognizer | undefined;
  fallbackMode?: FallbackMode | undefined;
  /** How long "it" / "the bedroom too" refer to the last command, in milliseconds. Default 30 s. */
  followUpMs?: number | undefined;
}

/** The intents that put an item on a list. */
const LIST_ADDS: ReadonlySet<string> = new Set(["HassShoppingListAddItem", "HassListAddItem"]);

/** An item's words split at each joining word ("Milch und Butter": "Milch", "Butter"), as written. */
function splitAt(item: string, joiners: ReadonlySet<string>): string[] {
  const out: string[] = [];
  let part: string[] = [];
  for (const word of item.split(/\s+/)) {
    if (joiners.has(word.toLowerCase()) && part.length > 0) {
      out.push(part.join(" "));
      part = [];
    } else part.push(word);
  }
  if (part.length === 0) return [item];
  out.push(part.join(" "));
  return out;
}

/**
 * The text path: a sentence → intents resolved against the home → the reply. Templates first; the
 * fallback (LLM) for what they do not cover; "it", "brighter" and "the bedroom too" refer to what was
 * acted on last, for a short while, separately for each area requests come from.
 */
export class TextUnderstanding {
  readonly #opts: TextUnderstandingOptions;
  readonly #templates: TemplateRecognizer;
  readonly #conversation: Conversation;

  constructor(opts: TextUnderstandingOptions) {
    this.#opts = opts;
    this.#templates = new TemplateRecognizer({
      sentences: opts.sentences,
      registry: opts.registry,
      fuzzyThreshold: opts.fuzzyThreshold,
    });
    this.#conversation = new Conversation(opts.clock, opts.followUpMs ?? 30_000);
  }

  /**
   * The reply when a command could not be carried out, where Hearth's own ("Sorry, the lamp can't
   * be dimmed") would be in another language than the pack's; undefined otherwise.
   */
  actionFailedReply(): string | undefined {
    const packs = this.#opts.sentences.packs;
    return packs ? renderPackActionFailure(packs) : undefined;
  }

  /** Builds the name lists ahead of the first sentence. */
  prepare(): void {
    this.#templates.prepare();
  }

  /**
   * Warms the matcher up a step at a time (see TemplateRecognizer.warmUpSteps), so the first
   * sentence anyone says is understood as quickly as later ones. Each example's reply is composed
   * too, through the same code as a real reply (the pack's response templates, Hearth's own
   * handlers on the warm-up's own services): left cold, that made the slowest first sentences after
   * start. Acts on nothing real, remembers nothing.
   *
   * ICU's collation is left to the first reply that sorts names (the response templates' `sort`,
   * as in "which blinds are closed"), which pays about 8 ms to set it up once: set up here, it kept
   * 1.7 MB of ICU's tables in every idle daemon's RSS (npm run bench -- memory).
   */
  *warmUpSteps(sentences?: number): Generator<void> {
    for (const name of ["HassGetCurrentTime", "HassGetCurrentDate"]) {
      this.#reply(
        {
          kind: "recognized",
          // The fields in the order the resolver writes them (resolve.ts): one shape for every intent.
          intents: [
            { name, slots: {}, response: undefined, fromPack: undefined, packReply: undefined, targets: [] },
          ],
          recognizer: "template",
        },
        undefined,
      );
    }
    yield;
    // Hearth's own handlers act too, on services of the warm-up's own: timers on a manager of its
    // own whose clock never rings them (cancelled after each example), broadcasts and media
    // requests to nowhere, no lists (they write a file), and what was acted on is remembered in a
    // conversation of its own. Otherwise the first real timer, "pause the timer" or broadcast ran
    // that code for the first time, at several times a warm sentence's cost. The examples are
    // said without an area and from the home's first area in turn: where the speaker is decides
    // much of how a sentence resolves.
    const clock = this.#opts.clock;
    const services: IntentServices = {
      // Methods called through the clock, not spread from it: a clock may be a class instance.
      timers: new TimerManager({
        now: () => clock.now(),
        monotonic: () => clock.monotonic(),
        timeout: () => new AbortController().signal,
      }),
      broadcast: () => {},
      playMedia: () => {},
      areaNames: this.#areaNames,
    };
    const conversation = new Conversation(clock, this.#opts.followUpMs ?? 30_000);
    const [area] = this.#opts.registry.areas();
    const speakers = [this.#speaker({}), ...(area ? [this.#speaker({ area: area.name })] : [])];
    yield* this.#templates.warmUpSteps(
      sentences,
      (u, speaker) => {
        const key = speakers.find((x) => x.speaker === speaker)?.key ?? "";
        this.#finish(this.#followUps(u, speaker), key, speaker, 0, services, conversation);
        services.timers.cancelAll();
      },
      speakers.map((x) => x.speaker),
    );
  }

  /** All of warmUpSteps at once (benchmarks, tests). Returns the number of steps. */
  warmUp(sentences?: number): number {
    let steps = 0;
    for (const _ of this.warmUpSteps(sentences)) steps++;
    return steps;
  }

  /** Templates only, synchronously (the fallback is never asked). */
  understand(text: string, context: RequestContext = {}): TextResult {
    const started = this.#opts.clock.monotonic();
    const { key, speaker } = this.#speaker(context);
    const u = this.#followUps(this.#templates.recognize(text, speaker).understanding, speaker);
    return this.#finish(u, key, speaker, started);
  }

  /**
   * Whether `text` is already a whole, unambiguous command that no longer sentence begins with
   * (TemplateRecognizer.isComplete), without acting on it or remembering it: the listening loop
   * ends an utterance sooner once it is.
   */
  isCommand(text: string, context: RequestContext = {}): boolean {
    const { speaker } = this.#speaker(context);
    return this.#templates.isComplete(text, speaker);
  }

  /**
   * Whether `text` is the start of a longer sentence (TemplateRecognizer.mayContinue), after which
   * the listening loop waits longer in a pause.
   */
  mayContinue(text: string, context: RequestContext = {}): boolean {
    return this.progress(text, context) === "unfinished";
  }

  /** How far `text` has come (TemplateRecognizer.progress): what the listening loop ends an utterance by. */
  progress(text: string, context: RequestContext = {}): SentenceProgress {
    const { speaker } = this.#speaker(context);
    return this.#templates.progress(text, speaker);
  }

  /** The whole chain: templates and the fallback as configured. */
  async understandAsync(
    text: string,
    context: RequestContext = {},
    options: { signal?: AbortSignal | undefined } = {},
  ): Promise<TextResult> {
    const mode = this.#opts.fallback ? (this.#opts.fallbackMode ?? "fallback") : "off";
    if (mode === "off") return this.understand(text, context);
    const started = this.#opts.clock.monotonic();
    const { key, speaker } = this.#speaker(context);
    let u: Understanding | undefined;
    if (mode === "always") u = await this.#askFallback(text, speaker, options.signal, true);
    if (!u) {
      u = this.#followUps(this.#templates.recognize(text, speaker).understanding, speaker);
      // Only a sentence no template fits goes to the fallback; "which lamp?" or "no such device"
      // are answers already.
      if (mode === "fallback" && u.kind === "not-recognized" && u.reason === "no_match") {
        u = (await this.#askFallback(text, speaker, options.signal, false)) ?? u;
      }
    }
    return this.#finish(u, key, speaker, started);
  }

  #speaker(context: RequestContext): { key: string; speaker: SpeakerContext } {
    const areaName = context.area ?? this.#opts.siteArea;
    const areaId = areaName ? this.#opts.registry.findArea(areaName)?.id : undefined;
    const key = areaId ?? "";
    const previous = this.#conversation.recall(key);
    return { key, speaker: { areaId, previous: previous?.targets } };
  }

  /** Asks the fallback and resolves its intents; undefined when it has nothing (to try templates). */
  async #askFallback(
    text: string,
    speaker: SpeakerContext,
    signal: AbortSignal | undefined,
    first: boolean,
  ): Promise<Understanding | undefined> {
    const fallback = this.#opts.fallback;
    if (!fallback) return undefined;
    const key = speaker.areaId ?? "";
    const r = await fallback.recognize(
      text,
      {
        lastEntityIds: speaker.previous,
        lastAreaId: this.#conversation.recall(key)?.areaId,
        siteAreaId: speaker.areaId,
      },
      { signal },
    );
    if (r.outcome === "answer" && r.answer) return { kind: "answered", answer: r.answer, recognizer: "llm" };
    if (r.understanding.kind === "recognized")
      return this.#resolveAll(r.understanding.intents, speaker, "llm");
    // Asked first ("always"), a model with nothing to say leaves the sentence to the templates.
    if (first) return undefined;
    return {
      kind: "not-recognized",
      reason: r.outcome === "timeout" ? "timeout" : "no_match",
      recognizer: "llm",
    };
  }

  /** Resolves intents given as slots (from the fallback) against the registry. */
  #resolveAll(
    intents: RecognizedIntent[],
    speaker: SpeakerContext,
    recognizer: RecognizerName,
  ): Understanding {
    const resolved: RecognizedIntent[] = [];
    for (const intent of intents) {
      const r = resolveCall(intent, this.#opts.registry, speaker);
      if (!r.ok) {
        const out: Understanding = { kind: "not-recognized", reason: r.reason, recognizer, intent: r.intent };
        if (r.subject !== undefined) out.subject = r.subject;
        if (r.candidates) out.candidates = r.candidates;
        return out;
      }
      resolved.push(r.intent);
    }
    return { kind: "recognized", intents: resolved, recognizer };
  }

  /** "and the bedroom too": the last command again, somewhere else. */
  /**
   * "Milch und Butter auf die Einkaufsliste": each item its own add, split where a word that joins
   * items (the language's `item_joiners:`, German "und") stands between them. A language without
   * such words keeps the item as said.
   */
  #eachItem(u: Understanding): Understanding {
    const joiners = this.#opts.sentences.itemJoiners;
    if (!joiners || joiners.size === 0) return u;
    if (u.kind !== "recognized" || !u.intents.some((i) => LIST_ADDS.has(i.name))) return u;
    const intents = u.intents.flatMap((i) => {
      const item = i.slots.item;
      if (!LIST_ADDS.has(i.name) || typeof item !== "string") return [i];
      const items = splitAt(item, joiners);
      if (items.length < 2) return [i];
      return items.map((one) => ({ ...i, slots: { ...i.slots, item: one } }));
    });
    return intents.length === u.intents.length ? u : { ...u, intents };
  }

  #followUps(said: Understanding, speaker: SpeakerContext): Understanding {
    const u = this.#eachItem(said);
    if (u.kind !== "recognized" || !u.intents.some((i) => i.name === "HassRepeat")) return u;
    const out: RecognizedIntent[] = [];
    let last: RecognizedIntent | undefined = this.#conversation.recall(speaker.areaId ?? "")?.intent;
    for (const intent of u.intents) {
      if (intent.name !== "HassRepeat") {
        out.push(intent);
        last = intent;
        continue;
      }
      if (!last) return { kind: "not-recognized", reason: "no_context", recognizer: u.recognizer };
      const slots = { ...last.slots };
      for (const k of ["name", "area", "floor"]) delete slots[k];
      // "Turn off the lamp" then "the living room too" means the living room's lamps, not everything there.
      const domains = new Set(last.targets.map((id) => this.#opts.registry.entity(id)?.domain));
      const [only] = domains;
      const named = intent.slots.name !== undefined;
      if (named) delete slots.domain;
      else if (slots.domain === undefined && domains.size === 1 && only) slots.domain = only;
      const again = resolveCall(
        { name: last.name, slots: { ...slots, ...intent.slots } },
        this.#opts.registry,
        speaker,
      );
      if (!again.ok) {
        const failed: Understanding = {
          kind: "not-recognized",
          reason: again.reason,
          recognizer: u.recognizer,
          intent: again.intent,
        };
        if (again.subject !== undefined) failed.subject = again.subject;
        if (again.candidates) failed.candidates = again.candidates;
        return failed;
      }
      out.push(again.intent);
    }
    return { kind: "recognized", intents: out, recognizer: u.recognizer };
  }

  get #services(): IntentServices {
    const { timers, lists, broadcast, playMedia } = this.#opts;
    return { timers, lists, broadcast, playMedia, areaNames: this.#areaNames };
  }

  /** The names of the area called `said`, for finding "the laundry timer" (IntentServices.areaNames). */
  readonly #areaNames = (said: string): readonly string[] => {
    const area = this.#opts.registry.findArea(said);
    return area ? [area.name, ...area.aliases] : [];
  };

  /**
   * Acts, replies and remembers what was acted on: on this conversation's own services and memory,
   * or on the warm-up's.
   */
  #finish(
    u: Understanding,
    key: string,
    speaker: SpeakerContext,
    started: number,
    services: IntentServices = this.#services,
    conversation: Conversation = this.#conversation,
  ): TextResult {
    const reply = this.#reply(u, services, speaker);
    if (u.kind === "recognized") {
      const acted = [...u.intents].reverse().find((i) => i.targets.length > 0);
      if (acted) {
        const areas = new Set(acted.targets.map((id) => this.#opts.registry.entity(id)?.areaId));
        const areaId = areas.size === 1 ? [...areas][0] : speaker.areaId;
        conversation.remember(key, { intent: acted, targets: acted.targets, areaId });
      }
    }
    return { understanding: u, reply, ms: this.#opts.clock.monotonic() - started };
  }

  /**
   * The reply to `u`. With `services`, Hearth's own handlers act on them first (timers, lists) and
   * the reply says what they did; without, nothing is done and the reply is composed as if it had
   * been.
   */
  #reply(u: Understanding, services: IntentServices | undefined, speaker: SpeakerContext = {}): string {
    let reply: string;
    if (u.kind === "recognized") {
      const ctx: ReplyContext = {
        registry: this.#opts.registry,
        clock: this.#opts.clock,
        customReplies: this.#opts.sentences.replies,
      };
      // Act first (Hearth's own handlers: timers), then say what was done: replies only read.
      const packs = this.#opts.sentences.packs;
      const own = packs ? ownWords(packs.language) : undefined;
      reply = u.intents
        .map((i) => {
          const where = speaker.areaId ? this.#opts.registry.area(speaker.areaId)?.name : undefined;
          const done = services ? actLocally(i, services, where) : undefined;
          // The language pack's own response when it has one and the act step did what it says;
          // Hearth's English reply otherwise ("there is no such timer" has no pack response).
          const failed = done !== undefined && notDone(done);
          // A sentence in the pack's language is answered in it: by the pack's response, else by
          // Hearth's own words in that language ("Lautstärke erhöht", "Käse steht nicht auf …").
          const inPackLanguage = packs !== undefined && (i.fromPack === true || i.packReply === true);
          // A device switched for a while: the pack has no words for the timer that switches it back.
          const awhile = done?.kind === "timer-started" && i.slots.for_seconds !== undefined;
          const packReply =
            !packs || awhile
              ? undefined
              : failed
                ? inPackLanguage
                  ? (own?.notDone(i, done) ?? renderPackNotDone(packs, done))
                  : undefined
                : (renderPackReply(
                    packs,
                    i,
                    { registry: this.#opts.registry, clock: this.#opts.clock },
                    done,
                  ) ?? (inPackLanguage ? own?.did(i, done) : undefined));
          // Hearth's own sentences in the pack's language stay in it where the pack has no words.
          const ownDone = i.packReply && !failed ? own?.done : undefined;
          return packReply ?? ownDone ?? replyForIntent(i, ctx, done);
        })
        .filter((r) => r.length > 0)
        .join(" ");
    } else if (u.kind === "answered") {
      reply = u.answer;
    } else {
      const packs = this.#opts.sentences.packs;
      reply = (packs ? renderPackFailure(packs, u) : undefined) ?? replyForFailure(u);
    }
    return reply;
  }
}
