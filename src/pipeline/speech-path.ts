import { resolve } from "node:path";
import { createDenoiser } from "../audio/denoise/create-denoiser.js";
import type { Denoiser } from "../audio/denoise/denoiser.js";
import { segmenterOptionsFromConfig } from "../audio/segmenter.js";
import { createAudioSink } from "../audio/sinks/create-audio-sink.js";
import { createAudioSource } from "../audio/sources/create-audio-source.js";
import { WavFileSource } from "../audio/sources/wav-file-source.js";
import { createSpeechToText } from "../audio/stt/create-speech-to-text.js";
import { beginWhenReady, type SpeechGrammar, type SpeechToText } from "../audio/stt/speech-to-text.js";
import { createTextToSpeech } from "../audio/tts/create-text-to-speech.js";
import type { TextToSpeech } from "../audio/tts/text-to-speech.js";
import type { AudioSink, AudioSource } from "../audio/types.js";
import { createVad } from "../audio/vad/create-vad.js";
import type { VoiceActivityDetector } from "../audio/vad/voice-activity-detector.js";
import { createWakeWordDetector } from "../audio/wake/create-wake-word-detector.js";
import type { WakeWordDetector } from "../audio/wake/wake-word-detector.js";
import type { LoadedConfig } from "../config/loader.js";
import type { Config } from "../config/schema.js";
import { resolveStateDir } from "../config/state-dir.js";
import { type Clock, systemClock } from "../core/clock.js";
import { releaseGarbage } from "../core/heap.js";
import { type Logger, silentLogger } from "../core/logger.js";
import { assistantNames, type CompiledSentences, loadSentences } from "../intents/sentences.js";
import { buildSpeechGrammar, type SpeechGrammarSpec } from "../intents/speech-grammar.js";
import type { Registry } from "../registry/registry.js";
import { LeadInSource } from "./lead-in-source.js";
import type { ListeningLoopDeps, ListeningLoopOptions } from "./listening-loop.js";

/**
 * The speech stages built from the config (`audio`, `wake`, `vad`, `stt`, `tts`, `pipeline`
 * sections) through their create-* factories, with the speech-recognition grammar generated from
 * the sentence templates and the registry and kept in step with both. A builder: `app.ts` calls it,
 * builds the listening loop over what it returns and owns both; the `transcribe`, `understand` and
 * `say` commands build only the stages they need.
 */

/** Which stages to build; each defaults to true. */
export interface SpeechStages {
  /** Speech-to-text, with its grammar. */
  stt?: boolean;
  /** Text-to-speech and the sink replies play on. */
  tts?: boolean;
  /** The audio source, wake word and VAD: what the listening loop adds to the two above. */
  listening?: boolean;
}

export interface SpeechPathOptions {
  /** The home: its names go into the grammar, which is rebuilt when they change. */
  registry: Registry;
  /** The compiled sentence templates (the text path's); loaded from the config when not given. */
  sentences?: CompiledSentences | undefined;
  log?: Logger | undefined;
  clock?: Clock | undefined;
  stages?: SpeechStages | undefined;
  /** A WAV file to listen to instead of `audio.source` (`hearth run --input`), relative to the working directory. */
  input?: string | undefined;
  /** Milliseconds to wait after a registry change before rebuilding the grammar (discovery comes in bursts). Default 250. */
  grammarDebounceMs?: number | undefined;
}

/** The grammar in force: what it was built from and how long that took. */
export interface GrammarInfo {
  /** `registry.version` it was built from. */
  registryVersion: number;
  /** Milliseconds to generate the spec and load it into the engine. */
  ms: number;
  /** Templates left out of the grammar (wildcards cannot be spoken as a grammar). */
  skipped: number;
  /** Templates left out because nothing in the home could answer them (no vacuum, no colour light…). */
  notForThisHome: number;
}

/** The stages a listening loop is built over. */
export type ListeningStages = Pick<
  ListeningLoopDeps,
  "source" | "wake" | "vad" | "stt" | "tts" | "sink" | "denoiser"
>;

