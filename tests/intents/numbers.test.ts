import { describe, expect, it } from "vitest";
import { normalizeNumbers } from "../../src/intents/numbers.js";

/** Splits a test sentence into tokens the way the matcher sees them (already lower-case words). */
const words = (text: string): string[] => (text === "" ? [] : text.split(" "));

describe("normalizeNumbers", () => {
  it.each([
    ["three", "3"],
    ["zero", "0"],
    ["ten", "10"],
    ["nineteen", "19"],
    ["twenty", "20"],
    ["twenty one", "21"],
    ["ninety nine", "99"],
    ["one hundred", "100"],
    ["one hundred and five", "105"],
    ["one hundred five", "105"],
    ["two hundred and thirty four", "234"],
    ["three hundred twelve", "312"],
    ["fifteen hundred", "1500"],
    ["twenty one hundred", "2100"],
    ["two thousand twenty", "2020"],
    ["two thousand and twenty", "2020"],
    ["one thousand and one", "1001"],
    ["two thousand five hundred", "2500"],
    ["five hundred thousand", "500000"],
    ["one million two hundred thousand and six", "1200006"],
    ["twenty one point five", "21.5"],
    ["zero point five", "0.5"],
    ["three point one four", "3.14"],
    ["one point zero five", "1.05"],
    ["seventy point twenty five", "70.25"],
  ])("reads %j as the single token %j", (text, expected) => {
    expect(normalizeNumbers(words(text))).toEqual([expected]);
  });

  it.each([
    ["set the light to fifty percent", "set the light to 50 percent"],
    ["turn on light two", "turn on light 2"],
    ["set the temperature to twenty one point five degrees", "set the temperature to 21.5 degrees"],
    ["a hundred", "100"],
    ["set it to a hundred percent", "set it to 100 percent"],
    ["a lamp", "a lamp"],
    ["a hundred and five", "105"],
    ["an hour and a half", "an hour and a half"],
    ["half an hour", "half an hour"],
    ["a quarter of an hour", "a quarter of an hour"],
    ["one and a half minutes", "1 and a half minutes"],
    ["twenty twenty one", "20 21"],
    ["one two three", "1 2 3"],
    ["nineteen eighty four", "19 84"],
    ["two thousand three thousand", "2000 3000"],
    ["one hundred and", "100 and"],
    ["one thousand and then", "1000 and then"],
    ["lights one and two", "lights 1 and 2"],
    ["twenty point", "20 point"],
    ["point five", "point 5"],
    ["oh five", "oh 5"],
    ["hundred thousand", "hundred thousand"],
    ["zero zero", "0 0"],
    ["zero hundred", "0 hundred"],
    ["one hundred hundred", "100 hundred"],
    ["the twenty first", "the twenty first"],
    ["the first light", "the first light"],
    ["one hundredth", "one hundredth"],
    ["wait one second", "wait 1 second"],
    ["timer for twenty seconds", "timer for 20 seconds"],
    ["someone is at the door", "someone is at the door"],
  ])("turns %j into %j", (text, expected) => {
    expect(normalizeNumbers(words(text)).join(" ")).toBe(expected);
  });

  it.each([["1.5"], ["21"], ["2020"], ["0"]])("passes the digit token %j through unchanged", (token) => {
    expect(normalizeNumbers(["set", token, "minutes"])).toEqual(["set", token, "minutes"]);
  });

  it("returns an empty list for no tokens", () => {
    expect(normalizeNumbers([])).toEqual([]);
  });

  it("leaves its input array untouched", () => {
    const input = ["twenty", "one"];
    normalizeNumbers(input);
    expect(input).toEqual(["twenty", "one"]);
  });
});
