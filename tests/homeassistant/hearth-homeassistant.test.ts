import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Hearth } from "../../src/app.js";
import { loadConfig } from "../../src/config/loader.js";
import { HaStandin } from "../helpers/ha-standin.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { smallHome } from "./small-home.js";

/**
 * Hearth with a config that holds nothing about the home but where Home Assistant is: every
 * device, name, alias and area comes from the stand-in's registries, and every command reaches it
 * as the call_service Home Assistant's own intent handlers would make.
 */

let dir: string;
let ha: HaStandin;
let hearth: Hearth;
/**
 * Hearth's time: only the test moves it, so Home Assistant's response deadline, the grace period
 * and the start-up limit never run out on a busy machine; the registry refresh's debounce
 * (refresh_debounce_ms) passes when the test moves it (synced).
 */
const clock = new ManualClock();
const REFRESH_DEBOUNCE_MS = 50;
const lines: string[] = [];

beforeAll(async () => {
  const home = smallHome();
  // A light where this Hearth stands (site.area names the garage, an area only Home Assistant has).
  home.entities.push({
    entity_id: "light.garage_strip",
    unique_id: "shelly-garage",
    platform: "shelly",
    area_id: "garage",
    original_name: "Garage Strip",
  });
  home.states["light.garage_strip"] = { state: "off", attributes: { friendly_name: "Garage Strip" } };
  home.exposed.push("light.garage_strip");
  // A to-do list kept in Home Assistant.
  home.entities.push({
    entity_id: "todo.groceries",
    unique_id: "local-todo-groceries",
    platform: "local_todo",
    original_name: "Groceries",
  });
  home.states["todo.groceries"] = { state: "0", attributes: { friendly_name: "Groceries" } };
  home.exposed.push("todo.groceries");
  // A robot lawn mower in the garden (START_MOWING | PAUSE | DOCK).
  home.entities.push({
    entity_id: "lawn_mower.mowbot",
    unique_id: "husqvarna-mowbot",
    platform: "husqvarna_automower",
    original_name: "Mowbot",
  });
  home.states["lawn_mower.mowbot"] = {
    state: "docked",
    attributes: { friendly_name: "Mowbot", supported_features: 7 },
  };
  home.exposed.push("lawn_mower.mowbot");
  ha = await HaStandin.start({ home });
  dir = await mkdtemp(join(tmpdir(), "hearth-ha-"));
  await writeFile(join(dir, "token"), `${ha.token}\n`, { mode: 0o600 });
  const path = join(dir, "hearth.yaml");
  // The site and audio lines keep the test off the machine's microphone and port 1883.
  await writeFile(
    path,
    `homeassistant:
  url: ${ha.baseUrl}
  token_file: ${join(dir, "token")}
  refresh_debounce_ms: ${REFRESH_DEBOUNCE_MS}
site: { id: ha_e2e, area: Garage }
audio: { source: none, sink: "null" }
mqtt: { embedded_port: 0 }
`,
  );
  const log = pino({ level: "debug" }, { write: (l: string) => lines.push(l) });
  hearth = new Hearth({ loaded: await loadConfig(path), log, clock });
  let up = false;
  const starting = hearth.start().finally(() => {
    up = true;
  });
  // The first reading of the registries is a refresh scheduled at once (0 ms on the clock).
  await synced(() => up);
  await starting;
});

/**
 * Waits until `check` holds, moving the clock past each registry refresh as it is scheduled (at
 * once, or refresh_debounce_ms after a change), and no further.
 */
