// MagicAnimate's DensePose palette, as vid2densepose (main.py) and comfyui_controlnet_aux draw it:
// a part index I (1..24) is coloured OpenCV COLORMAP_VIRIDIS[uint8(float32(I) · 255/24)], the
// background keeps the canvas, viridis(0) = RGB (68, 1, 84). The 25 colours below are those table
// entries (OpenCV 4.6.0); tests check them against the fixtures' palette.safetensors.

/** RGB of I = 0..24 (row 0 = background). */
export const PART_RGB: readonly (readonly [number, number, number])[] = Object.freeze([
  [68, 1, 84], [71, 16, 99], [72, 31, 112], [71, 44, 122], [68, 57, 131], [64, 70, 136], [59, 81, 139],
  [54, 93, 141], [49, 104, 142], [44, 113, 142], [40, 124, 142], [37, 133, 142], [33, 144, 141],
  [31, 154, 138], [32, 163, 134], [39, 173, 129], [53, 183, 121], [70, 192, 111], [92, 200, 99],
  [115, 208, 86], [142, 214, 69], [170, 220, 50], [197, 224, 33], [226, 228, 24], [253, 231, 37],
] as const);

export const PART_COUNT = 24;

/** uint8(float32(I) · float32(255/24)) for I = 0..24: the viridis index of each part. */
export const partValueU8 = (i: number): number => Math.trunc(Math.fround(i * Math.fround(255 / PART_COUNT)));

/** An I map [H·W] (0..24) as RGB [H·W·3]. */
export function paletteRgb(imap: Uint8Array): Uint8Array {
  const out = new Uint8Array(imap.length * 3);
  for (let p = 0; p < imap.length; p++) {
    const c = PART_RGB[imap[p]] ?? PART_RGB[0];
    out[3 * p] = c[0];
    out[3 * p + 1] = c[1];
    out[3 * p + 2] = c[2];
  }
  return out;
}
