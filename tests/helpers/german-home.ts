import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parse as parseYaml } from "yaml";
import { type Config, configSchema } from "../../src/config/schema.js";
import { fixedClock } from "../../src/core/clock.js";
import { type CompiledSentences, loadSentences } from "../../src/intents/sentences.js";
import type { Understanding } from "../../src/intents/types.js";
import { registryFromConfig } from "../../src/registry/from-config.js";
import { ActingUnderstanding, openedLater, replyFresh } from "./understanding.js";

/*
 * The German intent tests' home: one of tests/intents/fixtures/home-de*.yaml with Hearth's own German
 * and Home Assistant's German pack (../shared/ha-intents, CC BY 4.0), as `site.language: de` loads
 * them, the speaker in the home's own area (`site.area`) unless a sentence gives another, and the
 * checks those tests make of a sentence.
 */

const FIXTURES = fileURLToPath(new URL("../intents/fixtures/", import.meta.url));
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
  /**
   * The German twin of describeEnglishHome (tests/helpers/english-homes.ts): a describe titled
   * `title` with a test for each sentence of `wants`, named after its text (“…”) and checked, then
   * one for each of `notCommands` (“…” is no command), refused.
   */
  describeSentences(title: string, wants: readonly Want[], notCommands?: readonly string[]): void;
  /**
   * An acting conversation (see `acting`) opened before the tests of the describe this is called
   * in and closed after them; it stands for that conversation, so use it inside a test.
   */
  actingHome(): ActingUnderstanding;
}

/** What was understood, in one line, for a failing expectation's message. */
export function describeResult(u: Understanding): string {
  if (u.kind === "recognized")
    return u.intents.map((i) => `${i.name} ${JSON.stringify(i.slots)} → ${i.targets.join(",")}`).join("; ");
  return u.kind === "not-recognized" ? `${u.reason}${u.subject ? ` (${u.subject})` : ""}` : u.kind;
}

/**
 * The German home `fixture` (a file of tests/intents/fixtures, home-de.yaml unless named), loaded
 * before the tests of the file or describe this is called in and its parsed-pack cache removed after
 * them.
 */
export function germanHome(fixture = "home-de.yaml"): GermanHome {
  const home = join(FIXTURES, fixture);
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

  function describeSentences(
    title: string,
    wants: readonly Want[],
    notCommands: readonly string[] = [],
  ): void {
    describe(title, () => {
      test.each<Want>(wants)("“$text”", check);
      if (notCommands.length > 0) test.each(notCommands)("“%s” is no command", refused);
    });
  }

  function actingHome(): ActingUnderstanding {
    let open: ActingUnderstanding | undefined;
    beforeAll(async () => {
      open = await acting();
    });
    afterAll(() => open?.close());
    return openedLater(() => open, "the acting German home");
  }

  return { understand, check, refused, acting, describeSentences, actingHome };
}
