import { writeFile } from "node:fs/promises";
import { seededRandom } from "./seeded-random.mjs";

/**
 * Writes a tiny random-weight GGUF v3 model (llama architecture) that llama.cpp, and so
 * node-llama-cpp, loads and generates from. It exists so that the LLM path can be exercised where
 * no model can be downloaded: the tests (its output is noise, which is the point: the JSON-schema
 * grammar must keep even a model that knows nothing inside the registry), the benchmark
 * (`bench/llm.mjs` measures Hearth's own overhead, load time and the native runtime's speed with
 * it), and checking that a board's llama.cpp build loads and generates at all, without downloading
 * anything. It is never used to understand anyone.
 *
 * Layout per ggml's docs/gguf.md: header (magic, version 3, tensor count, key/value count), the
 * metadata key/values, the tensor infos (name, dims innermost first, ggml type, offset into the
 * data section), padding to `general.alignment`, then the tensor data, each tensor aligned.
 * Keys and tensor names are those llama.cpp's llama-arch.cpp reads for LLM_ARCH_LLAMA.
 *
 * The tokenizer is SentencePiece-style (`tokenizer.ggml.model = "llama"`): control tokens, the 256
 * byte-fallback tokens `<0x00>`…`<0xFF>` (so any text, any UTF-8, tokenizes), one token per
 * printable ASCII character plus `▁` (the SentencePiece space), and byte-pair merges learnt from
 * a small corpus so that text takes about as many tokens as with a real model.
 */
