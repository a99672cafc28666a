// GraphBuilder: a small typed ONNX graph under construction.
//
// API (see also ops.ts for the typed operators and save.ts for writing):
//   const g = new GraphBuilder('vae_decoder');
//   const x = g.input('latent', 'float32', ['batch', 4, 'h', 'w']);   // Dim = number | symbolic string
//   g.scope('decoder.mid_block', () => { ... });                        // hierarchical node names
//   const w = g.weight(ref);                                            // lazy initializer from a TensorRef
//   const c = g.constant([1, 2], [2], 'int64');                         // small inline initializer
//   const [y] = g.node('Relu', [x], [{ dtype: 'float32', shape: x.shape }]);
//   g.output(y, 'sample');
//
// Every Tensor carries its dtype and shape (static numbers plus symbolic names). Op helpers check
// shapes while the graph is built, so a wrong weight or layout fails at build time with the node's
// scoped name instead of inside onnxruntime. Weights are never read here: initializers hold TensorRefs
// that save.ts reads one at a time when the model is written.

import type { TensorRef } from '../weights/source';
import { float32ToFloat16Bits } from './fp16';

/** Opset of the default ("" = ai.onnx) domain. 17 gives LayerNormalization; ORT 1.30 supports it fully. */
export const OPSET = 17;

export type DType = 'float32' | 'float16' | 'int64' | 'int32' | 'bool';
export type Dim = number | string;
export type Shape = readonly Dim[];

export interface Tensor {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: Shape;
}

export type AttrValue = number | string | readonly number[] | readonly string[] | { float: number } | { floats: readonly number[] };

export interface NodeSpec {
  readonly opType: string;
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs: Readonly<Record<string, AttrValue>>;
  readonly domain?: string;
}

export interface LazyInitializer {
  readonly name: string;
  /** The graph's compute type: float32 values are narrowed to float16 bits when written. */
  readonly dtype: 'float32' | 'float16';
  readonly shape: readonly number[];
  readonly ref: TensorRef;
}

export interface InlineInitializer {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly number[];
  /** float16 constants hold their IEEE binary16 bit patterns. */
  readonly values: Float32Array | BigInt64Array | Int32Array | Uint8Array | Uint16Array;
}

export interface GraphIO {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: Shape;
}

/** A build-time error naming the node scope, so a mis-shaped layer is easy to find. */
export class GraphBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GraphBuildError';
  }
}

export interface GraphOptions {
  /**
   * 'onnx': attention from standard MatMul/Softmax (portable, materialises the [B, H, Lq, Lk] scores).
   * 'fused': com.microsoft MultiHeadAttention, which ORT's CUDA/DML/WebGPU providers run as flash /
   * memory-efficient attention (the 4096-token self-attention of a 512-px UNet needs it). Default 'onnx'.
   */
  attention?: 'onnx' | 'fused';
  /**
   * Compute precision. 'fp16': weights, activations and float constants are float16; graph inputs
   * and outputs stay float32 (NetworkGraph casts at the boundary) and layers cast to float32 only
   * where a measured error demands it (see layers/precision.ts). Default 'fp32', the exact path.
   */
  precision?: Precision;
}

export type Precision = 'fp32' | 'fp16';

export class GraphBuilder {
  readonly nodes: NodeSpec[] = [];
  readonly inputs: GraphIO[] = [];
  readonly outputs: GraphIO[] = [];
  readonly lazyInitializers: LazyInitializer[] = [];
  readonly inlineInitializers: InlineInitializer[] = [];
  /** dtype and shape of every input and node output by name (memory estimates read it). */
  readonly valueInfo = new Map<string, { dtype: DType; shape: Shape }>();
  private readonly scopes: string[] = [];
  private readonly usedNames = new Set<string>();
  private readonly weightsByKey = new Map<string, Tensor>();
  private counter = 0;

  constructor(
    readonly graphName: string,
    readonly options: GraphOptions = {},
  ) {}

  /** The float type activations and weights have in this graph. */
  get computeType(): 'float32' | 'float16' {
    return this.options.precision === 'fp16' ? 'float16' : 'float32';
  }

  /** Current scope path, e.g. `up_blocks.1.attentions.0`. */
  get scopePath(): string {
    return this.scopes.join('.');
  }

  /** Runs `build` with `name` appended to the node-name scope. */
  scope<T>(name: string, build: () => T): T {
    this.scopes.push(name);
    try {
      return build();
    } finally {
      this.scopes.pop();
    }
  }

