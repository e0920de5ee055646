import type { Denoiser } from "../audio/denoise/denoiser.js";
import { NullSink } from "../audio/sinks/null-sink.js";
import type { SpeechToText, SttResult } from "../audio/stt/speech-to-text.js";
import type { TextToSpeech } from "../audio/tts/text-to-speech.js";
import { type AudioSource, type AudioStream, SAMPLE_RATE } from "../audio/types.js";
import type { VoiceActivityDetector } from "../audio/vad/voice-activity-detector.js";
import { NoWakeWord } from "../audio/wake/no-wake-word.js";
import type { Config } from "../config/schema.js";
import type { Clock } from "../core/clock.js";
import { EventBus } from "../core/event-bus.js";
import type { HearthEvents } from "../core/events.js";
import type { Logger } from "../core/logger.js";
import type { SentenceProgress } from "../intents/template-recognizer.js";
import type { RequestContext, TextResult, TextUnderstanding } from "../intents/text-understanding.js";
import type { Understanding } from "../intents/types.js";
import { LeadInSource } from "./lead-in-source.js";
import {
  type DeadlineError,
  ListeningLoop,
  type ListeningLoopOptions,
  type UtteranceTimes,
} from "./listening-loop.js";
import { loopOptionsFromConfig, recordingTailMs } from "./speech-path.js";
import type { RunResult } from "./text-pipeline.js";

/** What {@link hearRecording} needs: the daemon's own stages, understanding without acting. */
export interface RecordingHearingDeps {
  vad: VoiceActivityDetector;
  stt: SpeechToText;
  /** Understands a transcript (the templates, the fallback as configured); nothing is acted on. */
  understand: (text: string, context: RequestContext, signal?: AbortSignal) => Promise<TextResult>;
  /** How far a partial transcript has come (a whole command: the shorter end-of-utterance silence; the start of one: the longer). */
  progress: (text: string, context: RequestContext) => SentenceProgress;
  clock: Clock;
  log: Logger;
  siteId: string;
  /** Speech enhancement before the VAD and speech-to-text (`audio.denoise`), as the daemon's loop has it. */
  denoiser?: Denoiser | undefined;
  /**
   * Called when an utterance's run ran out of time (a stage missed its deadline, DEADLINE_EXCEEDED).
   * Speech-to-text that missed its deadline leaves no utterance in the result: what was said is not
   * known, and it is not silence.
   */
  missed?: ((err: DeadlineError) => void) | undefined;
}

/**
 * What {@link hearRecording} needs to hear a recording with `config` as the daemon would: its VAD
 * and speech-to-text, understanding through `understanding` (nothing acted on), the loop's settings
 * and the lead-in and tail `hearth run --input` plays around a file.
 */
export function recordingHearing(
  config: Config,
  stages: {
    vad: VoiceActivityDetector;
    stt: SpeechToText;
    denoiser?: Denoiser | undefined;
    understanding: Pick<TextUnderstanding, "understandAsync" | "progress">;
    /** Whose time the loop's stage deadlines run on (the CLI's: the system clock). */
    clock: Clock;
    log: Logger;
  },
): { deps: RecordingHearingDeps; options: RecordingHearingOptions } {
  const { understanding } = stages;
  return {
    deps: {
      vad: stages.vad,
      stt: stages.stt,
      denoiser: stages.denoiser,
      understand: (said, context, signal) => understanding.understandAsync(said, context, { signal }),
      progress: (said, context) => understanding.progress(said, context),
      clock: stages.clock,
      log: stages.log,
      siteId: config.site.id,
    },
    options: {
      loop: loopOptionsFromConfig(config, true),
      leadInMs: config.pipeline.recording_lead_in_ms,
      tailMs: recordingTailMs(config),
      chunkMs: config.audio.chunk_ms,
    },
  };
}

/**
 * The utterance a recording's answer is taken from: the first that speech-to-text accepted, else the
 * first of all. The daemon does the same with it: an utterance it rejects (noise the VAD took for
 * speech before the command, a kitchen's clatter that fits no sentence) is no answer. Without a wake
 * word its run ends quietly and the next utterance is heard afresh; after a wake word the run
 * listens on for the command within `vad.start_timeout_ms` of the wake word and acts on the first
 * utterance it accepts (a recording holds no wake word, so it has no such window here).
 */
export function answeringUtterance(heard: readonly HeardUtterance[]): HeardUtterance | undefined {
  return heard.find((h) => h.stt.kind === "transcript") ?? heard[0];
}

/** How the recording is heard: the daemon's loop settings and the lead-in `hearth run --input` plays. */
export interface RecordingHearingOptions {
  loop: ListeningLoopOptions;
  /** Milliseconds of silence before the recording (`pipeline.recording_lead_in_ms`). */
  leadInMs: number;
  /** Milliseconds of silence after it. */
  tailMs: number;
  /** Milliseconds per chunk (`audio.chunk_ms`). */
  chunkMs: number;
}

