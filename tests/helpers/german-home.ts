import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect } from "vitest";
import { parse as parseYaml } from "yaml";
import { type Config, configSchema } from "../../src/config/schema.js";
import { fixedClock } from "../../src/core/clock.js";
import { type CompiledSentences, loadSentences } from "../../src/intents/sentences.js";
import type { Understanding } from "../../src/intents/types.js";
import { registryFromConfig } from "../../src/registry/from-config.js";
import { ActingUnderstanding, replyFresh } from "./understanding.js";

/*
 * The German intent tests' home: tests/intents/fixtures/home-de.yaml with Hearth's own German and
 * Home Assistant's German pack (../shared/ha-intents, CC BY 4.0), as `site.language: de` loads them,
 * and the checks those tests make of a sentence.
 */

const HOME_DE = fileURLToPath(new URL("../intents/fixtures/home-de.yaml", import.meta.url));
const PACK = resolve("../shared/ha-intents");

/** What a German sentence must be understood as. */
export interface Want {
  text: string;
  /** The speaker's area (else the home's own, the Wohnküche). */
  area?: string;
  intent: string;
  targets?: string[];
  slots?: Record<string, string | number>;
  /** Slots that must not be there (a word that stayed in free text, a wrong kind of device). */
  absent?: string[];
  reply?: string;
}

export interface GermanHome {
  /** A fresh conversation for each sentence (tests/helpers/understanding.ts's replyFresh). */
  understand(text: string, area?: string): { u: Understanding; reply: string };
  /** One sentence understood as one intent, with the targets, slots and reply it must have. */
  check(w: Want): void;
  /** A sentence that is no command: matched by nothing (or empty once skip words are gone). */
  refused(text: string): void;
  /**
   * One conversation in the home that carries out what Hearth does itself (lists kept in a
   * temporary file, a to-do list for each of the home's todo entities); close it after the test.
   */
  acting(): Promise<ActingUnderstanding>;
}

/** What was understood, in one line, for a failing expectation's message. */
export function describeResult(u: Understanding): string {
  if (u.kind === "recognized")
    return u.intents.map((i) => `${i.name} ${JSON.stringify(i.slots)} → ${i.targets.join(",")}`).join("; ");
  return u.kind === "not-recognized" ? `${u.reason}${u.subject ? ` (${u.subject})` : ""}` : u.kind;
}

/**
 * The German home (tests/intents/fixtures/home-de.yaml unless `home` names another), loaded before
 * the file's tests and its parsed-pack cache removed after them.
 */
export function germanHome(home: string = HOME_DE): GermanHome {
  let config: Config;
  let stateDir: string;
  let sentences: CompiledSentences;

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), "hearth-german-"));
    config = configSchema.parse(parseYaml(readFileSync(home, "utf8")));
    sentences = await loadSentences(
      { ...config.intents, packs: [PACK] },
      { language: "de", configDir: dirname(home), stateDir },
    );
  });

  afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

  function understand(text: string, area?: string): { u: Understanding; reply: string } {
    const r = replyFresh(config, sentences, text, area);
    return { u: r.understanding, reply: r.reply };
  }

  function check(w: Want): void {
    const { u, reply } = understand(w.text, w.area);
    const seen = describeResult(u);
    expect(u.kind, seen).toBe("recognized");
    if (u.kind !== "recognized") return;
    expect(
      u.intents.map((i) => i.name),
      seen,
    ).toEqual([w.intent]);
    const got = u.intents[0];
    if (!got) return;
    if (w.targets) expect([...got.targets].sort(), seen).toEqual([...w.targets].sort());
    for (const [slot, value] of Object.entries(w.slots ?? {})) expect(got.slots[slot], seen).toBe(value);
    for (const slot of w.absent ?? []) expect(got.slots[slot], seen).toBeUndefined();
    if (w.reply !== undefined) expect(reply, seen).toBe(w.reply);
  }

  function refused(text: string): void {
    const { u } = understand(text);
    expect(u.kind === "not-recognized" && ["no_match", "empty"].includes(u.reason), describeResult(u)).toBe(
      true,
    );
  }

  function acting(): Promise<ActingUnderstanding> {
    return ActingUnderstanding.open({
      sentences,
      registry: registryFromConfig(config),
      clock: fixedClock(new Date("2026-03-14T15:09:26Z")),
      prepare: (lists, registry) => {
        for (const e of registry.entities().filter((x) => x.domain === "todo")) lists.ensure(e.id, e.name);
      },
    });
  }

  return { understand, check, refused, acting };
}
