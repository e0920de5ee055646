import { describe, expect, it } from "vitest";
import { ABBREVIATIONS, DEVICE_ABBREVIATIONS, expandDiscovery } from "../../../src/mqtt/ha/abbreviations.js";
import { tasmotaRelay } from "../fixtures/discovery.js";

describe("expandDiscovery", () => {
  it("expands top-level, device and origin abbreviations", () => {
    const out = expandDiscovery({
      cmd_t: "a/set",
      stat_t: "a/state",
      bri_cmd_t: "a/bri",
      json_attr_t: "a/attrs",
      uniq_id: "u1",
      dev: {
        ids: ["x"],
        mf: "Acme",
        mdl: "M1",
        sw: "1.2",
        sa: "Kitchen",
        cns: [["mac", "aa:bb"]],
        name: "Dev",
      },
      o: { name: "Tool", sw: "3.0", url: "https://example.org" },
    });
    expect(out).toEqual({
      command_topic: "a/set",
      state_topic: "a/state",
      brightness_command_topic: "a/bri",
      json_attributes_topic: "a/attrs",
      unique_id: "u1",
      device: {
        identifiers: ["x"],
        manufacturer: "Acme",
        model: "M1",
        sw_version: "1.2",
        suggested_area: "Kitchen",
        connections: [["mac", "aa:bb"]],
        name: "Dev",
      },
      origin: { name: "Tool", sw_version: "3.0", support_url: "https://example.org" },
    });
  });

  it("expands keys inside every availability item", () => {
    const out = expandDiscovery({
      avty: [
        { t: "bridge/state", val_tpl: "{{ value_json.state }}", pl_avail: "up" },
        { topic: "dev/lwt", pl_not_avail: "down" },
      ],
    });
    expect(out.availability).toEqual([
      { topic: "bridge/state", value_template: "{{ value_json.state }}", payload_available: "up" },
      { topic: "dev/lwt", payload_not_available: "down" },
    ]);
  });

  it("replaces a leading or trailing ~ in topic keys and removes the base", () => {
    const out = expandDiscovery(tasmotaRelay[1]);
    expect(out.command_topic).toBe("desk_plug/cmnd/POWER");
    expect(out.state_topic).toBe("desk_plug/tele/STATE");
    expect(out.availability_topic).toBe("desk_plug/tele/LWT");
    expect(out).not.toHaveProperty("~");
    const trailing = expandDiscovery({ "~": "home/kitchen", cmd_t: "set/~", stat_t: "~" });
    expect(trailing.command_topic).toBe("set/home/kitchen");
    expect(trailing.state_topic).toBe("home/kitchen");
  });

  it("leaves a ~ inside a value, and ~ in keys that are not topics, untouched", () => {
    const out = expandDiscovery({ "~": "base", cmd_t: "a/~/b", name: "~", val_tpl: "~x" });
    expect(out.command_topic).toBe("a/~/b");
    expect(out.name).toBe("~");
    expect(out.value_template).toBe("~x");
  });

  it("applies ~ to availability item topics", () => {
    const out = expandDiscovery({ "~": "node1", avty: [{ t: "~/status" }] });
    expect(out.availability).toEqual([{ topic: "node1/status" }]);
  });

  it("expands each component of a device-based payload with its own base topic", () => {
    const out = expandDiscovery({
      dev: { ids: "d1", name: "Node" },
      o: { name: "x" },
      cmps: {
        a: { p: "switch", "~": "node/sw", cmd_t: "~/set", avty: { t: "~/avail" } },
        b: { p: "sensor", stat_t: "plain/state" },
      },
    });
    expect(out.components).toEqual({
      a: { platform: "switch", command_topic: "node/sw/set", availability: { topic: "node/sw/avail" } },
      b: { platform: "sensor", state_topic: "plain/state" },
    });
    expect(out.device).toEqual({ identifiers: "d1", name: "Node" });
  });

  it("drops __proto__ keys so a payload cannot reach an object's prototype", () => {
    const out = expandDiscovery(JSON.parse('{"__proto__": {"polluted": 1}, "cmd_t": "a"}'));
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(["command_topic"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("does not change the object it was given", () => {
    const input = { cmd_t: "a", dev: { ids: "x" } };
    const copy = structuredClone(input);
    expandDiscovery(input);
    expect(input).toEqual(copy);
  });

  it("holds the current and legacy keys of Home Assistant's tables", () => {
    expect(ABBREVIATIONS.cmps).toBe("components");
    expect(ABBREVIATIONS.p).toBe("platform");
    expect(ABBREVIATIONS.o).toBe("origin");
    expect(ABBREVIATIONS.pos).toBe("reports_position");
    expect(ABBREVIATIONS.pl_hi_spd).toBe("payload_high_speed");
    expect(DEVICE_ABBREVIATIONS.sa).toBe("suggested_area");
    expect(DEVICE_ABBREVIATIONS.mdl_id).toBe("model_id");
    // Every full name is an HA key: lower-case words joined by '_'.
    for (const full of Object.values(ABBREVIATIONS)) expect(full).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });
});
