// NetworkGraph: a built network with its documented I/O and ways to write it.
//   net.inputs / net.outputs     [{ name, dtype, shape (numbers and symbolic names), doc }]
//   net.toBuffer({ weights })    ONNX bytes, weights inline (tiny models, tests)
//   net.save(path, { weights, externalData })   atomic file write, external data for big models
//   net.usedWeightKeys()         checkpoint keys the graph consumed

import { saveToBuffer, saveToFile, type FileSaveOptions, type SaveOptions } from '../onnx/save';
import type { DType, GraphBuilder, Shape, Tensor } from '../onnx/graph';
import type { WeightSource } from '../weights/source';

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
    return this.graph.input(name, dtype, shape);
  }

  output(t: Tensor, name: string, doc: string): void {
    const out = this.graph.output(t, name);
    this.outputs.push({ name, dtype: out.dtype, shape: out.shape, doc });
  }

  toBuffer(opts: SaveOptions = {}): Uint8Array {
    return saveToBuffer(this.graph, opts);
  }

  save(path: string, opts: FileSaveOptions = {}): { path: string; dataPath?: string } {
    return saveToFile(this.graph, path, opts);
  }

  usedWeightKeys(): ReadonlySet<string> {
    return this.weights.usedKeys();
  }
}
