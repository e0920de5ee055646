import { readFile, stat, writeFile } from "node:fs/promises";
import wavefile from "wavefile";
import { HearthError } from "../core/errors.js";
import { downmix, floatToInt16, resample } from "./pcm.js";
import { type PcmAudio, SAMPLE_RATE } from "./types.js";

/**
 * WAV files in and out. Parsing and encoding are `wavefile`'s (RIFF/RIFX/RF64, PCM 8–32 bit, float,
 * A-law/µ-law, WAVE_FORMAT_EXTENSIBLE); this module adds what a daemon needs on top: limits, clear
 * errors for broken files, and conversion to Hearth's 16 kHz mono 16-bit.
 */

const { WaveFile } = wavefile;

/** Limits applied when reading a WAV. */
export interface WavLimits {
  /** Longest audio accepted, in seconds. Default 600. */
  maxSeconds?: number | undefined;
  /** Largest file accepted, in bytes (checked before reading). Default 512 MiB. */
  maxBytes?: number | undefined;
  /** Lowest and highest sample rates accepted, in hertz. Default 8000–96000. */
  minRate?: number | undefined;
  maxRate?: number | undefined;
  /** Names the input in error messages, e.g. the file path. */
  name?: string | undefined;
}

/** A parsed WAV: one float array (−1…1) per channel. */
export interface DecodedWav {
  sampleRate: number;
  /** wavefile's name for the sample format: "8", "16", "24", "32", "32f", "64", "8a", "8m". */
  format: string;
  channels: Float32Array[];
  /** Length in seconds. */
  seconds: number;
}

const DEFAULT_MAX_SECONDS = 600;
const DEFAULT_MAX_BYTES = 512 * 1024 * 1024;
/** Sizes that programs writing WAV to a pipe put in the header because they cannot seek back. */
const STREAMING_SIZES = new Set([0xffffffff, 0x7fffffff, 0x7ffff000]);

/** Divisors that bring each integer format to −1…1 (8-bit PCM is unsigned, centred on 128). */
const INTEGER_SCALE: Record<string, { offset: number; scale: number }> = {
  "8": { offset: -128, scale: 128 },
  "16": { offset: 0, scale: 32768 },
  "24": { offset: 0, scale: 8388608 },
  "32": { offset: 0, scale: 2147483648 },
};

function invalid(name: string, problem: string, cause?: unknown): HearthError {
  return new HearthError("AUDIO_INVALID", `${name}: ${problem}`, cause === undefined ? {} : { cause });
}

/** Format tags Hearth decodes: PCM, IEEE float, A-law, µ-law, and WAVE_FORMAT_EXTENSIBLE. */
const KNOWN_FORMATS = new Set([1, 3, 6, 7, 0xfffe]);

/**
 * A RIFF/RIFX file reduced to its `fmt `, `fact` and `data` chunks, after checking that every chunk
 * before `data` fits in the file and that the format tag is one Hearth decodes. The data chunk keeps
 * its declared size (a streaming or truncated size is judged later).
 */
function essentialChunks(bytes: Uint8Array, bigEndian: boolean, name: string): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (at: number) => view.getUint32(at, !bigEndian);
  const kept: Uint8Array[] = [];
  let fmt: Uint8Array | undefined;
  let data: Uint8Array | undefined;
  let at = 12;
  while (at + 8 <= bytes.length) {
    const id = Buffer.from(bytes.subarray(at, at + 4)).toString("latin1");
    const size = u32(at + 4);
    const body = at + 8;
    if (id === "data") {
      // Header with the declared size, then whatever audio is really there.
      data = bytes.subarray(at, Math.min(bytes.length, body + size));
      break;
    }
    if (body + size > bytes.length) {
      throw invalid(name, `the "${id}" chunk says it is ${size} bytes long, past the end of the file`);
    }
    const chunk = bytes.subarray(at, body + size);
    if (id === "fmt ") fmt = chunk;
    if (id === "fmt " || id === "fact") kept.push(chunk);
    at = body + size + (size % 2);
  }
  if (!fmt || fmt.length < 8 + 16)
    throw invalid(name, "no valid fmt chunk (the audio format is not described)");
  const tag = new DataView(fmt.buffer, fmt.byteOffset + 8, 2).getUint16(0, !bigEndian);
  if (!KNOWN_FORMATS.has(tag)) {
    throw invalid(
      name,
      `unsupported WAV encoding (format tag ${tag}); use PCM (8–32 bit), float, A-law or µ-law`,
    );
  }
  if (!data) throw invalid(name, "no data chunk (the file holds no audio)");
  const parts = [...kept, data];
  const total = parts.reduce((n, p) => n + p.length, 4);
  const out = new Uint8Array(8 + total);
  out.set(bytes.subarray(0, 4), 0);
  new DataView(out.buffer).setUint32(4, total, !bigEndian);
  out.set(bytes.subarray(8, 12), 8);
  let offset = 12;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Parses WAV bytes; broken or unsupported input is a HearthError("AUDIO_INVALID") saying what is wrong. */