  /** Runs `build` with the scope set to an absolute dotted path (module prefixes use this). */
  atScope<T>(path: string, build: () => T): T {
    const saved = this.scopes.splice(0, this.scopes.length);
    if (path) this.scopes.push(path);
    try {
      return build();
    } finally {
      this.scopes.splice(0, this.scopes.length, ...saved);
    }
  }

  /** Declares a graph input. */
  input(name: string, dtype: DType, shape: Shape): Tensor {
    this.claim(name);
    const t: Tensor = { name, dtype, shape: [...shape] };
    this.inputs.push(t);
    this.valueInfo.set(name, t);
    return t;
  }

  /** Marks `t` as a graph output under `name` (adds an Identity when the names differ). */
  output(t: Tensor, name: string): Tensor {
    let out = t;
    if (t.name !== name) {
      this.claim(name);
      out = { name, dtype: t.dtype, shape: t.shape };
      this.valueInfo.set(name, out);
      this.pushNode('Identity', [t.name], [name], {});
    }
    this.outputs.push(out);
    return out;
  }

  /**
   * A lazy initializer in the compute type, named after its checkpoint key. The same key returns the
   * same tensor, so a weight used twice (attn1 in the reference-bank variant) is stored once.
   */
  weight(ref: TensorRef): Tensor {
    const known = this.weightsByKey.get(ref.key);
    if (known) return known;
    this.claim(ref.key);
    const dtype = this.computeType;
    const t: Tensor = { name: ref.key, dtype, shape: [...ref.shape] };
    this.lazyInitializers.push({ name: ref.key, dtype, shape: [...ref.shape], ref });
    this.weightsByKey.set(ref.key, t);
    return t;
  }

  /** A small constant stored inline (shape vectors, scales, axes). */
  constant(values: readonly number[] | Float32Array, shape: readonly number[], dtype: DType = 'float32'): Tensor {
    const count = shape.reduce((a, b) => a * b, 1);
    if (values.length !== count) {
      throw new GraphBuildError(`${this.where()}: constant has ${values.length} values for shape [${shape}]`);
    }
    const name = this.fresh('const');
    let data: InlineInitializer['values'];
    if (dtype === 'int64') data = BigInt64Array.from(Array.from(values, (v) => BigInt(Math.trunc(v))));
    else if (dtype === 'int32') data = Int32Array.from(values);
    else if (dtype === 'bool') data = Uint8Array.from(values);
    else if (dtype === 'float32') data = Float32Array.from(values);
    else if (dtype === 'float16') data = float32ToFloat16Bits(Float32Array.from(values));
    else throw new GraphBuildError(`${this.where()}: inline constants of ${dtype} are not supported`);
    this.inlineInitializers.push({ name, dtype, shape: [...shape], values: data });
    return { name, dtype, shape: [...shape] };
  }

  /** Adds one node; the caller states each output's dtype and shape (ops.ts infers them). */
  node(
    opType: string,
    inputs: readonly (Tensor | null)[],
    outputs: readonly { dtype: DType; shape: Shape }[],
    attrs: Record<string, AttrValue> = {},
    domain?: string,
  ): Tensor[] {
    const outs = outputs.map((o) => ({ name: this.fresh(opType), dtype: o.dtype, shape: [...o.shape] }));
    for (const t of outs) this.valueInfo.set(t.name, t);
    this.pushNode(
      opType,
      inputs.map((t) => (t ? t.name : '')),
      outs.map((t) => t.name),
      attrs,
      domain,
    );
    return outs;
  }

  /** `scope: message`, for build errors. */
  where(): string {
    return this.scopePath || this.graphName;
  }

  private pushNode(opType: string, inputs: string[], outputs: string[], attrs: Record<string, AttrValue>, domain?: string) {
    const name = this.fresh(`${opType}_node`);
    this.nodes.push({ opType, name, inputs, outputs, attrs, domain });
  }

  private fresh(kind: string): string {
    const prefix = this.scopePath ? `/${this.scopePath}/` : '/';
    const name = `${prefix}${kind}_${this.counter++}`;
    this.claim(name);
    return name;
  }

  private claim(name: string) {
    if (this.usedNames.has(name)) throw new GraphBuildError(`${this.where()}: duplicate tensor name ${name}`);
    this.usedNames.add(name);
  }
}
