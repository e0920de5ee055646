import { HearthError } from "../../core/errors.js";

/**
 * koffi bindings to Debian's libpocketsphinx 0.8+5prealpha (and its libsphinxbase). Only this file
 * knows C signatures; it is imported lazily by the STT factory, so koffi and the library load only
 * when pocketsphinx is the configured engine. Debian ships no headers for this version, so the
 * prototypes below follow pocketsphinx.h / cmd_ln.h of 5prealpha.
 */

/** Opaque C pointers (koffi external objects). */
export type CPointer = object;

/** A koffi function: sync call, plus `.async(...args, callback)` on a worker thread. */
interface NativeFunction {
  (...args: unknown[]): unknown;
  async: (...args: unknown[]) => void;
}

/** The C functions Hearth calls, typed loosely: {@link PocketsphinxDecoder} wraps them safely. */
export interface PocketsphinxLibrary {
  ps_args(): CPointer;
  cmd_ln_parse_r(inout: null, defn: CPointer, argc: number, argv: string[], strict: number): CPointer | null;
  cmd_ln_free_r(config: CPointer): number;
  err_set_logfile(path: string): number;
  ps_init(config: CPointer): CPointer | null;
  ps_free(ps: CPointer): number;
  ps_set_jsgf_string(ps: CPointer, name: string, jsgf: string): number;
  ps_get_logmath(ps: CPointer): CPointer;
  cmd_ln_float_r(config: CPointer, name: string): number;
  cmd_ln_str_r(config: CPointer, name: string): string | null;
  fsg_model_readfile(path: string, logmath: CPointer, languageWeight: number): CPointer | null;
  fsg_model_free(fsg: CPointer): number;
  ps_set_fsg(ps: CPointer, name: string, fsg: CPointer): number;
  ps_set_search(ps: CPointer, name: string): number;
  ps_unset_search(ps: CPointer, name: string): number;
  ps_add_word(ps: CPointer, word: string, phones: string, update: number): number;
  ps_lookup_word(ps: CPointer, word: string): CPointer | null;
  ckd_free(pointer: CPointer): void;
  decodeString(pointer: CPointer): string;
  ps_start_utt(ps: CPointer): number;
  ps_process_raw(ps: CPointer, data: Int16Array, samples: number, noSearch: number, fullUtt: number): number;
  ps_end_utt(ps: CPointer): number;
  ps_get_hyp(ps: CPointer, score: number[]): string | null;
  ps_get_n_frames(ps: CPointer): number;
  ps_seg_iter(ps: CPointer): CPointer | null;
  ps_seg_next(seg: CPointer): CPointer | null;
  ps_seg_word(seg: CPointer): string;
  ps_seg_frames(seg: CPointer, start: number[], end: number[]): void;
  ps_seg_prob(seg: CPointer, acoustic: number[], language: number[], backoff: number[]): number;
  ps_start_stream(ps: CPointer): number;
  /**
   * The decoder's live cepstral mean normalisation, or undefined when this library's layout is not
   * the one Hearth knows (checked against the mean the decoder was configured with).
   */
  liveCmn(ps: CPointer, expected: Float32Array): LiveCmn | undefined;
  /**
   * The decoder's acoustic model's `compallsen` flag (score every senone in every frame), or
   * undefined when this library's layout is not the one Hearth knows (checked against the
   * decoder's own front end and configuration).
   */
  scoreAll(ps: CPointer, config: CPointer): ScoreAll | undefined;
  /**
   * The decoder's frames as {@link Frames} (one acoustic model stepped by two searches), or
   * undefined when this library's layout is not the known one (checked as for {@link scoreAll}).
   */
  frames(ps: CPointer, config: CPointer): Frames | undefined;
  /**
   * Rebuilds the transition tables of an FSG read by `fsg_model_readfile` at the size they need,
   * before a search is built from it; undefined (and nothing changed) when this library's layout
   * is not the one Hearth knows (checked against `shape` and every table's own contents).
   *
   * Why: sphinxbase keeps each state's word transitions and its null transitions in hash tables
   * keyed by destination state, and never makes one smaller than 101 buckets of 32 bytes
   * (hash_table.c), while a state of a command grammar leads to one to three others. A home's
   * grammar of 4 900 states held 5 700 such tables, 18 MB, nearly all of it empty buckets. The
   * tables keep every entry (the same keys, the same transition lists), so lookups find what they
   * found; only the order a state's transitions are visited in follows the new buckets.
   */
  compactFsg(fsg: CPointer, shape: FsgShape): FsgCompaction | undefined;
  /** Sets a float (`-beam`, `-wip`…) or integer (`-maxhmmpf`) option of a decoder's configuration. */
  cmd_ln_set_float_r(config: CPointer, name: string, value: number): void;
  cmd_ln_set_int_r(config: CPointer, name: string, value: number): void;
  cmd_ln_int_r(config: CPointer, name: string): number;
  /** `ps_process_raw` on a worker thread, so decoding does not block the event loop. */
  processRawAsync(
    ps: CPointer,
    data: Int16Array,
    samples: number,
    noSearch: number,
    fullUtt: number,
  ): Promise<number>;
  /** `ps_free` on a worker thread: freeing a large grammar's search takes seconds. */
  freeAsync(ps: CPointer): Promise<number>;
  /**
   * `ps_end_utt` then `ps_get_hyp` on a worker thread: the last frames' search and the best path
   * through the utterance's lattice, the work left when the speaker stops.
   */
  endUttAsync(ps: CPointer): Promise<{ ended: number; hypothesis: string | null; score: number }>;
}

