import { expect, it } from "vitest";
import { describeEnglishHome } from "../helpers/english-homes.js";

/**
 * Commands typed in a hurry to a home assistant's chat box, with Hearth's own English alone and with
 * Home Assistant's English pack beside it (../shared/ha-intents, CC BY 4.0, Home Assistant's
 * intents project): letters swapped, dropped or doubled in the sentences' own words, "teh", "the"
 * typed twice; and what must stay as it is: names with slips (matched as near misses of the name),
 * and talk that is no command. Then wishes the home makes clear ("I'm cold", "it's too loud", a
 * steamy bathroom), a room typed bare after a terse order, the doors locked from a room without a
 * lock. A home of its own, through the real matcher.
 */
const HOME = `floors: [{ name: Ground, aliases: [downstairs] }, { name: First, aliases: [upstairs] }]
areas:
  - { name: Lounge, floor: Ground }
  - { name: Galley, floor: Ground, aliases: [kitchen] }
  - { name: Washroom, floor: First, aliases: [bathroom] }
  - { name: Loft Bedroom, floor: First }
  - { name: Study, floor: First }
devices:
  - { id: light.lounge_arc, name: Arc Lamp, area: Lounge, state: "off", attributes: { brightness: 0, supported_color_modes: [hs] } }
  - { id: light.lounge_spots, name: Lounge Spots, area: Lounge, state: "on", attributes: { brightness: 200, supported_color_modes: [brightness] } }
  - { id: light.galley_strip, name: Counter Strip, area: Galley, state: "off", attributes: { supported_color_modes: [brightness] } }
  - { id: light.loft_reading, name: Reading Light, area: Loft Bedroom, state: "off", attributes: { supported_color_modes: [brightness] } }
  - { id: light.study_desk, name: Anglepoise Lamp, area: Study, state: "off", attributes: { supported_color_modes: [color_temp] } }
  - { id: light.study_ceiling, name: Study Ceiling, area: Study, state: "off", attributes: { supported_color_modes: [color_temp] } }
  - { id: switch.galley_kettle, name: Kettle, area: Galley, state: "off" }
  - { id: fan.washroom_extractor, name: Extractor, area: Washroom, state: "off" }
  - { id: fan.loft_fan, name: Loft Fan, area: Loft Bedroom, state: "off" }
  - { id: lock.front, name: Front Door, area: Galley, state: unlocked }
  - { id: lock.back, name: Back Door, area: Galley, state: unlocked }
  - { id: cover.loft_blind, name: Loft Blind, area: Loft Bedroom, device_class: blind, state: open }
  - { id: media_player.lounge_speaker, name: Lounge Speaker, area: Lounge, state: playing, attributes: { volume_level: 0.5 } }
  - { id: media_player.loft_speaker, name: Loft Speaker, area: Loft Bedroom, state: idle, attributes: { volume_level: 0.3 } }
  - { id: climate.hall, name: Hall Thermostat, area: Lounge, state: heat, attributes: { temperature: 20, current_temperature: 19 } }
  - { id: sensor.phone_battery, name: Phone Battery, device_class: battery, unit: "%", state: "64" }
  - { id: sensor.doorbell_battery, name: Doorbell Battery, device_class: battery, unit: "%", state: "12" }
  - { id: weather.home, name: Home Forecast, state: sunny, attributes: { temperature: 14 } }
  - { id: todo.shopping_list, name: Shopping List, state: "0" }
  - { id: todo.chores, name: Chores, state: "0" }
`;

