// Tensor plumbing between per-frame latents ([4, h, w] each) and the networks' layouts,
// with the official pipeline's float32 conversions.
import type { Tensor } from '../networks';

const f32 = Math.fround;

/** diffusers' vae scaling factor (applied by the pipeline, not stored in the VAE config). */
export const LATENT_SCALE = 0.18215;

/** Reference RGB bytes, HWC → [1, 3, H, W] as images2latents feeds the VAE: x / 127.5 − 1. */
export function referenceToVaeInput(rgb: Uint8Array, height: number, width: number): Tensor {
  return { data: hwcToChw(rgb, height, width, (v) => f32(f32(v / 127.5) - 1)), dims: [1, 3, height, width] };
}

/** DensePose RGB bytes, HWC → [3, H, W] in [0, 1] as prepare_condition does: x / 255. */
export function controlToCond(rgb: Uint8Array, height: number, width: number): Tensor {
  return { data: hwcToChw(rgb, height, width, (v) => f32(v / 255)), dims: [3, height, width] };
}

function hwcToChw(rgb: Uint8Array, height: number, width: number, map: (v: number) => number): Float32Array {
  const plane = height * width;
  if (rgb.length !== 3 * plane) throw new RangeError(`expected ${height}×${width}×3 bytes, got ${rgb.length}`);
  const out = new Float32Array(3 * plane);
  for (let p = 0; p < plane; p++) for (let c = 0; c < 3; c++) out[c * plane + p] = map(rgb[p * 3 + c]);
  return out;
}

export function scaleLatents(data: Float32Array, factor: number): Float32Array {
  const k = f32(factor);
  return data.map((v) => f32(v * k));
}

/** Frames [4, h, w] → [n, 4, h, w] (optionally scaled, e.g. by 1/0.18215 for the decoder). */
export function stackFrames(frames: readonly Float32Array[], channels: number, height: number, width: number): Tensor {
  const size = channels * height * width;
  const data = new Float32Array(frames.length * size);
  frames.forEach((frame, i) => data.set(frame, i * size));
  return { data, dims: [frames.length, channels, height, width] };
}

/** A window's UNet input [2, C, f, h, w]: the frames' latents, repeated for [uncond, cond]. */
export function windowInput(frames: readonly Float32Array[], channels: number, height: number, width: number): Tensor {
  const plane = height * width;
  const f = frames.length;
  const half = channels * f * plane;
  const data = new Float32Array(2 * half);
  frames.forEach((frame, j) => {
    for (let c = 0; c < channels; c++) {
      const block = frame.subarray(c * plane, (c + 1) * plane);
      data.set(block, (c * f + j) * plane);
      data.set(block, half + (c * f + j) * plane);
    }
  });
  return { data, dims: [2, channels, f, height, width] };
}

/** Frame j of a UNet output [2, C, f, h, w] as [uncond C·h·w | cond C·h·w]. */
export function windowOutputFrame(output: Tensor, j: number): Float32Array {
  const [, channels, f, height, width] = output.dims;
  const plane = height * width;
  const half = channels * f * plane;
  const out = new Float32Array(2 * channels * plane);
  for (let b = 0; b < 2; b++) {
    for (let c = 0; c < channels; c++) {
      const from = b * half + (c * f + j) * plane;
      out.set(output.data.subarray(from, from + plane), (b * channels + c) * plane);
    }
  }
  return out;
}

/** Per-frame [C, h, w] → torch's [1, C, F, h, w] (what the official code calls latents). */
export function toVideoLayout(frames: readonly Float32Array[], channels: number, height: number, width: number): Tensor {
  const plane = height * width;
  const count = frames.length;
  const data = new Float32Array(channels * count * plane);
  frames.forEach((frame, i) => {
    for (let c = 0; c < channels; c++) data.set(frame.subarray(c * plane, (c + 1) * plane), (c * count + i) * plane);
  });
  return { data, dims: [1, channels, count, height, width] };
}

/** Decoder output → displayable [n, 3, H, W] in [0, 1]: (x / 2 + 0.5).clamp(0, 1). */
export function decodedToUnit(raw: Tensor): Tensor {
  return { data: raw.data.map((v) => Math.min(1, Math.max(0, f32(f32(v / 2) + 0.5)))), dims: raw.dims };
}

/** [n_i, C, H, W] tensors → one [Σn_i, C, H, W]. */
export function concatFrames(parts: readonly Tensor[]): Tensor {
  const [, c, hh, ww] = parts[0].dims;
  const count = parts.reduce((n, p) => n + p.dims[0], 0);
  const data = new Float32Array(count * c * hh * ww);
  let offset = 0;
  for (const part of parts) {
    data.set(part.data, offset);
    offset += part.data.length;
  }
  return { data, dims: [count, c, hh, ww] };
}

/** Sorted frame indices → [start, end) runs of consecutive frames, each at most `maxLength` long. */
export function contiguousRuns(frameIndices: readonly number[], maxLength: number): [number, number][] {
  const sorted = [...frameIndices].sort((a, b) => a - b);
  const runs: [number, number][] = [];
  for (const f of sorted) {
    const last = runs[runs.length - 1];
    if (last && last[1] === f && last[1] - last[0] < maxLength) last[1] = f + 1;
    else runs.push([f, f + 1]);
  }
  return runs;
}
