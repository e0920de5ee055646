import { describe, expect, it } from "vitest";
import { type DurationMatch, parseDuration } from "../../src/intents/duration.js";

const words = (text: string): string[] => text.split(" ");

/** The longest duration at the start of `text`, without its end index. */
function longest(text: string): Omit<DurationMatch, "end"> & { words: number } {
  const tokens = words(text);
  const [first] = parseDuration(tokens, 0);
  if (!first) throw new Error(`no duration in ${JSON.stringify(text)}`);
  const { end, ...parts } = first;
  return { ...parts, words: end };
}

describe("parseDuration", () => {
  it.each<[string, Omit<DurationMatch, "end">]>([
    ["5 minutes", { minutes: 5 }],
    ["1 minute", { minutes: 1 }],
    ["an hour", { hours: 1 }],
    ["a minute", { minutes: 1 }],
    ["a second", { seconds: 1 }],
    ["90 seconds", { seconds: 90 }],
    ["2 hours and 30 minutes", { hours: 2, minutes: 30 }],
    ["2 hours 30 minutes", { hours: 2, minutes: 30 }],
    ["1 hour 2 minutes and 3 seconds", { hours: 1, minutes: 2, seconds: 3 }],
    ["1 minute and 30 seconds", { minutes: 1, seconds: 30 }],
    ["an hour and 15 minutes", { hours: 1, minutes: 15 }],
    ["an hour and a half", { hours: 1, minutes: 30 }],
    ["a minute and a half", { minutes: 1, seconds: 30 }],
    ["2 hours and a quarter", { hours: 2, minutes: 15 }],
    ["1 and a half hours", { hours: 1, minutes: 30 }],
    ["1 and a half minutes", { minutes: 1, seconds: 30 }],
    ["2 and a quarter hours", { hours: 2, minutes: 15 }],
    ["half an hour", { minutes: 30 }],
    ["half a minute", { seconds: 30 }],
    ["half a second", { seconds: 0.5 }],
    ["a half hour", { minutes: 30 }],
    ["half hour", { minutes: 30 }],
    ["quarter of an hour", { minutes: 15 }],
    ["a quarter of an hour", { minutes: 15 }],
    ["a quarter hour", { minutes: 15 }],
    ["3 quarters of an hour", { minutes: 45 }],
    ["1.5 hours", { hours: 1, minutes: 30 }],
    ["0.5 hours", { minutes: 30 }],
    ["1.1 hours", { hours: 1, minutes: 6 }],
    ["1.25 minutes", { minutes: 1, seconds: 15 }],
    ["2.5 minutes", { minutes: 2, seconds: 30 }],
    ["2.5 seconds", { seconds: 2.5 }],
    ["10 min", { minutes: 10 }],
    ["10 mins", { minutes: 10 }],
    ["30 secs", { seconds: 30 }],
    ["30 sec", { seconds: 30 }],
    ["1 hr", { hours: 1 }],
    ["2 hrs", { hours: 2 }],
    ["0 minutes", { minutes: 0 }],
    ["120 minutes", { minutes: 120 }],
  ])("reads %j as %j", (text, expected) => {
    expect(longest(text)).toEqual({ ...expected, words: words(text).length });
  });

  it.each<[string, number, Array<Omit<DurationMatch, "end"> & { end: number }>]>([
    [
      "an hour and a half",
      0,
      [
        { end: 5, hours: 1, minutes: 30 },
        { end: 2, hours: 1 },
      ],
    ],
    [
      "2 hours and 30 minutes",
      0,
      [
        { end: 5, hours: 2, minutes: 30 },
        { end: 2, hours: 2 },
      ],
    ],
    [
      "1 hour 2 minutes 3 seconds",
      0,
      [
        { end: 6, hours: 1, minutes: 2, seconds: 3 },
        { end: 4, hours: 1, minutes: 2 },
        { end: 2, hours: 1 },
      ],
    ],
    ["set a timer for 5 minutes please", 4, [{ end: 6, minutes: 5 }]],
    ["timer for half an hour called pizza", 2, [{ end: 5, minutes: 30 }]],
    ["5 minutes and then turn on the light", 0, [{ end: 2, minutes: 5 }]],
  ])("lists every reading of %j at %i, longest first", (text, start, expected) => {
    expect(parseDuration(words(text), start)).toEqual(expected);
  });

  it.each([
    ["5"],
    ["minutes"],
    ["a"],
    ["half"],
    ["a half"],
    ["quarter of"],
    ["five minutes"],
    ["1 and a half"],
    ["an and a half hours"],
    ["the kitchen light"],
    ["5 degrees"],
    ["1.5.2 hours"],
    [""],
  ])("finds no duration at the start of %j", (text) => {
    expect(parseDuration(words(text), 0)).toEqual([]);
  });

  it("finds nothing past the end of the tokens", () => {
    expect(parseDuration(["5", "minutes"], 2)).toEqual([]);
  });

  it('does not join units said largest-last ("30 minutes 2 hours" is two durations)', () => {
    expect(parseDuration(words("30 minutes 2 hours"), 0)).toEqual([{ end: 2, minutes: 30 }]);
  });

  it('does not repeat a unit ("5 minutes 10 minutes")', () => {
    expect(parseDuration(words("5 minutes 10 minutes"), 0)).toEqual([{ end: 2, minutes: 5 }]);
  });

  it("adds a spilled fraction to a unit said after it", () => {
    expect(longest("an hour and a half and 5 minutes")).toEqual({ hours: 1, minutes: 35, words: 8 });
  });
});
