import { type FileHandle, open, readFile, stat } from "node:fs/promises";
import { freemem } from "node:os";
import { HearthError } from "../core/errors.js";
import { GGML_TYPE_SIZES } from "../core/ggml-types.js";

/** What the check learned about a model file that passed it. */
export interface ModelFileFacts {
  path: string;
  /** File size in bytes. */
  bytes: number;
  /** GGUF format version (2 or 3). */
  version: number;
  /** `general.architecture`, e.g. "llama", "qwen2". */
  architecture: string;
  /** `general.name`, when the file has one. */
  name?: string | undefined;
  tensorCount: number;
  /** Bytes of tensor data the header announces. */
  tensorDataBytes: number;
  /** Bytes of KV cache estimated for `contextTokens` (0 when not asked). */
  kvCacheBytes: number;
  /** Bytes of memory the check asked for: tensor data, KV cache and `extraBytes`. */
  requiredBytes: number;
  /** Bytes of memory that were available, and where that figure came from. */
  availableBytes: number;
  availableSource: string;
}

/** Where the available-memory figure comes from; tests inject a small one. */
export interface AvailableMemory {
  bytes: number;
  /** Shown in the message, e.g. "MemAvailable in /proc/meminfo". */
  source: string;
}

export interface ModelFileCheckOptions {
  /** Memory available for the model; default {@link readAvailableMemory}. */
  availableMemory?: () => Promise<AvailableMemory> | AvailableMemory;
  /** Memory needed beyond the weights (runtime, buffers), in bytes. Default 0. */
  extraBytes?: number;
  /**
   * Context window in tokens: when given, the KV cache it needs (f16 keys and values for every
   * layer, from the model's own dimensions) is counted too.
   */
  contextTokens?: number;
}

const GGUF_MAGIC = Buffer.from("GGUF", "ascii");
/** magic (4) + version (4) + tensor count (8) + key/value count (8). */
const GGUF_HEADER_BYTES = 24;
const MIB = 1024 * 1024;
/** Sizes of the fixed-size gguf_type values (docs/gguf.md); 8 (string) and 9 (array) vary. */
const GGUF_VALUE_SIZES: Readonly<Record<number, number>> = {
  0: 1,
  1: 1,
  2: 2,
  3: 2,
  4: 4,
  5: 4,
  6: 4,
  7: 1,
  10: 8,
  11: 8,
  12: 8,
};
const GGUF_STRING = 8;
const GGUF_ARRAY = 9;
/** ggml's GGML_MAX_DIMS. */
const MAX_DIMS = 4;

/** Thrown by the header reader when the file ends before the header does. */
class EndOfFile extends Error {}
/** Thrown by the header reader when a field holds something no GGUF writer produces. */
class Corrupt extends Error {}

/**
 * Reads a GGUF header front to back with every length checked against the file size, so a cut or
 * damaged file is reported as such instead of being read as zeros or looping on a garbage count.
 * node-llama-cpp's `readGgufFileInfo` is made for valid files: tried on the generated model cut to
 * 10, 30, 200, 5000 and 16,893 bytes (its header is 16,896), version 3.21.1 reported each as the whole
 * 21-tensor model, and a garbage tensor count ends in a RangeError from deep inside it. (Its file
 * reader allocates each range it reads and ignores how many bytes the file gave, so past the end it
 * reads zeros. The `infoEndOffset` it returns would show a cut header, lying past the file's end,
 * but a garbage count fails inside it before any offset is returned.) This check is
 * what stands between a half-downloaded file and llama.cpp, so it keeps its own bounds-checked reader.
 */
class HeaderReader {
  readonly #fh: FileHandle;
  readonly size: number;
  pos = 0;
  #window = Buffer.alloc(0);
  #windowStart = 0;

  constructor(fh: FileHandle, size: number) {
    this.#fh = fh;
    this.size = size;
  }