async function synced(check: () => boolean): Promise<void> {
  while (!check()) {
    const refresh = clock.pending.find((ms) => ms === 0 || ms === REFRESH_DEBOUNCE_MS);
    if (refresh !== undefined) clock.advance(refresh);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

afterAll(async () => {
  await hearth?.stop();
  await ha?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function say(text: string) {
  const from = ha.calls.length;
  const result = await hearth.pipeline.run(text);
  return { result, calls: ha.calls.slice(from) };
}

describe("Hearth acting through Home Assistant", () => {
  it("knows the home from Home Assistant alone", () => {
    const names = hearth.registry.entities().map((e) => e.name);
    expect(names).toEqual(
      expect.arrayContaining(["Reading Lamp", "Living Room Ceiling", "Kitchen Ceiling", "Garage Door"]),
    );
    expect(names).not.toContain("Cabinet Light");
    expect(hearth.registry.findArea("lounge")?.id).toBe("living_room");
    expect(hearth.registry.findFloor("upstairs")?.id).toBe("first_floor");
  });

  it("turns on the reading lamp (a device-named entity) with light.turn_on", async () => {
    const { result, calls } = await say("turn on the reading lamp");
    expect(calls).toEqual([
      expect.objectContaining({
        domain: "light",
        service: "turn_on",
        target: { entity_id: ["light.reading_lamp"] },
      }),
    ]);
    expect(calls[0]?.service_data).toBeUndefined();
    expect(result.actions).toEqual([
      expect.objectContaining({ entityId: "light.reading_lamp", ok: true, service: "light.turn_on" }),
    ]);
  });

  it("turns off the big light (an alias set in Home Assistant)", async () => {
    const { result, calls } = await say("turn off the big light");
    expect(calls).toEqual([
      expect.objectContaining({
        domain: "light",
        service: "turn_off",
        target: { entity_id: ["light.hue_ceiling_1"] },
      }),
    ]);
    expect(result.reason).toBe("done");
  });

  it("sets the kitchen lights to 40 percent with one light.turn_on for both, and not the hidden one", async () => {
    const { result, calls } = await say("set the kitchen lights to 40 percent");
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      domain: "light",
      service: "turn_on",
      service_data: { brightness_pct: 40 },
    });
    expect([...(calls[0]?.target?.entity_id ?? [])].sort()).toEqual([
      "light.kitchen_ceiling",
      "light.kitchen_counter",
    ]);
    expect(result.actions.map((a) => a.ok)).toEqual([true, true]);
  });

  it("opens the garage door with cover.open_cover", async () => {
    const { calls } = await say("open the garage door");
    expect(calls).toEqual([
      expect.objectContaining({
        domain: "cover",
        service: "open_cover",
        target: { entity_id: ["cover.garage_door"] },
      }),
    ]);
  });

  it("sends the lawn mower out with lawn_mower.start_mowing and back with lawn_mower.dock", async () => {
    const out = await say("send the mowbot out to mow the lawn");
    expect(out.calls).toEqual([
      expect.objectContaining({
        domain: "lawn_mower",
        service: "start_mowing",
        target: { entity_id: ["lawn_mower.mowbot"] },
      }),
    ]);
    expect(ha.home.states["lawn_mower.mowbot"]?.state).toBe("mowing");
    const back = await say("send the mowbot back to its dock");
    expect(back.calls).toEqual([
      expect.objectContaining({
        domain: "lawn_mower",
        service: "dock",
        target: { entity_id: ["lawn_mower.mowbot"] },
      }),
    ]);
    expect(ha.home.states["lawn_mower.mowbot"]?.state).toBe("docked");
  });

  it("turns the speaker down by a step with volume_set, up with volume_up, and mutes it", async () => {
    // From the 30 percent Home Assistant reported.
    const down = await say("turn the volume down by 20 percent on the bedroom speaker");
    expect(down.calls).toEqual([
      expect.objectContaining({
        domain: "media_player",
        service: "volume_set",
        service_data: { volume_level: 0.1 },
        target: { entity_id: ["media_player.bedroom_speaker"] },
      }),
    ]);
    const up = await say("turn the bedroom speaker up a bit");
    expect(up.calls).toEqual([
      expect.objectContaining({
        domain: "media_player",
        service: "volume_up",
        target: { entity_id: ["media_player.bedroom_speaker"] },
      }),
    ]);
    expect(ha.home.states["media_player.bedroom_speaker"]?.attributes.volume_level).toBe(0.2);
    const mute = await say("mute the bedroom speaker");
    expect(mute.calls).toEqual([
      expect.objectContaining({ service: "volume_mute", service_data: { is_volume_muted: true } }),
    ]);
    expect(ha.home.states["media_player.bedroom_speaker"]?.attributes.is_volume_muted).toBe(true);
    await say("unmute the bedroom speaker");
    expect(ha.home.states["media_player.bedroom_speaker"]?.attributes.is_volume_muted).toBe(false);
  });

  it("takes site.area from an area that only Home Assistant knows", async () => {
    const { calls } = await say("turn on the lights");
    expect(calls).toEqual([
      expect.objectContaining({
        domain: "light",
        service: "turn_on",
        target: { entity_id: ["light.garage_strip"] },
      }),
    ]);
  });

  it("adds an item to a to-do list kept in Home Assistant with todo.add_item", async () => {
    const { result, calls } = await say("add milk to the groceries list");
    expect(calls).toEqual([
      expect.objectContaining({
        domain: "todo",
        service: "add_item",
        service_data: { item: "milk" },
        target: { entity_id: ["todo.groceries"] },
      }),
    ]);
    expect(result.actions).toEqual([expect.objectContaining({ entityId: "todo.groceries", ok: true })]);
    expect(hearth.registry.entity("todo.groceries")?.source).toBe("homeassistant");
  });

  it("never touches an entity that is not exposed to Assist", async () => {
    const { result } = await say("turn on the cabinet light");
    expect(result.understanding.kind).toBe("not-recognized");
    await say("turn off the lights in the kitchen");
    expect(ha.calls.some((c) => JSON.stringify(c.target).includes("light.kitchen_secret"))).toBe(false);
  });

  it("understands a name given in Home Assistant while running", async () => {
    ha.updateEntity("light.reading_lamp", { aliases: ["book light"] });
    await synced(() => hearth.registry.entity("light.reading_lamp")?.aliases.includes("book light") === true);
    const { calls } = await say("turn off the book light");
    expect(calls).toEqual([
      expect.objectContaining({
        domain: "light",
        service: "turn_off",
        target: { entity_id: ["light.reading_lamp"] },
      }),
    ]);
  });

  it("answers from the live state Home Assistant reports", async () => {
    ha.setState("light.reading_lamp", "on");
    ha.setState("light.kitchen_ceiling", "off");
    ha.setState("light.kitchen_counter", "off");
    await synced(() => hearth.registry.entity("light.reading_lamp")?.state === "on");
    const { result, calls } = await say("is the reading lamp on");
    expect(calls).toEqual([]);
    expect(result.reply.toLowerCase()).toContain("yes");
    ha.setState("light.hue_ceiling_1", "off");
    ha.setState("light.garage_strip", "off");
    await synced(() => hearth.registry.entity("light.garage_strip")?.state === "off");
    const which = await say("which lights are on");
    expect(which.calls).toEqual([]);
    expect(which.result.reply).toBe("1 light is on: the reading lamp.");
  });
});

describe("Hearth with a refused token", () => {
  it("does not start, with the HA_AUTH code", async () => {
    const path = join(dir, "refused.yaml");
    await writeFile(
      path,
      `homeassistant: { url: "${ha.url}", token: wrong-token }
site: { id: ha_refused }
audio: { source: none }
mqtt: { embedded_port: 0 }
`,
    );
    const refused = new Hearth({ loaded: await loadConfig(path), log: pino({ level: "silent" }) });
    await expect(refused.start()).rejects.toMatchObject({ code: "HA_AUTH" });
    await refused.stop();
  });
});
