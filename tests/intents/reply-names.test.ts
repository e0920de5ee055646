import { describe, expect, it } from "vitest";
import { nameInReply, placeWordsOf, withArticle } from "../../src/intents/reply-names.js";

describe("nameInReply", () => {
  it("says a name that describes the thing with 'the', in lower case but for acronyms", () => {
    expect(nameInReply("Hall Light")).toBe("the hall light");
    expect(nameInReply("Toaster")).toBe("the toaster");
    expect(nameInReply("Thermostat")).toBe("the thermostat");
    expect(nameInReply("Heating")).toBe("the heating");
    expect(nameInReply("Den TV")).toBe("the den TV");
    // A word made with a kind word ("uplight", "nightlight") describes it too.
    expect(nameInReply("Nightlight")).toBe("the nightlight");
  });

  it("says a name of its own as written, without an article", () => {
    expect(nameInReply("Rocky", undefined, "vacuum")).toBe("Rocky");
    expect(nameInReply("Moppy", undefined, "vacuum")).toBe("Moppy");
    expect(nameInReply("Robo Rocky", undefined, "vacuum")).toBe("Robo Rocky");
    expect(nameInReply("Mowgli", undefined, "lawn_mower")).toBe("Mowgli");
    // Several words for a light describe it, whatever they are.
    expect(nameInReply("Cosy Corner", undefined, "light")).toBe("the cosy corner");
  });

  it("takes a word of the home's area and floor names as describing the thing", () => {
    const places = placeWordsOf(["Snug", "Mezzanine"]);
    expect(nameInReply("Snug", places, "light")).toBe("the snug");
    expect(nameInReply("Mezzanine", places, "fan")).toBe("the mezzanine");
    expect(nameInReply("Mezzanine", undefined, "fan")).toBe("Mezzanine");
  });

  it("keeps an owner's name first and as written", () => {
    expect(nameInReply("Gran's Reading Lamp")).toBe("Gran's reading lamp");
    expect(nameInReply("Bo's Fan")).toBe("Bo's fan");
  });
});

describe("withArticle", () => {
  it("keeps the name's capitals and adds 'the' only to a name that describes the thing", () => {
    expect(withArticle("Hall Light", "light")).toBe("the Hall Light");
    expect(withArticle("Hall Light", "light", true)).toBe("The Hall Light");
    expect(withArticle("Rocky", "vacuum", true)).toBe("Rocky");
  });
});