/**
 * A decoder's cepstral mean normalisation (sphinxbase's `cmn_t` inside its `feat_t`): pocketsphinx
 * offers no call to reset it, and its running mean otherwise carries every utterance heard before
 * into the next one.
 */
export interface LiveCmn {
  /** The current mean (13 cepstra). */
  get(): Float32Array;
  /**
   * Sets the mean to `mean`, counted as `frames` frames already heard: the next utterance is
   * normalised by `mean`, and its own frames move the mean by their share when it ends.
   */
  set(mean: Float32Array, frames: number): void;
  /** Makes the mean the average of what was accumulated (as the end of an utterance does). */
  update(): void;
  /**
   * Whole-utterance decoding normalises by the utterance's own mean (batch), live decoding by the
   * running one; pocketsphinx switches a decoder to live for good at its first live utterance.
   */
  setBatch(batch: boolean): void;
}

/** What an FSG read from Hearth's file must hold, for {@link PocketsphinxLibrary.compactFsg}. */
export interface FsgShape {
  states: number;
  start: number;
  final: number;
  /** The log-math object the FSG was read with (the decoder's). */
  logmath: CPointer;
  /**
   * Whether the search will add silence and filler self-loops to every state (`-fsgusefiller`, on
   * by default): a state without word transitions then gets an empty small table here, which the
   * loops go into, instead of one of 101 buckets made by sphinxbase.
   */
  fillers: boolean;
}

/** What {@link PocketsphinxLibrary.compactFsg} did: tables made smaller, and the bytes freed. */
export interface FsgCompaction {
  tables: number;
  bytes: number;
}

/** An acoustic model's `compallsen` flag (acmod.h), read and written in place. */
export interface ScoreAll {
  get(): boolean;
  set(all: boolean): void;
}

/**
 * A decoder's acoustic model and its searches, stepped frame by frame by the caller rather than by
 * `ps_process_raw`: what lets a second search (the phone loop) run on the same frames as the active
 * one, reusing the senone scores the first computed (pocketsphinx keeps a frame's scores when every
 * senone is scored, acmod.c). pocketsphinx_internal.h, acmod.h and fsg_search.c of 5prealpha.
 */
export interface Frames {
  /** The active search (`ps->search`). */
  active(): CPointer;
  /** Makes `search` the active one without any of ps_set_search's checks (reading results). */
  setActive(search: CPointer): void;
  /** Frames computed and not yet searched (`acmod->n_feat_frame`). */
  pending(): number;
  /** The next frame to search (`acmod->output_frame`). */
  next(): number;
  /** `acmod_advance`: the frame at {@link next} has been searched. */
  advance(): number;
  /** `acmod_end_utt`: the front end's last frames are computed. */
  endUtterance(): number;
  /** `fsg_search_step` of a grammar search for frame `frame`, on a worker thread. */
  stepAsync(search: CPointer, frame: number): Promise<number>;
  /** The same on the calling thread. */
  step(search: CPointer, frame: number): number;
  /** `fsg_search_start`, after clearing what the search's last utterance left (as ps_start_utt does). */
  start(search: CPointer): number;
  /** `fsg_search_finish`. */
  finish(search: CPointer): number;
  /**
   * Gives `search` a configuration of its own (`search->config`, which fsg_search.c reads while
   * searching, e.g. `-maxhmmpf`); false when its present one is not `expected` (another layout).
   * `config` must outlive the search.
   */
  setConfig(search: CPointer, expected: CPointer, config: CPointer): boolean;
  /** `ps_get_hyp` on a worker thread. */
  hypothesisAsync(): Promise<{ hypothesis: string | null; score: number }>;
}

