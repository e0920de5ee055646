import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ActingUnderstanding, ENGLISH_VARIANTS, openYamlHome } from "../helpers/understanding.js";

/**
 * Commands typed in a hurry to a home assistant's chat box, with Hearth's own English alone and with
 * Home Assistant's English pack beside it (../shared/ha-intents, CC BY 4.0, Home Assistant's
 * intents project): letters swapped, dropped or doubled in the sentences' own words, "teh", "the"
 * typed twice; and what must stay as it is: names with slips (matched as near misses of the name),
 * and talk that is no command. A home of its own, through the real matcher.
 */
const HOME = `
floors: [{ name: Ground, aliases: [downstairs] }, { name: First, aliases: [upstairs] }]
areas:
  - { name: Lounge, floor: Ground }
  - { name: Galley, floor: Ground, aliases: [kitchen] }
  - { name: Washroom, floor: First }
  - { name: Loft Bedroom, floor: First }
devices:
  - { id: light.lounge_arc, name: Arc Lamp, area: Lounge, state: "off", attributes: { brightness: 0, supported_color_modes: [hs] } }
  - { id: light.lounge_spots, name: Lounge Spots, area: Lounge, state: "on", attributes: { brightness: 200, supported_color_modes: [brightness] } }
  - { id: light.galley_strip, name: Counter Strip, area: Galley, state: "off", attributes: { supported_color_modes: [brightness] } }
  - { id: light.loft_reading, name: Reading Light, area: Loft Bedroom, state: "off", attributes: { supported_color_modes: [brightness] } }
  - { id: switch.galley_kettle, name: Kettle, area: Galley, state: "off" }
  - { id: fan.washroom_extractor, name: Extractor, area: Washroom, state: "off" }
  - { id: lock.front, name: Front Door, area: Lounge, state: unlocked }
  - { id: cover.loft_blind, name: Loft Blind, area: Loft Bedroom, device_class: blind, state: open }
  - { id: media_player.lounge_speaker, name: Lounge Speaker, area: Lounge, state: playing, attributes: { volume_level: 0.5 } }
  - { id: climate.hall, name: Hall Thermostat, area: Lounge, state: heat, attributes: { temperature: 20, current_temperature: 19 } }
  - { id: weather.home, name: Home Forecast, state: sunny, attributes: { temperature: 14 } }
  - { id: scene.movie_night, name: Movie Night, state: scening }
`;

describe.each(ENGLISH_VARIANTS)("%s", (_, sentences) => {
  let home: ActingUnderstanding;

  beforeAll(async () => {
    home = await openYamlHome(HOME, await sentences());
  });

  afterAll(() => home?.close());

  const say = (text: string, area = "Lounge") => home.saidOnce(text, area);

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
    ])
      home.expectNoCommand(text);
  });
});
