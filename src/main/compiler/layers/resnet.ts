// Convolutional building blocks as diffusers v0.21.4:
//   resnetBlock2D(m, x, temb, { out, groups, eps, frames? })   norm1→silu→conv1 (+time_emb_proj(silu(temb)))
//                                                             →norm2→silu→conv2, + shortcut (1×1 conv_shortcut
//                                                             when channels change); output scale factor 1
//   downsample2D(m, x, { padding })    conv 3×3 stride 2 (padding 1 in the UNet; the VAE encoder pads
//                                      right/bottom by one and uses padding 0)
//   upsample2D(m, x)                   nearest ×2 then conv 3×3
//   timestepEmbedding(m, t, o)         sinusoidal projection (flip_sin_to_cos, freq_shift) → linear_1 → silu → linear_2

import type { Dim, Tensor } from '../onnx/graph';
import { GraphBuildError } from '../onnx/graph';
import * as ops from '../onnx/ops';
import { staticDim } from '../onnx/shape';
import { conv2d, groupNorm, linear, silu } from './basic';
import type { Module } from './module';

export interface ResnetOptions {
  out: number;
  groups: number;
  eps: number;
  /**
   * x laid out (b·frames, C, H, W): group norms take statistics over the frames of a batch item, and a
   * per-item time embedding [b, T] is repeated over its frames (AnimateDiff's ResnetBlock3D).
   * May be symbolic when the time embedding is shared ([1, T]).
   */
  frames?: Dim;
}

export function resnetBlock2D(m: Module, x: Tensor, temb: Tensor | null, o: ResnetOptions): Tensor {
  const g = m.g;
  const inC = staticDim(x.shape[1], m.prefix, 'resnet input channels');
  const norm = { groups: o.groups, eps: o.eps, frames: o.frames };
  let h = conv2d(m.child('conv1'), m.build(() => silu(g, groupNorm(m.child('norm1'), x, norm))), { out: o.out, kernel: 3, padding: 1 });
  if (temb) {
    const proj = linear(m.child('time_emb_proj'), m.build(() => silu(g, temb)), o.out);
    h = m.build(() => ops.add(g, h, timeToImage(m, proj, x, o.frames)));
  }
  h = m.build(() => silu(g, groupNorm(m.child('norm2'), h, norm)));
  h = conv2d(m.child('conv2'), h, { out: o.out, kernel: 3, padding: 1 });
  const shortcut = inC === o.out ? x : conv2d(m.child('conv_shortcut'), x, { out: o.out, kernel: 1 });
  return m.build(() => ops.add(g, shortcut, h));
}

/** [N, C] → [N, C, 1, 1]; with frames and N > 1, repeated per frame to [(N·f), C, 1, 1]. */
function timeToImage(m: Module, proj: Tensor, x: Tensor, frames?: Dim): Tensor {
  const g = m.g;
  const [n, c] = proj.shape;
  if (frames === undefined || n === 1) return ops.unsqueeze(g, proj, [2, 3]);
  if (proj.shape.length !== 2) throw new GraphBuildError(`${m.prefix}: time embedding must be [N, C]`);
  if (typeof frames !== 'number') throw new GraphBuildError(`${m.prefix}: per-item time embeddings need a static frame count`);
  const repeated = ops.tile(g, ops.unsqueeze(g, proj, [1]), [1, frames, 1]);
  return ops.reshape(g, repeated, [x.shape[0], c, 1, 1]);
}

export function downsample2D(m: Module, x: Tensor, o: { padding: number }): Tensor {
  const c = staticDim(x.shape[1], m.prefix, 'downsample channels');
  // diffusers: with padding 0 it pads (0, 1, 0, 1) (right and bottom) before the stride-2 conv.
  const pads: [number, number, number, number] = o.padding === 0 ? [0, 0, 1, 1] : [o.padding, o.padding, o.padding, o.padding];
  return conv2d(m.child('conv'), x, { out: c, kernel: 3, stride: 2, padding: pads });
}

export function upsample2D(m: Module, x: Tensor): Tensor {
  const c = staticDim(x.shape[1], m.prefix, 'upsample channels');
  const up = m.build(() => ops.resizeNearest(m.g, x, 2));
  return conv2d(m.child('conv'), up, { out: c, kernel: 3, padding: 1 });
}

export interface TimestepOptions {
  /** Width of the sinusoidal projection (block_out_channels[0]). */
  channels: number;
  /** Output width (4 × channels). */
  embedDim: number;
  flipSinToCos: boolean;
  freqShift: number;
}

/**
 * diffusers get_timestep_embedding + TimestepEmbedding. `t` is an int64 or float tensor of shape []
 * or [N]; the result is [1, embedDim] or [N, embedDim] and broadcasts over the batch.
 * The frequencies exp(-ln(10000)·i/(half − shift)) are computed in float32 as torch does.
 */
export function timestepEmbedding(m: Module, t: Tensor, o: TimestepOptions): Tensor {
  const g = m.g;
  const half = Math.floor(o.channels / 2);
  const freqs = new Float32Array(half);
  const logBase = Math.fround(-Math.log(10000));
  for (let i = 0; i < half; i++) freqs[i] = Math.exp(Math.fround(Math.fround(logBase * i) / (half - o.freqShift)));
  const proj = m.build(() => {
    const tf = ops.cast(g, t, 'float32');
    const t2 = t.shape.length === 0 ? ops.reshape(g, tf, [1, 1]) : ops.unsqueeze(g, tf, [1]);
    const args = ops.mul(g, t2, g.constant(freqs, [1, half]));
    const sin = ops.sin(g, args);
    const cos = ops.cos(g, args);
    // fp32 island: t·freq reaches ~1000 rad, where float16 steps are 0.5 rad (sin/cos would be noise);
    // diffusers also builds the projection in float32 and casts it to the UNet's dtype afterwards.
    return ops.cast(g, ops.concat(g, o.flipSinToCos ? [cos, sin] : [sin, cos], 1), g.computeType);
  });
  if (o.channels % 2 !== 0) throw new GraphBuildError(`${m.prefix}: odd timestep channels are not supported`);
  const h = linear(m.child('linear_1'), proj, o.embedDim);
  return linear(m.child('linear_2'), m.build(() => silu(g, h)), o.embedDim);
}

