import type { VadConfig } from "../config/schema.js";
import { concatInt16 } from "./pcm.js";
import type { VoiceActivityDetector } from "./vad/voice-activity-detector.js";

const SAMPLE_RATE = 16000;

/** How utterances are cut from a stream. All durations in milliseconds. */
export interface SegmenterOptions {
  /** Speech probability at or above which a frame is speech. */
  threshold: number;
  /**
   * Probability below which a frame is silence; frames in between neither extend the speech nor
   * count towards the silence tail (hysteresis, as Silero recommends). Default: threshold − 0.15.
   */
  negativeThreshold?: number | undefined;
  /** Audio kept before the first speech frame, and at most this much after the last one. */
  preRollMs: number;
  /** Speech needed before a sound counts as an utterance; shorter blips are dropped unannounced. */
  minSpeechMs: number;
  /** Silence that ends an utterance. */
  silenceMs: number;
  /**
   * Silence that ends an utterance once {@link UtteranceSegmenter.markProgress} has said that what
   * was heard so far is a whole command. Default: `silenceMs`.
   */
  commandSilenceMs?: number | undefined;
  /**
   * Silence that ends an utterance while {@link UtteranceSegmenter.markProgress} says that what was
   * heard so far is the start of a longer command ("a large latte" before "with oat milk"); never
   * less than `silenceMs`. Default: `silenceMs`.
   */
  unfinishedSilenceMs?: number | undefined;
  /** Length after which an utterance is cut off even while speech goes on. */
  maxSpeechMs: number;
  /** If set, a `timeout` event comes when no speech has started this long after start or reset. */
  startTimeoutMs?: number | undefined;
  /**
   * Hand the utterance's audio over as it comes, for a speech-to-text engine that decodes while the
   * user speaks: `speech-start` carries everything from the pre-roll on, then each later frame of
   * the utterance comes as `speech-audio`, up to the frame that ends it.
   */
  streamAudio?: boolean | undefined;
  /**
   * With a second stream pushed beside the judged one ({@link UtteranceSegmenter.push}'s `other`):
   * called once an utterance is announced, with its audio so far in both streams (pre-roll and
   * `minSpeechMs` of speech, the same samples); true hands the utterance over in the other stream
   * (`speech-start`, `speech-audio` and the utterance's audio, from its pre-roll on), and the VAD
   * judges the other stream from the next frame until the utterance ends, so that its end is found
   * in the audio handed over. `{ otherAfterMs }` hands it over in the judged stream, and in the
   * other one as soon as its speech (from its first speech frame to the end of its last) lasts
   * longer than that: a `speech-switch` event then carries the utterance so far in the other
   * stream, from its pre-roll on, and everything after goes as with true. Without it, or without a
   * second stream, the judged audio is handed over.
   */
  handOverOther?:
    | ((onset: { judged: Int16Array; other: Int16Array; preRollSamples: number }) => HandOver)
    | undefined;
}

/**
 * Which of two streams an utterance is handed over in ({@link SegmenterOptions.handOverOther}): the
 * other (true), the judged one (false), or the judged one until its speech has lasted longer than
 * `otherAfterMs` milliseconds, then the other.
 */
export type HandOver = boolean | { otherAfterMs: number };

/**
 * How far the words heard so far have come (judged on the speech-to-text engine's best guess):
 * a whole command, the start of a longer one, or neither.
 */
export type UtteranceProgress = "complete" | "unfinished" | "other";

/** Why an utterance ended. */
export type UtteranceEnd = "silence" | "max-length" | "end-of-stream";

/** One stretch of speech cut from the stream. */
export interface Utterance {
  /** 16 kHz mono 16-bit audio: pre-roll, the speech, and up to `preRollMs` of what followed. */
  audio: Int16Array;
  /** Stream time (seconds since start/reset) of the first speech frame. */
  startSeconds: number;
  /** Stream time of the end of the last speech frame (or of the cut, for max-length). */
  endSeconds: number;
  /**
   * Stream time at which the utterance was ended: the end of the frame that completed its silence
   * tail, of the cut, or of the stream. `closedSeconds - endSeconds` is what the endpointing waited.
   */
  closedSeconds: number;
  /** Milliseconds of frames judged speech. */
  speechMs: number;
  reason: UtteranceEnd;
  /**
   * With a second stream pushed beside the judged one all along: the same stretch in the stream the
   * utterance was not handed over in (the microphone as it is, beside its denoised audio), so that
   * it can be decoded the other way too.
   */
  otherAudio?: Int16Array | undefined;
}

