import { expect, it } from "vitest";
import { describeEnglishHome } from "../helpers/english-homes.js";

/**
 * How people in Australian and New Zealand homes talk to a speaker, with Hearth's own English alone
 * and with Home Assistant's English pack beside it (../shared/ha-intents, CC BY 4.0, Home
 * Assistant's intents project): things flicked, chucked, whacked or banged on, "would ya" and "ta"
 * after the command, "reckon you could" and "cheers mate" before it. A weatherboard house with a
 * rumpus room, a back deck and a shed, through the real matcher.
 */
const HOME = `
floors: [{ name: Downstairs }, { name: Upstairs }]
areas:
  - { name: Lounge, floor: Downstairs }
  - { name: Kitchen, floor: Downstairs }
  - { name: Rumpus Room, floor: Downstairs }
  - { name: Carport, floor: Downstairs }
  - { name: Main Bedroom, floor: Upstairs }
  - { name: Study, floor: Upstairs }
  - { name: Back Deck }
  - { name: Patio }
  - { name: Shed }
  - { name: Front Yard }
devices:
  - { id: light.lounge_downlights, name: Lounge Downlights, area: Lounge, state: "on", attributes: { brightness: 128, supported_color_modes: [brightness] } }
  - { id: light.verandah, name: Verandah Light, area: Front Yard, state: "off" }
  - { id: light.festoons, name: Festoon Lights, area: Patio, state: "off" }
  - { id: switch.heater, name: Heater, area: Main Bedroom, state: "off" }
  - { id: switch.jug, name: Jug, area: Kitchen, state: "off" }
  - { id: media_player.wireless, name: Wireless, area: Kitchen, state: "off", attributes: { volume_level: 0.3 } }
  - { id: media_player.telly, name: Telly, area: Lounge, state: playing, attributes: { volume_level: 0.3 } }
  - { id: fan.rumpus, name: Rumpus Fan, area: Rumpus Room, state: "on", attributes: { percentage: 50, percentage_step: 10 } }
  - { id: climate.split, name: Split System, area: Lounge, state: cool, attributes: { temperature: 22, current_temperature: 26 } }
  - { id: cover.shed_roller, name: Shed Roller Door, area: Shed, device_class: garage, state: open }
  - { id: cover.study_blind, name: Study Blind, area: Study, device_class: blind, state: open }
  - { id: cover.front_gate, name: Front Gate, area: Front Yard, device_class: gate, state: closed }
  - { id: valve.retic, name: Retic, area: Front Yard, state: closed }
  - { id: lock.front, name: Front Door, area: Lounge, state: unlocked }
  - { id: lock.back, name: Back Door, area: Kitchen, state: unlocked }
  - { id: person.kirra, name: Kirra, state: home }
  - { id: media_player.deck, name: Deck Speaker, area: Back Deck, state: idle, attributes: { volume_level: 0.4 } }
  - { id: sensor.tablet_battery, name: Tablet Battery, device_class: battery, unit: "%", state: "41" }
  - { id: sensor.troopy_battery, name: Troopy Battery, area: Carport, device_class: battery, unit: "%", state: "77" }
  - { id: binary_sensor.carport_motion, name: Carport Motion, area: Carport, device_class: motion, state: "off" }
  - { id: weather.home, name: Home, state: sunny, attributes: { temperature: 34 } }
  - { id: vacuum.dusty, name: Dusty, area: Lounge, state: docked }
  - { id: lawn_mower.victa, name: Victa, area: Front Yard, state: docked }
  - { id: climate.heat_pump, name: Heat Pump, area: Main Bedroom, state: "off", attributes: { temperature: 19, current_temperature: 15 } }
`;

