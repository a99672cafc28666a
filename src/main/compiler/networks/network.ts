// NetworkGraph: a built network with its documented I/O and ways to write it.
//   net.inputs / net.outputs     [{ name, dtype, shape (numbers and symbolic names), doc }]
//   net.toBuffer()               ONNX bytes, weights inline (tiny models, tests)
//   net.save(path, { externalData })   atomic file write, external data for big models
//
// In an fp16 graph (GraphOptions.precision) float32 inputs are cast to float16 as they enter and
// float16 outputs are cast back to float32, so every network's I/O is float32 whatever its compute
// type: feeds and results never need Float16Array (unreliable in Node and Electron).
//   net.usedWeightKeys()         checkpoint keys the graph consumed

import { saveToBuffer, saveToFile, type FileSaveOptions } from '../onnx/save';
import type { DType, GraphBuilder, Shape, Tensor } from '../onnx/graph';
import type { WeightSource } from '../weights/source';
import { cast } from '../onnx/ops';

export interface IOSpec {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: Shape;
  readonly doc: string;
}

export class NetworkGraph {
  readonly inputs: IOSpec[] = [];
  readonly outputs: IOSpec[] = [];

  constructor(
    readonly name: string,
    readonly graph: GraphBuilder,
    private readonly weights: WeightSource,
  ) {}

  input(name: string, dtype: DType, shape: Shape, doc: string): Tensor {
    this.inputs.push({ name, dtype, shape, doc });
    const t = this.graph.input(name, dtype, shape);
    return dtype === 'float32' ? cast(this.graph, t, this.graph.computeType) : t;
  }

  output(t: Tensor, name: string, doc: string): void {
    const out = this.graph.output(t.dtype === 'float16' ? cast(this.graph, t, 'float32') : t, name);
    this.outputs.push({ name, dtype: out.dtype, shape: out.shape, doc });
  }

  toBuffer(): Uint8Array {
    return saveToBuffer(this.graph);
  }

  save(path: string, opts: FileSaveOptions = {}): { path: string; dataPath?: string } {
    return saveToFile(this.graph, path, opts);
  }

  usedWeightKeys(): ReadonlySet<string> {
    return this.weights.usedKeys();
  }
}
