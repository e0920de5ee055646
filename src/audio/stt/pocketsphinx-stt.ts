import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Clock, systemClock } from "../../core/clock.js";
import { HearthError } from "../../core/errors.js";
import type { Logger } from "../../core/logger.js";
import { utteranceConfidence, wordFits } from "./confidence.js";
import { compileFsg, type FsgOptions } from "./fsg.js";
import { jsgfVocabulary } from "./jsgf.js";
import { PocketsphinxDecoder } from "./pocketsphinx-decoder.js";
import { type LibraryPaths, loadPocketsphinx } from "./pocketsphinx-library.js";
import { CMU_PHONES, Pronouncer } from "./pronunciations.js";
import type {
  RecognizedWord,
  SpeechGrammar,
  SpeechToText,
  SttResult,
  TranscribeOptions,
} from "./speech-to-text.js";

/** Where Debian's pocketsphinx-en-us puts the US English model. */
export const DEBIAN_MODEL_DIR = "/usr/share/pocketsphinx/model/en-us";

/** Options of {@link PocketsphinxStt}. */
export interface PocketsphinxSttOptions {
  logger: Logger;
  clock?: Clock | undefined;
  /** Acoustic model folder (pocketsphinx `-hmm`). */
  acousticModel: string;
  /** Pronunciation dictionary (pocketsphinx `-dict`). */
  dictionary: string;
  /** Shared libraries to load. */
  libraries: LibraryPaths;
  /** Reject utterances whose confidence is below `threshold` (the phone-loop comparison). */
  rejection: boolean;
  /** Confidence below which an utterance is rejected (per-frame score ratio; see confidence.ts). */
  threshold: number;
  /** Pronunciations (CMU phones) that win over the dictionary and generated ones, e.g. {hue: "HH Y UW"}. */
  pronunciations?: Readonly<Record<string, string>> | undefined;
  /** Extra pocketsphinx options, e.g. {"-beam": "1e-60"}. */
  decoderOptions?: Readonly<Record<string, string>> | undefined;
  /** How grammar specs are compiled (fsg.ts). */
  fsg?: FsgOptions | undefined;
  /** Generates pronunciations for unknown words (default: espeak-ng). */
  pronouncer?: Pronouncer | undefined;
}

const FRAMES_PER_SECOND = 100;
/**
 * Narrower beams for the phone loop: it only has to score about as well as the best free phone
 * sequence, not find it exactly, and at pocketsphinx's defaults it costs three times the grammar
 * search. With these it takes about half as long with the same separation of commands from other
 * speech (measured on the synthetic corpus).
 */
const LOOP_OPTIONS = { "-maxhmmpf": "300", "-beam": "1e-20", "-pbeam": "1e-20", "-wbeam": "1e-15" };
/** Utterances shorter than this many samples (0.1 s) are not worth decoding. */
const MIN_SAMPLES = 1600;

/**
 * Grammar-constrained speech recognition with pocketsphinx, in process through koffi. Two decoders
 * share the acoustic model files: one runs the command grammar, the other a free phone loop over
 * the same audio, at the same time on two threads; comparing them word by word rejects speech that
 * is not a command (see confidence.ts). Grammar specs are compiled to an FSG here (fsg.ts), JSGF
 * text by pocketsphinx; words missing from the dictionary get generated pronunciations first.
 * Decoding is whole-utterance (the VAD segmenter hands over complete utterances), so cepstral
 * normalisation sees all of it. All calls are serialised: one decoder, one utterance at a time.
 */
