import { readFileSync, truncateSync } from "node:fs";
import { HearthError } from "../../core/errors.js";
import type { CPointer, LiveCmn, PocketsphinxLibrary, ScoreAll } from "./pocketsphinx-library.js";

/** One word (or filler) of a decoding result, with where it lies and how well it matched. */
export interface DecodedSegment {
  /** The word without pocketsphinx's alternative-pronunciation suffix ("on(2)" → "on"). */
  word: string;
  /** First and last 10 ms frame of the segment, inclusive. */
  startFrame: number;
  endFrame: number;
  /** Acoustic log-likelihood (pocketsphinx's scaled log base 1.0001 units; higher is better). */
  acousticScore: number;
}

/** What one utterance decoded to. */
export interface DecodeResult {
  /** The best hypothesis, or null when no path through the search reached its end. */
  hypothesis: string | null;
  /** Path score of the hypothesis. */
  score: number;
  frames: number;
  segments: DecodedSegment[];
}

/**
 * The search that measuring runs under ({@link PocketsphinxDecoder.warmUp}, the background of
 * {@link PocketsphinxDecoder.decode}): one word, a pause, in a dictionary word of its own.
 * pocketsphinx measures audio without searching it (`no_search`), but the end of that measuring
 * utterance, which makes the cepstral mean the average of what was measured, then searches every
 * frame it buffered with the active search, synchronously on the calling thread: with a home's
 * grammar that was a whole decode of the first half second of each utterance, thrown away, on the
 * event loop. Under this search the same frames cost the acoustic scores and next to no search; the
 * front end, and so the mean and the noise estimate, are the same whatever the search.
 */
const MEASURE_SEARCH = "hearth-measure";
const MEASURE_WORD = "hearthmeasure";

/**
 * One `ps_decoder_t`: owns the C object and frees it in {@link free}. Not safe for concurrent use:
 * {@link PocketsphinxStt} serialises calls.
 */
export class PocketsphinxDecoder {
  readonly #lib: PocketsphinxLibrary;
  readonly #logFile: string;
  #decoder: CPointer | undefined;
  #config: CPointer | undefined;
  #cmn: LiveCmn | undefined;
  /** Whether the acoustic model scores every senone (`-compallsen`), when it can be switched. */
  #scoreAll: ScoreAll | undefined;
  /** The cepstral mean the model starts from (its feat.params `-cmninit`). */
  #prior: Float32Array | undefined;
  /** The search decoding uses (the last one set), as against {@link MEASURE_SEARCH}. */
  #search: string | undefined;

  /** `logFile` receives pocketsphinx's own log (read back into error messages). */
  constructor(lib: PocketsphinxLibrary, logFile: string) {
    this.#lib = lib;
    this.#logFile = logFile;
  }

