import { expect, it } from "vitest";
import { describeEnglishHome } from "../helpers/english-homes.js";

/**
 * How people in British and Irish homes talk to a speaker, with Hearth's own English alone and with
 * Home Assistant's English pack beside it (../shared/ha-intents, CC BY 4.0, Home Assistant's intents
 * project): "pop" and "stick" things on, "could you ever", "be a love and", a term of endearment or
 * how long it is for said after the command, the volume in everyday words. A terraced house of its
 * own, through the real matcher.
 */
const HOME = `
floors: [{ name: Ground Floor }, { name: First Floor }]
areas:
  - { name: Front Room, floor: Ground Floor, aliases: [lounge] }
  - { name: Scullery, floor: Ground Floor }
  - { name: Hall, floor: Ground Floor }
  - { name: Landing, floor: First Floor }
  - { name: Box Room, floor: First Floor }
  - { name: Potting Shed }
devices:
  - { id: light.front_standard, name: Standard Lamp, area: Front Room, state: "on", attributes: { brightness: 128, supported_color_modes: [brightness] } }
  - { id: light.hall_pendant, name: Hall Pendant, area: Hall, state: "on", attributes: { supported_color_modes: [onoff] } }
  - { id: light.scullery_under, name: Under Cupboard Lights, area: Scullery, state: "off", attributes: { supported_color_modes: [hs] } }
  - { id: switch.kettle, name: Kettle, area: Scullery, state: "off" }
  - { id: switch.immersion, name: Immersion, area: Scullery, state: "off" }
  - { id: lock.back_door, name: Back Door, area: Scullery, state: unlocked }
  - { id: media_player.wireless, name: Wireless, area: Scullery, state: playing, attributes: { volume_level: 0.3 } }
  - { id: media_player.telly, name: Telly, area: Front Room, state: "off" }
  - { id: light.box_bulb, name: TRADFRI bulb E14 WS globe 470lm, area: Box Room, state: "off", attributes: { supported_color_modes: [color_temp] } }
  - { id: light.box_bulb_2, name: TRADFRI bulb GU10 WS 400lm, area: Box Room, state: "off", attributes: { supported_color_modes: [color_temp] } }
  - { id: light.front_strip, name: Hue Play gradient lightstrip 1, area: Front Room, state: "off", attributes: { supported_color_modes: [hs] } }
  - { id: light.landing, name: landing_light, state: "off", attributes: { supported_color_modes: [onoff] } }
  - { id: sensor.shed_temp, name: Potting Shed Temperature, area: Potting Shed, device_class: temperature, unit: "°C", state: "9" }
  - { id: weather.home, name: Home, state: rainy, attributes: { temperature: 8 } }
  - { id: binary_sensor.landing_motion, name: Landing Motion, area: Landing, device_class: motion, state: "off" }
  - { id: person.siobhan, name: Siobhan, state: home }
  - { id: person.declan, name: Declan, state: not_home }
  - { id: climate.boiler, name: Central Heating, area: Hall, state: heat, attributes: { temperature: 19, current_temperature: 18 } }
`;

