import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/parse-config.js";
import { intentsSchema } from "../../src/config/schema.js";
import { fixedClock } from "../../src/core/clock.js";
import { type CompiledSentences, loadSentences } from "../../src/intents/sentences.js";
import { registryFromConfig } from "../../src/registry/from-config.js";
import { ActingUnderstanding, checkoutStateDir, packSentences } from "../helpers/understanding.js";

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
`;

const ownEnglish = (): Promise<CompiledSentences> =>
  loadSentences(intentsSchema.parse({}), {
    language: "en",
    configDir: ".",
    stateDir: checkoutStateDir(),
  });

const variants: Array<[string, () => Promise<CompiledSentences>]> = [
  ["Hearth's own English", ownEnglish],
  ["with Home Assistant's English pack", () => packSentences(["../shared/ha-intents"], "en")],
];

describe.each(variants)("%s", (_, sentences) => {
  let home: ActingUnderstanding;

  beforeAll(async () => {
    home = await ActingUnderstanding.open({
      sentences: await sentences(),
      registry: registryFromConfig(parseConfig(HOME, "home.yaml")),
      clock: fixedClock(new Date(2026, 0, 1, 12)),
    });
  });

  afterAll(() => home?.close());

  /** Every intent understood for `text` said in `area`: name, slots and targets; a sentence not understood fails the test. */
  function said(text: string, area = "Den") {
    const u = home.understand(text, { area }).understanding;
    if (u.kind !== "recognized") throw new Error(`${text}: ${JSON.stringify(u)}`);
    return u.intents.map((i) => ({ name: i.name, slots: i.slots, targets: i.targets }));
  }

  /** The one intent understood for `text` said in `area`. */
  function say(text: string, area = "Den") {
    const intents = said(text, area);
    expect(intents).toHaveLength(1);
    return intents[0] as (typeof intents)[number];
  }

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
});
