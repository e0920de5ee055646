import { expect, it } from "vitest";
import { describeEnglishHome } from "../helpers/english-homes.js";

/**
 * More families of everyday phrasing, with Hearth's own English alone and with Home Assistant's
 * English pack beside it (../shared/ha-intents, CC BY 4.0, Home Assistant's intents project): one
 * verb shared by two devices, relative volume and muting, lawn mowers, covers by their kind, and
 * questions asked by what a sensor measures or detects. A home of its own, through the real matcher.
 */
const HOME = `
floors: [{ name: Ground Floor, aliases: [downstairs] }, { name: Top Floor, aliases: [upstairs] }, { name: Outside }]
areas:
  - { name: Den, floor: Ground Floor }
  - { name: Scullery, floor: Ground Floor }
  - { name: Porch, floor: Ground Floor }
  - { name: Loft Bedroom, floor: Top Floor }
  - { name: Box Room, floor: Top Floor }
  - { name: Lawn, floor: Outside }
devices:
  - { id: light.den_uplighter, name: Uplighter, area: Den, state: "off" }
  - { id: light.den_globe, name: Globe, area: Den, state: "on" }
  - { id: light.scullery_strip, name: Scullery Strip, area: Scullery, state: "on" }
  - { id: switch.kettle, name: Kettle, area: Scullery, state: "on" }
  - { id: media_player.den_speaker, name: Den Speaker, area: Den, state: playing, attributes: { volume_level: 0.4 } }
  - { id: media_player.den_box, name: Set-Top Box, area: Den, state: idle, attributes: { volume_level: 0.2 } }
  - { id: media_player.loft_radio, name: Wireless, area: Loft Bedroom, state: playing, attributes: { volume_level: 0.5 } }
  - { id: lawn_mower.cutter, name: Cutter, area: Lawn, state: docked }
  - { id: sensor.box_room_co2, name: Air Monitor, area: Box Room, device_class: carbon_dioxide, state: "850" }
  - { id: sensor.roof_panels, name: Panel Power, device_class: power, state: "900" }
  - { id: sensor.kettle_draw, name: Kettle Draw, area: Scullery, device_class: power, state: "0" }
  - { id: sensor.meter_today, name: Meter, device_class: energy, state: "5.2" }
  - { id: binary_sensor.scullery_smoke, name: Scullery Detector, area: Scullery, device_class: smoke, state: "off" }
  - { id: binary_sensor.loft_smoke, name: Loft Detector, area: Loft Bedroom, device_class: smoke, state: "on" }
  - { id: binary_sensor.boiler_co, name: Boiler Alarm, area: Scullery, device_class: carbon_monoxide, state: "off" }
  - { id: binary_sensor.sink_wet, name: Drip, area: Scullery, device_class: moisture, state: "off" }
  - { id: binary_sensor.den_here, name: Den Radar, area: Den, device_class: presence, state: "on" }
  - { id: binary_sensor.box_pir, name: Box PIR, area: Box Room, device_class: occupancy, state: "off" }
  - { id: binary_sensor.cot_noise, name: Cot Mic, area: Box Room, device_class: sound, state: "off" }
  - { id: sensor.van_battery, name: Van, device_class: battery, state: "71" }
  - { id: binary_sensor.van_charging, name: Van, device_class: battery_charging, state: "off" }
  - { id: binary_sensor.van_plug, name: Van, device_class: plug, state: "on" }
  - { id: cover.den_roller, name: Den Roller, area: Den, device_class: blind, state: open }
  - { id: cover.loft_roller, name: Loft Roller, area: Loft Bedroom, device_class: blind, state: closed }
  - { id: cover.box_drapes, name: Drapes, area: Box Room, device_class: curtain, state: open }
  - { id: cover.porch_awning, name: Canopy, area: Porch, device_class: awning, state: closed }
  - { id: fan.den_breeze, name: Breeze, area: Den, state: "off" }
  - { id: fan.box_room_fan, name: Box Room Fan, area: Box Room, state: "off" }
  - { id: button.reboot_hub, name: Reboot Hub, area: Porch }
  - { id: switch.log_burner, name: Log Burner, area: Den, state: "off" }
  - { id: scene.snug, name: Snug, area: Den }
  - { id: valve.garden_tap, name: Hose, area: Lawn, state: closed }
`;

