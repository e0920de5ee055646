import { readFileSync, truncateSync } from "node:fs";
import { HearthError } from "../../core/errors.js";
import type {
  CPointer,
  Frames,
  FsgCompaction,
  LiveCmn,
  PocketsphinxLibrary,
  ScoreAll,
} from "./pocketsphinx-library.js";

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
  /** What the companion search ({@link PocketsphinxDecoder.addCompanion}) made of the same frames. */
  companion?: DecodeResult | undefined;
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
/** The options an FSG search takes from its configuration (fsg_search.c), by type. */
const SEARCH_FLOATS = ["-beam", "-pbeam", "-wbeam", "-wip", "-pip", "-lw", "-ascale"];
const SEARCH_INTS = ["-maxhmmpf"];

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
  /** The decoder's frames, stepped here when a companion search shares them. */
  #frames: Frames | undefined;
  /** The companion search (`ps_search_t *`), stepped on every frame the active one is. */
  #companion: CPointer | undefined;
  /** The companion's own configuration (freed after the decoder). */
  #companionConfig: CPointer | undefined;

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
    this.#frames = this.#lib.frames(decoder, config);
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
   * Adds a second search, of the JSGF grammar `jsgf` searched as a decoder configured with `argv`
   * would search it (its beams, HMMs per frame, word insertion), that every utterance from now on
   * also runs over the same frames as the active search, from the same senone scores: the acoustic
   * model is evaluated once for both. Each result then carries the companion's as
   * {@link DecodeResult.companion}. Needs every senone scored (`-compallsen`: pocketsphinx reuses a
   * frame's scores only then) and the library's known layout; false when either is missing, and
   * nothing is added.
   */
  addCompanion(name: string, jsgf: string, argv: readonly string[]): boolean {
    const ps = this.#ps();
    const config = this.#config as CPointer;
    const frames = this.#frames;
    if (!frames || !this.#scoreAll?.get()) return false;
    const own = this.#lib.cmd_ln_parse_r(null, this.#lib.ps_args(), argv.length, [...argv], 1);
    if (!own) throw this.#error("MODEL_INVALID", "pocketsphinx rejected the phone loop's options");
    // pocketsphinx builds a search from the decoder's configuration as it stands: its options are
    // the companion's while it is built, then the decoder's own again.
    const floats = SEARCH_FLOATS.map((key) => ({
      key,
      mine: this.#lib.cmd_ln_float_r(config, key),
      its: this.#lib.cmd_ln_float_r(own, key),
    }));
    const ints = SEARCH_INTS.map((key) => ({
      key,
      mine: this.#lib.cmd_ln_int_r(config, key),
      its: this.#lib.cmd_ln_int_r(own, key),
    }));
    const apply = (which: "mine" | "its"): void => {
      for (const f of floats) this.#lib.cmd_ln_set_float_r(config, f.key, f[which]);
      for (const i of ints) this.#lib.cmd_ln_set_int_r(config, i.key, i[which]);
    };
    this.#clearLog();
    apply("its");
    let added: number;
    try {
      added = this.#lib.ps_set_jsgf_string(ps, name, jsgf);
    } finally {
      apply("mine");
    }
    if (added !== 0) {
      this.#lib.cmd_ln_free_r(own);
      throw this.#error("ENGINE_FAILED", "pocketsphinx could not compile the phone loop");
    }
    const active = frames.active();
    this.#activate(name);
    const companion = frames.active();
    frames.setActive(active);
    // While searching it reads its configuration too (-maxhmmpf): its own, not the decoder's.
    if (!frames.setConfig(companion, config, own)) {
      this.#lib.ps_unset_search(ps, name);
      this.#lib.cmd_ln_free_r(own);
      return false;
    }
    this.#companion = companion;
    this.#companionConfig = own;
    return true;
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
      this.#start(false);
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

  /**
   * An integer setting of this decoder's configuration as pocketsphinx holds it after loading the
   * model (whose feat.params override some options given), for tests and diagnostics.
   */
  intSetting(name: string): number {
    this.#ps();
    return this.#lib.cmd_ln_int_r(this.#config as CPointer, name);
  }

  /** The current cepstral mean (for tests and tuning), or undefined when it cannot be read. */
  cepstralMean(): Float32Array | undefined {
    return this.#cmn?.get();
  }

  /** Frees the decoder; idempotent. */
  free(): void {
    if (this.#decoder) this.#lib.ps_free(this.#decoder);
    if (this.#config) this.#lib.cmd_ln_free_r(this.#config);
    if (this.#companionConfig) this.#lib.cmd_ln_free_r(this.#companionConfig);
    this.#decoder = undefined;
    this.#config = undefined;
    this.#companion = undefined;
    this.#companionConfig = undefined;
  }

  /**
   * Frees the decoder on a worker thread: with a large grammar, ps_free takes seconds (2.2 s for
   * the example home on a busy two-core machine), which would hold up the event loop and every
   * shutdown. The decoder is unusable from the moment this is called.
   */
  async release(): Promise<void> {
    const decoder = this.#decoder;
    const config = this.#config;
    const companionConfig = this.#companionConfig;
    this.#decoder = undefined;
    this.#config = undefined;
    this.#companion = undefined;
    this.#companionConfig = undefined;
    if (decoder) await this.#lib.freeAsync(decoder);
    if (config) this.#lib.cmd_ln_free_r(config);
    if (companionConfig) this.#lib.cmd_ln_free_r(companionConfig);
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

  /**
   * Loads a finite-state grammar file (pocketsphinx FSG format) as search `name` and makes it active
   * (`activate` false: only adds it, for {@link decode}'s `search`).
   */
  setFsg(name: string, path: string, activate = true): FsgCompaction | undefined {
    const ps = this.#ps();
    this.#clearLog();
    const weight = this.#lib.cmd_ln_float_r(this.#config as CPointer, "-lw");
    const logmath = this.#lib.ps_get_logmath(ps);
    const fsg = this.#lib.fsg_model_readfile(path, logmath, weight);
    if (!fsg) throw this.#error("ENGINE_FAILED", "pocketsphinx could not read the speech grammar");
    let compaction: FsgCompaction | undefined;
    try {
      // Before the search is built from it, so the search's own allocations fill the memory freed.
      const shape = fsgHeader(readFileSync(path, "utf8"));
      const fillers = this.#lib.cmd_ln_int_r(this.#config as CPointer, "-fsgusefiller") !== 0;
      compaction = shape ? this.#lib.compactFsg(fsg, { ...shape, logmath, fillers }) : undefined;
      if (this.#lib.ps_set_fsg(ps, name, fsg) !== 0) {
        throw this.#error("ENGINE_FAILED", "pocketsphinx could not compile the speech grammar");
      }
    } finally {
      // The search keeps its own reference.
      this.#lib.fsg_model_free(fsg);
    }
    if (!activate) return compaction;
    if (this.#lib.ps_set_search(ps, name) !== 0) {
      throw this.#error("ENGINE_FAILED", `pocketsphinx could not activate the grammar ${name}`);
    }
    this.#search = name;
    return compaction;
  }

  /** Removes a search that is no longer active (frees its memory). */
  removeGrammar(name: string): void {
    this.#lib.ps_unset_search(this.#ps(), name);
  }

  /**
   * Decodes one whole utterance (16 kHz mono) with the active search. `background` (a stretch of
   * the same recording without speech, quietest-stretch.ts) is run through the front end first,
   * unsearched, so its noise estimate starts at the recording's own background level instead of
   * at its first frame, which may already be speech. `search`: another search added before
   * ({@link setFsg} without activating it) for this utterance only.
   */
  async decode(samples: Int16Array, background?: Int16Array, search?: string): Promise<DecodeResult> {
    const own = this.#search;
    if (search === undefined || search === own) return this.#decodeActive(samples, background);
    // Another search for this utterance only (measuring the background returns to this.#search).
    this.#search = search;
    this.#activate(search);
    try {
      return await this.#decodeActive(samples, background);
    } finally {
      this.#search = own;
      if (own !== undefined) this.#activate(own);
    }
  }

  async #decodeActive(samples: Int16Array, background?: Int16Array): Promise<DecodeResult> {
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
    const processed = await this.#lib.processRawAsync(
      this.#ps(),
      samples,
      samples.length,
      this.#stepping ? 1 : 0,
      1,
    );
    if (processed < 0) {
      this.#abandon();
      throw this.#error("ENGINE_FAILED", "pocketsphinx failed to decode the audio");
    }
    if (this.#stepping) await this.#forward();
    return this.finish();
  }

  /**
   * Starts an utterance that arrives in pieces ({@link process}, then {@link end}). The search runs
   * as the audio comes, so little is left to do when the speaker stops; cepstral normalisation is
   * then pocketsphinx's live one (a running mean carried over from utterance to utterance).
   */
  begin(): void {
    this.#start(true);
  }

  #start(withCompanion: boolean): void {
    this.#clearLog();
    if (this.#lib.ps_start_utt(this.#ps()) < 0)
      throw this.#error("ENGINE_FAILED", "pocketsphinx could not start an utterance");
    this.#stepping = withCompanion && this.#companion !== undefined;
    if (this.#stepping && (this.#frames as Frames).start(this.#companion as CPointer) < 0)
      throw this.#error("ENGINE_FAILED", "pocketsphinx could not start the phone loop");
  }

  /** Whether this utterance's frames are stepped here, through both searches. */
  #stepping = false;

  /**
   * Searches every frame computed so far with the active search (on a worker thread, where it
   * evaluates the acoustic model) and then with the companion (from the same scores), as
   * pocketsphinx's own forward pass does for the active search alone.
   */
  async #forward(): Promise<void> {
    const frames = this.#frames as Frames;
    const companion = this.#companion as CPointer;
    while (frames.pending() > 0) {
      const frame = frames.next();
      if ((await frames.stepAsync(frames.active(), frame)) < 0 || frames.step(companion, frame) < 0)
        throw this.#error("ENGINE_FAILED", "pocketsphinx failed to decode the audio");
      frames.advance();
    }
  }

  /** Searches the next piece of an utterance begun with {@link begin}, on a worker thread. */
  async process(samples: Int16Array): Promise<void> {
    if (samples.length === 0) return;
    // Stepped here: the front end alone (no_search), then both searches frame by frame.
    const processed = await this.#lib.processRawAsync(
      this.#ps(),
      samples,
      samples.length,
      this.#stepping ? 1 : 0,
      0,
    );
    if (processed < 0) throw this.#error("ENGINE_FAILED", "pocketsphinx failed to decode the audio");
    if (this.#stepping) await this.#forward();
  }

  /** The best hypothesis of the utterance so far (between {@link process} calls), or undefined. */
  partial(): string | undefined {
    const text = this.#lib.ps_get_hyp(this.#ps(), [0])?.trim();
    return text ? text : undefined;
  }

  /** Ends the utterance begun with {@link begin} and returns what it decoded to. */
  end(): DecodeResult {
    const ps = this.#ps();
    if (this.#stepping) {
      // What is left is thrown away (a cancelled utterance): end it without searching.
      this.#abandon();
      return { hypothesis: null, score: 0, frames: 0, segments: [] };
    }
    if (this.#lib.ps_end_utt(ps) < 0)
      throw this.#error("ENGINE_FAILED", "pocketsphinx failed to decode the audio");
    const score = [0];
    return this.#result(this.#lib.ps_get_hyp(ps, score), score[0] ?? 0);
  }

  /** Ends a stepped utterance without searching its last frames. */
  #abandon(): void {
    if (!this.#stepping) {
      this.#lib.ps_end_utt(this.#ps());
      return;
    }
    this.#stepping = false;
    const frames = this.#frames as Frames;
    frames.endUtterance();
    frames.finish(frames.active());
    frames.finish(this.#companion as CPointer);
  }

  /**
   * {@link end} with the last frames' search and the best path found on a worker thread: the two
   * decoders of an utterance finish at once, and the event loop goes on meanwhile.
   */
  async finish(): Promise<DecodeResult> {
    const ps = this.#ps();
    if (this.#stepping) return this.#finishStepped();
    const { ended, hypothesis, score } = await this.#lib.endUttAsync(ps);
    if (ended < 0) throw this.#error("ENGINE_FAILED", "pocketsphinx failed to decode the audio");
    return this.#result(hypothesis, score);
  }

  /**
   * ps_end_utt for both searches: the front end's last frames through both, each search finished,
   * then each one's best path, the active search's on a worker thread.
   */
  async #finishStepped(): Promise<DecodeResult> {
    const frames = this.#frames as Frames;
    const companion = this.#companion as CPointer;
    this.#stepping = false;
    frames.endUtterance();
    await this.#forward();
    const active = frames.active();
    if (frames.finish(active) < 0 || frames.finish(companion) < 0)
      throw this.#error("ENGINE_FAILED", "pocketsphinx failed to decode the audio");
    const best = await frames.hypothesisAsync();
    const result = this.#result(best.hypothesis, best.score);
    frames.setActive(companion);
    try {
      const free = await frames.hypothesisAsync();
      result.companion = this.#result(free.hypothesis, free.score);
    } finally {
      frames.setActive(active);
    }
    return result;
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

/** The states of an FSG file's header (`NUM_STATES`, `START_STATE`, `FINAL_STATE`), if it has them. */
export function fsgHeader(text: string): { states: number; start: number; final: number } | undefined {
  const value = (key: string): number | undefined => {
    const found = new RegExp(`^${key}\\s+(\\d+)\\s*$`, "m").exec(text.slice(0, 512))?.[1];
    return found === undefined ? undefined : Number(found);
  };
  const states = value("NUM_STATES");
  const start = value("START_STATE");
  const final = value("FINAL_STATE");
  if (states === undefined || start === undefined || final === undefined) return undefined;
  return { states, start, final };
}
