import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pino } from "pino";
import { buildTextPath, type TextPath } from "../../src/app.js";
import type { SttStream } from "../../src/audio/stt/speech-to-text.js";
import type { AudioSink, AudioSource, AudioStream, PcmAudio, PlayOptions } from "../../src/audio/types.js";
import type { LoadedConfig } from "../../src/config/loader.js";
import { parseConfig } from "../../src/config/parse-config.js";
import type { Config } from "../../src/config/schema.js";
import type { EventBus } from "../../src/core/event-bus.js";
import type { ActionOutcome, HearthEvents } from "../../src/core/events.js";
import type { Logger } from "../../src/core/logger.js";
import type { RecognizedIntent } from "../../src/intents/types.js";
import { buildSpeechPath, type SpeechPath } from "../../src/pipeline/speech-path.js";
import type { Actuator } from "../../src/pipeline/text-pipeline.js";
import { ManualClock } from "../helpers/manual-clock.js";

/*
 * Helpers for the listening-loop tests. The engines in those tests are the real ones; these are the
 * parts no real thing can stand in for on a machine without a sound card (a speaker that plays for
 * as long as the test says) or that only record what happened.
 */

/** Every event on the bus, in order. */
export type RecordedEvent = {
  [K in keyof HearthEvents]: { name: K; payload: HearthEvents[K] };
}[keyof HearthEvents];

const EVENT_NAMES: Array<keyof HearthEvents> = [
  "wake.detected",
  "speech.started",
  "speech.stopped",
  "stt.transcript",
  "intent.recognized",
  "intent.not-recognized",
  "action.published",
  "action.failed",
  "tts.played",
  "pipeline.ended",
  "assistant.state",
];

/** Records every event of `bus`; `waitFor` resolves on the first (past or future) event that matches. */
export class EventLog {
  readonly events: RecordedEvent[] = [];
  readonly #waiters: Array<() => void> = [];