/** Where the shared libraries are; names are looked up on the normal library path. */
export interface LibraryPaths {
  pocketsphinx: string;
  sphinxbase: string;
}

/*
 * Where 5prealpha's structs keep the cepstral mean (sphinxbase feat.h and cmn.h, x86-64 and arm64
 * layout): feat_t's `cmn` (the cmn_type_t) and `cmn_struct`, and cmn_t's `sum`, `nframe`, `veclen`.
 * liveCmn() checks them against the decoder's own configured mean before using them.
 */
const FEAT_CMN_TYPE_OFFSET = 68;
const FEAT_CMN_OFFSET = 88;
const CMN_SUM_OFFSET = 16;
const CMN_NFRAME_OFFSET = 24;
const CMN_VECLEN_OFFSET = 28;
/*
 * Where 5prealpha's structs keep the acoustic model (pocketsphinx_internal.h: ps_decoder_t's
 * `acmod`; acmod.h: acmod_t's `config`, `fe`, `fcb` and `compallsen`, x86-64 and arm64 layout).
 * scoreAll() checks the first three against the decoder's own before using the last.
 */
const DECODER_ACMOD_OFFSET = 16;
const ACMOD_CONFIG_OFFSET = 0;
const ACMOD_FE_OFFSET = 24;
const ACMOD_FCB_OFFSET = 32;
const ACMOD_COMPALLSEN_OFFSET = 185;
const ACMOD_OUTPUT_FRAME_OFFSET = 192;
const ACMOD_N_FEAT_FRAME_OFFSET = 212;
const DECODER_SEARCH_OFFSET = 56;
/** ps_search_t's `hyp_str`, `dag`, `last_link` and `post` (pocketsphinx_internal.h). */
const SEARCH_CONFIG_OFFSET = 32;
const SEARCH_HYP_STR_OFFSET = 64;
const SEARCH_DAG_OFFSET = 72;
const SEARCH_LAST_LINK_OFFSET = 80;
const SEARCH_POST_OFFSET = 88;
/*
 * Where 5prealpha's sphinxbase keeps an FSG's transitions (fsg_model.h: fsg_model_t's `lmath`,
 * `n_state`, `start_state`, `final_state`, `trans`; fsg_model.c: each state's trans_list_t holds
 * `null_trans` and `trans`; hash_table.h: hash_table_t's `table`, `size`, `inuse`, and hash_entry_t's
 * `key`, `len`, `val`, `next`), x86-64 and arm64 layout. compactFsg() checks them against the FSG
 * Hearth wrote and against every entry's place in its table before changing anything.
 */
const FSG_LMATH_OFFSET = 48;
const FSG_N_STATE_OFFSET = 56;
const FSG_START_STATE_OFFSET = 60;
const FSG_FINAL_STATE_OFFSET = 64;
const FSG_TRANS_OFFSET = 72;
const TRANS_LIST_SIZE = 16;
/** trans_list_t's `null_trans` and `trans` (word transitions). */
const TRANS_LIST_TABLES = [0, 8];
const WORD_TRANS_OFFSET = 8;
/** sizeof(hash_table_t); a new one is all zeros but its buckets and size (`nocase` 0: case matters). */
const HASH_TABLE_SIZE = 24;
/** The smallest table sphinxbase makes (hash_table.c's first prime), what a silence loop would get. */
const SPHINXBASE_TABLE_SIZE = 101;
const HASH_TABLE_OFFSET = 0;
const HASH_SIZE_OFFSET = 8;
const HASH_INUSE_OFFSET = 12;
const HASH_ENTRY_SIZE = 32;
const ENTRY_LEN_OFFSET = 8;
const ENTRY_VAL_OFFSET = 16;
const ENTRY_NEXT_OFFSET = 24;
/** Bucket counts for the rebuilt tables: primes, as sphinxbase uses, each at most two-thirds full. */
const SMALL_TABLE_SIZES = [3, 7, 13, 31, 61];
const CMN_BATCH = 1;
const CMN_LIVE = 2;

