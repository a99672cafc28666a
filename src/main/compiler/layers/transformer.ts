// Spatial transformer layers as diffusers v0.21.4 (SD1.5 settings):
//   feedForward(m, x)                       GEGLU: net.0.proj → (h, gate) → h·gelu(gate) → net.2; inner 4·C
//   basicTransformerBlock(m, x, o)          norm1/attn1 (self), norm2/attn2 (cross, text), norm3/ff; LN eps 1e-5
//   transformer2D(m, x, o)                  GroupNorm(eps 1e-6) → proj_in (1×1 conv or linear) → blocks → proj_out → + x
//
// Hooks (TransformerHooks) let networks change attn1 without copying this code:
//   onNorm1(normed, path)      sees norm1's output (the appearance encoder records it as a bank entry)
//   truncateAfterNorm1(path)   true: stop after norm1 (the appearance encoder's stubbed last block)
//   selfAttention(args)        replaces `attn1(norm1(h))`, e.g. MagicAnimate's reference read:
//                              args.attend(concatTokens(g, args.normed, bank)) for the cond half.
// `path` is the block's module path, e.g. 'up_blocks.1.attentions.0.transformer_blocks.0'.

import type { Tensor } from '../onnx/graph';
import * as ops from '../onnx/ops';
import { mulDims, staticDim } from '../onnx/shape';
import { attention } from './attention';
import { conv2d, gelu, groupNorm, layerNorm, linear } from './basic';
import type { Module } from './module';

export interface SelfAttentionArgs {
  module: Module;
  path: string;
  /** The block input h (residual). */
  hidden: Tensor;
  /** norm1(h). */
  normed: Tensor;
  /**
   * attn1 with queries from `queries` (default: `normed`) and keys/values from `context` (default:
   * the queries). Rows of `normed` (e.g. one CFG half) may be passed to attend for part of the batch.
   */
  attend(context?: Tensor, queries?: Tensor): Tensor;
}

export interface TransformerHooks {
  onNorm1?(normed: Tensor, path: string): void;
  truncateAfterNorm1?(path: string): boolean;
  /** Returns attn1's output (without the residual). */
  selfAttention?(args: SelfAttentionArgs): Tensor;
}

export function feedForward(m: Module, x: Tensor): Tensor {
  const c = staticDim(x.shape[x.shape.length - 1], m.prefix, 'feed-forward width');
  const inner = 4 * c;
  const proj = linear(m.child('net.0.proj'), x, 2 * inner);
  const h = m.build(() => {
    const [hidden, gate] = ops.split(m.g, proj, -1, 2);
    return ops.mul(m.g, hidden, gelu(m.g, gate));
  });
  return linear(m.child('net.2'), h, c);
}

export interface BlockOptions {
  heads: number;
  /** Text states [B, 77, cross_dim] for attn2. */
  context: Tensor;
  hooks?: TransformerHooks;
}

/** Returns the block output, or the input unchanged when the hook truncates after norm1. */
export function basicTransformerBlock(m: Module, x: Tensor, o: BlockOptions): Tensor {
  const g = m.g;
  const normed = layerNorm(m.child('norm1'), x, 1e-5);
  o.hooks?.onNorm1?.(normed, m.prefix);
  if (o.hooks?.truncateAfterNorm1?.(m.prefix)) return x;
  const attn1 = m.child('attn1');
  const attend = (context?: Tensor, queries?: Tensor) => attention(attn1, queries ?? normed, { heads: o.heads, context });
  const selfOut = o.hooks?.selfAttention
    ? o.hooks.selfAttention({ module: m, path: m.prefix, hidden: x, normed, attend })
    : attend();
  let h = m.build(() => ops.add(g, selfOut, x));
  const crossOut = attention(m.child('attn2'), layerNorm(m.child('norm2'), h, 1e-5), { heads: o.heads, context: o.context });
  h = m.build(() => ops.add(g, crossOut, h));
  const ffOut = feedForward(m.child('ff'), layerNorm(m.child('norm3'), h, 1e-5));
  return m.build(() => ops.add(g, ffOut, h));
}

export interface Transformer2DOptions extends BlockOptions {
  groups: number;
  useLinearProjection?: boolean;
  layers?: number;
}

/** Transformer2DModel on NCHW [B, C, H, W] → [B, C, H, W]. */
export function transformer2D(m: Module, x: Tensor, o: Transformer2DOptions): Tensor {
  const g = m.g;
  const [b, c, hh, ww] = x.shape;
  const channels = staticDim(c, m.prefix, 'transformer channels');
  const tokens = mulDims(hh, ww);
  const normed = groupNorm(m.child('norm'), x, { groups: o.groups, eps: 1e-6 });
  const toTokens = (t: Tensor) => m.build(() => ops.reshape(g, ops.transpose(g, t, [0, 2, 3, 1]), [b, tokens, channels]));
  let h = o.useLinearProjection
    ? linear(m.child('proj_in'), toTokens(normed), channels)
    : toTokens(conv2d(m.child('proj_in'), normed, { out: channels, kernel: 1 }));
  const layers = o.layers ?? 1;
  let truncated = false;
  for (let i = 0; i < layers; i++) {
    const block = m.child(`transformer_blocks.${i}`);
    if (o.hooks?.truncateAfterNorm1?.(block.prefix)) truncated = true;
    h = basicTransformerBlock(block, h, o);
  }
  if (truncated) return x; // only norm1 of the stubbed block was wanted; proj_out does not exist
  const toImage = (t: Tensor) => m.build(() => ops.transpose(g, ops.reshape(g, t, [b, hh, ww, channels]), [0, 3, 1, 2]));
  const out = o.useLinearProjection
    ? toImage(linear(m.child('proj_out'), h, channels))
    : conv2d(m.child('proj_out'), toImage(h), { out: channels, kernel: 1 });
  return m.build(() => ops.add(g, out, x));
}
