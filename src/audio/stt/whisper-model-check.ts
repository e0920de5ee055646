import { type FileHandle, open, stat } from "node:fs/promises";
import { HearthError } from "../../core/errors.js";
import { GGML_TYPE_SIZES } from "../../core/ggml-types.js";

/** What the check learned about a whisper model file that passed it. */
export interface WhisperModelFacts {
  path: string;
  /** File size in bytes. */
  bytes: number;
  nVocab: number;
  /** True for 51865+ tokens (whisper.cpp's rule); English-only models have 51864. */
  multilingual: boolean;
  nAudioLayer: number;
  nTextLayer: number;
  nState: number;
  nMels: number;
  /** ggml file type of the big tensors (0 F32, 1 F16, 2+ quantised), quantisation version removed. */
  ftype: number;
  tensorCount: number;
}

/** "ggml" read as a little-endian u32: the legacy format whisper.cpp's whisper_model_load reads. */
const GGML_MAGIC = 0x67676d6c;
/** "GGUF" as a little-endian u32, for a clear message when someone points at an LLM file. */
const GGUF_MAGIC = 0x46554747;
/** ggml.h GGML_QNT_VERSION_FACTOR: ftype carries the quantisation version in its thousands. */
const QNT_VERSION_FACTOR = 1000;
/** Highest ggml_ftype value (ggml.h) at @fugood/whisper.node 1.1.3. */
const MAX_FTYPE = 28;
/** STFT bins of whisper's 400-sample window; whisper.cpp asserts this. */
const N_FFT_BINS = 201;
/** Longest token in byte-level BPE vocabularies is far below this; larger means a corrupt file. */
const MAX_TOKEN_BYTES = 1024;
/** Tensor names are like "decoder.blocks.31.cross_attn.query.weight". */
const MAX_NAME_BYTES = 256;

/** Sequential little-endian reads through a file, buffered, that fail with a clear message at EOF. */
class FileReader {
  private buffer = Buffer.alloc(0);
  private bufferStart = 0;
  position = 0;

  constructor(
    private readonly handle: FileHandle,
    readonly size: number,
    private readonly fail: (message: string) => never,
  ) {}

  /** Makes `length` bytes from the current position available, or fails as truncated. */
  private async need(length: number, what: string): Promise<Buffer> {
    if (this.position + length > this.size) {
      this.fail(`it ends inside ${what} (at byte ${this.position} of ${this.size}): the file is truncated`);
    }
    const offset = this.position - this.bufferStart;
    if (offset < 0 || offset + length > this.buffer.length) {
      const chunk = Math.max(length, 1 << 16);
      const buffer = Buffer.alloc(Math.min(chunk, this.size - this.position));
      const { bytesRead } = await this.handle.read(buffer, 0, buffer.length, this.position);
      if (bytesRead < length) this.fail(`it could not be read at byte ${this.position}`);
      this.buffer = buffer.subarray(0, bytesRead);
      this.bufferStart = this.position;
    }
    const start = this.position - this.bufferStart;
    this.position += length;
    return this.buffer.subarray(start, start + length);
  }

  async i32(what: string): Promise<number> {
    return (await this.need(4, what)).readInt32LE(0);
  }

  async u32(what: string): Promise<number> {
    return (await this.need(4, what)).readUInt32LE(0);
  }

  async text(length: number, what: string): Promise<string> {
    return (await this.need(length, what)).toString("utf8");
  }

  /** Moves past `length` bytes without reading them (tensor data). */
  skip(length: number, what: string): void {
    if (this.position + length > this.size) {
      this.fail(
        `it ends inside ${what} (${length} bytes from byte ${this.position}, the file has ${this.size}): the file is truncated`,
      );
    }
    this.position += length;
  }
}

/**
 * Checks, in JavaScript and before any native code sees it, that `path` is a complete whisper.cpp
 * ggml model: the magic, sane hyperparameters, the mel filters, the vocabulary, and every tensor
 * header with its data inside the file, as many tensors as the hyperparameters call for, and
 * nothing after them. whisper.cpp's own loader does not check its reads: a file cut inside its
 * last tensor loads without complaint (tried with @fugood/whisper.node 1.1.3), and a file with no
 * tensors loads as an empty model "for testing", so a broken download would otherwise become
 * garbage transcripts instead of a message. Reads only headers: a
 * 1.5 GB model is checked in milliseconds.
 *
 * @throws HearthError MODEL_INVALID naming the file and what is wrong with it.
 */
