import { expect, it } from "vitest";
import { describeEnglishHome } from "../helpers/english-homes.js";

/**
 * Families of phrasing people use for devices named the way Home Assistant users name them, with
 * Hearth's own English alone and with Home Assistant's English pack beside it (../shared/ha-intents,
 * CC BY 4.0, Home Assistant's intents project): covers named by their kind, windows that are both
 * covers and contact sensors, numbers in names said as "number two", positions and temperatures
 * said without "to", what a thermostat reads, pausing for a moment, carrying on, going back a song,
 * and searches for "some" music or for a named album. A home of its own, through the real matcher.
 */
const HOME = `
floors: [{ name: Ground Floor }, { name: First Floor }]
areas:
  - { name: Study, floor: Ground Floor }
  - { name: Carport, floor: Ground Floor }
  - { name: Scullery, floor: Ground Floor }
  - { name: Nursery, floor: First Floor }
  - { name: Attic, floor: First Floor }
devices:
  - { id: cover.carport_door, name: Garage Door, area: Carport, device_class: garage, state: closed }
  - { id: cover.carport_gate, name: Side Gate, area: Carport, device_class: gate, state: closed }
  - { id: cover.study_shades, name: Study Blinds, area: Study, device_class: blind, state: open, attributes: { current_position: 100 } }
  - { id: cover.nursery_dark, name: Blackout, area: Nursery, device_class: blind, state: open, attributes: { current_position: 100 } }
  - { id: cover.nursery_drapes, name: Curtains, area: Nursery, device_class: curtain, state: open }
  - { id: cover.study_drapes, name: Curtains, area: Study, device_class: curtain, state: open }
  - { id: cover.attic_skylight, name: Attic Window, area: Attic, device_class: window, state: closed, attributes: { current_position: 0 } }
  - { id: binary_sensor.attic_skylight, name: Attic Window, area: Attic, device_class: window, state: "off" }
  - { id: binary_sensor.study_sash, name: Study Window, area: Study, device_class: window, state: "on" }
  - { id: binary_sensor.scullery_pane, name: Scullery Window, area: Scullery, device_class: window, state: "off" }
  - { id: light.study_lamp_1, name: Lamp 1, area: Study, state: "off" }
  - { id: light.study_lamp_2, name: Lamp 2, area: Study, state: "off" }
  - { id: light.nursery_bulb_3, name: Nursery Bulb 3, area: Nursery, state: "off" }
  - id: climate.study_stat
    name: Thermostat
    area: Study
    state: heat
    attributes: { temperature: 19, current_temperature: 18.5, hvac_modes: ["off", heat] }
  - { id: climate.nursery_rad, name: Nursery Radiator, area: Nursery, state: heat, attributes: { temperature: 18, current_temperature: 17 } }
  - { id: media_player.scullery_radio, name: Scullery Radio, area: Scullery, state: playing }
  - { id: media_player.study_hifi, name: Hifi, area: Study, state: paused }
  - { id: fan.study_fan, name: Desk Fan, area: Study, state: "off", attributes: { percentage: 0 } }
  - { id: fan.scullery_ceiling, name: Ceiling Fan, area: Scullery, state: "off", attributes: { percentage: 0 } }
  - { id: person.maya, name: Maya, state: home }
`;

