import { join, resolve } from "node:path";
import { type LoadedConfig, loadConfig } from "./config/loader.js";
import type { Config } from "./config/schema.js";
import { resolveStateDir } from "./config/state-dir.js";
import { type Clock, systemClock } from "./core/clock.js";
import { HearthError } from "./core/errors.js";
import { EventBus } from "./core/event-bus.js";
import type { HearthEvents } from "./core/events.js";
import { IdleHeapTrim, releaseGarbage } from "./core/heap.js";
import { type Logger, silentLogger } from "./core/logger.js";
import type { HomeAssistantActuator } from "./homeassistant/actuator.js";
import type { HomeAssistantConnection } from "./homeassistant/connection.js";
import type { HomeAssistantHome } from "./homeassistant/home-sync.js";
import { sendsCommands } from "./intents/catalog.js";
import type { IntentServices } from "./intents/handlers.js";
import { ListStore, listEntity } from "./intents/lists.js";
import { replyForTimerFinished } from "./intents/replies.js";
import { assistantNames, type CompiledSentences, loadSentences } from "./intents/sentences.js";
import { TextUnderstanding } from "./intents/text-understanding.js";
import { type Timer, TimerManager } from "./intents/timers.js";
import type { RecognizedIntent } from "./intents/types.js";
import { customIntentSpecs } from "./llm/custom-intents.js";
import { HOME_ASSISTANT_INTENTS } from "./llm/intent-schema.js";
import { LlmRecognizer } from "./llm/llm-recognizer.js";
import { LlamaRuntime } from "./llm/runtime.js";
import { MqttActuator } from "./mqtt/actuator.js";
import { connectionOptionsFromConfig, MqttConnection } from "./mqtt/client.js";
import { EmbeddedBroker } from "./mqtt/embedded-broker.js";
import { buildMqttParts, type DevicesPart, type HearthControl, type MqttPart } from "./mqtt/hearth-mqtt.js";
import { hearthTopics } from "./mqtt/topics.js";
import { ActionRouter } from "./pipeline/action-router.js";
import { ListeningLoop } from "./pipeline/listening-loop.js";
import { buildSpeechPath, loopOptionsFromConfig, type SpeechPath } from "./pipeline/speech-path.js";
import { type Actuator, TextPipeline } from "./pipeline/text-pipeline.js";
import { registryFromConfig } from "./registry/from-config.js";
import type { Registry } from "./registry/registry.js";

/**
 * The composition root: the one place that names concrete classes and wires Hearth's parts.
 * Everything else gets its collaborators handed in.
 */

/** The text path built from a loaded config: registry, compiled sentences, timers, recognizers. */
export interface TextPath {
  registry: Registry;
  /** The compiled sentence templates (the speech grammar is generated from them too). */
  sentences: CompiledSentences;
  timers: TimerManager;
  understanding: TextUnderstanding;
  /** Whether the LLM fallback is in use (false when off, or when its model could not be loaded). */
  llm: boolean;
  /** The LLM recognizer on the path's model, when there is one (a reload pauses it while the next path starts its own). */
  llmRecognizer: LlmRecognizer | undefined;
  /** Releases what this path owns: its LLM recognizer, its own timers, and a model it loaded itself. */
  close(): Promise<void>;
}

export interface TextPathOptions {
  clock?: Clock;
  log?: Logger;
  /**
   * The LLM: a loaded runtime to use (the caller owns it and stops it), false for none, or true
   * (default) to load the one the config names, owned by the path and stopped by its close().
   */
  llm?: LlamaRuntime | boolean | undefined;
  /** Refill this registry from the config instead of making a new one (a reload keeps its users). */
  registry?: Registry;
  /**
   * Adds what the config does not hold (discovered devices) to the registry built from the config,
   * before it replaces the contents of `registry`: one swap, no moment without them.
   */
  carry?: ((fresh: Registry) => void) | undefined;
  /** Keep these timers running (a reload must not cancel a running timer). */
  timers?: TimerManager;
  /** The lists Hearth keeps (the daemon's); without them list intents say lists cannot be kept. */
  lists?: ListStore | undefined;
  /** Where broadcasts and media requests go (the daemon's bus); without them they are refused. */
  broadcast?: IntentServices["broadcast"];
  playMedia?: IntentServices["playMedia"];
}

