import { describe, expect, it, test } from "vitest";
import { describeEnglishHome } from "../helpers/english-homes.js";
import { germanHome, type Want } from "../helpers/german-home.js";

/*
 * Sentences a user notices a wrong or missing answer to: a thing named with "more" or "less" after
 * it ("the kitchen lights less"), a timer asked after by what it is for ("is the rice done yet"),
 * a binary sensor's state in its device class's words. Said to Hearth's own English alone and with
 * Home Assistant's English pack beside it (../shared/ha-intents, CC BY 4.0, Home Assistant's
 * intents project), through the real matcher, in homes of their own (a bungalow by the sea in
 * Cornwall, a croft, an alpine hut).
 */
const HOME = `
site: { id: bungalow, name: Hearth, area: Sitting Room }
areas:
  - { name: Sitting Room }
  - { name: Galley, aliases: [kitchen] }
  - { name: Boot Room }
  - { name: Sun Room }
devices:
  - { id: light.galley_spots, name: Galley Spots, area: Galley, state: "on", attributes: { brightness: 128, supported_color_modes: [brightness] } }
  - { id: light.reading_lamp, name: Reading Lamp, area: Sitting Room, state: "on", attributes: { brightness: 128, supported_color_modes: [brightness] } }
  - { id: media_player.wireless, name: Wireless, area: Galley, state: playing, attributes: { volume_level: 0.3 } }
  - { id: climate.storage_heater, name: Storage Heater, area: Sitting Room, state: heat, attributes: { temperature: 18, current_temperature: 17 } }
  - { id: fan.sun_room_fan, name: Sun Room Fan, area: Sun Room, state: "on", attributes: { percentage: 50 } }
  - { id: switch.urn, name: Tea Urn, area: Galley, state: "off" }
`;

describeEnglishHome({ yaml: HOME, area: "Sitting Room" }, ({ home, say }) => {
  it("turns a thing named with 'more' or 'less' after it up or down in its level, never switching it", () => {
    // Both lights are at half.
    for (const [text, brightness] of [
      ["the galley spots less", 25],
      ["galley spots a bit less please", 25],
      ["the galley spots more", 75],
      ["galley spots a little more", 75],
    ] as const)
      expect(say(text), text).toMatchObject({
        name: "HassLightSet",
        slots: { brightness },
        targets: ["light.galley_spots"],
      });
    expect(say("the reading lamp less")).toMatchObject({
      name: "HassLightSet",
      slots: { brightness: 25 },
      targets: ["light.reading_lamp"],
    });
    for (const [text, step] of [
      ["the wireless less", "down"],
      ["wireless a bit more", "up"],
    ] as const)
      expect(say(text), text).toMatchObject({
        name: "HassSetVolumeRelative",
        slots: { volume_step: step },
        targets: ["media_player.wireless"],
      });
    // The heater is set to 18 degrees.
    for (const [text, temperature] of [
      ["storage heater more", 19],
      ["the storage heater a bit less", 17],
    ] as const)
      expect(say(text), text).toMatchObject({
        name: "HassClimateSetTemperature",
        slots: { temperature },
        targets: ["climate.storage_heater"],
      });
    expect(say("the sun room fan more")).toMatchObject({
      name: "HassFanSetSpeed",
      targets: ["fan.sun_room_fan"],
    });
    // An urn has no level to turn: not understood rather than switched on.
    for (const text of ["the tea urn more", "tea urn less"]) home.expectNoCommand(text);
    // Said bare, a name still switches its thing on.
    expect(say("the galley spots")).toMatchObject({ name: "HassTurnOn", targets: ["light.galley_spots"] });
  });
});

describeEnglishHome({ yaml: HOME, title: "%s, timers asked after by what they are for" }, ({ home }) => {
  const ask = (text: string) => home.understand(text, { area: "Galley" });

  it("tells what is left on a timer named for what it is for, said without the word timer", () => {
    // No timer runs yet: none to tell, and no other intent guessed.
    for (const text of ["how long on the brisket", "is the brisket done yet"]) {
      const r = ask(text);
      expect(r.understanding, text).toMatchObject({
        kind: "recognized",
        intents: [{ name: "HassTimerStatus" }],
      });
      expect(r.reply, text).not.toMatch(/\bminutes? left\b/);
    }
    expect(home.saidOnce("set a brisket timer for 50 minutes", "Galley").name).toBe("HassStartTimer");
    for (const text of [
      "how long on the brisket",
      "is the brisket done yet",
      "is my brisket ready",
      "how much longer for the brisket",
      "how long till the brisket is done",
    ]) {
      const r = ask(text);
      expect(r.understanding, text).toMatchObject({
        kind: "recognized",
        intents: [{ name: "HassTimerStatus", slots: { name: "brisket" } }],
      });
      expect(r.reply, text).toMatch(/50 minutes left on the brisket timer/);
    }
    // Another timer's name: there is no such timer, never the brisket's time.
    for (const text of [
      "how long on the scones",
      "are the scones done yet",
      "how much longer for the scones",
    ])
      expect(ask(text).reply, text).toBe("There is no such timer.");
    for (const text of ["are we done yet", "is it done yet"]) home.expectNoCommand(text, "Galley");
  });
});

