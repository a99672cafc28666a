// Multi-head attention as diffusers' Attention (v0.21.4, AttnProcessor): q from x, k/v from `context`
// (x itself for self-attention), softmax(q·kᵀ / sqrt(head_dim))·v, heads merged, then to_out.0.
//
//   attention(m, x, { heads, context?, qkvBias?, names? })  x [B, Lq, C], context [B, Lk, Cctx] → [B, Lq, C]
//   scaledDotProductAttention(g, q, k, v, heads)              the bare kernel on projected [B, L, H·D]
//
// Reference-bank attention (MagicAnimate mutual_self_attention.py) is this same function with
// `context = concat([normed_x, bank], axis 1)` (see concatTokens), reusing attn1's weights.

import type { GraphBuilder, Tensor } from '../onnx/graph';
import { GraphBuildError } from '../onnx/graph';
import * as ops from '../onnx/ops';
import { staticDim } from '../onnx/shape';
import { linear } from './basic';
import type { Module } from './module';

/** Checkpoint names of the four projections: modern diffusers, or the legacy VAE names. */
export interface AttentionNames {
  q: string;
  k: string;
  v: string;
  out: string;
}

export const MODERN_ATTENTION_NAMES: AttentionNames = Object.freeze({ q: 'to_q', k: 'to_k', v: 'to_v', out: 'to_out.0' });
export const LEGACY_ATTENTION_NAMES: AttentionNames = Object.freeze({ q: 'query', k: 'key', v: 'value', out: 'proj_attn' });

export interface AttentionOptions {
  heads: number;
  /** Keys/values source; omitted = self-attention. */
  context?: Tensor;
  /** SD's transformer attention has no q/k/v bias; the VAE mid-block attention has one. */
  qkvBias?: boolean;
  names?: AttentionNames;
}

export function attention(m: Module, x: Tensor, o: AttentionOptions): Tensor {
  const names = o.names ?? MODERN_ATTENTION_NAMES;
  const inner = staticDim(x.shape[x.shape.length - 1], m.prefix, 'attention width');
  const ctx = o.context ?? x;
  const bias = o.qkvBias ?? false;
  const q = linear(m.child(names.q), x, inner, { bias });
  const k = linear(m.child(names.k), ctx, inner, { bias });
  const v = linear(m.child(names.v), ctx, inner, { bias });
  const merged = m.build(() => scaledDotProductAttention(m.g, q, k, v, o.heads));
  return linear(m.child(names.out), merged, inner);
}

/** softmax(q kᵀ · scale) v per head; q [B, Lq, H·D], k/v [B, Lk, H·D] → [B, Lq, H·D]. */
export function scaledDotProductAttention(g: GraphBuilder, q: Tensor, k: Tensor, v: Tensor, heads: number): Tensor {
  const [b, lq, inner] = q.shape;
  const lk = k.shape[1];
  const width = staticDim(inner, g.where(), 'attention width');
  if (width % heads !== 0) throw new GraphBuildError(`${g.where()}: width ${width} not divisible by ${heads} heads`);
  const d = width / heads;
  if (g.options.attention === 'fused') {
    // Scale defaults to 1/sqrt(head size), as diffusers' Attention.
    return g.node('MultiHeadAttention', [q, k, v], [{ dtype: q.dtype, shape: q.shape }], { num_heads: heads }, 'com.microsoft')[0];
  }
  const split = (t: Tensor, len: typeof lq) => ops.transpose(g, ops.reshape(g, t, [b, len, heads, d]), [0, 2, 1, 3]);
  const qh = split(q, lq); // [B, H, Lq, D]
  const kt = ops.transpose(g, ops.reshape(g, k, [b, lk, heads, d]), [0, 2, 3, 1]); // [B, H, D, Lk]
  const vh = split(v, lk); // [B, H, Lk, D]
  const scores = ops.mul(g, ops.matmul(g, qh, kt), ops.scalar(g, 1 / Math.sqrt(d)));
  const probs = ops.softmax(g, scores, -1);
  const out = ops.transpose(g, ops.matmul(g, probs, vh), [0, 2, 1, 3]); // [B, Lq, H, D]
  return ops.reshape(g, out, [b, lq, width]);
}

/** [B, L1, C] ++ [B, L2, C] along the token axis (reference attention's keys/values). */
export function concatTokens(g: GraphBuilder, a: Tensor, b: Tensor): Tensor {
  return ops.concat(g, [a, b], 1);
}
