import { expect, it } from "vitest";
import { describeEnglishHome } from "../helpers/english-homes.js";

/**
 * Everyday phrasings of the commands Hearth already carries out, with Hearth's own English alone and
 * with Home Assistant's English pack beside it (../shared/ha-intents, CC BY 4.0, Home Assistant's
 * intents project): a timer named by what it is for, the time and date asked in passing, the
 * chance of rain, "don't worry about it", things to buy said as a reminder, the robot sent back to
 * charge, a player put on pause or its sound back on, a film asked for as a film, a device "back
 * on", "I'd like … on", a broadcast that is itself polite, a colour or level with no light named,
 * the whole home's warmth, sensors by what they sense, a light complained about then fixed, and
 * orders given to people in the room, which are none for Hearth. A bungalow of its own, through the
 * real matcher.
 */
const HOME = `
areas:
  - { name: Galley, aliases: [kitchen] }
  - { name: Snug }
  - { name: Den }
  - { name: Little Room }
  - { name: Patio }
devices:
  - { id: light.galley_strip, name: Galley Strip, area: Galley, state: "on", attributes: { brightness: 200, supported_color_modes: [hs] } }
  - { id: light.reading_lamp, name: Reading Lamp, area: Den, state: "on", attributes: { brightness: 150, supported_color_modes: [hs] } }
  - { id: light.downlights, name: Downlights, area: Snug, state: "on", attributes: { brightness: 250, supported_color_modes: [brightness] } }
  - { id: switch.pond_pump, name: Pond Pump, area: Patio, state: "off" }
  - { id: switch.oil_radiator, name: Oil Radiator, area: Den, state: "on" }
  - { id: fan.snug_fan, name: Pedestal Fan, area: Snug, state: "on" }
  - { id: vacuum.dusty, name: Dusty, area: Snug, state: cleaning }
  - { id: media_player.snug_tv, name: Snug TV, area: Snug, state: playing, attributes: { volume_level: 0.3 } }
  - { id: media_player.galley_radio, name: Galley Radio, area: Galley, state: paused }
  - { id: media_player.den_speaker, name: Den Speaker, area: Den, state: paused }
  - { id: weather.forecast, name: Forecast, state: cloudy, attributes: { temperature: 11 } }
  - { id: climate.hall_stat, name: Hall Stat, area: Galley, state: heat, attributes: { temperature: 19, current_temperature: 17.5 } }
  - { id: binary_sensor.porch_pir, name: Porch PIR, area: Patio, device_class: motion, state: "on" }
  - { id: binary_sensor.landing_pir, name: Landing PIR, area: Den, device_class: motion, state: "off" }
  - { id: binary_sensor.cot_monitor, name: Cot Monitor, area: Little Room, device_class: sound, state: "off" }
  - { id: binary_sensor.washer, name: Washer, area: Galley, device_class: running, state: "on" }
  - { id: person.rowan, name: Rowan, state: home }
  - { id: person.ellis, name: Ellis, state: home }
`;