describeEnglishHome({ yaml: HOME, title: "%s, what is to be bought and when" }, ({ home }) => {
  it("puts what is to be bought on the shopping list without when it is to be bought", () => {
    for (const [text, item] of [
      ["we need to buy more kippers at some point", "kippers"],
      ["we need to buy kippers at the weekend", "kippers"],
      ["we need to get clotted cream by friday", "clotted cream"],
      ["we need to pick up saffron buns on the way home", "saffron buns"],
      ["we need to buy pasties when we go to the shops", "pasties"],
      ["remind me to buy sun cream next week", "sun cream"],
    ] as const)
      expect(home.saidOnce(text), text).toMatchObject({ name: "HassShoppingListAddItem", slots: { item } });
    // Said about the house, not asked: no item.
    for (const text of ["we're out of kippers", "we need more clotted cream"]) home.expectNoCommand(text);
  });
});

/*
 * A croft whose sensors are written as Home Assistant's states describe them: the device class
 * among the attributes.
 */
const CROFT = `
site: { id: croft, name: Hearth, area: Kitchen }
areas:
  - { name: Kitchen }
  - { name: Yard }
  - { name: Utility }
devices:
  - { id: binary_sensor.yard_gate, name: Yard Gate, area: Yard, state: "on", attributes: { device_class: opening } }
  - { id: binary_sensor.utility_door, name: Utility Door, area: Utility, state: "on", attributes: { device_class: door } }
  - { id: binary_sensor.skylight, name: Skylight, area: Kitchen, state: "off", attributes: { device_class: window } }
  - { id: binary_sensor.barn_door, name: Barn Door, area: Yard, state: "off", attributes: { device_class: garage_door } }
  - { id: binary_sensor.tack_room_bolt, name: Tack Room Bolt, area: Yard, state: "on", attributes: { device_class: lock } }
  - { id: binary_sensor.sink_leak, name: Sink Leak, area: Kitchen, state: "on", attributes: { device_class: moisture } }
  - { id: binary_sensor.tractor_plug, name: Tractor Plug, area: Yard, state: "on", attributes: { device_class: plug } }
  - { id: binary_sensor.quad_battery, name: Quad Battery, area: Yard, state: "on", attributes: { device_class: battery } }
`;

describeEnglishHome({ yaml: CROFT, title: "%s, sensors as Home Assistant describes them" }, ({ home }) => {
  const reply = (text: string) => home.understand(text, { area: "Kitchen" }).reply;

  it("says a binary sensor's state in the words of its device class, never 'on' or 'off'", () => {
    for (const [text, word] of [
      ["what is the state of the yard gate", /\bopen\b/],
      ["what is the state of the utility door", /\bopen\b/],
      ["is the skylight open", /\bclosed\b/],
      ["is the tack room bolt locked", /\bunlocked\b/],
      ["what is the state of the sink leak", /\bwet\b/],
      ["what is the state of the tractor plug", /\bplugged in\b/],
      ["what is the state of the quad battery", /\blow\b/],
    ] as const) {
      expect(reply(text), text).toMatch(word);
      expect(reply(text), text).not.toMatch(/\b(on|off)\b/);
    }
    for (const text of ["is the utility door open", "is the barn door closed", "is the sink leak wet"])
      expect(reply(text), text).toMatch(/^Yes\b/);
    expect(home.saidOnce("which doors are open", "Kitchen").targets).toEqual(["binary_sensor.utility_door"]);
  });
});

describe("German, sensors as Home Assistant describes them", () => {
  // An alpine hut in the Allgäu, with Home Assistant's German pack beside Hearth's own German.
  const { check } = germanHome("home-de-alm.yaml");
  test.each<Want>([
    { text: "was ist die Stalltür", intent: "HassGetState", reply: "Stalltür ist offen" },
    { text: "was ist das Dachfenster", intent: "HassGetState", reply: "Dachfenster ist geschlossen" },
    { text: "ist die Stalltür offen", intent: "HassGetState", reply: "Ja" },
    { text: "ist das Dachfenster offen", intent: "HassGetState", reply: "Nein" },
  ])("“$text”", check);
});

describe("German, a battery asked whether it is charged or charging", () => {
  const { check } = germanHome("home-de-alm.yaml");
  // "Geladen" and "voll" ask for the battery's level; "lädt … noch" whether it is charging.
  test.each<Want>([
    {
      text: "ist unser Auto geladen",
      intent: "HassGetState",
      targets: ["sensor.auto_akku"],
      reply: "Auto ist 80 %",
    },
    { text: "ist mein Handy geladen", intent: "HassGetState", targets: ["sensor.handy_akku"] },
    { text: "ist das Handy schon voll", intent: "HassGetState", targets: ["sensor.handy_akku"] },
    { text: "ist der Akku vom Tablet voll", intent: "HassGetState", targets: ["sensor.tablet_akku"] },
    {
      text: "lädt das Auto noch",
      intent: "HassGetState",
      targets: ["binary_sensor.auto_laedt"],
      reply: "Ja",
    },
    { text: "ist das Auto gerade am Laden", intent: "HassGetState", targets: ["binary_sensor.auto_laedt"] },
  ])("“$text”", check);
});