export type SegmenterEvent =
  /** Enough speech heard to count as an utterance; `seconds` is when it started. */
  | { type: "speech-start"; seconds: number; audio?: Int16Array | undefined }
  /** With `streamAudio`: the utterance's next frame. */
  | { type: "speech-audio"; audio: Int16Array }
  /**
   * The utterance is handed over in the other stream from now on ({@link HandOver}'s
   * `otherAfterMs`); with `streamAudio`, `audio` is all of it so far in that stream, from its
   * pre-roll on, and the `speech-audio` that follows is that stream's.
   */
  | { type: "speech-switch"; audio?: Int16Array | undefined }
  | { type: "utterance"; utterance: Utterance }
  /** No speech began within `startTimeoutMs`; comes once per start/reset. */
  | { type: "timeout"; seconds: number };

/** Segmenter settings from the `vad` config section. */
export function segmenterOptionsFromConfig(config: VadConfig): SegmenterOptions {
  return {
    threshold: config.threshold,
    preRollMs: config.pre_roll_ms,
    minSpeechMs: config.min_speech_ms,
    silenceMs: config.silence_ms,
    commandSilenceMs: config.command_silence_ms,
    unfinishedSilenceMs: config.unfinished_silence_ms,
    maxSpeechMs: config.max_speech_ms,
    startTimeoutMs: config.start_timeout_ms,
  };
}

interface Active {
  /** Frames from the pre-roll onwards. */
  frames: Int16Array[];
  /** The same frames of the second stream, when one is pushed. */
  others: Int16Array[] | undefined;
  /** Whether the utterance is handed over in the second stream. */
  handsOther: boolean;
  /** {@link HandOver}'s `otherAfterMs`, until the utterance switches to the second stream. */
  otherAfterMs: number | undefined;
  /** Index in `frames` of the first speech frame. */
  firstSpeech: number;
  /** Index in `frames` just past the last speech frame. */
  afterLastSpeech: number;
  /** Stream sample where speech started. */
  startSample: number;
  /** Stream sample where the last speech frame ended. */
  lastSpeechSample: number;
  speechMs: number;
  silenceMs: number;
  announced: boolean;
  /** What was heard so far: a whole command (a shorter silence ends it), the start of one (a longer one). */
  progress: UtteranceProgress;
}

/**
 * Cuts utterances out of a PCM stream with a voice activity detector: speech begins at a frame the
 * VAD calls speech, is announced (`speech-start`) once `minSpeechMs` of it has been heard, and ends
 * after `silenceMs` of silence or at `maxSpeechMs`. Sounds that end before reaching `minSpeechMs`
 * are dropped. Push chunks of any length; events come back as values.
 */
export class UtteranceSegmenter {
  readonly #vad: VoiceActivityDetector;
  readonly #options: SegmenterOptions;
  readonly #frameMs: number;
  readonly #preRollFrames: number;
  #pending: Int16Array;
  #pendingLength = 0;
  /** Samples judged so far: the stream clock. */
  #samples = 0;
  /** Samples judged since the segmenter was made, across resets. */
  #judged = 0;
  #preRoll: Int16Array[] = [];
  #otherPreRoll: Int16Array[] = [];
  /** The second stream's samples that wait for a whole frame, beside {@link #pending}. */
  #otherPending: Int16Array;
  #active: Active | undefined;
  #heardSpeech = false;
  #timedOut = false;

  constructor(vad: VoiceActivityDetector, options: SegmenterOptions) {
    this.#vad = vad;
    this.#options = options;
    this.#frameMs = (vad.frameSamples / SAMPLE_RATE) * 1000;
    this.#preRollFrames = Math.ceil(options.preRollMs / this.#frameMs);
    this.#pending = new Int16Array(vad.frameSamples);
    this.#otherPending = new Int16Array(vad.frameSamples);
  }

  /** Starts a new stream: forgets buffered audio and restarts the clock and the start timeout. */
  reset(): void {
    this.#vad.reset();
    this.#pendingLength = 0;
    this.#samples = 0;
    this.#preRoll = [];
    this.#otherPreRoll = [];
    this.#active = undefined;
    this.#heardSpeech = false;
    this.#timedOut = false;
  }

  /** Whether an utterance is being cut: speech heard and not yet ended. */
  get inUtterance(): boolean {
    return this.#active !== undefined;
  }

  /** Stream time: seconds of audio judged since start or the last reset. */
  get seconds(): number {
    return this.#samples / SAMPLE_RATE;
  }

  /**
   * Seconds of audio judged since the segmenter was made, resets included: `judgedSeconds - seconds`
   * turns the stream times of an utterance into times since the first sample it was handed.
   */
  get judgedSeconds(): number {
    return this.#judged / SAMPLE_RATE;
  }