  constructor(bus: EventBus<HearthEvents>) {
    for (const name of EVENT_NAMES) {
      bus.on(name, (payload) => {
        this.events.push({ name, payload } as RecordedEvent);
        for (const wake of this.#waiters.splice(0)) wake();
      });
    }
  }

  named<K extends keyof HearthEvents>(name: K): Array<HearthEvents[K]> {
    return this.events.filter((e) => e.name === name).map((e) => e.payload as HearthEvents[K]);
  }

  /** The assistant states in order. */
  states(): string[] {
    return this.named("assistant.state").map((s) => s.state);
  }

  /**
   * Resolves with the `count`-th event called `name` that satisfies `accept`, however long it takes
   * to come: no limit of its own (the test's timeout is the one for a hang), so a slow machine
   * never fails a test here.
   */
  async waitFor<K extends keyof HearthEvents>(
    name: K,
    accept: (payload: HearthEvents[K]) => boolean = () => true,
    count = 1,
  ): Promise<HearthEvents[K]> {
    for (;;) {
      const hit = this.named(name).filter(accept)[count - 1];
      if (hit) return hit;
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }
}

/**
 * A speaker that "plays" until the test releases it or the loop aborts it (barge-in, a deadline).
 * There is no sound card here, and ALSA's null device returns at once, so a reply that is still
 * playing can only be held this way.
 */
export class HoldingSink implements AudioSink {
  readonly name = "holding";
  readonly played: PcmAudio[] = [];
  aborted = 0;
  readonly #releases: Array<() => void> = [];
  readonly #starts: Array<() => void> = [];

  /** Resolves when a playback begins (the next one, or one already going). */
  playing(): Promise<void> {
    if (this.#releases.length > 0) return Promise.resolve();
    return new Promise((resolve) => this.#starts.push(resolve));
  }

  /** Ends every playback in progress. */
  release(): void {
    for (const release of this.#releases.splice(0)) release();
  }

  async play(audio: PcmAudio, options: PlayOptions = {}): Promise<void> {
    options.signal?.throwIfAborted();
    this.played.push(audio);
    await new Promise<void>((resolve, reject) => {
      const done = (): void => {
        const i = this.#releases.indexOf(done);
        if (i >= 0) this.#releases.splice(i, 1);
        resolve();
      };
      this.#releases.push(done);
      options.signal?.addEventListener(
        "abort",
        () => {
          const i = this.#releases.indexOf(done);
          if (i >= 0) this.#releases.splice(i, 1);
          this.aborted++;
          reject(options.signal?.reason);
        },
        { once: true },
      );
      for (const start of this.#starts.splice(0)) start();
    });
  }
}

/**
 * Live audio the test writes into, standing in for a microphone: chunks are handed to the loop as
 * it asks for them, and `idle()` tells when the loop has finished with everything written so far
 * (it asks for the next chunk only once it has dealt with the last one).
 */
export class LiveAudio implements AudioSource {
  readonly name = "live-test";
  readonly #queue: Int16Array[] = [];
  #ended = false;
  #waiting = false;
  #wakeReader: (() => void) | undefined;
  readonly #idleWaiters: Array<() => void> = [];

  /** Queues audio in 80 ms chunks, as a microphone delivers it. */
  write(samples: Int16Array): void {
    for (let i = 0; i < samples.length; i += 1280) this.#queue.push(samples.slice(i, i + 1280));
    this.#wakeReader?.();
  }

  /** Ends the stream once what is queued has been read. */
  end(): void {
    this.#ended = true;
    this.#wakeReader?.();
  }

  /** Resolves once every chunk written so far has been dealt with. */
  idle(): Promise<void> {
    if (this.#waiting && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  async *stream(signal?: AbortSignal): AudioStream {
    for (;;) {
      if (signal?.aborted) return;
      const chunk = this.#queue.shift();
      if (chunk) {
        yield chunk;
        continue;
      }
      if (this.#ended) return;
      this.#waiting = true;
      for (const resolve of this.#idleWaiters.splice(0)) resolve();
      await new Promise<void>((resolve) => {
        this.#wakeReader = resolve;
        signal?.addEventListener("abort", () => resolve(), { once: true });
      });
      this.#wakeReader = undefined;
      this.#waiting = false;
    }
  }
}

/**
 * A source that hands over each chunk only once the speech-to-text stream being fed has decoded
 * everything before it: partial transcripts are then as current as a live microphone keeps them,
 * on a machine of any speed.
 */
export class DecodedPace implements AudioSource {
  readonly name: string;
  readonly #inner: AudioSource;
  readonly #stream: () => SttStream | undefined;

  constructor(inner: AudioSource, stream: () => SttStream | undefined) {
    this.#inner = inner;
    this.#stream = stream;
    this.name = inner.name;
  }

  async *stream(signal?: AbortSignal): AudioStream {
    for await (const chunk of this.#inner.stream(signal)) {
      await this.#stream()?.drained?.();
      yield chunk;
    }
  }
}

/**
 * Carries out intents by recording them (the MQTT actuator is exercised by the end-to-end tests).
 * `gate`, when set, is awaited before acting, so a test can see what happens meanwhile.
 */
export class RecordingActuator implements Actuator {
  readonly acted: RecognizedIntent[] = [];
  gate: (() => Promise<void>) | undefined;
  /** When set, every command fails with this reason. */
  failure: string | undefined;

  async act(intent: RecognizedIntent, _signal: AbortSignal): Promise<ActionOutcome[]> {
    await this.gate?.();
    this.acted.push(intent);
    return intent.targets.map((entityId) => ({
      entityId,
      intent: intent.name,
      ok: this.failure === undefined,
      ...(this.failure !== undefined ? { reason: this.failure } : {}),
      ms: 0,
    }));
  }
}

/** A pino logger at `level` whose JSON lines are kept in `lines`. */
export function captureLogger(level = "debug"): { log: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split("\n")) if (line.trim() !== "") lines.push(JSON.parse(line));
      callback();
    },
  });
  return { log: pino({ level }, stream), lines };
}

/**
 * The small home the loop tests speak to (two areas, three devices, the site in the Living Room),
 * with `extra` YAML lines for the engines each test file wants.
 */
export function loopHomeYaml(site: string, extra: string): string {
  return `
site: { id: ${site}, area: Living Room }
areas:
  - { name: Kitchen }
  - { name: Living Room }
devices:
  - { id: light.kitchen_light, name: Kitchen Light, area: Kitchen, state: "off" }
  - { id: light.reading_lamp, name: Reading Lamp, area: Living Room, state: "off" }
  - { id: fan.ceiling_fan, name: Ceiling Fan, area: Living Room, state: "off" }
audio: { source: stdin, sink: "null" }
${extra}
`;
}

/** The real text and speech paths of a config, in a temporary folder of their own. */
export interface SpeechHome {
  dir: string;
  config: Config;
  text: TextPath;
  speech: SpeechPath;
  close(): Promise<void>;
}

/** Builds the real text path (no LLM) and speech path for `yaml`; `close` undoes it all. */
export async function openSpeechHome(yaml: string, prefix: string): Promise<SpeechHome> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const config = parseConfig(yaml, `${prefix} config`);
  const loaded: LoadedConfig = { config, path: join(dir, "hearth.yaml"), dir, created: false };
  const text = await buildTextPath(loaded, { llm: false });
  try {
    // Engines whose deadlines (text-to-speech's tts.timeout_ms) run on a clock nothing moves.
    const speech = await buildSpeechPath(loaded, { registry: text.registry, clock: new ManualClock() });
    return {
      dir,
      config,
      text,
      speech,
      async close() {
        await speech.close();
        await text.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await text.close();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