export class PocketsphinxStt implements SpeechToText {
  readonly name = "pocketsphinx";
  readonly #options: PocketsphinxSttOptions;
  readonly #log: Logger;
  readonly #clock: Clock;
  readonly #pronouncer: Pronouncer;
  #workDir: string | undefined;
  #grammarDecoder: PocketsphinxDecoder | undefined;
  #loopDecoder: PocketsphinxDecoder | undefined;
  #searchName: string | undefined;
  #searchCount = 0;
  /** Serialises every decoder call: a ps_decoder_t is not re-entrant. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: PocketsphinxSttOptions) {
    this.#options = options;
    this.#log = options.logger;
    this.#clock = options.clock ?? systemClock;
    this.#pronouncer = options.pronouncer ?? new Pronouncer({ logger: options.logger });
  }

  async start(): Promise<void> {
    if (this.#grammarDecoder) return;
    const started = this.#clock.monotonic();
    const lib = await loadPocketsphinx(this.#options.libraries);
    const workDir = mkdtempSync(join(tmpdir(), "hearth-pocketsphinx-"));
    this.#workDir = workDir;
    const logFile = join(workDir, "pocketsphinx.log");
    const loopDictionary = join(workDir, "phones.dict");
    writeFileSync(loopDictionary, CMU_PHONES.map((phone) => `${loopWord(phone)} ${phone}\n`).join(""));
    // Options as a map, so one given twice is passed once (pocketsphinx refuses duplicates).
    const args = (options: Record<string, string>): string[] => Object.entries(options).flat();
    const common = { "-hmm": this.#options.acousticModel, ...this.#options.decoderOptions };
    const grammarDecoder = new PocketsphinxDecoder(lib, logFile);
    const loopDecoder = new PocketsphinxDecoder(lib, logFile);
    try {
      grammarDecoder.init(args({ ...common, "-dict": this.#options.dictionary }));
      loopDecoder.init(args({ ...common, ...LOOP_OPTIONS, "-dict": loopDictionary }));
      const phones = CMU_PHONES.map(loopWord).join(" | ");
      loopDecoder.setGrammar("phones", `#JSGF V1.0;\ngrammar phones;\npublic <loop> = (${phones})+;\n`);
    } catch (err) {
      grammarDecoder.free();
      loopDecoder.free();
      rmSync(workDir, { recursive: true, force: true });
      this.#workDir = undefined;
      throw err;
    }
    this.#grammarDecoder = grammarDecoder;
    this.#loopDecoder = loopDecoder;
    this.#log.info({ ms: Math.round(this.#clock.monotonic() - started) }, "pocketsphinx loaded");
  }

  async stop(): Promise<void> {
    await this.#queue.catch(() => {});
    this.#grammarDecoder?.free();
    this.#loopDecoder?.free();
    this.#grammarDecoder = undefined;
    this.#loopDecoder = undefined;
    this.#searchName = undefined;
    if (this.#workDir) rmSync(this.#workDir, { recursive: true, force: true });
    this.#workDir = undefined;
  }

  /**
   * Compiles the grammar; words missing from the dictionary get pronunciations first. A spec is
   * compiled to an FSG (fsg.ts: large rules shared, so it stays small), JSGF text by pocketsphinx.
   * On failure the previous grammar stays active.
   */
  setGrammar(grammar: SpeechGrammar): Promise<void> {
    return this.#serialised(async () => {
      const decoder = this.#decoder();
      const started = this.#clock.monotonic();
      const fsg = grammar.spec ? compileFsg(grammar.spec, "hearth", this.#options.fsg) : undefined;
      const vocabulary = fsg ? fsg.words : jsgfVocabulary(grammar.jsgf ?? "");
      const explicit = { ...grammar.pronunciations, ...this.#options.pronunciations };
      const unknown: string[] = [];
      let added = 0;
      for (const word of vocabulary) {
        const wanted = explicit[word];
        const known = decoder.lookup(word);
        if (wanted !== undefined) {
          if (known === undefined) {
            decoder.addWord(word, wanted);
            added++;
          } else if (!hasPronunciation(decoder, word, wanted)) {
            decoder.addWord(`${word}(${nextVariant(decoder, word)})`, wanted);
            added++;
          }
        } else if (known === undefined) {
          unknown.push(word);
        }
      }
      const generated =
        unknown.length > 0 ? await this.#pronouncer.pronounce(unknown) : new Map<string, string[]>();
      for (const [word, variants] of generated) {
        // Alternatives are "word(2)", "word(3)"…: the decoder reports them all as "word".
        variants.forEach((phones, index) => {
          decoder.addWord(index === 0 ? word : `${word}(${index + 1})`, phones);
          added++;
        });
      }
      const name = `hearth-${++this.#searchCount}`;
      if (fsg) {
        const path = join(this.#workDir as string, "grammar.fsg");
        writeFileSync(path, fsg.text);
        decoder.setFsg(name, path);
      } else {
        decoder.setGrammar(name, grammar.jsgf ?? "");
      }
      if (this.#searchName) decoder.removeGrammar(this.#searchName);
      this.#searchName = name;
      this.#log.debug(
        {
          ms: Math.round(this.#clock.monotonic() - started),
          states: fsg?.states,
          transitions: fsg ? fsg.transitions + fsg.nullTransitions : undefined,
          added,
          generated: Object.fromEntries(generated),
        },
        "speech grammar compiled",
      );
    });
  }

  async transcribe(audio: Int16Array, options: TranscribeOptions = {}): Promise<SttResult> {
    options.signal?.throwIfAborted();
    return this.#serialised(async () => {
      options.signal?.throwIfAborted();
      const grammar = this.#decoder();
      const loop = this.#loopDecoder as PocketsphinxDecoder;
      if (!this.#searchName)
        throw new HearthError("ENGINE_FAILED", "pocketsphinx has no grammar yet (setGrammar first)");
      const started = this.#clock.monotonic();
      const elapsed = (): number => Math.round(this.#clock.monotonic() - started);
      if (audio.length < MIN_SAMPLES)
        return { kind: "rejected", reason: "no-speech", ms: elapsed() } as const;

      const input = dither(audio);
      // Both searches at once: each decoder is its own C object, and koffi runs each on a worker thread.
      const [best, free] = await Promise.all([grammar.decode(input), loop.decode(input)]);
      options.signal?.throwIfAborted();
      if (best.hypothesis === null) return { kind: "rejected", reason: "no-match", ms: elapsed() } as const;
      const text = best.hypothesis.trim();
      if (text === "") return { kind: "rejected", reason: "no-speech", ms: elapsed() } as const;

      const fits = wordFits(best.segments, free.segments);
      const confidence = utteranceConfidence(fits);
      const words: RecognizedWord[] = fits.map((fit) => ({
        word: fit.word,
        start: fit.startFrame / FRAMES_PER_SECOND,
        end: (fit.endFrame + 1) / FRAMES_PER_SECOND,
        confidence: fit.ratio,
      }));
      if (this.#options.rejection && !(confidence >= this.#options.threshold)) {
        return {
          kind: "rejected",
          reason: "low-confidence",
          text,
          confidence,
          words,
          ms: elapsed(),
        } as const;
      }
      return { kind: "transcript", text, confidence, words, ms: elapsed() } as const;
    });
  }

  #decoder(): PocketsphinxDecoder {
    if (!this.#grammarDecoder) throw new HearthError("ENGINE_FAILED", "pocketsphinx is not started");
    return this.#grammarDecoder;
  }

  #serialised<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => {});
    return run;
  }
}

/**
 * Adds ±1 LSB of noise, the same for the same input. Stretches of exact digital silence (synthetic
 * audio, padded files, some sound cards when muted) give log(0) energies that skew pocketsphinx's
 * cepstral normalisation; its own `-dither` would do the same, but with a random seed per process,
 * so results would not be repeatable.
 */
export function dither(audio: Int16Array): Int16Array {
  const out = new Int16Array(audio.length);
  let state = 0x2545f491;
  for (let i = 0; i < audio.length; i++) {
    // xorshift32: cheap, deterministic, good enough for one bit of noise.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const noise = (state & 3) - 1.5 > 0 ? 1 : -1;
    const value = (audio[i] as number) + noise;
    out[i] = Math.min(32767, Math.max(-32768, value));
  }
  return out;
}

/** The phone loop's word for a phone (in its own dictionary, so no clash with real words). */
function loopWord(phone: string): string {
  return `ph_${phone.toLowerCase()}`;
}

function hasPronunciation(decoder: PocketsphinxDecoder, word: string, phones: string): boolean {
  const wanted = phones.trim().toUpperCase().split(/\s+/).join(" ");
  for (let variant = 1; variant < 20; variant++) {
    const found = decoder.lookup(variant === 1 ? word : `${word}(${variant})`);
    if (found === undefined) return false;
    if (found.trim().split(/\s+/).join(" ") === wanted) return true;
  }
  return false;
}

function nextVariant(decoder: PocketsphinxDecoder, word: string): number {
  let variant = 2;
  while (decoder.lookup(`${word}(${variant})`) !== undefined) variant++;
  return variant;
}
