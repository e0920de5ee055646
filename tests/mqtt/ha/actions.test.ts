import { describe, expect, it } from "vitest";
import type { Slots } from "../../../src/intents/types.js";
import { buildCommands, type MqttCommand } from "../../../src/mqtt/ha/actions.js";
import { parseDiscoveryMessage } from "../../../src/mqtt/ha/discovery.js";
import type { Entity } from "../../../src/registry/types.js";
import {
  basicLight,
  buttonFixture,
  esphomeFan,
  esphomeGarage,
  esphomeLight,
  type Fixture,
  lawnMowerFixture,
  numberFixture,
  payloadOf,
  sceneFixture,
  selectFixture,
  tasmotaDimmer,
  tasmotaRelay,
  vacuumFixture,
  valveFixture,
  z2mBulb,
  z2mCover,
  z2mDeviceBased,
  z2mLock,
  z2mPlug,
  z2mRgbStrip,
  z2mThermostat,
} from "../fixtures/discovery.js";

function entityOf(fixture: Fixture, index = 0): Entity {
  const result = parseDiscoveryMessage(fixture[0], payloadOf(fixture), { prefix: "homeassistant" });
  if (result.kind !== "config" || !result.entities[index]) throw new Error(JSON.stringify(result));
  return result.entities[index].entity;
}

function withState(entity: Entity, state: string): Entity {
  return { ...entity, state };
}

/** The published messages as [topic, payload] pairs, failing the test on an error result. */
function run(entity: Entity, name: string, slots: Slots = {}): [string, string][] {
  const result = buildCommands({ name, slots, targets: [entity.id] }, entity);
  if (!Array.isArray(result)) throw new Error(`unexpected error: ${result.error}`);
  for (const c of result) expect(c).toMatchObject({ qos: 1, retain: false } satisfies Partial<MqttCommand>);
  return result.map((c) => [c.topic, c.payload]);
}

function refusal(entity: Entity, name: string, slots: Slots = {}): string {
  const result = buildCommands({ name, slots, targets: [entity.id] }, entity);
  if (Array.isArray(result)) throw new Error(`expected an error, got ${JSON.stringify(result)}`);
  return result.error;
}

