import { describe, expect, it } from "vitest";
import { parseDiscoveryMessage } from "../../../src/mqtt/ha/discovery.js";
import { readState, stateTopics } from "../../../src/mqtt/ha/state.js";
import type { Entity } from "../../../src/registry/types.js";
import {
  basicLight,
  esphomeFan,
  esphomeGarage,
  esphomeTemperature,
  type Fixture,
  lawnMowerFixture,
  payloadOf,
  selectFixture,
  tasmotaDimmer,
  tasmotaRelay,
  vacuumFixture,
  valveFixture,
  z2mBulb,
  z2mCover,
  z2mLock,
  z2mPlug,
  z2mThermostat,
} from "../fixtures/discovery.js";

function entityOf(fixture: Fixture): Entity {
  const result = parseDiscoveryMessage(fixture[0], payloadOf(fixture), { prefix: "homeassistant" });
  if (result.kind !== "config" || !result.entities[0]) throw new Error(JSON.stringify(result));
  return result.entities[0].entity;
}

describe("readState", () => {
  it("reads a zigbee2mqtt plug's state through its value template", () => {
    const plug = entityOf(z2mPlug);
    expect(readState(plug, "zigbee2mqtt/Coffee plug", '{"state":"ON","power":12}').state).toBe("on");
    expect(readState(plug, "zigbee2mqtt/Coffee plug", '{"state":"OFF"}').state).toBe("off");
  });

  it("reads a json-schema light's state, brightness scaled to 0–255 and colour", () => {
    const bulb = entityOf(z2mBulb);
    const update = readState(
      bulb,
      "zigbee2mqtt/Living room bulb",
      '{"state":"ON","brightness":127,"color":{"x":0.7,"y":0.3},"color_mode":"xy","color_temp":370}',
    );
    expect(update.state).toBe("on");
    expect(update.attributes).toEqual({
      brightness: 128,
      xy_color: [0.7, 0.3],
      color_mode: "xy",
      color_temp: 370,
    });
  });

  it("reads Tasmota's relay and dimmer states from one telemetry topic", () => {
    expect(readState(entityOf(tasmotaRelay), "desk_plug/tele/STATE", '{"POWER":"ON"}').state).toBe("on");
    const dimmer = readState(
      entityOf(tasmotaDimmer),
      "hall_dimmer/tele/STATE",
      '{"POWER":"ON","Dimmer":50,"Color":"1,2,3"}',
    );
    expect(dimmer.state).toBe("on");
    expect(dimmer.attributes.brightness).toBe(128);
    // Tasmota's rgb template uses split/join: reported, never run.
    expect(dimmer.unsupported).toEqual([expect.stringContaining("rgb_value_template")]);
  });

  it("reads availability from the availability topic", () => {
    const relay = entityOf(tasmotaRelay);
    expect(readState(relay, "desk_plug/tele/LWT", "Offline").attributes).toEqual({ available: false });
    expect(readState(relay, "desk_plug/tele/LWT", "Online").attributes).toEqual({ available: true });
    const bulb = entityOf(z2mBulb);
    expect(readState(bulb, "zigbee2mqtt/bridge/state", '{"state":"offline"}').attributes).toEqual({
      available: false,
    });
  });

  it("reads a basic light's plain payloads", () => {
    const light = entityOf(basicLight);
    expect(readState(light, "home/porch/light/state", "on").state).toBe("on");
    expect(readState(light, "home/porch/light/brightness", "255").attributes).toEqual({ brightness: 255 });
    expect(readState(light, "home/porch/light/rgb", "255,10,0").attributes).toEqual({
      rgb_color: [255, 10, 0],
    });
  });

  it("reads a zigbee2mqtt cover's state and position", () => {
    const cover = entityOf(z2mCover);
    const update = readState(cover, "zigbee2mqtt/Bedroom blind", '{"state":"OPEN","position":40}');
    expect(update.state).toBe("open");
    expect(update.attributes.current_position).toBe(40);
    expect(readState(cover, "zigbee2mqtt/Bedroom blind", '{"state":"CLOSE","position":0}').state).toBe(
      "closed",
    );
    expect(readState(cover, "zigbee2mqtt/Bedroom blind", '{"state":"STOP","position":0}').state).toBe(
      "closed",
    );
    expect(readState(cover, "zigbee2mqtt/Bedroom blind", '{"state":"STOP","position":30}').state).toBe(
      "open",
    );
  });

  it("reads an ESPHome garage door's default state payloads", () => {
    const garage = entityOf(esphomeGarage);
    expect(readState(garage, "garage-node/cover/garage_door/state", "open").state).toBe("open");
    expect(readState(garage, "garage-node/cover/garage_door/state", "closing").state).toBe("closing");
    expect(readState(garage, "garage-node/cover/garage_door/position/state", "75").attributes).toEqual({
      current_position: 75,
    });
  });

  it("maps a lock's configured state payloads to locked and unlocked", () => {
    const lock = entityOf(z2mLock);
    expect(readState(lock, "zigbee2mqtt/Front door lock", '{"state":"LOCK"}').state).toBe("locked");
    expect(readState(lock, "zigbee2mqtt/Front door lock", '{"state":"UNLOCK"}').state).toBe("unlocked");
  });

  it("reads a thermostat's mode as state with temperatures as attributes", () => {
    const thermostat = entityOf(z2mThermostat);
    const update = readState(
      thermostat,
      "zigbee2mqtt/Bedroom radiator",
      '{"system_mode":"heat","local_temperature":19.5,"current_heating_setpoint":21,"running_state":"heat"}',
    );
    expect(update.state).toBe("heat");
    expect(update.attributes).toEqual({ current_temperature: 19.5, temperature: 21 });
    // The hvac action template uses {% set %}: reported, not run.
    expect(update.unsupported).toEqual([expect.stringContaining("action_template")]);
  });

  it("reads a sensor's value as its state", () => {
    const sensor = entityOf(esphomeTemperature);
    expect(readState(sensor, "office-node/sensor/office_temperature/state", "21.5").state).toBe("21.5");
  });

  it("reads a fan's percentage scaled from its speed range, and its preset", () => {
    const fan = entityOf(esphomeFan);
    expect(readState(fan, "bedroom-node/fan/ceiling_fan/speed_level/state", "2").attributes).toEqual({
      percentage: 66,
    });
    expect(readState(fan, "bedroom-node/fan/ceiling_fan/preset_mode/state", "Sleep").attributes).toEqual({
      preset_mode: "Sleep",
    });
    expect(readState(fan, "bedroom-node/fan/ceiling_fan/state", "ON").state).toBe("on");
  });

  it("reads a valve reporting its position", () => {
    const valve = entityOf(valveFixture);
    expect(readState(valve, "garden/tap/state", "0")).toMatchObject({
      state: "closed",
      attributes: { current_position: 0 },
    });
    expect(readState(valve, "garden/tap/state", '{"position":60}')).toMatchObject({ state: "open" });
  });

  it("reads a vacuum's JSON state and a select's option", () => {
    const vacuum = readState(
      entityOf(vacuumFixture),
      "vacuum/state",
      '{"state":"docked","battery_level":80}',
    );
    expect(vacuum).toMatchObject({ state: "docked", attributes: { battery_level: 80 } });
    const select = entityOf(selectFixture);
    expect(readState(select, "washer/program", "quick").state).toBe("quick");
    expect(readState(select, "washer/program", "bogus").state).toBeUndefined();
  });

  it("reads a lawn mower's activity and ignores words that are none", () => {
    const mower = entityOf(lawnMowerFixture);
    expect(readState(mower, "home/mowbot/activity", "mowing").state).toBe("mowing");
    expect(readState(mower, "home/mowbot/activity", "flying").state).toBeUndefined();
  });

  it("merges json_attributes into attributes, keeping reserved names out", () => {
    const entity = entityOf([
      "homeassistant/sensor/x/config",
      { name: "X", stat_t: "x/state", json_attr_t: "x/attrs" },
    ]);
    const update = readState(
      entity,
      "x/attrs",
      '{"battery": 90, "friendly_name": "evil", "__proto__": {"p": 1}}',
    );
    expect(update.attributes).toEqual({ battery: 90 });
  });

  it("ignores payloads it cannot read and topics that are not the entity's", () => {
    const plug = entityOf(z2mPlug);
    expect(readState(plug, "zigbee2mqtt/Coffee plug", "garbage")).toEqual({
      attributes: {},
      unsupported: [],
    });
    expect(readState(plug, "elsewhere", '{"state":"ON"}')).toEqual({ attributes: {}, unsupported: [] });
  });
});

describe("stateTopics", () => {
  it("lists each topic once, including attribute and availability topics", () => {
    expect(stateTopics(entityOf(z2mThermostat)).sort()).toEqual([
      "zigbee2mqtt/Bedroom radiator",
      "zigbee2mqtt/bridge/state",
    ]);
    expect(stateTopics(entityOf(basicLight)).sort()).toEqual([
      "home/porch/light/brightness",
      "home/porch/light/rgb",
      "home/porch/light/state",
    ]);
  });
});