  async #bytes(n: number): Promise<Buffer> {
    if (this.pos + n > this.size) throw new EndOfFile();
    const offset = this.pos - this.#windowStart;
    if (offset < 0 || offset + n > this.#window.length) {
      const length = Math.min(Math.max(n, MIB), this.size - this.pos);
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await this.#fh.read(buffer, 0, length, this.pos);
      if (bytesRead < n) throw new EndOfFile();
      this.#window = buffer.subarray(0, bytesRead);
      this.#windowStart = this.pos;
    }
    const at = this.pos - this.#windowStart;
    this.pos += n;
    return this.#window.subarray(at, at + n);
  }

  async u32(): Promise<number> {
    return (await this.#bytes(4)).readUInt32LE(0);
  }

  async u64(): Promise<number> {
    const v = (await this.#bytes(8)).readBigUInt64LE(0);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Corrupt(`a count or offset of ${v}`);
    return Number(v);
  }

  async str(): Promise<string> {
    const length = await this.u64();
    if (this.pos + length > this.size) throw new EndOfFile();
    if (length > 64 * MIB) throw new Corrupt(`a string of ${length} bytes`);
    return (await this.#bytes(length)).toString("utf8");
  }

  async skip(n: number): Promise<void> {
    if (this.pos + n > this.size) throw new EndOfFile();
    this.pos += n;
  }

  /** Reads a value of gguf_type `type`; returns strings and numbers, skips arrays. */
  async value(type: number): Promise<string | number | undefined> {
    if (type === GGUF_STRING) return this.str();
    if (type === GGUF_ARRAY) {
      const itemType = await this.u32();
      const count = await this.u64();
      const itemSize = GGUF_VALUE_SIZES[itemType];
      if (itemSize !== undefined) await this.skip(count * itemSize);
      else if (itemType === GGUF_STRING) for (let i = 0; i < count; i++) await this.skip(await this.u64());
      else throw new Corrupt(`an array of type ${itemType}`);
      return undefined;
    }
    const size = GGUF_VALUE_SIZES[type];
    if (size === undefined) throw new Corrupt(`a value of type ${type}`);
    const b = await this.#bytes(size);
    if (type === 4) return b.readUInt32LE(0);
    if (type === 10) return Number(b.readBigUInt64LE(0));
    return undefined;
  }
}

interface GgufHeader {
  version: number;
  metadata: Map<string, string | number>;
  tensors: { name: string; elements: number; type: number; offset: number }[];
  /** Where the tensor data section starts. */
  dataStart: number;
}

/**
 * f16 keys and values for every layer: 2 × layers × context × (head size × key/value heads) × 2
 * bytes, from the `<architecture>.*` keys llama.cpp reads. 0 when the keys are missing.
 */
function kvCacheEstimate(metadata: Map<string, string | number>, contextTokens: number): number {
  const arch = metadata.get("general.architecture");
  const num = (key: string) => {
    const v = metadata.get(`${String(arch)}.${key}`);
    return typeof v === "number" ? v : undefined;
  };
  const layers = num("block_count");
  const embedding = num("embedding_length");
  const heads = num("attention.head_count");
  const kvHeads = num("attention.head_count_kv") ?? heads;
  if (!layers || !embedding || !heads || !kvHeads) return 0;
  const headSize = num("attention.key_length") ?? embedding / heads;
  return 2 * layers * contextTokens * headSize * kvHeads * 2;
}

async function readHeader(r: HeaderReader): Promise<GgufHeader> {
  await r.skip(4); // magic, checked by the caller
  const version = await r.u32();
  if (version !== 2 && version !== 3) throw new Corrupt(`GGUF version ${version} (2 and 3 are supported)`);
  const tensorCount = await r.u64();
  const kvCount = await r.u64();
  // each entry takes bytes of its own, so counts larger than the file are garbage
  if (tensorCount > r.size || kvCount > r.size)
    throw new Corrupt(`${tensorCount} tensors and ${kvCount} keys`);
  const metadata = new Map<string, string | number>();
  for (let i = 0; i < kvCount; i++) {
    const key = await r.str();
    const value = await r.value(await r.u32());
    if (value !== undefined) metadata.set(key, value);
  }
  const tensors: GgufHeader["tensors"] = [];
  for (let i = 0; i < tensorCount; i++) {
    const name = await r.str();
    const dims = await r.u32();
    if (dims > MAX_DIMS) throw new Corrupt(`tensor ${name} with ${dims} dimensions`);
    let elements = 1;
    for (let d = 0; d < dims; d++) elements *= await r.u64();
    const type = await r.u32();
    const offset = await r.u64();
    tensors.push({ name, elements, type, offset });
  }
  const alignment = Number(metadata.get("general.alignment") ?? 32) || 32;
  const dataStart = Math.ceil(r.pos / alignment) * alignment;
  return { version, metadata, tensors, dataStart };
}

/** Formats a byte count for people: "812.4 MiB", "1.52 GiB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * MIB) return `${(bytes / (1024 * MIB)).toFixed(2)} GiB`;
  if (bytes >= MIB) return `${(bytes / MIB).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

/**
 * Memory the kernel says can be used without swapping: MemAvailable from /proc/meminfo on Linux
 * (it counts reclaimable page cache, which os.freemem() does not), else os.freemem().
 */
export async function readAvailableMemory(): Promise<AvailableMemory> {
  try {
    const meminfo = await readFile("/proc/meminfo", "utf8");
    const m = /^MemAvailable:\s+(\d+)\s*kB/m.exec(meminfo);
    if (m?.[1]) return { bytes: Number(m[1]) * 1024, source: "MemAvailable in /proc/meminfo" };
  } catch {
    // not Linux: fall through to the portable figure
  }
  return { bytes: freemem(), source: "os.freemem()" };
}

function invalid(message: string, cause?: unknown): HearthError {
  return new HearthError("MODEL_INVALID", message, cause === undefined ? {} : { cause });
}

/**
 * Checks a model file before anything tries to load it, so a bad file becomes one clear message
 * (and a daemon that carries on with templates alone) instead of a native crash or an opaque
 * llama.cpp error: missing, not GGUF, truncated (shorter than the tensor data its header
 * announces), or larger than the memory available. Throws HearthError("MODEL_INVALID").
 *
 * It reads only the header (with its own bounds-checked reader) and never loads node-llama-cpp,
 * so `hearth models verify` and `hearth doctor` can use it too.
 */
export async function checkModelFile(
  path: string,
  options: ModelFileCheckOptions = {},
): Promise<ModelFileFacts> {
  let bytes: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw invalid(`model path is not a file: ${path}`);
    bytes = s.size;
  } catch (err) {
    if (err instanceof HearthError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw invalid(
        `model file not found: ${path} (set llm.model, or fetch one with 'hearth models pull')`,
        err,
      );
    }
    throw invalid(`model file cannot be read: ${path} (${code ?? String(err)})`, err);
  }

  const head = Buffer.alloc(GGUF_HEADER_BYTES);
  let headBytes = 0;
  try {
    const fh = await open(path, "r");
    try {
      headBytes = (await fh.read(head, 0, GGUF_HEADER_BYTES, 0)).bytesRead;
    } finally {
      await fh.close();
    }
  } catch (err) {
    throw invalid(`model file cannot be read: ${path}`, err);
  }
  if (headBytes < GGUF_MAGIC.length || !head.subarray(0, 4).equals(GGUF_MAGIC)) {
    const seen = head.subarray(0, Math.min(headBytes, 4)).toString("hex") || "nothing";
    throw invalid(`not a GGUF model file: ${path} (starts with 0x${seen}, expected 'GGUF')`);
  }
  if (headBytes < GGUF_HEADER_BYTES) {
    throw invalid(`model file is truncated: ${path} has ${bytes} bytes and ends inside its GGUF header`);
  }

  let header: GgufHeader;
  try {
    const fh = await open(path, "r");
    try {
      const reader = new HeaderReader(fh, bytes);
      try {
        header = await readHeader(reader);
      } catch (err) {
        if (err instanceof EndOfFile) {
          throw invalid(
            `model file is truncated: ${path} has ${bytes} bytes and ends inside its GGUF header`,
          );
        }
        if (err instanceof Corrupt) {
          throw invalid(`model file is corrupt: ${path} has a GGUF header announcing ${err.message}`);
        }
        throw err;
      }
    } finally {
      await fh.close();
    }
  } catch (err) {
    if (err instanceof HearthError) throw err;
    throw invalid(`model file cannot be read: ${path}`, err);
  }

  let dataEnd = header.dataStart;
  let tensorDataBytes = 0;
  for (const t of header.tensors) {
    const sizes = GGML_TYPE_SIZES[t.type];
    const size = sizes ? Math.ceil(t.elements / sizes[0]) * sizes[1] : 0;
    tensorDataBytes += size;
    dataEnd = Math.max(dataEnd, header.dataStart + t.offset + size);
  }
  if (dataEnd > bytes) {
    throw invalid(
      `model file is truncated: ${path} has ${bytes} bytes but its header announces tensor data up to byte ${dataEnd} ` +
        `(${formatBytes(dataEnd - bytes)} missing; an interrupted download? 'hearth models verify' rechecks it)`,
    );
  }

  const available = await (options.availableMemory ?? readAvailableMemory)();
  const kvCacheBytes = options.contextTokens ? kvCacheEstimate(header.metadata, options.contextTokens) : 0;
  const extraBytes = options.extraBytes ?? 0;
  const requiredBytes = tensorDataBytes + kvCacheBytes + extraBytes;
  if (requiredBytes > available.bytes) {
    const parts = [`${formatBytes(tensorDataBytes)} of weights`];
    if (kvCacheBytes > 0)
      parts.push(`${formatBytes(kvCacheBytes)} for a ${options.contextTokens}-token context`);
    if (extraBytes > 0) parts.push(`${formatBytes(extraBytes)} for the runtime`);
    throw invalid(
      `model is larger than the memory available: ${path} needs about ${formatBytes(requiredBytes)} ` +
        `(${parts.join(" + ")}) but only ${formatBytes(available.bytes)} is available (${available.source}); ` +
        "choose a smaller model or context",
    );
  }

  const name = header.metadata.get("general.name");
  return {
    path,
    bytes,
    version: header.version,
    architecture: String(header.metadata.get("general.architecture") ?? "unknown"),
    name: typeof name === "string" ? name : undefined,
    tensorCount: header.tensors.length,
    tensorDataBytes,
    kvCacheBytes,
    requiredBytes,
    availableBytes: available.bytes,
    availableSource: available.source,
  };
}