// Types: tiny-gguf.d.mts beside this file.
/** ChatML, the template Qwen and many small instruct models use; node-llama-cpp recognises it. */
export const CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
const GGUF_MAGIC = 0x46554747; // "GGUF" read as a little-endian uint32
const GGUF_VERSION = 3;
const ALIGNMENT = 32;
/** gguf_type values (docs/gguf.md). */
const T = { UINT32: 4, INT32: 5, FLOAT32: 6, BOOL: 7, STRING: 8, ARRAY: 9 };
/** llama_token_type values (llama.h). */
const TOKEN = { NORMAL: 1, UNKNOWN: 2, CONTROL: 3, BYTE: 6 };
const GGML_TYPE_F32 = 0;
/** Tiny byte sink: GGUF is little-endian throughout. */
class ByteWriter {
  #chunks = [];
  #length = 0;
  get length() {
    return this.#length;
  }
  bytes(b) {
    this.#chunks.push(b);
    this.#length += b.length;
  }
  u32(v) {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    this.bytes(b);
  }
  i32(v) {
    const b = Buffer.alloc(4);
    b.writeInt32LE(v);
    this.bytes(b);
  }
  u64(v) {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    this.bytes(b);
  }
  f32(v) {
    const b = Buffer.alloc(4);
    b.writeFloatLE(v);
    this.bytes(b);
  }
  str(s) {
    const b = Buffer.from(s, "utf8");
    this.u64(b.length);
    this.bytes(b);
  }
  padTo(alignment) {
    const pad = (alignment - (this.#length % alignment)) % alignment;
    if (pad > 0) this.bytes(Buffer.alloc(pad));
  }
  toBuffer() {
    return Buffer.concat(this.#chunks, this.#length);
  }
}
/**
 * Text the tokenizer's merges are learnt from: the shape of a voice assistant's prompts and JSON
 * replies. A character-level vocabulary would make a system prompt with a device list four times
 * as many tokens as a real model's, and on the CPU every context token costs time at every step.
 */
export const DEFAULT_CORPUS = `
You are Hearth, the voice assistant of a home. Turn the user's request into one JSON object.
For a command or a question about the home, reply with the intent and its slots, using only the
intents, slots, names and areas listed below, spelled exactly as listed. If nothing fits, reply none.
For any other question or chat, reply with an answer of one or two short sentences.
Intents and their slot combinations. Slots: name, area, floor, domain, device class, brightness,
color, position, temperature, percentage, volume level, state, hours, minutes, seconds, item.
HassTurnOn HassTurnOff HassToggle HassLightSet HassSetPosition HassClimateSetTemperature
HassClimateGetTemperature HassGetState HassFanSetSpeed HassSetVolume HassMediaPause HassMediaUnpause
HassMediaNext HassVacuumStart HassVacuumReturnToBase HassStartTimer HassCancelTimer HassTimerStatus
HassShoppingListAddItem HassGetWeather HassGetCurrentTime HassGetCurrentDate HassNevermind
turn on, open, lock or activate devices; turn off, close or unlock devices; toggle devices; set
lights' brightness or color; set covers' or valves' position; set the target temperature; tell the
current temperature; tell whether devices are on, off, open, locked or a sensor's value; set fans'
speed; set a media player's volume; pause the music or video; resume; skip to the next track; start
the vacuum cleaner; send it back to its dock; start a timer; cancel the timer; tell how long the
timer has left; add an item to the shopping list; tell the weather; tell the time; tell the date.
Floors: Ground Floor; Upstairs; Downstairs; Basement; Attic. Areas: Kitchen; Living Room; Bedroom;
Bathroom; Office; Garage; Garden; Hallway; Dining Room; Patio. Devices (name: domain, area):
light, switch, fan, cover, climate, lock, valve, vacuum, media_player, scene, script, sensor,
binary_sensor, weather, todo, humidifier, water_heater, input_boolean, automation, blind, garage,
temperature, humidity. Ceiling Light, Lamp, Lights, Desk Lamp, Reading Lamp, Bedside Lamp, Counter
Lights, Coffee Maker, Television, Ceiling Fan, Garage Door, Blinds, Thermostat, Front Door, Robot
Vacuum, Forecast, Movie Night, Heater, Plug, Speaker, Window, Door, Device, Room.
Context: The speaker is in the Kitchen. Last devices: Desk Lamp (Office). Last area: Office.
Request: turn on the kitchen light please. Switch off the lights in the living room. Is the garage
door open? It's too dark in here. I'm heading to bed, shut everything downstairs. Make it brighter.
And the bedroom too. How many minutes in three hours? Tell me a joke. What time is it?
{"intent": "HassTurnOn", "slots": {"name": "Kitchen Light"}}
{"intent": "HassTurnOff", "slots": {"area": "Living Room", "domain": "light"}}
{"intent": "HassLightSet", "slots": {"brightness": 40, "name": "Desk Lamp"}}
{"intent": "HassClimateSetTemperature", "slots": {"temperature": 21.5}}
{"intent": "HassGetState", "slots": {"name": "Garage Door", "state": "open"}}
{"intent": "none"}
{"answer": "There are 180 minutes in three hours."}
`;
/**
 * Learns `count` byte-pair merges from `corpus` the SentencePiece way: words are split at
 * whitespace and start with `▁`, and the most frequent adjacent pair is merged each round. Scores
 * fall with each round, so llama.cpp's SPM tokenizer (which merges the best-scoring pair first)
 * applies them in the order they were learnt.
 */
function learnMerges(corpus, count) {
  const words = new Map();
  for (const word of corpus.split(/\s+/)) {
    if (word && /^[\x21-\x7e]+$/.test(word))
      words.set(`\u2581${word}`, (words.get(`\u2581${word}`) ?? 0) + 1);
  }
  const split = [...words].map(([word, freq]) => ({ symbols: [...word], freq }));
  const merges = [];
  for (let round = 0; round < count; round++) {
    const pairs = new Map();
    for (const { symbols, freq } of split) {
      for (let i = 0; i + 1 < symbols.length; i++) {
        const key = `${symbols[i]}\u0000${symbols[i + 1]}`;
        pairs.set(key, (pairs.get(key) ?? 0) + freq);
      }
    }
    let best;
    let bestCount = 1;
    for (const [key, n] of pairs) {
      if (n > bestCount || (n === bestCount && best !== undefined && key < best)) {
        best = key;
        bestCount = n;
      }
    }
    if (!best) break;
    const [a, b] = best.split("\u0000");
    merges.push(a + b);
    for (const word of split) {
      const out = [];
      for (let i = 0; i < word.symbols.length; i++) {
        if (word.symbols[i] === a && word.symbols[i + 1] === b) {
          out.push(a + b);
          i++;
        } else out.push(word.symbols[i]);
      }
      word.symbols = out;
    }
  }
  return merges;
}
/**
 * The vocabulary: control tokens, the 256 byte-fallback tokens, printable ASCII and `▁` (the
 * SentencePiece space), then the merges learnt from the corpus.
 */
function vocabulary(corpus, merges) {
  const tokens = [];
  const types = [];
  const scores = [];
  const seen = new Set();
  const add = (t, type, score = 0) => {
    if (seen.has(t)) return;
    seen.add(t);
    tokens.push(t);
    types.push(type);
    scores.push(score);
  };
  add("<unk>", TOKEN.UNKNOWN);
  add("<s>", TOKEN.CONTROL);
  add("</s>", TOKEN.CONTROL);
  add("<|im_start|>", TOKEN.CONTROL);
  add("<|im_end|>", TOKEN.CONTROL);
  for (let b = 0; b < 256; b++) add(`<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`, TOKEN.BYTE);
  add("\u2581", TOKEN.NORMAL, -1e6);
  for (let c = 0x21; c <= 0x7e; c++) add(String.fromCharCode(c), TOKEN.NORMAL, -1e6);
  for (const [rank, piece] of learnMerges(corpus, merges).entries()) add(piece, TOKEN.NORMAL, -rank);
  return { tokens, types, scores };
}
function writeMeta(w, key, v) {
  w.str(key);
  switch (v.type) {
    case "string":
      w.u32(T.STRING);
      w.str(v.value);
      break;
    case "uint32":
      w.u32(T.UINT32);
      w.u32(v.value);
      break;
    case "float32":
      w.u32(T.FLOAT32);
      w.f32(v.value);
      break;
    case "bool":
      w.u32(T.BOOL);
      w.bytes(Buffer.from([v.value ? 1 : 0]));
      break;
    case "string[]":
      w.u32(T.ARRAY);
      w.u32(T.STRING);
      w.u64(v.value.length);
      for (const s of v.value) w.str(s);
      break;
    case "float32[]":
      w.u32(T.ARRAY);
      w.u32(T.FLOAT32);
      w.u64(v.value.length);
      for (const x of v.value) w.f32(x);
      break;
    case "int32[]":
      w.u32(T.ARRAY);
      w.u32(T.INT32);
      w.u64(v.value.length);
      for (const x of v.value) w.i32(x);
      break;
  }
}
/** Builds the GGUF bytes in memory (a few hundred KiB with the defaults). */
export function buildTinyGguf(options = {}) {
  const nEmbd = options.embeddingLength ?? 64;
  const nLayer = options.blockCount ?? 2;
  const nHead = options.headCount ?? 1;
  const nHeadKv = options.headCountKv ?? nHead;
  const nFf = options.feedForwardLength ?? 128;
  const scale = options.weightScale ?? 0.05;
  if (nEmbd % nHead !== 0 || nHead % nHeadKv !== 0) {
    throw new Error("embeddingLength must divide by headCount, and headCount by headCountKv");
  }
  const headDim = nEmbd / nHead;
  const nEmbdKv = headDim * nHeadKv;
  const vocab = vocabulary(options.corpus ?? DEFAULT_CORPUS, options.merges ?? 400);
  const nVocab = vocab.tokens.length;
  const random = seededRandom(options.seed ?? 1);
  const randomTensor = (name, dims) => {
    const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = (random() * 2 - 1) * scale;
    return { name, dims, data };
  };
  const onesTensor = (name, dims) => ({
    name,
    dims,
    data: new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(1),
  });
  const tensors = [randomTensor("token_embd.weight", [nEmbd, nVocab])];
  for (let i = 0; i < nLayer; i++) {
    const p = `blk.${i}`;
    tensors.push(
      onesTensor(`${p}.attn_norm.weight`, [nEmbd]),
      randomTensor(`${p}.attn_q.weight`, [nEmbd, nEmbd]),
      randomTensor(`${p}.attn_k.weight`, [nEmbd, nEmbdKv]),
      randomTensor(`${p}.attn_v.weight`, [nEmbd, nEmbdKv]),
      randomTensor(`${p}.attn_output.weight`, [nEmbd, nEmbd]),
      onesTensor(`${p}.ffn_norm.weight`, [nEmbd]),
      randomTensor(`${p}.ffn_gate.weight`, [nEmbd, nFf]),
      randomTensor(`${p}.ffn_down.weight`, [nFf, nEmbd]),
      randomTensor(`${p}.ffn_up.weight`, [nEmbd, nFf]),
    );
  }
  tensors.push(onesTensor("output_norm.weight", [nEmbd]), randomTensor("output.weight", [nEmbd, nVocab]));
  const meta = [
    ["general.architecture", { type: "string", value: "llama" }],
    ["general.name", { type: "string", value: options.name ?? "hearth-tiny-test" }],
    ["general.alignment", { type: "uint32", value: ALIGNMENT }],
    ["general.file_type", { type: "uint32", value: 0 }], // ALL_F32
    ["llama.context_length", { type: "uint32", value: options.contextLength ?? 4096 }],
    ["llama.embedding_length", { type: "uint32", value: nEmbd }],
    ["llama.block_count", { type: "uint32", value: nLayer }],
    ["llama.feed_forward_length", { type: "uint32", value: nFf }],
    ["llama.attention.head_count", { type: "uint32", value: nHead }],
    ["llama.attention.head_count_kv", { type: "uint32", value: nHeadKv }],
    ["llama.attention.layer_norm_rms_epsilon", { type: "float32", value: 1e-5 }],
    ["llama.rope.dimension_count", { type: "uint32", value: headDim }],
    ["llama.rope.freq_base", { type: "float32", value: 10000 }],
    ["llama.vocab_size", { type: "uint32", value: nVocab }],
    ["tokenizer.ggml.model", { type: "string", value: "llama" }],
    ["tokenizer.ggml.tokens", { type: "string[]", value: vocab.tokens }],
    ["tokenizer.ggml.scores", { type: "float32[]", value: vocab.scores }],
    ["tokenizer.ggml.token_type", { type: "int32[]", value: vocab.types }],
    ["tokenizer.ggml.unknown_token_id", { type: "uint32", value: 0 }],
    ["tokenizer.ggml.bos_token_id", { type: "uint32", value: 1 }],
    // <|im_end|> ends a ChatML turn, so it is the end-of-generation token
    ["tokenizer.ggml.eos_token_id", { type: "uint32", value: 4 }],
    ["tokenizer.ggml.add_bos_token", { type: "bool", value: true }],
    ["tokenizer.ggml.add_eos_token", { type: "bool", value: false }],
    ["tokenizer.chat_template", { type: "string", value: options.chatTemplate ?? CHATML_TEMPLATE }],
  ];
  const w = new ByteWriter();
  w.u32(GGUF_MAGIC);
  w.u32(GGUF_VERSION);
  w.u64(tensors.length);
  w.u64(meta.length);
  for (const [key, value] of meta) writeMeta(w, key, value);
  let offset = 0;
  const offsets = [];
  for (const t of tensors) {
    w.str(t.name);
    w.u32(t.dims.length);
    for (const d of t.dims) w.u64(d);
    w.u32(GGML_TYPE_F32);
    w.u64(offset);
    offsets.push(offset);
    offset += t.data.byteLength;
    offset += (ALIGNMENT - (offset % ALIGNMENT)) % ALIGNMENT;
  }
  w.padTo(ALIGNMENT);
  const dataOffset = w.length;
  for (const t of tensors) {
    w.bytes(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    w.padTo(ALIGNMENT);
  }
  const buffer = w.toBuffer();
  return {
    buffer,
    info: { bytes: buffer.length, vocabularySize: nVocab, tensorCount: tensors.length, dataOffset },
  };
}
/** Writes the tiny model to `path` (see {@link buildTinyGguf}). */
export async function makeTinyGguf(path, options = {}) {
  const { buffer, info } = buildTinyGguf(options);
  await writeFile(path, buffer);
  return { path, ...info };
}
