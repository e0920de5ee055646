import { expect, it } from "vitest";
import { describeEnglishHome } from "../helpers/english-homes.js";

/**
 * Everyday talk to a speaker at home, with Hearth's own English alone and with Home Assistant's
 * English pack beside it (../shared/ha-intents, CC BY 4.0, Home Assistant's intents project): a
 * remark or a reason beside the command, light asked for by saying the room is dark, timers in
 * plain words, machines and alarms asked about as people ask. A home of its own, through the real
 * matcher.
 */
const HOME = `
floors: [{ name: Ground Floor }, { name: Top Floor }]
areas:
  - { name: Snug, floor: Ground Floor }
  - { name: Pantry, floor: Ground Floor }
  - { name: Workshop, floor: Ground Floor, aliases: [shed] }
  - { name: Attic Room, floor: Top Floor }
  - { name: Study, floor: Top Floor }
devices:
  - { id: light.snug_standard, name: Standard Lamp, area: Snug, state: "on", attributes: { brightness: 128, supported_color_modes: [brightness] } }
  - { id: light.snug_uplight, name: Uplight, area: Snug, state: "off", attributes: { supported_color_modes: [hs] } }
  - { id: light.workshop_tube, name: Workshop Tube, area: Workshop, state: "off", attributes: { supported_color_modes: [onoff] } }
  - { id: light.pantry_bulb, name: Pantry Bulb, area: Pantry, state: "off", attributes: { supported_color_modes: [brightness] } }
  - { id: light.attic_spot, name: Attic Spot, area: Attic Room, state: "on", attributes: { brightness: 255, supported_color_modes: [brightness] } }
  - { id: switch.toaster, name: Toaster, area: Pantry, state: "off" }
  - { id: fan.snug_breeze, name: Breeze, area: Snug, state: "off" }
  - { id: binary_sensor.dishwasher, name: Dishwasher, area: Pantry, device_class: running, state: "on" }
  - { id: binary_sensor.tumble_dryer, name: Tumble Dryer, area: Pantry, device_class: running, state: "off" }
  - { id: binary_sensor.attic_smoke, name: Attic Smoke Detector, area: Attic Room, device_class: smoke, state: "off" }
  - { id: vacuum.dusty, name: Dusty, area: Snug, state: docked }
  - { id: scene.film_night, name: Film Night, area: Snug }
  - { id: cover.snug_blind, name: Snug Blind, area: Snug, device_class: blind, state: open }
  - { id: cover.attic_blind, name: Attic Blind, area: Attic Room, device_class: blind, state: closed }
  - { id: light.grans_lamp, name: Gran's Reading Lamp, area: Study, state: "off", attributes: { supported_color_modes: [brightness] } }
  - { id: light.study_pendant, name: Study Pendant, area: Study, state: "off", attributes: { supported_color_modes: [onoff] } }
  - { id: light.bos_clamp, name: Bo's Workbench Clamp Lamp, area: Study, state: "off", attributes: { supported_color_modes: [onoff] } }
  - { id: climate.study_radiator, name: Study Radiator, area: Study, state: heat, attributes: { temperature: 19.5, current_temperature: 18 } }
  - { id: sensor.turbine_power, name: Wind Turbine Power, device_class: power, unit: W, state: "320" }
  - { id: sensor.attic_air, name: Attic Air, area: Attic Room, device_class: carbon_dioxide, unit: ppm, state: "700" }
`;

const ALL_LIGHTS = [
  "light.attic_spot",
  "light.bos_clamp",
  "light.grans_lamp",
  "light.pantry_bulb",
  "light.snug_standard",
  "light.snug_uplight",
  "light.study_pendant",
  "light.workshop_tube",
];

