import { expect, it } from "vitest";
import { describeEnglishHome } from "../helpers/english-homes.js";

/**
 * How people in Indian homes talk to a speaker, with Hearth's own English alone and with Home
 * Assistant's English pack beside it (../shared/ha-intents, CC BY 4.0, Home Assistant's intents
 * project): "on" and "off" said as the verb, "open / close" a fan, a regulator's speeds by number,
 * for a flat of its own in Chennai, through the real matcher.
 */
const HOME = `
site: { id: flat, name: Hearth, area: Drawing Room }
floors: [{ name: Ground Floor }, { name: First Floor }]
areas:
  - { name: Drawing Room, floor: Ground Floor }
  - { name: Kitchen, floor: Ground Floor }
  - { name: Study, floor: Ground Floor }
  - { name: Pooja Room, floor: Ground Floor }
  - { name: Guest Bedroom, floor: First Floor }
  - { name: Sit Out, floor: First Floor }
  - { name: Terrace }
devices:
  - { id: light.drawing_tube, name: Tube Light, area: Drawing Room, state: "off", attributes: { supported_color_modes: [onoff] } }
  - { id: light.drawing_spots, name: Spot Lights, area: Drawing Room, state: "on", attributes: { brightness: 100, supported_color_modes: [brightness] } }
  - { id: light.study_table, name: Table Lamp, area: Study, state: "off", attributes: { supported_color_modes: [brightness] } }
  - { id: light.kitchen_tube, name: Kitchen Tube, area: Kitchen, state: "on", attributes: { supported_color_modes: [onoff] } }
  - { id: light.terrace_bulb, name: Terrace Bulb, area: Terrace, state: "off", attributes: { supported_color_modes: [onoff] } }
  - { id: light.guest_light, name: Guest Light, area: Guest Bedroom, state: "on", attributes: { supported_color_modes: [onoff] } }
  - { id: fan.drawing_fan, name: Drawing Room Fan, aliases: [ceiling fan], area: Drawing Room, state: "on", attributes: { percentage: 40, percentage_step: 20 } }
  - { id: fan.study_fan, name: Study Fan, area: Study, state: "off", attributes: { percentage: 0, percentage_step: 25 } }
  - { id: fan.guest_fan, name: Guest Bedroom Fan, area: Guest Bedroom, state: "off" }
  - { id: switch.geyser, name: Geyser, area: Guest Bedroom, state: "off" }
  - { id: climate.drawing_ac, name: Drawing Room AC, aliases: [voltas ac], area: Drawing Room, state: "off", attributes: { temperature: 25 } }
  - { id: climate.guest_ac, name: Guest Bedroom AC, area: Guest Bedroom, state: cool, attributes: { temperature: 22 } }
  - { id: switch.study_heater, name: Room Heater 1, area: Study, state: "on" }
  - { id: cover.drawing_curtains, name: Drawing Room Curtains, area: Drawing Room, device_class: curtain, state: open, attributes: { current_position: 50 } }
  - { id: cover.guest_blinds, name: Guest Bedroom Blinds, area: Guest Bedroom, device_class: blind, state: open, attributes: { current_position: 100 } }
  - { id: media_player.drawing_tv, name: Drawing Room TV, area: Drawing Room, state: playing, attributes: { volume_level: 0.4 } }
  - { id: media_player.study_speaker, name: Study Speaker, area: Study, state: paused, attributes: { volume_level: 0.2 } }
  - { id: sensor.ups_battery, name: UPS Battery, area: Study, device_class: battery, unit: "%", state: "64" }
  - { id: sensor.sump_level, name: Sump Level, area: Terrace, unit: "%", state: "55" }
  - { id: sensor.drawing_aqi, name: Drawing Room AQI, area: Drawing Room, device_class: aqi, state: "112" }
  - { id: sensor.kavya_phone_battery, name: Kavya's Phone Battery, device_class: battery, unit: "%", state: "18" }
  - { id: binary_sensor.grid, name: Grid Supply, device_class: power, state: "off" }
  - { id: binary_sensor.kitchen_lpg, name: LPG Detector, area: Kitchen, device_class: gas, state: "off" }
  - { id: binary_sensor.terrace_leak, name: Terrace Leak, area: Terrace, device_class: moisture, state: "off" }
  - { id: binary_sensor.sitout_motion, name: Sit Out Motion, area: Sit Out, device_class: motion, state: "on" }
  - { id: vacuum.mop, name: Mop Robot, area: Drawing Room, aliases: [robot], state: docked }
  - { id: cover.front_gate, name: Front Gate, device_class: gate, state: closed }
  - { id: light.pooja_strip, name: Pooja Strip, area: Pooja Room, state: "on", attributes: { supported_color_modes: [hs] } }
  - { id: todo.shopping_list, name: Shopping List }
  - { id: todo.house_work, name: Housework }
  - { id: person.kavya, name: Kavya, state: home }
  - { id: person.rohan, name: Rohan, state: not_home }
`;

