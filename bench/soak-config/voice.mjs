/**
 * Spoken commands for `npm run soak`: made once with flite (voice kal16, as the end-to-end tests say
 * the wake word) and sox, then fed to the daemon's stdin (`audio.source: stdin`) at the pace of a
 * real microphone, with silence in between. The phrases are ones pocketsphinx recognises reliably
 * from this voice with the soak's home (tried with `hearth transcribe`): the soak measures the
 * daemon under load, not recognition accuracy.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const RATE = 16000;
/** Bytes of 16-bit mono audio per millisecond at 16 kHz. */
const BYTES_PER_MS = (RATE * 2) / 1000;

/** The device the spoken commands are for; text commands leave it alone, so each command on it is the voice's. */
export const VOICE_DEVICE = "bedroom blind";

/** What is said after the wake word, and the payload the device must receive (none for a question). */
export const VOICE_PHRASES = [
  { text: "open the bedroom blind", payload: "OPEN" },
  { text: "what time is it" },
  { text: "close the bedroom blind", payload: "CLOSE" },
  { text: "cancel all timers" },
];

/** Whether this machine can make the speech (flite and sox, as the tests use). */
export function canSynthesize() {
  return ["/usr/bin/flite", "/usr/bin/sox"].every((path) => existsSync(path));
}

/** Speaks `text` with a flite voice as raw 16 kHz mono 16-bit PCM, silence trimmed to 0.2 s before and 0.3 s after. */
async function synthesize(dir, name, text, voice) {
  const wav = join(dir, `${name}.wav`);
  const raw = join(dir, `${name}.raw`);
  await run("flite", ["-voice", voice, "-t", text, "-o", wav], { timeout: 60_000 });
  // biome-ignore format: sox's effect chain reads best on one line.
  await run("sox", [wav, "-r", String(RATE), "-c", "1", "-b", "16", "-e", "signed-integer", "-t", "raw", raw,
    "silence", "1", "0.01", "0.1%", "reverse", "silence", "1", "0.01", "0.1%", "reverse", "pad", "0.2", "0.3"], { timeout: 60_000 });
  return await readFile(raw);
}

/** The wake word and every phrase, ready to feed: `[{ text, payload?, audio }]` after `wake`. */
export async function prepareVoice(dir) {
  const wake = await synthesize(dir, "wake", "hey jarvis", "kal16");
  const phrases = [];
  for (const [i, phrase] of VOICE_PHRASES.entries()) {
    phrases.push({ ...phrase, audio: await synthesize(dir, `phrase-${i}`, phrase.text, "kal16") });
  }
  return { wake, phrases, silence: (ms) => Buffer.alloc(Math.round(ms * BYTES_PER_MS)) };
}

/**
 * Writes PCM to a stream at real-time pace, 80 ms at a time, silence when there is nothing to say:
 * the daemon hears what a microphone would give it. Late timers are caught up, not skipped.
 */
export class PcmFeeder {
  #stream;
  #queue = [];
  #timer;
  #startedAt = 0;
  #chunks = 0;
  #chunkBytes = 80 * BYTES_PER_MS;
  /** Times the stream asked to wait (the daemon reads slower than real time). */
  backpressure = 0;

  constructor(stream) {
    this.#stream = stream;
  }

  start() {
    this.#startedAt = performance.now();
    const tick = () => {
      const due = Math.floor((performance.now() - this.#startedAt) / 80);
      while (this.#chunks < due) {
        this.#chunks++;
        this.#writeNext();
      }
      this.#timer = setTimeout(tick, 20);
    };
    tick();
  }

  /** Queues audio; resolves (with performance.now()) once its last byte has been written. */
  say(audio) {
    return new Promise((resolve) => this.#queue.push({ audio, offset: 0, done: resolve }));
  }

  stop() {
    clearTimeout(this.#timer);
    for (const item of this.#queue.splice(0)) item.done(performance.now());
  }

  #writeNext() {
    const chunk = Buffer.alloc(this.#chunkBytes);
    let filled = 0;
    while (filled < chunk.length && this.#queue.length > 0) {
      const item = this.#queue[0];
      const n = item.audio.copy(chunk, filled, item.offset, item.offset + chunk.length - filled);
      item.offset += n;
      filled += n;
      if (item.offset >= item.audio.length) {
        this.#queue.shift();
        item.done(performance.now());
      }
    }
    if (!this.#stream.destroyed && !this.#stream.write(chunk)) this.backpressure++;
  }
}
