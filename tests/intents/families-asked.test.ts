import { expect, it } from "vitest";
import { describeEnglishHome } from "../helpers/english-homes.js";

/**
 * What people say about the things of a home rather than to them, and how they ask after them: a
 * gate said to be open with no apostrophe to tell it from an order, a robot asked after by what it
 * is, a machine asked whether it has finished, the cold outside, the one air conditioner among the
 * thermostats, the dinner a timer is for, a song whose title reads like a programme, and whether
 * anything of a kind was left on. With Hearth's own English alone and with Home Assistant's English
 * pack beside it (../shared/ha-intents, CC BY 4.0, Home Assistant's intents project). A farmhouse of
 * its own, through the real matcher.
 */
const HOME = `
areas:
  - { name: Scullery }
  - { name: Parlour }
  - { name: Den }
  - { name: Yard }
  - { name: Boot Room }
devices:
  - { id: cover.yard_gate, name: Yard Gate, area: Yard, device_class: gate, state: closed }
  - { id: cover.barn_doors, name: Barn Doors, area: Yard, device_class: garage, state: closed }
  - { id: lock.side_door, name: Side Door, area: Boot Room, state: locked }
  - { id: light.lantern, name: Lantern, area: Yard, state: "off" }
  - { id: light.parlour_lamp, name: Parlour Lamp, area: Parlour, state: "off" }
  - { id: vacuum.crumbs, name: Crumbs, area: Parlour, state: docked }
  - { id: sensor.crumbs_battery, name: Crumbs Battery, area: Parlour, device_class: battery, unit: "%", state: "64" }
  - { id: sensor.phone_battery, name: Phone Battery, device_class: battery, unit: "%", state: "12" }
  - { id: binary_sensor.dryer_running, name: Tumble Dryer Running, area: Boot Room, device_class: running, state: "on" }
  - { id: binary_sensor.coffee_power, name: Coffee Machine Power, area: Scullery, device_class: power, state: "off" }
  - { id: sensor.yard_thermometer, name: Yard Thermometer, area: Yard, device_class: temperature, unit: "°C", state: "4" }
  - { id: sensor.parlour_temperature, name: Parlour Temperature, area: Parlour, device_class: temperature, unit: "°C", state: "19" }
  - { id: weather.forecast, name: Forecast, state: rainy, attributes: { temperature: 6 } }
  - { id: climate.boiler, name: Boiler Thermostat, area: Parlour, state: heat, attributes: { temperature: 20, current_temperature: 19 } }
  - { id: climate.den_aircon, name: Den Aircon, area: Den, state: "off", attributes: { temperature: 24 } }
  - { id: media_player.parlour_radio, name: Parlour Radio, area: Parlour, state: idle }
  - { id: switch.den_heater, name: Den Heater, area: Den, state: "on" }
  - { id: climate.boot_room_heater, name: Boot Room Heater, area: Boot Room, state: heat, attributes: { temperature: 16 } }
  - { id: sensor.den_heater_power, name: Den Heater Power, area: Den, device_class: power, unit: W, state: "1500" }
`;

/** A flat with no thermometer outdoors: the cold outside is the weather's. */
const FLAT = `
areas: [{ name: Bedsit }]
devices:
  - { id: sensor.bedsit_temperature, name: Bedsit Temperature, area: Bedsit, device_class: temperature, unit: "°C", state: "18" }
  - { id: weather.town, name: Town, state: sunny, attributes: { temperature: 11 } }
`;

const HOMES = { yaml: HOME, area: "Scullery", others: { flat: FLAT } };

