import { expect, it } from "vitest";
import { describeEnglishHome } from "../helpers/english-homes.js";

/*
 * More English as people say it who learnt it after another language: a comparative with no verb
 * ("more volume", "more warm"), timers put and asked after their way ("put a timer of six
 * minutes", "how much time rest"), a level the heating is left at ("leave the heating in 20"), a
 * statement asked with a word after it ("the back door is locked, yes?"), and why an item goes on
 * the list said after it ("… is finished"). Said to Hearth's own English alone and with Home
 * Assistant's English pack beside it (../shared/ha-intents, CC BY 4.0, Home Assistant's intents
 * project), through the real matcher, in a home of its own (a terraced house in Kraków shared by
 * two students and a cat).
 */
const HOME = `
site: { id: krakow, name: Hearth, area: Salon }
floors:
  - { name: Parter }
  - { name: Pietro }
areas:
  - { name: Salon, floor: Parter, aliases: [front room] }
  - { name: Kuchnia, floor: Parter, aliases: [kitchen] }
  - { name: Porch, floor: Parter }
  - { name: Attic Room, floor: Pietro }
devices:
  - { id: light.salon_pendant, name: Salon Pendant, area: Salon, state: "on", attributes: { brightness: 128, supported_color_modes: [brightness] } }
  - { id: light.kuchnia, name: Kuchnia Light, area: Kuchnia, state: "on", attributes: { brightness: 128, supported_color_modes: [brightness] } }
  - { id: light.attic, name: Attic Light, area: Attic Room, state: "off", attributes: { supported_color_modes: [brightness] } }
  - { id: climate.salon_radiators, name: Salon Radiators, area: Salon, state: heat, attributes: { temperature: 19, current_temperature: 18 } }
  - { id: media_player.salon_speaker, name: Salon Speaker, area: Salon, state: playing, attributes: { volume_level: 0.4 } }
  - { id: lock.back_door, name: Back Door, area: Porch, state: locked }
  - { id: cover.attic_window, name: Attic Window, area: Attic Room, device_class: window, state: open }
`;

