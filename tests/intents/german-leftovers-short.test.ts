import { describe, expect, test } from "vitest";
import { describeResult, germanHome } from "../helpers/german-home.js";

/**
 * German leftovers said short (issue 12): a level for what the first command of a sentence switched
 * on, said with a pronoun, a heating turned shut and a robot vacuum told through the speaker, in a top-floor flat of our own
 * (tests/intents/fixtures/home-de-dachwohnung.yaml) with Hearth's own German beside Home Assistant's
 * German pack (../shared/ha-intents, CC BY 4.0); the speaker in the Arbeitszimmer unless a sentence
 * gives another area.
 */

const { understand, describeSentences } = germanHome("home-de-dachwohnung.yaml");

describe("a pronoun in the second command is the first command's device", () => {
  test.each<{ text: string; target: string; slots: Record<string, number> }>([
    {
      text: "schalte die Schreibtischlampe an und stell sie auf 30 Prozent",
      target: "light.schreibtischlampe",
      slots: { brightness: 30 },
    },
    {
      text: "mach das Küchenlicht an und dimm es dann auf 40 Prozent",
      target: "light.kuechenlicht",
      slots: { brightness: 40 },
    },
    {
      text: "schalt die Heizung im Schlafzimmer ein und stell sie auf 22 Grad",
      target: "climate.schlafzimmer_heizung",
      slots: { temperature: 22 },
    },
  ])("“$text”", ({ text, target, slots }) => {
    const { u } = understand(text);
    expect(u.kind, describeResult(u)).toBe("recognized");
    if (u.kind !== "recognized") return;
    expect(u.intents.map((i) => i.targets)).toEqual([[target], [target]]);
    expect(u.intents[0]?.name).toBe("HassTurnOn");
    expect(u.intents[1]?.slots).toMatchObject(slots);
  });
});

describeSentences("a heating turned shut is switched off", [
  { text: "dreh die Heizung zu", intent: "HassTurnOff", targets: ["climate.arbeitszimmer_heizung"] },
  {
    text: "drehe die Heizung im Schlafzimmer zu",
    intent: "HassTurnOff",
    targets: ["climate.schlafzimmer_heizung"],
  },
  {
    text: "Heizung zudrehen",
    area: "Schlafzimmer",
    intent: "HassTurnOff",
    targets: ["climate.schlafzimmer_heizung"],
  },
]);

describeSentences("a robot vacuum told through the speaker", [
  {
    text: "sag Flitzi, er soll die Küche saugen",
    intent: "HassVacuumStart",
    targets: ["vacuum.flitzi"],
    slots: { area: "Küche" },
  },
  {
    text: "sag dem Staubsauger, dass er im Schlafzimmer saugen soll",
    intent: "HassVacuumStart",
    targets: ["vacuum.flitzi"],
    slots: { area: "Schlafzimmer" },
  },
  {
    text: "sag Flitzi, sie soll nach Hause fahren",
    intent: "HassVacuumReturnToBase",
    targets: ["vacuum.flitzi"],
  },
]);
