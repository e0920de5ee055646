import { describe, expect, it } from "vitest";
import { systemClock } from "../../src/core/clock.js";
import { findCatalogEntry, MODEL_CATALOG } from "../../src/llm/catalog.js";
import { hfUriToUrl, resolveModelSource } from "../../src/llm/model-source.js";
import { formatBytes, formatDuration, TransferMeter } from "../../src/llm/transfer-meter.js";

describe("the model catalog", () => {
  it("has unique ids and file names", () => {
    expect(new Set(MODEL_CATALOG.map((e) => e.id)).size).toBe(MODEL_CATALOG.length);
    expect(new Set(MODEL_CATALOG.map((e) => e.file)).size).toBe(MODEL_CATALOG.length);
  });

  it("offers the small LLMs and whisper models the issue names", () => {
    const ids = MODEL_CATALOG.map((e) => e.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        "qwen2.5-0.5b-instruct-q4_k_m",
        "qwen2.5-1.5b-instruct-q4_k_m",
        "llama-3.2-1b-instruct-q4_k_m",
        "qwen3-0.6b-q8_0",
        "whisper-tiny.en",
        "whisper-tiny.en-q5_1",
        "whisper-tiny.en-q8_0",
        "whisper-base.en",
        "whisper-base.en-q5_1",
        "whisper-base.en-q8_0",
      ]),
    );
  });

  it("points every entry at a Hugging Face resolve URL pinned to a commit, ending in its file name", () => {
    for (const entry of MODEL_CATALOG) {
      expect(entry.url).toMatch(/^https:\/\/huggingface\.co\/[^/]+\/[^/]+\/resolve\/[0-9a-f]{40}\//);
      expect(entry.url.endsWith(`/${entry.file}`)).toBe(true);
      expect(entry.kind === "llm").toBe(entry.file.endsWith(".gguf"));
    }
  });

  it("gives a checksum and size together, or neither (unverified)", () => {
    for (const entry of MODEL_CATALOG) {
      if (entry.sha256 === null) {
        expect(entry.sizeBytes).toBeNull();
      } else {
        expect(entry.sha256).toMatch(/^[0-9a-f]{64}$/);
        expect(Number.isSafeInteger(entry.sizeBytes)).toBe(true);
        expect(entry.sizeBytes).toBeGreaterThan(1_000_000);
      }
      expect(entry.ramBytes).toBeGreaterThan(entry.sizeBytes ?? 0);
      expect(entry.licence.length).toBeGreaterThan(0);
      expect(entry.source.length).toBeGreaterThan(0);
    }
  });

  it("finds an entry by id and nothing for an unknown id", () => {
    expect(findCatalogEntry("whisper-base.en")?.file).toBe("ggml-base.en.bin");
    expect(findCatalogEntry("gpt-5")).toBeUndefined();
  });
});

describe("resolving what to pull", () => {
  it("resolves a catalog id to its pinned URL and published checksum", () => {
    const resolved = resolveModelSource("qwen3-0.6b-q8_0");
    expect(resolved.ok && resolved.source).toMatchObject({
      file: "Qwen3-0.6B-Q8_0.gguf",
      checksumFrom: "catalog",
      sizeBytes: 639_446_688,
    });
  });

  it("rewrites a catalog URL onto a mirror", () => {
    const resolved = resolveModelSource("whisper-tiny.en", { mirror: "http://mirror.lan:8080/hf/" });
    expect(resolved.ok && resolved.source.url).toMatch(
      /^http:\/\/mirror\.lan:8080\/hf\/ggerganov\/whisper\.cpp\/resolve\/[0-9a-f]{40}\/ggml-tiny\.en\.bin$/,
    );
  });

  it("turns hf:owner/repo/path into a resolve URL on main, or on a given revision", () => {
    expect(hfUriToUrl("hf:Qwen/Qwen3-0.6B-GGUF/Qwen3-0.6B-Q8_0.gguf")).toBe(
      "https://huggingface.co/Qwen/Qwen3-0.6B-GGUF/resolve/main/Qwen3-0.6B-Q8_0.gguf",
    );
    expect(hfUriToUrl("hf:me/repo@v2/sub dir/model.gguf")).toBe(
      "https://huggingface.co/me/repo/resolve/v2/sub%20dir/model.gguf",
    );
    expect(hfUriToUrl("hf:me/repo")).toBeNull();
    expect(hfUriToUrl("hf:me//file.gguf")).toBeNull();
  });

  it("takes the file name from the URL, or from --name", () => {
    const fromUrl = resolveModelSource("https://example.org/models/tiny%20model.gguf?download=true");
    expect(fromUrl.ok && fromUrl.source.file).toBe("tiny model.gguf");
    const named = resolveModelSource("https://example.org/download?id=3", { fileName: "three.gguf" });
    expect(named.ok && named.source.file).toBe("three.gguf");
  });

  it("accepts a checksum for a URL and lower-cases it", () => {
    const resolved = resolveModelSource("https://example.org/m.gguf", { sha256: "AB".repeat(32) });
    expect(resolved.ok && resolved.source).toMatchObject({ sha256: "ab".repeat(32), checksumFrom: "user" });
  });

  it("explains what is wrong with input it cannot use", () => {
    const cases: Array<[string, object]> = [
      ["not-a-model", {}],
      ["https://example.org/", {}],
      ["https://example.org/m.gguf", { sha256: "xyz" }],
      ["https://example.org/m.gguf", { fileName: "../escape.gguf" }],
      ["https://example.org/m.gguf", { fileName: ".hearth-models.json" }],
      ["whisper-tiny.en", { sha256: "0".repeat(64) }],
      ["hf:only-owner", {}],
    ];
    for (const [spec, options] of cases) {
      const resolved = resolveModelSource(spec, options);
      expect(resolved.ok, spec).toBe(false);
      expect(!resolved.ok && resolved.reason.length).toBeGreaterThan(10);
    }
  });
});

describe("transfer figures", () => {
  it("measures speed and ETA from recent samples", () => {
    let now = 0;
    const meter = new TransferMeter({ ...systemClock, monotonic: () => now }, 10_000, 0);
    expect(meter.update(0)).toMatchObject({ bytesPerSecond: 0, etaSeconds: null });
    now = 1000;
    const after = meter.update(1000);
    expect(after.bytesPerSecond).toBe(1000);
    expect(after.etaSeconds).toBe(9);
  });

  it("forgets old samples so the ETA follows the current rate", () => {
    let now = 0;
    const meter = new TransferMeter({ ...systemClock, monotonic: () => now }, null, 0);
    meter.update(0);
    for (let second = 1; second <= 10; second++) {
      now = second * 1000;
      meter.update(second <= 5 ? second * 100 : 500 + (second - 5) * 1000);
    }
    expect(meter.update(5500).bytesPerSecond).toBeGreaterThan(900);
  });

  it("formats sizes and durations for people", () => {
    expect(formatBytes(999)).toBe("999 B");
    expect(formatBytes(491_400_032)).toBe("491.4 MB");
    expect(formatDuration(42)).toBe("42s");
    expect(formatDuration(65)).toBe("1m05s");
    expect(formatDuration(7380)).toBe("2h03m");
    expect(formatDuration(null)).toBe("--");
  });
});
