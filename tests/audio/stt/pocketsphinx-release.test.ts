import { afterEach, describe, expect, it, vi } from "vitest";
import { createSpeechToText } from "../../../src/audio/stt/create-speech-to-text.js";
import { PocketsphinxDecoder } from "../../../src/audio/stt/pocketsphinx-decoder.js";
import type { SpeechToText } from "../../../src/audio/stt/speech-to-text.js";
import { sttSchema } from "../../../src/config/schema.js";
import { silentLogger } from "../../../src/core/logger.js";
import { ManualClock } from "../../helpers/manual-clock.js";

const JSGF = "#JSGF V1.0;\ngrammar t;\npublic <c> = turn (on | off) the light;\n";

/** Watches the real decoders being freed (the call goes through to pocketsphinx). */
const freed = vi.spyOn(PocketsphinxDecoder.prototype, "release");

let stt: SpeechToText | undefined;

afterEach(async () => {
  await stt?.stop();
  freed.mockClear();
});

async function engine(clock: ManualClock): Promise<SpeechToText> {
  const config = sttSchema.parse({ engine: "pocketsphinx" });
  const created = await createSpeechToText(config, { logger: silentLogger(), baseDir: process.cwd(), clock });
  await created.start();
  await created.setGrammar({ jsgf: JSGF });
  return created;
}

describe("pocketsphinx's decoders after stop()", () => {
  it("are freed 5 s later on the injected clock, not at once: an exiting daemon does not wait for the free", async () => {
    const clock = new ManualClock();
    stt = await engine(clock);
    await stt.stop();
    expect(freed).not.toHaveBeenCalled();
    clock.advance(4999);
    expect(freed).not.toHaveBeenCalled();
    clock.advance(1);
    // One decoder: the phone loop runs on the grammar decoder's frames (a decoder of its own only
    // with a library of another layout).
    expect(freed).toHaveBeenCalledTimes(1);
  });

  it("are freed at once by a start() in the meantime, and only once", async () => {
    const clock = new ManualClock();
    stt = await engine(clock);
    await stt.stop();
    await stt.start();
    expect(freed).toHaveBeenCalledTimes(1);
    clock.advance(5000);
    expect(freed).toHaveBeenCalledTimes(1);
    // The new decoders work.
    await stt.setGrammar({ jsgf: JSGF });
    expect(await stt.transcribe(new Int16Array(16_000))).toMatchObject({ kind: "rejected" });
  });
});
