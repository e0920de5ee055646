import { describe, expect, test } from "vitest";
import type { Denoiser, DenoiserStream } from "../../../src/audio/denoise/denoiser.js";
import { NoiseLevel } from "../../../src/audio/denoise/noise-level.js";
import { RnnoiseDenoiser } from "../../../src/audio/denoise/rnnoise-denoiser.js";
import { type DenoisedChunk, RoomDenoising } from "../../../src/audio/denoise/room-denoising.js";
import { concatInt16 } from "../../../src/audio/pcm.js";
import { HearthError } from "../../../src/core/errors.js";
import { silentLogger } from "../../../src/core/logger.js";
import { noise, silence } from "../../helpers/speech.js";

/*
 * audio.denoise auto loads RNNoise (the real @jitsi/rnnoise-wasm) only once the room is loud, and
 * frees it after a long quiet; audio.denoise on denoises every chunk. The real denoiser, watched:
 * how often its model was loaded and freed, and a start that can be held back, as a slow machine's.
 */

/** The real RNNoise denoiser, counting its loads and frees; `gate` holds a load back until it resolves. */
class Watched implements Denoiser {
  readonly name = "rnnoise";
  readonly inner: RnnoiseDenoiser;
  starts = 0;
  stops = 0;
  gate: Promise<void> | undefined;
  /** The last load asked for, to wait for it. */
  loading: Promise<void> | undefined;

  readonly #fails: boolean;

  constructor(options: { aboveDbfs?: number; longAboveDbfs?: number; fails?: boolean } = {}) {
    this.inner = new RnnoiseDenoiser({
      dry: 0.15,
      aboveDbfs: options.aboveDbfs,
      longAboveDbfs: options.longAboveDbfs,
    });
    this.#fails = options.fails ?? false;
  }

  get aboveDbfs(): number | undefined {
    return this.inner.aboveDbfs;
  }

  get longAboveDbfs(): number | undefined {
    return this.inner.longAboveDbfs;
  }

  get loaded(): boolean {
    return this.inner.loaded;
  }

  start(): Promise<void> {
    this.starts++;
    this.loading = this.#load();
    return this.loading;
  }

  async #load(): Promise<void> {
    if (this.#fails) throw new HearthError("MODEL_INVALID", "no RNNoise here");
    await this.gate;
    await this.inner.start();
  }

  async stop(): Promise<void> {
    this.stops++;
    await this.inner.stop();
  }

  check(): void {
    this.inner.check();
  }

  begin(): DenoiserStream {
    return this.inner.begin();
  }
}

/** The audio in 32 ms chunks through a session, as the loop pushes it; undefined where nothing came back. */
async function pushAll(
  room: RoomDenoising,
  audio: Int16Array,
  options: { wait: boolean; idle: boolean } = { wait: true, idle: true },
): Promise<Array<DenoisedChunk | undefined>> {
  const out: Array<DenoisedChunk | undefined> = [];
  for (let at = 0; at < audio.length; at += 512)
    out.push(await room.push(audio.slice(at, at + 512), options));
  return out;
}

/** The chunks of `audio` from `from` on through a fresh stream of `denoiser`, begun at that chunk. */
function freshStream(denoiser: RnnoiseDenoiser, audio: Int16Array, from: number): Int16Array[] {
  const stream = denoiser.begin();
  const out: Int16Array[] = [];
  for (let at = from * 512; at < audio.length; at += 512) out.push(stream.process(audio.slice(at, at + 512)));
  stream.close();
  return out;
}

