import { randomUUID } from "node:crypto";
import { type Denoiser, lowestDenoisedDbfs } from "../audio/denoise/denoiser.js";
import { speechLevelDbfs } from "../audio/denoise/noise-level.js";
import { RoomDenoising } from "../audio/denoise/room-denoising.js";
import {
  type HandOver,
  type SegmenterEvent,
  type SegmenterOptions,
  type Utterance,
  UtteranceSegmenter,
} from "../audio/segmenter.js";
import {
  beginTranscription,
  type SpeechToText,
  type SttResult,
  type SttStream,
} from "../audio/stt/speech-to-text.js";
import type { TextToSpeech } from "../audio/tts/text-to-speech.js";
import type { AudioSink, AudioSource, PcmAudio } from "../audio/types.js";
import type { VoiceActivityDetector } from "../audio/vad/voice-activity-detector.js";
import type { WakeDetection, WakeWordDetector } from "../audio/wake/wake-word-detector.js";
import type { Clock } from "../core/clock.js";
import { HearthError } from "../core/errors.js";
import type { EventBus } from "../core/event-bus.js";
import type { AssistantState, HearthEvents, RunEndReason } from "../core/events.js";
import type { Logger } from "../core/logger.js";
import type { SentenceProgress } from "../intents/template-recognizer.js";
import type { RequestContext } from "../intents/text-understanding.js";
import type { Understanding } from "../intents/types.js";
import type { TextPipeline } from "./text-pipeline.js";

/** What the loop needs of the text pipeline (TextPipeline fits). */
export type TextRunner = Pick<TextPipeline, "run">;

/** The stages and services the loop is built from; `speech-path.ts` builds them from the config, app.ts the loop. */
export interface ListeningLoopDeps {
  source: AudioSource;
  wake: WakeWordDetector;
  vad: VoiceActivityDetector;
  stt: SpeechToText;
  tts: TextToSpeech;
  sink: AudioSink;
  pipeline: TextRunner;
  bus: EventBus<HearthEvents>;
  clock: Clock;
  log: Logger;
  siteId: string;
  /**
   * How far what the speech-to-text engine has heard so far has come: a whole command ends the
   * utterance after a shorter silence (`vad.command_silence_ms`), the start of a longer one after a
   * longer silence (`vad.unfinished_silence_ms`). Without it, only `vad.silence_ms`.
   */
  progress?: ((text: string, context: RequestContext) => SentenceProgress) | undefined;
  /**
   * Speech enhancement (`audio.denoise`) of what the VAD and speech-to-text hear; the wake word
   * hears the microphone as it is. It runs on every chunk, so its estimate of the room's noise is
   * current when an utterance starts; with `auto` only once the room has become loud, the model
   * loaded then ({@link RoomDenoising}).
   */
  denoiser?: Denoiser | undefined;
  /**
   * Called with what speech-to-text made of each utterance, before it is understood (`hearth
   * understand`'s report), and where the utterance lay in the audio the loop judged.
   */
  heard?: ((result: SttResult, times: UtteranceTimes) => void) | undefined;
  /**
   * Called when a run ends because one of its stages missed its deadline (speech-to-text, or
   * understanding and acting, or the reply), with the DEADLINE_EXCEEDED that names it: a run that ran
   * out of time heard no silence, and `hearth transcribe` / `understand` say so.
   */
  missed?: ((err: DeadlineError) => void) | undefined;
}

/** How the loop behaves; all durations in milliseconds. */
export interface ListeningLoopOptions {
  /**
   * How utterances are cut (the `vad` section). `startTimeoutMs` is the listen timeout after the
   * wake word, and the window within which the command may still start after an utterance that
   * speech-to-text rejected; `maxSpeechMs` the longest utterance.
   */
  segmenter: SegmenterOptions;
  /** Deadline of speech-to-text for one utterance. */
  sttTimeoutMs: number;
  /** Deadline of understanding and acting together. */
  intentTimeoutMs: number;
  /** Deadline of a spoken reply, synthesis and playback together. */
  speakTimeoutMs: number;
  /** Listen for the wake word while thinking or speaking, so a new one interrupts the reply. */
  bargeIn: boolean;
  /**
   * The source is a recording read faster than real time: the loop reads on only once each run has
   * finished, so every command in the file is heard in turn instead of being skipped while the one
   * before it is answered. Live sources keep flowing (that is what lets a wake word barge in).
   */
  recording: boolean;
  /** Log transcripts (at debug level only): `logging.transcripts`. */
  transcripts: boolean;
  /** Where requests come from (the area), when not the site's own. */
  context?: RequestContext | undefined;
}

/** How the loop's audio stream ended. */
export type LoopEnd =
  /** The source ran out (a recording) and every run finished. */
  | { reason: "ended" }
  /** stop() was called. */
  | { reason: "stopped" }
  /** The source failed with an error it does not retry (an unreadable file). */
  | { reason: "failed"; error: unknown };

/**
 * Spoken when a run that was addressed to Hearth (wake word, push-to-talk) ends without a command:
 * its listening window closed after speech-to-text had rejected what it heard, or what it accepted
 * is no command.
 */
export const NOT_UNDERSTOOD_REPLY = "Sorry, I didn't catch that.";

type Phase = "listening" | "thinking" | "speaking";

/**
 * Where an utterance lay, in seconds of the audio the VAD judged since the loop began listening (a
 * recording's lead-in included; with the denoiser, its output's moment, 26 ms behind the microphone).
 */
export interface UtteranceTimes {
  /** The first speech frame. */
  start: number;
  /** The end of the last speech frame. */
  end: number;
  /** When the VAD ended it: the end of its silence tail (or the cut, or the end of the stream). */
  ended: number;
}

