/**
 * The mix of commands `npm run soak` sends: device commands (one device at a time, so each device
 * command seen on MQTT belongs to exactly one request), questions, timers and nonsense, chosen by a
 * seeded random generator so a run can be repeated.
 */
import { SOAK_DEVICES } from "./devices.mjs";

/** A small, fast, seedable generator (mulberry32): the same seed gives the same soak. */
export { seededRandom } from "../lib/seeded-random.mjs";

const QUESTIONS = [
  "what time is it",
  "what is the date today",
  "what day is it",
  "is the living room bulb on",
  "is the coffee plug on",
  "is the office lamp off",
  "is the bedroom blind open",
  "is the desk fan on",
];

const NONSENSE_WORDS = [
  "banana",
  "purple",
  "whistle",
  "seventeen",
  "moon",
  "quietly",
  "teapot",
  "giraffe",
  "the",
  "of",
  "yesterday",
  "carburettor",
  "sing",
  "ocean",
  "blue",
];

/** Text that is not a sentence at all, or not even valid input: the daemon must answer each with an error or a not-recognised run. */
const MALFORMED = [
  () => ({ text: "" }),
  () => ({ text: "   " }),
  () => ({ text: 42 }),
  () => ({ text: null }),
  () => ({ text: ["turn on", "the lights"] }),
  () => ({ text: "turn on\u0007 the bell" }),
  () => ({ text: "🙂🙃 ✨ 電気をつけて ‮txet‬" }),
  () => ({ text: "x".repeat(3000) }),
  () => ({ text: "what time is it", area: 17 }),
];

/** A command for one device (its own random sentence). */
export function deviceCommand(random, device) {
  const pick = (items) => items[Math.floor(random() * items.length)];
  const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
  return { kind: "device", device, body: { text: device.sentence(pick, int) } };
}

/**
 * Builds the next command. `freeDevices` are the devices with no command of the soak in flight;
 * when none is free a device command is not chosen.
 *
 * @param {() => number} random
 * @param {import("./devices.mjs").SoakDevice[]} freeDevices
 * @returns {{ kind: "device" | "question" | "timer" | "nonsense" | "malformed", device?: import("./devices.mjs").SoakDevice, body: Record<string, unknown> }}
 */
export function nextCommand(random, freeDevices) {
  const pick = (items) => items[Math.floor(random() * items.length)];
  const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
  const roll = random();
  if (roll < 0.5 && freeDevices.length > 0) return deviceCommand(random, pick(freeDevices));
  if (roll < 0.65) return { kind: "question", body: { text: pick(QUESTIONS) } };
  if (roll < 0.78) {
    // Short timers: they ring and go away during the soak, as a day's timers would.
    const text = pick([
      () => `set a timer for ${int(3, 40)} seconds`,
      () => `start a ${int(5, 30)} second timer`,
      () => "how much time is left on the timer",
      () => "cancel the timer",
      () => "cancel all timers",
      () => "pause the timer",
    ])();
    return { kind: "timer", body: { text } };
  }
  if (roll < 0.95) {
    const words = Array.from({ length: int(1, 8) }, () => pick(NONSENSE_WORDS));
    return { kind: "nonsense", body: { text: words.join(" ") } };
  }
  return { kind: "malformed", body: pick(MALFORMED)() };
}

export { SOAK_DEVICES };
