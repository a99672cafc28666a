// Typed ONNX operators (opset 17) with shape inference and checks. Each takes the GraphBuilder first:
//   add/sub/mul/div(g, a, b)         numpy broadcasting, checked
//   matmul(g, a, b)                  batched, leading dims broadcast
//   conv(g, x, w, b, { stride, pads, groups })
//   reshape(g, x, dims)              dims: numbers and symbolic names, see reshape() below
//   transpose, concat, slice, unsqueeze, squeeze, tile, gather, cast
//   softmax, sigmoid, erf, sin, cos, instanceNorm, layerNorm, reduceMean, resizeNearest
//   reshapeLike(g, x, like), repeatRows(g, x, n) (repeat_interleave on axis 0)
//   scalar(g, v) / vector(g, values)  float constants, in the graph's compute type by default
// Every op runs inside the builder's current scope, so node names carry the module path.

import { GraphBuildError, type DType, type Dim, type GraphBuilder, type Tensor } from './graph';
import { axisOf, broadcastShapes, divDim, dimsEqual, fmtShape, mulDims, normDim, numel, staticDim } from './shape';

function unary(g: GraphBuilder, op: string, x: Tensor, attrs = {}): Tensor {
  return g.node(op, [x], [{ dtype: x.dtype, shape: x.shape }], attrs)[0];
}

function binary(g: GraphBuilder, op: string, a: Tensor, b: Tensor): Tensor {
  if (a.dtype !== b.dtype) throw new GraphBuildError(`${g.where()}: ${op} of ${a.dtype} and ${b.dtype}`);
  const shape = broadcastShapes(a.shape, b.shape, `${g.where()} ${op}`);
  return g.node(op, [a, b], [{ dtype: a.dtype, shape }])[0];
}

export const add = (g: GraphBuilder, a: Tensor, b: Tensor) => binary(g, 'Add', a, b);
export const sub = (g: GraphBuilder, a: Tensor, b: Tensor) => binary(g, 'Sub', a, b);
export const mul = (g: GraphBuilder, a: Tensor, b: Tensor) => binary(g, 'Mul', a, b);
export const div = (g: GraphBuilder, a: Tensor, b: Tensor) => binary(g, 'Div', a, b);
export const sigmoid = (g: GraphBuilder, x: Tensor) => unary(g, 'Sigmoid', x);
export const erf = (g: GraphBuilder, x: Tensor) => unary(g, 'Erf', x);
export const sin = (g: GraphBuilder, x: Tensor) => unary(g, 'Sin', x);
export const cos = (g: GraphBuilder, x: Tensor) => unary(g, 'Cos', x);

export function softmax(g: GraphBuilder, x: Tensor, axis = -1): Tensor {
  return unary(g, 'Softmax', x, { axis });
}

/** A float constant in the graph's compute type unless told otherwise (float32 islands pass 'float32'). */
export function scalar(g: GraphBuilder, value: number, dtype: DType = g.computeType): Tensor {
  return g.constant([value], [], dtype);
}

export function vector(g: GraphBuilder, values: readonly number[] | Float32Array, dtype: DType = g.computeType): Tensor {
  return g.constant(values, [values.length], dtype);
}

export function cast(g: GraphBuilder, x: Tensor, to: DType): Tensor {
  if (x.dtype === to) return x;
  return g.node('Cast', [x], [{ dtype: to, shape: x.shape }], { to: ONNX_DTYPE[to] })[0];
}

export const ONNX_DTYPE: Readonly<Record<DType, number>> = Object.freeze({
  float32: 1,
  bool: 9,
  int32: 6,
  int64: 7,
  float16: 10,
});

export function matmul(g: GraphBuilder, a: Tensor, b: Tensor): Tensor {
  if (a.shape.length < 2 || b.shape.length < 2) {
    throw new GraphBuildError(`${g.where()}: MatMul needs rank >= 2, got ${fmtShape(a.shape)} x ${fmtShape(b.shape)}`);
  }
  const [m, k] = a.shape.slice(-2);
  const [k2, n] = b.shape.slice(-2);
  if (!dimsEqual(k, k2)) {
    throw new GraphBuildError(`${g.where()}: MatMul ${fmtShape(a.shape)} x ${fmtShape(b.shape)} inner dims differ`);
  }
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2), `${g.where()} MatMul`);
  return g.node('MatMul', [a, b], [{ dtype: a.dtype, shape: [...batch, m, n] }])[0];
}

