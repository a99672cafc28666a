// Module: a position in the network, pairing the graph under construction with a checkpoint key prefix.
//
//   const root = new Module(g, weights);            // prefix ''
//   const blk = root.child('down_blocks').child(0);  // prefix 'down_blocks.0'
//   blk.param('norm1.weight', [C])                   // lazy initializer for key 'down_blocks.0.norm1.weight'
//   blk.build(() => ...)                             // nodes built inside get the scope 'down_blocks.0'
//
// Layer functions take a Module so weight keys and node names follow diffusers' module paths.

import { derivedRef, type TensorRef, type WeightSource } from '../weights/source';
import type { GraphBuilder, Tensor } from '../onnx/graph';

export class Module {
  constructor(
    readonly g: GraphBuilder,
    readonly weights: WeightSource,
    readonly prefix = '',
  ) {}

  child(name: string | number): Module {
    return new Module(this.g, this.weights, this.key(String(name)));
  }

  key(name: string): string {
    return this.prefix ? `${this.prefix}.${name}` : name;
  }

  has(name: string): boolean {
    return this.weights.has(this.key(name));
  }

  /** The checkpoint tensor `<prefix>.<name>`, checked against `shape`. */
  ref(name: string, shape: readonly number[]): TensorRef {
    return this.weights.take(this.key(name), shape);
  }

  param(name: string, shape: readonly number[]): Tensor {
    return this.g.weight(this.ref(name, shape));
  }

  /** A Linear weight [out, in] stored transposed as [in, out] for MatMul (transposed when written). */
  paramTransposed(name: string, out: number, inp: number): Tensor {
    const base = this.ref(name, [out, inp]);
    return this.g.weight(derivedRef(base, 'T', [inp, out], (v) => transpose2d(v, out, inp)));
  }

  /** A [C] vector reshaped to [C, 1, 1] for broadcasting over NCHW. */
  paramChannels(name: string, channels: number): Tensor {
    const base = this.ref(name, [channels]);
    return this.g.weight(derivedRef(base, 'c11', [channels, 1, 1], (v) => v));
  }

  build<T>(fn: () => T): T {
    return this.g.atScope(this.prefix, fn);
  }
}

function transpose2d(v: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(v.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = v[r * cols + c];
  return out;
}
