import type { Clock } from "../core/clock.js";
import type { Registry } from "../registry/registry.js";
import type { Entity } from "../registry/types.js";
import { leftOff } from "./catalog.js";
import type { Done } from "./handlers.js";
import { ownWords } from "./hassil/own-words.js";
import { nounFor } from "./nouns.js";
import { nameInReply, placeWordsOf, spoken } from "./reply-names.js";
import { inState, stateWordFor, stateWord as stateWordOf } from "./state-words.js";
import { formatDuration, type Timer } from "./timers.js";
import type { RecognizedIntent, SlotValue, Understanding } from "./types.js";

/** What replies may look at: the home, the time, and custom intents' reply templates. */
export interface ReplyContext {
  registry: Registry;
  clock: Clock;
  customReplies: ReadonlyMap<string, string>;
}

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/**
 * "3:05 PM" in local time. Written out rather than with toLocaleTimeString: ICU's date formatting
 * pages in about 8 MB of its data and tables on first use, which an idle daemon then keeps in its
 * RSS (npm run bench -- memory), for two fixed English formats.
 */
function clockTime(d: Date): string {
  const hour = d.getHours() % 12 === 0 ? 12 : d.getHours() % 12;
  return `${hour}:${String(d.getMinutes()).padStart(2, "0")} ${d.getHours() < 12 ? "AM" : "PM"}`;
}

/** "Sunday, December 6, 2026" in local time (see {@link clockTime}). */
function calendarDate(d: Date): string {
  return `${WEEKDAYS[d.getDay()]}, ${MONTHS[d.getMonth()]} ${d.getDate()}, ${d.getFullYear()}`;
}

function noun(domain: SlotValue | undefined, n: number): string {
  return nounFor(domain === undefined ? undefined : String(domain), n) ?? (n === 1 ? "device" : "devices");
}

/** How replies say a device of `registry` mid-sentence: "the kitchen light", "Rocky", a person's name. */
type Namer = (e: Entity) => string;

function namer(registry: Registry): Namer {
  return (e) => (e.domain === "person" ? e.name : nameInReply(e.name, placeWords(registry), e.domain));
}

/**
 * The words of the home's area and floor names, until its next structural change: every reply
 * that names a device reads them, and building them afresh (30 areas with their aliases) was
 * about a seventh of what understanding a sentence allocated (heap profile of bench/intents.mjs).
 */
const PLACE_WORDS = new WeakMap<Registry, { version: number; words: ReadonlySet<string> }>();

function placeWords(registry: Registry): ReadonlySet<string> {
  const kept = PLACE_WORDS.get(registry);
  if (kept?.version === registry.version) return kept.words;
  const words = placeWordsOf([
    ...registry.areas().flatMap((a) => [a.name, ...a.aliases]),
    ...registry.floors().flatMap((f) => [f.name, ...f.aliases]),
  ]);
  PLACE_WORDS.set(registry, { version: registry.version, words });
  return words;
}

/** "is" or "are" for a device's name ("the fairy lights are on"). */
function isAre(e: Entity): string {
  const last = e.name.trim().split(/\s+/).pop() ?? "";
  return /[^su]s$/i.test(last) && e.domain !== "person" ? "are" : "is";
}