describeEnglishHome({ yaml: HOME, area: "Study" }, ({ home, say }) => {
  it("reads a cover named only by its kind as that kind too, wherever it is said from", () => {
    for (const [text, area] of [
      ["open the garage door", "Study"],
      ["shut the garage door", "Carport"],
    ] as const) {
      const r = say(text, area);
      expect(r.slots, text).toMatchObject({ domain: "cover", device_class: "garage" });
      expect(r.targets, text).toEqual(["cover.carport_door"]);
    }
    // Hearth's reply still names the device (the pack's answers "Opened", as in Home Assistant).
    expect(home.understand("open the garage door", { area: "Study" }).reply).toMatch(
      /^Opened( the garage door\.)?$/,
    );
    // "the blinds" in the study is the study's blinds, whatever they are called.
    expect(say("lower the blinds")).toMatchObject({
      name: "HassTurnOff",
      slots: { device_class: "blind" },
      targets: ["cover.study_shades"],
    });
    expect(say("draw the curtains", "Nursery")).toMatchObject({
      slots: { device_class: "curtain" },
      targets: ["cover.nursery_drapes"],
    });
    expect(say("close the windows in the attic")).toMatchObject({
      name: "HassTurnOff",
      slots: { device_class: "window", area: "Attic" },
      targets: ["cover.attic_skylight"],
    });
    // A name that says more than the kind is a name only.
    const named = say("open the study blinds", "Nursery");
    expect(named).toMatchObject({ slots: { name: "Study Blinds" }, targets: ["cover.study_shades"] });
    expect(named.slots?.device_class).toBeUndefined();
  });

  it("asks the window sensors whether windows are open, and moves the window covers", () => {
    for (const text of ["which windows are open", "are any windows open", "how many windows are open"]) {
      const r = say(text);
      expect(r.slots, text).toMatchObject({ device_class: "window" });
      expect(r.targets, text).toEqual([
        "binary_sensor.attic_skylight",
        "binary_sensor.scullery_pane",
        "binary_sensor.study_sash",
      ]);
    }
    expect(say("are the windows open in the attic").targets).toEqual(["binary_sensor.attic_skylight"]);
    expect(home.understand("which windows are open", { area: "Study" }).reply).toMatch(/study window/i);
    expect(say("close the attic window")).toMatchObject({
      name: "HassTurnOff",
      targets: ["cover.attic_skylight"],
    });
  });

  it("hears a number in a device's name said as 'number two'", () => {
    expect(say("turn on lamp number two")).toMatchObject({
      name: "HassTurnOn",
      targets: ["light.study_lamp_2"],
    });
    expect(say("switch off lamp number 1").targets).toEqual(["light.study_lamp_1"]);
    expect(say("turn on nursery bulb number three").targets).toEqual(["light.nursery_bulb_3"]);
    // The name as it is written still works, and a number no lamp has is no lamp.
    expect(say("turn on lamp two").targets).toEqual(["light.study_lamp_2"]);
    const u = home.understand("turn on lamp number nine", { area: "Study" }).understanding;
    expect(u.kind).toBe("not-recognized");
  });

  it("sets a cover's position said straight after it, without 'to'", () => {
    expect(say("open the study blinds 40 percent", "Nursery")).toMatchObject({
      name: "HassSetPosition",
      slots: { position: 40 },
      targets: ["cover.study_shades"],
    });
    expect(say("raise the blackout 30%", "Study")).toMatchObject({
      slots: { position: 30 },
      targets: ["cover.nursery_dark"],
    });
    expect(say("open the blinds 25 percent", "Nursery")).toMatchObject({
      name: "HassSetPosition",
      slots: { device_class: "blind", position: 25 },
      targets: ["cover.nursery_dark"],
    });
  });

  it("puts a thermostat on a temperature, and tells what it reads", () => {
    expect(say("put the thermostat on 21 degrees")).toMatchObject({
      name: "HassClimateSetTemperature",
      slots: { temperature: 21 },
      targets: ["climate.study_stat"],
    });
    expect(say("put the nursery radiator on twenty two degrees")).toMatchObject({
      name: "HassClimateSetTemperature",
      slots: { temperature: 22 },
      targets: ["climate.nursery_rad"],
    });
    expect(say("put the heating on 20 degrees", "Nursery")).toMatchObject({
      name: "HassClimateSetTemperature",
      targets: ["climate.nursery_rad"],
    });
    for (const text of [
      "what's the thermostat reading",
      "what is the thermostat at",
      "what does the thermostat say",
    ]) {
      expect(say(text), text).toMatchObject({
        name: "HassClimateGetTemperature",
        targets: ["climate.study_stat"],
      });
    }
    expect(say("what's the nursery radiator showing", "Study")).toMatchObject({
      name: "HassClimateGetTemperature",
      targets: ["climate.nursery_rad"],
    });
    expect(home.understand("what's the thermostat reading", { area: "Study" }).reply).toMatch(/18\.5/);
  });

  it("pauses for a moment, carries on playing and goes back a song on a named player", () => {
    for (const text of ["stop the scullery radio for a sec", "pause the scullery radio for a second"])
      expect(say(text), text).toMatchObject({
        name: "HassMediaPause",
        targets: ["media_player.scullery_radio"],
      });
    expect(say("hold the music for a moment", "Scullery")).toMatchObject({
      name: "HassMediaPause",
      targets: ["media_player.scullery_radio"],
    });
    for (const text of ["carry on playing", "carry on with the music"])
      expect(say(text), text).toMatchObject({
        name: "HassMediaUnpause",
        targets: ["media_player.study_hifi"],
      });
    expect(say("carry on playing on the hifi", "Scullery").targets).toEqual(["media_player.study_hifi"]);
    expect(say("go back a song on the scullery radio")).toMatchObject({
      name: "HassMediaPrevious",
      targets: ["media_player.scullery_radio"],
    });
    // "carry on" alone is said to people as much as to a player.
    expect(home.understand("carry on", { area: "Study" }).understanding.kind).toBe("not-recognized");
  });

  it("searches for what 'some' music names, and for an album named before its kind", () => {
    expect(say("play some jazz on the scullery radio")).toMatchObject({
      name: "HassMediaSearchAndPlay",
      slots: { search_query: "jazz" },
      targets: ["media_player.scullery_radio"],
    });
    expect(say("play some bossa nova", "Scullery").slots).toMatchObject({ search_query: "bossa nova" });
    expect(say("play the kind of blue album on the hifi")).toMatchObject({
      slots: { search_query: "kind of blue", media_class: "album" },
      targets: ["media_player.study_hifi"],
    });
    expect(say("play my sunday morning playlist", "Scullery").slots).toMatchObject({
      search_query: "sunday morning",
      media_class: "playlist",
    });
    expect(home.media.at(-1)?.search_query).toBe("sunday morning");
  });

  it("answers a greeting said to it, and leaves words said to anyone alone", () => {
    for (const text of ["good morning", "hi there", "hey there", "hello hearth", "good evening, hearth"]) {
      const r = home.understand(text, { area: "Study" });
      expect(r.understanding, text).toMatchObject({ kind: "recognized", intents: [{ name: "HassRespond" }] });
      expect(r.reply, text).toMatch(/^Hello/);
    }
    // A greeting before a command is the command.
    expect(say("good morning, turn on lamp 1")).toMatchObject({
      name: "HassTurnOn",
      targets: ["light.study_lamp_1"],
    });
    for (const text of [
      "hey",
      "hey hearth",
      "thanks",
      "how are you doing today",
      "good morning everybody, breakfast is ready",
    ])
      expect(home.understand(text, { area: "Study" }).understanding.kind, text).toBe("not-recognized");
  });

  it("turns the volume up or down by an amount, a bit on a named player, or when it is too loud", () => {
    for (const [text, step] of [
      ["increase the volume by 10 percent", 10],
      ["volume up by 15", 15],
      ["turn the hifi up 20 percent", 20],
      ["lower the volume on the scullery radio by 10 percent", -10],
    ] as const) {
      const r = say(text);
      expect(r.name, text).toBe("HassSetVolumeRelative");
      // A signed step in percent, as Assist takes it.
      expect(r.slots?.volume_step, text).toBe(step);
    }
    expect(say("turn the volume up a little on the scullery radio")).toMatchObject({
      slots: { volume_step: "up" },
      targets: ["media_player.scullery_radio"],
    });
    expect(say("louder on the hifi", "Scullery")).toMatchObject({
      slots: { volume_step: "up" },
      targets: ["media_player.study_hifi"],
    });
    expect(say("knock the volume down a bit", "Scullery")).toMatchObject({
      slots: { volume_step: "down" },
      targets: ["media_player.scullery_radio"],
    });
    expect(say("the music is too loud", "Scullery").slots).toMatchObject({ volume_step: "down" });
    expect(say("up the volume on the hifi").slots).toMatchObject({ volume_step: "up" });
  });

  it("sets a fan's speed said without 'speed', with the room before its name, or as how it runs", () => {
    for (const [text, pct, target] of [
      ["put the desk fan on medium", 50, "fan.study_fan"],
      ["desk fan to max", 100, "fan.study_fan"],
      ["put the desk fan on full blast", 100, "fan.study_fan"],
      ["run the ceiling fan at 40 percent", 40, "fan.scullery_ceiling"],
      ["ceiling fan 60 percent", 60, "fan.scullery_ceiling"],
      ["turn up the desk fan to 70%", 70, "fan.study_fan"],
      ["increase the desk fan speed to 80 percent", 80, "fan.study_fan"],
      ["make the ceiling fan go at 25 percent", 25, "fan.scullery_ceiling"],
      ["the scullery ceiling fan to 30 percent", 30, "fan.scullery_ceiling"],
    ] as const) {
      expect(say(text), text).toMatchObject({
        name: "HassFanSetSpeed",
        slots: { percentage: pct },
        targets: [target],
      });
    }
  });

  it("resumes playing in more of the words people use", () => {
    for (const text of [
      "start the music again",
      "hit play",
      "pick up where you left off",
      "get the music going again",
      "carry on with the film",
    ])
      expect(say(text), text).toMatchObject({
        name: "HassMediaUnpause",
        targets: ["media_player.study_hifi"],
      });
    expect(say("press play on the scullery radio")).toMatchObject({
      name: "HassMediaUnpause",
      targets: ["media_player.scullery_radio"],
    });
    expect(say("start the hifi again", "Scullery").targets).toEqual(["media_player.study_hifi"]);
  });

  it("sets a light's level said before the light, or as how bright it should be", () => {
    for (const [text, level, target] of [
      ["brightness 40 on lamp 1", 40, "light.study_lamp_1"],
      ["make lamp 2 20% bright", 20, "light.study_lamp_2"],
      ["bring lamp 1 up to full brightness", 100, "light.study_lamp_1"],
    ] as const) {
      expect(say(text), text).toMatchObject({
        name: "HassLightSet",
        slots: { brightness: level },
        targets: [target],
      });
    }
    expect(say("brightness to 30%")).toMatchObject({
      name: "HassLightSet",
      slots: { brightness: 30, area: "Study" },
      targets: ["light.study_lamp_1", "light.study_lamp_2"],
    });
  });

  it("plays a playlist or album said by what it is called, and puts some music on", () => {
    expect(say("play a playlist called road trip on the hifi", "Scullery")).toMatchObject({
      name: "HassMediaSearchAndPlay",
      slots: { media_class: "playlist", search_query: "road trip" },
      targets: ["media_player.study_hifi"],
    });
    expect(say("put some jazz on in the scullery")).toMatchObject({
      name: "HassMediaSearchAndPlay",
      slots: { search_query: "jazz" },
      targets: ["media_player.scullery_radio"],
    });
  });

  it("broadcasts a message for someone of the household with their name in front", () => {
    for (const [text, message] of [
      ["tell maya dinner is ready", "dinner is ready"],
      ["let maya know that the taxi is here", "the taxi is here"],
      ["tell maya to come downstairs", "come downstairs"],
    ] as const) {
      expect(say(text), text).toMatchObject({ name: "HassBroadcast", slots: { name: "Maya", message } });
      expect(home.broadcasts.at(-1), text).toBe(`Maya, ${message}`);
    }
    // Only people: a device is not told things, and "tell me" asks Hearth.
    for (const text of ["tell the hifi to stop", "tell me a joke"])
      expect(home.understand(text, { area: "Study" }).understanding.kind, text).toBe("not-recognized");
  });
});
