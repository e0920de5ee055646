import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import {
  adaptationOptions,
  BUILTIN_DENOISED_MLLR,
  BUILTIN_MLLR,
  checkAdaptation,
  resolveAdaptation,
} from "../../../src/audio/stt/acoustic-adaptation.js";
import { DEBIAN_MODEL_DIR } from "../../../src/audio/stt/pocketsphinx-stt.js";
import { HearthError } from "../../../src/core/errors.js";

const MODEL = join(DEBIAN_MODEL_DIR, "en-us");
const work = mkdtempSync(join(tmpdir(), "hearth-adaptation-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * A folder of adapted parameters in the model's own shape (the stock model's means and variances),
 * with `edit` applied to one of the files.
 */
function adaptedFolder(
  name: string,
  edit?: { file: "means" | "variances"; bytes: (b: Buffer) => Buffer },
): string {
  const dir = join(work, name);
  mkdirSync(dir);
  for (const file of ["means", "variances"] as const) {
    const bytes = readFileSync(join(MODEL, file));
    writeFileSync(join(dir, file), edit?.file === file ? edit.bytes(bytes) : bytes);
  }
  return dir;
}

async function problem(setting: string): Promise<string> {
  const error = await resolveAdaptation(setting, work)
    .then((adaptation) => checkAdaptation(adaptation, MODEL))
    .then(
      () => undefined,
      (err: unknown) => err,
    );
  expect(error).toBeInstanceOf(HearthError);
  expect((error as HearthError).code).toBe("MODEL_INVALID");
  return (error as HearthError).message;
}

describe("stt.pocketsphinx.adaptation selects the acoustic model", () => {
  test("none is the stock model, with no option added", async () => {
    const adaptation = await resolveAdaptation("none", work);
    expect(adaptation).toEqual({ kind: "none" });
    expect(adaptationOptions(adaptation)).toEqual({});
  });

  test("builtin is the shipped MLLR transform", async () => {
    const adaptation = await resolveAdaptation("builtin", work);
    expect(adaptationOptions(adaptation)).toEqual({ "-mllr": BUILTIN_MLLR });
    await checkAdaptation(adaptation, MODEL);
  });

  test("builtin-denoised is the shipped MLLR transform estimated on denoised audio, another file than builtin's", async () => {
    const adaptation = await resolveAdaptation("builtin-denoised", work);
    expect(adaptationOptions(adaptation)).toEqual({ "-mllr": BUILTIN_DENOISED_MLLR });
    expect(BUILTIN_DENOISED_MLLR).not.toBe(BUILTIN_MLLR);
    await checkAdaptation(adaptation, MODEL);
  });

  test("a path to a folder is adapted means and variances in place of the model's own, a path to a file an MLLR transform, relative to the config", async () => {
    adaptedFolder("mine");
    copyFileSync(BUILTIN_MLLR, join(work, "mine.mllr"));
    const folder = await resolveAdaptation("mine", work);
    expect(adaptationOptions(folder)).toEqual({
      "-mean": join(work, "mine", "means"),
      "-var": join(work, "mine", "variances"),
    });
    await checkAdaptation(folder, MODEL);
    const transform = await resolveAdaptation("./mine.mllr", work);
    expect(adaptationOptions(transform)).toEqual({ "-mllr": join(work, "mine.mllr") });
    await checkAdaptation(transform, MODEL);
  });
});

describe("a broken adaptation is one clear MODEL_INVALID error naming the file, before pocketsphinx reads it", () => {
  test("a path that does not exist", async () => {
    expect(await problem("nowhere.mllr")).toBe(
      `stt.pocketsphinx.adaptation: ${join(work, "nowhere.mllr")} cannot be read`,
    );
  });

  test("a folder without its variances", async () => {
    const dir = adaptedFolder("no-variances");
    rmSync(join(dir, "variances"));
    expect(await problem("no-variances")).toContain(
      `${join(dir, "variances")} (adapted variances) cannot be read`,
    );
  });

  test("truncated means (pocketsphinx would end the whole process on them)", async () => {
    adaptedFolder("truncated", { file: "means", bytes: (b) => b.subarray(0, b.length - 1000) });
    expect(await problem("truncated")).toMatch(
      /means \(adapted means\) is not a Sphinx-3 Gaussian file: truncated/,
    );
  });

  test("a text file in place of the means", async () => {
    adaptedFolder("text", { file: "means", bytes: () => Buffer.from("not a model\n") });
    expect(await problem("text")).toContain("is not a Sphinx-3 Gaussian file: no s3 header");
  });

  test("a negative variance", async () => {
    adaptedFolder("zero-variance", {
      file: "variances",
      bytes: (b) => {
        const copy = Buffer.from(b);
        const start = copy.indexOf("endhdr\n", 0, "latin1") + 7 + 4 * 8;
        // (pocketsphinx floors small variances, and the stock model has unused ones of 0)
        copy.writeFloatLE(-1, start + 4 * 100);
        return copy;
      },
    });
    expect(await problem("zero-variance")).toContain("holds a negative variance");
  });

  test("an MLLR transform that is not numbers, or is made for other feature streams", async () => {
    writeFileSync(join(work, "garbage.mllr"), "hello world\n");
    expect(await problem("garbage.mllr")).toContain(
      "is not an MLLR transform: it holds something that is not a number",
    );
    const numbers = readFileSync(BUILTIN_MLLR, "utf8").trim().split(/\s+/);
    writeFileSync(
      join(work, "two-streams.mllr"),
      ["1", "2", ...numbers.slice(2, 2 + 2 * (1 + 13 * 13 + 26))].join(" "),
    );
    expect(await problem("two-streams.mllr")).toContain("2 feature streams, the acoustic model has 3");
    writeFileSync(join(work, "short.mllr"), numbers.slice(0, -5).join(" "));
    expect(await problem("short.mllr")).toContain("numbers where its counts make");
  });
});
