import { describe, expect, test } from "vitest";
import {
  CMU_PHONES,
  espeakToCmu,
  fliteToCmu,
  Pronouncer,
  spellingPronunciation,
} from "../../../src/audio/stt/pronunciations.js";

const PHONES = new Set<string>(CMU_PHONES);

describe("pronunciations for words outside the dictionary", () => {
  test("espeak-ng phonemes map onto CMU phones", () => {
    expect(espeakToCmu("'EkoUb,i:")).toBe("EH K OW B IY");
    expect(espeakToCmu("hj'u:")).toBe("HH Y UW");
    expect(espeakToCmu("tS'3:tS")).toBe("CH ER CH");
    expect(espeakToCmu("b'V?n-")).toBe("B AH T AH N");
    expect(espeakToCmu("r'oUbo@r,0k")).toBe("R OW B AO R AA K");
  });

  test("the real espeak-ng gives every brand name a pronunciation made only of CMU phones", async () => {
    const words = ["ecobee", "tradfri", "nanoleaf", "roborock", "xiaomi", "zigbee", "sonos", "shelly"];
    const result = await new Pronouncer().pronounce(words);
    expect([...result.keys()]).toEqual(words);
    for (const variants of result.values()) {
      expect(variants.length).toBeGreaterThan(0);
      for (const phones of variants)
        for (const phone of phones.split(" ")) expect(PHONES.has(phone)).toBe(true);
    }
    // espeak-ng's reading first, flite's (trained on the CMU dictionary) as the alternative.
    expect(result.get("ecobee")).toEqual(["EH K OW B IY", "IY K OW B IY"]);
  });

  test("with only one of the programs installed, its reading is used", async () => {
    const onlyFlite = await new Pronouncer({ espeak: "hearth-no-espeak" }).pronounce(["ecobee"]);
    expect(onlyFlite.get("ecobee")).toEqual(["IY K OW B IY"]);
    const onlyEspeak = await new Pronouncer({ flite: null }).pronounce(["ecobee"]);
    expect(onlyEspeak.get("ecobee")).toEqual(["EH K OW B IY"]);
  });

  test("without either program a spelling-based guess still gives a usable pronunciation", async () => {
    const result = await new Pronouncer({ espeak: "hearth-no-espeak", flite: "hearth-no-flite" }).pronounce([
      "tradfri",
    ]);
    expect(result.get("tradfri")).toEqual([spellingPronunciation("tradfri")]);
    for (const phone of (result.get("tradfri")?.[0] ?? "").split(" ")) expect(PHONES.has(phone)).toBe(true);
  });

  test("flite's phone names map onto CMU phones", () => {
    expect(fliteToCmu("pau n ax n ax l iy f pau")).toBe("N AH N AH L IY F");
    expect(fliteToCmu("b axr")).toBe("B ER");
  });

  test("spelling-based guesses use digraphs", () => {
    expect(spellingPronunciation("sheep")).toBe("SH IY P");
  });
});
