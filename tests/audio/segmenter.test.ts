import { describe, expect, it } from "vitest";
import {
  type SegmenterEvent,
  type SegmenterOptions,
  segmenterOptionsFromConfig,
  UtteranceSegmenter,
} from "../../src/audio/segmenter.js";
import { EnergyVad } from "../../src/audio/vad/energy-vad.js";
import { SileroVad } from "../../src/audio/vad/silero-vad.js";
import { vadSchema } from "../../src/config/schema.js";
import { concat, inChunks, RATE, silence, speak } from "./wake/synth.js";

/*
 * Parameter behaviour is checked with the energy VAD on tone bursts cut to whole 32 ms frames, so
 * every boundary is exact; one test runs the Silero VAD on synthesised speech.
 */

const FRAME = 512;
const FRAME_S = FRAME / RATE;

/** `frames` 32 ms frames of a loud 440 Hz tone (or of silence). */
function tone(frames: number): Int16Array {
  return Int16Array.from({ length: frames * FRAME }, (_, i) =>
    Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / RATE)),
  );
}
const quiet = (frames: number) => new Int16Array(frames * FRAME);

const base: SegmenterOptions = {
  threshold: 0.5,
  preRollMs: 96, // 3 frames
  minSpeechMs: 64,
  silenceMs: 320, // 10 frames
  maxSpeechMs: 10_000,
};

async function run(pcm: Int16Array, options: Partial<SegmenterOptions> = {}, chunk = 1600) {
  const segmenter = new UtteranceSegmenter(new EnergyVad({ thresholdDb: -50, marginDb: 10 }), {
    ...base,
    ...options,
  });
  const events = await inChunks(pcm, chunk, (part) => segmenter.push(part));
  return [...events, ...segmenter.finish()];
}

const utterances = (events: SegmenterEvent[]) =>
  events.flatMap((event) => (event.type === "utterance" ? [event.utterance] : []));

