import { beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/parse-config.js";
import { intentsSchema } from "../../src/config/schema.js";
import { resolveStateDir } from "../../src/config/state-dir.js";
import { fixedClock } from "../../src/core/clock.js";
import { replyForIntent } from "../../src/intents/replies.js";
import { resolveCall } from "../../src/intents/resolve.js";
import { type CompiledSentences, loadSentences } from "../../src/intents/sentences.js";
import { TextUnderstanding } from "../../src/intents/text-understanding.js";
import { TimerManager } from "../../src/intents/timers.js";
import { registryFromConfig } from "../../src/registry/from-config.js";
import type { Registry } from "../../src/registry/registry.js";
import type { Entity } from "../../src/registry/types.js";

/**
 * A home written as Home Assistant allows it: entities sharing a name (a phone's sensors), a domain
 * Hearth cannot act on, and entities known by their own name without their device's. Through the
 * real matcher with Hearth's own English.
 */
const HOME = `
areas: [{ name: Kitchen }, { name: Office }]
devices:
  - { id: sensor.phone_battery, name: Phone, device_class: battery, unit: "%", state: 80 }
  - { id: binary_sensor.phone_charging, name: Phone, device_class: battery_charging, state: "on" }
  - { id: binary_sensor.phone_connected, name: Phone, device_class: connectivity, state: "off" }
  - { id: siren.hall, name: Hall Siren, state: "off" }
  - { id: light.kitchen, name: Kitchen Light, area: Kitchen, state: "off" }
`;

let sentences: CompiledSentences;
beforeAll(async () => {
  sentences = await loadSentences(intentsSchema.parse({}), {
    language: "en",
    configDir: ".",
    stateDir: resolveStateDir({}, "."),
  });
});

function home(extra: Entity[] = []): Registry {
  const registry = registryFromConfig(parseConfig(HOME, "home.yaml"));
  for (const e of extra) registry.upsertEntity(e);
  return registry;
}

function understanding(registry: Registry) {
  const clock = fixedClock(new Date(2025, 0, 1, 12));
  return new TextUnderstanding({
    sentences,
    registry,
    timers: new TimerManager(clock),
    clock,
    fuzzyThreshold: 0.8,
    siteArea: "Kitchen",
  });
}

/** A discovered plug, named as Home Assistant composes it, with its own name beside. */
function plug(id: string, device: string, own: string, areaId?: string): Entity {
  return {
    id,
    name: `${device} ${own}`,
    ownName: own,
    domain: "switch",
    areaId,
    aliases: [],
    attributes: {},
    source: "discovery",
    state: "off",
  };
}

describe("a home as Home Assistant allows it", () => {
  it("loads entities sharing a name and a domain Hearth does not act on", () => {
    const registry = home();
    expect(registry.entities().filter((e) => e.name === "Phone")).toHaveLength(3);
    expect(registry.entity("siren.hall")?.domain).toBe("siren");
  });

  it("tells devices sharing a name apart by the state asked about", () => {
    const registry = home();
    const charging = resolveCall(
      { name: "HassGetState", slots: { name: "Phone", state: "charging" } },
      registry,
      {},
    );
    expect(charging).toMatchObject({ ok: true, intent: { targets: ["binary_sensor.phone_charging"] } });
    const connected = resolveCall(
      { name: "HassGetState", slots: { name: "Phone", state: "connected" } },
      registry,
      {},
    );
    expect(connected).toMatchObject({ ok: true, intent: { targets: ["binary_sensor.phone_connected"] } });
  });

  it("asks back which one when a question fits several devices of one name", () => {
    const r = understanding(home()).understand("what is the phone");
    expect(r.understanding).toMatchObject({ kind: "not-recognized", reason: "ambiguous", subject: "Phone" });
    expect(r.reply).toBe("Which phone do you mean: the battery, the battery charging or the connectivity?");
  });

  it("answers about a device of a domain it cannot act on, and says it cannot act on it", () => {
    const u = understanding(home());
    expect(u.understand("is the hall siren on").reply).toBe("No, the hall siren is off.");
    const r = u.understand("turn on the hall siren");
    expect(r.understanding).toMatchObject({ kind: "not-recognized", reason: "unsupported" });
    expect(r.reply).toBe("Sorry, the hall siren can't do that.");
  });

  it("knows a device by its own name without its device's name while that is unambiguous", () => {
    const registry = home([plug("switch.plug77", "Plug 77", "Heater Plug", "office")]);
    const r = understanding(registry).understand("turn on the heater plug");
    expect(r.understanding).toMatchObject({
      kind: "recognized",
      intents: [{ name: "HassTurnOn", slots: { name: "Plug 77 Heater Plug" }, targets: ["switch.plug77"] }],
    });
    expect(r.reply).toBe("Turned on the plug 77 heater plug.");
  });

  it("does not take a shared or generic own name for one device", () => {
    const registry = home([
      plug("switch.plug77", "Plug 77", "Heater Plug", "office"),
      plug("switch.plug78", "Plug 78", "Heater Plug", "office"),
      plug("switch.kitchen_plug", "Kitchen Plug", "Light", "kitchen"),
    ]);
    const u = understanding(registry);
    expect(u.understand("turn on the heater plug").understanding).toMatchObject({
      kind: "not-recognized",
      reason: "unknown_name",
    });
    // "the light" still means the lights where the speaker is, not a plug whose own name is "Light".
    expect(u.understand("turn on the light").understanding).toMatchObject({
      kind: "recognized",
      intents: [{ name: "HassTurnOn", targets: ["light.kitchen"] }],
    });
  });
});

describe("which, how many, any and all, from live state", () => {
  const QUESTIONS = `
areas: [{ name: Kitchen }, { name: Office }]
devices:
  - { id: binary_sensor.kitchen_window, name: Kitchen Window, area: Kitchen, device_class: window, state: "on" }
  - { id: binary_sensor.office_window, name: Office Window, area: Office, device_class: window, state: "off" }
  - { id: binary_sensor.hall_window, name: Hall Window, device_class: window, state: "on" }
  - { id: binary_sensor.back_door, name: Back Door, device_class: door, state: "off" }
  - { id: light.kitchen, name: Kitchen Light, area: Kitchen, state: "on" }
  - { id: light.office, name: Office Light, area: Office, state: "off" }
`;
  const registry = registryFromConfig(parseConfig(QUESTIONS, "home.yaml"));
  const ask = (slots: Record<string, string>, response: string) => {
    const r = resolveCall({ name: "HassGetState", slots, response }, registry, {});
    if (!r.ok) throw new Error(`not resolved: ${r.reason}`);
    return replyForIntent(r.intent, { registry, clock: fixedClock(new Date()), customReplies: new Map() });
  };
  const windowsOpen = { domain: "binary_sensor", device_class: "window", state: "on" };

  it.each<[string, Record<string, string>, string, string]>([
    ["which windows are open", windowsOpen, "which", "The hall window and the kitchen window are open."],
    ["how many windows are open", windowsOpen, "how_many", "2 windows are open."],
    ["are any windows open", windowsOpen, "any", "Yes, the hall window and the kitchen window are open."],
    ["are all windows open", windowsOpen, "all", "No, the office window is not open."],
    [
      "are any doors open",
      { domain: "binary_sensor", device_class: "door", state: "on" },
      "any",
      "No, no doors are open.",
    ],
    [
      "are all the lights on in the kitchen",
      { domain: "light", area: "Kitchen", state: "on" },
      "all",
      "Yes, the kitchen light is on.",
    ],
    ["which lights are off", { domain: "light", state: "off" }, "which", "The office light is off."],
    ["how many lights are on", { domain: "light", state: "on" }, "how_many", "1 light is on."],
  ])("answers %j", (_sentence, slots, response, reply) => {
    expect(ask(slots, response)).toBe(reply);
  });
});

describe("a home as Home Assistant allows it, with Home Assistant's English and German packs", () => {
  // The packs are Home Assistant's own sentences (../shared/ha-intents, CC BY 4.0, the Home
  // Assistant intents project); the names of this home are written here, in both languages.
  const HOMES = {
    en: `
areas: [{ name: Kitchen }, { name: Office }]
devices:
  - { id: sensor.phone_battery, name: Phone, device_class: battery, unit: "%", state: 80 }
  - { id: binary_sensor.phone_charging, name: Phone, device_class: battery_charging, state: "on" }
  - { id: binary_sensor.phone_connected, name: Phone, device_class: connectivity, state: "off" }
  - { id: siren.hall, name: Hall Siren, state: "off" }
  - { id: water_heater.boiler, name: Boiler, state: eco }
  - { id: switch.office_lamp, name: Lamp, area: Office, state: "off" }
  - { id: light.kitchen_lamp, name: Lamp, area: Kitchen, state: "off" }
`,
    de: `
areas: [{ name: Küche }, { name: Büro }]
devices:
  - { id: sensor.phone_battery, name: Handy, device_class: battery, unit: "%", state: 80 }
  - { id: binary_sensor.phone_charging, name: Handy, device_class: battery_charging, state: "on" }
  - { id: binary_sensor.phone_connected, name: Handy, device_class: connectivity, state: "off" }
  - { id: siren.hall, name: Sirene, state: "off" }
  - { id: water_heater.boiler, name: Boiler, state: eco }
  - { id: switch.office_lamp, name: Lampe, area: Büro, state: "off" }
  - { id: light.kitchen_lamp, name: Lampe, area: Küche, state: "off" }
`,
  };
  /** [sentence, speaker's area, the devices it acts on or the reason it does not, the reply]. */
  const CASES: Record<"en" | "de", Array<[string, string | undefined, string[] | string, string]>> = {
    en: [
      ["is the phone charging", undefined, ["binary_sensor.phone_charging"], "Yes"],
      ["what is the phone battery", undefined, ["sensor.phone_battery"], "Phone is 80 %"],
      ["is the phone connected", undefined, ["binary_sensor.phone_connected"], "No, disconnected"],
      ["what is the phone", undefined, "ambiguous", "Sorry, there are multiple devices called Phone"],
      [
        "turn on the lamp",
        undefined,
        "ambiguous",
        "Which lamp do you mean: the one in the office or the one in the kitchen?",
      ],
      ["turn on the lamp", "Office", ["switch.office_lamp"], "Turned on the switch"],
      ["turn off the lamp in the kitchen", undefined, ["light.kitchen_lamp"], "Turned off the light"],
      ["is the hall siren on", undefined, ["siren.hall"], "No, off"],
      ["turn on the hall siren", undefined, "unsupported", "Sorry, no device supports the required features"],
      ["turn on the boiler", undefined, ["water_heater.boiler"], "Turned on the water heater"],
      [
        "turn on the lights in the office",
        undefined,
        "no_targets",
        "Sorry, there are no lights in the office.",
      ],
    ],
    de: [
      ["lädt das Handy", undefined, ["binary_sensor.phone_charging"], "Ja"],
      ["ist das Handy verbunden", undefined, ["binary_sensor.phone_connected"], "Nein"],
      ["wie ist der Zustand von Handy", undefined, "ambiguous", "Es wurden mehrere Handy gefunden"],
      [
        "schalte die Lampe ein",
        undefined,
        "ambiguous",
        "Welches Gerät namens Lampe meinst du: das im Bereich Büro oder das im Bereich Küche?",
      ],
      ["schalte die Lampe ein", "Büro", ["switch.office_lamp"], "Lampe eingeschaltet"],
      ["schalte die Lampe in der Küche aus", undefined, ["light.kitchen_lamp"], "Lampe ausgeschaltet"],
      ["ist die Sirene an", undefined, ["siren.hall"], "Nein"],
      ["schalte die Sirene ein", undefined, "unsupported", "Kein Gerät unterstützt die benötigte Funktion"],
      [
        "schalte das Licht im Büro ein",
        undefined,
        "no_targets",
        "Im Bereich Büro wurde keine Leuchte gefunden",
      ],
      // The sentence names no domain: the intent's own (thermostats) is the one missing.
      ["wie warm ist es im Büro", undefined, "no_targets", "Im Bereich Büro wurde kein Thermostat gefunden"],
    ],
  };

  it.each(["en", "de"] as const)(
    "loads in %s, picks the device meant or says why not, in the pack's words",
    async (language) => {
      const sentences = await loadSentences(intentsSchema.parse({ packs: ["../shared/ha-intents"] }), {
        language,
        configDir: process.cwd(),
        stateDir: resolveStateDir({}, process.cwd()),
      });
      const registry = registryFromConfig(parseConfig(HOMES[language], "home.yaml"));
      const clock = fixedClock(new Date(2025, 0, 1, 12));
      const u = new TextUnderstanding({
        sentences,
        registry,
        timers: new TimerManager(clock),
        clock,
        fuzzyThreshold: 0.8,
      });
      for (const [text, area, outcome, reply] of CASES[language]) {
        const r = u.understand(text, { area });
        if (Array.isArray(outcome))
          expect(r.understanding, text).toMatchObject({
            kind: "recognized",
            intents: [{ targets: outcome }],
          });
        else expect(r.understanding, text).toMatchObject({ kind: "not-recognized", reason: outcome });
        expect(r.reply, text).toBe(reply);
      }
    },
  );
});
