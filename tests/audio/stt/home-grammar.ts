import { buildJsgf, type GrammarSpec } from "../../../src/audio/stt/jsgf.js";
import type { SpeechGrammar } from "../../../src/audio/stt/speech-to-text.js";

/*
 * A home's worth of commands as a speech grammar, standing in for what the sentence templates
 * compile to: device names with brand names missing from the CMU dictionary (ecobee, tradfri,
 * nanoleaf, roborock, shelly), areas, numbers, and several command shapes.
 */

export const DEVICES = [
  "kitchen light",
  "bedroom lamp",
  "living room fan",
  "hallway light",
  "garage door",
  "front door",
  "porch light",
  "ceiling fan",
  "desk lamp",
  "office light",
  "back door",
  "ecobee",
  "tradfri bulb",
  "nanoleaf panels",
  "shelly plug",
  "roborock",
  "coffee machine",
  "television",
];

export const AREAS = ["kitchen", "bedroom", "living room", "hallway", "office", "garage", "basement"];

const TENS = [
  "ten",
  "twenty",
  "thirty",
  "forty",
  "fifty",
  "sixty",
  "seventy",
  "eighty",
  "ninety",
  "one hundred",
];
const DEGREES = ["sixty", "sixty five", "seventy", "seventy two", "seventy five", "eighty"];

/** The grammar spec, with `devices` (default {@link DEVICES}) as the device names. */
export function homeGrammarSpec(devices: readonly string[] = DEVICES): GrammarSpec {
  return {
    rules: {
      device: { alt: devices },
      area: { alt: AREAS },
      percent: { alt: TENS },
      degrees: { alt: DEGREES },
      onoff: { alt: ["on", "off"] },
    },
    root: {
      alt: [
        {
          seq: [
            { alt: ["turn", "switch"] },
            { ref: "onoff" },
            { opt: "the" },
            { ref: "device" },
            { opt: { seq: ["in the", { ref: "area" }] } },
          ],
        },
        {
          seq: [
            { alt: ["turn", "switch"] },
            { ref: "onoff" },
            { opt: "all" },
            "the lights",
            { opt: { seq: ["in the", { ref: "area" }] } },
          ],
        },
        { seq: [{ alt: ["turn", "switch"] }, { opt: "the" }, { ref: "device" }, { ref: "onoff" }] },
        {
          seq: [
            "set",
            { opt: "the" },
            { ref: "device" },
            { opt: "brightness" },
            "to",
            { ref: "percent" },
            "percent",
          ],
        },
        { seq: ["set the temperature to", { ref: "degrees" }, { opt: "degrees" }] },
        { seq: [{ alt: ["open", "close"] }, { opt: "the" }, { ref: "device" }] },
        { seq: [{ alt: ["lock", "unlock"] }, { opt: "the" }, { ref: "device" }] },
        { seq: ["what is the temperature", { opt: { seq: ["in the", { ref: "area" }] } }] },
        { seq: ["start", { opt: "the" }, { ref: "device" }] },
        "what time is it",
      ],
    },
  };
}

/** The home grammar, as data (pocketsphinx compiles it to an FSG). */
export function homeGrammar(devices?: readonly string[]): SpeechGrammar {
  return { spec: homeGrammarSpec(devices) };
}

/** The home grammar as JSGF text (pocketsphinx's own JSGF compiler). */
export function homeGrammarJsgf(devices?: readonly string[]): SpeechGrammar {
  return buildJsgf(homeGrammarSpec(devices));
}

/** Commands of the grammar, as said (and as the transcript must read). */
export const COMMANDS = [
  "turn on the kitchen light",
  "turn off the bedroom lamp",
  "switch on the living room fan",
  "turn off all the lights in the office",
  "set the office light to fifty percent",
  "open the garage door",
  "lock the front door",
  "what is the temperature in the bedroom",
  "set the temperature to seventy two degrees",
  "turn on the ecobee",
  "switch off the tradfri bulb",
  "turn on the nanoleaf panels",
  "start the roborock",
  "turn the porch light on",
  "close the back door",
  "turn on the shelly plug",
  "what time is it",
  "set the desk lamp brightness to thirty percent",
  "turn off the coffee machine",
  "switch on the ceiling fan in the living room",
];

/** Speech that is not a command: chatter, questions, and near misses built from the grammar's own words. */
export const NOT_COMMANDS = [
  "I think we should go to the park tomorrow afternoon",
  "can you pass me the salt please",
  "my sister is coming to visit next week",
  "the weather was lovely yesterday",
  "where did I put my keys",
  "that movie was really long and boring",
  "let us order pizza for dinner tonight",
  "have you seen the cat anywhere",
  "I need to call the doctor about my appointment",
  "what is the weather going to be like",
  "open the window a little bit",
  "turn the music up please",
  "set an alarm for seven in the morning",
  "the kitchen is a mess again",
  "did you remember to buy milk",
  "how was your day at work",
  "please read me the news",
  "we are out of coffee",
  "call mom on the phone",
  "the bedroom needs a new lamp",
];
