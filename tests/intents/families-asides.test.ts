import { expect, it } from "vitest";
import { intentsSchema } from "../../src/config/schema.js";
import { assistantNames, type CompiledSentences, loadSentences } from "../../src/intents/sentences.js";
import { describeEnglishHome } from "../helpers/english-homes.js";
import { checkoutStateDir } from "../helpers/understanding.js";

/**
 * What is said beside a command, with Hearth's own English alone and with Home Assistant's English
 * pack beside it (../shared/ha-intents, CC BY 4.0, Home Assistant's intents project): why it is
 * wanted, said after free text ("play some jazz, I want to relax"), and a name of someone else in
 * the room said before it ("Isla, set a timer …"), typed with a comma or transcribed without one.
 * A narrowboat of its own, through the real matcher and resolver.
 */
const HOME = `
site: { name: Wren }
floors: [{ name: Deck }]
areas:
  - { name: Saloon, floor: Deck }
  - { name: Galley, floor: Deck }
  - { name: Cabin, floor: Deck }
devices:
  - { id: media_player.saloon_speaker, name: Saloon Speaker, area: Saloon, state: playing, attributes: { volume_level: 0.5 } }
  - { id: light.saloon_lamp, name: Brass Lamp, area: Saloon, state: "on", attributes: { brightness: 180, supported_color_modes: [brightness] } }
  - { id: light.isla_reading, name: Isla's Reading Lamp, area: Cabin, state: "off", attributes: { supported_color_modes: [brightness] } }
  - { id: switch.galley_kettle, name: Kettle, area: Galley, state: "off" }
  - { id: fan.stove_fan, name: Stove Fan, area: Saloon, state: "off" }
  - { id: todo.shopping_list, name: Shopping List, state: "0" }
  - { id: person.ravi, name: Ravi, state: home }
`;

/** The sentences with `packs`, knowing the assistant is called Wren (the site's name). */
const wren = (packs: string[]) => () =>
  loadSentences(intentsSchema.parse({ packs }), {
    language: "en",
    configDir: process.cwd(),
    stateDir: checkoutStateDir(),
    assistantNames: assistantNames({ site: { name: "Wren" }, wake: { words: [] } }),
  });

/** Hearth's own English alone and with the pack, knowing the assistant is called Wren. */
const VARIANTS: ReadonlyArray<[string, () => Promise<CompiledSentences>]> = [
  ["Hearth's own English", wren([])],
  ["with Home Assistant's English pack", wren(["../shared/ha-intents"])],
];

describeEnglishHome({ yaml: HOME, area: "Saloon", variants: VARIANTS }, ({ home, say }) => {
  const none = (text: string) => home.expectNoCommand(text, "Saloon");

  it("searches for what was asked for, not for the reason said after it", () => {
    for (const [text, query] of [
      ["play some jazz, I want to relax", "jazz"],
      ["play some jazz i want to relax", "jazz"],
      ["put on some bossa nova so I can unwind", "bossa nova"],
      ["play the rain sounds because I need to sleep", "the rain sounds"],
    ] as const) {
      const i = say(text);
      expect([i.name, i.slots.search_query], text).toEqual(["HassMediaSearchAndPlay", query]);
    }
  });

  it("keeps who or what the music is for, which may name it", () => {
    const i = say("play songs for a rainy day");
    expect([i.name, i.slots.search_query]).toEqual(["HassMediaSearchAndPlay", "songs for a rainy day"]);
  });

  it("writes down the thing to buy without why it is wanted", () => {
    const i = say("remind me to buy firelighters because the stove went out");
    expect([i.name, i.slots.item]).toEqual(["HassShoppingListAddItem", "firelighters"]);
  });

  it("passes a message on with its reason, as it was said", () => {
    const i = say("announce we are mooring early because of the lock queue");
    expect([i.name, i.slots.message]).toEqual([
      "HassBroadcast",
      "we are mooring early because of the lock queue",
    ]);
  });

  it("takes a command said by name to someone else in the room for none", () => {
    for (const text of [
      // Someone Home Assistant tracks, and the owner of a thing named after her, in any case.
      "Ravi, set a timer for ten minutes",
      "Isla, set a timer for ten minutes",
      "isla, turn the music down",
      "ravi, switch the kettle on please",
      // A name the home does not know, written with a capital.
      "Esme, turn that music down",
      // Transcribed speech has no comma: a person the home knows, said first.
      "ravi set a timer for ten minutes",
      "isla set a timer for ten minutes",
    ])
      none(text);
  });

  it("still carries out a command after its own name, a word to hurry or a thing named after someone", () => {
    expect(say("Wren, set a timer for ten minutes").name).toBe("HassStartTimer");
    expect(say("set a timer for ten minutes").name).toBe("HassStartTimer");
    for (const [text, name, target] of [
      ["quick, turn the music down", "HassSetVolumeRelative", "media_player.saloon_speaker"],
      ["turn on Isla's reading lamp", "HassTurnOn", "light.isla_reading"],
      ["Wren, put the kettle on", "HassTurnOn", "switch.galley_kettle"],
    ] as const) {
      const i = say(text);
      expect([i.name, i.targets], text).toEqual([name, [target]]);
    }
  });
});
