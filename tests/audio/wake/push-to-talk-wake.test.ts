import { describe, expect, it } from "vitest";
import { PushToTalkWake } from "../../../src/audio/wake/push-to-talk-wake.js";
import { silence } from "./synth.js";

describe("PushToTalkWake", () => {
  it("reports a press with the next chunk of audio, timed at that chunk's start", async () => {
    const wake = new PushToTalkWake();
    await wake.start();
    expect(await wake.process(silence(1))).toEqual([]);
    wake.trigger();
    wake.trigger();
    expect(await wake.process(silence(0.1))).toEqual([{ word: "push-to-talk", seconds: 1, score: 1 }]);
    expect(await wake.process(silence(0.1))).toEqual([]);
  });

  it("forgets a press and the clock on reset", async () => {
    const wake = new PushToTalkWake();
    await wake.process(silence(2));
    wake.trigger();
    wake.reset();
    expect(await wake.process(silence(0.1))).toEqual([]);
    wake.trigger();
    expect(await wake.process(silence(0.1))).toEqual([{ word: "push-to-talk", seconds: 0.1, score: 1 }]);
  });
});
