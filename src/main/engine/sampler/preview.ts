// Cheap previews: SD1.5 latents → RGB with a fixed linear map instead of the VAE decoder.
// The 4×3 factors are the widely used least-squares fit of VAE-decoded RGB (in [−1, 1]) on the
// scaled latents, as published in ComfyUI's comfy/latent_formats.py (class SD15, no bias);
// they are approximate by nature — colours and layout are right, detail is 8× coarser.

/** Rows: latent channels 0..3; columns: R, G, B. */
export const SD15_LATENT_RGB_FACTORS: readonly (readonly [number, number, number])[] = [
  [0.3512, 0.2297, 0.3227],
  [0.325, 0.4974, 0.235],
  [-0.2829, 0.1762, 0.2721],
  [-0.212, -0.2616, -0.7177],
];
export const SD15_LATENT_RGB_BIAS: readonly [number, number, number] = [0, 0, 0];

export interface PreviewImage {
  width: number;
  height: number;
  channels: 3 | 4;
  /** Row-major pixels, `channels` bytes each (RGB or RGBA with opaque alpha). */
  data: Uint8Array;
}

/** One frame's latents [4, h, w] (pipeline scale, i.e. ×0.18215) → an h×w image. */
export function latentsToRgb(latents: Float32Array, height: number, width: number, channels: 3 | 4 = 3): PreviewImage {
  const plane = height * width;
  if (latents.length !== 4 * plane) {
    throw new RangeError(`latentsToRgb: expected 4×${height}×${width} values, got ${latents.length}`);
  }
  const data = new Uint8Array(plane * channels);
  for (let p = 0; p < plane; p++) {
    for (let rgb = 0; rgb < 3; rgb++) {
      let v = SD15_LATENT_RGB_BIAS[rgb];
      for (let c = 0; c < 4; c++) v += latents[c * plane + p] * SD15_LATENT_RGB_FACTORS[c][rgb];
      // [−1, 1] → [0, 255], as the VAE output is mapped by (x/2 + 0.5).clamp(0, 1).
      data[p * channels + rgb] = Math.round(Math.min(1, Math.max(0, v / 2 + 0.5)) * 255);
    }
    if (channels === 4) data[p * 4 + 3] = 255;
  }
  return { width, height, channels, data };
}
