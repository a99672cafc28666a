// Peak activation memory of a built graph, the way onnxruntime's sequential memory planner sees it:
// nodes run in graph order, each output is allocated when its node runs and freed after its last
// reader. Shape-only ops (Reshape, Squeeze, Unsqueeze, Identity) reuse their input's buffer, as
// ORT's planner lets them. Weights and inline constants are not activations and are not counted.
//
//   peakActivationBytes(g, { batch: 1, frames: 16 })  → { peakBytes, atNode, largestBytes }
//
// Symbolic dims are evaluated from `symbols` ("2*frames" with frames 16 → 32). What this leaves out
// (documented in the memory plan): kernel workspaces (MultiHeadAttention runs flash attention on
// CPU/CUDA, whose scratch is per thread / per block, small next to the activations), in-place reuse
// by element-wise ops (it makes the real peak lower, so the estimate errs high), arena rounding.

import type { DType, Dim, GraphBuilder } from './graph';
import { liveNames } from './save';

const ALIASING_OPS = new Set(['Reshape', 'Squeeze', 'Unsqueeze', 'Identity', 'Flatten']);

const BYTES: Readonly<Record<DType, number>> = Object.freeze({ float32: 4, float16: 2, int64: 8, int32: 4, bool: 1 });

export type DimValues = Readonly<Record<string, number>>;

/** Value of a dim: a number, or a product / parenthesised sum of symbols and integers. */
export function evaluateDim(d: Dim, symbols: DimValues): number {
  if (typeof d === 'number') return d;
  const text = d.replace(/[A-Za-z_][A-Za-z0-9_]*/g, (name) => {
    if (!(name in symbols)) throw new Error(`dim ${d}: no value for ${name}`);
    return String(symbols[name]);
  });
  if (!/^[0-9+*() ]+$/.test(text)) throw new Error(`dim ${d}: cannot evaluate`);
  return sumOf(text);
}

/** Evaluates sums of products with parentheses (the only forms the builder writes). */
function sumOf(expr: string): number {
  let depth = 0;
  const terms: string[] = [];
  let start = 0;
  for (let i = 0; i < expr.length; i++) {
    if (expr[i] === '(') depth++;
    else if (expr[i] === ')') depth--;
    else if (expr[i] === '+' && depth === 0) {
      terms.push(expr.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(expr.slice(start));
  return terms.reduce((sum, term) => sum + productOf(term.trim()), 0);
}

function productOf(term: string): number {
  let depth = 0;
  let start = 0;
  let product = 1;
  for (let i = 0; i <= term.length; i++) {
    const c = term[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    if ((c === '*' && depth === 0) || i === term.length) {
      const factor = term.slice(start, i).trim();
      product *= factor.startsWith('(') ? sumOf(factor.slice(1, -1)) : Number(factor);
      start = i + 1;
    }
  }
  return product;
}

export interface ActivationPeak {
  /** Most bytes of activations (graph inputs included) alive at once. */
  peakBytes: number;
  /** The node running when the peak was reached (for reports). */
  atNode: string;
  /** The largest single activation tensor. */
  largestBytes: number;
}

export function peakActivationBytes(g: GraphBuilder, symbols: DimValues): ActivationPeak {
  const { nodes } = liveNames(g);
  const sizeOf = (name: string): number => {
    const info = g.valueInfo.get(name);
    if (!info) return 0; // an initializer or inline constant
    return info.shape.reduce<number>((n, d) => n * evaluateDim(d, symbols), 1) * BYTES[info.dtype];
  };
  // Buffers: an aliasing op's output shares the buffer of its input.
  const root = new Map<string, string>();
  const rootOf = (name: string) => root.get(name) ?? name;
  const lastUse = new Map<string, number>();
  nodes.forEach((n, i) => {
    if (ALIASING_OPS.has(n.opType) && n.inputs[0] && g.valueInfo.has(n.inputs[0])) root.set(n.outputs[0], rootOf(n.inputs[0]));
    for (const input of n.inputs) if (input) lastUse.set(rootOf(input), i);
  });
  for (const out of g.outputs) lastUse.set(rootOf(out.name), nodes.length);

  let live = 0;
  let largest = 0;
  const peak = { bytes: 0, at: '' };
  const alive = new Map<string, number>();
  for (const input of g.inputs) {
    const bytes = sizeOf(input.name);
    alive.set(input.name, bytes);
    live += bytes;
  }
  nodes.forEach((n, i) => {
    for (const out of n.outputs) {
      if (root.has(out)) continue;
      const bytes = sizeOf(out);
      largest = Math.max(largest, bytes);
      alive.set(out, bytes);
      live += bytes;
    }
    if (live > peak.bytes) [peak.bytes, peak.at] = [live, n.name];
    for (const [buffer, bytes] of alive) {
      if ((lastUse.get(buffer) ?? -1) <= i) {
        alive.delete(buffer);
        live -= bytes;
      }
    }
  });
  return { peakBytes: peak.bytes, atNode: peak.at, largestBytes: largest };
}
