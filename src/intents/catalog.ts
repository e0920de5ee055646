import type { Domain } from "../config/schema.js";
import type { Entity } from "../registry/types.js";
import type { SlotValue } from "./types.js";

/**
 * The one catalog of the intents Hearth knows (Home Assistant's names and slot conventions, see
 * home-assistant/intents' intents.yaml): per intent, which devices it acts on or asks about,
 * whether acting means sending them commands, how a sentence naming an unknown device is answered,
 * what the LLM may fill in, and which of Hearth's own handlers carries it out. The matcher, the
 * resolver, the actuator, the LLM schema and Hearth's Home Assistant entities all derive their
 * lists from here.
 */

/** How one slot's values are constrained (for the LLM's grammar). */
export type SlotSpec =
  /** A device's configured name; `domains` restricts it (HassLightSet names only lights). */
  | { kind: "name"; domains?: readonly Domain[] | undefined }
  /** An area's name. */
  | { kind: "area" }
  /** A floor's name. */
  | { kind: "floor" }
  /** A domain that has at least one device (of `domains`, when given). */
  | { kind: "domain"; domains?: readonly Domain[] | undefined }
  /** A device class that some device (of `domains`, when given) has. */
  | { kind: "device_class"; domains?: readonly Domain[] | undefined }
  /** One of fixed values (colours, states). */
  | { kind: "enum"; values: readonly SlotValue[] }
  /** A number from `from` to `to` in steps of `step` (default 1); bounded, so listed as an enum. */
  | { kind: "range"; from: number; to: number; step?: number | undefined }
  /** Free text (a shopping-list item), at most `maxLength` characters. */
  | { kind: "text"; maxLength: number };

/** What the LLM may fill in for an intent: its slots and the slot combinations it accepts. */
export interface LlmSlots {
  slots: Readonly<Record<string, SlotSpec>>;
  /** The slot combinations accepted, each a list of slot names; `[]` is "no slots". */
  forms: readonly (readonly string[])[];
}

/**
 * When a sentence fits an intent's template but names no known device: "report" answers "I don't
 * know any device called X" (clear commands: "turn on the garage heater"); "when-asking-state" only
 * when the sentence asks about a state ("is the garage heater on"); absent: the sentence is taken
 * as not understood ("tell me a joke" fits "tell me <name>" but is not about a device).
 */
/**
 * When an unknown name is worth saying so: always, only in a question about a state, or only
 * where the word for the thing follows it ("add salt to the soup" names no list; "add salt to the
 * pantry list" names one that is missing).
 */
export type UnknownNames = "report" | "when-asking-state" | "when-called-list";

/** Hearth's own handlers: the act step for intents Hearth carries out itself (see handlers.ts). */
export type HandlerName = "timer" | "list" | "broadcast" | "media";

/** Everything Hearth knows about one intent. */
export interface IntentSpec {
  /** Home Assistant's intent name, e.g. "HassTurnOn". */
  name: string;
  /** One line: what it does (the LLM's system prompt uses it). */
  description: string;
  /**
   * The domains of the devices it acts on or asks about ("any": every domain, also those Hearth
   * cannot act on); absent: it needs no device.
   */
  domains?: readonly Domain[] | "any" | undefined;
  /** Carrying it out means sending commands to its devices (the actuator's work). */
  commands?: boolean | undefined;
  unknownNames?: UnknownNames | undefined;
  /** Offered to the LLM with these slots; absent: templates only. */
  llm?: LlmSlots | undefined;
  /** Carried out inside Hearth by this handler. */
  handler?: HandlerName | undefined;
  /** Never leaves the text path: rewritten into another intent before anything acts on it. */
  internal?: boolean | undefined;
  /**
   * The area said is where the device works, not where it stands ("vacuum the kitchen"): with none
   * of its devices in that area, the home's own do it (the area slot stays for Home Assistant).
   */
  worksElsewhere?: boolean | undefined;
  /**
   * Said without a name, area or floor, it means one device, the one where the speaker is (Home
   * Assistant's `single_target`): "set the temperature to 20" sets the thermostat of the room,
   * where the room has none the only one on the speaker's floor, and where the floor has none or
   * several, Hearth asks which, never setting them all.
   */
  oneDevice?: boolean | undefined;
  /**
   * Said without a name, area or floor, it means the devices where the speaker is when there are
   * any there, and otherwise all of them ("start the vacuum" said in the kitchen, where one docks).
   */
  nearest?: boolean | undefined;
  /**
   * Said without a name, of several devices it means those in one of these states where any is
   * ("pause" with one player playing and one idle pauses the one playing, as Assist does).
   */
  prefers?: readonly string[] | undefined;
  /**
   * Said without a name, area or floor, it means the devices where the speaker is, whichever
   * sentence said it (Home Assistant's `context_area` for brightness_only / color_only): a pack's
   * "Helligkeit auf 50 Prozent" dims the room's lights, not every light of the home.
   */
  here?: boolean | undefined;
  /**
   * It asks about outside (the weather): asked of the speaker's own room ("is it cold in here"), the
   * question is that room's temperature, from its thermostat or its temperature sensor.
   */
  outdoors?: boolean | undefined;
  /**
   * Said twice, it is done twice (a toggle, the next track, a button press, a step of the volume).
   * Any other command said twice over the same devices in one sentence ("stop the vacuum and send
   * it back", both read as sending it home) is carried out once.
   */
  repeats?: boolean | undefined;
}

