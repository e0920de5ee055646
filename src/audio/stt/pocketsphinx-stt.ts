import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Clock, systemClock } from "../../core/clock.js";
import { HearthError } from "../../core/errors.js";
import type { Logger } from "../../core/logger.js";
import { concatInt16 } from "../pcm.js";
import { adaptationOptions, checkAdaptation, resolveAdaptation } from "./acoustic-adaptation.js";
import { keeps, type RejectionRule, utteranceConfidence, wordFits } from "./confidence.js";
import { compileFsg, type FsgOptions, oneWordFsgText, oneWordSentences } from "./fsg.js";
import { jsgfVocabulary } from "./jsgf.js";
import { NoiseSuppressor, type NoiseSuppressorOptions } from "./noise-suppressor.js";
import { type DecodeResult, PocketsphinxDecoder } from "./pocketsphinx-decoder.js";
import { type FsgCompaction, type LibraryPaths, loadPocketsphinx } from "./pocketsphinx-library.js";
import { CMU_PHONES, Pronouncer } from "./pronunciations.js";
import { quietestStretch } from "./quietest-stretch.js";
import type {
  RecognizedWord,
  SpeechGrammar,
  SpeechToText,
  SttResult,
  SttStream,
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
  /**
   * The adaptation of the acoustic model to real voices (`stt.pocketsphinx.adaptation`: none,
   * builtin, builtin-denoised or a path, resolved against `baseDir`; acoustic-adaptation.ts), applied
   * to both searches so their scores stay comparable; undefined: the stock model.
   */
  adaptation?: { setting: string; baseDir: string } | undefined;
  /**
   * Pronunciation dictionary (CMU format). Only the grammar's words are taken from it (see
   * {@link PocketsphinxStt.setGrammar}); the decoder never loads it whole.
   */
  dictionary: string;
  /** Shared libraries to load. */
  libraries: LibraryPaths;
  /** Reject utterances whose confidence is below the rule's threshold (the phone-loop comparison). */
  rejection: boolean;
  /**
   * Confidences (per-frame score ratios) below which an utterance is rejected, by its length and
   * number of words (see confidence.ts).
   */
  rule: RejectionRule;
  /** Pronunciations (CMU phones) that win over the dictionary and generated ones, e.g. {hue: "HH Y UW"}. */
  pronunciations?: Readonly<Record<string, string>> | undefined;
  /**
   * How many of each codebook's best Gaussians make up a senone's score in each frame (pocketsphinx's
   * `-topn`). Default {@link TOP_GAUSSIANS}.
   */
  topGaussians?: number | undefined;
  /** Extra pocketsphinx options, e.g. {"-beam": "1e-60"}; they win over every setting above. */
  decoderOptions?: Readonly<Record<string, string>> | undefined;
  /** How grammar specs are compiled (fsg.ts). */
  fsg?: FsgOptions | undefined;
  /** Generates pronunciations for unknown words (default: espeak-ng). */
  pronouncer?: Pronouncer | undefined;
  /**
   * Milliseconds at the start of a streamed utterance (the segmenter's pre-roll, then the speech)
   * on which its cepstral mean is measured before decoding; the search starts once that much has
   * been written (or the utterance ends). Default {@link CMN_WARM_UP_MS}.
   */
  cmnWarmUpMs?: number | undefined;
  /**
   * How many frames' worth the model's prior cepstral mean counts for against the warm-up's.
   * Default {@link CMN_PRIOR_FRAMES}.
   */
  cmnPriorFrames?: number | undefined;
  /**
   * Milliseconds of a whole recording's quietest stretch that set the front end's noise estimate
   * before it is decoded (0: none). Default {@link BACKGROUND_MS}.
   */
  backgroundMs?: number | undefined;
  /**
   * Noise suppression of each utterance's audio before pocketsphinx's features (noise-suppressor.ts);
   * undefined: none.
   */
  noiseSuppression?: NoiseSuppressorOptions | undefined;
  /** Offer {@link PocketsphinxStt.begin} (decoding while the user speaks). Default true. */
  streaming?: boolean | undefined;
}

const FRAMES_PER_SECOND = 100;
/**
 * Narrower beams for the phone loop: it only has to score about as well as the best free phone
 * sequence, not find it exactly, and at pocketsphinx's defaults it costs three times the grammar
 * search. With these it takes about half as long with the same separation of commands from other
 * speech (measured on the synthetic corpus).
 */
