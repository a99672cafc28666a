// The ONNX graph builder: GraphBuilder (graph.ts), typed operators (ops.ts), shape algebra (shape.ts),
// writing models (save.ts). Opset 17, IR 8.
export * from './graph';
export * from './shape';
export * as ops from './ops';
export { saveToBuffer, saveToFile, type FileSaveOptions } from './save';
export { float32ToFloat16Bits, float16BitToFloat32 } from './fp16';
