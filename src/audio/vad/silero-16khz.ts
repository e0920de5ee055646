/**
 * Silero VAD v4's model cut to the graph Hearth runs. The model holds a network for each sample
 * rate it takes: its top-level graph is `Equal(sr, 16000)` feeding an `If` whose `then_branch` is
 * the 16 kHz network and whose `else_branch` the 8 kHz one. ONNX Runtime builds both, though
 * Hearth only ever passes 16 000; the model with the `If` replaced by its 16 kHz branch (and the
 * 8 kHz weights left out) computes the same probabilities and states from the same inputs, and a
 * bare node holding it stood 3.5–4.5 MB lower (docs/benchmarks.md, Memory).
 *
 * The cut works on ONNX's protobuf wire format directly: every message it keeps is copied byte for
 * byte; it only reads the few fields that say what to keep (nodes, their inputs and attributes,
 * initializers' names, the branch's outputs) and writes the new top-level graph. A model of any
 * other shape is left as it is (`undefined`).
 */

/** One field of a protobuf message: its number, wire type, and where its bytes are. */
interface Field {
  no: number;
  wire: number;
  /** The whole field, tag included. */
  raw: Uint8Array;
  /** A length-delimited field's payload; a varint's value otherwise. */
  bytes: Uint8Array;
  value: number;
}

const VARINT = 0;
const FIXED64 = 1;
const LENGTH = 2;
const FIXED32 = 5;

// ONNX's field numbers (onnx.proto3).
const MODEL_GRAPH = 7;
const GRAPH_NODE = 1;
const GRAPH_INITIALIZER = 5;
const GRAPH_OUTPUT = 12;
const NODE_INPUT = 1;
const NODE_OUTPUT = 2;
const NODE_NAME = 3;
const NODE_OP_TYPE = 4;
const NODE_ATTRIBUTE = 5;
const ATTRIBUTE_NAME = 1;
const ATTRIBUTE_GRAPH = 6;
const ATTRIBUTE_GRAPHS = 11;
const TENSOR_DATA_TYPE = 2;
const TENSOR_INT64_DATA = 7;
const TENSOR_NAME = 8;
const TENSOR_RAW_DATA = 9;
const VALUE_INFO_NAME = 1;
const INT64 = 7;

const text = new TextDecoder();
const encoder = new TextEncoder();

/** The fields of a message, in order; undefined if it is not well-formed protobuf. */
function fields(message: Uint8Array): Field[] | undefined {
  const out: Field[] = [];
  let at = 0;
  const varint = (): number | undefined => {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10 && at < message.length; i++) {
      const byte = message[at++] as number;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
    }
    return undefined;
  };
  while (at < message.length) {
    const start = at;
    const tag = varint();
    if (tag === undefined) return undefined;
    const wire = tag % 8;
    const no = Math.floor(tag / 8);
    let bytes = message.subarray(at, at);
    let value = 0;
    if (wire === VARINT) {
      const v = varint();
      if (v === undefined) return undefined;
      value = v;
    } else if (wire === LENGTH) {
      const length = varint();
      if (length === undefined || at + length > message.length) return undefined;
      bytes = message.subarray(at, at + length);
      at += length;
    } else if (wire === FIXED64 || wire === FIXED32) {
      at += wire === FIXED64 ? 8 : 4;
      if (at > message.length) return undefined;
    } else return undefined;
    out.push({ no, wire, raw: message.subarray(start, at), bytes, value });
  }
  return out;
}