function list(items: string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "the kitchen light", "the lights in the kitchen", "the lights upstairs". */
function describe(intent: RecognizedIntent, entities: Entity[], the: Namer): string {
  const s = intent.slots;
  if (typeof s.name === "string" && entities.length > 0) return the(entities[0] as Entity);
  // A home has one thermostat to a room, mostly: "the thermostat in the bedroom" for its one air
  // con, where "the lights in the bedroom" are what was said of lights, one or more.
  const n = s.domain === "climate" && entities.length === 1 ? 1 : 2;
  const what = s.device_class && s.domain === "cover" ? `${s.device_class}s` : `${noun(s.domain, n)}`;
  if (typeof s.area === "string") return `the ${what} in the ${spoken(s.area)}`;
  if (typeof s.floor === "string") return `the ${what} ${onFloor(s.floor)}`;
  // Devices reached through "it" or a domain alone: say which, when they are few.
  if (s.domain) return `the ${what}`;
  if (entities.length > 0 && entities.length <= 3) return list(entities.map((e) => the(e)));
  return `${entities.length} devices`;
}

/** "upstairs", or "on the first floor". */
function onFloor(floor: string): string {
  return /stairs$/i.test(floor) ? floor.toLowerCase() : `on the ${spoken(floor)}`;
}

function num(v: SlotValue | undefined): string {
  return typeof v === "number" ? String(Math.round(v * 10) / 10) : String(v ?? "");
}

function stateWord(e: Entity): string {
  if (e.state === undefined || e.state === "") return "unknown";
  if (e.state === "not_home") return "away";
  if (e.domain === "sensor" && e.unit) return `${e.state} ${unitWord(e.unit)}`;
  return (stateWordOf(e) ?? e.state).replace(/_/g, " ");
}

function unitWord(unit: string): string {
  const u = unit.trim();
  if (u === "°C" || u === "°F" || u === "°") return "degrees";
  if (u === "%") return "percent";
  return u;
}

/**
 * The spoken reply for one recognised intent, after it was carried out: `done` is what Hearth's own
 * handler did (handlers.ts), when it has one. Pure: it reads, it never acts.
 */
export function replyForIntent(intent: RecognizedIntent, ctx: ReplyContext, done?: Done): string {
  const entities = intent.targets
    .map((id) => ctx.registry.entity(id))
    .filter((e): e is Entity => e !== undefined);
  const s = intent.slots;
  const the = namer(ctx.registry);
  const target = describe(intent, entities, the);
  // Switched for a while: the timer that switches it back says how long.
  const awhile = done?.kind === "timer-started" ? ` for ${formatDuration(done.timer.seconds)}` : "";
  switch (intent.name) {
    case "HassTurnOn":
      if (s.domain === "cover" || s.domain === "valve") return `Opened ${target}${awhile}.`;
      if (s.domain === "lock") return `Locked ${target}${awhile}.`;
      if (entities.length === 1 && entities[0]?.domain === "scene")
        return `Activated ${spoken(entities[0].name)}.`;
      if (entities.length === 1 && entities[0]?.domain === "script")
        return `Started ${spoken(entities[0].name)}.`;
      return `Turned on ${target}${awhile}.`;
    case "HassTurnOff":
      if (s.domain === "cover" || s.domain === "valve") return `Closed ${target}${awhile}.`;
      if (s.domain === "lock") return `Unlocked ${target}${awhile}.`;
      return `Turned off ${target}${awhile}.`;
    case "HassToggle":
      return `Toggled ${target}.`;
    case "HassLightSet":
      if (s.color !== undefined) return `Set ${target} to ${s.color}.`;
      // "Dim the landing light" with it off: nothing to dim, and it stays off (leftOff).
      if (entities.length > 0 && entities.every((e) => leftOff(intent, e)))
        return `${capitalise(target)} ${entities.length === 1 && entities[0] ? isAre(entities[0]) : "are"} off.`;
      return `Set ${target} to ${num(s.brightness)} percent.`;
    case "HassSetPosition":
      return `Set ${target} to ${num(s.position)} percent open.`;
    case "HassClimateSetTemperature": {
      const where = typeof s.area === "string" ? ` in the ${spoken(s.area)}` : "";
      const what = entities.length === 1 && !where ? the(entities[0] as Entity) : `the temperature${where}`;
      return `Set ${what} to ${num(s.temperature)} degrees.`;
    }
    case "HassClimateGetTemperature": {
      const e = entities[0];
      const t = e?.attributes.current_temperature ?? e?.state;
      if (!e || t === undefined) return "I don't know the temperature there.";
      const area = e.areaId ? ctx.registry.area(e.areaId)?.name : undefined;
      return `It is ${num(Number(t))} degrees${area ? ` in the ${spoken(area)}` : ""}.`;
    }
    case "HassGetState":
      return replyGetState(intent, entities, ctx, the);
    case "HassStartTimer":
    case "HassCancelTimer":
    case "HassCancelAllTimers":
    case "HassIncreaseTimer":
    case "HassDecreaseTimer":
    case "HassPauseTimer":
    case "HassUnpauseTimer":
    case "HassTimerStatus":
      return replyTimer(intent, done);
    case "HassRespond":
      return respond(intent.response, s);
    case "HassBroadcast":
      return done?.kind === "broadcast" ? "Broadcast sent." : "Sorry, I can't broadcast from here.";
    case "HassMediaSearchAndPlay": {
      if (done?.kind !== "media-requested") return "Sorry, I can't play media from here.";
      const on = entities.length === 1 ? ` on ${the(entities[0] as Entity)}` : "";
      return `Playing ${done.query}${on}.`;
    }
    case "HassShoppingListAddItem":
    case "HassShoppingListCompleteItem":
    case "HassListAddItem":
    case "HassListCompleteItem":
    case "HassShoppingListLastItems":
    case "HassListGetItems":
      return replyList(done);
    case "HassGetCurrentTime":
      return `It is ${clockTime(ctx.clock.now())}.`;
    case "HassGetCurrentDate":
      return `Today is ${calendarDate(ctx.clock.now())}.`;
    case "HassNevermind":
      return "";
    case "HassMediaPause":
      return `Paused${entities.length === 1 ? ` ${the(entities[0] as Entity)}` : ""}.`;
    case "HassMediaUnpause":
      return `Resumed${entities.length === 1 ? ` ${the(entities[0] as Entity)}` : ""}.`;
    case "HassMediaNext":
      return "Playing the next track.";
    case "HassMediaPrevious":
      return "Playing the previous track.";
    case "HassSetVolume":
      return `Volume set to ${num(s.volume_level)} percent.`;
    case "HassSetVolumeRelative": {
      const step = s.volume_step;
      const up = step === "up" || (typeof step === "number" && step > 0);
      const by = typeof step === "number" ? ` by ${num(Math.abs(step))} percent` : "";
      const on = entities.length === 1 ? ` on ${the(entities[0] as Entity)}` : "";
      return `Turned the volume ${up ? "up" : "down"}${by}${on}.`;
    }
    case "HassMediaPlayerMute":
      return `Muted${entities.length === 1 ? ` ${the(entities[0] as Entity)}` : ""}.`;
    case "HassMediaPlayerUnmute":
      return `Unmuted${entities.length === 1 ? ` ${the(entities[0] as Entity)}` : ""}.`;
    case "HassLawnMowerStartMowing":
      return `Started ${entities.length === 1 ? the(entities[0] as Entity) : "the lawn mower"}.`;
    case "HassLawnMowerDock":
      return `Sending ${entities.length === 1 ? the(entities[0] as Entity) : "the lawn mower"} back to its dock.`;
    case "HassVacuumStart":
      return `Started ${entities.length === 1 ? the(entities[0] as Entity) : "the vacuum"}.`;
    case "HassVacuumReturnToBase":
      return `Sending ${entities.length === 1 ? the(entities[0] as Entity) : "the vacuum"} home.`;
    case "HassGetWeather": {
      const e = entities[0];
      if (!e) return "I don't have a weather forecast.";
      const t = e.attributes.temperature;
      const cond = stateWord(e);
      // "what's the weather in New York": a forecast named after a place is said with it.
      const place = typeof s.name === "string" ? ` in ${e.name}` : "";
      return `It is ${cond}${t !== undefined ? ` and ${num(Number(t))} degrees` : ""}${place}.`;
    }
    default: {
      const template = ctx.customReplies.get(intent.name);
      if (!template) return "Done.";
      // A slot left out ("order a tea" without {size}) leaves no double space behind.
      return template
        .replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, k: string) => String(s[k] ?? ""))
        .replace(/\s{2,}/g, " ")
        .trim();
    }
  }
}