export async function buildTextPath(loaded: LoadedConfig, opts: TextPathOptions = {}): Promise<TextPath> {
  const { config } = loaded;
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? silentLogger();
  // Compile first: invalid sentences must leave a reloaded registry untouched.
  const sentences = await loadSentences(config.intents, {
    language: config.site.language,
    configDir: loaded.dir,
    stateDir: resolveStateDir(config, loaded.dir),
    log: (fields, message) => log.warn(fields, message),
    assistantNames: assistantNames(config),
  });
  const fresh = registryFromConfig(config);
  opts.carry?.(fresh);
  const registry = opts.registry ?? fresh;
  if (opts.registry) {
    registry.replaceAll({ floors: fresh.floors(), areas: fresh.areas(), entities: fresh.entities() });
  }
  const timers = opts.timers ?? new TimerManager(clock);
  if (opts.lists) {
    // The lists are todo entities like any device: "add milk to the groceries list" names one.
    const lists = opts.lists;
    for (const e of registry.entities()) if (e.domain === "todo") lists.ensure(e.id, e.name);
    registry.batch(() => {
      for (const list of lists.lists()) registry.upsertEntity(listEntity(list));
    });
  }
  const ownsRuntime = opts.llm === undefined || opts.llm === true;
  const runtime =
    typeof opts.llm === "object"
      ? opts.llm
      : ownsRuntime
        ? await startLlmRuntime(loaded, { clock, log })
        : undefined;
  let recognizer: LlmRecognizer | undefined;
  try {
    if (runtime && config.llm.mode !== "off") {
      recognizer = await startRecognizer(loaded, sentences, registry, runtime, clock, log);
    }
  } catch (err) {
    if (ownsRuntime) await runtime?.stop();
    throw err;
  }
  const understanding = new TextUnderstanding({
    sentences,
    registry,
    timers,
    lists: opts.lists,
    broadcast: opts.broadcast,
    playMedia: opts.playMedia,
    clock,
    fuzzyThreshold: config.intents.fuzzy_threshold,
    siteArea: config.site.area,
    fallback: recognizer,
    fallbackMode: config.llm.mode,
    followUpMs: config.intents.followup_seconds * 1000,
  });
  understanding.prepare();
  return {
    registry,
    sentences,
    timers,
    understanding,
    llm: recognizer !== undefined,
    llmRecognizer: recognizer,
    async close() {
      if (!opts.timers) timers.stop();
      recognizer?.stop();
      if (ownsRuntime) await runtime?.stop();
    },
  };
}

async function startRecognizer(
  loaded: LoadedConfig,
  sentences: CompiledSentences,
  registry: Registry,
  runtime: LlamaRuntime,
  clock: Clock,
  log: Logger,
): Promise<LlmRecognizer> {
  const { llm } = loaded.config;
  const recognizer = new LlmRecognizer(
    { model: runtime, registry, logger: log.child({ module: "llm" }), clock },
    {
      intents: [...HOME_ASSISTANT_INTENTS, ...customIntentSpecs(sentences)],
      timeoutMs: llm.timeout_ms,
      answers: llm.answers,
      maxAnswerTokens: llm.max_answer_tokens,
      language: loaded.config.site.language,
    },
  );
  await recognizer.start();
  return recognizer;
}

/**
 * Loads the LLM the config asks for (none when `llm.mode` is off). A missing, broken or too large
 * model is logged with its reason and Hearth carries on with templates alone: the house must not go
 * deaf because of the fallback. The caller owns what it returns and stops it.
 */
