import { expect, it } from "vitest";
import { describeEnglishHome } from "../helpers/english-homes.js";

/*
 * How older people talk to a speaker at home: the heating stepped with the step said first ("up a
 * degree on the heating"), a set-point in the unit the home does not use, a radiator named by its
 * room, the room said in a remark before the command ("it's chilly in the study, could you put it
 * up to 19"), who it is for said after it ("for mum"), and the house's temperature from its main
 * thermostat. Said to Hearth's own English alone and with Home Assistant's English pack beside it
 * (../shared/ha-intents, CC BY 4.0, Home Assistant's intents project), through the real matcher,
 * in homes of their own: a Yorkshire stone cottage with a garden flat for a widowed mother, in
 * Celsius, and a Florida condo, in Fahrenheit.
 */
const COTTAGE = `
site: { id: cottage, name: Hearth, area: Snug }
areas:
  - { name: Snug, aliases: [parlour] }
  - { name: Scullery }
  - { name: Study }
  - { name: Back Bedroom }
  - { name: Hallway }
  - { name: Garden Flat, aliases: [the flat] }
devices:
  - { id: climate.boiler, name: Boiler Thermostat, area: Hallway, state: heat, attributes: { temperature: 20, current_temperature: 19.5 } }
  - { id: climate.snug_valve, name: Snug Valve, area: Snug, state: heat, attributes: { temperature: 19, current_temperature: 18 } }
  - { id: climate.study_valve, name: Study Valve, area: Study, state: heat, attributes: { temperature: 18, current_temperature: 17 } }
  - { id: climate.back_bedroom_valve, name: Back Bedroom Valve, area: Back Bedroom, state: heat, attributes: { temperature: 17, current_temperature: 16 } }
  - { id: climate.flat_valve, name: Flat Valve, area: Garden Flat, state: heat, attributes: { temperature: 21, current_temperature: 20 } }
  - { id: light.snug_lamp, name: Snug Lamp, area: Snug, state: "on", attributes: { brightness: 128, supported_color_modes: [brightness] } }
`;

const CONDO = `
site: { id: condo, name: Hearth, area: Den }
areas:
  - { name: Den }
  - { name: Lanai }
devices:
  - { id: climate.den, name: Den Thermostat, area: Den, state: cool, attributes: { temperature: 76, current_temperature: 78 } }
`;

const HOMES = { yaml: COTTAGE, area: "Snug", others: { condo: CONDO } };