describeEnglishHome({ yaml: HOME, area: "Snug" }, ({ home, say }) => {
  const notCommand = (text: string, area = "Snug") => home.expectNoCommand(text, area);

  it("names a timer after what it is for and tells how long is left on it without the word timer", () => {
    expect(say("time six minutes for the eggs")).toMatchObject({
      name: "HassStartTimer",
      slots: { minutes: 6, name: "eggs" },
    });
    expect(say("give us a twenty minute timer for the potatoes")).toMatchObject({
      name: "HassStartTimer",
      slots: { minutes: 20, name: "potatoes" },
    });
    for (const text of ["how long until the eggs are done", "how long till the eggs are ready"])
      expect(say(text), text).toMatchObject({ name: "HassTimerStatus", slots: { name: "eggs" } });
    expect(say("how long's left on the potatoes")).toMatchObject({
      name: "HassTimerStatus",
      slots: { name: "potatoes" },
    });
    expect(home.understand("how long's left on the potatoes").reply).toMatch(/20 minutes/);
    for (const text of ["how much longer on the potatoes", "how long have the potatoes got left"])
      expect(say(text), text).toMatchObject({ name: "HassTimerStatus", slots: { name: "potatoes" } });
  });

  it("tells the time and the date asked in passing", () => {
    expect(say("what time've we got").name).toBe("HassGetCurrentTime");
    expect(say("remind me what day it is").name).toBe("HassGetCurrentDate");
    expect(say("what's today's date again").name).toBe("HassGetCurrentDate");
  });

  it("reads the chance of rain or sun as a question about the weather", () => {
    for (const text of [
      "any chance of rain this afternoon",
      "is there any chance of snow tomorrow",
      "what are the chances of rain today",
      "will we see any sun today",
    ])
      expect(say(text), text).toMatchObject({ name: "HassGetWeather", targets: ["weather.forecast"] });
  });

  it("takes 'don't worry about it' and 'leave it' as never mind", () => {
    for (const text of [
      "don't worry about it",
      "forget I said anything",
      "ah leave it",
      "no leave it",
      "never worry about that",
    ])
      expect(say(text).name, text).toBe("HassNevermind");
  });

  it("puts what is to be bought on the shopping list when asked to remember it, not what the house has to do", () => {
    for (const [text, item] of [
      ["remember to buy oat milk", "oat milk"],
      ["don't let me forget teabags", "teabags"],
      ["remember to pick up some lemons", "lemons"],
      ["we need to get more butter", "butter"],
      ["we're running low on flour, put it on the list", "flour"],
    ] as const)
      expect(say(text), text).toMatchObject({ name: "HassShoppingListAddItem", slots: { item } });
    for (const text of [
      "we need to get going",
      "we need to get ready",
      "I need to get some sleep",
      "we need to get a new boiler",
    ])
      notCommand(text);
  });

  it("sends the robot back to charge, stopped in the same breath", () => {
    for (const text of [
      "stop cleaning and go back to the dock",
      "tell the robot to go back to charging",
      "dusty go and charge",
      "tell dusty to go back to her dock",
      "send the vacuum home",
    ])
      expect(say(text), text).toMatchObject({ name: "HassVacuumReturnToBase", targets: ["vacuum.dusty"] });
  });

  it("puts a player on pause, carries on playing where asked and brings the sound back", () => {
    expect(say("put the tv on pause")).toMatchObject({
      name: "HassMediaPause",
      targets: ["media_player.snug_tv"],
    });
    expect(say("carry on playing in the galley")).toMatchObject({
      name: "HassMediaUnpause",
      targets: ["media_player.galley_radio"],
    });
    expect(say("carry on playing on the den speaker")).toMatchObject({
      name: "HassMediaUnpause",
      targets: ["media_player.den_speaker"],
    });
    expect(say("sound back on please")).toMatchObject({
      name: "HassMediaPlayerUnmute",
      targets: ["media_player.snug_tv"],
    });
  });

  it("plays a film or a show as what it is, without the word in the search", () => {
    for (const [text, media_class, search_query] of [
      ["play the film brief encounter on the tv", "movie", "brief encounter"],
      ["play the movie local hero", "movie", "local hero"],
      ["play the album blue lines", "album", "blue lines"],
    ] as const) {
      expect(say(text), text).toMatchObject({
        name: "HassMediaSearchAndPlay",
        slots: { media_class, search_query },
        targets: ["media_player.snug_tv"],
      });
    }
  });

  it("switches a device back on or off by its name alone, and as something wanted", () => {
    expect(say("pond pump back on")).toMatchObject({ name: "HassTurnOn", targets: ["switch.pond_pump"] });
    expect(say("oil radiator back off")).toMatchObject({
      name: "HassTurnOff",
      targets: ["switch.oil_radiator"],
    });
    expect(say("I'd like the galley lights on please")).toMatchObject({
      name: "HassTurnOn",
      targets: ["light.galley_strip"],
    });
    expect(say("I want the fan off")).toMatchObject({ name: "HassTurnOff", targets: ["fan.snug_fan"] });
  });

  it("keeps 'please' that opens a broadcast inside it, and a message that starts with a name whole", () => {
    expect(say("broadcast please come and help with the shopping")).toMatchObject({
      name: "HassBroadcast",
      slots: { message: "please come and help with the shopping" },
    });
    expect(home.broadcasts.at(-1)).toBe("please come and help with the shopping");
    // Said before the command, "please" is the speaker's, not the message's.
    expect(say("please broadcast the film is starting").slots).toEqual({ message: "the film is starting" });
    expect(say("broadcast rowan your lift is here").slots).toEqual({ message: "rowan your lift is here" });
    expect(home.broadcasts.at(-1)).toBe("rowan your lift is here");
  });

  it("switches a light to a colour, gives coloured light where asked, and sets a level with no light named", () => {
    expect(say("switch the reading lamp to purple")).toMatchObject({
      name: "HassLightSet",
      slots: { color: "purple" },
      targets: ["light.reading_lamp"],
    });
    expect(say("give me some blue light in the galley")).toMatchObject({
      name: "HassLightSet",
      slots: { color: "blue", area: "Galley" },
      targets: ["light.galley_strip"],
    });
    expect(say("brightness 40 percent")).toMatchObject({
      name: "HassLightSet",
      slots: { brightness: 40 },
      targets: ["light.downlights"],
    });
    expect(say("brightness to half", "Den")).toMatchObject({
      name: "HassLightSet",
      slots: { brightness: 50 },
      targets: ["light.reading_lamp"],
    });
  });

  it("sets and reads the whole home's warmth from its thermostat wherever it is asked", () => {
    expect(say("make it 20 degrees in the house", "Den")).toMatchObject({
      name: "HassClimateSetTemperature",
      slots: { temperature: 20 },
      targets: ["climate.hall_stat"],
    });
    expect(say("set the house to 18 degrees", "Den")).toMatchObject({
      name: "HassClimateSetTemperature",
      slots: { temperature: 18 },
      targets: ["climate.hall_stat"],
    });
    expect(say("how warm is it in the house", "Den")).toMatchObject({
      name: "HassClimateGetTemperature",
      targets: ["climate.hall_stat"],
    });
    expect(say("what temperature is it outside")).toMatchObject({
      name: "HassGetWeather",
      targets: ["weather.forecast"],
    });
  });

  it("asks sensors by what they sense: any motion, a monitor hearing anything, a machine still going", () => {
    for (const text of ["is there any motion", "is any motion detected"])
      expect(say(text), text).toMatchObject({
        name: "HassGetState",
        slots: { device_class: "motion", state: "on" },
        targets: ["binary_sensor.landing_pir", "binary_sensor.porch_pir"],
      });
    expect(home.understand("is any motion detected").reply).toMatch(/porch/i);
    expect(say("is the cot monitor hearing anything")).toMatchObject({
      name: "HassGetState",
      slots: { device_class: "sound", state: "on" },
      targets: ["binary_sensor.cot_monitor"],
    });
    expect(home.understand("is the cot monitor hearing anything").reply).toMatch(/^No/);
    for (const text of ["is the washer still going", "is the washer still running"]) {
      expect(say(text), text).toMatchObject({ name: "HassGetState", targets: ["binary_sensor.washer"] });
      expect(home.understand(text).reply, text).toMatch(/^Yes/);
    }
  });

  it("dims a light complained about and pointed back at", () => {
    for (const [text, target] of [
      ["the downlights are dazzling me, turn them down", "light.downlights"],
      ["the reading lamp's too bright, dim it", "light.reading_lamp"],
      ["the lights are far too bright, turn them down", "light.downlights"],
    ] as const) {
      const i = say(text);
      expect(i.name, text).toBe("HassLightSet");
      expect(i.targets, text).toEqual([target]);
      expect(i.slots.brightness as number, text).toBeLessThan(target === "light.downlights" ? 98 : 59);
    }
  });

  it("leaves orders given to people in the room alone, and takes those given to Hearth or a room", () => {
    for (const text of [
      "stop shouting, both of you",
      "put your shoes away, the pair of you",
      "did you lock the back door, Jude",
      "Ellis, turn that down",
      "Jude, switch the pond pump off",
    ]) {
      const r = home.understand(text, { area: "Snug" });
      expect(r.understanding.kind, text).toBe("not-recognized");
      expect(r.reply ?? "", text).not.toMatch(/know any|not aware/i);
    }
    expect(say("hearth, turn the tv down").name).toBe("HassSetVolumeRelative");
    expect(say("den, lights off")).toMatchObject({ name: "HassTurnOff", targets: ["light.reading_lamp"] });
  });
});