/**
 * Where a machine is in its cycle, from its running sensor or its plug ("is the washer finished"):
 * "is still running" while on, "has finished" once off; undefined for any other state (unavailable).
 */
function cycleWords(e: Entity): string | undefined {
  if (e.state === "on") return "is still running";
  if (e.state === "off") return "has finished";
  return undefined;
}

function replyGetState(intent: RecognizedIntent, entities: Entity[], ctx: ReplyContext, the: Namer): string {
  const s = intent.slots;
  const wanted = typeof s.state === "string" ? s.state : undefined;
  if (typeof s.name === "string" || (entities.length === 1 && s.domain !== "light" && wanted === undefined)) {
    const e = entities[0];
    if (!e) return "I don't know.";
    const matches = wanted === undefined ? [] : entities.filter((x) => inState(x, wanted));
    if (e.domain === "person") {
      if (wanted)
        return e.state === wanted
          ? `Yes, ${e.name} is ${stateWord(e)}.`
          : `No, ${e.name} is ${stateWord(e)}.`;
      return `${e.name} is ${stateWord(e)}.`;
    }
    if (wanted !== undefined) {
      const yes = matches.length > 0;
      const shown = yes ? (matches[0] as Entity) : e;
      // "Is the washer done yet": a machine's cycle is told as one, not as the sensor's state.
      const cycle = intent.response === "cycle" ? cycleWords(shown) : undefined;
      return `${yes ? "Yes" : "No"}, ${the(shown)} ${cycle ?? `${isAre(shown)} ${stateWord(shown)}`}.`;
    }
    if (e.domain === "sensor" && e.deviceClass === "temperature") {
      const area = e.areaId ? ctx.registry.area(e.areaId)?.name : undefined;
      return `It is ${e.state ?? "unknown"} degrees${area ? ` in the ${spoken(area)}` : ""}.`;
    }
    // A phone's battery level beside its other sensors, all called "Phone": "the phone battery".
    const shares = e.deviceClass && ctx.registry.entities().some((x) => x.id !== e.id && x.name === e.name);
    const subject = shares ? `${the(e)} ${String(e.deviceClass).replace(/_/g, " ")}` : the(e);
    return `${capitalise(subject)} ${shares ? "is" : isAre(e)} ${stateWord(e)}.`;
  }
  if (s.domain === "sensor") {
    const e = entities[0];
    if (!e) return "I don't know.";
    const area = e.areaId ? ctx.registry.area(e.areaId)?.name : undefined;
    if (e.deviceClass === "temperature")
      return `It is ${e.state ?? "unknown"} degrees${area ? ` in the ${spoken(area)}` : ""}.`;
    const what = String(e.deviceClass ?? "value").replace(/_/g, " ");
    return `The ${area ? `${spoken(area)} ` : ""}${what} is ${stateWord(e)}.`;
  }
  const matching = wanted === undefined ? entities : entities.filter((e) => inState(e, wanted));
  const deviceClass = typeof s.device_class === "string" ? s.device_class : undefined;
  // What was asked of, where the sentence did not say it ("is the porch still open" of its door
  // contact): the one kind of all the answers, so that "on" is said as "open".
  const [first] = entities;
  const alike =
    first !== undefined &&
    entities.every((e) => e.domain === first.domain && e.deviceClass === first.deviceClass);
  const domainSaid = typeof s.domain === "string" ? s.domain : alike ? first.domain : "";
  const stateText =
    wanted === "not_home"
      ? "away"
      : (wanted === undefined
          ? "known"
          : stateWordFor(domainSaid, deviceClass ?? (alike ? first.deviceClass : undefined), wanted)
        ).replace(/_/g, " ");
  const where =
    typeof s.area === "string"
      ? ` in the ${spoken(s.area)}`
      : typeof s.floor === "string"
        ? ` ${onFloor(s.floor)}`
        : "";
  // Counted by what they are: a device class the sentence named, or the one all answers share.
  const classes = new Set(entities.map((e) => e.deviceClass));
  const [onlyClass] = classes;
  const countedClass =
    deviceClass ?? (classes.size === 1 && s.domain === "binary_sensor" ? onlyClass : undefined);
  const what = (n: number) => (countedClass ? classNoun(countedClass, n) : noun(s.domain, n));
  // Two "Lamp"s in the answer are told apart by their areas.
  const shared = (e: Entity) => ctx.registry.entities().filter((x) => x.name === e.name).length > 1;
  const names = (es: Entity[]) =>
    list(
      es.map((e) => {
        const area = shared(e) && e.areaId ? ctx.registry.area(e.areaId)?.name : undefined;
        return area ? `${the(e)} in the ${spoken(area)}` : the(e);
      }),
    );
  const verb = (es: Entity[]) => (es.length === 1 ? isAre(es[0] as Entity) : "are");
  const none = `no ${what(2)} ${wanted === undefined ? "are known" : `are ${stateText}`}${where}`;
  // The answer the sentence asked for (Home Assistant's response names).
  switch (intent.response) {
    case "any": {
      if (matching.length > 0) return `Yes, ${names(matching)} ${verb(matching)} ${stateText}.`;
      // "Has the vacuum finished" of the home's one robot: what it is doing instead (a kind of
      // sensor asked about, "are any doors open", is answered for the kind).
      const [one] = entities;
      if (entities.length === 1 && one?.state && deviceClass === undefined)
        return `No, ${names(entities)} ${verb(entities)} ${stateWord(one)}.`;
      return `No, ${none}.`;
    }
    case "all": {
      const others = entities.filter((e) => !matching.includes(e));
      if (entities.length === 0) return `There are no ${what(2)}${where}.`;
      if (others.length === 0)
        return entities.length === 1
          ? `Yes, ${names(entities)} ${verb(entities)} ${stateText}.`
          : `Yes, all ${what(2)}${where} are ${stateText}.`;
      return `No, ${names(others)} ${verb(others)} not ${stateText}.`;
    }
    case "which":
      return matching.length > 0
        ? `${capitalise(names(matching))} ${verb(matching)} ${stateText}.`
        : `${capitalise(none)}.`;
    case "how_many":
      return matching.length > 0
        ? `${matching.length} ${what(matching.length)} ${matching.length === 1 ? "is" : "are"} ${stateText}${where}.`
        : `${capitalise(none)}.`;
  }
  if (matching.length === 0) return `${capitalise(none)}.`;
  if (matching.length === 1) return `1 ${what(1)} is ${stateText}${where}: ${names(matching)}.`;
  return `${matching.length} ${what(2)} are ${stateText}${where}: ${names(matching)}.`;
}

