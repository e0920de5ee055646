import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listEntity } from "../../src/intents/lists.js";
import type { CompiledSentences } from "../../src/intents/sentences.js";
import {
  type ActingUnderstanding,
  ENGLISH_VARIANTS,
  openYamlHome,
  ownEnglish,
} from "../helpers/understanding.js";

/**
 * Families of everyday phrasing, each with Hearth's own English alone and with Home Assistant's
 * English pack beside it (../shared/ha-intents, CC BY 4.0, Home Assistant's intents project): a kind
 * of device said "in here" or "in <room>", levels and colours of a room, the vacuum nearest the
 * speaker, scripts run by name, broadcasts that mention a time, binary sensors by what they detect,
 * a name shared by a lock and a door contact, and remarks that are not commands. A home of its own,
 * through the real matcher.
 */
const HOME = `
floors: [{ name: Ground Floor }, { name: Upstairs }]
areas:
  - { name: Lounge, floor: Ground Floor }
  - { name: Kitchen, floor: Ground Floor }
  - { name: Hall, floor: Ground Floor }
  - { name: Nursery, floor: Upstairs }
  - { name: Study, floor: Upstairs }
devices:
  - { id: cover.lounge_shutters, name: Lounge Shutters, area: Lounge, device_class: shutter, state: open }
  - { id: cover.nursery_roller, name: Roller, area: Nursery, device_class: shutter, state: open }
  - { id: binary_sensor.study_sash, name: Sash, area: Study, device_class: window, state: "on" }
  - { id: binary_sensor.nursery_pane, name: Pane, area: Nursery, device_class: window, state: "off" }
  - { id: light.kitchen_spots, name: Spotlights, area: Kitchen, state: "on", attributes: { brightness: 255 } }
  - { id: light.study_desk, name: Desk Lamp, area: Study, state: "off" }
  - { id: light.study_strip, name: Shelf Strip, area: Study, state: "off" }
  - { id: light.hall_light, name: Hall Light, area: Hall, state: "off" }
  - { id: light.hall_sconce, name: Sconce, area: Hall, state: "off" }
  - { id: light.nursery_light, name: Nursery Light, area: Nursery, state: "off" }
  - { id: vacuum.sweeper, name: Sweeper, area: Kitchen, state: docked }
  - { id: vacuum.mopper, name: Mopper, area: Study, state: docked }
  - { id: script.lights_out, name: Lights Out }
  - { id: scene.cinema, name: Cinema, area: Lounge }
  - { id: media_player.kitchen_radio, name: Kitchen Radio, area: Kitchen, state: playing }
  - { id: binary_sensor.hall_motion, name: Hall Motion, area: Hall, device_class: motion, state: "on" }
  - { id: binary_sensor.study_presence, name: Study Presence, area: Study, device_class: occupancy, state: "off" }
  - { id: binary_sensor.sink_leak, name: Sink Leak, area: Kitchen, device_class: moisture, state: "off" }
  - { id: binary_sensor.hall_smoke, name: Hall Smoke, area: Hall, device_class: smoke, state: "off" }
  - { id: binary_sensor.router, name: Router, device_class: connectivity, state: "on" }
  - { id: binary_sensor.tablet_charging, name: Tablet, device_class: battery_charging, state: "off" }
  - { id: binary_sensor.tablet_battery, name: Tablet, device_class: battery, state: "on" }
  - { id: lock.back_door, name: Back Door, area: Kitchen, state: locked }
  - { id: binary_sensor.back_door, name: Back Door, area: Kitchen, device_class: door, state: "on" }
  - { id: person.sam, name: Sam, state: home }
  - { id: person.kim, name: Kim, state: not_home }
  - { id: todo.errands, name: Errands }
`;

/** The families' home on `sentences`, with an errands list. */
function openHome(sentences: CompiledSentences): Promise<ActingUnderstanding> {
  return openYamlHome(HOME, sentences, (lists, registry) => {
    lists.add("todo.errands", "Errands", "post the parcel");
    for (const l of lists.lists()) registry.upsertEntity(listEntity(l));
  });
}

/** The intents understood for `text` said in `area`, and the reply; a sentence not understood fails the test. */
function recognized(home: ActingUnderstanding, text: string, area?: string) {
  const r = home.understand(text, area ? { area } : {});
  if (r.understanding.kind !== "recognized") throw new Error(`${text}: ${JSON.stringify(r.understanding)}`);
  return { intents: r.understanding.intents, reply: r.reply };
}

