import { describe, expect, test } from "vitest";
import {
  beginTranscription,
  beginWhenReady,
  type SpeechToText,
  type SttResult,
  type SttStream,
} from "../../../src/audio/stt/speech-to-text.js";

/** A stream that records what reaches it. */
function recordingStream(log: string[]): SttStream {
  const heard: number[] = [];
  return {
    write: (audio) => {
      heard.push(...audio);
      log.push(`write ${audio.length}`);
    },
    end: async () => {
      log.push("end");
      return { kind: "transcript", text: heard.join(","), words: [], ms: 0 };
    },
    cancel: () => log.push("cancel"),
  };
}

/** An engine with nothing to load: only what a test gives it does anything. */
function fakeEngine(parts: Pick<SpeechToText, "name" | "transcribe"> & Partial<SpeechToText>): SpeechToText {
  return { start: async () => {}, stop: async () => {}, setGrammar: async () => {}, ...parts };
}

const text = (result: SttResult): string | undefined =>
  result.kind === "transcript" ? result.text : undefined;

describe("beginTranscription", () => {
  test("gives an engine without its own stream the whole utterance, in order, at the end", async () => {
    const seen: Int16Array[] = [];
    const engine = fakeEngine({
      name: "whole",
      transcribe: async (audio) => {
        seen.push(audio);
        return { kind: "transcript", text: "ok", words: [], ms: 0 };
      },
    });
    const stream = beginTranscription(engine);
    stream.write(Int16Array.of(1, 2));
    stream.write(Int16Array.of(3));
    expect(seen).toEqual([]);
    await stream.end();
    expect(seen).toEqual([Int16Array.of(1, 2, 3)]);
  });

  test("uses the engine's own stream when it has one", async () => {
    const log: string[] = [];
    const engine = fakeEngine({
      name: "streaming",
      transcribe: async () => {
        throw new Error("not this");
      },
      begin: () => recordingStream(log),
    });
    const stream = beginTranscription(engine);
    stream.write(Int16Array.of(7));
    expect(text(await stream.end())).toBe("7");
    expect(log).toEqual(["write 1", "end"]);
  });
});

describe("beginWhenReady", () => {
  /** A stream waiting on a gate that `open()` lifts; `log` records what reaches the engine. */
  function gatedStream() {
    const log: string[] = [];
    let open = (): void => {};
    const ready = new Promise<void>((resolve) => {
      open = resolve;
    });
    const stream = beginWhenReady(ready, () => {
      log.push("begin");
      return recordingStream(log);
    });
    return { log, ready, open, stream };
  }

  test("keeps what is written until the engine may start, then hands it over first", async () => {
    const { log, ready, open, stream } = gatedStream();
    stream.write(Int16Array.of(1, 2));
    stream.write(Int16Array.of(3));
    await Promise.resolve();
    expect(log).toEqual([]);
    open();
    await ready;
    await Promise.resolve();
    stream.write(Int16Array.of(4));
    expect(text(await stream.end())).toBe("1,2,3,4");
    expect(log).toEqual(["begin", "write 2", "write 1", "write 1", "end"]);
  });

  test("cancelled before the engine could start, it never starts it", async () => {
    const { log, open, stream } = gatedStream();
    stream.write(Int16Array.of(1));
    stream.cancel();
    open();
    await expect(stream.end()).rejects.toThrow(/cancelled/);
    expect(log).toEqual([]);
  });
});