function classNoun(deviceClass: string, n: number): string {
  const sensor = `${deviceClass.replace(/_/g, " ")} sensor`;
  return nounFor(deviceClass, n) ?? (n === 1 ? sensor : `${sensor}s`);
}

/** Hearth's own words for HassRespond's responses (Home Assistant's response names). */
const RESPONSES: Record<string, string> = {
  hello: "Hello!",
  listening: "No. I only listen after my wake word, and nothing I hear leaves your home.",
  data: "What you say stays in your home: Hearth runs here and talks only to your own broker.",
  commands:
    "Ask me to switch lights and devices, set timers, or ask about your home, the time and the weather.",
  creator: "I am Hearth, an open-source voice assistant that runs in your home.",
};

function respond(response: string | undefined, s: Record<string, SlotValue>): string {
  if (typeof s.response === "string") return s.response;
  return response ? (RESPONSES[response] ?? "") : "";
}

/** What the list handler did, in words. */
function replyList(done: Done | undefined): string {
  const called = (name: string) => `the ${spoken(name).replace(/ list$/i, "")} list`;
  switch (done?.kind) {
    case "list-added":
      return `Added ${done.item} to ${called(done.list)}.`;
    case "list-completed":
      return `Checked off ${done.item} on ${called(done.list)}.`;
    case "list-item-missing":
      return done.item === ""
        ? "What should I put on the list?"
        : `${capitalise(done.item)} is not on ${called(done.list)}.`;
    case "list-items":
      return done.items.length === 0
        ? `There is nothing on ${called(done.list)}.`
        : `On ${called(done.list)}: ${list(done.items)}.`;
    case "no-lists":
      return "Sorry, I can't keep lists here.";
    default:
      return "Done.";
  }
}