export function decodeWav(bytes: Uint8Array, limits: WavLimits = {}): DecodedWav {
  const name = limits.name ?? "WAV data";
  const maxSeconds = limits.maxSeconds ?? DEFAULT_MAX_SECONDS;
  if (bytes.length === 0) throw invalid(name, "the file is empty");
  if (bytes.length < 12) throw invalid(name, `only ${bytes.length} bytes: too short for a WAV header`);
  const magic = Buffer.from(bytes.subarray(0, 4)).toString("latin1");
  const form = Buffer.from(bytes.subarray(8, 12)).toString("latin1");
  if (!["RIFF", "RIFX", "RF64"].includes(magic) || form !== "WAVE") {
    throw invalid(name, "not a WAV file (no RIFF/WAVE header)");
  }

  // wavefile trusts every chunk's declared size (a 3 kB file with a bad `cue ` size exhausts the
  // heap), so only the chunks that matter, checked, are handed to it.
  const essential = magic === "RF64" ? bytes : essentialChunks(bytes, magic === "RIFX", name);
  let wav: InstanceType<typeof WaveFile>;
  try {
    wav = new WaveFile(essential);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw invalid(name, `cannot parse the WAV (${reason})`, err);
  }
  type Fmt = { numChannels: number; sampleRate: number; audioFormat: number; bitsPerSample: number };
  // Re-read after the conversion below: wavefile replaces (and clears) these objects.
  let fmt = wav.fmt as Fmt;
  const data = wav.data as { chunkSize: number; samples: Uint8Array };
  let format = wav.bitDepth;

  if (fmt.numChannels < 1) throw invalid(name, "the header declares no channels");
  const minRate = limits.minRate ?? 8000;
  const maxRate = limits.maxRate ?? 96000;
  if (!(fmt.sampleRate >= minRate && fmt.sampleRate <= maxRate)) {
    throw invalid(name, `unsupported sample rate ${fmt.sampleRate} Hz (accepted: ${minRate}–${maxRate} Hz)`);
  }
  if (data.chunkSize > data.samples.length && !STREAMING_SIZES.has(data.chunkSize)) {
    throw invalid(
      name,
      `truncated: the header announces ${data.chunkSize} bytes of audio but only ${data.samples.length} are present`,
    );
  }
  if (format === "8a" || format === "8m") {
    // wavefile expands companded audio to 16-bit PCM in place.
    if (format === "8a") wav.fromALaw();
    else wav.fromMuLaw();
    format = "16";
    fmt = wav.fmt as Fmt;
  }
  const integer = INTEGER_SCALE[format];
  if (!integer && format !== "32f" && format !== "64") {
    throw invalid(
      name,
      `unsupported WAV encoding (format tag ${fmt.audioFormat}, ${fmt.bitsPerSample} bits); use PCM (8–32 bit) or float`,
    );
  }
  const bytesPerFrame = (fmt.numChannels * Number.parseInt(format, 10)) / 8;
  const frames = Math.floor((wav.data as { samples: Uint8Array }).samples.length / bytesPerFrame);
  if (frames === 0) throw invalid(name, "contains no audio (zero samples)");
  const seconds = frames / fmt.sampleRate;
  if (seconds > maxSeconds) {
    throw invalid(name, `too long: ${seconds.toFixed(1)} s of audio (the limit is ${maxSeconds} s)`);
  }

  const raw = wav.getSamples(false, Float64Array) as unknown as Float64Array | Float64Array[];
  const perChannel = fmt.numChannels === 1 ? [raw as Float64Array] : (raw as Float64Array[]);
  const channels = perChannel.map((channel) => {
    const out = new Float32Array(frames);
    if (integer) {
      for (let i = 0; i < frames; i++) out[i] = ((channel[i] ?? 0) + integer.offset) / integer.scale;
    } else {
      for (let i = 0; i < frames; i++) out[i] = channel[i] ?? 0;
    }
    return out;
  });
  return { sampleRate: fmt.sampleRate, format, channels, seconds };
}

/** Converts decoded WAV audio to Hearth's format: mono, 16 kHz (or `rate`), 16-bit. */
export function toPcm(decoded: DecodedWav, rate = SAMPLE_RATE): Int16Array {
  const mono = downmix(decoded.channels);
  return floatToInt16(resample(mono, decoded.sampleRate, rate));
}

/** Parses WAV bytes straight to 16 kHz mono 16-bit samples. */
export function wavToPcm(bytes: Uint8Array, limits: WavLimits = {}): Int16Array {
  return toPcm(decodeWav(bytes, limits));
}

/** Parses WAV bytes to mono 16-bit audio at the file's own rate (for playback without resampling). */
export function wavToPcmAudio(bytes: Uint8Array, limits: WavLimits = {}): PcmAudio {
  const decoded = decodeWav(bytes, limits);
  return { sampleRate: decoded.sampleRate, samples: floatToInt16(downmix(decoded.channels)) };
}

/**
 * Reads a WAV file as 16 kHz mono 16-bit samples. A missing file, one over the size limit or a
 * broken one is a HearthError("AUDIO_INVALID") naming the file.
 */
export async function readWavFile(path: string, limits: WavLimits = {}): Promise<Int16Array> {
  const bytes = await readWavBytes(path, limits);
  return wavToPcm(bytes, { ...limits, name: limits.name ?? path });
}

/** Reads a WAV file's bytes after checking it exists and is not over the size limit. */
export async function readWavBytes(path: string, limits: WavLimits = {}): Promise<Buffer> {
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw invalid(path, "not a regular file");
    size = info.size;
  } catch (err) {
    if (err instanceof HearthError) throw err;
    throw invalid(path, "cannot be read (no such file, or no permission)", err);
  }
  if (size > maxBytes) throw invalid(path, `${size} bytes is larger than the ${maxBytes}-byte limit`);
  return readFile(path);
}

/** Encodes mono 16-bit audio as a WAV file's bytes (RIFF, PCM). */
export function encodeWav(audio: PcmAudio): Uint8Array {
  const wav = new WaveFile();
  wav.fromScratch(1, audio.sampleRate, "16", audio.samples);
  return wav.toBuffer();
}

/** Writes mono 16-bit audio to a WAV file. */
export async function writeWavFile(path: string, audio: PcmAudio): Promise<void> {
  await writeFile(path, encodeWav(audio));
}
