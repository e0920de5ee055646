import { describe, expect, it } from "vitest";
import { NoWakeWord } from "../../../src/audio/wake/no-wake-word.js";
import { OpenWakeWordDetector } from "../../../src/audio/wake/openwakeword-detector.js";
import { resolveWakeModel } from "../../../src/audio/wake/openwakeword-models.js";
import { PushToTalkWake } from "../../../src/audio/wake/push-to-talk-wake.js";
import type { WakeWordDetector } from "../../../src/audio/wake/wake-word-detector.js";
import { silentLogger } from "../../../src/core/logger.js";
import { inChunks, silence } from "./synth.js";

/** Every wake-word engine must pass this suite (STYLE.md: one contract suite per engine interface). */
const engines: Array<[string, () => WakeWordDetector]> = [
  [
    "openwakeword",
    () =>
      new OpenWakeWordDetector({
        words: [
          {
            name: "hey_jarvis",
            modelPath: resolveWakeModel("hey_jarvis", "/"),
            threshold: 0.5,
            refractoryMs: 2000,
          },
        ],
        logger: silentLogger(),
      }),
  ],
  ["push-to-talk", () => new PushToTalkWake()],
  ["none", () => new NoWakeWord()],
];

describe.each(engines)("WakeWordDetector contract: %s", (_name, create) => {
  it("starts and stops idempotently, and works again once restarted (a reload, an unmute)", async () => {
    const detector = create();
    await detector.start();
    await detector.start();
    expect(await detector.process(silence(1))).toEqual([]);
    await detector.stop();
    await detector.stop();
    await detector.start();
    try {
      detector.reset();
      expect(await inChunks(silence(3), 1280, (part) => detector.process(part))).toEqual([]);
    } finally {
      await detector.stop();
    }
  });

  it("hears nothing in silence, whatever the chunk size", async () => {
    const detector = create();
    await detector.start();
    try {
      for (const chunk of [160, 1280, 5000]) {
        detector.reset();
        expect(await inChunks(silence(4), chunk, (part) => detector.process(part))).toEqual([]);
      }
    } finally {
      await detector.stop();
    }
  });

  it("says which kind of trigger it is and names the words it reports", () => {
    const detector = create();
    expect(["keyword", "push-to-talk", "none"]).toContain(detector.kind);
    if (detector.kind === "none") expect(detector.words).toEqual([]);
    else expect(detector.words.length).toBeGreaterThan(0);
  });
});