/** Loads the libraries and binds the functions; a missing library is HearthError("MODEL_INVALID"). */
export async function loadPocketsphinx(paths: LibraryPaths): Promise<PocketsphinxLibrary> {
  const { default: koffi } = await import("koffi");
  let sb: ReturnType<typeof koffi.load>;
  let ps: ReturnType<typeof koffi.load>;
  try {
    sb = koffi.load(paths.sphinxbase);
    ps = koffi.load(paths.pocketsphinx);
  } catch (err) {
    throw new HearthError(
      "MODEL_INVALID",
      `cannot load the pocketsphinx library (${paths.pocketsphinx}, ${paths.sphinxbase}): install the Debian packages libpocketsphinx3 and pocketsphinx-en-us`,
      { cause: err },
    );
  }
  // Pointers are plain `void *`: koffi's named types are process-wide and may be declared only
  // once, while this function can run for every engine instance; the TypeScript side keeps them apart.
  const f = (lib: typeof ps, definition: string): NativeFunction => lib.func(definition) as NativeFunction;
  const processRaw = f(
    ps,
    "int ps_process_raw(void *ps, const int16_t *data, size_t n, int no_search, int full_utt)",
  );
  const psFree = f(ps, "int ps_free(void *ps)");
  const endUtt = f(ps, "int ps_end_utt(void *ps)");
  const getHyp = f(ps, "const char *ps_get_hyp(void *ps, _Out_ int32_t *score)");
  const getFeat = f(ps, "void *ps_get_feat(void *ps)");
  const getFe = f(ps, "void *ps_get_fe(void *ps)");
  const fsgSearchStep = f(ps, "int fsg_search_step(void *search, int frame)");
  const fsgSearchStart = f(ps, "int fsg_search_start(void *search)");
  const fsgSearchFinish = f(ps, "int fsg_search_finish(void *search)");
  const acmodAdvance = f(ps, "int acmod_advance(void *acmod)");
  const acmodEndUtt = f(ps, "int acmod_end_utt(void *acmod)");
  const latticeFree = f(ps, "int ps_lattice_free(void *dag)");
  const ckdFree = f(sb, "void ckd_free(void *ptr)");
  /** The decoder's acoustic model, if its layout is the known one. */
  const acmodOf = (decoder: CPointer, config: CPointer): CPointer | undefined => {
    const acmod = koffi.decode(decoder, DECODER_ACMOD_OFFSET, "void *") as CPointer | null;
    if (!acmod) return undefined;
    const at = (offset: number): bigint => address(koffi.decode(acmod, offset, "void *") as CPointer | null);
    if (
      at(ACMOD_CONFIG_OFFSET) !== address(config) ||
      at(ACMOD_FE_OFFSET) !== address(getFe(decoder) as CPointer | null) ||
      at(ACMOD_FCB_OFFSET) !== address(getFeat(decoder) as CPointer | null)
    )
      return undefined;
    return acmod;
  };
  const address = (pointer: CPointer | null): bigint => (pointer ? koffi.address(pointer) : 0n);
  const cmnLiveGet = f(sb, "int cmn_live_get(void *cmn, _Out_ float *vec)");
  const cmnLiveSet = f(sb, "void cmn_live_set(void *cmn, const float *vec)");
  const cmnLiveUpdate = f(sb, "void cmn_live_update(void *cmn)");
  const decodeString = (pointer: CPointer): string => koffi.decode(pointer, "char", -1) as string;
  // sphinxbase's own allocator: what it frees (ckd_free) must come from the same calloc.
  const ckdCalloc = f(sb, "void *__ckd_calloc__(size_t n, size_t size, const char *file, int line)");

  return {
    ps_args: f(ps, "void *ps_args(void)") as PocketsphinxLibrary["ps_args"],
    cmd_ln_parse_r: f(
      sb,
      "void *cmd_ln_parse_r(void *inout, void *defn, int argc, const char **argv, int strict)",
    ) as PocketsphinxLibrary["cmd_ln_parse_r"],
    cmd_ln_free_r: f(sb, "int cmd_ln_free_r(void *config)") as PocketsphinxLibrary["cmd_ln_free_r"],
    err_set_logfile: f(sb, "int err_set_logfile(const char *path)") as PocketsphinxLibrary["err_set_logfile"],
    ckd_free: f(sb, "void ckd_free(void *ptr)") as PocketsphinxLibrary["ckd_free"],
    decodeString,
    ps_init: f(ps, "void *ps_init(void *config)") as PocketsphinxLibrary["ps_init"],
    ps_free: psFree as PocketsphinxLibrary["ps_free"],
    ps_set_jsgf_string: f(
      ps,
      "int ps_set_jsgf_string(void *ps, const char *name, const char *jsgf)",
    ) as PocketsphinxLibrary["ps_set_jsgf_string"],
    ps_get_logmath: f(ps, "void *ps_get_logmath(void *ps)") as PocketsphinxLibrary["ps_get_logmath"],
    cmd_ln_float_r: f(
      sb,
      "double cmd_ln_float_r(void *config, const char *name)",
    ) as PocketsphinxLibrary["cmd_ln_float_r"],
    cmd_ln_str_r: f(
      sb,
      "const char *cmd_ln_str_r(void *config, const char *name)",
    ) as PocketsphinxLibrary["cmd_ln_str_r"],
    fsg_model_readfile: f(
      sb,
      "void *fsg_model_readfile(const char *file, void *lmath, float lw)",
    ) as PocketsphinxLibrary["fsg_model_readfile"],
    fsg_model_free: f(sb, "int fsg_model_free(void *fsg)") as PocketsphinxLibrary["fsg_model_free"],
    ps_set_fsg: f(
      ps,
      "int ps_set_fsg(void *ps, const char *name, void *fsg)",
    ) as PocketsphinxLibrary["ps_set_fsg"],
    ps_set_search: f(
      ps,
      "int ps_set_search(void *ps, const char *name)",
    ) as PocketsphinxLibrary["ps_set_search"],
    ps_unset_search: f(
      ps,
      "int ps_unset_search(void *ps, const char *name)",
    ) as PocketsphinxLibrary["ps_unset_search"],
    ps_add_word: f(
      ps,
      "int ps_add_word(void *ps, const char *word, const char *phones, int update)",
    ) as PocketsphinxLibrary["ps_add_word"],
    // The returned string is malloc'ed by the library: taken as a pointer so it can be freed.
    ps_lookup_word: f(
      ps,
      "void *ps_lookup_word(void *ps, const char *word)",
    ) as PocketsphinxLibrary["ps_lookup_word"],
    ps_start_utt: f(ps, "int ps_start_utt(void *ps)") as PocketsphinxLibrary["ps_start_utt"],
    ps_process_raw: processRaw as PocketsphinxLibrary["ps_process_raw"],
    ps_end_utt: f(ps, "int ps_end_utt(void *ps)") as PocketsphinxLibrary["ps_end_utt"],
    ps_get_hyp: f(
      ps,
      "const char *ps_get_hyp(void *ps, _Out_ int32_t *score)",
    ) as PocketsphinxLibrary["ps_get_hyp"],
    ps_get_n_frames: f(ps, "int ps_get_n_frames(void *ps)") as PocketsphinxLibrary["ps_get_n_frames"],
    ps_seg_iter: f(ps, "void *ps_seg_iter(void *ps)") as PocketsphinxLibrary["ps_seg_iter"],
    ps_seg_next: f(ps, "void *ps_seg_next(void *seg)") as PocketsphinxLibrary["ps_seg_next"],
    ps_seg_word: f(ps, "const char *ps_seg_word(void *seg)") as PocketsphinxLibrary["ps_seg_word"],
    ps_seg_frames: f(
      ps,
      "void ps_seg_frames(void *seg, _Out_ int *sf, _Out_ int *ef)",
    ) as PocketsphinxLibrary["ps_seg_frames"],
    ps_seg_prob: f(
      ps,
      "int32_t ps_seg_prob(void *seg, _Out_ int32_t *ascr, _Out_ int32_t *lscr, _Out_ int32_t *lback)",
    ) as PocketsphinxLibrary["ps_seg_prob"],
    ps_start_stream: f(ps, "int ps_start_stream(void *ps)") as PocketsphinxLibrary["ps_start_stream"],
    liveCmn: (decoder, expected) => {
      const feat = getFeat(decoder) as CPointer | null;
      if (!feat) return undefined;
      const type = koffi.decode(feat, FEAT_CMN_TYPE_OFFSET, "int") as number;
      const cmn = koffi.decode(feat, FEAT_CMN_OFFSET, "void *") as CPointer | null;
      if (!cmn || (type !== CMN_BATCH && type !== CMN_LIVE)) return undefined;
      if ((koffi.decode(cmn, CMN_VECLEN_OFFSET, "int32_t") as number) !== expected.length) return undefined;
      const get = (): Float32Array => {
        const mean = new Float32Array(expected.length);
        cmnLiveGet(cmn, mean);
        return mean;
      };
      // The layout is right only if the mean read back is the one the decoder was given.
      if (!get().every((value, i) => Math.abs(value - (expected[i] as number)) < 1e-3)) return undefined;
      const sum = koffi.decode(cmn, CMN_SUM_OFFSET, "void *") as CPointer;
      return {
        get,
        set: (mean, frames) => {
          cmnLiveSet(cmn, mean);
          const n = Math.max(0, Math.round(frames));
          koffi.encode(
            sum,
            0,
            koffi.array("float", mean.length),
            Array.from(mean, (value) => value * n),
          );
          koffi.encode(cmn, CMN_NFRAME_OFFSET, "int32_t", n);
        },
        update: () => cmnLiveUpdate(cmn),
        setBatch: (batch) => koffi.encode(feat, FEAT_CMN_TYPE_OFFSET, "int", batch ? CMN_BATCH : CMN_LIVE),
      };
    },
    scoreAll: (decoder, config) => {
      const acmod = acmodOf(decoder, config);
      if (!acmod) return undefined;
      const flag = (): number => koffi.decode(acmod, ACMOD_COMPALLSEN_OFFSET, "uint8_t") as number;
      if (flag() !== 0 && flag() !== 1) return undefined;
      return {
        get: () => flag() === 1,
        set: (all) => koffi.encode(acmod, ACMOD_COMPALLSEN_OFFSET, "uint8_t", all ? 1 : 0),
      };
    },
    frames: (decoder, config) => {
      const acmod = acmodOf(decoder, config);
      if (!acmod) return undefined;
      const int = (offset: number): number => koffi.decode(acmod, offset, "int32_t") as number;
      // Straight after ps_init nothing has been computed: other values are another layout.
      if (int(ACMOD_N_FEAT_FRAME_OFFSET) !== 0 || int(ACMOD_OUTPUT_FRAME_OFFSET) !== 0) return undefined;
      return {
        active: () => koffi.decode(decoder, DECODER_SEARCH_OFFSET, "void *") as CPointer,
        setActive: (search) => koffi.encode(decoder, DECODER_SEARCH_OFFSET, "void *", search),
        pending: () => int(ACMOD_N_FEAT_FRAME_OFFSET),
        next: () => int(ACMOD_OUTPUT_FRAME_OFFSET),
        advance: () => acmodAdvance(acmod) as number,
        endUtterance: () => acmodEndUtt(acmod) as number,
        step: (search, frame) => fsgSearchStep(search, frame) as number,
        stepAsync: (search, frame) =>
          new Promise<number>((resolve, reject) => {
            fsgSearchStep.async(search, frame, (err: unknown, result: number) => {
              if (err) reject(err);
              else resolve(result);
            });
          }),
        start: (search) => {
          const dag = koffi.decode(search, SEARCH_DAG_OFFSET, "void *") as CPointer | null;
          if (dag) latticeFree(dag);
          koffi.encode(search, SEARCH_DAG_OFFSET, "void *", null);
          koffi.encode(search, SEARCH_LAST_LINK_OFFSET, "void *", null);
          koffi.encode(search, SEARCH_POST_OFFSET, "int32_t", 0);
          const hyp = koffi.decode(search, SEARCH_HYP_STR_OFFSET, "void *") as CPointer | null;
          if (hyp) ckdFree(hyp);
          koffi.encode(search, SEARCH_HYP_STR_OFFSET, "void *", null);
          return fsgSearchStart(search) as number;
        },
        finish: (search) => fsgSearchFinish(search) as number,
        setConfig: (search, expected, config) => {
          const present = koffi.decode(search, SEARCH_CONFIG_OFFSET, "void *") as CPointer | null;
          if (address(present) !== address(expected)) return false;
          koffi.encode(search, SEARCH_CONFIG_OFFSET, "void *", config);
          return true;
        },
        hypothesisAsync: () =>
          new Promise((resolve, reject) => {
            const score = [0];
            getHyp.async(decoder, score, (err: unknown, hypothesis: string | null) => {
              if (err) reject(err);
              else resolve({ hypothesis, score: score[0] ?? 0 });
            });
          }),
      };
    },
    compactFsg: (fsg, shape) =>
      compactFsgTables(koffi, fsg, shape, {
        calloc: (n, size) => ckdCalloc(n, size, "hearth", 0) as CPointer,
        free: (pointer) => ckdFree(pointer),
        address,
      }),
    cmd_ln_set_float_r: f(
      sb,
      "void cmd_ln_set_float_r(void *config, const char *name, double value)",
    ) as PocketsphinxLibrary["cmd_ln_set_float_r"],
    cmd_ln_int_r: f(
      sb,
      "long cmd_ln_int_r(void *config, const char *name)",
    ) as PocketsphinxLibrary["cmd_ln_int_r"],
    cmd_ln_set_int_r: f(
      sb,
      "void cmd_ln_set_int_r(void *config, const char *name, long value)",
    ) as PocketsphinxLibrary["cmd_ln_set_int_r"],
    processRawAsync: (decoder, data, samples, noSearch, fullUtt) =>
      new Promise<number>((resolve, reject) => {
        processRaw.async(decoder, data, samples, noSearch, fullUtt, (err: unknown, result: number) => {
          // `data` stays referenced by this closure until the worker thread is done with it.
          void data;
          if (err) reject(err);
          else resolve(result);
        });
      }),
    endUttAsync: (decoder) =>
      new Promise((resolve, reject) => {
        endUtt.async(decoder, (err: unknown, ended: number) => {
          if (err) return reject(err);
          if (ended < 0) return resolve({ ended, hypothesis: null, score: 0 });
          const score = [0];
          getHyp.async(decoder, score, (error: unknown, hypothesis: string | null) => {
            if (error) reject(error);
            else resolve({ ended, hypothesis, score: score[0] ?? 0 });
          });
        });
      }),
    freeAsync: (decoder) =>
      new Promise<number>((resolve, reject) => {
        psFree.async(decoder, (err: unknown, result: number) => {
          if (err) reject(err);
          else resolve(result);
        });
      }),
  };
}