  /** Creates the decoder with pocketsphinx command-line style arguments (`-hmm DIR -dict FILE …`). */
  init(args: readonly string[]): void {
    const argv = [...args, "-logfn", this.#logFile];
    this.#clearLog();
    const config = this.#lib.cmd_ln_parse_r(null, this.#lib.ps_args(), argv.length, argv, 1);
    if (!config) throw this.#error("MODEL_INVALID", "pocketsphinx rejected its options");
    const decoder = this.#lib.ps_init(config);
    if (!decoder) {
      this.#lib.cmd_ln_free_r(config);
      throw this.#error("MODEL_INVALID", "pocketsphinx could not load its model");
    }
    this.#config = config;
    this.#decoder = decoder;
    const prior = (this.#lib.cmd_ln_str_r(config, "-cmninit") ?? "").split(",").map(Number);
    if (prior.length > 0 && prior.every(Number.isFinite)) {
      this.#prior = Float32Array.from(prior);
      this.#cmn = this.#lib.liveCmn(decoder, this.#prior);
    }
    this.#scoreAll = this.#lib.scoreAll(decoder, config);
    if (
      this.#lib.ps_add_word(decoder, MEASURE_WORD, "SIL", 0) < 0 ||
      this.#lib.ps_set_jsgf_string(
        decoder,
        MEASURE_SEARCH,
        `#JSGF V1.0;\ngrammar measure;\npublic <measure> = ${MEASURE_WORD};\n`,
      ) !== 0
    ) {
      this.free();
      throw this.#error("MODEL_INVALID", "pocketsphinx could not set up its measuring search");
    }
  }

  /**
   * Whether each utterance can start from the same state ({@link resetChannel}): false when the
   * library's cepstral-mean layout is not the known one, and the running mean carries over.
   */
  get resettable(): boolean {
    return this.#cmn !== undefined;
  }

  /**
   * Starts the next utterance from nothing heard before: pocketsphinx's noise estimate and voice
   * activity state (a new stream), and the cepstral mean back at the model's prior, counted as
   * `priorFrames` frames, so the utterance's own audio decides the rest. What one utterance decodes
   * to then depends on its audio alone, not on what the decoder heard earlier.
   */
  resetChannel(priorFrames: number): void {
    const ps = this.#ps();
    this.#lib.ps_start_stream(ps);
    if (this.#cmn && this.#prior) {
      this.#cmn.setBatch(false);
      this.#cmn.set(this.#prior, priorFrames);
    }
  }

  /**
   * Measures the cepstral mean on `samples` (the sound before the speech and its first moments)
   * without searching, so the utterance that follows is normalised by it from its first frame.
   */
  async warmUp(samples: Int16Array): Promise<void> {
    if (!this.#cmn || samples.length === 0) return;
    await this.#measure(samples, "pocketsphinx failed to measure the audio");
  }

  /**
   * Runs `samples` through the front end as an utterance of their own, unsearched (under
   * {@link MEASURE_SEARCH}), then makes the decoding search active again. The end of that utterance
   * makes the live cepstral mean the average of the frames accumulated.
   */
  async #measure(samples: Int16Array, failure: string): Promise<void> {
    const ps = this.#ps();
    this.#activate(MEASURE_SEARCH);
    // The measuring search's result is thrown away, so its frames need only the senones of its one
    // word: scoring all of them (`-compallsen`, which the two searches' comparison needs) took a
    // full acoustic evaluation of every measured frame, about a fifth of the acoustic scoring of a
    // streamed utterance (550 ms measured, in each of the two decoders).
    const scoredAll = this.#scoreAll?.get() ?? false;
    if (scoredAll) this.#scoreAll?.set(false);
    try {
      this.begin();
      const processed = await this.#lib.processRawAsync(ps, samples, samples.length, 1, 0);
      if (this.#lib.ps_end_utt(ps) < 0 || processed < 0) throw this.#error("ENGINE_FAILED", failure);
    } finally {
      if (scoredAll) this.#scoreAll?.set(true);
      if (this.#search !== undefined) this.#activate(this.#search);
    }
  }

  #activate(name: string): void {
    if (this.#lib.ps_set_search(this.#ps(), name) !== 0) {
      throw this.#error("ENGINE_FAILED", `pocketsphinx could not activate the search ${name}`);
    }
  }

  /**
   * Whether the acoustic model now scores every senone in every frame (for tests), or undefined
   * when this library's layout is not the known one and the flag is left alone.
   */
  get scoresEverySenone(): boolean | undefined {
    return this.#scoreAll?.get();
  }

  /** The current cepstral mean (for tests and tuning), or undefined when it cannot be read. */
  cepstralMean(): Float32Array | undefined {
    return this.#cmn?.get();
  }

  /** Frees the decoder; idempotent. */
  free(): void {
    if (this.#decoder) this.#lib.ps_free(this.#decoder);
    if (this.#config) this.#lib.cmd_ln_free_r(this.#config);
    this.#decoder = undefined;
    this.#config = undefined;
  }

  /**
   * Frees the decoder on a worker thread: with a large grammar, ps_free takes seconds (2.2 s for
   * the example home on a busy two-core machine), which would hold up the event loop and every
   * shutdown. The decoder is unusable from the moment this is called.
   */
  async release(): Promise<void> {
    const decoder = this.#decoder;
    const config = this.#config;
    this.#decoder = undefined;
    this.#config = undefined;
    if (decoder) await this.#lib.freeAsync(decoder);
    if (config) this.#lib.cmd_ln_free_r(config);
  }

  /** The word's pronunciation in the dictionary (CMU phones), or undefined when it has none. */
  lookup(word: string): string | undefined {
    const pointer = this.#lib.ps_lookup_word(this.#ps(), word);
    if (!pointer) return undefined;
    try {
      return this.#lib.decodeString(pointer);
    } finally {
      this.#lib.ckd_free(pointer);
    }
  }

  /** Adds a word to the dictionary (without rebuilding the active search). */
  addWord(word: string, phones: string): void {
    this.#clearLog();
    if (this.#lib.ps_add_word(this.#ps(), word, phones, 0) < 0) {
      throw this.#error("ENGINE_FAILED", `pocketsphinx refused the pronunciation "${phones}" for "${word}"`);
    }
  }

  /** Compiles a JSGF grammar into a search called `name` and makes it the active one. */
  setGrammar(name: string, jsgf: string): void {
    const ps = this.#ps();
    this.#clearLog();
    if (this.#lib.ps_set_jsgf_string(ps, name, jsgf) !== 0) {
      throw this.#error("ENGINE_FAILED", "pocketsphinx could not compile the speech grammar");
    }
    if (this.#lib.ps_set_search(ps, name) !== 0) {
      throw this.#error("ENGINE_FAILED", `pocketsphinx could not activate the grammar ${name}`);
    }
    this.#search = name;
  }

  /** Loads a finite-state grammar file (pocketsphinx FSG format) as search `name` and makes it active. */
  setFsg(name: string, path: string): void {
    const ps = this.#ps();
    this.#clearLog();
    const weight = this.#lib.cmd_ln_float_r(this.#config as CPointer, "-lw");
    const fsg = this.#lib.fsg_model_readfile(path, this.#lib.ps_get_logmath(ps), weight);
    if (!fsg) throw this.#error("ENGINE_FAILED", "pocketsphinx could not read the speech grammar");
    try {
      if (this.#lib.ps_set_fsg(ps, name, fsg) !== 0) {
        throw this.#error("ENGINE_FAILED", "pocketsphinx could not compile the speech grammar");
      }
    } finally {
      // The search keeps its own reference.
      this.#lib.fsg_model_free(fsg);
    }
    if (this.#lib.ps_set_search(ps, name) !== 0) {
      throw this.#error("ENGINE_FAILED", `pocketsphinx could not activate the grammar ${name}`);
    }
    this.#search = name;
  }

  /** Removes a search that is no longer active (frees its memory). */
  removeGrammar(name: string): void {
    this.#lib.ps_unset_search(this.#ps(), name);
  }

  /**
   * Decodes one whole utterance (16 kHz mono) with the active search. `background` (a stretch of
   * the same recording without speech, quietest-stretch.ts) is run through the front end first,
   * unsearched, so its noise estimate starts at the recording's own background level instead of
   * at its first frame, which may already be speech.
   */
  async decode(samples: Int16Array, background?: Int16Array): Promise<DecodeResult> {
    // A noise estimate of its own and the utterance's own mean, whatever live utterances switched
    // the decoder to before: the result depends on this audio alone.
    const ps = this.#ps();
    this.#lib.ps_start_stream(ps);
    if (background && background.length > 0) {
      this.#cmn?.setBatch(false);
      await this.#measure(background, "pocketsphinx failed to measure the background");
    }
    this.#cmn?.setBatch(true);
    this.begin();
    // full_utt = 1: the whole utterance is here, so cepstral mean normalisation uses all of it.
    const processed = await this.#lib.processRawAsync(this.#ps(), samples, samples.length, 0, 1);
    if (processed < 0) {
      this.#lib.ps_end_utt(this.#ps());
      throw this.#error("ENGINE_FAILED", "pocketsphinx failed to decode the audio");
    }
    return this.finish();
  }

  /**
   * Starts an utterance that arrives in pieces ({@link process}, then {@link end}). The search runs
   * as the audio comes, so little is left to do when the speaker stops; cepstral normalisation is
   * then pocketsphinx's live one (a running mean carried over from utterance to utterance).
   */
  begin(): void {
    this.#clearLog();
    if (this.#lib.ps_start_utt(this.#ps()) < 0)
      throw this.#error("ENGINE_FAILED", "pocketsphinx could not start an utterance");
  }

  /** Searches the next piece of an utterance begun with {@link begin}, on a worker thread. */
  async process(samples: Int16Array): Promise<void> {
    if (samples.length === 0) return;
    const processed = await this.#lib.processRawAsync(this.#ps(), samples, samples.length, 0, 0);
    if (processed < 0) throw this.#error("ENGINE_FAILED", "pocketsphinx failed to decode the audio");
  }

  /** The best hypothesis of the utterance so far (between {@link process} calls), or undefined. */
  partial(): string | undefined {
    const text = this.#lib.ps_get_hyp(this.#ps(), [0])?.trim();
    return text ? text : undefined;
  }

  /** Ends the utterance begun with {@link begin} and returns what it decoded to. */
  end(): DecodeResult {
    const ps = this.#ps();
    if (this.#lib.ps_end_utt(ps) < 0)
      throw this.#error("ENGINE_FAILED", "pocketsphinx failed to decode the audio");
    const score = [0];
    return this.#result(this.#lib.ps_get_hyp(ps, score), score[0] ?? 0);
  }

  /**
   * {@link end} with the last frames' search and the best path found on a worker thread: the two
   * decoders of an utterance finish at once, and the event loop goes on meanwhile.
   */
  async finish(): Promise<DecodeResult> {
    const ps = this.#ps();
    const { ended, hypothesis, score } = await this.#lib.endUttAsync(ps);
    if (ended < 0) throw this.#error("ENGINE_FAILED", "pocketsphinx failed to decode the audio");
    return this.#result(hypothesis, score);
  }

  /** The utterance's words (after its end and its best path). */
  #result(hypothesis: string | null, score: number): DecodeResult {
    const ps = this.#ps();
    const segments: DecodedSegment[] = [];
    if (hypothesis !== null) {
      for (let seg = this.#lib.ps_seg_iter(ps); seg; seg = this.#lib.ps_seg_next(seg)) {
        const start = [0];
        const end = [0];
        const acoustic = [0];
        this.#lib.ps_seg_frames(seg, start, end);
        this.#lib.ps_seg_prob(seg, acoustic, [0], [0]);
        segments.push({
          word: this.#lib.ps_seg_word(seg).replace(/\(\d+\)$/, ""),
          startFrame: start[0] ?? 0,
          endFrame: end[0] ?? 0,
          acousticScore: acoustic[0] ?? 0,
        });
      }
    }
    return { hypothesis, score, frames: this.#lib.ps_get_n_frames(ps), segments };
  }

  #ps(): CPointer {
    if (!this.#decoder) throw new HearthError("ENGINE_FAILED", "the pocketsphinx decoder is not started");
    return this.#decoder;
  }

  #clearLog(): void {
    // The library appends to the file; emptying it before each call keeps it small and makes the
    // lines read back after a failure belong to that failure.
    try {
      truncateSync(this.#logFile, 0);
    } catch {
      // Not created yet: nothing to clear.
    }
  }

  #error(code: "MODEL_INVALID" | "ENGINE_FAILED", message: string): HearthError {
    let details: string[] = [];
    try {
      details = readFileSync(this.#logFile, "utf8")
        .split("\n")
        .filter((line) => /^(ERROR|FATAL|WARN)/.test(line))
        .slice(-5);
    } catch {
      // No log: the message alone has to do.
    }
    const reason = details.at(-1);
    return new HearthError(code, reason ? `${message}: ${reason}` : message, { details });
  }
}