/** One chunk of the microphone: as heard (the wake word's) and as the VAD and speech-to-text hear it (denoised, or the same). */
interface Heard {
  raw: Int16Array;
  speech: Int16Array;
  /** audio.denoise auto: the raw audio of the moment `speech` holds (delayed by the denoiser's latency). */
  alignedRaw?: Int16Array | undefined;
  /** Whether `speech` is the denoiser's output (not, in a quiet room or while RNNoise loads and warms up). */
  denoised: boolean;
}

/** One spoken command, from the wake word (or the start of speech) to the end of the reply. */
interface Run {
  id: string;
  controller: AbortController;
  startedAt: number;
  /** The wake word (or "push-to-talk") that began it; undefined when speech alone did (wake "none"). */
  word: string | undefined;
  phase: Phase;
  timings: Record<string, number>;
  intents: string[];
  ended: boolean;
  /** The utterance being transcribed while it is spoken (from speech-start to the utterance's end). */
  stream?: SttStream | undefined;
  /** The stream's last partial transcript that was judged. */
  partial?: string | undefined;
  /**
   * Speech-to-text rejected an utterance of this run as fitting no sentence (no-match,
   * low-confidence), as against hearing no speech at all: the run ends with a "sorry" if no command follows.
   */
  rejected: boolean;
}

/**
 * Milliseconds of acting after which the reply's synthesis starts anyway; acting that ends sooner
 * (commands acknowledged by the broker) starts it then. Spawning the synthesiser holds the event loop
 * until the child has started (Node's spawn waits for its exec): 74–196 ms measured on a loaded
 * two-core machine. Spawned beside the command, as it was, it held the command's way to the broker
 * (an embedded broker runs on the same event loop; an external one waits for the MQTT client's
 * write and its acknowledgement): end of speech → publish took 137 ms at p50 at 100 devices, of
 * which 92 ms from the intent to the publish, against 2 ms without a reply to synthesise. A reply
 * to a command that takes longer (a slow Home Assistant service) is still synthesised while it runs.
 */
export const REPLY_WAITS_FOR_ACTING_MS = 150;

/**
 * Whether the loop decodes an utterance whole again after its streamed decode gave `result`: when
 * the words fit no sentence (`no-match`, `low-confidence`), not when there were none.
 */
export function redecoded(result: SttResult): boolean {
  return result.kind === "rejected" && result.reason !== "no-speech";
}

/**
 * Of one utterance decoded two ways, the way `audio.denoise` chose (`first`) and the other (denoised
 * and as the microphone gave it), the result kept: when both were accepted, the transcript whose
 * words fit better against the phone loop; otherwise the chosen way's result, so a rejection
 * stands. Taking whatever either way accepted gave other speech two chances to pass for a command
 * (in kitchen noise at 6 dB 5 of 20 real utterances taken instead of 1), and so did taking the
 * other way's acceptance of the very words the chosen way rejected ("wine glass" heard as "white
 * lights" both ways; docs/benchmarks.md).
 */
export function betterFit(first: SttResult, second: SttResult): SttResult {
  if (first.kind !== "transcript" || second.kind !== "transcript") return first;
  return (second.confidence ?? Number.NEGATIVE_INFINITY) > (first.confidence ?? Number.NEGATIVE_INFINITY)
    ? second
    : first;
}

/** A run's stages with a deadline: what each is called in a message, and the key that sets it. */
const STAGES = {
  stt: { what: "speech-to-text", key: "pipeline.stt_timeout_ms" },
  intent: { what: "understanding and acting", key: "pipeline.intent_timeout_ms" },
  speak: { what: "the spoken reply", key: "pipeline.speak_timeout_ms" },
} as const;

/** A stage of a run with a deadline of its own. */
export type RunStage = keyof typeof STAGES;

/**
 * A missed deadline (code DEADLINE_EXCEEDED), told apart from an abort (barge-in, shutdown). Its
 * message names the stage, its deadline and the setting: "speech-to-text did not finish within
 * 10000 ms (pipeline.stt_timeout_ms)".
 */
export class DeadlineError extends HearthError {
  constructor(
    readonly stage: RunStage,
    readonly ms: number,
  ) {
    const { what, key } = STAGES[stage];
    super("DEADLINE_EXCEEDED", `${what} did not finish within ${ms} ms (${key})`);
  }
}

/**
 * The listening loop: audio source → wake word (or none, or push-to-talk) → VAD segmenter →
 * speech-to-text → the text pipeline (understand → act) → the reply through text-to-speech to the
 * sink. One run at a time; every stage gets the run's AbortSignal and a deadline.
 *
 * - The microphone is ignored while Hearth speaks, so its own voice never becomes a command; with
 *   `bargeIn` the wake word is still listened for, and a new one aborts the run (killing the TTS
 *   and aplay children) and starts listening again.
 * - The reply is synthesised as soon as the understanding gives it, while the commands are being
 *   published; when a command fails, the failure reply is synthesised instead.
 * - Every stage emits its event with the run's id; `assistant.state` follows idle → listening →
 *   thinking → speaking (or muted). One info log line per run carries the per-stage timings; what
 *   was heard is logged only at debug and only when `transcripts` is on.
 */