describe("RNNoise loaded when the room is loud (audio.denoise auto)", () => {
  test("a quiet room never loads it, and every chunk is heard as it came", async () => {
    const denoiser = new Watched({ aboveDbfs: -47 });
    const room = new RoomDenoising(denoiser, { log: silentLogger() });
    room.open();
    // A quiet room (-65 dBFS, 12 dB under the level that loads it), then digital silence.
    const quiet = concatInt16([await noise("room", 3, -65), silence(2)]);
    const out = await pushAll(room, quiet);
    expect(out.every((chunk) => chunk === undefined)).toBe(true);
    expect(denoiser.starts).toBe(0);
    expect(denoiser.loaded).toBe(false);
    expect(room.backgroundDbfs).toBe(-100);
    room.close();
  });

  test("with audio.denoise_long_above_dbfs under audio.denoise_above_dbfs, a room near the lower level loads it", async () => {
    // A room at -63 dBFS: 16 dB under -47, so the levels alone never load RNNoise, but within 6 dB
    // of -60, above which long utterances are heard denoised.
    const audio = concatInt16([silence(1), await noise("pink", 3, -63)]);
    const alone = new Watched({ aboveDbfs: -47 });
    const levels = new RoomDenoising(alone, { log: silentLogger() });
    levels.open();
    expect((await pushAll(levels, audio)).every((chunk) => chunk === undefined)).toBe(true);
    expect(alone.starts).toBe(0);
    levels.close();
    const withLong = new Watched({ aboveDbfs: -47, longAboveDbfs: -60 });
    const room = new RoomDenoising(withLong, { log: silentLogger() });
    room.open();
    const out = await pushAll(room, audio);
    expect(withLong.starts).toBe(1);
    expect(out.at(-1)?.speech).toBeDefined();
    room.close();
    await withLong.stop();
  });

  test("near the threshold it loads, and after a second of warm-up gives what a stream begun then gives", async () => {
    const denoiser = new Watched({ aboveDbfs: -47 });
    const room = new RoomDenoising(denoiser, { log: silentLogger() });
    room.open();
    // Quiet for a second, then a room 3 dB under the threshold.
    const audio = concatInt16([silence(1), await noise("pink", 3, -50)]);
    const out = await pushAll(room, audio);
    expect(denoiser.starts).toBe(1);
    expect(denoiser.loaded).toBe(true);
    // The stream began with the chunk whose background came within 6 dB of the threshold (on a
    // recording, which waits for the load) and was heard from one second later.
    const level = new NoiseLevel();
    const began = out.findIndex((_, i) => {
      level.push(audio.subarray(i * 512, (i + 1) * 512));
      return level.dbfs > -53;
    });
    expect(began).toBeGreaterThan(Math.floor(16_000 / 512));
    const first = out.findIndex((chunk) => chunk !== undefined);
    expect(first - began).toBe(Math.ceil(16_000 / 512));
    const expected = freshStream(denoiser.inner, audio, began).slice(first - began);
    expect(out.slice(first).map((chunk) => chunk?.speech)).toEqual(expected);
    // The raw audio beside it is the same moment: the chunks delayed by the denoiser's latency.
    const latency = denoiser.inner.begin().latencySamples;
    const raw = concatInt16(out.slice(first).map((chunk) => chunk?.alignedRaw ?? new Int16Array(0)));
    expect(raw).toEqual(audio.subarray(first * 512 - latency, first * 512 - latency + raw.length));
    room.close();
    await denoiser.stop();
  });

  test("a recording gets the same chunks whether the model loads for it, loads slowly, or was loaded by a recording before", async () => {
    // A quiet second, then a kitchen-like room: what the bench and `hearth understand` hear one
    // recording after another with one denoiser.
    const audio = concatInt16([silence(1), await noise("pink", 3, -44)]);
    const heard = async (denoiser: Watched): Promise<Array<DenoisedChunk | undefined>> => {
      const room = new RoomDenoising(denoiser, { log: silentLogger() });
      room.open();
      const out = await pushAll(room, audio);
      room.close();
      return out;
    };
    const slow = new Watched({ aboveDbfs: -47 });
    slow.gate = new Promise((resolve) => setTimeout(resolve, 200));
    const first = await heard(slow);
    // The same denoiser, already loaded: its stream begins at the same chunk, warm at the same one.
    const again = await heard(slow);
    const fresh = new Watched({ aboveDbfs: -47 });
    const freshOut = await heard(fresh);
    expect(slow.starts).toBe(1);
    expect(again).toEqual(first);
    expect(freshOut).toEqual(first);
    expect(first.some((chunk) => chunk !== undefined)).toBe(true);
    await slow.stop();
    await fresh.stop();
  });

  test("on live audio the chunks keep coming while it loads, none denoised until it has loaded and warmed up", async () => {
    const denoiser = new Watched({ aboveDbfs: -47 });
    let release = () => {};
    denoiser.gate = new Promise((resolve) => {
      release = resolve;
    });
    const room = new RoomDenoising(denoiser, { log: silentLogger() });
    room.open();
    const loud = await noise("pink", 4, -40);
    const live = { wait: false, idle: true };
    // Two seconds heard while the load is held back: every chunk comes back at once, none denoised.
    const during = await pushAll(room, loud.subarray(0, 32_000), live);
    expect(during.every((chunk) => chunk === undefined)).toBe(true);
    expect(denoiser.starts).toBe(1);
    release();
    // Loaded, however long that takes: the next chunk begins the stream.
    await denoiser.loading;
    const after = await pushAll(room, loud.subarray(32_000), live);
    expect(denoiser.starts).toBe(1);
    // Begun with the first chunk after the load, heard a second later.
    const first = after.findIndex((chunk) => chunk !== undefined);
    expect(first).toBe(Math.ceil(16_000 / 512));
    expect(after.slice(first).every((chunk) => chunk !== undefined)).toBe(true);
    room.close();
    await denoiser.stop();
  });

  test("a room quiet for the release time frees it, not while an utterance is cut, and a loud room loads it again", async () => {
    const denoiser = new Watched({ aboveDbfs: -47 });
    const room = new RoomDenoising(denoiser, { log: silentLogger(), releaseAfterMs: 2000 });
    room.open();
    const loud = await noise("pink", 2, -40);
    await pushAll(room, loud);
    expect(denoiser.loaded).toBe(true);
    // Three quiet seconds while an utterance is being cut: kept.
    await pushAll(room, silence(3), { wait: true, idle: false });
    expect(denoiser.stops).toBe(0);
    // Then idle: once the background has been quiet for two seconds, freed.
    const quiet = await pushAll(room, silence(3));
    expect(denoiser.stops).toBe(1);
    expect(denoiser.loaded).toBe(false);
    expect(quiet.at(-1)).toBeUndefined();
    // Loud again: loaded again once the background has risen, and denoised after its warm-up.
    const again = await pushAll(room, concatInt16([loud, loud]));
    expect(denoiser.starts).toBe(2);
    expect(again.at(-1)).toBeDefined();
    room.close();
    await denoiser.stop();
  });

  test("a model that cannot load is tried once, and the audio is heard as it came", async () => {
    const denoiser = new Watched({ aboveDbfs: -47, fails: true });
    const room = new RoomDenoising(denoiser, { log: silentLogger() });
    room.open();
    const out = await pushAll(room, await noise("pink", 2, -40));
    expect(out.every((chunk) => chunk === undefined)).toBe(true);
    expect(denoiser.starts).toBe(1);
    expect(denoiser.loaded).toBe(false);
    room.close();
  });
});

describe("RNNoise on every chunk (audio.denoise on)", () => {
  test("every chunk is denoised from the first, quiet or loud, as one stream", async () => {
    const denoiser = new RnnoiseDenoiser({ dry: 0.15 });
    await denoiser.start();
    const room = new RoomDenoising(denoiser, { log: silentLogger() });
    room.open();
    const audio = concatInt16([silence(1), await noise("pink", 1, -40)]);
    const out = await pushAll(room, audio);
    expect(room.backgroundDbfs).toBeUndefined();
    expect(out.map((chunk) => chunk?.speech)).toEqual(freshStream(denoiser, audio, 0));
    room.close();
    await denoiser.stop();
  });
});
