import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { parse as parseYaml } from "yaml";
import { parseConfig } from "../../src/config/parse-config.js";
import { type Config, configSchema, type IntentsConfig, intentsSchema } from "../../src/config/schema.js";
import { resolveStateDir } from "../../src/config/state-dir.js";
import { type Clock, fixedClock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import type { MediaRequest } from "../../src/intents/handlers.js";
import { ListStore } from "../../src/intents/lists.js";
import { type CompiledSentences, loadSentences } from "../../src/intents/sentences.js";
import {
  type RequestContext,
  type TextResult,
  TextUnderstanding,
} from "../../src/intents/text-understanding.js";
import { type TimerChange, TimerManager } from "../../src/intents/timers.js";
import type { Slots, Understanding } from "../../src/intents/types.js";
import { registryFromConfig } from "../../src/registry/from-config.js";
import type { Registry } from "../../src/registry/registry.js";

/*
 * The text path as the intent tests build it: Hearth's sentences with or without Home Assistant's
 * packs, a home, and a TextUnderstanding over them on a fixed clock.
 */

/** The home most intent tests speak to, with its areas, devices and Hearth's own sentences. */
export const FIXTURE_HOME = fileURLToPath(new URL("../intents/fixtures/home.yaml", import.meta.url));

/** The config of tests/intents/fixtures/home.yaml. */
export function fixtureConfig(): Config {
  return configSchema.parse(parseYaml(readFileSync(FIXTURE_HOME, "utf8")));
}

/**
 * The fixture home's sentences in English, `intents` over its own intents config (packs, skip words);
 * parsed pack YAML is cached under `stateDir` as the daemon caches it under its state folder.
 */
export function fixtureSentences(
  config: Config,
  stateDir: string,
  intents: Partial<IntentsConfig> = {},
): Promise<CompiledSentences> {
  return loadSentences(
    { ...config.intents, ...intents },
    { language: "en", configDir: dirname(FIXTURE_HOME), stateDir },
  );
}

/** The state folder a Hearth started in this checkout uses (so parsed packs are cached once for all tests). */
export const checkoutStateDir = (): string => resolveStateDir({}, process.cwd());

/** Sentences from Home Assistant's packs alone, configured as a user names them (paths from the checkout). */
export function packSentences(packs: string[], language: string): Promise<CompiledSentences> {
  return loadSentences(intentsSchema.parse({ packs }), {
    language,
    configDir: process.cwd(),
    stateDir: checkoutStateDir(),
  });
}

/** Hearth's own English as a fresh checkout has it (no packs, no custom sentences). */
export function ownEnglish(): Promise<CompiledSentences> {
  return loadSentences(intentsSchema.parse({}), {
    language: "en",
    configDir: ".",
    stateDir: checkoutStateDir(),
  });
}

/**
 * The two English variants the families tests say each sentence to: Hearth's own English alone, and
 * with Home Assistant's English pack beside it (../shared/ha-intents, CC BY 4.0, Home Assistant's
 * intents project).
 */
export const ENGLISH_VARIANTS: ReadonlyArray<[string, () => Promise<CompiledSentences>]> = [
  ["Hearth's own English", ownEnglish],
  ["with Home Assistant's English pack", () => packSentences(["../shared/ha-intents"], "en")],
];

/** A home written as config YAML (`floors`, `areas`, `devices`), acting on `sentences` at noon on 1 January 2026. */
export async function openYamlHome(
  yaml: string,
  sentences: CompiledSentences,
  prepare?: (lists: ListStore, registry: Registry) => void,
): Promise<ActingUnderstanding> {
  return ActingUnderstanding.open({
    sentences,
    registry: registryFromConfig(parseConfig(yaml, "home.yaml")),
    clock: fixedClock(new Date(2026, 0, 1, 12)),
    ...(prepare ? { prepare } : {}),
  });
}

/** The moment every conversation of these tests happens at: a Saturday afternoon (time, date, timers). */
const AFTERNOON = new Date("2026-03-14T15:09:26Z");

/**
 * Understands `text` in a fresh conversation with `config`'s home, so that no sentence leans on the
 * one before ("it").
 */
export function understandFresh(
  config: Config,
  sentences: CompiledSentences,
  text: string,
  area?: string,
): Understanding {
  return replyFresh(config, sentences, text, area).understanding;
}

/** What the user hears for `text` in a fresh conversation (see understandFresh), with what it was understood as. */
export function replyFresh(
  config: Config,
  sentences: CompiledSentences,
  text: string,
  area?: string,
): TextResult {
  const clock = fixedClock(AFTERNOON);
  const u = new TextUnderstanding({
    sentences,
    registry: registryFromConfig(config),
    timers: new TimerManager(clock),
    clock,
    fuzzyThreshold: config.intents.fuzzy_threshold,
    siteArea: config.site.area,
  });
  return u.understand(text, area ? { area } : {});
}

/**
 * Stands for the home that `open` gives once a beforeAll has opened it, so that the tests declared
 * before it opens can name it: each property is read from the open home when a test runs. `what`
 * names the home in the error when it is used outside a test.
 */
export function openedLater(open: () => ActingUnderstanding | undefined, what: string): ActingUnderstanding {
  return new Proxy({} as ActingUnderstanding, {
    get(_, key) {
      const home = open();
      if (!home) throw new Error(`${what} is open only while a test runs`);
      const value: unknown = Reflect.get(home, key, home);
      return typeof value === "function" ? value.bind(home) : value;
    },
  });
}

/**
 * One conversation that carries out what Hearth does itself: lists kept in a file of a temporary
 * folder, and the broadcasts, media searches and timer changes it made recorded for the test.
 */
export class ActingUnderstanding {
  private constructor(
    readonly dir: string,
    readonly lists: ListStore,
    readonly understanding: TextUnderstanding,
    readonly broadcasts: string[],
    readonly media: MediaRequest[],
    readonly timerEvents: TimerChange[],
  ) {}

  /**
   * `prepare` runs once the list store exists and before the first sentence (to give the home's
   * to-do entities their lists, or the lists their entities).
   */
  static async open(options: {
    sentences: CompiledSentences;
    registry: Registry;
    clock: Clock;
    prepare?: (lists: ListStore, registry: Registry) => void;
  }): Promise<ActingUnderstanding> {
    const dir = await mkdtemp(join(tmpdir(), "hearth-acting-"));
    const lists = new ListStore({ file: join(dir, "lists.json"), log: silentLogger() });
    options.prepare?.(lists, options.registry);
    const broadcasts: string[] = [];
    const media: MediaRequest[] = [];
    const timerEvents: TimerChange[] = [];
    const understanding = new TextUnderstanding({
      sentences: options.sentences,
      registry: options.registry,
      timers: new TimerManager(options.clock, (change) => timerEvents.push(change)),
      lists,
      broadcast: (message) => broadcasts.push(message),
      playMedia: (request) => media.push(request),
      clock: options.clock,
      fuzzyThreshold: 0.8,
    });
    return new ActingUnderstanding(dir, lists, understanding, broadcasts, media, timerEvents);
  }

  understand(text: string, context: RequestContext = {}): TextResult {
    return this.understanding.understand(text, context);
  }

  /**
   * Every intent understood for `text` said in `area`: its name, slots and targets. A sentence not
   * understood throws with what it was taken for, so the test fails showing it.
   */
  said(text: string, area?: string): { name: string; slots: Slots; targets: string[] }[] {
    const u = this.understand(text, area ? { area } : {}).understanding;
    if (u.kind !== "recognized") throw new Error(`${text}: ${JSON.stringify(u)}`);
    return u.intents.map((i) => ({ name: i.name, slots: i.slots, targets: i.targets }));
  }

  /** The one intent understood for `text` said in `area` (see said); two or more fail the test. */
  saidOnce(text: string, area?: string): { name: string; slots: Slots; targets: string[] } {
    const all = this.said(text, area);
    expect(all, text).toHaveLength(1);
    return all[0] as (typeof all)[number];
  }

  /** Fails the test unless `text` said in `area` is taken for no command at all. */
  expectNoCommand(text: string, area?: string): void {
    expect(this.understand(text, area ? { area } : {}).understanding.kind, text).toBe("not-recognized");
  }

  /** Writes the lists out and removes the folder. */
  async close(): Promise<void> {
    await this.lists.flush();
    await rm(this.dir, { recursive: true, force: true });
  }
}