function varintBytes(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

/** A length-delimited field. */
function lengthField(no: number, payload: Uint8Array): Uint8Array {
  const head = [...varintBytes(no * 8 + LENGTH), ...varintBytes(payload.length)];
  const out = new Uint8Array(head.length + payload.length);
  out.set(head);
  out.set(payload, head.length);
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const strings = (message: readonly Field[], no: number): string[] =>
  message.filter((f) => f.no === no && f.wire === LENGTH).map((f) => text.decode(f.bytes));

/** An `Identity` node from `input` to `output`. */
function identity(input: string, output: string, name: string): Uint8Array {
  return concat([
    lengthField(NODE_INPUT, encoder.encode(input)),
    lengthField(NODE_OUTPUT, encoder.encode(output)),
    lengthField(NODE_NAME, encoder.encode(name)),
    lengthField(NODE_OP_TYPE, encoder.encode("Identity")),
  ]);
}

/** Every name the nodes of `graph` read, their subgraphs' included; undefined if malformed. */
function namesRead(graph: readonly Field[], into: Set<string>): boolean {
  for (const node of graph.filter((f) => f.no === GRAPH_NODE)) {
    const nodeFields = fields(node.bytes);
    if (!nodeFields) return false;
    for (const input of strings(nodeFields, NODE_INPUT)) into.add(input);
    for (const attribute of nodeFields.filter((f) => f.no === NODE_ATTRIBUTE)) {
      const attributeFields = fields(attribute.bytes);
      if (!attributeFields) return false;
      for (const sub of attributeFields.filter(
        (f) => f.no === ATTRIBUTE_GRAPH || f.no === ATTRIBUTE_GRAPHS,
      )) {
        const subFields = fields(sub.bytes);
        if (!subFields || !namesRead(subFields, into)) return false;
      }
    }
  }
  return true;
}

/** An int64 tensor's single value, or undefined. */
function int64Scalar(tensor: readonly Field[]): number | undefined {
  if (tensor.find((f) => f.no === TENSOR_DATA_TYPE)?.value !== INT64) return undefined;
  const raw = tensor.find((f) => f.no === TENSOR_RAW_DATA);
  if (raw) {
    if (raw.bytes.length !== 8) return undefined;
    return Number(new DataView(raw.bytes.buffer, raw.bytes.byteOffset, 8).getBigInt64(0, true));
  }
  const data = tensor.filter((f) => f.no === TENSOR_INT64_DATA);
  if (data.length === 1 && data[0]?.wire === VARINT) return data[0].value;
  if (data.length === 1 && data[0]?.wire === LENGTH) {
    const packed = fields(concat([new Uint8Array([8]), data[0].bytes]));
    return packed?.length === 1 ? packed[0]?.value : undefined;
  }
  return undefined;
}

/**
 * The Silero VAD v4 model `model` with only its 16 kHz network; undefined when the model is not
 * shaped as described above (another version, another model), so it is loaded as it is.
 */
export function silero16kHzOnly(model: Uint8Array): Uint8Array | undefined {
  const modelFields = fields(model);
  const graphs = modelFields?.filter((f) => f.no === MODEL_GRAPH && f.wire === LENGTH) ?? [];
  const graph = graphs.length === 1 ? fields((graphs[0] as Field).bytes) : undefined;
  if (!modelFields || !graph) return undefined;
  const nodes = graph.filter((f) => f.no === GRAPH_NODE).map((f) => fields(f.bytes));
  const [equal, branch] = nodes;
  if (nodes.length !== 2 || !equal || !branch) return undefined;
  if (strings(equal, NODE_OP_TYPE)[0] !== "Equal" || strings(branch, NODE_OP_TYPE)[0] !== "If")
    return undefined;
  const [rate, constant] = strings(equal, NODE_INPUT);
  const [condition] = strings(equal, NODE_OUTPUT);
  if (rate !== "sr" || strings(branch, NODE_INPUT)[0] !== condition) return undefined;
  const initializers = graph
    .filter((f) => f.no === GRAPH_INITIALIZER)
    .map((f) => ({ field: f, tensor: fields(f.bytes) }));
  const sixteen = initializers.find((i) => i.tensor && strings(i.tensor, TENSOR_NAME)[0] === constant);
  if (!sixteen?.tensor || int64Scalar(sixteen.tensor) !== 16000) return undefined;
  let thenBranch: Field[] | undefined;
  for (const attribute of branch.filter((f) => f.no === NODE_ATTRIBUTE)) {
    const attributeFields = fields(attribute.bytes);
    if (attributeFields && strings(attributeFields, ATTRIBUTE_NAME)[0] === "then_branch") {
      const sub = attributeFields.find((f) => f.no === ATTRIBUTE_GRAPH);
      thenBranch = sub ? fields(sub.bytes) : undefined;
    }
  }
  if (!thenBranch) return undefined;
  const results = strings(branch, NODE_OUTPUT);
  const branchOutputs = thenBranch
    .filter((f) => f.no === GRAPH_OUTPUT)
    .map((f) => fields(f.bytes))
    .map((o) => (o ? strings(o, VALUE_INFO_NAME)[0] : undefined));
  if (branchOutputs.length !== results.length || branchOutputs.some((o) => o === undefined)) return undefined;
  const read = new Set<string>();
  if (!namesRead(thenBranch, read)) return undefined;
  // The top-level graph's fields in order, less its two nodes and the weights the branch does not
  // read; then the branch's nodes, an Identity from each of its outputs to the If's, its weights.
  const kept: Uint8Array[] = [];
  for (const f of graph) {
    if (f.no === GRAPH_NODE) continue;
    if (f.no === GRAPH_INITIALIZER) {
      const tensor = fields(f.bytes);
      if (!tensor || !read.has(strings(tensor, TENSOR_NAME)[0] ?? "")) continue;
    }
    kept.push(f.raw);
  }
  for (const f of thenBranch) if (f.no === GRAPH_NODE) kept.push(f.raw);
  results.forEach((result, i) => {
    kept.push(lengthField(GRAPH_NODE, identity(branchOutputs[i] as string, result, `hearth_16khz_${i}`)));
  });
  for (const f of thenBranch) if (f.no === GRAPH_INITIALIZER) kept.push(f.raw);
  const newGraph = lengthField(MODEL_GRAPH, concat(kept));
  return concat(modelFields.map((f) => (f.no === MODEL_GRAPH ? newGraph : f.raw)));
}