export interface ConvOptions {
  stride?: number;
  /** [top, left, bottom, right] as ONNX orders them, or one number for all sides. */
  pads?: number | readonly [number, number, number, number];
  groups?: number;
}

/** 2D convolution, NCHW; `w` is [out, in/groups, kh, kw]. */
export function conv(g: GraphBuilder, x: Tensor, w: Tensor, b: Tensor | null, opts: ConvOptions = {}): Tensor {
  const stride = opts.stride ?? 1;
  const p = opts.pads ?? 0;
  const pads = typeof p === 'number' ? [p, p, p, p] : [...p];
  const groups = opts.groups ?? 1;
  if (x.shape.length !== 4 || w.shape.length !== 4) {
    throw new GraphBuildError(`${g.where()}: Conv expects NCHW input and 4D weight, got ${fmtShape(x.shape)}, ${fmtShape(w.shape)}`);
  }
  const [outC, inPerGroup, kh, kw] = w.shape.map((d) => staticDim(d, g.where(), 'conv weight dim'));
  if (!dimsEqual(x.shape[1], inPerGroup * groups)) {
    throw new GraphBuildError(`${g.where()}: Conv input ${fmtShape(x.shape)} has ${x.shape[1]} channels, weight expects ${inPerGroup * groups}`);
  }
  const spatial = (d: Dim, k: number, before: number, after: number): Dim =>
    typeof d === 'number' ? Math.floor((d + before + after - k) / stride) + 1 : stride === 1 && before + after === k - 1 ? d : `${d}_conv`;
  const shape = [x.shape[0], outC, spatial(x.shape[2], kh, pads[0], pads[2]), spatial(x.shape[3], kw, pads[1], pads[3])];
  const inputs = b ? [x, w, b] : [x, w];
  return g.node('Conv', inputs, [{ dtype: x.dtype, shape }], {
    kernel_shape: [kh, kw],
    strides: [stride, stride],
    pads,
    group: groups,
  })[0];
}

/** Runtime value of a symbolic dim ([1] int64), read from the first graph input that carries it. */
function dimTensor(g: GraphBuilder, d: Dim): Tensor {
  if (typeof d === 'number') return g.constant([d], [1], 'int64');
  const parts = String(normDim(d)).split('*');
  const tensors = parts.map((p) => {
    if (/^\d+$/.test(p)) return g.constant([Number(p)], [1], 'int64');
    for (const inp of g.inputs) {
      const axis = inp.shape.findIndex((s) => s === p);
      if (axis >= 0) {
        const shp = g.node('Shape', [inp], [{ dtype: 'int64', shape: [inp.shape.length] }])[0];
        return g.node('Gather', [shp, g.constant([axis], [1], 'int64')], [{ dtype: 'int64', shape: [1] }], { axis: 0 })[0];
      }
    }
    throw new GraphBuildError(`${g.where()}: symbolic dim ${p} is not carried by any graph input`);
  });
  return tensors.reduce((a, b) => g.node('Mul', [a, b], [{ dtype: 'int64', shape: [1] }])[0]);
}

/**
 * Reshape to `dims`. A number is static; a symbolic dim equal to the input's dim at the same axis is
 * copied (0); one other symbolic dim may be inferred (-1). Anything beyond that is computed at run time
 * from the graph inputs' shapes. The caller names the resulting symbolic dims.
 */
