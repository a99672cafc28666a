// Basic layers over a Module (weights `<prefix>.weight` / `<prefix>.bias`, torch layouts):
//   conv2d(m, x, { out, kernel, stride, padding })   nn.Conv2d, NCHW
//   linear(m, x, out, { bias })                        nn.Linear on the last axis of [..., in]
//   groupNorm(m, x, { groups, eps, frames })           nn.GroupNorm per image, or per window of frames
//   layerNorm(m, x, eps)                               nn.LayerNorm over the last axis
//   silu(g, x), gelu(g, x)                             exact (erf) GELU, as torch's default

import type { Dim, GraphBuilder, Tensor } from '../onnx/graph';
import { GraphBuildError } from '../onnx/graph';
import * as ops from '../onnx/ops';
import { divDim, mulDims, staticDim } from '../onnx/shape';
import type { Module } from './module';

export interface Conv2dOptions {
  out: number;
  kernel: number;
  stride?: number;
  /** Symmetric padding, or ONNX [top, left, bottom, right]. */
  padding?: number | readonly [number, number, number, number];
  bias?: boolean;
}

export function conv2d(m: Module, x: Tensor, o: Conv2dOptions): Tensor {
  const inC = staticDim(x.shape[1], m.prefix, 'conv input channels');
  const w = m.param('weight', [o.out, inC, o.kernel, o.kernel]);
  const b = o.bias === false ? null : m.param('bias', [o.out]);
  return m.build(() => ops.conv(m.g, x, w, b, { stride: o.stride, pads: o.padding }));
}

export function linear(m: Module, x: Tensor, out: number, opts: { bias?: boolean } = {}): Tensor {
  const inF = staticDim(x.shape[x.shape.length - 1], m.prefix, 'linear input features');
  const w = m.paramTransposed('weight', out, inF);
  const b = opts.bias === false ? null : m.param('bias', [out]);
  return m.build(() => {
    const y = ops.matmul(m.g, x, w);
    return b ? ops.add(m.g, y, b) : y;
  });
}

export function silu(g: GraphBuilder, x: Tensor): Tensor {
  return ops.mul(g, x, ops.sigmoid(g, x));
}

/** GELU with erf, matching torch.nn.functional.gelu(approximate='none'). */
export function gelu(g: GraphBuilder, x: Tensor): Tensor {
  const inner = ops.erf(g, ops.mul(g, x, ops.scalar(g, Math.SQRT1_2)));
  return ops.mul(g, ops.mul(g, x, ops.scalar(g, 0.5)), ops.add(g, inner, ops.scalar(g, 1)));
}

export function layerNorm(m: Module, x: Tensor, eps: number): Tensor {
  const c = staticDim(x.shape[x.shape.length - 1], m.prefix, 'layer norm features');
  const w = m.param('weight', [c]);
  const b = m.param('bias', [c]);
  return m.build(() => ops.layerNorm(m.g, x, w, b, eps));
}

export interface GroupNormOptions {
  groups: number;
  eps: number;
  /**
   * When set, x is laid out (b·frames, C, H, W) and the statistics of each group are taken over all
   * `frames` frames of a batch item, as torch.nn.GroupNorm does on AnimateDiff's 5D (b, c, f, h, w)
   * tensors (ResnetBlock3D). Omitted: per image, as nn.GroupNorm on NCHW. May be symbolic ('frames')
   * for a window length chosen at run time.
   */
  frames?: Dim;
}

/**
 * nn.GroupNorm on NCHW (or [N, C, L]): reshape to [N, G, -1], InstanceNormalization with unit scale,
 * reshape back, then the per-channel affine. InstanceNormalization computes mean/variance in float32
 * like torch's native_group_norm, and ORT fuses nothing away that changes the result.
 */
export function groupNorm(m: Module, x: Tensor, o: GroupNormOptions): Tensor {
  const c = staticDim(x.shape[1], m.prefix, 'group norm channels');
  if (c % o.groups !== 0) throw new GraphBuildError(`${m.prefix}: ${c} channels not divisible into ${o.groups} groups`);
  const spatialRank = x.shape.length - 2;
  const w = spatialRank === 2 ? m.paramChannels('weight', c) : m.param('weight', [c]);
  const b = spatialRank === 2 ? m.paramChannels('bias', c) : m.param('bias', [c]);
  if (spatialRank !== 2 && spatialRank !== 1) throw new GraphBuildError(`${m.prefix}: group norm needs NCHW or NCL`);
  return m.build(() => {
    const g = m.g;
    const ones = ops.vector(g, new Float32Array(o.groups).fill(1));
    const zeros = ops.vector(g, new Float32Array(o.groups));
    let normed: Tensor;
    if (o.frames === undefined) {
      const grouped = ops.reshape(g, x, [x.shape[0], o.groups, mulDims(c / o.groups, ...x.shape.slice(2))]);
      normed = ops.reshapeLike(g, ops.instanceNorm(g, grouped, ones, zeros, o.eps), x);
    } else {
      normed = groupNormOverFrames(g, x, o.groups, o.frames, o.eps, ones, zeros);
    }
    const wb = spatialRank === 2 ? [w, b] : [ops.unsqueeze(g, w, [1]), ops.unsqueeze(g, b, [1])];
    return ops.add(g, ops.mul(g, normed, wb[0]), wb[1]);
  });
}

function groupNormOverFrames(g: GraphBuilder, x: Tensor, groups: number, frames: Dim, eps: number, ones: Tensor, zeros: Tensor): Tensor {
  const [n, c, h, w] = x.shape;
  const batch: Dim = divDim(n, frames);
  const hw = mulDims(h, w);
  // (b f) c h w → b c f (h w): channels outer so that a group's channels and all frames are contiguous.
  const bfc = ops.reshape(g, x, [batch, frames, c, hw]);
  const bcf = ops.transpose(g, bfc, [0, 2, 1, 3]);
  const grouped = ops.reshape(g, bcf, [batch, groups, mulDims(divDim(c, groups), frames, hw)]);
  const normed = ops.reshape(g, ops.instanceNorm(g, grouped, ones, zeros, eps), [batch, c, frames, hw]);
  return ops.reshapeLike(g, ops.transpose(g, normed, [0, 2, 1, 3]), x);
}