/** What {@link compactFsgTables} needs besides koffi: sphinxbase's allocator, pointer addresses. */
interface Allocator {
  calloc(n: number, size: number): CPointer;
  free(pointer: CPointer): void;
  address(pointer: CPointer | null): bigint;
}

/** One hash table of an FSG state's transitions, as read: its entries and its collision entries. */
interface ReadTable {
  table: CPointer;
  buckets: CPointer;
  size: number;
  entries: Array<{ key: CPointer; val: CPointer; state: number }>;
  chained: CPointer[];
}

/**
 * sphinxbase's bucket for a binary key of one int32 (hash_table.c): the key's bytes written as two
 * letters each (`makekey`), then `key2hash` over those letters, modulo the table's size.
 */
export function sphinxbaseBucket(state: number, size: number): number {
  let hash = 0;
  let shift = 0;
  for (let i = 0; i < 4; i++) {
    const byte = (state >>> (8 * i)) & 0xff;
    for (const letter of [65 + (byte & 0x0f), 74 + ((byte >> 4) & 0x0f)]) {
      hash = (hash + letter * 2 ** shift) >>> 0;
      shift += 5;
      if (shift >= 25) shift -= 24;
    }
  }
  return hash % size;
}

/** See {@link PocketsphinxLibrary.compactFsg}. */
function compactFsgTables(
  koffi: typeof import("koffi")["default"],
  fsg: CPointer,
  shape: FsgShape,
  memory: Allocator,
): FsgCompaction | undefined {
  const int = (pointer: CPointer, offset: number): number =>
    koffi.decode(pointer, offset, "int32_t") as number;
  const pointerAt = (pointer: CPointer, offset: number): CPointer | null =>
    koffi.decode(pointer, offset, "void *") as CPointer | null;
  if (
    int(fsg, FSG_N_STATE_OFFSET) !== shape.states ||
    int(fsg, FSG_START_STATE_OFFSET) !== shape.start ||
    int(fsg, FSG_FINAL_STATE_OFFSET) !== shape.final ||
    memory.address(pointerAt(fsg, FSG_LMATH_OFFSET)) !== memory.address(shape.logmath)
  )
    return undefined;
  const trans = pointerAt(fsg, FSG_TRANS_OFFSET);
  if (!trans) return undefined;
  // Everything is read and checked first: a table that is not as expected changes nothing at all.
  const read: ReadTable[] = [];
  const withoutWords: number[] = [];
  for (let state = 0; state < shape.states; state++) {
    for (const offset of TRANS_LIST_TABLES) {
      const table = pointerAt(trans, state * TRANS_LIST_SIZE + offset);
      if (!table) {
        if (offset === WORD_TRANS_OFFSET) withoutWords.push(state);
        continue;
      }
      const one = readTable(table);
      if (!one) return undefined;
      read.push(one);
    }
  }
  let tables = 0;
  let bytes = 0;
  for (const one of read) {
    const size = SMALL_TABLE_SIZES.find((n) => n * 2 >= one.entries.length * 3);
    if (size === undefined || size >= one.size) continue;
    const buckets = memory.calloc(size, HASH_ENTRY_SIZE);
    let chained = 0;
    for (const { key, val, state } of one.entries) {
      const at = sphinxbaseBucket(state, size) * HASH_ENTRY_SIZE;
      // As hash_table.c's enter(): the first entry of a bucket in place, later ones chained after it.
      let entry = buckets;
      let offset = at;
      if (pointerAt(buckets, at) !== null) {
        entry = memory.calloc(1, HASH_ENTRY_SIZE);
        offset = 0;
        koffi.encode(entry, ENTRY_NEXT_OFFSET, "void *", pointerAt(buckets, at + ENTRY_NEXT_OFFSET));
        koffi.encode(buckets, at + ENTRY_NEXT_OFFSET, "void *", entry);
        chained++;
      }
      koffi.encode(entry, offset, "void *", key);
      koffi.encode(entry, offset + ENTRY_LEN_OFFSET, "uint64_t", 4n);
      koffi.encode(entry, offset + ENTRY_VAL_OFFSET, "void *", val);
    }
    for (const entry of one.chained) memory.free(entry);
    memory.free(one.buckets);
    koffi.encode(one.table, HASH_TABLE_OFFSET, "void *", buckets);
    koffi.encode(one.table, HASH_SIZE_OFFSET, "int32_t", size);
    tables++;
    bytes += (one.size - size + one.chained.length - chained) * HASH_ENTRY_SIZE;
  }
  if (shape.fillers) {
    // Only where the loops will fill them: an empty table where sphinxbase expects none would
    // give an arc iterator with nothing to visit.
    for (const state of withoutWords) {
      const table = memory.calloc(1, HASH_TABLE_SIZE);
      const size = SMALL_TABLE_SIZES[0] as number;
      koffi.encode(table, HASH_TABLE_OFFSET, "void *", memory.calloc(size, HASH_ENTRY_SIZE));
      koffi.encode(table, HASH_SIZE_OFFSET, "int32_t", size);
      koffi.encode(trans, state * TRANS_LIST_SIZE + WORD_TRANS_OFFSET, "void *", table);
      tables++;
      bytes += (SPHINXBASE_TABLE_SIZE - size) * HASH_ENTRY_SIZE;
    }
  }
  return { tables, bytes };

  function readTable(table: CPointer): ReadTable | undefined {
    const size = int(table, HASH_SIZE_OFFSET);
    const inuse = int(table, HASH_INUSE_OFFSET);
    const buckets = pointerAt(table, HASH_TABLE_OFFSET);
    if (!buckets || size <= 0 || size > 1_000_000 || inuse < 0) return undefined;
    // The bucket heads in one read: most are empty (their key pointer is null).
    const heads = new BigUint64Array(koffi.view(buckets, size * HASH_ENTRY_SIZE));
    const entries: ReadTable["entries"] = [];
    const chained: CPointer[] = [];
    for (let bucket = 0; bucket < size; bucket++) {
      if (heads[bucket * (HASH_ENTRY_SIZE / 8)] === 0n) continue;
      let entry: CPointer = buckets;
      let offset = bucket * HASH_ENTRY_SIZE;
      for (;;) {
        const key = pointerAt(entry, offset);
        const val = pointerAt(entry, offset + ENTRY_VAL_OFFSET);
        const len = koffi.decode(entry, offset + ENTRY_LEN_OFFSET, "uint64_t") as number | bigint;
        if (!key || !val || Number(len) !== 4) return undefined;
        // The key is the destination state (a transition's `to_state`), in its bucket.
        const state = int(key, 0);
        if (state < 0 || state >= shape.states || sphinxbaseBucket(state, size) !== bucket) return undefined;
        entries.push({ key, val, state });
        const next = pointerAt(entry, offset + ENTRY_NEXT_OFFSET);
        if (!next) break;
        if (entries.length > inuse) return undefined;
        chained.push(next);
        entry = next;
        offset = 0;
      }
    }
    if (entries.length !== inuse) return undefined;
    return { table, buckets, size, entries, chained };
  }
}