describeEnglishHome({ yaml: HOME, area: "Lounge" }, ({ home, said: sayAll, say }) => {
  const notCommand = (text: string, area = "Lounge") => home.expectNoCommand(text, area);

  it("flicks, chucks, whacks and bangs things on and off", () => {
    for (const [text, name, target] of [
      ["whack the heater on", "HassTurnOn", "switch.heater"],
      ["chuck the wireless on", "HassTurnOn", "media_player.wireless"],
      ["flick the verandah light on", "HassTurnOn", "light.verandah"],
      ["flick off the lounge downlights", "HassTurnOff", "light.lounge_downlights"],
      ["bang the jug on", "HassTurnOn", "switch.jug"],
      ["whack the telly off", "HassTurnOff", "media_player.telly"],
    ] as const) {
      const i = say(text);
      expect(i.name, text).toBe(name);
      expect(i.targets, text).toEqual([target]);
    }
  });

  it("takes 'would ya', 'will ya', 'ta' and 'thanks mate' after the command as said to the assistant", () => {
    for (const [text, name, target] of [
      ["shut the shed roller door would ya", "HassTurnOff", "cover.shed_roller"],
      ["rumpus fan off ta", "HassTurnOff", "fan.rumpus"],
      ["switch the jug off will ya", "HassTurnOff", "switch.jug"],
      ["put the wireless on thanks mate", "HassTurnOn", "media_player.wireless"],
    ] as const) {
      const i = say(text);
      expect(i.name, text).toBe(name);
      expect(i.targets, text).toEqual([target]);
      // Neither part of the name nor a floor.
      expect(JSON.stringify(i.slots), text).not.toMatch(/ya|ta|mate|floor/);
    }
  });

  it("passes over a softener or thanks said before the command", () => {
    for (const [text, name, target] of [
      ["reckon you could switch the jug on", "HassTurnOn", "switch.jug"],
      ["cheers mate, turn the wireless off", "HassTurnOff", "media_player.wireless"],
      ["can ya do us a favour and close the study blind", "HassTurnOff", "cover.study_blind"],
      ["shh, turn the telly off", "HassTurnOff", "media_player.telly"],
    ] as const) {
      const i = say(text);
      expect(i.name, text).toBe(name);
      expect(i.targets, text).toEqual([target]);
    }
    // "Mate" first without thanks is still said to someone in the room.
    notCommand("mate, turn the wireless off");
  });

  it("takes set-points said the Australian way", () => {
    expect(say("crank the fan up to full", "Rumpus Room")).toMatchObject({
      name: "HassFanSetSpeed",
      slots: { percentage: 100 },
      targets: ["fan.rumpus"],
    });
    expect(say("give the rumpus fan a blast on full")).toMatchObject({
      name: "HassFanSetSpeed",
      slots: { percentage: 100 },
      targets: ["fan.rumpus"],
    });
    expect(say("slow the rumpus fan down to 30 percent")).toMatchObject({
      name: "HassFanSetSpeed",
      slots: { percentage: 30 },
      targets: ["fan.rumpus"],
    });
    expect(say("crank the telly up to full")).toMatchObject({
      name: "HassSetVolume",
      slots: { volume_level: 100 },
      targets: ["media_player.telly"],
    });
    expect(say("crank it up to full")).toMatchObject({
      name: "HassSetVolume",
      slots: { volume_level: 100 },
      targets: ["media_player.telly"],
    });
    expect(say("set the split system to twenty one and a half degrees")).toMatchObject({
      name: "HassClimateSetTemperature",
      slots: { temperature: 21.5 },
      targets: ["climate.split"],
    });
    expect(say("turn the split system down a couple of degrees")).toMatchObject({
      name: "HassClimateSetTemperature",
      slots: { temperature: 20 },
      targets: ["climate.split"],
    });
  });

  it("turns something up heaps and never reads 'heaps' as a place", () => {
    expect(say("turn the wireless up heaps")).toMatchObject({
      name: "HassSetVolumeRelative",
      slots: { volume_step: "up" },
      targets: ["media_player.wireless"],
    });
    expect(say("turn it up heaps")).toMatchObject({
      name: "HassSetVolumeRelative",
      targets: ["media_player.telly"],
    });
  });

  it("starts and lengthens timers named for what is cooking", () => {
    expect(say("put a timer on for the snags, eight minutes")).toMatchObject({
      name: "HassStartTimer",
      slots: { minutes: 8, name: "snags" },
    });
    expect(say("timer for 25 minutes for the pav")).toMatchObject({
      name: "HassStartTimer",
      slots: { minutes: 25, name: "pav" },
    });
    expect(say("chuck another three minutes on the timer")).toMatchObject({
      name: "HassIncreaseTimer",
      slots: { minutes: 3 },
    });
  });

  it("answers 'how's the battery' and someone in a room with only a motion sensor", () => {
    expect(say("how's the tablet battery")).toMatchObject({
      name: "HassGetState",
      targets: ["sensor.tablet_battery"],
    });
    expect(say("how's the battery on the troopy")).toMatchObject({
      name: "HassGetState",
      targets: ["sensor.troopy_battery"],
    });
    expect(say("is there anyone in the carport")).toMatchObject({
      name: "HassGetState",
      slots: { device_class: "motion", state: "on" },
      targets: ["binary_sensor.carport_motion"],
    });
  });

  it("reads weather slang and 'nah, all good'", () => {
    for (const text of ["is it gonna be a scorcher tomorrow", "what's it doing this arvo"])
      expect(say(text), text).toMatchObject({ name: "HassGetWeather", targets: ["weather.home"] });
    expect(say("nah, all good")).toMatchObject({ name: "HassNevermind" });
  });

  it("plays a band on a speaker, sends the robots out and adds to the list", () => {
    expect(say("put some cold chisel on the deck speaker")).toMatchObject({
      name: "HassMediaSearchAndPlay",
      slots: { search_query: "cold chisel" },
      targets: ["media_player.deck"],
    });
    expect(say("vacuum the lounge while we're out")).toMatchObject({
      name: "HassVacuumStart",
      targets: ["vacuum.dusty"],
    });
    expect(say("get the victa to do the yard")).toMatchObject({
      name: "HassLawnMowerStartMowing",
      targets: ["lawn_mower.victa"],
    });
    expect(say("drop the blind", "Study")).toMatchObject({
      name: "HassTurnOff",
      targets: ["cover.study_blind"],
    });
    expect(say("chuck vegemite on the shopping list")).toMatchObject({ slots: { item: "vegemite" } });
  });

  it("sets what was just switched on: 'turn the X on and set it to …'", () => {
    expect(sayAll("turn the heat pump on and set it to 21")).toMatchObject([
      { name: "HassTurnOn", targets: ["climate.heat_pump"] },
      { name: "HassClimateSetTemperature", slots: { temperature: 21 }, targets: ["climate.heat_pump"] },
    ]);
    expect(sayAll("turn the rumpus fan on and set it to 60 percent")).toMatchObject([
      { name: "HassTurnOn", targets: ["fan.rumpus"] },
      { name: "HassFanSetSpeed", slots: { percentage: 60 }, targets: ["fan.rumpus"] },
    ]);
  });

  it("takes no order to a child, no remark that a thing is open and no talk to the dog", () => {
    notCommand("oi Jarrah, turn that music down");
    notCommand("the gate's open, watch the dog");
    notCommand("the front gate's open");
    notCommand("stop barking at the possums");
    // Said as a command, the gate still opens, and a device is still stopped.
    expect(say("open the front gate")).toMatchObject({ name: "HassTurnOn", targets: ["cover.front_gate"] });
    expect(say("kill the telly")).toMatchObject({ name: "HassTurnOff", targets: ["media_player.telly"] });
  });

  it("opens and closes a valve turned on and off, also beside another command", () => {
    expect(say("turn the retic on")).toMatchObject({ name: "HassTurnOn", targets: ["valve.retic"] });
    expect(say("switch the retic off")).toMatchObject({ name: "HassTurnOff", targets: ["valve.retic"] });
    expect(sayAll("turn the retic on and close the front gate")).toMatchObject([
      { name: "HassTurnOn", targets: ["valve.retic"] },
      { name: "HassTurnOff", targets: ["cover.front_gate"] },
    ]);
  });
});