describe("buildCommands for zigbee2mqtt devices", () => {
  const bulb = entityOf(z2mBulb);
  const set = "zigbee2mqtt/Living room bulb/set";

  it("switches a json-schema bulb with state ON and OFF", () => {
    expect(run(bulb, "HassTurnOn")).toEqual([[set, '{"state":"ON"}']]);
    expect(run(bulb, "HassTurnOff")).toEqual([[set, '{"state":"OFF"}']]);
  });

  it("scales brightness percentages to the bulb's brightness_scale of 254", () => {
    expect(run(bulb, "HassLightSet", { brightness: 50 })).toEqual([[set, '{"state":"ON","brightness":127}']]);
    expect(run(bulb, "HassLightSet", { brightness: 100 })).toEqual([
      [set, '{"state":"ON","brightness":254}'],
    ]);
    expect(run(bulb, "HassLightSet", { brightness: 1 })).toEqual([[set, '{"state":"ON","brightness":3}']]);
    expect(run(bulb, "HassLightSet", { brightness: "0" })).toEqual([[set, '{"state":"OFF"}']]);
  });

  it("sends colours as xy to a bulb that only supports xy, and whites as colour temperature", () => {
    expect(run(bulb, "HassLightSet", { color: "red" })).toEqual([
      [set, '{"state":"ON","color":{"x":0.701,"y":0.299}}'],
    ]);
    expect(run(bulb, "HassLightSet", { color: "warm white" })).toEqual([
      [set, '{"state":"ON","color_temp":370}'],
    ]);
  });

  it("sends rgb colours with brightness to an rgb strip", () => {
    const strip = entityOf(z2mRgbStrip);
    expect(run(strip, "HassLightSet", { color: "green", brightness: 20 })).toEqual([
      ["zigbee2mqtt/Kitchen strip/set", '{"state":"ON","color":{"r":0,"g":255,"b":0},"brightness":51}'],
    ]);
  });

  it("rounds exact halves to even as Home Assistant does", () => {
    // 30 % → round(76.5) = 76 → round(76 × 254 / 255) = 76
    const lamp = entityOf(z2mDeviceBased);
    expect(run(lamp, "HassLightSet", { brightness: 30 })).toEqual([
      ["zigbee2mqtt/Reading lamp/set", '{"state":"ON","brightness":76}'],
    ]);
  });

  it("switches and toggles a plug with its payloads", () => {
    const plug = entityOf(z2mPlug);
    expect(run(plug, "HassTurnOn")).toEqual([["zigbee2mqtt/Coffee plug/set", "ON"]]);
    expect(run(withState(plug, "on"), "HassToggle")).toEqual([["zigbee2mqtt/Coffee plug/set", "OFF"]]);
    expect(run(withState(plug, "off"), "HassToggle")).toEqual([["zigbee2mqtt/Coffee plug/set", "ON"]]);
  });

  it("opens, closes and positions a cover through its set_position_template", () => {
    const blind = entityOf(z2mCover);
    expect(run(blind, "HassTurnOn")).toEqual([["zigbee2mqtt/Bedroom blind/set", "OPEN"]]);
    expect(run(blind, "HassTurnOff")).toEqual([["zigbee2mqtt/Bedroom blind/set", "CLOSE"]]);
    expect(run(blind, "HassSetPosition", { position: 40 })).toEqual([
      ["zigbee2mqtt/Bedroom blind/set", '{ "position": 40 }'],
    ]);
    expect(run(withState(blind, "open"), "HassToggle")).toEqual([["zigbee2mqtt/Bedroom blind/set", "CLOSE"]]);
    expect(refusal(blind, "HassToggle")).toBe("I don't know whether the Bedroom blind is open or closed.");
  });

  it("sets a thermostat's temperature as a float and its mode", () => {
    const radiator = entityOf(z2mThermostat);
    const temp = "zigbee2mqtt/Bedroom radiator/set/current_heating_setpoint";
    expect(run(radiator, "HassClimateSetTemperature", { temperature: 21.5 })).toEqual([[temp, "21.5"]]);
    expect(run(radiator, "HassClimateSetTemperature", { temperature: 21 })).toEqual([[temp, "21.0"]]);
    expect(run(radiator, "HassTurnOff")).toEqual([["zigbee2mqtt/Bedroom radiator/set/system_mode", "off"]]);
    expect(run(radiator, "HassTurnOn")).toEqual([["zigbee2mqtt/Bedroom radiator/set/system_mode", "heat"]]);
    expect(refusal(radiator, "HassClimateSetTemperature", { temperature: 35 })).toBe(
      "The Bedroom radiator can only be set between 5 and 30 degrees.",
    );
    expect(refusal(radiator, "HassClimateSetTemperature", { temperature: 20, mode: "cool" })).toBe(
      "The Bedroom radiator has no cool mode.",
    );
  });

  it("locks and unlocks, and refuses to toggle a lock", () => {
    const lock = entityOf(z2mLock);
    expect(run(lock, "HassTurnOn")).toEqual([["zigbee2mqtt/Front door lock/set", "LOCK"]]);
    expect(run(lock, "HassTurnOff")).toEqual([["zigbee2mqtt/Front door lock/set", "UNLOCK"]]);
    expect(refusal(withState(lock, "locked"), "HassToggle")).toBe(
      "Say whether to lock or unlock the Front door lock.",
    );
  });
});

describe("buildCommands for Tasmota devices", () => {
  it("switches a relay on its expanded ~ topic", () => {
    expect(run(entityOf(tasmotaRelay), "HassTurnOn")).toEqual([["desk_plug/cmnd/POWER", "ON"]]);
  });

  it("turns a dimmer on with its brightness only (on_command_type brightness, scale 100)", () => {
    const dimmer = entityOf(tasmotaDimmer);
    expect(run(dimmer, "HassTurnOn")).toEqual([["hall_dimmer/cmnd/Dimmer", "100"]]);
    expect(run({ ...dimmer, attributes: { brightness: 128 } }, "HassTurnOn")).toEqual([
      ["hall_dimmer/cmnd/Dimmer", "50"],
    ]);
    expect(run(dimmer, "HassLightSet", { brightness: 40 })).toEqual([["hall_dimmer/cmnd/Dimmer", "40"]]);
    expect(run(dimmer, "HassLightSet", { color: "red" })).toEqual([
      ["hall_dimmer/cmnd/Color2", "255,0,0"],
      ["hall_dimmer/cmnd/Dimmer", "100"],
    ]);
    expect(run(dimmer, "HassTurnOff")).toEqual([["hall_dimmer/cmnd/POWER", "OFF"]]);
  });
});

