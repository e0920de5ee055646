import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, expectTypeOf, it, vi } from "vitest";
import { intentsSchema } from "../../../src/config/schema.js";
import { resolveStateDir } from "../../../src/config/state-dir.js";
import { fixedClock } from "../../../src/core/clock.js";
import { HearthError } from "../../../src/core/errors.js";
import { checkConfig } from "../../../src/doctor/config-check.js";
import { type CompiledSentences, loadSentences } from "../../../src/intents/sentences.js";
import { TextUnderstanding } from "../../../src/intents/text-understanding.js";
import { TimerManager } from "../../../src/intents/timers.js";
import type { RecognizedIntent } from "../../../src/intents/types.js";
import { packHome } from "./homes.js";

const PACK = "../shared/ha-intents";

async function understander(language: "en" | "de", packs: string[] = [PACK], extra: object = {}) {
  const sentences = await loadSentences(intentsSchema.parse({ packs, ...extra }), {
    language,
    configDir: process.cwd(),
    stateDir: resolveStateDir({}, process.cwd()),
  });
  return textPath(sentences, language);
}

function textPath(sentences: CompiledSentences, language: "en" | "de") {
  const clock = fixedClock(new Date("2026-01-01T12:00:00Z"));
  const u = new TextUnderstanding({
    sentences,
    registry: packHome(language),
    timers: new TimerManager(clock),
    clock,
    fuzzyThreshold: 0.8,
  });
  return (text: string, area?: string): RecognizedIntent | string => {
    const r = u.understand(text, { area }).understanding;
    if (r.kind === "recognized" && r.intents.length === 1) return r.intents[0] as RecognizedIntent;
    return `${r.kind}${r.kind === "not-recognized" ? ` ${r.reason}` : ""}`;
  };
}

function intent(name: string, slots: Record<string, string | number>) {
  return expect.objectContaining({ name, slots: expect.objectContaining(slots) });
}

describe("the English pack", () => {
  let parse: Awaited<ReturnType<typeof understander>>;
  beforeAll(async () => {
    parse = await understander("en");
  });

  it("understands a device by its name, with optional words and alternatives", () => {
    expect(parse("turn on the reading lamp")).toEqual(intent("HassTurnOn", { name: "Reading Lamp" }));
    expect(parse("switch the desk lamp off")).toEqual(intent("HassTurnOff", { name: "Desk Lamp" }));
    expect(parse("activate the reading lamp")).toEqual(intent("HassTurnOn", { name: "Reading Lamp" }));
  });

  it("applies the pack's skip words", () => {
    expect(parse("could you turn on the reading lamp please")).toEqual(
      intent("HassTurnOn", { name: "Reading Lamp" }),
    );
  });

  it("fills areas and floors, and the speaker's area for 'in here'", () => {
    expect(parse("turn off the lights in the kitchen")).toEqual(
      intent("HassTurnOff", { domain: "light", area: "Kitchen" }),
    );
    expect(parse("turn on the lights on the first floor")).toEqual(
      intent("HassTurnOn", { domain: "light", floor: "First Floor" }),
    );
    expect(parse("turn on the lights in here", "Office")).toEqual(
      intent("HassTurnOn", { domain: "light", area: "Office" }),
    );
  });

  it("reads numbers in digits and in words, with units, into Home Assistant's slot values", () => {
    expect(parse("set the reading lamp to 40%")).toEqual(
      intent("HassLightSet", { name: "Reading Lamp", brightness: 40 }),
    );
    expect(parse("set the reading lamp brightness to twenty five percent")).toEqual(
      intent("HassLightSet", { name: "Reading Lamp", brightness: 25 }),
    );
    expect(parse("set the temperature to twenty one point five degrees")).toEqual(
      intent("HassClimateSetTemperature", { temperature: 21.5 }),
    );
  });

  it("maps list values to their out value (in/out lists)", () => {
    expect(parse("set the reading lamp to maximum")).toEqual(intent("HassLightSet", { brightness: 100 }));
    expect(parse("is the phone low")).toEqual(
      intent("HassGetState", { name: "Phone", device_class: "battery", state: "on" }),
    );
    expect(parse("is the back door open")).toEqual(
      intent("HassGetState", { name: "Back Door", device_class: "door", state: "on" }),
    );
  });

  it("checks a block's requires_context against the named device", () => {
    // "<name> <light>" only fits a light; the coffee maker is a switch.
    expect(parse("turn on the reading lamp light")).toEqual(intent("HassTurnOn", { name: "Reading Lamp" }));
    expect(parse("open the garage door")).toEqual(intent("HassTurnOn", { name: "Garage Door" }));
    expect(parse("lock the front door lock")).toEqual(intent("HassTurnOn", { name: "Front Door Lock" }));
  });

  it("fills wildcards with whatever was said, and timers with their durations", () => {
    expect(parse("add birthday cake to my chores list")).toEqual(
      intent("HassListAddItem", { item: "birthday cake", name: "Chores" }),
    );
    expect(parse("set a timer for 5 minutes and 30 seconds")).toEqual(
      intent("HassStartTimer", { minutes: 5, seconds: 30 }),
    );
    expect(parse("set a pizza timer for ten minutes")).toEqual(
      intent("HassStartTimer", { name: "pizza", minutes: 10 }),
    );
    expect(parse("broadcast dinner is ready")).toEqual(
      intent("HassBroadcast", { message: "dinner is ready" }),
    );
  });

  it("prefers the reading that understands more of the sentence", () => {
    expect(parse("play the podcast abbey road on the tv")).toEqual(
      intent("HassMediaSearchAndPlay", { media_class: "podcast", search_query: "abbey road", name: "TV" }),
    );
  });

  it("answers what it does not understand as not recognised", () => {
    expect(parse("tell me a joke about penguins")).toBe("not-recognized no_match");
  });
});

