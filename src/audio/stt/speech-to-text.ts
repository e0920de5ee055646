import type { GrammarExpr } from "../../core/grammar-expr.js";
import { concatInt16 } from "../pcm.js";

/**
 * Speech-to-text: one utterance of 16 kHz mono 16-bit audio in, a transcript (or a reason there is
 * none) out. Engines load models in `start()`, free them in `stop()`, and are chosen by name in the
 * `stt` config section.
 */

export type { GrammarExpr } from "../../core/grammar-expr.js";

/** A whole grammar as data: named rules (reusable pieces, e.g. `name` = every device name) and the root. */
export interface GrammarSpec {
  /** Rule name → expression. Names: letters, digits, '_' and '-'. */
  rules?: Readonly<Record<string, GrammarExpr>> | undefined;
  /** What may be said. */
  root: GrammarExpr;
}

/**
 * What a grammar engine listens for: the grammar as data (`spec`, what the sentence templates
 * compile to) or as JSGF text (`jsgf`, for hand-written grammars), plus pronunciations for unusual
 * words and name hints for free-form engines.
 */
export type SpeechGrammar = (
  | { spec: GrammarSpec; jsgf?: undefined }
  | {
      /** JSGF V1.0 text; its first public rule is what may be said. Words in lower case. */
      jsgf: string;
      spec?: undefined;
    }
) & {
  /**
   * CMU-phone pronunciations ("EH K OW B IY") for words the dictionary lacks; they win over the
   * generated ones. Words missing here and from the dictionary get generated pronunciations.
   */
  pronunciations?: Readonly<Record<string, string>> | undefined;
  /**
   * Names a free-form engine should expect (devices, areas, floors), most important first; whisper
   * takes them as its prompt. Grammar engines ignore them (the grammar already has every word).
   */
  hints?: readonly string[] | undefined;
};

/** Why an utterance produced no transcript. Ordinary outcomes, not faults. */
export type RejectionReason =
  /** Nothing but silence or noise. */
  | "no-speech"
  /** The audio fits no sentence of the grammar at all. */
  | "no-match"
  /** The best sentence fits too poorly: speech outside the grammar (or too noisy to trust). */
  | "low-confidence";

/** One recognised word with its own confidence. */
export interface RecognizedWord {
  word: string;
  /** Seconds from the start of the utterance. */
  start: number;
  end: number;
  /** Engine-specific score, higher is better (pocketsphinx: per-frame log-likelihood ratio against a phone loop). */
  confidence: number;
}

/** What an utterance was heard as. */
export type SttResult =
  | {
      kind: "transcript";
      text: string;
      /**
       * Engine-specific utterance confidence, higher is better; compared with the engine's threshold.
       * whisper: 1 − the edit distance per word of its text to the grammar sentence it was snapped
       * to; undefined when it was not snapped.
       */
      confidence?: number | undefined;
      words: RecognizedWord[];
      /** Milliseconds spent decoding. */
      ms: number;
    }
  | {
      kind: "rejected";
      reason: RejectionReason;
      /** The best guess, when there was one (for logs and tuning; never acted on). */
      text?: string | undefined;
      confidence?: number | undefined;
      /** The best guess's words, when there was one (for tuning the threshold). */
      words?: RecognizedWord[] | undefined;
      ms: number;
    };

/** Options of one transcription. */
export interface TranscribeOptions {
  /** Aborting rejects the call with the signal's reason (a running native decode finishes first). */
  signal?: AbortSignal | undefined;
  /**
   * The audio is an utterance the VAD cut, its first `preRollMs` milliseconds the pre-roll (what
   * was heard before the speech began). Such a cut of a one-word command is about 1.1–1.4 s, so
   * the only audio surely free of the words is the pre-roll: an engine that measures the noise on
   * the audio's quietest stretch measures it there. Undefined: a recording, not cut around its words.
   */
  preRollMs?: number | undefined;
}

/**
 * One utterance transcribed while it is being spoken: audio goes in as it arrives, so that when the
 * speaker stops only the last moments are left to decode.
 */
export interface SttStream {
  /** Adds the next piece of audio (16 kHz mono). Does not throw: a failure comes out of {@link end}. */
  write(audio: Int16Array): void;
  /** No more audio: resolves to what the whole utterance was heard as. */
  end(options?: TranscribeOptions): Promise<SttResult>;
  /** Drops the utterance without a result (a barge-in, a dropped run); idempotent. */
  cancel(): void;
  /** The best guess at what has been said so far, for engines that know it (undefined: nothing yet). */
  partial?(): string | undefined;
  /**
   * Resolves once everything written so far has been decoded (so {@link partial} is current), for
   * engines that decode in the background. Lets a test feed audio as fast as the engine decodes it,
   * on any machine, instead of at a pace that a slower machine cannot keep.
   */
  drained?(): Promise<void>;
}

/** A speech-to-text engine. */
export interface SpeechToText {
  /** Engine name, for logs and timings. */
  readonly name: string;
  /** Loads models. Must resolve before anything else is called. */
  start(): Promise<void>;
  /** Frees models; idempotent. */
  stop(): Promise<void>;
  /**
   * Replaces what the engine listens for (grammar engines compile it; free-form engines may use its
   * words as a hint). Safe to call while transcriptions run: they finish with the old grammar.
   */
  setGrammar(grammar: SpeechGrammar): Promise<void>;
  /** Transcribes one utterance of 16 kHz mono 16-bit audio. */
  transcribe(audio: Int16Array, options?: TranscribeOptions): Promise<SttResult>;
  /**
   * Starts an utterance to be fed while it is spoken. Engines that can decode incrementally
   * implement it; for the others {@link beginTranscription} collects the audio and calls
   * {@link transcribe} at the end.
   */
  begin?(): SttStream;
}

/** Starts a streamed transcription on any engine: its own stream, or the audio collected for `transcribe`. */
export function beginTranscription(stt: SpeechToText): SttStream {
  if (stt.begin) return stt.begin();
  const pieces: Int16Array[] = [];
  let cancelled = false;
  return {
    write(audio) {
      if (!cancelled) pieces.push(audio);
    },
    end(options) {
      const audio = concatInt16(pieces);
      pieces.length = 0;
      return stt.transcribe(audio, options);
    },
    cancel() {
      cancelled = true;
      pieces.length = 0;
    },
  };
}

/**
 * A stream that starts only once `ready` resolves (a grammar being rebuilt): what is written before
 * is kept and handed over then, so nothing of the utterance is lost.
 */
export function beginWhenReady(ready: Promise<void>, begin: () => SttStream): SttStream {
  let inner: SttStream | undefined;
  let cancelled = false;
  const early: Int16Array[] = [];
  const started = ready.then(() => {
    if (cancelled) return;
    inner = begin();
    for (const audio of early.splice(0)) inner.write(audio);
  });
  return {
    write(audio) {
      if (inner) inner.write(audio);
      else if (!cancelled) early.push(audio);
    },
    async end(options) {
      await started;
      if (!inner) throw new Error("this utterance was cancelled");
      return inner.end(options);
    },
    cancel() {
      cancelled = true;
      early.length = 0;
      inner?.cancel();
    },
    partial: () => inner?.partial?.(),
    async drained() {
      await started;
      await inner?.drained?.();
    },
  };
}