/** One utterance the recording held, as the daemon would have heard and understood it. */
export interface HeardUtterance {
  /** What speech-to-text made of it (a transcript, or why there is none). */
  stt: SttResult;
  /**
   * The understanding of the transcript; undefined when speech-to-text rejected it, or when
   * understanding it missed its deadline (`pipeline.intent_timeout_ms`, reported through `missed`).
   */
  understanding?: Understanding | undefined;
  /** What Hearth would answer ("" when nothing). */
  reply: string;
  /** Milliseconds to understand the transcript. */
  intentMs?: number | undefined;
  /**
   * Where the utterance lay in the recording, in seconds from its first sample (the lead-in not
   * counted; with the denoiser, its output's moment, 26 ms later): the first and the last speech
   * frame as the VAD judged them, and when the VAD ended the utterance (`ended - end` is what the
   * endpointing waited after the last speech frame).
   */
  seconds: UtteranceTimes;
}

/**
 * Hears a recording as the daemon hears its microphone: the same listening loop, with the lead-in
 * and tail `hearth run --input` plays around a file, the VAD segmenter cutting the utterances (its
 * pre-roll, endpointing and shorter silence once a whole command was heard), the engine decoding
 * while the speech comes and rejecting what fits poorly. Only the wake word is left out (a file is
 * taken as addressed to Hearth) and nothing is acted on or spoken. The recording is read as fast as
 * the engine decodes it: each piece of speech is decoded before the next is judged, as a microphone
 * on a machine that keeps up hands it over; so the answer is the one the daemon gives, at the
 * speed of the decoder.
 */
export async function hearRecording(
  audio: Int16Array,
  deps: RecordingHearingDeps,
  options: RecordingHearingOptions,
): Promise<HeardUtterance[]> {
  const heard: HeardUtterance[] = [];
  /** Results of speech-to-text in the order the loop's utterances ended, with where each lay. */
  const results: { stt: SttResult; seconds: UtteranceTimes }[] = [];
  const leadIn = options.leadInMs / 1000;
  const runner = {
    run: async (text: string, opts: { context?: RequestContext; signal?: AbortSignal; runId?: string }) => {
      // Heard before it is understood: understanding that misses its deadline still leaves the transcript.
      const { stt, seconds } = results.at(-1) as { stt: SttResult; seconds: UtteranceTimes };
      const utterance: HeardUtterance = { stt, seconds, reply: "" };
      heard.push(utterance);
      const understood = await deps.understand(text, opts.context ?? {}, opts.signal);
      // Past its deadline the run has ended: an understanding that comes later is not the answer.
      opts.signal?.throwIfAborted();
      utterance.understanding = understood.understanding;
      utterance.reply = understood.reply;
      utterance.intentMs = understood.ms;
      return {
        runId: opts.runId ?? "",
        siteId: deps.siteId,
        text,
        understanding: understood.understanding,
        actions: [],
        reply: understood.reply,
        reason: understood.understanding.kind === "not-recognized" ? "not-recognized" : "done",
        timings: { intent: understood.ms },
      } satisfies RunResult;
    },
  };
  const loop = new ListeningLoop(
    {
      source: new LeadInSource(new ArraySource(audio, options.chunkMs), {
        leadInMs: options.leadInMs,
        tailMs: options.tailMs,
        chunkMs: options.chunkMs,
      }),
      wake: new NoWakeWord(),
      vad: deps.vad,
      stt: deps.stt,
      tts: SILENT_TTS,
      sink: new NullSink(),
      pipeline: runner,
      bus: new EventBus<HearthEvents>(),
      clock: deps.clock,
      log: deps.log,
      siteId: deps.siteId,
      progress: deps.progress,
      denoiser: deps.denoiser,
      heard: (result, times) => {
        const seconds = { start: times.start - leadIn, end: times.end - leadIn, ended: times.ended - leadIn };
        results.push({ stt: result, seconds });
        // A rejected utterance never reaches the text path: it is complete here.
        if (result.kind === "rejected") heard.push({ stt: result, seconds, reply: "" });
      },
      missed: deps.missed,
    },
    { ...options.loop, recording: true },
  );
  await loop.start();
  const end = await loop.finished;
  await loop.stop();
  if (end.reason === "failed") throw end.error;
  return heard;
}

/** The recording as a source of `chunkMs` pieces. */
class ArraySource implements AudioSource {
  readonly name = "recording";
  readonly #audio: Int16Array;
  readonly #chunk: number;

  constructor(audio: Int16Array, chunkMs: number) {
    this.#audio = audio;
    this.#chunk = Math.max(1, Math.round((chunkMs * SAMPLE_RATE) / 1000));
  }

  async *stream(signal?: AbortSignal): AudioStream {
    for (let offset = 0; offset < this.#audio.length; offset += this.#chunk) {
      if (signal?.aborted) return;
      yield this.#audio.slice(offset, offset + this.#chunk);
    }
  }
}

/** Nothing is spoken: the reply is reported, not played. */
const SILENT_TTS: TextToSpeech = {
  name: "silent",
  synthesize: async () => ({ sampleRate: SAMPLE_RATE, samples: new Int16Array(0) }),
};