  /**
   * Waits for speech again after an utterance, with the start timeout still counted from the last
   * reset: the `timeout` event comes at the first silent frame once `startTimeoutMs` of stream time
   * has passed since then without a new utterance starting. Buffered audio and the clock are kept.
   */
  listenAgain(): void {
    this.#heardSpeech = false;
    this.#timedOut = false;
  }

  /**
   * Feeds audio; resolves to the events this chunk completed. `other`, as long as `pcm`, is the same
   * moment in a second stream (the microphone as it is beside its denoised audio): the VAD judges
   * `pcm` alone, and {@link SegmenterOptions.handOverOther} may hand an utterance over in `other`.
   * Push a second stream with every chunk or with none.
   */
  async push(pcm: Int16Array, other?: Int16Array): Promise<SegmenterEvent[]> {
    const events: SegmenterEvent[] = [];
    const size = this.#vad.frameSamples;
    let offset = 0;
    while (offset < pcm.length) {
      const take = Math.min(size - this.#pendingLength, pcm.length - offset);
      this.#pending.set(pcm.subarray(offset, offset + take), this.#pendingLength);
      if (other) this.#otherPending.set(other.subarray(offset, offset + take), this.#pendingLength);
      this.#pendingLength += take;
      offset += take;
      if (this.#pendingLength < size) break;
      const frame = this.#pending;
      const otherFrame = other ? this.#otherPending : undefined;
      this.#pending = new Int16Array(size);
      this.#otherPending = new Int16Array(size);
      this.#pendingLength = 0;
      const probability = await this.#vad.process(
        this.#active?.handsOther && otherFrame ? otherFrame : frame,
      );
      this.#frame(frame, otherFrame, probability, events);
    }
    return events;
  }

  /**
   * Says how far what the utterance in progress has been heard as so far has come (the
   * speech-to-text engine's best guess, judged by the templates): a whole command ends after
   * `commandSilenceMs` of silence, the start of a longer one after `unfinishedSilenceMs`, anything
   * else after `silenceMs`. Speech after the silence starts counting again.
   */
  markProgress(progress: UtteranceProgress): void {
    if (this.#active) this.#active.progress = progress;
  }

  /** Ends the stream: an utterance in progress that reached `minSpeechMs` is returned. */
  finish(): SegmenterEvent[] {
    const active = this.#active;
    this.#active = undefined;
    if (!active?.announced) return [];
    return [{ type: "utterance", utterance: this.#utterance(active, "end-of-stream") }];
  }

  /** Runs a whole stream through the segmenter, yielding its events; stops early when `signal` aborts. */
  async *segment(source: AsyncIterable<Int16Array>, signal?: AbortSignal): AsyncGenerator<SegmenterEvent> {
    for await (const chunk of source) {
      signal?.throwIfAborted();
      for (const event of await this.push(chunk)) {
        signal?.throwIfAborted();
        yield event;
      }
    }
    for (const event of this.finish()) {
      signal?.throwIfAborted();
      yield event;
    }
  }

  #frame(
    frame: Int16Array,
    otherFrame: Int16Array | undefined,
    probability: number,
    events: SegmenterEvent[],
  ): void {
    const { threshold, minSpeechMs, silenceMs, maxSpeechMs, startTimeoutMs } = this.#options;
    const negative = this.#options.negativeThreshold ?? Math.max(0, threshold - 0.15);
    const frameStart = this.#samples;
    this.#samples += frame.length;
    this.#judged += frame.length;
    const speech = probability >= threshold;
    let active = this.#active;

    if (!active) {
      if (!speech) {
        this.#preRoll.push(frame);
        if (this.#preRoll.length > this.#preRollFrames) this.#preRoll.shift();
        // The second stream's pre-roll holds only its latest frames in a row: an utterance
        // is handed over in it only once its whole pre-roll has come.
        if (otherFrame) {
          this.#otherPreRoll.push(otherFrame);
          if (this.#otherPreRoll.length > this.#preRollFrames) this.#otherPreRoll.shift();
        } else this.#otherPreRoll = [];
        if (
          startTimeoutMs !== undefined &&
          !this.#heardSpeech &&
          !this.#timedOut &&
          this.#samples * (1000 / SAMPLE_RATE) >= startTimeoutMs
        ) {
          this.#timedOut = true;
          events.push({ type: "timeout", seconds: this.#samples / SAMPLE_RATE });
        }
        return;
      }
      active = {
        frames: [...this.#preRoll],
        others:
          otherFrame && this.#otherPreRoll.length === this.#preRoll.length
            ? [...this.#otherPreRoll]
            : undefined,
        handsOther: false,
        otherAfterMs: undefined,
        firstSpeech: this.#preRoll.length,
        afterLastSpeech: this.#preRoll.length,
        startSample: frameStart,
        lastSpeechSample: frameStart,
        speechMs: 0,
        silenceMs: 0,
        announced: false,
        progress: "other",
      };
      this.#active = active;
      this.#preRoll = [];
      this.#otherPreRoll = [];
    }

    active.frames.push(frame);
    if (active.others && otherFrame) active.others.push(otherFrame);
    else active.others = undefined;
    if (speech) {
      active.speechMs += this.#frameMs;
      active.silenceMs = 0;
      active.afterLastSpeech = active.frames.length;
      active.lastSpeechSample = this.#samples;
    } else if (probability < negative) {
      active.silenceMs += this.#frameMs;
    }

    if (!active.announced && active.speechMs >= minSpeechMs) {
      active.announced = true;
      this.#heardSpeech = true;
      const seconds = active.startSample / SAMPLE_RATE;
      const choose = this.#options.handOverOther;
      if (choose && active.others) {
        const handOver = choose({
          judged: concatInt16(active.frames),
          other: concatInt16(active.others),
          preRollSamples: active.firstSpeech * frame.length,
        });
        active.handsOther = handOver === true;
        active.otherAfterMs = typeof handOver === "object" ? handOver.otherAfterMs : undefined;
        this.#switchIfLong(active);
      }
      events.push(
        this.#options.streamAudio
          ? { type: "speech-start", seconds, audio: concatInt16(this.#handed(active)) }
          : { type: "speech-start", seconds },
      );
    } else if (active.announced && this.#switchIfLong(active)) {
      // This frame included: the other stream's audio so far, handed over at once.
      events.push(
        this.#options.streamAudio
          ? { type: "speech-switch", audio: concatInt16(this.#handed(active)) }
          : { type: "speech-switch" },
      );
    } else if (active.announced && this.#options.streamAudio) {
      events.push({ type: "speech-audio", audio: active.handsOther && otherFrame ? otherFrame : frame });
    }

    const lengthMs = (this.#samples - active.startSample) * (1000 / SAMPLE_RATE);
    const tail =
      active.progress === "complete"
        ? Math.min(silenceMs, this.#options.commandSilenceMs ?? silenceMs)
        : active.progress === "unfinished"
          ? Math.max(silenceMs, this.#options.unfinishedSilenceMs ?? silenceMs)
          : silenceMs;
    if (active.silenceMs >= tail) {
      this.#close(active, "silence", events);
    } else if (lengthMs >= maxSpeechMs) {
      // Cut here; whatever speech continues starts a new utterance at the next speech frame.
      active.afterLastSpeech = active.frames.length;
      active.lastSpeechSample = this.#samples;
      this.#close(active, "max-length", events);
    }
  }

  #close(active: Active, reason: UtteranceEnd, events: SegmenterEvent[]): void {
    this.#active = undefined;
    // The frames after the speech become the next pre-roll, as if they had been heard while idle.
    this.#preRoll =
      this.#preRollFrames === 0
        ? []
        : active.frames.slice(active.afterLastSpeech).slice(-this.#preRollFrames);
    this.#otherPreRoll =
      this.#preRollFrames === 0 || !active.others
        ? []
        : active.others.slice(active.afterLastSpeech).slice(-this.#preRollFrames);
    if (active.announced) events.push({ type: "utterance", utterance: this.#utterance(active, reason) });
  }

  #utterance(active: Active, reason: UtteranceEnd): Utterance {
    const end = Math.min(active.frames.length, active.afterLastSpeech + this.#preRollFrames);
    const notHanded = active.others && (active.handsOther ? active.frames : active.others);
    return {
      audio: concatInt16(this.#handed(active).slice(0, end)),
      startSeconds: active.startSample / SAMPLE_RATE,
      endSeconds: active.lastSpeechSample / SAMPLE_RATE,
      closedSeconds: this.#samples / SAMPLE_RATE,
      speechMs: active.speechMs,
      reason,
      ...(notHanded ? { otherAudio: concatInt16(notHanded.slice(0, end)) } : {}),
    };
  }

  /**
   * Hands the utterance over in the second stream from now on once its speech lasts longer than
   * {@link Active.otherAfterMs}; true when it did so now.
   */
  #switchIfLong(active: Active): boolean {
    const after = active.otherAfterMs;
    if (after === undefined || !active.others) return false;
    if ((active.lastSpeechSample - active.startSample) * (1000 / SAMPLE_RATE) <= after) return false;
    active.otherAfterMs = undefined;
    active.handsOther = true;
    return true;
  }

  /** The frames the utterance is handed over in: the judged stream's, or the second stream's. */
  #handed(active: Active): Int16Array[] {
    return active.handsOther && active.others ? active.others : active.frames;
  }
}