const LOOP_OPTIONS = { "-maxhmmpf": "300", "-beam": "1e-20", "-pbeam": "1e-20", "-wbeam": "1e-15" };
/**
 * The grammar search's own options, before the user's. A word insertion probability of 0.05 (the
 * default is 0.65) makes every extra word cost more, so the search stops padding commands with
 * short words that absorb a breath or the end of the recording ("… the light is", "… the tv eight").
 * On the synthetic corpus (174 clean commands, bench/stt.mjs) it lifted the commands heard exactly
 * from 87 % to 89 %. The phone loop keeps the default: its job is to explain the audio as freely as
 * it can. (pocketsphinx counts the penalty in each word's acoustic score, which moves every
 * confidence down; the rejection threshold is set for it.) The HMM and phone beams are wider than
 * the defaults (1e-48): with them long orders of real people (the coffee bench) lost their right
 * sentence to pruning ("no match") three times in 298; at 1e-60 they keep it, and the search takes
 * only a few per cent longer. (1e-80 keeps one more of the 298, at a third more time; a wider word
 * beam doubles the time and keeps none more.)
 *
 * At most 6000 HMMs a frame (pocketsphinx's default is 30 000): past it, pocketsphinx narrows the
 * beams for the next frames until fewer are active (fsg_search.c). The grammar search, not the
 * phone loop, is what decoding costs: at 100 devices it took 75–94 % of the CPU time, most on short
 * clips. On speech that fits a sentence the beams keep a few thousand HMMs active; on what fits
 * none (a pause, noise, a word the grammar lacks, other speech) every path scores alike, a home's
 * grammar kept 11 000 a frame, and a short real command took longer to decode than to say.
 * Measured on ../shared/speech-dev with a 100-device home's grammar, each decoder's CPU time apart,
 * both settings back to back (load 5 on two cores): the grammar search's CPU time per second of
 * audio fell from 0.92 to 0.28 on the 57 real "computer" clips and from 0.44 to 0.20 on the 40
 * real other-speech clips, with as many heard right (35 of 57; 92 of 100 coffee orders, one lost
 * and one gained) and one other-speech clip fewer taken for a command. Synthetic commands to the
 * home, which fit a sentence, cost about the same (0.27–0.37 against 0.31–0.33). At 3000 the beams
 * narrowed on real orders too, and 5 of those 100 became nonsense sentences of the home's devices.
 */
const GRAMMAR_OPTIONS = { "-wip": "0.05", "-beam": "1e-60", "-pbeam": "1e-60", "-maxhmmpf": "6000" };
/**
 * Forced on both decoders, whatever the user's options, because the confidence compares their
 * scores (confidence.ts). pocketsphinx normalises each frame's senone scores by the best senone it
 * computed in that frame, and by default it computes only the senones its own active HMMs need.
 * The grammar search and the phone loop then subtract different per-frame bests, and the difference
 * of their scores says as much about how wide each search was as about the audio. Computing every
 * senone in both subtracts the same best, so the difference is a true likelihood ratio. On the
 * synthetic corpus (bench/stt.mjs) it kept 90 % of the clean commands at the rejection threshold
 * instead of 80.5 %, with no more other speech let through, for about a quarter more decoding time.
 */
const COMPARABLE_SCORES = { "-compallsen": "yes" };
/**
 * Options of both decoders, before the user's. Without a phone lookahead window: pocketsphinx's
 * default (`-pl_window 5`) runs a phone-loop search beside the active search on every frame, whose
 * scores only its n-gram search reads; a grammar (FSG) search ignores them, so it cost CPU time for
 * nothing (the same transcripts and confidences without it).
 */
const BOTH_OPTIONS = { "-pl_window": "0" };
/**
 * Gaussians per codebook in each senone's score ({@link PocketsphinxSttOptions.topGaussians}). The
 * en-us model is phonetically tied: each of its 42 codebooks holds 128 Gaussians per feature stream,
 * and pocketsphinx scores a senone from the few that fit the frame best (`-topn`, default 4). In
 * clean speech those few carry nearly all of the likelihood; in noise the frame lies between many
 * of them. Measured through `hearth understand`'s path on the development half of the real coffee
 * orders of ../shared/speech-dev in kitchen noise (bench/hear.mjs --part dev --limit 40), 16 heard
 * more orders right at 6 / 12 dB (20 / 32 of 40 understood against 14 / 25), but the check half
 * (other people, noise not tuned in) did not confirm it (10 / 25 against 9 / 27, docs/benchmarks.md),
 * and it raises every confidence: the rejection thresholds (confidence.ts) were calibrated at 4,
 * and at 16 they took 3 of 40 real other utterances for a command instead of 2. So 4 stays the
 * default, and a higher setting wants the thresholds calibrated for it. Every senone is scored
 * ({@link COMPARABLE_SCORES}), each from its N Gaussians, so N also costs CPU time: at 6 dB the path
 * took 0.124 s per second of audio with 4, 0.164 with 8 and 0.215 with 16. (The front end's band
 * and filter options, `-lowerf`, `-upperf`, `-nfilt`, cannot be tuned this way: the model's
 * feat.params overrides them.)
 */
