import { describe, expect, it } from "vitest";
import { canonical, tokenize } from "../../src/intents/normalize.js";

describe("tokenize", () => {
  it.each<[string, string, string[]]>([
    ["lower-cases every word", "Turn On The Kitchen LIGHT", ["turn", "on", "the", "kitchen", "light"]],
    ["drops punctuation", "Turn on the light, please!", ["turn", "on", "the", "light", "please"]],
    ["joins possessives", "Kid's Room", ["kids", "room"]],
    ["joins plural possessives", "the kids' room", ["the", "kids", "room"]],
    ["joins curly-quote possessives", "Kid’s Room", ["kids", "room"]],
    ["joins contractions", "what's the time", ["whats", "the", "time"]],
    ["turns number words into digits", "light two", ["light", "2"]],
    ["keeps digits as they are", "Light 2", ["light", "2"]],
    ["reads compound numbers", "set it to twenty one degrees", ["set", "it", "to", "21", "degrees"]],
    ["keeps decimal points between digits", "21.5 degrees", ["21.5", "degrees"]],
    ["reads a decimal comma as a point", "21,5 degrees", ["21.5", "degrees"]],
    ["ends a sentence at a full stop after a number", "set it to 20.", ["set", "it", "to", "20"]],
    ["spells out the percent sign", "50%", ["50", "percent"]],
    ["spells out degrees celsius", "21°C", ["21", "degrees"]],
    ["spells out degrees fahrenheit", "70 °F", ["70", "degrees"]],
    ["spells out a bare degree sign", "20°", ["20", "degrees"]],
    ["spells out the ampersand", "salt & pepper", ["salt", "and", "pepper"]],
    ["splits a number glued to its unit", "5min timer", ["5", "min", "timer"]],
    ["leaves ordinals whole", "the 3rd floor", ["the", "3rd", "floor"]],
    ["folds full-width characters", "ＴＶ", ["tv"]],
    ["collapses runs of spaces", "  turn   on  ", ["turn", "on"]],
    ["gives nothing for punctuation only", "?!...", []],
    ["gives nothing for an empty string", "", []],
  ])("%s: %j", (_what, text, expected) => {
    expect(tokenize(text)).toEqual(expected);
  });

  it.each<[string, string]>([
    ["Kid's Room", "kids room"],
    ["Light 2", "light two"],
    ["Living Room TV", "living room tv"],
    ["Hall-way", "hall way"],
  ])("gives %j and %j the same tokens", (a, b) => {
    expect(tokenize(a)).toEqual(tokenize(b));
  });
});

describe("canonical", () => {
  it.each<[string, string]>([
    ["Kid's Room Light", "kids room light"],
    ["Light Two", "light 2"],
    ["  The TV! ", "the tv"],
  ])("writes %j as %j", (text, expected) => {
    expect(canonical(text)).toBe(expected);
  });
});
