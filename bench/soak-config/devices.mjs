/**
 * The devices `npm run soak` puts in its home: retained Home Assistant discovery configs written the
 * way zigbee2mqtt, Tasmota (SetOption19) and ESPHome publish them, each with the topics its commands
 * arrive on and the sentences that command it. The daemon learns them from discovery alone.
 */

const z2mAvailability = [{ topic: "zigbee2mqtt/bridge/state", value_template: "{{ value_json.state }}" }];
const z2mOrigin = { name: "Zigbee2MQTT", sw: "1.42.0", url: "https://www.zigbee2mqtt.io" };

/**
 * @typedef {object} SoakDevice
 * @property {string} name What people call it.
 * @property {string} topic The discovery topic (under the `homeassistant` prefix).
 * @property {Record<string, unknown>} config The retained discovery payload.
 * @property {string[]} filters MQTT filters covering every topic its commands arrive on.
 * @property {(pick: <T>(items: T[]) => T, int: (lo: number, hi: number) => number) => string} sentence
 *   A random sentence that commands it.
 */

/** @type {SoakDevice[]} */
export const SOAK_DEVICES = [
  {
    name: "living room bulb",
    topic: "homeassistant/light/0x0017880104e45517/light/config",
    config: {
      availability: z2mAvailability,
      brightness: true,
      brightness_scale: 254,
      command_topic: "zigbee2mqtt/Living room bulb/set",
      device: {
        identifiers: ["zigbee2mqtt_0x0017880104e45517"],
        manufacturer: "Philips",
        model: "Hue White and color ambiance E26/E27",
        name: "Living room bulb",
        suggested_area: "Living Room",
      },
      max_mireds: 500,
      min_mireds: 153,
      name: null,
      object_id: "living_room_bulb",
      origin: z2mOrigin,
      schema: "json",
      state_topic: "zigbee2mqtt/Living room bulb",
      supported_color_modes: ["xy", "color_temp"],
      unique_id: "0x0017880104e45517_light_zigbee2mqtt",
    },
    filters: ["zigbee2mqtt/Living room bulb/set", "zigbee2mqtt/Living room bulb/set/#"],
    sentence: (pick, int) =>
      pick([
        () => `turn ${pick(["on", "off"])} the living room bulb`,
        () => `set the living room bulb to ${int(1, 100)} percent`,
        () => `set the living room bulb to ${pick(["red", "blue", "green", "warm white", "purple"])}`,
        () => `please switch the living room bulb ${pick(["on", "off"])}`,
      ])(),
  },
  {
    name: "kitchen strip",
    topic: "homeassistant/light/0x00124b0022aabbcc/light/config",
    config: {
      availability: z2mAvailability,
      brightness: true,
      brightness_scale: 254,
      command_topic: "zigbee2mqtt/Kitchen strip/set",
      device: {
        identifiers: ["zigbee2mqtt_0x00124b0022aabbcc"],
        name: "Kitchen strip",
        model: "GL-C-008",
        suggested_area: "Kitchen",
      },
      name: null,
      origin: z2mOrigin,
      schema: "json",
      state_topic: "zigbee2mqtt/Kitchen strip",
      supported_color_modes: ["rgb"],
      unique_id: "0x00124b0022aabbcc_light_zigbee2mqtt",
    },
    filters: ["zigbee2mqtt/Kitchen strip/set", "zigbee2mqtt/Kitchen strip/set/#"],
    sentence: (pick, int) =>
      pick([
        () => `turn ${pick(["on", "off"])} the kitchen strip`,
        () => `set the kitchen strip to ${int(1, 100)} percent`,
        () => `make the kitchen strip ${pick(["red", "orange", "blue", "yellow"])}`,
      ])(),
  },
  {
    name: "coffee plug",
    topic: "homeassistant/switch/0x0c4314fffe1234ab/switch/config",
    config: {
      availability: z2mAvailability,
      command_topic: "zigbee2mqtt/Coffee plug/set",
      device: {
        identifiers: ["zigbee2mqtt_0x0c4314fffe1234ab"],
        manufacturer: "IKEA",
        model: "E1603",
        name: "Coffee plug",
        suggested_area: "Kitchen",
      },
      name: null,
      object_id: "coffee_plug",
      origin: z2mOrigin,
      payload_off: "OFF",
      payload_on: "ON",
      state_topic: "zigbee2mqtt/Coffee plug",
      unique_id: "0x0c4314fffe1234ab_switch_zigbee2mqtt",
      value_template: "{{ value_json.state }}",
    },
    filters: ["zigbee2mqtt/Coffee plug/set", "zigbee2mqtt/Coffee plug/set/#"],
    sentence: (pick) => `turn ${pick(["on", "off"])} the coffee plug`,
  },
  {
    name: "bedroom blind",
    topic: "homeassistant/cover/0x842e14fffe5a1b2c/cover/config",
    config: {
      availability: z2mAvailability,
      command_topic: "zigbee2mqtt/Bedroom blind/set",
      device: {
        identifiers: ["zigbee2mqtt_0x842e14fffe5a1b2c"],
        name: "Bedroom blind",
        suggested_area: "Bedroom",
      },
      name: null,
      object_id: "bedroom_blind",
      origin: z2mOrigin,
      payload_close: "CLOSE",
      payload_open: "OPEN",
      payload_stop: "STOP",
      position_template: "{{ value_json.position }}",
      position_topic: "zigbee2mqtt/Bedroom blind",
      set_position_template: '{ "position": {{ position }} }',
      set_position_topic: "zigbee2mqtt/Bedroom blind/set",
      state_topic: "zigbee2mqtt/Bedroom blind",
      unique_id: "0x842e14fffe5a1b2c_cover_zigbee2mqtt",
      value_template: "{{ value_json.state }}",
    },
    filters: ["zigbee2mqtt/Bedroom blind/set", "zigbee2mqtt/Bedroom blind/set/#"],
    sentence: (pick, int) =>
      pick([
        () => `${pick(["open", "close"])} the bedroom blind`,
        () => `set the bedroom blind to ${int(0, 100)} percent`,
      ])(),
  },
  {
    name: "desk fan",
    topic: "homeassistant/switch/5CCF7F_RL_1/config",
    config: {
      name: "Fan",
      cmd_t: "~cmnd/POWER",
      stat_t: "~tele/STATE",
      val_tpl: "{{value_json.POWER}}",
      pl_off: "OFF",
      pl_on: "ON",
      avty_t: "~tele/LWT",
      pl_avail: "Online",
      pl_not_avail: "Offline",
      uniq_id: "5CCF7F_RL_1",
      dev: {
        ids: ["5CCF7F"],
        name: "Desk",
        mdl: "Sonoff Basic",
        sw: "9.5.0(tasmota)",
        mf: "Tasmota",
        sa: "Office",
      },
      "~": "desk_plug/",
    },
    filters: ["desk_plug/cmnd/#"],
    sentence: (pick) => pick([`turn ${pick(["on", "off"])} the desk fan`, `desk fan ${pick(["on", "off"])}`]),
  },
  {
    name: "hall dimmer",
    topic: "homeassistant/light/A1B2C3_LI_1/config",
    config: {
      name: "Hall dimmer",
      cmd_t: "~cmnd/POWER",
      stat_t: "~tele/STATE",
      stat_val_tpl: "{{value_json.POWER}}",
      pl_off: "OFF",
      pl_on: "ON",
      avty_t: "~tele/LWT",
      pl_avail: "Online",
      pl_not_avail: "Offline",
      uniq_id: "A1B2C3_LI_1",
      dev: { ids: ["A1B2C3"], sa: "Hallway" },
      "~": "hall_dimmer/",
      bri_cmd_t: "~cmnd/Dimmer",
      bri_stat_t: "~tele/STATE",
      bri_scl: 100,
      on_cmd_type: "brightness",
      bri_val_tpl: "{{value_json.Dimmer}}",
    },
    filters: ["hall_dimmer/cmnd/#"],
    sentence: (pick, int) =>
      pick([
        () => `turn ${pick(["on", "off"])} the hall dimmer`,
        () => `set the hall dimmer to ${int(1, 100)} percent`,
      ])(),
  },
  {
    name: "office lamp",
    topic: "homeassistant/light/office-node/office_lamp/config",
    config: {
      schema: "json",
      color_mode: true,
      supported_color_modes: ["rgb"],
      brightness: true,
      name: "Lamp",
      stat_t: "office-node/light/office_lamp/state",
      cmd_t: "office-node/light/office_lamp/command",
      avty_t: "office-node/status",
      uniq_id: "ESPlightoffice_lamp",
      dev: { ids: "a4cf12ab34cd", name: "Office", mdl: "esp32dev", mf: "espressif", sa: "Office" },
      o: { name: "ESPHome", sw: "2024.6.1", url: "https://esphome.io" },
    },
    filters: ["office-node/light/office_lamp/command"],
    sentence: (pick, int) =>
      pick([
        () => `turn ${pick(["on", "off"])} the office lamp`,
        () => `set the office lamp to ${int(1, 100)} percent`,
        () => `set the office lamp to ${pick(["green", "blue", "pink"])}`,
      ])(),
  },
];

/** The areas the devices above are in, for the daemon's config. */
export const SOAK_AREAS = ["Living Room", "Kitchen", "Bedroom", "Office", "Hallway"];