/** What a timer handler did, in words. */
function replyTimer(intent: RecognizedIntent, done: Done | undefined): string {
  switch (done?.kind) {
    case "timer-started": {
      const { name, seconds, command } = done.timer;
      if (command) return `I'll do that in ${formatDuration(seconds)}.`;
      return `Timer set for ${formatDuration(seconds)}${name ? ` called ${name}` : ""}.`;
    }
    case "timer-needs-duration":
      return "How long should the timer be?";
    case "no-timer":
      return "There is no such timer.";
    case "timer-cancelled":
      return `${timerName(done.timer)} cancelled.`;
    case "timers-cancelled":
      return done.count === 0
        ? "There are no timers."
        : `Cancelled ${done.count === 1 ? "the timer" : `all ${done.count} timers`}.`;
    case "timer-adjusted":
      return intent.name === "HassIncreaseTimer"
        ? `Added ${formatDuration(done.seconds)} to the timer.`
        : `Took ${formatDuration(done.seconds)} off the timer.`;
    case "timer-paused":
      return `${timerName(done.timer)} paused.`;
    case "timer-resumed":
      return `${timerName(done.timer)} resumed.`;
    case "timer-status": {
      const each = done.timers.map(
        ({ timer, left }) => `${formatDuration(left)} left on ${timerName(timer).toLowerCase()}`,
      );
      if (each.length === 0) return "There are no timers.";
      return each.length === 1 ? `${each[0]}.` : `${each.length} timers: ${list(each)}.`;
    }
    default:
      return "Done.";
  }
}

