// Writing a GraphBuilder as an ONNX model (IR 8, opset 17).
//
//   saveToBuffer(g): Uint8Array                                         weights inline (tests, tiny models)
//   saveToFile(g, '/dir/unet.onnx', { externalData })                   atomic; with external data all
//       weights go to one '/dir/unet.onnx.data' file, appended as each TensorRef is read (one at a time),
//       which keeps memory flat and lifts protobuf's 2 GB limit.
//
// Each weight is stored in its initializer's dtype, the graph's compute type: an fp16 graph stores
// FLOAT16 initializers that its nodes use directly (no Cast back to float32).
// Nodes and initializers that no output depends on are dropped (e.g. the appearance encoder's tail).

import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import onnxProto from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { OPSET, type AttrValue, type GraphBuilder, type GraphIO, type NodeSpec, type Shape } from './graph';
import { ONNX_DTYPE } from './ops';
import { float32ToFloat16Bits } from './fp16';

const { onnx } = onnxProto;

export interface FileSaveOptions {
  /** 'auto' = external data when the weights exceed 1 GiB. Default 'auto'. */
  externalData?: 'auto' | 'always' | 'never';
}

type WeightSink = (name: string, bytes: Uint8Array) => OnnxTypes.ITensorProto;

/** The model with weights inline. */
export function saveToBuffer(g: GraphBuilder): Uint8Array {
  const sink: WeightSink = (name, bytes) => ({ name, rawData: bytes });
  return encodeModel(g, sink);
}

/** Writes `<path>` (and `<path>.data` with external data) atomically: temp files, then rename. */
export function saveToFile(g: GraphBuilder, path: string, opts: FileSaveOptions = {}): { path: string; dataPath?: string } {
  const weightBytes = liveWeights(g).reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1) * bytesPerWeight(w.dtype), 0);
  const mode = opts.externalData ?? 'auto';
  const external = mode === 'always' || (mode === 'auto' && weightBytes > 2 ** 30);
  const tmpModel = `${path}.tmp-${process.pid}`;
  if (!external) {
    writeAll(tmpModel, saveToBuffer(g));
    renameSync(tmpModel, path);
    return { path };
  }
  const dataPath = `${path}.data`;
  const tmpData = `${dataPath}.tmp-${process.pid}`;
  const fd = openSync(tmpData, 'w');
  try {
    let offset = 0;
    const sink: WeightSink = (name, bytes) => {
      const pad = (16 - (offset % 16)) % 16; // keep tensors 16-byte aligned for mmap-friendly reads
      if (pad) writeSync(fd, new Uint8Array(pad));
      offset += pad;
      writeSync(fd, bytes);
      const entry = {
        name,
        dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
        externalData: [
          { key: 'location', value: basename(dataPath) },
          { key: 'offset', value: String(offset) },
          { key: 'length', value: String(bytes.byteLength) },
        ],
      };
      offset += bytes.byteLength;
      return entry;
    };
    const model = encodeModel(g, sink);
    fsyncSync(fd);
    closeSync(fd);
    writeAll(tmpModel, model);
  } catch (err) {
    try { closeSync(fd); } catch { /* already closed */ }
    rmSync(tmpData, { force: true });
    rmSync(tmpModel, { force: true });
    throw err;
  }
  renameSync(tmpData, dataPath);
  renameSync(tmpModel, path);
  return { path, dataPath };
}

function writeAll(path: string, bytes: Uint8Array) {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Names of the tensors the outputs depend on, walking the nodes backwards. */
export function liveNames(g: GraphBuilder): { nodes: NodeSpec[]; names: Set<string> } {
  const live = new Set(g.outputs.map((o) => o.name));
  const kept: NodeSpec[] = [];
  for (let i = g.nodes.length - 1; i >= 0; i--) {
    const n = g.nodes[i];
    if (!n.outputs.some((o) => live.has(o))) continue;
    kept.push(n);
    for (const inp of n.inputs) if (inp) live.add(inp);
  }
  return { nodes: kept.reverse(), names: live };
}

function liveWeights(g: GraphBuilder) {
  const { names } = liveNames(g);
  return g.lazyInitializers.filter((w) => names.has(w.name));
}

export const bytesPerWeight = (dtype: 'float32' | 'float16'): number => (dtype === 'float16' ? 2 : 4);

function encodeModel(g: GraphBuilder, sink: WeightSink): Uint8Array {
  const { nodes, names } = liveNames(g);
  const initializer: OnnxTypes.ITensorProto[] = [];
  for (const w of g.lazyInitializers) {
    if (!names.has(w.name)) continue;
    const values = w.ref.read(); // one tensor at a time; dropped after the sink copies or writes it
    if (values.length !== w.shape.reduce((a, b) => a * b, 1)) {
      throw new Error(`weight ${w.name}: read ${values.length} values for shape [${w.shape}]`);
    }
    const fp16 = w.dtype === 'float16';
    const bytes = fp16 ? new Uint8Array(float32ToFloat16Bits(values).buffer) : new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    const proto = sink(w.name, bytes);
    initializer.push({ ...proto, dims: [...w.shape], dataType: ONNX_DTYPE[w.dtype] });
  }
  for (const c of g.inlineInitializers) {
    if (!names.has(c.name)) continue;
    const v = c.values;
    initializer.push({ name: c.name, dims: [...c.shape], dataType: ONNX_DTYPE[c.dtype], rawData: new Uint8Array(v.buffer, v.byteOffset, v.byteLength) });
  }
  const graph: OnnxTypes.IGraphProto = {
    name: g.graphName,
    node: nodes.map(nodeProto),
    initializer,
    input: g.inputs.map(valueInfo),
    output: g.outputs.map(valueInfo),
  };
  const usesMs = nodes.some((n) => n.domain === 'com.microsoft');
  const model: OnnxTypes.IModelProto = {
    irVersion: 8,
    producerName: 'magicanimate-studio',
    opsetImport: [{ domain: '', version: OPSET }, ...(usesMs ? [{ domain: 'com.microsoft', version: 1 }] : [])],
    graph,
  };
  return onnx.ModelProto.encode(model).finish();
}

function nodeProto(n: NodeSpec): OnnxTypes.INodeProto {
  return {
    opType: n.opType,
    name: n.name,
    input: [...n.inputs],
    output: [...n.outputs],
    domain: n.domain ?? '',
    attribute: Object.entries(n.attrs).map(([k, v]) => attr(k, v)),
  };
}

function attr(name: string, v: AttrValue): OnnxTypes.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'number') return { name, type: T.INT, i: v };
  if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'number')) return { name, type: T.INTS, ints: v as number[] };
    return { name, type: T.STRINGS, strings: (v as string[]).map((s) => new TextEncoder().encode(s)) };
  }
  if ('float' in v) return { name, type: T.FLOAT, f: v.float };
  if ('floats' in v) return { name, type: T.FLOATS, floats: [...v.floats] };
  throw new Error(`attribute ${name}: unsupported value`);
}

function valueInfo(io: GraphIO): OnnxTypes.IValueInfoProto {
  return {
    name: io.name,
    type: { tensorType: { elemType: ONNX_DTYPE[io.dtype], shape: { dim: dimsProto(io.shape) } } },
  };
}

function dimsProto(shape: Shape): OnnxTypes.TensorShapeProto.IDimension[] {
  return shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
}