/** The slots that pick the devices a command acts on; the others say what is done to them. */
export const TARGET_SLOTS: ReadonlySet<string> = new Set(["name", "area", "floor", "domain", "device_class"]);

/** What "it", "them", "that one" can be said as: whatever was acted on last. */
export const PRONOUNS: readonly string[] = [
  "it",
  "them",
  "that",
  "those",
  "this",
  "these",
  "that one",
  "this one",
  "the same",
  "it all",
];

/** Domains that turn on and off by name or area. */
const SWITCHABLE: readonly Domain[] = [
  "light",
  "switch",
  "fan",
  "cover",
  "lock",
  "valve",
  "media_player",
  "input_boolean",
  "automation",
];
/** What the LLM may turn off: the vacuum has its own intents there. */
const LLM_ON_OFF: readonly Domain[] = [...SWITCHABLE, "climate", "humidifier", "water_heater"];
const ON_OFF: readonly Domain[] = [...LLM_ON_OFF, "vacuum"];
const ON_ONLY: readonly Domain[] = [...ON_OFF, "scene", "script", "button"];
const MEDIA: readonly Domain[] = ["media_player"];
/** What a media command without a name means where several players could take it. */
const PLAYING: readonly string[] = ["playing"];
const COLORS = [
  "white",
  "red",
  "orange",
  "yellow",
  "green",
  "blue",
  "purple",
  "pink",
  "brown",
  "cyan",
  "magenta",
  "gold",
];
const STATES = ["on", "off", "open", "closed", "locked", "unlocked"];
const PERCENT: SlotSpec = { kind: "range", from: 0, to: 100 };

/** Slots that pick devices by name, area, floor, domain and class (HassTurnOn/Off). */
function targetSlots(domains: readonly Domain[]): LlmSlots {
  return {
    slots: {
      name: { kind: "name", domains },
      area: { kind: "area" },
      floor: { kind: "floor" },
      domain: { kind: "domain", domains },
      device_class: { kind: "device_class", domains },
    },
    forms: [
      ["name"],
      ["name", "area"],
      ["area"],
      ["area", "domain"],
      ["floor"],
      ["floor", "domain"],
      ["domain"],
      ["domain", "device_class"],
      ["area", "domain", "device_class"],
    ],
  };
}

/** A media player by name or area, or the one at hand. */
const MEDIA_SLOTS: LlmSlots = {
  slots: { name: { kind: "name", domains: MEDIA }, area: { kind: "area" } },
  forms: [[], ["name"], ["area"]],
};

/** A timer-only intent: Hearth's timer handler, no devices. */
function timer(name: string, description: string, llm?: LlmSlots): IntentSpec {
  return { name, description, handler: "timer", ...(llm ? { llm } : {}) };
}

