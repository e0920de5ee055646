import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Understanding } from "../../src/intents/types.js";
import { describeResult, germanHome } from "../helpers/german-home.js";
import { type ActingUnderstanding, ENGLISH_VARIANTS, openYamlHome } from "../helpers/understanding.js";

/**
 * Two commands in one sentence where each says its own on/off word: the second keeps its own and
 * never takes the first one's ("mach das Licht in der Küche an und im Badezimmer aus" switches the
 * bathroom light off). German on the family house of tests/intents/fixtures/home-de-talk.yaml (with
 * Home Assistant's German pack, ../shared/ha-intents, CC BY 4.0), English on a small home of its
 * own with Hearth's English alone and beside Home Assistant's English pack.
 */

interface Both {
  text: string;
  /** Each part's intent and the devices it acts on, in the order said. */
  parts: Array<[string, string[]]>;
}

function expectParts(u: Understanding, parts: Both["parts"]): void {
  expect(u.kind, describeResult(u)).toBe("recognized");
  if (u.kind !== "recognized") return;
  expect(
    u.intents.map((i) => [i.name, [...i.targets].sort()]),
    describeResult(u),
  ).toEqual(parts);
}

const { understand } = germanHome("home-de-talk.yaml");

describe("German: each part keeps its own particle", () => {
  test.each<Both>([
    {
      text: "mach das Licht in der Küche an und im Badezimmer aus",
      parts: [
        ["HassTurnOn", ["light.kuechenlicht"]],
        ["HassTurnOff", ["light.bad_decke"]],
      ],
    },
    {
      text: "schalte das Licht im Badezimmer ein und in der Küche aus",
      parts: [
        ["HassTurnOn", ["light.bad_decke"]],
        ["HassTurnOff", ["light.kuechenlicht"]],
      ],
    },
    {
      text: "mach die Rollläden bei Jonas hoch und im Wohnzimmer runter",
      parts: [
        ["HassTurnOn", ["cover.rollladen_jonas"]],
        ["HassTurnOff", ["cover.rollladen_fenster", "cover.rollladen_wohnzimmer"]],
      ],
    },
    {
      text: "mach bei Jonas das Licht aus und bei Frieda an",
      parts: [
        ["HassTurnOff", ["light.jonas"]],
        ["HassTurnOn", ["light.frieda"]],
      ],
    },
    // Still borrowed where the second part says no particle of its own.
    {
      text: "mach die Kaffeemaschine an und den Ventilator auch",
      parts: [
        ["HassTurnOn", ["switch.kaffeemaschine"]],
        ["HassTurnOn", ["fan.ventilator"]],
      ],
    },
  ])("“$text”", ({ text, parts }) => expectParts(understand(text).u, parts));
});

const HOME = `
areas:
  - { name: Kitchen }
  - { name: Bathroom }
  - { name: Hall }
  - { name: Bedroom }
devices:
  - { id: light.kitchen, name: Kitchen Light, area: Kitchen, state: "off" }
  - { id: light.bathroom, name: Bathroom Light, area: Bathroom, state: "on" }
  - { id: light.hall, name: Hall Light, area: Hall, state: "on" }
  - { id: cover.kitchen_blind, name: Kitchen Blind, area: Kitchen, device_class: blind, state: closed }
  - { id: cover.bedroom_blind, name: Bedroom Blind, area: Bedroom, device_class: blind, state: open }
`;

describe.each(ENGLISH_VARIANTS)("English, %s: each part keeps its own on/off word", (_, sentences) => {
  let home: ActingUnderstanding;
  beforeAll(async () => {
    home = await openYamlHome(HOME, await sentences());
  });
  afterAll(() => home?.close());

  test.each<Both>([
    {
      text: "turn the kitchen light on and the bathroom light off",
      parts: [
        ["HassTurnOn", ["light.kitchen"]],
        ["HassTurnOff", ["light.bathroom"]],
      ],
    },
    {
      text: "switch on the kitchen light and off the hall light",
      parts: [
        ["HassTurnOn", ["light.kitchen"]],
        ["HassTurnOff", ["light.hall"]],
      ],
    },
    // Borrowed where the second part says nothing of its own.
    {
      text: "turn off the kitchen light and the hall light",
      parts: [
        ["HassTurnOff", ["light.kitchen"]],
        ["HassTurnOff", ["light.hall"]],
      ],
    },
  ])("“$text”", ({ text, parts }) =>
    expectParts(home.understand(text, { area: "Hall" }).understanding, parts),
  );
});