describeEnglishHome(HOMES, ({ variant, home, others: { flat }, say }) => {
  it("hears a thing said to be open or shut, with or without its apostrophe or its is, as talk", () => {
    for (const text of [
      "the yard gates open",
      "the yard gate's open",
      "the barn doors open",
      "the side door is open",
      "the barn doors are closed again",
      "the lantern is on",
      "the side door's unlocked",
    ])
      home.expectNoCommand(text);
    // Said as an order, or asked, it is a command still.
    expect(say("open the yard gate")).toMatchObject({ name: "HassTurnOn", targets: ["cover.yard_gate"] });
    expect(say("the barn doors open please")).toMatchObject({
      name: "HassTurnOn",
      targets: ["cover.barn_doors"],
    });
    expect(say("is the yard gate open")).toMatchObject({
      name: "HassGetState",
      targets: ["cover.yard_gate"],
    });
    expect(say("the lantern on")).toMatchObject({ name: "HassTurnOn", targets: ["light.lantern"] });
  });

  it("asks a robot's battery by its own name or by what it is, of the sensor named after it", () => {
    for (const text of [
      "how much battery has crumbs got",
      "what's the battery on crumbs",
      "is crumbs charged",
      "how much battery does the robot have",
      "is the hoover fully charged",
      "what's the vacuum's battery level",
    ])
      expect(say(text), text).toMatchObject({
        name: "HassGetState",
        slots: { device_class: "battery" },
        targets: ["sensor.crumbs_battery"],
      });
  });

  it("asks whether a machine is still at work or done of its running or power sensor", () => {
    for (const [text, state] of [
      ["is the tumble dryer still going", "on"],
      ["has the tumble dryer finished", "off"],
      ["is the tumble dryer done yet", "off"],
      ["is the coffee machine done", "off"],
      ["is the coffee still going", "on"],
    ] as const)
      expect(say(text), text).toMatchObject({
        name: "HassGetState",
        slots: { state },
        targets: [text.includes("dryer") ? "binary_sensor.dryer_running" : "binary_sensor.coffee_power"],
      });
  });

  it("reads the cold outside off a thermometer outdoors, and off the weather where there is none", () => {
    for (const text of [
      "what temperature is it outside",
      "how cold is it outside",
      "what's the temp outdoors",
    ]) {
      expect(say(text), text).toMatchObject({ name: "HassGetState", targets: ["sensor.yard_thermometer"] });
      expect(flat.saidOnce(text, "Bedsit"), text).toMatchObject({
        name: "HassGetWeather",
        targets: ["weather.town"],
      });
    }
  });

  it("sets the air conditioner said by its kind, not the thermostat, wherever it is said", () => {
    for (const [text, temperature] of [
      ["set the air con to 20", 20],
      ["turn the air conditioning down to 22", 22],
      ["put the AC on 19 degrees", 19],
    ] as const)
      for (const area of ["Scullery", "Parlour"])
        expect(say(text, area), text).toMatchObject({
          name: "HassClimateSetTemperature",
          slots: { temperature },
          targets: ["climate.den_aircon"],
        });
    // The heating said is not the air conditioner.
    expect(say("set the heating to 21", "Parlour").targets).toContain("climate.boiler");
  });

  it("asks after a timer by the dish it is for, its 's run into the word or not", () => {
    home.said("set a timer for 25 minutes for the lasagne", "Scullery");
    home.said("start a 12 minute timer for the rice", "Scullery");
    for (const [text, dish] of [
      ["how long till the lasagne's done", "lasagne"],
      ["how long until the rices ready", "rice"],
      ["how long is left on the rice", "rice"],
      ["how long has the lasagne got", "lasagne"],
    ] as const) {
      expect(say(text), text).toMatchObject({ name: "HassTimerStatus" });
      expect(home.understand(text, { area: "Scullery" }).reply, text).toMatch(
        new RegExp(`^\\d+ minutes? left on the ${dish} timer`),
      );
    }
  });

  it("plays a title that opens with a kind of programme as a title, and the kind said with 'the' as a kind", () => {
    for (const text of ["play show me the ropes", "play movie star on the parlour radio"]) {
      const i = say(text, "Parlour");
      expect(i, text).toMatchObject({
        name: "HassMediaSearchAndPlay",
        targets: ["media_player.parlour_radio"],
      });
      expect(i.slots.media_class, text).toBeUndefined();
      expect(String(i.slots.search_query), text).toMatch(/^(show me the ropes|movie star)$/);
    }
    expect(say("play the show bluey", "Parlour")).toMatchObject({
      slots: { media_class: "tv_show", search_query: "bluey" },
    });
  });

  it("asks whether any heater is on, of every device named a heater, and of the one in a room", () => {
    for (const text of ["is any heater on", "are any of the heaters on", "did I leave a heater on"])
      expect(say(text), text).toMatchObject({
        name: "HassGetState",
        slots: { state: "on" },
        targets: ["climate.boot_room_heater", "switch.den_heater"],
      });
    expect(say("did I leave the heater on in the den")).toMatchObject({
      name: "HassGetState",
      slots: { state: "on", area: "Den" },
      targets: ["switch.den_heater"],
    });
    // A thermostat heating is on (Hearth's own answer; the pack answers in Home Assistant's words).
    if (variant === "Hearth's own English")
      expect(home.understand("is the boot room heater on", { area: "Scullery" }).reply).toMatch(/^Yes/);
  });
});