export function reshape(g: GraphBuilder, x: Tensor, dims: readonly Dim[]): Tensor {
  const total = numel(x.shape);
  const target = numel(dims);
  if (typeof total === 'number' && typeof target === 'number' && total !== target) {
    throw new GraphBuildError(`${g.where()}: cannot reshape ${fmtShape(x.shape)} to ${fmtShape(dims)}`);
  }
  const codes: (number | null)[] = dims.map((d, i) => {
    if (typeof d === 'number') return d;
    return i < x.shape.length && dimsEqual(x.shape[i], d) ? 0 : null;
  });
  const unresolved = codes.filter((c) => c === null).length;
  let shapeTensor: Tensor;
  if (unresolved <= 1) {
    shapeTensor = g.constant(codes.map((c) => (c === null ? -1 : c)), [dims.length], 'int64');
  } else {
    const parts = dims.map((d) => dimTensor(g, d));
    shapeTensor = g.node('Concat', parts, [{ dtype: 'int64', shape: [dims.length] }], { axis: 0 })[0];
  }
  return g.node('Reshape', [x, shapeTensor], [{ dtype: x.dtype, shape: dims.map(normDim) }])[0];
}

export function transpose(g: GraphBuilder, x: Tensor, perm: readonly number[]): Tensor {
  if (perm.length !== x.shape.length) throw new GraphBuildError(`${g.where()}: perm [${perm}] for ${fmtShape(x.shape)}`);
  return g.node('Transpose', [x], [{ dtype: x.dtype, shape: perm.map((p) => x.shape[p]) }], { perm: [...perm] })[0];
}

export function concat(g: GraphBuilder, xs: readonly Tensor[], axis: number): Tensor {
  const rank = xs[0].shape.length;
  const ax = axisOf(axis, rank, g.where());
  const shape = [...xs[0].shape];
  for (const t of xs.slice(1)) {
    const ok = t.shape.length === rank && t.shape.every((d, i) => i === ax || dimsEqual(d, shape[i]));
    if (!ok) throw new GraphBuildError(`${g.where()}: Concat axis ${axis} of ${xs.map((s) => fmtShape(s.shape)).join(', ')}`);
    const [a, b] = [shape[ax], t.shape[ax]];
    shape[ax] = typeof a === 'number' && typeof b === 'number' ? a + b : `(${a}+${b})`;
  }
  return g.node('Concat', [...xs], [{ dtype: xs[0].dtype, shape }], { axis: ax })[0];
}

/** x[..., start:end, ...] along one axis (static bounds). */
export function slice(g: GraphBuilder, x: Tensor, axis: number, start: number, end: number): Tensor {
  const ax = axisOf(axis, x.shape.length, g.where());
  const shape = [...x.shape];
  shape[ax] = end - start;
  const c = (v: number) => g.constant([v], [1], 'int64');
  return g.node('Slice', [x, c(start), c(end), c(ax)], [{ dtype: x.dtype, shape }])[0];
}

/** Splits the first `parts` equal pieces along `axis` (dim must be a multiple of `parts`). */
export function split(g: GraphBuilder, x: Tensor, axis: number, parts: number): Tensor[] {
  const ax = axisOf(axis, x.shape.length, g.where());
  const shape = [...x.shape];
  shape[ax] = divDim(x.shape[ax], parts);
  const outs = Array.from({ length: parts }, () => ({ dtype: x.dtype, shape }));
  const size = typeof shape[ax] === 'number' ? (shape[ax] as number) : undefined;
  if (size === undefined) return g.node('Split', [x], outs, { axis: ax });
  return g.node('Split', [x, g.constant(Array(parts).fill(size), [parts], 'int64')], outs, { axis: ax });
}

export function unsqueeze(g: GraphBuilder, x: Tensor, axes: readonly number[]): Tensor {
  const rank = x.shape.length + axes.length;
  const norm = axes.map((a) => axisOf(a, rank, g.where())).sort((a, b) => a - b);
  const shape: Dim[] = [...x.shape];
  for (const a of norm) shape.splice(a, 0, 1);
  return g.node('Unsqueeze', [x, g.constant(norm, [norm.length], 'int64')], [{ dtype: x.dtype, shape }])[0];
}

export function squeeze(g: GraphBuilder, x: Tensor, axes: readonly number[]): Tensor {
  const norm = axes.map((a) => axisOf(a, x.shape.length, g.where()));
  for (const a of norm) if (x.shape[a] !== 1) throw new GraphBuildError(`${g.where()}: squeeze axis ${a} of ${fmtShape(x.shape)}`);
  const shape = x.shape.filter((_, i) => !norm.includes(i));
  return g.node('Squeeze', [x, g.constant(norm, [norm.length], 'int64')], [{ dtype: x.dtype, shape }])[0];
}