describe.each(ENGLISH_VARIANTS)("%s", (_, sentences) => {
  let home: ActingUnderstanding;

  beforeAll(async () => {
    home = await openHome(await sentences());
  });

  afterAll(() => home?.close());

  /** The one intent understood for `text` said in `area` (name, slots, targets). */
  function say(text: string, area?: string) {
    const { intents } = recognized(home, text, area);
    expect(intents).toHaveLength(1);
    const [intent] = intents;
    return { name: intent?.name, slots: intent?.slots ?? {}, targets: intent?.targets ?? [] };
  }

  /** Whether `text` is left alone: understood as nothing, and not answered as a device that is missing. */
  function ignored(text: string): boolean {
    const u = home.understand(text).understanding;
    return u.kind === "not-recognized" && (u.reason === "no_match" || u.reason === "empty");
  }

  it("takes a kind of device said in here to mean the speaker's room, not another room's device named after it", () => {
    const close = say("shut the shutters in here", "Nursery");
    expect(close.name).toBe("HassTurnOff");
    expect(close.targets).toEqual(["cover.nursery_roller"]);
    // In the lounge the same words are its own shutters.
    expect(say("shut the shutters in here", "Lounge").targets).toEqual(["cover.lounge_shutters"]);
  });

  it("asks about one window by its kind and the room it is in", () => {
    const asked = say("is the window in the study open", "Kitchen");
    expect(asked.name).toBe("HassGetState");
    expect(asked.targets).toEqual(["binary_sensor.study_sash"]);
    expect(asked.slots).toMatchObject({ device_class: "window", area: "Study" });
  });

  it("sets the lights to a level when the direction is said before the level", () => {
    const dim = say("turn the lights down to 20 percent", "Kitchen");
    expect(dim).toMatchObject({ name: "HassLightSet", targets: ["light.kitchen_spots"] });
    expect(dim.slots.brightness).toBe(20);
  });

  it("takes a room's lights in the plural for all of them, even where one is named after the room", () => {
    expect(say("switch off the hall lights").targets).toEqual(["light.hall_light", "light.hall_sconce"]);
    // Where the room has only that one, it is the light by its name.
    expect(say("switch off the nursery lights")).toMatchObject({
      targets: ["light.nursery_light"],
      slots: { name: "Nursery Light" },
    });
    expect(say("switch off the hall light").targets).toEqual(["light.hall_light"]);
  });

  it("asks about the windows of a floor by kind, not the one window named after the speaker's room", () => {
    const asked = say("are the windows upstairs open", "Nursery");
    expect(asked.targets).toEqual(["binary_sensor.nursery_pane", "binary_sensor.study_sash"]);
  });

  it("starts the vacuum docked where the speaker is, and every vacuum from a room without one", () => {
    expect(say("start the vacuum", "Kitchen")).toMatchObject({
      name: "HassVacuumStart",
      targets: ["vacuum.sweeper"],
    });
    expect(say("start the vacuum", "Hall").targets).toEqual(["vacuum.mopper", "vacuum.sweeper"]);
  });

  it("sends the vacuum of a named room back to its dock", () => {
    expect(say("send the vacuum in the study back to its dock")).toMatchObject({
      name: "HassVacuumReturnToBase",
      targets: ["vacuum.mopper"],
    });
  });

  it("runs a script with execute", () => {
    expect(say("execute the lights out script")).toMatchObject({
      name: "HassTurnOn",
      targets: ["script.lights_out"],
    });
  });

  it("broadcasts a message that mentions a time, as it was said, instead of delaying it", () => {
    const said = home.broadcasts.length;
    const told = say("announce that dinner is ready in ten minutes");
    expect(told.name).toBe("HassBroadcast");
    expect(told.slots.message).toBe("dinner is ready in ten minutes");
    expect(home.broadcasts.slice(said)).toEqual(["dinner is ready in ten minutes"]);
  });

  it("tells a sensor of one device apart from the others of its name by what is asked", () => {
    expect(say("is the tablet charging").targets).toEqual(["binary_sensor.tablet_charging"]);
  });

  it("asks whether a lock's name is open of its door contact", () => {
    const asked = say("is the back door open");
    expect(asked.targets).toEqual(["binary_sensor.back_door"]);
    expect(say("is the back door locked").targets).toEqual(["lock.back_door"]);
  });

  it("cancels the timer set in the room that is named, not the latest one", () => {
    home.understand("set a timer for 5 minutes", { area: "Kitchen" });
    home.understand("set a timer for 10 minutes", { area: "Study" });
    const seen = home.timerEvents.length;
    const r = home.understand("cancel the kitchen timer", { area: "Study" });
    expect(r.understanding.kind).toBe("recognized");
    const cancelled = home.timerEvents.slice(seen).filter((e) => e.event === "cancelled");
    expect(cancelled.map((e) => [e.timer.seconds, e.timer.area])).toEqual([[300, "Kitchen"]]);
    // None was set in the nursery: nothing else is cancelled in its place.
    home.understand("cancel the nursery timer");
    expect(home.timerEvents.slice(seen).filter((e) => e.event === "cancelled")).toHaveLength(1);
    home.understand("cancel all timers");
  });

  it("leaves remarks that only look like commands unanswered", () => {
    expect(ignored("open your notebooks at chapter two")).toBe(true);
    expect(ignored("add a pinch of pepper to the stew")).toBe(true);
    expect(ignored("it is getting dark really fast tonight")).toBe(true);
  });
});

