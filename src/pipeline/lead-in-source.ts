import { concatInt16 } from "../audio/pcm.js";
import { frameEnergies, quietestFrames, quietestStretch } from "../audio/stt/quietest-stretch.js";
import { type AudioSource, type AudioStream, SAMPLE_RATE } from "../audio/types.js";

/**
 * Milliseconds of the recording's quietest stretch that are its room's sound, played before and
 * after it: the same length the whole-recording decode measures its background on.
 */
export const ROOM_SOUND_MS = 600;

/** Options of {@link LeadInSource}. */
export interface LeadInOptions {
  /** Milliseconds of the room's sound before the recording. */
  leadInMs: number;
  /** Milliseconds of it after the recording. */
  tailMs: number;
  /** Milliseconds per chunk of lead-in and tail (the recording's own chunks pass unchanged). Default 80. */
  chunkMs?: number | undefined;
}

/**
 * A recording played as if it came from a live microphone, which was already listening to the
 * same room before the recording began and goes on after it ends. Before it comes `leadInMs` of
 * the room's sound, because openWakeWord scores only after 2 s of audio (its mel and embedding
 * windows) and a live stream always has them; after it `tailMs`, so a wake word or a command at the
 * very end still completes (the silence tail that ends an utterance, openWakeWord's last frames).
 *
 * The room's sound is the recording's own quietest {@link ROOM_SOUND_MS} (its background between
 * and around the words, see {@link roomSound}), played forwards and backwards in turn so that it
 * has no seams; in a quiet recording that is near silence. With digital silence instead, a noisy recording's noise began all
 * at once with its first sample, which no microphone hears: the Silero VAD took that onset for
 * speech for about a second (4 of 16 real coffee orders at 12 dB of kitchen noise began with an
 * utterance of noise alone, and in others the onset ran into the order), and the decoder met the
 * noise only once the words had begun. `hearth detect-wake` still pads with silence (the wake word
 * alone, no VAD).
 */
export class LeadInSource implements AudioSource {
  readonly name: string;
  readonly #inner: AudioSource;
  readonly #options: LeadInOptions;

  constructor(inner: AudioSource, options: LeadInOptions) {
    this.#inner = inner;
    this.#options = options;
    this.name = inner.name;
  }

  async *stream(signal?: AbortSignal): AudioStream {
    // The recording is read first (a file, bounded by audio.max_file_seconds): its room's sound
    // comes before it.
    const chunks: Int16Array[] = [];
    for await (const chunk of this.#inner.stream(signal)) chunks.push(chunk);
    if (signal?.aborted) return;
    const room = roomSound(concatInt16(chunks), Math.round((ROOM_SOUND_MS * SAMPLE_RATE) / 1000));
    yield* this.#room(room, this.#options.leadInMs, signal);
    for (const chunk of chunks) {
      if (signal?.aborted) return;
      yield chunk;
    }
    yield* this.#room(room, this.#options.tailMs, signal);
  }

  /** `ms` of the room's sound in chunks: the stretch forwards, then backwards, and so on. */
  *#room(room: Int16Array, ms: number, signal: AbortSignal | undefined): Generator<Int16Array> {
    const chunk = Math.max(1, Math.round(((this.#options.chunkMs ?? 80) * SAMPLE_RATE) / 1000));
    const total = Math.round((ms * SAMPLE_RATE) / 1000);
    const period = room.length * 2;
    let position = 0;
    while (position < total && !signal?.aborted) {
      const piece = new Int16Array(Math.min(chunk, total - position));
      if (room.length > 0) {
        for (let i = 0; i < piece.length; i++) {
          const at = (position + i) % period;
          piece[i] = room[at < room.length ? at : period - 1 - at] as number;
        }
      }
      position += piece.length;
      yield piece;
    }
  }
}

/** Mean square of a stretch of samples. */
function power(audio: Int16Array): number {
  let sum = 0;
  for (const s of audio) sum += s * s;
  return audio.length === 0 ? 0 : sum / audio.length;
}

/** Samples per frame of {@link frameEnergies}. */
const FRAME = 160;

/**
 * A recording's own background, `length` samples of it: its quietest stretch in one piece, unless
 * that stretch is more than 10 dB louder than the recording's background level (its 10th
 * percentile 10 ms frame), which means it holds words: a recording cut tightly around its words has
 * no pause of that length, and its quietest 600 ms were words that the lead-in then played as an
 * utterance of their own ("turn on the kitchen light" heard as "light daylight"). Then the
 * background is the recording's quietest frames within 10 dB of that level, wherever they lie. In
 * steady or rumbling noise the stretch is within a few dB of the level, and in one piece it keeps the
 * noise's own texture (the scattered quietest frames are quieter than the room, whose onset the VAD
 * then takes for speech).
 */
export function roomSound(audio: Int16Array, length: number): Int16Array {
  const stretch = quietestStretch(audio, length);
  const energy = frameEnergies(audio);
  if (energy.length === 0) return stretch;
  const sorted = Float64Array.from(energy).sort();
  const level = (sorted[Math.floor(sorted.length / 10)] as number) / FRAME;
  if (power(stretch) <= 10 * level) return stretch;
  let background = 0;
  while (background < sorted.length && (sorted[background] as number) / FRAME <= 10 * level) background++;
  return quietestFrames(audio, Math.min(length, Math.max(1, background) * FRAME));
}