export async function startLlmRuntime(
  loaded: LoadedConfig,
  opts: { clock: Clock; log: Logger },
): Promise<LlamaRuntime | undefined> {
  const { llm } = loaded.config;
  if (llm.mode === "off" || !llm.model) return undefined;
  const llmLog = opts.log.child({ module: "llm" });
  const runtime = new LlamaRuntime(
    {
      modelPath: resolve(loaded.dir, llm.model),
      threads: llm.threads,
      contextSize: llm.context_size,
      batchSize: llm.batch_size,
      gpu: llm.gpu,
    },
    { logger: llmLog, clock: opts.clock },
  );
  try {
    const info = await runtime.start();
    llmLog.info({ model: llm.model, loadMs: Math.round(info.loadMs), threads: info.threads }, "llm loaded");
    return runtime;
  } catch (err) {
    llmLog.error(
      { err, code: (err as HearthError).code },
      "llm not loaded; understanding with templates alone",
    );
    await runtime.stop().catch(() => {});
    return undefined;
  }
}

export interface HearthOptions {
  loaded: LoadedConfig;
  log: Logger;
  clock?: Clock;
  /** A WAV file to listen to instead of `audio.source` (`hearth run --input FILE.wav`). */
  input?: string | undefined;
}

/** What a reload did: applied, or refused with the problems (the old config stays in force). */
export type ReloadResult = { ok: true; restartNeeded: string[] } | { ok: false; problems: string[] };

/**
 * The daemon: every part built from the config, started in order and stopped in reverse. The MQTT
 * broker connection (or the embedded broker) comes up first so a bad broker fails start-up fast; the
 * text path and the MQTT services follow.
 */
export class Hearth {
  readonly #opts: HearthOptions;
  readonly bus: EventBus<HearthEvents>;
  #loaded: LoadedConfig;
  #text: TextPath | undefined;
  /** The loaded LLM: owned here, not by a text path, so a reload can hand it to the next path. */
  #llm: LlamaRuntime | undefined;
  #pipeline: TextPipeline | undefined;
  #broker: EmbeddedBroker | undefined;
  #mqtt: MqttConnection | undefined;
  /** Devices learned from discovery (replaced by a fresh part on reload). */
  #devices: DevicesPart | undefined;
  /** Hearth's MQTT parts as started (devices, commands, self, Hermes), by name; stopped in reverse. */
  readonly #mqttStarted: Array<{ name: string; part: MqttPart }> = [];
  #actuator: Actuator | undefined;
  #ha: HomeAssistantConnection | undefined;
  #haHome: HomeAssistantHome | undefined;
  /** Timers outlive a reload: the daemon owns them, not a text path. */
  #timers: TimerManager | undefined;
  #lists: ListStore | undefined;
  #speech: SpeechPath | undefined;
  #loop: ListeningLoop | undefined;
  #muted = false;
  /** The matcher's warm-up in progress (see #warmUp). */
  #warming: AbortController | undefined;
  /** The idle daemon's periodic malloc_trim, and its subscriptions to the runs' events. */
  #heapTrim: { trim: IdleHeapTrim; unsubscribe: Array<() => void> } | undefined;
  #started = false;
  /** A start under way, and how a stop asked for meanwhile ends it at its next step (see stop). */
  #starting: { done: Promise<void>; stop: AbortController } | undefined;

  constructor(opts: HearthOptions) {
    this.#opts = opts;
    this.#loaded = opts.loaded;
    this.bus = new EventBus<HearthEvents>({ log: opts.log.child({ module: "bus" }) });
  }

