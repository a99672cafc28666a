// Masked multi-head attention for CLIP's causal self-attention (the shared attention layer has no
// mask input, and only the text encoder needs one).
import { GraphBuildError, type GraphBuilder, type Tensor } from './onnx/graph';
import * as ops from './onnx/ops';
import { staticDim } from './onnx/shape';

/** softmax(q kᵀ / sqrt(d) + mask) v per head; q/k/v [B, L, H·D], mask [1, 1, L, L] → [B, L, H·D]. */
export function scaledDotProductAttentionMasked(g: GraphBuilder, q: Tensor, k: Tensor, v: Tensor, heads: number, mask: Tensor): Tensor {
  const [b, length, inner] = q.shape;
  const width = staticDim(inner, g.where(), 'attention width');
  if (width % heads !== 0) throw new GraphBuildError(`${g.where()}: width ${width} not divisible by ${heads} heads`);
  const d = width / heads;
  const qh = ops.transpose(g, ops.reshape(g, q, [b, length, heads, d]), [0, 2, 1, 3]); // [B, H, L, D]
  const kt = ops.transpose(g, ops.reshape(g, k, [b, length, heads, d]), [0, 2, 3, 1]); // [B, H, D, L]
  const vh = ops.transpose(g, ops.reshape(g, v, [b, length, heads, d]), [0, 2, 1, 3]); // [B, H, L, D]
  const scores = ops.add(g, ops.mul(g, ops.matmul(g, qh, kt), ops.scalar(g, 1 / Math.sqrt(d))), mask);
  const out = ops.transpose(g, ops.matmul(g, ops.softmax(g, scores, -1), vh), [0, 2, 1, 3]); // [B, L, H, D]
  return ops.reshape(g, out, [b, length, width]);
}
