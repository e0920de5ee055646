import { writeFile } from "node:fs/promises";
import { seededRandom } from "../../bench/lib/seeded-random.mjs";

/**
 * Writes a random-weight whisper model in whisper.cpp's legacy ggml format, the format
 * `whisper_model_load` (whisper.cpp/src/whisper.cpp) reads and `models/convert-pt-to-ggml.py` writes:
 *
 *   u32 magic 0x67676d6c ("ggml")
 *   i32 × 11 hparams: n_vocab, n_audio_ctx, n_audio_state, n_audio_head, n_audio_layer,
 *                     n_text_ctx, n_text_state, n_text_head, n_text_layer, n_mels, ftype
 *   i32 n_mel, i32 n_fft (201), f32 × n_mel·n_fft mel filters
 *   i32 token count, then per token: i32 byte length, the bytes
 *   per tensor: i32 n_dims, i32 name length, i32 ggml type, i32 × n_dims dims (innermost first),
 *               the name, the data (F32 or F16, little-endian)
 *
 * No real model can be downloaded here, so tests load and run this one: it exercises the whole
 * native path (file parsing, graph building, encoder, decoder, tokenizer, sampling) with tiny
 * dimensions; its transcripts are noise. Deterministic: the same options give the same bytes.
 */

/** Shape and encoding of the generated model. */
export interface WhisperModelOptions {
  /** 51864 makes an English-only model (whisper.cpp treats ≥ 51865 as multilingual). Default 51864. */
  nVocab?: number;
  /** Encoder positions; real models use 1500 (30 s of audio after the conv stride). Default 1500. */
  nAudioCtx?: number;
  /** Width of encoder and decoder (whisper.cpp requires them equal). Default 64. */
  nState?: number;
  /** Attention heads in encoder and decoder. Default 2. */
  nHead?: number;
  /** Encoder layers. Default 1. */
  nAudioLayer?: number;
  /** Decoder positions; real models use 448. Default 448. */
  nTextCtx?: number;
  /** Decoder layers. Default 1. */
  nTextLayer?: number;
  /** Mel bands; 80 for all but large-v3 (128). Default 80. */
  nMels?: number;
  /** Weight encoding of the big matrices (small tensors are always F32, as in the converter). Default f16. */
  weights?: "f16" | "f32";
  /** Seed of the weights. Default 1. */
  seed?: number;
}

/** What was written. */
export interface WhisperModelFacts {
  path: string;
  bytes: number;
  tensorCount: number;
}

/** Tokens of the GPT-2 byte-level vocabulary that precede `<|endoftext|>` in English-only models. */
const TEXT_TOKENS = 50256;
/** STFT bins from bin 0 to Nyquist for whisper's 400-sample window. */
const N_FFT_BINS = 201;
const GGML_F32 = 0;
const GGML_F16 = 1;

/** Words of Hearth's domain put first in the vocabulary, so prompts tokenise into whole words. */
const WORDS = [
  "the",
  "turn",
  "on",
  "off",
  "light",
  "lights",
  "kitchen",
  "bedroom",
  "living",
  "room",
  "lamp",
  "set",
  "to",
  "percent",
  "what",
  "is",
  "temperature",
  "open",
  "close",
  "blinds",
  "timer",
  "for",
  "minutes",
];

interface TensorSpec {
  name: string;
  /** Dimensions innermost first, as ggml and the file store them. */
  ne: number[];
  /** Stored as F16 when the model's weights are F16. */
  big: boolean;
  /** How to fill it: layer-norm gains are 1, biases 0, the rest random. */
  fill: "one" | "zero" | "random";
}