  /** The text pipeline (after start()). */
  get pipeline(): TextPipeline {
    if (!this.#pipeline) throw new Error("Hearth is not started");
    return this.#pipeline;
  }

  get registry(): Registry {
    if (!this.#text) throw new Error("Hearth is not started");
    return this.#text.registry;
  }

  /** The broker URL in use (the embedded broker's when none is configured). */
  get brokerUrl(): string | undefined {
    return this.#loaded.config.mqtt.url ?? this.#broker?.url;
  }

  /** The config in force. */
  get config(): Config {
    return this.#loaded.config;
  }

  /**
   * Starts every part in order. A stop asked for while it starts (SIGINT during start-up) ends it
   * at its next step: it then rejects with the AbortError of `signal.throwIfAborted()`, and the
   * stop stops what it had started.
   */
  async start(): Promise<void> {
    if (this.#started) return;
    if (this.#starting) return this.#starting.done;
    const stop = new AbortController();
    const done = this.#start(stop.signal);
    this.#starting = { done, stop };
    try {
      await done;
    } finally {
      if (this.#starting?.done === done) this.#starting = undefined;
    }
  }

  async #start(stopAsked: AbortSignal): Promise<void> {
    const { log } = this.#opts;
    const { config } = this.#loaded;
    const clock = this.#opts.clock ?? systemClock;
    const started = clock.monotonic();
    try {
      const mqttLog = log.child({ module: "mqtt" });
      let url = config.mqtt.url;
      if (!url) {
        this.#broker = new EmbeddedBroker({ port: config.mqtt.embedded_port, logger: mqttLog });
        url = await this.#broker.start();
        stopAsked.throwIfAborted();
        mqttLog.info({ url }, "embedded broker listening (no mqtt.url configured)");
      }
      const topics = hearthTopics(config.mqtt.base_topic, config.site.id);
      this.#mqtt = new MqttConnection({
        ...(await connectionOptionsFromConfig(config.mqtt, {
          url,
          siteId: config.site.id,
          statusTopic: topics.status,
          logger: mqttLog,
          configDir: this.#loaded.dir,
        })),
        // `online` once Hearth's topics are subscribed: a command sent on `online` is heard.
        holdOnline: true,
        clock,
      });
      await this.#mqtt.start();
      stopAsked.throwIfAborted();
      this.#llm = await startLlmRuntime(this.#loaded, { clock, log });
      stopAsked.throwIfAborted();
      // Every change of a timer goes on the bus (event/timer, Home Assistant's event entity); a
      // timer that rings is spoken where it was set.
      this.#timers = new TimerManager(clock, (change) =>
        this.bus.emit("timer.changed", { siteId: config.site.id, ...change }),
      );
      // The to-do and shopping lists, kept in the state directory; each change shows in Home
      // Assistant (the list's sensor) and in the registry (a todo entity's state: open items).
      this.#lists = new ListStore({
        file: join(resolveStateDir(config, this.#loaded.dir), "lists.json"),
        log: log.child({ module: "lists" }),
        onChange: (change) => {
          // A list Home Assistant keeps stays Home Assistant's entity (its items go there too).
          const registry = this.#text?.registry;
          if (registry?.entity(change.list.id)?.source !== "homeassistant")
            registry?.upsertEntity(listEntity(change.list));
          this.bus.emit("list.changed", { siteId: config.site.id, ...change });
        },
      });
      await this.#lists
        .load()
        .catch((err: unknown) => log.error({ err }, "lists not loaded; starting empty"));
      stopAsked.throwIfAborted();
      this.#text = await buildTextPath(this.#loaded, {
        clock,
        log,
        llm: this.#llm ?? false,
        ...this.#outlets(),
      });
      stopAsked.throwIfAborted();
      const mqttActuator = new MqttActuator({
        connection: this.#mqtt,
        registry: this.#text.registry,
        graceMs: config.mqtt.command_grace_ms,
        log: mqttLog,
        clock,
      });
      const haActuator = await this.#startHomeAssistant(this.#text.registry, clock);
      stopAsked.throwIfAborted();
      this.#actuator = new ActionRouter({
        registry: this.#text.registry,
        routes: haActuator ? [haActuator] : [],
        fallback: mqttActuator,
        needsCommands: (intent) =>
          sendsCommands(intent.name) || addsToHomeAssistantList(intent, this.#text?.registry),
      });
      this.#pipeline = this.#makePipeline(this.#text);
      this.#warmUp(this.#text.understanding);
      const control: HearthControl = {
        runText: (text, o) =>
          this.pipeline.run(text, {
            context: o.area ? { area: o.area } : {},
            transaction: o.transaction,
            ...(o.runId ? { runId: o.runId } : {}),
          }),
        say: async (text) => {
          if (this.#loop) await this.#loop.say(text);
          else log.debug({ chars: text.length }, "say requested, but audio.source is none");
        },
        setMuted: (muted) => {
          this.#muted = muted;
          if (this.#loop) this.#loop.setMuted(muted);
          else this.bus.emit("assistant.state", { siteId: config.site.id, state: muted ? "muted" : "idle" });
        },
        isMuted: () => this.#muted,
        startListening: () => this.#loop?.startListening(),
      };
      this.bus.on("timer.changed", (change) => {
        if (change.event !== "finished") return;
        if (change.timer.command !== undefined) {
          this.#runTimerCommand(change.timer, control.say, log);
          return;
        }
        const say = replyForTimerFinished(change.timer, config.site.language);
        log.info({ timer: change.timer.id, name: change.timer.name, say }, "timer finished");
        void control.say(say).catch((err: unknown) => {
          log.error({ err }, "speaking a finished timer failed");
        });
      });
      const parts = await buildMqttParts({
        connection: this.#mqtt,
        registry: this.#text.registry,
        bus: this.bus,
        config,
        log: mqttLog,
        control,
        lists: () => this.#lists?.lists() ?? [],
        clock,
      });
      stopAsked.throwIfAborted();
      this.#devices = parts.devices;
      // Devices first, so a command that arrives at once finds the home learned so far.
      const named = {
        devices: parts.devices,
        commands: parts.commands,
        self: parts.self,
        hermes: parts.hermes,
      };
      for (const [name, part] of Object.entries(named)) {
        if (!part) continue;
        this.#mqttStarted.push({ name: `mqtt ${name}`, part });
        await part.start();
        stopAsked.throwIfAborted();
      }
      this.#mqtt.announceOnline();
      mqttLog.info(
        { hermes: parts.hermes !== undefined, discoveryPrefix: config.mqtt.discovery_prefix },
        "mqtt ready",
      );
      // The ears and the voice: source → wake word → VAD → speech-to-text → the same text pipeline.
      if (config.audio.source !== "none" || this.#opts.input) {
        this.#speech = await buildSpeechPath(this.#loaded, {
          registry: this.#text.registry,
          sentences: this.#text.sentences,
          log: log.child({ module: "speech" }),
          clock,
          input: this.#opts.input,
        });
        stopAsked.throwIfAborted();
        this.#loop = new ListeningLoop(
          {
            ...this.#speech.listeningStages(),
            // Through the getter: a config reload replaces the pipeline under a running loop.
            pipeline: { run: (text, o) => this.pipeline.run(text, o) },
            bus: this.bus,
            clock,
            log: log.child({ module: "listening" }),
            siteId: config.site.id,
            progress: (text, context) => this.#text?.understanding.progress(text, context) ?? "other",
          },
          loopOptionsFromConfig(config, this.#speech.recording),
        );
        await this.#loop.start();
        stopAsked.throwIfAborted();
        void this.#loop.finished.then((end) => {
          if (end.reason === "ended") log.info("the recording has been heard; still serving MQTT commands");
          if (end.reason === "failed") log.error({ err: end.error }, "listening stopped");
        });
      }
    } catch (err) {
      // What started is stopped (a part that fails to is logged); the start's own error is the news.
      await this.#stopParts();
      throw err;
    }
    this.#started = true;
    // Start-up's scratch memory (templates compiled, the speech grammar built) back to the system.
    releaseGarbage();
    // And, from then on, what the wake word's and VAD's buffers leave in malloc's heap while idle.
    const trim = new IdleHeapTrim({ clock: this.#opts.clock ?? systemClock });
    const active = (): void => trim.noteActivity();
    this.#heapTrim = {
      trim,
      unsubscribe: [
        this.bus.on("wake.detected", active),
        this.bus.on("speech.started", active),
        this.bus.on("pipeline.ended", active),
      ],
    };
    trim.start();
    log.info(
      {
        config: this.#loaded.path,
        siteId: config.site.id,
        broker: this.brokerUrl,
        homeAssistant: this.#ha?.url,
        devices: this.#text.registry.entities().length,
        areas: this.#text.registry.areas().length,
        llm: this.#text.llm,
        ms: Math.round(clock.monotonic() - started),
      },
      "hearth ready",
    );
  }

  /** Home Assistant, when configured: the connection, the home learned from it, and its actuator. */
  get homeAssistant(): { connection: HomeAssistantConnection; home: HomeAssistantHome } | undefined {
    return this.#ha && this.#haHome ? { connection: this.#ha, home: this.#haHome } : undefined;
  }

  /**
   * Connects to Home Assistant and learns the home before Hearth says it is ready (up to the
   * startup timeout; an unreachable Home Assistant is retried in the background). A refused token
   * fails start-up (HA_AUTH): it will not start working by waiting.
   */
  async #startHomeAssistant(registry: Registry, clock: Clock): Promise<HomeAssistantActuator | undefined> {
    const ha = this.#loaded.config.homeassistant;
    if (!ha) return undefined;
    const haLog = this.#opts.log.child({ module: "homeassistant" });
    // Imported only when the config names Home Assistant: its WebSocket client and library would
    // otherwise sit in every MQTT-only daemon's memory.
    const [
      { HomeAssistantConnection, connectionOptionsFromConfig: haConnectionOptions },
      { HomeAssistantHome },
    ] = await Promise.all([import("./homeassistant/connection.js"), import("./homeassistant/home-sync.js")]);
    const { HomeAssistantActuator } = await import("./homeassistant/actuator.js");
    this.#ha = new HomeAssistantConnection({
      ...(await haConnectionOptions(ha, { logger: haLog, configDir: this.#loaded.dir })),
      clock,
    });
    await this.#ha.start();
    this.#haHome = new HomeAssistantHome({
      connection: this.#ha,
      registry,
      exposeAll: ha.expose === "all",
      debounceMs: ha.refresh_debounce_ms,
      logger: haLog,
      clock,
    });
    this.#haHome.start();
    if (this.#ha.connected) {
      const deadline = clock.timeout(ha.startup_timeout_ms, "learning the home from Home Assistant");
      await Promise.race([
        this.#haHome.loaded,
        new Promise((resolve) => deadline.addEventListener("abort", resolve, { once: true })),
      ]);
    }
    return new HomeAssistantActuator({
      connection: this.#ha,
      registry,
      graceMs: ha.command_grace_ms,
      responseMs: ha.response_timeout_ms,
      log: haLog,
      clock,
    });
  }

  /**
   * A timer set with a command ("turn off the lights in 10 minutes") carries it out when it ends,
   * as Home Assistant does with a timer's `conversation_command`: the sentence goes through the
   * same pipeline as one said now, in the area the timer was set in, and nothing rings. Home
   * Assistant keeps the command's reply to itself; Hearth says it only when the command could not
   * be carried out (the device is gone, the broker unreachable), so a promise it made is never
   * broken in silence.
   */
  #runTimerCommand(timer: Timer, say: (text: string) => Promise<void>, log: Logger): void {
    const { command, area } = timer;
    if (command === undefined) return;
    const fields = { timer: timer.id, area };
    log.info(fields, "timer finished: carrying out its command");
    log.debug({ ...fields, command }, "timer command");
    // Through the getter: a config reload may have replaced the pipeline since the timer was set.
    Promise.resolve()
      .then(() => this.pipeline.run(command, { context: area ? { area } : {} }))
      .then(async (result) => {
        if (result.reason === "done") {
          log.info({ ...fields, runId: result.runId, actions: result.actions.length }, "timer command done");
          return;
        }
        log.warn({ ...fields, runId: result.runId, reason: result.reason }, "timer command failed");
        await say(result.reply);
      })
      .catch((err: unknown) => log.error({ ...fields, err }, "timer command failed"));
  }

  /** What the text path's own handlers act through: the daemon's timers, lists and bus. */
  #outlets(): Pick<TextPathOptions, "timers" | "lists" | "broadcast" | "playMedia"> {
    const siteId = this.#loaded.config.site.id;
    return {
      timers: this.#timers,
      lists: this.#lists,
      broadcast: (message) => this.bus.emit("broadcast.sent", { siteId, message }),
      playMedia: (request) => this.bus.emit("media.requested", { siteId, ...request }),
    };
  }

  #makePipeline(text: TextPath): TextPipeline {
    return new TextPipeline({
      understanding: text.understanding,
      actuator: this.#actuator,
      bus: this.bus,
      clock: this.#opts.clock ?? systemClock,
      siteId: this.#loaded.config.site.id,
      log: this.#opts.log.child({ module: "pipeline" }),
    });
  }

  /**
   * Reloads the config file (SIGHUP): sentences, areas, devices and intent settings take effect at
   * once; the MQTT session stays up and an unchanged LLM stays loaded. An invalid file is reported and
   * the old config stays in force. Settings that need a restart (broker, site id) are named.
   */
  async reload(): Promise<ReloadResult> {
    const { log } = this.#opts;
    if (!this.#started || !this.#text) return { ok: false, problems: ["Hearth is not started"] };
    const clock = this.#opts.clock ?? systemClock;
    const old = this.#text;
    let next: LoadedConfig;
    let text: TextPath;
    // An unchanged LLM section keeps the loaded model; a changed one loads the new model first.
    let llm = this.#llm;
    let keptLlm = true;
    try {
      next = await loadConfig(this.#loaded.path);
      keptLlm = sameJson(next.config.llm, this.#loaded.config.llm);
      if (keptLlm) {
        // One recognizer per model at a time: the old one would rebuild its prompt in the same context.
        old.llmRecognizer?.stop();
      } else {
        llm = await startLlmRuntime(next, { clock, log });
      }
      text = await buildTextPath(next, {
        clock,
        log,
        registry: old.registry,
        // The discovered devices go into the new registry before it is swapped in.
        carry: (fresh) => this.#devices?.carryInto(fresh),
        ...this.#outlets(),
        llm: llm ?? false,
      });
    } catch (err) {
      if (keptLlm) await old.llmRecognizer?.start();
      else if (llm !== this.#llm) await llm?.stop();
      const problems = err instanceof HearthError ? [err.message, ...err.details] : [String(err)];
      log.error({ problems }, "config reload refused; the old config stays in force");
      return { ok: false, problems };
    }
    const restartNeeded = (["mqtt", "site", "homeassistant"] as const).filter(
      (key) => !sameJson(next.config[key], this.#loaded.config[key]),
    );
    const oldLlm = this.#llm;
    this.#loaded = next;
    this.#text = text;
    this.#llm = llm;
    // The registry was refilled from the config: Home Assistant's entities go back in at once.
    this.#haHome?.reapply();
    this.#pipeline = this.#makePipeline(text);
    this.#warmUp(text.understanding);
    await old.close();
    if (oldLlm !== llm) await oldLlm?.stop();
    await this.#speech?.setSentences(text.sentences);
    log.info(
      { devices: text.registry.entities().length, llm: text.llm, restartNeeded },
      restartNeeded.length > 0 ? "config reloaded; restart to apply the rest" : "config reloaded",
    );
    return { ok: true, restartNeeded: [...restartNeeded] };
  }

  /**
   * Warms the matcher up between other work, a step (one example sentence) per turn of the event
   * loop: the first sentence said is then as quick as later ones, and a sentence said meanwhile
   * waits for one step at most, not for the whole warm-up. A new warm-up (a reload) or stop()
   * ends the one running.
   */
  #warmUp(understanding: TextUnderstanding): void {
    this.#warming?.abort();
    const warming = new AbortController();
    this.#warming = warming;
    const clock = this.#opts.clock ?? systemClock;
    const log = this.#opts.log;
    const started = clock.monotonic();
    const steps = understanding.warmUpSteps();
    const step = (n: number): void => {
      if (warming.signal.aborted) return;
      if (steps.next().done) {
        log.debug({ steps: n, ms: Math.round(clock.monotonic() - started) }, "matcher warmed up");
        // What matching and composing the examples left (and V8's compilers with them) goes back
        // before the daemon settles to idle (core/heap.ts).
        releaseGarbage();
        return;
      }
      setImmediate(step, n + 1);
    };
    setImmediate(step, 0);
  }

  /**
   * Stops every part in reverse order of starting, and a start under way (see start) with what it
   * had started. A part whose stop throws is logged with its name and the error, and the others are
   * stopped all the same; the stop then rejects (STOP_FAILED, naming them and why: a list change
   * that could not be saved names the list and the file), so that `hearth run` exits non-zero and
   * systemd shows the unit failed.
   */
  async stop(): Promise<void> {
    const starting = this.#starting;
    starting?.stop.abort();
    const wasStarted = this.#started || starting !== undefined;
    this.#started = false;
    const failed = await this.#stopParts();
    if (starting) {
      // It ends at its next step and stops what it started meanwhile (logging any that fails).
      await starting.done.catch(() => {});
      failed.push(...(await this.#stopParts()));
    }
    this.bus.removeAll();
    const parts = failed.map((f) => f.part);
    if (wasStarted) this.#opts.log.info(failed.length > 0 ? { failed: parts } : {}, "hearth stopped");
    if (failed.length > 0)
      throw new HearthError(
        "STOP_FAILED",
        // Each part's error is logged with it; as a cause here pino's serializer would say it twice.
        `${failed.map((f) => `${f.part} (${f.why})`).join(", ")} did not stop cleanly`,
      );
  }

  /** Stops every part that is running, in reverse order; those whose stop threw, with why. */
  async #stopParts(): Promise<Array<{ part: string; why: string }>> {
    const failed: Array<{ part: string; why: string }> = [];
    const step = async (part: string, stop: () => unknown): Promise<void> => {
      try {
        await stop();
      } catch (err) {
        failed.push({ part, why: err instanceof Error ? err.message : String(err) });
        this.#opts.log.error({ part, err }, "a part did not stop cleanly");
      }
    };
    this.#warming?.abort();
    this.#warming = undefined;
    this.#heapTrim?.trim.stop();
    for (const unsubscribe of this.#heapTrim?.unsubscribe ?? []) unsubscribe();
    this.#heapTrim = undefined;
    // A run in progress is aborted with the loop; replies stop playing.
    await step("listening loop", () => this.#loop?.stop());
    this.#loop = undefined;
    await step("speech path", () => this.#speech?.close());
    this.#speech = undefined;
    await step("Home Assistant home", () => this.#haHome?.stop());
    this.#haHome = undefined;
    await step("Home Assistant connection", () => this.#ha?.stop());
    this.#ha = undefined;
    for (const { name, part } of this.#mqttStarted.splice(0).reverse()) await step(name, () => part.stop());
    this.#devices = undefined;
    await step("mqtt connection", () => this.#mqtt?.stop());
    this.#mqtt = undefined;
    await step("embedded broker", () => this.#broker?.stop());
    this.#broker = undefined;
    await step("text path", () => this.#text?.close());
    this.#text = undefined;
    await step("timers", () => this.#timers?.stop());
    this.#timers = undefined;
    await step("lists", () => this.#lists?.flush());
    this.#lists = undefined;
    await step("LLM", () => this.#llm?.stop());
    this.#llm = undefined;
    return failed;
  }
}

/** An item added to a to-do list Home Assistant keeps: it goes there as todo.add_item. */
function addsToHomeAssistantList(intent: RecognizedIntent, registry: Registry | undefined): boolean {
  return (
    (intent.name === "HassListAddItem" || intent.name === "HassShoppingListAddItem") &&
    intent.targets.some((id) => registry?.entity(id)?.source === "homeassistant")
  );
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