describeEnglishHome({ yaml: HOME, area: "Front Room" }, ({ home, say }) => {
  const notCommand = (text: string, area = "Front Room") => home.expectNoCommand(text, area);

  it("pops and sticks things on, asked the Irish and British ways, with time to do it", () => {
    for (const [text, name, target] of [
      ["pop the telly on", "HassTurnOn", "media_player.telly"],
      ["stick the kettle on", "HassTurnOn", "switch.kettle"],
      ["could you ever turn on the standard lamp", "HassTurnOn", "light.front_standard"],
      ["would you ever stick on the immersion whenever you've a minute", "HassTurnOn", "switch.immersion"],
      ["be a love and put the kettle on", "HassTurnOn", "switch.kettle"],
      ["be a pet and pop the telly back on", "HassTurnOn", "media_player.telly"],
      ["switch the kettle off when you get a chance", "HassTurnOff", "switch.kettle"],
      ["it's bitter in here, stick the heating on", "HassTurnOn", "climate.boiler"],
    ] as const) {
      const i = say(text);
      expect(i.name, text).toBe(name);
      expect(i.targets, text).toEqual([target]);
    }
  });

  it("takes a term of endearment or how long it is for after the command as said to the assistant", () => {
    for (const [text, name, target] of [
      ["turn the hall pendant off, darling", "HassTurnOff", "light.hall_pendant"],
      ["switch off the kettle love", "HassTurnOff", "switch.kettle"],
      ["lock the back door for tonight", "HassTurnOn", "lock.back_door"],
      ["turn the standard lamp off for now, pet", "HassTurnOff", "light.front_standard"],
    ] as const) {
      const i = say(text);
      expect(i.name, text).toBe(name);
      expect(i.targets, text).toEqual([target]);
      // Not read as a place or part of a name.
      expect(JSON.stringify(i.slots), text).not.toMatch(/darling|love|tonight|now|pet/);
    }
    // Said first, the word still addresses someone else in the room.
    notCommand("darling, switch off the kettle");
    notCommand("close the door, you guys");
  });

  it("sets the volume in everyday words and hears a player's sound called too loud or too quiet", () => {
    expect(say("put the wireless on volume twenty", "Scullery")).toMatchObject({
      name: "HassSetVolume",
      slots: { volume_level: 20 },
      targets: ["media_player.wireless"],
    });
    expect(say("turn it up to half volume", "Scullery")).toMatchObject({
      name: "HassSetVolume",
      slots: { volume_level: 50 },
      targets: ["media_player.wireless"],
    });
    expect(say("put the telly on full blast")).toMatchObject({
      name: "HassSetVolume",
      slots: { volume_level: 100 },
      targets: ["media_player.telly"],
    });
    expect(say("the radio's too quiet", "Scullery")).toMatchObject({
      name: "HassSetVolumeRelative",
      slots: { volume_step: "up" },
      targets: ["media_player.wireless"],
    });
    expect(say("the telly's far too loud", "Scullery")).toMatchObject({
      name: "HassSetVolumeRelative",
      slots: { volume_step: "down" },
      targets: ["media_player.telly"],
    });
    expect(say("put the wireless on mute", "Scullery").name).toBe("HassMediaPlayerMute");
    expect(say("bring the sound back", "Scullery")).toMatchObject({
      name: "HassMediaPlayerUnmute",
      targets: ["media_player.wireless"],
    });
  });

  it("knows a product's long name by one plain word of it and its kind, and a bridge's name said in words", () => {
    for (const [text, target] of [
      ["turn on the globe bulb", "light.box_bulb"],
      ["switch the globe light off", "light.box_bulb"],
      ["turn on the hue strip", "light.front_strip"],
      ["pop the gradient light strip on", "light.front_strip"],
      ["turn the landing light on", "light.landing"],
    ] as const) {
      expect(say(text).targets, text).toEqual([target]);
    }
    // Two TRADFRI bulbs: the brand alone says neither.
    expect(home.understand("turn on the tradfri bulb", { area: "Hall" }).understanding.kind).not.toBe(
      "recognized",
    );
  });

  it("moves a light by fractions, right up or down, the brightness said first, or a complaint about it", () => {
    for (const [text, brightness] of [
      ["turn the standard lamp up to three quarters", 75],
      ["standard lamp down to a quarter", 25],
      ["turn the standard lamp right up", 100],
      ["turn the standard lamp right down", 1],
      ["brightness up on the standard lamp", 75],
      ["turn the brightness down on the standard lamp", 25],
      ["the standard lamp's far too harsh, dim it", 25],
      ["the standard lamp is a bit glaring", 25],
    ] as const) {
      expect(say(text), text).toMatchObject({
        name: "HassLightSet",
        slots: { brightness },
        targets: ["light.front_standard"],
      });
    }
  });

  it("hears a light asked to go a colour", () => {
    expect(say("could the under cupboard lights go blue", "Scullery")).toMatchObject({
      name: "HassLightSet",
      slots: { color: "blue" },
      targets: ["light.scullery_under"],
    });
    expect(say("can the lights go a lovely red", "Scullery")).toMatchObject({
      name: "HassLightSet",
      slots: { color: "red" },
      targets: ["light.scullery_under"],
    });
  });

  it("sets the thermostat tersely with the room after, and answers how warm the house or a shed is", () => {
    expect(say("thermostat to nineteen in the hall")).toMatchObject({
      name: "HassClimateSetTemperature",
      slots: { temperature: 19 },
      targets: ["climate.boiler"],
    });
    expect(say("how warm is the house", "Hall")).toMatchObject({
      name: "HassClimateGetTemperature",
      targets: ["climate.boiler"],
    });
    expect(say("how chilly is it out in the potting shed")).toMatchObject({
      name: "HassGetState",
      targets: ["sensor.shed_temp"],
    });
    expect(say("what's the temperature out there").name).toBe("HassGetWeather");
  });

  it("answers the weather, the time and 'no need' in British and Irish words", () => {
    for (const text of [
      "is it pelting down",
      "is it lashing out there",
      "will the sun come out later",
      "is it dry enough to hang the washing out",
    ])
      expect(say(text).name, text).toBe("HassGetWeather");
    for (const text of ["have you the time", "tell us the time", "give us the time"])
      expect(say(text).name, text).toBe("HassGetCurrentTime");
    for (const text of ["ah you're alright", "don't bother so", "no you're grand thanks"])
      expect(say(text).name, text).toBe("HassNevermind");
    notCommand("the washing is out on the line");
  });

  it("sets, bins and keeps timers going in everyday words", () => {
    expect(say("pasta timer, eight minutes")).toMatchObject({
      name: "HassStartTimer",
      slots: { name: "pasta", minutes: 8 },
    });
    expect(say("give us a timer for five minutes")).toMatchObject({
      name: "HassStartTimer",
      slots: { minutes: 5 },
    });
    expect(say("give us a timer for five minutes").slots).not.toHaveProperty("name");
    expect(say("give us a ten minute timer")).toMatchObject({
      name: "HassStartTimer",
      slots: { minutes: 10 },
    });
    expect(say("bin all the timers").name).toBe("HassCancelAllTimers");
    expect(say("keep the timer going").name).toBe("HassUnpauseTimer");
  });

  it("asks whether anybody is about where a motion sensor is, and who is at home", () => {
    expect(say("is anybody about on the landing")).toMatchObject({
      name: "HassGetState",
      slots: { device_class: "motion" },
      targets: ["binary_sensor.landing_motion"],
    });
    expect(say("who's at home")).toMatchObject({
      name: "HassGetState",
      slots: { domain: "person", state: "home" },
    });
  });

  it("reads a remark set apart after the command as no place it does not know", () => {
    const u = home.understand("close the windows, the storm's coming!", { area: "Hall" }).understanding;
    expect(u.kind).toBe("not-recognized");
    if (u.kind === "not-recognized") expect(u.reason).not.toMatch(/unknown_(floor|area)/);
    expect(say("pop the kettle on, the storm's coming").targets).toEqual(["switch.kettle"]);
  });
});
