// AnimateDiff v1 "Vanilla" motion module (MagicAnimate motion_module.py: VanillaTemporalModule →
// TemporalTransformer3DModel → TemporalTransformerBlock), on hidden states laid out (b·f, C, H, W).
//
//   motionModule(m, x, { batch, frames, heads, blockTypes, transformerBlocks, frameCount })
//     m = `<block>.motion_modules.<layer>`; weights under `temporal_transformer.*`
//
//   GroupNorm(32, eps 1e-6) per frame → tokens (b·f, H·W, C) → proj_in → per transformer block:
//     for each Temporal_Self attention i:  h = attn_i(LayerNorm_i(h) + PE[:f]) + h
//     h = ff(ff_norm(h)) + h                                                (GEGLU, inner 4·C)
//   → proj_out → back to (b·f, C, H, W) → + x
// Attention runs over the f frames of each spatial location ("(b f) d c -> (b d) f c"), 8 heads of
// width C/8, scale 1/sqrt(C/8). The sinusoidal PE is the checkpoint's `pos_encoder.pe` buffer
// [1, max_len, C], sliced to the window length at run time. LayerNorms and the FF act per token, so
// the whole block runs in the (b·H·W, f, C) layout: two rearranges per module instead of six.

import type { Dim, GraphBuilder, Tensor } from '../onnx/graph';
import { GraphBuildError } from '../onnx/graph';
import * as ops from '../onnx/ops';
import { mulDims, staticDim } from '../onnx/shape';
import { attention } from './attention';
import { groupNorm, layerNorm, linear } from './basic';
import type { Module } from './module';
import { feedForward } from './transformer';

/** TemporalTransformer3DModel's GroupNorm: norm_num_groups 32, eps 1e-6 (motion_module.py defaults). */
const MOTION_NORM_GROUPS = 32;
const MOTION_NORM_EPS = 1e-6;
/** nn.LayerNorm default eps (TemporalTransformerBlock norms / ff_norm). */
const LAYER_NORM_EPS = 1e-5;

export interface MotionModuleOptions {
  /** Static batch (2 = [uncond, cond]); x is (batch·frames, C, H, W), batch-major. */
  batch: number;
  /** Window length: static, or the symbolic dim carried by a graph input. */
  frames: Dim;
  /** int64 [1] run-time window length (slices the positional encoding). */
  frameCount: Tensor;
  heads: number;
  /** Attention blocks per transformer block; only 'Temporal_Self' exists in AnimateDiff v1. */
  blockTypes: readonly string[];
  transformerBlocks: number;
  positionEncoding: boolean;
  /** Length of the pos_encoder.pe buffers (temporal_position_encoding_max_len): the longest window. */
  maxFrames: number;
}

/** VanillaTemporalModule forward: returns (b·f, C, H, W), the input plus the temporal transformer. */
export function motionModule(m: Module, x: Tensor, o: MotionModuleOptions): Tensor {
  const g = m.g;
  const tt = m.child('temporal_transformer');
  const [, c, hh, ww] = x.shape;
  const channels = staticDim(c, m.prefix, 'motion module channels');
  const tokens = mulDims(hh, ww);
  const normed = groupNorm(tt.child('norm'), x, { groups: MOTION_NORM_GROUPS, eps: MOTION_NORM_EPS });
  // (b f) c h w → (b f) (h w) c → (b h w) f c: one sequence of f frames per spatial location.
  const perFrame = tt.build(() => ops.reshape(g, ops.transpose(g, normed, [0, 2, 3, 1]), [x.shape[0], tokens, channels]));
  let h = tt.build(() => framesToSequences(g, linear(tt.child('proj_in'), perFrame, channels), o.batch, o.frames));
  for (let b = 0; b < o.transformerBlocks; b++) h = temporalBlock(tt.child(`transformer_blocks.${b}`), h, o);
  const back = tt.build(() => sequencesToFrames(g, h, o.batch, o.frames, tokens));
  const projected = linear(tt.child('proj_out'), back, channels);
  return tt.build(() => {
    const image = ops.transpose(g, ops.reshape(g, projected, [x.shape[0], hh, ww, channels]), [0, 3, 1, 2]);
    return ops.add(g, image, x);
  });
}

/** TemporalTransformerBlock on sequences (b·H·W, f, C). */
function temporalBlock(m: Module, h: Tensor, o: MotionModuleOptions): Tensor {
  const g = m.g;
  o.blockTypes.forEach((type, i) => {
    if (type !== 'Temporal_Self') throw new GraphBuildError(`${m.prefix}: attention block type ${type} is not supported`);
    const block = m.child(`attention_blocks.${i}`);
    let normed = layerNorm(m.child(`norms.${i}`), h, LAYER_NORM_EPS);
    if (o.positionEncoding) normed = block.build(() => ops.add(g, normed, positionEncoding(block, normed, o)));
    const attended = attention(block, normed, { heads: o.heads });
    h = block.build(() => ops.add(g, attended, h));
  });
  const ff = feedForward(m.child('ff'), layerNorm(m.child('ff_norm'), h, LAYER_NORM_EPS));
  return m.build(() => ops.add(g, ff, h));
}

/** pos_encoder.pe [1, max_len, C] → [1, f, C] (PositionalEncoding.forward: `pe[:, :x.size(1)]`). */
function positionEncoding(block: Module, seq: Tensor, o: MotionModuleOptions): Tensor {
  const g = block.g;
  const [, f, c] = seq.shape;
  const channels = staticDim(c, block.prefix, 'positional encoding width');
  const pe = block.child('pos_encoder').param('pe', [1, o.maxFrames, channels]);
  const zero = g.constant([0], [1], 'int64');
  const axis = g.constant([1], [1], 'int64');
  return g.node('Slice', [pe, zero, o.frameCount, axis], [{ dtype: pe.dtype, shape: [1, f, channels] }])[0];
}

/** (b·f, L, C) → (b·L, f, C). */
function framesToSequences(g: GraphBuilder, x: Tensor, batch: number, frames: Dim): Tensor {
  const [, l, c] = x.shape;
  const split = ops.reshape(g, x, [batch, frames, l, c]);
  return ops.reshape(g, ops.transpose(g, split, [0, 2, 1, 3]), [mulDims(batch, l), frames, c]);
}

/** (b·L, f, C) → (b·f, L, C). */
function sequencesToFrames(g: GraphBuilder, x: Tensor, batch: number, frames: Dim, tokens: Dim): Tensor {
  const c = x.shape[2];
  const split = ops.reshape(g, x, [batch, tokens, frames, c]);
  return ops.reshape(g, ops.transpose(g, split, [0, 2, 1, 3]), [mulDims(batch, frames), tokens, c]);
}