describeEnglishHome({ yaml: HOME, area: "Snug" }, ({ home, said, say }) => {
  it("carries out the command beside a remark or a reason set apart by a comma, a stop or 'because'", () => {
    for (const [text, name, target] of [
      ["it's getting dark out, switch on the standard lamp", "HassTurnOn", "light.snug_standard"],
      ["toaster on, I'm starving", "HassTurnOn", "switch.toaster"],
      ["the breeze on please. it is stuffy in here", "HassTurnOn", "fan.snug_breeze"],
      ["turn the breeze on because it's stuffy", "HassTurnOn", "fan.snug_breeze"],
      ["I'm done for the day, turn off the workshop tube", "HassTurnOff", "light.workshop_tube"],
    ] as const) {
      const i = say(text);
      expect(i.name, text).toBe(name);
      expect(i.targets, text).toEqual([target]);
    }
    // Two commands after one reason.
    expect(
      said("we're off to sleep now, turn off the standard lamp and the attic spot").map((i) => [
        i.name,
        i.targets,
      ]),
    ).toEqual([
      ["HassTurnOff", ["light.snug_standard"]],
      ["HassTurnOff", ["light.attic_spot"]],
    ]);
  });

  it("passes over a filler set apart inside the command", () => {
    expect(say("switch on the, erm, uplight").targets).toEqual(["light.snug_uplight"]);
    expect(say("put a timer on for, like, four minutes").slots).toMatchObject({ minutes: 4 });
    expect(say("start a timer for like six minutes").slots).toMatchObject({ minutes: 6 });
  });

  it("answers nothing for talk whose clauses are none of them a command", () => {
    for (const text of [
      "the toaster is broken, it burns everything",
      "I tidied the workshop, it took all day",
      "it's stuffy, isn't it",
    ]) {
      expect(home.understand(text, { area: "Snug" }).understanding.kind, text).toBe("not-recognized");
    }
  });

  it("switches the lights on where the room is said to be dark and they are off or cannot dim", () => {
    for (const [text, area, target] of [
      ["it's too dark in the workshop", "Snug", "light.workshop_tube"],
      ["it's really gloomy in the shed", "Snug", "light.workshop_tube"],
      ["I can't see a thing in here", "Workshop", "light.workshop_tube"],
      ["I need more light", "Pantry", "light.pantry_bulb"],
      ["we can hardly see in the pantry", "Snug", "light.pantry_bulb"],
    ] as const) {
      const i = say(text, area);
      expect(i.name, text).toBe("HassTurnOn");
      expect(i.targets, text).toEqual([target]);
    }
  });

  it("brightens or dims the lights that are on when the room is said to be too dark or too bright", () => {
    expect(say("too bright in here", "Attic Room")).toMatchObject({
      name: "HassLightSet",
      slots: { brightness: 75 },
      targets: ["light.attic_spot"],
    });
    const brighter = say("it's a bit too dark in here");
    expect(brighter.name).toBe("HassLightSet");
    // From the brightest light of the room (the standard lamp at half) a step up.
    expect(brighter.slots.brightness).toBe(75);
    expect(brighter.targets).toEqual(["light.snug_standard", "light.snug_uplight"]);
  });

  it("starts, checks, lengthens, pauses and cancels timers said in everyday words", () => {
    for (const [text, minutes] of [
      ["time ten minutes", 10],
      ["a countdown of three minutes", 3],
      ["start a seven minute countdown", 7],
    ] as const) {
      expect(say(text), text).toMatchObject({ name: "HassStartTimer", slots: { minutes } });
    }
    for (const text of ["how's my timer doing", "how's the timer getting on", "is the timer nearly done"]) {
      expect(say(text).name, text).toBe("HassTimerStatus");
    }
    for (const text of ["give it two more minutes", "give the timer 2 more minutes"]) {
      expect(say(text).name, text).toBe("HassIncreaseTimer");
    }
    for (const text of ["put the timer on hold", "halt the timer"]) {
      expect(say(text).name, text).toBe("HassPauseTimer");
    }
    for (const text of ["forget the timer", "scrap the timer", "never mind the timer"]) {
      home.understand("set a timer for 2 minutes", { area: "Snug" });
      expect(say(text).name, text).toBe("HassCancelTimer");
    }
  });

  it("asks whether a machine is still going or done, and whether an alarm is going off", () => {
    for (const [text, target, state] of [
      ["is the dishwasher still going", "binary_sensor.dishwasher", "on"],
      ["is the tumble dryer done yet", "binary_sensor.tumble_dryer", "off"],
      ["has the dishwasher finished", "binary_sensor.dishwasher", "off"],
      ["is the attic smoke detector going off", "binary_sensor.attic_smoke", "on"],
    ] as const) {
      expect(say(text), text).toMatchObject({ name: "HassGetState", targets: [target], slots: { state } });
    }
  });

  it("sends a robot vacuum out or home without the verb 'vacuum'", () => {
    for (const text of [
      "get dusty to do the floors",
      "have dusty go over the snug",
      "ask dusty to sweep the house",
      "can dusty do the floors",
      "could the robot go over the house",
    ]) {
      expect(say(text), text).toMatchObject({ name: "HassVacuumStart", targets: ["vacuum.dusty"] });
    }
    for (const text of [
      "send it back to base please",
      "send dusty back to its home base",
      "dusty back to base please",
      "the robot home now",
    ]) {
      expect(say(text), text).toMatchObject({ name: "HassVacuumReturnToBase", targets: ["vacuum.dusty"] });
    }
  });

  it("tells the time and the date asked 'again'", () => {
    expect(say("what's the date again").name).toBe("HassGetCurrentDate");
    expect(say("what's today's date again").name).toBe("HassGetCurrentDate");
    expect(say("what time is it again").name).toBe("HassGetCurrentTime");
  });

  it("reads 'all the lights' and 'all the blinds' with no place as the whole home's, as Home Assistant does", () => {
    expect(say("turn off all the lights")).toMatchObject({ name: "HassTurnOff", targets: ALL_LIGHTS });
    expect(say("switch every light on")).toMatchObject({ name: "HassTurnOn", targets: ALL_LIGHTS });
    expect(say("close all the blinds").targets).toEqual(["cover.attic_blind", "cover.snug_blind"]);
    // "The lights", or "all the lights in here", are the speaker's room's.
    expect(say("turn off the lights").targets).toEqual(["light.snug_standard", "light.snug_uplight"]);
    expect(say("turn off all the lights in here").targets).toEqual([
      "light.snug_standard",
      "light.snug_uplight",
    ]);
    expect(say("close the blinds").targets).toEqual(["cover.snug_blind"]);
    expect(say("turn off all the lights in the attic room").targets).toEqual(["light.attic_spot"]);
  });

  it("moves covers put up or down, and switches things back on or off", () => {
    expect(say("put the blind up")).toMatchObject({ name: "HassTurnOn", targets: ["cover.snug_blind"] });
    expect(say("put the attic blind down")).toMatchObject({
      name: "HassTurnOff",
      targets: ["cover.attic_blind"],
    });
    expect(say("turn the standard lamp back on")).toMatchObject({
      name: "HassTurnOn",
      targets: ["light.snug_standard"],
    });
    expect(say("switch the toaster back off")).toMatchObject({
      name: "HassTurnOff",
      targets: ["switch.toaster"],
    });
    expect(say("set the scene for film night")).toMatchObject({
      name: "HassTurnOn",
      targets: ["scene.film_night"],
    });
  });

  it("sets a colour described in everyday words, a level said with 'make', and both at once", () => {
    expect(say("make the uplight a nice yellow colour")).toMatchObject({
      name: "HassLightSet",
      slots: { color: "yellow" },
      targets: ["light.snug_uplight"],
    });
    for (const text of ["set the uplight to blue at 40 percent", "set the uplight to 40 percent and blue"]) {
      expect(say(text).slots, text).toMatchObject({ color: "blue", brightness: 40 });
    }
    expect(say("make the standard lamp 30 percent").slots).toMatchObject({ brightness: 30 });
    expect(say("brightness of the standard lamp to 60").slots).toMatchObject({ brightness: 60 });
  });

  it("takes 'put … down' of no light or cover, and a command said to someone by name, for talk", () => {
    for (const text of ["put the toaster down", "put the book down", "open the pod bay doors, hal"]) {
      const u = home.understand(text, { area: "Snug" }).understanding;
      expect(u, text).toMatchObject({ kind: "not-recognized", reason: "no_match" });
    }
  });

  it("knows a sensor by the thing it measures, and a light by its owner and its kind", () => {
    for (const text of [
      "how much is the wind turbine making",
      "how much power are the wind turbine generating",
    ]) {
      expect(say(text), text).toMatchObject({ name: "HassGetState", targets: ["sensor.turbine_power"] });
    }
    expect(say("what's the co2 like in the attic room")).toMatchObject({
      name: "HassGetState",
      targets: ["sensor.attic_air"],
    });
    expect(say("turn on gran's lamp")).toMatchObject({ name: "HassTurnOn", targets: ["light.grans_lamp"] });
  });

  it("opens or closes a room's covers when the room is named", () => {
    expect(say("open the attic room")).toMatchObject({ name: "HassTurnOn", targets: ["cover.attic_blind"] });
    expect(say("close the snug")).toMatchObject({ name: "HassTurnOff", targets: ["cover.snug_blind"] });
  });

  it("does a command said twice over in one sentence once, and a toggle as often as it is said", () => {
    for (const text of [
      "stop the vacuum and send it back to its dock",
      "stop dusty and send him home",
      "pause dusty and send him home",
      "turn on the toaster and then switch it on",
    ]) {
      const intents = said(text);
      expect(intents, text).toHaveLength(1);
    }
    expect(said("stop the vacuum and send it back")).toEqual([
      { name: "HassVacuumReturnToBase", slots: {}, targets: ["vacuum.dusty"] },
    ]);
    expect(said("toggle the toaster and then toggle it").map((i) => i.name)).toEqual([
      "HassToggle",
      "HassToggle",
    ]);
  });

  it("knows a light by its owner with some words of its name, and by the rest of its name and its kind in its room", () => {
    for (const text of [
      "turn on bo's workbench lamp",
      "turn on bo's clamp lamp",
      "switch bo's lamp on",
      "turn on bo's study lamp",
    ]) {
      expect(say(text, "Pantry"), text).toMatchObject({ name: "HassTurnOn", targets: ["light.bos_clamp"] });
    }
    expect(say("turn on gran's study lamp", "Pantry")).toMatchObject({ targets: ["light.grans_lamp"] });
    for (const text of ["turn on the pendant light", "switch the pendant lamp on"]) {
      expect(say(text, "Study"), text).toMatchObject({
        name: "HassTurnOn",
        targets: ["light.study_pendant"],
      });
    }
  });

  it("moves the thermostat's set temperature a degree for the heating turned up or down", () => {
    for (const [text, temperature] of [
      ["turn the heating up", 20.5],
      ["crank the heat up a little", 20.5],
      ["turn down the thermostat", 18.5],
      ["turn the radiator down a bit", 18.5],
      ["knock the heating down a degree", 18.5],
      ["turn up the radiator", 20.5],
    ] as const) {
      expect(say(text, "Study"), text).toMatchObject({
        name: "HassClimateSetTemperature",
        slots: { temperature },
        targets: ["climate.study_radiator"],
      });
    }
    expect(say("turn the study heating up", "Pantry")).toMatchObject({
      slots: { temperature: 20.5 },
      targets: ["climate.study_radiator"],
    });
    expect(say("turn the heating up to 22", "Study").slots).toMatchObject({ temperature: 22 });
  });

  it("answers how the air is in a room from its air-quality sensor, and from nothing else", () => {
    for (const [text, area] of [
      ["how's the air in the attic room", "Snug"],
      ["how is the air quality in here", "Attic Room"],
      ["what's the air like in here", "Attic Room"],
      ["how fresh is the air in the attic room", "Pantry"],
    ] as const) {
      expect(say(text, area), text).toMatchObject({ name: "HassGetState", targets: ["sensor.attic_air"] });
    }
    const pantry = home.understand("how's the air in the pantry", { area: "Snug" }).understanding;
    expect(pantry).toMatchObject({ kind: "not-recognized", reason: "no_targets" });
  });

  it("sends a robot named to clean another room than the one it docks in", () => {
    for (const text of ["have dusty do the pantry", "get dusty to hoover the pantry"]) {
      expect(say(text), text).toMatchObject({
        name: "HassVacuumStart",
        slots: { area: "Pantry" },
        targets: ["vacuum.dusty"],
      });
    }
  });

  it("sends a robot told to stop by its name or its kind home, the order before or after it", () => {
    for (const text of [
      "dusty stop",
      "dusty, stop",
      "stop dusty",
      "vacuum stop now",
      "that's enough dusty",
    ]) {
      expect(say(text), text).toMatchObject({ name: "HassVacuumReturnToBase", targets: ["vacuum.dusty"] });
    }
    // Said by its own name, as written and without "the".
    expect(home.understand("dusty, stop", { area: "Snug" }).reply).toBe("Sending Dusty home.");
  });

  it("asks whether the robot vacuum is at work or done, wherever it is", () => {
    for (const [text, state] of [
      ["is the vacuum running", "cleaning"],
      ["is dusty still going", "cleaning"],
      ["is the robot busy", "cleaning"],
      ["has dusty finished", "docked"],
      ["is the hoover done yet", "docked"],
    ] as const) {
      expect(say(text, "Study"), text).toMatchObject({
        name: "HassGetState",
        targets: ["vacuum.dusty"],
        slots: { state },
      });
    }
    expect(home.understand("is the vacuum running", { area: "Study" }).reply).toBe("No, Dusty is docked.");
    expect(home.understand("is dusty done", { area: "Study" }).reply).toBe("Yes, Dusty is docked.");
  });

  it("takes no command quoted from someone else ('…, she said') for one", () => {
    for (const text of [
      "switch on the standard lamp, she said",
      "he shouted: turn off the toaster!",
      "turn the breeze on, said the man in the film",
    ]) {
      const u = home.understand(text, { area: "Snug" }).understanding;
      expect(u, text).toMatchObject({ kind: "not-recognized", reason: "no_match" });
    }
    expect(say("switch on the standard lamp, please")).toMatchObject({ targets: ["light.snug_standard"] });
  });

  it("moves the set temperature a degree when asked for warmth or told the room is cold or hot", () => {
    for (const [text, area, temperature] of [
      ["make it warmer in here", "Study", 20.5],
      ["make it a bit cooler", "Study", 18.5],
      ["it's freezing in here", "Study", 20.5],
      ["it's far too hot in the study", "Pantry", 18.5],
      ["warm the room up a little", "Study", 20.5],
      // The home's only thermostat, from a room without one, whatever it is called.
      ["make it warmer", "Snug", 20.5],
      ["turn up the heat", "Snug", 20.5],
      ["turn the heat down a bit", "Workshop", 18.5],
    ] as const) {
      expect(say(text, area), text).toMatchObject({
        name: "HassClimateSetTemperature",
        slots: { temperature },
        targets: ["climate.study_radiator"],
      });
    }
    for (const text of [
      "make the uplight warmer",
      "warm up the soup",
      "the tea is cold",
      "it's cold outside",
    ]) {
      expect(home.understand(text, { area: "Study" }).understanding.kind, text).toBe("not-recognized");
    }
  });

  it("switches the room's climate device by what it does, whatever it is called", () => {
    expect(say("turn off the heating in the study", "Pantry")).toMatchObject({
      name: "HassTurnOff",
      targets: ["climate.study_radiator"],
    });
    expect(say("switch the air con on", "Study")).toMatchObject({
      name: "HassTurnOn",
      targets: ["climate.study_radiator"],
    });
  });

  it("answers a greeting or a question to the assistant said alone, and not beside other talk", () => {
    for (const text of [
      "what can i say, it was a great day",
      "hi there, it was a long day",
      "who made this cake",
      "who made dinner tonight",
    ]) {
      const u = home.understand(text, { area: "Snug" }).understanding;
      expect(u, text).toMatchObject({ kind: "not-recognized", reason: "no_match" });
    }
    expect(say("hi there").name).toBe("HassRespond");
  });
});