describe("the German pack", () => {
  let parse: Awaited<ReturnType<typeof understander>>;
  beforeAll(async () => {
    parse = await understander("de");
  });

  it("understands German sentences with German number words", () => {
    expect(parse("schalte die Leselampe ein")).toEqual(intent("HassTurnOn", { name: "Leselampe" }));
    expect(parse("Licht im Wohnzimmer aus")).toEqual(
      intent("HassTurnOff", { domain: "light", area: "Wohnzimmer" }),
    );
    expect(parse("Helligkeit von Leselampe auf fünfundzwanzig Prozent")).toEqual(
      intent("HassLightSet", { name: "Leselampe", brightness: 25 }),
    );
    expect(parse("Timer für eine Minute")).toEqual(intent("HassStartTimer", { minutes: 1 }));
    expect(parse("Timer für einundzwanzig Minuten und dreißig Sekunden")).toEqual(
      intent("HassStartTimer", { minutes: 21, seconds: 30 }),
    );
  });

  it("understands words glued to names and areas (compounds, genitive s)", () => {
    expect(parse("mach das Garagentor zu")).toEqual(intent("HassTurnOff", { name: "Garagentor" }));
    expect(parse("schalte das Licht des Wohnzimmers aus")).toEqual(
      intent("HassTurnOff", { domain: "light", area: "Wohnzimmer" }),
    );
    expect(parse("hake Milch auf der Hausarbeitsliste ab")).toEqual(
      intent("HassListCompleteItem", { item: "Milch", name: "Hausarbeit" }),
    );
  });
});

