import type { SttConfig } from "../../config/schema.js";
import type { Clock } from "../../core/clock.js";
import type { Logger } from "../../core/logger.js";
import type { RejectionRule } from "./confidence.js";
import { GrammarSnapper } from "./grammar-snap.js";
import type { SpeechGrammar, SpeechToText, SttResult, TranscribeOptions } from "./speech-to-text.js";

/** What every engine may need besides its config section. */
export interface SpeechToTextDeps {
  logger: Logger;
  clock?: Clock | undefined;
  /** Folder relative model paths are resolved against: the config file's folder. */
  baseDir: string;
}

/** The rejection rule of pocketsphinx's config section (confidence.ts). */
export function rejectionRule(ps: SttConfig["pocketsphinx"]): RejectionRule {
  return {
    threshold: ps.rejection_threshold,
    oneWordThreshold: ps.rejection_one_word_threshold,
    longThreshold: ps.rejection_long_threshold,
    cutOneWordThreshold: ps.rejection_one_word_cut_threshold,
    wordMeanThreshold: ps.rejection_word_mean_threshold ?? undefined,
    rescueOneWordThreshold: ps.rejection_one_word_rescue_threshold ?? undefined,
  };
}

/**
 * Builds the engine named in `stt.engine`. Each engine's module (and its native library: koffi and
 * libpocketsphinx, or whisper.cpp) is imported here, only when chosen, so an unused engine costs
 * nothing. Models load later, in the engine's `start()`.
 */
export async function createSpeechToText(config: SttConfig, deps: SpeechToTextDeps): Promise<SpeechToText> {
  const logger = deps.logger.child({ engine: config.engine });
  switch (config.engine) {
    case "pocketsphinx": {
      const { PocketsphinxStt } = await import("./pocketsphinx-stt.js");
      const ps = config.pocketsphinx;
      return new PocketsphinxStt({
        logger,
        clock: deps.clock,
        acousticModel: ps.acoustic_model,
        adaptation: { setting: ps.adaptation, baseDir: deps.baseDir },
        dictionary: ps.dictionary,
        libraries: { pocketsphinx: ps.library, sphinxbase: ps.sphinxbase_library },
        rejection: ps.rejection,
        rule: rejectionRule(ps),
        pronunciations: ps.pronunciations,
        topGaussians: ps.top_gaussians,
        decoderOptions: ps.options,
        streaming: ps.streaming,
        noiseSuppression: ps.noise_suppression
          ? { floor: 10 ** (ps.noise_suppression_floor_db / 20), noiseMs: ps.noise_suppression_noise_ms }
          : undefined,
        fsg: { copyBudgetWords: ps.grammar_copy_budget },
      });
    }
    case "whisper": {
      const { WhisperStt } = await import("./whisper-stt.js");
      const whisper = new WhisperStt({
        config: config.whisper,
        baseDir: deps.baseDir,
        logger,
        clock: deps.clock,
      });
      return new FreeFormStt(whisper, {
        logger,
        snap: config.whisper.snap,
        maxDistance: config.whisper.snap_max_distance,
      });
    }
    default: {
      const unknown: never = config.engine;
      throw new Error(`unknown speech-to-text engine ${String(unknown)}`);
    }
  }
}

/** The part of a free-form engine (whisper) the adapter below uses. */
interface FreeFormEngine {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  transcribe(
    audio: Int16Array,
    options: { signal?: AbortSignal | undefined; vocabulary?: readonly string[] | undefined },
  ): Promise<{ text: string; ms: number }>;
}

/** How {@link FreeFormStt} judges the free text. */
export interface FreeFormOptions {
  logger: Logger;
  /** Snap the text to the grammar's closest sentence, rejecting what none comes close to. */
  snap: boolean;
  /** Highest accepted edit cost per word (see GrammarSnapper). */
  maxDistance: number;
}

/**
 * Presents a free-form engine as a {@link SpeechToText}: the grammar's hints become its vocabulary
 * prompt, empty text is "no speech", and the text is snapped to the closest sentence of the grammar
 * (grammar-snap.ts): a near miss comes out as that sentence, with confidence 1 − its distance per
 * word; text no sentence comes within `maxDistance` of is rejected ("no-match" when the search found
 * nothing within its bound, "low-confidence" when the nearest sentence was too far), its words kept
 * for the log only. Without snapping, or before a grammar given as a spec arrives, the text goes to
 * the templates as it is.
 */
export class FreeFormStt implements SpeechToText {
  readonly name: string;
  readonly #engine: FreeFormEngine;
  readonly #options: FreeFormOptions;
  #hints: readonly string[] = [];
  #snapper: GrammarSnapper | undefined;

  constructor(engine: FreeFormEngine, options: FreeFormOptions) {
    this.#engine = engine;
    this.#options = options;
    this.name = engine.name;
  }

  start(): Promise<void> {
    return this.#engine.start();
  }

  stop(): Promise<void> {
    return this.#engine.stop();
  }

  async setGrammar(grammar: SpeechGrammar): Promise<void> {
    this.#hints = grammar.hints ?? [];
    if (!this.#options.snap) return;
    if (grammar.spec === undefined) {
      // Hand-written JSGF is not compiled here; its text still goes through the templates.
      this.#snapper = undefined;
      this.#options.logger.warn("a JSGF grammar cannot be snapped to, whisper's text is used as it is");
      return;
    }
    this.#snapper = new GrammarSnapper(grammar.spec, { maxDistance: this.#options.maxDistance });
  }

  async transcribe(audio: Int16Array, options: TranscribeOptions = {}): Promise<SttResult> {
    const result = await this.#engine.transcribe(audio, { signal: options.signal, vocabulary: this.#hints });
    const text = result.text.trim();
    if (text === "") return { kind: "rejected", reason: "no-speech", ms: result.ms };
    const snapper = this.#snapper;
    if (snapper === undefined) return { kind: "transcript", text, words: [], ms: result.ms };
    const snap = snapper.snap(text);
    if ("sentence" in snap) {
      return {
        kind: "transcript",
        text: snap.sentence,
        confidence: 1 - snap.distance,
        words: [],
        ms: result.ms,
      };
    }
    return {
      kind: "rejected",
      reason: snap.nearest === undefined ? "no-match" : "low-confidence",
      text,
      confidence: snap.nearest === undefined ? undefined : 1 - snap.nearest.distance,
      ms: result.ms,
    };
  }
}