/** Every tensor whisper_model_load creates, with the converter's dims and types. */
function tensorSpecs(o: Required<Omit<WhisperModelOptions, "seed" | "weights">>): TensorSpec[] {
  const s = o.nState;
  const specs: TensorSpec[] = [];
  const add = (name: string, ne: number[], big: boolean, fill: TensorSpec["fill"] = "random") =>
    specs.push({ name, ne, big, fill });
  const norm = (prefix: string) => {
    add(`${prefix}.weight`, [s], false, "one");
    add(`${prefix}.bias`, [s], false, "zero");
  };
  const linear = (prefix: string, inputs: number, outputs: number, bias = true) => {
    add(`${prefix}.weight`, [inputs, outputs], true);
    if (bias) add(`${prefix}.bias`, [outputs], false, "zero");
  };
  const attention = (prefix: string) => {
    linear(`${prefix}.query`, s, s);
    linear(`${prefix}.key`, s, s, false);
    linear(`${prefix}.value`, s, s);
    linear(`${prefix}.out`, s, s);
  };
  const block = (prefix: string, cross: boolean) => {
    norm(`${prefix}.attn_ln`);
    attention(`${prefix}.attn`);
    if (cross) {
      norm(`${prefix}.cross_attn_ln`);
      attention(`${prefix}.cross_attn`);
    }
    norm(`${prefix}.mlp_ln`);
    linear(`${prefix}.mlp.0`, s, 4 * s);
    linear(`${prefix}.mlp.2`, 4 * s, s);
  };

  // The converter keeps positional embeddings and conv biases (reshaped to [1, n]) in F32.
  add("encoder.positional_embedding", [s, o.nAudioCtx], false);
  add("encoder.conv1.weight", [3, o.nMels, s], true);
  add("encoder.conv1.bias", [1, s], false, "zero");
  add("encoder.conv2.weight", [3, s, s], true);
  add("encoder.conv2.bias", [1, s], false, "zero");
  for (let i = 0; i < o.nAudioLayer; i++) block(`encoder.blocks.${i}`, false);
  norm("encoder.ln_post");
  add("decoder.positional_embedding", [s, o.nTextCtx], false);
  add("decoder.token_embedding.weight", [s, o.nVocab], true);
  for (let i = 0; i < o.nTextLayer; i++) block(`decoder.blocks.${i}`, true);
  norm("decoder.ln");
  return specs;
}

/** Scratch space shared by every toHalf call: allocating per value made F16 models slow to write. */
const HALF_SCRATCH_F32 = new Float32Array(1);
const HALF_SCRATCH_U32 = new Uint32Array(HALF_SCRATCH_F32.buffer);

/** IEEE 754 binary16 bits of `value` (round to nearest even), for F16 tensors. */
export function toHalf(value: number): number {
  HALF_SCRATCH_F32[0] = value;
  const x = HALF_SCRATCH_U32[0] ?? 0;
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  let mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa === 0 ? 0 : 0x200);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - e;
    let half = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && (half & 1) === 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1)) half++;
  return sign | half;
}

/** Triangular filters on the mel scale over the 201 STFT bins of 16 kHz audio (Slaney-style area norm). */
function melFilters(nMels: number): Float32Array {
  const hzToMel = (hz: number) => 2595 * Math.log10(1 + hz / 700);
  const melToHz = (mel: number) => 700 * (10 ** (mel / 2595) - 1);
  const top = hzToMel(8000);
  const edges = Array.from({ length: nMels + 2 }, (_, i) => melToHz((top * i) / (nMels + 1)));
  const data = new Float32Array(nMels * N_FFT_BINS);
  for (let m = 0; m < nMels; m++) {
    const lo = edges[m] ?? 0;
    const mid = edges[m + 1] ?? 0;
    const hi = edges[m + 2] ?? 0;
    for (let k = 0; k < N_FFT_BINS; k++) {
      const hz = (k * 8000) / (N_FFT_BINS - 1);
      const up = (hz - lo) / (mid - lo);
      const down = (hi - hz) / (hi - mid);
      data[m * N_FFT_BINS + k] = Math.max(0, Math.min(up, down)) * (2 / (hi - lo));
    }
  }
  return data;
}

/**
 * The text tokens: every single byte (so any prompt tokenises), Hearth's words with and without a
 * leading space, then made-up consonant–vowel words up to the GPT-2 vocabulary size.
 */
