import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createAudioSink } from "../../../src/audio/sinks/create-audio-sink.js";
import { NullSink } from "../../../src/audio/sinks/null-sink.js";
import { SpeakerSink } from "../../../src/audio/sinks/speaker-sink.js";
import { WavFileSink } from "../../../src/audio/sinks/wav-file-sink.js";
import type { PcmAudio } from "../../../src/audio/types.js";
import { wavToPcmAudio } from "../../../src/audio/wav.js";
import { audioSchema } from "../../../src/config/schema.js";
import { HearthError } from "../../../src/core/errors.js";
import { silentLogger } from "../../../src/core/logger.js";

let dir: string;
const tone: PcmAudio = {
  sampleRate: 22050,
  samples: Int16Array.from({ length: 2205 }, (_, i) => Math.round(8000 * Math.sin(i / 5))),
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hearth-sinks-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the WAV file sink", () => {
  test("writes the audio at its own rate, numbering files when the path asks for it", async () => {
    const sink = new WavFileSink(join(dir, "replies", "reply-{n}.wav"));
    await sink.play(tone);
    await sink.play(tone);
    expect(sink.written).toEqual([join(dir, "replies", "reply-1.wav"), join(dir, "replies", "reply-2.wav")]);
    const back = wavToPcmAudio(await readFile(join(dir, "replies", "reply-2.wav")));
    expect(back.sampleRate).toBe(22050);
    expect([...back.samples]).toEqual([...tone.samples]);
  });
});

describe("the null sink", () => {
  test("accepts audio and discards it", async () => {
    await expect(new NullSink().play(tone)).resolves.toBeUndefined();
  });
});

describe("the speaker sink (aplay)", () => {
  test("plays through ALSA's null device", async () => {
    await expect(new SpeakerSink({ device: "null" }).play(tone)).resolves.toBeUndefined();
  });

  test("no sound card is an AUDIO_DEVICE error with aplay's reason", async () => {
    const error = await new SpeakerSink({ device: "hw:9,0" }).play(tone).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(HearthError);
    expect((error as HearthError).code).toBe("AUDIO_DEVICE");
    expect((error as HearthError).message).toMatch(
      /cannot play on the speaker \(hw:9,0\): .*audio open error/,
    );
  });

  test("a missing aplay is an AUDIO_DEVICE error saying what to install", async () => {
    const error = await new SpeakerSink({ device: "default", program: "hearth-no-aplay" })
      .play(tone)
      .catch((err: unknown) => err);
    expect((error as HearthError).code).toBe("AUDIO_DEVICE");
    expect((error as HearthError).message).toContain("alsa-utils");
  });

  test("aborting stops playback at once (barge-in)", async () => {
    // ALSA's null device does not play in real time, so a stand-in player that takes the audio and
    // then keeps playing (sleeps) shows that the abort, not the end of the audio, ends playback.
    const player = join(dir, "slow-aplay");
    await writeFile(player, "#!/bin/sh\ncat > /dev/null\nexec sleep 30\n", { mode: 0o755 });
    const long: PcmAudio = { sampleRate: 16000, samples: new Int16Array(160_000) };
    const controller = new AbortController();
    const playing = new SpeakerSink({ device: "null", program: player }).play(long, {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error("barge-in")), 100);
    await expect(playing).rejects.toThrow("barge-in");
  });
});

describe("choosing the sink from config", () => {
  const deps = { logger: silentLogger(), baseDir: "/srv/hearth" };

  test.each([
    ["speaker", "speaker:default"],
    ["null", "null"],
    ["file:out/reply.wav", "file:/srv/hearth/out/reply.wav"],
  ])("audio.sink %s", (sink, name) => {
    expect(createAudioSink(audioSchema.parse({ sink }), deps).name).toBe(name);
  });
});