describe("packs and the rest of the configuration", () => {
  it("combines a pack with the user's own sentences, which win a tie", async () => {
    const parse = await understander("en", [PACK], {
      custom: { MakeCoffee: { sentences: ["make [me] a coffee"] } },
    });
    expect(parse("make me a coffee")).toEqual(intent("MakeCoffee", {}));
    expect(parse("turn on the reading lamp")).toEqual(intent("HassTurnOn", { name: "Reading Lamp" }));
  });

  it("leaves out the intents in intents.disabled, pack intents included", async () => {
    const parse = await understander("en", [PACK], { disabled: ["HassBroadcast"] });
    expect(parse("broadcast dinner is ready")).not.toEqual(intent("HassBroadcast", {}));
  });

  it("reads a language merged into one JSON file, and 'pulled' from the state directory", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hearth-pack-"));
    const merged = {
      language: "de",
      intents: { HassTurnOn: { data: [{ sentences: ["<an> {name}"], slots: { domain: "light" } }] } },
      expansion_rules: { an: "(mach|schalte) an" },
      lists: {},
      skip_words: ["bitte"],
      responses: { intents: { HassTurnOn: { default: "Erledigt" } } },
    };
    mkdirSync(join(dir, "languages", "de"), { recursive: true });
    writeFileSync(join(dir, "languages", "de", "de.json"), JSON.stringify(merged));
    writeFileSync(join(dir, "de.json"), JSON.stringify(merged));
    for (const packs of [["de.json"], ["pulled"]]) {
      const sentences = await loadSentences(intentsSchema.parse({ packs }), {
        language: "de",
        configDir: dir,
        stateDir: dir,
      });
      expect(textPath(sentences, "de")("bitte mach an Leselampe")).toEqual(
        intent("HassTurnOn", { name: "Leselampe", domain: "light" }),
      );
    }
  });
});