export const TOP_GAUSSIANS = 4;
/**
 * How much of a streamed utterance its cepstral mean is measured on before it is searched
 * ({@link PocketsphinxSttOptions.cmnWarmUpMs}), and how many frames' worth the model's own prior
 * mean counts for against it ({@link PocketsphinxSttOptions.cmnPriorFrames}). Decoded while spoken,
 * an utterance is normalised by this mean from its first frame to its last; decoded whole, by the
 * mean of all of it. That was the difference between the two on real one-word commands: measured on
 * the first piece the segmenter handed over (its 300 ms pre-roll and the first 250 ms of speech)
 * against a prior of 100 frames, the streamed decode heard 18 of the 29 development "computer"
 * recordings and took 4 more for other commands ("in here shut it", "um hiya there": the word heard
 * as two short ones, the silence after it as more); given the mean of the whole cut instead, with no
 * prior, it heard 21 and took none. The model's prior is the mean of the recordings it was trained
 * on, not of this microphone and voice: with none at all, an 800 ms warm-up heard 22 of 29, but a
 * synthetic voice whose sentences the tests hold (flite) lost two points of confidence; at 50
 * frames it heard 20 and the synthetic voice kept its score. Measured on more of the speech, the live
 * mean comes nearer the utterance's own: 650–1000 ms heard 20–22 where the first piece alone (about
 * 550 ms) heard 18–20 (docs/benchmarks.md). The search waits for those 800 ms, not for the
 * utterance: it then catches up faster than the words come, so nothing is left for the end of
 * speech but the last piece, as before.
 */
export const CMN_WARM_UP_MS = 800;
/** See {@link CMN_WARM_UP_MS}. */
export const CMN_PRIOR_FRAMES = 50;
/**
 * How much of a whole recording's quietest stretch primes pocketsphinx's noise estimate before the
 * recording is decoded ({@link PocketsphinxSttOptions.backgroundMs}). The front end subtracts a
 * running noise floor from every frame (and its voice activity detector compares each frame with
 * it); a fresh estimate starts from the first frame, which in a tightly cut recording is already
 * speech. Carrying the estimate over from the recording decoded before gave that recording's
 * background instead, so an answer depended on what came before; the recording's own quietest
 * stretch gives it from the recording alone. A live utterance needs none of this: it opens on the
 * segmenter's pre-roll, which is the room's background. Measured on the real coffee orders of
 * ../shared/speech-dev (whole files, the coffee grammar alone), of the 16 of 298 clean orders heard
 * wrong with a fresh estimate: 0 right again with 150 ms, 3 with 300 ms, 4 with 450, 600 or 1000 ms
 * (and 4 with 300 ms played 4 or 10 times); none of 60 other orders lost at 600 ms.
 */
export const BACKGROUND_MS = 600;
/**
 * The longest utterance (seconds of audio, a VAD cut's pre-roll and tail included) decoded again
 * against the one-word sentences alone when it was rejected (RejectionRule.rescueOneWordThreshold).
 */
const RESCUE_MAX_SECONDS = 2.5;
/** Utterances shorter than this many samples (0.1 s) are not worth decoding. */
const MIN_SAMPLES = 1600;

/**
 * Milliseconds after stop() before the decoders are freed: longer than a daemon takes to exit after
 * stopping (its stop deadline is 2.5 s), so an exiting process never waits for the free.
 */
const RELEASE_DELAY_MS = 5000;

/**
 * Grammar-constrained speech recognition with pocketsphinx, in process through koffi. Two searches
 * run over the same audio: the command grammar and a free phone loop; comparing them word by word
 * rejects speech that is not a command (see confidence.ts). Both run on one decoder's frames, the
 * phone loop after the grammar on each frame, from the senone scores the grammar's step computed:
 * the acoustic model, which both need in full, is evaluated once (with two decoders it was
 * evaluated twice, about a sixth of all decoding CPU time; PocketsphinxDecoder.addCompanion). With
 * a library whose layout is not the known one, the phone loop gets a decoder of its own. Grammar specs are compiled to an FSG here (fsg.ts), JSGF
 * text by pocketsphinx; words missing from the dictionary get generated pronunciations first.
 * `transcribe` decodes a whole utterance with its own cepstral mean; `begin` decodes while the
 * utterance is spoken. Either way an utterance's result depends on its audio alone. All calls are
 * serialised: one decoder, one utterance at a time.
 */