describeEnglishHome({ yaml: HOME, area: "Drawing Room" }, ({ home, said: hear, say }) => {
  it("takes a bare 'on' or 'off' said first as the verb, for a device, a room's lights or the home's", () => {
    for (const [text, name, targets] of [
      ["off the ceiling fan", "HassTurnOff", ["fan.drawing_fan"]],
      ["on the table lamp", "HassTurnOn", ["light.study_table"]],
      ["on the lights", "HassTurnOn", ["light.drawing_spots", "light.drawing_tube"]],
      ["on the lights in the study", "HassTurnOn", ["light.study_table"]],
      // The second "on" is where the light is.
      ["off the light on the terrace", "HassTurnOff", ["light.terrace_bulb"]],
      ["off all the lights on the first floor", "HassTurnOff", ["light.guest_light"]],
      [
        "off all the lights in the house",
        "HassTurnOff",
        [
          "light.drawing_spots",
          "light.drawing_tube",
          "light.guest_light",
          "light.kitchen_tube",
          "light.pooja_strip",
          "light.study_table",
          "light.terrace_bulb",
        ],
      ],
    ] as const) {
      const i = say(text);
      expect(i.name, text).toBe(name);
      expect(i.targets, text).toEqual(targets);
    }
  });

  it("opens and closes a fan as it switches it on and off, and starts one by its room", () => {
    expect(say("close the fan")).toMatchObject({ name: "HassTurnOff", targets: ["fan.drawing_fan"] });
    expect(say("open the fan", "Guest Bedroom")).toMatchObject({
      name: "HassTurnOn",
      targets: ["fan.guest_fan"],
    });
    expect(say("start the fan in the study")).toMatchObject({
      name: "HassTurnOn",
      targets: ["fan.study_fan"],
    });
  });

  it("does two things said with bare 'on' and 'off' in one breath", () => {
    expect(hear("on the tube light and off the ceiling fan")).toEqual([
      expect.objectContaining({ name: "HassTurnOn", targets: ["light.drawing_tube"] }),
      expect.objectContaining({ name: "HassTurnOff", targets: ["fan.drawing_fan"] }),
    ]);
  });

  it("sets a regulator's speed by its number, a step of the fan's own speeds", () => {
    // The drawing room fan has five speeds (20 percent each), the study fan four.
    for (const [text, percentage, target, area] of [
      ["fan speed 3", 60, "fan.drawing_fan", "Drawing Room"],
      ["put the fan on speed two", 40, "fan.drawing_fan", "Drawing Room"],
      ["keep the ceiling fan at 4", 80, "fan.drawing_fan", "Drawing Room"],
      ["make the fan speed 5", 100, "fan.drawing_fan", "Drawing Room"],
      ["study fan speed 3", 75, "fan.study_fan", "Drawing Room"],
      // Said as a percentage, or beyond the fan's speeds, it is a percentage.
      ["set the ceiling fan to 30 percent", 30, "fan.drawing_fan", "Drawing Room"],
      ["ceiling fan speed 70", 70, "fan.drawing_fan", "Drawing Room"],
      // A fan that does not tell its speeds takes the number as a percentage.
      ["guest bedroom fan speed 45", 45, "fan.guest_fan", "Drawing Room"],
    ] as const) {
      const i = say(text, area);
      expect(i.name, text).toBe("HassFanSetSpeed");
      expect(i.slots.percentage, text).toBe(percentage);
      expect(i.targets, text).toEqual([target]);
    }
  });

  it("sets a fan's speed in words, and a step faster or slower", () => {
    for (const [text, percentage] of [
      ["fan full speed", 100],
      ["run the fan on full speed", 100],
      ["make the fan half speed", 50],
      ["make the ceiling fan fast", 100],
      // From 40 percent, a step of its five speeds.
      ["fan little fast", 60],
      ["ceiling fan a little slow", 20],
    ] as const) {
      const i = say(text);
      expect(i.name, text).toBe("HassFanSetSpeed");
      expect(i.slots.percentage, text).toBe(percentage);
      expect(i.targets, text).toEqual(["fan.drawing_fan"]);
    }
  });

  it("answers questions asked the Indian way: 'or not', the mains, the inverter, gas, someone there, who all", () => {
    for (const [text, slots, targets] of [
      ["is the geyser on or not", { name: "Geyser", state: "on" }, ["switch.geyser"]],
      ["is current there", { device_class: "power", state: "on" }, ["binary_sensor.grid"]],
      ["is the power there or not", { device_class: "power", state: "on" }, ["binary_sensor.grid"]],
      ["how much is the ups battery", { name: "UPS Battery" }, ["sensor.ups_battery"]],
      ["ups battery percentage", { name: "UPS Battery" }, ["sensor.ups_battery"]],
      ["how much water is in the sump", { name: "Sump Level" }, ["sensor.sump_level"]],
      ["is there any gas leakage", { device_class: "gas", state: "on" }, ["binary_sensor.kitchen_lpg"]],
      [
        "is there any water leakage",
        { device_class: "moisture", state: "on" },
        ["binary_sensor.terrace_leak"],
      ],
      [
        "is somebody there in the sit out",
        { device_class: "motion", area: "Sit Out" },
        ["binary_sensor.sitout_motion"],
      ],
      ["how is the AQI", { device_class: "aqi" }, ["sensor.drawing_aqi"]],
      ["how much charge is in kavya's phone", { device_class: "battery" }, ["sensor.kavya_phone_battery"]],
      ["who all are at home", { domain: "person", state: "home" }, ["person.kavya", "person.rohan"]],
      [
        "are the lights in the study on",
        { domain: "light", area: "Study", state: "on" },
        ["light.study_table"],
      ],
    ] as const) {
      const i = say(text);
      expect(i.name, text).toBe("HassGetState");
      expect(i.slots, text).toMatchObject(slots);
      expect(i.targets, text).toEqual(targets);
    }
    const reply = home.understand("is the power there or not", { area: "Drawing Room" }).reply;
    expect(reply).toMatch(/^No\b/);
  });

  it("sets the AC of the speaker's room to a number however the change is said", () => {
    for (const [text, temperature, target, area] of [
      ["reduce the AC to 24", 24, "climate.guest_ac", "Guest Bedroom"],
      ["reduce the AC to 24", 24, "climate.drawing_ac", "Drawing Room"],
      ["make the AC temperature 23", 23, "climate.guest_ac", "Guest Bedroom"],
      ["set guest bedroom temperature to 24.5", 24.5, "climate.guest_ac", "Drawing Room"],
      ["increase the temperature of voltas AC to 26", 26, "climate.drawing_ac", "Guest Bedroom"],
      // A degree from the set temperature (22 in the guest bedroom, 25 in the drawing room).
      ["decrease the guest bedroom AC temperature by one degree", 21, "climate.guest_ac", "Drawing Room"],
      ["the AC is too cold, increase the temperature", 23, "climate.guest_ac", "Guest Bedroom"],
    ] as const) {
      const i = say(text, area);
      expect(i.name, text).toBe("HassClimateSetTemperature");
      expect(i.slots.temperature, text).toBe(temperature);
      expect(i.targets, text).toEqual([target]);
    }
    expect(hear("on the AC and set it to 24")).toEqual([
      expect.objectContaining({ name: "HassTurnOn", targets: ["climate.drawing_ac"] }),
      expect.objectContaining({
        name: "HassClimateSetTemperature",
        slots: { temperature: 24 },
        targets: ["climate.drawing_ac"],
      }),
    ]);
  });

  it("sets lights' brightness in words and a little", () => {
    for (const [text, brightness, targets, area] of [
      ["make the table lamp full brightness", 100, ["light.study_table"], "Study"],
      ["lights full brightness", 100, ["light.drawing_spots", "light.drawing_tube"], "Drawing Room"],
      // From 100 of 255 (39 percent), a quarter down.
      ["dim the spot lights little bit", 14, ["light.drawing_spots"], "Drawing Room"],
      ["make the lights dim", 14, ["light.drawing_spots", "light.drawing_tube"], "Drawing Room"],
    ] as const) {
      const i = say(text, area);
      expect(i.name, text).toBe("HassLightSet");
      expect(i.slots.brightness, text).toBe(brightness);
      expect(i.targets, text).toEqual(targets);
    }
  });

  it("puts blinds down and up, and opens curtains a little more, fully or to a percentage", () => {
    expect(say("put down the blinds", "Guest Bedroom")).toMatchObject({
      name: "HassTurnOff",
      targets: ["cover.guest_blinds"],
    });
    expect(say("open the curtains fully in the drawing room", "Study")).toMatchObject({
      name: "HassTurnOn",
      targets: ["cover.drawing_curtains"],
    });
    expect(say("open the curtains little more")).toMatchObject({
      name: "HassSetPosition",
      slots: { position: 75 },
      targets: ["cover.drawing_curtains"],
    });
    expect(say("curtains 75 percent open")).toMatchObject({
      name: "HassSetPosition",
      slots: { position: 75 },
      targets: ["cover.drawing_curtains"],
    });
  });

  it("resumes, skips and sets the volume without taking the words for a search or a name", () => {
    expect(say("play the song again from where it stopped", "Study")).toMatchObject({
      name: "HassMediaUnpause",
      targets: ["media_player.study_speaker"],
    });
    expect(say("play the next song on the study speaker")).toMatchObject({
      name: "HassMediaNext",
      targets: ["media_player.study_speaker"],
    });
    expect(say("TV sound is too loud")).toMatchObject({
      name: "HassSetVolumeRelative",
      slots: { volume_step: "down" },
      targets: ["media_player.drawing_tv"],
    });
    expect(say("make the TV volume 20")).toMatchObject({
      name: "HassSetVolume",
      slots: { volume_level: 20 },
      targets: ["media_player.drawing_tv"],
    });
  });

  it("keeps the shopping list with the shopping-list intents, and ticks items off by their own words", () => {
    expect(say("add tomatoes to the shopping list")).toMatchObject({
      name: "HassShoppingListAddItem",
      slots: { item: "tomatoes" },
    });
    expect(say("tick off tomatoes in the list")).toMatchObject({
      name: "HassShoppingListCompleteItem",
      slots: { item: "tomatoes" },
    });
    expect(say("tick off coriander in the shopping list")).toMatchObject({
      name: "HassShoppingListCompleteItem",
      slots: { item: "coriander" },
    });
    expect(say("mark dusting the fans as done in my housework list")).toMatchObject({
      name: "HassListCompleteItem",
      slots: { item: "dusting the fans", name: "Housework" },
      targets: ["todo.house_work"],
    });
  });

  it("sends the robot to charge or to clean a room, and keeps a timer for a dish", () => {
    expect(say("send the robot back to charging")).toMatchObject({
      name: "HassVacuumReturnToBase",
      targets: ["vacuum.mop"],
    });
    expect(say("clean the kitchen with the robot")).toMatchObject({
      name: "HassVacuumStart",
      slots: { area: "Kitchen" },
      targets: ["vacuum.mop"],
    });
    expect(say("send the robot to the study and start cleaning")).toMatchObject({
      name: "HassVacuumStart",
      slots: { area: "Study" },
      targets: ["vacuum.mop"],
    });
    expect(say("keep a 20 minute timer for the rice")).toMatchObject({
      name: "HassStartTimer",
      slots: { minutes: 20, name: "rice" },
    });
    expect(say("how much time is left in the timer").name).toBe("HassTimerStatus");
  });

  it("hears a colour said with the word colour, the date asked the other way round, and 'for some time'", () => {
    expect(say("pooja strip orange colour")).toMatchObject({
      name: "HassLightSet",
      slots: { color: "orange" },
    });
    expect(say("today is which date").name).toBe("HassGetCurrentDate");
    expect(say("stop the song for some time")).toMatchObject({
      name: "HassMediaPause",
      targets: ["media_player.drawing_tv"],
    });
  });

  it("leaves a command said to someone by name to them, a remark after it or not", () => {
    for (const text of [
      "Suresh, open the front gate, the guests have come",
      "Suresh, open the front gate",
      "on the geyser, Lakshmi",
    ]) {
      expect(home.understand(text, { area: "Drawing Room" }).understanding.kind, text).toBe("not-recognized");
    }
    // Without the name, the assistant is asked.
    expect(say("open the front gate, the guests have come")).toMatchObject({
      name: "HassTurnOn",
      targets: ["cover.front_gate"],
    });
  });

  it("does not take 'on' or 'off' said first in ordinary talk as a command", () => {
    for (const text of ["off to the market now", "on the way home", "off the record"]) {
      expect(home.understand(text, { area: "Drawing Room" }).understanding.kind, text).not.toBe("recognized");
    }
  });
});
