// The networks the sampling loop calls, as plain async functions (STYLE.md §7: the model is a
// function argument). The ORT-backed implementation is one provider of this interface; tests
// pass deterministic fakes. Every tensor is a dense float32 array in row-major order.

export interface Tensor {
  data: Float32Array;
  dims: readonly number[];
}

/**
 * `Bank` is whatever the appearance encoder's reference bank is to the implementation (ORT
 * tensors, fp16 buffers, …); `Residual` is ONE frame's ControlNet residuals (12 down + mid for
 * SD1.5). The loop only stores and passes them back.
 */
export interface PipelineNetworks<Bank = unknown, Residual = unknown> {
  /** Image [1, 3, H, W] in [−1, 1] → latent_dist.mean [1, 4, H/8, W/8], UNSCALED. */
  vaeEncode(image: Tensor): Promise<Tensor>;
  /** Latents [n, 4, h, w] already divided by 0.18215 → raw images [n, 3, 8h, 8w] (≈ [−1, 1]). */
  vaeDecode(latents: Tensor): Promise<Tensor>;
  /** Appearance encoder on the clean reference latents [1, 4, h, w] (×0.18215) at timestep t,
   *  for the batch [uncond, cond] → the reference bank. Called once per step. */
  appearance(referenceLatents: Tensor, t: number): Promise<Bank>;
  /** DensePose ControlNet, a 2D net run per frame: latents [n, 4, h, w], conditioning images
   *  [n, 3, H, W] in [0, 1] → one Residual per frame, in order (cond half only: the loop
   *  reuses them for both CFG halves, as the official pipeline does). */
  controlnet(latents: Tensor, t: number, conditioning: Tensor): Promise<Residual[]>;
  /** UNet3D on one window: latents [2, 4, f, h, w] = [uncond, cond] (identical halves), the bank
   *  (read only by the cond half: the uncond half has no reference attention) and the window's
   *  per-frame residuals in window order → ε [2, 4, f, h, w]. */
  unet(latents: Tensor, t: number, bank: Bank, residuals: readonly Residual[]): Promise<Tensor>;
  /** Optional: called when the loop drops a bank or a residual, so buffers can be reused/freed. */
  release?(item: { kind: 'bank'; value: Bank } | { kind: 'residual'; value: Residual }): void;
}

/** Where the DensePose frames come from: the loop asks for them when a window needs them. */
export interface ControlSource {
  /** Frames in the clip (before padding). */
  count: number;
  /** Frame i as [3, H, W] in [0, 1] (i < count). */
  frame(index: number): Promise<Tensor> | Tensor;
}

export function assertDims(tensor: Tensor, expected: readonly number[], what: string): void {
  const size = tensor.dims.reduce((a, b) => a * b, 1);
  const same = tensor.dims.length === expected.length && tensor.dims.every((d, i) => d === expected[i]);
  if (!same || size !== tensor.data.length) {
    throw new RangeError(
      `${what}: expected dims [${expected.join(', ')}], got [${tensor.dims.join(', ')}] with ${tensor.data.length} values`,
    );
  }
}
