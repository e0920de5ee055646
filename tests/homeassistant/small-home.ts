import type { StandinHome } from "../helpers/ha-standin.js";

/**
 * A small home as Home Assistant would hold it: two floors, four areas, lamps from several
 * integrations, a garage door, a lock, a thermostat, a speaker, and one lamp not exposed to Assist.
 */
export function smallHome(): StandinHome {
  return {
    floors: [
      { floor_id: "ground_floor", name: "Ground Floor", aliases: ["downstairs"], level: 0 },
      { floor_id: "first_floor", name: "First Floor", aliases: ["upstairs"], level: 1 },
    ],
    areas: [
      { area_id: "kitchen", name: "Kitchen", floor_id: "ground_floor" },
      { area_id: "living_room", name: "Living Room", aliases: ["lounge"], floor_id: "ground_floor" },
      { area_id: "garage", name: "Garage", floor_id: "ground_floor" },
      { area_id: "bedroom", name: "Bedroom", floor_id: "first_floor" },
    ],
    devices: [
      // A Hue lamp: the entity has has_entity_name and no name of its own, so it is the device's name.
      { id: "dev-reading", name: "Reading Lamp", area_id: "living_room", manufacturer: "Signify" },
      {
        id: "dev-ceiling",
        name: "Hue ceiling 1",
        name_by_user: "Living Room Ceiling",
        area_id: "living_room",
      },
      { id: "dev-kitchen-1", name: "Kitchen Ceiling", area_id: "kitchen" },
      { id: "dev-kitchen-2", name: "Kitchen Counter", area_id: "kitchen" },
      { id: "dev-garage", name: "Garage Door Opener", area_id: "garage" },
      { id: "dev-thermo", name: "Thermostat", area_id: "living_room" },
      { id: "dev-speaker", name: "Bedroom Speaker", area_id: "bedroom" },
      { id: "dev-hallway-sensor", name: "Hallway Sensor", area_id: "living_room" },
    ],
    entities: [
      {
        entity_id: "light.reading_lamp",
        unique_id: "hue-reading",
        platform: "hue",
        device_id: "dev-reading",
        has_entity_name: true,
        original_name: null,
      },
      {
        entity_id: "light.hue_ceiling_1",
        unique_id: "hue-ceiling",
        platform: "hue",
        device_id: "dev-ceiling",
        has_entity_name: true,
        original_name: null,
        aliases: ["big light"],
      },
      {
        entity_id: "light.kitchen_ceiling",
        unique_id: "zha-kitchen-1",
        platform: "zha",
        device_id: "dev-kitchen-1",
        has_entity_name: true,
        original_name: null,
      },
      {
        entity_id: "light.kitchen_counter",
        unique_id: "zha-kitchen-2",
        platform: "zha",
        device_id: "dev-kitchen-2",
        has_entity_name: true,
        original_name: null,
      },
      // In the kitchen too, but not exposed to Assist: never heard of, never touched.
      {
        entity_id: "light.kitchen_secret",
        unique_id: "zha-kitchen-3",
        platform: "zha",
        area_id: "kitchen",
        original_name: "Cabinet Light",
      },
      {
        entity_id: "cover.garage_door",
        unique_id: "ratgdo-door",
        platform: "ratgdo",
        device_id: "dev-garage",
        has_entity_name: true,
        original_name: "Door",
        name: "Garage Door",
        original_device_class: "garage",
      },
      {
        entity_id: "climate.thermostat",
        unique_id: "ecobee-1",
        platform: "ecobee",
        device_id: "dev-thermo",
        has_entity_name: true,
        original_name: null,
      },
      {
        entity_id: "media_player.bedroom_speaker",
        unique_id: "sonos-1",
        platform: "sonos",
        device_id: "dev-speaker",
        has_entity_name: true,
        original_name: null,
      },
      {
        entity_id: "sensor.hallway_sensor_temperature",
        unique_id: "esphome-hall-temp",
        platform: "esphome",
        device_id: "dev-hallway-sensor",
        has_entity_name: true,
        original_name: "Temperature",
        original_device_class: "temperature",
      },
      // A diagnostic entity (not exposed by Home Assistant's defaults).
      {
        entity_id: "sensor.reading_lamp_signal",
        unique_id: "hue-reading-rssi",
        platform: "hue",
        device_id: "dev-reading",
        has_entity_name: true,
        original_name: "Signal strength",
        entity_category: "diagnostic",
      },
    ],
    states: {
      "light.reading_lamp": {
        state: "off",
        attributes: {
          friendly_name: "Reading Lamp",
          supported_color_modes: ["brightness"],
          supported_features: 40,
        },
      },
      "light.hue_ceiling_1": {
        state: "on",
        attributes: {
          friendly_name: "Living Room Ceiling",
          supported_color_modes: ["color_temp", "xy"],
          brightness: 200,
          supported_features: 40,
        },
      },
      "light.kitchen_ceiling": {
        state: "off",
        attributes: { friendly_name: "Kitchen Ceiling", supported_color_modes: ["brightness"] },
      },
      "light.kitchen_counter": {
        state: "off",
        attributes: { friendly_name: "Kitchen Counter", supported_color_modes: ["brightness"] },
      },
      "light.kitchen_secret": {
        state: "off",
        attributes: { friendly_name: "Cabinet Light", supported_color_modes: ["brightness"] },
      },
      "cover.garage_door": {
        state: "closed",
        attributes: { friendly_name: "Garage Door", device_class: "garage", supported_features: 3 },
      },
      "climate.thermostat": {
        state: "heat",
        attributes: {
          friendly_name: "Thermostat",
          current_temperature: 20.5,
          temperature: 21,
          hvac_modes: ["off", "heat"],
          supported_features: 385,
        },
      },
      "media_player.bedroom_speaker": {
        state: "playing",
        attributes: { friendly_name: "Bedroom Speaker", supported_features: 152509, volume_level: 0.3 },
      },
      "sensor.hallway_sensor_temperature": {
        state: "19.5",
        attributes: {
          friendly_name: "Hallway Sensor Temperature",
          device_class: "temperature",
          unit_of_measurement: "°C",
        },
      },
      "sensor.reading_lamp_signal": {
        state: "-60",
        attributes: { friendly_name: "Reading Lamp Signal strength", unit_of_measurement: "dBm" },
      },
      // A YAML entity without a unique id: a state but no registry entry.
      "switch.christmas_tree": { state: "off", attributes: { friendly_name: "Christmas Tree" } },
    },
    exposed: [
      "light.reading_lamp",
      "light.hue_ceiling_1",
      "light.kitchen_ceiling",
      "light.kitchen_counter",
      "cover.garage_door",
      "climate.thermostat",
      "media_player.bedroom_speaker",
      "sensor.hallway_sensor_temperature",
      "switch.christmas_tree",
    ],
  };
}
