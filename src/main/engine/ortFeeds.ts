// Tensor feeds for the ORT-backed networks (ortNetworks.ts), built from the manifest's I/O specs.
// Pure data shuffling plus the runtime's tensor constructors; no session logic here.
import { StudioFailure } from '../../shared/result';
import type { TensorSpec } from '../compiler/manifest';
import { float32ToFloat16Bit, float16BitToFloat32 } from '../compiler/onnx/fp16';
import type { Tensor } from './networks';
import { float32Tensor, int64Tensor, scalarFloat, type OrtTensor } from './runtime';

export const float32Feed = (t: Tensor): OrtTensor => float32Tensor(t.data, t.dims);
export const scaleFeed = (value: number): OrtTensor => scalarFloat(value);

/** The DDIM timestep as the graph declares it (int64 scalar in our graphs, as torch passes it). */
export function timestepFeed(specs: readonly TensorSpec[], t: number): OrtTensor {
  const spec = specs.find((s) => s.name === 'timestep');
  const dims = spec?.shape.length === 1 ? [1] : [];
  if (!spec || spec.dtype === 'int64') return int64Tensor([t], dims);
  if (spec.dtype === 'float32') return float32Tensor(Float32Array.of(t), dims);
  throw new StudioFailure('model_invalid', `timestep input of type ${spec.dtype} is not supported`);
}

/** CLIP("") [1, 77, D] repeated to `batch` rows: both CFG halves use the empty prompt (README fact 4). */
export function textFeed(text: Tensor, batch: number): OrtTensor {
  const data = new Float32Array(text.data.length * batch);
  for (let b = 0; b < batch; b++) data.set(text.data, b * text.data.length);
  return float32Tensor(data, [batch, ...text.dims.slice(1)]);
}

/** Rounds every value to the nearest binary16 and back (torch's `.to(float16)` then promotion). */
export function roundToFp16(values: Float32Array): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = float16BitToFloat32(float32ToFloat16Bit(values[i]));
  return out;
}

/** A bank entry [2, L, C] for a UNet input [B, L, C]: B = 1 takes the cond row only. */
export function bankFeed(spec: TensorSpec, entry: Tensor): OrtTensor {
  const [rows, tokens, channels] = entry.dims;
  if (spec.shape[0] === 1 && rows === 2) {
    const size = tokens * channels;
    return float32Tensor(entry.data.subarray(size, 2 * size), [1, tokens, channels]);
  }
  return float32Tensor(entry.data, entry.dims);
}

/** [n, ...] → n tensors [...] (copies, so a frame outlives the batch buffer on its own). */
export function splitFrames(t: Tensor): Tensor[] {
  const [n, ...rest] = t.dims;
  const size = rest.reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, (_, i) => ({ data: t.data.slice(i * size, (i + 1) * size), dims: rest }));
}

/**
 * A window's per-frame residuals [C, h, w] in the layout the UNet3D input declares:
 *   rank 5 [B, C, f, h, w]  (the official `b c f h w`, duplicated for both CFG halves, README case 4)
 *   rank 4 [f, C, h, w]     per frame (our UNet3D graph adds them to both CFG halves itself);
 *                           a numeric first dim B·f means frames flattened batch-major `(b f) c h w`
 * For rank 5, B is the spec's numeric batch, or 2 ([uncond, cond]) when it is symbolic.
 */
export function residualFeed(spec: TensorSpec, frames: readonly (Tensor | undefined)[]): OrtTensor {
  if (frames.some((f) => f === undefined)) {
    throw new StudioFailure('model_invalid', `the UNet3D expects ${spec.name}, which the ControlNet does not produce`);
  }
  const list = frames as Tensor[];
  const [c, h, w] = list[0].dims;
  const f = list.length;
  const plane = h * w;
  const copies = typeof spec.shape[0] === 'number' && spec.shape.length === 5 ? spec.shape[0] : 2;
  if (spec.shape.length === 5) {
    const half = c * f * plane;
    const data = new Float32Array(copies * half);
    list.forEach((frame, j) => {
      for (let ch = 0; ch < c; ch++) {
        const block = frame.data.subarray(ch * plane, (ch + 1) * plane);
        for (let b = 0; b < copies; b++) data.set(block, b * half + (ch * f + j) * plane);
      }
    });
    return float32Tensor(data, [copies, c, f, h, w]);
  }
  if (spec.shape.length === 4) {
    const rows = typeof spec.shape[0] === 'number' ? spec.shape[0] / f : 1;
    const size = c * plane;
    const data = new Float32Array(rows * f * size);
    for (let b = 0; b < rows; b++) list.forEach((frame, j) => data.set(frame.data, (b * f + j) * size));
    return float32Tensor(data, [rows * f, c, h, w]);
  }
  throw new StudioFailure('model_invalid', `UNet3D input ${spec.name} has rank ${spec.shape.length}; expected 4 or 5`);
}