describeEnglishHome(HOMES, ({ others: { condo }, say }) => {
  it("steps the heating by the degrees said first, with no verb", () => {
    // The snug's valve is set to 19.
    for (const [text, temperature] of [
      ["up a degree on the heating please", 20],
      ["down a couple of degrees on the heating", 17],
      ["up two degrees on the thermostat", 21],
    ] as const)
      expect(say(text), text).toMatchObject({
        name: "HassClimateSetTemperature",
        slots: { temperature },
        targets: ["climate.snug_valve"],
      });
    expect(say("down a degree on the study radiator")).toMatchObject({
      slots: { temperature: 17 },
      targets: ["climate.study_valve"],
    });
  });

  it("converts a set-point said in the unit the home does not use, and keeps one said in its own", () => {
    for (const [text, temperature] of [
      ["set the heating to 68 fahrenheit", 20],
      ["could you put the heating on 70 degrees fahrenheit", 21],
      ["set the heating to 21 degrees celsius", 21],
    ] as const)
      expect(say(text), text).toMatchObject({ name: "HassClimateSetTemperature", slots: { temperature } });
    for (const [text, temperature] of [
      ["set the thermostat to 22 degrees celsius", 72],
      ["set the thermostat to 74 degrees fahrenheit", 74],
      ["set the thermostat to 74", 74],
    ] as const)
      expect(condo.saidOnce(text, "Den"), text).toMatchObject({
        name: "HassClimateSetTemperature",
        slots: { temperature },
        targets: ["climate.den"],
      });
  });

  it("sets a room's radiator, said by its room, on that room's thermostat", () => {
    for (const text of [
      "put the back bedroom radiator on twenty two",
      "set the back bedroom radiator to 22",
      "put the radiator in the back bedroom on 22 degrees",
      "warm the back bedroom up, twenty two degrees",
    ])
      expect(say(text), text).toMatchObject({
        name: "HassClimateSetTemperature",
        slots: { temperature: 22 },
        targets: ["climate.back_bedroom_valve"],
      });
  });

  it("acts where a remark before the command says, on what the remark is about", () => {
    for (const text of [
      "it's chilly in the study, could you put it up to 19",
      "it's cold in the study could you put it up to 19 please",
    ])
      expect(say(text), text).toMatchObject({
        name: "HassClimateSetTemperature",
        slots: { temperature: 19 },
        targets: ["climate.study_valve"],
      });
  });

  it("leaves out who the warmth is for, and asks whether a room is warm enough", () => {
    for (const text of [
      "a bit warmer in the flat for my mother",
      "make it warmer in the flat for mum",
      "a bit warmer in the flat for Margaret",
    ])
      expect(say(text), text).toMatchObject({
        name: "HassClimateSetTemperature",
        slots: { temperature: 22 },
        targets: ["climate.flat_valve"],
      });
    for (const text of ["is it warm enough in the study for the baby", "is it warm enough in the study"])
      expect(say(text), text).toMatchObject({
        name: "HassClimateGetTemperature",
        targets: ["climate.study_valve"],
      });
  });

  it("answers the house's temperature from its main thermostat", () => {
    for (const text of ["what's the temperature in the house", "how warm is it in the house"])
      expect(say(text), text).toMatchObject({
        name: "HassClimateGetTemperature",
        targets: ["climate.boiler"],
      });
    // With no thermostat named as the main one, every thermostat of the home.
    expect(condo.saidOnce("what's the temperature in the house", "Den")).toMatchObject({
      targets: ["climate.den"],
    });
  });
});

/*
 * The rest of the day in a bungalow with a granny annexe (Celsius): timers asked for as reminders,
 * the time and the weather asked by what they are for, the television and the radio by their old
 * names ("the box", "the wireless"), the curtains pulled and the blinds let down, the list, and
 * the lights turned right down with no verb.
 */
const BUNGALOW = `
site: { id: bungalow, name: Hearth, area: Front Room }
areas:
  - { name: Front Room }
  - { name: Kitchen }
  - { name: Annexe }
  - { name: Landing }
devices:
  - { id: light.front_room_big, name: Front Room Ceiling, area: Front Room, state: "on", attributes: { brightness: 200, supported_color_modes: [brightness] } }
  - { id: light.standard_lamp, name: Standard Lamp, area: Front Room, state: "on", attributes: { brightness: 150, supported_color_modes: [brightness] } }
  - { id: light.landing, name: Landing Light, area: Landing, state: "on", attributes: { brightness: 255, supported_color_modes: [brightness] } }
  - { id: media_player.front_room_tv, name: Front Room TV, area: Front Room, state: playing, attributes: { volume_level: 0.3 } }
  - { id: media_player.kitchen_radio, name: Kitchen Radio, area: Kitchen, state: playing, attributes: { volume_level: 0.4 } }
  - { id: cover.front_room_curtains, name: Front Room Curtains, area: Front Room, device_class: curtain, state: open, attributes: { current_position: 100 } }
  - { id: cover.kitchen_blind, name: Kitchen Blind, area: Kitchen, device_class: blind, state: open, attributes: { current_position: 100 } }
  - { id: todo.shopping_list, name: Shopping List, state: "0" }
  - { id: weather.home, name: Home, state: cloudy, attributes: { temperature: 6 } }
`;