function vocabulary(): Buffer[] {
  const tokens: Buffer[] = [];
  const seen = new Set<string>();
  const push = (token: Buffer) => {
    const key = token.toString("latin1");
    if (seen.has(key)) return;
    seen.add(key);
    tokens.push(token);
  };
  for (let b = 0; b < 256; b++) push(Buffer.from([b]));
  for (const word of WORDS) {
    push(Buffer.from(` ${word}`));
    push(Buffer.from(word));
  }
  const syllables: string[] = [];
  for (const c of "bdfghklmnprstvz") for (const v of "aeiou") syllables.push(c + v);
  for (let n = 0; tokens.length < TEXT_TOKENS; n++) {
    let body = "";
    let rest = n >> 1;
    do {
      body = (syllables[rest % syllables.length] ?? "") + body;
      rest = Math.floor(rest / syllables.length);
    } while (rest > 0);
    push(Buffer.from((n & 1) === 0 ? ` ${body}` : body));
  }
  return tokens;
}

/** Collects the file's bytes; the generated model is a few megabytes, so it is built in memory. */
class ByteSink {
  readonly parts: Buffer[] = [];

  bytes(data: Buffer): void {
    this.parts.push(data);
  }

  i32(...values: number[]): void {
    const data = Buffer.alloc(4 * values.length);
    values.forEach((value, i) => {
      data.writeInt32LE(value, 4 * i);
    });
    this.parts.push(data);
  }
}

/** Writes the model to `path` and says what was written. */
export async function makeWhisperModel(
  path: string,
  options: WhisperModelOptions = {},
): Promise<WhisperModelFacts> {
  const o = {
    nVocab: options.nVocab ?? 51864,
    nAudioCtx: options.nAudioCtx ?? 1500,
    nState: options.nState ?? 64,
    nHead: options.nHead ?? 2,
    nAudioLayer: options.nAudioLayer ?? 1,
    nTextCtx: options.nTextCtx ?? 448,
    nTextLayer: options.nTextLayer ?? 1,
    nMels: options.nMels ?? 80,
  };
  const f16 = (options.weights ?? "f16") === "f16";
  const random = seededRandom(options.seed ?? 1);
  const specs = tensorSpecs(o);

  const collect = new ByteSink();
  collect.i32(0x67676d6c);
  collect.i32(
    o.nVocab,
    o.nAudioCtx,
    o.nState,
    o.nHead,
    o.nAudioLayer,
    o.nTextCtx,
    o.nState,
    o.nHead,
    o.nTextLayer,
    o.nMels,
    f16 ? 1 : 0,
  );
  const filters = melFilters(o.nMels);
  collect.i32(o.nMels, N_FFT_BINS);
  collect.bytes(Buffer.from(filters.buffer, filters.byteOffset, filters.byteLength));
  const tokens = vocabulary();
  collect.i32(tokens.length);
  for (const token of tokens) {
    collect.i32(token.length);
    collect.bytes(token);
  }

  for (const spec of specs) {
    const count = spec.ne.reduce((a, b) => a * b, 1);
    const half = f16 && spec.big;
    const name = Buffer.from(spec.name);
    collect.i32(spec.ne.length, name.length, half ? GGML_F16 : GGML_F32, ...spec.ne);
    collect.bytes(name);
    // Uniform in ±sqrt(3/fan_in) has unit-variance outputs for unit-variance inputs.
    const fanIn = spec.ne.length >= 2 ? spec.ne.slice(0, -1).reduce((a, b) => a * b, 1) : 1;
    const scale = Math.sqrt(3 / fanIn);
    // Typed arrays are little-endian on every machine these tests run on, as the format requires.
    const values = half ? new Uint16Array(count) : new Float32Array(count);
    for (let i = 0; i < count; i++) {
      const value = spec.fill === "one" ? 1 : spec.fill === "zero" ? 0 : (random() * 2 - 1) * scale;
      values[i] = half ? toHalf(value) : value;
    }
    collect.bytes(Buffer.from(values.buffer, values.byteOffset, values.byteLength));
  }
  const file = Buffer.concat(collect.parts);
  await writeFile(path, file);
  return { path, bytes: file.length, tensorCount: specs.length };
}
