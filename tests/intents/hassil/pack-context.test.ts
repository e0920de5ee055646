import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { intentsSchema } from "../../../src/config/schema.js";
import { resolveStateDir } from "../../../src/config/state-dir.js";
import { fixedClock } from "../../../src/core/clock.js";
import type { MediaRequest } from "../../../src/intents/handlers.js";
import { type CompiledSentences, loadSentences } from "../../../src/intents/sentences.js";
import { TextUnderstanding } from "../../../src/intents/text-understanding.js";
import { TimerManager } from "../../../src/intents/timers.js";
import type { Registry } from "../../../src/registry/registry.js";
import { packHome } from "./homes.js";

/**
 * What a language pack's sentence requires of its context, and what its replies say: Home
 * Assistant's packs (../shared/ha-intents, CC BY 4.0, the Home Assistant intents project) and small
 * packs written here in their format.
 */
const PACK = "../shared/ha-intents";

async function sentencesFrom(language: "en" | "de", packs: string[], configDir = process.cwd()) {
  return loadSentences(intentsSchema.parse({ packs }), {
    language,
    configDir,
    stateDir: resolveStateDir({}, configDir),
  });
}

function textPath(sentences: CompiledSentences, registry: Registry, media: MediaRequest[] = []) {
  const clock = fixedClock(new Date("2026-01-01T12:00:00Z"));
  const u = new TextUnderstanding({
    sentences,
    registry,
    timers: new TimerManager(clock),
    clock,
    fuzzyThreshold: 0.8,
    broadcast: () => {},
    playMedia: (request) => media.push(request),
  });
  return (text: string, area?: string) => u.understand(text, { area });
}

/** A pack of one file, in the layout of Home Assistant's intents repository. */
function smallPack(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), "hearth-context-pack-"));
  mkdirSync(join(dir, "sentences", "en"), { recursive: true });
  writeFileSync(join(dir, "sentences", "en", "test.yaml"), `language: en\n${yaml}`);
  return dir;
}

describe("requires_context and excludes_context", () => {
  let say: ReturnType<typeof textPath>;
  beforeAll(async () => {
    const dir = smallPack(`
intents:
  HassTurnOn:
    data:
      - sentences: ["make {name} colourful"]
        requires_context:
          color_mode: [hs, xy]
      - sentences: ["wake {name} gently"]
        excludes_context:
          brightness: null
      - sentences: ["lights on up here"]
        slots: { domain: light }
        requires_context:
          floor: { slot: true }
      - sentences: ["start breakfast mode"]
        slots: { domain: switch }
        requires_context:
          area: { value: Kitchen, slot: true }
      - sentences: ["start quiet mode"]
        slots: { domain: light }
        excludes_context:
          floor: Ground Floor
`);
    const registry = packHome("en");
    const light = (id: string, attributes: Record<string, unknown>) => {
      const e = registry.entity(id);
      if (e) registry.upsertEntity({ ...e, attributes });
    };
    light("light.bed_light", { color_mode: "hs" });
    light("light.reading_lamp", { color_mode: "color_temp" });
    say = textPath(await sentencesFrom("en", ["."], dir), registry);
  });

  const understood = (r: ReturnType<typeof say>) =>
    r.understanding.kind === "recognized" ? r.understanding.intents[0] : r.understanding;

  it("compares any other key with the entity's attribute of that name", () => {
    expect(understood(say("make bed light colourful"))).toMatchObject({ targets: ["light.bed_light"] });
    expect(understood(say("make reading lamp colourful"))).toMatchObject({
      kind: "not-recognized",
      reason: "unsupported",
    });
  });

  it("excludes entities that have an attribute named without a value", () => {
    // The kitchen's ceiling light reports a brightness; the reading lamp does not.
    expect(understood(say("wake reading lamp gently"))).toMatchObject({ targets: ["light.reading_lamp"] });
    expect(understood(say("wake ceiling light gently"))).toMatchObject({ reason: "unsupported" });
  });

  it("fills the floor from the speaker's area, and asks where that is unknown", () => {
    // Bedroom, office and bathroom are on the first floor.
    expect(understood(say("lights on up here", "Office"))).toMatchObject({
      slots: { floor: "First Floor" },
      targets: ["light.bed_light", "light.desk_lamp", "light.mirror"],
    });
    expect(say("lights on up here")).toMatchObject({
      understanding: { kind: "not-recognized", reason: "no_area" },
    });
  });

  it("takes a sentence only where the speaker's area or floor is the one required, or not the one excluded", () => {
    expect(understood(say("start breakfast mode", "Kitchen"))).toMatchObject({
      slots: { area: "Kitchen" },
      targets: ["switch.coffee_maker"],
    });
    expect(understood(say("start breakfast mode", "Office"))).toMatchObject({ kind: "not-recognized" });
    expect(understood(say("start quiet mode", "Office"))).toMatchObject({ name: "HassTurnOn" });
    expect(understood(say("start quiet mode", "Kitchen"))).toMatchObject({ kind: "not-recognized" });
  });
});