describeEnglishHome({ yaml: BUNGALOW, area: "Front Room", title: "%s, the day in a bungalow" }, ({ say }) => {
  it("sets a timer asked for as a reminder, named for what to remember", () => {
    expect(say("remind me to take my tablets in 10 minutes")).toMatchObject({
      name: "HassStartTimer",
      slots: { minutes: 10, name: "take my tablets" },
    });
    expect(say("remind me in an hour to ring the surgery")).toMatchObject({
      name: "HassStartTimer",
      slots: { hours: 1, name: "ring the surgery" },
    });
    expect(say("give me a shout in 20 minutes")).toMatchObject({
      name: "HassStartTimer",
      slots: { minutes: 20 },
    });
    expect(say("could you time the sprouts for me, nine minutes")).toMatchObject({
      name: "HassStartTimer",
      slots: { minutes: 9, name: "sprouts" },
    });
    expect(say("forty minutes on a timer for the crumble")).toMatchObject({
      name: "HassStartTimer",
      slots: { minutes: 40, name: "crumble" },
    });
  });

  it("tells the time and the weather asked by what they are for", () => {
    for (const text of ["is it morning or afternoon", "is it time to get up yet", "is it bedtime yet"])
      expect(say(text).name, text).toBe("HassGetCurrentTime");
    for (const text of [
      "do I need my scarf today",
      "will I need my brolly",
      "do we need the big coat",
      "is it cold outside this morning",
    ])
      expect(say(text).name, text).toBe("HassGetWeather");
  });

  it("turns the television and the radio up or down, by their old names and tersely", () => {
    for (const [text, volume_step, target] of [
      ["louder please, Arthur can't hear it", "up", "media_player.front_room_tv"],
      ["louder please Arthur can't hear it", "up", "media_player.front_room_tv"],
      ["turn the box down", "down", "media_player.front_room_tv"],
      ["radio down a bit please", "down", "media_player.kitchen_radio"],
      ["turn the wireless up", "up", "media_player.kitchen_radio"],
    ] as const)
      expect(say(text), text).toMatchObject({
        name: "HassSetVolumeRelative",
        slots: { volume_step },
        targets: [target],
      });
    expect(say("hold it there")).toMatchObject({
      name: "HassMediaPause",
      targets: ["media_player.front_room_tv"],
    });
    expect(say("put Radio 4 on the wireless")).toMatchObject({
      name: "HassMediaSearchAndPlay",
      slots: { search_query: "Radio 4" },
      targets: ["media_player.kitchen_radio"],
    });
  });

  it("pulls the curtains closed and lets a blind down a bit or half way", () => {
    expect(say("pull the curtains")).toMatchObject({
      name: "HassTurnOff",
      targets: ["cover.front_room_curtains"],
    });
    expect(say("let the kitchen blind down a bit")).toMatchObject({
      name: "HassSetPosition",
      slots: { position: 75 },
      targets: ["cover.kitchen_blind"],
    });
    for (const text of ["put the kitchen blind half down", "put the kitchen blind halfway up"])
      expect(say(text), text).toMatchObject({
        name: "HassSetPosition",
        slots: { position: 50 },
        targets: ["cover.kitchen_blind"],
      });
  });

  it("puts an item on the list without 'a' and without where it goes said after it", () => {
    for (const [text, item] of [
      ["add a loaf to the list", "loaf"],
      ["put an onion on the list", "onion"],
      ["don't let me forget butter, put it on the list", "butter"],
      ["remember to buy bread, add it to the shopping list", "bread"],
    ] as const)
      expect(say(text), text).toMatchObject({ name: "HassShoppingListAddItem", slots: { item } });
  });

  it("sets a light to about a level, and the lights right down with no verb", () => {
    expect(say("turn the landing light down to about thirty percent")).toMatchObject({
      name: "HassLightSet",
      slots: { brightness: 30 },
      targets: ["light.landing"],
    });
    expect(say("lights in here right down, we're watching a film")).toMatchObject({
      name: "HassLightSet",
      slots: { brightness: 1 },
      targets: ["light.front_room_big", "light.standard_lamp"],
    });
  });
});