describeEnglishHome({ yaml: HOME, area: "Lounge" }, ({ home, say }) => {
  it("puts right a verb with a letter swapped, dropped or doubled", () => {
    for (const [text, name, target] of [
      ["trun on the arc lamp", "HassTurnOn", "light.lounge_arc"],
      ["swich off the kettle", "HassTurnOff", "switch.galley_kettle"],
      // Home Assistant unlocks a lock by turning it off.
      ["unlcok the front door", "HassTurnOff", "lock.front"],
      ["pasue the music", "HassMediaPause", "media_player.lounge_speaker"],
      ["turn of the lounge spots", "HassTurnOff", "light.lounge_spots"],
    ] as const) {
      const i = say(text);
      expect([i.name, i.targets], text).toEqual([name, [target]]);
    }
  });

  it("puts right the sentences' other words and the values of their lists", () => {
    const dim = say("dimm the lounge spots to 30 percent");
    expect([dim.name, dim.targets, dim.slots.brightness]).toEqual([
      "HassLightSet",
      ["light.lounge_spots"],
      30,
    ]);
    const bright = say("set the brigthness of the arc lamp to 70");
    expect([bright.name, bright.targets, bright.slots.brightness]).toEqual([
      "HassLightSet",
      ["light.lounge_arc"],
      70,
    ]);
    const colour = say("make the arc lamp purpel");
    expect([colour.name, colour.targets, colour.slots.color]).toEqual([
      "HassLightSet",
      ["light.lounge_arc"],
      "purple",
    ]);
    const timer = say("set a timmer for ten mintues");
    expect([timer.name, timer.slots.minutes]).toEqual(["HassStartTimer", 10]);
    expect(say("whats the wether like").name).toBe("HassGetWeather");
    expect(say("waht time is it").name).toBe("HassGetCurrentTime");
    const temp = say("whats the temprature in here");
    expect(temp.name).toMatch(/^HassClimateGetTemperature$|^HassGetState$/);
  });

  it("reads 'teh', 'hte' and 'the' typed twice as 'the'", () => {
    for (const text of ["turn on teh arc lamp", "turn on hte arc lamp", "turn on the the arc lamp"]) {
      const i = say(text);
      expect([i.name, i.targets], text).toEqual(["HassTurnOn", ["light.lounge_arc"]]);
    }
  });

  it("puts right a slip in a sentence that also names a device with a slip", () => {
    const i = say("trun on the readng light", "Loft Bedroom");
    expect([i.name, i.targets]).toEqual(["HassTurnOn", ["light.loft_reading"]]);
  });

  it("leaves talk with slips in it as no command", () => {
    for (const text of [
      "teh kids are asleep",
      "i cant beleive its snowing",
      "waht a lovely day",
      "the the end",
      "Trun, my friend, is coming over",
      "I need to get some sleep",
    ])
      home.expectNoCommand(text);
  });

  it("turns on the fan of a room said to be steamy", () => {
    for (const [text, area] of [
      ["the bathroom is all steamed up", "Lounge"],
      ["it's so steamy in the washroom", "Study"],
      ["its steamy in here", "Washroom"],
    ] as const) {
      const i = say(text, area);
      expect([i.name, i.targets], text).toEqual(["HassTurnOn", ["fan.washroom_extractor"]]);
    }
    // No fan where the speaker is: no command for a device.
    expect(home.understand("its steamy", { area: "Lounge" }).understanding.kind).toBe("not-recognized");
  });

  it("moves the thermostat a degree for someone who says they are cold or hot", () => {
    for (const [text, degrees] of [
      ["im cold", 21],
      ["I'm freezing", 21],
      ["we are a bit chilly", 21],
      ["I'm too hot", 19],
    ] as const) {
      const i = say(text, "Loft Bedroom");
      expect([i.name, i.targets, i.slots.temperature], text).toEqual([
        "HassClimateSetTemperature",
        ["climate.hall"],
        degrees,
      ]);
    }
  });

  it("turns down what is playing when it is too loud, in another room where nothing plays here", () => {
    for (const [text, area] of [
      ["its too loud", "Lounge"],
      ["it's way too loud", "Loft Bedroom"],
      ["too loud", "Study"],
    ] as const) {
      const i = say(text, area);
      expect([i.name, i.targets, i.slots.volume_step], text).toEqual([
        "HassSetVolumeRelative",
        ["media_player.lounge_speaker"],
        "down",
      ]);
    }
  });

  it("reads a room typed bare after a terse order as that room", () => {
    for (const [text, target] of [
      ["lights off study", ["light.study_ceiling", "light.study_desk"]],
      ["lights off galley", ["light.galley_strip"]],
    ] as const) {
      const i = say(text);
      expect([i.name, [...i.targets].sort()], text).toEqual(["HassTurnOff", target]);
    }
  });

  it("locks the home's doors asked from a room without a lock, and unlocks only where asked", () => {
    for (const text of ["lock the doors", "lock up"]) {
      const i = say(text, "Study");
      expect([i.name, [...i.targets].sort()], text).toEqual(["HassTurnOn", ["lock.back", "lock.front"]]);
    }
    home.expectNoCommand("unlock the doors", "Study");
    home.expectNoCommand("lock the doors in here", "Study");
  });

  it("sets brightness all the way up or down without a number", () => {
    const room = say("turn the brightness all the way up");
    expect([room.name, [...room.targets].sort(), room.slots.brightness]).toEqual([
      "HassLightSet",
      ["light.lounge_arc", "light.lounge_spots"],
      100,
    ]);
    const one = say("set the brightness of the lounge spots all the way down");
    expect([one.targets, one.slots.brightness]).toEqual([["light.lounge_spots"], 1]);
  });

  it("answers what a battery is at", () => {
    const i = say("what's the doorbell battery at");
    expect([i.name, i.targets]).toEqual(["HassGetState", ["sensor.doorbell_battery"]]);
  });
});