export function tile(g: GraphBuilder, x: Tensor, repeats: readonly number[]): Tensor {
  const shape = x.shape.map((d, i) => mulDims(d, repeats[i]));
  return g.node('Tile', [x, g.constant(repeats, [repeats.length], 'int64')], [{ dtype: x.dtype, shape }])[0];
}

/** Picks static indices along `axis` (e.g. one CFG half). */
export function gather(g: GraphBuilder, x: Tensor, axis: number, indices: readonly number[]): Tensor {
  const ax = axisOf(axis, x.shape.length, g.where());
  const shape = [...x.shape];
  shape[ax] = indices.length;
  const idx = g.constant(indices, [indices.length], 'int64');
  return g.node('Gather', [x, idx], [{ dtype: x.dtype, shape }], { axis: ax })[0];
}

export function instanceNorm(g: GraphBuilder, x: Tensor, scale: Tensor, bias: Tensor, epsilon: number): Tensor {
  return g.node('InstanceNormalization', [x, scale, bias], [{ dtype: x.dtype, shape: x.shape }], { epsilon: { float: epsilon } })[0];
}

/** LayerNormalization over the last axis. */
export function layerNorm(g: GraphBuilder, x: Tensor, scale: Tensor, bias: Tensor, epsilon: number): Tensor {
  return g.node('LayerNormalization', [x, scale, bias], [{ dtype: x.dtype, shape: x.shape }], {
    axis: -1,
    epsilon: { float: epsilon },
  })[0];
}

export function reduceMean(g: GraphBuilder, x: Tensor, axes: readonly number[], keepdims = true): Tensor {
  const norm = axes.map((a) => axisOf(a, x.shape.length, g.where()));
  const shape = keepdims ? x.shape.map((d, i) => (norm.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !norm.includes(i));
  return g.node('ReduceMean', [x], [{ dtype: x.dtype, shape }], { axes: norm, keepdims: keepdims ? 1 : 0 })[0];
}

/** Nearest-neighbour ×factor on H and W (torch `F.interpolate(mode='nearest')` for integer factors). */
export function resizeNearest(g: GraphBuilder, x: Tensor, factor: number): Tensor {
  const scales = g.constant([1, 1, factor, factor], [4], 'float32');
  const shape = [x.shape[0], x.shape[1], mulDims(x.shape[2], factor), mulDims(x.shape[3], factor)];
  return g.node('Resize', [x, null, scales], [{ dtype: x.dtype, shape }], {
    mode: 'nearest',
    coordinate_transformation_mode: 'asymmetric',
    nearest_mode: 'floor',
  })[0];
}

/** Reshape `x` to the run-time shape of `like` (element counts must agree). */
export function reshapeLike(g: GraphBuilder, x: Tensor, like: Tensor): Tensor {
  const total = numel(x.shape);
  const target = numel(like.shape);
  if (typeof total === 'number' && typeof target === 'number' && total !== target) {
    throw new GraphBuildError(`${g.where()}: cannot reshape ${fmtShape(x.shape)} like ${fmtShape(like.shape)}`);
  }
  if (like.shape.every((d) => typeof d === 'number')) return reshape(g, x, like.shape);
  const shp = g.node('Shape', [like], [{ dtype: 'int64', shape: [like.shape.length] }])[0];
  return g.node('Reshape', [x, shp], [{ dtype: x.dtype, shape: like.shape }])[0];
}

/**
 * torch.repeat_interleave(x, repeats, dim=0): [b, ...] → [b·repeats, ...], each row repeated in place
 * (a per-item bank or time embedding expanded over the frames of a (b·f) layout). Trailing dims static.
 */
export function repeatRows(g: GraphBuilder, x: Tensor, repeats: number): Tensor {
  const ones = x.shape.slice(1).map(() => 1);
  const tiled = tile(g, unsqueeze(g, x, [1]), [1, repeats, ...ones]);
  return reshape(g, tiled, [mulDims(x.shape[0], repeats), ...x.shape.slice(1)]);
}