/** The built speech stages. Engines are started; close() stops them. */
export interface SpeechPath {
  readonly stt: SpeechToText | undefined;
  /**
   * What the listening loop transcribes with: the engine, but waiting for a grammar rebuild in
   * progress; it decodes while the user speaks when the engine can.
   */
  readonly loopStt: SpeechToText | undefined;
  readonly tts: TextToSpeech | undefined;
  readonly sink: AudioSink | undefined;
  readonly source: AudioSource | undefined;
  readonly wake: WakeWordDetector | undefined;
  readonly vad: VoiceActivityDetector | undefined;
  /** Speech enhancement before the VAD and speech-to-text (`audio.denoise`), when on. */
  readonly denoiser: Denoiser | undefined;
  /** Whether the source is a recording (a file) rather than live audio. */
  readonly recording: boolean;
  /** The grammar loaded last (undefined without STT). */
  readonly grammar: GrammarInfo | undefined;
  /**
   * Every stage the listening loop runs over (the loop's STT is `loopStt`); throws when the path
   * was built without listening.
   */
  listeningStages(): ListeningStages;
  /** New sentence templates (a config reload): the grammar is rebuilt from them. */
  setSentences(sentences: CompiledSentences): Promise<void>;
  /** Rebuilds the grammar now (it is rebuilt by itself when the registry's names change). */
  rebuildGrammar(): Promise<void>;
  /** Resolves once no grammar rebuild is waiting (debounced) or running. */
  grammarSettled(): Promise<void>;
  /** Stops the engines and the grammar updates; idempotent. */
  close(): Promise<void>;
}

/** The grammar spec as an engine takes it: the rules as data, the names as hints for whisper. */
export function speechGrammarFromSpec(spec: SpeechGrammarSpec): SpeechGrammar {
  return { spec: { rules: spec.rules, root: spec.root }, hints: spec.hints };
}

/** Milliseconds of silence played after a recording: enough for the silence that ends an utterance and openWakeWord's last frames. */
export function recordingTailMs(config: Config): number {
  return Math.max(1000, config.vad.silence_ms + config.vad.pre_roll_ms);
}

/** The loop's settings from the config. */
export function loopOptionsFromConfig(config: Config, recording: boolean): ListeningLoopOptions {
  return {
    segmenter: segmenterOptionsFromConfig(config.vad),
    sttTimeoutMs: config.pipeline.stt_timeout_ms,
    intentTimeoutMs: config.pipeline.intent_timeout_ms,
    speakTimeoutMs: config.pipeline.speak_timeout_ms,
    bargeIn: config.pipeline.barge_in,
    recording,
    transcripts: config.logging.transcripts,
  };
}

/**
 * Builds and starts the speech stages the options ask for. Heavy engines load here (pocketsphinx or
 * whisper, openWakeWord, Silero); a stage that cannot load throws its HearthError after the stages
 * already started are stopped again. Opening the microphone is left to the loop, which retries it.
 */