describe("a pack's sentence that means where the speaker is", () => {
  it("asks which area, in the pack's language, where the speaker's area is unknown, and does nothing", async () => {
    const media: MediaRequest[] = [];
    const en = textPath(await sentencesFrom("en", [PACK]), packHome("en"), media);
    for (const text of [
      "turn on the lights",
      "turn off the lights in here",
      "play some jazz",
      "set the volume to 20%",
    ]) {
      const r = en(text);
      expect(r.understanding, text).toMatchObject({ kind: "not-recognized", reason: "no_area" });
      expect(r.reply).toBe("Which area do you mean? I don't know which area I'm in.");
    }
    expect(media).toEqual([]);
    const de = textPath(await sentencesFrom("de", [PACK]), packHome("de"));
    expect(de("schalte das Licht ein")).toMatchObject({
      understanding: { kind: "not-recognized", reason: "no_area" },
      reply: "Welchen Bereich meinst du? Ich weiß nicht, in welchem Bereich ich bin.",
    });
  });

  it("acts in the speaker's area where it is known", async () => {
    const media: MediaRequest[] = [];
    const en = textPath(await sentencesFrom("en", [PACK]), packHome("en"), media);
    expect(en("turn on the lights", "Kitchen").understanding).toMatchObject({
      intents: [{ name: "HassTurnOn", targets: ["light.kitchen_ceiling"] }],
    });
    en("play some jazz", "Kitchen");
    expect(media).toEqual([{ search_query: "jazz", targets: ["media_player.speaker"] }]);
  });

  it("asks even in a home with one such device, as Home Assistant does", async () => {
    const registry = packHome("en");
    registry.removeEntity("media_player.speaker");
    const en = textPath(await sentencesFrom("en", [PACK]), registry);
    expect(en("set the volume to 20%").understanding).toMatchObject({
      kind: "not-recognized",
      reason: "no_area",
    });
  });
});

describe("replies from a pack", () => {
  let en: ReturnType<typeof textPath>;
  let de: ReturnType<typeof textPath>;
  beforeAll(async () => {
    en = textPath(await sentencesFrom("en", [PACK]), packHome("en"));
    de = textPath(await sentencesFrom("de", [PACK]), packHome("de"));
  });

  it("name states in the pack's language", () => {
    expect(de("wie ist der Zustand von Leselampe").reply).toBe("Leselampe ist aus");
    expect(de("wie ist der Zustand von Rollo").reply).toBe("Rollo ist offen");
    expect(de("sind alle Fenster geschlossen").reply).toBe("Nein, Badfenster ist es nicht");
    expect(de("wie ist der Zustand von Staubsauger").reply).toBe("Staubsauger ist angedockt");
    // Said in the pack's one frame, "… ist <state>": words that can follow "ist".
    expect(de("wie ist der Zustand von Fernseher").reply).toBe("Fernseher ist am Abspielen");
    expect(de("wie ist der Zustand von Thermostat").reply).toBe("Thermostat ist im Heizbetrieb");
    expect(de("wie ist der Zustand von Ladegerät").reply).toBe("Ladegerät ist am Laden");
    expect(en("is the back door open").reply).toBe("No, closed");
    expect(en("are all windows closed").reply).not.toMatch(/\bon\b/);
  });

  it("keep states that the templates compare themselves (people, weather, numbers)", () => {
    expect(de("wo ist Alice").reply).toBe("Alice ist zu Hause");
    expect(en("what is the outside temperature").reply).toBe("Outside temperature is 12.5 °C");
  });

  it("tell that a media search was started", async () => {
    expect(en("play miles davis on the tv").reply).toBe("Playing media");
    expect(de("spiele Miles Davis auf dem Fernseher").reply).toBe("Wiedergabe wird gestartet");
  });
});

describe("free text in a pack's sentence", () => {
  let say: ReturnType<typeof textPath>;
  beforeAll(async () => {
    say = textPath(await sentencesFrom("en", [PACK]), packHome("en"));
  });

  it("is taken whole, however long a real sentence makes it", () => {
    const message =
      "dinner is ready and everyone should wash their hands and come to the kitchen before the food gets cold";
    expect(say(`broadcast that ${message}`).understanding).toMatchObject({
      intents: [{ name: "HassBroadcast", slots: { message } }],
    });
    const query = "the best of the rolling stones live at the hollywood bowl in nineteen seventy two";
    expect(say(`play ${query} on the tv`).understanding).toMatchObject({
      intents: [{ name: "HassMediaSearchAndPlay", slots: { search_query: query } }],
    });
  });

  it("is bounded, so an endless input is refused rather than matched", () => {
    const r = say(`broadcast ${"hello ".repeat(2000)}`);
    expect(r.understanding).toMatchObject({ kind: "not-recognized" });
  });
});

describe("a pack's sentence that Hearth's own handler cannot carry out", () => {
  it("is answered with the pack's error, in its language", async () => {
    const clock = fixedClock(new Date("2026-01-01T12:00:00Z"));
    const understander = async (language: "en" | "de") =>
      new TextUnderstanding({
        sentences: await sentencesFrom(language, [PACK]),
        registry: packHome(language),
        timers: new TimerManager(clock),
        clock,
        fuzzyThreshold: 0.8,
      });
    const en = await understander("en");
    expect(en.understand("pause the pizza timer").reply).toBe("Sorry, I couldn't find that timer");
    const de = await understander("de");
    expect(de.understand("pausiere den Timer").reply).toBe("Diesen Timer konnte ich nicht finden");
    // No broker to broadcast over: said, in German, in Hearth's own words (the pack's only words
    // would be "an unexpected error occurred").
    expect(de.understand("verkünde das Essen ist fertig").reply).toBe(
      "Eine Durchsage kann ich von hier aus nicht machen.",
    );
  });
});