describeEnglishHome({ yaml: HOME, area: "Salon" }, ({ home, say }) => {
  it("turns the volume, the warmth and the light up or down said as 'more' or 'less' and a word", () => {
    for (const text of ["more volume", "more sound please", "more volume to the salon speaker"])
      expect(say(text), text).toMatchObject({
        name: "HassSetVolumeRelative",
        slots: { volume_step: "up" },
        targets: ["media_player.salon_speaker"],
      });
    // The radiators are set to 19 degrees.
    for (const text of [
      "more warm",
      "more hot please",
      "make more warm",
      "a bit more warm here",
      "more heating",
    ])
      expect(say(text), text).toMatchObject({
        name: "HassClimateSetTemperature",
        slots: { temperature: 20 },
        targets: ["climate.salon_radiators"],
      });
    expect(say("less warm")).toMatchObject({ name: "HassClimateSetTemperature", slots: { temperature: 18 } });
    // The kitchen light is at half.
    for (const text of ["put less light", "little less light here"])
      expect(say(text, "Kuchnia"), text).toMatchObject({
        name: "HassLightSet",
        slots: { brightness: 25 },
        targets: ["light.kuchnia"],
      });
    for (const text of [
      "more beer please",
      "more or less",
      "less talking",
      "more to the left",
      "the cat is here",
    ])
      home.expectNoCommand(text);
  });

  it("dims or brightens a light named before 'less light' or 'more light', never switching it on", () => {
    // "Light" after "less" is what there should be less of, not the verb of "light the salon pendant".
    // Both lights are at half.
    for (const text of ["the salon pendant less light", "salon pendant less light"])
      expect(say(text), text).toMatchObject({
        name: "HassLightSet",
        slots: { brightness: 25 },
        targets: ["light.salon_pendant"],
      });
    expect(say("kuchnia light more light", "Kuchnia")).toMatchObject({
      name: "HassLightSet",
      slots: { brightness: 75 },
      targets: ["light.kuchnia"],
    });
    expect(say("the salon speaker more volume")).toMatchObject({
      name: "HassSetVolumeRelative",
      slots: { volume_step: "up" },
      targets: ["media_player.salon_speaker"],
    });
  });

  it("sets the heating to a level it is left or put at", () => {
    for (const text of [
      "leave the heating in 20",
      "leave the heating at 20",
      "keep the heating in 20 degrees",
      "put the heating at 20",
    ])
      expect(say(text), text).toMatchObject({
        name: "HassClimateSetTemperature",
        slots: { temperature: 20 },
        targets: ["climate.salon_radiators"],
      });
  });

  it("starts a timer put or made, and tells what is left asked the learner's way", () => {
    for (const [text, slots] of [
      ["put a timer of six minutes", { minutes: 6 }],
      ["do a timer of 3 minutes", { minutes: 3 }],
      ["make alarm in 12 minutes for the pierogi", { minutes: 12, name: "pierogi" }],
      ["I need a timer of 20 minutes", { minutes: 20 }],
      ["can you put a timer 4 minutes", { minutes: 4 }],
      ["put a soup timer for 9 minutes", { minutes: 9, name: "soup" }],
    ] as const) {
      const i = say(text);
      expect(i.name, text).toBe("HassStartTimer");
      expect(i.slots, text).toEqual(slots);
    }
    for (const text of [
      "how much time left",
      "how much time is rest on the timer",
      "how many minutes rest on the timer",
      "how much time remain",
      "how much minutes left",
    ])
      expect(say(text).name, text).toBe("HassTimerStatus");
  });

  it("adds an item to the shopping list without why, said after it with its subject left out", () => {
    for (const [text, item] of [
      ["add flour to the shopping list is finished", "flour"],
      ["add to the shopping list flour, is finished", "flour"],
      ["put sugar on the shopping list its over", "sugar"],
      ["add rice to the list because is finished", "rice"],
    ] as const)
      expect(say(text), text).toMatchObject({ name: "HassShoppingListAddItem", slots: { item } });
  });

  it("answers a statement asked with 'yes', 'no', 'right' or 'or not' after it, and leaves the bare statement a remark", () => {
    for (const text of [
      "the back door is locked yes",
      "the back door is locked, no?",
      "the back door is locked right",
    ])
      expect(say(text), text).toMatchObject({
        name: "HassGetState",
        slots: { state: "locked" },
        targets: ["lock.back_door"],
      });
    expect(say("the light in the kitchen is on or not")).toMatchObject({
      name: "HassGetState",
      slots: { state: "on" },
      targets: ["light.kuchnia"],
    });
    expect(say("the attic window is open, yes?")).toMatchObject({
      name: "HassGetState",
      targets: ["cover.attic_window"],
    });
    for (const text of [
      "the back door is locked",
      "the kitchen light is on",
      "the cat is asleep, right?",
      "you are tired, no?",
    ])
      home.expectNoCommand(text);
  });
});

/*
 * A flat whose air conditioner on the landing is known by its full name: "the air con" said
 * anywhere.
 */
const FLAT = `
site: { id: flat, name: Hearth, area: Kitchen }
areas:
  - { name: Kitchen }
  - { name: Lounge }
  - { name: Guest Room }
  - { name: Study }
  - { name: Landing }
devices:
  - { id: light.lounge_lamp, name: Lamp, area: Lounge, state: "off" }
  - { id: light.guest_lamp, name: Lamp, area: Guest Room, state: "off" }
  - { id: light.study_ceiling, name: Study Ceiling, area: Study, state: "off" }
  - { id: light.desk_lamp, name: Desk Lamp, area: Study, state: "off" }
  - { id: light.kitchen, name: Kitchen Light, area: Kitchen, state: "on" }
  - { id: climate.landing_ac, name: Landing Air Conditioner, area: Landing, state: cool, attributes: { temperature: 23, current_temperature: 25 } }
`;

describeEnglishHome({ yaml: FLAT, title: "%s, in a flat with an air conditioner" }, ({ home }) => {
  it("reaches the landing's air conditioner as the AC or the air con", () => {
    for (const text of [
      "what is the ac set to",
      "what's the air con set to",
      "what is the temperature of the ac",
    ])
      expect(home.saidOnce(text, "Kitchen"), text).toMatchObject({
        name: "HassClimateGetTemperature",
        targets: ["climate.landing_ac"],
      });
    expect(home.saidOnce("put the air con on 21", "Kitchen")).toMatchObject({
      name: "HassClimateSetTemperature",
      slots: { temperature: 21 },
      targets: ["climate.landing_ac"],
    });
  });
});