export async function buildSpeechPath(loaded: LoadedConfig, opts: SpeechPathOptions): Promise<SpeechPath> {
  const { config } = loaded;
  const log = opts.log ?? silentLogger();
  const clock = opts.clock ?? systemClock;
  const baseDir = loaded.dir;
  const want = { stt: true, tts: true, listening: true, ...opts.stages };
  const started: Array<{ stop(): Promise<void> }> = [];
  const stopAll = async (): Promise<void> => {
    for (const part of started.splice(0).reverse()) await part.stop().catch(() => {});
  };

  let stt: SpeechToText | undefined;
  let tts: TextToSpeech | undefined;
  let sink: AudioSink | undefined;
  let source: AudioSource | undefined;
  let wake: WakeWordDetector | undefined;
  let vad: VoiceActivityDetector | undefined;
  let denoiser: Denoiser | undefined;
  const fileSource = opts.input !== undefined || config.audio.source.startsWith("file:");
  const recording = want.listening && fileSource;

  try {
    if (want.listening) {
      const inner =
        opts.input !== undefined
          ? new WavFileSource(resolve(opts.input), {
              chunkMs: config.audio.chunk_ms,
              limits: { maxSeconds: config.audio.max_file_seconds },
            })
          : createAudioSource(config.audio, { logger: log, baseDir, clock });
      source = fileSource
        ? new LeadInSource(inner, {
            leadInMs: config.pipeline.recording_lead_in_ms,
            tailMs: recordingTailMs(config),
            chunkMs: config.audio.chunk_ms,
          })
        : inner;
      wake = createWakeWordDetector(config.wake, { logger: log, baseDir });
      await wake.start();
      started.push(wake);
      vad = createVad(config.vad, baseDir);
      await vad.start();
      started.push(vad);
      denoiser = createDenoiser(config.audio);
      // audio.denoise auto: a quiet room never needs RNNoise, so the listening loop loads it when
      // the room becomes loud (src/audio/denoise/room-denoising.ts); here only whether it can be.
      if (denoiser?.aboveDbfs === undefined) await denoiser?.start();
      else denoiser.check();
      if (denoiser) started.push(denoiser);
    }
    if (want.stt || want.listening) {
      stt = await createSpeechToText(config.stt, { logger: log.child({ module: "stt" }), clock, baseDir });
      await stt.start();
      started.push(stt);
    }
    if (want.tts || want.listening) {
      tts = createTextToSpeech(config.tts, { logger: log.child({ module: "tts" }), baseDir, clock });
      sink = createAudioSink(config.audio, { logger: log, baseDir, clock });
    }
  } catch (err) {
    await stopAll();
    throw err;
  }

  let sentences = opts.sentences;
  let grammar: GrammarInfo | undefined;
  /** Grammar builds run one after another; the last one asked for wins. */
  let building: Promise<void> = Promise.resolve();
  /** The debounce now running; an earlier one that ends finds itself replaced and does nothing. */
  let debounce: AbortSignal | undefined;
  /** Set while a rebuild is scheduled (debounced) but not yet done; resolves when it is. */
  let scheduled: { done: Promise<void>; resolve: () => void } | undefined;
  let closed = false;
  const grammarLog = log.child({ module: "speech-grammar" });

  const build = async (): Promise<void> => {
    if (!stt || closed) return;
    sentences ??= await loadSentences(config.intents, {
      language: config.site.language,
      configDir: baseDir,
      stateDir: resolveStateDir(config, baseDir),
      assistantNames: assistantNames(config),
    });
    const t0 = clock.monotonic();
    const version = opts.registry.version;
    const spec = buildSpeechGrammar(sentences, opts.registry);
    await stt.setGrammar(speechGrammarFromSpec(spec));
    grammar = {
      registryVersion: version,
      ms: Math.round(clock.monotonic() - t0),
      skipped: spec.skipped.length,
      notForThisHome: spec.notForThisHome.length,
    };
    grammarLog.info(
      {
        ms: grammar.ms,
        registryVersion: version,
        skipped: grammar.skipped,
        notForThisHome: grammar.notForThisHome,
        engine: stt.name,
      },
      "speech grammar loaded",
    );
    // Building the grammar left tens of MB of garbage that an idle daemon would keep (core/heap.ts).
    releaseGarbage();
  };
  const rebuild = (): Promise<void> => {
    const next = building.then(build);
    // A failed rebuild leaves the previous grammar in force; the next change tries again.
    building = next.catch((err: unknown) => grammarLog.error({ err }, "speech grammar not rebuilt"));
    return next;
  };

  try {
    await rebuild();
  } catch (err) {
    await stopAll();
    throw err;
  }
  const unsubscribe = opts.registry.onChange((change) => {
    if (!change.structural || !stt || closed) return;
    if (!scheduled) {
      let resolve = (): void => {};
      const done = new Promise<void>((r) => {
        resolve = r;
      });
      scheduled = { done, resolve };
    }
    // On the injected clock, so that tests move time instead of waiting for it.
    const wait = clock.timeout(opts.grammarDebounceMs ?? 250, "the speech grammar's debounce");
    debounce = wait;
    wait.addEventListener(
      "abort",
      () => {
        if (debounce !== wait || closed) return;
        debounce = undefined;
        const finished = scheduled;
        scheduled = undefined;
        void rebuild()
          .catch(() => {})
          .finally(() => finished?.resolve());
      },
      { once: true },
    );
  });
  /** Resolves once no grammar rebuild is waiting or running. */
  const grammarSettled = async (): Promise<void> => {
    await scheduled?.done;
    await building;
  };
  /**
   * What the loop transcribes with: the engine, but an utterance heard while the grammar is being
   * rebuilt (a device just discovered) waits for it, so the new name can be heard. A recording read
   * faster than real time right after start-up needs this; live, it costs nothing.
   */
  const engine = stt;
  const loopStt: SpeechToText | undefined = engine && {
    name: engine.name,
    start: () => engine.start(),
    stop: () => engine.stop(),
    setGrammar: (grammar) => engine.setGrammar(grammar),
    transcribe: async (audio, options) => {
      await grammarSettled();
      return engine.transcribe(audio, options);
    },
  };
  // An engine that decodes while the user speaks keeps doing so; its utterance starts on the new grammar.
  const streams = engine?.begin?.bind(engine);
  if (loopStt && streams) loopStt.begin = () => beginWhenReady(grammarSettled(), streams);

  return {
    stt,
    loopStt,
    tts,
    sink,
    source,
    wake,
    vad,
    denoiser,
    recording,
    get grammar() {
      return grammar;
    },
    listeningStages(): ListeningStages {
      if (!source || !wake || !vad || !loopStt || !tts || !sink) {
        throw new Error("the listening loop needs every speech stage: build the speech path with listening");
      }
      return { source, wake, vad, stt: loopStt, tts, sink, denoiser };
    },
    async setSentences(next: CompiledSentences): Promise<void> {
      sentences = next;
      await rebuild();
    },
    rebuildGrammar: rebuild,
    grammarSettled,
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      debounce = undefined;
      scheduled?.resolve();
      scheduled = undefined;
      unsubscribe();
      await building;
      await stopAll();
    },
  };
}
