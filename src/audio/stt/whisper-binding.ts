/**
 * The part of `@fugood/whisper.node` (1.1.3) Hearth uses, typed here because the package ships its
 * TypeScript sources instead of declarations and those do not compile under this project's
 * settings (`verbatimModuleSyntax` rejects their CommonJS exports). Checked against its
 * lib/binding.ts and src/WhisperContext.cpp.
 */

/** Options of the native WhisperContext constructor (which loads the model synchronously). */
export interface NativeWhisperOptions {
  filePath: string;
  useGpu?: boolean;
  useFlashAttn?: boolean;
}

/** Options of one transcription (mapped onto whisper_full_params in src/common.cpp). */
export interface NativeTranscribeOptions {
  language?: string;
  /** whisper_full_params.n_threads; the binding's own default is min(8, hardware_concurrency). */
  maxThreads?: number;
  temperature?: number;
  temperatureInc?: number;
  /** whisper_full_params.initial_prompt. */
  prompt?: string;
}

/** What a transcription resolves to; t0/t1 are milliseconds from the start of the audio. */
export interface NativeTranscribeResult {
  result: string;
  segments: { text: string; t0: number; t1: number }[];
  isAborted: boolean;
  language?: string;
}

/** A loaded model. */
export interface NativeWhisperContext {
  /**
   * Transcribes 16 kHz mono 16-bit PCM. Do not call `stop`: it only sets a flag the native worker
   * reads before and after whisper_full(), and a flagged job's `promise` never settles (its error
   * goes through a one-argument callback the two-argument handler ignores). `release` sets the same
   * flag on running jobs.
   */
  transcribeData(
    audio: ArrayBuffer,
    options?: NativeTranscribeOptions,
  ): { stop: () => Promise<void>; promise: Promise<NativeTranscribeResult> };
  /** Drops the context (freed once a running job ends) and flags running jobs, which then never settle. */
  release(): Promise<void>;
}

/** The package's entry points. */
export interface WhisperBinding {
  initWhisper(
    options: NativeWhisperOptions,
    variant?: "default" | "vulkan" | "cuda",
  ): Promise<NativeWhisperContext>;
  /**
   * Routes whisper.cpp's and ggml's log lines to the listeners (on) or back to stderr (off).
   * Process-wide: the native side keeps one callback.
   */
  toggleNativeLog(enable: boolean): Promise<void>;
  addNativeLogListener(listener: (level: string, text: string) => void): { remove: () => void };
}

/**
 * Imports the binding (and with it the native addon) on first use, so a Hearth that never chooses
 * whisper never loads it. The specifier is a variable so TypeScript does not compile the
 * package's own sources (see above).
 */
export async function loadWhisperBinding(): Promise<WhisperBinding> {
  const specifier: string = "@fugood/whisper.node";
  const module = (await import(specifier)) as WhisperBinding & { default?: WhisperBinding };
  return typeof module.initWhisper === "function" ? module : (module.default as WhisperBinding);
}
