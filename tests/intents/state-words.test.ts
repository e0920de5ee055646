import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ActingUnderstanding,
  ENGLISH_VARIANTS,
  openYamlHome,
  ownEnglish,
} from "../helpers/understanding.js";

/*
 * A binary sensor's state asked in words ("is the larder door open") keeps Home Assistant's form in
 * the intent's slot, "on" or "off" (the sensor's device class says what "on" means), whichever
 * English understood it; the spoken reply says it in words again. Said to Hearth's own English
 * alone and with Home Assistant's English pack beside it (../shared/ha-intents, CC BY 4.0, Home
 * Assistant's intents project), through the real matcher, in a smallholding of our own.
 */
const SMALLHOLDING = `
site: { id: smallholding, name: Hearth, area: Farm Kitchen }
areas:
  - { name: Farm Kitchen }
  - { name: Larder }
  - { name: Tack Room }
  - { name: Coal Shed }
  - { name: Porch }
devices:
  - { id: binary_sensor.larder_door, name: Larder Door, area: Larder, device_class: door, state: "on" }
  - { id: binary_sensor.dairy_window, name: Dairy Window, area: Farm Kitchen, device_class: window, state: "off" }
  - { id: binary_sensor.tack_room_lock, name: Tack Room Lock, area: Tack Room, device_class: lock, state: "on" }
  - { id: binary_sensor.coal_shed_door, name: Coal Shed Hatch, area: Coal Shed, device_class: opening, state: "on" }
  - { id: cover.porch_blind, name: Porch Blind, area: Porch, device_class: blind, state: "open" }
`;

describe.each(ENGLISH_VARIANTS)("%s", (_, sentences) => {
  let home: ActingUnderstanding;

  beforeAll(async () => {
    home = await openYamlHome(SMALLHOLDING, await sentences());
  });

  afterAll(async () => {
    await home?.close();
  });

  /** The one intent understood for `text`, and the reply, which never says on or off of a contact. */
  const ask = (text: string) => {
    const r = home.understand(text, { area: "Farm Kitchen" });
    const u = r.understanding;
    if (u.kind !== "recognized") throw new Error(`${text}: ${JSON.stringify(u)}`);
    expect(u.intents, text).toHaveLength(1);
    expect(r.reply, text).not.toMatch(/\b(on|off)\b/i);
    const [i] = u.intents;
    return { name: i?.name, state: i?.slots.state, targets: i?.targets };
  };

  it("asks whether a door or a window contact is open as on, and shut as off", () => {
    expect(ask("is the larder door open")).toEqual({
      name: "HassGetState",
      state: "on",
      targets: ["binary_sensor.larder_door"],
    });
    expect(ask("is the larder door shut")).toEqual({
      name: "HassGetState",
      state: "off",
      targets: ["binary_sensor.larder_door"],
    });
    expect(ask("did I leave the dairy window open")).toEqual({
      name: "HassGetState",
      state: "on",
      targets: ["binary_sensor.dairy_window"],
    });
  });

  it("asks whether a lock sensor is unlocked as on, what its class says on means", () => {
    expect(ask("is the tack room lock unlocked")).toEqual({
      name: "HassGetState",
      state: "on",
      targets: ["binary_sensor.tack_room_lock"],
    });
    expect(ask("is the tack room lock locked")).toMatchObject({ state: "off" });
  });

  it("asks of a room taken for what opens in it as on", () => {
    expect(ask("is the coal shed still open")).toEqual({
      name: "HassGetState",
      state: "on",
      targets: ["binary_sensor.coal_shed_door"],
    });
  });

  it("keeps a blind's own state, open, which is no binary sensor's", () => {
    expect(ask("is the porch blind open")).toEqual({
      name: "HassGetState",
      state: "open",
      targets: ["cover.porch_blind"],
    });
  });
});

describe("Hearth's own English answering in words", () => {
  let home: ActingUnderstanding;

  beforeAll(async () => {
    home = await openYamlHome(SMALLHOLDING, await ownEnglish());
  });

  afterAll(async () => {
    await home?.close();
  });

  const reply = (text: string) => home.understand(text, { area: "Farm Kitchen" }).reply;

  it("says what on and off mean for the sensor asked of", () => {
    expect(reply("is the larder door open")).toBe("Yes, the larder door is open.");
    expect(reply("is the larder door shut")).toBe("No, the larder door is open.");
    expect(reply("did I leave the dairy window open")).toBe("No, the dairy window is closed.");
    expect(reply("is the tack room lock locked")).toBe("No, the tack room lock is unlocked.");
    expect(reply("is the coal shed still open")).toBe("Yes, the coal shed hatch is open.");
    expect(reply("is the porch blind open")).toBe("Yes, the porch blind is open.");
  });
});