describe("Hearth's own English beyond the pack", () => {
  let home: ActingUnderstanding;

  beforeAll(async () => {
    home = await openHome(await ownEnglish());
  });

  afterAll(() => home?.close());

  function say(text: string, area?: string) {
    const { intents, reply } = recognized(home, text, area);
    const [intent] = intents;
    return { name: intent?.name, slots: intent?.slots ?? {}, targets: intent?.targets ?? [], reply };
  }

  it("asks about binary sensors by what they detect, anywhere or in one room", () => {
    expect(say("has there been any movement in the hall")).toMatchObject({
      targets: ["binary_sensor.hall_motion"],
      slots: { device_class: "motion", state: "on", area: "Hall" },
    });
    expect(say("is anybody in the study").slots).toMatchObject({ device_class: "occupancy" });
    expect(say("is something leaking").targets).toEqual(["binary_sensor.sink_leak"]);
    expect(say("is there smoke in the hall").targets).toEqual(["binary_sensor.hall_smoke"]);
    const router = say("is the router offline");
    expect(router).toMatchObject({ targets: ["binary_sensor.router"], slots: { state: "off" } });
    expect(router.reply).toBe("No, the router is connected.");
    expect(say("is the tablet running low on battery").targets).toEqual(["binary_sensor.tablet_battery"]);
  });

  it("says who is home", () => {
    const who = say("who is at home");
    expect(who.slots).toMatchObject({ domain: "person", state: "home" });
    expect(who.reply).toBe("Sam is home.");
  });

  it("sets a room's or a floor's lights to a level or a colour without the word lights", () => {
    expect(say("make the study green")).toMatchObject({
      name: "HassLightSet",
      targets: ["light.study_desk", "light.study_strip"],
      slots: { color: "green" },
    });
    expect(say("set study brightness to 45%").slots).toMatchObject({ brightness: 45, area: "Study" });
    expect(say("set upstairs to blue").slots).toMatchObject({ color: "blue", floor: "Upstairs" });
  });

  it("cleans a floor with the vacuum that docks there", () => {
    expect(say("vacuum upstairs")).toMatchObject({
      targets: ["vacuum.mopper"],
      slots: { floor: "Upstairs" },
    });
  });

  it("turns on a scene said with the word scene", () => {
    expect(say("turn on the cinema scene").targets).toEqual(["scene.cinema"]);
  });

  it("goes back a track on a named player", () => {
    expect(say("go back to the last track on the kitchen radio")).toMatchObject({
      name: "HassMediaPrevious",
      targets: ["media_player.kitchen_radio"],
    });
  });

  it("takes a room's name before timer for the timer of that room, and any other word for its name", () => {
    expect(say("stop the kitchen timer")).toMatchObject({
      name: "HassCancelTimer",
      slots: { area: "Kitchen" },
    });
    expect(say("how long is left on the timer in the study").slots).toEqual({ area: "Study" });
    expect(say("stop the noodle timer").slots).toEqual({ name: "noodle" });
  });

  it("completes an item on a to-do list", () => {
    expect(say("complete post the parcel on my errands list")).toMatchObject({
      name: "HassListCompleteItem",
      slots: { item: "post the parcel", name: "Errands" },
    });
  });
});