export async function checkWhisperModel(path: string): Promise<WhisperModelFacts> {
  const fail = (message: string): never => {
    throw new HearthError("MODEL_INVALID", `whisper model ${path}: ${message}`);
  };
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) fail("is not a regular file");
    size = info.size;
  } catch (err) {
    if (err instanceof HearthError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new HearthError(
      "MODEL_INVALID",
      code === "ENOENT"
        ? `whisper model ${path} does not exist (set stt.whisper.model to a ggml-*.bin file)`
        : `whisper model ${path} cannot be read (${code ?? String(err)})`,
      { cause: err },
    );
  }
  let handle: FileHandle;
  try {
    handle = await open(path, "r");
  } catch (err) {
    throw new HearthError(
      "MODEL_INVALID",
      `whisper model ${path} cannot be opened (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
      { cause: err },
    );
  }
  try {
    return await walk(new FileReader(handle, size, fail), path, fail);
  } finally {
    await handle.close();
  }
}

async function walk(
  reader: FileReader,
  path: string,
  fail: (message: string) => never,
): Promise<WhisperModelFacts> {
  if (reader.size < 4) fail(`is ${reader.size} bytes long, too short to be a model`);
  const magic = await reader.u32("the magic number");
  if (magic === GGUF_MAGIC) {
    fail("is a GGUF file (a language model?); whisper.cpp needs a whisper model in ggml format (ggml-*.bin)");
  }
  if (magic !== GGML_MAGIC) {
    fail(
      `does not start with the ggml magic 0x67676d6c (found 0x${magic.toString(16).padStart(8, "0")}); it is not a whisper.cpp model`,
    );
  }

  const names = [
    "n_vocab",
    "n_audio_ctx",
    "n_audio_state",
    "n_audio_head",
    "n_audio_layer",
    "n_text_ctx",
    "n_text_state",
    "n_text_head",
    "n_text_layer",
    "n_mels",
  ] as const;
  const h = {} as Record<(typeof names)[number], number>;
  for (const name of names) {
    const value = await reader.i32(`the hyperparameters (${name})`);
    if (value <= 0 || value > 1_000_000) fail(`hyperparameter ${name} is ${value}, not a plausible size`);
    h[name] = value;
  }
  const rawFtype = await reader.i32("the hyperparameters (ftype)");
  const ftype = rawFtype % QNT_VERSION_FACTOR;
  if (rawFtype < 0 || ftype > MAX_FTYPE) fail(`file type ${rawFtype} is not one whisper.cpp knows`);
  if (h.n_text_state !== h.n_audio_state) {
    fail(`n_text_state ${h.n_text_state} differs from n_audio_state ${h.n_audio_state}`);
  }
  if (h.n_audio_state % h.n_audio_head !== 0 || h.n_text_state % h.n_text_head !== 0) {
    fail("the state width is not a multiple of the number of attention heads");
  }
  // whisper.cpp derives the special tokens (end of text, languages, timestamps) from n_vocab.
  if (h.n_vocab < 51864) fail(`n_vocab ${h.n_vocab} is below the 51864 tokens every whisper model has`);

  const nMel = await reader.i32("the mel filters");
  const nFft = await reader.i32("the mel filters");
  if (nMel !== h.n_mels) fail(`the mel filter bank has ${nMel} bands but n_mels is ${h.n_mels}`);
  if (nFft !== N_FFT_BINS) fail(`the mel filters cover ${nFft} frequency bins, not ${N_FFT_BINS}`);
  reader.skip(4 * nMel * nFft, "the mel filters");

  const tokens = await reader.i32("the vocabulary");
  if (tokens < 0 || tokens > h.n_vocab)
    fail(`the vocabulary announces ${tokens} tokens (n_vocab ${h.n_vocab})`);
  for (let i = 0; i < tokens; i++) {
    const length = await reader.u32("the vocabulary");
    if (length > MAX_TOKEN_BYTES) fail(`token ${i} claims ${length} bytes; the vocabulary is corrupt`);
    reader.skip(length, "the vocabulary");
  }

  const expected = 11 + 15 * h.n_audio_layer + 24 * h.n_text_layer;
  let tensorCount = 0;
  while (reader.position < reader.size) {
    const at = reader.position;
    const nDims = await reader.i32("a tensor header");
    const nameLength = await reader.i32("a tensor header");
    const type = await reader.i32("a tensor header");
    if (nDims < 1 || nDims > 4) fail(`the tensor header at byte ${at} has ${nDims} dimensions`);
    if (nameLength < 1 || nameLength > MAX_NAME_BYTES) {
      fail(`the tensor header at byte ${at} has a name of ${nameLength} bytes`);
    }
    let elements = 1;
    for (let d = 0; d < nDims; d++) {
      const dim = await reader.i32("a tensor header");
      if (dim <= 0) fail(`the tensor header at byte ${at} has dimension ${dim}`);
      elements *= dim;
    }
    const name = await reader.text(nameLength, "a tensor name");
    const traits = GGML_TYPE_SIZES[type];
    if (traits === undefined) fail(`tensor ${name} has ggml type ${type}, which whisper.cpp cannot load`);
    const [blockSize, typeSize] = traits;
    if (elements % blockSize !== 0)
      fail(`tensor ${name} has ${elements} elements, not whole blocks of its type`);
    reader.skip((elements / blockSize) * typeSize, `tensor ${name}`);
    tensorCount++;
  }
  if (tensorCount === 0) fail("has no tensors (whisper.cpp would load it as an empty test model)");
  if (tensorCount !== expected) {
    fail(
      `has ${tensorCount} tensors but its ${h.n_audio_layer} encoder and ${h.n_text_layer} decoder layers need ${expected}: the file is incomplete or not a whisper model`,
    );
  }

  return {
    path,
    bytes: reader.size,
    nVocab: h.n_vocab,
    multilingual: h.n_vocab >= 51865,
    nAudioLayer: h.n_audio_layer,
    nTextLayer: h.n_text_layer,
    nState: h.n_audio_state,
    nMels: h.n_mels,
    ftype,
    tensorCount,
  };
}