describeEnglishHome({ yaml: HOME, area: "Den" }, ({ home, said, say }) => {
  it("turns both devices off when one off verb is said for two of them, in either order", () => {
    for (const text of [
      "turn off the uplighter and the kettle",
      "switch off the kettle and the globe",
      "turn the uplighter and the kettle off",
    ]) {
      const intents = said(text);
      expect(
        intents.map((i) => i.name),
        text,
      ).toEqual(["HassTurnOff", "HassTurnOff"]);
    }
    expect(said("turn off the uplighter and the kettle").flatMap((i) => i.targets)).toEqual([
      "light.den_uplighter",
      "switch.kettle",
    ]);
    // One verb each still does what each says.
    expect(said("turn off the kettle and turn on the uplighter").map((i) => i.name)).toEqual([
      "HassTurnOff",
      "HassTurnOn",
    ]);
    expect(said("turn on the uplighter and the kettle").map((i) => i.name)).toEqual([
      "HassTurnOn",
      "HassTurnOn",
    ]);
  });

  it("turns the volume up or down by Assist's step, or by a percentage said", () => {
    for (const [text, step] of [
      ["louder", "up"],
      ["a little quieter", "down"],
      ["turn it up", "up"],
      ["turn the sound down a touch", "down"],
      ["volume down", "down"],
    ] as const) {
      const v = say(text);
      expect(v.name, text).toBe("HassSetVolumeRelative");
      expect(v.slots.volume_step, text).toBe(step);
      // Of the den's two players, the one playing.
      expect(v.targets, text).toEqual(["media_player.den_speaker"]);
    }
    const named = say("make the wireless a bit louder");
    expect(named).toMatchObject({ slots: { name: "Wireless", volume_step: "up" } });
    expect(named.targets).toEqual(["media_player.loft_radio"]);
    expect(say("turn the set-top box volume down").targets).toEqual(["media_player.den_box"]);
    expect(say("turn the volume down by 15 percent").slots.volume_step).toBe(-15);
    expect(say("turn the volume up by 5 percent on the wireless").slots).toMatchObject({
      name: "Wireless",
      volume_step: 5,
    });
    // An absolute level stays HassSetVolume.
    expect(say("set the volume to 30 percent")).toMatchObject({ name: "HassSetVolume" });
  });

  it("mutes and unmutes a player, the playing one where none is named", () => {
    expect(say("mute")).toMatchObject({ name: "HassMediaPlayerMute", targets: ["media_player.den_speaker"] });
    expect(say("mute the wireless")).toMatchObject({
      name: "HassMediaPlayerMute",
      targets: ["media_player.loft_radio"],
    });
    expect(say("unmute the set-top box")).toMatchObject({
      name: "HassMediaPlayerUnmute",
      targets: ["media_player.den_box"],
    });
    expect(say("turn the sound back on", "Loft Bedroom")).toMatchObject({
      name: "HassMediaPlayerUnmute",
      targets: ["media_player.loft_radio"],
    });
  });

  it("pauses only the player that plays when another in the room stands idle", () => {
    expect(say("pause")).toMatchObject({ name: "HassMediaPause", targets: ["media_player.den_speaker"] });
    expect(say("set the volume to 20")).toMatchObject({ targets: ["media_player.den_speaker"] });
  });

  it("sends the lawn mower out and back to its dock", () => {
    for (const text of [
      "start the mower",
      "mow the lawn",
      "send the cutter out to mow",
      "tell the lawn mower to cut the grass",
    ]) {
      expect(say(text), text).toMatchObject({
        name: "HassLawnMowerStartMowing",
        targets: ["lawn_mower.cutter"],
      });
    }
    for (const text of [
      "dock the mower",
      "send the cutter back to its dock",
      "send the lawn mower home",
      "stop mowing",
    ]) {
      expect(say(text), text).toMatchObject({ name: "HassLawnMowerDock", targets: ["lawn_mower.cutter"] });
    }
    expect(home.understand("start the mower", { area: "Den" }).reply).toBe("Started the cutter.");
  });

  it("asks a sensor by what it measures, in a room or across the home", () => {
    expect(say("what's the co2 level in the box room")).toMatchObject({
      name: "HassGetState",
      slots: { domain: "sensor", device_class: "carbon_dioxide" },
      targets: ["sensor.box_room_co2"],
    });
    expect(say("how much energy have we used today").targets).toEqual(["sensor.meter_today"]);
    expect(say("how much panel power are we making").targets).toEqual(["sensor.roof_panels"]);
    expect(say("what's the van's battery level")).toMatchObject({
      slots: { name: "Van", device_class: "battery" },
      targets: ["sensor.van_battery"],
    });
  });

  it("asks about smoke, leaks and carbon monoxide anywhere in the home", () => {
    for (const text of [
      "is there smoke anywhere",
      "is smoke detected",
      "has any smoke been detected in the house",
    ]) {
      const q = say(text);
      expect(q.slots, text).toMatchObject({ device_class: "smoke", state: "on" });
      expect(q.targets, text).toEqual(["binary_sensor.loft_smoke", "binary_sensor.scullery_smoke"]);
    }
    expect(home.understand("is there smoke anywhere", { area: "Den" }).reply).toMatch(/^Yes/);
    for (const text of ["is there a leak anywhere", "are any of the sensors wet"])
      expect(say(text).targets, text).toEqual(["binary_sensor.sink_wet"]);
    expect(say("is carbon monoxide detected").targets).toEqual(["binary_sensor.boiler_co"]);
  });

  it("finds someone in a room by a presence sensor as well as an occupancy one", () => {
    expect(say("is anyone in the den")).toMatchObject({
      slots: { device_class: "presence", state: "on" },
      targets: ["binary_sensor.den_here"],
    });
    expect(say("is the box room occupied")).toMatchObject({
      slots: { device_class: "occupancy" },
      targets: ["binary_sensor.box_pir"],
    });
  });

  it("asks a sound sensor by what it hears", () => {
    for (const text of [
      "is the baby crying",
      "is there any noise in the box room",
      "is the cot mic picking up any sound",
    ])
      expect(say(text).targets, text).toEqual(["binary_sensor.cot_noise"]);
  });

  it("tells plugged in from charging among sensors sharing a name", () => {
    expect(say("is the van plugged in").targets).toEqual(["binary_sensor.van_plug"]);
    expect(say("is the van charging").targets).toEqual(["binary_sensor.van_charging"]);
  });

  it("asks about covers by their kind, keeping the kind", () => {
    expect(say("which blinds are open")).toMatchObject({
      slots: { domain: "cover", device_class: "blind", state: "open" },
      targets: ["cover.den_roller", "cover.loft_roller"],
    });
    expect(say("are all the blinds closed upstairs")).toMatchObject({
      slots: { device_class: "blind", floor: "Top Floor" },
      targets: ["cover.loft_roller"],
    });
    expect(say("how many curtains are open").targets).toEqual(["cover.box_drapes"]);
  });

  it("takes the fan of the speaker's room over another room's fan named after its room", () => {
    expect(say("turn on the fan")).toMatchObject({ name: "HassTurnOn", targets: ["fan.den_breeze"] });
    expect(say("set the fan to 40 percent")).toMatchObject({
      name: "HassFanSetSpeed",
      targets: ["fan.den_breeze"],
    });
    // Where it stands, the short name is that room's fan.
    expect(say("turn on the fan", "Box Room").targets).toEqual(["fan.box_room_fan"]);
  });

  it("presses buttons, lights a burner, sets a scene, and says a valve with its kind", () => {
    expect(say("press the reboot hub button")).toMatchObject({
      name: "HassTurnOn",
      targets: ["button.reboot_hub"],
    });
    expect(say("light the log burner")).toMatchObject({ name: "HassTurnOn", targets: ["switch.log_burner"] });
    expect(say("set the snug scene")).toMatchObject({ name: "HassTurnOn", targets: ["scene.snug"] });
    expect(say("open the hose valve")).toMatchObject({ name: "HassTurnOn", targets: ["valve.garden_tap"] });
  });

  it("puts an awning out and retracts it, and pulls curtains shut", () => {
    expect(say("put out the canopy")).toMatchObject({ name: "HassTurnOn", targets: ["cover.porch_awning"] });
    expect(say("retract the canopy")).toMatchObject({ name: "HassTurnOff", targets: ["cover.porch_awning"] });
    expect(say("pull the drapes shut")).toMatchObject({ name: "HassTurnOff", targets: ["cover.box_drapes"] });
  });

  it("broadcasts the message without the words that say where to, and hears never mind after nothing", () => {
    home.understand("announce to the house that the taxi is here", { area: "Den" });
    expect(home.broadcasts.at(-1)).toBe("the taxi is here");
    expect(say("nothing, never mind").name).toBe("HassNevermind");
  });
});