describe("buildCommands for ESPHome devices", () => {
  it("sends json light commands with brightness on a 255 scale and rgb colours", () => {
    const lamp = entityOf(esphomeLight);
    const topic = "office-node/light/office_lamp/command";
    expect(run(lamp, "HassLightSet", { brightness: 50 })).toEqual([
      [topic, '{"state":"ON","brightness":128}'],
    ]);
    expect(run(lamp, "HassLightSet", { color: "Orange" })).toEqual([
      [topic, '{"state":"ON","color":{"r":255,"g":165,"b":0}}'],
    ]);
    expect(refusal(lamp, "HassLightSet", { color: "octarine" })).toBe("I don't know the colour octarine.");
  });

  it("opens a garage door and sets its position", () => {
    const garage = entityOf(esphomeGarage);
    expect(run(garage, "HassTurnOn")).toEqual([["garage-node/cover/garage_door/command", "OPEN"]]);
    expect(run(garage, "HassSetPosition", { position: 50 })).toEqual([
      ["garage-node/cover/garage_door/position/command", "50"],
    ]);
  });

  it("maps fan percentages onto its speed range and sets presets by name", () => {
    const fan = entityOf(esphomeFan);
    const speed = "bedroom-node/fan/ceiling_fan/speed_level/command";
    expect(run(fan, "HassFanSetSpeed", { percentage: 50 })).toEqual([[speed, "2"]]);
    expect(run(fan, "HassFanSetSpeed", { percentage: 100 })).toEqual([[speed, "3"]]);
    expect(run(fan, "HassFanSetSpeed", { percentage: 10 })).toEqual([[speed, "1"]]);
    expect(run(fan, "HassFanSetSpeed", { percentage: 0 })).toEqual([
      ["bedroom-node/fan/ceiling_fan/command", "OFF"],
    ]);
    expect(run(fan, "HassFanSetSpeed", { preset_mode: "sleep" })).toEqual([
      ["bedroom-node/fan/ceiling_fan/preset_mode/command", "Sleep"],
    ]);
  });
});

describe("buildCommands for the default light schema", () => {
  const porch = entityOf(basicLight);

  it("sends brightness, colour and colour temperature before the on payload", () => {
    expect(run(porch, "HassTurnOn")).toEqual([["home/porch/light/set", "on"]]);
    expect(run(porch, "HassLightSet", { brightness: 50 })).toEqual([
      ["home/porch/light/brightness/set", "128"],
      ["home/porch/light/set", "on"],
    ]);
    expect(run(porch, "HassLightSet", { brightness: 50, color: "blue" })).toEqual([
      ["home/porch/light/rgb/set", "0,0,255"],
      ["home/porch/light/brightness/set", "128"],
      ["home/porch/light/set", "on"],
    ]);
    expect(run(porch, "HassLightSet", { color: "warm white" })).toEqual([
      ["home/porch/light/ct/set", "370"],
      ["home/porch/light/set", "on"],
    ]);
  });

  it("sends the on payload first when on_command_type is first", () => {
    const first = { ...porch, mqtt: { ...porch.mqtt, on_command_type: "first" } };
    expect(run(first, "HassLightSet", { brightness: 100 })).toEqual([
      ["home/porch/light/set", "on"],
      ["home/porch/light/brightness/set", "255"],
    ]);
  });

  it("formats hs and xy colours the way Home Assistant prints floats", () => {
    const hs = { ...porch, mqtt: { command_topic: "l/set", hs_command_topic: "l/hs" } };
    expect(run(hs, "HassLightSet", { color: "orange" })).toEqual([
      ["l/hs", "38.824,100.0"],
      ["l/set", "ON"],
    ]);
    const xy = { ...porch, mqtt: { command_topic: "l/set", xy_command_topic: "l/xy" } };
    expect(run(xy, "HassLightSet", { color: "red" })).toEqual([
      ["l/xy", "0.701,0.299"],
      ["l/set", "ON"],
    ]);
  });

  it("renders supported command templates and refuses the rest", () => {
    const templated = {
      ...porch,
      mqtt: {
        command_topic: "l/set",
        brightness_command_topic: "l/b",
        brightness_command_template: '{"b": {{ value }}}',
      },
    };
    expect(run(templated, "HassLightSet", { brightness: 100 })).toEqual([
      ["l/b", '{"b": 255}'],
      ["l/set", "ON"],
    ]);
    const jinja = {
      ...porch,
      mqtt: { command_topic: "l/set", command_template: "{% if value %}1{% endif %}" },
    };
    expect(refusal(jinja, "HassTurnOn")).toBe(
      "The Porch light needs a command template Hearth can't run (command_template).",
    );
  });

  it("refuses to dim or colour a light that has no topic for it", () => {
    const plain = { ...porch, mqtt: { command_topic: "l/set" } };
    expect(refusal(plain, "HassLightSet", { brightness: 20 })).toBe("The Porch light can't be dimmed.");
    expect(refusal(plain, "HassLightSet", { color: "red" })).toBe("The Porch light can't change colour.");
  });
});