export class PocketsphinxStt implements SpeechToText {
  readonly name = "pocketsphinx";
  readonly #options: PocketsphinxSttOptions;
  readonly #log: Logger;
  readonly #clock: Clock;
  readonly #pronouncer: Pronouncer;
  readonly #cmnWarmUpSamples: number;
  readonly #cmnPriorFrames: number;
  readonly #backgroundSamples: number;
  #workDir: string | undefined;
  #grammarDecoder: PocketsphinxDecoder | undefined;
  /**
   * The phone loop's own decoder, where it cannot run on the grammar decoder's frames (a library
   * of another layout); undefined when it does.
   */
  #loopDecoder: PocketsphinxDecoder | undefined;
  #searchName: string | undefined;
  /** The search of the grammar's one-word sentences alone (see {@link #rescue}); undefined: none. */
  #oneWordSearch: string | undefined;
  #searchCount = 0;
  /** Serialises every decoder call: a ps_decoder_t is not re-entrant. */
  #queue: Promise<unknown> = Promise.resolve();
  /** Settles once the decoders of the last stop() are freed. */
  #released: Promise<void> = Promise.resolve();
  /** Starts the pending free of the last stop()'s decoders at once; undefined once it has started. */
  #releaseLater: { now: () => void } | undefined;

  /**
   * Starts an utterance decoded as it arrives (see {@link #begin}); undefined when `streaming` is
   * off, so callers hand over whole utterances.
   */
  readonly begin: (() => SttStream) | undefined;

  constructor(options: PocketsphinxSttOptions) {
    this.#options = options;
    this.begin = options.streaming === false ? undefined : () => this.#begin();
    this.#log = options.logger;
    this.#clock = options.clock ?? systemClock;
    this.#pronouncer = options.pronouncer ?? new Pronouncer({ logger: options.logger });
    this.#cmnWarmUpSamples = Math.round(((options.cmnWarmUpMs ?? CMN_WARM_UP_MS) * 16000) / 1000);
    this.#cmnPriorFrames = options.cmnPriorFrames ?? CMN_PRIOR_FRAMES;
    this.#backgroundSamples = Math.round(((options.backgroundMs ?? BACKGROUND_MS) * 16000) / 1000);
  }