function timerName(t: { name?: string | undefined; seconds: number }): string {
  // "The 5 minute timer": a length before a noun is singular.
  return t.name
    ? `The ${t.name} timer`
    : `The ${formatDuration(t.seconds).replace(/(hour|minute|second)s\b/g, "$1")} timer`;
}

/**
 * What Hearth says when a timer rings: "Your pizza timer is done.", in the site's language where
 * Hearth has the words (Home Assistant's packs have none for it).
 */
export function replyForTimerFinished(timer: Timer, language = "en"): string {
  const words = ownWords(language);
  if (words) return words.timerFinished(timer.name);
  return `Your ${timerName(timer).slice("The ".length)} is done.`;
}

/** The spoken reply when nothing (or not everything) could be understood. */
export function replyForFailure(u: Extract<Understanding, { kind: "not-recognized" }>): string {
  switch (u.reason) {
    case "empty":
      return "";
    case "unknown_name":
      return `Sorry, I don't know any device called ${u.subject}.`;
    case "unknown_area":
      return `Sorry, I don't know any area called ${u.subject}.`;
    case "unknown_floor":
      return `Sorry, I don't know any floor called ${u.subject}.`;
    case "no_targets":
      return `Sorry, there are no ${u.subject ?? "such devices"}.`;
    case "unsupported":
      return `Sorry, ${u.subject ? nameInReply(u.subject) : "the device"} can't do that.`;
    case "ambiguous": {
      const candidates = u.candidates ?? [];
      const options = candidates.map((c) =>
        c.deviceClass || c.domain
          ? `the ${(c.deviceClass ?? nounFor(c.domain, 1) ?? c.domain ?? "").replace(/_/g, " ")}`
          : c.area
            ? `the one in the ${spoken(c.area)}`
            : c.name,
      );
      const joined =
        options.length > 1
          ? `${options.slice(0, -1).join(", ")} or ${options[options.length - 1]}`
          : (options[0] ?? "");
      return `Which ${u.subject ? spoken(u.subject) : "one"} do you mean: ${joined}?`;
    }
    case "invalid_input":
      return "Sorry, I could not read that.";
    case "no_context":
      return "Sorry, I'm not sure what you mean. Please say the device's name.";
    case "no_area":
      return "Which area do you mean? I don't know which area I'm in.";
    case "timeout":
      return "Sorry, I didn't understand that in time.";
    default:
      return "Sorry, I didn't understand that.";
  }
}