describe("UtteranceSegmenter", () => {
  it("with streamAudio hands the utterance over as it is heard: pre-roll and speech at the start, then each frame", async () => {
    const pcm = concat(quiet(20), tone(30), quiet(40));
    const events = await run(pcm, { streamAudio: true });
    const types = events.map((event) => event.type);
    expect(types[0]).toBe("speech-start");
    expect(types.at(-1)).toBe("utterance");
    expect(new Set(types.slice(1, -1))).toEqual(new Set(["speech-audio"]));
    const start = events[0];
    // Announced after minSpeechMs (2 frames) of speech: 3 frames of pre-roll and those 2.
    expect(start?.type === "speech-start" ? start.audio?.length : undefined).toBe((3 + 2) * FRAME);
    const streamed = concat(
      ...events.flatMap((event) =>
        event.type === "speech-start" || event.type === "speech-audio"
          ? [event.audio ?? new Int16Array()]
          : [],
      ),
    );
    // Everything up to the frame that ended it: 3 + 30 speech frames + 10 of silence.
    expect(streamed.length).toBe((3 + 30 + 10) * FRAME);
    expect(streamed).toEqual(pcm.subarray(17 * FRAME, (20 + 30 + 10) * FRAME));
    // The utterance itself is the same audio, with only pre-roll's worth of the silence after.
    const [utterance] = utterances(events);
    expect(utterance?.audio).toEqual(streamed.subarray(0, (3 + 30 + 3) * FRAME));
  });

  it("judges the first stream and hands an utterance over in the second when handOverOther says so", async () => {
    const judged = concat(quiet(20), tone(30), quiet(40));
    // The second stream: the same moments, another sound (here a quieter copy).
    const other = judged.map((sample) => Math.round(sample / 4));
    const heard = async (handOver: boolean) => {
      const onsets: number[] = [];
      const segmenter = new UtteranceSegmenter(new EnergyVad({ thresholdDb: -50, marginDb: 10 }), {
        ...base,
        streamAudio: true,
        handOverOther: ({ judged: first, other: second, preRollSamples }) => {
          // Both streams' onsets, the same samples: 3 frames of pre-roll and 2 of speech.
          expect(second.length).toBe(first.length);
          onsets.push(first.length, preRollSamples);
          return handOver;
        },
      });
      const events = [];
      for (let at = 0; at < judged.length; at += 1600)
        events.push(...(await segmenter.push(judged.subarray(at, at + 1600), other.subarray(at, at + 1600))));
      events.push(...segmenter.finish());
      const streamed = concat(
        ...events.flatMap((event) =>
          event.type === "speech-start" || event.type === "speech-audio"
            ? [event.audio ?? new Int16Array()]
            : [],
        ),
      );
      return { onsets, streamed, utterance: utterances(events)[0]?.audio };
    };
    const first = await heard(false);
    expect(first.onsets).toEqual([(3 + 2) * FRAME, 3 * FRAME]);
    expect(first.streamed).toEqual(judged.subarray(17 * FRAME, 60 * FRAME));
    expect(first.utterance).toEqual(judged.subarray(17 * FRAME, 53 * FRAME));
    // Handed over in the second stream: the same cut (the VAD judged the first), the other audio.
    const second = await heard(true);
    expect(second.streamed).toEqual(other.subarray(17 * FRAME, 60 * FRAME));
    expect(second.utterance).toEqual(other.subarray(17 * FRAME, 53 * FRAME));
  });

  it("hands an utterance over in the judged stream and switches it to the second once its speech outlasts otherAfterMs", async () => {
    const judged = concat(quiet(20), tone(30), quiet(40));
    const other = judged.map((sample) => Math.round(sample / 4));
    const heard = async (otherAfterMs: number) => {
      const segmenter = new UtteranceSegmenter(new EnergyVad({ thresholdDb: -50, marginDb: 10 }), {
        ...base,
        streamAudio: true,
        handOverOther: () => ({ otherAfterMs }),
      });
      const events: SegmenterEvent[] = [];
      for (let at = 0; at < judged.length; at += 1600)
        events.push(...(await segmenter.push(judged.subarray(at, at + 1600), other.subarray(at, at + 1600))));
      events.push(...segmenter.finish());
      const switchAt = events.findIndex((event) => event.type === "speech-switch");
      const streamed = (from: number, to: number) =>
        concat(
          ...events
            .slice(from, to)
            .flatMap((event) =>
              event.type === "speech-start" || event.type === "speech-audio"
                ? [event.audio ?? new Int16Array()]
                : [],
            ),
        );
      const switched = events[switchAt];
      return {
        before: streamed(0, switchAt === -1 ? events.length : switchAt),
        switched: switched?.type === "speech-switch" ? switched.audio : undefined,
        after: switchAt === -1 ? undefined : streamed(switchAt + 1, events.length),
        utterance: utterances(events)[0],
      };
    };
    // Speech of 30 frames (960 ms) from frame 20: it passes 320 ms at its 11th frame (frame 30).
    const long = await heard(320);
    expect(long.before).toEqual(judged.subarray(17 * FRAME, 30 * FRAME));
    // The second stream from the pre-roll on, the switching frame included, at once; then the rest of it.
    expect(long.switched).toEqual(other.subarray(17 * FRAME, 31 * FRAME));
    expect(long.after).toEqual(other.subarray(31 * FRAME, 60 * FRAME));
    expect(long.utterance?.audio).toEqual(other.subarray(17 * FRAME, 53 * FRAME));
    expect(long.utterance?.otherAudio).toEqual(judged.subarray(17 * FRAME, 53 * FRAME));
    // Speech that never outlasts it stays in the judged stream, and the same cut.
    const short = await heard(960);
    expect(short.switched).toBeUndefined();
    expect(short.before).toEqual(judged.subarray(17 * FRAME, 60 * FRAME));
    expect(short.utterance?.audio).toEqual(judged.subarray(17 * FRAME, 53 * FRAME));
    expect(short.utterance?.otherAudio).toEqual(other.subarray(17 * FRAME, 53 * FRAME));
  });

  it("ends an utterance marked as a whole command after commandSilenceMs, one marked unfinished after unfinishedSilenceMs", async () => {
    const pcm = concat(quiet(20), tone(30), quiet(40));
    const ends: number[] = [];
    for (const progress of ["other", "complete", "unfinished"] as const) {
      const segmenter = new UtteranceSegmenter(new EnergyVad({ thresholdDb: -50, marginDb: 10 }), {
        ...base,
        commandSilenceMs: 128, // 4 frames instead of 10
        unfinishedSilenceMs: 512, // 16 frames
      });
      let closedAt: number | undefined;
      for (let frame = 0; frame * FRAME < pcm.length && closedAt === undefined; frame++) {
        const events = await segmenter.push(pcm.subarray(frame * FRAME, (frame + 1) * FRAME));
        if (events.some((event) => event.type === "speech-start")) segmenter.markProgress(progress);
        if (events.some((event) => event.type === "utterance")) closedAt = frame;
      }
      ends.push(closedAt ?? -1);
    }
    // Speech ends after frame 49: 10 frames of silence close it, 4 once it is a whole command, 16
    // while it is the start of a longer one.
    expect(ends).toEqual([59, 53, 65]);
  });

  it("keeps a pause within an unfinished command in the utterance, and ends it after the ordinary silence once finished", async () => {
    // A 13-frame pause (416 ms, longer than silenceMs) between two bursts.
    const pcm = concat(quiet(20), tone(20), quiet(13), tone(10), quiet(40));
    const segmenter = new UtteranceSegmenter(new EnergyVad({ thresholdDb: -50, marginDb: 10 }), {
      ...base,
      unfinishedSilenceMs: 512,
    });
    const found: SegmenterEvent[] = [];
    for (let frame = 0; frame * FRAME < pcm.length; frame++) {
      const events = await segmenter.push(pcm.subarray(frame * FRAME, (frame + 1) * FRAME));
      found.push(...events);
      // The words so far are the start of a command until the second burst finishes it.
      if (frame === 25) segmenter.markProgress("unfinished");
      if (frame === 56) segmenter.markProgress("other");
    }
    const [utterance, ...more] = utterances([...found, ...segmenter.finish()]);
    expect(more).toEqual([]);
    expect(utterance?.startSeconds).toBeCloseTo(20 * FRAME_S, 6);
    expect(utterance?.endSeconds).toBeCloseTo(63 * FRAME_S, 6);
  });

  it("says when it ended an utterance, and counts the audio it judged across resets", async () => {
    const segmenter = new UtteranceSegmenter(new EnergyVad({ thresholdDb: -50, marginDb: 10 }), base);
    const pcm = concat(quiet(20), tone(30), quiet(40));
    const first = utterances(await inChunks(pcm, 1600, (part) => segmenter.push(part)));
    // Speech ends after frame 49; the 10th silent frame after it (frame 59) ends the utterance.
    expect(first[0]?.endSeconds).toBeCloseTo(50 * FRAME_S, 6);
    expect(first[0]?.closedSeconds).toBeCloseTo(60 * FRAME_S, 6);
    expect(segmenter.judgedSeconds).toBeCloseTo(segmenter.seconds, 6);
    segmenter.reset();
    const again = await inChunks(concat(quiet(5), tone(30)), 1600, (part) => segmenter.push(part));
    const [second] = utterances([...again, ...segmenter.finish()]);
    // The stream clock starts again at the reset; the judged seconds go on from the 90 frames before.
    expect(second?.startSeconds).toBeCloseTo(5 * FRAME_S, 6);
    expect(second?.closedSeconds).toBeCloseTo(35 * FRAME_S, 6);
    expect(segmenter.judgedSeconds - segmenter.seconds).toBeCloseTo(90 * FRAME_S, 6);
  });

  it("without streamAudio hands nothing over before the utterance ends", async () => {
    const events = await run(concat(quiet(20), tone(30), quiet(40)));
    expect(events.some((event) => event.type === "speech-audio")).toBe(false);
    expect(events[0]).toEqual({ type: "speech-start", seconds: 20 * FRAME_S });
  });

  it("cuts one utterance from speech padded with silence, with pre-roll before and a short tail after", async () => {
    const events = await run(concat(quiet(20), tone(30), quiet(40)));
    expect(events.map((event) => event.type)).toEqual(["speech-start", "utterance"]);
    expect(events[0]).toEqual({ type: "speech-start", seconds: 20 * FRAME_S });
    const [utterance] = utterances(events);
    expect(utterance?.reason).toBe("silence");
    expect(utterance?.startSeconds).toBeCloseTo(20 * FRAME_S, 6);
    expect(utterance?.endSeconds).toBeCloseTo(50 * FRAME_S, 6);
    expect(utterance?.speechMs).toBeCloseTo(30 * 32, 6);
    // 3 frames of pre-roll, the 30 frames of speech, 3 frames of what followed.
    expect(utterance?.audio.length).toBe((3 + 30 + 3) * FRAME);
    expect(utterance?.audio.slice(3 * FRAME, 33 * FRAME)).toEqual(tone(30));
  });

  it("keeps no pre-roll when it is set to zero", async () => {
    const [utterance] = utterances(await run(concat(quiet(20), tone(30), quiet(40)), { preRollMs: 0 }));
    expect(utterance?.audio).toEqual(tone(30));
  });

  it("drops a blip shorter than the minimum speech and keeps it when the minimum is lower", async () => {
    const blip = concat(quiet(20), tone(3), quiet(40));
    expect(await run(blip, { minSpeechMs: 250 })).toEqual([]);
    expect(utterances(await run(blip, { minSpeechMs: 64 }))).toHaveLength(1);
  });

  it("joins speech across a pause shorter than the silence tail and splits at a longer one", async () => {
    const pcm = concat(quiet(10), tone(10), quiet(12), tone(10), quiet(40));
    expect(utterances(await run(pcm, { silenceMs: 700 })).map((u) => u.speechMs)).toEqual([640]);
    expect(utterances(await run(pcm, { silenceMs: 300 })).map((u) => u.speechMs)).toEqual([320, 320]);
  });

  it("cuts off an utterance at the maximum length and carries on with the next", async () => {
    const found = utterances(await run(concat(quiet(10), tone(100)), { maxSpeechMs: 1000 }));
    expect(found.map((u) => u.reason)).toEqual(["max-length", "max-length", "max-length", "end-of-stream"]);
    const [first] = found;
    // Cut at the first frame boundary at or past 1 s.
    expect((first?.endSeconds ?? 0) - (first?.startSeconds ?? 0)).toBeCloseTo(32 * FRAME_S, 6);
    expect(found.reduce((sum, u) => sum + u.speechMs, 0)).toBeCloseTo(100 * 32, 6);
  });

  it("hands over speech still going when the stream ends", async () => {
    const events = await run(concat(quiet(10), tone(20)));
    expect(events.map((event) => event.type)).toEqual(["speech-start", "utterance"]);
    expect(utterances(events)[0]?.reason).toBe("end-of-stream");
  });

  it("gives up once when no speech starts within the start timeout", async () => {
    const events = await run(quiet(100), { startTimeoutMs: 1000 });
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event?.type).toBe("timeout");
    expect(event?.type === "timeout" && event.seconds).toBeCloseTo(32 * FRAME_S, 6);
  });

  it("does not time out when speech starts in time", async () => {
    const events = await run(concat(quiet(15), tone(10), quiet(75)), { startTimeoutMs: 1000 });
    expect(events.map((event) => event.type)).toEqual(["speech-start", "utterance"]);
  });

  it("listens again after an utterance with the start timeout still counted from the reset", async () => {
    const segmenter = new UtteranceSegmenter(new EnergyVad({ thresholdDb: -50, marginDb: 10 }), {
      ...base,
      startTimeoutMs: 1000,
    });
    // An utterance within the first second: no timeout follows it on its own.
    const first = await segmenter.push(concat(quiet(5), tone(10), quiet(12)));
    expect(first.map((event) => event.type)).toEqual(["speech-start", "utterance"]);
    expect(segmenter.seconds).toBeCloseTo(27 * FRAME_S, 6);
    segmenter.listenAgain();
    // Told to listen again, it gives up once 1 s (32 frames) of stream time has passed since the reset.
    const waited = await segmenter.push(quiet(10));
    expect(waited).toEqual([{ type: "timeout", seconds: 32 * FRAME_S }]);
    expect(await segmenter.push(quiet(10))).toEqual([]);
    // Speech that starts in time after listenAgain() is an utterance, and no timeout comes.
    segmenter.reset();
    await segmenter.push(concat(quiet(5), tone(10), quiet(12)));
    segmenter.listenAgain();
    const next = await segmenter.push(concat(tone(10), quiet(20)));
    expect(next.map((event) => event.type)).toEqual(["speech-start", "utterance"]);
  });

  it("gives the same events whatever the chunk size", async () => {
    const pcm = concat(quiet(13), tone(17), quiet(11), tone(5), quiet(30));
    const reference = await run(pcm, {}, FRAME);
    expect(reference.length).toBeGreaterThan(0);
    for (const chunk of [100, 1600, 7777]) expect(await run(pcm, {}, chunk)).toEqual(reference);
  });

  it("restarts its clock and forgets buffered audio on reset", async () => {
    const segmenter = new UtteranceSegmenter(new EnergyVad({ thresholdDb: -50, marginDb: 10 }), base);
    await segmenter.push(concat(quiet(20), tone(10)));
    segmenter.reset();
    const events = [...(await segmenter.push(concat(quiet(5), tone(10), quiet(20)))), ...segmenter.finish()];
    expect(utterances(events).map((u) => u.startSeconds)).toEqual([5 * FRAME_S]);
  });

  it("streams events from an async source and stops when aborted", async () => {
    const segmenter = new UtteranceSegmenter(new EnergyVad({ thresholdDb: -50, marginDb: 10 }), base);
    async function* source() {
      yield concat(quiet(10), tone(10), quiet(20));
      yield concat(tone(10), quiet(20));
    }
    const types: string[] = [];
    for await (const event of segmenter.segment(source())) types.push(event.type);
    expect(types).toEqual(["speech-start", "utterance", "speech-start", "utterance"]);

    segmenter.reset();
    const controller = new AbortController();
    const seen: string[] = [];
    const loop = async () => {
      for await (const event of segmenter.segment(source(), controller.signal)) {
        seen.push(event.type);
        controller.abort();
      }
    };
    await expect(loop()).rejects.toMatchObject({ name: "AbortError" });
    expect(seen).toEqual(["speech-start"]);
  });

  it("takes its settings from the vad config section", () => {
    expect(segmenterOptionsFromConfig(vadSchema.parse({}))).toEqual({
      threshold: 0.5,
      preRollMs: 300,
      minSpeechMs: 250,
      silenceMs: 700,
      commandSilenceMs: 300,
      unfinishedSilenceMs: 1000,
      maxSpeechMs: 15_000,
      startTimeoutMs: 5000,
    });
  });

  it("cuts spoken commands apart with the Silero VAD and the default settings", async () => {
    const [first, second] = await Promise.all([
      speak("turn on the kitchen light", { voice: "slt" }),
      speak("what time is it", { voice: "awb" }),
    ]);
    const pcm = concat(silence(1), first, silence(1.5), second, silence(1.5));
    const vad = new SileroVad();
    await vad.start();
    try {
      const segmenter = new UtteranceSegmenter(vad, segmenterOptionsFromConfig(vadSchema.parse({})));
      const events = [...(await inChunks(pcm, 1600, (part) => segmenter.push(part))), ...segmenter.finish()];
      const found = utterances(events);
      expect(found.map((u) => u.reason)).toEqual(["silence", "silence"]);
      const secondStart = 1 + first.length / RATE + 1.5;
      expect(found[0]?.startSeconds).toBeGreaterThan(0.9);
      expect(found[0]?.startSeconds).toBeLessThan(1 + 0.4);
      expect(found[0]?.endSeconds).toBeLessThan(secondStart);
      expect(found[1]?.startSeconds).toBeGreaterThan(secondStart - 0.1);
      expect(found[1]?.endSeconds).toBeLessThan(secondStart + second.length / RATE + 0.2);
    } finally {
      await vad.stop();
    }
  });
});