export class ListeningLoop {
  readonly #d: ListeningLoopDeps;
  readonly #o: ListeningLoopOptions;
  #segmenter: UtteranceSegmenter | undefined;
  /** Milliseconds of stream time after the wake word within which a run's command may start. */
  #window: number | undefined;
  #controller: AbortController | undefined;
  #task: Promise<LoopEnd> | undefined;
  #lastEnd: LoopEnd | undefined;
  /** The run listening or being answered, if any. */
  #run: Run | undefined;
  /** Runs being answered in the background (live sources). */
  readonly #pending = new Set<Promise<void>>();
  /** Announcements (`say`) in progress, so barge-in and stop() can cut them off. */
  readonly #announcements = new Set<AbortController>();
  /** Playbacks in progress: while any plays, the microphone is not listened to for commands. */
  #speaking = 0;
  #muted = false;
  #pushed = false;
  #state: AssistantState | undefined;
  /** Replies play one after another, never over each other. */
  #sinkQueue: Promise<void> = Promise.resolve();
  /**
   * Microphone audio heard while the run thinks (its last words decoded, understood, acted on, the
   * reply synthesised), in order, with whether the wake word detector has already heard it (it
   * listens then only for barge-in). It is heard as soon as the run stops thinking, so a command
   * spoken right after another, or the command after a sound that speech-to-text rejected, keeps
   * its start. The run's deadlines bound how much is held.
   */
  readonly #held: Array<{ chunk: Heard; wakeHeard: boolean }> = [];
  /**
   * This listening session's audio through the denoiser, if there is one; with `audio.denoise:
   * auto` also the background's level on the raw audio.
   */
  #room: RoomDenoising | undefined;
  /**
   * Whether the utterance being cut (or the next) is heard in the denoised audio (or, with
   * audio.denoise_below_snr_db, may be): always with `on`; with `auto` when the room is loud.
   */
  #denoised = true;
  /** The background's level when the utterance being cut began (dBFS). */
  #background = -100;

  constructor(deps: ListeningLoopDeps, options: ListeningLoopOptions) {
    this.#d = deps;
    this.#o = options;
  }

  /** What Hearth is doing now. */
  get state(): AssistantState {
    return this.#computeState();
  }

  /** Resolves when the audio stream has ended (or failed, or stop() was called) and every run finished. */
  get finished(): Promise<LoopEnd> {
    return this.#task ?? Promise.resolve(this.#lastEnd ?? { reason: "stopped" });
  }

  /**
   * Starts reading the source. The engines must already be started (app.ts does that, through speech-path); this
   * only opens the audio stream. A source that fails is logged and ends the loop; nothing throws
   * out of it, so the rest of Hearth keeps working.
   */
  async start(): Promise<void> {
    if (this.#task) return;
    const { wake, log, source } = this.#d;
    // Without a wake word every utterance is a command, so there is nothing to time out after.
    const segmenterOptions =
      wake.kind === "none" ? { ...this.#o.segmenter, startTimeoutMs: undefined } : this.#o.segmenter;
    // The utterance goes to speech-to-text as it is spoken, so that little is left when it ends.
    this.#segmenter = new UtteranceSegmenter(this.#d.vad, {
      ...segmenterOptions,
      streamAudio: true,
      handOverOther: (onset) => this.#handOverOther(onset),
    });
    this.#window = segmenterOptions.startTimeoutMs;
    const controller = new AbortController();
    this.#controller = controller;
    this.#publishState();
    log.info({ source: source.name, wake: wake.kind, words: wake.words }, "listening");
    this.#task = this.#listen(controller.signal);
  }