/** A list intent (Hearth's list handler): the shopping list's, or one naming a to-do list. */
function listIntent(name: string, description: string, named: boolean, withItem = true): IntentSpec {
  const item: SlotSpec = { kind: "text", maxLength: 60 };
  const items: Record<string, SlotSpec> = withItem ? { item } : {};
  const itemForm = withItem ? ["item"] : [];
  if (!named) return { name, description, handler: "list", llm: { slots: items, forms: [itemForm] } };
  return {
    name,
    description,
    domains: ["todo"],
    handler: "list",
    unknownNames: "when-called-list",
    llm: {
      slots: { ...items, name: { kind: "name", domains: ["todo"] } },
      forms: [[...itemForm, "name"]],
    },
  };
}

/** Every intent Hearth knows, in Home Assistant's names. */
export const INTENTS: readonly IntentSpec[] = [
  {
    name: "HassTurnOn",
    description: "turn on, open, lock or activate devices (scenes and scripts too)",
    domains: ON_ONLY,
    commands: true,
    unknownNames: "report",
    llm: targetSlots([...LLM_ON_OFF, "scene", "script"]),
  },
  {
    name: "HassTurnOff",
    description: "turn off, close or unlock devices",
    domains: ON_OFF,
    commands: true,
    unknownNames: "report",
    llm: targetSlots(LLM_ON_OFF),
  },
  {
    name: "HassToggle",
    description: "toggle devices",
    domains: SWITCHABLE,
    commands: true,
    repeats: true,
    unknownNames: "report",
    llm: {
      slots: {
        name: { kind: "name", domains: SWITCHABLE },
        area: { kind: "area" },
        domain: { kind: "domain", domains: SWITCHABLE },
      },
      forms: [["name"], ["name", "area"], ["area", "domain"]],
    },
  },
  {
    name: "HassLightSet",
    description: "set lights' brightness (percent) or color",
    domains: ["light"],
    commands: true,
    here: true,
    unknownNames: "report",
    llm: {
      slots: {
        name: { kind: "name", domains: ["light"] },
        area: { kind: "area" },
        floor: { kind: "floor" },
        brightness: PERCENT,
        color: { kind: "enum", values: COLORS },
      },
      forms: [
        ["brightness"],
        ["name", "brightness"],
        ["area", "brightness"],
        ["floor", "brightness"],
        ["color"],
        ["name", "color"],
        ["area", "color"],
      ],
    },
  },
  {
    name: "HassSetPosition",
    description: "set covers' or valves' position (percent open)",
    domains: ["cover", "valve"],
    commands: true,
    unknownNames: "report",
    llm: {
      slots: {
        name: { kind: "name", domains: ["cover", "valve"] },
        area: { kind: "area" },
        position: PERCENT,
      },
      forms: [
        ["name", "position"],
        ["area", "position"],
      ],
    },
  },
  {
    name: "HassClimateSetTemperature",
    description: "set the target temperature (degrees)",
    domains: ["climate"],
    commands: true,
    oneDevice: true,
    unknownNames: "report",
    llm: {
      slots: {
        name: { kind: "name", domains: ["climate"] },
        area: { kind: "area" },
        temperature: { kind: "range", from: 5, to: 35, step: 0.5 },
      },
      forms: [["temperature"], ["area", "temperature"], ["name", "temperature"]],
    },
  },
  {
    name: "HassClimateGetTemperature",
    description: "tell the current temperature",
    domains: ["climate"],
    llm: {
      slots: { name: { kind: "name", domains: ["climate", "sensor"] }, area: { kind: "area" } },
      forms: [[], ["area"], ["name"]],
    },
  },
  {
    name: "HassGetState",
    description: "tell whether devices are on, off, open, locked … or a sensor's value",
    domains: "any",
    unknownNames: "when-asking-state",
    llm: {
      slots: {
        name: { kind: "name" },
        area: { kind: "area" },
        floor: { kind: "floor" },
        domain: { kind: "domain" },
        state: { kind: "enum", values: STATES },
      },
      forms: [
        ["name"],
        ["name", "state"],
        ["area", "domain"],
        ["area", "domain", "state"],
        ["domain", "state"],
        ["floor", "domain", "state"],
      ],
    },
  },
  {
    name: "HassFanSetSpeed",
    description: "set fans' speed (percent)",
    domains: ["fan"],
    commands: true,
    llm: {
      slots: { name: { kind: "name", domains: ["fan"] }, area: { kind: "area" }, percentage: PERCENT },
      forms: [
        ["name", "percentage"],
        ["area", "percentage"],
      ],
    },
  },
  {
    name: "HassSetVolume",
    description: "set a media player's volume (percent)",
    domains: MEDIA,
    commands: true,
    prefers: PLAYING,
    llm: {
      slots: { name: { kind: "name", domains: MEDIA }, area: { kind: "area" }, volume_level: PERCENT },
      forms: [["volume_level"], ["name", "volume_level"], ["area", "volume_level"]],
    },
  },
  {
    name: "HassSetVolumeRelative",
    description: "turn a media player's volume up or down (a step in percent, or up/down)",
    domains: MEDIA,
    commands: true,
    repeats: true,
    prefers: PLAYING,
    llm: {
      slots: {
        name: { kind: "name", domains: MEDIA },
        area: { kind: "area" },
        volume_step: { kind: "enum", values: ["up", "down"] },
      },
      forms: [["volume_step"], ["name", "volume_step"], ["area", "volume_step"]],
    },
  },
  {
    name: "HassMediaPlayerMute",
    description: "mute a media player",
    domains: MEDIA,
    commands: true,
    prefers: PLAYING,
    llm: MEDIA_SLOTS,
  },
  {
    name: "HassMediaPlayerUnmute",
    description: "unmute a media player",
    domains: MEDIA,
    commands: true,
    llm: MEDIA_SLOTS,
  },
  {
    name: "HassMediaPause",
    description: "pause the music or video",
    domains: MEDIA,
    commands: true,
    prefers: PLAYING,
    llm: MEDIA_SLOTS,
  },
  {
    name: "HassMediaUnpause",
    description: "resume the music or video",
    domains: MEDIA,
    commands: true,
    prefers: ["paused"],
    llm: MEDIA_SLOTS,
  },
  {
    name: "HassMediaNext",
    description: "skip to the next track",
    domains: MEDIA,
    commands: true,
    repeats: true,
    prefers: PLAYING,
    llm: MEDIA_SLOTS,
  },
  {
    name: "HassMediaPrevious",
    description: "go back to the previous track",
    domains: MEDIA,
    commands: true,
    repeats: true,
    prefers: PLAYING,
  },
  {
    name: "HassVacuumStart",
    description: "start the vacuum cleaner",
    domains: ["vacuum"],
    commands: true,
    worksElsewhere: true,
    nearest: true,
    llm: { slots: { name: { kind: "name", domains: ["vacuum"] } }, forms: [[], ["name"]] },
  },
  {
    name: "HassVacuumReturnToBase",
    description: "send the vacuum cleaner back to its dock",
    domains: ["vacuum"],
    commands: true,
    nearest: true,
    llm: { slots: { name: { kind: "name", domains: ["vacuum"] } }, forms: [[], ["name"]] },
  },
  {
    name: "HassLawnMowerStartMowing",
    description: "start the lawn mower",
    domains: ["lawn_mower"],
    commands: true,
    worksElsewhere: true,
    nearest: true,
    llm: { slots: { name: { kind: "name", domains: ["lawn_mower"] } }, forms: [[], ["name"]] },
  },
  {
    name: "HassLawnMowerDock",
    description: "send the lawn mower back to its dock",
    domains: ["lawn_mower"],
    commands: true,
    nearest: true,
    llm: { slots: { name: { kind: "name", domains: ["lawn_mower"] } }, forms: [[], ["name"]] },
  },
  {
    name: "HassVacuumSendCommand",
    description: "send a vacuum cleaner a command",
    domains: ["vacuum"],
    commands: true,
    repeats: true,
  },
  { name: "HassPress", description: "press a button", domains: ["button"], commands: true, repeats: true },
  { name: "HassSetValue", description: "set a number to a value", domains: ["number"], commands: true },
  { name: "HassSelectOption", description: "choose an option", domains: ["select"], commands: true },
  timer("HassStartTimer", "start a timer", {
    slots: {
      hours: { kind: "range", from: 1, to: 24 },
      minutes: { kind: "range", from: 1, to: 120 },
      seconds: { kind: "range", from: 1, to: 600 },
    },
    forms: [["minutes"], ["hours"], ["seconds"], ["hours", "minutes"], ["minutes", "seconds"]],
  }),
  timer("HassCancelTimer", "cancel the timer", { slots: {}, forms: [[]] }),
  timer("HassCancelAllTimers", "cancel every timer"),
  timer("HassIncreaseTimer", "add time to a timer"),
  timer("HassDecreaseTimer", "take time off a timer"),
  timer("HassPauseTimer", "pause a timer"),
  timer("HassUnpauseTimer", "resume a paused timer"),
  timer("HassTimerStatus", "tell how long the timer has left", { slots: {}, forms: [[]] }),
  listIntent("HassShoppingListAddItem", "add an item to the shopping list", false),
  listIntent("HassShoppingListCompleteItem", "check an item off the shopping list", false),
  listIntent("HassListAddItem", "add an item to a to-do list", true),
  listIntent("HassListCompleteItem", "check an item off a to-do list", true),
  // Reading a list out: Home Assistant's shopping-list integration answers HassShoppingListLastItems;
  // HassListGetItems is Hearth's own name for the same question asked of a to-do list by its name.
  listIntent("HassShoppingListLastItems", "read out what is on the shopping list", false, false),
  listIntent("HassListGetItems", "read out what is on a to-do list", true, false),
  {
    name: "HassGetWeather",
    description: "tell the weather",
    domains: ["weather"],
    outdoors: true,
    llm: { slots: { name: { kind: "name", domains: ["weather"] } }, forms: [[], ["name"]] },
  },
  { name: "HassGetCurrentTime", description: "tell the time", llm: { slots: {}, forms: [[]] } },
  { name: "HassGetCurrentDate", description: "tell the date", llm: { slots: {}, forms: [[]] } },
  {
    name: "HassNevermind",
    description: "cancel: the user changed their mind",
    llm: { slots: {}, forms: [[]] },
  },
  { name: "HassRespond", description: "answer with a fixed response (hello, what Hearth does with data …)" },
  {
    name: "HassBroadcast",
    description: "say a message on every Hearth in the home",
    handler: "broadcast",
    llm: { slots: { message: { kind: "text", maxLength: 200 } }, forms: [["message"]] },
  },
  {
    name: "HassMediaSearchAndPlay",
    description: "find music, a podcast or a video and play it",
    domains: MEDIA,
    handler: "media",
    llm: {
      slots: {
        search_query: { kind: "text", maxLength: 100 },
        name: { kind: "name", domains: MEDIA },
        area: { kind: "area" },
      },
      forms: [["search_query"], ["search_query", "name"], ["search_query", "area"]],
    },
  },
  // Hearth's own: "and the bedroom too" repeats the last command somewhere else (text-understanding.ts).
  {
    name: "HassRepeat",
    description: "repeat the last command for other devices or places",
    internal: true,
  },
];

const BY_NAME: ReadonlyMap<string, IntentSpec> = new Map(INTENTS.map((i) => [i.name, i]));

/** The catalog's entry for an intent; undefined for the user's own (custom) intents. */
export function intentSpec(name: string): IntentSpec | undefined {
  return BY_NAME.get(name);
}

/** Whether carrying out the intent means sending commands to its devices. */
export function sendsCommands(name: string): boolean {
  return intentSpec(name)?.commands === true;
}

/**
 * Whether carrying out `intent` leaves `entity` as it is: a step down in brightness ("dim the
 * lights", `brightness_step` below 0) on a light that is off, as Home Assistant's brightness_step
 * comes to 0 there and leaves it off. The other lights of the command are dimmed.
 */
export function leftOff(
  intent: { name: string; slots: Readonly<Record<string, unknown>> },
  entity: Entity,
): boolean {
  const step = intent.slots.brightness_step;
  return intent.name === "HassLightSet" && typeof step === "number" && step < 0 && entity.state === "off";
}
