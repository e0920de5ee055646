import { describe, expect, test } from "vitest";
import { describeResult, germanHome } from "../helpers/german-home.js";

/**
 * A device the home does not have, named in German: Hearth says which name it does not know, in
 * the words said for it and no others. The home is tests/intents/fixtures/home-de.yaml (no
 * Gartenlampe, no Kellerlampe), the speaker in the Wohnküche.
 */

const { understand } = germanHome();

describe("a name no device has", () => {
  test("“schalte die Gartenlampe an” is reported as “gartenlampe”, without its article", () => {
    const { u } = understand("schalte die Gartenlampe an");
    expect(u.kind === "not-recognized" ? [u.reason, u.subject] : [], describeResult(u)).toEqual([
      "unknown_name",
      "gartenlampe",
    ]);
  });

  test.each([
    "schalte die Gartenlampe an und mach das Herdlicht aus",
    "mach die Gartenlampe an und dann das Herdlicht aus",
    "schalte die Gartenlampe und das Herdlicht an",
    "schalte die Kellerlampe an und mach den Toaster aus",
    "mach die Kellerlampe aus dann den Toaster an",
  ])("“%s” names no device across “und” or “dann”", (text) => {
    const { u, reply } = understand(text);
    const subject = u.kind === "not-recognized" ? (u.subject ?? "") : "";
    expect(subject.split(" "), `${describeResult(u)}: ${reply}`).not.toContain("und");
    expect(subject.split(" "), `${describeResult(u)}: ${reply}`).not.toContain("dann");
  });
});