  /** Stops listening: aborts the run and any announcement, closes the source, waits for all of it. */
  async stop(): Promise<void> {
    const controller = this.#controller;
    if (!controller) return;
    controller.abort();
    if (this.#run) this.#abortRun(this.#run);
    for (const announcement of this.#announcements) announcement.abort();
    this.#lastEnd = await this.#task;
    await Promise.allSettled([...this.#pending]);
    this.#controller = undefined;
    this.#task = undefined;
  }

  /** Mutes or unmutes the microphone (the mute switch). Muting ends a run that is still listening. */
  setMuted(muted: boolean): void {
    if (this.#muted === muted) return;
    this.#muted = muted;
    const run = this.#run;
    if (muted) this.#held.length = 0;
    if (muted && run?.phase === "listening") this.#endRun(run, "aborted");
    if (!muted) this.#segmenter?.reset();
    this.#d.log.info({ muted }, muted ? "microphone muted" : "microphone unmuted");
    this.#publishState();
  }

  isMuted(): boolean {
    return this.#muted;
  }

  /** Push-to-talk: listens for a command from the next audio chunk on, as if the wake word was heard. */
  startListening(): void {
    if (this.#muted) {
      this.#d.log.debug("push-to-talk ignored: the microphone is muted");
      return;
    }
    this.#pushed = true;
  }

  /**
   * Speaks a text outside any command (the `say` topic, notifications, replies to typed commands).
   * Waits for a reply already playing. A wake word (or stop()) cuts it off like a reply, and it then
   * resolves: being interrupted is no failure. Rejects when the engine or the sink fails, or it
   * overruns the speaking deadline.
   */
  async say(text: string, options: { signal?: AbortSignal | undefined } = {}): Promise<void> {
    const controller = new AbortController();
    const signal = AbortSignal.any([
      controller.signal,
      this.#d.clock.timeout(this.#o.speakTimeoutMs, "speaking"),
      ...(options.signal ? [options.signal] : []),
    ]);
    this.#announcements.add(controller);
    try {
      const started = this.#d.clock.monotonic();
      const audio = await this.#d.tts.synthesize(text, { signal });
      await this.#play(audio, signal);
      this.#d.bus.emit("tts.played", {
        runId: randomUUID(),
        siteId: this.#d.siteId,
        text,
        ms: this.#ms(started),
      });
    } catch (err) {
      if (!controller.signal.aborted) throw err;
      this.#d.log.debug("announcement interrupted");
    } finally {
      this.#announcements.delete(controller);
    }
  }

  async #listen(signal: AbortSignal): Promise<LoopEnd> {
    const { source, wake, log } = this.#d;
    try {
      wake.reset();
      this.#segmenter?.reset();
      const denoiser = this.#d.denoiser;
      this.#room = denoiser && new RoomDenoising(denoiser, { log });
      this.#room?.open();
      this.#denoised = denoiser?.aboveDbfs === undefined;
      for await (const chunk of source.stream(signal)) {
        if (signal.aborted) break;
        await this.#onChunk(chunk);
      }
      if (!signal.aborted) {
        await this.#hearHeld();
        await this.#flush();
        // A recording that ends while a run still waits for its command after a rejected utterance.
        const run = this.#run;
        if (run?.phase === "listening" && run.rejected) await this.#track(this.#giveUp(run));
      }
      await Promise.allSettled([...this.#pending]);
      if (signal.aborted) return { reason: "stopped" };
      // A recording has been heard to its end; the rest of Hearth goes on.
      log.info({ source: source.name }, "audio source ended");
      return { reason: "ended" };
    } catch (err) {
      if (signal.aborted) return { reason: "stopped" };
      log.error({ err, source: source.name }, "listening stopped: the audio source failed");
      return { reason: "failed", error: err };
    } finally {
      if (this.#run?.phase === "listening") {
        this.#endRun(this.#run, signal.aborted ? "aborted" : "nothing-heard");
      }
      await Promise.allSettled([...this.#pending]);
      this.#room?.close();
      this.#room = undefined;
      this.#publishState();
    }
  }

  async #onChunk(chunk: Int16Array): Promise<void> {
    if (this.#muted) return;
    // What was held while the run thought comes first, in order, once it no longer thinks.
    if (this.#held.length > 0 && this.#run?.phase !== "thinking") {
      for (const { chunk: held, wakeHeard } of this.#held.splice(0)) await this.#hear(held, wakeHeard);
    }
    // RNNoise hears every chunk (with auto, every chunk once the room is loud), so its state
    // follows the room whichever audio an utterance gets.
    const denoised = await this.#room?.push(chunk, {
      wait: this.#o.recording,
      idle: !this.#segmenter?.inUtterance,
    });
    await this.#hear(
      {
        raw: chunk,
        speech: denoised?.speech ?? chunk,
        alignedRaw: denoised?.alignedRaw,
        denoised: denoised !== undefined,
      },
      false,
    );
  }

  /** Hears what is still held once the source has ended: after the run that thinks, if any. */
  async #hearHeld(): Promise<void> {
    while (this.#held.length > 0 && !this.#muted) {
      await Promise.allSettled([...this.#pending]);
      const held = this.#held.splice(0);
      for (const { chunk, wakeHeard } of held) await this.#hear(chunk, wakeHeard);
      // Held again only behind a run that thinks, which is pending: the wait above ends it.
      if (this.#held.length > 0 && this.#pending.size === 0) break;
    }
  }

  /** One chunk of the microphone; `wakeHeard`: the wake word detector has heard it already. */
  async #hear(chunk: Heard, wakeHeard: boolean): Promise<void> {
    const { wake } = this.#d;
    const run = this.#run;
    const busy = run !== undefined && run.phase !== "listening";
    const speaking = this.#speaking > 0;
    let detection: WakeDetection | undefined;
    if (this.#pushed) {
      this.#pushed = false;
      detection = { word: "push-to-talk", seconds: 0, score: 1 };
    }
    // The wake word is listened for while waiting and listening, and during a reply only for barge-in.
    const listensForWake = wake.kind === "keyword" && (this.#o.bargeIn || (!busy && !speaking));
    if (listensForWake && !wakeHeard) {
      const found = await wake.process(chunk.raw);
      for (const d of found) if (!detection || d.score > detection.score) detection = d;
    }
    if (detection && run?.phase !== "listening") {
      // The new run starts at its wake word: nothing held from before it belongs to it.
      this.#held.length = 0;
      if (run) this.#abortRun(run);
      for (const announcement of this.#announcements) announcement.abort();
      this.#beginRun(detection);
      return;
    }
    // Hearth's own voice is never a command.
    if (speaking) return;
    // One command is answered at a time: what is said meanwhile waits its turn, never dropped.
    if (busy) {
      if (run.phase === "thinking") this.#held.push({ chunk, wakeHeard: wakeHeard || listensForWake });
      return;
    }
    if (wake.kind !== "none" && !run) return;
    const segmenter = this.#segmenter as UtteranceSegmenter;
    // audio.denoise auto: which audio an utterance is heard in is chosen on the background heard
    // before it, kept until it ends. In a quiet room the VAD and speech-to-text hear the
    // microphone as it is. In a loud one, with audio.denoise_below_snr_db, the VAD judges the raw
    // audio (delayed to the denoised audio's moment) with the denoised beside it, and
    // #handOverOther decides at the utterance's start which of the two speech-to-text hears (the
    // VAD then follows that one to the utterance's end); without it, both hear the denoised.
    // While RNNoise loads and warms up in a room that has just become loud, there is no denoised
    // audio yet: the utterance is heard as the microphone gave it, as with audio.denoise off. With
    // audio.denoise_long_above_dbfs a room counts as loud from that lower level on (#handOverOther).
    const above = lowestDenoisedDbfs(this.#d.denoiser);
    const background = this.#room?.backgroundDbfs;
    if (background !== undefined && above !== undefined && !segmenter.inUtterance) {
      this.#background = background;
      this.#denoised = background > above && chunk.denoised;
    }
    // The denoised stream goes beside the raw one whenever there is one, in a quiet room too (the
    // segmenter wants a second stream with every chunk or with none): it hands an utterance over in
    // that stream only when it holds its whole pre-roll, and with the second stream pushed only
    // while the room was loud, an utterance that began within a pre-roll of the background rising
    // over the threshold was heard raw with no decision taken (4 of 41 utterances of the
    // development orders at 18 dB, whose kitchen lies around -47 dBFS).
    const twoStreams =
      chunk.denoised && this.#d.denoiser?.belowSnrDb !== undefined && chunk.alignedRaw !== undefined;
    const events =
      !this.#denoised || !chunk.denoised
        ? await segmenter.push(chunk.raw, twoStreams ? chunk.speech : undefined)
        : twoStreams
          ? await segmenter.push(chunk.alignedRaw as Int16Array, chunk.speech)
          : await segmenter.push(chunk.speech);
    // Taken now: a run that ends while these events are handled may reset the segmenter's clock.
    const offset = segmenter.judgedSeconds - segmenter.seconds;
    for (const event of events) await this.#onSegment(event, offset, twoStreams);
  }

  /**
   * audio.denoise auto with `audio.denoise_both_ways`: an utterance cut with the denoised stream
   * beside the raw one (RNNoise runs) is decoded both ways. Configuration alone decides it.
   */
  #decodesBothWays(): boolean {
    const denoiser = this.#d.denoiser;
    return denoiser?.belowSnrDb !== undefined && denoiser.bothWays === true;
  }

  /**
   * audio.denoise auto, in a loud room: whether the utterance just announced is handed over to
   * speech-to-text denoised, because its first words stand out of the background by less than
   * `audio.denoise_below_snr_db` (their raw level, {@link speechLevelDbfs}, over the background
   * before them). Louder speech is heard as the microphone gave it: RNNoise cost real one-word
   * commands said near the microphone more than it gave them (docs/benchmarks.md). With
   * `audio.denoise_both_ways`, whichever way it is handed over, the other way is decoded too once it
   * ends (#answer), in a quiet room as in a loud one wherever RNNoise runs. With
   * `audio.denoise_long_above_dbfs`, an utterance the levels leave raw in a room above that level is
   * handed over raw and switched to the denoised audio, decoded afresh from its start, once its
   * speech lasts longer than `audio.denoise_short_ms` (#onSegment's `speech-switch`).
   */
  #handOverOther(onset: { judged: Int16Array; preRollSamples: number }): HandOver {
    const denoiser = this.#d.denoiser;
    const below = denoiser?.belowSnrDb;
    if (below === undefined) return false;
    const aboveDb = speechLevelDbfs(onset.judged.subarray(onset.preRollSamples)) - this.#background;
    // A quiet room's utterance is heard raw; #onSegment logs it.
    if (!this.#denoised) return false;
    const backgroundDbfs = Math.round(this.#background);
    const byLevels = this.#background > (denoiser?.aboveDbfs ?? 0) && aboveDb < below;
    // audio.denoise_long_above_dbfs: what the levels would leave raw is heard raw while it is short
    // (a one-word command keeps the streamed decode's quick answer), denoised once it is long.
    const longAbove = denoiser?.longAboveDbfs;
    const shortMs = denoiser?.shortMs;
    const ifLong =
      !byLevels && longAbove !== undefined && shortMs !== undefined && this.#background > longAbove;
    this.#d.log.debug(
      {
        backgroundDbfs,
        aboveDb: Math.round(aboveDb),
        ...(this.#decodesBothWays() ? { bothWays: true } : {}),
      },
      byLevels
        ? "utterance heard denoised"
        : ifLong
          ? "utterance heard as the microphone gave it until it is long"
          : "utterance heard as the microphone gave it: its words stand out",
    );
    return byLevels || (ifLong ? { otherAfterMs: shortMs } : false);
  }

  /** End of the stream: an utterance in progress still counts. */
  async #flush(): Promise<void> {
    const feeding = this.#run?.phase === "listening" || (this.#d.wake.kind === "none" && !this.#run);
    if (!feeding || this.#speaking > 0) return;
    const segmenter = this.#segmenter as UtteranceSegmenter;
    const offset = segmenter.judgedSeconds - segmenter.seconds;
    for (const event of segmenter.finish()) await this.#onSegment(event, offset);
  }

  /**
   * `offset`: the segmenter's judged seconds before its stream clock began (its times to the loop's).
   * `twoStreams`: the chunk that brought the event had the denoised stream beside the raw one.
   */
  async #onSegment(event: SegmenterEvent, offset: number, twoStreams = false): Promise<void> {
    const { bus, siteId } = this.#d;
    switch (event.type) {
      case "speech-start": {
        if (this.#room?.backgroundDbfs !== undefined && !this.#denoised)
          this.#d.log.debug(
            {
              backgroundDbfs: Math.round(this.#background),
              ...(twoStreams && this.#decodesBothWays() ? { bothWays: true } : {}),
            },
            this.#background > (lowestDenoisedDbfs(this.#d.denoiser) ?? 0)
              ? "utterance heard as the microphone gave it: the denoiser is not ready yet"
              : "utterance heard as the microphone gave it: a quiet room",
          );
        const run = this.#run ?? this.#beginRun(undefined);
        run.stream?.cancel();
        run.stream = beginTranscription(this.#d.stt);
        run.partial = undefined;
        if (event.audio) run.stream.write(event.audio);
        bus.emit("speech.started", { runId: run.id, siteId });
        return;
      }
      case "speech-audio": {
        const run = this.#run;
        const stream = run?.stream;
        if (!run || !stream) return;
        // A recording is read faster than real time: what was written before is decoded before
        // this piece is handed over, so the partial transcript (and with it where the utterance
        // ends) is the one a microphone gets from a decoder that keeps up, on any machine.
        if (this.#o.recording) await stream.drained?.();
        stream.write(event.audio);
        // Once what has been heard is a whole command, a shorter pause ends it; while it is the
        // start of a longer one, a longer pause.
        const partial = stream.partial?.();
        const progress = this.#d.progress;
        if (progress && partial !== undefined && partial !== run.partial) {
          run.partial = partial;
          this.#segmenter?.markProgress(progress(partial, this.#o.context ?? {}));
        }
        return;
      }
      case "speech-switch": {
        // audio.denoise_long_above_dbfs: the utterance has outlasted audio.denoise_short_ms. Its
        // raw decode is dropped and the denoised audio decoded from its pre-roll on: what has been
        // said at once, the rest as it comes (a recording waits for that catch-up at the next piece).
        const run = this.#run;
        if (!run?.stream) return;
        run.stream.cancel();
        run.stream = beginTranscription(this.#d.stt);
        run.partial = undefined;
        if (event.audio) run.stream.write(event.audio);
        this.#d.log.debug(
          { ms: Math.round(((event.audio?.length ?? 0) / 16_000) * 1000) },
          "long utterance switched to the denoised audio",
        );
        return;
      }
      case "timeout": {
        const run = this.#run;
        if (run?.phase !== "listening") return;
        if (!run.rejected) {
          this.#endRun(run, "nothing-heard");
          return;
        }
        // The window closed with no command after something speech-to-text rejected: one "sorry" now.
        const task = this.#track(this.#giveUp(run));
        if (this.#o.recording) await task;
        return;
      }
      case "utterance": {
        const run = this.#run ?? this.#beginRun(undefined);
        run.phase = "thinking";
        const ms = Math.round((event.utterance.audio.length / 16_000) * 1000);
        run.timings.listen = this.#ms(run.startedAt);
        run.timings.utterance = ms;
        bus.emit("speech.stopped", { runId: run.id, siteId, ms });
        this.#publishState();
        const stream = run.stream;
        run.stream = undefined;
        // Only an utterance cut with both streams all along has the other one.
        const other = this.#decodesBothWays() ? event.utterance.otherAudio : undefined;
        const { startSeconds, endSeconds, closedSeconds } = event.utterance;
        const times = {
          start: offset + startSeconds,
          end: offset + endSeconds,
          ended: offset + closedSeconds,
        };
        const task = this.#track(this.#answer(run, event.utterance, times, stream, other));
        if (this.#o.recording) await task;
        return;
      }
    }
  }

  #beginRun(detection: WakeDetection | undefined): Run {
    const run: Run = {
      id: randomUUID(),
      controller: new AbortController(),
      startedAt: this.#d.clock.monotonic(),
      word: detection?.word,
      phase: "listening",
      timings: {},
      intents: [],
      ended: false,
      rejected: false,
    };
    this.#run = run;
    if (detection) {
      this.#d.bus.emit("wake.detected", {
        runId: run.id,
        siteId: this.#d.siteId,
        word: detection.word,
        score: detection.score,
      });
      // The command starts now: nothing heard before the wake word belongs to it.
      this.#segmenter?.reset();
    }
    this.#publishState();
    return run;
  }

  /**
   * Transcribes, understands, acts and speaks the reply. Never throws: every outcome ends the run.
   * `other`: the same utterance in the other stream (raw beside denoised), decoded too and the
   * better fit kept (`audio.denoise_both_ways`).
   */
  async #answer(
    run: Run,
    utterance: Utterance,
    times: UtteranceTimes,
    stream: SttStream | undefined,
    other?: Int16Array,
  ): Promise<void> {
    const { stt, pipeline, bus, siteId, clock, log } = this.#d;
    const signal = run.controller.signal;
    try {
      const sttStarted = clock.monotonic();
      const preRollMs = this.#o.segmenter.preRollMs;
      const heard = await withDeadline(clock, signal, this.#o.sttTimeoutMs, "stt", async (s) => {
        const first = await (async () => {
          if (!stream) return stt.transcribe(utterance.audio, { signal: s });
          const streamed = await stream.end({ signal: s });
          // Decoded while spoken, the utterance's cepstral mean comes from its first 800 ms
          // alone; decoded whole, from all of it. Words that fit no sentence the first way are heard
          // the second way before they count as rejected: real coffee orders that the streamed
          // decode rejected, clean or in kitchen noise, were often heard right whole (docs/benchmarks.md).
          // Whole, its noise is measured on the pre-roll: a one-word cut has no other audio surely
          // free of the word.
          if (!redecoded(streamed)) return streamed;
          s.throwIfAborted();
          return stt.transcribe(utterance.audio, { signal: s, preRollMs });
        })();
        // A rejection of the chosen way stands (betterFit): only an accepted one is decoded again.
        if (!other || first.kind !== "transcript") return first;
        s.throwIfAborted();
        const second = await stt.transcribe(other, { signal: s, preRollMs });
        const kept = betterFit(first, second);
        log.debug(
          {
            runId: run.id,
            first: first.confidence === undefined ? first.kind : Math.round(first.confidence * 10) / 10,
            second: second.confidence === undefined ? second.kind : Math.round(second.confidence * 10) / 10,
            kept: kept === first ? "first" : "second",
            // What the second decode added to the time from the end of speech to the result.
            secondMs: second.ms,
            // The words of both ways, as the "transcript" line logs them: only when asked for.
            ...(this.#o.transcripts
              ? { firstText: first.text, secondText: second.kind === "transcript" ? second.text : undefined }
              : {}),
          },
          "utterance decoded both ways",
        );
        return kept;
      });
      run.timings.stt = this.#ms(sttStarted);
      signal.throwIfAborted();
      this.#d.heard?.(heard, times);
      // What speech-to-text returns decides what an utterance was. Words it accepted (a transcript)
      // are the run's answer, even when they are no command: the user clearly said something to
      // Hearth, and is told at once that it was not understood. An utterance without accepted
      // words (rejected as no-speech, no-match or low-confidence, or an empty transcript) may be
      // the kitchen's clatter that the VAD took for speech before the person began: a run the wake
      // word (or the button) started keeps listening for the command within its window instead
      // of answering, as the microphone is ignored while Hearth speaks and the command would be
      // lost. Only when the window closes without a command is "sorry" said, once, and only if
      // something was rejected as fitting no sentence (hearing no speech at all stays quiet, as a
      // window that times out does). A run without a wake word drops the utterance quietly.
      if (heard.kind === "rejected" || heard.text.trim() === "") {
        const reason = heard.kind === "rejected" ? heard.reason : "no-speech";
        log.debug({ runId: run.id, reason, confidence: heard.confidence }, "speech rejected");
        if (reason !== "no-speech") run.rejected = true;
        if (run.word !== undefined && this.#listenOn(run)) return;
        if (run.word !== undefined && run.rejected) await this.#reply(run, NOT_UNDERSTOOD_REPLY);
        this.#endRun(run, run.rejected ? "not-recognized" : "nothing-heard");
        return;
      }
      bus.emit("stt.transcript", { runId: run.id, siteId, text: heard.text, ms: run.timings.stt });
      if (this.#o.transcripts) log.debug({ runId: run.id, text: heard.text }, "transcript");

      // The reply is synthesised as soon as it is known, while the commands are published.
      let early: { text: string; audio: Promise<Synthesis> } | undefined;
      let speaking: SpeakSignals | undefined;
      // The speaking deadline counts from the first synthesis, not from the start of the run.
      const speakSignals = (): SpeakSignals => {
        speaking ??= this.#speakSignals(signal);
        return speaking;
      };
      // Resolves once acting is done, or has taken REPLY_WAITS_FOR_ACTING_MS: the synthesiser starts
      // then (see there).
      let acted = (): void => {};
      const actedOrSlow = new Promise<void>((resolve) => {
        acted = resolve;
        clock
          .timeout(REPLY_WAITS_FOR_ACTING_MS, "acting before the reply")
          .addEventListener("abort", () => resolve());
      });
      const result = await withDeadline(clock, signal, this.#o.intentTimeoutMs, "intent", (s) =>
        pipeline.run(heard.text, {
          runId: run.id,
          signal: s,
          context: this.#o.context ?? {},
          endsRun: false,
          onReply: (reply, understanding) => {
            if (!this.#shouldSpeak(run, understanding) || reply.trim() === "") return;
            const signals = speakSignals();
            const audio = actedOrSlow.then(() => this.#synthesize(reply, signals.signal));
            audio.catch(() => {});
            early = { text: reply, audio };
          },
        }),
      ).finally(acted);
      signal.throwIfAborted();
      if (result.timings.intent !== undefined) run.timings.intent = result.timings.intent;
      if (result.timings.act !== undefined) run.timings.act = result.timings.act;
      const u = result.understanding;
      if (u.kind === "recognized") run.intents = u.intents.map((i) => i.name);
      const speak = this.#shouldSpeak(run, u) && result.reply.trim() !== "";
      if (speak) {
        const waitStarted = clock.monotonic();
        const signals = speakSignals();
        const synthesis =
          early?.text === result.reply ? early.audio : this.#synthesize(result.reply, signals.signal);
        const { audio, ms } = await synthesis.catch((err: unknown) => {
          throw signals.deadline.aborted && !signal.aborted
            ? new DeadlineError("speak", this.#o.speakTimeoutMs)
            : err;
        });
        run.timings.tts = ms;
        // How long the reply kept the user waiting once acting was done (≈ 0 when synthesised in time).
        run.timings.reply = this.#ms(waitStarted);
        await this.#playReply(run, result.reply, audio, signals);
      }
      this.#endRun(run, result.reason);
    } catch (err) {
      this.#failRun(run, err);
    }
  }

  /**
   * After an utterance without accepted words, listens on for the command if the run's window
   * (`startTimeoutMs` of stream time since the wake word) is still open; false when it has closed
   * (or the run has no window: push-to-talk with wake `none`).
   */
  #listenOn(run: Run): boolean {
    const segmenter = this.#segmenter;
    if (this.#window === undefined || !segmenter || run.controller.signal.aborted) return false;
    if (segmenter.seconds * 1000 >= this.#window) return false;
    run.phase = "listening";
    segmenter.listenAgain();
    this.#publishState();
    return true;
  }

  /** Ends a run whose window closed after a rejected utterance: the one "sorry" it gets. Never throws. */
  async #giveUp(run: Run): Promise<void> {
    run.phase = "thinking";
    this.#publishState();
    try {
      await this.#reply(run, NOT_UNDERSTOOD_REPLY);
      this.#endRun(run, "not-recognized");
    } catch (err) {
      this.#failRun(run, err);
    }
  }

  #failRun(run: Run, err: unknown): void {
    const { log } = this.#d;
    if (run.controller.signal.aborted) this.#endRun(run, "aborted");
    else if (err instanceof DeadlineError) {
      log.warn(
        { runId: run.id, stage: err.stage, code: err.code, deadlineMs: err.ms },
        "a stage missed its deadline",
      );
      this.#d.missed?.(err);
      this.#endRun(run, "timeout");
    } else {
      log.error({ err, runId: run.id }, "the run failed");
      this.#endRun(run, "error");
    }
  }

  /** Keeps a run's task among the pending ones until it settles. */
  #track(task: Promise<void>): Promise<void> {
    this.#pending.add(task);
    void task.finally(() => this.#pending.delete(task));
    return task;
  }

  /** Whether a result is worth saying: speech nobody addressed to Hearth gets no "sorry". */
  #shouldSpeak(run: Run, understanding: Understanding): boolean {
    return run.word !== undefined || understanding.kind !== "not-recognized";
  }

  async #reply(run: Run, text: string): Promise<void> {
    const signals = this.#speakSignals(run.controller.signal);
    let synthesis: Synthesis;
    try {
      synthesis = await this.#synthesize(text, signals.signal);
    } catch (err) {
      if (signals.deadline.aborted && !run.controller.signal.aborted)
        throw new DeadlineError("speak", this.#o.speakTimeoutMs);
      throw err;
    }
    run.timings.tts = synthesis.ms;
    await this.#playReply(run, text, synthesis.audio, signals);
  }

  #speakSignals(runSignal: AbortSignal): SpeakSignals {
    const deadline = this.#d.clock.timeout(this.#o.speakTimeoutMs, "speaking");
    return { deadline, signal: AbortSignal.any([runSignal, deadline]) };
  }

  async #playReply(run: Run, text: string, audio: PcmAudio, signals: SpeakSignals): Promise<void> {
    run.phase = "speaking";
    const started = this.#d.clock.monotonic();
    try {
      await this.#play(audio, signals.signal);
    } catch (err) {
      if (signals.deadline.aborted && !run.controller.signal.aborted)
        throw new DeadlineError("speak", this.#o.speakTimeoutMs);
      throw err;
    }
    run.timings.speak = this.#ms(started);
    this.#d.bus.emit("tts.played", { runId: run.id, siteId: this.#d.siteId, text, ms: run.timings.speak });
  }

  async #synthesize(text: string, signal: AbortSignal): Promise<Synthesis> {
    const started = this.#d.clock.monotonic();
    const audio = await this.#d.tts.synthesize(text, { signal });
    return { audio, ms: this.#ms(started) };
  }

  /** Plays on the sink after whatever is playing; the microphone is ignored meanwhile. */
  async #play(audio: PcmAudio, signal: AbortSignal): Promise<void> {
    const previous = this.#sinkQueue;
    let release = (): void => {};
    this.#sinkQueue = new Promise<void>((resolve) => {
      release = resolve;
    });
    try {
      await previous;
      signal.throwIfAborted();
      this.#speaking++;
      this.#publishState();
      try {
        await this.#d.sink.play(audio, { signal });
      } finally {
        this.#speaking--;
        // What was heard while speaking is gone; nothing of it may start the next utterance.
        this.#segmenter?.reset();
        this.#publishState();
      }
    } finally {
      release();
    }
  }

  #abortRun(run: Run): void {
    run.controller.abort();
    this.#endRun(run, "aborted");
  }

  #endRun(run: Run, reason: RunEndReason): void {
    if (run.ended) return;
    run.ended = true;
    run.stream?.cancel();
    run.stream = undefined;
    run.timings.total = this.#ms(run.startedAt);
    const { bus, siteId, log } = this.#d;
    bus.emit("pipeline.ended", { runId: run.id, siteId, reason, timings: { ...run.timings } });
    log.info(
      { runId: run.id, word: run.word, reason, intents: run.intents, timings: run.timings },
      "run ended",
    );
    if (this.#run === run) {
      this.#run = undefined;
      // Without a wake word the segmenter is fed again from now on: start it afresh.
      if (this.#d.wake.kind === "none") this.#segmenter?.reset();
    }
    this.#publishState();
  }

  #computeState(): AssistantState {
    if (this.#muted) return "muted";
    if (this.#speaking > 0) return "speaking";
    const phase = this.#run?.phase;
    if (phase === "listening" || phase === "speaking") return phase;
    if (phase !== undefined) return "thinking";
    return "idle";
  }

  #publishState(): void {
    const state = this.#computeState();
    if (state === this.#state) return;
    this.#state = state;
    this.#d.bus.emit("assistant.state", { siteId: this.#d.siteId, state });
  }

  #ms(since: number): number {
    return Math.round((this.#d.clock.monotonic() - since) * 1000) / 1000;
  }
}

interface Synthesis {
  audio: PcmAudio;
  ms: number;
}

/** The signal a reply is spoken under (the run's, plus the speaking deadline) and that deadline. */
interface SpeakSignals {
  signal: AbortSignal;
  deadline: AbortSignal;
}

/**
 * Runs a stage with the run's signal and a deadline of its own; a missed deadline aborts the stage
 * and becomes a {@link DeadlineError}, an abort stays an abort.
 */
async function withDeadline<T>(
  clock: Clock,
  signal: AbortSignal,
  ms: number,
  stage: RunStage,
  task: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const deadline = clock.timeout(ms, stage);
  const combined = AbortSignal.any([signal, deadline]);
  let onMissed: (() => void) | undefined;
  // Stages that cannot be interrupted (a native decode) still must not hold the run past its deadline.
  const missed = new Promise<never>((_, reject) => {
    onMissed = () => reject(new DeadlineError(stage, ms));
    deadline.addEventListener("abort", onMissed, { once: true });
  });
  missed.catch(() => {});
  try {
    return await Promise.race([task(combined), missed]);
  } catch (err) {
    if (deadline.aborted && !signal.aborted) throw new DeadlineError(stage, ms);
    throw err;
  } finally {
    if (onMissed) deadline.removeEventListener("abort", onMissed);
  }
}