describe("where a pulled language is looked for", () => {
  it("is the state directory of Hearth's one rule: $STATE_DIRECTORY under systemd, not a folder beside the config", async () => {
    // The loader takes the directory from its caller (resolveStateDir) and has no fallback of its own.
    expectTypeOf<Parameters<typeof loadSentences>[1]["stateDir"]>().toEqualTypeOf<string>();
    const configDir = mkdtempSync(join(tmpdir(), "hearth-conf-"));
    const stateDir = mkdtempSync(join(tmpdir(), "hearth-state-"));
    writeFileSync(join(configDir, "hearth.yaml"), "site: { language: de }\nintents: { packs: [pulled] }\n");
    const merged = {
      language: "de",
      intents: { HassTurnOn: { data: [{ sentences: ["mach {name} an"], slots: { domain: "light" } }] } },
      lists: {},
      responses: { intents: { HassTurnOn: { default: "Erledigt" } } },
    };
    mkdirSync(join(stateDir, "languages", "de"), { recursive: true });
    writeFileSync(join(stateDir, "languages", "de", "de.json"), JSON.stringify(merged));
    vi.stubEnv("STATE_DIRECTORY", stateDir);
    try {
      // What the daemon, `hearth check-config` and `hearth doctor` do with the config.
      const { result } = await checkConfig(join(configDir, "hearth.yaml"));
      expect(result).toMatchObject({ ok: true });
      // The pulled pack's intent, beside those of Hearth's own German that complete it.
      expect(result.detail).toMatch(/\d+ intents with \d+ sentence templates/);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe("bad packs", () => {
  async function problems(
    files: Record<string, string>,
    language = "en",
    packs = ["pack"],
  ): Promise<string[]> {
    const dir = mkdtempSync(join(tmpdir(), "hearth-badpack-"));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, ".."), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    try {
      await loadSentences(intentsSchema.parse({ packs }), { language, configDir: dir, stateDir: dir });
    } catch (err) {
      expect(err).toBeInstanceOf(HearthError);
      return ((err as HearthError).details as string[]).map((d) => d.replace(dir, "DIR"));
    }
    throw new Error("the pack was accepted");
  }

  it("names a missing pack, a missing language and a language not pulled yet", async () => {
    expect(await problems({}, "en", ["nowhere"])).toEqual(["DIR/nowhere: no such file or folder"]);
    expect(await problems({ "pack/sentences/en/a.yaml": "language: en" }, "fr")).toEqual([
      'DIR/pack: no sentences for language "fr" (it has: en)',
    ]);
    expect(await problems({}, "de", ["pulled"])).toEqual([
      `DIR/languages/de/de.json: no pulled language "de" (run: hearth language pull de)`,
    ]);
  });

  it("names the file and line of a YAML error, an unknown list, a bad template and a bad rule", async () => {
    const found = await problems({
      "pack/sentences/en/broken.yaml": "language: en\nintents: [\n",
      "pack/sentences/en/light.yaml": [
        "language: en",
        "intents:",
        "  HassTurnOn:",
        "    data:",
        "      - sentences:",
        '          - "turn on {name}"',
        '          - "switch on {colour}"',
        '          - "turn (on {name}"',
        '          - "light <shine> {name}"',
        "expansion_rules:",
        '  shine: "(bright"',
      ].join("\n"),
    });
    expect(found).toHaveLength(4);
    expect(found[0]).toMatch(/^DIR\/pack\/sentences\/en\/broken\.yaml:3: is not valid YAML/);
    expect(found).toContain(
      "DIR/pack/sentences/en/light.yaml:11: expansion rule <shine>: template \"(bright\": missing ')' at character 8",
    );
    expect(found).toContain(
      'DIR/pack/sentences/en/light.yaml:7: HassTurnOn: template "switch on {colour}": unknown list {colour}',
    );
    expect(found).toContain(
      "DIR/pack/sentences/en/light.yaml:8: HassTurnOn: template \"turn (on {name}\": missing ')' at character 16",
    );
  });

  it("names a JSON error by line", async () => {
    const found = await problems({ "de.json": '{\n  "language": "de",\n  "intents": {,\n}' }, "de", [
      "de.json",
    ]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^DIR\/de\.json(:3)?: is not valid JSON/);
  });

  it("refuses a language with neither built-in sentences nor a pack", async () => {
    await expect(
      loadSentences(intentsSchema.parse({}), {
        language: "fr",
        configDir: process.cwd(),
        stateDir: resolveStateDir({}, process.cwd()),
      }),
    ).rejects.toThrow(/no built-in sentences in "fr"/);
  });

  it("refuses German without its pack: Hearth's German sentences only complete it", async () => {
    await expect(
      loadSentences(intentsSchema.parse({}), {
        language: "de",
        configDir: process.cwd(),
        stateDir: resolveStateDir({}, process.cwd()),
      }),
    ).rejects.toThrow(/built-in sentences in "de" complete a language pack/);
  });
});

describe("replies in the pack's language", () => {
  async function replier(language: "en" | "de") {
    const sentences = await loadSentences(intentsSchema.parse({ packs: [PACK] }), {
      language,
      configDir: process.cwd(),
      stateDir: resolveStateDir({}, process.cwd()),
    });
    const clock = fixedClock(new Date(2026, 0, 1, 12, 5));
    const u = new TextUnderstanding({
      sentences,
      registry: packHome(language),
      timers: new TimerManager(clock),
      clock,
      fuzzyThreshold: 0.8,
    });
    return (text: string, area?: string) => u.understand(text, { area }).reply;
  }

  it("answers from the English pack's responses, with the matched devices", async () => {
    const reply = await replier("en");
    expect(reply("turn off the lights in the kitchen")).toBe("Turned off the lights");
    expect(reply("are any lights on in the kitchen")).toBe("Yes, Ceiling Light");
    expect(reply("what is the outside temperature")).toBe("Outside temperature is 12.5 °C");
    expect(reply("set a timer for 5 minutes")).toBe("Timer set for 5 minutes");
    expect(reply("what time is it")).toBe("12:05 PM");
  });

  it("answers in German from the German pack", async () => {
    const reply = await replier("de");
    expect(reply("schalte die Leselampe ein")).toBe("Leselampe eingeschaltet");
    expect(reply("welche Lichter sind an")).toBe("Deckenlampe und Schreibtischlampe");
    expect(reply("Timer für fünf Minuten")).toBe("Timer für 5 Minuten gestartet");
    expect(reply("wie spät ist es")).toBe("Es ist 12:05");
  });

  it("says what was not found with the pack's error responses", async () => {
    const reply = await replier("en");
    expect(reply("tell me a joke about penguins")).toBe("Sorry, I couldn't understand that");
  });

  it("reports a response template that does not parse, with its file and line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hearth-badresponse-"));
    mkdirSync(join(dir, "sentences", "en"), { recursive: true });
    mkdirSync(join(dir, "responses", "en"), { recursive: true });
    writeFileSync(
      join(dir, "sentences", "en", "a.yaml"),
      'intents:\n  HassTurnOn:\n    data:\n      - sentences: ["wake {name}"]\n',
    );
    writeFileSync(
      join(dir, "responses", "en", "HassTurnOn.yaml"),
      'responses:\n  intents:\n    HassTurnOn:\n      default: "{% if x %}on"\n',
    );
    await expect(
      loadSentences(intentsSchema.parse({ packs: ["."] }), {
        language: "en",
        configDir: dir,
        stateDir: resolveStateDir({}, dir),
      }),
    ).rejects.toMatchObject({
      details: [expect.stringMatching(/HassTurnOn\.yaml:4: response template, line 1: 'if' without 'endif'/)],
    });
  });
});

describe("the cache of parsed pack files in the state directory", () => {
  /** A pack folder with one sentence file, a state directory, and a loader that records warnings. */
  function setup(sentence: string) {
    const dir = mkdtempSync(join(tmpdir(), "hearth-packcache-"));
    const file = join(dir, "pack", "sentences", "en", "light.yaml");
    mkdirSync(join(file, ".."), { recursive: true });
    const write = (s: string) =>
      writeFileSync(
        file,
        `language: en\nintents:\n  HassTurnOn:\n    data:\n      - sentences: ["${s}"]\n        slots: { domain: light }\n`,
      );
    write(sentence);
    const stateDir = join(dir, "state");
    const cacheDir = join(stateDir, "cache", "packs", "en");
    const warnings: string[] = [];
    const load = async () =>
      textPath(
        await loadSentences(intentsSchema.parse({ packs: ["pack"] }), {
          language: "en",
          configDir: dir,
          stateDir,
          log: (_fields, message) => warnings.push(message),
        }),
        "en",
      );
    return { write, load, cacheDir, warnings };
  }

  it("keeps what a file parsed to, and understands the same from it on the next start", async () => {
    const pack = setup("wake {name}");
    expect((await pack.load())("wake Ceiling Light")).toEqual(
      intent("HassTurnOn", { name: "Ceiling Light", domain: "light" }),
    );
    const entries = readdirSync(pack.cacheDir);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatch(/^[0-9a-f]{64}\.json$/);
    expect((await pack.load())("wake Ceiling Light")).toEqual(
      intent("HassTurnOn", { name: "Ceiling Light", domain: "light" }),
    );
    expect(readdirSync(pack.cacheDir)).toEqual(entries);
    expect(pack.warnings).toEqual([]);
  });

  it("parses a changed file again and drops the entry of its old text", async () => {
    const pack = setup("wake {name}");
    await pack.load();
    const before = readdirSync(pack.cacheDir);
    pack.write("rouse {name}");
    const understand = await pack.load();
    expect(understand("rouse Ceiling Light")).toEqual(
      intent("HassTurnOn", { name: "Ceiling Light", domain: "light" }),
    );
    expect(understand("wake Ceiling Light")).toBe("not-recognized no_match");
    const after = readdirSync(pack.cacheDir);
    expect(after).toHaveLength(1);
    expect(after).not.toEqual(before);
  });

  it("ignores a damaged entry, says so, and writes it anew", async () => {
    const pack = setup("wake {name}");
    await pack.load();
    const [entry] = readdirSync(pack.cacheDir) as [string];
    writeFileSync(join(pack.cacheDir, entry), '{"intents": {"HassTurnOn": ');
    expect((await pack.load())("wake Ceiling Light")).toEqual(
      intent("HassTurnOn", { name: "Ceiling Light", domain: "light" }),
    );
    expect(pack.warnings).toEqual(["ignoring a damaged language pack cache file; reading the YAML again"]);
    expect(JSON.parse(readFileSync(join(pack.cacheDir, entry), "utf8"))).toHaveProperty("intents.HassTurnOn");
  });

  it("still names the line of a problem in a file read from the cache", async () => {
    const pack = setup("wake {name}");
    await pack.load();
    pack.write("wake {nam}");
    await expect(pack.load()).rejects.toMatchObject({
      details: [expect.stringMatching(/light\.yaml:5: HassTurnOn: .*unknown list \{nam\}/)],
    });
    // The same text again: now from the cache, and the line is worked out from the YAML.
    await expect(pack.load()).rejects.toMatchObject({
      details: [expect.stringMatching(/light\.yaml:5: HassTurnOn: .*unknown list \{nam\}/)],
    });
  });
});