describe("buildCommands for other platforms", () => {
  it("opens a position-reporting valve with its positions", () => {
    const valve = entityOf(valveFixture);
    expect(run(valve, "HassTurnOn")).toEqual([["garden/tap/set", "100"]]);
    expect(run(valve, "HassTurnOff")).toEqual([["garden/tap/set", "0"]]);
    expect(run(valve, "HassSetPosition", { position: 30 })).toEqual([["garden/tap/set", "30"]]);
  });

  it("starts a lawn mower on its start topic and docks it with its own template", () => {
    const mower = entityOf(lawnMowerFixture);
    expect(mower.domain).toBe("lawn_mower");
    expect(run(mower, "HassLawnMowerStartMowing")).toEqual([["home/mowbot/start", "start_mowing"]]);
    expect(run(mower, "HassLawnMowerDock")).toEqual([["home/mowbot/dock", '{"action": "dock"}']]);
    expect(run(mower, "HassMediaPause")).toEqual([["home/mowbot/pause", "pause"]]);
    expect(refusal(mower, "HassSetVolume", { volume_level: 20 })).toMatch(/only start mowing/);
  });

  it("starts a vacuum and sends it home", () => {
    const vacuum = entityOf(vacuumFixture);
    expect(run(vacuum, "HassVacuumStart")).toEqual([["vacuum/command", "start"]]);
    expect(run(vacuum, "HassVacuumReturnToBase")).toEqual([["vacuum/command", "return_to_base"]]);
  });

  it("activates scenes and presses buttons with their payloads", () => {
    expect(run(entityOf(sceneFixture), "HassTurnOn")).toEqual([["home/scene/movie", "ACTIVATE"]]);
    expect(refusal(entityOf(sceneFixture), "HassTurnOff")).toBe(
      "The Movie night scene can only be activated.",
    );
    expect(run(entityOf(buttonFixture), "HassTurnOn")).toEqual([["home/chime/press", "PRESS"]]);
  });

  it("sets numbers within their range and selects by option name", () => {
    const number = entityOf(numberFixture);
    expect(run(number, "HassSetValue", { value: 22.5 })).toEqual([["aquarium/setpoint/set", "22.5"]]);
    expect(run(number, "HassSetValue", { value: "24" })).toEqual([["aquarium/setpoint/set", "24"]]);
    expect(refusal(number, "HassSetValue", { value: 40 })).toBe(
      "The Aquarium setpoint can only be set between 18 and 30.",
    );
    expect(run(entityOf(selectFixture), "HassSelectOption", { option: "Quick" })).toEqual([
      ["washer/program/set", "quick"],
    ]);
  });

  it("refuses media players, sensors and entities without MQTT", () => {
    const base: Entity = {
      id: "media_player.tv",
      name: "TV",
      domain: "media_player",
      aliases: [],
      attributes: {},
      source: "discovery",
      mqtt: {},
    };
    expect(refusal(base, "HassMediaPause")).toBe("The TV can't be controlled over MQTT.");
    const sensor = { ...base, id: "sensor.t", name: "Temperature", domain: "sensor" as const };
    expect(refusal(sensor, "HassTurnOn")).toBe("The Temperature can only be asked about, not controlled.");
    expect(refusal({ ...base, domain: "switch", mqtt: undefined }, "HassTurnOn")).toBe(
      "The TV is not connected over MQTT.",
    );
  });

  it("refuses a command topic that is missing or holds a wildcard", () => {
    const plug = entityOf(z2mPlug);
    expect(refusal({ ...plug, mqtt: { ...plug.mqtt, command_topic: "zigbee2mqtt/#" } }, "HassTurnOn")).toBe(
      "The Coffee plug has an invalid command_topic.",
    );
    expect(refusal({ ...plug, mqtt: { state_topic: "x" } }, "HassTurnOn")).toBe(
      "The Coffee plug can't turn on.",
    );
  });
});
