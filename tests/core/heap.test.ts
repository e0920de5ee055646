import { afterEach, describe, expect, it } from "vitest";
import { releaseGarbage } from "../../src/core/heap.js";

const global = globalThis as { gc?: () => void };
const original = global.gc;

afterEach(() => {
  if (original === undefined) delete global.gc;
  else global.gc = original;
});

describe("releaseGarbage", () => {
  it("runs a full collection when node runs with --expose-gc", () => {
    let collections = 0;
    global.gc = () => {
      collections++;
    };
    expect(releaseGarbage()).toBe(true);
    expect(collections).toBe(1);
  });

  it("does nothing when the collector is not exposed (hearth run by hand)", () => {
    delete global.gc;
    expect(releaseGarbage()).toBe(false);
  });
});