  async start(): Promise<void> {
    if (this.#grammarDecoder) return;
    this.#releaseLater?.now();
    await this.#released;
    const started = this.#clock.monotonic();
    // Checked before pocketsphinx reads it: a Gaussian file of the wrong size ends the process there.
    const adaptation = this.#options.adaptation
      ? await resolveAdaptation(this.#options.adaptation.setting, this.#options.adaptation.baseDir)
      : ({ kind: "none" } as const);
    await checkAdaptation(adaptation, this.#options.acousticModel);
    const lib = await loadPocketsphinx(this.#options.libraries);
    const workDir = mkdtempSync(join(tmpdir(), "hearth-pocketsphinx-"));
    this.#workDir = workDir;
    const logFile = join(workDir, "pocketsphinx.log");
    const loopDictionary = join(workDir, "phones.dict");
    writeFileSync(loopDictionary, CMU_PHONES.map((phone) => `${loopWord(phone)} ${phone}\n`).join(""));
    // The grammar decoder starts with an empty dictionary and gets the grammar's words in
    // setGrammar: the whole CMU dictionary (134 000 words) held 22 MB for the few hundred a home's
    // grammar uses.
    const grammarDictionary = join(workDir, "grammar.dict");
    writeFileSync(grammarDictionary, "");
    // Options as a map, so one given twice is passed once (pocketsphinx refuses duplicates).
    const args = (options: Record<string, string>): string[] => Object.entries(options).flat();
    const common = {
      "-hmm": this.#options.acousticModel,
      "-topn": String(this.#options.topGaussians ?? TOP_GAUSSIANS),
      ...adaptationOptions(adaptation),
      ...this.#options.decoderOptions,
    };
    const grammarDecoder = new PocketsphinxDecoder(lib, logFile);
    let loopDecoder: PocketsphinxDecoder | undefined;
    try {
      grammarDecoder.init(
        args({
          ...BOTH_OPTIONS,
          ...GRAMMAR_OPTIONS,
          ...common,
          ...COMPARABLE_SCORES,
          "-dict": grammarDictionary,
        }),
      );
      const loopArgs = args({
        ...BOTH_OPTIONS,
        ...common,
        ...LOOP_OPTIONS,
        ...COMPARABLE_SCORES,
        "-dict": loopDictionary,
      });
      const phones = CMU_PHONES.map(loopWord).join(" | ");
      const loopJsgf = `#JSGF V1.0;\ngrammar phones;\npublic <loop> = (${phones})+;\n`;
      // The phone loop runs on the grammar decoder's frames, from the same senone scores, with its
      // own beams: the acoustic model is evaluated once for both searches instead of once each.
      for (const phone of CMU_PHONES) grammarDecoder.addWord(loopWord(phone), phone);
      if (!grammarDecoder.addCompanion("phones", loopJsgf, loopArgs)) {
        loopDecoder = new PocketsphinxDecoder(lib, logFile);
        loopDecoder.init(loopArgs);
        loopDecoder.setGrammar("phones", loopJsgf);
      }
    } catch (err) {
      grammarDecoder.free();
      loopDecoder?.free();
      rmSync(workDir, { recursive: true, force: true });
      this.#workDir = undefined;
      throw err;
    }
    this.#grammarDecoder = grammarDecoder;
    this.#loopDecoder = loopDecoder;
    if (!grammarDecoder.resettable || (loopDecoder && !loopDecoder.resettable))
      this.#log.warn(
        "this pocketsphinx library keeps its cepstral mean where Hearth cannot reset it: each utterance is decoded with the mean of those before",
      );
    this.#log.info({ ms: Math.round(this.#clock.monotonic() - started) }, "pocketsphinx loaded");
  }

  async stop(): Promise<void> {
    await this.#queue.catch(() => {});
    const decoders = [this.#grammarDecoder, this.#loopDecoder].filter((d) => d !== undefined);
    if (decoders.length > 0) {
      // Freeing a large grammar's search takes seconds (ps_free: 2.2 s for the example home on a
      // busy two-core machine), and a stop (Ctrl-C, systemctl stop) must be prompt. So it runs
      // later, on a worker thread, and only if the process lives on: a daemon exits within its
      // stop deadline and leaves the memory to the OS rather than wait for the free (libuv joins
      // its worker threads at exit). A start() in the meantime frees them first.
      let resolve = (): void => {};
      this.#released = new Promise<void>((r) => {
        resolve = r;
      });
      let started = false;
      const release = (): void => {
        if (started) return;
        started = true;
        if (this.#releaseLater === pending) this.#releaseLater = undefined;
        Promise.all(decoders.map((d) => d.release()))
          .catch((err: unknown) => this.#log.warn({ err }, "pocketsphinx decoder not freed"))
          .finally(resolve);
      };
      const pending = { now: release };
      this.#releaseLater = pending;
      // On the injected clock, which (like an unref'd timer) keeps no exiting process alive.
      this.#clock
        .timeout(RELEASE_DELAY_MS, "freeing pocketsphinx's decoders")
        .addEventListener("abort", release, { once: true });
    }
    this.#grammarDecoder = undefined;
    this.#loopDecoder = undefined;
    this.#searchName = undefined;
    this.#oneWordSearch = undefined;
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
      const missing = vocabulary.filter((word) => decoder.lookup(word) === undefined);
      for (const [word, variants] of await readPronunciations(this.#options.dictionary, missing)) {
        variants.forEach((phones, index) => {
          decoder.addWord(index === 0 ? word : `${word}(${index + 1})`, phones);
        });
      }
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
      let compaction: FsgCompaction | undefined;
      if (fsg) {
        const path = join(this.#workDir as string, "grammar.fsg");
        writeFileSync(path, fsg.text);
        compaction = decoder.setFsg(name, path);
      } else {
        decoder.setGrammar(name, grammar.jsgf ?? "");
      }
      if (this.#searchName) decoder.removeGrammar(this.#searchName);
      this.#searchName = name;
      if (this.#oneWordSearch) decoder.removeGrammar(this.#oneWordSearch);
      this.#oneWordSearch = undefined;
      const oneWord =
        fsg && this.#options.rule.rescueOneWordThreshold !== undefined ? oneWordSentences(fsg) : [];
      if (oneWord.length > 0) {
        const path = join(this.#workDir as string, "one-word.fsg");
        writeFileSync(path, oneWordFsgText("one", oneWord));
        decoder.setFsg(`${name}-one-word`, path, false);
        this.#oneWordSearch = `${name}-one-word`;
      }
      this.#log.debug(
        {
          ms: Math.round(this.#clock.monotonic() - started),
          states: fsg?.states,
          transitions: fsg ? fsg.transitions + fsg.nullTransitions : undefined,
          added,
          generated: Object.fromEntries(generated),
          compactedTables: compaction?.tables,
          compactedBytes: compaction?.bytes,
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
      const loop = this.#loopDecoder;
      this.#requireGrammar();
      const started = this.#clock.monotonic();
      if (audio.length < MIN_SAMPLES) return this.#verdict(undefined, undefined, started);
      const input = new Ditherer().apply(this.#suppressed(audio));
      // One decoder with the phone loop on its frames, or (another layout) two at once, each on a worker thread.
      // Its own background, not the one of whatever was decoded before (see BACKGROUND_MS).
      const background = quietestStretch(input, this.#quietSamples(options.preRollMs));
      const [best, free] = loop
        ? await Promise.all([grammar.decode(input, background), loop.decode(input, background)])
        : both(await grammar.decode(input, background));
      options.signal?.throwIfAborted();
      const cut = options.preRollMs !== undefined;
      const verdict = this.#verdict(best, free, started, cut);
      if (!this.#rescuable(verdict, input.length)) return verdict;
      const rescued = await this.#rescue(input, background, started);
      options.signal?.throwIfAborted();
      return rescued ?? verdict;
    });
  }

  /**
   * Whether a whole utterance's rejection earns it the one-word decode of {@link #rescue}: it fit no
   * sentence or too badly, it is short enough to be one word, and the home has one-word sentences.
   */
  #rescuable(verdict: SttResult, samples: number): boolean {
    return (
      this.#options.rejection &&
      this.#oneWordSearch !== undefined &&
      verdict.kind === "rejected" &&
      (verdict.reason === "no-match" || verdict.reason === "low-confidence") &&
      samples <= RESCUE_MAX_SECONDS * 16000
    );
  }

  /**
   * The utterance decoded once more against the home's one-word sentences alone, kept when that
   * word's fit against the phone loop reaches {@link RejectionRule.rescueOneWordThreshold};
   * undefined otherwise. A real one-word command the home's whole grammar loses is lost in two
   * ways: the search finds no path to the grammar's end (its word-exit beam keeps the longer
   * sentences whose first words fit the start of the word better), or it hears the word as a short
   * sentence of other words that the rule rejects.
   */
  async #rescue(input: Int16Array, background: Int16Array, started: number): Promise<SttResult | undefined> {
    const grammar = this.#decoder();
    const search = this.#oneWordSearch as string;
    const [best, free] = this.#loopDecoder
      ? await Promise.all([
          grammar.decode(input, background, search),
          this.#loopDecoder.decode(input, background),
        ])
      : both(await grammar.decode(input, background, search));
    const rescued = this.#verdict(best, free, started, true, {
      ...this.#options.rule,
      oneWordThreshold: this.#options.rule.rescueOneWordThreshold as number,
      cutOneWordThreshold: this.#options.rule.rescueOneWordThreshold as number,
    });
    return rescued.kind === "transcript" && rescued.words?.length === 1 ? rescued : undefined;
  }

  /**
   * Samples of the quietest stretch that primes the noise estimate: {@link BACKGROUND_MS} (or the
   * configured length), at most the pre-roll of a VAD cut. A one-word cut has no 600 ms free of its
   * word, and a floor measured partly on the word is subtracted from it: the real one-word commands
   * of docs/benchmarks.md scored 3–4 higher with the floor measured on the pre-roll's length. A
   * cut without pre-roll (`vad.pre_roll_ms: 0`) keeps the usual stretch rather than none at all.
   */
  #quietSamples(preRollMs: number | undefined): number {
    if (preRollMs === undefined || preRollMs <= 0) return this.#backgroundSamples;
    return Math.min(this.#backgroundSamples, Math.round((preRollMs * 16000) / 1000));
  }

  /**
   * A whole utterance with its noise suppressed, the noise estimate begun on its quietest stretch
   * (what the decoders' own noise estimate starts from); the audio itself without suppression.
   */
  #suppressed(audio: Int16Array): Int16Array {
    const options = this.#options.noiseSuppression;
    if (!options) return audio;
    const suppressor = new NoiseSuppressor(options);
    suppressor.prime(quietestStretch(audio, Math.round((options.noiseMs * 16000) / 1000)));
    return concatInt16([suppressor.process(audio), suppressor.flush()]);
  }

  /**
   * Starts an utterance decoded as it arrives: both searches run on each piece written, on worker
   * threads, so at the end only the last piece and the back-trace are left. The engine is held from
   * here until `end()` or `cancel()`: other calls wait.
   *
   * Each utterance starts afresh: pocketsphinx's noise estimate and its live cepstral mean go back
   * to the model's prior, and the mean is then measured on the first piece written (the segmenter's
   * pre-roll and first speech) before the search starts. Left to itself, pocketsphinx carries the
   * running mean and noise estimate of every utterance before into the next, so the same words
   * decoded differently depending on what was heard earlier, and a recording (`hearth transcribe`)
   * could not give the answer the daemon gives.
   */
  #begin(): SttStream {
    let release = (): void => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.#queue;
    this.#queue = held;
    const grammarDecoder = this.#grammarDecoder;
    const loopDecoder = this.#loopDecoder;
    let ready = false;
    let began = false;
    let samples = 0;
    const ditherer = new Ditherer();
    // Its noise estimate begins on the utterance's first audio, the segmenter's pre-roll.
    const suppressor = this.#options.noiseSuppression
      ? new NoiseSuppressor(this.#options.noiseSuppression)
      : undefined;
    /** Set by end(): the suppressor's last samples are decoded after what is pending. */
    let ending = false;
    /** Audio (suppressed where asked) held until there is enough to open the utterance on. */
    const opening: Int16Array[] = [];
    const pending: Int16Array[] = [];
    let failure: unknown;
    let finished = false;
    let partial: string | undefined;
    // The pump: one batch at a time through both decoders; pieces written meanwhile form the next batch.
    let pump: Promise<void> = previous
      .catch(() => {})
      .then(() => {
        if (!grammarDecoder) throw new HearthError("ENGINE_FAILED", "pocketsphinx is not started");
        if (this.#grammarDecoder !== grammarDecoder)
          throw new HearthError("ENGINE_FAILED", "pocketsphinx was restarted");
        this.#requireGrammar();
        ready = true;
      });
    pump = pump.catch((err: unknown) => {
      failure = err;
    });
    /**
     * The utterance opens on its first {@link CMN_WARM_UP_MS} (the segmenter's pre-roll and the first
     * speech): both decoders forget what they heard before and measure their cepstral mean on it.
     */
    const open = async (first: Int16Array): Promise<void> => {
      const decoders = [grammarDecoder as PocketsphinxDecoder, loopDecoder].filter((d) => d !== undefined);
      // Always the same stretch of the utterance, however its pieces were batched.
      const warm = first.subarray(0, this.#cmnWarmUpSamples);
      await Promise.all(
        decoders.map(async (decoder) => {
          decoder.resetChannel(this.#cmnPriorFrames);
          if (warm.length > 0) await decoder.warmUp(warm);
        }),
      );
      grammarDecoder?.begin();
      try {
        loopDecoder?.begin();
      } catch (err) {
        grammarDecoder?.end();
        throw err;
      }
      began = true;
    };
    const drain = async (): Promise<void> => {
      while (failure === undefined && ready) {
        let piece: Int16Array;
        let last = false;
        if (pending.length > 0) {
          piece = concatInt16(pending.splice(0));
          // The suppressor holds back the last 16 ms until the next piece (or the end) completes them.
          if (suppressor) piece = suppressor.process(piece);
        } else if (ending && suppressor) {
          ending = false;
          last = true;
          piece = suppressor.flush();
        } else if (ending && !began && opening.length > 0) {
          // An utterance shorter than the warm-up: measured and searched on all there is.
          last = true;
          piece = new Int16Array(0);
        } else {
          break;
        }
        if (!began) {
          // The cepstral mean is measured on the utterance's first CMN_WARM_UP_MS (see open): what
          // comes is held until that much has (or the utterance has ended), so how the pieces were
          // batched cannot change the measure. The suppressor gives back less than it is given at
          // first, which this also evens out.
          opening.push(piece);
          const held = opening.reduce((sum, part) => sum + part.length, 0);
          if (!last && held < this.#cmnWarmUpSamples) continue;
          piece = concatInt16(opening.splice(0));
        }
        if (piece.length === 0) continue;
        const batch = ditherer.apply(piece);
        if (!began) await open(batch);
        await Promise.all([
          (grammarDecoder as PocketsphinxDecoder).process(batch),
          loopDecoder?.process(batch),
        ]);
        // Between batches nothing runs on the decoder, so its best path so far can be read.
        partial = (grammarDecoder as PocketsphinxDecoder).partial();
      }
    };
    const schedule = (): void => {
      pump = pump.then(drain).catch((err: unknown) => {
        failure ??= err;
      });
    };
    const close = async (): Promise<{ best: DecodeResult; free: DecodeResult } | undefined> => {
      if (!began) return undefined;
      began = false;
      // Both decoders finish at once, each on a worker thread: what is left when the speaker stops
      // (the last frames, the best path) takes the longer of the two instead of both in turn.
      if (!loopDecoder) {
        const [best, free] = both(await (grammarDecoder as PocketsphinxDecoder).finish());
        return { best, free };
      }
      const [best, free] = await Promise.allSettled([
        (grammarDecoder as PocketsphinxDecoder).finish(),
        loopDecoder.finish(),
      ]);
      if (best.status === "rejected") throw best.reason;
      if (free.status === "rejected") throw free.reason;
      return { best: best.value, free: free.value };
    };
    return {
      drained: async () => {
        // A write during the wait chains a new drain onto the pump: wait for that one too.
        let seen: Promise<void>;
        do {
          seen = pump;
          await seen;
        } while (seen !== pump);
      },
      write: (audio) => {
        if (finished || audio.length === 0) return;
        samples += audio.length;
        pending.push(audio);
        // One drain in flight at a time: the next picks up everything written meanwhile.
        if (pending.length === 1) schedule();
      },
      end: async (options = {}) => {
        if (finished) throw new HearthError("ENGINE_FAILED", "this utterance has already ended");
        finished = true;
        ending = true;
        const started = this.#clock.monotonic();
        try {
          schedule();
          await pump;
          let decoded: { best: DecodeResult; free: DecodeResult } | undefined;
          try {
            decoded = await close();
          } catch (err) {
            failure ??= err;
          }
          if (failure !== undefined) throw failure;
          options.signal?.throwIfAborted();
          if (samples < MIN_SAMPLES || !decoded) return this.#verdict(undefined, undefined, started);
          return this.#verdict(decoded.best, decoded.free, started);
        } finally {
          release();
        }
      },
      partial: () => partial,
      cancel: () => {
        if (finished) return;
        finished = true;
        pending.length = 0;
        void pump
          .then(close)
          .catch((err: unknown) => {
            this.#log.warn({ err }, "pocketsphinx could not end a cancelled utterance");
          })
          .finally(release);
      },
    };
  }

  /** What an utterance comes to: the transcript, or why there is none (`best` undefined: too short). */
  #verdict(
    best: DecodeResult | undefined,
    free: DecodeResult | undefined,
    started: number,
    cut = false,
    rule = this.#options.rule,
  ): SttResult {
    const elapsed = (): number => Math.round(this.#clock.monotonic() - started);
    if (!best || !free) return { kind: "rejected", reason: "no-speech", ms: elapsed() };
    if (best.hypothesis === null) return { kind: "rejected", reason: "no-match", ms: elapsed() };
    const text = best.hypothesis.trim();
    if (text === "") return { kind: "rejected", reason: "no-speech", ms: elapsed() };
    const fits = wordFits(best.segments, free.segments);
    const confidence = utteranceConfidence(fits);
    const words: RecognizedWord[] = fits.map((fit) => ({
      word: fit.word,
      start: fit.startFrame / FRAMES_PER_SECOND,
      end: (fit.endFrame + 1) / FRAMES_PER_SECOND,
      confidence: fit.ratio,
    }));
    if (this.#options.rejection && !keeps(confidence, words, rule, cut)) {
      return { kind: "rejected", reason: "low-confidence", text, confidence, words, ms: elapsed() };
    }
    return { kind: "transcript", text, confidence, words, ms: elapsed() };
  }

  /**
   * An integer setting of the grammar decoder as pocketsphinx holds it (e.g. `-topn`), or undefined
   * before start(): what the decoder was really given, for tests and diagnostics.
   */
  intSetting(name: string): number | undefined {
    return this.#grammarDecoder?.intSetting(name);
  }

  #requireGrammar(): void {
    if (!this.#searchName)
      throw new HearthError("ENGINE_FAILED", "pocketsphinx has no grammar yet (setGrammar first)");
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
 * so results would not be repeatable. One instance per utterance: pieces of a stream continue the
 * same noise sequence.
 */
export class Ditherer {
  #state = 0x2545f491;

  apply(audio: Int16Array): Int16Array {
    const out = new Int16Array(audio.length);
    let state = this.#state;
    for (let i = 0; i < audio.length; i++) {
      // xorshift32: cheap, deterministic, good enough for one bit of noise.
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      const noise = (state & 3) - 1.5 > 0 ? 1 : -1;
      const value = (audio[i] as number) + noise;
      out[i] = Math.min(32767, Math.max(-32768, value));
    }
    this.#state = state;
    return out;
  }
}

/**
 * The pronunciations of `words` in a CMU-format dictionary ("word PH ONES", variants as
 * "word(2) …"), in the file's order; words it lacks are left out. The file is read for each grammar
 * and dropped, so only the grammar's words stay in memory.
 */
export async function readPronunciations(
  dictionary: string,
  words: readonly string[],
): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  if (words.length === 0) return found;
  const wanted = new Set(words);
  let text: string;
  try {
    text = await readFile(dictionary, "utf8");
  } catch (err) {
    throw new HearthError("MODEL_INVALID", `cannot read the pronunciation dictionary ${dictionary}`, {
      cause: err,
    });
  }
  for (const line of text.split("\n")) {
    const match = /^(\S+?)(?:\(\d+\))?\s+(\S.*?)\s*$/.exec(line);
    if (!match || !wanted.has(match[1] as string)) continue;
    const word = match[1] as string;
    const variants = found.get(word) ?? [];
    found.set(word, variants);
    variants.push(match[2] as string);
  }
  return found;
}

/** A decode's result and its phone loop's (the companion search's), as the rejection compares them. */
function both(result: DecodeResult): [DecodeResult, DecodeResult] {
  if (!result.companion) throw new HearthError("ENGINE_FAILED", "pocketsphinx's phone loop gave no result");
  return [result, result.companion];
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
