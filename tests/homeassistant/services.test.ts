import { describe, expect, it } from "vitest";
import { serviceCall } from "../../src/homeassistant/services.js";
import type { Entity } from "../../src/registry/types.js";

function entity(id: string, attributes: Record<string, unknown> = {}, state?: string): Entity {
  const domain = id.slice(0, id.indexOf(".")) as Entity["domain"];
  return { id, name: "Thing", domain, aliases: [], attributes, source: "homeassistant", state };
}

function call(name: string, e: Entity, slots: Record<string, string | number> = {}) {
  return serviceCall({ name, slots, targets: [e.id] }, e);
}

describe("the service Home Assistant's intent handlers would call", () => {
  it.each([
    ["HassTurnOn", "light.a", {}, "light", "turn_on", {}],
    ["HassTurnOff", "switch.a", {}, "switch", "turn_off", {}],
    ["HassTurnOn", "cover.a", {}, "cover", "open_cover", {}],
    ["HassTurnOff", "cover.a", {}, "cover", "close_cover", {}],
    ["HassTurnOn", "lock.a", {}, "lock", "lock", {}],
    ["HassTurnOff", "lock.a", {}, "lock", "unlock", {}],
    ["HassTurnOn", "valve.a", {}, "valve", "open_valve", {}],
    ["HassTurnOn", "scene.a", {}, "scene", "turn_on", {}],
    ["HassTurnOn", "script.a", {}, "script", "turn_on", {}],
    ["HassTurnOn", "button.a", {}, "button", "press", {}],
    ["HassTurnOn", "automation.a", {}, "automation", "turn_on", {}],
    ["HassTurnOn", "number.a", {}, "homeassistant", "turn_on", {}],
    ["HassToggle", "light.a", {}, "light", "toggle", {}],
    ["HassLightSet", "light.a", { brightness: 40 }, "light", "turn_on", { brightness_pct: 40 }],
    ["HassLightSet", "light.a", { color: "red" }, "light", "turn_on", { color_name: "red" }],
    ["HassLightSet", "light.a", { brightness: 0 }, "light", "turn_off", {}],
    ["HassSetPosition", "cover.a", { position: 30 }, "cover", "set_cover_position", { position: 30 }],
    [
      "HassClimateSetTemperature",
      "climate.a",
      { temperature: 21 },
      "climate",
      "set_temperature",
      { temperature: 21 },
    ],
    [
      "HassSetVolume",
      "media_player.a",
      { volume_level: 50 },
      "media_player",
      "volume_set",
      { volume_level: 0.5 },
    ],
    ["HassMediaPause", "media_player.a", {}, "media_player", "media_pause", {}],
    ["HassMediaUnpause", "media_player.a", {}, "media_player", "media_play", {}],
    ["HassMediaNext", "media_player.a", {}, "media_player", "media_next_track", {}],
    ["HassMediaPrevious", "media_player.a", {}, "media_player", "media_previous_track", {}],
    ["HassVacuumStart", "vacuum.a", {}, "vacuum", "start", {}],
    ["HassVacuumReturnToBase", "vacuum.a", {}, "vacuum", "return_to_base", {}],
    ["HassListAddItem", "todo.a", { item: "milk" }, "todo", "add_item", { item: "milk" }],
    ["HassSetVolumeRelative", "media_player.a", { volume_step: "up" }, "media_player", "volume_up", {}],
    ["HassSetVolumeRelative", "media_player.a", { volume_step: "down" }, "media_player", "volume_down", {}],
    ["HassMediaPlayerMute", "media_player.a", {}, "media_player", "volume_mute", { is_volume_muted: true }],
    [
      "HassMediaPlayerUnmute",
      "media_player.a",
      {},
      "media_player",
      "volume_mute",
      { is_volume_muted: false },
    ],
    ["HassLawnMowerStartMowing", "lawn_mower.a", {}, "lawn_mower", "start_mowing", {}],
    ["HassLawnMowerDock", "lawn_mower.a", {}, "lawn_mower", "dock", {}],
  ] as const)("%s on %s calls %s.%s", (intent, id, slots, domain, service, data) => {
    expect(call(intent, entity(id), { ...slots })).toEqual({ domain, service, data });
  });

  it("uses what the entity supports: colour modes and feature bits", () => {
    const onOffOnly = entity("light.a", { supported_color_modes: ["onoff"] });
    expect(call("HassLightSet", onOffOnly, { brightness: 50 })).toEqual({
      error: "the Thing can't be dimmed",
    });
    const white = entity("light.a", { supported_color_modes: ["brightness"] });
    expect(call("HassLightSet", white, { color: "red" })).toEqual({ error: "the Thing can't change colour" });
    // A cover without SET_POSITION (4) can still go fully open or closed.
    const plain = entity("cover.a", { supported_features: 3 });
    expect(call("HassSetPosition", plain, { position: 100 })).toMatchObject({ service: "open_cover" });
    expect(call("HassSetPosition", plain, { position: 40 })).toEqual({
      error: "the Thing can't be set to a position",
    });
    const noVolume = entity("media_player.a", { supported_features: 1 });
    expect(call("HassSetVolume", noVolume, { volume_level: 20 })).toEqual({
      error: "the Thing's volume can't be set",
    });
  });

  it("steps the volume by a percentage from where the player is, within 0 to 100", () => {
    const player = entity("media_player.a", { volume_level: 0.35 });
    expect(call("HassSetVolumeRelative", player, { volume_step: 10 })).toEqual({
      domain: "media_player",
      service: "volume_set",
      data: { volume_level: 0.45 },
    });
    expect(call("HassSetVolumeRelative", player, { volume_step: -50 })).toMatchObject({
      data: { volume_level: 0 },
    });
    expect(call("HassSetVolumeRelative", entity("media_player.a"), { volume_step: 10 })).toEqual({
      error: "I don't know how loud the Thing is now",
    });
    // Neither VOLUME_SET (4) nor VOLUME_STEP (1024), nor VOLUME_MUTE (8).
    const fixed = entity("media_player.a", { supported_features: 1 });
    expect(call("HassSetVolumeRelative", fixed, { volume_step: "up" })).toEqual({
      error: "the Thing's volume can't be changed",
    });
    expect(call("HassMediaPlayerMute", fixed)).toEqual({ error: "the Thing can't be muted" });
    // A mower without DOCK (4) can still start (START_MOWING 1).
    const mower = entity("lawn_mower.a", { supported_features: 1 });
    expect(call("HassLawnMowerStartMowing", mower)).toMatchObject({ service: "start_mowing" });
    expect(call("HassLawnMowerDock", mower)).toEqual({ error: "the Thing can't be sent to its dock" });
  });

  it("toggles a lock by its state and refuses to control a sensor", () => {
    expect(call("HassToggle", entity("lock.a", {}, "locked"))).toMatchObject({ service: "unlock" });
    expect(call("HassTurnOn", entity("sensor.a"))).toEqual({
      error: "the Thing can only be asked about, not controlled",
    });
    expect(call("HassTurnOff", entity("scene.a"))).toEqual({
      error: "the Thing scene can only be activated",
    });
  });
});
