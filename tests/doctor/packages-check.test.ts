import { describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/schema.js";
import { checkPackages, readSystemPackages, requiredPackages } from "../../src/doctor/packages-check.js";

// dpkg itself is installed on every Debian system; this name is on none.
const PRESENT = { name: "dpkg", for: "the package manager" };
const ABSENT = { name: "hearth-doctor-no-such-package", for: "nothing" };

describe("the packages this config needs", () => {
  it("come from the engines and devices the config uses", () => {
    const names = (input: object) => requiredPackages(configSchema.parse(input)).map((p) => p.name);
    expect(names({})).toEqual([
      "alsa-utils",
      "libpocketsphinx3",
      "pocketsphinx-en-us",
      "festival",
      "festvox-kallpc16k",
    ]);
    expect(names({ audio: { source: "file:a.wav", sink: "null" }, stt: { engine: "whisper" } })).toEqual([]);
    expect(
      names({
        audio: { source: "stdin", sink: "file:out.wav" },
        tts: { engine: "espeak" },
        stt: { engine: "whisper" },
      }),
    ).toEqual(["espeak-ng"]);
    expect(
      names({
        audio: { source: "stdin", sink: "file:o.wav" },
        tts: { engine: "festival", voice: "cmu_us_slt_arctic_hts" },
        stt: { engine: "whisper" },
      }),
    ).toEqual(["festival"]);
  });

  it("are all listed in scripts/system-packages.json", async () => {
    const known = new Set((await readSystemPackages()).map((p) => p.name));
    const all = requiredPackages(configSchema.parse({ tts: { engine: "flite" } })).concat(
      requiredPackages(configSchema.parse({ tts: { engine: "espeak" } })),
      requiredPackages(configSchema.parse({})),
    );
    for (const p of all) expect(known, p.name).toContain(p.name);
  });
});

describe("the Debian packages check", () => {
  it("passes when every needed and known package is installed", async () => {
    const result = await checkPackages([PRESENT], { known: [PRESENT] });
    expect(result).toMatchObject({ id: "packages", ok: true });
    expect(result.detail).toMatch(/1 needed by this config installed \(dpkg\)/);
  });

  it("fails on a needed package that is missing, with the apt command", async () => {
    const result = await checkPackages([PRESENT, ABSENT], { known: [] });
    expect(result.ok).toBe(false);
    expect(result.detail).toBe(`missing: ${ABSENT.name} (nothing)`);
    expect(result.fix).toBe(`sudo apt install ${ABSENT.name}`);
  });

  it("only warns about a missing optional package", async () => {
    const result = await checkPackages([PRESENT], { known: [PRESENT, ABSENT] });
    expect(result.ok).toBe("warn");
    expect(result.detail).toMatch(new RegExp(`optional, not installed: ${ABSENT.name}`));
    expect(result.fix).toMatch(new RegExp(`sudo apt install ${ABSENT.name}$`));
  });

  it("warns, listing what is needed, where there is no dpkg", async () => {
    const result = await checkPackages([ABSENT], { known: [], dpkgQuery: "/nonexistent/dpkg-query" });
    expect(result.ok).toBe("warn");
    expect(result.detail).toMatch(/not a Debian system/);
    expect(result.fix).toContain(ABSENT.name);
  });
});
